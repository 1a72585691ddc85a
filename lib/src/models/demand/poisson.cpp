#include "poisson.hpp"

#include "../../core/hour_of_day.hpp"
#include "../../core/limits.hpp"
#include "../hourly_profile.hpp"

#include <algorithm>
#include <cmath>

namespace h2sim::models {

const params::Table& poisson_table() {
  using F = params::Of<PoissonParams>;
  static const params::Table table =
      F::table("every open station receives its own Poisson stream",
               {F::number("arrivals_per_h", &PoissonParams::arrivals_per_h)
                    .describe("arrival rate at every open station")
                    .at_least(0)
                    .at_most(limits::arrivals_per_h),
                F::distribution("kg_per_fill", &PoissonParams::kg_per_fill)
                    .describe("hydrogen per fill, kg")
                    .at_most(limits::fill_kg),
                hourly_profile<PoissonParams>(&PoissonParams::hourly_profile),
                F::object("driver", &PoissonParams::driver, driver_table(false)).optional()});
  return table;
}

PoissonArrivals::PoissonArrivals(const ScenarioSpec& scenario, Network& network, Seeds seeds)
    : spec_(&scenario.demand.as<PoissonParams>()), network_(&network), seeds_(seeds) {
  if (!spec_->hourly_profile.empty()) {
    peak_multiplier_ =
        *std::max_element(spec_->hourly_profile.begin(), spec_->hourly_profile.end());
  }
  sources_.reserve(network.size());
  for (std::size_t i = 0; i < network.size(); ++i) {
    const StationSpec& station = network.station(i);
    const double per_h = station.arrivals_per_h.value_or(spec_->arrivals_per_h) * peak_multiplier_;
    const double mean_gap = per_h > 0 ? 60.0 / per_h : INFINITY;
    const std::uint64_t entity = combine(entity_id("poisson"), entity_id(station.id));
    sources_.push_back(Source{mean_gap, entity, 0, seeds.stream(entity)}); // next: see start()
  }
}

double PoissonArrivals::next_arrival(Source& source, double now) const {
  if (!std::isfinite(source.mean_gap_min)) {
    return INFINITY;
  }
  // Past a million years no run goes on, and times there are too coarse for hours of the day:
  // at 1e-20 arrivals an hour the thinning below once never found the profile's one open hour.
  constexpr double never_min = 1e12 * 365.25 * 1440.0 / 1e6;
  RandomStream& rng = source.next = seeds_.stream(combine(source.entity, source.visits++));
  double t = now - source.mean_gap_min * std::log(rng.uniform());
  if (spec_->hourly_profile.empty()) {
    return t;
  }
  for (;;) {
    if (!(t < never_min)) {
      return INFINITY;
    }
    const std::size_t hour = hour_of_day_at(t);
    if (rng.uniform() * peak_multiplier_ < spec_->hourly_profile[hour]) {
      return t;
    }
    t -= source.mean_gap_min * std::log(rng.uniform());
  }
}

void PoissonArrivals::start(Calendar& calendar) {
  calendar_ = &calendar;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const double first = next_arrival(sources_[i], calendar.now());
    if (std::isfinite(first)) {
      calendar.schedule(
          first, [this, i] { arrive(i); }, network_->arrival_scope(i));
    }
  }
}

void PoissonArrivals::arrive(std::size_t station) {
  Source& source = sources_[station];
  const double now = calendar_->now();
  if (!network_->in_service(station)) {
    // Not built yet, or closed for good: its arrivals go on (as if thinned), unseen.
    if (const double next = next_arrival(source, now); std::isfinite(next)) {
      calendar_->schedule(
          next, [this, station] { arrive(station); }, network_->arrival_scope(station));
    }
    return;
  }
  // Its gap drawn; its fill time comes next, in the same block (Station::refuel draws it). The
  // fill and the driver's patience come from parts of their own: drawing them, or drawing them
  // differently, moves no fill time.
  RandomStream& visit = source.next;
  RandomStream fill = visit.part(1);
  RandomStream patience = visit.part(2);
  const double kg = spec_->kg_per_fill.sample(fill);
  network_->refuel(station, now, kg, visit, 0, {}, limits(spec_->driver, patience));
  if (const double next = next_arrival(source, now); std::isfinite(next)) {
    calendar_->schedule(
        next, [this, station] { arrive(station); }, network_->arrival_scope(station));
  }
}

} // namespace h2sim::models
