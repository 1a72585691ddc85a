#include "fleet.hpp"

#include "../../core/limits.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <set>

namespace h2sim::models {

namespace {
/** The most vehicles a fleet may have: each is a few dozen bytes of state. */
constexpr double max_vehicles = 1e7;
} // namespace

const params::Table& fleet_table() {
  using S = params::Of<Shift>;
  static const params::Table shift =
      S::table("daily driving hours (default: around the clock); demand follows the clock",
               {S::number("start_h", &Shift::start_h)
                    .describe("hour the shift starts")
                    .at_least(0)
                    .below(24),
                S::number("hours", &Shift::hours)
                    .describe("hours it lasts, at most 24")
                    .above(0)
                    .at_most(24)});
  using A = params::Of<Area>;
  static const params::Table area =
      A::table("operating area: a disc where the vehicles decide to refuel",
               {A::number("x_km", [](Area& a) -> double& { return a.centre.x_km; })
                    .describe("km east of the city's origin")
                    .at_least(-limits::km)
                    .at_most(limits::km),
                A::number("y_km", [](Area& a) -> double& { return a.centre.y_km; })
                    .describe("km north of the city's origin")
                    .at_least(-limits::km)
                    .at_most(limits::km),
                A::number("radius_km", &Area::radius_km)
                    .describe("radius of the disc")
                    .at_least(0)
                    .at_most(limits::km)});
  using C = params::Of<ChoiceSpec>;
  static const params::Table choice = C::table(
      "how a driver picks a station (default: the nearest)",
      {C::choice("policy", &ChoiceSpec::policy, choice_policy_names())
           .describe("nearest: shortest drive; least_delay: drive time plus the wait expected "
                     "from the queue in sight; depot: the home station first, then the nearest"),
       C::number("max_detour_km", &ChoiceSpec::max_detour_km)
           .describe("stations farther than this (road km) are not considered, unless none is "
                     "nearer")
           .above(0)
           .at_most(limits::km)
           .optional(),
       C::text("home_station", &ChoiceSpec::home_station)
           .describe("id of the home station (policy depot)")
           .refers("/stations", "id", "station")},
      {C::rule([](const ChoiceSpec& spec, params::Checker& check) {
        if (check.valid("policy") && spec.policy == "depot" && !check.present("home_station")) {
          check.problem("home_station", "is required with policy depot");
        }
      })});
  using V = params::Of<VehicleClass>;
  static const params::Table vehicle_class = V::table(
      "a class of vehicles of the fleet",
      {V::text("name", &VehicleClass::name).describe("unique name of the class").not_empty(),
       V::integer("count", &VehicleClass::count)
           .describe("vehicles in the class")
           .at_least(1)
           .at_most(limits::count),
       V::number("tank_kg", &VehicleClass::tank_kg)
           .describe("usable tank capacity")
           .above(0)
           .at_most(limits::fill_kg),
       V::number("consumption_kg_per_100km", &VehicleClass::consumption_kg_per_100km)
           .describe("hydrogen used per 100 km")
           .at_least(0.001)
           .at_most(1e3),
       V::distribution("daily_km", &VehicleClass::daily_km)
           .describe("km driven per day (drawn once per vehicle)")
           .at_most(1e4),
       V::distribution("refuel_at_fraction", &VehicleClass::refuel_at_fraction)
           .describe("tank fraction at which the driver heads for a station, below 1 (a "
                     "distribution: drawn per refuelling)")
           .at_most(1),
       V::object("shift", &VehicleClass::shift, shift),
       V::number("speed_kmh", &VehicleClass::speed_kmh)
           .describe("average speed on the way to a station")
           .above(0)
           .at_most(limits::speed_kmh),
       V::object("area", &VehicleClass::area, area),
       V::object("driver", &VehicleClass::driver, driver_table(true)).optional(),
       V::choice("pressure", &VehicleClass::pressure, pressure_classes())
           .describe("tank pressure: only stations that fill it are used (default: any)")
           .optional(),
       V::object("choice", &VehicleClass::choice, choice).optional()},
      {V::rule([](const VehicleClass& vc, params::Checker& check) {
        if (check.valid("refuel_at_fraction") &&
            vc.refuel_at_fraction.kind() == Distribution::Kind::fixed &&
            vc.refuel_at_fraction.mean() >= 1) {
          check.problem("refuel_at_fraction", "must be < 1");
        }
      })});
  using F = params::Of<FleetParams>;
  static const params::Table table = F::table(
      "vehicles drive, drain their tanks and refuel",
      {F::number("road_factor", &FleetParams::road_factor)
           .describe("road km per straight-line km (default 1)")
           .at_least(1)
           .at_most(limits::road_factor)
           .optional(),
       F::list("classes", &FleetParams::classes, vehicle_class)
           .describe("vehicle classes")
           .items(1)
           .unique_by("name")},
      {F::rule_in<ScenarioSpec>([](const FleetParams& fleet, const ScenarioSpec& scenario,
                                   params::Checker& check) {
        double vehicles = 0;
        for (const VehicleClass& vc : fleet.classes) {
          vehicles += vc.count;
        }
        if (vehicles > max_vehicles) {
          check.problem("classes", "the fleet has " +
                                       std::to_string(static_cast<long long>(vehicles)) +
                                       " vehicles, more than 10000000");
        }
        std::set<std::string> filled; // the pressures some station fills
        for (const StationSpec& station : scenario.stations) {
          filled.insert(station.pressures.begin(), station.pressures.end());
        }
        for (std::size_t c = 0; c < fleet.classes.size(); ++c) {
          const std::string at = "classes/" + std::to_string(c) + "/pressure";
          const std::string& pressure = fleet.classes[c].pressure;
          if (!pressure.empty() && check.valid(at) && filled.count(pressure) == 0) {
            check.problem(at, "no station fills " + pressure + ": the class could never refuel");
          }
        }
      })});
  return table;
}

namespace {
Point random_point(const Area& area, RandomStream& rng) {
  const double r = area.radius_km * std::sqrt(rng.uniform());
  const double angle = 2.0 * std::numbers::pi * rng.uniform();
  return {area.centre.x_km + r * std::cos(angle), area.centre.y_km + r * std::sin(angle)};
}
} // namespace

/**
 * What is legal but probably not meant, in the scenario as it will run (overrides applied, only
 * the open stations): fleets that cannot reach or use the stations they have.
 */
std::vector<Warning> fleet_warnings(const ScenarioSpec& scenario) {
  std::vector<Warning> found;
  const FleetParams* fleet = &scenario.demand.as<FleetParams>();
  for (std::size_t c = 0; c < fleet->classes.size(); ++c) {
    const VehicleClass& vc = fleet->classes[c];
    const std::string at = "/demand/classes/" + std::to_string(c);
    const auto fills = [&](const StationSpec& station) {
      return vc.pressure.empty() || std::find(station.pressures.begin(), station.pressures.end(),
                                              vc.pressure) != station.pressures.end();
    };
    double nearest_km = INFINITY;
    for (std::size_t s = 0; s < scenario.open_stations(); ++s) {
      const StationSpec& station = scenario.stations[s];
      if (!fills(station)) {
        continue;
      }
      nearest_km = std::min(nearest_km, std::hypot(station.location.x_km - vc.area.centre.x_km,
                                                   station.location.y_km - vc.area.centre.y_km));
    }
    if (vc.area.radius_km == 0) {
      found.push_back({at + "/area/radius_km",
                       "is 0: every vehicle of the class decides to refuel at the same point"});
    }
    if (!std::isfinite(nearest_km)) {
      found.push_back({at + (vc.pressure.empty() ? "" : "/pressure"),
                       "no open station fills " +
                           (vc.pressure.empty() ? std::string("it") : vc.pressure) +
                           ": its vehicles cannot refuel and are counted stranded"});
      continue;
    }
    const double range_km = vc.tank_kg / vc.consumption_kg_per_100km * 100.0;
    const double road_km = nearest_km * fleet->road_factor;
    if (road_km > range_km) {
      char text[160];
      std::snprintf(text, sizeof text,
                    "the nearest open station it can use is %.0f road km from the area's centre, "
                    "beyond a full tank's range (%.0f km): its vehicles will be towed (stranded)",
                    road_km, range_km);
      found.push_back({at + "/area", text});
    }
  }
  // Once per station: the largest tank it fills that its storage cannot hold.
  for (std::size_t s = 0; s < scenario.open_stations(); ++s) {
    const StationSpec& station = scenario.stations[s];
    if (!station.storage || !station.finite()) {
      continue;
    }
    const VehicleClass* largest = nullptr;
    for (const VehicleClass& vc : fleet->classes) {
      const bool fills =
          vc.pressure.empty() || std::find(station.pressures.begin(), station.pressures.end(),
                                           vc.pressure) != station.pressures.end();
      if (fills && vc.tank_kg > station.storage->capacity_kg &&
          (largest == nullptr || vc.tank_kg > largest->tank_kg)) {
        largest = &vc;
      }
    }
    if (largest != nullptr) {
      found.push_back({"/stations/" + std::to_string(s) + "/storage/capacity_kg",
                       "holds less than a " + largest->name +
                           " tank: its large fills are always turned away here"});
    }
  }
  return found;
}

Fleet::Fleet(const ScenarioSpec& scenario, Network& network, Seeds seeds)
    : spec_(&scenario.demand.as<FleetParams>()), network_(&network) {
  for (std::size_t c = 0; c < spec_->classes.size(); ++c) {
    const VehicleClass& vc = spec_->classes[c];
    std::optional<std::size_t> home;
    if (vc.choice.home_station) {
      home = scenario.station_index(*vc.choice.home_station);
    }
    ClassChoice choice{&choice_policies().at(vc.choice.policy),
                       Chooser{vc.speed_kmh, vc.choice.max_detour_km, home},
                       std::vector<bool>(network.size(), true),
                       false,
                       false,
                       false,
                       vc.driver.after_last_try == "leave"};
    for (std::size_t s = 0; s < network.size(); ++s) {
      const auto& pressures = network.station(s).pressures;
      choice.compatible[s] = vc.pressure.empty() || std::find(pressures.begin(), pressures.end(),
                                                              vc.pressure) != pressures.end();
    }
    choice.sees_queues = vc.choice.policy == "least_delay";
    choice.home_first = vc.choice.policy == "depot";
    choice.plain_nearest =
        vc.choice.policy == "nearest" && !std::isfinite(vc.choice.max_detour_km) &&
        std::all_of(choice.compatible.begin(), choice.compatible.end(), [](bool ok) { return ok; });
    choices_.push_back(std::move(choice));
    const std::uint64_t class_entity = entity_id(vc.name);
    for (int i = 0; i < vc.count; ++i) {
      Vehicle vehicle{.vehicle_class = static_cast<std::uint32_t>(c),
                      .rng = seeds.stream(combine(class_entity, static_cast<std::uint64_t>(i)))};
      vehicle.daily_km = vc.daily_km.sample(vehicle.rng);
      vehicles_.push_back(vehicle);
    }
  }
}

double Fleet::draw_threshold(const VehicleClass& vc, RandomStream& rng) {
  return std::clamp(vc.refuel_at_fraction.sample(rng), 0.0, max_refuel_fraction) * vc.tank_kg;
}

double Fleet::after_driving(const VehicleClass& vc, double from, double days_of_driving) {
  if (!vc.shift || vc.shift->hours >= 24) {
    return from + days_of_driving * 1440.0;
  }
  // A day's mileage is driven within the shift: walk from shift to shift until it is done, after
  // skipping whole days at once (a shift a day), so a huge tank costs no more than a small one.
  const double shift_min = vc.shift->hours * 60.0;
  const double whole_days = std::max(0.0, std::floor(days_of_driving) - 1.0);
  double left = (days_of_driving - whole_days) * shift_min; // minutes of driving still to do
  double t = from + whole_days * 1440.0;
  for (;;) {
    const double day_start = std::floor(t / 1440.0) * 1440.0;
    // The shift that contains t or comes next (it may have started the day before).
    double start = day_start + vc.shift->start_h * 60.0 - 1440.0;
    while (start + shift_min <= t) {
      start += 1440.0;
    }
    const double begin = std::max(t, start);
    const double end = start + shift_min;
    if (end - begin >= left) {
      return begin + left;
    }
    left -= end - begin;
    t = end;
  }
}

void Fleet::start(Calendar& calendar) {
  calendar_ = &calendar;
  for (std::size_t v = 0; v < vehicles_.size(); ++v) {
    Vehicle& vehicle = vehicles_[v];
    const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
    // Spread the initial levels over the refuel cycle, so the fleet does not refuel all at once.
    vehicle.threshold_kg = draw_threshold(vc, vehicle.rng);
    vehicle.fuel_kg =
        vehicle.threshold_kg + (vc.tank_kg - vehicle.threshold_kg) * vehicle.rng.uniform();
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
  const double threshold = vehicle.threshold_kg;
  const double km_to_threshold = std::max(0.0, vehicle.fuel_kg - threshold) / kg_per_km;
  const double need_at = after_driving(vc, from_time, km_to_threshold / daily_km);
  vehicle.km += km_to_threshold;
  vehicle.fuel_kg = std::min(vehicle.fuel_kg, threshold);
  vehicle.threshold_kg = draw_threshold(vc, vehicle.rng); // for the next cycle
  vehicle.tries = 0;
  vehicle.towed = false;
  vehicle.origin = random_point(vc.area, vehicle.rng);
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  if (choice.plain_nearest) {
    drive(v, vehicle.origin, network_->nearest(vehicle.origin), need_at);
  } else if (choice.sees_queues) {
    // It can only look at the queues when it decides: an event then.
    calendar_->schedule(need_at, [this, v] { decide(v, calendar_->now()); });
  } else {
    decide(v, need_at);
  }
}

std::optional<std::size_t> Fleet::nearest_usable(const Vehicle& vehicle) const {
  // The nearest and depot policies rank by distance alone: squared distances order stations the
  // same way, with no allocation, for the one decision every refuelling makes.
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  const double reach = choice.chooser.max_detour_km / spec_->road_factor;
  const double reach2 = std::isfinite(reach) ? reach * reach : INFINITY;
  std::optional<std::size_t> best;
  std::pair<bool, double> best_key{true, 0};
  for (std::size_t s = 0; s < network_->size(); ++s) {
    if (!choice.compatible[s]) {
      continue;
    }
    const Point at = network_->station(s).location;
    const double dx = at.x_km - vehicle.origin.x_km;
    const double dy = at.y_km - vehicle.origin.y_km;
    const double d2 = dx * dx + dy * dy;
    const bool home = choice.home_first && choice.chooser.home_station == s;
    const std::pair<bool, double> key{d2 > reach2, home ? -1.0 : d2};
    if (!best || key < best_key) {
      best = s;
      best_key = key;
    }
  }
  return best;
}

void Fleet::decide(std::size_t v, double now) {
  Vehicle& vehicle = vehicles_[v];
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  const auto station =
      choice.sees_queues
          ? choose(*choice.policy, views(vehicle, vehicle.origin, now), choice.chooser)
          : nearest_usable(vehicle);
  if (!station) {
    // No open station fills its pressure class: it cannot refuel, and runs dry where it is.
    network_->observer().on_trip(Trip{vehicle.vehicle_class, now, vehicle.km, 0, true});
    return;
  }
  drive(v, vehicle.origin, *station, now);
}

std::vector<StationView> Fleet::views(const Vehicle& vehicle, Point from, double now) {
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  std::vector<StationView> views(network_->size());
  for (std::size_t s = 0; s < views.size(); ++s) {
    StationView& view = views[s];
    view.station = s;
    view.road_km = distance_km(from, network_->station(s).location) * spec_->road_factor;
    view.dispensers = network_->station(s).dispensers;
    view.compatible = choice.compatible[s];
    if (choice.sees_queues) {
      // What it sees when deciding: the queue now (`now` is the clock: see plan_next_refuel).
      view.waiting = network_->waiting(s, now);
      view.fill_min = network_->fill_estimate_min(s, vc.tank_kg - vehicle.fuel_kg);
    }
  }
  return views;
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
    const double driven = vehicle.fuel_kg / (vc.consumption_kg_per_100km / 100.0);
    vehicle.km += driven;
    vehicle.detour_km += driven;
    vehicle.fuel_kg = 0;
  } else {
    vehicle.km += km;
    vehicle.detour_km += km;
    vehicle.fuel_kg -= kg;
  }
  calendar_->schedule(departure + km / vc.speed_kmh * 60.0,
                      [this, v, station] { arrive(v, station); });
}

void Fleet::arrive(std::size_t v, std::size_t station) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  const double now = calendar_->now();
  network_->observer().on_trip(
      Trip{vehicle.vehicle_class, now, vehicle.km, vehicle.detour_km, vehicle.stranded});
  vehicle.km = 0;
  vehicle.detour_km = 0;
  vehicle.stranded = false;
  // At the last of max_tries stations, a driver who waits there queues however long the wait.
  const bool last_try = vc.driver.max_tries > 0 &&
                        vehicle.tries + 1 >= static_cast<std::uint32_t>(vc.driver.max_tries);
  const DriverLimits driver = last_try && !choices_[vehicle.vehicle_class].leaves_after_last_try
                                  ? DriverLimits{}
                                  : limits(vc.driver, vehicle.rng);
  network_->refuel(
      station, now, vc.tank_kg - vehicle.fuel_kg, vehicle.rng, vehicle.vehicle_class,
      [this, v, station](const Visit& visit) { after_visit(v, station, visit); }, driver);
}

void Fleet::after_visit(std::size_t v, std::size_t station, const Visit& visit) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  if (visit.served()) {
    if (vehicle.tries > 0) {
      tried_.erase(v); // its round ends with a fill
    }
    vehicle.fuel_kg = vc.tank_kg;
    plan_next_refuel(v, visit.end);
    return;
  }
  // Balked, reneged or turned away dry: on to its next choice (a reneging driver leaves when its
  // patience runs out; one whose policy looks at queues decides then, as an event).
  const double leave = visit.outcome == Outcome::reneged ? visit.start : calendar_->now();
  if (choices_[vehicle.vehicle_class].sees_queues && leave > calendar_->now()) {
    calendar_->schedule(leave, [this, v, station] { try_next(v, station, calendar_->now()); });
  } else {
    try_next(v, station, leave);
  }
}

void Fleet::try_next(std::size_t v, std::size_t station, double now) {
  Vehicle& vehicle = vehicles_[v];
  const Point here = network_->station(station).location;
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  const std::vector<std::size_t> order =
      preference_order(*choice.policy, views(vehicle, vehicle.origin, now), choice.chooser);
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  ++vehicle.tries;
  const bool out_of_tries = choices_[vehicle.vehicle_class].leaves_after_last_try &&
                            vc.driver.max_tries > 0 &&
                            vehicle.tries >= static_cast<std::uint32_t>(vc.driver.max_tries);
  // The best station not yet tried in this round (with an order that does not change between
  // tries, the next in it).
  std::vector<std::size_t>& tried = tried_[v];
  tried.push_back(station);
  const auto next = std::find_if(order.begin(), order.end(), [&tried](std::size_t candidate) {
    return std::find(tried.begin(), tried.end(), candidate) == tried.end();
  });
  if (!out_of_tries && next != order.end()) {
    drive(v, here, *next, now);
    return;
  }
  // The round of tries ended without a fill: the driver gives up for now and tries again later.
  tried_.erase(v);
  network_->observer().on_give_up(vehicle.vehicle_class, now);
  vehicle.tries = 0;
  drive(v, here, order.empty() ? station : order[0], now + retry_after_min);
}

} // namespace h2sim::models
