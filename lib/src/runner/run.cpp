#include "../engine/simulation.hpp"
#include "../report/collector.hpp"
#include "../report/compact.hpp"
#include "../report/document.hpp"
#include "child_process.hpp"

#include <h2sim/h2sim.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace h2sim {

using nlohmann::ordered_json;

std::string_view version() { return H2SIM_VERSION; }

void LocalExecutor::execute(std::size_t tasks, const Task& task, const Progress& progress,
                            const OnOutcome& on_outcome) {
  std::size_t ended = 0;
  runner::run_in_children(
      tasks, std::max(1, jobs_), task,
      [&](std::size_t i, TaskOutcome outcome) {
        if (on_outcome) {
          on_outcome(i, std::move(outcome));
        }
        if (progress) {
          progress(++ended, tasks);
        }
      },
      cancelled_);
}

nlohmann::ordered_json Metrics::json() const { return report::document(*run_); }

std::size_t Metrics::finished() const { return run_->aggregate.finished_indices().size(); }

std::vector<ReplicationFailure> Metrics::failures() const {
  std::vector<ReplicationFailure> failures;
  for (const auto& [replication, error] : run_->aggregate.failures()) {
    failures.push_back({replication, error});
  }
  return failures;
}

std::string Metrics::error() const {
  std::string error;
  for (const auto& [replication, message] : run_->aggregate.failures()) {
    error += (error.empty() ? "" : "; ") +
             ("replication " + std::to_string(replication) + " failed: " + message);
  }
  return error;
}

std::uint64_t Metrics::events() const { return run_->aggregate.events(); }

double Metrics::wall_s() const { return run_->wall_s; }

ordered_json metrics_json_schema() { return report::metrics_schema(); }

std::string metrics_reference_markdown() { return report::metrics_markdown(); }

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/** What running a scenario takes from it; the runner reads a Scenario here and nowhere else. */
struct Plan {
  report::Header header;
  std::uint64_t seed = 0;
  std::size_t replications = 0;
};

Plan plan_of(const Scenario& scenario) {
  return {{scenario.name(), scenario.seed(), scenario.replications(), scenario.horizon_days(),
           scenario.warmup_days(), scenario.open_stations(), scenario.warnings(),
           scenario.changes()},
          scenario.seed(),
          static_cast<std::size_t>(scenario.replications())};
}

/**
 * Test hooks, read in the replication's own process: H2SIM_TEST_FAIL_REPLICATION=P:R makes
 * replication R of point P (run_all's indices) throw "injected failure";
 * H2SIM_TEST_HANG_REPLICATION=P:R makes it sleep until killed; H2SIM_TEST_EXIT_REPLICATION=P:R
 * makes its process write a line to stderr and exit 1 without a result. Each takes a
 * comma-separated list. The tests use them to provoke partial failures and interrupted sweeps
 * deterministically.
 */
bool test_hook_names(const char* variable, std::size_t point, std::size_t replication) {
  const char* value = std::getenv(variable);
  return value != nullptr && ("," + std::string(value) + ",")
                                     .find("," + std::to_string(point) + ":" +
                                           std::to_string(replication) + ",") != std::string::npos;
}
} // namespace

std::vector<Metrics> run_all_metrics(const std::vector<Scenario>& scenarios,
                                     const RunOptions& options) {
  const auto started = Clock::now();
  std::vector<Plan> plans;
  std::vector<std::shared_ptr<report::Run>> runs;
  std::size_t total = 0;
  for (const Scenario& scenario : scenarios) {
    Plan plan = plan_of(scenario);
    auto run = std::make_shared<report::Run>();
    run->header = plan.header;
    run->labels = report::setup_of(models::spec_of(scenario)).labels;
    run->jobs = options.jobs;
    run->aggregate = report::Aggregate(plan.replications);
    total += plan.replications;
    plans.push_back(std::move(plan));
    runs.push_back(std::move(run));
  }
  for (const FinishedReplication& done : options.finished) {
    if (done.point < runs.size() && done.replication >= 0) {
      try {
        runs[done.point]->aggregate.finished(static_cast<std::size_t>(done.replication),
                                             report::decode(done.result));
      } catch (const report::CompactError&) {
        // Not a result this version can read: the replication runs again.
      }
    }
  }
  struct Task {
    std::size_t point;
    std::size_t replication;
  };
  std::vector<Task> tasks;
  for (std::size_t p = 0; p < runs.size(); ++p) {
    for (std::size_t r = 0; r < plans[p].replications; ++r) {
      if (!runs[p]->aggregate.known(r)) {
        tasks.push_back({p, r});
      }
    }
  }
  const std::size_t already = total - tasks.size();
  LocalExecutor local(options.jobs, options.cancelled);
  Executor& executor = options.executor != nullptr ? *options.executor : local;
  executor.execute(
      tasks.size(),
      [&](std::size_t i) {
        const Task& task = tasks[i];
        if (test_hook_names("H2SIM_TEST_FAIL_REPLICATION", task.point, task.replication)) {
          throw std::runtime_error("injected failure");
        }
        while (test_hook_names("H2SIM_TEST_HANG_REPLICATION", task.point, task.replication)) {
          ::pause();
        }
        if (test_hook_names("H2SIM_TEST_EXIT_REPLICATION", task.point, task.replication)) {
          std::fputs("injected exit: gone without a result\n", stderr);
          std::fflush(stderr);
          ::_exit(1);
        }
        const auto simulation_started = Clock::now();
        const engine::ReplicationResult result = engine::simulate(
            models::spec_of(scenarios[task.point]), plans[task.point].seed, task.replication);
        report::ReplicationValues values = report::values_of(result.tallies);
        values.events = result.events;
        values.wall_s = seconds_since(simulation_started);
        return report::encode(values);
      },
      [&](std::size_t ended, std::size_t) {
        if (options.on_progress) {
          options.on_progress(already + ended, total);
        }
      },
      [&](std::size_t i, TaskOutcome outcome) {
        const Task& task = tasks[i];
        report::Aggregate& aggregate = runs[task.point]->aggregate;
        if (!outcome.output) {
          aggregate.failed(task.replication, std::move(outcome.error));
          return;
        }
        report::ReplicationValues values;
        try {
          values = report::decode(*outcome.output);
        } catch (const report::CompactError& e) {
          aggregate.failed(task.replication,
                           std::string("sent back a result that cannot be read: ") + e.what());
          return;
        }
        if (options.on_finished) {
          options.on_finished(FinishedReplication{task.point, static_cast<int>(task.replication),
                                                  std::move(*outcome.output)});
        }
        aggregate.finished(task.replication, std::move(values));
      });

  std::vector<Metrics> metrics;
  for (auto& run : runs) {
    if (!run->aggregate.complete()) {
      throw std::logic_error("the executor left replications without an outcome");
    }
    // One scenario: the call's wall time. Sweep points share the pool, so each reports the time
    // its own replications took.
    run->wall_s = runs.size() == 1 ? seconds_since(started) : run->aggregate.simulation_s();
    metrics.emplace_back(std::move(run));
  }
  return metrics;
}

Metrics run_metrics(const Scenario& scenario, const RunOptions& options) {
  return run_all_metrics({scenario}, options).front();
}

std::vector<ordered_json> run_all(const std::vector<Scenario>& scenarios,
                                  const RunOptions& options) {
  std::vector<ordered_json> documents;
  for (const Metrics& metrics : run_all_metrics(scenarios, options)) {
    documents.push_back(metrics.json());
  }
  return documents;
}

ordered_json run(const Scenario& scenario, const RunOptions& options) {
  return run_metrics(scenario, options).json();
}

} // namespace h2sim
