#pragma once

#include "../core/calendar.hpp"
#include "../core/distribution.hpp"
#include "../core/random.hpp"
#include "availability.hpp"
#include "dispenser_queue.hpp"
#include "observer.hpp"

#include <cstddef>
#include <functional>
#include <optional>

namespace h2sim::models {

struct StationSpec;

/**
 * A station's dispensers, as the station sees them: how long the queue is, whether it is full,
 * and taking a vehicle whose hydrogen the station has promised. Two ways: fills computed at
 * arrival (FcfsDispensers), and fills as events behind a buffer (BufferedDispensers).
 */
class Dispensers {
public:
  /** What the station does as an admitted vehicle's visit goes on. */
  struct Hooks {
    std::function<void(double)> on_start;   // its fill starts: take the promised hydrogen
    std::function<void(double)> on_leave;   // it reneges: withdraw the promise
    std::function<void(const Visit&)> done; // its visit is over (after the observer saw it)
    Calendar::Scope scope = Calendar::Scope::shared; // of on_start, when it is an event
  };

  virtual ~Dispensers() = default;
  /** Vehicles waiting at `now` (not those being filled), as an arriving driver sees them. */
  virtual std::size_t waiting(double now) = 0;
  /** Whether an arrival at `now` finds the queue full. */
  virtual bool full(double now) = 0;
  /**
   * Where the start of a fill is known on arrival, a driver who would wait longer than
   * `patience_min` leaves at arrival + patience: `visit` becomes that reneging and true is
   * returned. Elsewhere false: the driver leaves as an event (see admit).
   */
  virtual bool renege_on_arrival(Visit& visit, double patience_min) = 0;
  /**
   * The fill time (minutes) of a vehicle that arrives for `kg`, drawn from `rng` where the scenario
   * gives a distribution. The station draws it on every arrival, whatever becomes of the visit: a
   * draw only for the vehicles admitted would shift every later draw of the stream when a what-if
   * changes who is (common random numbers). NaN where fills are not known on arrival.
   */
  virtual double fill_min(double kg, RandomStream& rng) const = 0;
  /**
   * Takes `visit`'s vehicle (its hydrogen promised, `fill_min` its fill time); the observer and
   * `hooks.done` see the visit when it is over. A driver whose fill has not started after
   * `patience_min` leaves.
   */
  virtual void admit(Visit visit, double fill_min, double patience_min, Hooks&& hooks) = 0;
  /** Whether a vehicle that arrived before `time` is still waiting or filling. */
  virtual bool serving_arrivals_before(double) const { return false; }
  /** The run is over at `now`: what is still under way is reported. */
  virtual void flush(double) {}
  /** Whether admitting or counting vehicles may touch a flow on a shared capacity (compressor). */
  virtual bool shares_capacity() const { return false; }
};

/**
 * c identical dispensers, first come first served, with fills computed at arrival (the
 * Kiefer-Wolfowitz recursion of DispenserQueue): one event per visit at most, none without
 * finite storage.
 */
class FcfsDispensers final : public Dispensers {
public:
  FcfsDispensers(const StationSpec& spec, const std::optional<Distribution>& fill_time_min,
                 const Availability* availability, Calendar& calendar, Observer& observer);

  std::size_t waiting(double now) override { return queue_.waiting(now); }
  bool full(double now) override { return queue_.full(now); }
  bool renege_on_arrival(Visit& visit, double patience_min) override;
  double fill_min(double kg, RandomStream& rng) const override;
  void admit(Visit visit, double fill_min, double patience_min, Hooks&& hooks) override;

private:
  const StationSpec* spec_;
  const std::optional<Distribution>* fill_time_min_;
  const Availability* availability_;
  Calendar* calendar_;
  Observer* observer_;
  DispenserQueue queue_;
};

} // namespace h2sim::models
