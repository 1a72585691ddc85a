#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <h2sim/distribution.hpp>

namespace h2sim {

/** A point in the city's plane, kilometres east and north of its origin. */
struct Point {
  double x_km = 0;
  double y_km = 0;
};

/** Where a station's hydrogen comes from (`supply.model`). */
struct UnlimitedSupply {}; // no storage limit
struct NoSupply {};        // only the initial storage
/** Tube trailers of `payload_kg`, ordered when the stock falls to `reorder_at_kg`. */
struct DeliverySupply {
  double payload_kg = 0;
  double reorder_at_kg = 0;
  Distribution lead_time_h = Distribution::fixed(0); // with a depot: the loading time there
  std::optional<std::size_t> depot;                  // index in Scenario::depots
};

/** A depot of tube trailers that many stations order from. */
struct DepotSpec {
  std::string id;
  Point location;
  int trailers = 1;
  double speed_kmh = 40;
  double road_factor = 1;
};
/** Fed by a shared pipeline at up to `max_rate_kg_per_h` while storage has room. */
struct PipelineSupply {
  std::string pipeline; // id in Scenario::pipelines
  std::size_t pipeline_index = 0;
  double max_rate_kg_per_h = 0;
};
/** On-site electrolysis at `rate_kg_per_h` x the hour's multiplier while storage has room. */
struct OnsiteSupply {
  double rate_kg_per_h = 0;
  std::vector<double> hourly_profile; // 24 multipliers, hour 0 first; empty = all 1
  double kwh_per_kg = 0;
};
using SupplySpec =
    std::variant<UnlimitedSupply, NoSupply, DeliverySupply, PipelineSupply, OnsiteSupply>;

struct StorageSpec {
  double capacity_kg = 0;
  double initial_kg = 0;
};

/**
 * The high-pressure buffer that limits consecutive fills: fills draw from it at their full rate; a
 * compressor refills it from storage, and once it is empty fills get only what the compressor
 * delivers, shared among the dispensers drawing at once.
 */
struct BufferSpec {
  double capacity_kg = 0;
  double compressor_kg_per_h = 0;
};

/** A planned closure: `hours` from hour `start_h` of day `start_day` (day 0 = the first day). */
struct MaintenanceWindow {
  double start_day = 0;
  double start_h = 0;
  double hours = 0;
};

/** When a station can serve: opening hours, random breakdowns, planned maintenance. */
struct AvailabilitySpec {
  double open_h = 0;   // opens at this hour each day...
  double close_h = 24; // ...and closes at this one (open_h < close_h; 0-24 = always open)
  std::optional<Distribution> mtbf_h;   // hours between breakdowns (with repair_h)
  std::optional<Distribution> repair_h; // hours a breakdown lasts
  std::vector<MaintenanceWindow> maintenance;
};

struct StationSpec {
  std::string id;
  std::string name;
  Point location;
  int dispensers = 1;
  double fill_rate_kg_per_min = 1;
  double overhead_min = 0;
  std::optional<int> queue_capacity; // vehicles that may wait; empty = unlimited
  std::optional<double> arrivals_per_h; // this station's Poisson rate, overriding the demand's
  std::optional<StorageSpec> storage; // empty: unlimited hydrogen
  std::optional<BufferSpec> buffer;   // empty: fills always run at the fill rate
  std::vector<std::string> pressures{"H35", "H70"}; // pressure classes it can fill
  std::optional<AvailabilitySpec> availability;       // empty: always open
  SupplySpec supply;
  /** Whether hydrogen is limited here (storage given and a supply model other than unlimited). */
  bool finite() const { return storage && !std::holds_alternative<UnlimitedSupply>(supply); }
};

/** A pipeline that stations draw from at once, sharing its capacity max-min fairly. */
struct PipelineSpec {
  std::string id;
  double capacity_kg_per_h = 0;
};

/** What a fleet driver does at the last of `max_tries` stations. */
enum class AfterLastTry {
  wait,  // queue there however long the wait (no balking, no patience)
  leave, // behave as everywhere; if not served, give up (gave_up) and try again later
};

/** How drivers react to a queue. */
struct DriverSpec {
  std::optional<int> balk_if_waiting_over;     // seeing more waiting than this, go elsewhere
  std::optional<Distribution> patience_min;    // leave the queue (reneged) after waiting this long
  int max_tries = 0;                           // fleet: stations tried in a round; 0 = all
  AfterLastTry after_last_try = AfterLastTry::wait;
};

/**
 * Every open station receives its own Poisson stream of vehicles; with an hourly profile, a
 * non-homogeneous one (the rate times the hour's multiplier).
 */
struct PoissonDemand {
  double arrivals_per_h = 0;
  Distribution kg_per_fill = Distribution::fixed(0);
  std::vector<double> hourly_profile; // 24 multipliers of the rate, hour 0 first; empty = all 1
  DriverSpec driver;
};

struct Area {
  Point centre;
  double radius_km = 0;
};

/** The daily hours a class drives: from `start_h` for `hours` (wrapping past midnight). */
struct Shift {
  double start_h = 0;
  double hours = 24;
};

struct VehicleClass {
  std::string name;
  int count = 0;
  double tank_kg = 0;
  double consumption_kg_per_100km = 0;
  Distribution daily_km = Distribution::fixed(0);
  Distribution refuel_at_fraction = Distribution::fixed(0); // drawn per refuelling, kept below 1
  std::optional<Shift> shift;                               // empty: drives around the clock
  double speed_kmh = 0;
  Area area;
  DriverSpec driver;
  std::string pressure;                 // H35 or H70; empty = any station
  std::string choice = "nearest";       // station choice policy, by registry name
  double max_detour_km = INFINITY;      // stations farther (road km) are not considered
  std::optional<std::size_t> home_station; // index in Scenario::stations (policy "depot")
};

/** Vehicles drive, drain their tanks and refuel at the nearest open station. */
struct FleetDemand {
  double road_factor = 1;
  std::vector<VehicleClass> classes;
};

/** One observed refuelling request of a trace. */
struct TraceRow {
  double time_min = 0;
  std::string vehicle;
  std::optional<std::size_t> station; // index in Scenario::stations; else the nearest open to `at`
  Point at;
  double kg = 0;
};

/** Refuelling requests replayed from a CSV file (sorted by time when loaded). */
struct TraceDemand {
  std::string file;
  std::vector<TraceRow> rows;
};

using DemandSpec = std::variant<PoissonDemand, FleetDemand, TraceDemand>;

/** Something legal but probably not meant: where (a JSON pointer) and what. */
struct Warning {
  std::string pointer;
  std::string message;
};

/** A validated scenario: what `parse_scenario` returns when the file has no problem. */
struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  double horizon_days = 0;
  double warmup_days = 0;
  int replications = 1;
  std::vector<StationSpec> stations; // in build-priority order
  std::vector<PipelineSpec> pipelines;
  std::vector<DepotSpec> depots;
  std::size_t open_stations = 0;     // the first open_stations entries are open
  DemandSpec demand;
  std::optional<Distribution> fill_time_min; // service.fill_time_min: overrides the fill formula
  std::vector<Warning> warnings;             // found when loading; copied to the metrics
};

} // namespace h2sim
