// Demand models through a real models::Network built on fakes: a heap calendar, fake capacities
// and a recorder in place of the engine and the collector.
#include "../fakes.hpp"
#include "core/random.hpp"
#include "models/demand/poisson.hpp"
#include "models/demand/trace.hpp"
#include "models/network.hpp"
#include "models/supply/pipeline.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

using h2sim::Point;
using h2sim::models::Network;
using h2sim::models::Outcome;
using h2sim::models::PoissonArrivals;
using h2sim::models::PoissonParams;
using h2sim::models::ScenarioSpec;
using h2sim::models::Seeds;
using h2sim::models::StationSpec;
using h2sim::models::TraceParams;
using h2sim::models::TraceReplay;
using h2sim::models::TraceRow;
using h2sim::models::Visit;
using h2sim::test::FakeCapacities;
using h2sim::test::HeapCalendar;
using h2sim::test::Recorder;

namespace {
StationSpec station_at(const std::string& id, double x_km, double y_km,
                       double fill_rate_kg_per_min = 1) {
  StationSpec station;
  station.id = id;
  station.location = Point{x_km, y_km};
  station.fill_rate_kg_per_min = fill_rate_kg_per_min;
  return station;
}

ScenarioSpec poisson_scenario(std::vector<StationSpec> stations, PoissonParams params) {
  ScenarioSpec scenario;
  scenario.name = "test";
  scenario.horizon_days = 1;
  scenario.stations = std::move(stations);
  scenario.demand =
      h2sim::params::Model("poisson", std::make_shared<PoissonParams>(std::move(params)));
  return scenario;
}

/** Runs Poisson arrivals on the scenario's network until `until` and returns what was seen. */
std::vector<Visit> poisson_visits(const ScenarioSpec& scenario, Seeds seeds, double until) {
  HeapCalendar calendar;
  FakeCapacities capacities(calendar);
  Recorder recorder;
  Network network(scenario, recorder, calendar, capacities, seeds.master, seeds.replication);
  PoissonArrivals arrivals(scenario, network, seeds);
  network.start();
  arrivals.start(calendar);
  calendar.run(until);
  return recorder.visits;
}

std::vector<double> arrivals_at(const std::vector<Visit>& visits, std::size_t station) {
  std::vector<double> times;
  for (const Visit& visit : visits) {
    if (visit.station == station) {
      times.push_back(visit.arrival);
    }
  }
  return times;
}
} // namespace

TEST_CASE(
    "models::Network: pipelines and compressors become capacities, closed stations are not built") {
  // S1 has a buffer (compressor 12 kg/h = 0.2 kg/min), S2 draws from pipeline P (600 kg/h = 10
  // kg/min), S3 has a buffer but only the first two stations are open.
  ScenarioSpec scenario = poisson_scenario(
      {station_at("S1", 0, 0), station_at("S2", 10, 0), station_at("S3", 20, 0)}, {});
  scenario.open.count = 2;
  scenario.stations[0].buffer = h2sim::models::BufferSpec{15, 12};
  scenario.stations[1].storage = h2sim::models::StorageSpec{1000, 500};
  scenario.stations[1].supply = h2sim::params::Model(
      "pipeline",
      std::make_shared<h2sim::models::PipelineParams>(h2sim::models::PipelineParams{"P", 120}));
  scenario.stations[2].buffer = h2sim::models::BufferSpec{15, 12};
  scenario.pipelines = {h2sim::models::PipelineSpec{"P", 600}};
  HeapCalendar calendar;
  FakeCapacities capacities(calendar);
  Recorder recorder;
  Network network(scenario, recorder, calendar, capacities, 1, 0);
  CHECK(network.size() == 2);
  CHECK(capacities.created ==
        std::vector<std::pair<std::string, double>>{{"pipeline:P", 10}, {"compressor:S1", 0.2}});
  // Equally near stations: the first in list order. (5, 0) is 5 km from both S1 and S2.
  CHECK(network.nearest(Point{5, 0}) == 0);
  CHECK(network.nearest(Point{5.1, 0}) == 1);
  CHECK(network.nearest(Point{100, 0}) == 1); // S3, nearer, is not open
  // S2's pipeline starts filling its 500 kg of room at 2 kg/min when the network starts.
  network.start();
  network.begin_window(0);
  calendar.run(100);
  network.end_window(100);
  REQUIRE(recorder.supplies.size() == 1);
  CHECK(recorder.supplies[0].first == 1);
  CHECK(recorder.supplies[0].second.delivered_kg == 200);
}

TEST_CASE("demand::TraceReplay: rows arrive exactly at their times and stations") {
  // S1 (0, 0) fills at 1 kg/min, S2 (10, 0) at 2 kg/min; S3 (10, 10) is not open. A row naming a
  // station has no point of its own (the reader leaves it at the origin, nearest to S1).
  //   5 min, S2, 4 kg            -> S2 at 5: [5, 7]
  //   12.5 min, at (1, 1), 3 kg  -> the nearest open station, S1 (1.4 km; S2 is 9.1): [12.5, 15.5]
  //   20 min, S3, 5 kg           -> S3 is closed: the open station nearest to it, S2 (10 km;
  //                                 S1 is 14.1): [20, 22.5]
  //   20 min, S2, 6 kg           -> S2, behind the previous row: [22.5, 25.5], 1 waiting
  ScenarioSpec scenario;
  scenario.name = "trace";
  scenario.horizon_days = 1;
  scenario.stations = {station_at("S1", 0, 0), station_at("S2", 10, 0, 2),
                       station_at("S3", 10, 10)};
  scenario.open.count = 2;
  TraceParams trace{
      "trace.csv",
      {TraceRow{5, "a", std::size_t{1}, {}, 4}, TraceRow{12.5, "b", std::nullopt, Point{1, 1}, 3},
       TraceRow{20, "c", std::size_t{2}, {}, 5}, TraceRow{20, "d", std::size_t{1}, {}, 6}}};
  scenario.demand = h2sim::params::Model("trace", std::make_shared<TraceParams>(trace));
  HeapCalendar calendar;
  FakeCapacities capacities(calendar);
  Recorder recorder;
  Network network(scenario, recorder, calendar, capacities, 1, 0);
  TraceReplay replay(scenario, network, Seeds{1, 0});
  network.start();
  replay.start(calendar);
  CHECK(calendar.pending() == 1); // one row at a time
  calendar.run();
  REQUIRE(recorder.visits.size() == 4);
  const auto& v = recorder.visits;
  CHECK(v[0].station == 1);
  CHECK(v[0].arrival == 5);
  CHECK(v[0].end == 7);
  CHECK(v[1].station == 0);
  CHECK(v[1].arrival == 12.5);
  CHECK(v[1].end == 15.5);
  CHECK(v[2].station == 1);
  CHECK(v[2].arrival == 20);
  CHECK(v[2].kg == 5);
  CHECK(v[2].end == 22.5);
  CHECK(v[3].station == 1);
  CHECK(v[3].start == 22.5);
  CHECK(v[3].end == 25.5);
  CHECK(v[3].waiting == 1);
  for (const Visit& visit : v) {
    CHECK(visit.outcome == Outcome::served);
  }
}

TEST_CASE("demand::PoissonArrivals: arrivals at a station fed by no shared capacity are local "
          "events, all of them") {
  // S1 has unlimited hydrogen, S2 a pipeline: the engine may run S1's arrivals ahead of S2's flow
  // (Calendar::Scope), S2's must run at its clock. Each arrival schedules the next, so S1's local
  // events are its arrivals and the one pending at the end; S2 schedules none (the fake calendar
  // throws if a local event touches the pipeline).
  ScenarioSpec scenario =
      poisson_scenario({station_at("S1", 0, 0, 1000), station_at("S2", 10, 0)},
                       PoissonParams{30, h2sim::Distribution::fixed(1), {}, {}});
  scenario.stations[1].storage = h2sim::models::StorageSpec{1000, 500};
  scenario.stations[1].supply = h2sim::params::Model(
      "pipeline",
      std::make_shared<h2sim::models::PipelineParams>(h2sim::models::PipelineParams{"P", 120}));
  scenario.pipelines = {h2sim::models::PipelineSpec{"P", 600}};
  HeapCalendar calendar;
  FakeCapacities capacities(calendar);
  Recorder recorder;
  const Seeds seeds{1, 0};
  Network network(scenario, recorder, calendar, capacities, seeds.master, seeds.replication);
  PoissonArrivals arrivals(scenario, network, seeds);
  network.start();
  arrivals.start(calendar);
  calendar.run(10 * 60);
  const std::size_t at_s1 = arrivals_at(recorder.visits, 0).size();
  CHECK(at_s1 > 200); // 300 expected
  CHECK(arrivals_at(recorder.visits, 1).size() > 200);
  CHECK(calendar.scheduled_local() == at_s1 + 1);
}

TEST_CASE("demand::PoissonArrivals: each open station gets its own rate, a rate of 0 none") {
  // S1 overrides the rate with 30/h, S2 takes the demand's 6/h, S3 overrides it with 0, S4 is not
  // open. Over 100 h: 3000 +- 4 x sqrt(3000) = 219 at S1, 600 +- 4 x sqrt(600) = 98 at S2.
  std::vector<StationSpec> stations{station_at("S1", 0, 0, 1000), station_at("S2", 1, 0, 1000),
                                    station_at("S3", 2, 0, 1000), station_at("S4", 3, 0, 1000)};
  stations[0].arrivals_per_h = 30;
  stations[2].arrivals_per_h = 0;
  ScenarioSpec scenario =
      poisson_scenario(stations, PoissonParams{6, h2sim::Distribution::fixed(4), {}, {}});
  scenario.open.count = 3;
  const auto visits = poisson_visits(scenario, Seeds{1, 0}, 100 * 60);
  const auto s1 = arrivals_at(visits, 0).size();
  const auto s2 = arrivals_at(visits, 1).size();
  CHECK(s1 >= 2781);
  CHECK(s1 <= 3219);
  CHECK(s2 >= 502);
  CHECK(s2 <= 698);
  CHECK(arrivals_at(visits, 2).empty());
  CHECK(s1 + s2 == visits.size()); // nothing at S3 or S4
  for (const Visit& visit : visits) {
    CHECK(visit.kg == 4);
  }
}

TEST_CASE("demand::PoissonArrivals: a station's arrivals do not change when another is added") {
  // Each station's visits draw from streams of their own (seed, replication, "poisson" x its id
  // x the visit's number): S1's arrivals are the same with or without S2. The first is the inverse
  // transform of the first uniform of visit 0's stream: -(60 / 30) ln u minutes at 30/h; the
  // second adds that of visit 1's.
  PoissonParams params{30, h2sim::Distribution::fixed(1), {}, {}};
  const auto alone =
      poisson_visits(poisson_scenario({station_at("S1", 0, 0, 1000)}, params), Seeds{7, 3}, 600);
  const auto with_s2 = poisson_visits(
      poisson_scenario({station_at("S1", 0, 0, 1000), station_at("S2", 5, 0, 1000)}, params),
      Seeds{7, 3}, 600);
  REQUIRE(alone.size() > 100);
  CHECK(arrivals_at(alone, 0) == arrivals_at(with_s2, 0));
  CHECK(arrivals_at(with_s2, 1).size() > 100);
  CHECK(arrivals_at(with_s2, 1) != arrivals_at(with_s2, 0));
  const auto station = h2sim::combine(h2sim::entity_id("poisson"), h2sim::entity_id("S1"));
  h2sim::RandomStream first(7, 3, h2sim::combine(station, 0));
  h2sim::RandomStream second(7, 3, h2sim::combine(station, 1));
  CHECK(alone[0].arrival == -2.0 * std::log(first.uniform()));
  CHECK(alone[1].arrival == alone[0].arrival - 2.0 * std::log(second.uniform()));
}

TEST_CASE(
    "demand::PoissonArrivals: with an hourly profile, vehicles come only in the hours it allows") {
  // 12/h x 1 from 08:00 to 09:00 and x 3 from 20:00 to 21:00, x 0 otherwise. Over 50 days:
  // 600 +- 4 x sqrt(600) = 98 in the morning hour, 1800 +- 4 x sqrt(1800) = 170 in the evening.
  std::vector<double> profile(24, 0.0);
  profile[8] = 1;
  profile[20] = 3;
  const auto visits = poisson_visits(
      poisson_scenario({station_at("S1", 0, 0, 1000)},
                       PoissonParams{12, h2sim::Distribution::fixed(1), profile, {}}),
      Seeds{1, 0}, 50 * 1440);
  std::map<int, std::size_t> by_hour;
  for (const Visit& visit : visits) {
    ++by_hour[static_cast<int>(std::fmod(std::floor(visit.arrival / 60), 24))];
  }
  CHECK(by_hour.size() == 2);
  CHECK(by_hour[8] >= 502);
  CHECK(by_hour[8] <= 698);
  CHECK(by_hour[20] >= 1630);
  CHECK(by_hour[20] <= 1970);
}

TEST_CASE("demand::PoissonArrivals: drivers bring the demand's limits to the station") {
  // 6/h at one dispenser with 20 min fills, drivers who balk above 0 waiting: whoever joins sees
  // at most itself waiting, and whoever balks saw someone waiting.
  PoissonParams params{6, h2sim::Distribution::fixed(20), {}, {}};
  params.driver.balk_if_waiting_over = 0;
  const auto visits =
      poisson_visits(poisson_scenario({station_at("S1", 0, 0)}, params), Seeds{1, 0}, 100 * 60);
  std::size_t served = 0;
  std::size_t balked = 0;
  for (const Visit& visit : visits) {
    if (visit.outcome == Outcome::served) {
      ++served;
      CHECK(visit.waiting <= 1);
    } else {
      ++balked;
      CHECK(visit.outcome == Outcome::balked);
      CHECK(visit.waiting >= 1);
    }
  }
  CHECK(served > 100);
  CHECK(balked > 10);
}
