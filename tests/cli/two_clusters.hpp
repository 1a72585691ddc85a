#pragma once

#include <string>

namespace h2sim::test {

/**
 * The siting tests' layout: two fleets 200 km apart, 30 vehicles around W (0, 0) and 20 around
 * E (200, 0), each within 3 km of its centre; a tank's range is 200 km and drivers look for a
 * station with 10% left (20 km, about 15 km as the crow flies at road factor 1.3). A station at a
 * fleet's centre serves it; any other leaves it to run dry on the way (stranded, then towed).
 * `stations` are the items of the scenario's stations array.
 */
inline std::string two_clusters_with(const std::string& stations) {
  const auto fleet = [](const std::string& name, int count, double x) {
    return R"({"name": ")" + name + R"(", "count": )" + std::to_string(count) +
           R"(, "tank_kg": 10, "consumption_kg_per_100km": 5, "daily_km": 200,
              "refuel_at_fraction": 0.1, "speed_kmh": 50,
              "area": {"x_km": )" +
           std::to_string(x) + R"(, "y_km": 0, "radius_km": 3}})";
  };
  return R"({"name": "two-clusters", "seed": 11, "horizon_days": 4, "warmup_days": 1,
    "replications": 3,
    "stations": [)" +
         stations + R"(],
    "demand": {"model": "fleet", "road_factor": 1.3, "classes": [)" +
         fleet("west", 30, 0) + ", " + fleet("east", 20, 200) + "]}}";
}

} // namespace h2sim::test
