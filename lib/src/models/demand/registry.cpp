#include "demand_model.hpp"
#include "fleet.hpp"
#include "poisson.hpp"
#include "trace.hpp"

#include <stdexcept>

namespace h2sim::models {

namespace {
template <class Model> DemandFactory factory() {
  return [](const ScenarioSpec& scenario, Network& network, Seeds seeds) {
    return std::make_unique<Model>(scenario, network, seeds);
  };
}
} // namespace

const std::vector<DemandModelEntry>& demand_models() {
  static const std::vector<DemandModelEntry> models{
      {"poisson", &poisson_table(), factory<PoissonArrivals>(), {}},
      {"trace", &trace_table(), factory<TraceReplay>(), trace_warnings},
      {"fleet", &fleet_table(), factory<Fleet>(), fleet_warnings},
  };
  return models;
}

const DemandModelEntry& demand_model(const std::string& name) {
  for (const DemandModelEntry& model : demand_models()) {
    if (model.name == name) {
      return model;
    }
  }
  throw std::logic_error("no demand model " + name);
}

const params::Catalog& demand_catalog() {
  static const params::Catalog catalog = [] {
    params::Catalog built;
    built.tag = "model";
    for (const DemandModelEntry& model : demand_models()) {
      built.models.emplace_back(model.name, model.table);
    }
    return built;
  }();
  return catalog;
}

} // namespace h2sim::models
