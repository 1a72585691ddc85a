#pragma once

// The one place where metrics become text: the metrics document (JSON), the cells of a sweep's
// CSV table, and the JSON Schema of the document, all walking the field declarations.

#include "aggregate.hpp"
#include "fields.hpp"
#include "trust.hpp"

#include <h2sim/scenario.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::report {

/** Where an output comes from, besides the overrides. */
struct Provenance {
  std::string scenario_sha256; // of the scenario's text
  std::string git_commit;      // h2sim's, when built from a git checkout ("unknown" if not)
  std::string simgrid_version;
};

/** `{"scenario_sha256" (if known), "h2sim_version", "git_commit", "simgrid_version"}`. */
nlohmann::ordered_json provenance_json(const Provenance& provenance);

/** What the document repeats of the scenario it ran. */
struct Header {
  std::string scenario;
  std::uint64_t seed = 0;
  int replications = 0;
  double horizon_days = 0;
  double warmup_days = 0;
  bool automatic_warmup = false; // warmup_days "auto": each replication chose its own
  std::size_t open_stations = 0;
  std::vector<Warning> warnings;
  std::vector<Change> changes; // what the overrides changed (the output's provenance)
  Provenance provenance;       // what made the output: the run block's `provenance`
  /** `run --replication K`: the index of the one replication run (then `replications` is 1). */
  std::optional<std::uint64_t> replication;
};

/** Run until precise: a metric's wanted relative error and what the replications reached. */
struct PrecisionReached {
  std::string path;
  double wanted = 0;   // relative error gamma
  double achieved = 0; // half-width / |mean| of its 95% interval
  std::size_t max_replications = 0;
  /** Law and Kelton's rule: the relative half-width is at most gamma / (1 + gamma). */
  bool reached() const { return achieved <= wanted / (1 + wanted); }
};

/** One scenario's run: what it was, and its replications as they combine. */
struct Run {
  Header header;
  Labels labels;
  std::vector<QueueShape> queues; // the open stations', for the interval checks
  int jobs = 1;
  double wall_s = 0; // the run block's: the call's wall time, or the replications' own
  Aggregate aggregate{0};
  std::vector<PrecisionReached> precision; // with RunOptions::until, in its order
};

/**
 * The metrics document of README "Metrics": the header, the run block, the failures (with
 * `with_error`, "error" too), and the metrics over the finished replications — as they were when
 * one finished, combined with ci95 and replication_totals when more did, none when none did.
 */
nlohmann::ordered_json document(const Run& run, bool with_error = true);

/**
 * Each RunOptions::until precision the run did not reach, at /ci95/PATH, its message "PATH: " and
 * why (precision_shortfall): the document's warnings, which `run` and the module also tell.
 */
std::vector<Warning> unmet_precisions(const Run& run);

/** A metric of a run, as `size` and its targets read it. */
struct Estimate {
  double value = 0; // as the document writes it (over replications: combined as its kind says)
  /**
   * Over two or more replications: the Student-t interval of the mean, the run's own for a ci95
   * path (quantiles of waits as --quantile-interval forms them), and for a maximum or minimum
   * (combined as the max of maxima, the min of minima) the point [value, value]: a max has no
   * interval over replications, and a target on it is judged on the most extreme replication
   * (wait_min.max <= B holds when it holds in every one).
   */
  std::optional<std::pair<double, double>> ci95;
  std::vector<double> replications; // a total's value in each replication (two or more), in order
};

/**
 * The metric at `path`: `totals.LEAF`, `stations.N.LEAF` or `stations[id=ID].LEAF`,
 * `classes.N.LEAF` or `classes[name=NAME].LEAF`, LEAF as the document nests it (`wait_min.p95`,
 * `economics.cost_per_kg`, `hourly.arrivals.7`). Throws std::invalid_argument saying what the
 * metrics lack.
 */
Estimate estimate(const Run& run, const std::string& path);

/**
 * Whether a run with these labels, `bins` series bins and every group of metrics would have the
 * metric at `path` (as `estimate` takes it): throws std::invalid_argument saying what it lacks
 * ("the metrics have no classes[name=taxi].wait_min.p95 (no class taxi)").
 */
void check_path(const std::string& path, const Labels& labels, std::uint32_t bins);

/** A station or totals record's JSON; `integers`: counts as integers (one replication). */
nlohmann::ordered_json station_json(const RecordValues& values, Scope scope, bool integers);

/**
 * The scalar numbers of a totals record as CSV cells ("totals.wait_min.p95", text), in document
 * order; the text is the number as the JSON document writes it.
 */
std::vector<std::pair<std::string, std::string>> totals_cells(const RecordValues& totals,
                                                              bool integers);

/** The JSON Schema (draft 2020-12) of the metrics document, from the same declarations. */
nlohmann::ordered_json metrics_schema();

/** The reference of every metric in Markdown, from the same declarations (docs/metrics.md). */
std::string metrics_markdown();

} // namespace h2sim::report
