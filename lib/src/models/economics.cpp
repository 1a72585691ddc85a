#include "economics.hpp"

#include "../core/limits.hpp"
#include "scenario_spec.hpp"
#include "supply/delivery.hpp"
#include "supply/onsite.hpp"
#include "supply/registry.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace h2sim::models {

HydrogenPrices::HydrogenPrices() : per_kg(supply_models().size(), 0.0) {}

double HydrogenPrices::of(const std::string& name) const {
  const auto& models = supply_models();
  for (std::size_t i = 0; i < models.size(); ++i) {
    if (models[i].name == name) {
      return per_kg[i];
    }
  }
  throw std::logic_error("no supply model " + name);
}

namespace {

/** The station keys; in the block `lifetime_years` is required (capex needs it). */
std::vector<params::Field> station_cost_fields(bool block) {
  using F = params::Of<StationCosts>;
  const auto money = [](params::Field field) {
    return std::move(field).at_least(0).at_most(limits::money).optional();
  };
  const std::string fallback = block ? " (default 0)" : " (default: economics.station's)";
  params::Field lifetime = F::number("lifetime_years", &StationCosts::lifetime_years)
                               .describe("years over which capex is repaid, n of the capital "
                                         "recovery factor" +
                                         (block ? std::string() : fallback))
                               .at_least(0.001) // shorter, capex could overflow to inf
                               .at_most(1000);
  lifetime.required = block;
  return {
      money(F::number("base_capex", &StationCosts::base_capex)
                .describe("capital of a station whatever its size, $" + fallback)),
      money(F::number("per_dispenser_capex", &StationCosts::per_dispenser_capex)
                .describe("capital per dispenser, $" + fallback)),
      money(F::number("storage_capex_per_kg", &StationCosts::storage_capex_per_kg)
                .describe("capital per kg of storage.capacity_kg, $/kg" + fallback)),
      money(F::number("buffer_capex_per_kg", &StationCosts::buffer_capex_per_kg)
                .describe("capital per kg of buffer.capacity_kg (high-pressure cascade), $/kg" +
                          fallback)),
      money(F::number("compressor_capex_per_kg_per_h", &StationCosts::compressor_capex_per_kg_per_h)
                .describe("capital per kg/h of buffer.compressor_kg_per_h, $ per kg/h" + fallback)),
      money(F::number("electrolyser_capex_per_kw", &StationCosts::electrolyser_capex_per_kw)
                .describe("capital per kW of on-site electrolysis (supply onsite: rate_kg_per_h x "
                          "kwh_per_kg), $/kW" +
                          fallback)),
      money(F::number("pipeline_capex_per_km", &StationCosts::pipeline_capex_per_km)
                .describe("capital per km of a pipeline station's connection, $/km" + fallback)),
      F::number("pipeline_km", &StationCosts::pipeline_km)
          .describe("km of a pipeline station's connection to its pipeline" + fallback)
          .at_least(0)
          .at_most(limits::km)
          .optional(),
      std::move(lifetime),
      F::number("fixed_om_fraction", &StationCosts::fixed_om_fraction)
          .describe("fixed operation and maintenance per year, as a fraction of capex" + fallback)
          .at_least(0)
          .at_most(1)
          .optional(),
  };
}

const params::Table& hydrogen_prices_table() {
  static const params::Table table = [] {
    using F = params::Of<HydrogenPrices>;
    std::vector<params::Field> fields;
    const auto& models = supply_models();
    for (std::size_t i = 0; i < models.size(); ++i) {
      fields.push_back(
          F::number(models[i].name,
                    [i](HydrogenPrices& prices) -> double& { return prices.per_kg[i]; })
              .describe("$/kg of hydrogen dispensed at stations with supply model " +
                        models[i].name + " (default 0)")
              .at_least(0)
              .at_most(limits::money)
              .optional());
    }
    return F::table("the price of the hydrogen a station dispenses, by its supply model; keys "
                    "are supply models",
                    std::move(fields));
  }();
  return table;
}

} // namespace

const params::Table& station_costs_table() {
  static const params::Table table = params::Of<StationCosts>::table(
      "this station's own costs, each key replacing economics.station's",
      station_cost_fields(false));
  return table;
}

const params::Table& economics_table() {
  using S = params::Of<StationCosts>;
  static const params::Table station =
      S::table("the costs of every station (a station's own `economics` replaces keys)",
               station_cost_fields(true));
  using D = params::Of<DepotCosts>;
  static const params::Table depot =
      D::table("the capital of trailer depots, shared equally by the open stations each supplies",
               {D::number("base_capex", &DepotCosts::base_capex)
                    .describe("capital of a depot whatever its size, $ (default 0)")
                    .at_least(0)
                    .at_most(limits::money)
                    .optional(),
                D::number("per_trailer_capex", &DepotCosts::per_trailer_capex)
                    .describe("capital per tube trailer (cab and tubes), $ (default 0)")
                    .at_least(0)
                    .at_most(limits::money)
                    .optional()});
  using E = params::Of<EconomicsSpec>;
  static const params::Table table = E::table(
      "what the design costs, in US dollars of the year the figures are from (docs/economics.md); "
      "absent: no economics in the metrics. Every cost absent is 0",
      {E::number("discount_rate", &EconomicsSpec::discount_rate)
           .describe("real discount rate r of the capital recovery factor (default 0)")
           .above(-1)
           .at_most(10)
           .optional(),
       E::object("station", &EconomicsSpec::station, station),
       E::object("depot", &EconomicsSpec::depot, depot),
       E::object("hydrogen_cost_per_kg", &EconomicsSpec::hydrogen_cost_per_kg,
                 hydrogen_prices_table())
           .optional(),
       E::number("electricity_cost_per_kwh", &EconomicsSpec::electricity_cost_per_kwh)
           .describe("$/kWh of the electricity of on-site production (energy_kwh) (default 0)")
           .at_least(0)
           .at_most(limits::money)
           .optional(),
       E::number("delivery_cost_per_trip", &EconomicsSpec::delivery_cost_per_trip)
           .describe("$ per trailer delivery (driver, fuel, trailer wear) (default 0)")
           .at_least(0)
           .at_most(limits::money)
           .optional(),
       E::number("waiting_cost_per_hour", &EconomicsSpec::waiting_cost_per_hour)
           .describe("$ per hour a driver waits at a station (the value of their time) (default "
                     "0)")
           .at_least(0)
           .at_most(limits::money)
           .optional()},
      {E::rule([](const EconomicsSpec& economics, params::Checker& check) {
        if (economics.depot && !check.present("station")) {
          check.problem("depot", "needs economics.station, whose lifetime_years annualises the "
                                 "depots' capital");
        }
      })});
  return table;
}

double capital_recovery_factor(double rate, double years) {
  if (rate == 0) {
    return 1 / years;
  }
  // (1+r)^n - 1 as expm1(n log1p(r)): exact near r = 0, where the difference cancels.
  const double growth = std::expm1(years * std::log1p(rate));
  const double factor = rate * (growth + 1) / growth;
  if (std::isfinite(factor)) {
    return factor;
  }
  // (1+r)^n, or r (1+r)^n, past a double (r = 10 over 296 years gave inf / inf): the same as
  // r / (1 - (1+r)^-n), which cannot overflow there.
  return -rate / std::expm1(-years * std::log1p(rate));
}

std::vector<StationBook> station_books(const ScenarioSpec& scenario) {
  std::vector<StationBook> books;
  if (!scenario.economics) {
    return books;
  }
  const EconomicsSpec& economics = *scenario.economics;
  const std::size_t open = scenario.open_stations();
  // Each depot's open stations, for the shares of its capital.
  std::map<std::string, std::size_t> served_by;
  const auto depot_of = [](const StationSpec& station) -> std::optional<std::string> {
    if (station.supply_model() != "delivery") {
      return std::nullopt;
    }
    return station.supply.as<DeliveryParams>().depot;
  };
  for (std::size_t i = 0; i < open; ++i) {
    if (const auto depot = depot_of(scenario.stations[i])) {
      ++served_by[*depot];
    }
  }
  const StationCosts none;
  const StationCosts& shared = economics.station ? *economics.station : none;
  for (std::size_t i = 0; i < open; ++i) {
    const StationSpec& station = scenario.stations[i];
    const StationCosts& own = station.economics ? *station.economics : none;
    const auto value = [&](std::optional<double> StationCosts::*key) {
      return (own.*key).value_or((shared.*key).value_or(0.0));
    };
    const std::string model = station.supply_model();
    double capex = value(&StationCosts::base_capex) +
                   value(&StationCosts::per_dispenser_capex) * station.dispensers;
    if (station.storage) {
      capex += value(&StationCosts::storage_capex_per_kg) * station.storage->capacity_kg;
    }
    if (station.buffer) {
      capex +=
          value(&StationCosts::buffer_capex_per_kg) * station.buffer->capacity_kg +
          value(&StationCosts::compressor_capex_per_kg_per_h) * station.buffer->compressor_kg_per_h;
    }
    if (model == "onsite") {
      const auto& onsite = station.supply.as<OnsiteParams>();
      capex += value(&StationCosts::electrolyser_capex_per_kw) * onsite.rate_kg_per_h *
               onsite.kwh_per_kg;
    }
    if (model == "pipeline") {
      capex += value(&StationCosts::pipeline_capex_per_km) * value(&StationCosts::pipeline_km);
    }
    if (const auto depot = depot_of(station); depot && economics.depot) {
      const DepotSpec& spec = *std::find_if(scenario.depots.begin(), scenario.depots.end(),
                                            [&](const DepotSpec& d) { return d.id == *depot; });
      capex += (economics.depot->base_capex + economics.depot->per_trailer_capex * spec.trailers) /
               static_cast<double>(served_by.at(*depot));
    }
    StationBook book;
    book.capex = capex;
    const double lifetime = value(&StationCosts::lifetime_years);
    book.annualized_capex =
        lifetime > 0 ? capex * capital_recovery_factor(economics.discount_rate, lifetime) : 0.0;
    book.fixed_om_per_year = value(&StationCosts::fixed_om_fraction) * capex;
    book.hydrogen_per_kg = economics.hydrogen_cost_per_kg.of(model);
    book.electricity_per_kwh = economics.electricity_cost_per_kwh;
    book.per_delivery = economics.delivery_cost_per_trip;
    book.waiting_per_hour = economics.waiting_cost_per_hour;
    books.push_back(book);
  }
  return books;
}

} // namespace h2sim::models
