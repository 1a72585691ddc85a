#include <h2sim/h2sim.hpp>

#include <chrono>

#include "../engine/simulation.hpp"
#include "../report/aggregate.hpp"
#include "child_process.hpp"

namespace h2sim {

using nlohmann::ordered_json;

std::string_view version() { return H2SIM_VERSION; }

std::vector<std::string> LocalExecutor::execute(std::size_t tasks, const Task& task,
                                                const Describe& describe,
                                                const Progress& progress) {
  return runner::run_in_children(tasks, std::max(1, jobs_), task, describe, progress);
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
} // namespace

std::vector<ordered_json> run_all(const std::vector<Scenario>& scenarios,
                                  const RunOptions& options) {
  const auto started = Clock::now();
  struct Task {
    std::size_t point;
    std::size_t replication;
  };
  std::vector<Task> tasks;
  for (std::size_t p = 0; p < scenarios.size(); ++p) {
    for (int r = 0; r < scenarios[p].replications; ++r) {
      tasks.push_back({p, static_cast<std::size_t>(r)});
    }
  }
  LocalExecutor local(options.jobs);
  Executor& executor = options.executor != nullptr ? *options.executor : local;
  const std::vector<std::string> outputs = executor.execute(
      tasks.size(),
      [&](std::size_t i) {
        const auto simulation_started = Clock::now();
        const Scenario& scenario = scenarios[tasks[i].point];
        engine::ReplicationResult result =
            engine::simulate(scenario, scenario.seed, tasks[i].replication);
        return ordered_json{{"events", result.events},
                            {"wall_s", seconds_since(simulation_started)},
                            {"metrics", std::move(result.metrics)}}
            .dump();
      },
      [&](std::size_t i) {
        return (scenarios.size() > 1 ? "point " + std::to_string(tasks[i].point) + ", " : "") +
               "replication " + std::to_string(tasks[i].replication);
      },
      options.on_progress);

  std::vector<ordered_json> results;
  std::size_t next = 0;
  for (const Scenario& scenario : scenarios) {
    std::vector<ordered_json> metrics;
    std::uint64_t events = 0;
    double simulation_s = 0;
    for (int r = 0; r < scenario.replications; ++r) {
      ordered_json result = ordered_json::parse(outputs[next++]);
      events += result.at("events").get<std::uint64_t>();
      simulation_s += result.at("wall_s").get<double>();
      metrics.push_back(std::move(result.at("metrics")));
    }
    // One scenario: the call's wall time. Sweep points share the pool, so each reports the time
    // its own replications took.
    const double wall_s = scenarios.size() == 1 ? seconds_since(started) : simulation_s;
    ordered_json out{{"h2sim_version", version()},
                     {"scenario", scenario.name},
                     {"seed", scenario.seed},
                     {"replications", scenario.replications},
                     {"horizon_days", scenario.horizon_days},
                     {"warmup_days", scenario.warmup_days},
                     {"open_stations", scenario.open_stations},
                     {"warnings", warnings_json(scenario.warnings)},
                     {"run",
                      {{"events", events},
                       {"wall_s", wall_s},
                       {"events_per_s", wall_s > 0 ? static_cast<double>(events) / wall_s : 0.0},
                       {"jobs", options.jobs}}}};
    out.update(report::combine_replications(metrics));
    results.push_back(std::move(out));
  }
  return results;
}

ordered_json run(const Scenario& scenario, const RunOptions& options) {
  return run_all({scenario}, options).front();
}

} // namespace h2sim
