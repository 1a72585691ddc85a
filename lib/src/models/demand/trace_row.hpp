#pragma once

#include "../../core/geometry.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace h2sim::models {

/** One observed refuelling request of a trace. */
struct TraceRow {
  double time_min = 0;
  std::string vehicle;
  std::optional<std::size_t> station; // index in the scenario's stations; else the nearest open
  Point at;                           // ...station to this point
  double kg = 0;
};

} // namespace h2sim::models
