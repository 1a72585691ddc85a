#include "network.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace h2sim::models {

double distance_km(Point a, Point b) { return std::hypot(a.x_km - b.x_km, a.y_km - b.y_km); }

namespace {
// Orders like distance_km, without the square root: nearest() runs once per refuelling.
double squared_km(Point a, Point b) {
  const double dx = a.x_km - b.x_km;
  const double dy = a.y_km - b.y_km;
  return dx * dx + dy * dy;
}
} // namespace

Network::Network(const Scenario& scenario, Observer& observer)
    : fill_time_min_(&scenario.fill_time_min), observer_(&observer) {
  stations_.reserve(scenario.open_stations);
  for (std::size_t i = 0; i < scenario.open_stations; ++i) {
    const StationSpec& spec = scenario.stations[i];
    std::optional<std::size_t> capacity;
    if (spec.queue_capacity) {
      capacity = static_cast<std::size_t>(*spec.queue_capacity);
    }
    stations_.push_back(Station{&spec, DispenserQueue(spec.dispensers, capacity)});
  }
}

Visit Network::refuel(std::size_t index, double now, double kg, RandomStream& rng,
                      std::size_t vehicle_class) {
  Station& station = stations_[index];
  const double fill_min = *fill_time_min_
                              ? (*fill_time_min_)->sample(rng)
                              : station.spec->overhead_min + kg / station.spec->fill_rate_kg_per_min;
  const DispenserQueue::Admission admission = station.queue.admit(now, fill_min);
  Visit visit;
  visit.station = index;
  visit.arrival = now;
  visit.served = admission.admitted;
  visit.waiting = admission.waiting;
  visit.vehicle_class = vehicle_class;
  if (admission.admitted) {
    visit.start = admission.start;
    visit.end = admission.end;
    visit.kg = kg;
  }
  observer_->on_visit(visit);
  return visit;
}

std::vector<std::size_t> Network::by_distance(Point from) const {
  std::vector<std::size_t> order(stations_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return squared_km(from, stations_[a].spec->location) <
           squared_km(from, stations_[b].spec->location);
  });
  return order;
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
