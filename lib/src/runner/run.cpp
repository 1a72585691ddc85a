#include <h2sim/h2sim.hpp>

#include <chrono>
#include <cstdlib>
#include <unistd.h>

#include "../engine/simulation.hpp"
#include "../report/aggregate.hpp"
#include "child_process.hpp"

namespace h2sim {

using nlohmann::ordered_json;

std::string_view version() { return H2SIM_VERSION; }

std::vector<TaskOutcome> LocalExecutor::execute(std::size_t tasks, const Task& task,
                                                const Progress& progress,
                                                const OnOutcome& on_outcome) {
  std::size_t ended = 0;
  return runner::run_in_children(tasks, std::max(1, jobs_), task,
                                 [&](std::size_t i, const TaskOutcome& outcome) {
                                   if (on_outcome) {
                                     on_outcome(i, outcome);
                                   }
                                   if (progress) {
                                     progress(++ended, tasks);
                                   }
                                 });
}

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
ordered_json warnings_json(const std::vector<Warning>& warnings) {
  ordered_json list = ordered_json::array();
  for (const Warning& warning : warnings) {
    list.push_back({{"pointer", warning.pointer}, {"message", warning.message}});
  }
  return list;
}

/**
 * Test hooks, read in the replication's own process: H2SIM_TEST_FAIL_REPLICATION=P:R makes
 * replication R of point P (run_all's indices) throw "injected failure";
 * H2SIM_TEST_HANG_REPLICATION=P:R makes it sleep until killed. Either takes a comma-separated
 * list. The tests use them to provoke partial failures and interrupted sweeps deterministically.
 */
bool test_hook_names(const char* variable, std::size_t point, std::size_t replication) {
  const char* value = std::getenv(variable);
  return value != nullptr && ("," + std::string(value) + ",")
                                     .find("," + std::to_string(point) + ":" +
                                           std::to_string(replication) + ",") != std::string::npos;
}
} // namespace

std::vector<ordered_json> run_all(const std::vector<Scenario>& scenarios,
                                  const RunOptions& options) {
  const auto started = Clock::now();
  struct Task {
    std::size_t point;
    std::size_t replication;
  };
  // results[p][r]: the result text of a replication that finished, else its error.
  std::vector<std::vector<TaskOutcome>> results(scenarios.size());
  std::size_t total = 0;
  for (std::size_t p = 0; p < scenarios.size(); ++p) {
    results[p].resize(static_cast<std::size_t>(scenarios[p].replications()));
    total += results[p].size();
  }
  for (const FinishedReplication& done : options.finished) {
    if (done.point < results.size() && done.replication >= 0 &&
        static_cast<std::size_t>(done.replication) < results[done.point].size()) {
      results[done.point][static_cast<std::size_t>(done.replication)].output = done.result;
    }
  }
  std::vector<Task> tasks;
  for (std::size_t p = 0; p < results.size(); ++p) {
    for (std::size_t r = 0; r < results[p].size(); ++r) {
      if (!results[p][r].output) {
        tasks.push_back({p, r});
      }
    }
  }
  const std::size_t already = total - tasks.size();
  LocalExecutor local(options.jobs);
  Executor& executor = options.executor != nullptr ? *options.executor : local;
  const std::vector<TaskOutcome> outcomes = executor.execute(
      tasks.size(),
      [&](std::size_t i) {
        if (test_hook_names("H2SIM_TEST_FAIL_REPLICATION", tasks[i].point, tasks[i].replication)) {
          throw std::runtime_error("injected failure");
        }
        while (test_hook_names("H2SIM_TEST_HANG_REPLICATION", tasks[i].point,
                               tasks[i].replication)) {
          ::pause();
        }
        const auto simulation_started = Clock::now();
        const Scenario& scenario = scenarios[tasks[i].point];
        engine::ReplicationResult result =
            engine::simulate(scenario.spec(), scenario.seed(), tasks[i].replication);
        return ordered_json{{"events", result.events},
                            {"wall_s", seconds_since(simulation_started)},
                            {"metrics", std::move(result.metrics)}}
            .dump();
      },
      [&](std::size_t ended, std::size_t) {
        if (options.on_progress) {
          options.on_progress(already + ended, total);
        }
      },
      [&](std::size_t i, const TaskOutcome& outcome) {
        if (outcome.output && options.on_finished) {
          options.on_finished(FinishedReplication{
              tasks[i].point, static_cast<int>(tasks[i].replication), *outcome.output});
        }
      });
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    results[tasks[i].point][tasks[i].replication] = outcomes[i];
  }

  std::vector<ordered_json> points;
  for (std::size_t p = 0; p < scenarios.size(); ++p) {
    const Scenario& scenario = scenarios[p];
    std::vector<ordered_json> metrics;
    std::uint64_t events = 0;
    double simulation_s = 0;
    std::string error;
    ordered_json errors = ordered_json::array();
    for (std::size_t r = 0; r < results[p].size(); ++r) {
      const TaskOutcome& outcome = results[p][r];
      if (!outcome.output) {
        error += (error.empty() ? "" : "; ") + ("replication " + std::to_string(r) +
                                                " failed: " + outcome.error);
        errors.push_back({{"replication", r}, {"error", outcome.error}});
        continue;
      }
      ordered_json result = ordered_json::parse(*outcome.output);
      events += result.at("events").get<std::uint64_t>();
      simulation_s += result.at("wall_s").get<double>();
      metrics.push_back(std::move(result.at("metrics")));
    }
    // One scenario: the call's wall time. Sweep points share the pool, so each reports the time
    // its own replications took.
    const double wall_s = scenarios.size() == 1 ? seconds_since(started) : simulation_s;
    ordered_json out{{"h2sim_version", version()},
                     {"scenario", scenario.name()},
                     {"seed", scenario.seed()},
                     {"replications", scenario.replications()},
                     {"horizon_days", scenario.horizon_days()},
                     {"warmup_days", scenario.warmup_days()},
                     {"open_stations", scenario.open_stations()},
                     {"warnings", warnings_json(scenario.warnings())},
                     {"run",
                      {{"events", events},
                       {"wall_s", wall_s},
                       {"events_per_s", wall_s > 0 ? static_cast<double>(events) / wall_s : 0.0},
                       {"jobs", options.jobs}}}};
    if (!errors.empty()) {
      out["error"] = error;
      out["replication_errors"] = std::move(errors);
    }
    if (!metrics.empty()) {
      out.update(report::combine_replications(metrics));
    }
    points.push_back(std::move(out));
  }
  return points;
}

ordered_json run(const Scenario& scenario, const RunOptions& options) {
  return run_all({scenario}, options).front();
}

} // namespace h2sim
