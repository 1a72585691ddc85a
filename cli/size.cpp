// `h2sim size`: the smallest value of an integer parameter for which a target holds with 95%
// confidence (the bisection is the library's: h2sim/experiments.hpp).
#include "common.hpp"

#include <h2sim/experiments.hpp>

#include <spdlog/spdlog.h>

namespace h2sim::cli {

int command_size(const RunArgs& given, const SizeArgs& size_args) {
  check_output_path(given, "-o", given.out);
  SizeRange range;
  try {
    range = parse_size_range(size_args.range);
  } catch (const ExperimentError& e) {
    throw InvalidInput("--range " + size_args.range + ": " + e.what());
  }
  SizeTarget target;
  try {
    target = parse_size_target(size_args.target);
  } catch (const ExperimentError& e) {
    throw InvalidInput("--target " + size_args.target + ": " + e.what());
  }
  RunArgs args = given;
  if (load(args, args.sets).replications() < 2) {
    if (args.replications) {
      throw InvalidInput("--replications: size needs at least 2 for a confidence interval");
    }
    args.replications = "5";
    spdlog::info("size: 5 replications per point (a confidence interval needs 2 or more)");
  }
  const auto scenario_at = [&](long long value) {
    std::vector<std::string> sets = args.sets;
    sets.push_back(size_args.param + "=" + std::to_string(value));
    return load(args, sets);
  };
  // Validate both ends before running anything.
  const Scenario low = scenario_at(range.from);
  const Scenario high = scenario_at(range.to);
  if (args.dry_run) { // the ends of the range: the values between are bisected
    emit_dry_run(args, {{{size_args.param, range.from}}, {{size_args.param, range.to}}},
                 {low, high});
    return exit_ok;
  }
  nlohmann::ordered_json out;
  try {
    out = size(size_args.param, range, target, [&](long long value) {
      spdlog::info("size: evaluating {} = {}", size_args.param, value);
      return run_points({scenario_at(value)}, args).front();
    });
  } catch (const ExperimentError& e) {
    throw InvalidInput(std::string("--target: ") + e.what());
  }
  if (out["answer"].is_null()) {
    spdlog::warn("size: the target does not hold even at {} = {}", size_args.param, range.to);
  }
  emit(args, out, "the result");
  return exit_ok;
}

} // namespace h2sim::cli
