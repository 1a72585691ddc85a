// The scheduled supply model on its own: a heap calendar stands in for the engine.
#include "../fakes.hpp"
#include "../support.hpp"
#include "models/supply/scheduled.hpp"

#include <doctest/doctest.h>

TEST_CASE("supply::Scheduled: trailers arrive on the timetable and unload what fits") {
  // 1000 kg of storage, empty; 300 kg every 24 h from 06:00. Nothing is drawn: 300 kg at 6 h,
  // 600 at 30 h, 900 at 54 h, and at 78 h only the 100 kg that fit. The fifth, at 102 h, brings
  // nothing, but made the trip: a delivery of 0 kg (what a trip costs is counted by deliveries).
  h2sim::models::StationSpec station;
  station.storage = h2sim::models::StorageSpec{1000, 0};
  station.supply = h2sim::params::Model(
      "scheduled",
      std::make_shared<h2sim::models::ScheduledParams>(h2sim::models::ScheduledParams{300, 24, 6}));
  h2sim::test::HeapCalendar calendar;
  h2sim::models::Tank tank(1000, 0);
  tank.begin_window(0, 0);
  h2sim::models::Scheduled supply(h2sim::models::SupplyContext{
      &station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, {}});
  supply.start(0);
  calendar.run(30 * 60);
  CHECK(tank.level() == 600);
  calendar.run(104 * 60);
  CHECK(tank.level() == 1000);
  const auto report = tank.end_window(104 * 60, 0);
  CHECK(report.delivered_kg == 1000);
  CHECK(report.deliveries == 5);
}

TEST_CASE("supply::Scheduled: its parameters are checked like any model's") {
  const std::string scenario = R"({"name": "s", "horizon_days": 1,
    "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1,
                  "storage": {"capacity_kg": 100, "initial_kg": 0},
                  "supply": {"model": "scheduled", "payload_kg": 50, "every_h": 0.1}}],
    "demand": {"model": "poisson", "arrivals_per_h": 2, "kg_per_fill": 4}})";
  CHECK(h2sim::test::problems_of(scenario) ==
        "/stations/0/supply/every_h: must be a number >= 0.25\n");
}
