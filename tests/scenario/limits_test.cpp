// Valid-looking numbers the model cannot answer for get a clear error naming the field and the
// limit, not NaN in the metrics, a hang, or a memory blow-up.
#include "../support.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>

using h2sim::test::one_station;
using h2sim::test::problems_of;

namespace {
const std::string station = one_station(20, 2, "4");
const std::string delivery =
    one_station(20, 2, "4", R"(, "storage": {"capacity_kg": 1000, "initial_kg": 800},
                   "supply": {"model": "delivery", "payload_kg": 500, "reorder_at_kg": 300,
                              "lead_time_h": 2})");
} // namespace

TEST_CASE("limits: quantities beyond what the model can answer name their bound") {
  CHECK(problems_of(station, {{"stations.0.overhead_min", "1e308"}}) ==
        "/stations/0/overhead_min: must be a number <= 1440\n");
  CHECK(problems_of(station, {{"demand.kg_per_fill", "1e308"}}) ==
        "/demand/kg_per_fill: must be a number <= 10000\n");
  CHECK(problems_of(station, {{"horizon_days", "1e-17"}}) ==
        "/horizon_days: must be a number >= 0.001\n");
  CHECK(problems_of(station, {{"demand.arrivals_per_h", "1e308"}}) ==
        "/demand/arrivals_per_h: must be a number <= 10000\n");
  CHECK(problems_of(station, {{"stations.0.fill_rate_kg_per_min", "1e-300"}}) ==
        "/stations/0/fill_rate_kg_per_min: must be a number >= 0.001\n");
  CHECK(problems_of(station, {{"stations.0.x_km", "1e300"}}) ==
        "/stations/0/x_km: must be a number <= 100000\n");
}

TEST_CASE("limits: lognormal and gamma too skewed or too narrow to sample are refused") {
  CHECK(problems_of(station,
                    {{"demand.kg_per_fill", R"({"dist": "lognormal", "mean": 4, "sd": 1e160})"}}) ==
        "/demand/kg_per_fill/sd: must be a number <= 10000000\n");
  CHECK(problems_of(station,
                    {{"demand.kg_per_fill", R"({"dist": "lognormal", "mean": 4, "sd": 5000})"}}) ==
        "/demand/kg_per_fill/sd: must be <= 1000 x mean (a lognormal this skewed cannot be sampled "
        "meaningfully)\n");
  CHECK(problems_of(station,
                    {{"demand.kg_per_fill", R"({"dist": "gamma", "mean": 4, "sd": 1e-160})"}}) ==
        "/demand/kg_per_fill/sd: must be >= 0.000001 x mean (use a fixed value)\n");
  CHECK(problems_of(station, {{"demand.kg_per_fill",
                               R"({"dist": "gamma", "mean": 4, "sd": 0.5})"}}) == "valid");
}

TEST_CASE("limits: a trailer brings at least a thousandth of the storage") {
  CHECK(problems_of(delivery, {{"stations.0.supply.payload_kg", "0.5"}}) ==
        "/stations/0/supply/payload_kg: must be a number >= 1\n");
  CHECK(problems_of(delivery, {{"stations.0.storage.capacity_kg", "1e6"},
                               {"stations.0.supply.payload_kg", "999"}}) ==
        "/stations/0/supply/payload_kg: must be >= storage.capacity_kg / 1000 (at most 1000 "
        "trailers on order for one station)\n");
}

TEST_CASE(
    "limits: a queue that grows without bound stops the run with an error naming the station") {
  const std::string overloaded = one_station(10000, 1, "4");
  const auto metrics =
      h2sim::test::run_text(overloaded, {{"horizon_days", "30"}, {"warmup_days", "0"}});
  CHECK(metrics["error"] ==
        "replication 0 failed: station S1: 1000000 vehicles waiting on day 4.17: its dispensers "
        "cannot keep up with the arrivals (the queue grows without bound); add dispensers, lower "
        "the demand or set queue_capacity");
}
