// The command line: CLI11 declares the commands and their options; each command is its own file
// (run.cpp, sweep.cpp, size.cpp, validate.cpp, schema.cpp) on common.hpp.
#include "commands.hpp"

#include "common.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "validators.hpp"
#ifdef H2SIM_WITH_MPI
#include "mpi_executor.hpp"
#endif

#include <h2sim/h2sim.hpp>
#include <h2sim/log.hpp>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <map>
#include <memory>

namespace h2sim::cli {

namespace {

/**
 * --table and --events take a file: "-" is stdout, the metrics', and an empty path would be
 * taken for the option's absence.
 */
const CLI::Validator& a_file() {
  static const CLI::Validator validator(
      [](const std::string& path) {
        if (path.empty()) {
          return std::string("must be a file's path, not empty");
        }
        return path == "-" ? std::string("must be a file's path (- is stdout, the metrics')")
                           : std::string();
      },
      "FILE");
  return validator;
}

} // namespace

const CLI::Validator& an_output() {
  static const CLI::Validator validator(
      [](const std::string& path) {
        return path.empty() ? std::string("must be a file's path or - (stdout), not empty")
                            : std::string();
      },
      "FILE");
  return validator;
}

const CLI::Validator& not_empty() {
  static const CLI::Validator validator(
      [](const std::string& value) {
        return value.empty() ? std::string("must not be empty") : std::string();
      },
      "");
  return validator;
}

namespace {

/**
 * A --quantile-interval name (any case) as the number CLI11 reads into the enum. Only the names:
 * CLI11's CheckedTransformer also took the enum's numbers ("3" meant batches) and showed them.
 */
CLI::Validator quantile_interval_name() {
  std::string names;
  for (const auto& entry : quantile_intervals_by_name()) {
    names += (names.empty() ? "" : ",") + entry.first;
  }
  return CLI::Validator(
      [names](std::string& value) {
        for (const auto& [name, method] : quantile_intervals_by_name()) {
          if (CLI::detail::to_lower(value) == name) {
            value = std::to_string(static_cast<int>(method));
            return std::string();
          }
        }
        return value + " not in {" + names + "}";
      },
      "{" + names + "}");
}

/** The options `run` and `sweep` share. */
void add_run_options(CLI::App& command, RunArgs& args) {
  command
      .add_option("-o,--out", args.out,
                  "write the metrics JSON there: a file is replaced atomically, a device or "
                  "FIFO written to (default: stdout)")
      ->check(an_output());
  command.add_option("--seed", args.seed, "master seed; overrides the scenario's seed");
  command.add_option("--replications", args.replications,
                     "independent replications; overrides the scenario's");
  command
      .add_option("--series", args.series,
                  "time series in the metrics: none, daily (bins of a day) or hourly (bins of an "
                  "hour); overrides the scenario's series_bin_days (default: a day up to 400 days, "
                  "a week beyond)")
      ->check(CLI::IsMember({"none", "daily", "hourly"}));
  command.add_option("--set", args.sets, "override a scenario value: PATH=VALUE (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--jobs", args.jobs, "replications run at once (default: cores)")
      ->check(CLI::Range(1, 4096));
  CLI::Option* until =
      command
          .add_option("--until", args.until,
                      "PATH:RELATIVE, e.g. totals.wait_min.p95:0.05: add replications until the "
                      "95% interval of PATH (a ci95 key) has a relative half-width within "
                      "RELATIVE (repeatable; Law and Kelton's sequential procedure)")
          ->allow_extra_args(false);
  command
      .add_option("--max-replications", args.max_replications,
                  "with --until: stop adding replications here (default 1000)")
      ->check(CLI::Range(2, 100000))
      ->needs(until);
  command
      .add_option("--quantile-interval", args.quantile_interval,
                  "how the 95% intervals of the quantiles of waits are formed: sectioning "
                  "(default: around the quantile of the replications' waits pooled), "
                  "replications (Student-t over their own quantiles, as before), jackknife, or "
                  "batches (sectioning over the series bins); docs/statistics.md")
      ->transform(quantile_interval_name());
  command.add_flag("-q,--quiet", args.quiet, "log warnings and errors only; no progress");
  command.add_flag("--dry-run", args.dry_run,
                   "validate, then print the points that would run and their overrides as JSON, "
                   "without simulating");
  command.add_flag("-v,--verbose", args.verbose, "log more");
}

/**
 * Passes each line to `inner` in valid UTF-8: a warning may quote what a user gave (a
 * --candidates-csv path, a --vary), and every message h2sim prints is UTF-8.
 */
class Utf8Sink final : public spdlog::sinks::sink {
public:
  explicit Utf8Sink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}
  void log(const spdlog::details::log_msg& msg) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    const std::string valid = valid_utf8(text);
    if (valid == text) {
      inner_->log(msg);
      return;
    }
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(valid.data(), valid.size());
    inner_->log(copy);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

void setup_logging(int verbosity) {
  auto logger = std::make_shared<spdlog::logger>(
      "h2sim", std::make_shared<Utf8Sink>(std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
  spdlog::register_logger(logger);
  logger->set_pattern("h2sim: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbosity < 0   ? spdlog::level::warn
                    : verbosity > 0 ? spdlog::level::debug
                                    : spdlog::level::info);
  h2sim::set_logger(logger); // the library's own lines (a replication's debug, a child's output)
}

} // namespace

int main(int argc, char** argv) {
  reserve_standard_descriptors();
  remember_command_line(argc, argv);
#ifdef H2SIM_WITH_MPI
  std::unique_ptr<MpiExecutor> mpi;
  if (MpiExecutor::launched_by_mpirun()) {
    mpi = std::make_unique<MpiExecutor>(&argc, &argv, 1);
  }
#endif
  CLI::App app{"h2sim: hydrogen refuelling stations and the fuel-cell vehicles queueing at them"};
  app.require_subcommand(0, 1);
  // A usage error reads like every other error: "h2sim: ..." (CLI11 prints its bare message),
  // and points to the help of the command it is in.
  app.failure_message([](const CLI::App* top, const CLI::Error& error) {
    std::string command = "h2sim";
    for (const CLI::App* sub : top->get_subcommands()) {
      command += " " + sub->get_name();
    }
    return "h2sim: " + valid_utf8(error.what()) + "\nRun '" + command +
           " --help' for more information.\n";
  });
  bool show_version = false;
  app.add_flag("--version", show_version, "print the version and exit");

  RunArgs run_args;
  auto* run_cmd = app.add_subcommand("run", "simulate a scenario; print its metrics as JSON");
  run_cmd
      ->add_option("SCENARIO", run_args.scenario,
                   "scenario file (default: the built-in shanghai-2025)")
      ->check(not_empty());
  add_run_options(*run_cmd, run_args);
  std::string run_table_path;
  run_cmd
      ->add_option("--table", run_table_path,
                   "also write the metrics as one long CSV table there (table, id, kind, "
                   "replication, index, metric, value)")
      ->check(a_file());
  // Range: a negative K would wrap around, and a huge one be clamped, as a size_t.
  run_cmd
      ->add_option("--replication", run_args.replication,
                   "run replication K alone, with its random streams among the scenario's "
                   "replications: its metrics equal entry K of replication_totals")
      ->check(CLI::Range(0, 1000000));
  auto* events_option =
      run_cmd
          ->add_option("--events", run_args.events,
                       "write every event of one replication there: CSV, or JSON Lines when FILE "
                       "ends in .jsonl (written like -o)")
          ->check(a_file());
  run_cmd
      ->add_option("--events-replication", run_args.events_replication,
                   "the replication whose events --events writes (default 0)")
      ->check(CLI::Range(0, 1000000))
      ->needs(events_option);

  std::vector<std::string> varies;
  std::string table_path;
  RunArgs sweep_args;
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "run every combination of the --vary values (full factorial); print all metrics");
  sweep_cmd->add_option("SCENARIO", sweep_args.scenario, "scenario file")
      ->required()
      ->check(not_empty());
  sweep_cmd->add_option("--vary", varies, "PATH=V1,V2,... or PATH=FROM:TO:STEP (repeatable)")
      ->required()
      ->allow_extra_args(false);
  add_run_options(*sweep_cmd, sweep_args);
  sweep_cmd
      ->add_option("--table", table_path,
                   "also write one CSV row per replication and per point (mean) there")
      ->check(a_file());
  bool resume = false;
  sweep_cmd->add_flag("--resume", resume,
                      "rerun only the replications -o FILE's journal (FILE.journal) lacks");

  SizeArgs size;
  RunArgs size_args;
  auto* size_cmd = app.add_subcommand(
      "size", "find the smallest value of an integer parameter for which the targets hold with 95% "
              "confidence (bisection over a monotone response), or with --minimize the value that "
              "minimises a metric while they hold");
  size_cmd->add_option("SCENARIO", size_args.scenario, "scenario file")
      ->required()
      ->check(not_empty());
  size_cmd->add_option("--param", size.param, "PATH of the integer to size, e.g. open_stations")
      ->required()
      ->check(not_empty());
  size_cmd->add_option("--range", size.range, "FROM:TO, the values to search")
      ->required()
      ->check(not_empty());
  size_cmd
      ->add_option("--target", size.targets,
                   "METRIC<=VALUE or METRIC>=VALUE, e.g. totals.wait_min.p95<=5 or "
                   "'stations[id=S1].wait_min.p95<=5' (repeatable: all must hold)")
      ->allow_extra_args(false)
      ->check(not_empty());
  size_cmd
      ->add_option("--minimize", size.minimize,
                   "METRIC to minimise over the range where the targets hold, e.g. "
                   "totals.economics.social_cost_per_kg")
      ->check(not_empty());
  add_run_options(*size_cmd, size_args);

  SiteArgs site;
  RunArgs site_args;
  auto* site_cmd = app.add_subcommand(
      "site", "choose which stations to open among candidates: greedy forward selection, then "
              "1-swaps, each set simulated with the same seed and replications (common random "
              "numbers), until the target holds with 95% confidence (docs/siting.md)");
  site_cmd->add_option("SCENARIO", site_args.scenario, "scenario file")
      ->required()
      ->check(not_empty());
  site_cmd
      ->add_option("--candidates", site.candidates,
                   "ID,ID,... the stations to choose from, or all (ties go to the one listed "
                   "first)")
      ->check(not_empty());
  site_cmd
      ->add_option("--candidates-csv", site.candidates_csv,
                   "FILE: a CSV of candidate sites (id, x_km, y_km or lat, lon, optional "
                   "dispensers (options as 2|4: alternatives ID@2, ID@4), "
                   "fill_rate_kg_per_min, overhead_min, queue_capacity, arrivals_per_h, name), "
                   "each a new station copying --template, all candidates after --candidates' "
                   "(docs/siting.md)")
      ->check(not_empty());
  site_cmd
      ->add_option("--template", site.template_id,
                   "ID: the station whose values the CSV's sites copy (default: the "
                   "scenario's first station)")
      ->check(not_empty());
  site_cmd
      ->add_option("--origin", site.origin,
                   "LAT,LON: the latitude and longitude (WGS84 degrees) of the scenario's "
                   "(0, 0) km, for a candidates CSV with lat and lon columns and a scenario "
                   "without an origin of its own (refused with x_km and y_km columns, which "
                   "it would not move)")
      ->check(not_empty());
  site_cmd
      ->add_option("--target", site.target,
                   "METRIC<=VALUE or METRIC>=VALUE that must hold with 95% confidence, e.g. "
                   "totals.wait_min.p95<=10")
      ->required()
      ->check(not_empty());
  site_cmd
      ->add_option("--fixed", site.fixed,
                   "ID,ID,... stations open from the start and never removed (e.g. today's; "
                   "among the candidates)")
      ->check(not_empty());
  site_cmd
      ->add_option("--minimize", site.minimize,
                   "METRIC to minimise among the sets where the target holds (default: the "
                   "target's metric is improved)")
      ->check(not_empty());
  site_cmd
      ->add_option("--max-stations", site.max_stations,
                   "add at most N stations to the fixed ones (default: until the target holds)")
      ->check(CLI::Range(1, 1000000));
  site_cmd
      ->add_option("--swap-rounds", site.swap_rounds,
                   "at most R rounds of 1-swaps after the forward selection (default 1000: "
                   "until none helps; 0: none)")
      ->check(CLI::Range(0, 1000000)); // a negative R would wrap around as a size_t
  site_cmd
      ->add_option("--swap-candidates", site.swap_candidates,
                   "swap in only the K candidates that came closest to being added at the "
                   "last forward step (default 0: every candidate not open)")
      ->check(CLI::Range(0, 1000000));
  add_run_options(*site_cmd, site_args);

  std::vector<std::string> compare_files;
  RunArgs compare_args;
  auto* compare_cmd = app.add_subcommand(
      "compare", "run scenarios with the same seed and replications (common random numbers); "
                 "print each metric's difference from the first with a paired 95% interval");
  compare_cmd->add_option("SCENARIOS", compare_files, "two or more scenario files")
      ->required()
      ->check(not_empty())
      ->expected(2, -1); // no upper bound: the help then says "SCENARIOS...", not "(2x)"
  add_run_options(*compare_cmd, compare_args);

  std::string validate_path;
  std::vector<std::string> validate_sets;
  auto* validate_cmd = app.add_subcommand("validate", "check a scenario file; exit 2 if invalid");
  validate_cmd->add_option("SCENARIO", validate_path, "scenario file")
      ->required()
      ->check(not_empty());
  validate_cmd
      ->add_option("--set", validate_sets, "override a scenario value: PATH=VALUE (repeatable)")
      ->allow_extra_args(false);

  auto* schema_cmd = app.add_subcommand("schema", "print the JSON Schema of scenario files");
  bool schema_markdown = false;
  bool schema_metrics = false;
  schema_cmd->add_flag("--markdown", schema_markdown, "print the reference in Markdown instead");
  schema_cmd->add_flag("--metrics", schema_metrics,
                       "the metrics that run and sweep write, not scenario files");

  const auto report = add_report_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_invalid;
  }
  RunArgs& chosen = *sweep_cmd     ? sweep_args
                    : *size_cmd    ? size_args
                    : *site_cmd    ? site_args
                    : *compare_cmd ? compare_args
                                   : run_args;
#ifdef H2SIM_WITH_MPI
  if (mpi) {
    mpi->set_jobs(chosen.jobs);
    chosen.executor = mpi.get();
    chosen.writes_output = mpi->rank() == 0;
    chosen.quiet = chosen.quiet || mpi->rank() != 0; // one voice: rank 0's
  }
#endif
  setup_logging(chosen.quiet ? -1 : chosen.verbose ? 1 : 0);

  try {
    if (show_version) {
      write_stdout("h2sim " + std::string(version()) + " (git " + std::string(git_commit()) +
                       ", SimGrid " + simgrid_version() + ")\n",
                   "the version");
      return exit_ok;
    }
    if (*run_cmd) {
      return command_run(run_args, run_table_path);
    }
    if (*sweep_cmd) {
      return command_sweep(sweep_args, varies, table_path, resume);
    }
    if (*size_cmd) {
      return command_size(size_args, size);
    }
    if (*site_cmd) {
      return command_site(site_args, site);
    }
    if (*compare_cmd) {
      return command_compare(compare_args, compare_files);
    }
    if (const auto code = report()) {
      return *code;
    }
    if (*validate_cmd) {
      return command_validate(validate_path, validate_sets);
    }
    if (*schema_cmd) {
      return command_schema(schema_metrics, schema_markdown);
    }
    std::cerr << app.help();
    return exit_invalid;
  } catch (const InvalidInput& e) {
    if (*e.what() != '\0') {
      std::cerr << "h2sim: " << valid_utf8(e.what()) << "\n"; // it may quote an option's bytes
    }
    return exit_invalid;
  } catch (const std::exception& e) {
    std::cerr << "h2sim: error: " << valid_utf8(e.what()) << "\n";
    return exit_failure;
  }
}

} // namespace h2sim::cli
