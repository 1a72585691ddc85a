// A scheduled event's step re-reads only the values it changed (scenario::reread); it must read
// exactly what reading the whole document anew reads, problems included.
#include "core/params.hpp"
#include "models/scenario_spec.hpp"
#include "scenario/overrides.hpp"
#include "scenario/reader.hpp"

#include <doctest/doctest.h>

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
    default:
      out += "?"; // distributions, settings: no step changes them
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
      h2sim::scenario::apply_override(after, set, set_problems, changes, "");
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
