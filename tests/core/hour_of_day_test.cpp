#include "core/hour_of_day.hpp"

#include <doctest/doctest.h>

#include <cmath>

TEST_CASE("core::hour_of_day: the hour of day fmod gives, for every whole hour of a long run") {
  for (double hour = 0; hour < 24.0 * 365 * 40; hour += 1.0) {
    REQUIRE(h2sim::hour_of_day(hour) == static_cast<std::size_t>(std::fmod(hour, 24.0)));
  }
  CHECK(h2sim::hour_of_day(23.0) == 23);
  CHECK(h2sim::hour_of_day(24.0) == 0);
  CHECK(h2sim::hour_of_day(9007199254740991.0) == 9007199254740991ULL % 24); // 2^53 - 1
  CHECK(h2sim::hour_of_day(9007199254740992.0) ==
        static_cast<std::size_t>(std::fmod(9007199254740992.0, 24.0))); // past exact integers
  CHECK(h2sim::hour_of_day(1e300) == static_cast<std::size_t>(std::fmod(1e300, 24.0)));
}

TEST_CASE("core::hour_of_day_at: the hour of day of floor(minute / 60), at and between the hours") {
  const auto expected = [](double minute) {
    return static_cast<std::size_t>(std::fabs(std::fmod(std::floor(minute / 60.0), 24.0)));
  };
  // Every minute of 4 years, and the doubles just below and above every 7th hour's edge of 40.
  for (double minute = 0; minute < 1440.0 * 365 * 4; minute += 1.0) {
    REQUIRE(h2sim::hour_of_day_at(minute) == expected(minute));
  }
  for (double hour = 1; hour < 24.0 * 365 * 40; hour += 7.0) {
    const double edge = hour * 60.0;
    REQUIRE(h2sim::hour_of_day_at(std::nextafter(edge, 0.0)) ==
            expected(std::nextafter(edge, 0.0)));
    REQUIRE(h2sim::hour_of_day_at(std::nextafter(edge, 1e300)) ==
            expected(std::nextafter(edge, 1e300)));
  }
  CHECK(h2sim::hour_of_day_at(59.999) == 0);
  CHECK(h2sim::hour_of_day_at(60.0) == 1);
  CHECK(h2sim::hour_of_day_at(1439.5) == 23);
  CHECK(h2sim::hour_of_day_at(1440.0) == 0);
  // Outside the exact integers, and before the run: what hour_of_day(floor(minute / 60)) gives.
  CHECK(h2sim::hour_of_day_at(-30.0) == h2sim::hour_of_day(-1.0));
  CHECK(h2sim::hour_of_day_at(1e300) == h2sim::hour_of_day(std::floor(1e300 / 60.0)));
  std::int64_t hours = 0;
  CHECK_FALSE(h2sim::whole_hours(-0.5, hours));
  CHECK_FALSE(h2sim::whole_hours(9007199254740992.0 * 60.0, hours));
  REQUIRE(h2sim::whole_hours(90.0, hours));
  CHECK(hours == 1);
}
