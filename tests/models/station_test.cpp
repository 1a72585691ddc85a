// A visit's path through one station, without the engine: closed? full, or put off by the queue?
// would the driver renege? can the tank promise the hydrogen? then the dispensers take it. A heap
// calendar stands in for the engine and a recorder for the metrics.
#include "../fakes.hpp"
#include "models/dispensers.hpp"
#include "models/station.hpp"
#include "models/supply/supply.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

using h2sim::Distribution;
using h2sim::RandomStream;
using h2sim::models::Availability;
using h2sim::models::DriverLimits;
using h2sim::models::FcfsDispensers;
using h2sim::models::Outcome;
using h2sim::models::Station;
using h2sim::models::StationSpec;
using h2sim::models::Visit;
using h2sim::test::HeapCalendar;
using h2sim::test::Recorder;

namespace {
const std::optional<Distribution> no_fill_time;

/** One dispenser at 1 kg/min, no overhead: a fill of k kg takes k minutes. */
StationSpec one_dispenser() {
  StationSpec spec;
  spec.id = "S";
  spec.dispensers = 1;
  spec.fill_rate_kg_per_min = 1;
  return spec;
}

/** The station the network would build: FCFS dispensers, its availability, its tank if finite. */
Station build(const StationSpec& spec, HeapCalendar& calendar, Recorder& recorder) {
  std::unique_ptr<Availability> availability;
  if (spec.availability) {
    availability =
        std::make_unique<Availability>(*spec.availability, RandomStream(1, 0, 1), 7 * 1440.0);
  }
  auto dispensers =
      std::make_unique<FcfsDispensers>(spec, no_fill_time, availability.get(), calendar, recorder);
  std::optional<h2sim::models::SupplyContext> supply;
  if (spec.finite()) {
    supply =
        h2sim::models::SupplyContext{nullptr, nullptr, &calendar, RandomStream(1, 0, 2), {}, {}};
  }
  return Station(spec, 0, std::move(dispensers), std::move(availability),
                 supply ? &*supply : nullptr, recorder);
}

DriverLimits balking_over(std::size_t waiting) {
  DriverLimits driver;
  driver.balk_if_waiting_over = waiting;
  return driver;
}

DriverLimits patient_for(double minutes) {
  DriverLimits driver;
  driver.patience_min = minutes;
  return driver;
}
} // namespace

TEST_CASE(
    "models::FcfsDispensers: starts and ends are known on arrival, hydrogen drawn at the start") {
  // Two dispensers at 2 kg/min with 1 min of overhead: a 10 kg fill takes 1 + 10 / 2 = 6 min.
  // Arrivals at 0, 1, 2, 3 start at 0, 1, 6 (the first dispenser frees), 7 (the second).
  StationSpec spec = one_dispenser();
  spec.dispensers = 2;
  spec.fill_rate_kg_per_min = 2;
  spec.overhead_min = 1;
  HeapCalendar calendar;
  Recorder recorder;
  FcfsDispensers dispensers(spec, no_fill_time, nullptr, calendar, recorder);
  RandomStream rng(1, 0, 1);
  std::vector<double> drawn_at;
  std::vector<double> done_at;
  for (const double arrival : {0.0, 1.0, 2.0, 3.0}) {
    calendar.run(arrival);
    Visit visit;
    visit.arrival = arrival;
    visit.kg = 10;
    h2sim::models::Dispensers::Hooks hooks;
    hooks.on_start = [&](double at) { drawn_at.push_back(at); };
    hooks.done = [&](const Visit& seen) { done_at.push_back(seen.start); };
    dispensers.admit(visit, dispensers.fill_min(visit.kg, rng), INFINITY, std::move(hooks));
  }
  // The observer saw every visit on arrival, with its computed start and end.
  REQUIRE(recorder.visits.size() == 4);
  CHECK(recorder.visits[2].start == 6);
  CHECK(recorder.visits[2].end == 12);
  CHECK(recorder.visits[3].start == 7);
  CHECK(recorder.visits[3].end == 13);
  CHECK(recorder.visits[2].waiting == 1);
  CHECK(recorder.visits[3].waiting == 2);
  CHECK(recorder.visits[3].outcome == Outcome::served);
  CHECK(recorder.visits[3].kg == 10);
  CHECK(done_at == std::vector<double>{0, 1, 6, 7});
  // The hydrogen of those who did not wait is drawn at once, the others' when their fills start.
  CHECK(drawn_at == std::vector<double>{0, 1});
  calendar.run();
  CHECK(drawn_at == std::vector<double>{0, 1, 6, 7});
}

TEST_CASE("models::FcfsDispensers: a drawn fill time replaces overhead + kg / rate") {
  StationSpec spec = one_dispenser();
  const std::optional<Distribution> seven = Distribution::fixed(7);
  HeapCalendar calendar;
  Recorder recorder;
  FcfsDispensers dispensers(spec, seven, nullptr, calendar, recorder);
  RandomStream rng(1, 0, 1);
  Visit visit;
  visit.kg = 100; // 100 min at the fill rate, 7 as drawn
  dispensers.admit(visit, dispensers.fill_min(visit.kg, rng), INFINITY, {});
  REQUIRE(recorder.visits.size() == 1);
  CHECK(recorder.visits[0].end == 7);
}

TEST_CASE(
    "models::FcfsDispensers: a driver reneges on arrival when the computed wait exceeds patience") {
  // Fills of 10 min. A arrives at 0: [0, 10]. B at 2 with 5 min of patience would start at 10,
  // 8 min later: it leaves at 7, standing in the queue until then. C at 3 with 7 min of patience
  // waits exactly 7: it stays, [10, 20], and sees B and itself waiting. B is gone at 7: D at 8
  // sees only C waiting, and itself.
  StationSpec spec = one_dispenser();
  HeapCalendar calendar;
  Recorder recorder;
  FcfsDispensers dispensers(spec, no_fill_time, nullptr, calendar, recorder);
  RandomStream rng(1, 0, 1);
  const auto arrive = [&](double at) {
    Visit visit;
    visit.arrival = at;
    visit.kg = 10;
    return visit;
  };
  dispensers.admit(arrive(0), dispensers.fill_min(10, rng), INFINITY, {});
  Visit b = arrive(2);
  REQUIRE(dispensers.renege_on_arrival(b, 5));
  CHECK(b.outcome == Outcome::reneged);
  CHECK(b.start == 7);
  CHECK(b.end == 7);
  CHECK(b.waiting == 1);
  Visit c = arrive(3);
  REQUIRE_FALSE(dispensers.renege_on_arrival(c, 7));
  dispensers.admit(c, dispensers.fill_min(c.kg, rng), 7, {});
  CHECK(recorder.visits.back().start == 10);
  CHECK(recorder.visits.back().waiting == 2);
  CHECK(dispensers.waiting(7) == 1);
  dispensers.admit(arrive(8), dispensers.fill_min(10, rng), INFINITY, {});
  CHECK(recorder.visits.back().start == 20);
  CHECK(recorder.visits.back().waiting == 2);
}

TEST_CASE("models::Station: an arrival that finds the queue full balks and dispenses nothing") {
  // One dispenser, room for one to wait, fills of 10 min. A at 0: [0, 10]. B at 1 waits: [10, 20].
  // C at 2 finds B waiting: the queue is full. D at 10 finds B just started: room again, [20, 30].
  StationSpec spec = one_dispenser();
  spec.queue_capacity = 1;
  HeapCalendar calendar;
  Recorder recorder;
  Station station = build(spec, calendar, recorder);
  RandomStream rng(1, 0, 1);
  std::vector<Outcome> told;
  const auto done = [&](const Visit& visit) { told.push_back(visit.outcome); };
  for (const double at : {0.0, 1.0, 2.0, 10.0}) {
    station.refuel(at, 10, rng, 0, done, DriverLimits{});
  }
  REQUIRE(recorder.visits.size() == 4);
  CHECK(recorder.visits[1].start == 10);
  CHECK(recorder.visits[2].outcome == Outcome::balked);
  CHECK(recorder.visits[2].kg == 0);
  CHECK(recorder.visits[2].waiting == 1);
  CHECK(recorder.visits[3].outcome == Outcome::served);
  CHECK(recorder.visits[3].start == 20);
  CHECK(told ==
        std::vector<Outcome>{Outcome::served, Outcome::served, Outcome::balked, Outcome::served});
}

TEST_CASE("models::Station: a driver balks when more are waiting than they would join") {
  // Unlimited queue, fills of 10 min, drivers who balk above one waiting. A at 0, B at 1 (sees 0
  // waiting). C at 2 sees 1, not more than 1: joins, [20, 30]. D at 3 sees B and C: balks. E at 10
  // sees only C (B started): joins, [30, 40].
  StationSpec spec = one_dispenser();
  HeapCalendar calendar;
  Recorder recorder;
  Station station = build(spec, calendar, recorder);
  RandomStream rng(1, 0, 1);
  for (const double at : {0.0, 1.0, 2.0, 3.0, 10.0}) {
    station.refuel(at, 10, rng, 0, {}, balking_over(1));
  }
  REQUIRE(recorder.visits.size() == 5);
  CHECK(recorder.visits[2].outcome == Outcome::served);
  CHECK(recorder.visits[2].start == 20);
  CHECK(recorder.visits[3].outcome == Outcome::balked);
  CHECK(recorder.visits[3].waiting == 2);
  CHECK(recorder.visits[4].outcome == Outcome::served);
  CHECK(recorder.visits[4].start == 30);
  CHECK(recorder.visits[4].waiting == 2); // C and E
}

TEST_CASE(
    "models::Station: closed hours divert, push starts to the opening and make drivers renege") {
  // Open 06:00-22:00, one dispenser, fills of 15 min. A at 21:50 (1310): [1310, 1325], finishing
  // after closing. B at 21:55 (1315) would start at 1325, but the station is closed: at 06:00 the
  // next day (1800), [1800, 1815]. C at 21:58 (1318), patient for 60 min, would start at 1815:
  // it leaves at 1378. D at 23:00 (1380): closed, and sees B waiting (C has left).
  StationSpec spec = one_dispenser();
  spec.availability = h2sim::models::AvailabilitySpec{};
  spec.availability->hours = std::vector<double>{6, 22};
  HeapCalendar calendar;
  Recorder recorder;
  Station station = build(spec, calendar, recorder);
  RandomStream rng(1, 0, 1);
  station.refuel(1310, 15, rng, 0, {}, DriverLimits{});
  station.refuel(1315, 15, rng, 0, {}, DriverLimits{});
  station.refuel(1318, 15, rng, 0, {}, patient_for(60));
  station.refuel(1380, 15, rng, 0, {}, DriverLimits{});
  REQUIRE(recorder.visits.size() == 4);
  CHECK(recorder.visits[0].end == 1325);
  CHECK(recorder.visits[1].start == 1800);
  CHECK(recorder.visits[1].end == 1815);
  CHECK(recorder.visits[2].outcome == Outcome::reneged);
  CHECK(recorder.visits[2].start == 1378);
  CHECK(recorder.visits[2].kg == 0);
  CHECK(recorder.visits[3].outcome == Outcome::closed);
  CHECK(recorder.visits[3].kg == 0);
  CHECK(recorder.visits[3].waiting == 1);
  // The window's closures go to the observer: the night of day 0, 22:00 to 06:00 (480 min).
  station.end_window(1440 - 120, 1440 + 480);
  REQUIRE(recorder.availabilities.size() == 1);
  CHECK(recorder.availabilities[0].closed_min == 480);
  CHECK(recorder.availabilities[0].outage_min == 0);
}

TEST_CASE(
    "models::Station: a vehicle the tank cannot cover is turned away dry, the next is served") {
  // Storage 100 holding 30, no resupply; one dispenser at 1 kg/min. A wants 20 at 0: promised,
  // drawn at once (10 left), [0, 20]. B wants 15 at 5: only 10 free, turned away: dry from 5.
  // C wants 8 at 6: promised, so the station serves again (dry 1 min); its 8 kg leave the tank
  // when its fill starts, at 20. Conservation: 30 + 0 = 20 + 8 + 2.
  StationSpec spec = one_dispenser();
  spec.storage = h2sim::models::StorageSpec{100, 30};
  HeapCalendar calendar;
  Recorder recorder;
  Station station = build(spec, calendar, recorder);
  RandomStream rng(1, 0, 1);
  station.start(0);
  station.begin_window(0);
  station.refuel(0, 20, rng, 0, {}, DriverLimits{});
  calendar.run(5);
  station.refuel(5, 15, rng, 0, {}, DriverLimits{});
  calendar.run(6);
  station.refuel(6, 8, rng, 0, {}, DriverLimits{});
  REQUIRE(recorder.visits.size() == 3);
  CHECK(recorder.visits[1].outcome == Outcome::turned_away);
  CHECK(recorder.visits[1].kg == 0);
  CHECK(recorder.visits[2].outcome == Outcome::served);
  CHECK(recorder.visits[2].start == 20);
  CHECK(recorder.visits[2].kg == 8);
  calendar.run(10);
  station.end_window(0, 10);
  REQUIRE(recorder.supplies.size() == 1);
  CHECK(recorder.supplies[0].second.inventory_end_kg == 10); // C's 8 kg are promised, not drawn
  calendar.run();
  station.end_window(0, 30);
  REQUIRE(recorder.supplies.size() == 2);
  const auto& report = recorder.supplies[1].second;
  CHECK(report.inventory_start_kg == 30);
  CHECK(report.inventory_end_kg == 2);
  CHECK(report.inventory_min_kg == 2);
  CHECK(report.delivered_kg == 0);
  CHECK(report.stockout_min == 1);
}
