#pragma once

#include "../../core/params.hpp"
#include "supply.hpp"

#include <string>
#include <vector>

namespace h2sim::models {

/** A supply model: its name in `supply.model`, its parameters, how to build it. */
struct SupplyModel {
  std::string name;
  const params::Table* table;
  SupplyFactory make; // empty for `unlimited`: no tank, no model
};

/** Every supply model, in the order `h2sim schema` lists them. */
const std::vector<SupplyModel>& supply_models();
/** The supply model named `name` (one of supply_models()). */
const SupplyModel& supply_model(const std::string& name);
/** The catalog the station's `supply` field reads. */
const params::Catalog& supply_catalog();

} // namespace h2sim::models
