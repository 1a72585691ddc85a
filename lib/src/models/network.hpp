#pragma once

#include "../core/calendar.hpp"
#include "../core/geometry.hpp"
#include "../core/random.hpp"
#include "../core/shared_capacity.hpp"
#include "observer.hpp"
#include "scenario_spec.hpp"
#include "station.hpp"
#include "supply/trailer_depot.hpp"

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

namespace h2sim::models {

/**
 * The open stations of a scenario, and what they share (pipelines, trailer depots): where
 * vehicles are routed to a station by index. Plain C++, no engine: time comes from the Calendar,
 * shared pipelines and compressors from the CapacityFactory.
 */
class Network {
public:
  Network(const ScenarioSpec& scenario, Observer& observer, Calendar& calendar,
          CapacityFactory& capacities, std::uint64_t seed, std::uint64_t replication);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  /** Starts the supply models (first orders, flows): once, at time 0. */
  void start();
  /**
   * From now on the scenario is `state` (a step of its timeline, alive for the run): the models
   * take the values they follow during a run (see params::Field::changeable) from it. Pipelines'
   * capacities change by themselves (the engine was told when, see CapacityFactory).
   */
  void follow(const ScenarioSpec& state);
  /** The measurement window begins / ends: inventories are taken. */
  void begin_window(double now);
  void end_window(double now);
  /** An edge between two bins of the metrics' series: stations report their hydrogen so far. */
  void bin_edge(double now);
  /** Whether a station still serves a vehicle that arrived before `time` (buffered fills). */
  bool serving_arrivals_before(double time) const;
  /** The run is over: stations report what is still under way, cut at `now`. */
  void finish(double now);

  std::size_t size() const { return stations_.size(); }
  const StationSpec& station(std::size_t index) const { return stations_[index].spec(); }
  Observer& observer() const { return *observer_; }

  /**
   * A vehicle arrives at station `index` at `now` for `kg` of hydrogen (see Station::refuel);
   * `done`, if given, runs when the visit is over: at once, or when a buffered fill ends. Arrivals
   * at one station come in non-decreasing time order.
   */
  using VisitDone = std::function<void(const Visit&)>;
  void refuel(std::size_t index, double now, double kg, RandomStream& rng,
              std::size_t vehicle_class = 0, const VisitDone& done = {},
              const DriverLimits& driver = DriverLimits{}, std::uint32_t vehicle = no_vehicle) {
    stations_[index].refuel(now, kg, rng, vehicle_class, done, driver, vehicle);
  }

  /**
   * The scope of an event that only brings a vehicle to station `index` (an arrival, nothing
   * else): local unless the station draws on a shared capacity (see Station::shares_capacity).
   */
  Calendar::Scope arrival_scope(std::size_t index) const { return stations_[index].scope(); }

  /** Vehicles waiting at station `index` now, as an arriving driver sees them. */
  std::size_t waiting(std::size_t index, double now) {
    return stations_[index].dispensers().waiting(now);
  }
  /** How long a fill of `kg` takes at station `index` at its nominal rate. */
  double fill_estimate_min(std::size_t index, double kg) const {
    return station(index).overhead_min + kg / station(index).fill_rate_kg_per_min;
  }

  /** Whether station `index` is in service now (see ScenarioSpec::in_service). */
  bool in_service(std::size_t index) const { return stations_[index].in_service(); }

  /** The station in service nearest to `from` (the first in list order among equals). */
  std::size_t nearest(Point from) const;

private:
  std::vector<Station> stations_;
  std::vector<std::unique_ptr<TrailerDepot>> depots_;
  Observer* observer_;
  Calendar* calendar_;
  double window_start_ = 0;
};

} // namespace h2sim::models
