#pragma once

// The metrics as data: what the collector tallies (plain structs), and one declaration per metric
// field (its key, its kind, where it comes from). Everything else — totals over stations, values
// of a replication, combining replications, the compact form, JSON, CSV cells and the JSON Schema —
// walks these declarations, so a field declared here is handled everywhere or nowhere.

#include "../core/quantile_sketch.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace h2sim::report {

constexpr std::size_t hours = 24; // hourly metrics are by hour of day of arrival, 0 = midnight

/** The measurement window [start, end), in minutes. */
struct Window {
  double start = 0;
  double end = 0;
};

/** Bits of the optional groups of fields a station reports (stations and totals alike). */
namespace group {
constexpr std::uint8_t buffered = 1;     // a buffer behind the dispensers: waiting_at_end
constexpr std::uint8_t availability = 2; // opening hours, outages or maintenance
constexpr std::uint8_t supply = 4;       // finite storage
constexpr std::uint8_t all = buffered | availability | supply;
} // namespace group

/**
 * What one station tallied over the window; the totals are the same struct, formed from the
 * stations' by kind (see Kind). Fields of an optional group are zero where the group is absent.
 */
struct StationTally {
  std::uint8_t groups = 0; // which optional groups (group::...) this station reports
  double dispensers = 0;   // from the scenario
  std::uint64_t arrivals = 0;
  std::uint64_t served = 0;
  std::uint64_t balked = 0;
  std::uint64_t reneged = 0;
  std::uint64_t waiting_at_end = 0;
  std::uint64_t diverted_closed = 0;
  std::uint64_t turned_away_stockout = 0;
  std::uint64_t stranded = 0; // totals only: over the fleet's classes
  std::uint64_t gave_up = 0;  // totals only: over the fleet's classes
  std::uint64_t queue_max = 0;
  double time_in_system_sum_min = 0; // over the served
  double dispensed_kg = 0;
  double busy_min = 0;         // dispenser-minutes inside the window
  double queue_area = 0;       // vehicle-minutes waiting inside the window
  QuantileSketch abandon_wait; // minutes waited by those who reneged
  std::array<std::uint64_t, hours> hourly_arrivals{};
  std::array<QuantileSketch, hours> hourly_wait; // waits of the served; merged: the station's
  double closed_min = 0;                         // group::availability
  double outage_min = 0;                         // group::availability
  double delivered_kg = 0;                       // group::supply, and so on below
  std::uint64_t deliveries = 0;
  double stockout_min = 0;
  double inventory_start_kg = 0;
  double inventory_end_kg = 0;
  double inventory_min_kg = 0;
  double energy_kwh = 0;
};

/** What one fleet class tallied over the window. */
struct ClassTally {
  std::uint64_t vehicles = 0; // from the scenario
  std::uint64_t refuels = 0;
  std::uint64_t stranded = 0;
  std::uint64_t reneged = 0;
  std::uint64_t gave_up = 0; // rounds of tries that ended without a fill
  double km_driven = 0;
  double detour_km = 0;
  double dispensed_kg = 0;
  QuantileSketch wait;
  QuantileSketch abandon_wait;
};

/** What the metrics need to know of a scenario besides what is tallied: names, in order. */
struct Labels {
  std::vector<std::string> stations; // ids of the open stations
  std::vector<std::string> classes;  // names of the fleet's classes
};

/** What the collector hands over at the end of a replication. */
struct ReplicationTallies {
  Window window;
  std::vector<StationTally> stations; // the open stations, in the scenario's order
  std::vector<ClassTally> classes;    // fleets only, in the scenario's order
};

/**
 * How a field is formed over stations (the totals) and over replications (README "Metrics").
 * Stored kinds are tallied; derived ones are computed from a record once its totals are formed.
 */
enum class Kind : std::uint8_t {
  count,          // events (uint64): summed over stations; mean over replications; an integer
                  // in one replication
  quantity,       // an amount (double): summed over stations; mean over replications
  maximum,        // a largest value (uint64): max over stations; max of the replications' maxima
  minimum,        // a station's lowest stock (double): summed over stations, whose stocks are
                  // separate; min of the replications' minima
  waits,          // a quantile sketch, stored or derived: merged over stations; reported as mean,
                  // p50, p90, p95, p99 (means over replications) and max (max of the maxima)
  hourly_counts,  // 24 counts: summed over stations hour by hour; like count hour by hour
  hourly_waits,   // 24 sketches: merged over stations hour by hour; not reported themselves
  derived,        // a number computed from the record (a ratio, a unit); mean over replications
  hourly_derived, // 24 numbers computed from the record; mean over replications hour by hour
};

enum class Scope : std::uint8_t { both, stations, totals };

/** A record's reported numbers: the statistics of a waits field, in this order. */
constexpr std::array<std::string_view, 6> wait_statistics{"mean", "p50", "p90",
                                                          "p95",  "p99", "max"};

/** One metric field of record type R (StationTally or ClassTally). */
template <class R> struct Field {
  using Source =
      std::variant<std::uint64_t R::*, double R::*, QuantileSketch R::*,
                   std::array<std::uint64_t, hours> R::*, std::array<QuantileSketch, hours> R::*,
                   double (*)(const R&, const Window&), QuantileSketch (*)(const R&),
                   std::array<double, hours> (*)(const R&)>;

  std::string_view key; // in the document; a dot nests ("time_in_system_min.mean")
  Kind kind;
  Source source; // a member for stored kinds, a function for derived ones
  std::string_view description;
  std::uint8_t group = 0; // reported only by records with this group (0: always)
  Scope scope = Scope::both;
  bool reported = true; // false: an input of derived fields, tallied and totalled only
  /** Totals: a station without `group` adds this instead (its dispensed hydrogen is delivered). */
  double R::*absent_adds = nullptr;
  /** Totals: the sum over the fleet's classes of this class field, not over the stations. */
  std::uint64_t ClassTally::*from_classes = nullptr;
};

/** Every field of a station (and of the totals), in document order. */
const std::vector<Field<StationTally>>& station_fields();
/** Every field of a fleet class, in document order. */
const std::vector<Field<ClassTally>>& class_fields();

inline bool reports(std::uint8_t field_group, std::uint8_t groups) {
  return field_group == 0 || (groups & field_group) != 0;
}

/** Calls f(field) for each field a record with `groups` in `scope` reports, in order. */
template <class R, class F>
void for_each_reported(const std::vector<Field<R>>& fields, std::uint8_t groups, Scope scope,
                       F&& f) {
  for (const Field<R>& field : fields) {
    if (field.reported && reports(field.group, groups) &&
        (field.scope == Scope::both || field.scope == scope)) {
      f(field);
    }
  }
}

/** The totals: the stations' tallies combined field by field by kind, plus the classes'. */
StationTally totals_of(const std::vector<StationTally>& stations,
                       const std::vector<ClassTally>& classes);

/** A record's reported numbers in declaration order (a waits field gives 6, hourly ones 24). */
struct RecordValues {
  std::uint8_t groups = 0;
  std::vector<double> leaves;
  bool operator==(const RecordValues&) const = default;
};

/** One replication's metrics as numbers: what crosses from the child to the parent. */
struct ReplicationValues {
  RecordValues totals;
  std::vector<RecordValues> stations;
  std::vector<RecordValues> classes;
  std::uint64_t events = 0; // engine events
  double wall_s = 0;        // the simulation's own time
  bool operator==(const ReplicationValues&) const = default;
};

/** The values of a replication: totals formed, every field reported. */
ReplicationValues values_of(const ReplicationTallies& tallies);

/** How a reported number combines over replications. */
enum class Combine : std::uint8_t { mean, max, min };

/** One reported number of a record: its dotted path, how it combines, whether it is an integer. */
struct Leaf {
  std::string path; // "arrivals", "wait_min.p95", "hourly.arrivals.7"
  Combine combine = Combine::mean;
  bool integer = false; // an integer in one replication (a count)
  bool scalar = true;   // false for an hour of an hourly array (CSV tables leave them out)
};

/** The reported numbers of a station or totals record with `groups`, in order. */
const std::vector<Leaf>& station_layout(std::uint8_t groups, Scope scope);
/** The reported numbers of a class record, in order. */
const std::vector<Leaf>& class_layout();

} // namespace h2sim::report
