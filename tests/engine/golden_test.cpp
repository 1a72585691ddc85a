// Every shipped scenario (but a national one) gives, byte for byte, the metrics it gave when its
// golden file was written (apart from the `run` block of wall times). Refactors must not change
// results; a deliberate change of results rewrites the files: H2SIM_UPDATE_GOLDEN=1
// build/dev/tests/h2sim_tests -tc='golden*'
#include "../support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
} // namespace

TEST_CASE("golden: every shipped scenario gives the metrics of its golden file") {
  const fs::path root = H2SIM_SOURCE_DIR;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root / "scenarios")) {
    // A national scenario has no golden file: at full size it runs minutes (the suite runs it
    // scaled down in shipped_test, bench/run.py --scale times it).
    if (entry.path().extension() == ".json" &&
        h2sim::test::national_scale_down(slurp(entry.path())).empty()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  std::vector<h2sim::Scenario> scenarios;
  for (const fs::path& file : files) {
    // A trace replays its rows from time 0: a warm-up would leave them unmeasured (the trace's
    // golden file held no arrival, until a warning said so).
    const bool trace =
        nlohmann::json::parse(slurp(file)).at("demand").value("model", "") == "trace";
    scenarios.push_back(h2sim::load_scenario(
        slurp(file),
        {{"horizon_days", "3"}, {"warmup_days", trace ? "0" : "0.5"}, {"replications", "2"}},
        file.parent_path().string()));
  }
  const auto results = h2sim::run_all(scenarios, h2sim::RunOptions{2, {}, nullptr});
  const bool update = std::getenv("H2SIM_UPDATE_GOLDEN") != nullptr;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string name = fs::relative(files[i], root / "scenarios").string();
    std::replace(name.begin(), name.end(), '/', '_');
    const fs::path golden = root / "tests" / "golden" / name;
    auto metrics = results[i];
    metrics.erase("run");
    const std::string text = metrics.dump(1) + "\n";
    CAPTURE(golden.string());
    if (update) {
      fs::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << text;
    }
    CHECK(text == slurp(golden)); // on failure: diff the file against a fresh run
  }
}
