#pragma once

#include <functional>

namespace h2sim {

/**
 * The clock and the future events of one simulation, in minutes. Models schedule through it and
 * never see the engine behind it (SimGrid, in engine/).
 */
class Calendar {
public:
  virtual ~Calendar() = default;
  /** The current simulated time, in minutes. */
  virtual double now() const = 0;
  /** Runs `action` at time `at` (>= now()); events at the same time run in the order scheduled. */
  virtual void schedule(double at, std::function<void()> action) = 0;
};

} // namespace h2sim
