// The statistics options end to end (docs/statistics.md): warnings on intervals that cannot be
// trusted, warmup_days "auto" (MSER-5), and --until (Law and Kelton's sequential procedure).
#include "../cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

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
  const Result bad = folder.h2sim("run -q " + mmc + " --until totals.wait_min.p95:five");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("expected PATH:RELATIVE") != std::string::npos);
  CHECK(bad.out.empty());
}
