// The storm, not only the calm: the 2025 plan across the what-if space policy teams ask about
// (station counts, slow trailers, dispensers everywhere, pipeline capacity, buffers, storage,
// queue limits, fleet size, seeds). Each run must finish and keep its books.
#include "what_if.hpp"

#include <doctest/doctest.h>

namespace {

using h2sim::stress::WhatIf;

std::vector<std::vector<WhatIf>> what_ifs() {
  using namespace h2sim::stress;
  std::vector<std::vector<WhatIf>> cases;
  for (int n : {1, 5, 10, 11, 12, 30, 70}) {
    cases.push_back({open_stations(n), seed(1)});
  }
  for (double f : {0.25, 0.5, 2.0, 4.0}) {
    cases.push_back({lead_time_times(f)});
  }
  // Trailers that come at once, at stations whose queues outgrow their storage: once a hang.
  cases.push_back({lead_time_times(0), open_stations(10)});
  for (int n : {1, 2, 3, 4}) {
    cases.push_back({dispensers(n)});
  }
  for (double f : {0.1, 0.5, 2.0}) {
    cases.push_back({pipeline_capacity_times(f)});
  }
  cases.push_back({buffers(true)});
  cases.push_back({buffers(false)});
  cases.push_back({storage_times(0.1)});
  cases.push_back({queue_capacity(0)});
  cases.push_back({fleet_times(2.0)});
  // Combinations where the aborts were found, over seeds.
  for (int s : {1, 2}) {
    cases.push_back({open_stations(10), lead_time_times(2.0), dispensers(2), seed(s)});
    cases.push_back({open_stations(12), buffers(true), pipeline_capacity_times(0.1), seed(s)});
    cases.push_back({storage_times(0.1), fleet_times(1.5), lead_time_times(4.0), seed(s)});
    // Scheduled events: supply cut in the middle of the window, and back before its end.
    cases.push_back({outage(0.5, 0.5), open_stations(10 + s), seed(s)});
  }
  cases.push_back({outage(0, 2)});
  // Stations opening and closing, vehicles joining and retiring, inside the window.
  cases.push_back({buildout(10, 0.2, 0.5, 1.0)});
  cases.push_back({buildout(1, 0.5, 0.3, 0.9), lead_time_times(2.0), seed(3)});
  return cases;
}

} // namespace

TEST_CASE("stress: the 2025 plan across what-ifs finishes and keeps its books") {
  const auto plan =
      h2sim::stress::read_json(std::string(H2SIM_SOURCE_DIR) + "/scenarios/shanghai-2025.json");
  std::vector<h2sim::Scenario> scenarios;
  std::vector<std::string> names;
  for (const auto& what_if : what_ifs()) {
    auto document = plan;
    document["horizon_days"] = 1;
    document["warmup_days"] = 0.25;
    std::string name;
    for (const WhatIf& edit : what_if) {
      edit.edit(document);
      name += (name.empty() ? "" : ", ") + edit.name;
    }
    names.push_back(name);
    scenarios.push_back(h2sim::load_scenario(document.dump()));
  }
  // One pool for all of them, as a sweep runs.
  const auto results = h2sim::run_all(scenarios, h2sim::RunOptions{2, {}, nullptr});
  REQUIRE(results.size() == names.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    CAPTURE(names[i]);
    CHECK(h2sim::stress::check_books(results[i]) == std::vector<std::string>{});
  }
}

TEST_CASE("stress: a queue that grows without bound after the window does not fail the run") {
  // While buffered station B finishes serving the window's vehicles, arrivals go on everywhere:
  // overloaded A (no buffer) passed its limit of waiting vehicles after the window ended, and
  // the run failed. Those arrivals count nowhere: past the limit they are turned away.
  const std::string scenario = R"({"name": "drain", "seed": 1, "horizon_days": 2,
    "stations": [
      {"id": "A", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1.8,
       "overhead_min": 2, "arrivals_per_h": 10000},
      {"id": "B", "x_km": 5, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1.8,
       "overhead_min": 2, "arrivals_per_h": 10,
       "buffer": {"capacity_kg": 1, "compressor_kg_per_h": 1}}],
    "demand": {"model": "poisson", "arrivals_per_h": 10, "kg_per_fill": 4}})";
  const auto results =
      h2sim::run_all({h2sim::load_scenario(scenario)}, h2sim::RunOptions{1, {}, nullptr});
  REQUIRE(results.size() == 1);
  const auto& metrics = results.front();
  REQUIRE_MESSAGE(!metrics.contains("error"), metrics.value("error", ""));
  CHECK(h2sim::stress::check_books(metrics) == std::vector<std::string>{});
  // Inside the window A stays under the limit: 10,000 an hour for 2 days, all counted.
  const auto& a = metrics["stations"][0];
  CHECK(a["arrivals"].get<double>() > 470000);
  CHECK(a["arrivals"].get<double>() < 490000);
  CHECK(a["balked"] == 0);
}
