// The statistics options end to end (docs/statistics.md): warnings on intervals that cannot be
// trusted, warmup_days "auto" (MSER-5), and --until (Law and Kelton's sequential procedure).
#include "../cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <string>

using h2sim::test::Folder;
using h2sim::test::Result;
using nlohmann::json;

namespace {
const std::string mmc = std::string("'") + H2SIM_SOURCE_DIR + "/scenarios/validation/mmc-2.json'";

bool warns(const json& metrics, const std::string& pointer) {
  for (const json& warning : metrics["warnings"]) {
    if (warning["pointer"] == pointer) {
      return true;
    }
  }
  return false;
}
} // namespace

TEST_CASE("statistics: a week at rho 0.95 without warm-up warns that its p95 interval is short") {
  const Folder folder;
  const Result r = folder.h2sim("run -q " + mmc +
                                " --replications 5 --set horizon_days=7 --set warmup_days=0 "
                                "--set demand.arrivals_per_h=22.8");
  REQUIRE(r.code == 0);
  const json metrics = json::parse(r.out);
  CHECK(warns(metrics, "/ci95/totals.wait_min.p95"));
  CHECK(warns(metrics, "/ci95/totals.wait_min.mean"));
  CHECK_FALSE(warns(metrics, "/ci95/totals.arrivals")); // arrivals do not depend on the queue
  for (const json& warning : metrics["warnings"]) {
    if (warning["pointer"] == "/ci95/totals.wait_min.p95") {
      const std::string message = warning["message"];
      CHECK(message.find("station S1") != std::string::npos);
      CHECK(message.find("use horizon_days >= ") != std::string::npos);
      CHECK(message.find("use warmup_days >= ") != std::string::npos);
    }
  }
}

TEST_CASE("statistics: 60 days at rho 0.83 after a day of warm-up warn about nothing") {
  const Folder folder;
  const Result r = folder.h2sim("run -q " + mmc + " --replications 5");
  REQUIRE(r.code == 0);
  CHECK(json::parse(r.out)["warnings"].empty());
}

TEST_CASE("statistics: warmup_days auto reports the warm-up each replication chose") {
  const Folder folder;
  const std::string args = "run -q " + mmc +
                           " --replications 3 --set horizon_days=4 --set warmup_days=auto "
                           "--set demand.arrivals_per_h=21.6";
  const Result r = folder.h2sim(args);
  REQUIRE(r.code == 0);
  const json metrics = json::parse(r.out);
  REQUIRE(metrics.contains("warmup"));
  CHECK(metrics["warmup"]["method"] == "MSER-5");
  const json& days = metrics["warmup"]["replication_days"];
  REQUIRE(days.size() == 3);
  double sum = 0;
  for (const json& d : days) {
    CHECK(d.get<double>() >= 0);
    CHECK(d.get<double>() <= 2.0); // at most half of horizon_days
    sum += d.get<double>();
  }
  CHECK(metrics["warmup_days"].get<double>() == doctest::Approx(sum / 3));
  CHECK(metrics["warmup"]["stable"].size() == 3);
  // horizon_days is still the measured time: about 21.6 arrivals/h for 4 days.
  CHECK(metrics["totals"]["arrivals"].get<double>() == doctest::Approx(21.6 * 96).epsilon(0.1));
  // Deterministic: the same command gives the same warm-ups.
  CHECK(json::parse(folder.h2sim(args).out)["warmup"] == metrics["warmup"]);
}

TEST_CASE("statistics: warmup_days auto cut at the middle of the run is not called stable") {
  // MSER keeps at least half the batches of waits, not half the time. Here most waits come
  // early (6 stations, then 3, then the fleet halved), so the first batch kept began past the
  // middle: the warm-up was cut to half the horizon, called stable, and nothing said so.
  const Folder folder;
  const std::string events =
      R"('events=[{"at_day": 0, "set": {"open_stations": 6}},)"
      R"({"at_day": 1.2, "until_day": 2.1, "set": {"open_stations": 3}},)"
      R"({"at_day": 1.5, "set": {"open_stations": 11}},)"
      R"({"at_day": 2, "until_day": 2.7, "set": {"demand.classes.*.count*": 0.5}}]')";
  const Result r = folder.h2sim(std::string("run -q '") + H2SIM_SOURCE_DIR +
                                "/scenarios/shanghai-today.json' --seed 1 --replications 3 "
                                "--set horizon_days=3 --set warmup_days=auto --set " +
                                events);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const json metrics = json::parse(r.out);
  const json& days = metrics["warmup"]["replication_days"];
  const json& stable = metrics["warmup"]["stable"];
  REQUIRE(days.size() == 3);
  std::size_t at_middle = 0;
  for (std::size_t k = 0; k < days.size(); ++k) {
    CAPTURE(k);
    CHECK(days[k].get<double>() <= 1.5);
    if (days[k] == 1.5) {
      ++at_middle;
      CHECK(stable[k] == false);
      const std::string said = "replication " + std::to_string(k) +
                               ": MSER-5 found no steady state in the first half of the run (the "
                               "first batch of waits it would keep began past the middle), so the "
                               "warm-up was cut at 1.5 days, half of horizon_days; the "
                               "replication may still be biased by its empty start: lengthen "
                               "horizon_days";
      CHECK(std::any_of(metrics["warnings"].begin(), metrics["warnings"].end(),
                        [&](const json& warning) { return warning["message"] == said; }));
    }
  }
  CHECK(at_middle >= 1);
}

TEST_CASE("statistics: warmup_days auto at light load finds the queue steady, and a pilot too "
          "short to judge is said to be so") {
  const Folder folder;
  // Utilization 0.21: most batches of five waits are all zero. A tail of them scored 0 and was
  // the cut, past the middle: 10 of these 12 replications were called unstable and warmed up
  // for half their horizon, with a warning to lengthen it.
  const Result calm = folder.h2sim("run -q " + mmc +
                                   " --replications 12 --seed 7 --jobs 2 --set horizon_days=8 "
                                   "--set warmup_days=auto --set demand.arrivals_per_h=5");
  REQUIRE(calm.code == 0);
  const json metrics = json::parse(calm.out);
  for (const json& stable : metrics["warmup"]["stable"]) {
    CHECK(stable == true);
  }
  CHECK_FALSE(warns(metrics, "/warmup_days"));
  // A tenth of a day at 5 an hour: about 12 waits, fewer than MSER-5's 4 batches of 5. No
  // warm-up is taken, and the warning says why (it said the cut was at half the horizon).
  const Result few = folder.h2sim("run -q " + mmc +
                                  " --replications 2 --set horizon_days=0.1 "
                                  "--set warmup_days=auto --set demand.arrivals_per_h=5");
  REQUIRE(few.code == 0);
  const json short_run = json::parse(few.out);
  CHECK(short_run["warmup"]["replication_days"] == json::array({0.0, 0.0}));
  CHECK(short_run["warmup"]["stable"] == json::array({false, false}));
  for (const json& warning : short_run["warnings"]) {
    if (warning["pointer"] == "/warmup_days") {
      CHECK(warning["message"].get<std::string>().find(
                ": its pilot run had fewer than 20 waits, too few for MSER-5 to choose a "
                "warm-up, so none was taken; ") != std::string::npos);
    }
  }
  CHECK(warns(short_run, "/warmup_days"));
}

TEST_CASE("statistics: warmup_days takes a number or auto, nothing else") {
  const Folder folder;
  const Result r = folder.h2sim("validate " + mmc + " --set warmup_days=soon");
  CHECK(r.code == 2);
  CHECK(r.err.find("/warmup_days: must be a number >= 0") != std::string::npos);
  CHECK(r.err.find("or \"auto\"") != std::string::npos);
  CHECK(folder.h2sim("validate " + mmc + " --set warmup_days=auto").code == 0);
}

TEST_CASE("statistics: --until adds replications until the interval is as narrow as asked") {
  const Folder folder;
  const Result r = folder.h2sim("run -q " + mmc +
                                " --set horizon_days=3 --until totals.wait_min.mean:0.1 "
                                "--until totals.utilization:0.1 --max-replications 200");
  REQUIRE(r.code == 0);
  const json metrics = json::parse(r.out);
  const int used = metrics["replications"];
  CHECK(used >= 10);
  CHECK(metrics["replication_totals"].size() == static_cast<std::size_t>(used));
  const json& mean = metrics["precision"]["totals.wait_min.mean"];
  CHECK(mean["relative"] == 0.1);
  CHECK(mean["reached"] == true);
  CHECK(mean["achieved"].get<double>() <= 0.1 / 1.1);
  // The achieved precision is that of the interval written.
  const json& ci = metrics["ci95"]["totals.wait_min.mean"];
  const double low = ci[0];
  const double high = ci[1];
  CHECK(mean["achieved"].get<double>() == doctest::Approx((high - low) / (high + low)));
}

TEST_CASE("statistics: --until stops at --max-replications and warns that it fell short") {
  const Folder folder;
  const Result r = folder.h2sim("run -q " + mmc +
                                " --set horizon_days=1 --until totals.wait_min.p99:0.001 "
                                "--max-replications 12");
  REQUIRE(r.code == 0);
  const json metrics = json::parse(r.out);
  CHECK(metrics["replications"] == 12);
  CHECK(metrics["precision"]["totals.wait_min.p99"]["reached"] == false);
  CHECK(warns(metrics, "/ci95/totals.wait_min.p99"));
}

TEST_CASE("statistics: --until names a ci95 key and a relative error, or exits 2") {
  const Folder folder;
  const Result unknown = folder.h2sim("run -q " + mmc + " --until totals.nothing:0.05");
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("--until totals.nothing:0.05: totals.nothing has no interval") !=
        std::string::npos);
  // A dry run refuses what the run would (it printed the points, exit 0).
  const Result dry = folder.h2sim("run -q " + mmc + " --until totals.nothing:0.05 --dry-run");
  CHECK(dry.code == 2);
  CHECK(dry.err == unknown.err);
  CHECK(dry.out.empty());
  const Result bad = folder.h2sim("run -q " + mmc + " --until totals.wait_min.p95:five");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("expected PATH:RELATIVE") != std::string::npos);
  CHECK(bad.out.empty());
  // Twice: the output's precision kept only the last.
  const Result twice =
      folder.h2sim("run -q " + mmc + " --until totals.served:0.1 --until totals.served:0.2");
  CHECK(twice.code == 2);
  CHECK(twice.err == "h2sim: --until totals.served given twice\n");
}

TEST_CASE("statistics: --until takes the economics keys of ci95 where the scenario has them") {
  const Folder folder;
  const std::string economics =
      R"( --set 'economics={"station":{"base_capex":1000000,"lifetime_years":20},)"
      R"("waiting_cost_per_hour":25}')";
  const Result with =
      folder.h2sim("run -q " + mmc + economics +
                   " --set horizon_days=1 --until totals.economics.social_cost_per_kg:0.2");
  CHECK(with.code == 0);
  CHECK(json::parse(with.out)["precision"].contains("totals.economics.social_cost_per_kg"));
  const Result without =
      folder.h2sim("run -q " + mmc + " --until totals.economics.social_cost_per_kg:0.2");
  CHECK(without.code == 2);
  CHECK(
      without.err.rfind("h2sim: --until totals.economics.social_cost_per_kg has no interval in "
                        "mmc-2's metrics (it has no economics block); one of totals.wait_min.mean",
                        0) == 0);
}

TEST_CASE("statistics: a failed replication under --until counts among those that ran") {
  // The scenario asks for 1, --until runs 10: one failing of them once left no output at all.
  const Folder folder;
  setenv("H2SIM_TEST_FAIL_REPLICATION", "0:7", 1);
  const Result r =
      folder.h2sim("run -q " + mmc + " --set horizon_days=0.5 --until totals.served:0.5 -o m.json");
  unsetenv("H2SIM_TEST_FAIL_REPLICATION");
  CHECK(r.code == 1);
  CHECK(r.err.find("1 of 10 replications failed; the metrics are over the other 9") !=
        std::string::npos);
  const json metrics = json::parse(h2sim::test::slurp(folder / "m.json"));
  CHECK(metrics["replications"] == 10);
  CHECK(metrics["replication_totals"].size() == 9);
}

TEST_CASE("statistics: compare under --until pairs only what both ran, and exits 1 on a failure") {
  const Folder folder;
  // The second scenario has a quarter of the traffic: its waits are rarer and noisier, and it
  // needs other numbers of replications than the first.
  std::string b =
      h2sim::test::slurp(std::string(H2SIM_SOURCE_DIR) + "/scenarios/validation/mmc-2.json");
  b.replace(b.find("\"arrivals_per_h\": 20"), 20, "\"arrivals_per_h\": 5");
  folder.write("b.json", b);
  const Result r = folder.h2sim("compare -q " + mmc +
                                " b.json --set horizon_days=0.5 --until totals.wait_min.mean:0.1");
  REQUIRE(r.code == 0);
  const json out = json::parse(r.out);
  CHECK(out["scenarios"][0]["metrics"]["replications"] !=
        out["scenarios"][1]["metrics"]["replications"]);
  for (const json& scenario : out["scenarios"]) {
    const json& metrics = scenario["metrics"];
    CHECK(metrics["replication_totals"].size() == metrics["replications"].get<std::size_t>());
    for (const json& totals : metrics["replication_totals"]) {
      CHECK(totals.is_object()); // never padded with nulls
    }
  }
  for (const json& row : out["metrics"]) {
    for (const json& difference : row["differences"]) {
      if (difference["mean"].is_null()) {
        continue;
      }
      const json& means = difference["paired_means"];
      CHECK(difference["mean"].get<double>() ==
            doctest::Approx(means[1].get<double>() - means[0].get<double>()));
    }
  }
  setenv("H2SIM_TEST_FAIL_REPLICATION", "1:2", 1);
  const Result failed =
      folder.h2sim("compare -q " + mmc + " b.json --set horizon_days=0.5 --replications 3");
  unsetenv("H2SIM_TEST_FAIL_REPLICATION");
  CHECK(failed.code == 1);
  CHECK(failed.err.find("1 replications failed; the differences are over the replications every "
                        "scenario finished") != std::string::npos);
}

TEST_CASE("cli: one replication of an overloaded station says so, though it has no interval") {
  // 10 arrivals an hour of 60-minute fills at one dispenser: ten times what it can do. Every
  // arrival counted served, waits up to 10 days in a 1-day run, and not a word.
  const Folder folder;
  folder.write("over.json", R"({"name": "overloaded", "seed": 1, "horizon_days": 1,
    "warmup_days": 0, "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 1,
    "fill_rate_kg_per_min": 1, "overhead_min": 0}],
    "demand": {"model": "poisson", "arrivals_per_h": 10, "kg_per_fill": 60}})");
  const Result r = folder.h2sim("run -q over.json");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const json out = json::parse(r.out);
  REQUIRE(out["warnings"].size() == 1);
  CHECK(out["warnings"][0]["pointer"] == "/stations/0");
  CHECK(out["warnings"][0]["message"].get<std::string>().starts_with("station S1 (utilization "));
  // At a tenth of the demand, nothing is said.
  const Result calm = folder.h2sim("run -q over.json --set demand.arrivals_per_h=0.5");
  REQUIRE(calm.code == 0);
  CHECK(json::parse(calm.out)["warnings"] == json::array());
}

TEST_CASE("statistics: a quantile's mean outside its interval (formed about the pooled waits) "
          "is said, and every quantile of waits has its interval") {
  const Folder folder;
  // 20 replications of half a day at rho 0.83: the mean of their p99 (35.2 min) lies below the
  // sectioning interval about the pooled p99 ([44.8, 71.7] about 58.3), unsaid until now.
  const Result r =
      folder.h2sim("run -q " + mmc + " --replications 20 --seed 1 --jobs 2 --set horizon_days=0.5");
  REQUIRE(r.code == 0);
  const json metrics = json::parse(r.out);
  CHECK(metrics["quantile_interval"] == "sectioning");
  std::size_t outside = 0;
  for (const char* q : {"p50", "p90", "p95", "p99"}) {
    const std::string path = std::string("totals.wait_min.") + q;
    REQUIRE(metrics["ci95"].contains(path));
    const double value = metrics["totals"]["wait_min"][q];
    const json& interval = metrics["ci95"][path];
    const bool out = value < interval[0].get<double>() || value > interval[1].get<double>();
    outside += out ? 1 : 0;
    bool said = false;
    for (const json& warning : metrics["warnings"]) {
      const std::string message = warning["message"];
      if (warning["pointer"] == "/ci95/" + path &&
          message.find("lies outside its interval") != std::string::npos) {
        said = true;
        CHECK(message.find(std::string("which is formed (--quantile-interval sectioning) about "
                                       "the ") +
                           q + " of all their waits pooled, ") != std::string::npos);
      }
    }
    CHECK(said == out);
  }
  CHECK(outside >= 1);
}

TEST_CASE("statistics: batches of hourly bins are no daily batches: the p95 is sectioned over "
          "replications, and quantile_interval says so") {
  const Folder folder;
  const std::string args =
      "run -q " + mmc + " --replications 3 --jobs 2 --set horizon_days=3 --series hourly";
  const Result hourly = folder.h2sim(args + " --quantile-interval batches");
  const Result sectioned = folder.h2sim(args);
  REQUIRE(hourly.code == 0);
  REQUIRE(sectioned.code == 0);
  const json batches = json::parse(hourly.out);
  CHECK(batches["quantile_interval"] == "sectioning");
  CHECK(batches["ci95"]["totals.wait_min.p95"] ==
        json::parse(sectioned.out)["ci95"]["totals.wait_min.p95"]);
  // Daily bins are batches.
  const Result daily = folder.h2sim("run -q " + mmc +
                                    " --replications 3 --jobs 2 --set horizon_days=3 "
                                    "--quantile-interval batches");
  REQUIRE(daily.code == 0);
  CHECK(json::parse(daily.out)["quantile_interval"] == "batches");
}

TEST_CASE("statistics: a size target on a maximum holds only where every replication's does") {
  const Folder folder;
  // At 2 dispensers the replications' largest wait is 59 min: the Student-t interval of the mean
  // of the maxima ([27.7, 39.4]) said <= 50 held, and the answer was 2.
  const Result r =
      folder.h2sim("size -q " + mmc +
                   " --replications 20 --seed 1 --jobs 2 --param stations.0.dispensers --range 2:3 "
                   "--set horizon_days=0.5 --set warmup_days=0 --target 'totals.wait_min.max<=50'");
  REQUIRE(r.code == 0);
  const json out = json::parse(r.out);
  CHECK(out["answer"] == 3);
  for (const json& evaluation : out["evaluations"]) {
    CHECK(evaluation["ci95"][0] == evaluation["mean"]);
    CHECK(evaluation["ci95"][1] == evaluation["mean"]);
    CHECK(evaluation["holds"] == (evaluation["mean"].get<double>() <= 50));
    if (evaluation["value"] == 2) {
      CHECK(evaluation["mean"] == evaluation["totals"]["wait_min"]["max"]);
      CHECK(evaluation["holds"] == false);
    }
  }
}
