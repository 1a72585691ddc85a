// An embedder of the installed library (tests/consumer/check.sh builds it against an installed
// prefix, once through find_package(h2sim), once through pkg-config): runs a scenario file and
// prints its mean wait, to be compared with what the installed `h2sim run` prints.
#include <h2sim/h2sim.hpp>
#include <h2sim/log.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer SCENARIO.json\n");
    return 2;
  }
  std::ifstream file(argv[1]);
  std::stringstream text;
  text << file.rdbuf();
  h2sim::set_logger(nullptr); // the library stays quiet: this program's stdout is its own
  try {
    h2sim::RunOptions options;
    options.jobs = 2;
    const nlohmann::ordered_json metrics = h2sim::run(h2sim::load_scenario(text.str()), options);
    std::printf("%.17g\n", metrics["totals"]["wait_min"]["mean"].get<double>());
  } catch (const h2sim::ScenarioError& error) {
    std::fprintf(stderr, "invalid scenario: %s\n", error.what());
    return 2;
  }
  return 0;
}
