#include "../support.hpp"

#include <doctest/doctest.h>

using h2sim::test::one_station;
using h2sim::test::run_text;

namespace {
nlohmann::ordered_json without_run(nlohmann::ordered_json metrics) {
  metrics.erase("run");
  return metrics;
}
} // namespace

TEST_CASE("engine: the same scenario and seed give identical metrics") {
  const std::string scenario = one_station(30, 2, R"({"dist": "gamma", "mean": 4, "sd": 1})");
  const auto a = without_run(run_text(scenario));
  const auto b = without_run(run_text(scenario));
  CHECK(a.dump() == b.dump());
  const auto other = without_run(run_text(scenario, {{"seed", "8"}}));
  CHECK(other.dump() != a.dump());
}

TEST_CASE("engine: replications do not depend on how many run at once") {
  const h2sim::Scenario scenario =
      h2sim::load_scenario(one_station(30, 2, "4", "", R"(, "replications": 4)"));
  auto one = h2sim::run(scenario, h2sim::RunOptions{.jobs = 1});
  auto three = h2sim::run(scenario, h2sim::RunOptions{.jobs = 3});
  one.erase("run");
  three.erase("run");
  CHECK(one.dump() == three.dump());
  CHECK(one["replication_totals"].size() == 4);
  CHECK(one["ci95"].contains("totals.wait_min.p95"));
}

TEST_CASE("engine: adding a station leaves the other stations' arrivals unchanged") {
  // Streams are keyed by station id, not position: common random numbers across sweep points.
  const std::string two = R"({"name": "crn", "seed": 3, "horizon_days": 5,
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 9, "fill_rate_kg_per_min": 1},
                 {"id": "B", "x_km": 0, "y_km": 0, "dispensers": 9, "fill_rate_kg_per_min": 1}],
    "demand": {"model": "poisson", "arrivals_per_h": 10, "kg_per_fill": 2}})";
  const auto both = run_text(two);
  const auto only_a = run_text(two, {{"open_stations", "1"}});
  CHECK(both["stations"][0]["arrivals"] == only_a["stations"][0]["arrivals"]);
  CHECK(both["stations"][0]["wait_min"].dump() == only_a["stations"][0]["wait_min"].dump());
}

TEST_CASE("engine: vehicles are conserved: arrivals = served + balked") {
  const auto metrics = run_text(one_station(40, 2, "4", R"(, "queue_capacity": 2)"));
  for (const auto& station : metrics["stations"]) {
    CHECK(station["arrivals"].get<double>() ==
          station["served"].get<double>() + station["balked"].get<double>());
  }
  CHECK(metrics["totals"]["balked"].get<double>() > 0);
}
