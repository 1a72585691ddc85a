// `h2sim run`: one scenario's replications; their metrics as JSON.
#include "common.hpp"
#include "output.hpp"

#include <h2sim/experiments.hpp>

#include <spdlog/spdlog.h>

#include <iostream>

namespace h2sim::cli {

/**
 * With failed replications, the metrics over the others carry "error" and "replication_errors"
 * and the exit code is 1; when none finished, nothing is written.
 */
int command_run(const RunArgs& args, const std::string& table_path) {
  check_output_path(args, "-o", args.out);
  check_output_path(args, "--table", table_path);
  const Scenario scenario = load(args, args.sets);
  if (args.dry_run) {
    emit_dry_run(args, {nlohmann::ordered_json::object()}, {scenario});
    return exit_ok;
  }
  spdlog::info("running {} ({} replication{}, {} station{} open, {} days + {} warm-up)",
               scenario.name(), scenario.replications(), scenario.replications() == 1 ? "" : "s",
               scenario.open_stations(), scenario.open_stations() == 1 ? "" : "s",
               scenario.horizon_days(),
               scenario.automatic_warmup() ? std::string("automatic")
                                           : fmt::format("{}", scenario.warmup_days()));
  const Metrics metrics = run_points({scenario}, args).front();
  const std::size_t failed = report_failures(args, metrics, "");
  const auto replications = static_cast<std::size_t>(scenario.replications());
  if (failed == replications) {
    if (args.writes_output && replications > 1) {
      std::cerr << "h2sim: error: every replication failed; nothing written\n";
    }
    return exit_failure;
  }
  spdlog::info("done: {} events in {:.3f} s", metrics.events(), metrics.wall_s());
  const nlohmann::ordered_json document = metrics.json();
  emit(args, document, "the metrics");
  if (!table_path.empty() && args.writes_output) {
    write_output(table_path, metrics_table(document));
  }
  if (failed > 0) {
    if (args.writes_output) {
      std::cerr << "h2sim: error: " << failed << " of " << replications
                << " replications failed; the metrics are over the other " << replications - failed
                << "\n";
    }
    return exit_failure;
  }
  return exit_ok;
}

} // namespace h2sim::cli
