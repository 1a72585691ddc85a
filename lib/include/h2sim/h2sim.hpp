#pragma once

#include <h2sim/scenario.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace h2sim {

/** The library's version, "major.minor.patch". */
std::string_view version();
/** The git commit h2sim was built from (12 hex digits, "-dirty" with uncommitted changes), or
 * "unknown" outside a git checkout. */
std::string_view git_commit();
/** The SimGrid version the library runs on. */
std::string simgrid_version();
/**
 * The cores this process may run on (its CPU affinity: taskset, a container's cpuset), at least
 * 1: what `jobs` defaults to, and what decides whether a replication has a core to spare.
 */
int available_cores();
/**
 * `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD: for a message
 * that quotes what a user gave (an option's value may be any bytes) before it is printed.
 */
std::string valid_utf8(std::string_view text);

/** A problem found in a scenario: where (a JSON pointer, "" for the whole file) and what. */
struct Problem {
  std::string pointer;
  std::string message;
  /** The problem is an option's own (a --set with a bad path), which its message names. */
  bool of_option = false;
  /**
   * "POINTER: MESSAGE", as the command line lists it; the whole file's as "(file): MESSAGE", an
   * option's as its message names it ("--set X=1: bad path").
   */
  std::string text() const {
    if (!pointer.empty()) {
      return pointer + ": " + message;
    }
    return (of_option ? "" : "(file): ") + message;
  }
};

/** Thrown when a scenario (or an override of it) is invalid; holds every problem found. */
class ScenarioError : public std::runtime_error {
public:
  explicit ScenarioError(std::vector<Problem> problems);
  const std::vector<Problem>& problems() const { return problems_; }

private:
  std::vector<Problem> problems_;
};

/** `--set PATH=VALUE`: PATH dotted (stations.0.dispensers) or a JSON pointer; VALUE JSON or text.
 */
struct Override {
  std::string path;
  std::string value;
  /**
   * The option that gave it, for messages ("--set PATH=VALUE"): "--set", or "--vary" for a sweep
   * point's value; empty for none (an event's value: "PATH=VALUE").
   */
  std::string option = "--set";
  /**
   * How the user wrote it, when an option of its own gave it: "--series hourly" for
   * series_bin_days=0.041666666666666664. Messages then quote it so, and a problem with the value
   * it set names it ("/seed: must be an integer >= 0; --seed -1 set it").
   */
  std::string as_written{};
};

/**
 * "PATH=VALUE" split at the first '=' outside brackets, so that a selection's own '=' stays in the
 * path (`stations[id=JD-03].dispensers=4`); nothing when there is no such '=' or PATH is empty.
 */
std::optional<Override> parse_override(std::string_view text);

/**
 * Parses, overrides and validates a scenario. Throws ScenarioError listing every problem: malformed
 * JSON, unknown keys, wrong types, values out of range, inconsistent values, bad overrides, bad
 * rows of a trace file. Files the scenario names (a trace) are found relative to `base_dir`.
 */
Scenario load_scenario(std::string_view json_text, const std::vector<Override>& overrides = {},
                       const std::string& base_dir = ".");

/** The same from a document built in code: exactly the checks of a file with that text. */
Scenario load_scenario_document(const nlohmann::json& document,
                                const std::vector<Override>& overrides = {},
                                const std::string& base_dir = ".");

/** The built-in default scenario (scenarios/shanghai-2025.json, compiled in). */
std::string_view default_scenario_text();

/** The JSON Schema that scenario files follow, as printed by `h2sim schema`. */
nlohmann::ordered_json scenario_json_schema();

/** The scenario reference in Markdown, from the same declarations (docs/scenario-reference.md). */
std::string scenario_reference_markdown();

/**
 * What overrides changed, as the output's `overrides` shows it: [{"set", "pointer", "before" (null:
 * absent), "after"}], in the order applied.
 */
nlohmann::ordered_json changes_json(const std::vector<Change>& changes);

/** Thrown when replications cannot be run at all (no pipe, no fork, a lost MPI rank). */
class RunError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/** Thrown when RunOptions::cancelled stopped a run; no replication process is left behind. */
class Cancelled : public RunError {
  using RunError::RunError;
};

/** How one task ended: its output, or why there is none. */
struct TaskOutcome {
  std::optional<std::string> output; // what the task returned, if it finished
  /** Otherwise: the task's exception message, or how its process ended ("killed by signal 9
   * (Killed)"). */
  std::string error;
};

/**
 * Where replications run. The default forks children on this machine; an MPI executor (in the
 * CLI) spreads them over ranks. Tasks are independent and identified by index.
 */
class Executor {
public:
  using Task = std::function<std::string(std::size_t)>;
  /** (tasks ended, tasks) as tasks end, failed ones included. */
  using Progress = std::function<void(std::size_t, std::size_t)>;
  /** (task, how it ended), in this process, once per task; the outcome is the callee's to keep. */
  using OnOutcome = std::function<void(std::size_t, TaskOutcome)>;
  virtual ~Executor() = default;
  /**
   * Runs task(i) for every i < tasks and calls on_outcome once for each, as tasks end (in any
   * order), or, for an executor that learns outcomes only at the end, then. It keeps no outcome
   * it has handed over, so memory does not grow with the number of tasks. A task that fails
   * (throws, crashes, is killed) does not stop the others. Throws RunError only when tasks cannot
   * be run at all.
   */
  virtual void execute(std::size_t tasks, const Task& task, const Progress& progress,
                       const OnOutcome& on_outcome) = 0;
};

/**
 * Runs tasks in forked child processes, at most `jobs` at once. A child's stdout and stderr never
 * reach the caller's: they go to the logger (<h2sim/log.hpp>), and the last line of what a child
 * that died without a result wrote ends its error. `cancelled` (optional) is asked in the calling
 * thread at least every 100 ms; when it says true, every child is killed and reaped and execute
 * throws Cancelled.
 */
class LocalExecutor final : public Executor {
public:
  explicit LocalExecutor(int jobs, std::function<bool()> cancelled = {})
      : jobs_(jobs), cancelled_(std::move(cancelled)) {}
  void execute(std::size_t tasks, const Task& task, const Progress& progress,
               const OnOutcome& on_outcome) override;

private:
  int jobs_;
  std::function<bool()> cancelled_;
};

/**
 * A replication that finished: which one, and its result as opaque JSON text — its metrics'
 * numbers in a compact form, not a document (what RunOptions::on_finished hands out and
 * RunOptions::finished takes back, e.g. from a journal).
 */
struct FinishedReplication {
  std::size_t point = 0; // index into run_all's scenarios
  int replication = 0;
  std::string result;
};

/** A metric to estimate until its 95% interval is this narrow: `--until PATH:RELATIVE`. */
struct Precision {
  std::string path;  // a path of ci95, e.g. "totals.wait_min.p95"
  double relative{}; // the largest relative error wanted, e.g. 0.05
};

/**
 * Why a precision was not reached, as the metrics' warning says it and `run --until` on stderr:
 * "relative half-width A after N replications, above the B that a relative error of R needs
 * (relative / (1 + relative); --max-replications M)" (Law and Kelton's rule).
 */
std::string precision_shortfall(double relative, double achieved, std::size_t replications,
                                std::size_t max_replications);

/**
 * The paths that may have a 95% interval (ci95's keys), which `Precision::path` may name: those
 * of every scenario, the economics block's included.
 */
const std::vector<std::string>& interval_paths();

/** The paths `scenario`'s metrics have a 95% interval for (no economics keys without its block). */
std::vector<std::string> interval_paths(const Scenario& scenario);

/**
 * std::invalid_argument naming the first path of `until` that `scenario` has no interval for, or
 * that `until` names twice.
 */
void check_precisions(const Scenario& scenario, const std::vector<Precision>& until);

/**
 * `PATH:RELATIVE` as `--until` takes it, e.g. "totals.wait_min.p95:0.05" (0 < RELATIVE < 1, PATH
 * one of interval_paths()); std::invalid_argument naming the text and what is wrong otherwise.
 */
Precision parse_precision(const std::string& text);

/**
 * How the 95% interval of a quantile of waits (`wait_min.p50` ... `p99` in ci95) is formed over
 * the replications (docs/statistics.md, "Quantile intervals"); other metrics always get the
 * Student-t interval of the mean of the replications' values.
 */
enum class QuantileInterval {
  replications, // Student-t over the replications' quantiles, centred on their mean
  sectioning,   // centred on the quantile of the replications' waits pooled, Student-t over the
                // replications' quantiles' deviations from it (Asmussen and Glynn 2007)
  jackknife,    // the pooled quantiles leaving out one replication at a time (pseudo-values)
  batches,      // sectioning over each replication's series bins (batch quantiles within a run;
                // p95 only, which the bins report; the others as sectioning)
};

/** Each QuantileInterval by the name `--quantile-interval` gives it. */
const std::map<std::string, QuantileInterval>& quantile_intervals_by_name();

/** How to run scenarios' replications. */
struct RunOptions {
  int jobs = 1; // replications running at once on this machine, each in its own process
  /** Called after each replication ends, with (ended, total) over the whole call. */
  Executor::Progress on_progress{};
  Executor* executor = nullptr; // null: a LocalExecutor with `jobs`
  /**
   * Replications that finished earlier (a resumed sweep): their results are used, not rerun (one
   * that cannot be read is rerun).
   */
  std::vector<FinishedReplication> finished{};
  /** Called in this process as each replication finishes (not for failed ones). */
  std::function<void(const FinishedReplication&)> on_finished{};
  /**
   * Run until precise (Law and Kelton's sequential procedure for a relative error, docs/
   * statistics.md): after the first max(replications, 10) replications, a point whose interval
   * of any of these metrics is wider than wanted gets more, until each is precise enough or it
   * has `max_replications`. Empty: exactly the scenario's replications.
   */
  std::vector<Precision> until{};
  std::size_t max_replications = 1000;
  /** With `until`, the replications run first: max(replications, min(10, max_replications)). */
  std::size_t first_stage(std::size_t replications) const;
  /** The interval of the quantiles of waits (`--quantile-interval`). */
  QuantileInterval quantile_interval = QuantileInterval::sectioning;
  /**
   * Run only replication K of each scenario, with the random streams it has among the scenario's
   * replications (K below them): its metrics equal that replication's entry of
   * `replication_totals`. The document says `"replications": 1, "replication": K`.
   */
  std::optional<std::size_t> only_replication{};
  /**
   * Write the event log of one replication (of the first scenario) to an open descriptor: the
   * replication's own process writes it (README "Event log"). The caller owns the descriptor and
   * decides what becomes of the file (e.g. renames it into place once the replication finished).
   * Not with an executor that runs replications on other machines.
   */
  struct EventLog {
    int fd = -1;
    bool jsonl = false;          // JSON Lines; CSV with a header otherwise
    std::size_t replication = 0; // which replication logs
  };
  std::optional<EventLog> events{};
  /**
   * With the default executor: asked in the calling thread at least every 100 ms while
   * replications run; true stops the run (every replication process is killed and reaped) and
   * the call throws Cancelled. An interactive embedder checks for Ctrl-C here.
   */
  std::function<bool()> cancelled{};
};

namespace report {
struct Run;
} // namespace report

/** A replication that failed: which one, and the message of what it threw or how it died. */
struct ReplicationFailure {
  std::size_t replication = 0;
  std::string error;
};

/**
 * The metrics of one scenario's replications (README "Metrics"), combined as they finished: json()
 * is the document `h2sim run` writes. Cheap to copy (shared, immutable).
 */
class Metrics {
public:
  explicit Metrics(std::shared_ptr<const report::Run> run) : run_(std::move(run)) {}

  /** The metrics document. */
  nlohmann::ordered_json json() const;
  /** How many replications finished. */
  std::size_t finished() const;
  /** The replications that failed, in index order. */
  std::vector<ReplicationFailure> failures() const;
  /** "replication 3 failed: MESSAGE", several joined by "; "; empty when none failed. */
  std::string error() const;
  /**
   * "2 of 4 replications failed; the metrics are over the other 2" when some failed and some
   * finished; empty otherwise. What `run` and the Python module say of a partial run.
   */
  std::string partial_failure() const;
  /**
   * Each RunOptions::until precision not reached: "PATH: why" (precision_shortfall), as json()'s
   * warnings at /ci95/PATH say it.
   */
  std::vector<std::string> unmet_precisions() const;
  /** Engine events over the finished replications. */
  std::uint64_t events() const;
  /** The run block's wall time: the call's, or (sweep points) the replications' own. */
  double wall_s() const;
  /** The library's own view of them (report/document.hpp). */
  const report::Run& data() const { return *run_; }

private:
  std::shared_ptr<const report::Run> run_;
};

/**
 * Runs `scenario.replications` replications and returns their metrics. Each replication runs in
 * its own process (SimGrid allows one simulation per process) and sends back only its numbers; they
 * are combined as they arrive, in index order, so the result does not depend on `options.jobs` or
 * the executor, and memory holds one replication's metrics at a time (plus any that finished ahead
 * of an earlier one) and each one's totals. A failed replication does not stop the others: the
 * metrics are then over the replications that finished, and failures() says which failed and how.
 */
Metrics run_metrics(const Scenario& scenario, const RunOptions& options);

/**
 * Runs several scenarios (the points of a sweep) with all their replications in one pool, so that
 * points with few replications still use every core; returns their metrics in order.
 */
std::vector<Metrics> run_all_metrics(const std::vector<Scenario>& scenarios,
                                     const RunOptions& options);

/**
 * run_metrics(...).json(): the metrics JSON of README "Metrics". With failed replications,
 * "error" says which failed and how ("replication 3 failed: MESSAGE", several joined by "; ") and
 * "replication_errors" lists them ([{"replication": 3, "error": MESSAGE}]); `replication_totals`
 * then holds the finished ones in index order. When none finished there are no totals, stations or
 * classes.
 */
nlohmann::ordered_json run(const Scenario& scenario, const RunOptions& options);

/** run_all_metrics, each point's metrics as JSON. */
std::vector<nlohmann::ordered_json> run_all(const std::vector<Scenario>& scenarios,
                                            const RunOptions& options);

/** The JSON Schema (draft 2020-12) of the metrics document: `h2sim schema --metrics`. */
nlohmann::ordered_json metrics_json_schema();

/** The metrics reference in Markdown, from the same declarations (docs/metrics.md). */
std::string metrics_reference_markdown();

/** Student-t 95% interval [low, high] of the mean of `values` (at least two). */
std::pair<double, double> ci95(const std::vector<double>& values);

/**
 * The 95% interval of mean(b) - mean(a) for independent samples (Welch: unequal variances,
 * Welch-Satterthwaite degrees of freedom); each sample needs two or more values.
 */
std::pair<double, double> welch_ci95(const std::vector<double>& a, const std::vector<double>& b);

} // namespace h2sim
