// `h2sim site`: which stations to open, by greedy forward selection and 1-swaps over simulations
// with common random numbers (docs/siting.md).
#include "site.hpp"

#include "../models/scenario_spec.hpp"
#include "../report/document.hpp"
#include "judgement.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>

namespace h2sim {

using nlohmann::ordered_json;

namespace {

/**
 * The shape of a metric path for `site`: which record it names, a station only by [id=...] and
 * only one of `fixed` (always open), and a leaf after it; check_metric_path checks the leaf.
 */
void check_site_path(const std::string& path, const std::vector<std::string>& fixed) {
  const auto none = [&](const std::string& why) {
    return ExperimentError("the metrics have no " + path + why);
  };
  const auto leaf_after = [&](std::size_t at) {
    if (at >= path.size() || path[at] != '.' || at + 1 == path.size()) {
      throw none("");
    }
  };
  if (path.rfind("totals.", 0) == 0) {
    leaf_after(6);
    return;
  }
  if (path.rfind("stations[id=", 0) == 0) {
    const std::size_t end = path.find(']');
    if (end == std::string::npos) {
      throw none(" (select by [id=...])");
    }
    const std::string id = path.substr(12, end - 12);
    if (std::find(fixed.begin(), fixed.end(), id) == fixed.end()) {
      throw ExperimentError(path + ": station " + id +
                            " is not open in every set evaluated; only a --fixed station's "
                            "metrics can be a target or be minimised");
    }
    leaf_after(end + 1);
    return;
  }
  if (path.rfind("stations", 0) == 0) {
    throw ExperimentError(path + ": select a station by [id=...]: which station has which index "
                                 "changes from set to set");
  }
  if (path.rfind("classes[name=", 0) == 0 || path.rfind("classes.", 0) == 0) {
    const std::size_t end = path[7] == '[' ? path.find(']') : path.find('.', 8);
    if (end == std::string::npos) {
      throw none("");
    }
    leaf_after(end + (path[7] == '[' ? 1 : 0));
    return;
  }
  throw none(" (a metric path starts with totals., stations or classes)");
}

} // namespace

void check_site_metric(const Scenario& base, const std::string& path,
                       const std::vector<std::string>& fixed) {
  check_site_path(path, fixed);
  check_metric_path(base, path); // the leaf, among the scenario's series bins; a class by name
}

void check_site_search(const SiteSearch& search) {
  if (search.candidates.empty()) {
    throw ExperimentError("no candidates");
  }
  std::set<std::string> seen;
  for (const std::string& id : search.candidates) {
    if (!seen.insert(id).second) {
      throw ExperimentError("candidate " + id + " is listed twice");
    }
  }
  std::set<std::string> fixed;
  for (const std::string& id : search.fixed) {
    if (seen.count(id) == 0) {
      throw ExperimentError("fixed station " + id + " is not among the candidates");
    }
    if (!fixed.insert(id).second) {
      throw ExperimentError("fixed station " + id + " is listed twice");
    }
  }
  std::map<std::string, std::size_t> group; // a candidate's group of alternatives
  for (std::size_t g = 0; g < search.alternatives.size(); ++g) {
    std::size_t fixed_options = 0;
    for (const std::string& id : search.alternatives[g]) {
      if (seen.count(id) == 0) {
        throw ExperimentError("alternative " + id + " is not among the candidates");
      }
      if (!group.emplace(id, g).second) {
        throw ExperimentError("alternative " + id + " is in two groups");
      }
      fixed_options += fixed.count(id);
    }
    if (fixed_options > 1) {
      throw ExperimentError(
          "two alternatives of one site are fixed: " + search.alternatives[g].front() + "...");
    }
  }
}

namespace siting {

namespace {

using Set = std::vector<std::string>;

ordered_json value_json(const Value& value) {
  return {{"mean", value.mean}, {"ci95", {value.low, value.high}}};
}

/** Evaluations so far, by set (in id order): each set is scored once. */
class Cache {
public:
  explicit Cache(const Scorer& score) : score_(&score) {}

  /** The scores of `sets`, scoring those not seen before in one call; counts what ran. */
  std::vector<Score> operator()(const std::vector<Set>& sets) {
    std::vector<Set> fresh;
    std::set<Set> asked;
    for (const Set& set : sets) {
      const Set key = sorted(set);
      if (scores_.count(key) == 0 && asked.insert(key).second) {
        fresh.push_back(set);
      }
    }
    if (!fresh.empty()) {
      std::vector<Score> scored = (*score_)(fresh);
      for (std::size_t i = 0; i < fresh.size(); ++i) {
        simulations_ += scored.at(i).simulations;
        scores_.emplace(sorted(fresh[i]), std::move(scored[i]));
      }
    }
    evaluations_ += fresh.size();
    std::vector<Score> out;
    for (const Set& set : sets) {
      out.push_back(scores_.at(sorted(set)));
    }
    return out;
  }
  std::size_t evaluations() const { return evaluations_; }
  std::size_t simulations() const { return simulations_; }

private:
  static Set sorted(Set set) {
    std::sort(set.begin(), set.end());
    return set;
  }
  const Scorer* score_;
  std::map<Set, Score> scores_;
  std::size_t evaluations_ = 0;
  std::size_t simulations_ = 0;
};

/** The rules of the search: what holds, what is better, what is significantly better. */
class Rules {
public:
  explicit Rules(const SiteSearch& search)
      : target_(&search.target), lower_(search.minimize.empty() ? search.target.at_most : true) {}

  bool holds(const Score& score) const {
    return !score.judges_nothing && (target_->at_most ? score.target.high <= target_->bound
                                                      : score.target.low >= target_->bound);
  }

  /**
   * a before b: the one that judges something (see Score::judges_nothing); then the one
   * whose target holds; with both, the better objective; with neither, the better mean of the
   * target's metric. False on a tie (the earlier candidate stays).
   */
  bool better(const Score& a, const Score& b) const {
    if (a.judges_nothing != b.judges_nothing) {
      return b.judges_nothing; // a cost per kg of nothing dispensed, say, ranks last, not least
    }
    const bool ha = holds(a);
    if (ha != holds(b)) {
      return ha;
    }
    const bool lower = ha ? lower_ : target_->at_most;
    const double x = (ha ? a.objective : a.target).mean;
    const double y = (ha ? b.objective : b.target).mean;
    return lower ? x < y : x > y;
  }

  /** `next` is better than `now` beyond the noise (see h2sim::site). */
  bool significantly_better(const Score& next, const Score& now) const {
    if (next.judges_nothing != now.judges_nothing) {
      return now.judges_nothing;
    }
    const bool hn = holds(next);
    if (hn != holds(now)) {
      return hn;
    }
    const bool lower = hn ? lower_ : target_->at_most;
    const Value& a = hn ? next.objective : next.target;
    const Value& b = hn ? now.objective : now.target;
    const double gain = lower ? b.mean - a.mean : a.mean - b.mean;
    if (!(gain > 0)) {
      return false;
    }
    // The gain in each replication: common random numbers. Under --until two sets may have run
    // different numbers; replication r of each drew the same streams, so those both ran pair.
    const std::size_t paired = std::min(a.replications.size(), b.replications.size());
    if (paired >= 2) {
      std::vector<double> differences;
      for (std::size_t r = 0; r < paired; ++r) {
        differences.push_back(lower ? b.replications[r] - a.replications[r]
                                    : a.replications[r] - b.replications[r]);
      }
      return ci95(differences).first > 0;
    }
    return gain > (a.high - a.low) / 2 + (b.high - b.low) / 2;
  }

private:
  const SizeTarget* target_;
  bool lower_;
};

} // namespace

ordered_json search(const SiteSearch& search, const Scorer& score) {
  check_site_search(search);
  const std::set<std::string> fixed(search.fixed.begin(), search.fixed.end());
  std::map<std::string, std::size_t> group; // a candidate's group of alternatives
  for (std::size_t g = 0; g < search.alternatives.size(); ++g) {
    for (const std::string& id : search.alternatives[g]) {
      group.emplace(id, g);
    }
  }
  const Rules rules(search);
  Cache evaluate(score);
  using Clock = std::chrono::steady_clock;
  const Clock::time_point started = Clock::now();

  const auto metrics_of = [&](const Score& s) {
    ordered_json metrics{{search.target.metric, value_json(s.target)}};
    if (!search.minimize.empty()) {
      metrics[search.minimize] = value_json(s.objective);
    }
    return metrics;
  };
  std::vector<std::string> chosen; // in build order
  const auto open_with = [&](const std::vector<std::string>& added) {
    Set open = search.fixed;
    open.insert(open.end(), added.begin(), added.end());
    return open;
  };
  const auto is_open = [&](const std::string& id) {
    return fixed.count(id) > 0 || std::find(chosen.begin(), chosen.end(), id) != chosen.end();
  };
  // Whether `id` may open while `leaving` (if any) closes: no other option of its site is open.
  const auto may_open = [&](const std::string& id, const std::string* leaving) {
    const auto g = group.find(id);
    if (g == group.end()) {
      return true;
    }
    for (const std::string& other : search.alternatives[g->second]) {
      if (other != id && is_open(other) && (leaving == nullptr || other != *leaving)) {
        return false;
      }
    }
    return true;
  };
  const auto not_open = [&] {
    std::vector<std::string> ids;
    for (const std::string& id : search.candidates) {
      if (!is_open(id)) {
        ids.push_back(id);
      }
    }
    return ids;
  };

  std::optional<Score> current;
  ordered_json steps = ordered_json::array();
  ordered_json steps_wall_s = ordered_json::array(); // each step's, for the run block
  // Runs one step's sets; records the step once its change (if any) is known.
  struct Batch {
    std::vector<Score> scores;
    double wall_s = 0;
    std::size_t evaluations = 0;
    std::size_t simulations = 0;
  };
  const auto run = [&](const std::vector<Set>& sets) {
    const Clock::time_point begin = Clock::now();
    const std::size_t evaluations = evaluate.evaluations();
    const std::size_t simulations = evaluate.simulations();
    Batch batch;
    batch.scores = evaluate(sets);
    batch.wall_s = std::chrono::duration<double>(Clock::now() - begin).count();
    batch.evaluations = evaluate.evaluations() - evaluations;
    batch.simulations = evaluate.simulations() - simulations;
    return batch;
  };
  const auto record = [&](const char* phase, const ordered_json& added, const ordered_json& removed,
                          const Batch& batch, ordered_json evaluated) {
    ordered_json step{{"step", steps.size()},
                      {"phase", phase},
                      {"added", added},
                      {"removed", removed},
                      {"stations", search.fixed.size() + chosen.size()},
                      {"holds", current && rules.holds(*current)},
                      {"metrics", current ? metrics_of(*current) : ordered_json(nullptr)},
                      {"ci95", current ? current->ci95 : ordered_json::object()},
                      {"warnings", current ? current->warnings : ordered_json::array()},
                      {"evaluations", batch.evaluations},
                      {"simulations", batch.simulations},
                      {"evaluated", std::move(evaluated)}};
    if (search.on_step) {
      search.on_step(step, batch.wall_s);
    }
    steps.push_back(std::move(step));
    steps_wall_s.push_back(batch.wall_s);
  };
  const auto evaluated_json = [&](const std::string& added, const std::string* removed,
                                  const Score& s) {
    ordered_json entry{{"added", added}};
    if (removed != nullptr) {
      entry["removed"] = *removed;
    }
    entry["holds"] = rules.holds(s);
    entry["metrics"] = metrics_of(s);
    if (s.judges_nothing) { // why a set that looks good was passed over
      entry["warnings"] = s.warnings;
    }
    return entry;
  };

  // The fixed stations alone, when there are some: perhaps nothing needs adding.
  if (!search.fixed.empty()) {
    Batch batch = run({search.fixed});
    current = batch.scores.front();
    record("fixed", nullptr, nullptr, batch, ordered_json::array());
  }

  std::vector<std::string> runners_up; // of the last forward step, best first
  // Forward selection: add the best candidate until the target holds or the limit is reached.
  while (!(current && rules.holds(*current)) &&
         (search.max_added == 0 || chosen.size() < search.max_added)) {
    std::vector<std::string> candidates = not_open();
    std::erase_if(candidates, [&](const std::string& id) { return !may_open(id, nullptr); });
    if (candidates.empty()) {
      break;
    }
    std::vector<Set> sets;
    for (const std::string& id : candidates) {
      std::vector<std::string> added = chosen;
      added.push_back(id);
      sets.push_back(open_with(added));
    }
    Batch batch = run(sets);
    std::size_t best = 0;
    ordered_json evaluated = ordered_json::array();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (rules.better(batch.scores[i], batch.scores[best])) {
        best = i;
      }
      evaluated.push_back(evaluated_json(candidates[i], nullptr, batch.scores[i]));
    }
    // The runners-up, best first (a stable sort: ties in the candidates' order).
    std::vector<std::size_t> order(candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return rules.better(batch.scores[x], batch.scores[y]);
    });
    runners_up.clear();
    for (const std::size_t i : order) {
      if (i != best) {
        runners_up.push_back(candidates[i]);
      }
    }
    if (current ? !rules.better(batch.scores[best], *current) : batch.scores[best].judges_nothing) {
      // No candidate does better than the stations open (with supply cut, a new station may only
      // share it thinner): adding one anyway made the target's metric worse, step after step. Or,
      // with none open yet, not one draws a vehicle in the window. The step lists what was tried;
      // nothing is added.
      record("add", nullptr, nullptr, batch, std::move(evaluated));
      break;
    }
    chosen.push_back(candidates[best]);
    current = batch.scores[best];
    record("add", candidates[best], nullptr, batch, std::move(evaluated));
  }

  // 1-swaps: replace an added station with one not open, while that is significantly better.
  for (std::size_t round = 0; round < search.swap_rounds && current && !chosen.empty(); ++round) {
    std::vector<std::string> candidates = not_open();
    if (search.swap_candidates > 0 && !runners_up.empty()) {
      std::vector<std::string> best_first;
      for (const std::string& id : runners_up) {
        if (best_first.size() < search.swap_candidates &&
            std::find(candidates.begin(), candidates.end(), id) != candidates.end()) {
          best_first.push_back(id);
        }
      }
      candidates = std::move(best_first);
    }
    std::vector<Set> sets;
    std::vector<std::pair<std::size_t, std::size_t>> swaps; // (position in chosen, candidate)
    for (std::size_t p = 0; p < chosen.size(); ++p) {
      for (std::size_t c = 0; c < candidates.size(); ++c) {
        if (!may_open(candidates[c], &chosen[p])) {
          continue;
        }
        std::vector<std::string> added = chosen;
        added[p] = candidates[c];
        sets.push_back(open_with(added));
        swaps.emplace_back(p, c);
      }
    }
    if (sets.empty()) {
      break;
    }
    Batch batch = run(sets);
    std::optional<std::size_t> best;
    ordered_json evaluated = ordered_json::array();
    for (std::size_t k = 0; k < sets.size(); ++k) {
      const Score& s = batch.scores[k];
      if (rules.significantly_better(s, *current) &&
          (!best || rules.better(s, batch.scores[*best]))) {
        best = k;
      }
      evaluated.push_back(
          evaluated_json(candidates[swaps[k].second], &chosen[swaps[k].first], batch.scores[k]));
    }
    if (!best) {
      record("swap", nullptr, nullptr, batch, std::move(evaluated));
      break;
    }
    const std::string removed = chosen[swaps[*best].first];
    const std::string added = candidates[swaps[*best].second];
    chosen[swaps[*best].first] = added;
    current = batch.scores[*best];
    record("swap", added, removed, batch, std::move(evaluated));
  }

  ordered_json out{
      {"target", search.target.text},
      {"minimize", search.minimize.empty() ? ordered_json(nullptr) : ordered_json(search.minimize)},
      {"confidence", 0.95},
      {"candidates", search.candidates},
      {"fixed", search.fixed},
      {"max_stations",
       search.max_added == 0 ? ordered_json(nullptr) : ordered_json(search.max_added)},
      {"swap_candidates",
       search.swap_candidates == 0 ? ordered_json(nullptr) : ordered_json(search.swap_candidates)},
      {"alternatives", search.alternatives},
      {"chosen", chosen},
      {"open", open_with(chosen)},
      {"target_met", current && rules.holds(*current)},
      {"metrics", current ? metrics_of(*current) : ordered_json(nullptr)},
      {"warnings", current ? current->warnings : ordered_json::array()},
      {"steps", std::move(steps)},
      {"evaluations", evaluate.evaluations()},
      {"simulations", evaluate.simulations()},
      // Wall times apart, as a run's are, so that identical searches differ only here.
      {"run",
       {{"wall_s", std::chrono::duration<double>(Clock::now() - started).count()},
        {"steps_wall_s", std::move(steps_wall_s)}}}};
  return out;
}

} // namespace siting

namespace {

/** The metric at `path` of an evaluation, with its interval and (totals) each replication's. */
siting::Value value_of(const Metrics& metrics, const std::string& path) {
  report::Estimate estimate;
  try {
    estimate = report::estimate(metrics.data(), path);
  } catch (const std::invalid_argument& e) {
    throw ExperimentError(e.what());
  }
  if (!estimate.ci95) {
    throw ExperimentError(path + ": an interval needs two or more replications");
  }
  return {estimate.value, estimate.ci95->first, estimate.ci95->second,
          std::move(estimate.replications)};
}

std::string joined(const std::vector<std::string>& ids) {
  std::string text;
  for (const std::string& id : ids) {
    text += (text.empty() ? "" : ",") + id;
  }
  return text;
}

} // namespace

void check_site_scenario(const Scenario& scenario) {
  // Any event that sets open_stations before the run can end, one at day 0 too (it replaced
  // every set the search tried by its own, and every set scored the same).
  const models::ScenarioSpec& spec = models::spec_of(scenario);
  for (const auto& [at_min, pointer] : spec.scheduled) {
    if (pointer == "/open_stations" && at_min < spec.latest_end_min()) {
      throw ExperimentError("the scenario's events change open_stations (on day " +
                            ordered_json(at_min / 1440.0).dump() +
                            "), which the search sets for each evaluation: the events would "
                            "override its choice; remove them for the search");
    }
  }
}

ordered_json site(const SiteSearch& search, const SiteEvaluator& evaluate) {
  // The shape of each path (check_site_metric, which the caller runs on the scenario before, checks
  // its leaf too).
  check_site_path(search.target.metric, search.fixed);
  if (!search.minimize.empty()) {
    check_site_path(search.minimize, search.fixed);
  }
  const std::set<std::string> fixed(search.fixed.begin(), search.fixed.end());
  std::map<std::string, std::size_t> candidate_index; // where the site output lists each
  for (std::size_t c = 0; c < search.candidates.size(); ++c) {
    candidate_index.emplace(search.candidates[c], c);
  }
  return siting::search(search, [&](const std::vector<std::vector<std::string>>& sets) {
    const std::vector<Metrics> metrics = evaluate(sets);
    std::vector<siting::Score> scores;
    for (std::size_t i = 0; i < sets.size(); ++i) {
      const Metrics& m = metrics.at(i);
      if (const std::string error = m.error(); !error.empty()) {
        throw RunError("stations " + joined(sets[i]) + ": " + error);
      }
      siting::Score score;
      score.target = value_of(m, search.target.metric);
      score.objective = search.minimize.empty() ? score.target : value_of(m, search.minimize);
      for (const auto& [path, bounds] : m.data().aggregate.intervals()) {
        score.ci95["totals." + path] = {bounds.first, bounds.second};
      }
      score.simulations = m.finished();
      // A set that dispenses nothing has no cost per kg (0 by convention): it looked cheapest.
      for (const std::string& path : {search.target.metric, search.minimize}) {
        if (!path.empty() && per_kg_of_nothing(m, path)) {
          score.judges_nothing = true;
          score.warnings.push_back(per_kg_of_nothing_warning(path));
        }
      }
      if (auto unserved = unserved_warning(m)) {
        score.warnings.push_back(std::move(*unserved));
      }
      const ordered_json document = m.json();
      // A station added that no vehicle reached in the window changes the metrics only through
      // the vehicles still on their way to it, which count nowhere (a trip counts at its end): a
      // site out of everyone's way, or a typo in its place, looked like an improvement.
      for (const ordered_json& station : document.at("stations")) {
        const std::string id = station.value("id", "");
        const auto candidate = candidate_index.find(id);
        if (station.value("arrivals", 0.0) == 0 && !fixed.contains(id) &&
            candidate != candidate_index.end() &&
            std::find(sets[i].begin(), sets[i].end(), id) != sets[i].end()) {
          score.judges_nothing = true;
          score.warnings.push_back(
              {{"pointer", "/candidates/" + std::to_string(candidate->second)},
               {"message", "station " + id +
                               " had no arrivals in the window (in any replication): it changed "
                               "the metrics only by drawing vehicles that had not reached it by "
                               "the window's end; this set meets no target"}});
        }
      }
      for (const ordered_json& warning : document.at("warnings")) {
        const std::string pointer = warning.value("pointer", "");
        if (bears_on(pointer, search.target.metric) ||
            (!search.minimize.empty() && bears_on(pointer, search.minimize))) {
          score.warnings.push_back(warning);
        }
      }
      scores.push_back(std::move(score));
    }
    return scores;
  });
}

} // namespace h2sim
