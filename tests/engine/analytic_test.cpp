// The engine against closed-form queueing results. Each case runs replications with fixed seeds
// (so the outcome never changes) and checks that the analytic value lies inside the Student-t 95%
// interval of the replications, widened by half (a 99.9%+ interval), and that the interval is
// narrow (under 5% of the value), so a biased engine cannot pass by noise alone.
#include "../support.hpp"
#include "queueing.hpp"

#include <doctest/doctest.h>

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
