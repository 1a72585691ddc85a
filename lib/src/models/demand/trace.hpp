#pragma once

#include "demand_model.hpp"

namespace h2sim::models {

/** Replays observed refuelling requests: each row is a vehicle arriving at its time. */
class TraceReplay final : public DemandModel {
public:
  TraceReplay(const Scenario& scenario, Network& network, Seeds seeds);
  void start(Calendar& calendar) override;

private:
  void arrive(std::size_t row);

  const TraceDemand* spec_;
  const Scenario* scenario_;
  Network* network_;
  Calendar* calendar_ = nullptr;
  RandomStream rng_; // fill-time draws, when the scenario gives service.fill_time_min
};

} // namespace h2sim::models
