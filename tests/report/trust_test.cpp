// When intervals cannot be trusted (report/trust.cpp): the relaxation time of a station as an
// M/M/c queue, and the warnings it leads to, on hand-made records.
#include "../support.hpp"
#include "report/fields.hpp"
#include "report/trust.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace h2sim::report;

namespace {
/** `record` with its field at `path` (of its groups' layout) set to `value`. */
RecordValues with(RecordValues record, const std::string& path, double value) {
  const std::vector<Leaf>& layout = station_layout(record.groups, Scope::stations);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i].path == path) {
      record.leaves[i] = value;
      return record;
    }
  }
  FAIL("no station field " << path);
  return record;
}

/** A station record whose served count and utilisation are the given ones, the rest zero. */
RecordValues station(double served, double utilization) {
  RecordValues record;
  record.leaves.assign(station_layout(0, Scope::stations).size(), 0.0);
  return with(with(record, "served", served), "utilization", utilization);
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
  CHECK(warnings[1].message.find("run 5 replications or more") != std::string::npos);
}

TEST_CASE("trust: the skewness of five values by hand, its standard error and Cochran's rule") {
  // 0, 0, 0, 0, 1: mean 0.2, m2 = 0.16, m3 = 0.096, g1 = 1.5, G1 = 1.5 sqrt(20) / 3 = sqrt 5.
  CHECK(skewness({0, 0, 0, 0, 1}) == doctest::Approx(std::sqrt(5.0)));
  CHECK(skewness({1, 1, 1, 1, 0}) == doctest::Approx(-std::sqrt(5.0)));
  CHECK(skewness({1, 2, 3, 4, 5}) == 0.0);
  CHECK(skewness({7, 7, 7}) == 0.0);
  CHECK(skewness({1, 2}) == 0.0); // too few to say
  // sqrt(6 * 5 * 4 / (3 * 6 * 8)) = sqrt(120 / 144).
  CHECK(skewness_standard_error(5) == doctest::Approx(std::sqrt(120.0 / 144)));
  CHECK(replications_for_skewness(std::sqrt(5.0)) == 126); // n > 25 x 5
  CHECK(replications_for_skewness(0) == 1);
}

TEST_CASE("trust: skewed per-replication values warn on their metric, near-normal ones do not") {
  // 0, 0, 0, 0, 0, 1: G1 = sqrt 6 = 2.449, beyond 2.576 x sqrt(6 * 6 * 5 / (4 * 7 * 9)) = 2.177.
  CHECK(skewness({0, 0, 0, 0, 0, 1}) == doctest::Approx(std::sqrt(6.0)));
  const IntervalBasis basis{6, 100, 5, false, {"S1"}};
  Evidence evidence;
  evidence.values = {{"wait_min.p95", {0, 0, 0, 0, 0, 1}}, {"arrivals", {1, 2, 3, 4, 5, 6}}};
  const auto warnings = interval_warnings(basis, std::nullopt, {"wait_min.p95"}, evidence);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].pointer == "/ci95/totals.wait_min.p95");
  CHECK(warnings[0].message ==
        "totals.wait_min.p95: the 6 replications' values are skewed (skewness 2.45, beyond "
        "2.58 times its standard error 0.845 for normal values), so the Student-t interval may "
        "miss; run 151 replications or more (Cochran's rule n > 25 skewness^2), or longer "
        "ones");
  // Five values never reach the alarm (|G1| <= sqrt 5 < 2.576 x 0.913).
  const IntervalBasis five{5, 100, 5, false, {"S1"}};
  evidence.values = {{"wait_min.p95", {0, 0, 0, 0, 1}}};
  CHECK(interval_warnings(five, std::nullopt, {"wait_min.p95"}, evidence).empty());
  // Skewed beyond the test: 40 values, 39 zeros and a 1 (G1 = 6.32, beyond 2.576 x 0.374), fewer
  // than the 1,000 Cochran's rule asks for, warn; 200 values, a quarter of them ones (G1 = 1.16,
  // beyond 2.576 x 0.172), more than the 34 it asks for, do not: their mean is near enough normal
  // (100 replications of skewness 0.8 warned "run 16 replications or more").
  std::vector<double> one_in(40, 0.0);
  one_in.back() = 1;
  const IntervalBasis forty{40, 100, 5, false, {"S1"}};
  evidence.values = {{"wait_min.p95", one_in}};
  REQUIRE(interval_warnings(forty, std::nullopt, {"wait_min.p95"}, evidence).size() == 1);
  std::vector<double> mild(200, 0.0);
  for (std::size_t i = 0; i < mild.size(); i += 4) {
    mild[i] = 1; // a quarter of ones: G1 = 1.16, beyond 2.576 x 0.172; Cochran asks for 34
  }
  CHECK(skewness(mild) == doctest::Approx(1.16).epsilon(0.01));
  CHECK(replications_for_skewness(skewness(mild)) < mild.size());
  const IntervalBasis many{200, 100, 5, false, {"S1"}};
  evidence.values = {{"wait_min.p95", mild}};
  CHECK(interval_warnings(many, std::nullopt, {"wait_min.p95"}, evidence).empty());
  // Fewer than five replications already warn that they are too few; skewness is not checked.
  const IntervalBasis few{4, 100, 5, false, {"S1"}};
  evidence.values = {{"wait_min.p95", {0, 0, 0, 1}}};
  CHECK(interval_warnings(few, std::nullopt, {"wait_min.p95"}, evidence).size() == 1);
}

TEST_CASE("trust: the lag-1 autocorrelation of batch means, pooled over runs, by hand") {
  // Run 1: 1, 2, 3 about 2: products (-1)(0) + (0)(1) = 0, squares 2. Run 2: 4, 0, 4, 0 about 2:
  // products 3 x (-4) = -12, squares 16. Pooled: -12 / 18 over 2 + 3 pairs.
  const Autocorrelation r = lag1_autocorrelation({{1, 2, 3}, {4, 0, 4, 0}, {9}});
  CHECK(r.lag1 == doctest::Approx(-12.0 / 18));
  CHECK(r.pairs == 5);
  CHECK(lag1_autocorrelation({}).pairs == 0);
}

TEST_CASE("trust: a relaxation time from batch means' autocorrelation inverts the exponential") {
  // Batches as long as tau (x = 1): r = (1 - 1/e)^2 / (2 / e).
  const double at_one = std::pow(1 - std::exp(-1.0), 2) / (2 * std::exp(-1.0));
  const auto tau = relaxation_from_batches({at_one, 400}, 1440);
  REQUIRE(tau.has_value());
  CHECK(*tau == doctest::Approx(1440).epsilon(1e-6));
  // x = 4: r = (1 - e^-4)^2 / (2 (3 + e^-4)); tau is a quarter of a batch.
  const double at_four = std::pow(1 - std::exp(-4.0), 2) / (2 * (3 + std::exp(-4.0)));
  CHECK(*relaxation_from_batches({at_four, 400}, 1440) == doctest::Approx(360).epsilon(1e-6));
  // Not significantly positive (2 / sqrt(400) = 0.1), negative, or no pairs: no estimate.
  CHECK_FALSE(relaxation_from_batches({0.09, 400}, 1440).has_value());
  CHECK_FALSE(relaxation_from_batches({-0.5, 400}, 1440).has_value());
  CHECK_FALSE(relaxation_from_batches({0.5, 0}, 1440).has_value());
}

TEST_CASE("trust: hourly bins are pooled into days, weighted by those served") {
  // Two days and 3 hours of hourly bins in one run: day 0 has waits 1 (hours 0-11, 2 served
  // each) and 4 (hours 12-23, 1 served each): (12 * 2 * 1 + 12 * 1 * 4) / 36 = 2; day 1 has 3
  // everywhere, a bin with none served (mean 0) counting for nothing; the 3 hours left are
  // dropped. The bins' width, as the output's days give it, is not quite 1/24.
  std::vector<double> means;
  std::vector<double> served;
  for (int h = 0; h < 24; ++h) {
    means.push_back(h < 12 ? 1.0 : 4.0);
    served.push_back(h < 12 ? 2.0 : 1.0);
  }
  for (int h = 0; h < 27; ++h) {
    means.push_back(h == 5 ? 0.0 : 3.0);
    served.push_back(h == 5 ? 0.0 : 1.0);
  }
  const WaitBatches hourly = wait_batches({means}, {served}, 0.5 + 1.0 / 24 - 0.5);
  CHECK(hourly.days == 1);
  REQUIRE(hourly.runs.size() == 1);
  CHECK(hourly.runs[0] == std::vector<double>{2, 3});

  // A day's bins, or longer ones, are taken as they are.
  const WaitBatches weekly = wait_batches({{1, 2, 3}}, {{0, 0, 0}}, 7);
  CHECK(weekly.days == 7);
  CHECK(weekly.runs[0] == std::vector<double>{1, 2, 3});
  // Bins that do not divide a day are pooled by round(1 / width): 0.4 days, by 3 (1.2 days).
  const WaitBatches uneven = wait_batches({{1, 1, 1, 5, 5, 5, 9}}, {{1, 1, 1, 1, 1, 1, 1}}, 0.4);
  CHECK(uneven.days == doctest::Approx(1.2));
  CHECK(uneven.runs[0] == std::vector<double>{1, 5});
}

TEST_CASE("trust: a relaxation time the data show, longer than the formula's, warns") {
  const Relaxation formula{0, 0.5, 60}; // an hour: 7 days would be long enough
  const IntervalBasis basis{5, 7, 2, false, {"S1"}};
  CHECK(interval_warnings(basis, formula, {"wait_min.mean"}).empty());
  Evidence evidence;
  evidence.daily_waits = {0.5, 30};
  evidence.measured_tau_min = 1440;
  const auto warnings = interval_warnings(basis, formula, {"wait_min.mean", "arrivals"}, evidence);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message ==
        "totals.wait_min.mean: the mean waits of successive days correlate (lag-1 "
        "autocorrelation 0.5 over 30 pairs of days), so the queues forget their start only over "
        "about 24 h (the relaxation time this shows): replications of 7 days are too short for "
        "the interval to be trusted; use horizon_days >= 30");

  SUBCASE("over weekly bins, it says so") {
    evidence.batch_days = 7;
    const auto weekly = interval_warnings(basis, formula, {"wait_min.mean"}, evidence);
    REQUIRE(weekly.size() == 1);
    CHECK(weekly[0].message.rfind("totals.wait_min.mean: the mean waits of successive 7-day "
                                  "periods correlate (lag-1 autocorrelation 0.5 over 30 pairs of "
                                  "7-day periods), so",
                                  0) == 0);
  }
}

TEST_CASE("trust: a station offered more fills than it can do never settles, whatever its "
          "utilization shows") {
  // 2 dispensers, 5-minute fills (time in system less wait), 700 served in a day: 1.22 of what
  // they can do, though the utilization, diluted by the empty start, reads 0.97.
  RecordValues overloaded =
      with(with(station(700, 0.97), "time_in_system_min.mean", 65), "wait_min.mean", 60);
  const auto slowest = slowest_station({overloaded}, {{2, std::nullopt}}, 1440);
  REQUIRE(slowest.has_value());
  CHECK(std::isinf(slowest->tau_min));
  const IntervalBasis basis{5, 2, 0, false, {"S1"}};
  const auto warnings = interval_warnings(basis, *slowest, {"wait_min.p95"});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message ==
        "totals.wait_min.p95: station S1 (utilization 0.97) is offered at least as many fills as "
        "its dispensers can do: its queue may grow without bound, and no horizon is long enough "
        "for the interval to be trusted; add dispensers or lower the demand");
  // Below what it can do, the formula's relaxation time stands (4-minute fills: 0.97 of it).
  overloaded = with(overloaded, "time_in_system_min.mean", 64);
  CHECK(std::isfinite(slowest_station({overloaded}, {{2, std::nullopt}}, 1440)->tau_min));
  // One replication has no interval, but the overload is said all the same, at the station.
  const auto said = overload_warning(*slowest, {"S1"});
  REQUIRE(said.has_value());
  CHECK(said->pointer == "/stations/0");
  CHECK(said->message ==
        "station S1 (utilization 0.97) is offered at least as many fills as its dispensers can "
        "do: its queue grows without bound, so its waits grow with the horizon and vehicles "
        "counted served may begin their fill long after the window ends; add dispensers or lower "
        "the demand");
  CHECK_FALSE(overload_warning(slowest_station({overloaded}, {{2, std::nullopt}}, 1440), {"S1"}));
  CHECK_FALSE(overload_warning(std::nullopt, {"S1"}));
}

TEST_CASE("trust: a station busy all the window that admitted none of its arrivals is overloaded") {
  // A fill longer than the window (fill rate 0.001 kg/min): no one served to measure the fills
  // by, so the station was skipped, and no warning said why nothing was served.
  const RecordValues stuck = with(station(0, 1.0), "arrivals", 123);
  const auto slowest =
      slowest_station({station(100, 0.5), stuck}, {{1, std::nullopt}, {2, std::nullopt}}, 720);
  REQUIRE(slowest.has_value());
  CHECK(slowest->station == 1);
  CHECK(std::isinf(slowest->tau_min));
  const auto said = overload_warning(*slowest, {"A", "B"});
  REQUIRE(said.has_value());
  CHECK(said->pointer == "/stations/1");
  CHECK(said->message.find("other station") == std::string::npos);
  // Two stations stuck alike: the first is named, the other counted (only one was said).
  const auto both = slowest_station({stuck, stuck, station(100, 0.5)},
                                    {{2, std::nullopt}, {2, std::nullopt}, {1, std::nullopt}}, 720);
  REQUIRE(both.has_value());
  CHECK(both->station == 0);
  CHECK(both->overloaded == 2);
  CHECK(overload_warning(*both, {"A", "B", "C"})
            ->message.find(
                "the window ends; 1 other station is offered too much as well; add dispensers") !=
        std::string::npos);
  // Busy but not all the time, or no arrivals (a fill begun in the warm-up): not said.
  const RecordValues partly = with(stuck, "utilization", 0.99);
  CHECK_FALSE(slowest_station({partly}, {{2, std::nullopt}}, 720).has_value());
  CHECK_FALSE(slowest_station({station(0, 1.0)}, {{2, std::nullopt}}, 720).has_value());
}

TEST_CASE("trust: a queue that would need more than a century to settle is called overloaded, not "
          "given a horizon") {
  // A station busy 99.99% of the time relaxes over 300 years: no horizon_days can be asked for.
  const Relaxation slow{0, 0.9999, 300 * 365.0 * 1440};
  // A warm-up is no cure either: the 0.5 days are not blamed.
  const IntervalBasis basis{5, 7, 0.5, false, {"S1"}};
  const auto warnings = interval_warnings(basis, slow, {"wait_min.p95"});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message ==
        "totals.wait_min.p95: station S1 (utilization 1) forgets its start only over about "
        "2.63e+06 h (its relaxation time): no horizon is long enough for the interval to be "
        "trusted (it would take 3.28e+06 days, and horizon_days is at most 3.65e+04): a station "
        "busy nearly all the time whose queue may grow without bound; add dispensers or lower "
        "the demand");
}

TEST_CASE("trust: a quantile interval narrower than the sketches resolve is a warning") {
  // 4 replications whose p95 fell in one bucket: [70.458, 70.458] (6 stations of shanghai-today
  // over 200 days); a size decision took the point at its word.
  const auto warnings = unresolved_quantiles({{"wait_min.p95", {70.458, 70.458}},
                                              {"wait_min.p99", {80.0, 80.9}},
                                              {"wait_min.mean", {3.0, 3.0}},
                                              {"abandon_wait_min.p50", {0.0, 0.0}},
                                              {"wait_min.p90", {10.0, 10.05}}});
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].pointer == "/ci95/totals.wait_min.p95");
  CHECK(warnings[0].message ==
        "totals.wait_min.p95: the interval [70.5, 70.5] is narrower than the quantile sketches "
        "resolve (within 0.5% of the value, about 0.352 either way): the quantiles it is formed "
        "from fell in one or two of the sketches' buckets; take the quantile as known to that, not "
        "better");
  // 80.9 - 80 is wider than 1% of 80.45: resolved; a mean is no quantile; 0 has no buckets.
  CHECK(warnings[1].pointer == "/ci95/totals.wait_min.p90");
}

TEST_CASE("trust: a bounded queue offered more than its dispensers can do is said, though it "
          "settles") {
  // M/M/2/5 at a = 2.5 (the mmck validation): 30 an hour, 5-minute fills, 2 dispensers, room for
  // 3. Over a day, 720 arrivals, 204 of them balked (p_5 = 0.2837) and 516 served; the
  // utilization reads 0.9, and the queue forgets its start within about an hour.
  RecordValues full = with(station(516, 0.9), "arrivals", 720);
  full = with(full, "balked", 204);
  full = with(full, "time_in_system_min.mean", 9);
  full = with(full, "wait_min.mean", 4);
  const std::vector<QueueShape> bounded{{2, 3}};
  const auto slowest = slowest_station({full}, bounded, 1440);
  REQUIRE(slowest.has_value());
  CHECK(slowest->tau_min < 120);
  CHECK_FALSE(overload_warning(slowest, {"S1"}));

  const auto said = full_queue_warning({full}, bounded, 1440, {"S1"}, 1);
  REQUIRE(said.has_value());
  CHECK(said->pointer == "/stations/0");
  CHECK(said->message ==
        "station S1 is offered 1.25 times the fills its dispensers can do (the visits that "
        "reached its queue times their mean fill, per dispenser-minute of the window): only its "
        "queue_capacity of 3 keeps its queue bounded, and 204 of its 720 arrivals (28.3%) balked; "
        "add dispensers or lower the demand");
  // A fleet's drivers turned away come back: their visits overstate the vehicles' demand.
  const auto of_fleet = full_queue_warning({full}, bounded, 1440, {"S1"}, 1, true);
  REQUIRE(of_fleet.has_value());
  CHECK(of_fleet->message.starts_with(
      "station S1 is offered 1.25 times the fills its dispensers can do (the visits that "
      "reached its queue times their mean fill, per dispenser-minute of the window; a driver "
      "turned away who came back is counted at each visit, so the vehicles ask for fewer fills "
      "than that): only its queue_capacity of 3 "));

  SUBCASE("means over replications are said as such, and other stations counted") {
    const RecordValues half = with(full, "balked", 203.5);
    const auto mean = full_queue_warning({full, half, station(10, 0.1)}, {{2, 3}, {2, 3}, {2, 3}},
                                         1440, {"A", "B", "C"}, 4);
    REQUIRE(mean.has_value());
    CHECK(mean->message.find("and on average 204 of its 720 arrivals per replication (28.3%) "
                             "balked; 1 other station with a bounded queue is offered too much "
                             "as well; add") != std::string::npos);
  }
  SUBCASE("visits that found it closed or dry never reached the queue") {
    // 720 arrivals, 100 of them dry: 620 x 5 / 2880 = 1.08 still; 150 closed as well: 0.82.
    RecordValues gated;
    gated.groups = group::supply | group::closures;
    gated.leaves.assign(station_layout(gated.groups, Scope::stations).size(), 0.0);
    for (const auto& [path, value] :
         std::vector<std::pair<std::string, double>>{{"served", 516},
                                                     {"utilization", 0.9},
                                                     {"arrivals", 720},
                                                     {"balked", 204},
                                                     {"time_in_system_min.mean", 9},
                                                     {"wait_min.mean", 4}}) {
      gated = with(gated, path, value);
    }
    CHECK(full_queue_warning({gated}, bounded, 1440, {"S1"}, 1).has_value());
    const RecordValues dry = with(gated, "turned_away_stockout", 100);
    CHECK(full_queue_warning({dry}, bounded, 1440, {"S1"}, 1).has_value());
    const RecordValues closed = with(dry, "diverted_closed", 150);
    CHECK_FALSE(full_queue_warning({closed}, bounded, 1440, {"S1"}, 1).has_value());
  }
  SUBCASE("an unbounded queue is overload_warning's, and a bounded one below its load is quiet") {
    CHECK_FALSE(full_queue_warning({full}, {{2, std::nullopt}}, 1440, {"S1"}, 1).has_value());
    CHECK_FALSE(
        full_queue_warning({with(full, "arrivals", 570)}, bounded, 1440, {"S1"}, 1).has_value());
  }
}

TEST_CASE("trust: replications that served nobody or dispensed nothing, counted as 0, warn") {
  Evidence evidence;
  evidence.values = {{"served", {3, 0, 5, 0}},
                     {"dispensed_kg", {12, 0, 20, 0}},
                     {"economics.cost_per_kg", {9.8, 0, 6.4, 0}}};
  auto warnings = conventional_zero_warnings(evidence);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].pointer == "/totals/wait_min");
  CHECK(warnings[0].message ==
        "totals.wait_min: in 2 of 4 replications no vehicle was served; their waits are 0 by "
        "convention, and the mean over replications takes them in as if measured, which pulls it "
        "down: lengthen horizon_days so that every replication serves some");
  CHECK(warnings[1].pointer == "/totals/economics/cost_per_kg");
  CHECK(warnings[1].message ==
        "totals.economics.cost_per_kg: in 2 of 4 replications nothing was dispensed; their cost "
        "per kg and social cost per kg are 0 by convention, and the mean over replications "
        "takes them in as if measured, which pulls it down: lengthen horizon_days so that every "
        "replication dispenses some");
  // Every replication: said so. Without costs in the metrics, nothing on them.
  evidence.values = {{"served", {0, 0}}, {"dispensed_kg", {0, 0}}};
  warnings = conventional_zero_warnings(evidence);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].message == "totals.wait_min: in every one of the 2 replications no vehicle was "
                               "served; their waits are 0 by convention, not measured");
  // Each replication served and dispensed; and one replication has no mean over replications.
  evidence.values = {
      {"served", {1, 2}}, {"dispensed_kg", {4, 8}}, {"economics.cost_per_kg", {9.8, 6.4}}};
  CHECK(conventional_zero_warnings(evidence).empty());
  evidence.values = {{"served", {0}}, {"dispensed_kg", {0}}, {"economics.cost_per_kg", {0}}};
  CHECK(conventional_zero_warnings(evidence).empty());
}

TEST_CASE("trust: stations that served nobody in some replications, in one warning") {
  // Three of seven stations: the first five named with their counts, then how many more.
  const std::vector<std::uint32_t> unserved{0, 2, 0, 6, 1, 1, 3};
  const std::vector<std::uint32_t> undispensed{0, 2, 1, 6, 1, 1, 3};
  const std::vector<std::string> labels{"A", "B", "C", "D", "E", "F", "G"};
  auto warning = station_zero_warning(unserved, {}, 6, labels, false);
  REQUIRE(warning);
  CHECK(warning->pointer == "/stations");
  CHECK(warning->message ==
        "5 stations served nobody in some or all replications (B in 2 of 6, D in all 6, E in 1 "
        "of 6, F in 1 of 6, G in 3 of 6): where so, a station's waits are 0 by convention, and "
        "its means over replications take those zeros in as if measured (in all: not measured at "
        "all); where a station was open but rarely visited, lengthen horizon_days; where it was "
        "closed or dry, read its figures as none");
  // With costs, a station that served but dispensed nothing counts too (C).
  warning = station_zero_warning(unserved, undispensed, 6, labels, true);
  REQUIRE(warning);
  CHECK(warning->message.starts_with(
      "6 stations served nobody or dispensed nothing in some or all replications (B in 2 of 6, C "
      "in 1 of 6, D in all 6, E in 1 of 6, F in 1 of 6, and 1 more): where so, a station's "
      "waits and cost per kg are 0 by convention"));
  // None: every station served; one replication; one station (the totals' warning says it).
  CHECK_FALSE(station_zero_warning({0, 0}, {0, 0}, 6, {"A", "B"}, true));
  CHECK_FALSE(station_zero_warning(unserved, undispensed, 1, labels, true));
  CHECK_FALSE(station_zero_warning({3}, {3}, 6, {"A"}, true));
}

TEST_CASE("trust: a run's stations that served nobody in some replications are warned of") {
  // S2 gets 0.2 arrivals an hour for 2.4 hours: several of 8 replications bring it nobody, while
  // S1, at 30 an hour, serves in each. The warning counts them from the replications' records.
  const auto metrics = h2sim::test::run_text(R"({"name": "two", "seed": 4, "horizon_days": 0.1,
    "warmup_days": 0, "replications": 8,
    "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2,
                  "overhead_min": 1},
                 {"id": "S2", "x_km": 5, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2,
                  "overhead_min": 1, "arrivals_per_h": 0.2}],
    "demand": {"model": "poisson", "arrivals_per_h": 30, "kg_per_fill": 4}})");
  std::size_t none = 0;
  for (const auto& replication : metrics["replication_totals"]) {
    none += replication["served"].get<double>() == 0 ? 1U : 0U;
  }
  CHECK(none == 0); // the network served in each
  const auto& warnings = metrics["warnings"];
  const auto found = std::find_if(warnings.begin(), warnings.end(),
                                  [](const auto& w) { return w["pointer"] == "/stations"; });
  REQUIRE(found != warnings.end());
  const std::string message = (*found)["message"];
  CAPTURE(message);
  CHECK(message.starts_with("1 station served nobody in some or all replications (S2 in "));
  CHECK(message.find(" of 8): ") != std::string::npos);
}
