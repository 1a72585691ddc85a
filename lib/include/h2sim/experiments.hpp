#pragma once

// Experiments over scenarios: sweeps (the full factorial of some values), their documents and CSV
// tables, and sizing (the smallest value of an integer parameter for which a target holds). The
// command line only parses its arguments into these, loads the scenarios and prints the results.

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace h2sim {

/** A sweep axis, a sizing range or a target that cannot be understood; what() says why. */
class ExperimentError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/** One axis of a sweep: a scenario path and its values (each JSON text, else a string). */
struct SweepAxis {
  std::string path;
  std::vector<std::string> values;
};

/**
 * "PATH=V1,V2,..." or "PATH=FROM:TO:STEP" (inclusive, at most 10000 values, each from + k * step
 * printed with 12 significant digits, so 0:1:0.1 gives 0.3). A list without commas whose colons
 * do not make three numbers is one value. Commas inside a JSON array, object or string do not
 * split: `open_stations=["A","B"],["C"]` is two values. Throws ExperimentError.
 */
SweepAxis parse_sweep_axis(const std::string& text);

/** The axis of `path` over the values of `list`, "V1,V2,..." or "FROM:TO:STEP" as above. */
SweepAxis sweep_axis(std::string path, const std::string& list);

/** One point of a sweep. */
struct SweepPoint {
  /** One per axis (option "--vary", or sweep_points'): PATH and VALUE as given, never joined and
   * split again. */
  std::vector<Override> overrides;
  nlohmann::ordered_json set; // {PATH: VALUE} as the sweep document shows it
  std::string name;           // "PATH=VALUE, PATH=VALUE", as messages name the point
};

/**
 * The full factorial of `axes`, the first axis outermost; ExperimentError if a path repeats or
 * the axes make more than 100000 points. `option` names an axis in messages and in the points'
 * overrides: "--vary", or Python's "vary".
 */
std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes,
                                     const std::string& option = "--vary");

/**
 * ExperimentError if two axes of `point` reach one field by different paths (`replications` and
 * `/replications`, `stations.*.dispensers` and `stations.0.dispensers`): the later would replace
 * the earlier's values at every point. Judged by the JSON pointers that `scenario`, the point
 * loaded, records as changed. PATH+=, -= and *= act on the value before them, so they may follow.
 * Returns a warning for each --set given before the axes whose every field an axis replaces
 * (`--set stations.0.dispensers+=1 --vary stations.0.dispensers=1,2`): it changes nothing.
 */
[[nodiscard]] std::vector<Warning> check_axes_apart(const Scenario& scenario,
                                                    const SweepPoint& point);

/**
 * `document` with `run.provenance` (h2sim_version, git_commit, simgrid_version) where it has none:
 * what made a sweep's, size's, site's or comparison's output, whose points carry their own.
 */
nlohmann::ordered_json with_provenance(nlohmann::ordered_json document);

/**
 * The sweep document: {"points": [{"set", "error" (with failures), "metrics"}]}, each point's
 * metrics as run() writes them but with its "error" moved up beside "set", and `unused_sets`
 * (check_axes_apart's warnings) first among each point's warnings.
 */
nlohmann::ordered_json sweep_document(const std::vector<SweepPoint>& points,
                                      const std::vector<Metrics>& metrics,
                                      const std::vector<Warning>& unused_sets = {});

/**
 * The sweep as a flat CSV table for pandas: per point, one row per finished replication
 * (`replication` = its index) of its totals' numbers and, with 2+ finished, one row of means
 * (`replication` empty) with `*.ci95_low/high`. A point with failed replications has its error in
 * its last row (the only one, without metrics, when none finished); the `error` column, if any,
 * comes last. Columns are the union over the points, in the order they first appear.
 */
std::string sweep_table(const std::vector<SweepPoint>& points, const std::vector<Metrics>& metrics);

/**
 * A run's metrics document as one long, tidy CSV table (RFC 4180), for pandas or R:
 * `table,id,kind,replication,index,metric,value`. `table` is totals, stations, classes, or
 * hourly / series for the items of an array (`index` is the hour of day, or the series' bin);
 * `id` is the station's id or the class's name; `kind` is `value` (one replication), `mean`
 * (combined over replications), `ci95_low` / `ci95_high` (the document's `ci95`) or `replication`
 * (one replication's totals, numbered in `replication`); `metric` is the dotted path in the record
 * (`wait_min.p95`, `hourly.arrivals`); `value` is the number as the document writes it.
 */
std::string metrics_table(const nlohmann::ordered_json& metrics);

/**
 * A paired comparison of scenarios run with the same seed and replications (common random
 * numbers: the same vehicles and arrival streams where the scenarios share them). For every number
 * in the totals: each scenario's mean, and for each scenario after the first its difference from
 * the first, with the paired 95% interval (Student-t over the replications' differences, the
 * replications that finished in both), the interval independent runs would give (Welch), and
 * whether the paired interval excludes 0:
 * {"compare": [labels], "seed", "replications", "metrics": [{"metric": "totals.wait_min.mean",
 * "means": [...], "differences": [{"scenario": label, "mean", "ci95", "unpaired_ci95",
 * "significant"}]}], "scenarios": [{"label", "metrics": as run() writes them}]}. Throws
 * ExperimentError when fewer than two replications finished in both of a pair.
 */
nlohmann::ordered_json compare_document(const std::vector<std::string>& labels,
                                        const std::vector<Metrics>& metrics);

/** The integers a sizing searches, inclusive. */
struct SizeRange {
  long long from = 0;
  long long to = 0;
};

/** "FROM:TO" with integers FROM <= TO; throws ExperimentError. */
SizeRange parse_size_range(const std::string& text);

/**
 * ExperimentError if `param` (a --set PATH, or a JSON pointer, with or without an operator) names
 * the experiment's own seed or replications, which every evaluation runs with (common random
 * numbers), not a parameter of the system the targets could depend on. The message ends "the
 * experiment's KEY is set with PREFIX KEY SUFFIX" (--seed; seed=).
 */
void check_size_param(const std::string& param, const std::string& prefix,
                      const std::string& suffix);

/**
 * The replications an experiment that needs intervals (size, compare) runs where the scenario
 * has fewer than 2: 5, or fewer where `until` may add no more (`max_replications`).
 */
std::size_t replications_for_intervals(bool until, std::size_t max_replications);

/** What must hold: a metric at most (or at least) a bound, with 95% confidence. */
struct SizeTarget {
  std::string text;   // as given: "totals.wait_min.p95<=5"
  std::string metric; // "totals.wait_min.p95", "stations[id=JD-03].wait_min.p95", ...
  bool at_most = true;
  double bound = 0;
};

/**
 * "METRIC<=VALUE" or "METRIC>=VALUE", METRIC a path of the metrics: `totals.LEAF`,
 * `stations.N.LEAF`, `stations[id=ID].LEAF`, `classes.N.LEAF` or `classes[name=NAME].LEAF`
 * (whether the metrics have it is known once they exist); throws ExperimentError.
 */
SizeTarget parse_size_target(const std::string& text);

/**
 * ExperimentError for a target that can never hold (at most a negative bound: no metric is
 * negative), which a search would evaluate over its whole range. A report draws any target.
 */
void check_target_can_hold(const SizeTarget& target);

/**
 * Checks, before anything runs, that the metrics of `scenario` will have the metric at `path` (as
 * --target and --minimize name it): the class or open station it selects, and its leaf. Throws
 * ExperimentError saying what they lack ("the metrics have no classes[name=taxi].wait_min.p95
 * (no class taxi)"): a typo used to be told only after the first evaluation had run.
 */
void check_metric_path(const Scenario& scenario, const std::string& path);

/**
 * check_metric_path at both ends of a sizing range (`low` at `range.from`, `high` at `range.to`
 * of `param`): where only one end lacks the metric (a station that opens only higher in an
 * open_stations range), the message names that end ("... at open_stations=1, the low end of the
 * range").
 */
void check_metric_path_in_range(const Scenario& low, const Scenario& high, const std::string& path,
                                const std::string& param, const SizeRange& range);

/**
 * Finds the smallest value of `param` in `range` for which every target holds with 95% confidence
 * (for <=, the upper end of the Student-t interval over replications is at most the bound; for >=,
 * the lower end at least), by bisection: it assumes the response is monotone. `evaluate(value)`
 * runs the scenario with the parameter at `value` (two or more replications), once per value.
 * Returns {"parameter", "target" (the first target's text; several: also "targets"), "confidence",
 * "answer" (null when the targets do not hold even at the top of the range), "evaluations":
 * [{"value", "mean", "ci95" (of the first target's metric), "holds", with several targets
 * "targets": [{"target", "mean", "ci95", "holds"}], "totals"}] in value order}. Throws RunError
 * naming the value when an evaluation has a failed replication, and ExperimentError when the
 * metrics have no such metric.
 */
nlohmann::ordered_json size(const std::string& param, const SizeRange& range,
                            const std::vector<SizeTarget>& targets,
                            const std::function<Metrics(long long value)>& evaluate);
/** size() with one target. */
nlohmann::ordered_json size(const std::string& param, const SizeRange& range,
                            const SizeTarget& target,
                            const std::function<Metrics(long long value)>& evaluate);

/**
 * What size and minimize say where `param`, set to `range.from` in `at_from` (the scenario loaded
 * with it), lands on a field that takes any number (a fill rate, a capacity): they try whole
 * values only, and an answer between two of them is not looked for. Empty where every field it
 * set takes an integer (dispensers, open_stations). The caller names the option ("--param").
 */
std::string fractional_param_warning(const Scenario& at_from, const std::string& param,
                                     const SizeRange& range);

/**
 * `warning` first among the `warnings` of a size or minimize result, which has them before its
 * `evaluations` (a result without any gets the list there).
 */
void add_first_warning(nlohmann::ordered_json& result, const std::string& warning);

/** At most this many values are searched exhaustively by minimize(). */
constexpr long long exhaustive_values = 21;

/**
 * The value of `param` in `range` whose mean of `metric` is least among the values where every
 * target holds with 95% confidence (ties: the smaller value). A range of at most
 * exhaustive_values values is evaluated whole; a larger one by grid refinement, which assumes no
 * monotonicity: 11 values evenly spread over the range (its ends included), then the same over
 * the neighbourhood (one grid step either side) of the best value so far, until the grid step is
 * 1 and that neighbourhood is evaluated whole. It can miss a minimum narrower than the first grid's
 * step. Returns {"parameter", "minimize", "targets", "confidence", "search" ("exhaustive" or
 * "grid refinement"), "answer" (null when no evaluated value meets the targets), "minimum"
 * ({"value", "mean", "ci95"}, or null), "evaluations": [{"value", "mean", "ci95" (of `metric`),
 * "holds" (every target), "targets": [{"target", "mean", "ci95", "holds"}], "totals"}] in value
 * order}. Throws as size() does.
 */
nlohmann::ordered_json minimize(const std::string& param, const SizeRange& range,
                                const std::string& metric, const std::vector<SizeTarget>& targets,
                                const std::function<Metrics(long long value)>& evaluate);

/** A scenario with candidate sites from a CSV appended to its stations (add_candidate_sites). */
struct CandidateSites {
  std::string scenario_text;    // the scenario's JSON, the sites appended to `stations`
  std::vector<std::string> ids; // the sites' ids, in the file's order
  /** The ids of each site with several `dispensers` options (ID@N, one per option, in order). */
  std::vector<std::vector<std::string>> alternatives;
};

/** The optional columns of a candidates CSV: station keys an empty cell leaves as the template's.
 */
const std::vector<std::string>& candidate_site_columns();

/**
 * Appends the candidate sites of the CSV at `csv_path` to the stations of `scenario_text` (a valid
 * scenario's JSON), none of them open: without `open_stations`, the scenario's own stations
 * become its open ones (`open_stations` = their number). The CSV (RFC 4180, header, UTF-8
 * byte-order mark and CRLF fine, a quoted value not spanning lines, at most 16 MiB and 100000
 * rows, a regular file) has columns `id` and `x_km`, `y_km` (or `lat`, `lon` in degrees, given
 * `origin`: the latitude and longitude of the scenario's (0, 0); project_equirectangular), and
 * optionally those of
 * candidate_site_columns(); other columns are ignored, blank lines skipped. Each row is a copy of
 * the template station (`template_id`, or the scenario's first station) without its `name`, with
 * the row's id, coordinates and non-empty optional values. A `dispensers` cell may list options
 * (`2|4|6`): the row is then one site per option, with ids ID@2, ID@4, ID@6 (`alternatives`). The
 * result is checked as a scenario (files found relative to `base_dir`). Throws ExperimentError at
 * the first problem, naming the file, line and column: `sites.csv:4: x_km: must be a number from
 * -100000 to 100000 (got "a")`.
 */
CandidateSites add_candidate_sites(const std::string& scenario_text, const std::string& csv_path,
                                   const std::string& template_id = "",
                                   const std::string& base_dir = ".",
                                   const std::optional<LatLon>& origin = std::nullopt);

/** What site() searches: which stations to open, from which, against which target. */
struct SiteSearch {
  std::vector<std::string> candidates; // station ids; ties go to the one listed first
  std::vector<std::string> fixed;      // open from the start, never removed; among candidates
  SizeTarget target;                   // what must hold with 95% confidence
  std::string minimize;                // a metric path; empty: improve the target's metric
  std::size_t max_added = 0;           // at most this many stations beyond `fixed`; 0: no limit
  std::size_t swap_rounds = 1000;      // rounds of 1-swaps after the forward selection; 0: none
  /** Swaps bring in only the K best runners-up of the last forward step; 0: every candidate. */
  std::size_t swap_candidates = 0;
  /**
   * Groups of candidates of which at most one may be open: one site's capacity options
   * (`PD-N1@2`, `PD-N1@4`). A group's other options leave the forward steps once one is open;
   * a swap may replace an option by another of its group (an upgrade), never open two.
   */
  std::vector<std::vector<std::string>> alternatives{};
  /**
   * Called after each step with its entry of the document's "steps" and its wall time (the
   * document keeps that in "run": "steps_wall_s").
   */
  std::function<void(const nlohmann::ordered_json& step, double wall_s)> on_step{};
};

/**
 * Runs the scenario once per set of open stations (each a list of station ids, in build order),
 * all with the same seed and replications (common random numbers), and returns their metrics in
 * order. site() calls it once per step with every set of the step, so that they run in one pool.
 */
using SiteEvaluator =
    std::function<std::vector<Metrics>(const std::vector<std::vector<std::string>>& sets)>;

/**
 * Checks a metric path for `site` on `base` (the scenario it searches) before anything runs:
 * `totals.LEAF`, `stations[id=ID].LEAF` with ID always open (one of `fixed`),
 * `classes[name=NAME].LEAF` or `classes.N.LEAF`, NAME a class of `base`, LEAF one the metrics of
 * `base` can have (a series leaf among its bins). Throws ExperimentError saying why not.
 */
void check_site_metric(const Scenario& base, const std::string& path,
                       const std::vector<std::string>& fixed);

/**
 * ExperimentError if `search` cannot run: no candidates, one listed twice, a fixed station not
 * among them, an alternative in two groups or not a candidate, two alternatives of a site fixed.
 * site()'s search checks this before it runs anything; a dry run checks it without running.
 */
void check_site_search(const SiteSearch& search);

/**
 * ExperimentError if `scenario`'s events change which stations are open: the search sets
 * open_stations for each evaluation, and the events would override its choice.
 */
void check_site_scenario(const Scenario& scenario);

/** A value the scenario's events change: where, and from when (days from the run's start). */
struct ScheduledChange {
  std::string pointer;
  double at_day = 0;
};

/**
 * The first change that `scenario`'s events make, before the run can end, to what its override
 * `set` (PATH=VALUE as given) sets, or to a part of it; nothing if they never do.
 */
std::optional<ScheduledChange> scheduled_change(const Scenario& scenario, const std::string& set);

/**
 * ExperimentError if `scenario`'s events change, before the run can end, what its override `set`
 * (size's --param PATH=VALUE) sets, or a part of it: the events would override the value sized
 * for part of each evaluation.
 */
void check_not_scheduled(const Scenario& scenario, const std::string& set);

/**
 * Chooses stations to open among `search.candidates` by simulation (docs/siting.md). From the
 * fixed set, greedy forward selection: each step evaluates every candidate not yet open added to
 * the open set, and adds the best; the best is one whose target holds with 95% confidence if any
 * (then, among those, the least mean of `minimize`, or the best mean of the target's metric),
 * else the best mean of the target's metric; ties go to the candidate listed first. It stops once
 * the target holds, at `max_added` stations or when no candidate is left. Then rounds of 1-swaps:
 * every set made by replacing one added station with one candidate not open is evaluated, and the
 * best of those significantly better than the open set is taken (target held where it was not; or
 * with the target holding in both, or in neither, an improvement of the metric larger than the
 * half-width of the paired 95% interval of the replications' differences — for a station's or a
 * class's metric, whose replications are not kept, larger than both intervals' half-widths
 * together), until none is or after `swap_rounds` rounds (with `swap_candidates` K, only the K
 * candidates that came closest to being added at the last forward step are swapped in). Returns
 * {"target", "minimize", "confidence", "candidates", "fixed", "chosen" (the added stations in build
 * order, a swap's station in the place of the one it replaced), "open" (fixed then chosen),
 * "target_met", "metrics" (of the open set: {path: {"mean", "ci95"}}), "steps": [{"step", "phase"
 * ("fixed", "add", "swap"), "added", "removed" (null when nothing changed), "stations", "holds",
 * "metrics", "ci95" (the run's), "evaluations", "simulations", "evaluated": [{"added",
 * "removed", "holds", "metrics"}]}], "evaluations", "simulations", "run": {"wall_s" (the search's),
 * "steps_wall_s" (each step's)}}: the wall times only in "run". A set evaluated twice
 * is run once. Throws RunError naming the set when an evaluation has a failed replication and
 * ExperimentError when the metrics have no such metric or the sets are not valid.
 */
nlohmann::ordered_json site(const SiteSearch& search, const SiteEvaluator& evaluate);

} // namespace h2sim
