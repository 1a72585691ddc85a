#pragma once

#include "../../core/spatial_index.hpp"
#include "../choice/choice.hpp"
#include "demand_model.hpp"

#include <unordered_map>
#include <vector>

namespace h2sim::models {

struct Area {
  Point centre;
  double radius_km = 0;
};

/** The daily hours a class drives: from `start_h` for `hours` (wrapping past midnight). */
struct Shift {
  double start_h = 0;
  double hours = 24;
};

/** How a class's drivers pick a station (a policy of the choice registry). */
struct ChoiceSpec {
  std::string policy = "nearest";
  double max_detour_km = INFINITY;         // stations farther (road km) are not considered
  std::optional<std::string> home_station; // id of a station (policy depot)
};

struct VehicleClass {
  std::string name;
  int count = 0;
  double tank_kg = 0;
  double consumption_kg_per_100km = 0;
  Distribution daily_km = Distribution::fixed(0);
  Distribution refuel_at_fraction = Distribution::fixed(0); // drawn per refuelling, kept below 1
  std::optional<Shift> shift;                               // empty: drives around the clock
  double speed_kmh = 0;
  Area area;
  DriverSpec driver;
  std::string pressure; // H35 or H70; empty = any station
  ChoiceSpec choice;
};

/** Vehicles drive, drain their tanks and refuel at a station of their choice. */
struct FleetParams {
  double road_factor = 1;
  std::vector<VehicleClass> classes;
};
const params::Table& fleet_table();
/**
 * What is legal but probably not meant, in the scenario as it will run (overrides applied, only
 * the open stations): fleets that cannot reach or use the stations they have.
 */
std::vector<Warning> fleet_warnings(const ScenarioSpec& scenario);

/**
 * Vehicles as data, not actors: each drains its tank at its own daily mileage (drawn once, so the
 * fleet's mean mileage is the distribution's mean), and when the level falls
 * to its class's threshold it drives from a random point of its area to the nearest open station,
 * fills what the tank lacks and drives on. A vehicle that balks tries the next-nearest station;
 * after all of them, it waits half an hour and starts again at the nearest. One event per station
 * visit.
 */
class Fleet final : public DemandModel {
public:
  Fleet(const ScenarioSpec& scenario, Network& network, Seeds seeds);
  void start(Calendar& calendar) override;
  /**
   * The stations in service may have changed (the choice looks only at those), and the classes'
   * counts: vehicles join (the i-th of a class always has the same random stream) or retire (the
   * last ones first, each at its next decision; one that comes back rejoins as a new one does,
   * its tank level drawn over its refuel cycle).
   */
  void follow(const ScenarioSpec& state) override;

  /** Minutes a vehicle that found every station full waits before trying again. */
  static constexpr double retry_after_min = 30.0;
  /** A drawn refuel threshold is kept at or below this fraction of the tank. */
  static constexpr double max_refuel_fraction = 0.95;

  /** The time at which a vehicle starting at `from` has driven `days` days' mileage (shifts). */
  static double after_driving(const VehicleClass& vc, double from, double days);

private:
  struct alignas(64) Vehicle { // two whole cache lines: an unaligned record spans three
    std::uint32_t vehicle_class;
    std::uint32_t index;     // within its class
    std::uint32_t tries = 0; // stations tried since it last needed fuel
    double fuel_kg = 0;
    double daily_km = 0;     // this vehicle's mileage, drawn once from its class's distribution
    double threshold_kg = 0; // it heads for a station at this level (drawn per refuelling)
    double km = 0;           // driven since the last report
    double detour_km = 0;    // of which driven to reach stations
    bool stranded = false;   // ran dry on the way to the station it is driving to
    bool towed = false;      // ran dry since it last needed fuel (counted once)
    bool retired = false;    // the class's count fell below it: it parks at its next decision
    bool parked = false;     // retired and parked: no event pending
    Point origin{};          // where it decided to refuel
    RandomStream rng;
  };
  // A vehicle's whole state (its next event aside: one calendar entry while it drives or fills).
  static_assert(sizeof(Vehicle) <= 128, "per-vehicle state: at most 128 bytes");
  void plan_next_refuel(std::size_t vehicle, double from_time);
  /** Builds the per-class choice and indexes over the stations in service now. */
  void choose_among_stations_in_service();
  /** A new vehicle of class `c` (its index in the class is the class's vehicles so far). */
  std::size_t add_vehicle(std::size_t c);
  /** Vehicle `v` starts driving at `now` with a tank level drawn over its refuel cycle. */
  void join(std::size_t v, double now);
  /** Whether vehicle `v` is retired, and parks it (no further event) if so. */
  bool parks(std::size_t v);
  void drive(std::size_t vehicle, Point from, std::size_t station, double departure);
  void arrive(std::size_t vehicle, std::size_t station);
  /** The driver picks a station at `now` (the clock, if its policy looks at queues) and drives. */
  void decide(std::size_t vehicle, double now);
  void after_visit(std::size_t vehicle, std::size_t station, const Visit& visit);
  /** After a failed visit at `station`, the driver's next choice from `now`. */
  void try_next(std::size_t vehicle, std::size_t station, double now);
  /** What the vehicle's driver sees of open station `s` from its origin at `now`. */
  StationView view(const Vehicle& vehicle, std::size_t s, double now);
  /**
   * The station its policy ranks first from its origin at `now` (by `choice_key`, ties in list
   * order) among the usable ones not in `tried`: the first of `preference_order` not tried, found
   * nearest-first in the class's index without looking at the stations that cannot matter.
   */
  std::optional<std::size_t> best_station(const Vehicle& vehicle, double now,
                                          const std::vector<std::size_t>* tried);
  /** Whether `station` ends vehicle `v`'s round: it has tried every other station it could. */
  bool last_of_round(std::size_t v, std::size_t station, double now);
  static double draw_threshold(const VehicleClass& vc, RandomStream& rng);
  /**
   * The choice of the nearest and depot policies by squared straight-line distance (the same
   * station `choose` would pick), found nearest-first in the class's index.
   */
  std::optional<std::size_t> nearest_usable(const Vehicle& vehicle);

  /** Per class: its choice policy and the index of the open stations that fill its pressure. */
  struct ClassChoice {
    const ChoicePolicy* policy;
    Chooser chooser;
    std::size_t index;               // in indexes_
    std::optional<std::size_t> home; // the depot policy's home station, if open and usable
    bool plain_nearest; // nearest, no detour limit, every station usable: the fast path
    bool sees_queues;   // the policy looks at queues, so it decides at the time, as an event
    bool home_first;    // the depot policy
    bool leaves_after_last_try; // after_last_try: leave
  };
  std::vector<ClassChoice> choices_;
  /** Per pressure class the fleet uses (empty: any), its usable open stations. */
  std::vector<SpatialIndex> indexes_;
  // Every station's location, by index: a drive reads it here, in 16 bytes a station, and not in
  // the station's spec (two misses apiece at thousands of stations).
  std::vector<Point> locations_;

  const FleetParams* spec_;
  Network* network_;
  Seeds seeds_;
  /**
   * Scheduled events open or close stations: a driver then chooses when it sets off (an event),
   * not when it plans the trip, a day or more before, among the stations in service then.
   */
  bool stations_change_ = false;
  std::vector<std::optional<std::size_t>> homes_; // per class, its home station in the network
  std::vector<std::vector<std::size_t>> members_; // per class, its vehicles by index in the class
  Calendar* calendar_ = nullptr;
  std::vector<Vehicle> vehicles_;
  /**
   * The stations tried so far in its round, for each driver between tries: a policy that looks at
   * queues ranks the stations anew at every try, so the next in its order may be one just tried.
   */
  std::unordered_map<std::size_t, std::vector<std::size_t>> tried_;
  std::vector<std::size_t> round_scratch_; // last_of_round's stations tried, this one included
  // Vehicles that found no station in service to fill their pressure class, dry where they are:
  // they decide again when the stations in service change (kept only where they can).
  std::vector<std::size_t> without_station_;
};

} // namespace h2sim::models
