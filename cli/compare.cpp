// `h2sim compare`: scenarios run with the same seed and replications; each metric's difference
// from the first with a paired 95% interval (the library's: h2sim/experiments.hpp).
#include "common.hpp"

#include <h2sim/experiments.hpp>

#include <spdlog/spdlog.h>

#include <iostream>

namespace h2sim::cli {

int command_compare(const RunArgs& given, const std::vector<std::string>& files) {
  check_outputs(given, {{"-o", given.out}}, files);
  RunArgs args = given;
  // Common random numbers: every scenario gets the first one's seed and replications.
  RunArgs first_args = args;
  first_args.scenario = files.front();
  const Scenario first = load(first_args, args.sets);
  need_intervals(args, first, "compare", "each");
  if (!args.seed) {
    args.seed = std::to_string(first.seed());
  }
  if (!args.replications) {
    args.replications = std::to_string(first.replications());
  }
  std::vector<Scenario> scenarios;
  for (const std::string& file : files) {
    RunArgs each = args;
    each.scenario = file;
    // Each file's warnings named by it: which of them has the events a --set gives way to.
    scenarios.push_back(load_overrides(file, scenario_text(file), all_overrides(each, args.sets),
                                       true, "", files.size() > 1));
  }
  if (args.dry_run) {
    emit_dry_run(
        args, std::vector<nlohmann::ordered_json>(files.size(), nlohmann::ordered_json::object()),
        scenarios);
    return exit_ok;
  }
  spdlog::info("compare: {} scenarios, {} replications each, seed {}", files.size(),
               scenarios.front().replications(), scenarios.front().seed());
  const std::vector<Metrics> metrics = run_points(scenarios, args);
  std::size_t failed = 0;
  for (std::size_t s = 0; s < files.size(); ++s) {
    failed += report_failures(args, metrics[s], files[s] + ": ");
  }
  nlohmann::ordered_json out;
  try {
    out = compare_document(files, metrics);
  } catch (const ExperimentError& e) {
    std::cerr << "h2sim: error: " << valid_utf8(e.what()) << "\n"; // it names the files
    return exit_failure;
  }
  emit(args, out, "the comparison");
  if (failed > 0) {
    if (args.writes_output) {
      std::cerr << "h2sim: error: " << failed
                << " replications failed; the differences are over the replications every "
                   "scenario finished\n";
    }
    return exit_failure; // as run, sweep, size and site
  }
  return exit_ok;
}

} // namespace h2sim::cli
