#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace h2sim {

/**
 * The hour of day (0 to 23) of the `hour`-th hour of the run, `hour` a whole number of hours
 * (floor of minutes / 60). Exactly `fmod(hour, 24)`, without fmod's cost on the hot path: every
 * visit and every arrival of an hourly profile asks.
 */
inline std::size_t hour_of_day(double hour) {
  constexpr double exact_integers = 9007199254740992.0; // 2^53
  if (hour >= 0 && hour < exact_integers) {
    return static_cast<std::size_t>(static_cast<std::uint64_t>(hour) % 24U);
  }
  return static_cast<std::size_t>(std::fabs(std::fmod(hour, 24.0)));
}

/**
 * The number of whole hours in `minute` minutes, floor(minute / 60), as an integer when it is one
 * exactly (0 <= minute / 60 < 2^53); nothing otherwise. Truncation is the floor of a non-negative
 * number: one conversion, not floor's sequence and a second conversion, on the hot path.
 */
inline bool whole_hours(double minute, std::int64_t& hours) {
  constexpr double exact_integers = 9007199254740992.0; // 2^53
  const double hour = minute / 60.0;
  if (hour >= 0 && hour < exact_integers) {
    hours = static_cast<std::int64_t>(hour);
    return true;
  }
  return false;
}

/** The hour of day of `minute` minutes into the run: exactly hour_of_day(floor(minute / 60)). */
inline std::size_t hour_of_day_at(double minute) {
  std::int64_t hours = 0;
  if (whole_hours(minute, hours)) {
    return static_cast<std::size_t>(static_cast<std::uint64_t>(hours) % 24U);
  }
  return hour_of_day(std::floor(minute / 60.0));
}

} // namespace h2sim
