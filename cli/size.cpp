// `h2sim size`: the smallest value of an integer parameter for which the targets hold with 95%
// confidence, or the value minimising a metric where they hold (the searches are the library's:
// h2sim/experiments.hpp).
#include "common.hpp"

#include <h2sim/experiments.hpp>

#include <spdlog/spdlog.h>

namespace h2sim::cli {

int command_size(const RunArgs& given, const SizeArgs& size_args) {
  check_outputs(given, {{"-o", given.out}}, {given.scenario});
  SizeRange range;
  try {
    range = parse_size_range(size_args.range);
  } catch (const ExperimentError& e) {
    throw InvalidInput("--range " + size_args.range + ": " + e.what());
  }
  std::vector<SizeTarget> targets;
  for (const std::string& text : size_args.targets) {
    try {
      targets.push_back(parse_size_target(text));
      check_target_can_hold(targets.back());
    } catch (const ExperimentError& e) {
      throw InvalidInput("--target " + text + ": " + e.what());
    }
  }
  const std::string minimized = minimized_metric(size_args.minimize);
  if (minimized.empty() && targets.empty()) {
    throw InvalidInput("size needs --target or --minimize");
  }
  // Each point runs the replications --replications gives, from the same seed (common random
  // numbers): neither is a parameter of the system the targets could depend on.
  try {
    check_size_param(size_args.param, "--", "");
  } catch (const ExperimentError& e) {
    throw InvalidInput("--param " + size_args.param + ": " + e.what());
  }
  RunArgs args = given;
  need_intervals(args, load(args, args.sets), "size", "per point");
  const auto scenario_at = [&](long long value, bool log_warnings = true) {
    const Override set{size_args.param, std::to_string(value), "--param"};
    return load_overrides(args.scenario, scenario_text(args.scenario),
                          point_overrides(args, args.sets, {set}), log_warnings,
                          "--param " + set.path + "=" + set.value + ": ");
  };
  // Events that change the parameter are refused before the ends' warnings are told: one of them
  // would say its value gives way to the events, as if the search went on.
  try {
    check_not_scheduled(scenario_at(range.from, false),
                        size_args.param + "=" + std::to_string(range.from));
  } catch (const ExperimentError& e) {
    throw InvalidInput("--param " + size_args.param + ": " + e.what());
  }
  // Validate both ends before running anything.
  const Scenario low = scenario_at(range.from);
  const Scenario high = scenario_at(range.to);
  // The metrics named exist at both ends of the range (a class, an open station, a leaf), so that
  // a typo is told before the first evaluation runs.
  std::vector<std::pair<std::string, std::string>> named; // (as written, the path)
  for (std::size_t i = 0; i < targets.size(); ++i) {
    named.emplace_back("--target " + size_args.targets[i], targets[i].metric);
  }
  if (!size_args.minimize.empty()) {
    named.emplace_back("--minimize " + size_args.minimize, minimized);
  }
  for (const auto& [option, path] : named) {
    try {
      check_metric_path_in_range(low, high, path, size_args.param, range);
    } catch (const ExperimentError& e) {
      throw InvalidInput(option + ": " + e.what());
    }
  }
  const std::string fractional = fractional_param_warning(low, size_args.param, range);
  if (!fractional.empty()) {
    spdlog::warn("size: --param {}: {}", size_args.param, fractional);
  }
  if (args.dry_run) { // the ends of the range: the values between are bisected
    emit_dry_run(args, {{{size_args.param, range.from}}, {{size_args.param, range.to}}},
                 {low, high});
    return exit_ok;
  }
  nlohmann::ordered_json out;
  try {
    const auto evaluate = [&](long long value) {
      spdlog::info("size: evaluating {} = {}", size_args.param, value);
      return run_points({scenario_at(value)}, args).front();
    };
    out = size_args.minimize.empty()
              ? size(size_args.param, range, targets, evaluate)
              : minimize(size_args.param, range, minimized, targets, evaluate);
  } catch (const ExperimentError& e) {
    throw InvalidInput(std::string(size_args.minimize.empty() ? "--target: " : "") + e.what());
  }
  if (out["answer"].is_null()) {
    if (size_args.minimize.empty()) {
      spdlog::warn("size: the target does not hold at {} = {}{}", size_args.param, range.to,
                   range.from < range.to ? " nor at " + std::to_string(range.from) : "");
    } else {
      // Why none is a candidate: the targets, or a cost per kg of nothing dispensed (with no
      // target, "meets the targets" named the wrong reason).
      std::size_t unmet = 0;
      std::size_t of_nothing = 0;
      for (const auto& evaluation : out["evaluations"]) {
        if (!evaluation.value("holds", false)) {
          ++unmet;
        } else if (!evaluation.value("candidate", true)) {
          ++of_nothing;
        }
      }
      std::string why;
      if (unmet > 0) {
        why += std::to_string(unmet) + (unmet == 1 ? " does" : " do") + " not meet the targets";
      }
      if (of_nothing > 0) {
        why += std::string(why.empty() ? "" : " and ") + std::to_string(of_nothing) +
               " dispensed nothing in some replication (a cost per kg of nothing is 0 by "
               "convention, no cost)";
      }
      spdlog::warn("size: no value evaluated is a candidate for the least {}: of the {} "
                   "evaluated, {}",
                   size_args.minimize, out["evaluations"].size(), why);
    }
  }
  if (out.contains("warnings")) {
    for (const auto& warning : out["warnings"]) {
      spdlog::warn("size: {}", warning.get<std::string>());
    }
  }
  if (!fractional.empty()) { // logged before the search
    add_first_warning(out, "--param " + size_args.param + ": " + fractional);
  }
  // What the run says of the answer's intervals (too short, too few replications), as run does.
  for (const auto& evaluation : out["evaluations"]) {
    if (evaluation["value"] == out["answer"] && evaluation.contains("warnings")) {
      for (const auto& warning : evaluation["warnings"]) {
        spdlog::warn("size: at {} = {}: {}", size_args.param, evaluation["value"].dump(),
                     warning["message"].get<std::string>());
      }
    }
  }
  emit(args, out, "the result");
  return exit_ok;
}

} // namespace h2sim::cli
