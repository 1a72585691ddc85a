#include "poisson.hpp"

#include <cmath>

namespace h2sim::models {

PoissonArrivals::PoissonArrivals(const Scenario& scenario, Network& network, Seeds seeds)
    : spec_(&std::get<PoissonDemand>(scenario.demand)), network_(&network) {
  sources_.reserve(network.size());
  for (std::size_t i = 0; i < network.size(); ++i) {
    const StationSpec& station = network.station(i);
    const double per_h = station.arrivals_per_h.value_or(spec_->arrivals_per_h);
    const double mean_gap = per_h > 0 ? 60.0 / per_h : INFINITY;
    sources_.push_back(
        Source{mean_gap, seeds.stream(combine(entity_id("poisson"), entity_id(station.id)))});
  }
}

void PoissonArrivals::start(Calendar& calendar) {
  calendar_ = &calendar;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    Source& source = sources_[i];
    if (std::isfinite(source.mean_gap_min)) {
      calendar.schedule(-source.mean_gap_min * std::log(source.rng.uniform()),
                        [this, i] { arrive(i); });
    }
  }
}

void PoissonArrivals::arrive(std::size_t station) {
  Source& source = sources_[station];
  const double now = calendar_->now();
  network_->refuel(station, now, spec_->kg_per_fill.sample(source.rng), source.rng);
  calendar_->schedule(now - source.mean_gap_min * std::log(source.rng.uniform()),
                      [this, station] { arrive(station); });
}

} // namespace h2sim::models
