#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace h2sim::models {

/** A visit or trip of no vehicle in particular (station-level demand). */
inline constexpr std::uint32_t no_vehicle = std::numeric_limits<std::uint32_t>::max();

/** How a visit to a station ended: exactly one of these. */
enum class Outcome : std::uint8_t {
  served,         // admitted to a dispenser (its fill may end after the horizon)
  balked,         // the queue was full, or longer than the driver would join
  turned_away,    // the station could not promise the hydrogen (stockout)
  reneged,        // left the queue at `start`, without a fill
  closed,         // the station was closed: the driver went elsewhere
  waiting_at_end, // still waiting when the run ended (stations with a buffer)
};

/** One vehicle's visit to a station, as the station saw it. Times in minutes. */
struct Visit {
  std::size_t station = 0;
  double arrival = 0;
  Outcome outcome = Outcome::balked;
  // The vehicle: its index within its class (fleet), its request's row (trace), else no_vehicle.
  std::uint32_t vehicle = no_vehicle;
  double start = 0;              // start of the fill (served), or when the driver left (reneged)
  double end = 0;                // end of the fill (served only)
  double kg = 0;                 // hydrogen dispensed (served only)
  std::size_t waiting = 0;       // vehicles waiting just after this arrival
  std::size_t vehicle_class = 0; // index into the fleet's classes; 0 for station-level demand
  bool served() const { return outcome == Outcome::served; }
};

/** A fleet vehicle's trip, reported when it reaches a station. */
struct Trip {
  std::size_t vehicle_class = 0;
  double arrival = 0;
  double km = 0;         // driven since its last fill, including the drive to the station
  double detour_km = 0;  // of which the drive from where it decided to refuel to this station
  bool stranded = false; // its tank ran empty on the way
  std::uint32_t vehicle = no_vehicle; // its index within its class
};

/** One station's hydrogen over the measurement window (stations with finite storage). */
struct SupplyReport {
  double inventory_start_kg = 0;
  double inventory_end_kg = 0;
  double inventory_min_kg = 0;
  double delivered_kg = 0;
  std::uint64_t deliveries = 0;
  double stockout_min = 0; // time the station was dry
  double energy_kwh = 0;   // electricity of on-site production
};

/** What happened to a station's stored hydrogen (stations with finite storage). */
enum class TankEvent : std::uint8_t {
  delivery,       // a trailer unloaded `kg` (what fitted: 0 at a full storage, still a trip)
  inflow,         // `kg` came in from a pipeline or on-site production since the last look
  dry_start,      // a vehicle was turned away: the station is dry
  dry_end,        // enough hydrogen is free again
  order,          // a tube trailer of `kg` was ordered (delivery supply)
  pipeline_start, // the pipeline starts flowing in: the storage has room again (pipeline supply)
  pipeline_stop,  // the pipeline stops flowing in: the storage is full (pipeline supply)
};

/**
 * Watches a simulation; metrics, traces and progress are observers, the models write nothing. A
 * new call needs forwarding where calls are passed on: report::ObserverThread (which copies each
 * call to its thread and would drop one it does not know) and report::EventLog.
 */
class Observer {
public:
  virtual ~Observer() = default;
  virtual void on_visit(const Visit& visit) = 0;
  virtual void on_trip(const Trip& trip) = 0;
  /**
   * A fleet driver (vehicle `vehicle` of class `vehicle_class`) ended a round of tries without a
   * fill, at `at`, and will try again later.
   */
  virtual void on_give_up(std::size_t /*vehicle_class*/, std::size_t /*vehicle*/, double /*at*/) {}
  /** As it happens, at a station with finite storage; `kg` for delivery, inflow and order, else 0.
   */
  virtual void on_tank(std::size_t /*station*/, TankEvent /*event*/, double /*at*/, double /*kg*/) {
  }
  /** At the end of the window, for each station with finite storage. */
  virtual void on_supply(std::size_t station, const SupplyReport& report) = 0;
  /**
   * At each edge between two series bins inside the window, for each station with finite
   * storage: the window so far, as on_supply would report it if the window ended now.
   */
  virtual void on_supply_so_far(std::size_t /*station*/, const SupplyReport& /*so_far*/) {}
  /**
   * At time 0, for each station with opening hours, outages or maintenance: its closures over the
   * whole run, drawn in advance (sorted, disjoint [start, end) in minutes).
   */
  virtual void on_closures(std::size_t /*station*/,
                           const std::vector<std::pair<double, double>>& /*closed*/) {}
  /**
   * A station goes in or out of service at `at` (a scenario's open_stations, see
   * ScenarioSpec::in_service); at time 0 for a station out of service from the start.
   */
  virtual void on_service(std::size_t /*station*/, bool /*in_service*/, double /*at*/) {}
  /** At the end of the window, for each station with opening hours, outages or maintenance. */
  virtual void on_availability(std::size_t station, double closed_min, double outage_min) = 0;
};

} // namespace h2sim::models
