#pragma once

#include "../core/limits.hpp"
#include "../core/params.hpp"

#include <string>
#include <vector>

namespace h2sim::models {

/** A field of exactly 24 multipliers of a rate, hour 0 (midnight) first; absent: all 1. */
template <class S, class Access> params::Field hourly_profile(Access access) {
  return params::Of<S>::numbers("hourly_profile", access)
      .describe("24 multipliers of the rate, hour 0 (midnight) first")
      .at_least(0)
      .at_most(limits::multiplier)
      .exactly_items(24)
      .optional();
}

} // namespace h2sim::models
