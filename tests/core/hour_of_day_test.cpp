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
