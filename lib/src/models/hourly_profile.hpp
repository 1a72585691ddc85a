#pragma once

#include "../core/limits.hpp"
#include "../core/params.hpp"

#include <string>
#include <vector>

namespace h2sim::models {

/** A field of 24 multipliers of a rate, hour 0 (midnight) first; absent: all 1. */
template <class S, class Access> params::Field hourly_profile(Access access) {
  return params::Of<S>::numbers("hourly_profile", access)
      .describe("24 multipliers of the rate, hour 0 (midnight) first")
      .at_least(0)
      .at_most(limits::multiplier)
      .items(24)
      .optional();
}

/** The rule of an hourly profile: one multiplier per hour, when one is given. */
inline void check_hourly_profile(const std::vector<double>& profile, params::Checker& check) {
  if (check.valid("hourly_profile") && !profile.empty() && profile.size() != 24) {
    check.problem("hourly_profile", "must have 24 values (one per hour)");
  }
}

} // namespace h2sim::models
