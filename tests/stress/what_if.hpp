#pragma once

// What-ifs on shipped scenarios, and the books every run must keep, shared by the stress test in
// the suite and the randomized stress runner (`h2sim_stress`, run on demand).

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace h2sim::stress {

using nlohmann::json;

inline json read_json(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

/** A distribution (number or object) with every time scaled by `factor`. */
inline json scaled(json dist, double factor) {
  if (dist.is_number()) {
    return dist.get<double>() * factor;
  }
  for (const char* key : {"value", "mean", "sd", "min", "max"}) {
    if (dist.contains(key)) {
      dist[key] = dist[key].get<double>() * factor;
    }
  }
  if (dist.contains("values")) {
    for (auto& value : dist["values"]) {
      value = value.get<double>() * factor;
    }
  }
  return dist;
}

/** One what-if: a named edit of a scenario document. */
struct WhatIf {
  std::string name;
  std::function<void(json&)> edit;
};

inline WhatIf open_stations(int n) {
  return {"open_stations=" + std::to_string(n), [n](json& s) {
            s["open_stations"] = std::min<int>(n, static_cast<int>(s["stations"].size()));
          }};
}
inline WhatIf lead_time_times(double factor) {
  return {"lead_time_h*=" + std::to_string(factor), [factor](json& s) {
            for (auto& station : s["stations"]) {
              if (station.contains("supply") && station["supply"]["model"] == "delivery") {
                station["supply"]["lead_time_h"] = scaled(station["supply"]["lead_time_h"], factor);
              }
            }
          }};
}
inline WhatIf dispensers(int n) {
  return {"dispensers=" + std::to_string(n), [n](json& s) {
            for (auto& station : s["stations"]) {
              station["dispensers"] = n;
            }
          }};
}
inline WhatIf pipeline_capacity_times(double factor) {
  return {"pipeline capacity*=" + std::to_string(factor), [factor](json& s) {
            if (s.contains("pipelines")) {
              for (auto& pipeline : s["pipelines"]) {
                pipeline["capacity_kg_per_h"] =
                    pipeline["capacity_kg_per_h"].get<double>() * factor;
              }
            }
          }};
}
/** Buffers off everywhere, or on everywhere (a small buffer and a slow compressor: the storm). */
inline WhatIf buffers(bool on) {
  return {on ? "buffers on" : "buffers off", [on](json& s) {
            for (auto& station : s["stations"]) {
              if (on) {
                station["buffer"] = {{"capacity_kg", 20}, {"compressor_kg_per_h", 30}};
              } else {
                station.erase("buffer");
              }
            }
          }};
}
inline WhatIf seed(int n) {
  return {"seed=" + std::to_string(n), [n](json& s) { s["seed"] = n; }};
}
/** Storage a tenth of its size (initial level kept below capacity), every station. */
inline WhatIf storage_times(double factor) {
  return {"storage*=" + std::to_string(factor), [factor](json& s) {
            for (auto& station : s["stations"]) {
              if (!station.contains("storage")) {
                continue;
              }
              auto& storage = station["storage"];
              const double capacity = storage["capacity_kg"].get<double>() * factor;
              storage["capacity_kg"] = capacity;
              storage["initial_kg"] = std::min(storage["initial_kg"].get<double>(), capacity);
              if (station.contains("supply") && station["supply"]["model"] == "delivery") {
                auto& supply = station["supply"];
                supply["reorder_at_kg"] =
                    std::min(supply["reorder_at_kg"].get<double>() * factor, capacity * 0.5);
              }
            }
          }};
}
inline WhatIf queue_capacity(int n) {
  return {"queue_capacity=" + std::to_string(n), [n](json& s) {
            for (auto& station : s["stations"]) {
              station["queue_capacity"] = n;
            }
          }};
}
inline WhatIf fleet_times(double factor) {
  return {"fleet count*=" + std::to_string(factor), [factor](json& s) {
            if (s["demand"]["model"] == "fleet") {
              for (auto& vc : s["demand"]["classes"]) {
                vc["count"] =
                    std::max(1, static_cast<int>(std::lround(vc["count"].get<double>() * factor)));
              }
            } else if (s["demand"]["model"] == "poisson") {
              s["demand"]["arrivals_per_h"] = s["demand"]["arrivals_per_h"].get<double>() * factor;
            }
          }};
}

/**
 * Scheduled events in the storm: every pipeline cut from `from_day` for `days`, every depot down
 * to one trailer and every delivery's payload cut to a tenth of the file's (at least 1 kg)
 * meanwhile.
 */
inline WhatIf outage(double from_day, double days) {
  return {"outage from day " + std::to_string(from_day), [from_day, days](json& s) {
            json set = json::object();
            if (s.contains("pipelines") && !s["pipelines"].empty()) {
              set["pipelines.*.capacity_kg_per_h"] = 0;
            }
            if (s.contains("depots") && !s["depots"].empty()) {
              set["depots.*.trailers"] = 1;
            }
            // A value, not a factor: outages that overlap would compound a factor (three tenths
            // of 300 kg is 0.3 kg, below the 1 kg a payload must be, and the file is refused).
            for (std::size_t i = 0; i < s["stations"].size(); ++i) {
              const json& supply = s["stations"][i].value("supply", json::object());
              if (supply.value("model", "") == "delivery" && supply.contains("payload_kg") &&
                  supply["payload_kg"].is_number()) {
                set["stations." + std::to_string(i) + ".supply.payload_kg"] =
                    std::max(1.0, supply["payload_kg"].get<double>() * 0.1);
              }
            }
            if (!set.empty()) {
              s["events"].push_back(
                  {{"at_day", from_day}, {"until_day", from_day + days}, {"set", set}});
            }
          }};
}

/**
 * A build-out inside the run: from `first` stations (and the fleet scaled by `fleet_from`) at the
 * start to every station (and the full fleet) at `at_day`, then back to `first` stations with
 * the fleet scaled by `fleet_from` at `back_day`: stations open and close, vehicles join and
 * retire while others are on their way.
 */
inline WhatIf buildout(int first, double fleet_from, double at_day, double back_day) {
  return {"build-out from " + std::to_string(first) + " stations",
          [first, fleet_from, at_day, back_day](json& s) {
            if (s["demand"]["model"] != "fleet") {
              return;
            }
            const auto stations = static_cast<int>(s["stations"].size());
            const int from = std::min(first, stations);
            s["open_stations"] = from;
            json grow = {{"open_stations", stations}};
            json shrink = {{"open_stations", from}};
            auto& classes = s["demand"]["classes"];
            for (std::size_t c = 0; c < classes.size(); ++c) {
              const int full = classes[c]["count"].get<int>();
              const int few = std::max(1, static_cast<int>(std::lround(full * fleet_from)));
              classes[c]["count"] = few;
              const std::string path = "demand.classes." + std::to_string(c) + ".count";
              grow[path] = full;
              shrink[path] = few;
            }
            s["events"].push_back({{"at_day", at_day}, {"set", grow}});
            s["events"].push_back({{"at_day", back_day}, {"set", shrink}});
          }};
}

/** The books every run keeps, whatever it was asked: each violation as a message. */
inline std::vector<std::string> check_books(const nlohmann::ordered_json& metrics) {
  std::vector<std::string> problems;
  const auto fail = [&](const std::string& where, const std::string& what) {
    problems.push_back(where + ": " + what);
  };
  // No NaN or infinity anywhere (nlohmann writes them as null).
  std::function<void(const nlohmann::ordered_json&, const std::string&)> finite =
      [&](const nlohmann::ordered_json& value, const std::string& at) {
        if (value.is_null()) {
          fail(at, "null (NaN or infinity)");
        } else if (value.is_structured()) {
          for (const auto& [key, child] : value.items()) {
            finite(child, at + "/" + key);
          }
        }
      };
  finite(metrics, "");
  const auto number = [](const nlohmann::ordered_json& object, const char* key) {
    return object.contains(key) && object[key].is_number() ? object[key].get<double>() : 0.0;
  };
  const auto visits = [&](const nlohmann::ordered_json& tally, const std::string& at) {
    const double outcomes = number(tally, "served") + number(tally, "balked") +
                            number(tally, "reneged") + number(tally, "diverted_closed") +
                            number(tally, "turned_away_stockout") + number(tally, "waiting_at_end");
    if (std::abs(number(tally, "arrivals") - outcomes) > 1e-9 * (1 + outcomes)) {
      fail(at, "arrivals " + tally["arrivals"].dump() + " != the sum of outcomes " +
                   std::to_string(outcomes));
    }
    const auto& wait = tally["wait_min"];
    double previous = 0;
    for (const char* key : {"p50", "p90", "p95", "p99", "max"}) {
      const double value = number(wait, key);
      if (value < -1e-9 || value + 1e-9 < previous) {
        fail(at + "/wait_min/" + key, "out of order or negative: " + wait.dump());
      }
      previous = std::max(previous, value);
    }
    const double utilization = number(tally, "utilization");
    if (utilization < 0 || utilization > 1 + 1e-9) {
      fail(at + "/utilization", std::to_string(utilization));
    }
  };
  const auto hydrogen = [&](const nlohmann::ordered_json& tally, const std::string& at) {
    if (!tally.contains("delivered_kg")) {
      return;
    }
    const double in = number(tally, "inventory_start_kg") + number(tally, "delivered_kg");
    const double out = number(tally, "dispensed_kg") + number(tally, "inventory_end_kg");
    if (std::abs(in - out) > 1e-6 * (1 + in)) {
      fail(at, "hydrogen not conserved: start + delivered = " + std::to_string(in) +
                   ", dispensed + end = " + std::to_string(out));
    }
    if (number(tally, "inventory_min_kg") < -1e-6) {
      fail(at + "/inventory_min_kg", "negative");
    }
  };
  const auto& totals = metrics["totals"];
  visits(totals, "/totals");
  hydrogen(totals, "/totals");
  double arrivals = 0;
  double served = 0;
  for (std::size_t i = 0; i < metrics["stations"].size(); ++i) {
    const auto& station = metrics["stations"][i];
    const std::string at = "/stations/" + std::to_string(i);
    visits(station, at);
    hydrogen(station, at);
    arrivals += number(station, "arrivals");
    served += number(station, "served");
  }
  if (std::abs(arrivals - number(totals, "arrivals")) > 1e-6 * (1 + arrivals) ||
      std::abs(served - number(totals, "served")) > 1e-6 * (1 + served)) {
    fail("/totals", "arrivals or served differ from the sum over stations");
  }
  if (metrics.contains("classes")) {
    double refuels = 0;
    for (const auto& vc : metrics["classes"]) {
      refuels += number(vc, "refuels");
    }
    if (std::abs(refuels - served) > 1e-6 * (1 + served)) {
      fail("/classes",
           "refuels " + std::to_string(refuels) + " != served " + std::to_string(served));
    }
  }
  return problems;
}

} // namespace h2sim::stress
