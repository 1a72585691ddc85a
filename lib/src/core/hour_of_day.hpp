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

} // namespace h2sim
