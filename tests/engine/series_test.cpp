// The metrics' per-bin series (series.daily): bins add up to the window's totals, scheduled
// events show in exactly their bins, bins follow series_bin_days, replications combine bin by bin.
#include "../support.hpp"
#include "models/scenario_spec.hpp"
#include "report/fields.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

using h2sim::test::problems_of;
using h2sim::test::run_text;
using h2sim::test::two_stations_on_a_pipeline;
using nlohmann::ordered_json;

namespace {

std::string shipped(const std::string& name) {
  std::ifstream in(std::string(H2SIM_SOURCE_DIR) + "/scenarios/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

double sum(const ordered_json& values) {
  double total = 0; // in order, from 0: as the totals' own sums are formed
  for (const ordered_json& v : values) {
    total += v.get<double>();
  }
  return total;
}

/**
 * Each count's bins add up to the window's count exactly; dispensed kilograms to within
 * `kg_tolerance` (relative; 0 where fills are whole kilograms), delivered ones (a pipeline's flow
 * is any double) and dry minutes to within rounding.
 */
void check_bins_add_up(const ordered_json& record, double kg_tolerance) {
  const ordered_json& daily = record["series"]["daily"];
  for (const char* key : {"arrivals", "served", "balked", "reneged", "turned_away_stockout",
                          "diverted_closed", "deliveries"}) {
    if (daily.contains(key)) {
      CAPTURE(std::string(key));
      CHECK(sum(daily[key]) == record[key].get<double>());
    }
  }
  const double dispensed = record["dispensed_kg"].get<double>();
  CHECK(std::abs(sum(daily["dispensed_kg"]) - dispensed) <=
        kg_tolerance * std::max(1.0, dispensed));
  if (daily.contains("delivered_kg")) {
    const double delivered = record["delivered_kg"].get<double>();
    CHECK(std::abs(sum(daily["delivered_kg"]) - delivered) <= 1e-12 * std::max(1.0, delivered));
  }
  if (daily.contains("stockout_min")) {
    CHECK(sum(daily["stockout_min"]) / 60 ==
          doctest::Approx(record["stockout_h"].get<double>()).epsilon(1e-9));
    CHECK(daily["inventory_end_kg"].back() == record["inventory_end_kg"]);
  }
}

/** Time averages over the bins, weighted by the bins' lengths, give the window's. */
void check_time_averages(const ordered_json& record, double bin_days, double horizon_days) {
  const ordered_json& daily = record["series"]["daily"];
  for (const char* key : {"utilization", "queue_mean"}) {
    CAPTURE(std::string(key));
    double weighted = 0;
    for (std::size_t k = 0; k < daily[key].size(); ++k) {
      const double length = std::min(bin_days, horizon_days - static_cast<double>(k) * bin_days);
      weighted += daily[key][k].get<double>() * length;
    }
    CHECK(weighted / horizon_days == doctest::Approx(record[key].get<double>()).epsilon(1e-9));
  }
}

} // namespace

TEST_CASE("series: the bins add up to the window, on a Poisson and on a fleet scenario") {
  const ordered_json poisson =
      run_text(two_stations_on_a_pipeline(R"("warmup_days": 1, "horizon_days": 6)"));
  const ordered_json& daily = poisson["totals"]["series"]["daily"];
  CHECK(daily["day"] == ordered_json::parse("[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]"));
  CHECK(daily["arrivals"].size() == 6);
  check_bins_add_up(poisson["totals"], 0); // whole kilograms: exact
  check_time_averages(poisson["totals"], 1, 6);
  for (const ordered_json& station : poisson["stations"]) {
    check_bins_add_up(station, 0);
    check_time_averages(station, 1, 6);
    CHECK_FALSE(station["series"]["daily"].contains("wait_min_p95")); // a sketch per bin: totals
  }
  // A fleet on shared roads (balking, drivers moving on, trailers): fill sizes are any doubles, so
  // kilograms summed by bin differ from the window's sums by rounding only.
  const ordered_json fleet =
      run_text(shipped("shanghai-today.json"), {{"horizon_days", "4"}, {"warmup_days", "1"}});
  REQUIRE(fleet["totals"]["series"]["daily"]["arrivals"].size() == 4);
  CHECK(fleet["totals"]["arrivals"].get<double>() > 1000);
  check_bins_add_up(fleet["totals"], 1e-12);
  check_time_averages(fleet["totals"], 1, 4);
  for (const ordered_json& station : fleet["stations"]) {
    CAPTURE(station["id"].get<std::string>());
    check_bins_add_up(station, 1e-12);
  }
  // Every series has a value per bin; the network's share over 5 minutes agrees with its p95.
  for (const auto& item : fleet["totals"]["series"]["daily"].items()) {
    CAPTURE(item.key());
    CHECK(item.value().size() == 4);
  }
  const ordered_json& network = fleet["totals"]["series"]["daily"];
  for (std::size_t k = 0; k < 4; ++k) {
    // The sketch's p95 is within 0.5% of the exact one, which exceeds 5 exactly when the share
    // over 5 minutes exceeds 5%; away from that edge the two agree.
    const double p95 = network["wait_min_p95"][k].get<double>();
    if (std::abs(p95 - 5) > 0.05) {
      CHECK((p95 > 5) == (network["waited_over_5_min_share"][k].get<double>() > 0.05));
    }
  }
}

TEST_CASE("series: a pipeline outage from day 10 to 17 delivers nothing in exactly its days") {
  const std::string outage =
      R"(, "events": [{"at_day": 10, "until_day": 17,
                       "set": {"pipelines[id=P1].capacity_kg_per_h": 0}}])";
  const ordered_json metrics =
      run_text(two_stations_on_a_pipeline(R"("warmup_days": 1, "horizon_days": 20)", outage));
  const ordered_json& daily = metrics["totals"]["series"]["daily"];
  REQUIRE(daily["day"].size() == 20);
  for (std::size_t k = 0; k < 20; ++k) {
    const double day = daily["day"][k].get<double>();
    CAPTURE(day);
    CHECK(day == static_cast<double>(k + 1));
    const double delivered = daily["delivered_kg"][k].get<double>();
    const double dry_min = daily["stockout_min"][k].get<double>();
    if (day >= 10 && day < 17) {
      CHECK(delivered == 0.0);
      for (const ordered_json& station : metrics["stations"]) {
        CHECK(station["series"]["daily"]["delivered_kg"][k] == 0.0);
      }
      if (day >= 11) { // the tanks' 200 kg last a few hours of day 10: dry all day after
        CHECK(dry_min == doctest::Approx(2 * 1440.0));
        CHECK(daily["served"][k] == 0);
        CHECK(daily["turned_away_stockout"][k] == daily["arrivals"][k]);
      }
    } else {
      // The pipeline's 50 kg/h, all of it taken, every day outside the outage.
      CHECK(delivered == doctest::Approx(24 * 50.0));
    }
  }
  check_bins_add_up(metrics["totals"], 0);
}

TEST_CASE("series: bins are series_bin_days wide, 1 day up to 400 days and 7 beyond by default") {
  h2sim::models::ScenarioSpec spec;
  spec.horizon_days = 400;
  CHECK(spec.bin_days() == 1);
  spec.horizon_days = 401;
  CHECK(spec.bin_days() == 7);
  spec.series_bin_days = 2;
  CHECK(spec.bin_days() == 2);
  CHECK(h2sim::report::bins_of(1825, 7) == 261); // 260 weeks and 5 days
  CHECK(h2sim::report::bins_of(30, 1) == 30);
  CHECK(h2sim::report::bins_of(0.5, 1) == 1);
  CHECK(h2sim::report::bins_of(30, 0) == 0);

  // 30 days in weeks: 5 bins, the last of 2 days, its time averages over its own 2 days.
  const ordered_json weekly =
      run_text(two_stations_on_a_pipeline(R"("warmup_days": 1.5, "horizon_days": 30)"),
               {{"series_bin_days", "7"}});
  const ordered_json& daily = weekly["totals"]["series"]["daily"];
  CHECK(daily["day"] == ordered_json::parse("[1.5, 8.5, 15.5, 22.5, 29.5]"));
  check_bins_add_up(weekly["totals"], 0);
  check_time_averages(weekly["totals"], 7, 30);
  CHECK(daily["delivered_kg"][4].get<double>() == doctest::Approx(2 * 24 * 50.0));

  // 0: no series at all; too many bins: refused, naming the key.
  const ordered_json none =
      run_text(two_stations_on_a_pipeline(R"("warmup_days": 0, "horizon_days": 2)"),
               {{"series_bin_days", "0"}});
  CHECK_FALSE(none["totals"].contains("series"));
  CHECK_FALSE(none["stations"][0].contains("series"));
  CHECK(problems_of(two_stations_on_a_pipeline(R"("horizon_days": 30)"),
                    {{"series_bin_days", "0.001"}}) ==
        "/series_bin_days: must be >= horizon_days / 10000 (at most 10,000 bins)\n");
}

TEST_CASE("series: replications combine bin by bin as means, the days as they are") {
  const ordered_json metrics =
      run_text(two_stations_on_a_pipeline(R"("warmup_days": 0.25, "horizon_days": 3)"),
               {{"replications", "3"}, {"series_bin_days", "0.5"}});
  const ordered_json& combined = metrics["totals"]["series"]["daily"];
  const ordered_json& each = metrics["replication_totals"];
  REQUIRE(each.size() == 3);
  CHECK(combined["day"] == ordered_json::parse("[0.25, 0.75, 1.25, 1.75, 2.25, 2.75]"));
  for (const char* key : {"arrivals", "served", "dispensed_kg", "wait_min_mean", "utilization",
                          "stockout_min", "inventory_end_kg", "wait_min_p95"}) {
    CAPTURE(std::string(key));
    for (std::size_t k = 0; k < 6; ++k) {
      double mean = 0;
      for (const ordered_json& replication : each) {
        mean += replication["series"]["daily"][key][k].get<double>();
        CHECK(replication["series"]["daily"]["day"] == combined["day"]);
      }
      CHECK(combined[key][k].get<double>() == doctest::Approx(mean / 3).epsilon(1e-12));
    }
  }
  // Replications differ (else the test shows nothing).
  CHECK(each[0]["series"]["daily"]["arrivals"] != each[1]["series"]["daily"]["arrivals"]);
}
