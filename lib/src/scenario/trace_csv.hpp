#pragma once

#include "../models/demand/trace_row.hpp"
#include "../models/station.hpp"

#include <h2sim/h2sim.hpp>

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace h2sim::scenario {

using models::StationSpec;
using models::TraceRow;

/**
 * What a trace may hold. A trace is read whole into memory (about 100 bytes a row), so its size is
 * bounded before anything is allocated for it; and a file with millions of bad rows gives a
 * readable list, not millions of problems.
 */
struct TraceLimits {
  std::uintmax_t max_bytes = std::uintmax_t{1} << 30; // 1 GiB
  std::size_t max_rows = 10'000'000;
  std::size_t max_columns = 1000;
  std::size_t max_listed_problems = 100; // bad rows beyond these are counted, not listed
};

/**
 * Reads a trace: a CSV with a header naming its columns — `time_h` or `time_min`, `kg`, and
 * `station` (an id of `stations`) or `x_km` and `y_km` (or `lat` and `lon`, in degrees, projected
 * about `origin` as the scenario's places are; without an origin they are refused); `vehicle` is
 * optional; other columns are ignored. Every problem is at `pointer` and names the file and line;
 * rows come back sorted by time (stable).
 *
 * The CSV is RFC 4180 as spreadsheets write it: an optional UTF-8 byte-order mark, LF or CRLF line
 * ends, values optionally in double quotes (holding commas, and quotes doubled). A quoted value
 * cannot span lines: a quote left open at the end of a line is an error naming the line (a trace
 * has no use for a line break inside a value, and line numbers stay those an editor shows).
 * Numbers are decimal only (`12`, `-3.5`, `1e3`): no hexadecimal, no leading `+`, no inf or nan.
 *
 * `path` must name a regular file (not a directory, device or pipe) of at most
 * `limits.max_bytes`.
 */
std::vector<TraceRow> read_trace(const std::string& path, const std::vector<StationSpec>& stations,
                                 const std::string& pointer, std::vector<Problem>& problems,
                                 const TraceLimits& limits = {},
                                 const std::optional<LatLon>& origin = std::nullopt);

/** Reads a trace from `in`, as read_trace(path) does from a file; messages name it `name`. */
std::vector<TraceRow> read_trace(std::istream& in, const std::string& name,
                                 const std::vector<StationSpec>& stations,
                                 const std::string& pointer, std::vector<Problem>& problems,
                                 const TraceLimits& limits = {},
                                 const std::optional<LatLon>& origin = std::nullopt);

} // namespace h2sim::scenario
