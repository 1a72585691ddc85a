// compare: paired differences over common random numbers, checked by hand on a tiny case.
#include "../support.hpp"

#include <h2sim/experiments.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <map>

namespace {
// Student's t with 2 degrees of freedom has a closed form: t_p = (2p - 1) / sqrt(2p(1 - p)).
const double t_975_df2 = 0.95 / std::sqrt(2 * 0.975 * 0.025);
} // namespace

TEST_CASE(
    "compare: the paired interval is the Student-t interval of the replications' differences") {
  // One station, M/M/1-like at 1 and 2 dispensers, 3 replications each with the same seed.
  const std::string a = h2sim::test::one_station(20, 1, R"({"dist": "exponential", "mean": 2.5})");
  const h2sim::Scenario one = h2sim::load_scenario(
      a, {{"replications", "3"}, {"horizon_days", "5"}, {"warmup_days", "0.5"}});
  const h2sim::Scenario two = h2sim::load_scenario(a, {{"replications", "3"},
                                                       {"horizon_days", "5"},
                                                       {"warmup_days", "0.5"},
                                                       {"stations.0.dispensers", "2"}});
  const auto metrics = h2sim::run_all_metrics({one, two}, h2sim::RunOptions{.jobs = 2});
  const auto compared = h2sim::compare_document({"one", "two"}, metrics);
  CHECK(compared["compare"] == nlohmann::ordered_json{"one", "two"});
  CHECK(compared["replications"] == 3);
  const auto& first = compared["scenarios"][0]["metrics"]["replication_totals"];
  const auto& second = compared["scenarios"][1]["metrics"]["replication_totals"];
  // Common random numbers: the same arrivals at both.
  for (std::size_t r = 0; r < 3; ++r) {
    CHECK(first[r]["arrivals"] == second[r]["arrivals"]);
  }
  const nlohmann::ordered_json* row = nullptr;
  for (const auto& candidate : compared["metrics"]) {
    if (candidate["metric"] == "totals.wait_min.mean") {
      row = &candidate;
    }
  }
  REQUIRE(row != nullptr);
  // By hand: d_r = two_r - one_r; mean +- t(0.975, 2) x sd / sqrt(3).
  double d[3];
  double mean = 0;
  for (std::size_t r = 0; r < 3; ++r) {
    d[r] = second[r]["wait_min"]["mean"].get<double>() - first[r]["wait_min"]["mean"].get<double>();
    mean += d[r] / 3;
  }
  double squares = 0;
  for (double x : d) {
    squares += (x - mean) * (x - mean);
  }
  const double half = t_975_df2 * std::sqrt(squares / 2) / std::sqrt(3.0);
  const auto& difference = (*row)["differences"][0];
  CHECK(difference["scenario"] == "two");
  CHECK(difference["mean"].get<double>() == doctest::Approx(mean).epsilon(1e-12));
  CHECK(difference["ci95"][0].get<double>() == doctest::Approx(mean - half).epsilon(1e-12));
  CHECK(difference["ci95"][1].get<double>() == doctest::Approx(mean + half).epsilon(1e-12));
  CHECK(difference["significant"] == (mean + half < 0 || mean - half > 0));
  CHECK((*row)["means"][0] == compared["scenarios"][0]["metrics"]["totals"]["wait_min"]["mean"]);
  // A second dispenser cuts the wait, and the paired interval says so.
  CHECK(mean < 0);
  CHECK(difference["significant"] == true);
}

TEST_CASE(
    "compare: the unpaired interval is Welch's, by hand where its degrees of freedom are whole") {
  // a = {0, 2}, b = {1, 3}: each mean's variance 1, df = (1 + 1)^2 / (1 / 1 + 1 / 1) = 2.
  const auto [low, high] = h2sim::welch_ci95({0, 2}, {1, 3});
  const double half = t_975_df2 * std::sqrt(2.0);
  CHECK(low == doctest::Approx(1 - half).epsilon(1e-12));
  CHECK(high == doctest::Approx(1 + half).epsilon(1e-12));
  // Identical samples with no spread: the difference itself.
  const auto [same_low, same_high] = h2sim::welch_ci95({4, 4}, {5, 5});
  CHECK(same_low == 1);
  CHECK(same_high == 1);
}

TEST_CASE("compare: every metric of any scenario is listed, whichever comes first") {
  // Supply's metrics exist only for a station with storage: they once went missing when the
  // scenario without storage came first.
  const std::string plain = h2sim::test::one_station(10, 1, "5");
  const std::string stored = h2sim::test::one_station(
      10, 1, "5",
      R"(, "storage": {"capacity_kg": 1000, "initial_kg": 800}, "supply": {"model": "delivery",
         "payload_kg": 500, "reorder_at_kg": 300, "lead_time_h": 4})");
  const std::vector<h2sim::Override> short_run{{"replications", "2"}, {"horizon_days", "2"}};
  const h2sim::Scenario without = h2sim::load_scenario(plain, short_run);
  const h2sim::Scenario with = h2sim::load_scenario(stored, short_run);
  const auto listed = [](const nlohmann::ordered_json& compared) {
    std::map<std::string, nlohmann::ordered_json> rows;
    for (const auto& row : compared["metrics"]) {
      rows[row["metric"].get<std::string>()] = row;
    }
    return rows;
  };
  const auto plain_first = listed(h2sim::compare_document(
      {"plain", "stored"}, h2sim::run_all_metrics({without, with}, h2sim::RunOptions{})));
  const auto stored_first = listed(h2sim::compare_document(
      {"stored", "plain"}, h2sim::run_all_metrics({with, without}, h2sim::RunOptions{})));
  CHECK(plain_first.size() == stored_first.size());
  for (const auto& listed_row : stored_first) {
    CHECK_MESSAGE(plain_first.contains(listed_row.first), listed_row.first);
  }
  REQUIRE(plain_first.contains("totals.delivered_kg"));
  const auto& delivered = plain_first.at("totals.delivered_kg");
  CHECK(delivered["means"][0].is_null());
  CHECK(delivered["means"][1].get<double>() > 0);
  CHECK(delivered["differences"][0]["mean"].is_null()); // not in both
}
