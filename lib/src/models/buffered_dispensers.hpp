#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <h2sim/scenario.hpp>

#include "../core/calendar.hpp"
#include "../core/inflow.hpp"
#include "../core/shared_capacity.hpp"
#include "observer.hpp"

namespace h2sim::models {

/**
 * The dispensers of a station with a high-pressure buffer: FCFS on c dispensers, but a fill's
 * length depends on the buffer when it starts, so fills are events, not computed at arrival.
 *
 * A fill of kg first takes overhead_min, then what the buffer holds (up to kg) at the fill rate,
 * then the rest through the compressor: a flow on the compressor's shared capacity, bounded by the
 * fill rate, so dispensers drawing at once share the compressor max-min fairly (SimGrid's fluid
 * model). The compressor refills the buffer only while no fill draws on it.
 */
class BufferedDispensers {
public:
  using Done = std::function<void(const Visit&)>;

  BufferedDispensers(const StationSpec& spec, Calendar& calendar,
                     SharedCapacity& compressor, Observer& observer);

  /** Whether an arrival at `now` would balk. */
  bool full() const;
  std::size_t waiting() const { return queue_.size(); }
  /**
   * Admits a vehicle wanting `kg`; `on_start` runs when its fill starts (to take the hydrogen),
   * `done` when it ends, after the observer has seen the visit.
   */
  void admit(Visit visit, std::function<void(double)> on_start, Done done);
  /** Whether a vehicle that arrived before `time` is still waiting or filling. */
  bool serving_arrivals_before(double time) const;
  /** Reports vehicles still waiting or filling at `now` (end of the run), truncated at `now`. */
  void flush(double now);

  /** The buffer's content after crediting the compressor's refill up to `now`. */
  double buffer_kg(double now);

private:
  struct Fill {
    Visit visit;
    std::function<void(double)> on_start;
    Done done;
    double rest_kg = 0; // what the buffer could not give, drawn through the compressor
  };
  void start(std::shared_ptr<Fill> fill, double now);
  void draw_through_compressor(std::shared_ptr<Fill> fill);
  void finish(const std::shared_ptr<Fill>& fill, double now);
  void restart_refill();

  const StationSpec* spec_;
  Calendar* calendar_;
  SharedCapacity* compressor_;
  Observer* observer_;
  int free_;
  std::deque<std::shared_ptr<Fill>> queue_;
  std::vector<std::shared_ptr<Fill>> filling_;
  double buffer_kg_;
  int direct_fills_ = 0;
  Inflow refill_; // the compressor refilling the buffer
};

} // namespace h2sim::models
