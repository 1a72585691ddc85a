#include "../support.hpp"

#include <doctest/doctest.h>

using h2sim::test::one_station;
using h2sim::test::run_text;

TEST_CASE("availability: closing hours divert exactly the vehicles that arrive while closed") {
  // Open 6:00-22:00 for 10 days: every arrival between 22:00 and 6:00 is diverted, no other.
  const auto metrics = run_text(one_station(12, 2, "4", R"(, "availability": {"hours": [6, 22]})"),
                                {{"horizon_days", "10"}, {"warmup_days", "0"}});
  const auto& s = metrics["stations"][0];
  double night = 0;
  for (std::size_t h : {22U, 23U, 0U, 1U, 2U, 3U, 4U, 5U}) {
    night += s["hourly"]["arrivals"][h].get<double>();
  }
  CHECK(night > 0);
  CHECK(s["diverted_closed"].get<double>() == night);
  CHECK(s["closed_h"].get<double>() == doctest::Approx(10 * 8));
  CHECK(s["outage_h"].get<double>() == 0.0);
  CHECK(s["arrivals"].get<double>() ==
        s["served"].get<double>() + s["balked"].get<double>() + s["diverted_closed"].get<double>());
  // Nobody arriving at night is served, so no wait is recorded for those hours.
  CHECK(s["hourly"]["wait_min_mean"][3].get<double>() == 0.0);
}

TEST_CASE("availability: a maintenance window diverts exactly the vehicles arriving during it") {
  // One day, maintenance 10:00-16:00: the arrivals of hours 10 to 15 are the diverted ones.
  const auto metrics = run_text(
      one_station(
          12, 2, "4",
          R"(, "availability": {"maintenance": [{"start_day": 0, "start_h": 10, "hours": 6}]})"),
      {{"horizon_days", "1"}, {"warmup_days", "0"}});
  const auto& s = metrics["stations"][0];
  double during = 0;
  for (std::size_t h = 10; h < 16; ++h) {
    during += s["hourly"]["arrivals"][h].get<double>();
  }
  CHECK(during > 0);
  CHECK(s["diverted_closed"].get<double>() == during);
  CHECK(s["outage_h"].get<double>() == doctest::Approx(6));
  CHECK(s["closed_h"].get<double>() == doctest::Approx(6));
}

TEST_CASE("availability: random breakdowns close the station about as often as drawn") {
  // Up 48 h on average, 4 h repairs: closed 4/52 of the time; arrivals diverted in proportion.
  const auto metrics = run_text(
      one_station(10, 3, "4",
                  R"(, "availability": {"outages": {"mtbf_h": {"dist": "exponential", "mean": 48},
                                                     "repair_h": 4}})",
                  R"(, "replications": 10)"),
      {{"horizon_days", "200"}});
  const auto& s = metrics["stations"][0];
  const double share = s["outage_h"].get<double>() / (200 * 24);
  CHECK(share == doctest::Approx(4.0 / 52).epsilon(0.15));
  CHECK(s["diverted_closed"].get<double>() / s["arrivals"].get<double>() ==
        doctest::Approx(share).epsilon(0.1));
}

TEST_CASE("availability: a fleet vehicle finding its station closed drives to the next") {
  const auto metrics = run_text(R"({"name": "outage", "seed": 5, "horizon_days": 10,
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 4, "fill_rate_kg_per_min": 2,
                  "availability": {"hours": [8, 20]}},
                 {"id": "B", "x_km": 8, "y_km": 0, "dispensers": 4, "fill_rate_kg_per_min": 2}],
    "demand": {"model": "fleet", "classes": [{"name": "v", "count": 50, "tank_kg": 10,
      "consumption_kg_per_100km": 5, "daily_km": 200, "refuel_at_fraction": 0.2,
      "speed_kmh": 40, "area": {"x_km": 0, "y_km": 0, "radius_km": 0}}]}})");
  const auto& a = metrics["stations"][0];
  const auto& b = metrics["stations"][1];
  CHECK(a["diverted_closed"].get<double>() > 0);
  CHECK(b["arrivals"].get<double>() ==
        doctest::Approx(a["diverted_closed"].get<double>()).epsilon(0.02));
  CHECK(metrics["classes"][0]["refuels"].get<double>() ==
        a["served"].get<double>() + b["served"].get<double>());
}

TEST_CASE("availability: breakdowns 0 h apart are refused where the schema says so") {
  // The schema once allowed mtbf_h 0 (>= 0) and validation refused it: both say > 0 now.
  const auto with = [](const std::string& mtbf) {
    return h2sim::test::problems_of(one_station(10, 2, "4",
                                                R"(, "availability": {"outages": {"mtbf_h": )" +
                                                    mtbf + R"(, "repair_h": 1}})"));
  };
  CHECK(with("0") == "/stations/0/availability/outages/mtbf_h: must be a number > 0\n");
  CHECK(with(R"({"dist": "fixed", "value": 0})") ==
        "/stations/0/availability/outages/mtbf_h/value: must be a number > 0\n");
  CHECK(with("0.5") == "valid");
  // In the JSON Schema, mtbf_h's fixed value has an exclusive minimum of 0; repair_h's does not.
  const std::string schema = h2sim::scenario_json_schema().dump();
  const auto fixed_after = [&schema](const std::string& description) {
    const auto at = schema.find(description);
    REQUIRE(at != std::string::npos);
    const std::string fixed = R"("description":"a fixed value","type":"number",)";
    const auto number = schema.find(fixed, at);
    REQUIRE(number != std::string::npos);
    return schema.substr(number + fixed.size(),
                         schema.find(':', number + fixed.size()) - (number + fixed.size()));
  };
  CHECK(fixed_after("hours from a repair to the next breakdown") == R"("exclusiveMinimum")");
  CHECK(fixed_after("hours to repair") == R"("minimum")");
}
