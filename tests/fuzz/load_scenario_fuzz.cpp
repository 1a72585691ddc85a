// libFuzzer target: h2sim::load_scenario on a scenario text and --set overrides.
//
// Input: the scenario text, then any number of "\n--set PATH=VALUE" (each up to the next one), so
// that the seed corpus (plain scenario files) is valid input as it is. Files a scenario names (a
// trace) are found in scenarios/trace, where example.csv is.

#include "scenario/message.hpp"

#include <h2sim/h2sim.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view separator = "\n--set ";

/** Aborts (libFuzzer saves the input) when a promise of load_scenario is broken. */
void require(bool condition, const char* promise) {
  if (!condition) {
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t end = input.find(separator);
  const std::string_view text = input.substr(0, end);
  std::vector<h2sim::Override> overrides;
  while (end != std::string_view::npos) {
    const std::size_t start = end + separator.size();
    end = input.find(separator, start);
    const std::string_view set =
        input.substr(start, end == std::string_view::npos ? end : end - start);
    const std::size_t equals = set.find('=');
    overrides.push_back(
        {std::string(set.substr(0, equals)),
         equals == std::string_view::npos ? "" : std::string(set.substr(equals + 1))});
  }
  // Anything but a ScenarioError escapes and is a finding: load_scenario either returns a
  // scenario or lists problems.
  try {
    const h2sim::Scenario scenario = h2sim::load_scenario(text, overrides, H2SIM_FUZZ_FILES);
    require(scenario.stations() > 0, "a scenario has stations");
    require(scenario.open_stations() >= 1 && scenario.open_stations() <= scenario.stations(),
            "open_stations is within the stations");
  } catch (const h2sim::ScenarioError& error) {
    require(!error.problems().empty(), "a ScenarioError lists its problems");
    for (const h2sim::Problem& problem : error.problems()) {
      require(!problem.message.empty(), "a problem says what is wrong");
      require(h2sim::scenario::valid_utf8(problem.message) == problem.message,
              "messages are valid UTF-8");
      require(h2sim::scenario::valid_utf8(problem.pointer) == problem.pointer,
              "pointers are valid UTF-8");
    }
  }
  return 0;
}
