#include "station.hpp"

#include "../core/limits.hpp"
#include "dispensers.hpp"
#include "supply/registry.hpp"

#include <cstdio>
#include <stdexcept>

namespace h2sim::models {

const params::Table& station_table() {
  using F = params::Of<StationSpec>;
  static const params::Table table = F::table(
      "a station, in build-priority order",
      {F::text("id", &StationSpec::id).describe("unique id of the station").not_empty(),
       F::text("name", &StationSpec::name).describe("a human-readable name").optional(),
       F::number("x_km", [](StationSpec& s) -> double& { return s.location.x_km; })
           .describe("km east of the city's origin")
           .at_least(-limits::km)
           .at_most(limits::km),
       F::number("y_km", [](StationSpec& s) -> double& { return s.location.y_km; })
           .describe("km north of the city's origin")
           .at_least(-limits::km)
           .at_most(limits::km),
       F::integer("dispensers", &StationSpec::dispensers)
           .describe("dispensing positions, each filling one vehicle at a time")
           .at_least(1)
           .at_most(1000),
       F::number("fill_rate_kg_per_min", &StationSpec::fill_rate_kg_per_min)
           .describe("hydrogen flow of a fill")
           .at_least(0.001)
           .at_most(1e3),
       F::number("overhead_min", &StationSpec::overhead_min)
           .describe("minutes to connect and disconnect (default 0)")
           .at_least(0)
           .at_most(1440)
           .optional(),
       F::integer("queue_capacity", &StationSpec::queue_capacity)
           .describe("most vehicles that may wait, not counting those being filled (default "
                     "unlimited); an arrival that finds it full balks")
           .at_least(0)
           .at_most(limits::count),
       F::number("arrivals_per_h", &StationSpec::arrivals_per_h)
           .describe("this station's Poisson rate, overriding demand.arrivals_per_h")
           .at_least(0)
           .at_most(limits::arrivals_per_h),
       F::object("storage", &StationSpec::storage, storage_table()),
       F::model("supply", &StationSpec::supply, supply_catalog())
           .describe("how the station is resupplied (default: unlimited without storage, none "
                     "with it)")
           .optional(),
       F::object("availability", &StationSpec::availability, availability_table()),
       F::choices("pressures", &StationSpec::pressures, pressure_classes())
           .describe("pressure classes it can fill (default both)")
           .items(1)
           .optional(),
       F::object("buffer", &StationSpec::buffer, buffer_table()),
       F::object("economics", &StationSpec::economics, station_costs_table())},
      {F::rule([](const StationSpec& station, params::Checker& check) {
        if (check.valid("supply/model") && station.supply.name() != "unlimited" &&
            !station.supply.name().empty() && !check.present("storage")) {
          check.problem("storage", "is required with supply model " + station.supply.name());
        }
      })});
  return table;
}

Station::Station(const StationSpec& spec, std::size_t index, std::unique_ptr<Dispensers> dispensers,
                 std::unique_ptr<Availability> availability, const SupplyContext* supply,
                 Observer& observer)
    : spec_(&spec), index_(index), dispensers_(std::move(dispensers)),
      availability_(std::move(availability)), observer_(&observer) {
  if (supply != nullptr) {
    tank_ = std::make_unique<Tank>(spec.storage->capacity_kg, spec.storage->initial_kg);
    tank_->report_to(observer, index);
    SupplyContext context = *supply;
    context.station = &spec;
    context.tank = tank_.get();
    supply_ = supply_model(spec.supply_model()).make(std::move(context));
  }
  shares_capacity_ = dispensers_->shares_capacity() || (supply_ && supply_->shares_capacity());
}

Station::~Station() = default;
Station::Station(Station&&) noexcept = default;

void Station::follow(const StationSpec& next) {
  if (supply_) {
    supply_->follow(next);
  }
}

void Station::start(double now) {
  if (availability_) {
    observer_->on_closures(index_, availability_->closures());
  }
  if (supply_) {
    supply_->start(now);
  }
}

void Station::begin_window(double now) {
  if (tank_) {
    supply_->catch_up(now);
    tank_->begin_window(now, supply_->energy_kwh());
  }
}

void Station::end_window(double window_start, double now) {
  window_ended_ = true;
  if (availability_) {
    observer_->on_availability(index_, availability_->closed_min(window_start, now),
                               availability_->outage_min(window_start, now));
  }
  if (tank_) {
    supply_->catch_up(now);
    observer_->on_supply(index_, tank_->end_window(now, supply_->energy_kwh()));
  }
}

void Station::report_supply_so_far(double now) {
  if (tank_) {
    supply_->look(now);
    observer_->on_supply_so_far(index_, tank_->end_window(now, supply_->energy_kwh()));
  }
}

void Station::draw(double now, double kg) {
  supply_->catch_up(now);
  tank_->draw(now, kg);
  supply_->after_draw(now);
}

void Station::refuel(double now, double kg, RandomStream& rng, std::size_t vehicle_class,
                     const std::function<void(const Visit&)>& done, const DriverLimits& driver,
                     std::uint32_t vehicle) {
  Visit visit;
  visit.station = index_;
  visit.arrival = now;
  visit.vehicle_class = vehicle_class;
  visit.vehicle = vehicle;
  visit.kg = kg;
  // Drawn whatever becomes of the visit (see Dispensers::fill_min).
  const double fill_min = dispensers_->fill_min(kg, rng);
  const auto report = [&](Visit& finished) {
    finished.kg = 0; // not served
    observer_->on_visit(finished);
    if (done) {
      done(finished);
    }
  };
  const std::size_t waiting = dispensers_->waiting(now);
  visit.waiting = waiting;
  if (waiting >= max_waiting && window_ended_) {
    visit.outcome = Outcome::balked; // counts nowhere: see max_waiting
    return report(visit);
  }
  if (waiting >= max_waiting) {
    char day[32];
    std::snprintf(day, sizeof day, "%.2f", now / 1440.0);
    throw std::runtime_error("station " + spec_->id + ": " + std::to_string(max_waiting) +
                             " vehicles waiting on day " + day +
                             ": its dispensers cannot keep up with the arrivals (the queue grows "
                             "without bound); add dispensers, lower the demand or set "
                             "queue_capacity");
  }
  if (!in_service_ || (availability_ && !availability_->open_at(now))) {
    visit.outcome = Outcome::closed;
    return report(visit);
  }
  // Under FCFS nobody waits while a dispenser is free, so "more than k waiting" implies all busy.
  const bool put_off = driver.balk_if_waiting_over && waiting > *driver.balk_if_waiting_over;
  if (put_off || dispensers_->full(now)) {
    visit.outcome = Outcome::balked;
    return report(visit);
  }
  if (std::isfinite(driver.patience_min) &&
      dispensers_->renege_on_arrival(visit, driver.patience_min)) {
    return report(visit);
  }
  Dispensers::Hooks hooks{{}, {}, done, scope()};
  if (tank_) {
    supply_->catch_up(now);
    if (!tank_->reserve(now, kg)) {
      tank_->refuse(now, kg);
      supply_->after_refusal(now, kg);
      visit.outcome = Outcome::turned_away;
      return report(visit);
    }
    supply_->after_promise(now);
    // The hydrogen leaves storage when the fill starts; it was promised on arrival.
    hooks.on_start = [this, kg](double at) { draw(at, kg); };
    hooks.on_leave = [this, kg](double at) { tank_->release(at, kg); };
  }
  dispensers_->admit(visit, fill_min, driver.patience_min, std::move(hooks));
}

} // namespace h2sim::models
