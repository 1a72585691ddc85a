// (s, Q) deliveries and trailer depots on their own: a heap calendar stands in for the engine,
// lead times are fixed so every arrival is computed by hand.
#include "../fakes.hpp"
#include "models/supply/delivery.hpp"
#include "models/supply/trailer_depot.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

using h2sim::Distribution;
using h2sim::Point;
using h2sim::models::Delivery;
using h2sim::models::DeliveryParams;
using h2sim::models::DepotSpec;
using h2sim::models::StationSpec;
using h2sim::models::SupplyContext;
using h2sim::models::Tank;
using h2sim::models::TrailerDepot;
using h2sim::test::HeapCalendar;

namespace {
StationSpec station_with(double capacity_kg, double initial_kg, DeliveryParams params,
                         Point at = {}) {
  StationSpec station;
  station.id = "S";
  station.location = at;
  station.storage = h2sim::models::StorageSpec{capacity_kg, initial_kg};
  station.supply =
      h2sim::params::Model("delivery", std::make_shared<DeliveryParams>(std::move(params)));
  return station;
}

SupplyContext context_of(const StationSpec& station, Tank& tank, HeapCalendar& calendar,
                         std::map<std::string, TrailerDepot*> depots = {}) {
  return SupplyContext{&station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, depots};
}
} // namespace

TEST_CASE(
    "supply::Delivery: a promise that brings the position to the reorder point orders a trailer") {
  // Storage 1000 kg holding 500; s = 300, Q = 400, lead time 2 h.
  const StationSpec station = station_with(1000, 500, {400, 300, Distribution::fixed(2), {}});
  HeapCalendar calendar;
  Tank tank(1000, 500);
  tank.begin_window(0, 0);
  Delivery delivery(context_of(station, tank, calendar));
  delivery.start(0); // position 500 > 300: no order
  CHECK(calendar.pending() == 0);
  REQUIRE(tank.reserve(10, 150)); // position 350 > 300: no order
  delivery.after_promise(10);
  CHECK(calendar.pending() == 0);
  calendar.run(20);
  REQUIRE(tank.reserve(20, 50)); // position 300: at the point, one trailer (300 + 400 = 700)
  delivery.after_promise(20);
  CHECK(calendar.pending() == 1);
  tank.draw(25, 200);             // fills start: the level falls to 300, the position stays 700
  REQUIRE(tank.reserve(30, 100)); // position 200 + 400 on order = 600 > 300: no second trailer
  delivery.after_promise(30);
  CHECK(calendar.pending() == 1);
  calendar.run(139.9);
  CHECK(tank.level() == 300);
  calendar.run(140); // ordered at 20, 2 h of lead time: unloads 400 at 140
  CHECK(tank.level() == 700);
  CHECK(calendar.pending() == 0); // position 700 - 100 promised = 600 > 300
  const auto report = tank.end_window(150, 0);
  CHECK(report.delivered_kg == 400);
  CHECK(report.deliveries == 1);
}

TEST_CASE(
    "supply::Delivery: a refusal counts as demand, and the first trailer ends the dry spell") {
  // Storage 1000 holding 400; s = 300, Q = 200, lead 1.5 h. A vehicle wanting 500 kg is turned
  // away at 5: the position 400 - 500 = -100 orders trailers until it is above 300: -100, 100, 300
  // each order, so three (position 500). All arrive at 5 + 90 = 95. The first brings the free
  // stock to 600 >= 500: the station was dry from 5 to 95.
  const StationSpec station = station_with(1000, 400, {200, 300, Distribution::fixed(1.5), {}});
  HeapCalendar calendar;
  Tank tank(1000, 400);
  h2sim::test::Recorder recorder;
  tank.report_to(recorder, 0);
  tank.begin_window(0, 0);
  Delivery delivery(context_of(station, tank, calendar));
  delivery.start(0);
  CHECK(calendar.pending() == 0);
  calendar.run(5);
  REQUIRE_FALSE(tank.reserve(5, 500));
  tank.refuse(5, 500);
  delivery.after_refusal(5, 500);
  CHECK(calendar.pending() == 3);
  calendar.run(94.9);
  CHECK(tank.dry());
  calendar.run();
  CHECK_FALSE(tank.dry());
  CHECK(tank.level() == 1000);
  const auto report = tank.end_window(100, 0);
  CHECK(report.stockout_min == 90);
  CHECK(report.deliveries == 3);
  CHECK(report.delivered_kg == 600);
  // The observer hears each order and each delivery, and the dry spell's ends.
  using h2sim::models::TankEvent;
  using Events = std::vector<std::pair<double, double>>;
  CHECK(recorder.tank_events(TankEvent::order) == Events{{5, 200}, {5, 200}, {5, 200}});
  CHECK(recorder.tank_events(TankEvent::delivery) == Events{{95, 200}, {95, 200}, {95, 200}});
  CHECK(recorder.tank_events(TankEvent::dry_start) == Events{{5, 0}});
  CHECK(recorder.tank_events(TankEvent::dry_end) == Events{{95, 0}});
}

TEST_CASE("supply::Delivery: a position held low by promises to a full storage orders when the "
          "fills make room") {
  // Storage 1000, full; s = 300, Q = 500, lead 1 h. 800 kg are promised to a long queue at 0:
  // position 200 <= 300, but a trailer could unload nothing: none is ordered. The fills start at
  // 90 (level 200, room 800): a trailer then, unloading 500 at 150: level 700, position 700.
  const StationSpec station = station_with(1000, 1000, {500, 300, Distribution::fixed(1), {}});
  HeapCalendar calendar;
  Tank tank(1000, 1000);
  h2sim::test::Recorder recorder;
  tank.report_to(recorder, 0);
  tank.begin_window(0, 0);
  Delivery delivery(context_of(station, tank, calendar));
  delivery.start(0);
  REQUIRE(tank.reserve(0, 800));
  delivery.after_promise(0);
  CHECK(calendar.pending() == 0);
  calendar.run(90);
  tank.draw(90, 800);
  delivery.after_draw(90);
  CHECK(calendar.pending() == 1);
  calendar.run();
  CHECK(tank.level() == 700);
  CHECK(calendar.pending() == 0);
  const auto report = tank.end_window(160, 0);
  CHECK(report.deliveries == 1);
  CHECK(report.delivered_kg == 500);
  // Conservation: 1000 + 500 = 800 + 700.
  CHECK(report.inventory_start_kg + report.delivered_kg == 800 + report.inventory_end_kg);
  using h2sim::models::TankEvent;
  using Events = std::vector<std::pair<double, double>>;
  CHECK(recorder.tank_events(TankEvent::order) == Events{{90, 500}});
  CHECK(recorder.tank_events(TankEvent::delivery) == Events{{150, 500}});
}

TEST_CASE("supply::Delivery: what does not fit goes back, and the next order waits for room") {
  // Storage 1000 holding 600; s = 300, Q = 500, lead 1 h. 400 kg promised at 0: position 200, a
  // trailer. Another source fills the storage at 30, and 500 kg more are promised at 40 (position
  // 100 + 500 on order). At 60 the trailer unloads nothing and goes back: position 100, but with no
  // room no trailer follows it (one once did, at once: at a lead time of 0, forever). The fills at
  // 90 (900 kg) make room: a trailer then, unloading 500 at 150.
  const StationSpec station = station_with(1000, 600, {500, 300, Distribution::fixed(1), {}});
  HeapCalendar calendar;
  Tank tank(1000, 600);
  tank.begin_window(0, 0);
  Delivery delivery(context_of(station, tank, calendar));
  delivery.start(0);
  REQUIRE(tank.reserve(0, 400));
  delivery.after_promise(0);
  CHECK(calendar.pending() == 1);
  calendar.run(30);
  tank.add(30, 400); // full
  REQUIRE(tank.reserve(40, 500));
  delivery.after_promise(40);
  CHECK(calendar.pending() == 1);
  calendar.run(60);
  CHECK(tank.level() == 1000);
  CHECK(calendar.pending() == 0);
  tank.draw(90, 900);
  delivery.after_draw(90);
  CHECK(calendar.pending() == 1);
  calendar.run();
  CHECK(tank.level() == 600);
  const auto report = tank.end_window(160, 0);
  // The two trailers' trips (the one that went back full costs a trip too); the other source's
  // 400 kg count as inflow.
  CHECK(report.deliveries == 2);
  CHECK(report.delivered_kg == 900); // 400 + 500
  CHECK(report.inventory_start_kg + report.delivered_kg == 900 + report.inventory_end_kg);
}

TEST_CASE("supply::Delivery: at a lead time of 0, a full storage held low by promises does not "
          "order forever") {
  // Storage 1000, full; s = 999, Q = 1, lead 0: every order arrives at once. 990 kg promised:
  // position 10 <= 999, no room, no order. A fill of 5 kg makes room for 5: five trailers of 1 kg,
  // each unloaded at once, and the storage is full again.
  const StationSpec station = station_with(1000, 1000, {1, 999, Distribution::fixed(0), {}});
  HeapCalendar calendar;
  Tank tank(1000, 1000);
  tank.begin_window(0, 0);
  Delivery delivery(context_of(station, tank, calendar));
  delivery.start(0);
  REQUIRE(tank.reserve(0, 990));
  delivery.after_promise(0);
  CHECK(calendar.pending() == 0);
  tank.draw(1, 5);
  delivery.after_draw(1);
  CHECK(calendar.pending() == 5);
  calendar.run();
  CHECK(tank.level() == 1000);
  CHECK(calendar.pending() == 0);
  const auto report = tank.end_window(2, 0);
  CHECK(report.deliveries == 5);
  CHECK(report.delivered_kg == 5);
}

TEST_CASE("supply::TrailerDepot: an order waits for a free trailer, drive times computed by hand") {
  // Depot at the origin, one trailer at 60 km/h, 1.5 road km per km. Station A at (30, 40): 50 km,
  // 75 road km, 75 minutes. Station B at (-6, 8): 10 km, 15 road km, 15 minutes. Loading 30 min.
  // A's order at 0: unloads at 30 + 75 = 105, the trailer is back at 105 + 75 = 180. B's order at
  // 0 waits for it: unloads at 180 + 30 + 15 = 225, back at 240.
  const DepotSpec spec{"D", Point{0, 0}, 1, 60, 1.5};
  HeapCalendar calendar;
  TrailerDepot depot(spec, calendar);
  std::vector<std::pair<char, double>> unloads;
  depot.dispatch(Point{30, 40}, 30, [&] { unloads.emplace_back('A', calendar.now()); });
  depot.dispatch(Point{-6, 8}, 30, [&] { unloads.emplace_back('B', calendar.now()); });
  CHECK(depot.waiting() == 1);
  calendar.run(179.9);
  CHECK(depot.waiting() == 1);
  calendar.run(180);
  CHECK(depot.waiting() == 0);
  calendar.run();
  CHECK(unloads == std::vector<std::pair<char, double>>{{'A', 105}, {'B', 225}});
}

TEST_CASE("supply::TrailerDepot: with two trailers, two orders leave at once") {
  // As above with a second trailer: B's trailer leaves at 0 too and unloads at 30 + 15 = 45.
  const DepotSpec spec{"D", Point{0, 0}, 2, 60, 1.5};
  HeapCalendar calendar;
  TrailerDepot depot(spec, calendar);
  std::vector<std::pair<char, double>> unloads;
  depot.dispatch(Point{30, 40}, 30, [&] { unloads.emplace_back('A', calendar.now()); });
  depot.dispatch(Point{-6, 8}, 30, [&] { unloads.emplace_back('B', calendar.now()); });
  CHECK(depot.waiting() == 0);
  calendar.run();
  CHECK(unloads == std::vector<std::pair<char, double>>{{'B', 45}, {'A', 105}});
}

TEST_CASE(
    "supply::Delivery: with a depot, the lead time is the loading and stations share trailers") {
  // The one-trailer depot above; stations A (30, 40) and B (-6, 8), each 1000 kg holding 250,
  // s = 300, Q = 500, loading 0.5 h. Both order at start (250 <= 300). A's trailer unloads at
  // 0 + 30 + 75 = 105 and is back at 180; B's order waits for it: unloads at 180 + 30 + 15 = 225.
  const DepotSpec depot_spec{"D", Point{0, 0}, 1, 60, 1.5};
  HeapCalendar calendar;
  TrailerDepot depot(depot_spec, calendar);
  const DeliveryParams params{500, 300, Distribution::fixed(0.5), std::string("D")};
  const StationSpec a_spec = station_with(1000, 250, params, Point{30, 40});
  const StationSpec b_spec = station_with(1000, 250, params, Point{-6, 8});
  Tank a_tank(1000, 250);
  Tank b_tank(1000, 250);
  Delivery a(context_of(a_spec, a_tank, calendar, {{"D", &depot}}));
  Delivery b(context_of(b_spec, b_tank, calendar, {{"D", &depot}}));
  a.start(0);
  b.start(0);
  CHECK(depot.waiting() == 1);
  calendar.run(104.9);
  CHECK(a_tank.level() == 250);
  calendar.run(105);
  CHECK(a_tank.level() == 750);
  calendar.run(224.9);
  CHECK(b_tank.level() == 250);
  calendar.run(225);
  CHECK(b_tank.level() == 750);
  calendar.run();
  CHECK(depot.waiting() == 0);
}
