#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace h2sim {

/**
 * A capacity (kg per minute) shared max-min fairly by the flows drawing on it at once, each flow
 * possibly capped by its own bound: a pipeline feeding several stations, a compressor feeding
 * several dispensers. Models use it without knowing the engine; the engine backs it with SimGrid's
 * fluid model (an Exec per flow on a host whose speed is the capacity).
 */
class SharedCapacity {
public:
  using FlowId = std::uint64_t;
  virtual ~SharedCapacity() = default;
  /** Starts moving `kg` at up to `bound_kg_per_min`; `on_done` runs once all of it has moved. */
  virtual FlowId start(double kg, double bound_kg_per_min, std::function<void()> on_done) = 0;
  /** The kilograms flow `id` has moved so far (it must be running). */
  virtual double moved(FlowId id) const = 0;
  /** Stops flow `id` (its on_done never runs) and returns the kilograms it moved. */
  virtual double stop(FlowId id) = 0;
};

/** From `at_min` on, a capacity is `kg_per_min` (0: its flows stand still until it is not). */
struct CapacityChange {
  double at_min;
  double kg_per_min;
};

/** Creates the shared capacities of a simulation (the engine owns them). */
class CapacityFactory {
public:
  virtual ~CapacityFactory() = default;
  /**
   * A new capacity of `kg_per_min` (0: closed), named for diagnostics, that changes as `changes`
   * say (in time order; scheduled events: a pipeline outage, a new compressor).
   */
  virtual SharedCapacity& create(const std::string& name, double kg_per_min,
                                 const std::vector<CapacityChange>& changes) = 0;
};

} // namespace h2sim
