#include "fleet.hpp"

#include <cmath>
#include <numbers>

namespace h2sim::models {

namespace {
Point random_point(const Area& area, RandomStream& rng) {
  const double r = area.radius_km * std::sqrt(rng.uniform());
  const double angle = 2.0 * std::numbers::pi * rng.uniform();
  return {area.centre.x_km + r * std::cos(angle), area.centre.y_km + r * std::sin(angle)};
}
} // namespace

Fleet::Fleet(const Scenario& scenario, Network& network, Seeds seeds)
    : spec_(&std::get<h2sim::FleetDemand>(scenario.demand)), network_(&network) {
  for (std::size_t c = 0; c < spec_->classes.size(); ++c) {
    const VehicleClass& vc = spec_->classes[c];
    const std::uint64_t class_entity = entity_id(vc.name);
    for (int i = 0; i < vc.count; ++i) {
      Vehicle vehicle{.vehicle_class = static_cast<std::uint32_t>(c),
                      .rng = seeds.stream(combine(class_entity, static_cast<std::uint64_t>(i)))};
      vehicle.daily_km = vc.daily_km.sample(vehicle.rng);
      vehicles_.push_back(vehicle);
    }
  }
}

void Fleet::start(Calendar& calendar) {
  calendar_ = &calendar;
  for (std::size_t v = 0; v < vehicles_.size(); ++v) {
    Vehicle& vehicle = vehicles_[v];
    const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
    // Spread the initial levels over the refuel cycle, so the fleet does not refuel all at once.
    const double threshold = vc.refuel_at_fraction * vc.tank_kg;
    vehicle.fuel_kg = threshold + (vc.tank_kg - threshold) * vehicle.rng.uniform();
    plan_next_refuel(v, calendar.now());
  }
}

void Fleet::plan_next_refuel(std::size_t v, double from_time) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  const double daily_km = vehicle.daily_km;
  if (daily_km <= 0) {
    return; // parked for good
  }
  const double kg_per_km = vc.consumption_kg_per_100km / 100.0;
  const double threshold = vc.refuel_at_fraction * vc.tank_kg;
  const double km_to_threshold = std::max(0.0, vehicle.fuel_kg - threshold) / kg_per_km;
  const double need_at = from_time + km_to_threshold / daily_km * 1440.0;
  vehicle.km += km_to_threshold;
  vehicle.fuel_kg = std::min(vehicle.fuel_kg, threshold);
  vehicle.tries = 0;
  vehicle.towed = false;
  vehicle.origin = random_point(vc.area, vehicle.rng);
  drive(v, vehicle.origin, network_->nearest(vehicle.origin), need_at);
}

void Fleet::drive(std::size_t v, Point from, std::size_t station, double departure) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  const double km = distance_km(from, network_->station(station).location) * spec_->road_factor;
  const double kg = km * vc.consumption_kg_per_100km / 100.0;
  if (kg > vehicle.fuel_kg) {
    // It runs dry on the way and is towed the rest: counted once per refuelling, and it arrives
    // with an empty tank (later hops, if stations turn it away, are tows too).
    vehicle.stranded = !vehicle.towed;
    vehicle.towed = true;
    vehicle.km += vehicle.fuel_kg / (vc.consumption_kg_per_100km / 100.0);
    vehicle.fuel_kg = 0;
  } else {
    vehicle.km += km;
    vehicle.fuel_kg -= kg;
  }
  calendar_->schedule(departure + km / vc.speed_kmh * 60.0, [this, v, station] { arrive(v, station); });
}

void Fleet::arrive(std::size_t v, std::size_t station) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  const double now = calendar_->now();
  network_->observer().on_trip(Trip{vehicle.vehicle_class, now, vehicle.km, vehicle.stranded});
  vehicle.km = 0;
  vehicle.stranded = false;
  // After max_tries stations, a driver queues wherever it is, however long the wait.
  const bool last_try = vc.driver.max_tries > 0 && vehicle.tries + 1 >= static_cast<std::uint32_t>(vc.driver.max_tries);
  const DriverLimits driver = last_try ? DriverLimits{} : limits(vc.driver, vehicle.rng);
  network_->refuel(station, now, vc.tank_kg - vehicle.fuel_kg, vehicle.rng, vehicle.vehicle_class,
                   [this, v, station](const Visit& visit) { after_visit(v, station, visit); },
                   driver);
}

void Fleet::after_visit(std::size_t v, std::size_t station, const Visit& visit) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  if (visit.served) {
    vehicle.fuel_kg = vc.tank_kg;
    plan_next_refuel(v, visit.end);
    return;
  }
  // Balked, reneged or turned away dry: on to the next-nearest station (a reneging driver leaves
  // when its patience runs out).
  const double now = visit.reneged ? visit.start : calendar_->now();
  const Point here = network_->station(station).location;
  const std::vector<std::size_t> order = network_->by_distance(vehicle.origin);
  ++vehicle.tries;
  if (vehicle.tries < order.size()) {
    drive(v, here, order[vehicle.tries], now);
  } else {
    vehicle.tries = 0;
    drive(v, here, order[0], now + retry_after_min);
  }
}

} // namespace h2sim::models
