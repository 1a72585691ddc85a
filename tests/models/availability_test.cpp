// When a station is closed, known for the whole run at the start: opening hours, maintenance and
// breakdowns merged into one list of closures. Fixed distributions make breakdowns hand-computable.
#include "models/availability.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using h2sim::Distribution;
using h2sim::RandomStream;
using h2sim::models::Availability;
using h2sim::models::AvailabilitySpec;
using h2sim::models::MaintenanceWindow;

namespace {
/**
 * Open 06:00-22:00; maintenance on day 1 from 20:00 for 4 h and on day 2 from 05:00 for 3 h.
 * Over 3 days (4320 min) the closures are, merged:
 *   [0, 360)        night of day 0
 *   [1320, 1800)    22:00 day 0 to 06:00 day 1
 *   [2640, 3360)    maintenance from 20:00 day 1, the night, maintenance until 08:00 day 2
 *   [4200, 4320)    22:00 day 2 to the end
 * and the outages (maintenance only) are [2640, 2880) and [3180, 3360).
 */
Availability with_maintenance() {
  AvailabilitySpec spec;
  spec.hours = std::vector<double>{6, 22};
  spec.maintenance = {MaintenanceWindow{1, 20, 4}, MaintenanceWindow{2, 5, 3}};
  return Availability(spec, RandomStream(1, 0, 1), 3 * 1440.0);
}
} // namespace

TEST_CASE("models::Availability: opening hours close the station every night") {
  AvailabilitySpec spec;
  spec.hours = std::vector<double>{6, 22};
  const Availability availability(spec, RandomStream(1, 0, 1), 2 * 1440.0);
  CHECK_FALSE(availability.open_at(0));
  CHECK_FALSE(availability.open_at(359.9));
  CHECK(availability.open_at(360)); // closures are [start, end): open at 06:00 sharp
  CHECK(availability.open_at(1319.9));
  CHECK_FALSE(availability.open_at(1320)); // closed at 22:00 sharp
  CHECK(availability.next_open(1000) == 1000);
  CHECK(availability.next_open(1320) == 1440 + 360);
  CHECK(availability.next_open(100) == 360);
  // 8 h a night: 480 min a day, none of it an outage.
  CHECK(availability.closed_min(0, 2 * 1440) == 960);
  CHECK(availability.closed_min(300, 400) == 60); // 05:00-06:00
  CHECK(availability.outage_min(0, 2 * 1440) == 0);
}

TEST_CASE("models::Availability: maintenance windows merge with the night into one closure") {
  const Availability availability = with_maintenance();
  // From 20:00 on day 1 the station is closed until 08:00 on day 2, not 06:00.
  CHECK(availability.next_open(2640) == 3360);
  CHECK(availability.next_open(2700) == 3360);
  CHECK(availability.next_open(3000) == 3360);
  CHECK_FALSE(availability.open_at(3300)); // 07:00 day 2: the night is over, maintenance is not
  CHECK(availability.open_at(3360));
  CHECK(availability.open_at(2639)); // 19:59 day 1
  // The whole run: 360 + 480 + 720 + 120 = 1680 min closed, i.e. three nights (1440) plus the
  // maintenance outside them (20:00-22:00 day 1, 06:00-08:00 day 2: 240).
  CHECK(availability.closed_min(0, 4320) == 1680);
  // Day 1 alone: its night (360) and 20:00-24:00 (240).
  CHECK(availability.closed_min(1440, 2880) == 600);
  // Outages count the maintenance whole, even where the station was closed anyway: 240 + 180.
  CHECK(availability.outage_min(0, 4320) == 420);
  CHECK(availability.outage_min(2700, 3000) == 180); // 2700-2880; 2880-3000 is no outage
}

TEST_CASE("models::Availability: closures end with the horizon they were drawn for") {
  const Availability availability = with_maintenance();
  CHECK(availability.next_open(4300) == 4320); // the last night is cut at the horizon
  CHECK(availability.open_at(5000));
  CHECK(availability.closed_min(4000, 6000) == 120);
}

TEST_CASE("models::Availability: breakdowns every 10 h for 2 h, with and without opening hours") {
  // Up 10 h, down 2 h, from 0: [600, 720), [1320, 1440), [2040, 2160), [2760, 2880); the next
  // would start at 3480, beyond the 2-day horizon. 480 min of outages.
  AvailabilitySpec spec;
  spec.outages = h2sim::models::Outages{Distribution::fixed(10), Distribution::fixed(2)};
  const Availability always(spec, RandomStream(1, 0, 1), 2 * 1440.0);
  CHECK(always.outage_min(0, 2880) == 480);
  CHECK(always.closed_min(0, 2880) == 480);
  CHECK(always.next_open(650) == 720);
  CHECK(always.next_open(2100) == 2160);
  // Open 06:00-22:00 as well: two nights (960) plus the breakdowns in open hours, [600, 720) and
  // [2040, 2160) (240); the other two fall at 22:00-24:00, closed anyway. Outages stay 480.
  spec.hours = std::vector<double>{6, 22};
  const Availability daily(spec, RandomStream(1, 0, 1), 2 * 1440.0);
  CHECK(daily.closed_min(0, 2880) == 1200);
  CHECK(daily.outage_min(0, 2880) == 480);
}

TEST_CASE("models::Availability: next_open agrees with a search of the closures at any order") {
  // next_open remembers where it found the last time: times that go forward by a little or a
  // lot, back, or repeat must give what a search of the whole list gives.
  AvailabilitySpec spec;
  spec.hours = std::vector<double>{6, 22};
  spec.outages = h2sim::models::Outages{Distribution::exponential(5), Distribution::fixed(0.5)};
  const double until = 60 * 1440.0;
  const Availability availability(spec, RandomStream(7, 0, 1), until);
  const auto& closures = availability.closures();
  REQUIRE(closures.size() > 200);
  const auto searched = [&](double t) {
    for (auto it = closures.rbegin(); it != closures.rend(); ++it) {
      if (it->first <= t) {
        return t < it->second ? it->second : t;
      }
    }
    return t;
  };
  RandomStream rng(11, 0, 1);
  const auto any = [&] {
    return closures[static_cast<std::size_t>(rng.uniform() * static_cast<double>(closures.size()))];
  };
  double t = 0;
  for (int i = 0; i < 20000; ++i) {
    const double u = rng.uniform();
    if (u < 0.6) {
      t += rng.uniform() * 30; // a little later
    } else if (u < 0.8) {
      t = rng.uniform() * until; // anywhere
    } else if (u < 0.9) {
      t = any().first; // a start
    } else if (u < 0.95) {
      t = any().second; // an end
    }                   // else the same time again
    t = std::min(t, until + 100);
    REQUIRE(availability.next_open(t) == searched(t));
  }
}
