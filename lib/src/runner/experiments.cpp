#include "../core/csv.hpp"
#include "../models/scenario_spec.hpp"
#include "../report/collector.hpp"
#include "../report/document.hpp"
#include "../report/trust.hpp"
#include "../scenario/events.hpp"
#include "../scenario/overrides.hpp"
#include "judgement.hpp"

#include <h2sim/experiments.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace h2sim {

using nlohmann::ordered_json;

SweepAxis parse_sweep_axis(const std::string& text) {
  const std::optional<Override> split = parse_override(text);
  if (!split || split->value.empty()) {
    throw ExperimentError("expected PATH=V1,V2,... or PATH=FROM:TO:STEP");
  }
  return sweep_axis(split->path, split->value);
}

SweepAxis sweep_axis(std::string path, const std::string& list) {
  if (list.empty()) {
    throw ExperimentError("expected V1,V2,... or FROM:TO:STEP");
  }
  SweepAxis axis{std::move(path), {}};
  if (list.find(',') == std::string::npos && std::count(list.begin(), list.end(), ':') == 2) {
    double from = 0;
    double to = 0;
    double step = 0;
    char colon1 = 0;
    char colon2 = 0;
    std::istringstream in(list);
    const bool numeric =
        static_cast<bool>(in >> from >> colon1 >> to >> colon2 >> step) && in.eof();
    if (!numeric) {
      return SweepAxis{axis.path, {list}}; // a single value that happens to contain colons
    }
    if (step <= 0 || to < from) {
      throw ExperimentError("a range is FROM:TO:STEP with FROM <= TO, STEP > 0");
    }
    const double count = std::floor((to - from) / step * (1 + 1e-12)) + 1;
    if (count > 10000) {
      throw ExperimentError("more than 10000 values");
    }
    for (double k = 0; k < count; ++k) {
      // from + k * step, not a running sum, and printed with 12 significant digits, so that
      // 0:1:0.1 gives 0.3, not 0.30000000000000004.
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.12g", from + k * step);
      axis.values.push_back(buffer);
    }
    return axis;
  }
  // Commas inside a JSON array, object or string belong to the value: open_stations=["A","B"],["C"]
  // is two values.
  std::string value;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (quoted) {
      if (c == '\\' && i + 1 < list.size()) { // an escaped character, a quote perhaps
        value += c;
        value += list[++i];
        continue;
      }
      quoted = c != '"';
    } else if (c == '"' && (depth > 0 || value.empty())) { // a JSON string, not a quote in text
      quoted = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ',' && depth == 0) {
      axis.values.push_back(std::move(value));
      value.clear();
      continue;
    }
    value += c;
  }
  if (!value.empty()) {
    axis.values.push_back(std::move(value)); // as getline: a trailing comma adds no value
  }
  return axis;
}

namespace {
constexpr double minutes_per_day = 1440.0;

/** Whether the JSON pointer `inner` is `outer` or a value inside it. */
bool within(const std::string& inner, const std::string& outer) {
  return inner == outer || (inner.starts_with(outer) && inner[outer.size()] == '/');
}

/**
 * A value given on the command line as JSON text, else as a string (also a number out of range,
 * 1e400, as --set takes it: the scenario's check then names its field, where it exited 1).
 */
ordered_json json_value(const std::string& text) {
  try {
    return ordered_json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return text;
  }
}

/** Where all of an axis's values go: "in one --vary" (Python: "in one axis"). */
std::string in_one_axis(const std::string& option) {
  return option == "--vary" ? "in one --vary" : "in one axis";
}

} // namespace

std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes,
                                     const std::string& option) {
  std::vector<SweepPoint> points{{{}, ordered_json::object(), ""}};
  for (std::size_t a = 0; a < axes.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      if (axes[a].path == axes[b].path) { // the later values would silently replace the earlier
        throw ExperimentError(option + " " + axes[a].path + ": given twice (list all its values " +
                              in_one_axis(option) + ")");
      }
    }
  }
  // Each axis has at most 10000 values (a range's are counted before they are listed; a list, or
  // Python's values, here); their product is bounded too, before anything is built (three axes
  // of 1000 values once ran a machine out of memory listing a billion points).
  constexpr std::size_t max_points = 100000;
  std::size_t count = 1;
  for (const SweepAxis& axis : axes) {
    if (axis.values.size() > 10000) {
      throw ExperimentError(option + " " + axis.path + ": more than 10000 values");
    }
    if (!axis.values.empty() && count > max_points / axis.values.size()) {
      throw ExperimentError(option + ": the axes make more than " + std::to_string(max_points) +
                            " points; sweep fewer values, or split the sweep");
    }
    count *= axis.values.size();
  }
  for (const SweepAxis& axis : axes) {
    std::vector<SweepPoint> next;
    for (const SweepPoint& point : points) {
      for (const std::string& value : axis.values) {
        SweepPoint extended = point;
        extended.overrides.push_back({axis.path, value, option});
        extended.set[axis.path] = json_value(value);
        extended.name += (point.overrides.empty() ? "" : ", ") + axis.path + "=" + value;
        next.push_back(std::move(extended));
      }
    }
    points = std::move(next);
  }
  return points;
}

std::vector<Warning> check_axes_apart(const Scenario& scenario, const SweepPoint& point) {
  // An axis as its option names it: "--vary PATH" (Python's "vary PATH").
  const auto path = [&](std::size_t axis) {
    return point.overrides[axis].option + " " + point.overrides[axis].path;
  };
  std::vector<std::pair<std::string, std::size_t>> changed; // (pointer, axis), as applied
  // The --set changes before the axes, and the axis (if any) that replaces each one's field.
  std::vector<std::pair<const Change*, std::optional<std::size_t>>> before;
  for (const Change& change : scenario.changes()) {
    // An axis's change by what it set and how it was written: a --set of the same value
    // (--set seed=7 --vary seed=7,8) is not the axis's.
    const auto axis =
        std::find_if(point.overrides.begin(), point.overrides.end(), [&](const Override& o) {
          return o.path + "=" + o.value == change.set && scenario::shown(o) == change.written;
        });
    if (axis == point.overrides.end()) {
      if (changed.empty()) {
        before.emplace_back(&change, std::nullopt);
        continue;
      }
      // A --set before the points' values is what they replace; --seed, --replications and
      // --series come after them, and would set every point's value alike (its label lying).
      for (const auto& [pointer, index] : changed) {
        if (within(pointer, change.pointer)) {
          // Named as written ("--series hourly", Python's "seed=7"): its value as applied
          // (series_bin_days=0.041666666666666664) is not what anyone wrote.
          throw ExperimentError(path(index) + ": " + change.written +
                                ", given for every point, replaces its values at " + pointer +
                                " (vary it or fix it, not both)");
        }
      }
      continue;
    }
    const auto index = static_cast<std::size_t>(axis - point.overrides.begin());
    // PATH+=, -= and *= act on the value before them (stations.*.dispensers=2 with
    // stations.0.dispensers+=1), as does a value set inside an earlier one (demand={...} with
    // demand.arrivals_per_h=5): only a plain = at or above an earlier axis's field replaces it.
    const bool replaces = std::string_view("+-*").find(path(index).back()) == std::string::npos;
    for (const auto& [pointer, earlier] : changed) {
      if (replaces && earlier != index && within(pointer, change.pointer)) {
        throw ExperimentError(path(earlier) + " and " + path(index) + ": both change " + pointer +
                              " (list all its values " +
                              in_one_axis(point.overrides[index].option) + ")");
      }
    }
    for (auto& [set, by] : before) {
      if (replaces && !by && within(set->pointer, change.pointer)) {
        by = index;
      }
    }
    changed.emplace_back(change.pointer, index);
  }
  // A --set whose every field an axis then replaces changes nothing at any point (a wildcard's
  // other items, or an operator after it, keep it alive). Said once, at its first field.
  std::vector<Warning> warnings;
  for (std::size_t i = 0; i < before.size(); ++i) {
    const Change& set = *before[i].first;
    const auto same = [&](const auto& other) { return other.first->set == set.set; };
    if (std::find_if(before.begin(), before.end(), same) - before.begin() !=
            static_cast<std::ptrdiff_t>(i) ||
        !std::all_of(before.begin(), before.end(),
                     [&](const auto& other) { return !same(other) || other.second; })) {
      continue;
    }
    const auto fields = std::count_if(before.begin(), before.end(), same);
    const std::string where = fields == 1 ? "at " + set.pointer
                                          : "at each of the " + std::to_string(fields) +
                                                " fields it sets (" + set.pointer + ", ...)";
    warnings.push_back({set.pointer, set.written + ": every point's " + path(*before[i].second) +
                                         " replaces it " + where +
                                         ", so it changes nothing (vary it or fix it)"});
  }
  return warnings;
}

std::optional<ScheduledChange> scheduled_change(const Scenario& scenario, const std::string& set) {
  const models::ScenarioSpec& spec = models::spec_of(scenario);
  std::optional<ScheduledChange> first;
  for (const Change& change : scenario.changes()) {
    if (change.set != set) {
      continue;
    }
    if (const auto found = scenario::first_change_by_events(spec, change.pointer);
        found && (!first || found->first / minutes_per_day < first->at_day)) {
      first = ScheduledChange{found->second, found->first / minutes_per_day};
    }
  }
  return first;
}

void check_not_scheduled(const Scenario& scenario, const std::string& set) {
  if (const auto change = scheduled_change(scenario, set)) {
    throw ExperimentError("the scenario's events change " + change->pointer + ", which " + set +
                          " sets for each evaluation: they would override it for part of "
                          "the run; remove them for the search");
  }
}

ordered_json with_provenance(ordered_json document) {
  if (!document.contains("run") || !document["run"].contains("provenance")) {
    document["run"]["provenance"] =
        report::provenance_json({"", std::string(git_commit()), simgrid_version()});
  }
  return document;
}

ordered_json sweep_document(const std::vector<SweepPoint>& points,
                            const std::vector<Metrics>& metrics,
                            const std::vector<Warning>& unused_sets) {
  ordered_json out{{"points", ordered_json::array()}};
  for (std::size_t p = 0; p < points.size(); ++p) {
    ordered_json point{{"set", points[p].set}};
    ordered_json document = report::document(metrics.at(p).data(), false);
    if (!unused_sets.empty()) {
      // First, as the point's inputs': the scenario's own come next, then the run's.
      ordered_json warnings = ordered_json::array();
      for (const Warning& unused : unused_sets) {
        warnings.push_back({{"pointer", unused.pointer}, {"message", unused.message}});
      }
      for (ordered_json& warning : document["warnings"]) {
        warnings.push_back(std::move(warning));
      }
      document["warnings"] = std::move(warnings);
    }
    if (const std::string error = metrics[p].error(); !error.empty()) {
      // The point says it failed; its metrics keep the list (replication_errors).
      point["error"] = error;
    }
    point["metrics"] = std::move(document);
    out["points"].push_back(std::move(point));
  }
  return out;
}

namespace {

using Cells = std::vector<std::pair<std::string, std::string>>;

/**
 * A point's values, one column per varied path: a string as it is, anything else as its JSON
 * (a list of stations, an object: an axis of them was left out of the table, or split).
 */
Cells varied_cells(const ordered_json& set) {
  Cells cells;
  for (const auto& [path, value] : set.items()) {
    cells.emplace_back(path, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return cells;
}

} // namespace

std::string sweep_table(const std::vector<SweepPoint>& points,
                        const std::vector<Metrics>& metrics) {
  std::vector<std::string> header{"point"};
  std::vector<Cells> rows;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const report::Aggregate& aggregate = metrics.at(p).data().aggregate;
    Cells key{{"point", std::to_string(p)}};
    for (auto& cell : varied_cells(points[p].set)) {
      key.push_back(std::move(cell));
    }
    const std::string error = metrics[p].error();
    const auto add_row = [&](const report::RecordValues* totals, bool integers,
                             const std::string& replication, bool with_intervals, bool last) {
      Cells row = key;
      row.emplace_back("replication", replication);
      if (totals != nullptr) {
        for (auto& cell : report::totals_cells(*totals, integers)) {
          row.push_back(std::move(cell));
        }
      }
      if (with_intervals) {
        for (const auto& [path, bounds] : aggregate.intervals()) {
          row.emplace_back("totals." + path + ".ci95_low", ordered_json(bounds.first).dump());
          row.emplace_back("totals." + path + ".ci95_high", ordered_json(bounds.second).dump());
        }
      }
      if (last && !error.empty()) {
        row.emplace_back("error", error);
      }
      rows.push_back(std::move(row));
    };
    const std::vector<std::size_t>& finished = aggregate.finished_indices();
    if (finished.size() > 1) {
      const std::vector<report::RecordValues>& totals = aggregate.replication_totals();
      for (std::size_t r = 0; r < totals.size(); ++r) {
        add_row(&totals[r], true, std::to_string(finished.at(r)), false, false);
      }
      const report::ReplicationValues combined = aggregate.combined();
      add_row(&combined.totals, false, "", true, true);
    } else if (finished.size() == 1) {
      add_row(&aggregate.only().totals, true, std::to_string(finished.front()), false, true);
    } else {
      add_row(nullptr, false, "", false, true);
    }
  }
  for (const Cells& row : rows) {
    for (const auto& [column, value] : row) {
      if (column != "error" && std::find(header.begin(), header.end(), column) == header.end()) {
        header.push_back(column);
      }
    }
  }
  for (const Cells& row : rows) {
    if (std::any_of(row.begin(), row.end(),
                    [](const auto& cell) { return cell.first == "error"; })) {
      header.push_back("error");
      break;
    }
  }
  std::string csv;
  for (std::size_t c = 0; c < header.size(); ++c) {
    csv += (c ? "," : "") + csv_cell(header[c]);
  }
  csv += "\n";
  for (const Cells& row : rows) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      std::string cell;
      for (const auto& [column, value] : row) {
        if (column == header[c]) {
          cell = value;
        }
      }
      csv += (c ? "," : "") + csv_cell(cell);
    }
    csv += "\n";
  }
  return csv;
}

SizeRange parse_size_range(const std::string& text) {
  SizeRange range;
  char colon = 0;
  std::istringstream in(text);
  if (!(in >> range.from >> colon >> range.to) || colon != ':' || !in.eof() ||
      range.to < range.from) {
    throw ExperimentError("expected FROM:TO with integers FROM <= TO");
  }
  return range;
}

void check_size_param(const std::string& param, const std::string& prefix,
                      const std::string& suffix) {
  std::string key = param.substr(param.starts_with('/') ? 1 : 0);
  if (!key.empty() && std::string_view("+-*").find(key.back()) != std::string_view::npos) {
    key.pop_back(); // seed+=1 changes the seed all the same
  }
  if (key == "replications" || key == "seed") {
    throw ExperimentError("not a parameter of the system (sizing needs one the targets depend on "
                          "monotonely: stations.*.dispensers, open_stations, ...); the "
                          "experiment's " +
                          key + " is set with " + prefix + key + suffix);
  }
}

std::size_t replications_for_intervals(bool until, std::size_t max_replications) {
  return until ? std::min<std::size_t>(5, max_replications) : 5;
}

namespace {
/** `text` without the spaces (and tabs) at its ends. */
std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  return first == std::string::npos ? ""
                                    : text.substr(first, text.find_last_not_of(" \t") + 1 - first);
}
} // namespace

void check_metric_path(const Scenario& scenario, const std::string& path) {
  const models::ScenarioSpec& spec = models::spec_of(scenario);
  try {
    report::check_path(
        path, report::setup_of(spec).labels,
        static_cast<std::uint32_t>(report::bins_of(spec.horizon_days, spec.bin_days())));
  } catch (const std::invalid_argument& e) {
    throw ExperimentError(e.what());
  }
}

void check_metric_path_in_range(const Scenario& low, const Scenario& high, const std::string& path,
                                const std::string& param, const SizeRange& range) {
  const auto problem = [&path](const Scenario& at) -> std::optional<std::string> {
    try {
      check_metric_path(at, path);
      return std::nullopt;
    } catch (const ExperimentError& e) {
      return e.what();
    }
  };
  const std::optional<std::string> at_low = problem(low);
  const std::optional<std::string> at_high = problem(high);
  if (at_low && at_high) {
    throw ExperimentError(*at_low);
  }
  if (at_low || at_high) {
    throw ExperimentError((at_low ? *at_low : *at_high) + " at " + param + "=" +
                          std::to_string(at_low ? range.from : range.to) + ", the " +
                          (at_low ? "low" : "high") + " end of the range");
  }
}

SizeTarget parse_size_target(const std::string& text) {
  const auto op = text.find_first_of("<>");
  const std::string metric = trimmed(text.substr(0, std::min(op, text.size())));
  const bool known = metric.rfind("totals.", 0) == 0 || metric.rfind("stations", 0) == 0 ||
                     metric.rfind("classes", 0) == 0;
  if (op == std::string::npos || op + 1 >= text.size() || text[op + 1] != '=' || !known ||
      metric.back() == '.') {
    throw ExperimentError("expected METRIC<=VALUE or METRIC>=VALUE, METRIC a path of the metrics "
                          "(totals.wait_min.p95, stations[id=S1].wait_min.p95, ...)");
  }
  SizeTarget target{text, metric, text[op] == '<', 0};
  try {
    std::size_t used = 0;
    const std::string bound = trimmed(text.substr(op + 2));
    target.bound = std::stod(bound, &used);
    if (used != bound.size() || !std::isfinite(target.bound)) {
      throw std::invalid_argument(bound);
    }
  } catch (const std::exception&) {
    throw ExperimentError("the bound is not a finite number");
  }
  return target;
}

void check_target_can_hold(const SizeTarget& target) {
  if (target.at_most && target.bound < 0) {
    // Every search would run its whole range for a target that holds nowhere (a sign slipped).
    throw ExperimentError("can never hold: no metric is negative (counts, times, amounts and "
                          "costs are all 0 or more)");
  }
}

bool bears_on(const std::string& pointer, const std::string& metric) {
  return pointer == "/ci95/" + metric ||
         (pointer == "/totals/wait_min" && metric.starts_with("totals.wait_min."));
}

bool per_kg_of_nothing(const Metrics& metrics, const std::string& path) {
  for (const std::string tail : {"economics.cost_per_kg", "economics.social_cost_per_kg"}) {
    if (path.size() <= tail.size() || !path.ends_with(tail)) {
      continue;
    }
    try {
      const report::Estimate kg = report::estimate(
          metrics.data(), path.substr(0, path.size() - tail.size()) + "dispensed_kg");
      return kg.value == 0 || std::find(kg.replications.begin(), kg.replications.end(), 0.0) !=
                                  kg.replications.end();
    } catch (const std::invalid_argument&) {
      return false;
    }
  }
  return false;
}

ordered_json per_kg_of_nothing_warning(const std::string& path) {
  return {{"pointer", "/ci95/" + path},
          {"message", path + ": nothing was dispensed (in some replication), so it is 0 by "
                             "convention: no cost to judge or compare; a target on it does not "
                             "hold, and --minimize does not take it as the least"}};
}

std::optional<ordered_json> unserved_warning(const Metrics& metrics) {
  const auto mean = [&](const std::string& field) {
    try {
      return report::estimate(metrics.data(), "totals." + field).value;
    } catch (const std::invalid_argument&) {
      return 0.0; // a field this scenario's models do not have
    }
  };
  // A visit to a closed station is a driver's detour (its hours are known), one still waiting
  // at the end is no verdict: neither counts against the service.
  const double served = mean("served");
  const double visits = mean("arrivals") - mean("diverted_closed") - mean("waiting_at_end");
  if (!(visits > 0) || served >= served_share_warned * visits) {
    return std::nullopt;
  }
  const auto count = report::count_text;
  char share[32];
  std::snprintf(share, sizeof share, "%.1f%%", 100 * served / visits);
  std::string others;
  for (const std::string field : {"turned_away_stockout", "balked", "reneged"}) {
    if (const double value = mean(field); value > 0) {
      others += (others.empty() ? "" : ", ") + field + " " + count(value);
    }
  }
  const bool replicated = metrics.finished() > 1;
  return ordered_json{
      {"pointer", "/totals/served"},
      {"message", "only " + std::string(share) + " of the visits to open stations were served (" +
                      count(served) + " of " + count(visits) +
                      (replicated ? ", means over the replications" : "") +
                      (others.empty() ? "" : "; " + others) +
                      "): waits count only the vehicles served, so they can be short where "
                      "vehicles go without; read totals.served, totals.gave_up and "
                      "totals.stranded too"}};
}

namespace {

/** A metric of an evaluation's metrics, with its interval; ExperimentError if there is none. */
report::Estimate estimate_of(const Metrics& metrics, const std::string& path) {
  try {
    report::Estimate estimate = report::estimate(metrics.data(), path);
    if (!estimate.ci95) {
      throw ExperimentError(path + ": an interval needs two or more replications");
    }
    return estimate;
  } catch (const std::invalid_argument& e) {
    throw ExperimentError(e.what());
  }
}

ordered_json interval_json(const report::Estimate& estimate) {
  return {estimate.ci95->first, estimate.ci95->second};
}

/** Evaluates values once each, keeping what the document says of them. */
class Evaluations {
public:
  /** `minimizing`: --minimize's search, where an evaluation says whether it is a candidate. */
  Evaluations(std::string param, std::string metric, const std::vector<SizeTarget>& targets,
              bool each_target, bool minimizing, const std::function<Metrics(long long)>& evaluate)
      : param_(std::move(param)), metric_(std::move(metric)), targets_(&targets),
        each_target_(each_target), minimizing_(minimizing), evaluate_(&evaluate) {}

  const ordered_json& at(long long value) {
    auto it = evaluated_.find(value);
    if (it != evaluated_.end()) {
      return it->second;
    }
    const Metrics metrics = (*evaluate_)(value);
    if (const std::string error = metrics.error(); !error.empty()) {
      // The search needs every evaluation whole: stop, naming what failed.
      throw RunError(param_ + " = " + std::to_string(value) + ": " + error);
    }
    const report::Estimate shown = estimate_of(metrics, metric_);
    bool all = true;
    ordered_json each = ordered_json::array();
    for (const SizeTarget& target : *targets_) {
      const report::Estimate e = estimate_of(metrics, target.metric);
      const bool ok =
          !per_kg_of_nothing(metrics, target.metric) &&
          (target.at_most ? e.ci95->second <= target.bound : e.ci95->first >= target.bound);
      all = all && ok;
      each.push_back(
          {{"target", target.text}, {"mean", e.value}, {"ci95", interval_json(e)}, {"holds", ok}});
    }
    const ordered_json document = metrics.json();
    ordered_json evaluation{{"value", value},
                            {"replications", document["replications"]},
                            {"mean", shown.value},
                            {"ci95", interval_json(shown)},
                            {"holds", all}};
    if (each_target_) {
      evaluation["targets"] = std::move(each);
    }
    // --minimize's metric: a value whose cost per kg is of nothing dispensed is no candidate.
    if (minimizing_ && per_kg_of_nothing(metrics, metric_)) {
      evaluation["candidate"] = false;
    }
    // What the run says of the intervals judged (too short, too few replications): as run's.
    ordered_json warnings = ordered_json::array();
    std::vector<std::string> paths{metric_};
    for (const SizeTarget& target : *targets_) {
      if (std::find(paths.begin(), paths.end(), target.metric) == paths.end()) {
        paths.push_back(target.metric);
      }
    }
    for (const std::string& path : paths) {
      if (per_kg_of_nothing(metrics, path)) {
        warnings.push_back(per_kg_of_nothing_warning(path));
      }
    }
    if (auto unserved = unserved_warning(metrics)) {
      warnings.push_back(std::move(*unserved));
    }
    for (const ordered_json& warning : document["warnings"]) {
      const std::string pointer = warning.value("pointer", "");
      const bool judged = bears_on(pointer, metric_) ||
                          std::any_of(targets_->begin(), targets_->end(), [&](const SizeTarget& t) {
                            return bears_on(pointer, t.metric);
                          });
      if (judged) {
        warnings.push_back(warning);
      }
    }
    if (!warnings.empty()) {
      evaluation["warnings"] = std::move(warnings);
    }
    evaluation["totals"] = document["totals"];
    if (evaluated_.empty()) {
      seed_ = document["seed"];
    }
    return evaluated_.emplace(value, std::move(evaluation)).first->second;
  }
  bool holds(long long value) { return at(value)["holds"].get<bool>(); }
  /** Whether each target holds at `from` or at `to` (several targets, both evaluated). */
  bool each_holds_at_an_end(long long from, long long to) {
    const ordered_json& low = at(from)["targets"];
    const ordered_json& high = at(to)["targets"];
    for (std::size_t t = 0; t < low.size() && t < high.size(); ++t) {
      if (!low[t]["holds"].get<bool>() && !high[t]["holds"].get<bool>()) {
        return false;
      }
    }
    return true;
  }

  ordered_json list() {
    ordered_json list = ordered_json::array();
    for (auto& [value, evaluation] : evaluated_) {
      list.push_back(std::move(evaluation));
    }
    return list;
  }
  const std::map<long long, ordered_json>& evaluated() const { return evaluated_; }
  /**
   * Where two or more values were evaluated and every one's totals are the same (common random
   * numbers make a parameter that changes nothing give identical runs): a warning that says so;
   * else empty. Before list(), which moves the evaluations out.
   */
  std::string unchanged_warning() const {
    if (evaluated_.size() < 2) {
      return {};
    }
    const ordered_json& first = evaluated_.begin()->second.at("totals");
    for (const auto& [value, evaluation] : evaluated_) {
      if (evaluation.at("totals") != first) {
        return {};
      }
    }
    // Named as the library's caller gave it (--param on the command line, param in Python).
    return "the " + std::to_string(evaluated_.size()) + " values of " + param_ + " evaluated (" +
           std::to_string(evaluated_.begin()->first) + " to " +
           std::to_string(evaluated_.rbegin()->first) +
           ") gave the same totals: in this scenario the parameter changes nothing (a key " +
           "another replaces, as fill_time_min replaces overhead_min and fill_rate_kg_per_min; " +
           "one its models do not read; or a limit never reached)";
  }
  /** The seed the evaluations ran with (the first one's, should the parameter be the seed). */
  const ordered_json& seed() const { return seed_; }

private:
  std::string param_;
  std::string metric_;
  const std::vector<SizeTarget>* targets_;
  bool each_target_;
  bool minimizing_;
  const std::function<Metrics(long long)>* evaluate_;
  std::map<long long, ordered_json> evaluated_;
  ordered_json seed_;
};

} // namespace

std::string fractional_param_warning(const Scenario& at_from, const std::string& param,
                                     const SizeRange& range) {
  const std::string set = param + "=" + std::to_string(range.from);
  for (const Change& change : at_from.changes()) {
    if (change.set == set && !change.takes_integer) {
      // With an operator (fill_rate+, capacity*) the whole values are the steps or factors.
      const std::string values = std::to_string(range.from) + " to " + std::to_string(range.to);
      return change.pointer + " takes any number, and size tries whole values of the parameter " +
             "only (" + values + "): values between two of them are not looked for (sweep " +
             "--vary PATH=FROM:TO:STEP tries finer ones)";
    }
  }
  return {};
}

void add_first_warning(ordered_json& result, const std::string& warning) {
  if (!result.contains("warnings")) {
    ordered_json with;
    for (auto& [key, value] : result.items()) {
      if (key == "evaluations") {
        with["warnings"] = ordered_json::array();
      }
      with[key] = std::move(value);
    }
    if (!with.contains("warnings")) { // a result without evaluations: last
      with["warnings"] = ordered_json::array();
    }
    result = std::move(with);
  }
  result["warnings"].insert(result["warnings"].begin(), warning);
}

ordered_json size(const std::string& param, const SizeRange& range, const SizeTarget& target,
                  const std::function<Metrics(long long value)>& evaluate) {
  return size(param, range, std::vector<SizeTarget>{target}, evaluate);
}

ordered_json size(const std::string& param, const SizeRange& range,
                  const std::vector<SizeTarget>& targets,
                  const std::function<Metrics(long long value)>& evaluate) {
  if (targets.empty()) {
    throw ExperimentError("size needs a target");
  }
  Evaluations evaluations(param, targets.front().metric, targets, targets.size() > 1, false,
                          evaluate);
  // Bisection for the smallest passing value, assuming the targets, once met, stay met.
  std::optional<long long> answer;
  std::string warning;
  if (!evaluations.holds(range.to)) {
    // Not met at the top: before saying no value meets them, the bottom (a response that falls
    // as the value grows, as utilization does with dispensers, is met there if anywhere).
    if (range.from < range.to && evaluations.holds(range.from)) {
      answer = range.from;
      warning = "the targets hold at " + param + " = " + std::to_string(range.from) +
                " but not at " + std::to_string(range.to) +
                ": they are not met for good once met, as size assumes; " +
                std::to_string(range.from) + " is the smallest value, and larger ones may fail";
    } else if (targets.size() > 1 && range.from + 1 < range.to &&
               evaluations.each_holds_at_an_end(range.from, range.to)) {
      // Targets that pull apart (a p95 met from some value up, a utilization only below
      // another) may all hold between the ends, and at neither; each holds at one of them.
      warning = "the targets hold at neither end of the range (" + param + " = " +
                std::to_string(range.from) + " nor " + std::to_string(range.to) +
                "); with several, values between may still meet them all, if some are met only "
                "from a value up and others only below one: size --minimize evaluates the "
                "values between, or run a sweep";
    }
  } else {
    long long low = range.from;
    long long high = range.to;
    while (low < high) {
      const long long mid = low + (high - low) / 2;
      if (evaluations.holds(mid)) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    answer = high;
  }
  ordered_json out{{"parameter", param}, {"target", targets.front().text}};
  if (targets.size() > 1) {
    out["targets"] = ordered_json::array();
    for (const SizeTarget& target : targets) {
      out["targets"].push_back(target.text);
    }
  }
  out["seed"] = evaluations.seed();
  out["confidence"] = 0.95;
  out["answer"] = answer ? ordered_json(*answer) : nullptr;
  std::vector<std::string> warnings;
  for (const std::string& each : {evaluations.unchanged_warning(), warning}) {
    if (!each.empty()) {
      warnings.push_back(each);
    }
  }
  if (!warnings.empty()) {
    out["warnings"] = warnings;
  }
  out["evaluations"] = evaluations.list();
  return out;
}

ordered_json minimize(const std::string& param, const SizeRange& range, const std::string& metric,
                      const std::vector<SizeTarget>& targets,
                      const std::function<Metrics(long long value)>& evaluate) {
  Evaluations evaluations(param, metric, targets, true, true, evaluate);
  // The best value evaluated in [from, to]: least mean among those meeting the targets.
  const auto best_in = [&](long long from, long long to) {
    std::optional<long long> best;
    double least = 0;
    for (const auto& [value, evaluation] : evaluations.evaluated()) {
      if (value < from || value > to || !evaluation["holds"].get<bool>() ||
          !evaluation.value("candidate", true)) {
        continue;
      }
      const double mean = evaluation["mean"].get<double>();
      if (!best || mean < least) {
        best = value;
        least = mean;
      }
    }
    return best;
  };
  const bool exhaustive = range.to - range.from + 1 <= exhaustive_values;
  long long from = range.from;
  long long to = range.to;
  while (true) {
    if (to - from + 1 <= exhaustive_values) {
      for (long long value = from; value <= to; ++value) {
        evaluations.at(value);
      }
      break;
    }
    const long long step = (to - from + 9) / 10; // ceil((to - from) / 10): 11 values or fewer
    for (long long value = from; value < to; value += step) {
      evaluations.at(value);
    }
    evaluations.at(to);
    const std::optional<long long> best = best_in(from, to);
    if (!best) {
      break; // no grid value meets the targets
    }
    from = std::max(from, *best - step);
    to = std::min(to, *best + step);
  }
  const std::optional<long long> answer = best_in(range.from, range.to);
  ordered_json out{{"parameter", param}, {"minimize", metric}, {"targets", ordered_json::array()}};
  for (const SizeTarget& target : targets) {
    out["targets"].push_back(target.text);
  }
  out["seed"] = evaluations.seed();
  out["confidence"] = 0.95;
  out["search"] = exhaustive ? "exhaustive" : "grid refinement";
  out["answer"] = answer ? ordered_json(*answer) : nullptr;
  if (answer) {
    const ordered_json& chosen = evaluations.evaluated().at(*answer);
    out["minimum"] = {{"value", *answer}, {"mean", chosen["mean"]}, {"ci95", chosen["ci95"]}};
  } else {
    out["minimum"] = nullptr;
  }
  if (const std::string unchanged = evaluations.unchanged_warning(); !unchanged.empty()) {
    out["warnings"] = ordered_json::array({unchanged});
  }
  out["evaluations"] = evaluations.list();
  return out;
}

namespace {

/** Every number under `value` as (dotted path, number), in document order. */
void numbers_of(const ordered_json& value, const std::string& path,
                std::vector<std::pair<std::string, double>>& out) {
  if (value.is_number()) {
    out.emplace_back(path, value.get<double>());
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      numbers_of(child, path + "." + key, out);
    }
  }
}

/**
 * The finished replications' indices, in order: of all that ran, which --until may have made
 * more than the scenario's own number (and than another scenario's).
 */
std::vector<std::size_t> finished_indices(const Metrics& metrics) {
  const std::vector<ReplicationFailure> failures = metrics.failures();
  const std::size_t replications = metrics.finished() + failures.size();
  std::vector<bool> failed(replications, false);
  for (const ReplicationFailure& failure : failures) {
    if (failure.replication < replications) {
      failed[failure.replication] = true;
    }
  }
  std::vector<std::size_t> indices;
  for (std::size_t r = 0; r < replications; ++r) {
    if (!failed[r]) {
      indices.push_back(r);
    }
  }
  return indices;
}

} // namespace

ordered_json compare_document(const std::vector<std::string>& labels,
                              const std::vector<Metrics>& metrics) {
  std::vector<ordered_json> documents;
  for (const Metrics& m : metrics) {
    documents.push_back(m.json());
  }
  const std::size_t replications = documents.front()["replications"].get<std::size_t>();
  // values[s][r] = replication r's totals of scenario s by path, for those finished.
  std::vector<std::map<std::size_t, std::map<std::string, double>>> values(metrics.size());
  for (std::size_t s = 0; s < metrics.size(); ++s) {
    const std::vector<std::size_t> finished = finished_indices(metrics[s]);
    static const ordered_json none = ordered_json::array(); // one finished: no list
    const ordered_json& totals =
        documents[s].contains("replication_totals") ? documents[s]["replication_totals"] : none;
    for (std::size_t i = 0; i < finished.size() && i < totals.size(); ++i) {
      std::vector<std::pair<std::string, double>> numbers;
      numbers_of(totals[i], "totals", numbers);
      values[s][finished[i]] = {numbers.begin(), numbers.end()};
    }
  }
  // Every metric of any scenario (one with storage has supply's, one without has not): the first
  // scenario's in its order, then each other's new ones in theirs.
  std::vector<std::string> paths;
  std::set<std::string> listed;
  for (const ordered_json& document : documents) {
    std::vector<std::pair<std::string, double>> numbers;
    numbers_of(document["totals"], "totals", numbers);
    for (const auto& [path, value] : numbers) {
      if (listed.insert(path).second) {
        paths.push_back(path);
      }
    }
  }
  ordered_json rows = ordered_json::array();
  for (const std::string& path : paths) {
    const ordered_json::json_pointer pointer = [&] {
      std::string text = "/" + path;
      std::replace(text.begin(), text.end(), '.', '/');
      return ordered_json::json_pointer(text);
    }();
    ordered_json row{{"metric", path}, {"means", ordered_json::array()}};
    for (const ordered_json& document : documents) {
      row["means"].push_back(document.contains(pointer) ? document.at(pointer) : ordered_json());
    }
    ordered_json differences = ordered_json::array();
    for (std::size_t s = 1; s < metrics.size(); ++s) {
      std::vector<double> a;
      std::vector<double> b;
      std::vector<double> paired;
      std::size_t both = 0; // replications finished in both
      for (const auto& [r, first] : values.front()) {
        const auto other = values[s].find(r);
        if (other == values[s].end()) {
          continue;
        }
        ++both;
        const auto x = first.find(path);
        const auto y = other->second.find(path);
        if (x != first.end() && y != other->second.end()) {
          a.push_back(x->second);
          b.push_back(y->second);
          paired.push_back(y->second - x->second);
        }
      }
      if (both < 2) {
        throw ExperimentError(labels[s] + " and " + labels.front() +
                              ": fewer than 2 replications finished in both");
      }
      if (paired.size() < 2) {
        differences.push_back({{"scenario", labels[s]}, {"mean", nullptr}}); // not in both
        continue;
      }
      double mean = 0;
      for (double d : paired) {
        mean += d;
      }
      mean /= static_cast<double>(paired.size());
      const auto [low, high] = ci95(paired);
      const auto [unpaired_low, unpaired_high] = welch_ci95(a, b);
      const auto average = [](const std::vector<double>& xs) {
        double sum = 0;
        for (double x : xs) {
          sum += x;
        }
        return sum / static_cast<double>(xs.size());
      };
      // The pairs' own means: the scenarios' `means` are over all each finished, which --until
      // or a failure can make other replications than the pairs.
      differences.push_back({{"scenario", labels[s]},
                             {"mean", mean},
                             {"ci95", {low, high}},
                             {"unpaired_ci95", {unpaired_low, unpaired_high}},
                             {"significant", low > 0 || high < 0},
                             {"pairs", paired.size()},
                             {"paired_means", {average(a), average(b)}}});
    }
    row["differences"] = std::move(differences);
    rows.push_back(std::move(row));
  }
  ordered_json scenarios = ordered_json::array();
  for (std::size_t s = 0; s < metrics.size(); ++s) {
    scenarios.push_back({{"label", labels[s]}, {"metrics", std::move(documents[s])}});
  }
  return {{"compare", labels},
          {"seed", scenarios.front()["metrics"]["seed"]},
          {"replications", replications},
          {"metrics", std::move(rows)},
          {"scenarios", std::move(scenarios)}};
}

} // namespace h2sim
