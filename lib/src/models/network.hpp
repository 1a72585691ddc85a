#pragma once

#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include <h2sim/random.hpp>

#include "../core/calendar.hpp"
#include "../core/shared_capacity.hpp"
#include "availability.hpp"
#include "buffered_dispensers.hpp"
#include "dispenser_queue.hpp"
#include "observer.hpp"
#include "scenario_spec.hpp"
#include "supply/supply.hpp"

namespace h2sim::models {

/** What one driver will put up with: balk above this many waiting; renege after this long. */
struct DriverLimits {
  std::optional<std::size_t> balk_if_waiting_over;
  double patience_min = INFINITY;
};

/**
 * The open stations of a scenario: where vehicles queue, fill, and find hydrogen or not.
 * Plain C++, no engine: time comes from the Calendar, shared pipelines from the CapacityFactory.
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
  /** The measurement window begins / ends: inventories are taken. */
  void begin_window(double now);
  void end_window(double now);
  /** Whether a buffered station still serves a vehicle that arrived before `time`. */
  bool serving_arrivals_before(double time) const;
  /** The run is over: buffered stations report what they still hold, cut at `now`. */
  void finish(double now);

  std::size_t size() const { return stations_.size(); }
  const StationSpec& station(std::size_t index) const { return *stations_[index].spec; }
  Observer& observer() const { return *observer_; }

  /**
   * A vehicle arrives at station `index` at `now` for `kg` of hydrogen. It balks if the queue is
   * full, is turned away if the station cannot promise it `kg`, else it is admitted and its fill
   * time computed: drawn from `rng` when the scenario gives `service.fill_time_min`, else
   * overhead + kg / fill rate. Arrivals at one station come in non-decreasing time order.
   */
  using VisitDone = std::function<void(const Visit&)>;
  /** ... and `done`, if given, runs when the visit is over: at once, or when a buffered fill ends. */
  void refuel(std::size_t index, double now, double kg, RandomStream& rng,
              std::size_t vehicle_class = 0, const VisitDone& done = {},
              const DriverLimits& driver = DriverLimits{});

  /** Vehicles waiting at station `index` now, as an arriving driver sees them. */
  std::size_t waiting(std::size_t index, double now);
  /** How long a fill of `kg` takes at station `index` at its nominal rate. */
  double fill_estimate_min(std::size_t index, double kg) const {
    return station(index).overhead_min + kg / station(index).fill_rate_kg_per_min;
  }

  /**
   * The most vehicles one station may have waiting: beyond it, the queue grows without bound and
   * the run fails with an error naming the station (rather than eating the machine's memory).
   */
  static constexpr std::size_t max_waiting = 1'000'000;

  /** The open station nearest to `from` (the first in list order among equals). */
  std::size_t nearest(Point from) const;

private:
  struct Station {
    const StationSpec* spec;
    DispenserQueue queue;
    std::unique_ptr<Tank> tank;     // finite storage only
    std::unique_ptr<Supply> supply; // likewise
    std::unique_ptr<BufferedDispensers> buffered; // stations with a buffer: fills are events
    std::unique_ptr<Availability> availability;   // stations that are sometimes closed
  };
  void draw(Station& station, double now, double kg);

  std::vector<Station> stations_;
  std::vector<std::unique_ptr<TrailerDepot>> depots_;
  const std::optional<Distribution>* fill_time_min_;
  Observer* observer_;
  Calendar* calendar_;
  double window_start_ = 0;
};


} // namespace h2sim::models
