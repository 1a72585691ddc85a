#include "network.hpp"

#include "supply/registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
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
    : fill_time_min_(&scenario.service.fill_time_min), observer_(&observer), calendar_(&calendar) {
  std::map<std::string, SharedCapacity*> pipelines;
  for (const PipelineSpec& pipeline : scenario.pipelines) {
    pipelines.emplace(pipeline.id, &capacities.create("pipeline:" + pipeline.id,
                                                      pipeline.capacity_kg_per_h / 60.0));
  }
  std::map<std::string, TrailerDepot*> depots;
  for (const DepotSpec& depot : scenario.depots) {
    depots_.push_back(std::make_unique<TrailerDepot>(depot, calendar));
    depots.emplace(depot.id, depots_.back().get());
  }
  stations_.reserve(scenario.open_stations());
  for (std::size_t i = 0; i < scenario.open_stations(); ++i) {
    const StationSpec& spec = scenario.stations[i];
    std::optional<std::size_t> capacity;
    if (spec.queue_capacity) {
      capacity = static_cast<std::size_t>(*spec.queue_capacity);
    }
    Station station{&spec, DispenserQueue(spec.dispensers, capacity), nullptr, nullptr, nullptr,
                    nullptr};
    if (spec.availability) {
      // Closures are drawn for the whole run, and a week beyond it for the buffered drain.
      const double until_min = (scenario.warmup_days + scenario.horizon_days + 7) * 1440.0;
      try {
        station.availability = std::make_unique<Availability>(
            *spec.availability,
            RandomStream(seed, replication, combine(entity_id("availability"), entity_id(spec.id))),
            until_min);
      } catch (const std::runtime_error& error) {
        throw std::runtime_error("station " + spec.id + ": " + error.what());
      }
    }
    if (spec.buffer) {
      station.buffered = std::make_unique<BufferedDispensers>(
          spec, calendar,
          capacities.create("compressor:" + spec.id, spec.buffer->compressor_kg_per_h / 60.0),
          observer);
    }
    if (spec.finite()) {
      station.tank = std::make_unique<Tank>(spec.storage->capacity_kg, spec.storage->initial_kg);
      const SupplyContext context{
          &spec, station.tank.get(), &calendar,
          RandomStream(seed, replication, combine(entity_id("supply"), entity_id(spec.id))),
          pipelines, depots};
      station.supply = supply_model(spec.supply_model()).make(context);
    }
    stations_.push_back(std::move(station));
  }
}

Network::~Network() = default;

void Network::start() {
  for (Station& station : stations_) {
    if (station.supply) {
      station.supply->start(calendar_->now());
    }
  }
}

void Network::begin_window(double now) {
  window_start_ = now;
  for (Station& station : stations_) {
    if (station.tank) {
      station.supply->catch_up(now);
      station.tank->begin_window(now, station.supply->energy_kwh());
    }
  }
}

bool Network::serving_arrivals_before(double time) const {
  return std::any_of(stations_.begin(), stations_.end(), [time](const Station& station) {
    return station.buffered && station.buffered->serving_arrivals_before(time);
  });
}

void Network::finish(double now) {
  for (Station& station : stations_) {
    if (station.buffered) {
      station.buffered->flush(now);
    }
  }
}

void Network::end_window(double now) {
  for (std::size_t i = 0; i < stations_.size(); ++i) {
    Station& station = stations_[i];
    if (station.availability) {
      observer_->on_availability(i, station.availability->closed_min(window_start_, now),
                                 station.availability->outage_min(window_start_, now));
    }
    if (station.tank) {
      station.supply->catch_up(now);
      observer_->on_supply(i, station.tank->end_window(now, station.supply->energy_kwh()));
    }
  }
}

void Network::draw(Station& station, double now, double kg) {
  station.supply->catch_up(now);
  station.tank->draw(now, kg);
  station.supply->after_draw(now);
}

void Network::refuel(std::size_t index, double now, double kg, RandomStream& rng,
                     std::size_t vehicle_class, const VisitDone& done, const DriverLimits& driver) {
  Station& station = stations_[index];
  Visit visit;
  visit.station = index;
  visit.arrival = now;
  visit.vehicle_class = vehicle_class;
  visit.kg = kg;
  const auto report = [&](Visit& finished) {
    if (!finished.served()) {
      finished.kg = 0;
    }
    observer_->on_visit(finished);
    if (done) {
      done(finished);
    }
  };
  const std::size_t waiting =
      station.buffered ? station.buffered->waiting() : station.queue.waiting(now);
  if (waiting >= max_waiting) {
    char day[32];
    std::snprintf(day, sizeof day, "%.2f", now / 1440.0);
    throw std::runtime_error("station " + station.spec->id + ": " + std::to_string(max_waiting) +
                             " vehicles waiting on day " + day +
                             ": its dispensers cannot keep up with the arrivals (the queue grows "
                             "without bound); add dispensers, lower the demand or set "
                             "queue_capacity");
  }
  if (station.availability && !station.availability->open_at(now)) {
    visit.outcome = Outcome::closed;
    visit.waiting = waiting;
    return report(visit);
  }
  const Availability* availability = station.availability.get();
  // Under FCFS nobody waits while a dispenser is free, so "more than k waiting" implies all busy.
  const bool put_off = driver.balk_if_waiting_over && waiting > *driver.balk_if_waiting_over;
  const bool full =
      put_off || (station.buffered ? station.buffered->full() : station.queue.full(now));
  if (full) {
    visit.outcome = Outcome::balked;
    visit.waiting = waiting;
    return report(visit);
  }
  // A driver who would wait longer than their patience leaves then (computed FCFS stations).
  if (!station.buffered && station.queue.next_start(now, availability) - now > driver.patience_min) {
    visit.outcome = Outcome::reneged;
    visit.start = visit.end = now + driver.patience_min;
    station.queue.renege(now, visit.start);
    visit.waiting = station.queue.waiting(now);
    return report(visit);
  }
  if (station.tank) {
    station.supply->catch_up(now);
    if (!station.tank->reserve(now, kg)) {
      station.tank->refuse(now, kg);
      station.supply->after_refusal(now, kg);
      visit.outcome = Outcome::turned_away;
      visit.waiting = waiting;
      return report(visit);
    }
    station.supply->after_promise(now);
  }
  // The hydrogen leaves storage when the fill starts; it was promised on arrival.
  const auto take = [this, index, kg](double at) {
    if (stations_[index].tank) {
      draw(stations_[index], at, kg);
    }
  };
  if (station.buffered) {
    // A driver who gives up waiting there leaves the hydrogen promised to it.
    const auto release = [this, index, kg](double at) {
      if (stations_[index].tank) {
        stations_[index].tank->release(at, kg);
      }
    };
    station.buffered->admit(visit, driver.patience_min, {take, release, done});
    return;
  }
  const double fill_min = *fill_time_min_
                              ? (*fill_time_min_)->sample(rng)
                              : station.spec->overhead_min + kg / station.spec->fill_rate_kg_per_min;
  const DispenserQueue::Admission admission = station.queue.admit(now, fill_min, availability);
  visit.outcome = admission.admitted ? Outcome::served : Outcome::balked;
  visit.waiting = admission.waiting;
  if (admission.admitted) {
    visit.start = admission.start;
    visit.end = admission.end;
    if (admission.start <= now) {
      take(now);
    } else if (station.tank) {
      calendar_->schedule(admission.start, [take, this] { take(calendar_->now()); });
    }
  }
  report(visit);
}

std::size_t Network::waiting(std::size_t index, double now) {
  Station& station = stations_[index];
  return station.buffered ? station.buffered->waiting() : station.queue.waiting(now);
}

std::size_t Network::nearest(Point from) const {
  std::size_t best = 0;
  double best_km2 = squared_km(from, stations_[0].spec->location);
  for (std::size_t i = 1; i < stations_.size(); ++i) {
    const double km2 = squared_km(from, stations_[i].spec->location);
    if (km2 < best_km2) {
      best = i;
      best_km2 = km2;
    }
  }
  return best;
}

} // namespace h2sim::models
