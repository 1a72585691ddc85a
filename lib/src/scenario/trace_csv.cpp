#include "trace_csv.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace h2sim::scenario {

namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  const auto last = text.find_last_not_of(" \t\r");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) {
    cells.push_back(trim(cell));
  }
  if (!line.empty() && line.back() == ',') {
    cells.emplace_back();
  }
  return cells;
}

std::optional<double> number(const std::string& text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) {
      return value;
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

} // namespace

std::vector<TraceRow> read_trace(const std::string& path, const std::vector<StationSpec>& stations,
                                 const std::string& pointer, std::vector<Problem>& problems) {
  std::ifstream in(path);
  if (!in) {
    problems.push_back({pointer, "cannot read the trace " + path});
    return {};
  }
  std::string line;
  if (!std::getline(in, line)) {
    problems.push_back({pointer, path + " is empty: it needs a header line"});
    return {};
  }
  std::map<std::string, std::size_t> column;
  const std::vector<std::string> header = split(line);
  for (std::size_t i = 0; i < header.size(); ++i) {
    column[header[i]] = i;
  }
  const auto has = [&](const char* name) { return column.count(name) > 0; };
  const std::string time_column = has("time_min") ? "time_min" : "time_h";
  const double to_min = has("time_min") ? 1.0 : 60.0;
  if (!has("time_min") && !has("time_h")) {
    problems.push_back({pointer, path + " line 1: the header needs time_h or time_min"});
  }
  if (!has("kg")) {
    problems.push_back({pointer, path + " line 1: the header needs kg"});
  }
  if (!has("station") && !(has("x_km") && has("y_km"))) {
    problems.push_back({pointer, path + " line 1: the header needs station, or x_km and y_km"});
  }
  if (!problems.empty()) {
    return {};
  }
  std::map<std::string, std::size_t> station_index;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    station_index.emplace(stations[i].id, i);
  }
  std::vector<TraceRow> rows;
  std::size_t number_of_line = 1;
  while (std::getline(in, line)) {
    ++number_of_line;
    if (trim(line).empty()) {
      continue;
    }
    const std::vector<std::string> cells = split(line);
    const std::string where = path + " line " + std::to_string(number_of_line) + ": ";
    if (cells.size() != header.size()) {
      problems.push_back({pointer, where + "has " + std::to_string(cells.size()) +
                                       " values for " + std::to_string(header.size()) + " columns"});
      continue;
    }
    const auto cell = [&](const char* name) { return cells[column.at(name)]; };
    TraceRow row;
    const auto time = number(cell(time_column.c_str()));
    if (!time || *time < 0) {
      problems.push_back({pointer, where + time_column + " must be a number >= 0"});
      continue;
    }
    row.time_min = *time * to_min;
    const auto kg = number(cell("kg"));
    if (!kg || *kg <= 0) {
      problems.push_back({pointer, where + "kg must be a number > 0"});
      continue;
    }
    row.kg = *kg;
    if (has("vehicle")) {
      row.vehicle = cell("vehicle");
    }
    if (has("station") && !cell("station").empty()) {
      const auto it = station_index.find(cell("station"));
      if (it == station_index.end()) {
        problems.push_back({pointer, where + "no station \"" + cell("station") + "\" in /stations"});
        continue;
      }
      row.station = it->second;
    } else {
      const auto x = has("x_km") ? number(cell("x_km")) : std::nullopt;
      const auto y = has("y_km") ? number(cell("y_km")) : std::nullopt;
      if (!x || !y) {
        problems.push_back({pointer, where + "needs a station, or numbers x_km and y_km"});
        continue;
      }
      row.at = Point{*x, *y};
    }
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const TraceRow& a, const TraceRow& b) { return a.time_min < b.time_min; });
  return rows;
}

} // namespace h2sim::scenario
