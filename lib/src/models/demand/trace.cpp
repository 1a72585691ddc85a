#include "trace.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace h2sim::models {

const params::Table& trace_table() {
  using F = params::Of<TraceParams>;
  static const params::Table table = F::table(
      "refuelling requests replayed from a CSV file",
      {F::text("file", &TraceParams::file)
           .describe("CSV of refuelling requests, relative to the scenario file: a header naming "
                     "time_h or time_min, kg, and station (an id; at a time it is not open, the "
                     "open station nearest it) or x_km and y_km (the nearest open station); "
                     "optional vehicle. RFC 4180 (quotes, CRLF, a byte-order mark "
                     "are fine), at most 1 GiB and 10 million rows")
           .not_empty()});
  return table;
}

namespace {
/**
 * Rows replayed that name a station the run never opens: each goes to the open station nearest
 * the one it names, which a reader of the file would not guess.
 */
std::optional<Warning> never_open(const ScenarioSpec& scenario,
                                  std::vector<TraceRow>::const_iterator begin,
                                  std::vector<TraceRow>::const_iterator end) {
  std::size_t rows = 0;
  std::vector<std::size_t> named; // the stations, in the order the rows first name them
  for (auto row = begin; row != end; ++row) {
    if (row->station && *row->station >= scenario.open_stations()) {
      ++rows;
      if (std::find(named.begin(), named.end(), *row->station) == named.end()) {
        named.push_back(*row->station);
      }
    }
  }
  if (rows == 0) {
    return std::nullopt;
  }
  std::string ids;
  for (std::size_t i = 0; i < named.size() && i < 3; ++i) {
    ids += (i == 0 ? "" : ", ") + scenario.stations[named[i]].id;
  }
  if (named.size() > 3) {
    ids += " and " + std::to_string(named.size() - 3) + " more";
  }
  return Warning{"/demand/file",
                 std::to_string(rows) + (rows == 1 ? " row names" : " rows name") +
                     (named.size() == 1 ? " a station" : " stations") + " the run never opens (" +
                     ids +
                     "; see open_stations): each goes to the open station nearest the one it "
                     "names"};
}
} // namespace

std::vector<Warning> trace_warnings(const ScenarioSpec& scenario) {
  // Rows are sorted by time: those at or after the run's end are the last ones, never replayed.
  const std::vector<TraceRow>& rows = scenario.demand.as<TraceParams>().rows;
  // An automatic warm-up is chosen per replication, from 0 to half the horizon: a replication
  // may end as early as the horizon's end, and replay no row from there on.
  const bool chosen = scenario.warmup_days.automatic;
  const double end_min = chosen ? scenario.horizon_days * 1440.0 : scenario.latest_end_min();
  const auto late =
      std::lower_bound(rows.begin(), rows.end(), end_min,
                       [](const TraceRow& row, double t) { return row.time_min < t; });
  std::vector<Warning> warnings;
  if (auto closed = never_open(scenario, rows.begin(), late)) {
    warnings.push_back(std::move(*closed));
  }
  // Every row replayed in the warm-up: the run measures none of them (arrivals 0, unsaid).
  const double measured_from = scenario.warmup_days.value * 1440.0;
  if (!chosen && late != rows.begin() && (late - 1)->time_min < measured_from) {
    const auto replayed = static_cast<std::size_t>(late - rows.begin());
    char text[200];
    if (replayed == 1) {
      std::snprintf(text, sizeof text,
                    "the one row of the trace the run replays arrives before the warm-up ends "
                    "(day %g): it is not measured; lower warmup_days",
                    scenario.warmup_days.value);
    } else {
      std::snprintf(text, sizeof text,
                    "the %zu rows of the trace the run replays all arrive before the warm-up ends "
                    "(day %g): none is measured; lower warmup_days",
                    replayed, scenario.warmup_days.value);
    }
    warnings.push_back({"/warmup_days", text});
  }
  if (late == rows.end()) {
    return warnings;
  }
  // The first and last late days with the digits that tell them apart (1440 and 1440.001 minutes
  // were "from day 1 to day 1").
  const double from = late->time_min / 1440.0;
  const double to = rows.back().time_min / 1440.0;
  int digits = 6;
  char first[32];
  char last[32];
  do {
    std::snprintf(first, sizeof first, "%.*g", digits, from);
    std::snprintf(last, sizeof last, "%.*g", digits, to);
  } while (from != to && std::string_view(first) == last && ++digits <= 17);
  char text[320];
  std::snprintf(text, sizeof text,
                chosen ? "%zu of its %zu rows arrive at or after the earliest end of a replication "
                         "(day %g: warmup_days auto is chosen per replication, up to half the "
                         "horizon), from day %s to day %s: they may not be replayed"
                       : "%zu of its %zu rows arrive at or after the run's end (day %g, warm-up "
                         "included), from day %s to day %s: they are not replayed",
                static_cast<std::size_t>(rows.end() - late), rows.size(), end_min / 1440.0, first,
                last);
  warnings.push_back({"/demand/file", text});
  return warnings;
}

TraceReplay::TraceReplay(const ScenarioSpec& scenario, Network& network, Seeds seeds)
    : spec_(&scenario.demand.as<TraceParams>()), scenario_(&scenario), network_(&network),
      seeds_(seeds) {}

void TraceReplay::start(Calendar& calendar) {
  calendar_ = &calendar;
  if (replayed(0)) {
    calendar.schedule(spec_->rows.front().time_min, [this] { arrive(0); });
  }
}

bool TraceReplay::replayed(std::size_t row) const {
  // A row at the run's end arrives outside its window, [start, end): as the warning says, it is
  // not replayed (it was, into the event log alone).
  return row < spec_->rows.size() && spec_->rows[row].time_min < scenario_->latest_end_min();
}

void TraceReplay::arrive(std::size_t row) {
  const TraceRow& request = spec_->rows[row];
  // A named open station, else the open station nearest to the named one (or to the row's point).
  const bool open = request.station && *request.station < network_->size() &&
                    network_->in_service(*request.station);
  const Point at = request.station ? scenario_->stations[*request.station].location : request.at;
  const std::size_t station = open ? *request.station : network_->nearest(at);
  RandomStream own = seeds_.stream(combine(entity_id("trace"), row));
  network_->refuel(station, calendar_->now(), request.kg, own, 0, {}, DriverLimits{},
                   static_cast<std::uint32_t>(row));
  if (replayed(row + 1)) {
    calendar_->schedule(spec_->rows[row + 1].time_min, [this, row] { arrive(row + 1); });
  }
}

} // namespace h2sim::models
