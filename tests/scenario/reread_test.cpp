// A scheduled event's step re-reads only the values it changed (scenario::reread); it must read
// exactly what reading the whole document anew reads, problems included.
#include "../support.hpp"
#include "core/params.hpp"
#include "models/scenario_spec.hpp"
#include "scenario/overrides.hpp"
#include "scenario/reader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

namespace {

using h2sim::params::Field;
using h2sim::params::Kind;
using h2sim::params::Table;
using nlohmann::json;

/** Every value `table` declares in the struct at `self`, as text: structs read alike print alike.
 */
void print(const Table& table, const void* self, std::string& out) {
  for (const Field& field : table.fields) {
    const void* member = field.find(self);
    out += field.key + (member == nullptr ? "=none " : "=");
    if (member == nullptr) {
      continue;
    }
    switch (field.kind) {
    case Kind::number:
    case Kind::integer:
      out += json(field.get_number(self)).dump();
      break;
    case Kind::text:
    case Kind::choice:
      out += *static_cast<const std::string*>(member);
      break;
    case Kind::count_or_names: {
      const auto& chosen = *static_cast<const h2sim::params::CountOrNames*>(member);
      out += (chosen.count ? std::to_string(*chosen.count) : "-") + json(chosen.names).dump();
      break;
    }
    case Kind::numbers:
      out += json(*static_cast<const std::vector<double>*>(member)).dump();
      break;
    case Kind::object:
      out += "{";
      print(*field.table, member, out);
      out += "}";
      break;
    case Kind::list:
      out += "[";
      for (std::size_t i = 0; i < field.size(self); ++i) {
        out += "{";
        print(*field.table, field.item(self, i), out);
        out += "}";
      }
      out += "]";
      break;
    case Kind::model: {
      const auto& model = *static_cast<const h2sim::params::Model*>(member);
      out += model.name() + "(";
      if (model.has_params()) {
        print(*field.catalog->find(model.name()), model.params(), out);
      }
      out += ")";
      break;
    }
    case Kind::distribution:
      out += "mean " + json(static_cast<const h2sim::Distribution*>(member)->mean()).dump();
      break;
    case Kind::number_or_auto: {
      const auto& number = *static_cast<const h2sim::params::NumberOrAuto*>(member);
      out += number.automatic ? "auto" : json(number.value).dump();
      break;
    }
    default:
      out += "?"; // choices, settings: no step changes them
      break;
    }
    out += " ";
  }
}

std::string printed(const h2sim::models::ScenarioSpec& spec) {
  std::string out;
  print(h2sim::models::scenario_table(), &spec, out);
  return out;
}

std::string problems_text(const std::vector<h2sim::Problem>& problems) {
  std::string out;
  for (const h2sim::Problem& problem : problems) {
    out += problem.pointer + ": " + problem.message + "\n";
  }
  return out;
}

json buildout() {
  std::ifstream in(std::string(H2SIM_SOURCE_DIR) + "/scenarios/shanghai-buildout.json");
  json document = json::parse(in);
  document.erase("events");
  return document;
}

} // namespace

TEST_CASE("reread: a step re-read from the step before reads what a whole read of it reads") {
  const Table& table = h2sim::models::scenario_table();
  const json before = buildout();
  h2sim::models::ScenarioSpec read_before;
  std::vector<h2sim::Problem> problems;
  h2sim::scenario::read(before, table, &read_before, problems);
  REQUIRE(problems.empty());
  REQUIRE(read_before.stations[0].supply.name() == "delivery");
  // Every kind of value a step changes, valid and not: a count, names (after a count), numbers of
  // a list's items, parameters inside a model, a fleet's class, several at once.
  const std::vector<std::vector<h2sim::Override>> steps{
      {{"open_stations", "30"}},
      {{"open_stations", R"(["PD-01", "CT-01", "JD-02"])"}},
      {{"pipelines.0.capacity_kg_per_h", "10"}},
      {{"stations.0.supply.payload_kg", "700"}, {"stations.0.supply.reorder_at_kg", "150"}},
      {{"stations.*.supply.reorder_at_kg+", "10"}},
      {{"stations.*.supply.lead_time_h*", "2"}},
      {{"demand.classes[name=taxi_day].count", "5"}, {"open_stations", "12"}},
      {{"pipelines.0.capacity_kg_per_h", "-1"}},
      {{"open_stations", R"(["PD-01", "nowhere"])"}},
      {{"open_stations", "1000"}},
      {{"stations.0.supply.payload_kg", "1e9"}},
      {{"demand.classes.0.count", "0"}}};
  for (const auto& step : steps) {
    CAPTURE(step.front().path);
    json after = before;
    std::vector<h2sim::Problem> set_problems;
    std::vector<h2sim::Change> changes;
    for (const h2sim::Override& set : step) {
      h2sim::scenario::apply_override(after, set, set_problems, changes);
    }
    REQUIRE(set_problems.empty());
    std::vector<std::string> changed;
    for (const h2sim::Change& change : changes) {
      changed.push_back(change.pointer);
    }
    h2sim::models::ScenarioSpec whole;
    std::vector<h2sim::Problem> whole_problems;
    h2sim::scenario::read(after, table, &whole, whole_problems);
    h2sim::models::ScenarioSpec again = read_before;
    std::vector<h2sim::Problem> again_problems;
    REQUIRE(h2sim::scenario::reread(after, table, &again, changed, again_problems));
    CHECK(problems_text(again_problems) == problems_text(whole_problems));
    if (whole_problems.empty()) {
      CHECK((printed(again) == printed(whole))); // no decomposing: the texts are 100 kB
      CHECK((printed(again) != printed(read_before)));
    }
  }
  // The step before is left as it was: a model's parameters are shared between copies.
  h2sim::models::ScenarioSpec unchanged;
  std::vector<h2sim::Problem> none;
  h2sim::scenario::read(before, table, &unchanged, none);
  CHECK((printed(read_before) == printed(unchanged)));
}

TEST_CASE("reread: what it cannot re-read alone it leaves to a whole read, untouched") {
  const Table& table = h2sim::models::scenario_table();
  json document = buildout();
  h2sim::models::ScenarioSpec spec;
  std::vector<h2sim::Problem> problems;
  h2sim::scenario::read(document, table, &spec, problems);
  REQUIRE(problems.empty());
  const std::string printed_before = printed(spec);
  document.erase("open_stations"); // an event that set it has ended: the file has none
  for (const std::string& pointer :
       {std::string("/open_stations"), std::string("/stations/0"), std::string("/stations/0/id"),
        std::string("/nonsense"), std::string("/stations/999/dispensers")}) {
    CAPTURE(pointer);
    CHECK_FALSE(h2sim::scenario::reread(document, table, &spec, {pointer}, problems));
    CHECK(problems.empty());
    CHECK((printed(spec) == printed_before));
  }
}

namespace {

/** A station supplied by trailers from a depot, a pipeline to nowhere, and `events`. */
std::string with_events(const std::string& events) {
  return R"({"name": "steps", "horizon_days": 1,
    "stations": [{"id": "S1", "x_km": 10, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1.8,
                  "storage": {"capacity_kg": 1000, "initial_kg": 400},
                  "supply": {"model": "delivery", "payload_kg": 500, "reorder_at_kg": 300,
                             "lead_time_h": 0.5, "depot": "D0"}},
                 {"id": "S2", "x_km": 0, "y_km": 5, "dispensers": 1, "fill_rate_kg_per_min": 1,
                  "storage": {"capacity_kg": 500, "initial_kg": 500},
                  "supply": {"model": "pipeline", "pipeline": "P1", "max_rate_kg_per_h": 50}}],
    "pipelines": [{"id": "P1", "capacity_kg_per_h": 100}],
    "depots": [{"id": "D0", "x_km": 0, "y_km": 0, "trailers": 1, "speed_kmh": 50}],
    "demand": {"model": "poisson", "arrivals_per_h": 10, "kg_per_fill": 4},
    "events": )" +
         events + "}";
}

/**
 * Every step of `text`'s timeline against a whole read of the file with the events in force then
 * applied in the order they started (at one time, in file order; a set's paths in key order).
 */
void check_steps(const std::string& text) {
  const h2sim::Scenario scenario = h2sim::load_scenario(text);
  const h2sim::models::ScenarioSpec& spec = h2sim::models::spec_of(scenario);
  json file = json::parse(text);
  const json events = file["events"];
  file.erase("events");
  REQUIRE(!spec.timeline.empty());
  for (const h2sim::models::Step& step : spec.timeline) {
    CAPTURE(step.at_min);
    std::vector<std::pair<double, std::size_t>> in_force;
    for (std::size_t e = 0; e < events.size(); ++e) {
      const double at = events[e]["at_day"].get<double>() * 1440;
      const bool ended = events[e].contains("until_day") &&
                         events[e]["until_day"].get<double>() * 1440 <= step.at_min;
      if (at <= step.at_min && !ended) {
        in_force.emplace_back(at, e);
      }
    }
    std::sort(in_force.begin(), in_force.end());
    json state = file;
    std::vector<h2sim::Problem> unmatched; // a selection that matches nothing (any more)
    std::vector<h2sim::Change> changes;
    for (const auto& [at, e] : in_force) {
      for (const auto& [path, value] : events[e]["set"].items()) {
        h2sim::scenario::apply_override(state, {path, value.dump(), ""}, unmatched, changes);
      }
    }
    std::vector<h2sim::Problem> problems;
    h2sim::models::ScenarioSpec whole;
    h2sim::scenario::read(state, h2sim::models::scenario_table(), &whole, problems);
    REQUIRE(problems.empty());
    CHECK(printed(*step.state) == printed(whole));
  }
}

} // namespace

TEST_CASE("reread: every step of a timeline reads as the file with the events in force") {
  // An event in force selects by a value an ended one changed: when that one ends, the selection
  // moves, and the value it had set goes back to the file's (trailers stayed 0: the run had a
  // depot with no trailers for the rest of the day).
  check_steps(with_events(R"([{"at_day": 0.1, "until_day": 0.3, "set": {"depots.0.speed_kmh": 40}},
                  {"at_day": 0.2, "set": {"depots[speed_kmh=40].trailers": 0}}])"));
  const h2sim::Scenario selected = h2sim::load_scenario(
      with_events(R"([{"at_day": 0.1, "until_day": 0.3, "set": {"depots.0.speed_kmh": 40}},
                      {"at_day": 0.2, "set": {"depots[speed_kmh=40].trailers": 0}}])"));
  std::vector<int> trailers;
  for (const auto& step : h2sim::models::spec_of(selected).timeline) {
    trailers.push_back(step.state->depots.at(0).trailers);
  }
  CHECK(trailers == std::vector<int>{1, 0, 1});
  // Events that overlap on one value (one relative), end on the day another starts, and change a
  // model's parameters, with several paths to one value.
  check_steps(with_events(R"([
    {"at_day": 0.1, "until_day": 0.5, "set": {"pipelines.0.capacity_kg_per_h": 10}},
    {"at_day": 0.2, "until_day": 0.3, "set": {"pipelines[id=P1].capacity_kg_per_h*": 2,
                                              "pipelines.0.capacity_kg_per_h+": 1}},
    {"at_day": 0.3, "set": {"depots.0.trailers": 3, "depots[id=D0].trailers+": 1}},
    {"at_day": 0.15, "until_day": 0.4, "set": {"stations.0.supply.payload_kg": 700,
                                               "stations[id=S1].supply.reorder_at_kg": 100}},
    {"at_day": 0.4, "until_day": 0.6, "set": {"stations.0.supply.payload_kg": 900}},
    {"at_day": 0.25, "until_day": 0.45, "set": {"stations.0.supply.lead_time_h*": 3}}])"));
}

TEST_CASE("reread: a step with problems reports them as a whole read does, in its order") {
  // The same invalid event as the first step and as the second: the same problems, once each,
  // in the same order (they came in the order of the set's paths, one of them twice).
  const std::string invalid = R"({"at_day": 0.1, "set": {"depots.0.trailers": -1,
      "depots[id=D0].trailers": -1, "pipelines.0.capacity_kg_per_h": -5}})";
  const std::string first = h2sim::test::problems_of(with_events("[" + invalid + "]"));
  const std::string second = h2sim::test::problems_of(with_events(
      "[" + invalid + R"(, {"at_day": 0.05, "set": {"pipelines.0.capacity_kg_per_h": 20}}])"));
  CHECK(first == second);
  CHECK(first.find("/depots/0/trailers") == first.rfind("/depots/0/trailers"));
}
