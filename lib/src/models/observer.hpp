#pragma once

#include <cstddef>

namespace h2sim::models {

/** One vehicle's visit to a station, as the station saw it. Times in minutes. */
struct Visit {
  std::size_t station = 0;
  double arrival = 0;
  bool served = false; // false: balked at a full queue
  double start = 0;    // start of the fill (served only)
  double end = 0;      // end of the fill (served only)
  double kg = 0;       // hydrogen dispensed (served only)
  std::size_t waiting = 0; // vehicles waiting just after this arrival
  std::size_t vehicle_class = 0; // index into the fleet's classes; 0 for station-level demand
};

/** A fleet vehicle's trip, reported when it reaches a station. */
struct Trip {
  std::size_t vehicle_class = 0;
  double arrival = 0;
  double km = 0;          // driven since its last fill, including the drive to the station
  bool stranded = false;  // its tank ran empty on the way
};

/** Watches a simulation; metrics, traces and progress are observers, the models write nothing. */
class Observer {
public:
  virtual ~Observer() = default;
  virtual void on_visit(const Visit& visit) = 0;
  virtual void on_trip(const Trip& trip) = 0;
};

} // namespace h2sim::models
