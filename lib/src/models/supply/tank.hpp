#pragma once

#include "../../core/params.hpp"
#include "../observer.hpp"

#include <cstdint>

namespace h2sim::models {

/** A station's hydrogen storage: what it holds at most, and at the start. */
struct StorageSpec {
  double capacity_kg = 0;
  double initial_kg = 0;
};
/** The parameters of `storage`. */
const params::Table& storage_table();

/**
 * A station's hydrogen storage (a container, in SimPy's words): its level, the part of it promised
 * to vehicles already queueing, and what flowed in and out during the measurement window.
 *
 * Invariants: 0 <= reserved <= level <= capacity; over the window,
 * level at start + delivered = drawn + level at end, exactly (every change goes through add or
 * draw). The observer counts what was drawn from the visits whose fills start in the window.
 *
 * The station is *dry* from the moment it turns a vehicle away for lack of hydrogen until it can
 * serve again: it serves someone, or inflow lifts what it has free to the amount it refused.
 */
class Tank {
public:
  Tank(double capacity_kg, double initial_kg);

  double level() const { return level_; }
  double capacity() const { return capacity_; }
  double room() const { return capacity_ - level_; }
  /** Hydrogen not yet promised to queueing vehicles. */
  double available() const { return level_ - reserved_; }
  bool dry() const { return dry_; }
  /** What the station would need free to end a dry spell. */
  double dry_need() const { return dry_need_; }

  /** Promises `kg` to an admitted vehicle, if it is free; false (and nothing changes) if not. */
  bool reserve(double now, double kg);
  /** A vehicle promised `kg` left without its fill: the promise is withdrawn. */
  void release(double now, double kg);
  /** A vehicle was turned away at `now` wanting `kg`. */
  void refuse(double now, double kg);
  /** A promised fill starts: `kg` leave the tank. */
  void draw(double now, double kg);
  /**
   * Inflow of `kg` at `now` (at most the room); a delivery also counts one delivery. With
   * `ends_dry` false, it does not end a dry spell now (the next add, reserve or release does).
   */
  void add(double now, double kg, bool delivery = false, bool ends_dry = true);

  /** Tells the observer, if any, of the supply model's `event` at `now` (an order, a flow). */
  void note(double now, TankEvent event, double kg = 0) const {
    if (observer_ != nullptr) {
      observer_->on_tank(station_, event, now, kg);
    }
  }

  /** Tells `observer` what happens to the hydrogen (Observer::on_tank), as station `station`. */
  void report_to(Observer& observer, std::size_t station) {
    observer_ = &observer;
    station_ = station;
  }

  /** `energy_kwh`: the supply model's cumulative electricity, so the window gets its own share. */
  void begin_window(double now, double energy_kwh);
  /** What happened in the window [begin_window, now]. */
  SupplyReport end_window(double now, double energy_kwh) const;

private:
  void end_dry(double now);

  double capacity_;
  double level_;
  double reserved_ = 0;
  bool dry_ = false;
  double dry_since_ = 0;
  double dry_need_ = 0;
  // Totals since the window began (or the run, before it).
  double window_start_ = 0;
  double start_level_ = 0;
  double min_level_ = 0;
  double delivered_kg_ = 0;
  std::uint64_t deliveries_ = 0;
  double dry_min_ = 0; // closed dry spells inside the window
  double start_energy_kwh_ = 0;
  Observer* observer_ = nullptr;
  std::size_t station_ = 0;
};

} // namespace h2sim::models
