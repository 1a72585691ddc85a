#include "../support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

using h2sim::test::event_log;
using h2sim::test::one_station;
using h2sim::test::run_text;

namespace {
nlohmann::ordered_json without_run(nlohmann::ordered_json metrics) {
  metrics.erase("run");
  return metrics;
}
/**
 * Every shipped scenario (a national one scaled down) and a storm of shared flows: a pipeline
 * narrower than its stations' draws, cut for a while, a compressor, trailers from a depot,
 * on-site production and a timetable, all in one small city.
 */
std::vector<h2sim::Scenario> engine_checks() {
  namespace fs = std::filesystem;
  std::vector<h2sim::Scenario> scenarios;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(H2SIM_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<h2sim::Override> sets = h2sim::test::national_scale_down(text);
    sets.push_back({"horizon_days", "4"});
    sets.push_back({"warmup_days", "0.5"});
    scenarios.push_back(h2sim::load_scenario(text, sets, entry.path().parent_path().string()));
  }
  scenarios.push_back(h2sim::load_scenario(R"({"name": "storm", "seed": 5, "horizon_days": 6,
    "warmup_days": 0.5, "replications": 2,
    "stations": [
      {"id": "A", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1.8,
       "overhead_min": 2, "arrivals_per_h": 14, "storage": {"capacity_kg": 200, "initial_kg": 200},
       "supply": {"model": "pipeline", "pipeline": "P", "max_rate_kg_per_h": 40}},
      {"id": "A2", "x_km": 1, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1.8,
       "overhead_min": 2, "arrivals_per_h": 10, "storage": {"capacity_kg": 150, "initial_kg": 20},
       "supply": {"model": "pipeline", "pipeline": "P", "max_rate_kg_per_h": 35}},
      {"id": "B", "x_km": 10, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1.8,
       "overhead_min": 2, "arrivals_per_h": 5, "storage": {"capacity_kg": 1000, "initial_kg": 800},
       "supply": {"model": "delivery", "payload_kg": 500, "reorder_at_kg": 300, "lead_time_h": 4,
                  "depot": "D"}},
      {"id": "C", "x_km": 5, "y_km": 5, "dispensers": 1, "fill_rate_kg_per_min": 1.8,
       "overhead_min": 2, "buffer": {"capacity_kg": 20, "compressor_kg_per_h": 30},
       "storage": {"capacity_kg": 500, "initial_kg": 300},
       "supply": {"model": "onsite", "rate_kg_per_h": 20}},
      {"id": "E", "x_km": -5, "y_km": 5, "dispensers": 1, "fill_rate_kg_per_min": 1.8,
       "queue_capacity": 3, "storage": {"capacity_kg": 500, "initial_kg": 300},
       "supply": {"model": "scheduled", "payload_kg": 200, "every_h": 6}}],
    "pipelines": [{"id": "P", "capacity_kg_per_h": 50}],
    "depots": [{"id": "D", "x_km": 20, "y_km": 0, "trailers": 1, "speed_kmh": 40}],
    "events": [{"at_day": 1.3, "until_day": 2, "set": {"pipelines.0.capacity_kg_per_h": 0}},
               {"at_day": 3.2, "until_day": 3.5, "set": {"pipelines.0.capacity_kg_per_h": 10}}],
    "demand": {"model": "poisson", "arrivals_per_h": 6,
               "kg_per_fill": {"dist": "uniform", "min": 2, "max": 6}}})"));
  return scenarios;
}
/** Sets an environment variable while it lives (the engine's checks), whatever a test throws. */
class ScopedVariable {
public:
  ScopedVariable(const char* name, const char* value) : name_(name) {
    REQUIRE(::setenv(name, value, 1) == 0);
  }
  ~ScopedVariable() { ::unsetenv(name_); }
  ScopedVariable(const ScopedVariable&) = delete;
  ScopedVariable& operator=(const ScopedVariable&) = delete;

private:
  const char* name_;
};

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

TEST_CASE("engine: what becomes of visits moves no arrival, nor another visit's draws") {
  // Common random numbers: a what-if of queue capacity, dispensers, patience or fill times sees
  // the same vehicles arrive. Fill times were drawn from the arrival stream, and only for the
  // vehicles admitted: a queue_capacity of 0 gave 461 arrivals in a day, 100 gave 444.
  const std::string base = R"({"name": "crn", "seed": 5, "horizon_days": 2, "warmup_days": 0,
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1}],
    "service": {"fill_time_min": {"dist": "exponential", "mean": 5}},
    "demand": {"model": "poisson", "arrivals_per_h": 20,
               "kg_per_fill": {"dist": "exponential", "mean": 4}}})";
  const auto arrivals = [](const nlohmann::ordered_json& metrics) {
    return metrics["totals"]["hourly"]["arrivals"].dump();
  };
  const auto reference = run_text(base);
  const std::vector<std::vector<h2sim::Override>> what_ifs{
      {{"stations.0.queue_capacity", "0"}},
      {{"stations.0.queue_capacity", "1"}},
      {{"stations.0.dispensers", "1"}},
      {{"demand.driver", R"({"patience_min": {"dist": "exponential", "mean": 5}})"}},
      {{"demand.driver", R"({"balk_if_waiting_over": 0})"}},
      {{"service.fill_time_min", "5"}}};
  for (const auto& what_if : what_ifs) {
    CAPTURE(what_if.front().path);
    const auto changed = run_text(base, what_if);
    CHECK(changed["totals"].dump() != reference["totals"].dump()); // what became of them did
    CHECK(arrivals(changed) == arrivals(reference));
  }
  // Each visit draws its own: one served at a queue of capacity 0, or by impatient drivers, or
  // asking for other fills, fills as long as it did (and what it did) when every vehicle was let
  // wait (visits are numbered by arrival, which did not move). Patience was drawn before the fill
  // time, from one stream: with it, not one served visit of 1,019 kept its fill time.
  const auto fills = [&](const std::vector<h2sim::Override>& sets) {
    return h2sim::test::logged_fills(event_log(h2sim::load_scenario(base, sets)), 1);
  };
  const auto all = fills({});
  struct WhatIf {
    h2sim::Override set;
    bool same_kg;
  };
  for (const WhatIf& what_if :
       {WhatIf{{"stations.0.queue_capacity", "0"}, true},
        WhatIf{{"demand.driver", R"({"patience_min": {"dist": "exponential", "mean": 20}})"}, true},
        WhatIf{{"demand.kg_per_fill", R"({"dist": "exponential", "mean": 8})"}, false}}) {
    CAPTURE(what_if.set.path);
    const auto some = fills({what_if.set});
    REQUIRE(some.size() > 100);
    std::size_t finished = 0; // in the reference too (not still waiting or filling at its end)
    for (const auto& entry : some) { // no structured binding: CAPTURE's lambda (clang 14)
      const std::string& visit = entry.first;
      const h2sim::test::LoggedFill& fill = entry.second;
      CAPTURE(visit);
      finished += all.count(visit);
      if (all.count(visit) != 0) {
        // end - start, of other starts: equal to a rounding
        CHECK(fill.minutes == doctest::Approx(all.at(visit).minutes).epsilon(1e-9));
        CHECK((!what_if.same_kg || fill.kg == all.at(visit).kg));
      }
    }
    CHECK(finished + 5 >= some.size());
  }
}

TEST_CASE("engine: vehicles are conserved: arrivals = served + balked") {
  const auto metrics = run_text(one_station(40, 2, "4", R"(, "queue_capacity": 2)"));
  for (const auto& station : metrics["stations"]) {
    CHECK(station["arrivals"].get<double>() ==
          station["served"].get<double>() + station["balked"].get<double>());
  }
  CHECK(metrics["totals"]["balked"].get<double>() > 0);
}

TEST_CASE("engine: events run ahead of SimGrid's clock give the metrics of one SimGrid step per "
          "date") {
  // The engine runs model events ahead of SimGrid when SimGrid would only have moved its clock
  // (ARCHITECTURE.md): H2SIM_ONE_STEP_PER_DATE=1 turns that off, and nothing may change.
  const std::vector<h2sim::Scenario> scenarios = engine_checks();
  // The event log shows the order events ran in, which sums of the metrics may hide: the storm's
  // and Shanghai 2025's (a fleet, 5 stations on one pipeline, compressors, trailers).
  const h2sim::Scenario& storm = scenarios.back();
  const h2sim::Scenario shanghai = h2sim::load_scenario(
      h2sim::default_scenario_text(), {{"horizon_days", "4"}, {"replications", "1"}});
  const auto ahead = h2sim::run_all(scenarios, h2sim::RunOptions{2, {}, nullptr});
  const std::string storm_log = event_log(storm);
  const std::string shanghai_log = event_log(shanghai);
  std::vector<nlohmann::ordered_json> stepped;
  {
    const ScopedVariable one_step("H2SIM_ONE_STEP_PER_DATE", "1");
    stepped = h2sim::run_all(scenarios, h2sim::RunOptions{2, {}, nullptr});
    CHECK(event_log(storm) == storm_log);
    CHECK(event_log(shanghai) == shanghai_log);
  }
  CHECK(storm_log.size() > 100'000);
  CHECK(shanghai_log.size() > 1'000'000);
  REQUIRE(ahead.size() == scenarios.size());
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    CAPTURE(ahead[i]["scenario"].dump());
    CHECK(without_run(ahead[i]).dump() == without_run(stepped[i]).dump());
    // The check checks something: events ran (and so, where flows ran, ahead of SimGrid).
    CHECK(ahead[i]["run"]["events"].get<double>() > 0);
  }
}

TEST_CASE("engine: tallying on a thread of its own gives the metrics of tallying in line") {
  // A replication tallies on a thread of its own when the replications leave a core idle
  // (report::ObserverThread); H2SIM_TALLY_THREAD=0 or 1 decides instead, and nothing may change.
  // The event log, written on that thread too, is the same byte for byte (the storm's).
  // The event log, written on that thread too, is the same byte for byte: the storm's as CSV and
  // as JSON Lines, and a trace's (whose visits are named by the trace's rows).
  const std::vector<h2sim::Scenario> scenarios = engine_checks();
  const auto trace = std::find_if(scenarios.begin(), scenarios.end(), [](const auto& scenario) {
    return scenario.name() == "trace-example";
  });
  REQUIRE(trace != scenarios.end());
  const auto outputs = [&] {
    return std::make_tuple(h2sim::run_all(scenarios, h2sim::RunOptions{2, {}, nullptr}),
                           event_log(scenarios.back()), event_log(scenarios.back(), true),
                           event_log(*trace, true));
  };
  const auto [threaded, storm_csv, storm_jsonl, trace_jsonl] = [&] {
    const ScopedVariable thread("H2SIM_TALLY_THREAD", "1");
    return outputs();
  }();
  const auto [in_line, storm_csv_in_line, storm_jsonl_in_line, trace_jsonl_in_line] = [&] {
    const ScopedVariable thread("H2SIM_TALLY_THREAD", "0");
    return outputs();
  }();
  CHECK(storm_csv.size() > 100'000);
  CHECK(storm_csv == storm_csv_in_line);
  CHECK(storm_jsonl.size() > 100'000);
  CHECK(storm_jsonl == storm_jsonl_in_line);
  CHECK(trace_jsonl.find("\"vehicle\"") != std::string::npos);
  CHECK(trace_jsonl == trace_jsonl_in_line);
  REQUIRE(threaded.size() == scenarios.size());
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const std::string name = threaded[i]["scenario"].dump();
    CAPTURE(name);
    CHECK(without_run(threaded[i]).dump() == without_run(in_line[i]).dump());
    CHECK(threaded[i]["run"]["events"].get<double>() > 0);
  }
}
