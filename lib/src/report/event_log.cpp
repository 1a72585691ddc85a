#include "event_log.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <unistd.h>

namespace h2sim::report {

namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

/** A field of RFC 4180: quoted (quotes doubled) when it holds a comma, quote or line break. */
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

std::string json_string(const std::string& text) { return nlohmann::json(text).dump(); }

/** Each label as it is written: CSV fields or JSON strings, escaped once. */
std::vector<std::string> escaped(const std::vector<std::string>& labels, EventFormat format) {
  std::vector<std::string> out;
  for (const std::string& label : labels) {
    out.push_back(format == EventFormat::csv ? csv_field(label) : json_string(label));
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

EventLog::EventLog(models::Observer& next, Labels labels, int fd, EventFormat format)
    : next_(&next), fd_(fd), format_(format) {
  labels_.stations = escaped(labels.stations, format);
  labels_.classes = escaped(labels.classes, format);
  buffer_.reserve(buffer_bytes + 512);
  if (format_ == EventFormat::csv) {
    buffer_ += "time_min,visit,vehicle_class,station,event,kg\r\n";
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

void EventLog::line(double at, std::uint64_t visit, std::size_t vehicle_class, std::size_t station,
                    std::string_view event, double kg) {
  const std::string* vc =
      vehicle_class < labels_.classes.size() ? &labels_.classes[vehicle_class] : nullptr;
  const std::string* id = station < labels_.stations.size() ? &labels_.stations[station] : nullptr;
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

void EventLog::on_visit(const models::Visit& visit) {
  using models::Outcome;
  const std::uint64_t number = ++visits_;
  const std::size_t vc = visit.vehicle_class;
  line(visit.arrival, number, vc, visit.station, "arrive", -1);
  switch (visit.outcome) {
  case Outcome::closed:
    line(visit.arrival, number, vc, visit.station, "divert_closed", -1);
    break;
  case Outcome::turned_away:
    line(visit.arrival, number, vc, visit.station, "turned_away_dry", -1);
    break;
  case Outcome::balked:
    line(visit.arrival, number, vc, visit.station, "balk", -1);
    break;
  case Outcome::reneged:
    line(visit.arrival, number, vc, visit.station, "join_queue", -1);
    line(visit.start, number, vc, visit.station, "renege", -1);
    break;
  case Outcome::waiting_at_end:
    line(visit.arrival, number, vc, visit.station, "join_queue", -1);
    break;
  case Outcome::served:
    if (visit.start > visit.arrival) {
      line(visit.arrival, number, vc, visit.station, "join_queue", -1);
    }
    line(visit.start, number, vc, visit.station, "start_fill", visit.kg);
    line(visit.end, number, vc, visit.station, "end_fill", visit.kg);
    break;
  }
  next_->on_visit(visit);
}

void EventLog::on_trip(const models::Trip& trip) {
  if (trip.stranded) {
    line(trip.arrival, 0, trip.vehicle_class, none, "stranded", -1);
  }
  next_->on_trip(trip);
}

void EventLog::on_give_up(std::size_t vehicle_class, double at) {
  line(at, 0, vehicle_class, none, "give_up", -1);
  next_->on_give_up(vehicle_class, at);
}

void EventLog::on_tank(std::size_t station, models::TankEvent event, double at, double kg) {
  using models::TankEvent;
  switch (event) {
  case TankEvent::delivery:
    line(at, 0, none, station, "delivery", kg);
    break;
  case TankEvent::inflow:
    line(at, 0, none, station, "inflow", kg);
    break;
  case TankEvent::dry_start:
    line(at, 0, none, station, "dry_start", -1);
    break;
  case TankEvent::dry_end:
    line(at, 0, none, station, "dry_end", -1);
    break;
  }
  next_->on_tank(station, event, at, kg);
}

void EventLog::on_supply(std::size_t station, const models::SupplyReport& report) {
  next_->on_supply(station, report);
}

void EventLog::on_availability(std::size_t station, double closed_min, double outage_min) {
  next_->on_availability(station, closed_min, outage_min);
}

} // namespace h2sim::report
