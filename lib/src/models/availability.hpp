#pragma once

#include <utility>
#include <vector>

#include <h2sim/random.hpp>
#include <h2sim/scenario.hpp>

namespace h2sim::models {

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

private:
  using Intervals = std::vector<std::pair<double, double>>;
  static Intervals merged(Intervals intervals);
  static double measure(const Intervals& intervals, double from, double to);

  Intervals closed_;  // sorted, disjoint [start, end)
  Intervals outages_; // likewise
};

} // namespace h2sim::models
