#include <h2sim/h2sim.hpp>

#include <spdlog/spdlog.h>

#include <chrono>

#include "../engine/simulation.hpp"
#include "../report/aggregate.hpp"
#include "child_process.hpp"

namespace h2sim {

using nlohmann::ordered_json;

std::string_view version() { return H2SIM_VERSION; }

ordered_json run(const Scenario& scenario, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const auto replications = static_cast<std::size_t>(scenario.replications);
  const std::vector<std::string> outputs = runner::run_in_children(
      replications, std::max(1, options.jobs),
      [&](std::size_t replication) {
        engine::ReplicationResult result = engine::simulate(scenario, scenario.seed, replication);
        return ordered_json{{"events", result.events}, {"metrics", std::move(result.metrics)}}.dump();
      },
      [](std::size_t replication) { return "replication " + std::to_string(replication); },
      options.on_progress);

  std::vector<ordered_json> metrics;
  std::uint64_t events = 0;
  for (const std::string& output : outputs) {
    ordered_json result = ordered_json::parse(output);
    events += result.at("events").get<std::uint64_t>();
    metrics.push_back(std::move(result.at("metrics")));
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  ordered_json out{{"h2sim_version", version()},
                   {"scenario", scenario.name},
                   {"seed", scenario.seed},
                   {"replications", scenario.replications},
                   {"horizon_days", scenario.horizon_days},
                   {"warmup_days", scenario.warmup_days},
                   {"open_stations", scenario.open_stations},
                   {"run",
                    {{"events", events},
                     {"wall_s", wall_s},
                     {"events_per_s", wall_s > 0 ? static_cast<double>(events) / wall_s : 0.0},
                     {"jobs", options.jobs}}}};
  out.update(report::combine_replications(metrics));
  return out;
}

} // namespace h2sim
