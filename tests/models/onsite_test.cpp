// On-site electrolysis on its own: production is computed in closed form at each look at the
// tank, so no engine is needed at all (the calendar is never used).
#include "../fakes.hpp"
#include "models/supply/onsite.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using doctest::Approx;
using h2sim::models::Onsite;
using h2sim::models::OnsiteParams;
using h2sim::models::StationSpec;
using h2sim::models::Tank;
using h2sim::test::HeapCalendar;

namespace {
StationSpec station_with(double capacity_kg, double initial_kg, OnsiteParams params) {
  StationSpec station;
  station.id = "S";
  station.storage = h2sim::models::StorageSpec{capacity_kg, initial_kg};
  station.supply =
      h2sim::params::Model("onsite", std::make_shared<OnsiteParams>(std::move(params)));
  return station;
}

/** 10 kg/h x 0 at night (0-6 h), x 2 by day (6-18 h), x 1 in the evening (18-24 h): 300 kg/day. */
OnsiteParams day_profile() {
  std::vector<double> profile(24, 0.0);
  for (int hour = 6; hour < 18; ++hour) {
    profile[static_cast<std::size_t>(hour)] = 2;
  }
  for (int hour = 18; hour < 24; ++hour) {
    profile[static_cast<std::size_t>(hour)] = 1;
  }
  return OnsiteParams{10, profile, 50};
}
} // namespace

TEST_CASE("supply::Onsite: production is the integral of the hourly profile") {
  const StationSpec station = station_with(1000, 0, day_profile());
  HeapCalendar calendar;
  Tank tank(1000, 0);
  const Onsite onsite({&station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, {}});
  // A day: 6 h x 0 + 12 h x 20 + 6 h x 10 = 300 kg.
  CHECK(onsite.production(0, 1440) == Approx(300));
  // 05:00-07:00: an hour at 0, an hour at 20 kg/h.
  CHECK(onsite.production(300, 420) == Approx(20));
  // 06:30-18:30: 11.5 h at 20, half an hour at 10.
  CHECK(onsite.production(390, 1110) == Approx(235));
  // 23:30-00:30 across midnight: half an hour at 10, half an hour at 0.
  CHECK(onsite.production(1410, 1470) == Approx(5));
  // The profile repeats every day: 06:00-07:00 on day 3.
  CHECK(onsite.production(3 * 1440 + 360, 3 * 1440 + 420) == Approx(20));
  CHECK(onsite.production(500, 500) == 0);
}

TEST_CASE("supply::Onsite: time_to_produce walks the profile, whole days first") {
  const StationSpec station = station_with(1000, 0, day_profile());
  HeapCalendar calendar;
  Tank tank(1000, 0);
  const Onsite onsite({&station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, {}});
  // From midnight, nothing until 06:00, then 20 kg/h: 20 kg at 07:00.
  CHECK(onsite.time_to_produce(0, 20) == Approx(420));
  // From 06:30, 10 kg at 1/3 kg/min: 30 min.
  CHECK(onsite.time_to_produce(390, 10) == Approx(420));
  // From 17:00: 20 kg by 18:00, then 5 kg at 10 kg/h: 18:30.
  CHECK(onsite.time_to_produce(1020, 25) == Approx(1110));
  // 3020 kg from midnight: ten days make 3000, the last 20 come by 07:00 on day 10.
  CHECK(onsite.time_to_produce(0, 3020) == Approx(10 * 1440 + 420));
  // A profile of zeros never produces anything.
  OnsiteParams idle = day_profile();
  idle.hourly_profile.assign(24, 0.0);
  const StationSpec idle_station = station_with(1000, 0, idle);
  const Onsite never({&idle_station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, {}});
  CHECK(std::isinf(never.time_to_produce(0, 1)));
}

TEST_CASE(
    "supply::Onsite: a dry spell ends at the exact moment production covers the refused fill") {
  // 60 kg/h (1 kg/min), empty storage, 50 kWh/kg. At 10 the tank holds 10 kg and turns away a
  // vehicle wanting 25: dry from 10. Nobody looks until 60, yet the spell ends when 25 kg are
  // there, at 25: 15 minutes, not 50. At 60 the tank holds 60 kg: 3000 kWh.
  const StationSpec station = station_with(1000, 0, OnsiteParams{60, {}, 50});
  HeapCalendar calendar;
  Tank tank(1000, 0);
  tank.begin_window(0, 0);
  Onsite onsite({&station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, {}});
  onsite.catch_up(10);
  CHECK(tank.level() == 10);
  REQUIRE_FALSE(tank.reserve(10, 25));
  tank.refuse(10, 25);
  onsite.after_refusal(10, 25);
  CHECK(calendar.pending() == 0); // no events: the end is computed at the next look
  onsite.catch_up(60);
  CHECK_FALSE(tank.dry());
  CHECK(tank.level() == 60);
  const auto report = tank.end_window(60, onsite.energy_kwh());
  CHECK(report.stockout_min == 15);
  CHECK(report.delivered_kg == 60);
  CHECK(report.energy_kwh == 3000);
}

TEST_CASE(
    "supply::Onsite: a dry spell through the night ends when the morning's production covers it") {
  // The day profile; empty storage. At 05:00 a vehicle wanting 20 kg is turned away. Production
  // starts at 06:00 at 20 kg/h: 20 kg at 07:00. The next look, at 08:00, finds 40 kg, and the
  // spell lasted 07:00 - 05:00 = 120 minutes. 40 kg x 50 kWh/kg = 2000 kWh.
  const StationSpec station = station_with(1000, 0, day_profile());
  HeapCalendar calendar;
  Tank tank(1000, 0);
  tank.begin_window(0, 0);
  Onsite onsite({&station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, {}});
  onsite.catch_up(300);
  REQUIRE_FALSE(tank.reserve(300, 20));
  tank.refuse(300, 20);
  onsite.catch_up(480);
  CHECK(tank.level() == Approx(40));
  const auto report = tank.end_window(480, onsite.energy_kwh());
  CHECK(report.stockout_min == Approx(120));
  CHECK(report.energy_kwh == Approx(2000));
}

TEST_CASE("supply::Onsite: nothing is produced while storage is full") {
  // 60 kg/h into 100 kg of storage holding 90: full after 10 of the first 60 minutes, and the
  // other 50 kg are not made (nor their electricity). A fill of 50 at 60 leaves 50; by 90, 30 more.
  const StationSpec station = station_with(100, 90, OnsiteParams{60, {}, 50});
  HeapCalendar calendar;
  Tank tank(100, 90);
  tank.begin_window(0, 0);
  Onsite onsite({&station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, {}});
  onsite.catch_up(60);
  CHECK(tank.level() == 100);
  tank.draw(60, 50);
  onsite.after_draw(60);
  onsite.catch_up(90);
  CHECK(tank.level() == 80);
  CHECK(onsite.energy_kwh() == 2000); // (10 + 30) kg x 50 kWh/kg
}
