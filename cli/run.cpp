// `h2sim run`: one scenario's replications; their metrics as JSON.
#include "common.hpp"
#include "output.hpp"

#include <h2sim/experiments.hpp>

#include <spdlog/fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <optional>

namespace h2sim::cli {

/**
 * With failed replications, the metrics over the others carry "error" and "replication_errors"
 * and the exit code is 1; when none finished, nothing is written.
 */
int command_run(RunArgs args, const std::string& table_path) {
  check_outputs(args, {{"-o", args.out}, {"--table", table_path}, {"--events", args.events}},
                {args.scenario});
  const Scenario scenario = load(args, args.sets);
  const auto replications = static_cast<std::size_t>(scenario.replications());
  if (args.replication && *args.replication >= replications) {
    throw InvalidInput("--replication " + std::to_string(*args.replication) +
                       ": the scenario has " + std::to_string(replications) +
                       " replications (0 to " + std::to_string(replications - 1) + ")");
  }
  if (args.replication && !args.until.empty()) {
    throw InvalidInput("--until: --replication " + std::to_string(*args.replication) +
                       " runs that replication alone; there are none to add");
  }
  if (!args.events.empty()) {
    // An explicit 0 beside --replication 1 is refused as 2 is (it wrote replication 1's log).
    if (args.replication && args.events_replication &&
        *args.events_replication != *args.replication) {
      throw InvalidInput("--events-replication " + std::to_string(*args.events_replication) +
                         ": --replication " + std::to_string(*args.replication) +
                         " runs only that replication");
    }
    if (!args.replication && args.events_replication && *args.events_replication >= replications) {
      throw InvalidInput("--events-replication " + std::to_string(*args.events_replication) +
                         ": the scenario has " + std::to_string(replications) +
                         " replications (0 to " + std::to_string(replications - 1) + ")");
    }
    if (args.executor != nullptr) {
      throw InvalidInput("--events: not under mpirun (the log is written by the replication's "
                         "own process, on this machine)");
    }
  }
  if (args.dry_run) {
    emit_dry_run(args, {nlohmann::ordered_json::object()}, {scenario});
    return exit_ok;
  }
  // The log is written by the replication's own process into this descriptor (inherited across
  // fork), and put in place only once that replication finished.
  std::unique_ptr<StreamedOutput> events;
  if (!args.events.empty()) {
    events = std::make_unique<StreamedOutput>(args.events);
    args.events_fd = events->fd();
  }
  // --until runs more than the scenario's replications, as the precision asks for them.
  RunOptions until;
  until.until = checked_precisions(args, {scenario}); // before the line below says what runs
  until.max_replications = args.max_replications;
  const std::size_t first = args.replication ? 1 : until.first_stage(replications);
  std::vector<std::string> wanted; // "totals.wait_min.p95 has a relative error of 0.05"
  for (const Precision& precision : until.until) {
    wanted.push_back(
        fmt::format("{} has a relative error of {:g}", precision.path, precision.relative));
  }
  const std::string more = wanted.empty()
                               ? ""
                               : fmt::format(" to start, up to {} until {}", args.max_replications,
                                             fmt::join(wanted, " and "));
  spdlog::info("running {} ({} replication{}{}, {} station{}, {}, {} days + {} warm-up)",
               scenario.name(), first, first == 1 ? "" : "s", more, scenario.stations(),
               scenario.stations() == 1 ? "" : "s", open_stations_text(scenario),
               scenario.horizon_days(),
               scenario.automatic_warmup() ? std::string("automatic")
                                           : fmt::format("{}", scenario.warmup_days()));
  const Metrics metrics = run_points({scenario}, args).front();
  const std::size_t failed = report_failures(args, metrics, "");
  // What ran, not what the scenario asked for: --until may have added replications.
  const std::size_t ran = metrics.finished() + failed;
  if (events) {
    const std::size_t logged =
        args.replication ? *args.replication : args.events_replication.value_or(0);
    bool finished = true;
    for (const ReplicationFailure& failure : metrics.failures()) {
      finished = finished && failure.replication != (args.replication ? 0 : logged);
    }
    if (!finished) {
      std::cerr << "h2sim: error: replication " << logged
                << " failed; its event log is not written\n";
      events.reset(); // removes what it wrote
    }
  }
  if (failed == ran) {
    if (args.writes_output && ran > 1) {
      std::cerr << "h2sim: error: every replication failed; nothing written\n";
    }
    return exit_failure;
  }
  spdlog::info("done: {} events in {:.3f} s", metrics.events(), metrics.wall_s());
  nlohmann::ordered_json document = metrics.json(); // moved into emit: 10 MB for a year of Shanghai
  // Said in the JSON too (a warning and "reached": false), but a user watching stderr waited
  // for it.
  for (const std::string& unmet : metrics.unmet_precisions()) {
    spdlog::warn("--until {}", unmet);
  }
  // Every file is written before any replaces what was there: one that cannot be written (a full
  // disk, a FIFO's reader gone) leaves them all as they were, not -o new beside an old --table.
  std::vector<StagedOutput> beside;
  if (!table_path.empty() && args.writes_output) {
    beside.emplace_back(table_path, metrics_table(document));
  }
  if (events) {
    beside.emplace_back(std::move(events));
  }
  emit(args, std::move(document), "the metrics", std::move(beside));
  if (failed > 0) {
    if (args.writes_output) {
      std::cerr << "h2sim: error: " << metrics.partial_failure() << "\n";
    }
    return exit_failure;
  }
  return exit_ok;
}

} // namespace h2sim::cli
