#pragma once

#include "../models/observer.hpp"
#include "fields.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace h2sim::report {

/** How an event log is written: CSV with a header (RFC 4180), or JSON Lines. */
enum class EventFormat : std::uint8_t { csv, jsonl };

/** Thrown when the log cannot be written (the replication fails with this message). */
struct EventLogError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/**
 * An observer that writes every event of a replication to a file descriptor and passes each report
 * on to the next observer (the collector), unchanged. One line per event: the time in minutes from
 * the start of the run (warm-up included: nothing is filtered, the window is the reader's to
 * apply), the visit's number (the events of one visit to a station share it), the vehicle's class,
 * the station, the event and the hydrogen where it applies. Lines are buffered (at most
 * `buffer_bytes` held) and appear in the order the models report them: a visit's events together,
 * when the station knows how it ends (under FCFS at arrival), so times are not sorted across
 * visits. The engine inserts this observer only when a log is asked for: without one, the models
 * report to the collector directly and logging costs nothing.
 */
class EventLog final : public models::Observer {
public:
  static constexpr std::size_t buffer_bytes = 1 << 16;

  EventLog(models::Observer& next, Labels labels, int fd, EventFormat format);
  ~EventLog() override;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  void on_visit(const models::Visit& visit) override;
  void on_trip(const models::Trip& trip) override;
  void on_give_up(std::size_t vehicle_class, double at) override;
  void on_tank(std::size_t station, models::TankEvent event, double at, double kg) override;
  void on_supply(std::size_t station, const models::SupplyReport& report) override;
  void on_availability(std::size_t station, double closed_min, double outage_min) override;

  /** Writes what is buffered; throws EventLogError if the descriptor refuses it. */
  void flush();

private:
  /** One line; `station` and `visit` may be absent (npos), `kg` too (negative). */
  void line(double at, std::uint64_t visit, std::size_t vehicle_class, std::size_t station,
            std::string_view event, double kg);

  models::Observer* next_;
  Labels labels_;
  int fd_;
  EventFormat format_;
  std::string buffer_;
  std::uint64_t visits_ = 0;
};

} // namespace h2sim::report
