#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <h2sim/scenario.hpp>

#include <nlohmann/json.hpp>

namespace h2sim {

/** The library's version, "major.minor.patch". */
std::string_view version();

/** A problem found in a scenario: where (a JSON pointer, "" for the whole file) and what. */
struct Problem {
  std::string pointer;
  std::string message;
};

/** Thrown when a scenario (or an override of it) is invalid; holds every problem found. */
class ScenarioError : public std::runtime_error {
public:
  explicit ScenarioError(std::vector<Problem> problems);
  const std::vector<Problem>& problems() const { return problems_; }

private:
  std::vector<Problem> problems_;
};

/** `--set PATH=VALUE`: PATH dotted (stations.0.dispensers) or a JSON pointer; VALUE JSON or text. */
struct Override {
  std::string path;
  std::string value;
};

/**
 * Parses, overrides and validates a scenario. Throws ScenarioError listing every problem: malformed
 * JSON, unknown keys, wrong types, values out of range, inconsistent values, bad overrides, bad
 * rows of a trace file. Files the scenario names (a trace) are found relative to `base_dir`.
 */
Scenario load_scenario(std::string_view json_text, const std::vector<Override>& overrides = {},
                       const std::string& base_dir = ".");

/** The built-in default scenario (scenarios/shanghai-2025.json, compiled in). */
std::string_view default_scenario_text();

/** The JSON Schema that scenario files follow, as printed by `h2sim schema`. */
nlohmann::ordered_json scenario_json_schema();

/** Thrown when a replication fails (crashes, is killed, or throws). */
class RunError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/**
 * Where replications run. The default forks children on this machine; an MPI executor (in the
 * CLI) spreads them over ranks. Tasks are independent and identified by index.
 */
class Executor {
public:
  using Task = std::function<std::string(std::size_t)>;
  using Describe = std::function<std::string(std::size_t)>;
  using Progress = std::function<void(std::size_t, std::size_t)>;
  virtual ~Executor() = default;
  /**
   * Runs task(i) for every i < tasks and returns their outputs in task order, whatever order they
   * finish in. Throws RunError naming the failed task by describe(i).
   */
  virtual std::vector<std::string> execute(std::size_t tasks, const Task& task,
                                           const Describe& describe, const Progress& progress) = 0;
};

/** Runs tasks in forked child processes, at most `jobs` at once. */
class LocalExecutor final : public Executor {
public:
  explicit LocalExecutor(int jobs) : jobs_(jobs) {}
  std::vector<std::string> execute(std::size_t tasks, const Task& task, const Describe& describe,
                                   const Progress& progress) override;

private:
  int jobs_;
};

/** How to run scenarios' replications. */
struct RunOptions {
  int jobs = 1; // replications running at once on this machine, each in its own process
  /** Called after each replication finishes, with (finished, total) over the whole call. */
  Executor::Progress on_progress;
  Executor* executor = nullptr; // null: a LocalExecutor with `jobs`
};

/**
 * Runs `scenario.replications` replications and returns the metrics JSON of INTERFACE.md. Each
 * replication runs in its own process (SimGrid allows one simulation per process); the result does
 * not depend on `options.jobs` or the executor.
 */
nlohmann::ordered_json run(const Scenario& scenario, const RunOptions& options);

/**
 * Runs several scenarios (the points of a sweep) with all their replications in one pool, so that
 * points with few replications still use every core; returns their metrics in order.
 */
std::vector<nlohmann::ordered_json> run_all(const std::vector<Scenario>& scenarios,
                                            const RunOptions& options);

/** Student-t 95% interval [low, high] of the mean of `values` (at least two). */
std::pair<double, double> ci95(const std::vector<double>& values);

} // namespace h2sim
