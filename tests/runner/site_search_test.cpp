// The siting search's rules on made-up scores: the order of the steps, ties, when it stops, and
// which 1-swaps it takes (significance from the replications' paired differences).
#include "../cli/two_clusters.hpp"
#include "runner/site.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using h2sim::SiteSearch;
using h2sim::siting::Score;
using h2sim::siting::Value;

/** A metric whose replications are mean + offsets (the same offsets: common random numbers). */
Value value(double mean, const std::vector<double>& offsets = {-1, 0, 1}) {
  Value v;
  v.mean = mean;
  for (double offset : offsets) {
    v.replications.push_back(mean + offset);
  }
  const auto [low, high] = h2sim::ci95(v.replications);
  v.low = low;
  v.high = high;
  return v;
}

/** Scores sets from a table keyed by the sorted ids joined with '+'; counts the calls. */
struct Table {
  std::map<std::string, Value> values;
  std::vector<std::size_t> batches; // the sets in each call
  std::vector<Score> operator()(const std::vector<std::vector<std::string>>& sets) {
    batches.push_back(sets.size());
    std::vector<Score> scores;
    for (std::vector<std::string> set : sets) {
      std::sort(set.begin(), set.end());
      std::string key;
      for (const std::string& id : set) {
        key += (key.empty() ? "" : "+") + id;
      }
      const auto it = values.find(key);
      if (it == values.end()) {
        throw std::logic_error("no value for " + key);
      }
      Score score;
      score.target = it->second;
      score.objective = it->second;
      score.simulations = it->second.replications.size();
      scores.push_back(score);
    }
    return scores;
  }
};

SiteSearch searching(const std::vector<std::string>& candidates, const std::string& target) {
  SiteSearch search;
  search.candidates = candidates;
  search.target = h2sim::parse_size_target(target);
  return search;
}

} // namespace

TEST_CASE("site: forward selection adds the best candidate until the target holds") {
  // From F: adding b is best (4), then c (2, whose interval [2-2.48, 2+2.48] is not yet <= 3),
  // then a (0.5: holds). Ties go to the candidate listed first: a+F and d+F are equal.
  Table table;
  table.values = {{"F", value(9)},         {"F+a", value(6)},       {"F+b", value(4)},
                  {"F+c", value(7)},       {"F+d", value(6)},       {"F+a+b", value(3.5)},
                  {"F+b+c", value(2)},     {"F+b+d", value(3.5)},   {"F+a+b+c", value(0.5)},
                  {"F+b+c+d", value(0.5)}, {"F+a+b+c+d", value(0)}, {"F+a+c+d", value(9)},
                  {"F+a+b+d", value(9)},   {"F+a+c", value(9)},     {"F+c+d", value(9)},
                  {"F+a+d", value(9)}};
  SiteSearch search = searching({"F", "a", "b", "c", "d"}, "totals.wait_min.p95<=3");
  search.fixed = {"F"};
  std::vector<std::string> logged;
  std::vector<double> step_wall_s;
  search.on_step = [&](const nlohmann::ordered_json& step, double wall_s) {
    logged.push_back(step["phase"].get<std::string>());
    step_wall_s.push_back(wall_s);
  };
  const auto out = h2sim::siting::search(search, std::ref(table));
  CHECK(out["chosen"] == nlohmann::ordered_json::array({"b", "c", "a"}));
  CHECK(out["open"] == nlohmann::ordered_json::array({"F", "b", "c", "a"}));
  CHECK(out["target_met"] == true);
  const auto& steps = out["steps"];
  REQUIRE(steps.size() == 5); // fixed, three additions, one round of swaps that finds nothing
  CHECK(steps[0]["phase"] == "fixed");
  CHECK(steps[0]["added"].is_null());
  CHECK(steps[0]["holds"] == false);
  CHECK(steps[1]["added"] == "b");
  CHECK(steps[1]["evaluated"].size() == 4);
  CHECK(steps[2]["added"] == "c");
  CHECK(steps[2]["holds"] == false);
  CHECK(steps[3]["added"] == "a");
  CHECK(steps[3]["stations"] == 4);
  CHECK(steps[3]["holds"] == true);
  CHECK(steps[3]["metrics"]["totals.wait_min.p95"]["mean"] == 0.5);
  CHECK(steps[4]["phase"] == "swap");
  CHECK(steps[4]["added"].is_null());
  CHECK(steps[4]["evaluated"].size() == 3); // b, c or a replaced by d
  // d swapped for a gives the same 0.5: not better, so nothing changes.
  CHECK(logged == std::vector<std::string>{"fixed", "add", "add", "add", "swap"});
  // Each call is one step's sets; F+b+c+d was asked for once more by the swaps but run once.
  CHECK(table.batches == std::vector<std::size_t>{1, 4, 3, 2, 2});
  CHECK(out["evaluations"] == 1 + 4 + 3 + 2 + 2);
  CHECK(out["simulations"] == 3 * (1 + 4 + 3 + 2 + 2));
  // Wall times only in the run block, so that identical searches are identical outside it.
  CHECK_FALSE(out.contains("wall_s"));
  for (const auto& step : steps) {
    CHECK_FALSE(step.contains("wall_s"));
  }
  REQUIRE(out["run"]["steps_wall_s"].size() == steps.size());
  CHECK(out["run"]["wall_s"].get<double>() >= 0);
  // The log hears each step's wall time as the document keeps it.
  CHECK(nlohmann::ordered_json(step_wall_s) == out["run"]["steps_wall_s"]);
}

TEST_CASE("site: adding stops when no candidate does better than the stations open") {
  // F alone: 9. Adding b helps (8); then every candidate makes it worse (a supply cut shared
  // thinner), so nothing more is added, though the target (<= 3) does not hold.
  Table table;
  table.values = {{"F", value(9)},      {"F+a", value(9.5)},   {"F+b", value(8)},
                  {"F+c", value(10)},   {"F+a+b", value(8.5)}, {"F+b+c", value(11)},
                  {"F+a+c", value(12)}, {"F+a+b+c", value(13)}};
  SiteSearch search = searching({"F", "a", "b", "c"}, "totals.wait_min.p95<=3");
  search.fixed = {"F"};
  search.swap_rounds = 0;
  const auto out = h2sim::siting::search(search, std::ref(table));
  CHECK(out["chosen"] == nlohmann::ordered_json::array({"b"}));
  CHECK(out["target_met"] == false);
  const auto& steps = out["steps"];
  REQUIRE(steps.size() == 3); // fixed, b added, then a step that adds nothing
  CHECK(steps[1]["added"] == "b");
  CHECK(steps[2]["phase"] == "add");
  CHECK(steps[2]["added"].is_null());
  CHECK(steps[2]["stations"] == 2);
  CHECK(steps[2]["evaluated"].size() == 2);                         // a and c, each tried
  CHECK(steps[2]["metrics"]["totals.wait_min.p95"]["mean"] == 8.0); // still F+b's
  CHECK(table.batches == std::vector<std::size_t>{1, 3, 2});
}

TEST_CASE("site: a tie goes to the candidate listed first") {
  Table table;
  table.values = {{"a", value(5)}, {"b", value(5)}, {"c", value(5)}};
  SiteSearch search = searching({"c", "b", "a"}, "totals.wait_min.p95<=10");
  const auto out = h2sim::siting::search(search, std::ref(table));
  CHECK(out["chosen"] == nlohmann::ordered_json::array({"c"}));
  CHECK(out["target_met"] == true);
}

TEST_CASE("site: max stations stops the selection, then a significantly better swap is taken") {
  // Greedy takes a (5), then b (4.5, tie with c); b and c together are far better (1): the swap
  // of a for c is taken, then no swap improves on b + c.
  Table table;
  table.values = {{"a", value(5)},     {"b", value(6)},     {"c", value(6)},
                  {"a+b", value(4.5)}, {"a+c", value(4.5)}, {"b+c", value(1)}};
  SiteSearch search = searching({"a", "b", "c"}, "totals.wait_min.p95<=0");
  search.max_added = 2;
  const auto out = h2sim::siting::search(search, std::ref(table));
  CHECK(out["chosen"] ==
        nlohmann::ordered_json::array({"c", "b"})); // c in a's place in the build order
  CHECK(out["target_met"] == false);
  const auto& steps = out["steps"];
  REQUIRE(steps.size() == 4);
  CHECK(steps[2]["phase"] == "swap");
  CHECK(steps[2]["added"] == "c");
  CHECK(steps[2]["removed"] == "a");
  CHECK(steps[2]["metrics"]["totals.wait_min.p95"]["mean"] == 1.0);
  CHECK(steps[3]["added"].is_null());
  CHECK(steps[3]["removed"].is_null());
  SUBCASE("swapping in only the best runner-up of the last step finds the same") {
    search.swap_candidates = 1; // c, the runner-up when b was added
    const auto narrow = h2sim::siting::search(search, std::ref(table));
    CHECK(narrow["chosen"] == out["chosen"]);
    CHECK(narrow["steps"][2]["evaluated"].size() == 2); // a or b replaced by c
  }
}

TEST_CASE("site: a swap better only within the noise is not taken") {
  // b + c is better on average (4.2 < 4.5), but its replications move against a + b's: the paired
  // differences (0.3 +- 3) have an interval that contains 0.
  Table table;
  table.values = {{"a", value(5)},     {"b", value(6)},     {"c", value(6)},
                  {"a+b", value(4.5)}, {"a+c", value(4.5)}, {"b+c", value(4.2, {2, 0, -2})}};
  SiteSearch search = searching({"a", "b", "c"}, "totals.wait_min.p95<=0");
  search.max_added = 2;
  const auto out = h2sim::siting::search(search, std::ref(table));
  CHECK(out["chosen"] == nlohmann::ordered_json::array({"a", "b"}));
  CHECK(out["steps"].size() == 3);
  SUBCASE("with --swap-rounds 0 no swap is tried") {
    search.swap_rounds = 0;
    CHECK(h2sim::siting::search(search, std::ref(table))["steps"].size() == 2);
  }
}

TEST_CASE("site: sets that ran different numbers of replications (--until) are paired over those "
          "both ran") {
  // b + c ran 5 replications, a + b 3. Replications 0-2 drew the same streams in both: each is
  // 0.2 better in b + c, an interval [0.2, 0.2]. Unpaired, the gain was set against both
  // intervals' half-widths (2.5 and 1.0) and the swap refused.
  Table table;
  table.values = {{"a", value(5)},     {"b", value(6)},
                  {"c", value(6)},     {"a+b", value(4.5)},
                  {"a+c", value(4.5)}, {"b+c", value(4.3, {-1, 0, 1, 0.5, -0.5})}};
  SiteSearch search = searching({"a", "b", "c"}, "totals.wait_min.p95<=0");
  search.max_added = 2;
  const auto out = h2sim::siting::search(search, std::ref(table));
  CHECK(out["chosen"] == nlohmann::ordered_json::array({"c", "b"}));
}

TEST_CASE("site: a set where the target holds beats one where it does not, then minimize decides") {
  // Target p95 <= 3 (an interval's half-width is 2.48 here) and minimise the cost: the target
  // holds with b (0.4) and with c (0.45), and c costs less; a costs least but the target fails.
  Table table;
  table.values = {{"F", value(9)}, {"F+a", value(9)}, {"F+b", value(0.4)}, {"F+c", value(0.45)}};
  SiteSearch search = searching({"F", "a", "b", "c"}, "totals.wait_min.p95<=3");
  search.fixed = {"F"};
  search.minimize = "totals.economics.cost_per_kg";
  search.swap_rounds = 0;
  const std::map<std::string, double> cost{{"F", 1}, {"F+a", 1}, {"F+b", 7}, {"F+c", 5}};
  const auto out = h2sim::siting::search(search, [&](const auto& sets) {
    std::vector<Score> scores = table(sets);
    for (std::size_t i = 0; i < sets.size(); ++i) {
      std::vector<std::string> set = sets[i];
      std::sort(set.begin(), set.end());
      std::string key;
      for (const std::string& id : set) {
        key += (key.empty() ? "" : "+") + id;
      }
      scores[i].objective = value(cost.at(key));
    }
    return scores;
  });
  CHECK(out["chosen"] == nlohmann::ordered_json::array({"c"}));
  CHECK(out["metrics"]["totals.economics.cost_per_kg"]["mean"] == 5.0);
}

TEST_CASE("site: a set that dispenses nothing is never the cheapest, nor meets a cost target") {
  // d dispenses nothing: its cost per kg is 0 by convention. It was chosen as the least cost,
  // and as meeting cost <= 1, though it serves nobody.
  Table table;
  table.values = {{"d", value(0)}, {"e", value(5)}};
  SiteSearch search = searching({"d", "e"}, "totals.economics.cost_per_kg<=1");
  search.swap_rounds = 0;
  search.max_added = 1;
  const auto d_dispenses_nothing = [&](const std::vector<std::vector<std::string>>& sets) {
    std::vector<Score> scores = table(sets);
    for (std::size_t i = 0; i < sets.size(); ++i) {
      scores[i].judges_nothing = sets[i] == std::vector<std::string>{"d"};
    }
    return scores;
  };
  const auto out = h2sim::siting::search(search, d_dispenses_nothing);
  CHECK(out["chosen"] == nlohmann::ordered_json::array({"e"}));
  CHECK(out["target_met"] == false);
  // With --minimize, and a target both meet.
  table.values = {{"d", value(0)}, {"e", value(0.5)}};
  search.target = h2sim::parse_size_target("totals.wait_min.p95<=10");
  search.minimize = "totals.economics.cost_per_kg";
  const auto least = h2sim::siting::search(search, d_dispenses_nothing);
  CHECK(least["chosen"] == nlohmann::ordered_json::array({"e"}));
  CHECK(least["target_met"] == true);
}

TEST_CASE("site: candidates listed twice and fixed stations outside them are refused") {
  Table table;
  SiteSearch search = searching({"a", "a"}, "totals.wait_min.p95<=3");
  CHECK_THROWS_WITH_AS(h2sim::siting::search(search, std::ref(table)),
                       "candidate a is listed twice", h2sim::ExperimentError);
  search.candidates = {"a", "b"};
  search.fixed = {"c"};
  CHECK_THROWS_WITH_AS(h2sim::siting::search(search, std::ref(table)),
                       "fixed station c is not among the candidates", h2sim::ExperimentError);
}

TEST_CASE("site: of a site's capacity options at most one is open, and a swap may upgrade it") {
  // s@1 and s@4 are one site with 1 or 4 dispensers. Greedy takes s@1 (5), then t: s@4 cannot
  // join s@1 (the table has no set with both, so asking for one would throw). The swap of s@1
  // for s@4 is an upgrade (4 -> 1); t is never replaced by s@4 while s@1 is open.
  Table table;
  table.values = {{"s@1", value(5)},
                  {"s@4", value(5.5)},
                  {"t", value(6)},
                  {"s@1+t", value(4)},
                  {"s@4+t", value(1)}};
  SiteSearch search = searching({"s@1", "s@4", "t"}, "totals.wait_min.p95<=0");
  search.alternatives = {std::vector<std::string>{"s@1", "s@4"}};
  search.max_added = 2;
  const auto out = h2sim::siting::search(search, std::ref(table));
  CHECK(out["chosen"] == nlohmann::ordered_json::array({"s@4", "t"}));
  CHECK(out["alternatives"] == nlohmann::ordered_json::parse(R"([["s@1", "s@4"]])"));
  const auto& steps = out["steps"];
  REQUIRE(steps.size() == 4);
  CHECK(steps[0]["evaluated"].size() == 3);
  REQUIRE(steps[1]["evaluated"].size() == 1); // t alone: s@4 is s@1's site
  CHECK(steps[1]["evaluated"][0]["added"] == "t");
  REQUIRE(steps[2]["evaluated"].size() == 1); // s@1 -> s@4 only
  CHECK(steps[2]["added"] == "s@4");
  CHECK(steps[2]["removed"] == "s@1");
  REQUIRE(steps[3]["evaluated"].size() == 1); // s@4 -> s@1 back, not better
  CHECK(steps[3]["added"].is_null());
}

TEST_CASE("site: alternatives must be candidates, in one group, and not two of them fixed") {
  Table table;
  SiteSearch search = searching({"a@1", "a@2", "b"}, "totals.wait_min.p95<=3");
  search.alternatives = {std::vector<std::string>{"a@1", "a@3"}};
  CHECK_THROWS_WITH_AS(h2sim::siting::search(search, std::ref(table)),
                       "alternative a@3 is not among the candidates", h2sim::ExperimentError);
  search.alternatives = {{"a@1", "a@2"}, {"a@2", "b"}};
  CHECK_THROWS_WITH_AS(h2sim::siting::search(search, std::ref(table)),
                       "alternative a@2 is in two groups", h2sim::ExperimentError);
  search.alternatives = {std::vector<std::string>{"a@1", "a@2"}};
  search.fixed = {"a@1", "a@2"};
  CHECK_THROWS_WITH_AS(h2sim::siting::search(search, std::ref(table)),
                       "two alternatives of one site are fixed: a@1...", h2sim::ExperimentError);
}

TEST_CASE("site: metric paths are checked against the scenario before anything runs") {
  const std::string station = R"(, "dispensers": 1, "fill_rate_kg_per_min": 2, "overhead_min": 1})";
  const h2sim::Scenario base = h2sim::load_scenario(
      h2sim::test::two_clusters_with(R"({"id": "S1", "x_km": 0, "y_km": 0)" + station +
                                     R"(, {"id": "S2", "x_km": 200, "y_km": 0)" + station));
  const auto check = [&](const std::string& path, const std::vector<std::string>& fixed) {
    h2sim::check_site_metric(base, path, fixed);
  };
  CHECK_NOTHROW(check("totals.wait_min.p95", {}));
  CHECK_NOTHROW(check("totals.economics.cost_per_kg", {}));
  CHECK_NOTHROW(check("stations[id=S1].wait_min.p95", {"S1"}));
  CHECK_NOTHROW(check("classes[name=west].detour_km_per_refuel", {}));
  CHECK_NOTHROW(check("classes.1.stranded", {}));
  // A series leaf among the scenario's bins (4 days, daily), and not beyond them.
  CHECK_NOTHROW(check("totals.series.daily.arrivals.3", {}));
  CHECK_NOTHROW(check("stations[id=S1].series.daily.served.0", {"S1"}));
  CHECK_THROWS_WITH_AS(check("totals.series.daily.arrivals.4", {}),
                       "the metrics have no totals.series.daily.arrivals.4",
                       h2sim::ExperimentError);
  CHECK_THROWS_WITH_AS(check("totals.nonsense", {}), "the metrics have no totals.nonsense",
                       h2sim::ExperimentError);
  CHECK_THROWS_WITH_AS(check("stations[id=S2].wait_min.p95", {"S1"}),
                       "stations[id=S2].wait_min.p95: station S2 is not open in every set "
                       "evaluated; only a --fixed station's metrics can be a target or be "
                       "minimised",
                       h2sim::ExperimentError);
  CHECK_THROWS_AS(check("stations.0.wait_min.p95", {}), h2sim::ExperimentError);
  CHECK_THROWS_AS(check("classes[name=west].nonsense", {}), h2sim::ExperimentError);
  CHECK_THROWS_AS(check("classes[name=taxi].stranded", {}), h2sim::ExperimentError);
  CHECK_THROWS_AS(check("classes.2.stranded", {}), h2sim::ExperimentError);
}
