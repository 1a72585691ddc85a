// Models under inputs that once ran away: each stays bounded in events, memory and time.

#include "../fakes.hpp"
#include "models/availability.hpp"
#include "models/demand/fleet.hpp"
#include "models/supply/delivery.hpp"
#include "models/supply/tank.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using h2sim::test::HeapCalendar;

TEST_CASE("supply::Delivery: a refused fill larger than the storage orders only what could fit") {
  // Storage 1000 kg holding 800, reorder at 300, trailers of 500. A vehicle wanting 1e9 kg is
  // refused; counted as demand it could order two million trailers. Capped at the storage, the
  // position is 800 - 1000 = -200, but the room is 200: one trailer fills it (a second, which
  // once came too, could unload nothing).
  h2sim::models::StationSpec station;
  station.id = "S";
  station.storage = h2sim::models::StorageSpec{1000, 800};
  station.supply = h2sim::params::Model(
      "delivery", std::make_shared<h2sim::models::DeliveryParams>(h2sim::models::DeliveryParams{
                      500, 300, h2sim::Distribution::fixed(2), std::nullopt}));
  HeapCalendar calendar;
  h2sim::models::Tank tank(1000, 800);
  h2sim::models::Delivery delivery(h2sim::models::SupplyContext{
      &station, &tank, &calendar, h2sim::RandomStream(1, 0, 1), {}, {}});
  delivery.start(0);
  CHECK(calendar.pending() == 0);
  tank.refuse(0, 1e9);
  delivery.after_refusal(0, 1e9);
  CHECK(calendar.pending() == 1);
  calendar.run();
  CHECK(tank.level() == 1000);
}

TEST_CASE(
    "models::Availability: breakdowns too frequent for the horizon are an error, not a blow-up") {
  h2sim::models::AvailabilitySpec spec;
  spec.outages =
      h2sim::models::Outages{h2sim::Distribution::fixed(0.001), h2sim::Distribution::fixed(0.001)};
  CHECK_THROWS_WITH_AS(
      h2sim::models::Availability(spec, h2sim::RandomStream(1, 0, 1), 36500 * 1440.0),
      "more than 1000000 breakdowns in the run: availability.outages.mtbf_h is too short for the "
      "horizon",
      std::runtime_error);
  // A breakdown a week for a century is fine: 5,200 closures.
  spec.outages->mtbf_h = h2sim::Distribution::fixed(168);
  CHECK_NOTHROW(h2sim::models::Availability(spec, h2sim::RandomStream(1, 0, 1), 36500 * 1440.0));
}

TEST_CASE("models::Fleet: driving a huge tank in shifts takes one step per refuelling, computed by "
          "hand") {
  // 8-hour shifts from 06:00. From midnight, 1e6 days of mileage end on day 999,999 at 14:00
  // (the last shift's end): 999,999 whole days, then one full shift.
  h2sim::models::VehicleClass vc;
  vc.shift = h2sim::models::Shift{6, 8};
  CHECK(h2sim::models::Fleet::after_driving(vc, 0, 1e6) == (999999 * 1440.0 + 14 * 60));
  // Half a day's mileage from 07:00: four hours of driving, until 11:00.
  CHECK(h2sim::models::Fleet::after_driving(vc, 7 * 60, 0.5) == 11 * 60);
  // 2.5 days from 15:00 (after the shift): two whole days take to 15:00 two days on, then half a
  // shift of the next day: 06:00 + 4 h = 10:00 on day 3.
  CHECK(h2sim::models::Fleet::after_driving(vc, 15 * 60, 2.5) == 3 * 1440 + 10 * 60);
}

TEST_CASE(
    "models::Fleet: mileage too small to matter in shifts ends beyond any run, not in a loop") {
  // A daily_km of 1e-16 (or a skewed draw near 0) puts the next refuelling some 1e19 minutes on,
  // where adding a day's 1440 minutes to a double changes nothing: the walk from shift to shift
  // never ended.
  h2sim::models::VehicleClass vc;
  vc.shift = h2sim::models::Shift{6, 8};
  const double days = 1e16;
  const double at = h2sim::models::Fleet::after_driving(vc, 0, days);
  CHECK(at == days * 1440.0); // as without shifts: no run reaches it
  CHECK(h2sim::models::Fleet::after_driving(vc, 0, 1e300) == 1e300 * 1440.0);
  // Up to a billion days the shifts still count, a day at a time.
  CHECK(h2sim::models::Fleet::after_driving(vc, 0, 1e9) == ((1e9 - 1) * 1440.0 + 14 * 60));
}
