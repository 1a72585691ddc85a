#pragma once

#include "../core/params.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace h2sim::models {

/**
 * A station's capital and fixed operating costs (`economics.station`, and a station's own
 * `stations[].economics`, whose keys take precedence). Every cost absent is 0: a block prices
 * exactly what it names. Money in US dollars of the year the block states.
 */
struct StationCosts {
  std::optional<double> base_capex;                    // $ per station
  std::optional<double> per_dispenser_capex;           // $ per dispenser
  std::optional<double> storage_capex_per_kg;          // $ per kg of storage.capacity_kg
  std::optional<double> buffer_capex_per_kg;           // $ per kg of buffer.capacity_kg
  std::optional<double> compressor_capex_per_kg_per_h; // $ per kg/h of buffer.compressor_kg_per_h
  std::optional<double> electrolyser_capex_per_kw;     // $ per kW of on-site electrolysis
  std::optional<double> pipeline_capex_per_km;         // $ per km of the station's connection
  std::optional<double> pipeline_km;                   // km of a pipeline station's connection
  std::optional<double> lifetime_years;                // n of the capital recovery factor
  std::optional<double> fixed_om_fraction;             // fixed O&M per year / capex
};

/** The capital of trailer depots (`economics.depot`), shared by the stations they supply. */
struct DepotCosts {
  double base_capex = 0;        // $ per depot
  double per_trailer_capex = 0; // $ per tube trailer
};

/** `economics.hydrogen_cost_per_kg`: the price of hydrogen by supply model, 0 when absent. */
struct HydrogenPrices {
  std::vector<double> per_kg; // one per supply model, in the supply catalog's order
  HydrogenPrices();
  /** The price for supply model `name` (one of the catalog's). */
  double of(const std::string& name) const;
};

/** The optional scenario block `economics`. */
struct EconomicsSpec {
  double discount_rate = 0;
  std::optional<StationCosts> station;
  std::optional<DepotCosts> depot;
  HydrogenPrices hydrogen_cost_per_kg;
  double electricity_cost_per_kwh = 0;
  double delivery_cost_per_trip = 0;
  double waiting_cost_per_hour = 0;
};

/** The parameters of the block `economics`. */
const params::Table& economics_table();
/** The parameters of a station's own `economics` (every key optional). */
const params::Table& station_costs_table();

/** r(1+r)^n / ((1+r)^n - 1), and 1/n when r = 0: the annuity that repays 1 over n years. */
double capital_recovery_factor(double rate, double years);

struct ScenarioSpec;

/** What one open station costs: its capital (as built at the start of the run) and its prices. */
struct StationBook {
  double capex = 0;
  double annualized_capex = 0;  // capex x CRF(discount_rate, lifetime_years)
  double fixed_om_per_year = 0; // fixed_om_fraction x capex
  double hydrogen_per_kg = 0;   // the price of its supply model
  double electricity_per_kwh = 0;
  double per_delivery = 0;
  double waiting_per_hour = 0;
};

/**
 * The books of the open stations, in order (empty without an `economics` block). capex = base +
 * per_dispenser x dispensers + storage_capex_per_kg x storage capacity + buffer_capex_per_kg x
 * buffer capacity + compressor_capex_per_kg_per_h x compressor rate + (on-site stations)
 * electrolyser_capex_per_kw x rate_kg_per_h x kwh_per_kg + (pipeline stations)
 * pipeline_capex_per_km x pipeline_km + (delivery stations with a depot) an equal share of the
 * depot's capex (base + per_trailer x trailers) among the open stations it supplies.
 */
std::vector<StationBook> station_books(const ScenarioSpec& scenario);

} // namespace h2sim::models
