#include "../support.hpp"

#include <doctest/doctest.h>

using h2sim::test::run_text;

namespace {
std::string fleet(const std::string& daily_km, int count, int dispensers, double radius_km,
                  double days) {
  return R"({"name": "fleet", "seed": 5, "horizon_days": )" + std::to_string(days) +
         R"(, "warmup_days": 2,
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": )" +
         std::to_string(dispensers) + R"(, "fill_rate_kg_per_min": 2, "overhead_min": 0},
                 {"id": "B", "x_km": 30, "y_km": 0, "dispensers": )" +
         std::to_string(dispensers) + R"(, "fill_rate_kg_per_min": 2, "overhead_min": 0}],
    "demand": {"model": "fleet", "road_factor": 1.3, "classes": [
      {"name": "truck", "count": )" +
         std::to_string(count) + R"(, "tank_kg": 10, "consumption_kg_per_100km": 5,
       "daily_km": )" +
         daily_km +
         R"(, "refuel_at_fraction": 0.2, "speed_kmh": 40,
       "area": {"x_km": 0, "y_km": 0, "radius_km": )" +
         std::to_string(radius_km) + "}}]}}";
}
} // namespace

TEST_CASE("models::Fleet: refuel frequency for a fixed daily distance, computed by hand") {
  // Radius 0: every vehicle decides to refuel at station A itself. 8 kg between 10 kg and the
  // 2 kg threshold is 160 km, 0.5333 days at 300 km/day; a fill of 8 kg at 2 kg/min takes 4 min and
  // nobody waits (10 dispensers for 10 vehicles): a cycle of 768 + 4 = 772 minutes. In 30 days
  // (43,200 minutes) each vehicle refuels 55 or 56 times.
  const auto metrics = run_text(fleet("300", 10, 10, 0, 30));
  const auto& truck = metrics["classes"][0];
  CHECK(truck["refuels"].get<double>() >= 550);
  CHECK(truck["refuels"].get<double>() <= 560);
  CHECK(truck["dispensed_kg"].get<double>() ==
        doctest::Approx(8.0 * truck["refuels"].get<double>()));
  CHECK(metrics["totals"]["wait_min"]["max"] == 0.0);
  CHECK(metrics["stations"][1]["arrivals"] == 0.0);
  CHECK(truck["refuels_per_vehicle_day"].get<double>() ==
        doctest::Approx(1440.0 / 772).epsilon(0.02));
  CHECK(truck["detour_km"] == 0.0);
}

TEST_CASE("models::Fleet: hydrogen dispensed equals kilometres driven times consumption") {
  // Over a long run the fuel in the tanks at the window's edges is small against what flows.
  const auto metrics =
      run_text(fleet(R"({"dist": "normal", "mean": 250, "sd": 60})", 300, 3, 25, 120));
  const auto& truck = metrics["classes"][0];
  const double burned = truck["km_driven"].get<double>() * 5.0 / 100.0;
  CHECK(truck["dispensed_kg"].get<double>() == doctest::Approx(burned).epsilon(0.01));
  // Both stations get vehicles: the area spans them, and each vehicle picks its nearest.
  CHECK(metrics["stations"][0]["arrivals"].get<double>() > 0);
  CHECK(metrics["stations"][1]["arrivals"].get<double>() > 0);
  CHECK(metrics["totals"]["stranded"] == 0.0);
}

TEST_CASE("models::Fleet: a vehicle that finds the queue full tries the next-nearest station") {
  // Station A takes nobody waiting and is busy most of the time; B is 30 km away.
  std::string scenario = fleet("300", 60, 1, 0, 20);
  const auto metrics = run_text(scenario, {{"stations.0.queue_capacity", "0"}});
  const auto& a = metrics["stations"][0];
  const auto& b = metrics["stations"][1];
  CHECK(a["balked"].get<double>() > 0);
  CHECK(b["arrivals"].get<double>() >= a["balked"].get<double>() - 60);
  CHECK(metrics["classes"][0]["refuels"].get<double>() ==
        a["served"].get<double>() + b["served"].get<double>());
}

TEST_CASE("models::Fleet: pressure classes and station choice decide where vehicles go") {
  // A fills H35 only and sits where the vehicles decide to refuel; B, 10 km east, fills both.
  const auto scenario = [](const std::string& vehicle) {
    return R"({"name": "choice", "seed": 5, "horizon_days": 10,
      "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2,
                    "pressures": ["H35"]},
                   {"id": "B", "x_km": 10, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2}],
      "demand": {"model": "fleet", "classes": [{"name": "v", "count": 20, "tank_kg": 10,
        "consumption_kg_per_100km": 5, "daily_km": 200, "refuel_at_fraction": 0.2,
        "speed_kmh": 40, "area": {"x_km": 0, "y_km": 0, "radius_km": 0}, )" +
           vehicle + "}]}}";
  };
  const auto h70 = run_text(scenario(R"("pressure": "H70")"));
  CHECK(h70["stations"][0]["arrivals"] == 0.0);
  CHECK(h70["stations"][1]["arrivals"].get<double>() > 100);
  CHECK(h70["classes"][0]["detour_km_per_refuel"].get<double>() == doctest::Approx(10)); // A to B
  const auto h35 = run_text(scenario(R"("pressure": "H35")"));
  CHECK(h35["stations"][1]["arrivals"] == 0.0);
  const auto home = run_text(
      scenario(R"("pressure": "H35", "choice": {"policy": "depot", "home_station": "B"})"));
  CHECK(home["stations"][0]["arrivals"] == 0.0); // home first, though A is nearer
  const auto delay = run_text(scenario(R"("choice": {"policy": "least_delay"})"));
  CHECK(delay["classes"][0]["refuels"].get<double>() ==
        delay["stations"][0]["served"].get<double>() +
            delay["stations"][1]["served"].get<double>());
}

TEST_CASE("models::Fleet: vehicles drive only in their shift, so demand follows the clock") {
  // 200 km a day driven between 8:00 and 16:00; 160 km between fills = 0.8 days = 384 min of shift,
  // plus a 4-minute fill: 480 / 388 = 1.237 refuels a day, all of them within the shift.
  const auto metrics = run_text(fleet("200", 10, 10, 0, 30),
                                {{"demand.classes.0.shift", R"({"start_h": 8, "hours": 8})"}});
  const auto& truck = metrics["classes"][0];
  CHECK(truck["refuels_per_vehicle_day"].get<double>() ==
        doctest::Approx(480.0 / 388).epsilon(0.02));
  const auto& hourly = metrics["totals"]["hourly"]["arrivals"];
  for (std::size_t h = 0; h < 24; ++h) {
    CAPTURE(h);
    CHECK((hourly[h].get<double>() > 0) == (h >= 8 && h < 16));
  }
}

TEST_CASE("models::Fleet: a refuel threshold drawn per refuelling") {
  // Thresholds uniform in [0.1, 0.3] of a 10 kg tank: 8 kg a fill on average, as with 0.2 fixed.
  const auto metrics = run_text(
      fleet("300", 10, 10, 0, 60),
      {{"demand.classes.0.refuel_at_fraction", R"({"dist": "uniform", "min": 0.1, "max": 0.3})"}});
  const auto& truck = metrics["classes"][0];
  CHECK(truck["dispensed_kg"].get<double>() / truck["refuels"].get<double>() ==
        doctest::Approx(8).epsilon(0.02));
}
