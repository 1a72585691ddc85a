#pragma once

// What the commands share: their arguments, loading a scenario, writing what they print, running
// replications with progress. Each command is one file (run.cpp, sweep.cpp, size.cpp,
// validate.cpp, schema.cpp); commands.cpp parses the command line and calls one.

#include "output.hpp"

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace h2sim::cli {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_invalid = 2;

/** A usage or input error: reported on stderr, exit code 2 (an empty message: already told). */
struct InvalidInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/** The options run, sweep and size share. */
struct RunArgs {
  std::string scenario; // empty: the built-in default
  std::string out;
  std::optional<std::string> seed;         // --seed, applied as an override of /seed
  std::optional<std::string> replications; // --replications, likewise
  std::optional<std::string> series;       // --series none|daily|hourly: /series_bin_days
  std::vector<std::string> sets;
  int jobs = available_cores();
  bool quiet = false;
  bool verbose = false;
  std::vector<std::string> until; // --until PATH:RELATIVE (repeatable): run until precise
  std::size_t max_replications = 1000;
  QuantileInterval quantile_interval = QuantileInterval::sectioning;
  bool dry_run = false;         // validate and print the points, without simulating
  Executor* executor = nullptr; // the MPI executor under mpirun, else local processes
  bool writes_output = true;    // false on MPI ranks other than 0
  // `run` only:
  std::optional<std::size_t> replication;        // --replication K: run replication K alone
  std::string events;                            // --events FILE: the event log of one replication
  std::optional<std::size_t> events_replication; // --events-replication K (default 0)
  int events_fd = -1;                            // where the log goes, once opened
};

/** `h2sim size`: what to size, over which range, against which target. */
struct SizeArgs {
  std::string param;
  std::string range;
  std::vector<std::string> targets;
  std::string minimize; // a metric path; empty: the smallest value meeting the targets
};

/** `h2sim site`: where to choose stations from, against which target. */
struct SiteArgs {
  std::string candidates;     // ID,ID,... or "all" (empty: only the CSV's sites)
  std::string candidates_csv; // a CSV of candidate sites appended to the stations
  std::string template_id;    // the station the CSV's sites copy (empty: the first)
  std::string origin;         // LAT,LON of the scenario's (0, 0) km, for a CSV's lat and lon
  std::string fixed;          // ID,ID,... (may be empty)
  std::string target;
  std::string minimize;                    // a metric path; empty: improve the target's metric
  std::optional<std::size_t> max_stations; // at most this many beyond the fixed ones
  std::size_t swap_rounds = 1000;
  std::size_t swap_candidates = 0; // 0: every candidate not open
};

/** The scenario file's text (read once per process), or the built-in default's for an empty path.
 */
std::string scenario_text(const std::string& path);

/**
 * The stations open, as validate and run's log say it: "11 open", or where the scenario's
 * events open fewer at the start than at some time of the run, "11 open at the start, 70 at
 * some time".
 */
std::string open_stations_text(const Scenario& scenario);

/** Where the scenario at `path` finds its own files (a trace): beside it ("." for none). */
std::string base_dir_of(const std::string& path);

/** The scenario at `path` with `sets` (PATH=VALUE); problems on stderr, then InvalidInput. */
Scenario load(const std::string& path, const std::vector<std::string>& sets);
/** load(path, sets), its warnings logged as warnings or, with `log_warnings` false, as debug. */
Scenario load(const std::string& path, const std::vector<std::string>& sets, bool log_warnings);

/** The problems of the scenario at `path` with --set `sets` (and --seed, ...), found silently. */
std::vector<Problem> problems_with(const RunArgs& args, const std::vector<std::string>& sets,
                                   const std::vector<Override>& varied = {});

/**
 * load(path, sets, log_warnings) of `text` instead of the file's (its files still found beside
 * `path`), with overrides already parsed (each naming its option in messages); each problem's
 * line on stderr begins with `where` (a sweep point: "point 3 (PATH=VALUE): "), and with
 * `name_file` each warning's with the file's path (compare's files).
 */
Scenario load_overrides(const std::string& path, const std::string& text,
                        const std::vector<Override>& overrides, bool log_warnings,
                        const std::string& where = "", bool name_file = false);

/** The overrides a run applies: `sets` (--set), then --seed, --replications and --series. */
std::vector<Override> all_overrides(const RunArgs& args, const std::vector<std::string>& sets);

/**
 * A sweep point's overrides: `sets`, then its values `varied` (each naming its option: --vary, or
 * size's --param), then --seed, --replications and --series.
 */
std::vector<Override> point_overrides(const RunArgs& args, const std::vector<std::string>& sets,
                                      const std::vector<Override>& varied);

/** The scenario to run: the file (or the built-in default) with `sets`, --seed, --replications. */
Scenario load(const RunArgs& args, const std::vector<std::string>& sets);

/** A sweep point's scenario, with its point_overrides; its problems are reported after `where`. */
Scenario load(const RunArgs& args, const std::vector<std::string>& sets,
              const std::vector<Override>& varied, const std::string& where);

/**
 * The metric path --minimize gives, without the spaces around it ("" for none), as --target's
 * metric is read; InvalidInput when it is no path of the metrics.
 */
std::string minimized_metric(const std::string& given);

/** Fails before any simulation when -o (or --table) could not be written afterwards. */
void check_output_path(const RunArgs& args, const std::string& option, const std::string& path);

/**
 * Why writing `path` would destroy one of `inputs`: "the same file as the input X (it would be
 * overwritten)" when both name one regular file (a link, another spelling); nothing if not.
 */
std::optional<std::string> overwrites_input(const std::string& path,
                                            const std::vector<std::string>& inputs);

/**
 * check_output_path for each (option, path) of `outputs`, and fails when two of them, or one and
 * an input file (the scenario), are the same regular file: one would overwrite the other.
 */
void check_outputs(const RunArgs& args,
                   const std::vector<std::pair<std::string, std::string>>& outputs,
                   const std::vector<std::string>& inputs);

/**
 * Experiments that report a 95% interval need 2 or more replications: `--replications 1` is an
 * error naming `command`; a scenario of 1 runs 5 (`each` says per what, for the log).
 */
void need_intervals(RunArgs& args, const Scenario& scenario, const std::string& command,
                    const std::string& each);

/**
 * The command's JSON to stdout or to --out, with the outputs written beside it (--table), so that a
 * failure in any replaces no file (finish_outputs); only rank 0 writes under MPI.
 */
void emit(const RunArgs& args, nlohmann::ordered_json document, const std::string& what,
          std::vector<StagedOutput> with = {});
/** The arguments h2sim was started with, for the outputs' provenance (`run.provenance`). */
void remember_command_line(int argc, const char* const* argv);

/**
 * Names each failed replication of `metrics` (one point's) on stderr, prefixed by `where`;
 * returns how many failed. Only rank 0 speaks under MPI.
 */
std::size_t report_failures(const RunArgs& args, const Metrics& metrics, const std::string& where);

/**
 * With --until, the scenario's replications (or --replications) are the first stage and
 * --max-replications the most: InvalidInput naming both when the first is more (after `where`,
 * a sweep point's name, where the scenario's come from its values).
 */
void check_max_replications(const RunArgs& args, const Scenario& scenario,
                            const std::string& where = "");

/** --until's PATH:RELATIVE texts, checked (InvalidInput naming the text otherwise). */
std::vector<Precision> precisions(const std::vector<std::string>& until);
/**
 * --until's precisions, each checked against every scenario, as --max-replications is (an
 * InvalidInput naming what is wrong).
 */
std::vector<Precision> checked_precisions(const RunArgs& args,
                                          const std::vector<Scenario>& scenarios);

/**
 * Runs scenarios (sweep points) in one pool, with progress over all their replications; those in
 * `finished` are not run again, and `on_finished` hears of each one that finishes.
 */
std::vector<Metrics> run_points(const std::vector<Scenario>& scenarios, const RunArgs& args,
                                std::vector<FinishedReplication> finished = {},
                                std::function<void(const FinishedReplication&)> on_finished = {});

int command_run(RunArgs args, const std::string& table_path);
int command_sweep(const RunArgs& args, const std::vector<std::string>& varies,
                  const std::string& table_path, bool resume);
int command_size(const RunArgs& given, const SizeArgs& size);
int command_site(const RunArgs& given, const SiteArgs& site);
int command_validate(const std::string& path, const std::vector<std::string>& sets);

/**
 * --dry-run: the points that would run, each with its `set` (a sweep point's values), the scenario
 * it makes (name, replications, days, open stations), its warnings and its overrides, as JSON.
 */
void emit_dry_run(const RunArgs& args, const std::vector<nlohmann::ordered_json>& sets,
                  const std::vector<Scenario>& scenarios);
int command_schema(bool metrics, bool markdown);
int command_compare(const RunArgs& args, const std::vector<std::string>& files);

} // namespace h2sim::cli
