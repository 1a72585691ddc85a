#include "commands.hpp"

#include <h2sim/h2sim.hpp>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace h2sim::cli {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_invalid = 2;

/** A usage or input error: reported on stderr, exit code 2. */
struct InvalidInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InvalidInput("cannot read scenario " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<Override> parse_overrides(const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const std::string& set : sets) {
    const auto equals = set.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw InvalidInput("--set " + set + ": expected PATH=VALUE");
    }
    overrides.push_back({set.substr(0, equals), set.substr(equals + 1)});
  }
  return overrides;
}

void report_problems(const std::string& origin, const ScenarioError& error) {
  const auto count = error.problems().size();
  std::cerr << "h2sim: invalid scenario " << origin << " (" << count << " problem"
            << (count == 1 ? "" : "s") << "):\n";
  for (const Problem& problem : error.problems()) {
    std::cerr << "  " << (problem.pointer.empty() ? "(file)" : problem.pointer) << ": "
              << problem.message << "\n";
  }
}

/** Writes `text` to `path` atomically: a temporary file in the same folder, then a rename. */
void write_atomically(const std::string& path, const std::string& text) {
  const std::filesystem::path target(path);
  const std::filesystem::path temporary =
      target.parent_path() / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw std::runtime_error("cannot write " + temporary.string() + ": " + std::strerror(errno));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw std::runtime_error("cannot write " + path + ": " + error.message());
  }
}

void emit(const std::string& out_path, const nlohmann::ordered_json& document) {
  const std::string text = document.dump(2) + "\n";
  if (out_path.empty() || out_path == "-") {
    std::cout << text << std::flush;
  } else {
    write_atomically(out_path, text);
  }
}

struct RunArgs {
  std::string scenario; // empty: the built-in default
  std::string out;
  std::optional<std::uint64_t> seed;
  std::optional<int> replications;
  std::vector<std::string> sets;
  int jobs = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
};

Scenario load(const std::string& path, const std::vector<std::string>& sets);

/** The scenario to run: the file (or the built-in default) with --set, --seed, --replications. */
Scenario load(const RunArgs& args, const std::vector<std::string>& sets) {
  Scenario scenario = load(args.scenario, sets);
  if (args.seed) {
    scenario.seed = *args.seed;
  }
  if (args.replications) {
    scenario.replications = *args.replications;
  }
  return scenario;
}

Scenario load(const std::string& path, const std::vector<std::string>& sets) {
  const std::string origin = path.empty() ? "(built-in shanghai-2025)" : path;
  const std::string text = path.empty() ? std::string(default_scenario_text()) : read_file(path);
  try {
    return load_scenario(text, parse_overrides(sets));
  } catch (const ScenarioError& error) {
    report_problems(origin, error);
    throw InvalidInput("");
  }
}

int command_run(const RunArgs& args) {
  const Scenario scenario = load(args, args.sets);
  spdlog::info("running {} ({} replication{}, {} station{} open, {} days + {} warm-up)",
               scenario.name, scenario.replications, scenario.replications == 1 ? "" : "s",
               scenario.open_stations, scenario.open_stations == 1 ? "" : "s",
               scenario.horizon_days, scenario.warmup_days);
  const nlohmann::ordered_json metrics = run(scenario, RunOptions{args.jobs});
  spdlog::info("done: {} events in {:.3f} s", metrics["run"]["events"].get<std::uint64_t>(),
               metrics["run"]["wall_s"].get<double>());
  emit(args.out, metrics);
  return exit_ok;
}

/** One `--vary PATH=V1,V2,...` (or PATH=FROM:TO:STEP, inclusive): the values, as JSON text. */
struct Vary {
  std::string path;
  std::vector<std::string> values;
};

Vary parse_vary(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    throw InvalidInput("--vary " + text + ": expected PATH=V1,V2,... or PATH=FROM:TO:STEP");
  }
  Vary vary{text.substr(0, equals), {}};
  const std::string list = text.substr(equals + 1);
  if (list.find(',') == std::string::npos && std::count(list.begin(), list.end(), ':') == 2) {
    double from = 0;
    double to = 0;
    double step = 0;
    char colon1 = 0;
    char colon2 = 0;
    std::istringstream in(list);
    if (!(in >> from >> colon1 >> to >> colon2 >> step) || !in.eof() || step <= 0 || to < from) {
      throw InvalidInput("--vary " + text + ": a range is FROM:TO:STEP with FROM <= TO, STEP > 0");
    }
    for (double v = from; v <= to + 1e-9 * std::abs(to); v += step) {
      nlohmann::json value = v;
      if (std::floor(v) == v) {
        value = static_cast<long long>(v);
      }
      vary.values.push_back(value.dump());
    }
    return vary;
  }
  std::istringstream in(list);
  for (std::string value; std::getline(in, value, ',');) {
    vary.values.push_back(value);
  }
  return vary;
}

int command_sweep(const RunArgs& args, const std::vector<std::string>& varies) {
  std::vector<Vary> axes;
  for (const std::string& text : varies) {
    axes.push_back(parse_vary(text));
  }
  // Full factorial, the first --vary outermost; every point is validated before any runs.
  std::vector<std::vector<std::string>> points{{}};
  for (const Vary& axis : axes) {
    std::vector<std::vector<std::string>> next;
    for (const auto& point : points) {
      for (const std::string& value : axis.values) {
        next.push_back(point);
        next.back().push_back(value);
      }
    }
    points = std::move(next);
  }
  std::vector<Scenario> scenarios;
  for (const auto& point : points) {
    std::vector<std::string> sets = args.sets;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      sets.push_back(axes[i].path + "=" + point[i]);
    }
    scenarios.push_back(load(args, sets));
  }
  nlohmann::ordered_json out{{"points", nlohmann::ordered_json::array()}};
  for (std::size_t p = 0; p < points.size(); ++p) {
    nlohmann::ordered_json set = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < axes.size(); ++i) {
      try {
        set[axes[i].path] = nlohmann::ordered_json::parse(points[p][i]);
      } catch (const nlohmann::json::parse_error&) {
        set[axes[i].path] = points[p][i];
      }
    }
    spdlog::info("point {}/{}: {}", p + 1, points.size(), set.dump());
    try {
      out["points"].push_back({{"set", std::move(set)}, {"metrics", run(scenarios[p], RunOptions{args.jobs})}});
    } catch (const RunError& e) {
      throw RunError("point " + std::to_string(p) + ": " + e.what());
    }
  }
  emit(args.out, out);
  return exit_ok;
}

int command_validate(const std::string& path) {
  const Scenario scenario = load(path, {});
  std::cerr << path << ": valid (" << scenario.stations.size() << " stations, "
            << scenario.open_stations << " open)\n";
  return exit_ok;
}

/** The options `run` and `sweep` share. */
void add_run_options(CLI::App& command, RunArgs& args, bool& quiet, bool& verbose) {
  command.add_option("-o,--out", args.out,
                     "write the metrics JSON there, atomically (default: stdout)");
  command.add_option("--seed", args.seed, "master seed; overrides the scenario's seed");
  command.add_option("--replications", args.replications, "independent replications")
      ->check(CLI::PositiveNumber);
  command.add_option("--set", args.sets, "override a scenario value: PATH=VALUE (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--jobs", args.jobs, "replications run at once (default: cores)")
      ->check(CLI::PositiveNumber);
  command.add_flag("-q,--quiet", quiet, "log warnings and errors only");
  command.add_flag("-v,--verbose", verbose, "log more");
}

void setup_logging(int verbosity) {
  auto logger = spdlog::stderr_color_mt("h2sim");
  logger->set_pattern("h2sim: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbosity < 0   ? spdlog::level::warn
                    : verbosity > 0 ? spdlog::level::debug
                                    : spdlog::level::info);
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"h2sim: hydrogen refuelling stations and the fuel-cell vehicles queueing at them"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "print the version and exit");

  bool quiet = false;
  bool verbose = false;
  RunArgs run_args;
  auto* run_cmd = app.add_subcommand("run", "simulate a scenario; print its metrics as JSON");
  run_cmd->add_option("SCENARIO", run_args.scenario,
                      "scenario file (default: the built-in shanghai-2025)");
  add_run_options(*run_cmd, run_args, quiet, verbose);

  std::vector<std::string> varies;
  RunArgs sweep_args;
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "run every combination of the --vary values (full factorial); print all metrics");
  sweep_cmd->add_option("SCENARIO", sweep_args.scenario, "scenario file")->required();
  sweep_cmd->add_option("--vary", varies, "PATH=V1,V2,... or PATH=FROM:TO:STEP (repeatable)")
      ->required()
      ->allow_extra_args(false);
  add_run_options(*sweep_cmd, sweep_args, quiet, verbose);

  std::string validate_path;
  auto* validate_cmd = app.add_subcommand("validate", "check a scenario file; exit 2 if invalid");
  validate_cmd->add_option("SCENARIO", validate_path, "scenario file")->required();

  auto* schema_cmd = app.add_subcommand("schema", "print the JSON Schema of scenario files");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_invalid;
  }
  setup_logging(quiet ? -1 : verbose ? 1 : 0);

  try {
    if (show_version) {
      std::cout << "h2sim " << version() << "\n";
      return exit_ok;
    }
    if (*run_cmd) {
      return command_run(run_args);
    }
    if (*sweep_cmd) {
      return command_sweep(sweep_args, varies);
    }
    if (*validate_cmd) {
      return command_validate(validate_path);
    }
    if (*schema_cmd) {
      std::cout << scenario_json_schema().dump(2) << "\n";
      return exit_ok;
    }
    std::cerr << app.help();
    return exit_invalid;
  } catch (const InvalidInput& e) {
    if (*e.what() != '\0') {
      std::cerr << "h2sim: " << e.what() << "\n";
    }
    return exit_invalid;
  } catch (const std::exception& e) {
    std::cerr << "h2sim: error: " << e.what() << "\n";
    return exit_failure;
  }
}

} // namespace h2sim::cli
