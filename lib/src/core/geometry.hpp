#pragma once

#include <cmath>

namespace h2sim {

/** A point in the city's plane, kilometres east and north of its origin. */
struct Point {
  double x_km = 0;
  double y_km = 0;
};

/** Straight-line distance in km. */
inline double distance_km(Point a, Point b) { return std::hypot(a.x_km - b.x_km, a.y_km - b.y_km); }

} // namespace h2sim
