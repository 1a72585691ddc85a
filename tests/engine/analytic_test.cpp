// The engine against closed-form queueing results. Each case runs replications with fixed seeds
// (so the outcome never changes) and checks that the analytic value lies inside the Student-t 95%
// interval of the replications, widened by half (a 99.9%+ interval), and that the interval is
// narrow (under 5% of the value), so a biased engine cannot pass by noise alone.
#include "../support.hpp"
#include "queueing.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

using h2sim::test::one_station;
using h2sim::test::run_text;

namespace {
void check_inside(const nlohmann::ordered_json& metrics, const std::string& path, double expected) {
  const double low = metrics["ci95"][path][0];
  const double high = metrics["ci95"][path][1];
  const double centre = (low + high) / 2;
  const double half = (high - low) / 2;
  CAPTURE(path);
  CAPTURE(low);
  CAPTURE(high);
  CAPTURE(expected);
  CHECK(std::abs(centre - expected) <= 1.5 * half);
  CHECK(half <= 0.05 * expected);
}

std::string exponential_fills(double mean_min) {
  return R"(, "service": {"fill_time_min": {"dist": "exponential", "mean": )" +
         std::to_string(mean_min) + "}}, \"replications\": 20";
}
} // namespace

TEST_CASE("engine: M/M/c mean wait matches Erlang C") {
  struct Case {
    double per_h;
    int c;
    double fill_min;
  };
  // rho = 0.833 (docs/queueing.md's example, 11.36 min), 0.9 on 4 dispensers, 0.5 on 3.
  for (const Case& k : {Case{20, 2, 5}, Case{43.2, 4, 5}, Case{18, 3, 5}}) {
    CAPTURE(k.per_h);
    CAPTURE(k.c);
    const auto metrics =
        run_text(one_station(k.per_h, k.c, "4", "", exponential_fills(k.fill_min)));
    const double expected = h2sim::test::mmc_wait(k.per_h / 60, 1 / k.fill_min, k.c);
    check_inside(metrics, "totals.wait_min.mean", expected);
    check_inside(metrics, "totals.utilization", k.per_h / 60 * k.fill_min / k.c);
  }
  CHECK(h2sim::test::mmc_wait(20.0 / 60, 0.2, 2) == doctest::Approx(11.3636).epsilon(1e-4));
}

TEST_CASE("engine: M/D/1 mean wait matches Pollaczek-Khinchine") {
  // 10/h, fixed 4-minute fills (8 kg at 1 kg/min... at 2 kg/min via the formula): rho = 2/3,
  // Wq = rho / (2 mu (1 - rho)) = 4 minutes.
  auto metrics = run_text(one_station(10, 1, "4", "", R"(, "replications": 10)"));
  check_inside(metrics, "totals.wait_min.mean", (2.0 / 3) / (2 * 0.25 * (1.0 / 3)));
}

TEST_CASE("engine: M/D/2 mean wait matches the exact 5.76 minutes of docs/queueing.md") {
  auto metrics = run_text(one_station(20, 2, "5", "", R"(, "replications": 10)"));
  check_inside(metrics, "totals.wait_min.mean", 5.76);
}

TEST_CASE("engine: M/M/c/K blocking probability and wait") {
  // 30/h, 5-minute exponential fills, 2 dispensers, 3 places to wait: K = 5.
  const auto expected = h2sim::test::mmck(0.5, 0.2, 2, 5);
  auto metrics =
      run_text(one_station(30, 2, "4", R"(, "queue_capacity": 3)", exponential_fills(5)));
  const double arrivals = metrics["totals"]["arrivals"];
  const double balked = metrics["totals"]["balked"];
  CHECK(balked / arrivals == doctest::Approx(expected.blocking).epsilon(0.03));
  check_inside(metrics, "totals.wait_min.mean", expected.wait);
  CHECK(expected.blocking == doctest::Approx(0.28365).epsilon(1e-4));
  CHECK(metrics["stations"][0]["queue_max"] == 3.0);
}

TEST_CASE("engine: Little's law holds on the output (Lq = lambda Wq)") {
  const auto metrics = run_text(one_station(20, 2, "4", "", exponential_fills(5)));
  const auto& totals = metrics["totals"];
  const double minutes = 100 * 1440.0;
  const double lambda = totals["served"].get<double>() / minutes;
  // Exact but for the vehicles straddling the window's edges: a fraction of a percent here.
  CHECK(totals["queue_mean"].get<double>() ==
        doctest::Approx(lambda * totals["wait_min"]["mean"].get<double>()).epsilon(0.01));
}

namespace {
/** Minutes of [start, end) in each hour of day, hour by hour of the run (not Window's formula). */
std::array<double, 24> minutes_by_hour(double start, double end) {
  std::array<double, 24> minutes{};
  for (auto hour = static_cast<int>(std::floor(start / 60)); hour * 60.0 < end; ++hour) {
    const double from = std::max(start, hour * 60.0);
    const double to = std::min(end, (hour + 1) * 60.0);
    minutes[static_cast<std::size_t>(hour % 24)] += std::max(0.0, to - from);
  }
  return minutes;
}

/** The 24 values of `record.hourly.key` weighted by `weights`, over the weights' sum. */
double weighted_mean(const nlohmann::ordered_json& record, const std::string& key,
                     const std::array<double, 24>& weights) {
  double sum = 0;
  double total = 0;
  for (std::size_t h = 0; h < 24; ++h) {
    sum += record["hourly"][key][h].get<double>() * weights[h];
    total += weights[h];
  }
  return sum / total;
}
} // namespace

TEST_CASE("engine: hourly utilization and queue length average to the window's exactly") {
  // A window that starts and ends inside an hour (warm-up 0.3123 days, 10.55 days measured), so
  // the hours weigh differently; two stations, so totals sum the queues and pool the dispensers.
  const std::string text = R"({"name": "test", "seed": 3, "horizon_days": 10.55,
    "warmup_days": 0.3123, "stations": [
      {"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1,
       "overhead_min": 0},
      {"id": "S2", "x_km": 1, "y_km": 0, "dispensers": 3, "fill_rate_kg_per_min": 1,
       "overhead_min": 0, "arrivals_per_h": 30}],
    "demand": {"model": "poisson", "arrivals_per_h": 20, "kg_per_fill": 4},
    "service": {"fill_time_min": {"dist": "exponential", "mean": 5}}})";
  const auto metrics = run_text(text);
  const double start = 0.3123 * 1440;
  const auto weights = minutes_by_hour(start, start + 10.55 * 1440);
  CHECK(weights[0] != doctest::Approx(weights[12])); // the hours do weigh differently
  for (const auto* record :
       {&metrics["totals"], &metrics["stations"][0], &metrics["stations"][1]}) {
    for (const std::string key : {"utilization", "queue_mean"}) {
      CAPTURE(key);
      REQUIRE((*record)["hourly"][key].size() == 24);
      CHECK(weighted_mean(*record, key, weights) ==
            doctest::Approx((*record)[key].get<double>()).epsilon(1e-9));
    }
  }
  // The hours differ: a time-varying queue is what these fields are for, not a copy of the mean.
  const auto& queue = metrics["stations"][0]["hourly"]["queue_mean"];
  CHECK(*std::max_element(queue.begin(), queue.end()) >
        *std::min_element(queue.begin(), queue.end()));
}

TEST_CASE("engine: M/M/c queue length by hour is Little's law, exact over the run's books") {
  // No warm-up: every vehicle waiting in the window arrived in it, so the window's waiting time
  // (queue_mean x T, also the hours' queue_mean x their minutes) is the served's waits but for
  // the waits of those still queued at the end past the horizon, at most queue_max x the
  // longest wait.
  const auto metrics =
      run_text(one_station(20, 2, "4", "", exponential_fills(5)),
               {*h2sim::parse_override("warmup_days=0"), *h2sim::parse_override("replications=1")});
  const auto& station = metrics["stations"][0];
  const double minutes = 100 * 1440.0;
  const double area = station["queue_mean"].get<double>() * minutes;
  const double waits = station["served"].get<double>() * station["wait_min"]["mean"].get<double>();
  const double straddling =
      station["queue_max"].get<double>() * station["wait_min"]["max"].get<double>();
  CHECK(area <= waits * (1 + 1e-12));
  CHECK(waits - area <= straddling);
  double hourly_area = 0;
  for (const auto& queue : station["hourly"]["queue_mean"]) {
    hourly_area += queue.get<double>() * minutes / 24; // 100 whole days: 6000 minutes each hour
  }
  CHECK(hourly_area == doctest::Approx(area).epsilon(1e-9));
}

TEST_CASE("engine: M/M/c queue length and utilization are Erlang C's in every hour of day") {
  // Poisson arrivals at a constant rate: every hour of day has Lq = lambda Wq (Erlang C) and
  // utilization rho, to sampling error (20 replications of 100 days: about 2% an hour).
  const auto metrics = run_text(one_station(20, 2, "4", "", exponential_fills(5)));
  const auto& station = metrics["stations"][0];
  const double lq = 20.0 / 60 * h2sim::test::mmc_wait(20.0 / 60, 0.2, 2);
  for (std::size_t h = 0; h < 24; ++h) {
    CAPTURE(h);
    CHECK(station["hourly"]["queue_mean"][h].get<double>() == doctest::Approx(lq).epsilon(0.12));
    CHECK(station["hourly"]["utilization"][h].get<double>() ==
          doctest::Approx(20.0 / 60 * 5 / 2).epsilon(0.03));
  }
  // Station intervals over the replications: the same as the totals' for a single station.
  const auto& interval = station["ci95"]["wait_min.mean"];
  CHECK(interval[0].get<double>() ==
        doctest::Approx(metrics["ci95"]["totals.wait_min.mean"][0].get<double>()));
  CHECK(interval[1].get<double>() ==
        doctest::Approx(metrics["ci95"]["totals.wait_min.mean"][1].get<double>()));
  CHECK(interval[0].get<double>() < station["wait_min"]["mean"].get<double>());
  CHECK(station["wait_min"]["mean"].get<double>() < interval[1].get<double>());
}
