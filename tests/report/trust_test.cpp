// When intervals cannot be trusted (report/trust.cpp): the relaxation time of a station as an
// M/M/c queue, and the warnings it leads to, on hand-made records.
#include "report/fields.hpp"
#include "report/trust.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace h2sim::report;

namespace {
/** A station record whose served count and utilisation are the given ones, the rest zero. */
RecordValues station(double served, double utilization) {
  RecordValues record;
  const std::vector<Leaf>& layout = station_layout(0, Scope::stations);
  record.leaves.assign(layout.size(), 0.0);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i].path == "served") {
      record.leaves[i] = served;
    } else if (layout[i].path == "utilization") {
      record.leaves[i] = utilization;
    }
  }
  return record;
}
} // namespace

TEST_CASE(
    "trust: the relaxation time of an M/M/2 station at rho 0.9 is 1 / (c mu (1 - sqrt rho)^2)") {
  // 2 dispensers, 5-minute fills, a 1440-minute window at utilisation 0.9: 2 * 0.9 * 1440 / 5
  // = 518.4 fills; c mu = 0.4 per minute.
  const auto slowest = slowest_station({station(518.4, 0.9)}, {{2, std::nullopt}}, 1440);
  REQUIRE(slowest.has_value());
  const double gap = 1 - std::sqrt(0.9);
  CHECK(slowest->tau_min == doctest::Approx(1 / (0.4 * gap * gap)));
  CHECK(slowest->tau_min / 60 == doctest::Approx(15.8).epsilon(0.01));
}

TEST_CASE("trust: a bounded queue relaxes within (c + capacity)^2 fills of all dispensers") {
  const auto slowest = slowest_station({station(518.4, 0.9)}, {{2, 3}}, 1440);
  REQUIRE(slowest.has_value());
  CHECK(slowest->tau_min == doctest::Approx(25 / 0.4));
}

TEST_CASE("trust: the slowest station is the one named, idle stations are skipped") {
  const auto slowest =
      slowest_station({station(0, 0), station(100, 0.5), station(518.4, 0.9)},
                      {{1, std::nullopt}, {1, std::nullopt}, {2, std::nullopt}}, 1440);
  REQUIRE(slowest.has_value());
  CHECK(slowest->station == 2);
  CHECK_FALSE(slowest_station({station(0, 0)}, {{1, std::nullopt}}, 1440).has_value());
}

TEST_CASE("trust: short replications warn on the queue metrics and say how long is needed") {
  const Relaxation slow{0, 0.9, 1440}; // one day
  const IntervalBasis basis{5, 7, 0.5, false, {"S1"}};
  const auto warnings = interval_warnings(basis, slow, {"wait_min.p95", "arrivals"});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].pointer == "/ci95/totals.wait_min.p95");
  CHECK(warnings[0].message ==
        "totals.wait_min.p95: station S1 (utilization 0.9) forgets its start only over about "
        "24 h (its relaxation time): replications of 7 days are too short for the interval to be "
        "trusted; use horizon_days >= 30, and the warm-up of 0.5 days leaves the empty start in; "
        "use warmup_days >= 2 (or \"auto\")");
}

TEST_CASE("trust: long enough replications, warmed up, with five replications warn nothing") {
  const Relaxation slow{0, 0.9, 1440};
  CHECK(interval_warnings({5, 30, 2, false, {"S1"}}, slow, {"wait_min.p95"}).empty());
  CHECK(interval_warnings({5, 30, 0, true, {"S1"}}, slow, {"wait_min.p95"}).empty());
  // A hundred relaxation times dilute the empty start: no warm-up needed.
  CHECK(interval_warnings({5, 100, 0, false, {"S1"}}, slow, {"wait_min.p95"}).empty());
  CHECK(interval_warnings({5, 99, 0, false, {"S1"}}, slow, {"wait_min.p95"}).size() == 1);
}

TEST_CASE("trust: fewer than five replications warn on every interval") {
  const auto warnings =
      interval_warnings({3, 50, 2, false, {"S1"}}, std::nullopt, {"wait_min.mean", "arrivals"});
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[1].pointer == "/ci95/totals.arrivals");
  CHECK(warnings[1].message.find("use --replications 5 or more") != std::string::npos);
}
