#include "event_log.hpp"

#include "../core/csv.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <unistd.h>

namespace h2sim::report {

namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

std::string json_string(const std::string& text) { return nlohmann::json(text).dump(); }

/** Each label as it is written: CSV fields or JSON strings, escaped once. */
std::vector<std::string> escaped(const std::vector<std::string>& labels, EventFormat format) {
  std::vector<std::string> out;
  for (const std::string& label : labels) {
    out.push_back(format == EventFormat::csv ? csv_cell(label) : json_string(label));
  }
  return out;
}

/** The shortest text that reads back as exactly `value`. */
void append_number(std::string& out, double value) {
  char text[32];
  const auto result = std::to_chars(std::begin(text), std::end(text), value);
  out.append(text, result.ptr);
}

void append_number(std::string& out, std::uint64_t value) {
  char text[24];
  const auto result = std::to_chars(std::begin(text), std::end(text), value);
  out.append(text, result.ptr);
}

} // namespace

EventLog::EventLog(models::Observer& next, Labels labels, int fd, EventFormat format,
                   const std::vector<models::TraceRow>* trace)
    : next_(&next), fd_(fd), format_(format), trace_(trace), openness_(labels.stations.size()),
      next_edge_(INFINITY) {
  labels_.stations = escaped(labels.stations, format);
  labels_.classes = escaped(labels.classes, format);
  buffer_.reserve(buffer_bytes + 512);
  if (format_ == EventFormat::csv) {
    buffer_ += "time_min,visit,vehicle_class,vehicle,station,event,kg\r\n";
  }
}

EventLog::~EventLog() = default;

void EventLog::flush() {
  std::string_view text = buffer_;
  while (!text.empty()) {
    const ssize_t n = ::write(fd_, text.data(), text.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      throw EventLogError(std::string("cannot write the event log: ") +
                          std::strerror(n < 0 ? errno : EIO));
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  buffer_.clear();
}

void EventLog::finish(double now) {
  catch_up(now);
  flush();
}

void EventLog::line(double at, std::uint64_t visit, std::size_t vehicle_class, std::size_t vehicle,
                    std::size_t station, std::string_view event, double kg) {
  const std::string* vc =
      vehicle_class < labels_.classes.size() ? &labels_.classes[vehicle_class] : nullptr;
  const std::string* id = station < labels_.stations.size() ? &labels_.stations[station] : nullptr;
  // A trace's vehicle is named by its request's row (no name: none), a fleet's by its index.
  const std::string* name = nullptr;
  if (trace_ != nullptr && vehicle < trace_->size()) {
    name = &(*trace_)[vehicle].vehicle;
    if (name->empty()) {
      name = nullptr;
    }
    vehicle = none;
  }
  if (format_ == EventFormat::csv) {
    append_number(buffer_, at);
    buffer_ += ',';
    if (visit != 0) {
      append_number(buffer_, visit);
    }
    buffer_ += ',';
    if (vc != nullptr) {
      buffer_ += *vc;
    }
    buffer_ += ',';
    if (name != nullptr) {
      buffer_ += csv_cell(*name);
    } else if (vehicle != none) {
      append_number(buffer_, static_cast<std::uint64_t>(vehicle));
    }
    buffer_ += ',';
    if (id != nullptr) {
      buffer_ += *id;
    }
    buffer_ += ',';
    buffer_ += event;
    buffer_ += ',';
    if (kg >= 0) {
      append_number(buffer_, kg);
    }
    buffer_ += "\r\n";
  } else {
    buffer_ += "{\"time_min\":";
    append_number(buffer_, at);
    if (visit != 0) {
      buffer_ += ",\"visit\":";
      append_number(buffer_, visit);
    }
    if (vc != nullptr) {
      buffer_ += ",\"vehicle_class\":";
      buffer_ += *vc;
    }
    if (name != nullptr) {
      buffer_ += ",\"vehicle\":";
      buffer_ += json_string(*name);
    } else if (vehicle != none) {
      buffer_ += ",\"vehicle\":";
      append_number(buffer_, static_cast<std::uint64_t>(vehicle));
    }
    if (id != nullptr) {
      buffer_ += ",\"station\":";
      buffer_ += *id;
    }
    buffer_ += ",\"event\":\"";
    buffer_ += event;
    buffer_ += '"';
    if (kg >= 0) {
      buffer_ += ",\"kg\":";
      append_number(buffer_, kg);
    }
    buffer_ += "}\n";
  }
  if (buffer_.size() >= buffer_bytes) {
    flush();
  }
}

double EventLog::next_edge(std::size_t s) const {
  const Openness& o = openness_[s];
  if (o.next >= o.closures.size()) {
    return INFINITY;
  }
  return o.in_closure ? o.closures[o.next].second : o.closures[o.next].first;
}

void EventLog::settle(std::size_t s, double at) {
  Openness& o = openness_[s];
  const bool closed = !o.in_service || o.in_closure;
  if (closed != o.closed) {
    o.closed = closed;
    line(at, 0, none, none, s, closed ? "close" : "open", -1);
  }
}

void EventLog::catch_up(double now) {
  clock_ = std::max(clock_, now);
  while (next_edge_ <= now) {
    // The station with the earliest edge (the first among equals) moves past it.
    std::size_t first = 0;
    double at = INFINITY;
    for (std::size_t s = 0; s < openness_.size(); ++s) {
      const double edge = next_edge(s);
      if (edge < at) {
        at = edge;
        first = s;
      }
    }
    Openness& o = openness_[first];
    if (o.in_closure) {
      o.in_closure = false;
      ++o.next;
    } else {
      o.in_closure = true;
    }
    settle(first, at);
    next_edge_ = INFINITY;
    for (std::size_t s = 0; s < openness_.size(); ++s) {
      next_edge_ = std::min(next_edge_, next_edge(s));
    }
  }
}

void EventLog::on_closures(std::size_t station,
                           const std::vector<std::pair<double, double>>& closed) {
  if (station < openness_.size()) {
    openness_[station].closures = closed;
    openness_[station].next = 0;
    openness_[station].in_closure = false;
    next_edge_ = std::min(next_edge_, next_edge(station));
  }
  next_->on_closures(station, closed);
}

void EventLog::on_service(std::size_t station, bool in_service, double at) {
  catch_up(at);
  if (station < openness_.size()) {
    openness_[station].in_service = in_service;
    settle(station, at);
  }
  next_->on_service(station, in_service, at);
}

void EventLog::on_visit(const models::Visit& visit) {
  using models::Outcome;
  catch_up(visit.arrival);
  const std::uint64_t number = ++visits_;
  const std::size_t vc = visit.vehicle_class;
  const std::size_t v = visit.vehicle == models::no_vehicle ? none : visit.vehicle;
  const std::size_t at = visit.station;
  line(visit.arrival, number, vc, v, at, "arrive", -1);
  switch (visit.outcome) {
  case Outcome::closed:
    line(visit.arrival, number, vc, v, at, "divert_closed", -1);
    break;
  case Outcome::turned_away:
    line(visit.arrival, number, vc, v, at, "turned_away_dry", -1);
    break;
  case Outcome::balked:
    line(visit.arrival, number, vc, v, at, "balk", -1);
    break;
  case Outcome::reneged:
    line(visit.arrival, number, vc, v, at, "join_queue", -1);
    line(visit.start, number, vc, v, at, "renege", -1);
    break;
  case Outcome::waiting_at_end:
    line(visit.arrival, number, vc, v, at, "join_queue", -1);
    break;
  case Outcome::served:
    if (visit.start > visit.arrival) {
      line(visit.arrival, number, vc, v, at, "join_queue", -1);
    }
    line(visit.start, number, vc, v, at, "start_fill", visit.kg);
    line(visit.end, number, vc, v, at, "end_fill", visit.kg);
    break;
  }
  next_->on_visit(visit);
}

void EventLog::on_trip(const models::Trip& trip) {
  if (trip.stranded) {
    catch_up(trip.arrival);
    line(trip.arrival, 0, trip.vehicle_class,
         trip.vehicle == models::no_vehicle ? none : trip.vehicle, none, "stranded", -1);
  }
  next_->on_trip(trip);
}

void EventLog::on_give_up(std::size_t vehicle_class, std::size_t vehicle, double at) {
  // A driver who reneges and then gives up is told of at its arrival, ahead of the clock: the
  // closures up to `at` are not reached yet (a station taken out of service before then would
  // have found itself closed already, and written no `close`).
  catch_up(std::min(at, clock_));
  line(at, 0, vehicle_class, vehicle, none, "give_up", -1);
  next_->on_give_up(vehicle_class, vehicle, at);
}

void EventLog::on_tank(std::size_t station, models::TankEvent event, double at, double kg) {
  using models::TankEvent;
  // The log's names, in the order of TankEvent; kg where the event carries it.
  static constexpr std::array<std::string_view, 7> names{
      "delivery", "inflow", "dry_start", "dry_end", "order", "pipeline_start", "pipeline_stop"};
  static_assert(names.size() == static_cast<std::size_t>(TankEvent::pipeline_stop) + 1);
  const bool has_kg =
      event == TankEvent::delivery || event == TankEvent::inflow || event == TankEvent::order;
  catch_up(at);
  line(at, 0, none, none, station, names[static_cast<std::size_t>(event)], has_kg ? kg : -1);
  next_->on_tank(station, event, at, kg);
}

void EventLog::on_supply(std::size_t station, const models::SupplyReport& report) {
  next_->on_supply(station, report);
}

void EventLog::on_supply_so_far(std::size_t station, const models::SupplyReport& so_far) {
  next_->on_supply_so_far(station, so_far);
}

void EventLog::on_availability(std::size_t station, double closed_min, double outage_min) {
  next_->on_availability(station, closed_min, outage_min);
}

} // namespace h2sim::report
