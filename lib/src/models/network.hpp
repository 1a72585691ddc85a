#pragma once

#include <optional>
#include <vector>

#include <h2sim/random.hpp>
#include <h2sim/scenario.hpp>

#include "dispenser_queue.hpp"
#include "observer.hpp"

namespace h2sim::models {

/** The open stations of a scenario: where vehicles queue and fill. Plain C++, no engine. */
class Network {
public:
  Network(const Scenario& scenario, Observer& observer);

  std::size_t size() const { return stations_.size(); }
  const StationSpec& station(std::size_t index) const { return *stations_[index].spec; }
  Observer& observer() const { return *observer_; }

  /**
   * A vehicle arrives at station `index` at `now` for `kg` of hydrogen. The fill time is drawn from
   * `rng` when the scenario gives `service.fill_time_min`, else overhead + kg / fill rate.
   * Arrivals at one station must come in non-decreasing time order.
   */
  Visit refuel(std::size_t index, double now, double kg, RandomStream& rng,
               std::size_t vehicle_class = 0);

  /** The open stations ordered by straight-line distance from `from` (ties by list order). */
  std::vector<std::size_t> by_distance(Point from) const;
  /** The open station nearest to `from` (the first in list order among equals). */
  std::size_t nearest(Point from) const;

private:
  struct Station {
    const StationSpec* spec;
    DispenserQueue queue;
  };
  std::vector<Station> stations_;
  const std::optional<Distribution>* fill_time_min_;
  Observer* observer_;
};

/** Straight-line distance in km. */
double distance_km(Point a, Point b);

} // namespace h2sim::models
