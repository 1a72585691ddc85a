#pragma once

// The metrics as data: what the collector tallies (plain structs), and one declaration per metric
// field (its key, its kind, where it comes from). Everything else — totals over stations, values
// of a replication, combining replications, the compact form, JSON, CSV cells and the JSON Schema —
// walks these declarations, so a field declared here is handled everywhere or nowhere.

#include "../core/quantile_sketch.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace h2sim::report {

constexpr std::size_t hours = 24; // hourly metrics are by hour of day of arrival, 0 = midnight

/**
 * The measurement window [start, end), in minutes, and its series bins: `bins` of `bin_min` each
 * from `start`, the last one cut at `end` (no series when bins is 0).
 */
struct Window {
  double start = 0;
  double end = 0;
  double bin_min = 0;
  std::size_t bins = 0;
  /** Where bin k begins (k = bins: the window's end). */
  double bin_start(std::size_t k) const {
    return k >= bins ? end : start + static_cast<double>(k) * bin_min;
  }
  /** Minutes of bin k inside the window. */
  double bin_length(std::size_t k) const { return bin_start(k + 1) - bin_start(k); }
  /** Minutes of the window whose hour of day is h (0 = midnight, days from time 0). */
  double hour_minutes(std::size_t h) const;
};

/** The number of bins of `bin_days` that cover `horizon_days` (the last may be shorter). */
std::size_t bins_of(double horizon_days, double bin_days);

/**
 * What one station (or the totals) tallied in one bin of the window (`series.daily`): visits by
 * their arrival, fills by their start, time integrals cut at the bin's edges, supply from the
 * tank's books at the bin's end.
 */
struct SeriesBin {
  std::uint64_t arrivals = 0;
  std::uint64_t served = 0;
  std::uint64_t balked = 0;
  std::uint64_t reneged = 0;
  std::uint64_t turned_away_stockout = 0;
  std::uint64_t diverted_closed = 0;
  std::uint64_t waited_over_5_min = 0; // of the served
  std::uint64_t deliveries = 0;
  double wait_sum_min = 0; // of the served
  double dispensed_kg = 0;
  double busy_min = 0;
  double queue_area = 0;
  double delivered_kg = 0;
  double stockout_min = 0;
  double inventory_end_kg = 0;
};

/** Bits of the optional groups of fields a station reports (stations and totals alike). */
namespace group {
constexpr std::uint8_t buffered = 1;     // a buffer behind the dispensers: waiting_at_end
constexpr std::uint8_t availability = 2; // opening hours, outages or maintenance
constexpr std::uint8_t supply = 4;       // finite storage
constexpr std::uint8_t economics = 8;    // the scenario has an `economics` block
constexpr std::uint8_t closures = 16;    // closed at some time: availability, or open_stations
constexpr std::uint8_t all = buffered | availability | supply | economics | closures;
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
  std::array<double, hours> hourly_busy_min{};   // busy_min by the hour of day it fell in
  std::array<double, hours> hourly_queue_area{}; // queue_area by the hour of day it fell in
  double closed_min = 0;                         // group::availability
  double outage_min = 0;                         // group::availability
  double delivered_kg = 0;                       // group::supply, and so on below
  std::uint64_t deliveries = 0;
  double stockout_min = 0;
  double inventory_start_kg = 0;
  double inventory_end_kg = 0;
  double inventory_min_kg = 0;
  double energy_kwh = 0;
  // group::economics: capital (per year where it says so) and the window's costs, in dollars
  double capex = 0;
  double annualized_capex = 0;
  double fixed_om_per_year = 0;
  double hydrogen_cost = 0;                // dispensed_kg x the supply model's price
  double electricity_cost = 0;             // energy_kwh x price
  double delivery_cost = 0;                // deliveries x cost per trip
  double waiting_cost = 0;                 // hours waited (served and reneged) x cost per hour
  std::vector<SeriesBin> series;           // one per bin of the window
  std::vector<QuantileSketch> series_wait; // totals only: the network's waits per bin
};

/** What one fleet class tallied over the window. */
struct ClassTally {
  std::uint64_t vehicles = 0; // from the scenario: mean_vehicles, rounded
  double mean_vehicles = 0;   // the count over the window, time-averaged (scheduled changes)
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
  StationTally network; // what is tallied once for the whole network (Field::from_network)
};

/**
 * How a field is formed over stations (the totals) and over replications (README "Metrics").
 * Stored kinds are tallied; derived ones are computed from a record once its totals are formed.
 */
enum class Kind : std::uint8_t {
  count,         // events (uint64): summed over stations; mean over replications; an integer
                 // in one replication
  quantity,      // an amount (double): summed over stations; mean over replications
  maximum,       // a largest value (uint64): max over stations; max of the replications' maxima
  minimum,       // a station's lowest stock (double): summed over stations, whose stocks are
                 // separate; min of the replications' minima
  waits,         // a quantile sketch, stored or derived: merged over stations; reported as mean,
                 // p50, p90, p95, p99 (means over replications) and max (max of the maxima)
  hourly_counts, // 24 counts: summed over stations hour by hour; like count hour by hour
  hourly_waits,  // 24 sketches: merged over stations hour by hour; not reported themselves
  hourly_quantities, // 24 amounts: summed over stations hour by hour; not reported themselves
  derived,           // a number computed from the record (a ratio, a unit); mean over replications
  hourly_derived,    // 24 numbers computed from the record; mean over replications hour by hour
  series_counts,     // a count per bin (series.daily): summed over stations bin by bin; like count
  series_quantities, // an amount per bin: summed over stations bin by bin; mean bin by bin
  series_derived,    // a number per bin computed from the record; mean over replications bin by bin
  series_axis,       // the bins' days: the earliest over replications (the same in each, unless
                     // warmup_days is "auto")
  series_waits,      // a sketch per bin: merged; not reported themselves
};

/** Whether fields of `kind` have one value per bin of the window. */
inline bool per_bin(Kind kind) {
  return kind == Kind::series_counts || kind == Kind::series_quantities ||
         kind == Kind::series_derived || kind == Kind::series_axis || kind == Kind::series_waits;
}

enum class Scope : std::uint8_t { both, stations, totals };

/** A record's reported numbers: the statistics of a waits field, in this order. */
constexpr std::array<std::string_view, 6> wait_statistics{"mean", "p50", "p90",
                                                          "p95",  "p99", "max"};

/** One metric field of record type R (StationTally or ClassTally). */
template <class R> struct Field {
  using Source = std::variant<
      std::uint64_t R::*, double R::*, QuantileSketch R::*, std::array<std::uint64_t, hours> R::*,
      std::array<QuantileSketch, hours> R::*, double (*)(const R&, const Window&),
      QuantileSketch (*)(const R&), std::array<double, hours> (*)(const R&, const Window&),
      std::array<double, hours> R::*, std::uint64_t SeriesBin::*, double SeriesBin::*,
      double (*)(const R&, std::size_t, const Window&), std::vector<QuantileSketch> R::*>;

  std::string_view key; // in the document; a dot nests ("time_in_system_min.mean")
  Kind kind;
  Source source; // a member for stored kinds, a function for derived ones
  std::string_view description;
  std::uint8_t group = 0; // reported only by records with this group (0: always)
  Scope scope = Scope::both;
  bool reported = true;  // false: an input of derived fields, tallied and totalled only
  bool interval = false; // its totals get a 95% interval in `ci95` (besides ci95_paths())
  /** Totals: a station without `group` adds this instead (its dispensed hydrogen is delivered). */
  double R::*absent_adds = nullptr;
  /** Totals: the sum over the fleet's classes of this class field, not over the stations. */
  std::uint64_t ClassTally::*from_classes = nullptr;
  /** Totals: a series bin whose station lacks `group` adds this instead (as absent_adds). */
  double SeriesBin::*absent_bin_adds = nullptr;
  /** Totals only: tallied once for the network (ReplicationTallies::network), not per station. */
  bool from_network = false;
};

/** Every field of a station (and of the totals), in document order. */
const std::vector<Field<StationTally>>& station_fields();
/** Every field of a fleet class, in document order. */
const std::vector<Field<ClassTally>>& class_fields();

inline bool reports(std::uint8_t field_group, std::uint8_t groups) {
  return field_group == 0 || (groups & field_group) != 0;
}

/**
 * Calls f(field) for each field a record with `groups` in `scope` reports, in order; per-bin
 * fields only with `series` (a window with bins).
 */
template <class R, class F>
void for_each_reported(const std::vector<Field<R>>& fields, std::uint8_t groups, Scope scope,
                       bool series, F&& f) {
  for (const Field<R>& field : fields) {
    if (field.reported && reports(field.group, groups) && (series || !per_bin(field.kind)) &&
        (field.scope == Scope::both || field.scope == scope)) {
      f(field);
    }
  }
}

/**
 * The totals: the stations' tallies combined field by field by kind, plus the classes', and the
 * fields tallied for the whole `network`.
 */
StationTally totals_of(const std::vector<StationTally>& stations,
                       const std::vector<ClassTally>& classes, const StationTally& network);
/** The totals of stations and classes alone (nothing tallied for the network). */
StationTally totals_of(const std::vector<StationTally>& stations,
                       const std::vector<ClassTally>& classes);

/**
 * A record's reported numbers in declaration order (a waits field gives 6, hourly ones 24, series
 * ones one per bin).
 */
struct RecordValues {
  std::uint8_t groups = 0;
  std::uint32_t bins = 0; // of the series (0: none)
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
  /** The warm-up this replication chose from its data (warmup_days "auto"), in days. */
  struct ChosenWarmup {
    double days = 0;
    bool stable = true; // false: MSER-5 saw no steady state (its cut is in the second half)
    bool operator==(const ChosenWarmup&) const = default;
  };
  std::optional<ChosenWarmup> warmup;
  /**
   * The totals' waits of the served as a sketch (at most max_carried_buckets buckets), for the
   * pooled quantiles of the intervals; empty where a journal written before it is read back.
   */
  std::optional<QuantileSketch> waits;
  static constexpr std::size_t max_carried_buckets = 2048;
  bool operator==(const ReplicationValues&) const = default;
};

/** The values of a replication: totals formed, every field reported. */
ReplicationValues values_of(const ReplicationTallies& tallies);

/** How a reported number combines over replications. */
enum class Combine : std::uint8_t { mean, max, min };

/** One reported number of a record: its dotted path, how it combines, whether it is an integer. */
struct Leaf {
  std::string path; // "arrivals", "wait_min.p95", "hourly.arrivals.7", "series.daily.served.9"
  Combine combine = Combine::mean;
  bool integer = false; // an integer in one replication (a count)
  bool scalar = true;   // false for an item of an hourly or series array (CSV leaves them out)
};

/** The reported numbers of a station or totals record with `groups` and `bins`, in order. */
const std::vector<Leaf>& station_layout(std::uint8_t groups, Scope scope, std::uint32_t bins = 0);
/**
 * How many numbers station_layout(groups, scope, bins) has, without building (and keeping) the
 * layout: a damaged journal line's bins would otherwise make one of millions of leaves.
 */
std::size_t station_layout_size(std::uint8_t groups, Scope scope, std::uint32_t bins);
/** The reported numbers of a class record, in order. */
const std::vector<Leaf>& class_layout();

} // namespace h2sim::report
