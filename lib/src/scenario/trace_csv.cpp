#include "trace_csv.hpp"

#include "../core/csv.hpp"
#include "input_file.hpp"
#include "message.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>

namespace h2sim::scenario {

namespace {

// Bounds that keep every value finite where it is used (minutes, fill times, squared distances)
// and reject the absurd; those of the scenario's values (scenario_schema.cpp): a century (its
// max_days), one vehicle's fill (max_fill_kg), coordinates (max_km).
constexpr double max_time_min = 36500.0 * 24 * 60;
constexpr double max_kg = 1e4;
constexpr double max_km = 1e5;

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

/** The values of one line (see csv_split: blanks around values are trimmed), or why not CSV. */
CsvFields split(std::string_view line, std::size_t keep) {
  CsvFields values = csv_split(line, true, keep);
  if (values.unclosed) {
    values.error = "a quoted value is not closed on its line (values cannot span lines)";
  }
  return values;
}

/** A decimal number (`12`, `-3.5`, `1e3`), finite: csv_decimal. */
std::optional<double> decimal(const std::string& text) {
  double value = 0;
  return csv_decimal(text, value) ? std::optional<double>(value) : std::nullopt;
}

std::string too_large(const std::string& name, const TraceLimits& limits) {
  return name + " is larger than " + std::to_string(limits.max_bytes) +
         " bytes, the limit for a trace";
}

std::string format_bound(double value) {
  return std::to_string(static_cast<long long>(value)); // the bounds above are whole numbers
}

} // namespace

std::vector<TraceRow> read_trace(const std::string& path, const std::vector<StationSpec>& stations,
                                 const std::string& pointer, std::vector<Problem>& problems,
                                 const TraceLimits& limits, const std::optional<LatLon>& origin) {
  switch (check_input_file(path, limits.max_bytes)) {
  case InputFileProblem::none:
    break;
  case InputFileProblem::nul_in_name:
    problems.push_back({pointer, "the trace's file name contains a NUL byte"});
    return {};
  case InputFileProblem::cannot_read:
    problems.push_back({pointer, "cannot read the trace " + path});
    return {};
  case InputFileProblem::not_regular:
    problems.push_back({pointer, path + " is not a regular file (a trace must be one)"});
    return {};
  case InputFileProblem::too_large:
    problems.push_back({pointer, too_large(path, limits)});
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems.push_back({pointer, "cannot read the trace " + path});
    return {};
  }
  return read_trace(in, path, stations, pointer, problems, limits, origin);
}

std::vector<TraceRow> read_trace(std::istream& in, const std::string& name,
                                 const std::vector<StationSpec>& stations,
                                 const std::string& pointer, std::vector<Problem>& problems,
                                 const TraceLimits& limits, const std::optional<LatLon>& origin) {
  std::uintmax_t bytes = 0;
  // A line without its end (LF, or CRLF); false at the end of the trace or past its size limit.
  std::string line;
  const auto next_line = [&] {
    if (!std::getline(in, line)) {
      return false;
    }
    bytes += line.size() + (in.eof() ? 0 : 1); // the last line may have no line end
    if (bytes > limits.max_bytes) {
      problems.push_back({pointer, too_large(name, limits)});
      return false;
    }
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    return true;
  };
  if (!next_line()) {
    if (bytes == 0) {
      problems.push_back({pointer, name + " is empty: it needs a header line"});
    }
    return {};
  }
  if (line.starts_with(byte_order_mark)) { // Excel's "CSV UTF-8" begins with one
    line.erase(0, byte_order_mark.size());
  }
  const std::string header_at = name + " line 1: ";
  const CsvFields header = split(line, limits.max_columns);
  if (!header.error.empty()) {
    problems.push_back({pointer, header_at + header.error});
    return {};
  }
  if (header.count > limits.max_columns) {
    problems.push_back(
        {pointer, header_at + "more than " + std::to_string(limits.max_columns) + " columns"});
    return {};
  }
  std::map<std::string, std::size_t> column;
  std::size_t header_problems = 0;
  std::map<std::string, std::size_t> repeats; // of a name, beyond its first column
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    if (!column.emplace(header.cells[i], i).second) {
      ++repeats[header.cells[i]];
    }
  }
  for (const std::string& cell : header.cells) { // each repeated name once, in header order
    const auto it = repeats.find(cell);
    if (it != repeats.end() && it->second > 0) {
      const std::size_t times = it->second + 1;
      problems.push_back({pointer, header_at + "column " + brief_string(cell) + " appears " +
                                       (times == 2 ? "twice" : std::to_string(times) + " times")});
      ++header_problems;
      it->second = 0;
    }
  }
  const auto has = [&](const char* key) { return column.count(key) > 0; };
  const std::string time_column = has("time_min") ? "time_min" : "time_h";
  const double to_min = has("time_min") ? 1.0 : 60.0;
  const std::string time_rule = "a number >= 0 and <= " + format_bound(max_time_min / to_min);
  const auto header_needs = [&](const std::string& what) {
    problems.push_back({pointer, header_at + "the header needs " + what});
    ++header_problems;
  };
  if (!has("time_min") && !has("time_h")) {
    header_needs("time_h or time_min");
  } else if (has("time_min") && has("time_h")) { // which would the times be?
    header_needs("time_h or time_min, not both");
  }
  if (!has("kg")) {
    header_needs("kg");
  }
  const bool geographic = has("lat") || has("lon");
  if (geographic && (has("x_km") || has("y_km"))) {
    header_needs("either x_km and y_km or lat and lon, not both");
  } else if (geographic && !(has("lat") && has("lon"))) {
    header_needs("lat and lon together");
  } else if (geographic && !origin) {
    header_needs("lat and lon only with the scenario's /origin (the latitude and longitude of "
                 "its (0, 0) km)");
  } else if (!has("station") && !geographic && !(has("x_km") && has("y_km"))) {
    header_needs("station, or x_km and y_km (or lat and lon)");
  }
  if (header_problems > 0) {
    return {};
  }
  std::map<std::string, std::size_t> station_index;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    station_index.emplace(stations[i].id, i);
  }
  std::vector<TraceRow> rows;
  std::size_t row_problems = 0;
  std::size_t number_of_line = 1;
  std::size_t data_lines = 0;
  while (next_line()) {
    ++number_of_line;
    if (csv_blank(line)) {
      continue;
    }
    const std::string where = name + " line " + std::to_string(number_of_line) + ": ";
    if (++data_lines > limits.max_rows) {
      problems.push_back({pointer, where + "more than " + std::to_string(limits.max_rows) +
                                       " rows, the limit for a trace"});
      break;
    }
    // Rows are listed up to a limit, then only counted (see the summary below).
    const auto bad = [&](const std::string& message) {
      if (row_problems++ < limits.max_listed_problems) {
        problems.push_back({pointer, where + message});
      }
    };
    const CsvFields cells = split(line, header.count);
    if (!cells.error.empty()) {
      bad(cells.error);
      continue;
    }
    if (cells.count != header.count) {
      bad("has " + std::to_string(cells.count) + " values for " + std::to_string(header.count) +
          " columns");
      continue;
    }
    const auto cell = [&](const char* key) -> const std::string& {
      return cells.cells[column.at(key)];
    };
    TraceRow row;
    const auto time = decimal(cell(time_column.c_str()));
    if (!time || *time < 0 || *time * to_min > max_time_min) {
      bad(time_column + " must be " + time_rule + " (got " +
          brief_string(cell(time_column.c_str())) + ")");
      continue;
    }
    row.time_min = *time * to_min;
    const auto kg = decimal(cell("kg"));
    if (!kg || *kg <= 0 || *kg > max_kg) {
      bad("kg must be a number > 0 and <= " + format_bound(max_kg) + " (got " +
          brief_string(cell("kg")) + ")");
      continue;
    }
    row.kg = *kg;
    if (has("vehicle")) {
      row.vehicle = cell("vehicle");
    }
    if (has("station") && !cell("station").empty()) {
      const auto it = station_index.find(cell("station"));
      if (it == station_index.end()) {
        bad("no station " + brief_string(cell("station")) + " in /stations");
        continue;
      }
      row.station = it->second;
    } else if (geographic) {
      const auto lat = decimal(cell("lat"));
      const auto lon = decimal(cell("lon"));
      if (!lat || !lon || std::abs(*lat) > 90 || std::abs(*lon) > 180) {
        bad("needs a station, or numbers lat from -90 to 90 and lon from -180 to 180");
        continue;
      }
      const auto [x, y] = project_equirectangular({*lat, *lon}, *origin);
      row.at = Point{x, y};
    } else {
      const auto x = has("x_km") ? decimal(cell("x_km")) : std::nullopt;
      const auto y = has("y_km") ? decimal(cell("y_km")) : std::nullopt;
      if (!x || !y || std::abs(*x) > max_km || std::abs(*y) > max_km) {
        bad("needs a station, or numbers x_km and y_km from -" + format_bound(max_km) + " to " +
            format_bound(max_km));
        continue;
      }
      row.at = Point{*x, *y};
    }
    rows.push_back(std::move(row));
  }
  if (row_problems > limits.max_listed_problems) {
    problems.push_back({pointer, name + ": " +
                                     std::to_string(row_problems - limits.max_listed_problems) +
                                     " more bad rows, not listed"});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const TraceRow& a, const TraceRow& b) { return a.time_min < b.time_min; });
  return rows;
}

} // namespace h2sim::scenario
