#include "availability.hpp"

#include "../core/limits.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace h2sim::models {

namespace {
constexpr double day_min = 1440.0;
constexpr double shortest_up_min = 1.0; // a breakdown distribution of 0 hours must not loop
constexpr std::size_t max_breakdowns = 1'000'000; // their closures are kept for the whole run
} // namespace

const params::Table& availability_table() {
  using W = params::Of<MaintenanceWindow>;
  static const params::Table window =
      W::table("a maintenance window", {W::number("start_day", &MaintenanceWindow::start_day)
                                            .describe("day, 0 = first")
                                            .at_least(0)
                                            .at_most(limits::days),
                                        W::number("start_h", &MaintenanceWindow::start_h)
                                            .describe("hour of that day")
                                            .at_least(0)
                                            .below(24),
                                        W::number("hours", &MaintenanceWindow::hours)
                                            .describe("how long")
                                            .above(0)
                                            .at_most(limits::hours)});
  using O = params::Of<Outages>;
  static const params::Table outages = O::table(
      "random breakdowns", {O::distribution("mtbf_h", &Outages::mtbf_h)
                                .describe("hours from a repair to the next breakdown (at "
                                          "least a minute)")
                                .above(0) // a fixed value: breakdowns 0 h apart would never end
                                .at_most(limits::hours),
                            O::distribution("repair_h", &Outages::repair_h)
                                .describe("hours to repair")
                                .at_most(limits::hours)});
  using A = params::Of<AvailabilitySpec>;
  static const params::Table table = A::table(
      "when the station can serve (default: always); vehicles arriving while it is closed go "
      "elsewhere (diverted_closed)",
      {A::numbers("hours", &AvailabilitySpec::hours)
           .describe("opening hours [open_h, close_h] every day, open_h < close_h (no overnight "
                     "hours), e.g. [6, 22] (default [0, 24])")
           .at_least(0)
           .at_most(24)
           .exactly_items(2),
       A::object("outages", &AvailabilitySpec::outages, outages),
       A::list("maintenance", &AvailabilitySpec::maintenance, window)
           .describe("planned closures")
           .optional()},
      {A::rule([](const AvailabilitySpec& spec, params::Checker& check) {
        if (check.valid("hours") && spec.hours &&
            (spec.hours->size() != 2 || (*spec.hours)[0] >= (*spec.hours)[1])) {
          check.problem("hours", "must be [open_h, close_h] with open_h < close_h");
        }
      })});
  return table;
}

Availability::Availability(const AvailabilitySpec& spec, RandomStream rng, double until_min) {
  Intervals outages;
  if (spec.outages) {
    for (double t = 0;;) {
      t += std::max(shortest_up_min, spec.outages->mtbf_h.sample(rng) * 60.0);
      if (t >= until_min) {
        break;
      }
      const double down = spec.outages->repair_h.sample(rng) * 60.0;
      outages.emplace_back(t, t + down);
      if (outages.size() > max_breakdowns) {
        throw std::runtime_error("more than " + std::to_string(max_breakdowns) +
                                 " breakdowns in the run: availability.outages.mtbf_h is too short "
                                 "for the horizon");
      }
      t += down;
    }
  }
  for (const MaintenanceWindow& window : spec.maintenance) {
    const double start = window.start_day * day_min + window.start_h * 60.0;
    outages.emplace_back(start, start + window.hours * 60.0);
  }
  outages_ = merged(outages);
  Intervals closed = outages_;
  for (double day = 0; day * day_min < until_min; ++day) {
    if (spec.open_h() > 0) {
      closed.emplace_back(day * day_min, day * day_min + spec.open_h() * 60.0);
    }
    if (spec.close_h() < 24) {
      closed.emplace_back(day * day_min + spec.close_h() * 60.0, (day + 1) * day_min);
    }
  }
  closed_ = merged(closed);
}

Availability::Intervals Availability::merged(Intervals intervals) {
  std::sort(intervals.begin(), intervals.end());
  Intervals out;
  for (const auto& interval : intervals) {
    if (interval.second <= interval.first) {
      continue;
    }
    if (!out.empty() && interval.first <= out.back().second) {
      out.back().second = std::max(out.back().second, interval.second);
    } else {
      out.push_back(interval);
    }
  }
  return out;
}

bool Availability::open_at(double t) const { return next_open(t) == t; }

double Availability::next_open(double t) const {
  // The last closure starting at or before t: t is inside it, or open. Times asked mostly grow,
  // so look first at the closure found last time and the next few, then search.
  const std::size_t n = closed_.size();
  const auto starts_by = [&](std::size_t i) { return closed_[i].first <= t; };
  std::size_t after = last_; // the first closure starting after t, once found
  if (after > 0 && !starts_by(after - 1)) {
    after = 0; // t went back
  }
  std::size_t steps = 0;
  while (after < n && starts_by(after) && ++steps <= 4) {
    ++after;
  }
  if (after < n && starts_by(after)) {
    after = static_cast<std::size_t>(
        std::upper_bound(closed_.begin() + static_cast<std::ptrdiff_t>(after), closed_.end(), t,
                         [](double time, const auto& closure) { return time < closure.first; }) -
        closed_.begin());
  }
  last_ = after;
  if (after == 0) {
    return t;
  }
  const double end = closed_[after - 1].second;
  return t < end ? end : t;
}

double Availability::measure(const Intervals& intervals, double from, double to) {
  double total = 0;
  for (const auto& [start, end] : intervals) {
    total += std::max(0.0, std::min(end, to) - std::max(start, from));
  }
  return total;
}

} // namespace h2sim::models
