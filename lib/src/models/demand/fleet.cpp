#include "fleet.hpp"

#include "../../core/limits.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <set>
#include <stdexcept>
#include <type_traits>

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
           .at_most(limits::count)
           .changes_during_run(),
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
           .describe("tank fraction at which the driver heads for a station: a number "
                     "must be < 1, a distribution's draws may reach 1 (drawn per refuelling); "
                     "above 0.95 is taken as 0.95")
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
  // O((classes + stations) log stations): an index of the open stations per pressure class the
  // fleet uses, and the largest tank per pressure class, instead of every class against every
  // station.
  std::vector<Warning> found;
  const FleetParams* fleet = &scenario.demand.as<FleetParams>();
  const auto fills = [](const StationSpec& station, const std::string& pressure) {
    return pressure.empty() || std::find(station.pressures.begin(), station.pressures.end(),
                                         pressure) != station.pressures.end();
  };
  std::map<std::string, SpatialIndex> indexes; // per pressure class ("" = any)
  std::map<std::string, std::size_t>
      largest_of; // per pressure class, its class with the largest tank
  for (std::size_t c = 0; c < fleet->classes.size(); ++c) {
    const VehicleClass& vc = fleet->classes[c];
    const auto [largest, first] = largest_of.emplace(vc.pressure, c);
    if (!first && vc.tank_kg > fleet->classes[largest->second].tank_kg) {
      largest->second = c; // the first of the largest, as a scan in class order finds it
    }
    if (indexes.count(vc.pressure) != 0) {
      continue;
    }
    std::vector<Point> points;
    std::vector<std::size_t> ids;
    for (std::size_t s = 0; s < scenario.open_stations(); ++s) {
      if (fills(scenario.stations[s], vc.pressure)) {
        points.push_back(scenario.stations[s].location);
        ids.push_back(s);
      }
    }
    indexes.emplace(vc.pressure, SpatialIndex(points, ids));
  }
  SpatialIndex::Scratch scratch;
  for (std::size_t c = 0; c < fleet->classes.size(); ++c) {
    const VehicleClass& vc = fleet->classes[c];
    const std::string at = "/demand/classes/" + std::to_string(c);
    // The least hypot() among the stations nearest by squared distance (and any within a hair).
    double nearest_km = INFINITY;
    auto search = indexes.at(vc.pressure).nearest(vc.area.centre, scratch);
    SpatialIndex::Nearest::Found station{};
    while (search.bound() <= nearest_km * nearest_km * (1 + 1e-9) && search.next(station)) {
      const Point location = scenario.stations[station.id].location;
      nearest_km = std::min(nearest_km, std::hypot(location.x_km - vc.area.centre.x_km,
                                                   location.y_km - vc.area.centre.y_km));
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
      // A vehicle's stranding is counted when its tow arrives: from far away, after the run.
      char text[320];
      std::snprintf(text, sizeof text,
                    "the nearest open station it can use is %.0f road km from the area's centre, "
                    "beyond a full tank's range (%.0f km): its vehicles will be towed (stranded), "
                    "each counted when it reaches the station (from the centre, %.1f h at "
                    "%g km/h, %.1f days)",
                    road_km, range_km, road_km / vc.speed_kmh, vc.speed_kmh,
                    road_km / vc.speed_kmh / 24);
      found.push_back({at + "/area", text});
    }
  }
  // Once per station: the largest tank it fills that its storage cannot hold (the first class of
  // the largest tank among those it fills: if that one fits, every one does).
  for (std::size_t s = 0; s < scenario.open_stations(); ++s) {
    const StationSpec& station = scenario.stations[s];
    if (!station.storage || !station.finite()) {
      continue;
    }
    std::optional<std::size_t> largest;
    for (const auto& [pressure, c] : largest_of) {
      const double tank_kg = fleet->classes[c].tank_kg;
      if (fills(station, pressure) &&
          (!largest || tank_kg > fleet->classes[*largest].tank_kg ||
           (tank_kg == fleet->classes[*largest].tank_kg && c < *largest))) {
        largest = c;
      }
    }
    if (largest && fleet->classes[*largest].tank_kg > station.storage->capacity_kg) {
      found.push_back({scenario.station_pointer(s) + "/storage/capacity_kg",
                       "holds less than a " + fleet->classes[*largest].name +
                           " tank: its large fills are always turned away here"});
    }
  }
  return found;
}

Fleet::Fleet(const ScenarioSpec& scenario, Network& network, Seeds seeds)
    : spec_(&scenario.demand.as<FleetParams>()), network_(&network), seeds_(seeds) {
  for (std::size_t s = 0; s < network.size() && !stations_change_; ++s) {
    stations_change_ = scenario.ever_out_of_service(s);
  }
  std::map<std::string, std::size_t> station_of; // station id -> index (ids are unique)
  std::size_t vehicles = 0;
  for (const VehicleClass& vc : spec_->classes) {
    vehicles += static_cast<std::size_t>(vc.count);
    if (vc.choice.home_station && station_of.empty()) {
      for (std::size_t s = 0; s < scenario.stations.size(); ++s) {
        station_of.emplace(scenario.stations[s].id, s);
      }
    }
  }
  for (const VehicleClass& vc : spec_->classes) {
    std::optional<std::size_t> home;
    if (vc.choice.home_station) {
      const auto it = station_of.find(*vc.choice.home_station);
      if (it == station_of.end()) {
        throw std::logic_error("no station " + *vc.choice.home_station);
      }
      if (it->second < network.size()) {
        home = it->second; // else it never opens: never chosen
      }
    }
    homes_.push_back(home);
  }
  choose_among_stations_in_service();
  vehicles_.reserve(vehicles);
  members_.resize(spec_->classes.size());
  for (std::size_t c = 0; c < spec_->classes.size(); ++c) {
    for (int i = 0; i < spec_->classes[c].count; ++i) {
      add_vehicle(c);
    }
  }
}

void Fleet::choose_among_stations_in_service() {
  indexes_.clear();
  choices_.clear();
  locations_.clear();
  for (std::size_t s = 0; s < network_->size(); ++s) {
    locations_.push_back(network_->station(s).location);
  }
  std::map<std::string, std::size_t> index_of; // pressure class -> its index in indexes_
  std::size_t in_service = 0;
  for (std::size_t s = 0; s < network_->size(); ++s) {
    in_service += network_->in_service(s) ? 1U : 0U;
  }
  for (std::size_t c = 0; c < spec_->classes.size(); ++c) {
    const VehicleClass& vc = spec_->classes[c];
    const auto usable = [&](std::size_t s) {
      const auto& pressures = network_->station(s).pressures;
      return network_->in_service(s) &&
             (vc.pressure.empty() ||
              std::find(pressures.begin(), pressures.end(), vc.pressure) != pressures.end());
    };
    const auto [at, added] = index_of.emplace(vc.pressure, indexes_.size());
    if (added) {
      std::vector<Point> points;
      std::vector<std::size_t> ids;
      for (std::size_t s = 0; s < network_->size(); ++s) {
        if (usable(s)) {
          points.push_back(locations_[s]);
          ids.push_back(s);
        }
      }
      indexes_.emplace_back(points, ids, SpatialIndex::Lookups::nearest_id);
    }
    const std::size_t usable_count = indexes_[at->second].size();
    std::optional<std::size_t> home = homes_[c];
    if (home && !usable(*home)) {
      home.reset(); // closed, or it does not fill the class's pressure: not chosen
    }
    ClassChoice choice{&choice_policies().at(vc.choice.policy),
                       Chooser{vc.speed_kmh, vc.choice.max_detour_km, home},
                       at->second,
                       home,
                       false,
                       false,
                       false,
                       vc.driver.after_last_try == "leave"};
    choice.sees_queues = vc.choice.policy == "least_delay";
    choice.home_first = vc.choice.policy == "depot";
    choice.plain_nearest = vc.choice.policy == "nearest" &&
                           !std::isfinite(vc.choice.max_detour_km) && usable_count == in_service &&
                           usable_count > 0;
    choices_.push_back(std::move(choice));
  }
}

std::size_t Fleet::add_vehicle(std::size_t c) {
  const VehicleClass& vc = spec_->classes[c];
  const auto i = static_cast<std::uint64_t>(members_[c].size());
  Vehicle vehicle{.vehicle_class = static_cast<std::uint32_t>(c),
                  .index = static_cast<std::uint32_t>(i),
                  .rng = seeds_.stream(combine(entity_id(vc.name), i))};
  vehicle.daily_km = vc.daily_km.sample(vehicle.rng);
  vehicles_.push_back(vehicle);
  members_[c].push_back(vehicles_.size() - 1);
  return vehicles_.size() - 1;
}

void Fleet::join(std::size_t v, double now) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  // Spread the levels over the refuel cycle, so the vehicles do not refuel all at once.
  vehicle.threshold_kg = draw_threshold(vc, vehicle.rng);
  vehicle.fuel_kg =
      vehicle.threshold_kg + (vc.tank_kg - vehicle.threshold_kg) * vehicle.rng.uniform();
  plan_next_refuel(v, now);
}

bool Fleet::parks(std::size_t v) {
  Vehicle& vehicle = vehicles_[v];
  if (!vehicle.retired) {
    return false;
  }
  vehicle.parked = true;
  tried_.erase(v);
  return true;
}

void Fleet::follow(const ScenarioSpec& state) {
  choose_among_stations_in_service();
  const double now = calendar_->now();
  const auto& classes = state.demand.as<FleetParams>().classes;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    const auto count = static_cast<std::size_t>(classes[c].count);
    std::vector<std::size_t>& members = members_[c];
    for (std::size_t i = 0; i < members.size(); ++i) {
      Vehicle& vehicle = vehicles_[members[i]];
      const bool retired = i >= count;
      if (vehicle.retired && !retired && vehicle.parked) {
        vehicle.retired = false;
        vehicle.parked = false;
        if (vehicle.towed) {
          without_station_.push_back(members[i]); // parked empty, its stranding counted
        } else {
          // Back in service as a vehicle joining is: its level drawn over its refuel cycle. As
          // it was parked (most park at a decision, when they need fuel), every one came back
          // needing fuel at once: 351 of a class's 545 vans queued within the hour.
          join(members[i], now);
        }
      }
      vehicle.retired = retired; // a vehicle retiring parks at its next decision
    }
    while (members.size() < count) {
      join(add_vehicle(c), now);
    }
  }
  // Those waiting for a station decide again where one for their pressure class is now in
  // service (a retired one parks); the others wait on.
  std::vector<std::size_t> waiting;
  waiting.swap(without_station_);
  for (const std::size_t v : waiting) {
    if (indexes_[choices_[vehicles_[v].vehicle_class].index].size() > 0) {
      decide(v, now);
    } else {
      without_station_.push_back(v);
    }
  }
}

double Fleet::draw_threshold(const VehicleClass& vc, RandomStream& rng) {
  return std::clamp(vc.refuel_at_fraction.sample(rng), 0.0, max_refuel_fraction) * vc.tank_kg;
}

double Fleet::after_driving(const VehicleClass& vc, double from, double days_of_driving) {
  // Beyond a billion days no run gets there (horizons are at most limits::days), and the walk
  // below would not end: past about 1e16 minutes, adding a day's 1440 no longer changes a double
  // (a daily_km of 1e-16, or a skewed one's tiny draws, took a run there).
  constexpr double beyond_any_run_days = 1e9;
  static_assert(beyond_any_run_days > 1000 * limits::days);
  if (!vc.shift || vc.shift->hours >= 24 || days_of_driving > beyond_any_run_days) {
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
    join(v, calendar.now());
  }
}

void Fleet::plan_next_refuel(std::size_t v, double from_time) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  const double daily_km = vehicle.daily_km;
  if (daily_km <= 0 || parks(v)) {
    return; // parked for good, or retired
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
  if (choice.plain_nearest && !stations_change_) {
    drive(v, vehicle.origin, *nearest_usable(vehicle), need_at);
  } else if (choice.sees_queues || stations_change_) {
    // It can only look at the queues, or the stations then in service, when it decides: an
    // event then.
    // Deciding looks at queues and drives off: it touches no shared capacity.
    EventAction decision([this, v] { decide(v, calendar_->now()); });
    calendar_->schedule(need_at, std::move(decision).reading(&vehicles_[v]),
                        Calendar::Scope::local);
  } else {
    decide(v, need_at);
  }
}

namespace {
/**
 * The least (key, station) over the stations of `index` not in `tried`, with `home` (if any, and
 * not in `tried`) looked at first; `at_least(d2)` bounds the key of every other station at squared
 * distance `d2` or more from below, so the search skips what cannot rank first but looks at ties:
 * the least station among equal keys wins, as in a scan in list order.
 */
template <class KeyOf, class AtLeast>
std::optional<std::size_t>
least(const SpatialIndex& index, Point from, std::optional<std::size_t> home,
      const std::vector<std::size_t>* tried, KeyOf key_of, AtLeast at_least) {
  using Key = std::pair<bool, double>;
  std::optional<std::size_t> best;
  Key best_key{true, 0};
  const auto untried = [tried](std::size_t s) {
    return tried == nullptr || std::find(tried->begin(), tried->end(), s) == tried->end();
  };
  if (home && untried(*home)) {
    best = *home;
    best_key = key_of(*home, std::nullopt);
  }
  index.least(
      from,
      [&](std::size_t s, double d2) -> std::optional<Key> {
        if (s == home || !untried(s)) {
          return std::nullopt;
        }
        return key_of(s, d2);
      },
      at_least, best, best_key);
  return best;
}

/** Squared distances carry this relative error at most, far less than this margin. */
constexpr double margin = 1e-9;
} // namespace

std::optional<std::size_t> Fleet::nearest_usable(const Vehicle& vehicle) {
  // The nearest and depot policies rank by distance alone, for the one decision every refuelling
  // makes. A scan in list order compared the key (beyond the detour, squared distance), the home
  // station's distance taken as -1, ties to the lower index. "Beyond" only grows with the
  // distance, so without a home that order is (squared distance, index); with one, the home
  // station wins if it is within the detour, else the nearest station if that one is, else the
  // home station again (beyond the detour, -1 is least).
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  const SpatialIndex& index = indexes_[choice.index];
  if (!choice.home_first || !choice.home) {
    const auto nearest = index.nearest_id(vehicle.origin);
    return nearest ? std::optional(nearest->id) : std::nullopt;
  }
  const double reach = choice.chooser.max_detour_km / spec_->road_factor;
  const double reach2 = std::isfinite(reach) ? reach * reach : INFINITY;
  const std::size_t home = *choice.home;
  if (!(SpatialIndex::squared_km(vehicle.origin, locations_[home]) > reach2)) {
    return home; // no lookup: the home station is within the detour
  }
  const auto nearest = index.nearest_id(vehicle.origin);
  return nearest && !(nearest->d2 > reach2) ? nearest->id : home;
}

StationView Fleet::view(const Vehicle& vehicle, std::size_t s, double now) {
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  StationView view;
  view.station = s;
  view.road_km = distance_km(vehicle.origin, locations_[s]) * spec_->road_factor;
  view.dispensers = network_->station(s).dispensers;
  if (choice.sees_queues) {
    // What it sees when deciding: the queue now (`now` is the clock: see plan_next_refuel).
    const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
    view.waiting = network_->waiting(s, now);
    view.fill_min = network_->fill_estimate_min(s, vc.tank_kg - vehicle.fuel_kg);
  }
  return view;
}

std::optional<std::size_t> Fleet::best_station(const Vehicle& vehicle, double now,
                                               const std::vector<std::size_t>* tried) {
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  const auto key_of = [&](std::size_t s, std::optional<double>) {
    return choice_key(*choice.policy, view(vehicle, s, now), choice.chooser);
  };
  // Road km are hypot() * road factor, not the index's squared distances: a bound with a margin.
  const auto at_least = [&](double d2) -> std::pair<bool, double> {
    const double road_km = std::sqrt(d2) * spec_->road_factor * (1.0 - margin);
    return {road_km > choice.chooser.max_detour_km,
            choice.policy->rank_at_least(road_km, choice.chooser)};
  };
  return least(indexes_[choice.index], vehicle.origin,
               choice.home_first ? choice.home : std::nullopt, tried, key_of, at_least);
}

bool Fleet::last_of_round(std::size_t v, std::size_t station, double now) {
  const Vehicle& vehicle = vehicles_[v];
  // Its tries are the stations of its round so far: no lookup while more stations are left.
  if (indexes_[choices_[vehicle.vehicle_class].index].size() > std::size_t{vehicle.tries} + 1) {
    return false; // a station it has not tried, other than this one, is left
  }
  const auto round = tried_.find(v);
  round_scratch_.clear(); // reused: a class with few stations asks at every arrival
  if (round != tried_.end()) {
    round_scratch_.assign(round->second.begin(), round->second.end());
  }
  round_scratch_.push_back(station);
  return !best_station(vehicle, now, &round_scratch_);
}

void Fleet::decide(std::size_t v, double now) {
  if (parks(v)) {
    return;
  }
  Vehicle& vehicle = vehicles_[v];
  const ClassChoice& choice = choices_[vehicle.vehicle_class];
  const auto station =
      choice.sees_queues ? best_station(vehicle, now, nullptr) : nearest_usable(vehicle);
  if (!station) {
    // No open station fills its pressure class: it cannot refuel, and runs dry where it is
    // (stranded, counted once). Where the stations in service change, it waits for one that
    // opens and is towed there; else it stays.
    if (!vehicle.towed) {
      // It drives on until the tank is empty: the kilometres of the hydrogen it had.
      const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
      vehicle.km += vehicle.fuel_kg / (vc.consumption_kg_per_100km / 100.0);
      network_->observer().on_trip(
          Trip{vehicle.vehicle_class, now, vehicle.km, 0, true, vehicle.index});
      vehicle.km = 0;
      vehicle.fuel_kg = 0;
      vehicle.towed = true;
    }
    if (stations_change_) {
      without_station_.push_back(v);
    }
    return;
  }
  drive(v, vehicle.origin, *station, now);
}

void Fleet::drive(std::size_t v, Point from, std::size_t station, double departure) {
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  const double km = distance_km(from, locations_[station]) * spec_->road_factor;
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
  // Of the shared capacities, the arrival touches only the station's own (a driver who then
  // looks at other stations sees their queues, which are counted, not read off a flow).
  // Each event of a vehicle reads its record first: the calendar loads it an event ahead.
  EventAction arrival([this, v, station] { arrive(v, station); });
  calendar_->schedule(departure + km / vc.speed_kmh * 60.0,
                      std::move(arrival).reading(&vehicles_[v]), network_->arrival_scope(station));
}

void Fleet::arrive(std::size_t v, std::size_t station) {
  if (parks(v)) {
    return;
  }
  Vehicle& vehicle = vehicles_[v];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  const double now = calendar_->now();
  network_->observer().on_trip(Trip{vehicle.vehicle_class, now, vehicle.km, vehicle.detour_km,
                                    vehicle.stranded, vehicle.index});
  vehicle.km = 0;
  vehicle.detour_km = 0;
  vehicle.stranded = false;
  // At the last station of a round (the max_tries-th, or the last it has not tried), a driver
  // who waits there queues however long the wait.
  const bool limited = vc.driver.balk_if_waiting_over || vc.driver.patience_min;
  const bool last_try = limited && !choices_[vehicle.vehicle_class].leaves_after_last_try &&
                        ((vc.driver.max_tries > 0 &&
                          vehicle.tries + 1 >= static_cast<std::uint32_t>(vc.driver.max_tries)) ||
                         last_of_round(v, station, now));
  const DriverLimits driver = last_try ? DriverLimits{} : limits(vc.driver, vehicle.rng);
  // Two 32-bit indices beside `this`: 16 bytes, which std::function holds inside itself, so a
  // visit allocates nothing for its callback (nor for each copy of it).
  const auto vehicle32 = static_cast<std::uint32_t>(v);
  const auto station32 = static_cast<std::uint32_t>(station);
  auto done = [this, vehicle32, station32](const Visit& visit) {
    after_visit(vehicle32, station32, visit);
  };
  static_assert(sizeof(done) <= 16 && std::is_trivially_copyable_v<decltype(done)>,
                "a capture added here makes every arrival allocate (std::function keeps 16 "
                "trivially copyable bytes inside itself)");
  network_->refuel(station, now, vc.tank_kg - vehicle.fuel_kg, vehicle.rng, vehicle.vehicle_class,
                   done, driver, vehicle.index);
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
    EventAction retry([this, v, station] { try_next(v, station, calendar_->now()); });
    calendar_->schedule(leave, std::move(retry).reading(&vehicles_[v]), Calendar::Scope::local);
  } else {
    try_next(v, station, leave);
  }
}

void Fleet::try_next(std::size_t v, std::size_t station, double now) {
  Vehicle& vehicle = vehicles_[v];
  const Point here = locations_[station];
  const VehicleClass& vc = spec_->classes[vehicle.vehicle_class];
  ++vehicle.tries;
  const bool out_of_tries = choices_[vehicle.vehicle_class].leaves_after_last_try &&
                            vc.driver.max_tries > 0 &&
                            vehicle.tries >= static_cast<std::uint32_t>(vc.driver.max_tries);
  // The best station not yet tried in this round (with an order that does not change between
  // tries, the next in it).
  std::vector<std::size_t>& tried = tried_[v];
  tried.push_back(station);
  if (!out_of_tries) {
    if (const auto next = best_station(vehicle, now, &tried)) {
      drive(v, here, *next, now);
      return;
    }
  }
  // The round of tries ended without a fill: the driver gives up for now and tries again later,
  // at its first choice.
  tried_.erase(v);
  network_->observer().on_give_up(vehicle.vehicle_class, vehicle.index, now);
  vehicle.tries = 0;
  const auto first = best_station(vehicle, now, nullptr);
  if (!first && stations_change_) {
    // None of its pressure class is in service: it waits here for one to open, rather than
    // coming back to this one every retry_after_min.
    vehicle.origin = here;
    without_station_.push_back(v);
    return;
  }
  drive(v, here, first ? *first : station, now + retry_after_min);
}

} // namespace h2sim::models
