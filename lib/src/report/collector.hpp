#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include <h2sim/quantile_sketch.hpp>

#include <nlohmann/json.hpp>

#include "../models/demand/fleet.hpp"
#include "../models/observer.hpp"
#include "../models/scenario_spec.hpp"

namespace h2sim::report {

/**
 * Turns what the models report into the metrics (README.md, Metrics), for the measurement window
 * [window_start, window_end) in minutes. A vehicle belongs to the window when it arrives in it;
 * time averages (utilisation, queue length) integrate exactly over the window.
 */
class Collector final : public models::Observer {
public:
  Collector(const models::ScenarioSpec& scenario, double window_start, double window_end);

  void on_visit(const models::Visit& visit) override;
  void on_give_up(std::size_t vehicle_class, double at) override;
  void on_trip(const models::Trip& trip) override;
  void on_supply(std::size_t station, const models::SupplyReport& report) override;
  void on_availability(std::size_t station, double closed_min, double outage_min) override;

  /** The metrics of one replication: {"totals", "stations", and "classes" for fleets}. */
  nlohmann::ordered_json metrics() const;

private:
  struct Tally {
    std::uint64_t arrivals = 0;
    std::uint64_t served = 0;
    std::uint64_t balked = 0;
    std::uint64_t turned_away = 0; // for lack of hydrogen
    std::uint64_t reneged = 0;
    std::uint64_t diverted_closed = 0;
    std::uint64_t waiting_at_end = 0; // stations with a buffer: still waiting when the run ended
    bool buffered = false;
    std::optional<std::pair<double, double>> closed_outage_min; // stations with availability
    double time_in_system_sum = 0;
    QuantileSketch abandon_wait; // minutes waited by those who reneged
    double dispensed_kg = 0;
    double busy_min = 0;   // dispenser-minutes inside the window
    double queue_area = 0; // vehicle-minutes waiting inside the window
    std::size_t queue_max = 0;
    std::optional<models::SupplyReport> supply; // finite storage only
    // By hour of day of arrival (hour 0 = midnight): arrivals, and waits of those served.
    std::array<std::uint64_t, 24> hourly_arrivals{};
    std::array<QuantileSketch, 24> hourly_wait;
  };
  struct ClassTally {
    std::uint64_t refuels = 0;
    std::uint64_t stranded = 0;
    std::uint64_t reneged = 0;
    std::uint64_t gave_up = 0; // rounds of tries that ended without a fill
    double km = 0;
    double detour_km = 0;
    double dispensed_kg = 0;
    QuantileSketch wait_min;
    QuantileSketch abandon_wait;
  };

  /** Minutes of [from, to) inside the window. */
  double overlap(double from, double to) const {
    return std::max(0.0, std::min(to, window_end_) - std::max(from, window_start_));
  }
  std::uint64_t gave_up() const;
  /** With `stranded`, the totals' form (reneged, stranded); without, a station's (queue_max). */
  nlohmann::ordered_json tally_json(const Tally& tally, double dispensers,
                                    const std::uint64_t* stranded) const;

  const models::ScenarioSpec* scenario_;
  double window_start_;
  double window_end_;
  std::vector<Tally> stations_;
  std::vector<ClassTally> classes_;
};

} // namespace h2sim::report
