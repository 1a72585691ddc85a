#pragma once

#include "../models/demand/trace_row.hpp"
#include "../models/observer.hpp"
#include "fields.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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
 * apply), the visit's number (the events of one visit to a station share it), the vehicle's class
 * and the vehicle (its index within its class, or the trace's vehicle id), the station, the event
 * and the hydrogen where it applies. Lines are buffered (at most `buffer_bytes` held) and appear
 * in the order the models report them: a visit's events together, when the station knows how it
 * ends (under FCFS at arrival), so times are not sorted across visits. A station's closures
 * (drawn in advance) and its going out of or back into service are written as `close` and `open`
 * when the run reaches them (before the next event reported at or after them, or at finish). The
 * engine inserts this observer only when a log is asked for: without one, the models report to the
 * collector directly and logging costs nothing.
 */
class EventLog final : public models::Observer {
public:
  static constexpr std::size_t buffer_bytes = 1 << 16;

  /** `trace`: the requests of a trace replay, whose `vehicle` names a visit's vehicle. */
  EventLog(models::Observer& next, Labels labels, int fd, EventFormat format,
           const std::vector<models::TraceRow>* trace = nullptr);
  ~EventLog() override;
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  void on_visit(const models::Visit& visit) override;
  void on_trip(const models::Trip& trip) override;
  void on_give_up(std::size_t vehicle_class, std::size_t vehicle, double at) override;
  void on_tank(std::size_t station, models::TankEvent event, double at, double kg) override;
  void on_closures(std::size_t station,
                   const std::vector<std::pair<double, double>>& closed) override;
  void on_service(std::size_t station, bool in_service, double at) override;
  void on_supply(std::size_t station, const models::SupplyReport& report) override;
  void on_supply_so_far(std::size_t station, const models::SupplyReport& so_far) override;
  void on_availability(std::size_t station, double closed_min, double outage_min) override;

  /** The run ended at `now`: writes the closures and reopenings up to it, then flushes. */
  void finish(double now);
  /** Writes what is buffered; throws EventLogError if the descriptor refuses it. */
  void flush();

private:
  /** Whether a station is open, as the log last said, and where it is in its closures. */
  struct Openness {
    std::vector<std::pair<double, double>> closures; // sorted, disjoint [start, end)
    std::size_t next = 0;                            // the first closure not yet over
    bool in_closure = false;                         // closures[next] has begun
    bool in_service = true;
    bool closed = false; // as written
  };

  /** One line; `station`, `vehicle` and `visit` may be absent (npos, 0), `kg` too (negative). */
  void line(double at, std::uint64_t visit, std::size_t vehicle_class, std::size_t vehicle,
            std::size_t station, std::string_view event, double kg);
  /** Writes the closures' edges at or before `now`, in time order; `now` is the run's clock. */
  void catch_up(double now);
  /** The time of station `s`'s next closure edge (infinity if none). */
  double next_edge(std::size_t s) const;
  /** Writes `close` or `open` at `at` if station `s`'s openness changed. */
  void settle(std::size_t s, double at);

  models::Observer* next_;
  Labels labels_;
  int fd_;
  EventFormat format_;
  const std::vector<models::TraceRow>* trace_;
  std::string buffer_;
  std::uint64_t visits_ = 0;
  std::vector<Openness> openness_; // per station
  double next_edge_;               // the earliest next_edge over the stations
  double clock_ = 0;               // the latest time catch_up reached: the run's clock
};

} // namespace h2sim::report
