#pragma once

#include "demand_model.hpp"

#include <vector>

namespace h2sim::models {

/**
 * Every open station receives its own Poisson stream of vehicles; with an hourly profile, a
 * non-homogeneous one (the rate times the hour's multiplier).
 */
struct PoissonParams {
  double arrivals_per_h = 0;
  Distribution kg_per_fill = Distribution::fixed(0);
  std::vector<double> hourly_profile; // 24 multipliers of the rate, hour 0 first; empty = all 1
  DriverSpec driver;
};
const params::Table& poisson_table();

/**
 * Every open station receives its own Poisson stream (its own rate if it sets arrivals_per_h). With
 * an hourly profile the stream is non-homogeneous, drawn by thinning: candidates at the peak rate,
 * each kept with probability (the hour's multiplier / the peak multiplier).
 */
class PoissonArrivals final : public DemandModel {
public:
  PoissonArrivals(const ScenarioSpec& scenario, Network& network, Seeds seeds);
  void start(Calendar& calendar) override;

private:
  /**
   * A station's arrivals. Each visit draws from a stream of its own, (station, its number): first
   * the gap since the visit before (candidates of the thinning too), then its fill time; its fill
   * (kg) and its driver's patience from parts of that stream (RandomStream::part). Whatever
   * becomes of one visit, no other's draws, nor any arrival time, move (common random numbers: a
   * what-if of queue capacity, patience or fill times sees the same vehicles arrive, each asking
   * for what it did and filling as long); and without thinning one Philox block serves a visit's
   * gap and fill time, as one stream shared by the station's visits did.
   */
  struct Source {
    double mean_gap_min;      // at the peak rate
    std::uint64_t entity;     // the station's; a visit's stream is (entity, its number)
    std::uint64_t visits = 0; // streams made so far, a station out of service's too
    RandomStream next;        // the coming visit's, its gap drawn (a placeholder before start)
  };
  void arrive(std::size_t station);
  /** The next arrival after `now` at `source` (its visit's stream made), or infinity if none. */
  double next_arrival(Source& source, double now) const;

  const PoissonParams* spec_;
  Network* network_;
  Calendar* calendar_ = nullptr;
  std::vector<Source> sources_; // one per open station
  Seeds seeds_;
  double peak_multiplier_ = 1;
};

} // namespace h2sim::models
