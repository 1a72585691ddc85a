#pragma once

#include "shared_capacity.hpp"

#include <functional>
#include <utility>

namespace h2sim {

/**
 * At most one flow on a shared capacity into a container (a station's tank, a dispenser buffer),
 * credited to the container as it moves. The container's owner takes what has moved whenever it
 * looks at its content.
 *
 * Invariant: credited + take() + (what the flow has still to move) = what the flow was asked to
 * move, whatever the flow's state in the engine: every kilogram is credited exactly once, by take,
 * stop, or the end of the flow.
 */
class Inflow {
public:
  /** `credit(kg)` adds inflow to the container; it runs from take, stop and the flow's end. */
  Inflow(SharedCapacity& capacity, std::function<void(double)> credit)
      : capacity_(&capacity), credit_(std::move(credit)) {}
  Inflow(const Inflow&) = delete;
  Inflow& operator=(const Inflow&) = delete;

  bool running() const { return running_; }

  /** Starts moving `kg` at up to `bound_kg_per_min` (none may be running). */
  void start(double kg, double bound_kg_per_min) {
    running_ = true;
    kg_ = kg;
    credited_ = 0;
    id_ = capacity_->start(kg, bound_kg_per_min, [this] {
      running_ = false;
      credit_(kg_ - credited_);
    });
  }

  /** Credits what the flow has moved since it was last credited. */
  void take() {
    if (running_) {
      const double moved = capacity_->moved(id_);
      credit_(moved - credited_);
      credited_ = moved;
    }
  }

  /** Stops the flow, if one runs, after crediting what it moved. */
  void stop() {
    if (running_) {
      running_ = false;
      credit_(capacity_->stop(id_) - credited_);
    }
  }

private:
  SharedCapacity* capacity_;
  std::function<void(double)> credit_;
  bool running_ = false;
  SharedCapacity::FlowId id_ = 0;
  double kg_ = 0;       // what the running flow was asked to move
  double credited_ = 0; // of which already credited
};

} // namespace h2sim
