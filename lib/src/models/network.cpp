#include "network.hpp"

#include "buffered_dispensers.hpp"
#include "dispensers.hpp"
#include "supply/supply.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>

namespace h2sim::models {

namespace {
// Orders like distance_km, without the square root: nearest() runs once per refuelling.
double squared_km(Point a, Point b) {
  const double dx = a.x_km - b.x_km;
  const double dy = a.y_km - b.y_km;
  return dx * dx + dy * dy;
}
} // namespace

Network::Network(const ScenarioSpec& scenario, Observer& observer, Calendar& calendar,
                 CapacityFactory& capacities, std::uint64_t seed, std::uint64_t replication)
    : observer_(&observer), calendar_(&calendar) {
  std::map<std::string, SharedCapacity*> pipelines;
  for (std::size_t p = 0; p < scenario.pipelines.size(); ++p) {
    const PipelineSpec& pipeline = scenario.pipelines[p];
    std::vector<CapacityChange> changes;
    for (const Step& step : scenario.timeline) {
      changes.push_back({step.at_min, step.state->pipelines[p].capacity_kg_per_h / 60.0});
    }
    pipelines.emplace(pipeline.id, &capacities.create("pipeline:" + pipeline.id,
                                                      pipeline.capacity_kg_per_h / 60.0, changes));
  }
  std::map<std::string, TrailerDepot*> depots;
  for (const DepotSpec& depot : scenario.depots) {
    depots_.push_back(std::make_unique<TrailerDepot>(depot, calendar));
    depots.emplace(depot.id, depots_.back().get());
  }
  stations_.reserve(scenario.open_stations());
  for (std::size_t i = 0; i < scenario.open_stations(); ++i) {
    const StationSpec& spec = scenario.stations[i];
    std::unique_ptr<Availability> availability;
    if (spec.availability) {
      // Closures are drawn for the whole run, a week beyond it for the drain, and a day more:
      // past the last closure drawn the station is open, and a fill queued in the drain's last
      // night started at midnight.
      const double until_min = (scenario.warmup_days.value + scenario.horizon_days + 8) * 1440.0;
      try {
        availability = std::make_unique<Availability>(
            *spec.availability,
            RandomStream(seed, replication, combine(entity_id("availability"), entity_id(spec.id))),
            until_min);
      } catch (const std::runtime_error& error) {
        throw std::runtime_error("station " + spec.id + ": " + error.what());
      }
    }
    std::unique_ptr<Dispensers> dispensers;
    if (spec.buffer) {
      dispensers = std::make_unique<BufferedDispensers>(
          spec, calendar,
          capacities.create("compressor:" + spec.id, spec.buffer->compressor_kg_per_h / 60.0, {}),
          observer, availability.get());
    } else {
      dispensers = std::make_unique<FcfsDispensers>(spec, scenario.service.fill_time_min,
                                                    availability.get(), calendar, observer);
    }
    std::optional<SupplyContext> supply;
    if (spec.finite()) {
      supply = SupplyContext{
          &spec,
          nullptr,
          &calendar,
          RandomStream(seed, replication, combine(entity_id("supply"), entity_id(spec.id))),
          pipelines,
          depots};
    }
    stations_.emplace_back(spec, i, std::move(dispensers), std::move(availability),
                           supply ? &*supply : nullptr, observer);
    stations_.back().set_in_service(calendar.now(), scenario.serves(i));
  }
}

Network::~Network() = default;

void Network::start() {
  for (Station& station : stations_) {
    station.start(calendar_->now());
  }
}

void Network::follow(const ScenarioSpec& state) {
  for (std::size_t d = 0; d < depots_.size(); ++d) {
    depots_[d]->follow(state.depots[d]);
  }
  for (std::size_t s = 0; s < stations_.size(); ++s) {
    stations_[s].follow(state.stations[s]);
    stations_[s].set_in_service(calendar_->now(), state.serves(s));
  }
}

void Network::begin_window(double now) {
  window_start_ = now;
  for (Station& station : stations_) {
    station.begin_window(now);
  }
}

void Network::end_window(double now) {
  for (Station& station : stations_) {
    station.end_window(window_start_, now);
  }
}

void Network::bin_edge(double now) {
  for (Station& station : stations_) {
    station.report_supply_so_far(now);
  }
}

bool Network::serving_arrivals_before(double time) const {
  return std::any_of(stations_.begin(), stations_.end(), [time](const Station& station) {
    return station.dispensers().serving_arrivals_before(time);
  });
}

void Network::finish(double now) {
  for (Station& station : stations_) {
    station.dispensers().flush(now);
  }
}

std::size_t Network::nearest(Point from) const {
  std::size_t best = 0;
  double best_km2 = INFINITY;
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    const double km2 = squared_km(from, stations_[i].spec().location);
    if (stations_[i].in_service() && km2 < best_km2) {
      best = i;
      best_km2 = km2;
    }
  }
  return best;
}

} // namespace h2sim::models
