#include "../support.hpp"
#include "models/demand/poisson.hpp"
#include "models/scenario_spec.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>

#include <string>

using h2sim::load_scenario;
using h2sim::ScenarioError;

namespace {
/** Every problem of a scenario as "pointer: message" lines. */
std::string problems_of(const std::string& json, std::vector<h2sim::Override> sets = {}) {
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

const std::string good = h2sim::test::one_station(20, 2, "4");
} // namespace

TEST_CASE("scenario: a good scenario loads with its values and defaults") {
  const h2sim::Scenario s = load_scenario(good);
  CHECK(s.name() == "test");
  CHECK(s.seed() == 7);
  CHECK(s.replications() == 1);
  CHECK(s.open_stations() == 1);
  CHECK(h2sim::models::spec_of(s).stations[0].dispensers == 2);
  CHECK_FALSE(h2sim::models::spec_of(s).stations[0].queue_capacity.has_value());
  CHECK(h2sim::models::spec_of(s).demand.as<h2sim::models::PoissonParams>().arrivals_per_h == 20);
}

TEST_CASE("scenario: malformed JSON names the line and column") {
  CHECK(problems_of("{\n  \"name\": \"x\",\n  oops\n}") ==
        ": not valid JSON at line 3, column 3: syntax error while parsing object key - invalid "
        "literal; last read: '\"x\",<U+000A>  o'; expected string literal\n");
}

TEST_CASE("scenario: an h2sim output given as a scenario is one problem that says so") {
  // It was one "unknown key" per key of the metrics (438 for a small city), --set or not.
  CHECK(problems_of(R"({"h2sim_version": "0.1.0", "scenario": "x", "totals": {"served": 1}})",
                    {{"horizon_days", "2"}}) ==
        ": an h2sim output (a run's metrics, or the result of a sweep, size, site or compare), "
        "not a scenario\n");
  // A sweep's, size's, site's or compare's result has no version at its top, but its run block
  // says what made it.
  CHECK(problems_of(R"({"points": [], "run": {"wall_s": 1, "provenance": {}}})") ==
        ": an h2sim output (a run's metrics, or the result of a sweep, size, site or compare), "
        "not a scenario\n");
}

TEST_CASE("scenario: every problem is reported at once, each with its JSON pointer") {
  const std::string bad = R"({"name": "bad", "horizon_days": -1, "colour": "red",
    "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 0, "fill_rate_kg_per_min": "fast"},
                 {"id": "S2", "x_km": 0, "dispensers": 2.5, "fill_rate_kg_per_min": 1, "queue_capacity": -1}],
    "demand": {"model": "poisson", "arrivals_per_h": 10, "kg_per_fill": {"dist": "weibull"}}})";
  CHECK(problems_of(bad) ==
        "/horizon_days: must be a number >= 0.001\n"
        "/stations/0/dispensers: must be an integer >= 1\n"
        "/stations/0/fill_rate_kg_per_min: must be a number >= 0.001 and <= 1000\n"
        "/stations/1/y_km: is required: a number >= -100000 and <= 100000\n"
        "/stations/1/dispensers: must be an integer >= 1 and <= 1000\n"
        "/stations/1/queue_capacity: must be an integer >= 0\n"
        "/demand/kg_per_fill/dist: must be one of fixed, exponential, uniform, normal, lognormal, "
        "gamma, empirical (got \"weibull\")\n"
        "/colour: unknown key (allowed here: name, description, seed, horizon_days, warmup_days, "
        "replications, series_bin_days, open_stations, origin, stations, pipelines, depots, "
        "demand, "
        "service, events, economics)\n");
}

TEST_CASE("scenario: a typo in a key is an error, not a silent default") {
  CHECK(problems_of(h2sim::test::one_station(20, 2, "4", R"(, "overhead_mins": 2)")) ==
        "/stations/0/overhead_mins: unknown key (allowed here: id, name, x_km, y_km, lat, lon, "
        "dispensers, "
        "fill_rate_kg_per_min, overhead_min, queue_capacity, arrivals_per_h, storage, supply, "
        "availability, pressures, buffer, economics)\n");
}

TEST_CASE("scenario: relations between values are checked") {
  SUBCASE("duplicate station ids") {
    const std::string json = R"({"name": "d", "horizon_days": 1,
      "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1},
                   {"id": "A", "x_km": 1, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1}],
      "demand": {"model": "poisson", "arrivals_per_h": 1, "kg_per_fill": 1}})";
    CHECK(problems_of(json) == "/stations/1/id: duplicate id \"A\" (also /stations/0/id)\n");
  }
  SUBCASE("more open stations than stations") {
    CHECK(problems_of(h2sim::test::one_station(20, 2, "4", "", R"(, "open_stations": 3)")) ==
          "/open_stations: must be <= 1, the number of stations\n");
  }
  SUBCASE("initial storage above capacity") {
    CHECK(problems_of(h2sim::test::one_station(
              20, 2, "4", R"(, "storage": {"capacity_kg": 100, "initial_kg": 150})")) ==
          "/stations/0/storage/initial_kg: must be <= capacity_kg\n");
  }
  SUBCASE("uniform with min above max") {
    CHECK(problems_of(
              h2sim::test::one_station(20, 2, R"({"dist": "uniform", "min": 5, "max": 2})")) ==
          "/demand/kg_per_fill/max: must be >= min\n");
  }
  SUBCASE("empirical weights that do not match the values") {
    CHECK(problems_of(h2sim::test::one_station(
              20, 2, R"({"dist": "empirical", "values": [1, 2], "weights": [1]})")) ==
          "/demand/kg_per_fill/weights: must have one weight per value (2)\n");
  }
}

TEST_CASE("scenario: bad supply input names the field") {
  using h2sim::test::one_station;
  CHECK(problems_of(one_station(20, 2, "4", R"(, "supply": {"model": "trailer"})")) ==
        "/stations/0/supply/model: must be one of unlimited, none, delivery, pipeline, onsite, "
        "scheduled "
        "(got \"trailer\")\n");
  CHECK(problems_of(one_station(20, 2, "4", R"(, "supply": {"model": "none"})")) ==
        "/stations/0/storage: is required with supply model none\n");
  const std::string storage = R"(, "storage": {"capacity_kg": 100, "initial_kg": 50})";
  CHECK(problems_of(one_station(20, 2, "4",
                                storage + R"(, "supply": {"model": "pipeline", "pipeline": "P9",
                                  "max_rate_kg_per_h": 5})",
                                R"(, "pipelines": [{"id": "P1", "capacity_kg_per_h": 10}])")) ==
        "/stations/0/supply/pipeline: no pipeline \"P9\" in /pipelines\n");
  CHECK(problems_of(one_station(20, 2, "4",
                                storage + R"(, "supply": {"model": "onsite", "rate_kg_per_h": -1,
                                  "hourly_profile": [1, 2]})")) ==
        "/stations/0/supply/rate_kg_per_h: must be a number >= 0\n"
        "/stations/0/supply/hourly_profile: must be an array of exactly 24 items\n");
  CHECK(problems_of(one_station(20, 2, "4",
                                R"(, "storage": {"capacity_kg": 100, "initial_kg": 150},
                                  "supply": {"model": "delivery", "payload_kg": 0,
                                  "reorder_at_kg": 100, "lead_time_h": 2})")) ==
        "/stations/0/supply/payload_kg: must be a number >= 1\n"
        "/stations/0/storage/initial_kg: must be <= capacity_kg\n"
        "/stations/0/supply/reorder_at_kg: must be < storage.capacity_kg\n");
}

TEST_CASE("scenario: --set overrides by dotted path or JSON pointer, then validates") {
  const h2sim::Scenario s = load_scenario(
      good,
      {{"stations.0.dispensers", "5"}, {"/demand/arrivals_per_h", "12.5"}, {"name", "renamed"}});
  CHECK(h2sim::models::spec_of(s).stations[0].dispensers == 5);
  CHECK(h2sim::models::spec_of(s).demand.as<h2sim::models::PoissonParams>().arrivals_per_h == 12.5);
  CHECK(s.name() == "renamed");
  CHECK(problems_of(good, {{"stations.0.dispensers", "-2"}}) ==
        "/stations/0/dispensers: must be an integer >= 1\n");
  CHECK(problems_of(good, {{"stations.4.dispensers", "2"}}) ==
        "/stations/4: --set stations.4.dispensers=2: no such value to set a key of\n");
  CHECK(problems_of(good, {{"stations.3", "2"}}) ==
        "/stations/3: --set stations.3=2: index out of range (the array has 1 items)\n");
  CHECK(problems_of(good, {{"horizon_dys", "2"}}).find("/horizon_dys: unknown key") == 0);
}

TEST_CASE("scenario: the schema printed by `h2sim schema` describes the same keys") {
  const nlohmann::ordered_json schema = h2sim::scenario_json_schema();
  CHECK(schema["type"] == "object");
  CHECK(schema["additionalProperties"] == false);
  const auto& station = schema["properties"]["stations"]["items"];
  CHECK(station["properties"]["dispensers"]["type"] == "integer");
  CHECK(station["properties"]["dispensers"]["minimum"] == 1.0);
  CHECK(schema["properties"]["demand"]["oneOf"].size() == 3);
}

TEST_CASE("scenario: the built-in default scenario is valid") {
  const h2sim::Scenario s = load_scenario(h2sim::default_scenario_text());
  CHECK(s.name() == "shanghai-2025");
  CHECK(s.stations() == 70);
}
