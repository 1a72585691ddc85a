// `h2sim site` end to end (docs/siting.md): on a layout whose answer is plain, and bad input.
#include "../cli_support.hpp"
#include "two_clusters.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using h2sim::test::Folder;
using h2sim::test::Result;
using nlohmann::json;

namespace {

/** The siting layout (two_clusters.hpp) with decoys: D1 midway, D2 and D3 far from both. */
std::string two_clusters() {
  const std::string station = R"(, "dispensers": 4, "fill_rate_kg_per_min": 2, "overhead_min": 1})";
  return h2sim::test::two_clusters_with(R"({"id": "D1", "x_km": 100, "y_km": 0)" + station +
                                        R"(, {"id": "D2", "x_km": 100, "y_km": 150)" + station +
                                        R"(, {"id": "W", "x_km": 0, "y_km": 0)" + station +
                                        R"(, {"id": "D3", "x_km": -60, "y_km": -80)" + station +
                                        R"(, {"id": "E", "x_km": 200, "y_km": 0)" + station);
}

} // namespace

TEST_CASE("cli: site picks the station at each of two far-apart fleets, not the decoys") {
  const Folder folder;
  folder.write("two.json", two_clusters());
  const Result r =
      folder.h2sim("site -q two.json --candidates all --target 'totals.stranded<=0' --jobs 2");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const json out = json::parse(r.out);
  // W first (its fleet is the larger: alone it leaves fewer vehicles stranded), then E.
  CHECK(out["chosen"] == json::array({"W", "E"}));
  CHECK(out["open"] == json::array({"W", "E"}));
  CHECK(out["target_met"] == true);
  CHECK(out["candidates"] == json::array({"D1", "D2", "W", "D3", "E"})); // the file's order
  CHECK(out["seed"] == 11);
  CHECK(out["replications"] == 3);
  CHECK(out["metrics"]["totals.stranded"]["mean"] == 0);
  const json& steps = out["steps"];
  REQUIRE(steps.size() == 3); // add W, add E, a round of swaps that finds nothing better
  CHECK(steps[0]["phase"] == "add");
  CHECK(steps[0]["evaluated"].size() == 5);
  CHECK(steps[0]["holds"] == false);
  CHECK(steps[1]["added"] == "E");
  CHECK(steps[1]["holds"] == true);
  CHECK(steps[1]["evaluated"].size() == 4);
  CHECK(steps[2]["phase"] == "swap");
  CHECK(steps[2]["added"].is_null());
  CHECK(steps[2]["evaluated"].size() == 2 * 3);
  for (const json& step : steps) {
    CHECK_FALSE(step.contains("wall_s")); // in the run block
    CHECK(step["ci95"].contains("totals.wait_min.p95"));
  }
  // Every set once, each with 3 replications: 5 + 4 + 3 (W or E with a decoy ran at step 1).
  CHECK(steps[2]["evaluations"] == 3);
  CHECK(out["evaluations"] == 12);
  CHECK(out["simulations"] == 36);
  CHECK(out["run"]["provenance"]["command_line"][1] == "site");
  CHECK(out["warnings"] == json::array()); // none on totals.stranded's interval
  for (const json& step : steps) {
    CHECK(step["warnings"] == json::array());
  }

  SUBCASE("what the run says of the target's interval is recorded and printed, as run's") {
    const Result judged = folder.h2sim(
        "site two.json --candidates W,E --target 'totals.wait_min.p95<=1000' --jobs 2");
    REQUIRE_MESSAGE(judged.code == 0, judged.err);
    const json result = json::parse(judged.out);
    const std::string few = "totals.wait_min.p95: only 3 replications: too few to check that "
                            "their values are near normal, which the Student-t interval assumes; "
                            "run 5 replications or more";
    REQUIRE(result["warnings"].is_array());
    CHECK(result["warnings"].back() ==
          json{{"pointer", "/ci95/totals.wait_min.p95"}, {"message", few}});
    // The scenario's own warnings for the set chosen (W alone strands class 1's vehicles), then
    // the run's for the set it kept, as its step has them.
    REQUIRE(result["warnings"].size() == 2);
    CHECK(result["warnings"][0]["pointer"] == "/demand/classes/1/area");
    CHECK(result["steps"].front()["warnings"] == json::array({result["warnings"][1]}));
    CHECK(judged.err.find("h2sim: warning: /demand/classes/1/area: ") != std::string::npos);
    CHECK(judged.err.find("h2sim: warning: site: for the stations chosen: " + few + "\n") !=
          std::string::npos);
  }

  SUBCASE("from a fixed station, the other one is added, and the result is the same each time") {
    const Result fixed = folder.h2sim(
        "site -q two.json --candidates W,E,D1 --fixed E --target 'totals.stranded<=0' --jobs 2");
    REQUIRE_MESSAGE(fixed.code == 0, fixed.err);
    const json again = json::parse(fixed.out);
    CHECK(again["chosen"] == json::array({"W"}));
    CHECK(again["open"] == json::array({"E", "W"}));
    CHECK(again["steps"][0]["phase"] == "fixed");
    CHECK(again["steps"][0]["holds"] == false);
    CHECK(again["steps"][1]["metrics"] == out["metrics"]); // the same set: the same numbers
  }
}

TEST_CASE("cli: two identical site searches differ only in their run block") {
  const Folder folder;
  folder.write("two.json", two_clusters());
  const std::string command = "site -q two.json --candidates W,E,D1 --target 'totals.stranded<=0' "
                              "--swap-rounds 0 --jobs 2";
  const Result first = folder.h2sim(command);
  const Result second = folder.h2sim(command);
  REQUIRE_MESSAGE(first.code == 0, first.err);
  REQUIRE_MESSAGE(second.code == 0, second.err);
  json a = json::parse(first.out);
  json b = json::parse(second.out);
  // The wall times are the run block's, as run's: the whole search's and each step's.
  REQUIRE(a["run"]["wall_s"].is_number());
  CHECK(a["run"]["wall_s"].get<double>() >= 0);
  REQUIRE(a["run"]["steps_wall_s"].size() == a["steps"].size());
  for (const json& seconds : a["run"]["steps_wall_s"]) {
    CHECK(seconds.get<double>() >= 0);
  }
  CHECK(a["run"]["provenance"]["h2sim_version"] == h2sim::version());
  a.erase("run");
  b.erase("run");
  CHECK(a.dump() == b.dump());
}

TEST_CASE("cli: site refuses bad candidates, fixed stations and targets with exit 2") {
  const Folder folder;
  folder.write("two.json", two_clusters());
  const auto site = [&](const std::string& args) { return folder.h2sim("site two.json " + args); };
  const auto refused = [&](const std::string& args, const std::string& message) {
    h2sim::test::check_refused(site(args), message);
  };
  const std::string target = " --target 'totals.stranded<=0'";
  refused("--candidates W,Z" + target, "h2sim: --candidates: no station Z in the scenario\n");
  refused("--candidates W,E,W" + target, "h2sim: --candidates: W is listed twice\n");
  refused("--candidates W,,E" + target, "h2sim: --candidates W,,E: an empty station id\n");
  refused("--candidates W,E --fixed D1" + target,
          "h2sim: --fixed: D1 is not among the candidates\n");
  refused("--candidates W,E --fixed Q" + target, "h2sim: --fixed: no station Q in the scenario\n");
  refused("--candidates all --target 'totals.nonsense<=1'",
          "h2sim: --target totals.nonsense<=1: the metrics have no totals.nonsense\n");
  refused("--candidates all --target 'totals.stranded<0'",
          "h2sim: --target totals.stranded<0: expected METRIC<=VALUE or METRIC>=VALUE, METRIC a "
          "path of the metrics (totals.wait_min.p95, stations[id=S1].wait_min.p95, ...)\n");
  refused("--candidates all --target 'totals.stranded<=x'",
          "h2sim: --target totals.stranded<=x: the bound is not a finite number\n");
  // A target that holds nowhere is refused: the search ran every candidate to say so.
  refused("--candidates all --target 'totals.wait_min.p95<=-1'",
          "h2sim: --target totals.wait_min.p95<=-1: can never hold: no metric is negative "
          "(counts, times, amounts and costs are all 0 or more)\n");
  refused("--candidates all --target 'stations[id=W].wait_min.p95<=5'",
          "h2sim: --target stations[id=W].wait_min.p95<=5: stations[id=W].wait_min.p95: station W "
          "is not open in every set evaluated; only a --fixed station's metrics can be a target "
          "or be minimised\n");
  refused("--candidates all" + target + " --minimize totals.nope",
          "h2sim: --minimize totals.nope: the metrics have no totals.nope\n");
  // A class the fleet does not have is told before anything runs, --dry-run too.
  for (const std::string dry : {"", " --dry-run"}) {
    refused("--candidates all --target 'classes[name=taxi].wait_min.p95<=5'" + dry,
            "h2sim: --target classes[name=taxi].wait_min.p95<=5: the metrics have no "
            "classes[name=taxi].wait_min.p95 (no class taxi)\n");
    refused("--candidates all" + target + " --minimize classes.2.wait_min.mean" + dry,
            "h2sim: --minimize classes.2.wait_min.mean: the metrics have no "
            "classes.2.wait_min.mean (2 classes)\n");
    // A series leaf is a target within the scenario's bins (4 days, daily), and only there.
    refused("--candidates all --target 'totals.series.daily.balked.4<=0'" + dry,
            "h2sim: --target totals.series.daily.balked.4<=0: the metrics have no "
            "totals.series.daily.balked.4\n");
  }
  const Result series =
      site("--candidates all --target 'totals.series.daily.balked.3<=0' --dry-run");
  CHECK_MESSAGE(series.code == 0, series.err);
  refused("--candidates all" + target + " --replications 1",
          "h2sim: --replications: site needs at least 2 for a confidence interval\n");
  // Events that set open_stations override the search's choice: E was chosen though closed.
  refused("--candidates all" + target +
              " --set 'events=[{\"at_day\": 0.5, \"set\": {\"open_stations\": [\"W\"]}}]'",
          "h2sim: site: the scenario's events change open_stations (on day 0.5), which the "
          "search sets for each evaluation: the events would override its choice; remove them "
          "for the search\n");
  // At day 0 too: it replaced every set the search tried, and each scored the same.
  refused("--candidates all" + target +
              " --set 'events=[{\"at_day\": 0, \"set\": {\"open_stations\": [\"W\", \"E\"]}}]'",
          "h2sim: site: the scenario's events change open_stations (on day 0.0), which the "
          "search sets for each evaluation: the events would override its choice; remove them "
          "for the search\n");
}

TEST_CASE("cli: a one-day window ends even when the engine stops short of the timer at its end") {
  // Replication 2 of this set once lacked every station's availability and supply fields (the
  // timer at the window's end had not fired), so its replications could not be combined.
  const Folder folder;
  const Result r = folder.h2sim(
      "run -q '" + std::string(H2SIM_SOURCE_DIR) +
      "/scenarios/shanghai-2025.json' --set 'open_stations=[\"JD-01\",\"LG-01\",\"CP-01\","
      "\"JD-02\",\"BS-01\",\"LG-02\",\"JD-03\",\"CT-01\",\"CP-02\",\"PD-01\",\"JD-04\",\"CP-03\","
      "\"SJ-01\",\"BS-02\",\"JD-06\",\"LG-04\",\"JD-05\"]' --set horizon_days=1 --set "
      "warmup_days=1 --replications 3 --replication 2");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const json metrics = json::parse(r.out);
  CHECK(metrics["totals"].contains("delivered_kg"));
  CHECK(metrics["totals"].contains("outage_h"));
  for (const json& station : metrics["stations"]) {
    CHECK(station.contains("outage_h"));
  }
}
