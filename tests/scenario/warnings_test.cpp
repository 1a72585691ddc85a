// Legal but probably unmeant: warnings (listed in the metrics), or errors where the run could not
// mean anything.
#include "../support.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

using h2sim::test::problems_of;

namespace {
// Station A (H35 only, 20 kg of storage) is open; B, 800 km east, is not. A car class that needs
// H70 and decides at A's door; a bus class 500 km away.
const std::string scenario = R"({"name": "warn", "horizon_days": 1, "open_stations": 1,
 "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1,
               "pressures": ["H35"], "storage": {"capacity_kg": 20, "initial_kg": 20},
               "supply": {"model": "none"}},
              {"id": "B", "x_km": 800, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1}],
 "demand": {"model": "fleet", "classes": [
   {"name": "car", "count": 5, "tank_kg": 6, "consumption_kg_per_100km": 1, "daily_km": 100,
    "refuel_at_fraction": 0.2, "speed_kmh": 40, "pressure": "H70",
    "area": {"x_km": 0, "y_km": 0, "radius_km": 0}},
   {"name": "bus", "count": 5, "tank_kg": 30, "consumption_kg_per_100km": 8, "daily_km": 100,
    "refuel_at_fraction": 0.2, "speed_kmh": 40, "area": {"x_km": 500, "y_km": 0, "radius_km": 5}}]}})";

std::string warnings_of(const std::string& json, std::vector<h2sim::Override> sets = {}) {
  std::string text;
  const h2sim::Scenario loaded = h2sim::load_scenario(json, sets);
  for (const auto& warning : loaded.warnings()) {
    text += warning.pointer + ": " + warning.message + "\n";
  }
  return text;
}
} // namespace

TEST_CASE("warnings: fleets that cannot reach or use the open stations are warned about") {
  CHECK(warnings_of(scenario) ==
        "/demand/classes/0/area/radius_km: is 0: every vehicle of the class decides to refuel at "
        "the same point\n"
        "/demand/classes/0/pressure: no open station fills H70: its vehicles cannot refuel and are "
        "counted stranded\n"
        "/demand/classes/1/area: the nearest open station it can use is 500 road km from the "
        "area's centre, beyond a full tank's range (375 km): its vehicles will be towed "
        "(stranded), each counted when it reaches the station (from the centre, 12.5 h at 40 "
        "km/h, 0.5 days)\n"
        "/stations/0/storage/capacity_kg: holds less than a bus tank: its large fills are always "
        "turned away here\n");
  // Opening B gives the cars a station (farther than their range) and the buses one in reach.
  CHECK(warnings_of(scenario, {{"open_stations", "2"}, {"demand.classes.0.area.radius_km", "1"}}) ==
        "/demand/classes/0/area: the nearest open station it can use is 800 road km from the "
        "area's centre, beyond a full tank's range (600 km): its vehicles will be towed "
        "(stranded), each counted when it reaches the station (from the centre, 20.0 h at 40 "
        "km/h, 0.8 days)\n"
        "/stations/0/storage/capacity_kg: holds less than a bus tank: its large fills are always "
        "turned away here\n");
}

TEST_CASE("warnings: a station opened by id is named by its place in the file") {
  CHECK(warnings_of(scenario, {{"open_stations", R"(["B"])"},
                               {"stations.1.storage", R"({"capacity_kg": 20, "initial_kg": 20})"},
                               {"stations.1.supply", R"({"model": "none"})"},
                               {"demand.classes.0.area.radius_km", "1"},
                               {"demand.classes.1.area.x_km", "800"}}) ==
        "/demand/classes/0/area: the nearest open station it can use is 800 road km from the "
        "area's centre, beyond a full tank's range (600 km): its vehicles will be towed "
        "(stranded), each counted when it reaches the station (from the centre, 20.0 h at 40 "
        "km/h, 0.8 days)\n"
        "/stations/1/storage/capacity_kg: holds less than a bus tank: its large fills are always "
        "turned away here\n");
}

TEST_CASE("warnings: storage beside unlimited supply is not drawn from") {
  // Unlimited supply never runs short, so the storage is silently not modelled (no inventory, no
  // stockouts). One warning, at the first such station of the file: B is opened by id, so it
  // comes first in build order, and the warning still names A.
  const std::string unlimited = R"({"model": "unlimited"})";
  const std::vector<h2sim::Override> both{
      {"open_stations", R"(["B", "A"])"},
      {"stations.0.supply", unlimited},
      {"stations.1.storage", R"({"capacity_kg": 500, "initial_kg": 500})"},
      {"stations.1.supply", unlimited},
      {"stations.0.pressures", R"(["H35", "H70"])"},
      {"demand.classes.0.area.radius_km", "1"},
      {"demand.classes.1.area.x_km", "800"}};
  CHECK(warnings_of(scenario, both) ==
        "/stations/0/storage: is not drawn from: supply model unlimited never runs short, so no "
        "inventory or stockouts are modelled (economics still prices the storage); for a finite "
        "supply choose delivery, scheduled, pipeline, onsite, or none (the initial fill only) (so "
        "at 1 more station)\n");
  // A station never in service is not warned about: B alone is open.
  std::vector<h2sim::Override> only_b = both;
  only_b[0].value = R"(["B"])";
  CHECK(warnings_of(scenario, only_b) ==
        "/demand/classes/0/area: the nearest open station it can use is 800 road km from the "
        "area's centre, beyond a full tank's range (600 km): its vehicles will be towed "
        "(stranded), each counted when it reaches the station (from the centre, 20.0 h at 40 "
        "km/h, 0.8 days)\n"
        "/stations/1/storage: is not drawn from: supply model unlimited never runs short, so no "
        "inventory or stockouts are modelled (economics still prices the storage); for a finite "
        "supply choose delivery, scheduled, pipeline, onsite, or none (the initial fill only)\n");
  // Storage without a supply model is model none (its initial fill only): no warning.
  std::string no_model = scenario;
  const std::string model = R"(,
               "supply": {"model": "none"})";
  REQUIRE(no_model.find(model) != std::string::npos);
  no_model.erase(no_model.find(model), model.size());
  CHECK(warnings_of(no_model, {{"open_stations", R"(["B", "A"])"},
                               {"stations.0.pressures", R"(["H35", "H70"])"},
                               {"demand.classes.0.area.radius_km", "1"},
                               {"demand.classes.1.area.x_km", "800"}})
            .find("is not drawn from") == std::string::npos);
}

TEST_CASE("warnings: a pressure no station in the file fills is an error") {
  CHECK(problems_of(scenario, {{"stations.1.pressures", R"(["H35"])"}}) ==
        "/demand/classes/0/pressure: no station fills H70: the class could never refuel\n");
}

TEST_CASE("warnings: the metrics list them") {
  const auto metrics = h2sim::test::run_text(scenario);
  REQUIRE(metrics["warnings"].size() == 4);
  CHECK(metrics["warnings"][1]["pointer"] == "/demand/classes/0/pressure");
  CHECK(metrics["warnings"][3]["pointer"] == "/stations/0/storage/capacity_kg");
  CHECK(h2sim::test::run_text(h2sim::test::one_station(20, 2, "4"),
                              {{"horizon_days", "1"}})["warnings"] ==
        nlohmann::ordered_json::array());
}

TEST_CASE("warnings: trace rows the run ends before are counted, not dropped silently") {
  const std::string folder = std::string(H2SIM_SOURCE_DIR) + "/scenarios/trace";
  std::ifstream in(folder + "/example.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto warnings = [&](std::vector<h2sim::Override> sets) {
    std::string out;
    const h2sim::Scenario loaded = h2sim::load_scenario(text, sets, folder);
    for (const auto& warning : loaded.warnings()) {
      out += warning.pointer + ": " + warning.message + "\n";
    }
    return out;
  };
  CHECK(warnings({}).empty()); // a day: every row (the last at 6.3 h) is replayed
  // 14.4 minutes: the rows at 0.5, 1, 1.02 and 6.3 h come after it.
  CHECK(warnings({{"horizon_days", "0.01"}, {"warmup_days", "0"}}) ==
        "/demand/file: 4 of its 7 rows arrive at or after the run's end (day 0.01, warm-up "
        "included), from day 0.0208333 to day 0.2625: they are not replayed\n");
}
