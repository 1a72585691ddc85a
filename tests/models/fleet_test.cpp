// The fleet through a real models::Network built on fakes (heap calendar, fake capacities, a
// recorder), with fixed distributions so every time and kilogram is computed by hand.
//
// The layout of every case: the taxi decides where to refuel at the centre of its area, (0, 6),
// a disc of radius 0. S1 at (0, 0) is 6 km away, S2 at (0, 15) 9 km; S1 to S2 is 15 km. Road
// factor 1, 60 km/h: a minute per km. 1 kg per 100 km; a 5 kg tank refuelled at 0.2 of it (1 kg);
// 100 km a day. One dispenser per station at 1 kg/min.
#include "../fakes.hpp"
#include "models/demand/fleet.hpp"
#include "models/network.hpp"
#include "models/supply/pipeline.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using doctest::Approx;
using h2sim::Distribution;
using h2sim::Point;
using h2sim::RandomStream;
using h2sim::models::Fleet;
using h2sim::models::FleetParams;
using h2sim::models::Network;
using h2sim::models::Outcome;
using h2sim::models::ScenarioSpec;
using h2sim::models::Seeds;
using h2sim::models::StationSpec;
using h2sim::models::VehicleClass;
using h2sim::models::Visit;
using h2sim::test::FakeCapacities;
using h2sim::test::HeapCalendar;
using h2sim::test::Recorder;

namespace {
StationSpec station_at(const std::string& id, double x_km, double y_km) {
  StationSpec station;
  station.id = id;
  station.location = Point{x_km, y_km};
  station.fill_rate_kg_per_min = 1;
  return station;
}

VehicleClass taxi() {
  VehicleClass vc;
  vc.name = "taxi";
  vc.count = 1;
  vc.tank_kg = 5;
  vc.consumption_kg_per_100km = 1;
  vc.daily_km = Distribution::fixed(100);
  vc.refuel_at_fraction = Distribution::fixed(0.2);
  vc.speed_kmh = 60;
  vc.area = h2sim::models::Area{Point{0, 6}, 0};
  return vc;
}

ScenarioSpec fleet_scenario(VehicleClass vc) {
  ScenarioSpec scenario;
  scenario.name = "fleet";
  scenario.horizon_days = 30;
  scenario.stations = {station_at("S1", 0, 0), station_at("S2", 0, 15)};
  scenario.demand =
      h2sim::params::Model("fleet", std::make_shared<FleetParams>(FleetParams{1, {std::move(vc)}}));
  return scenario;
}

/** The network and the fleet on fakes, seeded alike every time. */
struct World {
  explicit World(const ScenarioSpec& scenario)
      : capacities(calendar), network(scenario, recorder, calendar, capacities, 1, 0),
        fleet(scenario, network, Seeds{1, 0}) {}
  void start() {
    network.start();
    fleet.start(calendar);
  }
  /** Occupies station `index` from `at` with a fill of `kg` minutes (someone else's vehicle). */
  void block(std::size_t index, double at, double kg) {
    calendar.schedule(at, [this, index, at, kg] { network.refuel(index, at, kg, rng, 1); });
  }
  /** The taxi's visits (class 0), without the blocking vehicles (class 1). */
  std::vector<Visit> taxi_visits() const {
    std::vector<Visit> visits;
    for (const Visit& visit : recorder.visits) {
      if (visit.vehicle_class == 0) {
        visits.push_back(visit);
      }
    }
    return visits;
  }

  HeapCalendar calendar;
  FakeCapacities capacities;
  Recorder recorder;
  Network network;
  Fleet fleet;
  RandomStream rng{1, 0, 99};
};
} // namespace

TEST_CASE(
    "demand::Fleet: a fixed daily distance gives refuels every 4 days, plus the drive and fill") {
  // Its tank starts somewhere between 1 and 5 kg (drawn). At 1 kg it drives 6 km to S1 (6 min,
  // 0.06 kg), arrives with 0.94 and fills 4.06 kg in 4.06 min. Full again, 400 km = 4 days =
  // 5760 min bring it back to 1 kg: arrivals are 4.06 + 5760 + 6 = 5770.06 min apart, each trip
  // 400 + 6 km with a 6 km detour. The first trip's distance tells when it started: km - 6 at
  // 100 km a day, plus the 6 min drive.
  const ScenarioSpec scenario = fleet_scenario(taxi());
  World world(scenario);
  world.start();
  world.calendar.run(18000);
  const auto visits = world.taxi_visits();
  const auto& trips = world.recorder.trips;
  REQUIRE(visits.size() >= 3);
  REQUIRE(trips.size() == visits.size());
  CHECK(visits[0].arrival == Approx((trips[0].km - 6) / 100 * 1440 + 6));
  CHECK(visits[0].arrival > 6);
  CHECK(visits[0].arrival < 4 * 1440 + 6);
  for (std::size_t i = 0; i < visits.size(); ++i) {
    CAPTURE(i);
    CHECK(visits[i].station == 0);
    CHECK(visits[i].outcome == Outcome::served);
    CHECK(visits[i].kg == Approx(4.06));
    CHECK(visits[i].end - visits[i].arrival == Approx(4.06));
    CHECK(trips[i].detour_km == Approx(6));
    CHECK_FALSE(trips[i].stranded);
    if (i > 0) {
      CHECK(visits[i].arrival - visits[i - 1].arrival == Approx(5770.06));
      CHECK(trips[i].km == Approx(406));
    }
  }
}

TEST_CASE(
    "demand::Fleet: a driver who balks tries the next-nearest station, from where it balked") {
  // S1 takes nobody in its queue and is busy from 0 for 10000 min. The taxi balks there at a, then
  // drives S1 -> S2, 15 km: 15 min and 0.15 kg, arriving at a + 15 with 0.94 - 0.15 = 0.79 kg:
  // it fills 4.21 kg. The trip it reports at S2 is those 15 km, all of them detour.
  ScenarioSpec scenario = fleet_scenario(taxi());
  scenario.stations[0].queue_capacity = 0;
  World world(scenario);
  world.block(0, 0, 10000);
  world.start();
  // Its first need comes before 4 days + 6 min, its second at least 4 days after that.
  world.calendar.run(5790);
  const auto visits = world.taxi_visits();
  REQUIRE(visits.size() == 2);
  CHECK(visits[0].station == 0);
  CHECK(visits[0].outcome == Outcome::balked);
  CHECK(visits[1].station == 1);
  CHECK(visits[1].outcome == Outcome::served);
  CHECK(visits[1].arrival == Approx(visits[0].arrival + 15));
  CHECK(visits[1].kg == Approx(4.21));
  REQUIRE(world.recorder.trips.size() == 2);
  CHECK(world.recorder.trips[1].km == Approx(15));
  CHECK(world.recorder.trips[1].detour_km == Approx(15));
  CHECK(world.recorder.give_ups.empty());
}

TEST_CASE("demand::Fleet: after every station balks, the driver gives up and starts again later") {
  // Both stations take nobody in their queues and are busy for 10000 min. S1 at a, S2 at a + 15:
  // the round is over, the driver gives up at a + 15, waits half an hour and drives back to the
  // nearest, S1 (15 min): a + 60, then S2 at a + 75, giving up again.
  ScenarioSpec scenario = fleet_scenario(taxi());
  scenario.stations[0].queue_capacity = 0;
  scenario.stations[1].queue_capacity = 0;
  World world(scenario);
  world.block(0, 0, 10000);
  world.block(1, 0, 10000);
  world.start();
  world.calendar.run(5900);
  const auto visits = world.taxi_visits();
  REQUIRE(visits.size() >= 4);
  const double a = visits[0].arrival;
  CHECK(visits[0].station == 0);
  CHECK(visits[1].station == 1);
  CHECK(visits[1].arrival == Approx(a + 15));
  CHECK(visits[2].station == 0);
  CHECK(visits[2].arrival == Approx(a + 60));
  CHECK(visits[3].station == 1);
  CHECK(visits[3].arrival == Approx(a + 75));
  for (const Visit& visit : visits) {
    CHECK(visit.outcome == Outcome::balked);
  }
  const auto& give_ups = world.recorder.give_ups;
  REQUIRE(give_ups.size() >= 2);
  CHECK(give_ups[0].first == 0);
  CHECK(give_ups[0].second == Approx(a + 15));
  CHECK(give_ups[1].second == Approx(a + 75));
}

TEST_CASE(
    "demand::Fleet: a driver looking at queues who balks tries another station, not the same") {
  // Policy least_delay, drivers who balk above 0 waiting. A first run tells when the taxi reaches
  // S1 (a); a second run, identical, sends two vehicles of 100 kg to S1 at a - 1, after the taxi
  // decided (at a - 6): one fills, one waits. The taxi sees 1 waiting and balks. Looking again
  // from where it decided, S1 now costs 6 min + 1 x 4.06 min of queue = 10.06 against 9 for S2,
  // so S2 ranks first; it has tried S1, so it drives to S2: 15 km, arriving at a + 15.
  VehicleClass vc = taxi();
  vc.choice.policy = "least_delay";
  vc.driver.balk_if_waiting_over = 0;
  const ScenarioSpec scenario = fleet_scenario(vc);
  double a = 0;
  {
    World first(scenario);
    first.start();
    first.calendar.run(5790);
    const auto visits = first.taxi_visits();
    REQUIRE(visits.size() == 1);
    CHECK(visits[0].station == 0);
    CHECK(visits[0].outcome == Outcome::served);
    a = visits[0].arrival;
  }
  World second(scenario);
  second.block(0, a - 1, 100);
  second.block(0, a - 1, 100);
  second.start();
  second.calendar.run(a + 20);
  const auto visits = second.taxi_visits();
  REQUIRE(visits.size() == 2);
  CHECK(visits[0].station == 0);
  CHECK(visits[0].arrival == a);
  CHECK(visits[0].outcome == Outcome::balked);
  CHECK(visits[1].station == 1);
  CHECK(visits[1].arrival == Approx(a + 15));
  CHECK(visits[1].outcome == Outcome::served);
  CHECK(second.recorder.give_ups.empty());
}

TEST_CASE(
    "demand::Fleet: on random layouts with ties, a round of tries follows the choice's order") {
  // Every station is busy and takes nobody in its queue, so the taxi tries them all, gives up and
  // starts again at its first choice. Stations sit on a coarse grid (equal distances, duplicates),
  // some fill only H35 (the taxi is H70). What it should do, by a scan of every station: first the
  // least (beyond the detour, squared distance) with the home station first (nearest, depot) or the
  // choice's pick (least_delay), then the first untried of preference_order, ties in list order.
  using h2sim::models::choice_policies;
  using h2sim::models::Chooser;
  using h2sim::models::StationView;
  RandomStream layout(14, 0, 3);
  const auto draw = [&layout](int n) { return static_cast<int>(layout.uniform() * n); };
  for (int round = 0; round < 24; ++round) {
    const std::string policy = round % 3 == 0   ? "nearest"
                               : round % 3 == 1 ? "depot"
                                                : "least_delay";
    CAPTURE(round);
    VehicleClass vc = taxi();
    vc.pressure = "H70";
    vc.choice.policy = policy;
    vc.area = h2sim::models::Area{
        Point{static_cast<double>(draw(7) - 3), static_cast<double>(draw(7) - 3)}, 0};
    const double road_factor = round % 2 == 0 ? 1.0 : 1.3;
    if (round % 4 < 2) {
      vc.choice.max_detour_km = 3.5;
    }
    ScenarioSpec scenario = fleet_scenario(vc);
    scenario.demand = h2sim::params::Model(
        "fleet", std::make_shared<FleetParams>(FleetParams{road_factor, {vc}}));
    scenario.stations.clear();
    const int n = 12 + draw(30);
    for (int s = 0; s < n; ++s) {
      StationSpec station = station_at("S" + std::to_string(s), static_cast<double>(draw(9) - 4),
                                       static_cast<double>(draw(9) - 4));
      station.queue_capacity = 0;
      station.pressures =
          draw(4) == 0 ? std::vector<std::string>{"H35"} : std::vector<std::string>{"H35", "H70"};
      scenario.stations.push_back(station);
    }
    std::optional<std::size_t> home;
    if (policy == "depot") {
      home = static_cast<std::size_t>(draw(n));
      vc.choice.home_station = scenario.stations[*home].id;
      scenario.demand = h2sim::params::Model(
          "fleet", std::make_shared<FleetParams>(FleetParams{road_factor, {vc}}));
    }
    // The expected round, by scans.
    const Point origin = vc.area.centre;
    std::vector<StationView> views;
    for (std::size_t s = 0; s < scenario.stations.size(); ++s) {
      const StationSpec& station = scenario.stations[s];
      StationView view;
      view.station = s;
      view.road_km = h2sim::distance_km(origin, station.location) * road_factor;
      view.compatible = station.pressures.size() == 2;
      views.push_back(view);
    }
    const auto& rank = choice_policies().at(policy);
    const Chooser chooser{vc.speed_kmh, vc.choice.max_detour_km,
                          home && views[*home].compatible ? home : std::nullopt};
    std::optional<std::size_t> first;
    if (policy == "least_delay") {
      first = h2sim::models::choose(rank, views, chooser);
    } else {
      const double reach = vc.choice.max_detour_km / road_factor;
      const double reach2 = std::isfinite(reach) ? reach * reach : INFINITY;
      std::pair<bool, double> best_key{true, 0};
      for (const StationView& view : views) {
        if (!view.compatible) {
          continue;
        }
        const Point at = scenario.stations[view.station].location;
        const double dx = at.x_km - origin.x_km;
        const double dy = at.y_km - origin.y_km;
        const double d2 = dx * dx + dy * dy;
        const std::pair<bool, double> key{d2 > reach2,
                                          chooser.home_station == view.station ? -1.0 : d2};
        if (!first || key < best_key) {
          first = view.station;
          best_key = key;
        }
      }
    }
    const std::vector<std::size_t> order = h2sim::models::preference_order(rank, views, chooser);
    REQUIRE(first);
    std::vector<std::size_t> expected{*first};
    while (expected.size() < order.size()) {
      expected.push_back(*std::find_if(order.begin(), order.end(), [&](std::size_t s) {
        return std::find(expected.begin(), expected.end(), s) == expected.end();
      }));
    }
    expected.push_back(order[0]); // after giving up

    World world(scenario);
    for (int s = 0; s < n; ++s) {
      world.block(static_cast<std::size_t>(s), 0, 1e7);
    }
    world.start();
    world.calendar.run(6 * 1440);
    const auto visits = world.taxi_visits();
    REQUIRE(visits.size() >= expected.size());
    std::vector<std::size_t> tried;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      tried.push_back(visits[i].station);
    }
    CHECK(tried == expected);
  }
}

TEST_CASE("demand::Fleet: arrivals are local events but at a pipeline's or a compressor's "
          "station, and keep to it") {
  // S1 has unlimited hydrogen, S2 a buffer fed by a compressor, S3 storage fed by a pipeline. The
  // fakes throw if an event scheduled as local touches a capacity (Calendar::Scope), so 30 days
  // of taxis that look at queues and balk at any queue, visiting all three, keep to the scopes.
  VehicleClass vc = taxi();
  vc.count = 40;
  vc.area = h2sim::models::Area{Point{0, 3}, 4};
  vc.choice.policy = "least_delay";
  vc.driver.balk_if_waiting_over = 0;
  ScenarioSpec scenario = fleet_scenario(vc);
  scenario.stations = {station_at("S1", 0, 0), station_at("S2", 0, 3), station_at("S3", 0, 6)};
  scenario.stations[1].buffer = h2sim::models::BufferSpec{15, 120};
  scenario.stations[2].storage = h2sim::models::StorageSpec{200, 100};
  scenario.stations[2].supply = h2sim::params::Model(
      "pipeline",
      std::make_shared<h2sim::models::PipelineParams>(h2sim::models::PipelineParams{"P", 60}));
  scenario.pipelines = {h2sim::models::PipelineSpec{"P", 600}};
  World world(scenario);
  using Scope = h2sim::Calendar::Scope;
  CHECK(world.network.arrival_scope(0) == Scope::local);
  CHECK(world.network.arrival_scope(1) == Scope::shared);
  CHECK(world.network.arrival_scope(2) == Scope::shared);
  world.start();
  world.calendar.run(30 * 1440);
  std::vector<int> served(3, 0);
  for (const Visit& visit : world.taxi_visits()) {
    served[visit.station] += visit.outcome == Outcome::served ? 1 : 0;
  }
  CHECK(served[0] > 0);
  CHECK(served[1] > 0);
  CHECK(served[2] > 0);
}
