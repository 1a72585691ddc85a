#pragma once

#include "../../core/distribution.hpp"
#include "../../core/params.hpp"

#include <optional>
#include <string>

namespace h2sim::models {

/** How drivers react to a queue. */
struct DriverSpec {
  std::optional<int> balk_if_waiting_over;  // seeing more waiting than this, go elsewhere
  std::optional<Distribution> patience_min; // leave the queue (reneged) after waiting this long
  int max_tries = 0;                        // fleet: stations tried in a round; 0 = all
  std::string after_last_try = "wait";      // fleet: at a round's last station: wait or leave
};

/** The parameters of `driver`: for fleets with max_tries and after_last_try. */
const params::Table& driver_table(bool fleet);

} // namespace h2sim::models
