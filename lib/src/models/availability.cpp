#include "availability.hpp"

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

Availability::Availability(const AvailabilitySpec& spec, RandomStream rng, double until_min) {
  Intervals outages;
  if (spec.mtbf_h && spec.repair_h) {
    for (double t = 0;;) {
      t += std::max(shortest_up_min, spec.mtbf_h->sample(rng) * 60.0);
      if (t >= until_min) {
        break;
      }
      const double down = spec.repair_h->sample(rng) * 60.0;
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
    if (spec.open_h > 0) {
      closed.emplace_back(day * day_min, day * day_min + spec.open_h * 60.0);
    }
    if (spec.close_h < 24) {
      closed.emplace_back(day * day_min + spec.close_h * 60.0, (day + 1) * day_min);
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
  // The last closure starting at or before t: t is inside it, or open.
  auto it = std::upper_bound(closed_.begin(), closed_.end(), std::make_pair(t, static_cast<double>(INFINITY)));
  if (it == closed_.begin()) {
    return t;
  }
  --it;
  return t < it->second ? it->second : t;
}

double Availability::measure(const Intervals& intervals, double from, double to) {
  double total = 0;
  for (const auto& [start, end] : intervals) {
    total += std::max(0.0, std::min(end, to) - std::max(start, from));
  }
  return total;
}

} // namespace h2sim::models
