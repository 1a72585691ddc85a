#pragma once

#include <vector>

#include "demand_model.hpp"

namespace h2sim::models {

/** Every open station receives its own Poisson stream (its own rate if it sets arrivals_per_h). */
class PoissonArrivals final : public DemandModel {
public:
  PoissonArrivals(const Scenario& scenario, Network& network, Seeds seeds);
  void start(Calendar& calendar) override;

private:
  struct Source {
    double mean_gap_min;
    RandomStream rng;
  };
  void arrive(std::size_t station);

  const PoissonDemand* spec_;
  Network* network_;
  Calendar* calendar_ = nullptr;
  std::vector<Source> sources_; // one per open station
};

} // namespace h2sim::models
