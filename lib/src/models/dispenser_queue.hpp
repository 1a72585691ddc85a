#pragma once

#include "availability.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

namespace h2sim::models {

/**
 * The dispensers of one station: c identical servers taking vehicles first come, first served,
 * with an optional limit on how many may wait.
 *
 * Under FCFS a vehicle's start is fixed the moment it arrives (the earliest time a dispenser is
 * free after everyone ahead of it), so the queue computes start and end at arrival and needs no
 * events of its own (the Kiefer-Wolfowitz recursion). Invariant: arrivals come in non-decreasing
 * time order.
 */
class DispenserQueue {
public:
  DispenserQueue(int dispensers, std::optional<std::size_t> queue_capacity);

  struct Admission {
    bool admitted = false;
    double start = 0;        // when the fill starts (admitted only)
    double end = 0;          // when the dispenser is free again (admitted only)
    std::size_t waiting = 0; // vehicles waiting just after this arrival (including it, if it waits)
  };

  /**
   * A vehicle arrives at `now` wanting a fill of `fill_min` minutes; it balks if the queue is full.
   * With `availability`, a fill starts only when the station is open (fills under way finish).
   */
  Admission admit(double now, double fill_min, const Availability* availability = nullptr);
  /** Whether a vehicle arriving at `now` would balk. */
  bool full(double now);
  /** When a vehicle arriving at `now` would start its fill (for its patience, before admit). */
  double next_start(double now, const Availability* availability = nullptr) const;
  /**
   * A vehicle arriving at `now` that will not wait until its start: it stands in the queue until
   * `leave_at`, then leaves (reneges). It takes no dispenser, so nobody else's start changes: under
   * FCFS that is exact, not an approximation.
   */
  void renege(double now, double leave_at);
  /** Vehicles waiting (not being filled) at `now`, for now >= the last arrival. */
  std::size_t waiting(double now);

private:
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at_; // one per dispenser
  // When each vehicle now waiting stops waiting (its start, or when it reneges); earliest first.
  std::priority_queue<double, std::vector<double>, std::greater<>> leave_queue_at_;
  std::optional<std::size_t> queue_capacity_;
};

} // namespace h2sim::models
