#pragma once

#include <string>
#include <vector>

#include <h2sim/h2sim.hpp>
#include <h2sim/scenario.hpp>

namespace h2sim::scenario {

/**
 * Reads a trace: a CSV with a header naming its columns — `time_h` or `time_min`, `kg`, and
 * `station` (an id of `stations`) or `x_km` and `y_km`; `vehicle` is optional. Every bad row is a
 * problem at `pointer` naming the file and line; rows come back sorted by time (stable).
 */
std::vector<TraceRow> read_trace(const std::string& path, const std::vector<StationSpec>& stations,
                                 const std::string& pointer, std::vector<Problem>& problems);

} // namespace h2sim::scenario
