#pragma once

#include "../core/calendar.hpp"
#include "../core/inflow.hpp"
#include "../core/params.hpp"
#include "../core/shared_capacity.hpp"
#include "availability.hpp"
#include "dispensers.hpp"
#include "observer.hpp"

#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

namespace h2sim::models {

/**
 * The high-pressure buffer that limits consecutive fills: fills draw from it at their full rate; a
 * compressor refills it from storage, and once it is empty fills get only what the compressor
 * delivers, shared among the dispensers drawing at once.
 */
struct BufferSpec {
  double capacity_kg = 0;
  double compressor_kg_per_h = 0;
};
/** The parameters of a station's `buffer`. */
const params::Table& buffer_table();

struct StationSpec;

/**
 * The dispensers of a station with a high-pressure buffer: FCFS on c dispensers, but a fill's
 * length depends on the buffer when it starts, so fills are events, not computed at arrival.
 *
 * A fill of kg first takes overhead_min, then what the buffer holds (up to kg) at the fill rate,
 * then the rest through the compressor: a flow on the compressor's shared capacity, bounded by the
 * fill rate, so dispensers drawing at once share the compressor max-min fairly (SimGrid's fluid
 * model). The compressor refills the buffer only while no fill draws on it.
 */
class BufferedDispensers final : public Dispensers {
public:
  /** `availability`: the station's hours and outages (none: always open). */
  BufferedDispensers(const StationSpec& spec, Calendar& calendar, SharedCapacity& compressor,
                     Observer& observer, const Availability* availability = nullptr);

  std::size_t waiting(double now) override {
    catch_up_opening(now);
    return waiting_;
  }
  bool full(double now) override;
  /** Starts are known only when they happen: a driver leaves as an event (see admit). */
  bool renege_on_arrival(Visit&, double) override { return false; }
  bool shares_capacity() const override { return true; }
  /**
   * Admits a vehicle. If it has to wait, it leaves (reneges) once it has waited `patience_min`
   * without its fill starting: an event here (the station without a buffer computes it on
   * arrival). Fill times come from the buffer and the compressor.
   */
  void admit(Visit visit, double fill_min, double patience_min, Hooks&& hooks) override;
  /** Not known on arrival: the buffer and the compressor make it (NaN). */
  double fill_min(double, RandomStream&) const override {
    return std::numeric_limits<double>::quiet_NaN();
  }
  bool serving_arrivals_before(double time) const override;
  /**
   * The run is over at `now`: fills under way are reported cut at `now` (they were served);
   * vehicles still waiting are reported as waiting_at_end.
   */
  void flush(double now) override;

  /** The buffer's content after crediting the compressor's refill up to `now`. */
  double buffer_kg(double now);

private:
  struct Fill {
    Visit visit;
    Hooks hooks;
    double rest_kg = 0; // what the buffer could not give, drawn through the compressor
    bool started = false;
    bool left = false; // reneged while queued; skipped when its turn comes
  };
  void start(std::shared_ptr<Fill> fill, double now);
  void renege(const std::shared_ptr<Fill>& fill, double now);
  void draw_through_compressor(std::shared_ptr<Fill> fill);
  void finish(const std::shared_ptr<Fill>& fill, double now);
  /**
   * Starts the queue's next fills on the free dispensers, at `now` if the station is open, else
   * at its next opening (an event): fills start only while it is open, as without a buffer (they
   * started after closing time and through outages).
   */
  void start_queued(double now);
  /**
   * At the instant the station opens again, before the event that starts the queue has run (an
   * arrival scheduled earlier, at the same time): starts the queue now, so that the arrival sees
   * the queue as it is once those due have started, as without a buffer.
   */
  void catch_up_opening(double now);
  /** The observer, then the visit's own `done`, see how it ended. */
  void report(const std::shared_ptr<Fill>& fill);
  void restart_refill();

  const StationSpec* spec_;
  Calendar* calendar_;
  SharedCapacity* compressor_;
  Observer* observer_;
  const Availability* availability_;
  bool reopening_ = false; // start_queued waits for the station to open: the queue goes first
  int free_;
  // FCFS; vehicles that left stay until they reach the front (waiting_ does not count them).
  std::deque<std::shared_ptr<Fill>> queue_;
  std::size_t waiting_ = 0;
  std::vector<std::shared_ptr<Fill>> filling_;
  double buffer_kg_;
  int direct_fills_ = 0;
  Inflow refill_; // the compressor refilling the buffer
};

} // namespace h2sim::models
