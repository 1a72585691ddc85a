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
  struct Source {
    double mean_gap_min;         // at the peak rate
    RandomStream rng;            // the arrival times
    std::uint64_t visits_entity; // a visit's own draws: its stream is (this, its arrival number)
    std::uint64_t arrivals = 0;  // so far, at a station out of service too
  };
  void arrive(std::size_t station);
  /** The next arrival after `now` at `source`, or infinity if there is none. */
  double next_arrival(Source& source, double now) const;

  const PoissonParams* spec_;
  Network* network_;
  Calendar* calendar_ = nullptr;
  std::vector<Source> sources_; // one per open station
  Seeds seeds_;
  double peak_multiplier_ = 1;
};

} // namespace h2sim::models
