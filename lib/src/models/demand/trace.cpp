#include "trace.hpp"

#include <algorithm>
#include <cstdio>

namespace h2sim::models {

const params::Table& trace_table() {
  using F = params::Of<TraceParams>;
  static const params::Table table = F::table(
      "refuelling requests replayed from a CSV file",
      {F::text("file", &TraceParams::file)
           .describe("CSV of refuelling requests, relative to the scenario file: a header naming "
                     "time_h or time_min, kg, and station (an id) or x_km and y_km (the nearest "
                     "open station); optional vehicle. RFC 4180 (quotes, CRLF, a byte-order mark "
                     "are fine), at most 1 GiB and 10 million rows")
           .not_empty()});
  return table;
}

std::vector<Warning> trace_warnings(const ScenarioSpec& scenario) {
  // Rows are sorted by time: those at or after the run's end are the last ones, never replayed.
  const std::vector<TraceRow>& rows = scenario.demand.as<TraceParams>().rows;
  const double end_min = scenario.latest_end_min();
  const auto late =
      std::lower_bound(rows.begin(), rows.end(), end_min,
                       [](const TraceRow& row, double t) { return row.time_min < t; });
  if (late == rows.end()) {
    return {};
  }
  char text[240];
  std::snprintf(text, sizeof text,
                "%zu of its %zu rows arrive at or after the run's end (day %g, warm-up included), "
                "from day %g to day %g: they are not replayed",
                static_cast<std::size_t>(rows.end() - late), rows.size(), end_min / 1440.0,
                late->time_min / 1440.0, rows.back().time_min / 1440.0);
  return {{"/demand/file", text}};
}

TraceReplay::TraceReplay(const ScenarioSpec& scenario, Network& network, Seeds seeds)
    : spec_(&scenario.demand.as<TraceParams>()), scenario_(&scenario), network_(&network),
      rng_(seeds.stream(entity_id("trace"))) {}

void TraceReplay::start(Calendar& calendar) {
  calendar_ = &calendar;
  if (!spec_->rows.empty()) {
    calendar.schedule(spec_->rows.front().time_min, [this] { arrive(0); });
  }
}

void TraceReplay::arrive(std::size_t row) {
  const TraceRow& request = spec_->rows[row];
  // A named open station, else the open station nearest to the named one (or to the row's point).
  const bool open = request.station && *request.station < network_->size() &&
                    network_->in_service(*request.station);
  const Point at = request.station ? scenario_->stations[*request.station].location : request.at;
  const std::size_t station = open ? *request.station : network_->nearest(at);
  network_->refuel(station, calendar_->now(), request.kg, rng_, 0, {}, DriverLimits{},
                   static_cast<std::uint32_t>(row));
  if (row + 1 < spec_->rows.size()) {
    calendar_->schedule(spec_->rows[row + 1].time_min, [this, row] { arrive(row + 1); });
  }
}

} // namespace h2sim::models
