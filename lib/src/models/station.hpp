#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../core/geometry.hpp"
#include "../core/params.hpp"
#include "availability.hpp"
#include "buffered_dispensers.hpp"
#include "supply/tank.hpp"

namespace h2sim::models {

/** A station as the scenario declares it. */
struct StationSpec {
  std::string id;
  std::string name;
  Point location;
  int dispensers = 1;
  double fill_rate_kg_per_min = 1;
  double overhead_min = 0;
  std::optional<int> queue_capacity;    // vehicles that may wait; empty = unlimited
  std::optional<double> arrivals_per_h; // this station's Poisson rate, overriding the demand's
  std::optional<StorageSpec> storage;   // empty: unlimited hydrogen
  params::Model supply;                 // no name: unlimited without storage, none with it
  std::optional<AvailabilitySpec> availability; // empty: always open
  std::vector<std::string> pressures{"H35", "H70"}; // pressure classes it can fill
  std::optional<BufferSpec> buffer;                 // empty: fills always run at the fill rate

  /** The supply model that runs here: the one named, else the default for the storage. */
  std::string supply_model() const {
    return !supply.name().empty() ? supply.name() : storage ? "none" : "unlimited";
  }
  /** Whether hydrogen is limited here (storage given and a supply model other than unlimited). */
  bool finite() const { return storage && supply_model() != "unlimited"; }
};

/** The parameters of a station (`stations[]`). */
const params::Table& station_table();

/** The pressure classes a station or vehicle may have. */
inline const std::vector<std::string>& pressure_classes() {
  static const std::vector<std::string> classes{"H35", "H70"};
  return classes;
}

} // namespace h2sim::models
