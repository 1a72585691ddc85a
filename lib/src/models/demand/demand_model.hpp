#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <h2sim/scenario.hpp>

#include "../../core/calendar.hpp"
#include "../network.hpp"

namespace h2sim::models {

/** Where the random streams of one replication come from. */
struct Seeds {
  std::uint64_t master = 1;
  std::uint64_t replication = 0;
  RandomStream stream(std::uint64_t entity) const { return {master, replication, entity}; }
};

/** A source of vehicles arriving at stations: plain C++ driven by a Calendar. */
class DemandModel {
public:
  virtual ~DemandModel() = default;
  /** Schedules the first events; every later event is scheduled by the handlers of earlier ones. */
  virtual void start(Calendar& calendar) = 0;
};

/** One driver's limits for one visit, drawn from the scenario's driver behaviour. */
inline DriverLimits limits(const DriverSpec& spec, RandomStream& rng) {
  DriverLimits limits;
  if (spec.balk_if_waiting_over) {
    limits.balk_if_waiting_over = static_cast<std::size_t>(*spec.balk_if_waiting_over);
  }
  if (spec.patience_min) {
    limits.patience_min = spec.patience_min->sample(rng);
  }
  return limits;
}

using DemandFactory = std::function<std::unique_ptr<DemandModel>(const Scenario&, Network&, Seeds)>;

/** The demand models by name, as `demand.model` names them. */
const std::map<std::string, DemandFactory>& demand_models();

/** The registry's name of the model a scenario's demand spec holds. */
std::string demand_model_name(const DemandSpec& spec);

} // namespace h2sim::models
