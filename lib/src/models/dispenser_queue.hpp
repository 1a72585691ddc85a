#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <vector>

namespace h2sim::models {

/**
 * The dispensers of one station: c identical servers taking vehicles first come, first served,
 * with an optional limit on how many may wait.
 *
 * Under FCFS a vehicle's start is fixed the moment it arrives (the earliest time a dispenser is free
 * after everyone ahead of it), so the queue computes start and end at arrival and needs no events of
 * its own (the Kiefer-Wolfowitz recursion). Invariant: arrivals come in non-decreasing time order.
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

  /** A vehicle arrives at `now` wanting a fill of `fill_min` minutes; it balks if the queue is full. */
  Admission admit(double now, double fill_min);
  /** Whether a vehicle arriving at `now` would balk. */
  bool full(double now);
  /** Vehicles waiting (not being filled) at `now`, for now >= the last arrival. */
  std::size_t waiting(double now);

private:
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at_; // one per dispenser
  std::deque<double> pending_starts_; // starts still in the future, non-decreasing
  std::optional<std::size_t> queue_capacity_;
};

} // namespace h2sim::models
