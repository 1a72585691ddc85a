#pragma once

#include "../core/distribution.hpp"
#include "../core/params.hpp"
#include "../core/random.hpp"

#include <optional>
#include <utility>
#include <vector>

namespace h2sim::models {

/** A planned closure: `hours` from hour `start_h` of day `start_day` (day 0 = the first day). */
struct MaintenanceWindow {
  double start_day = 0;
  double start_h = 0;
  double hours = 0;
};

/** Random breakdowns: up-times and repair times. */
struct Outages {
  Distribution mtbf_h = Distribution::fixed(1);
  Distribution repair_h = Distribution::fixed(0);
};

/** When a station can serve: opening hours, random breakdowns, planned maintenance. */
struct AvailabilitySpec {
  std::optional<std::vector<double>> hours; // [open_h, close_h] every day; absent: always open
  std::optional<Outages> outages;
  std::vector<MaintenanceWindow> maintenance;
  double open_h() const { return hours ? (*hours)[0] : 0.0; }
  double close_h() const { return hours ? (*hours)[1] : 24.0; }
};
/** The parameters of a station's `availability`. */
const params::Table& availability_table();

/**
 * When a station is closed: outside its opening hours, during random breakdowns (up-times and
 * repair times drawn from the station's own stream, for the whole run, at the start) and during
 * planned maintenance. Known in advance, so admission can compute around closures without events.
 */
class Availability {
public:
  Availability(const AvailabilitySpec& spec, RandomStream rng, double until_min);

  bool open_at(double t) const;
  /** The earliest time >= t at which the station is open. */
  double next_open(double t) const;
  /** Minutes closed for any reason within [from, to). */
  double closed_min(double from, double to) const { return measure(closed_, from, to); }
  /** Minutes of breakdowns and maintenance within [from, to) (not the daily closing hours). */
  double outage_min(double from, double to) const { return measure(outages_, from, to); }
  /** Every closure of the run, for any reason: sorted, disjoint [start, end) in minutes. */
  const std::vector<std::pair<double, double>>& closures() const { return closed_; }

private:
  using Intervals = std::vector<std::pair<double, double>>;
  static Intervals merged(Intervals intervals);
  static double measure(const Intervals& intervals, double from, double to);

  Intervals closed_;  // sorted, disjoint [start, end)
  Intervals outages_; // likewise
  // next_open's: the first closure starting after the time last asked. A cache written by a
  // const method: an Availability belongs to one station of one replication, on one thread.
  mutable std::size_t last_ = 0;
};

} // namespace h2sim::models
