#pragma once

#include <h2sim/h2sim.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

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

/**
 * Two stations with 200 kg of storage on one 50 kg/h pipeline (each may draw 40 kg/h), 10 cars/h
 * of 4 kg at each: demand 80 kg/h is above what the pipeline gives, so it runs flat out: 1200 kg
 * a day. Whole kilograms: every sum of them is exact. `window` and `extra_top` are JSON members.
 */
inline std::string two_stations_on_a_pipeline(const std::string& window,
                                              const std::string& extra_top = "") {
  const std::string station = R"("dispensers": 2, "fill_rate_kg_per_min": 1,
      "storage": {"capacity_kg": 200, "initial_kg": 200},
      "supply": {"model": "pipeline", "pipeline": "P1", "max_rate_kg_per_h": 40}})";
  return R"({"name": "pipeline-pair", "seed": 3, )" + window + R"(, "replications": 1,
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, )" +
         station + R"(,
                 {"id": "B", "x_km": 5, "y_km": 0, )" +
         station + R"(],
    "pipelines": [{"id": "P1", "capacity_kg_per_h": 50}],
    "demand": {"model": "poisson", "arrivals_per_h": 10, "kg_per_fill": 4})" +
         extra_top + "}";
}

/** A shipped scenario whose fleet is larger than this is national (scenarios/korea-2040.json). */
constexpr double national_fleet = 200000;

/**
 * What the suite sets to run a shipped scenario given as JSON text: for a national one (a fleet
 * of more than `national_fleet` vehicles), every class's count x 0.01, so that its stations,
 * supply and choices are exercised in a fraction of a second (at full size it runs minutes; it
 * has no golden file, and bench/run.py --scale times it); nothing for any other.
 */
inline std::vector<Override> national_scale_down(const std::string& json) {
  const auto document = nlohmann::json::parse(json);
  double vehicles = 0;
  double smallest = INFINITY;
  if (document.at("demand").value("model", "") == "fleet") {
    for (const auto& vehicle_class : document.at("demand").at("classes")) {
      vehicles += vehicle_class.at("count").get<double>();
      smallest = std::min(smallest, vehicle_class.at("count").get<double>());
    }
  }
  if (vehicles <= national_fleet) {
    return {};
  }
  if (smallest * 0.01 >= 1) {
    return {{"demand.classes.*.count*", "0.01"}};
  }
  // A class of fewer than 100 vehicles (none in the shipped national scenario, whose smallest
  // has 226): x 0.01 would ask for none, which h2sim rightly refuses. Each keeps at least one.
  std::vector<Override> overrides;
  const auto& classes = document.at("demand").at("classes");
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const double count = std::max(1.0, std::round(classes[c].at("count").get<double>() * 0.01));
    overrides.push_back({"demand.classes." + std::to_string(c) + ".count",
                         std::to_string(static_cast<long long>(count))});
  }
  return overrides;
}

/** The event log of a scenario's first replication, as `run --events` writes it. */
inline std::string event_log(const Scenario& scenario, bool jsonl = false) {
  std::FILE* file = std::tmpfile();
  if (file == nullptr) {
    throw std::runtime_error("no temporary file for the event log");
  }
  RunOptions options;
  options.events = RunOptions::EventLog{::fileno(file), jsonl};
  run(scenario, options);
  std::rewind(file);
  std::string text;
  char buffer[65536];
  for (std::size_t n = 0; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) {
    text.append(buffer, n);
  }
  std::fclose(file);
  return text;
}

/** A fill an event log tells: its minutes (end_fill's time less start_fill's) and its kg. */
struct LoggedFill {
  double minutes = 0;
  std::string kg;
};

/**
 * The fills of a CSV event log (time_min,visit,vehicle_class,vehicle,station,event,kg) by the
 * column `key`: 1 by visit, 3 by vehicle (a trace's row).
 */
inline std::map<std::string, LoggedFill> logged_fills(const std::string& csv, std::size_t key) {
  std::map<std::string, double> started;
  std::map<std::string, LoggedFill> fills;
  std::istringstream log(csv);
  for (std::string line; std::getline(log, line);) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) {
      cells.push_back(cell);
    }
    if (cells.size() == 7 && cells[5] == "start_fill") {
      started[cells[key]] = std::stod(cells[0]);
    } else if (cells.size() == 7 && cells[5] == "end_fill") {
      fills[cells[key]] = {std::stod(cells[0]) - started.at(cells[key]), cells[6]};
    }
  }
  return fills;
}

} // namespace h2sim::test
