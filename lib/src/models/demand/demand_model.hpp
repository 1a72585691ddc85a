#pragma once

#include "../../core/calendar.hpp"
#include "../network.hpp"
#include "../scenario_spec.hpp"
#include "driver.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

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
  /**
   * From now on the scenario is `state` (a step of its timeline; after Network::follow): the
   * model takes the values it follows during a run from it (stations in service, fleet sizes).
   */
  virtual void follow(const ScenarioSpec& /*state*/) {}
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

using DemandFactory =
    std::function<std::unique_ptr<DemandModel>(const ScenarioSpec&, Network&, Seeds)>;

/** A demand model: its name in `demand.model`, its parameters, how to build it. */
struct DemandModelEntry {
  std::string name;
  const params::Table* table;
  DemandFactory make;
  /** What the scenario allows but probably does not mean, for this model (may be empty). */
  std::function<std::vector<Warning>(const ScenarioSpec&)> warnings;
};

/** Every demand model, in the order `h2sim schema` lists them. */
const std::vector<DemandModelEntry>& demand_models();
/** The demand model named `name` (one of demand_models()). */
const DemandModelEntry& demand_model(const std::string& name);
/** The catalog the scenario's `demand` field reads. */
const params::Catalog& demand_catalog();

} // namespace h2sim::models
