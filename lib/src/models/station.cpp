#include "station.hpp"

#include "../core/limits.hpp"
#include "supply/registry.hpp"

namespace h2sim::models {

const params::Table& station_table() {
  using F = params::Of<StationSpec>;
  static const params::Table table = F::table(
      "a station, in build-priority order",
      {F::text("id", &StationSpec::id).describe("unique id of the station").not_empty(),
       F::text("name", &StationSpec::name).describe("a human-readable name").optional(),
       F::number("x_km", [](StationSpec& s) -> double& { return s.location.x_km; })
           .describe("km east of the city's origin")
           .at_least(-limits::km)
           .at_most(limits::km),
       F::number("y_km", [](StationSpec& s) -> double& { return s.location.y_km; })
           .describe("km north of the city's origin")
           .at_least(-limits::km)
           .at_most(limits::km),
       F::integer("dispensers", &StationSpec::dispensers)
           .describe("dispensing positions, each filling one vehicle at a time")
           .at_least(1)
           .at_most(1000),
       F::number("fill_rate_kg_per_min", &StationSpec::fill_rate_kg_per_min)
           .describe("hydrogen flow of a fill")
           .at_least(0.001)
           .at_most(1e3),
       F::number("overhead_min", &StationSpec::overhead_min)
           .describe("minutes to connect and disconnect (default 0)")
           .at_least(0)
           .at_most(1440)
           .optional(),
       F::integer("queue_capacity", &StationSpec::queue_capacity)
           .describe("most vehicles that may wait, not counting those being filled (default "
                     "unlimited); an arrival that finds it full balks")
           .at_least(0)
           .at_most(limits::count),
       F::number("arrivals_per_h", &StationSpec::arrivals_per_h)
           .describe("this station's Poisson rate, overriding demand.arrivals_per_h")
           .at_least(0)
           .at_most(limits::arrivals_per_h),
       F::object("storage", &StationSpec::storage, storage_table()),
       F::model("supply", &StationSpec::supply, supply_catalog())
           .describe("how the station is resupplied (default: unlimited without storage, none "
                     "with it)")
           .optional(),
       F::object("availability", &StationSpec::availability, availability_table()),
       F::choices("pressures", &StationSpec::pressures, pressure_classes())
           .describe("pressure classes it can fill (default both)")
           .items(1)
           .optional(),
       F::object("buffer", &StationSpec::buffer, buffer_table())},
      {F::rule([](const StationSpec& station, params::Checker& check) {
        if (check.valid("supply/model") && station.supply.name() != "unlimited" &&
            !station.supply.name().empty() && !check.present("storage")) {
          check.problem("storage", "is required with supply model " + station.supply.name());
        }
      })});
  return table;
}

} // namespace h2sim::models
