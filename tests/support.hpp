#pragma once

#include <h2sim/h2sim.hpp>

#include <string>

namespace h2sim::test {

/** Runs a scenario given as JSON text (all replications, two at once). */
inline nlohmann::ordered_json run_text(const std::string& json, std::vector<Override> sets = {}) {
  return run(load_scenario(json, sets), RunOptions{.jobs = 2});
}

/** A one-station Poisson scenario; `extra_station` and `extra_top` are appended JSON members. */
inline std::string one_station(double arrivals_per_h, int dispensers, const std::string& kg,
                               const std::string& extra_station = "",
                               const std::string& extra_top = "") {
  return R"({"name": "test", "seed": 7, "horizon_days": 100, "warmup_days": 2,
    "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": )" +
         std::to_string(dispensers) + R"(, "fill_rate_kg_per_min": 1, "overhead_min": 0)" +
         extra_station + R"(}],
    "demand": {"model": "poisson", "arrivals_per_h": )" +
         std::to_string(arrivals_per_h) + R"(, "kg_per_fill": )" + kg + "}" + extra_top + "}";
}

/** Every problem of a scenario (with overrides) as "pointer: message" lines; "valid" if none. */
inline std::string problems_of(const std::string& json, std::vector<Override> sets = {}) {
  try {
    load_scenario(json, sets);
  } catch (const ScenarioError& error) {
    std::string text;
    for (const auto& problem : error.problems()) {
      text += problem.pointer + ": " + problem.message + "\n";
    }
    return text;
  }
  return "valid";
}

} // namespace h2sim::test
