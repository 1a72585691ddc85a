// One station's queue over one day, from an event log (`run --events`): what `report --events`
// draws.
#include "../core/csv.hpp"
#include "../core/limits.hpp"

#include <h2sim/report.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace h2sim {

namespace {

using nlohmann::ordered_json;

struct Event {
  double time_min = 0;
  std::uint64_t visit = 0;
  std::string station;
  std::string event;
};

std::optional<double> number_of(const std::string& text) {
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

/** A minute's peak: the most vehicles in a state at any time of [m, m + 1). */
void add_interval(std::vector<std::pair<double, int>>& changes, double from, double to) {
  if (to > from) {
    changes.emplace_back(from, +1);
    changes.emplace_back(to, -1);
  }
}

/** Per minute of [start, start + 1440), the largest count over the minute. */
ordered_json peaks(std::vector<std::pair<double, int>> changes, double start) {
  // At one time, leaving comes before joining: a vehicle that starts its fill as another arrives
  // is not counted twice.
  std::sort(changes.begin(), changes.end());
  std::vector<int> peak(1440, 0);
  int now = 0;
  std::size_t c = 0;
  for (std::size_t m = 0; m < 1440; ++m) {
    const double begin = start + static_cast<double>(m);
    const double end = begin + 1;
    for (; c < changes.size() && changes[c].first <= begin; ++c) {
      now += changes[c].second; // what happens at the minute's first instant is in it
    }
    int most = now;
    for (; c < changes.size() && changes[c].first < end; ++c) {
      now += changes[c].second;
      most = std::max(most, now);
    }
    peak[m] = most;
  }
  return peak;
}

} // namespace

nlohmann::ordered_json queue_over_day(std::istream& log, const std::string& station, double day) {
  if (!(day >= 0) || !std::isfinite(day)) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", day);
    throw ReportError(std::string("--day ") + text + ": must be a day of the run (>= 0)");
  }
  const double start = std::floor(day) * 1440.0;
  const double end = start + 1440.0;
  std::vector<std::pair<double, int>> waiting;
  std::vector<std::pair<double, int>> filling;
  std::map<std::uint64_t, double> joined;  // visits of the station waiting: when they joined
  std::map<std::uint64_t, double> started; // visits of the station filling: when they started
  std::size_t seen = 0;
  std::size_t arrivals = 0;
  double last_min = 0; // the log's last event
  // JSON Lines, or CSV with a header naming the columns (a log written before the vehicle column
  // was added reads as well).
  const bool jsonl = log.peek() == '{';
  std::map<std::string, std::size_t> column;
  std::size_t columns = 0;
  std::string line;
  std::size_t number = 0; // of the record's first line
  std::size_t next_number = 1;
  const auto next_record = [&] {
    number = next_number;
    const bool got =
        jsonl ? static_cast<bool>(std::getline(log, line)) : csv_read_record(log, line);
    next_number += 1 + static_cast<std::size_t>(std::count(line.begin(), line.end(), '\n'));
    return got;
  };
  if (!jsonl) {
    const char* const expected = "time_min,visit,vehicle_class,vehicle,station,event,kg";
    const CsvFields header = next_record() ? csv_split(line) : CsvFields{};
    for (std::size_t c = 0; c < header.cells.size(); ++c) {
      column.emplace(header.cells[c], c);
    }
    columns = header.count;
    for (const char* name : {"time_min", "visit", "station", "event"}) {
      if (!header.error.empty() || column.count(name) == 0) {
        throw ReportError(std::string("event log line 1: not the header of an h2sim event log (") +
                          expected + ") nor JSON Lines");
      }
    }
  }
  while (next_record()) {
    if (line.empty() || line == "\r") {
      continue;
    }
    Event event;
    const std::string where = "event log line " + std::to_string(number) + ": ";
    if (jsonl) {
      ordered_json record;
      try {
        record = ordered_json::parse(line);
      } catch (const ordered_json::exception&) {
        throw ReportError(where + "not JSON");
      }
      if (!record.is_object() || !record.contains("time_min") || !record["time_min"].is_number() ||
          !record.contains("event") || !record["event"].is_string()) {
        throw ReportError(where + "no time_min or event");
      }
      event.time_min = record["time_min"].get<double>();
      event.event = record["event"].get<std::string>();
      if (record.contains("visit") && record["visit"].is_number_unsigned()) {
        event.visit = record["visit"].get<std::uint64_t>();
      }
      if (record.contains("station")) {
        event.station = record["station"].is_string() ? record["station"].get<std::string>()
                                                      : record["station"].dump();
      }
    } else {
      const CsvFields fields = csv_split(line);
      const auto time = fields.error.empty() && fields.count == columns
                            ? number_of(fields.cells[column.at("time_min")])
                            : std::nullopt;
      if (!time) {
        throw ReportError(where + "not " + std::to_string(columns) +
                          " fields with a time in minutes");
      }
      const std::string& visit = fields.cells[column.at("visit")];
      event.time_min = *time;
      // A visit's number, as h2sim writes it: a count from 1 (-1 or 1e30 was cast to an integer
      // it cannot be, undefined behaviour).
      const std::optional<double> visit_number = visit.empty() ? 0.0 : number_of(visit);
      if (!visit_number || !(*visit_number >= 0 && *visit_number < limits::past_64_bits) ||
          *visit_number != std::floor(*visit_number)) {
        throw ReportError(where + "visit is not a visit's number (an integer >= 0)");
      }
      event.visit = static_cast<std::uint64_t>(*visit_number);
      event.station = fields.cells[column.at("station")];
      event.event = fields.cells[column.at("event")];
    }
    last_min = std::max(last_min, event.time_min);
    if (event.station != station) {
      continue;
    }
    ++seen;
    if (event.event == "arrive" && event.time_min >= start && event.time_min < end) {
      ++arrivals;
    } else if (event.event == "join_queue") {
      joined[event.visit] = event.time_min;
    } else if (event.event == "start_fill" || event.event == "renege") {
      if (const auto it = joined.find(event.visit); it != joined.end()) {
        add_interval(waiting, it->second, event.time_min);
        joined.erase(it);
      }
      if (event.event == "start_fill") {
        started[event.visit] = event.time_min;
      }
    } else if (event.event == "end_fill") {
      if (const auto it = started.find(event.visit); it != started.end()) {
        add_interval(filling, it->second, event.time_min);
        started.erase(it);
      }
    }
  }
  if (seen == 0) {
    throw ReportError("the event log has no event of station " + station);
  }
  if (const double last_day = std::floor(last_min / 1440.0); std::floor(day) > last_day) {
    char text[64];
    std::snprintf(text, sizeof text, "--day %g: the event log ends on day %.0f", day, last_day);
    throw ReportError(text);
  }
  for (const auto& [visit, at] : joined) { // still waiting when the run ended
    add_interval(waiting, at, INFINITY);
  }
  for (const auto& [visit, at] : started) {
    add_interval(filling, at, INFINITY);
  }
  return {{"station", station},
          {"day", std::floor(day)},
          {"arrivals", arrivals},
          {"waiting_peak_per_minute", peaks(std::move(waiting), start)},
          {"filling_peak_per_minute", peaks(std::move(filling), start)}};
}

} // namespace h2sim
