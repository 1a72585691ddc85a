// Every shipped scenario runs (for a week; a national one with 1% of its vehicles) and keeps its
// books: vehicles and hydrogen balance.
#include "../support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

TEST_CASE("scenarios: every shipped scenario runs and conserves vehicles and hydrogen") {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(std::string(H2SIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 8);
  for (const fs::path& file : files) {
    CAPTURE(file.string());
    std::ifstream in(file);
    std::ostringstream text;
    text << in.rdbuf();
    std::vector<h2sim::Override> sets{{"horizon_days", "7"}, {"replications", "1"}};
    for (auto& set : h2sim::test::national_scale_down(text.str())) {
      sets.push_back(std::move(set)); // a national scenario at 1% of its vehicles
    }
    const auto metrics =
        h2sim::run(h2sim::load_scenario(text.str(), sets, file.parent_path().string()),
                   h2sim::RunOptions{.jobs = 2});
    const auto& totals = metrics["totals"];
    const double turned_away = totals.value("turned_away_stockout", 0.0);
    const double closed = totals.value("diverted_closed", 0.0);
    CHECK(totals["arrivals"].get<double>() ==
          totals["served"].get<double>() + totals["balked"].get<double>() +
              totals["reneged"].get<double>() + turned_away + closed);
    for (const auto& station : metrics["stations"]) {
      if (station.contains("delivered_kg")) {
        CAPTURE(station["id"]);
        CHECK(std::abs(station["inventory_start_kg"].get<double>() +
                       station["delivered_kg"].get<double>() -
                       station["dispensed_kg"].get<double>() -
                       station["inventory_end_kg"].get<double>()) <= 1e-6);
      }
    }
  }
}
