// The path language of --set (and --vary): wildcards, selection by id, relative operators, and
// what each changed.
#include "../support.hpp"
#include "models/demand/fleet.hpp"
#include "models/scenario_spec.hpp"
#include "models/supply/delivery.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>

using h2sim::test::problems_of;

namespace {
const std::string three = R"({"name": "three", "horizon_days": 1,
  "stations": [
    {"id": "A", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1},
    {"id": "B", "x_km": 1, "y_km": 0, "dispensers": 3, "fill_rate_kg_per_min": 1,
     "storage": {"capacity_kg": 1000, "initial_kg": 800},
     "supply": {"model": "delivery", "payload_kg": 500, "reorder_at_kg": 300,
                "lead_time_h": {"dist": "uniform", "min": 2, "max": 4}}},
    {"id": "JD-03", "x_km": 2, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1}],
  "demand": {"model": "fleet", "classes": [
    {"name": "taxi", "count": 100, "tank_kg": 5, "consumption_kg_per_100km": 1, "daily_km": 300,
     "refuel_at_fraction": 0.2, "speed_kmh": 30, "area": {"x_km": 0, "y_km": 0, "radius_km": 5}},
    {"name": "bus", "count": 10, "tank_kg": 30, "consumption_kg_per_100km": 8, "daily_km": 200,
     "refuel_at_fraction": 0.2, "speed_kmh": 30, "area": {"x_km": 0, "y_km": 0, "radius_km": 5}}]}})";

std::vector<int> dispensers(const h2sim::Scenario& scenario) {
  std::vector<int> counts;
  for (const auto& station : h2sim::models::spec_of(scenario).stations) {
    counts.push_back(station.dispensers);
  }
  return counts;
}
} // namespace

TEST_CASE("overrides: a wildcard sets every item, and each change is recorded") {
  const auto s = h2sim::load_scenario(three, {{"stations.*.dispensers", "3"}});
  CHECK(dispensers(s) == std::vector<int>{3, 3, 3});
  REQUIRE(s.changes().size() == 3);
  CHECK(s.changes()[0].set == "stations.*.dispensers=3");
  CHECK(s.changes()[0].pointer == "/stations/0/dispensers");
  CHECK(s.changes()[0].before == "2");
  CHECK(s.changes()[0].after == "3");
  CHECK(s.changes()[2].before == "1");
}

TEST_CASE("overrides: +=, -= and *= change numbers, and *= scales a distribution") {
  CHECK(dispensers(h2sim::load_scenario(three, {{"stations.*.dispensers+", "1"}})) ==
        std::vector<int>{3, 4, 2});
  CHECK(dispensers(h2sim::load_scenario(three, {{"/stations/1/dispensers-", "2"}})) ==
        std::vector<int>{2, 1, 1});
  const auto fewer = h2sim::load_scenario(three, {{"demand.classes.*.count*", "0.9"}});
  const auto& fleet = h2sim::models::spec_of(fewer).demand.as<h2sim::models::FleetParams>();
  CHECK(fleet.classes[0].count == 90);
  CHECK(fleet.classes[1].count == 9);
  // "Trailers take twice as long": a uniform 2-4 h becomes 4-8 h; stations without a lead time
  // are left alone.
  const auto slow = h2sim::load_scenario(three, {{"stations.*.supply.lead_time_h*", "2"}});
  const auto& delivery =
      h2sim::models::spec_of(slow).stations[1].supply.as<h2sim::models::DeliveryParams>();
  CHECK(delivery.lead_time_h.mean() == doctest::Approx(6.0));
  REQUIRE(slow.changes().size() == 1);
  CHECK(slow.changes()[0].after == R"({"dist":"uniform","max":8.0,"min":4.0})");
}

TEST_CASE("overrides: *= rounds only what takes an integer, not a number written without a point") {
  // fill_rate_kg_per_min 1 and payload_kg 500 are numbers: 0.3 and 0.501 of them were rounded to
  // 0 and 251; a pipeline's 50 kg/h *= 0.001 became 0, a cut pipeline.
  const auto scaled = h2sim::load_scenario(three, {{"stations.*.fill_rate_kg_per_min*", "0.3"},
                                                   {"stations[id=B].supply.payload_kg*", "0.501"},
                                                   {"stations.*.dispensers*", "1.4"},
                                                   {"open_stations", "3"},
                                                   {"open_stations*", "0.5"}});
  const auto& spec = h2sim::models::spec_of(scaled);
  CHECK(spec.stations[0].fill_rate_kg_per_min == doctest::Approx(0.3));
  CHECK(spec.stations[1].supply.as<h2sim::models::DeliveryParams>().payload_kg ==
        doctest::Approx(250.5));
  CHECK(dispensers(scaled) == std::vector<int>{3, 4, 1}); // 2.8, 4.2 and 1.4, rounded
  // open_stations 3 *= 0.5: 2 (the last change below).
  std::vector<std::string> after;
  for (const h2sim::Change& change : scaled.changes()) {
    after.push_back(change.after);
  }
  CHECK(after == std::vector<std::string>{"0.3", "0.3", "0.3", "250.5", "3", "4", "1", "3", "2"});
  // An integral result keeps the file's way of writing it.
  CHECK(
      h2sim::load_scenario(three, {{"stations.0.fill_rate_kg_per_min*", "2"}}).changes()[0].after ==
      "2");
}

TEST_CASE("overrides: a whole number written as a float, set where an integer goes, is recorded "
          "as an integer") {
  // --seed 1e3 was recorded as "after": 1000.0 while the scenario took 1000.
  const auto whole = h2sim::load_scenario(three, {{"seed", "1e3"},
                                                  {"stations.0.dispensers", "4.0"},
                                                  {"stations.0.fill_rate_kg_per_min", "2.0"}});
  REQUIRE(whole.changes().size() == 3);
  CHECK(whole.changes()[0].after == "1000");
  CHECK(whole.changes()[1].after == "4");
  CHECK(dispensers(whole) == std::vector<int>{4, 3, 1});
  CHECK(whole.changes()[0].takes_integer);
  CHECK(whole.changes()[1].takes_integer);
  // A number field keeps the float as written.
  CHECK(whole.changes()[2].after == "2.0");
  CHECK_FALSE(whole.changes()[2].takes_integer);
  // Up to the largest seed (2^53 - 1), past 9e15.
  CHECK(h2sim::load_scenario(three, {{"seed", "9.007199254740991e15"}}).changes()[0].after ==
        "9007199254740991");
  // open_stations takes a count (3.0 is 3), but an item of its list of names is no integer.
  const auto counted = h2sim::load_scenario(three, {{"open_stations", "3.0"}});
  CHECK(counted.changes()[0].after == "3");
  CHECK(counted.changes()[0].takes_integer);
  const auto named =
      h2sim::load_scenario(three, {{"open_stations", R"(["A"])"}, {"open_stations.0", "\"B\""}});
  CHECK_FALSE(named.changes()[1].takes_integer);
  // A fraction where an integer goes is still refused.
  CHECK_THROWS(h2sim::load_scenario(three, {{"stations.0.dispensers", "2.5"}}));
}

TEST_CASE("overrides: [key=value] selects items by id or name") {
  CHECK(dispensers(h2sim::load_scenario(three, {{"stations[id=JD-03].dispensers", "4"}})) ==
        std::vector<int>{2, 3, 4});
  const auto more = h2sim::load_scenario(three, {{"demand.classes[name=bus].count+", "5"}});
  CHECK(h2sim::models::spec_of(more).demand.as<h2sim::models::FleetParams>().classes[1].count ==
        15);
}

TEST_CASE("overrides: bad paths and operators name the override and why") {
  CHECK(problems_of(three, {{"stations[id=JD-99].dispensers", "4"}}) ==
        "/stations: --set stations[id=JD-99].dispensers=4: no item of /stations has id "
        "\"JD-99\"\n");
  CHECK(problems_of(three, {{"name.*", "4"}}) ==
        "/name: --set name.*=4: not an array (* selects items of an array)\n");
  CHECK(problems_of(three, {{"stations.*.nothing.here", "4"}}) ==
        "/stations/0/nothing: --set stations.*.nothing.here=4: no such value to set a key of (to "
        "add /stations/0/nothing, set it whole, as a JSON object)\n");
  // A list the file leaves out is set whole as an array (the hint said "object", then refused it).
  CHECK(problems_of(three, {{"depots.0.trailers", "1"}}) ==
        "/depots: --set depots.0.trailers=1: no such value to set a key of (to add /depots, set it "
        "whole, as a JSON array)\n");
  CHECK(problems_of(three, {{"pipelines.*.capacity_kg_per_h", "1"}}) ==
        "/pipelines: --set pipelines.*.capacity_kg_per_h=1: no such value to set a key of (to add "
        "/pipelines, set it whole, as a JSON array)\n");
  CHECK(problems_of(three, {{"stations.*.dispensers*", "two"}}) ==
        ": --set stations.*.dispensers*=two: *= needs a number\n");
  CHECK(problems_of(three, {{"stations.0.id*", "2"}}) ==
        "/stations/0/id: --set stations.0.id*=2: *= applies to a number or a distribution (got "
        "\"A\")\n");
  CHECK(problems_of(three, {{"stations.0.queue_capacity+", "1"}}) ==
        "/stations/0/queue_capacity: --set stations.0.queue_capacity+=1: no value to change\n");
  const std::string language =
      " (a path is dotted keys and indexes, stations.0.dispensers or stations[0].dispensers, with "
      "* for every item and [key=value] to pick items, stations[id=S1].dispensers; or a JSON "
      "pointer, /stations/0/dispensers)\n";
  CHECK(problems_of(three, {{"stations[id=A.dispensers", "2"}}) ==
        ": --set stations[id=A.dispensers=2: bad path" + language);
  CHECK(problems_of(three, {{"stations[].dispensers", "2"}}) ==
        ": --set stations[].dispensers=2: bad path" + language);
  // [N] is an index, as .N is: [0] was a bad path.
  CHECK(problems_of(three, {{"stations[1].dispensers", "0"}}) ==
        "/stations/1/dispensers: must be an integer >= 1\n");
  CHECK(problems_of(three, {{"stations[1]dispensers", "2"}}) ==
        ": --set stations[1]dispensers=2: bad path" + language);
  // The result is validated as a file is.
  CHECK(problems_of(three, {{"stations.*.dispensers-", "2"}}) ==
        "/stations/0/dispensers: must be an integer >= 1\n"
        "/stations/2/dispensers: must be an integer >= 1\n");
}

TEST_CASE(
    "overrides: a value meant as JSON that does not parse is a string, and a refusal says so") {
  // INTERFACE.md: VALUE is parsed as JSON, else taken as a string. Where the string is then
  // refused, the message says where the JSON broke (it said "must be an array" and no more).
  CHECK(problems_of(three, {{"stations.0.dispensers", "[1,2"}}) ==
        "/stations/0/dispensers: must be an integer >= 1 and <= 1000; --set "
        "stations.0.dispensers=[1,2 was "
        "taken as a string: not valid JSON at line 1, column 5: syntax error while "
        "parsing array - unexpected end of input; expected ']'\n");
  CHECK(problems_of(three, {{"events", R"([{"at_day": 1, "set": {"seed": 2}})"}}) ==
        "/events: must be an array; --set events=[{\"at_day\": 1, \"set\": {\"seed\": 2}} was "
        "taken as a string: not valid JSON at line 1, column 35: syntax error while "
        "parsing array - unexpected end of input; expected ']'\n");
  // A path that selects with = is named whole; the value in force is the last one given (a
  // plain word here: no hint); a long value is quoted briefly.
  CHECK(problems_of(three, {{"stations[id=A].dispensers", "[1,2"}}) ==
        "/stations/0/dispensers: must be an integer >= 1 and <= 1000; --set "
        "stations[id=A].dispensers=[1,2 was taken as a string: not valid JSON at line 1, column "
        "5: syntax error while parsing array - unexpected end of input; expected ']'\n");
  CHECK(problems_of(three, {{"stations.0.dispensers", "[1,2"}, {"stations.0.dispensers", "two"}}) ==
        "/stations/0/dispensers: must be an integer >= 1 and <= 1000\n");
  const std::string problem =
      problems_of(three, {{"stations.0.dispensers", "[" + std::string(100000, '1')}});
  CHECK(problem.size() < 400);
  CHECK(problem.find("[111111111111111111111111111111111111111... was taken as a string: ") !=
        std::string::npos);
  // A number out of range is no JSON number either: the refusal says so, as does +=.
  CHECK(problems_of(three, {{"stations.0.dispensers", "1e309"}}) ==
        "/stations/0/dispensers: must be an integer >= 1 and <= 1000; --set "
        "stations.0.dispensers=1e309 was taken as a string: a number is out of range: number "
        "overflow parsing '1e309'\n");
  CHECK(problems_of(three, {{"stations.0.dispensers+", "-1e309"}}) ==
        "/stations/0/dispensers: --set stations.0.dispensers+=-1e309: += needs a number (a "
        "number is out of range: "
        "number overflow parsing '-1e309')\n");
  // A string where a string goes is taken, as the contract says; plain words too.
  CHECK(h2sim::models::spec_of(h2sim::load_scenario(three, {{"name", "{draft"}})).name == "{draft");
  CHECK(h2sim::models::spec_of(h2sim::load_scenario(three, {{"name", "Shanghai"}})).name ==
        "Shanghai");
}

TEST_CASE("open_stations: a list of ids opens those stations, in the order of the file") {
  const h2sim::Scenario scenario =
      h2sim::load_scenario(three, {{"open_stations", R"(["JD-03", "A"])"}});
  REQUIRE(scenario.open_stations() == 2);
  const auto& stations = h2sim::models::spec_of(scenario).stations;
  CHECK(stations[0].id == "A");
  CHECK(stations[1].id == "JD-03");
  CHECK(stations[2].id == "B"); // closed stations follow, in the file's order
  CHECK(h2sim::models::spec_of(scenario).station_pointer(1) == "/stations/2");
  CHECK(h2sim::models::spec_of(scenario).station_pointer(2) == "/stations/1");
  // A count still opens the first N.
  CHECK(h2sim::models::spec_of(h2sim::load_scenario(three, {{"open_stations", "2"}}))
            .stations[1]
            .id == "B");
}

TEST_CASE("open_stations: a bad list names the item and why") {
  CHECK(problems_of(three, {{"open_stations", R"(["A", "B", "A"])"}}) ==
        "/open_stations/2: duplicate \"A\" (also /open_stations/0)\n");
  CHECK(problems_of(three, {{"open_stations", R"(["A", "Z"])"}}) ==
        "/open_stations/1: no station \"Z\" in /stations\n");
  CHECK(problems_of(three, {{"open_stations", "[]"}}) ==
        "/open_stations: must be an integer >= 1 and <= 1000000 or an array of at least 1 "
        "station ids\n");
  CHECK(problems_of(three, {{"open_stations", R"(["A", ""])"}}) ==
        "/open_stations/1: must be a non-empty string\n");
  CHECK(problems_of(three, {{"open_stations", "4"}}) ==
        "/open_stations: must be <= 3, the number of stations\n");
}

TEST_CASE("open_stations: listing the first N ids runs exactly as the count N") {
  auto by_count = h2sim::test::run_text(three, {{"open_stations", "2"}});
  auto by_ids = h2sim::test::run_text(three, {{"open_stations", R"(["B", "A"])"}});
  for (const char* key : {"run", "overrides"}) { // the runs and the overrides that made them
    by_count.erase(key);
    by_ids.erase(key);
  }
  CHECK(by_count.dump() == by_ids.dump());
  CHECK(by_ids["stations"].size() == 2);
}

TEST_CASE("overrides: a key an override added where it is unknown names the override") {
  const std::string unknown =
      "unknown key (allowed here: id, name, x_km, y_km, lat, lon, dispensers, "
      "fill_rate_kg_per_min, overhead_min, queue_capacity, arrivals_per_h, storage, supply, "
      "availability, pressures, buffer, economics); --set ";
  // A wildcard reaches every station: the hint goes with its first unknown key only.
  CHECK(problems_of(three, {{"stations.*.payload_kg", "600"}}) ==
        "/stations/0/payload_kg: " + unknown +
            "stations.*.payload_kg=600 added it (a wildcard adds a key to every item it reaches: "
            "pick the items that may have it with [key=value], e.g. "
            "stations[supply.model=...])\n"
            "/stations/1/payload_kg: " +
            unknown +
            "stations.*.payload_kg=600 added it\n"
            "/stations/2/payload_kg: " +
            unknown + "stations.*.payload_kg=600 added it\n");
  CHECK(problems_of(three, {{"stations.1.payload_kg", "600"}}) ==
        "/stations/1/payload_kg: " + unknown + "stations.1.payload_kg=600 added it\n");
  // An override names the option that gave it (a sweep's --vary).
  CHECK(problems_of(three, {{"stations.1.payload_kg", "600", "--vary"}}) ==
        "/stations/1/payload_kg: " + unknown.substr(0, unknown.size() - 6) +
            "--vary stations.1.payload_kg=600 added it\n");
  CHECK(problems_of(three, {{"stations.7.dispensers", "2", "--vary"}}) ==
        "/stations/7: --vary stations.7.dispensers=2: no such value to set a key of\n");
  // Slashes in a path that does not begin with one: a JSON pointer was meant.
  CHECK(problems_of(three, {{"stations/1/payload_kg", "600"}}) ==
        "/stations~11~1payload_kg: unknown key (allowed here: name, description, seed, "
        "horizon_days, warmup_days, replications, series_bin_days, open_stations, origin, "
        "stations, pipelines, depots, demand, service, events, economics); --set "
        "stations/1/payload_kg=600 added it (a path with / is a JSON pointer when it begins with "
        "/: /stations/1/payload_kg)\n");
  // A selection picked its items: its hint says so, not to pick them.
  CHECK(problems_of(three, {{"stations[id=B].payload", "600"}}) ==
        "/stations/1/payload: " + unknown +
            "stations[id=B].payload=600 added it (the items [key=value] picked do not take it: a "
            "misspelt key, or one of another model)\n");
  // A field that takes an integer, written 2.0, is rounded as one written 2 is.
  const auto written = h2sim::load_scenario(
      three, {{"stations.0.dispensers", "2.0"}, {"stations.0.dispensers*", "1.25"}});
  CHECK(written.changes().back().after == "3");
  // [N] is an index, no wildcard: no wildcard hint (a typo after it got one).
  CHECK(problems_of(three, {{"stations[1].payload_kg", "600"}}) ==
        "/stations/1/payload_kg: " + unknown + "stations[1].payload_kg=600 added it\n");
  // Slashes beside dots, brackets or a wildcard: prefixing a / would make no pointer of it, and
  // a wildcard keeps its own hint.
  CHECK(problems_of(three, {{"stations.1.payload/kg", "600"}}) ==
        "/stations/1/payload~1kg: " + unknown + "stations.1.payload/kg=600 added it\n");
  // A key the file had is not the override's doing.
  CHECK(problems_of(three, {{"stations.1.dispensers", "0"}}) ==
        "/stations/1/dispensers: must be an integer >= 1\n");
}

TEST_CASE("overrides: [key.key=value] selects items by a nested value") {
  const auto s = h2sim::load_scenario(three, {{"stations[supply.model=delivery].dispensers", "5"}});
  CHECK(dispensers(s) == std::vector<int>{2, 5, 1});
  // A value of a model that no item has picks nothing: a warning, as for a key under `*` that no
  // item has, whatever the operator (it was refused, so the README's own form stopped a
  // comparison of a pipeline-fed city with a trailer-fed one).
  for (const std::string path : {"stations[supply.model=pipeline].dispensers",
                                 "stations[supply.model=pipeline].supply.max_rate_kg_per_h*"}) {
    CAPTURE(path);
    const auto none = h2sim::load_scenario(three, {{path, "5"}});
    CHECK(dispensers(none) == std::vector<int>{2, 3, 1});
    CHECK(none.changes().empty());
    REQUIRE(none.warnings().size() == 1);
    CHECK(none.warnings()[0].pointer == "/stations");
    CHECK(none.warnings()[0].message == "--set " + path +
                                            "=5 changed nothing: no item of /stations has "
                                            "supply.model \"pipeline\"");
  }
  // A key or a model that no scenario has is a typo: refused, as before.
  CHECK(problems_of(three, {{"stations[dispenserz=2].dispensers", "3"}}) ==
        "/stations: --set stations[dispenserz=2].dispensers=3: no item of /stations has "
        "dispenserz \"2\"\n");
  CHECK(problems_of(three, {{"stations[supply.model=pipline].dispensers", "3"}}) ==
        "/stations: --set stations[supply.model=pipline].dispensers=3: no item of /stations has "
        "supply.model \"pipline\"\n");
  // A number selects by its value, as written or not: 3.0 is 3.
  CHECK(dispensers(h2sim::load_scenario(three, {{"stations[dispensers=3.0].dispensers", "4"}})) ==
        std::vector<int>{2, 4, 1});
  // An id or a name names one item: one that no item has stays refused (a typo).
  CHECK(problems_of(three, {{"demand.classes[name=tram].count", "5"}}) ==
        "/demand/classes: --set demand.classes[name=tram].count=5: no item of /demand/classes "
        "has name \"tram\"\n");
  // Under a `*`, items without the list selected in are passed over: where the others' lists
  // hold no such item it is the same warning (it was refused where some station had no
  // availability, and warned where all had one).
  const std::string maintenance =
      R"({"maintenance": [{"start_day": 2, "start_h": 0, "hours": 4}]})";
  const std::string path = "stations.*.availability.maintenance[start_day=5].hours";
  const auto unpicked =
      h2sim::load_scenario(three, {{"stations.1.availability", maintenance}, {path, "3"}});
  CHECK(unpicked.changes().size() == 1);
  REQUIRE(unpicked.warnings().size() == 1);
  CHECK(unpicked.warnings()[0].pointer == "/stations/1/availability/maintenance");
  CHECK(unpicked.warnings()[0].message ==
        "--set " + path +
            "=3 changed nothing: no item of /stations/1/availability/maintenance "
            "has start_day \"5\"");
  const auto picked = h2sim::load_scenario(
      three, {{"stations.1.availability", maintenance},
              {"stations.*.availability.maintenance[start_day=2].hours", "3"}});
  REQUIRE(picked.changes().size() == 2);
  CHECK(picked.changes()[1].pointer == "/stations/1/availability/maintenance/0/hours");
  CHECK(picked.warnings().empty());
  // The same with an operator: a warning at the list (not at an object some station lacks).
  const auto unpicked_scaled =
      h2sim::load_scenario(three, {{"stations.1.availability", maintenance}, {path + "*", "2"}});
  REQUIRE(unpicked_scaled.warnings().size() == 1);
  CHECK(unpicked_scaled.warnings()[0].pointer == "/stations/1/availability/maintenance");
  CHECK(unpicked_scaled.warnings()[0].message.ends_with(
      "changed nothing: no item of /stations/1/availability/maintenance has start_day \"5\""));
  // ... and a typo there stays refused, with an operator too (it was a warning).
  CHECK(problems_of(three, {{"stations.1.availability", maintenance},
                            {"stations.*.availability.maintenance[id=x].hours*", "2"}}) ==
        "/stations/1/availability/maintenance: --set "
        "stations.*.availability.maintenance[id=x].hours*=2: no item of "
        "/stations/1/availability/maintenance has id \"x\"\n");
  CHECK(problems_of(three, {{"stations.1.availability", maintenance},
                            {"stations.*.availability.maintenance[start_dai=5].hours", "3"}}) ==
        "/stations/1/availability/maintenance: --set "
        "stations.*.availability.maintenance[start_dai=5].hours=3: no item of "
        "/stations/1/availability/maintenance has start_dai \"5\"\n");
  // A selection that picks nothing stops a path that goes on past a problem no less.
  CHECK(problems_of(three, {{"stationz[supply.model=pipeline].dispensers", "5"}}) ==
        "/stationz: --set stationz[supply.model=pipeline].dispensers=5: no such value to set a "
        "key of (to add /stationz, set it whole, as a JSON array)\n");
}

TEST_CASE("overrides: +, - or * under a wildcard that no item has the key for is a warning") {
  // One --set goes to every scenario of a comparison (lead_time_h*=2 to a pipeline-fed city too)
  // and every point of a sweep: a key of a model this scenario does not use changes nothing, and
  // says so. A key no scenario may have (stations.*.dispenser+=1, misspelt) is refused: it
  // changed nothing and said nothing, and a sweep over it ran one design at every point; then
  // it only warned, and a scenario's own event with it ran without its outage.
  const auto unused = h2sim::load_scenario(three, {{"stations.*.queue_capacity+", "1"}});
  CHECK(dispensers(unused) == std::vector<int>{2, 3, 1});
  REQUIRE(unused.warnings().size() == 1);
  CHECK(unused.warnings()[0].pointer == "/stations/0/queue_capacity");
  CHECK(unused.warnings()[0].message ==
        "--set stations.*.queue_capacity+=1 changed nothing: no item it selects has this key "
        "(misspelt, or of a model the scenario does not use)");
  const auto selected = h2sim::load_scenario(three, {{"stations[id=A].queue_capacity*", "3"}});
  REQUIRE(selected.warnings().size() == 1);
  CHECK(selected.warnings()[0].pointer == "/stations/0/queue_capacity");
  CHECK(problems_of(three, {{"stations.*.dispenser+", "1"}}) ==
        "/stations/0/dispenser: --set stations.*.dispenser+=1: no scenario may have this key "
        "(misspelt?)\n");
  CHECK(problems_of(three, {{"stations[id=A].nosuch*", "3"}}) ==
        "/stations/0/nosuch: --set stations[id=A].nosuch*=3: no scenario may have this key "
        "(misspelt?)\n");
  // A distribution's parameter is a key some scenario may have: a warning where none has it.
  CHECK(
      h2sim::load_scenario(three, {{"stations.*.supply.lead_time_h.sd*", "2"}}).warnings().size() ==
      1);
  // Where some item has it, the others are passed over quietly.
  CHECK(h2sim::load_scenario(three, {{"stations.*.supply.lead_time_h*", "2"}}).warnings().empty());
  // Where no item has even the object it is in (stations without supply, no pipelines): the
  // same warning. It was refused, which stopped a comparison with a scenario of other models.
  const auto no_supply = h2sim::load_scenario(
      three, {{"stations.1", R"({"id": "B", "x_km": 1, "y_km": 0, "dispensers": 3,
                                 "fill_rate_kg_per_min": 1})"},
              {"stations.*.supply.lead_time_h*", "2"},
              {"pipelines.*.capacity_kg_per_h*", "0.5"}});
  REQUIRE(no_supply.warnings().size() == 2);
  CHECK(no_supply.warnings()[0].pointer == "/stations/0/supply");
  CHECK(no_supply.warnings()[1].pointer == "/pipelines");
  // An empty list: the same.
  const auto empty =
      h2sim::load_scenario(three, {{"pipelines", "[]"}, {"pipelines.*.capacity_kg_per_h*", "0.5"}});
  REQUIRE(empty.warnings().size() == 1);
  CHECK(empty.warnings()[0].pointer == "/pipelines");
  // A key no model has, before the wildcard, is a typo: refused, not passed over.
  CHECK(problems_of(three, {{"stationz.*.dispensers*", "2"}}) ==
        "/stationz: --set stationz.*.dispensers*=2: no such value to set a key of (to add "
        "/stationz, set it whole, as a JSON array)\n");
  CHECK(problems_of(three, {{"demand.clases.*.count*", "2"}}).starts_with("/demand/clases: "));
  // `pipeline` is a key (a pipeline supply's text), but holds no items: a typo for pipelines.
  CHECK(problems_of(three, {{"pipeline.*.capacity_kg_per_h*", "0.5"}}).starts_with("/pipeline: "));
  // A plain = cannot set a key of what is not there: still refused.
  CHECK(
      problems_of(three, {{"stations.*.nothing.here", "4"}}).starts_with("/stations/0/nothing: "));
  // The same in a scheduled event, named by the event's set.
  const auto event = h2sim::load_scenario(
      three, {{"events", R"([{"at_day": 0.5, "set": {"stations.*.queue_capacity+": 1}}])"}});
  REQUIRE(event.warnings().size() == 1);
  CHECK(event.warnings()[0].pointer == "/events/0/set/stations.*.queue_capacity+");
  CHECK(event.warnings()[0].message ==
        "stations.*.queue_capacity+=1 changed nothing: no item it selects has this key (misspelt, "
        "or of a model the scenario does not use)");
  // A misspelt key in an event's cut ran the scenario without its outage, with a warning.
  CHECK(problems_of(three, {{"events", R"([{"at_day": 0.5, "until_day": 0.8,
                                            "set": {"stations.*.fill_rate_kg_per_mn*": 0.01}}])"}}) ==
        "/events/0/set/stations.*.fill_rate_kg_per_mn*: stations.*.fill_rate_kg_per_mn*=0.01: no "
        "scenario may have this key (misspelt?)\n");
}
