#include "common.hpp"

#include "output.hpp"
#include "progress.hpp"

#include <h2sim/experiments.hpp>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace h2sim::cli {

namespace {

std::string read_file(const std::string& path) {
  std::error_code error;
  if (path == "-" && !std::filesystem::exists(path, error)) { // a file named "-" is read
    throw InvalidInput("cannot read scenario -: standard input is not read; give the file's path");
  }
  if (std::filesystem::is_directory(path, error)) {
    throw InvalidInput("cannot read scenario " + path + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InvalidInput("cannot read scenario " + path + ": " + std::strerror(errno));
  }
  // A pipe (`<(...)`) is fine, but never read without end: /dev/zero would take all memory.
  constexpr std::size_t max_bytes = 64 << 20;
  std::string text;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      throw InvalidInput("cannot read scenario " + path + ": larger than 64 MiB");
    }
  }
  return text;
}

/** PATH=VALUE texts given with `option` (--set, --vary), as overrides that name it. */
std::vector<Override> parse_overrides(const std::vector<std::string>& sets,
                                      const std::string& option = "--set") {
  std::vector<Override> overrides;
  for (const std::string& set : sets) {
    std::optional<Override> override = parse_override(set);
    if (!override) {
      throw InvalidInput(option + " " + set + ": expected PATH=VALUE");
    }
    override->option = option;
    overrides.push_back(std::move(*override));
  }
  return overrides;
}

/** Each problem on a line of its own, after `where` (a sweep point's values, or nothing). */
void report_problems(const std::string& origin, const ScenarioError& error,
                     const std::string& where) {
  const auto count = error.problems().size();
  std::cerr << "h2sim: invalid scenario " << valid_utf8(origin) << " (" << count << " problem"
            << (count == 1 ? "" : "s") << "):\n";
  for (const Problem& problem : error.problems()) {
    // A point's values may be any bytes. A problem of the option `where` names is not named twice
    // ("--param X=1: (file): --param X=1: bad path").
    const bool named = !where.empty() && problem.message.starts_with(where);
    std::cerr << "  " << (named ? "" : valid_utf8(where)) << problem.text() << "\n";
  }
}

/** JSON as the commands print it; text from a failed replication may not be valid UTF-8. */
std::string json_text(const nlohmann::ordered_json& document) {
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace

std::string scenario_text(const std::string& path) {
  if (path.empty()) {
    return std::string(default_scenario_text());
  }
  // Read once per process: sweep and size load the scenario once per point, and a pipe
  // (h2sim sweep <(...)) can be read only once; every point sees the same text besides.
  static std::map<std::string, std::string> read;
  auto found = read.find(path);
  if (found == read.end()) {
    found = read.emplace(path, read_file(path)).first;
  }
  return found->second;
}

std::vector<Override> all_overrides(const RunArgs& args, const std::vector<std::string>& sets) {
  std::vector<Override> overrides = parse_overrides(sets);
  // --seed, --replications and --series are overrides like --set, validated like the file's own
  // values; each is named as written ("--series hourly"), and a problem with its value says so.
  const auto add = [&](const std::string& path, const std::string& value,
                       const std::string& as_written) {
    overrides.push_back({path, value, "--set", as_written});
  };
  if (args.seed) {
    add("seed", *args.seed, "--seed " + *args.seed);
  }
  if (args.replications) {
    add("replications", *args.replications, "--replications " + *args.replications);
  }
  // --series: the width of the series bins, in days (none: no series; hourly: 1/24 day).
  if (args.series) {
    const double bin_days = *args.series == "none"     ? 0.0
                            : *args.series == "hourly" ? 1.0 / 24
                                                       : 1.0;
    add("series_bin_days", nlohmann::json(bin_days).dump(), "--series " + *args.series);
  }
  return overrides;
}

Scenario load(const RunArgs& args, const std::vector<std::string>& sets) {
  return load_overrides(args.scenario, scenario_text(args.scenario), all_overrides(args, sets),
                        true);
}

std::string minimized_metric(const std::string& given) {
  if (given.empty()) {
    return {};
  }
  try {
    return parse_size_target(given + "<=0").metric;
  } catch (const ExperimentError&) {
    throw InvalidInput("--minimize " + given +
                       ": expected a path of the metrics (totals.economics.social_cost_per_kg, "
                       "stations[id=S1].wait_min.p95, ...)");
  }
}

std::vector<Override> point_overrides(const RunArgs& args, const std::vector<std::string>& sets,
                                      const std::vector<Override>& varied) {
  std::vector<Override> overrides = parse_overrides(sets);
  overrides.insert(overrides.end(), varied.begin(), varied.end());
  const std::vector<Override> last = all_overrides(args, {});
  overrides.insert(overrides.end(), last.begin(), last.end());
  return overrides;
}

Scenario load(const RunArgs& args, const std::vector<std::string>& sets,
              const std::vector<Override>& varied, const std::string& where) {
  return load_overrides(args.scenario, scenario_text(args.scenario),
                        point_overrides(args, sets, varied), true, where);
}

/**
 * MPI ranks other than 0 write nothing, so they check nothing (and all ranks reach the same
 * collective calls).
 */
void check_output_path(const RunArgs& args, const std::string& option, const std::string& path) {
  if (path.empty() || path == "-" || !args.writes_output) {
    return;
  }
  if (const auto problem = output_path_problem(path)) {
    throw InvalidInput(option + " " + path + ": " + *problem);
  }
}

namespace {

/** A file's identity by its device and inode (see file_identity). */
std::string inode_identity(const struct stat& status, bool fifo = false) {
  return std::string(fifo ? "fifo " : "inode ") + std::to_string(status.st_dev) + ":" +
         std::to_string(status.st_ino);
}

/**
 * What a path names, for telling two paths of one file apart: an existing file or named FIFO
 * (links followed) by its device and inode, a path not there yet by the absolute form of where its
 * links lead (a dangling link names the file it will create); nothing for a device or an unnamed
 * pipe, which outputs may share (a terminal, /dev/null, `2>&1 | less`). Two outputs into one named
 * FIFO would block on the second open.
 */
std::optional<std::string> file_identity(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0) {
    // A pipe without a name (/dev/stdout, /dev/fd/3 of `| less`) opens again without waiting.
    const bool fifo =
        S_ISFIFO(status.st_mode) &&
        !std::filesystem::path(where_links_lead(path)).filename().string().starts_with("pipe:[");
    if (!S_ISREG(status.st_mode) && !fifo) {
      return std::nullopt;
    }
    return inode_identity(status, fifo);
  }
  std::error_code error;
  const std::filesystem::path led = where_links_lead(path);
  const std::filesystem::path absolute = std::filesystem::absolute(led, error);
  if (error) { // a working directory longer than PATH_MAX: every relative path failed alike
    return "path " + led.lexically_normal().string();
  }
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(absolute, error);
  return "path " + (error ? absolute.lexically_normal() : canonical).string();
}

} // namespace

std::optional<std::string> overwrites_input(const std::string& path,
                                            const std::vector<std::string>& inputs) {
  const auto identity = file_identity(path);
  if (!identity) {
    return std::nullopt;
  }
  for (const std::string& input : inputs) {
    if (!input.empty() && input != "-" && file_identity(input) == identity) {
      return "the same file as the input " + input + " (it would be overwritten)";
    }
  }
  return std::nullopt;
}

namespace {
/**
 * The outputs check_outputs passed, (option, path): the files a scenario reads are known only once
 * it is loaded (a trace's CSV), and load_overrides checks them against these. One command per
 * process, as command_line() below.
 */
std::vector<std::pair<std::string, std::string>>& planned_outputs() {
  static std::vector<std::pair<std::string, std::string>> outputs;
  return outputs;
}

/** Fails when an output check_outputs passed is a file the scenario read. */
void check_outputs_spare(const Scenario& scenario) {
  for (const auto& [option, path] : planned_outputs()) {
    for (const std::string& file : scenario.files()) {
      if (overwrites_input(path, {file})) {
        throw InvalidInput(option + " " + path + ": the same file as " + file +
                           ", which the scenario reads (it would be overwritten)");
      }
    }
  }
}
} // namespace

void check_outputs(const RunArgs& args,
                   const std::vector<std::pair<std::string, std::string>>& outputs,
                   const std::vector<std::string>& inputs) {
  if (!args.writes_output) {
    return;
  }
  std::vector<std::pair<std::string, std::string>> seen; // (identity, which output)
  // A regular file that stdout or stderr writes to (`> log`, `>> log`): a path to it
  // (/dev/stdout, /proc/self/fd/1, its name) would replace it, and what they write would go into
  // the file replaced, or the file would lose what it held.
  for (const auto& [fd, name] : {std::pair{STDOUT_FILENO, "stdout"}, {STDERR_FILENO, "stderr"}}) {
    struct stat status {};
    if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode)) {
      seen.emplace_back(inode_identity(status), std::string("the one ") + name + " goes to");
    }
  }
  for (const auto& [option, path] : outputs) {
    if (path.empty() || path == "-") {
      continue; // -o's default and "-" are stdout; the options that cannot take them refuse them
    }
    check_output_path(args, option, path);
    if (const auto problem = overwrites_input(path, inputs)) {
      throw InvalidInput(option + " " + path + ": " + *problem);
    }
    planned_outputs().emplace_back(option, path);
    const auto identity = file_identity(path);
    if (!identity) {
      continue;
    }
    for (const auto& [other, what] : seen) {
      if (other == *identity) {
        throw InvalidInput(option + " " + path + ": the same " +
                           (identity->starts_with("fifo ")
                                ? "FIFO as " + what + " (the second open would wait for ever)"
                                : "file as " + what + " (it would be overwritten)"));
      }
    }
    seen.emplace_back(*identity, option + "'s " + path);
  }
}

Scenario load(const std::string& path, const std::vector<std::string>& sets) {
  return load(path, sets, true);
}

Scenario load(const std::string& path, const std::vector<std::string>& sets, bool log_warnings) {
  return load_overrides(path, scenario_text(path), parse_overrides(sets), log_warnings);
}

std::string base_dir_of(const std::string& path) {
  const std::string dir = path.empty() ? "." : std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

std::vector<Problem> problems_with(const RunArgs& args, const std::vector<std::string>& sets,
                                   const std::vector<Override>& varied) {
  try {
    load_scenario(scenario_text(args.scenario), point_overrides(args, sets, varied),
                  base_dir_of(args.scenario));
  } catch (const ScenarioError& error) {
    return error.problems();
  }
  return {};
}

Scenario load_overrides(const std::string& path, const std::string& text,
                        const std::vector<Override>& overrides, bool log_warnings,
                        const std::string& where, bool name_file) {
  const std::string origin = path.empty() ? "(built-in shanghai-2025)" : path;
  try {
    Scenario scenario = load_scenario(text, overrides, base_dir_of(path));
    check_outputs_spare(scenario);
    // Each warning of a file once a command: size loads the scenario at both ends of its range
    // and at each value it tries, a sweep at every point, and each load said it again. (compare's
    // files each say theirs.)
    static std::set<std::string> logged;
    for (const Warning& warning : scenario.warnings()) {
      if (log_warnings &&
          logged.insert(origin + '\0' + warning.pointer + '\0' + warning.message).second) {
        spdlog::warn("{}{}: {}", name_file ? valid_utf8(origin) + ": " : "", warning.pointer,
                     warning.message);
      } else {
        spdlog::debug("{}: {}", warning.pointer, warning.message);
      }
    }
    return scenario;
  } catch (const ScenarioError& error) {
    report_problems(origin, error, where);
    throw InvalidInput("");
  }
}

namespace {
std::vector<std::string>& command_line() {
  static std::vector<std::string> arguments;
  return arguments;
}
} // namespace

std::string open_stations_text(const Scenario& scenario) {
  const std::size_t network = scenario.open_stations();
  const std::size_t at_start = scenario.open_at_start();
  if (at_start == network) {
    return std::to_string(network) + " open";
  }
  return std::to_string(at_start) + " open at the start, " + std::to_string(network) +
         " at some time";
}

void remember_command_line(int argc, const char* const* argv) {
  command_line().assign(argv, argv + argc);
}

void emit(const RunArgs& args, nlohmann::ordered_json document, const std::string& what,
          std::vector<StagedOutput> with) {
  if (!args.writes_output) {
    return;
  }
  // Provenance: a run's block says what made it; a sweep's, size's, site's or comparison's own
  // block says the same of the whole (its points carry their scenarios' own; site's block has
  // its wall times already).
  document = with_provenance(std::move(document));
  document["run"]["provenance"]["command_line"] = command_line();
  with.insert(with.begin(), StagedOutput(args.out, json_text(document), what));
  finish_outputs(with);
}

std::size_t report_failures(const RunArgs& args, const Metrics& metrics, const std::string& where) {
  const std::vector<ReplicationFailure> failures = metrics.failures();
  if (args.writes_output) {
    for (const ReplicationFailure& failure : failures) {
      std::cerr << "h2sim: error: " << valid_utf8(where) << "replication " << failure.replication
                << " failed: " << valid_utf8(failure.error) << "\n";
    }
  }
  return failures.size();
}

void need_intervals(RunArgs& args, const Scenario& scenario, const std::string& command,
                    const std::string& each) {
  if (scenario.replications() >= 2) {
    return;
  }
  if (args.replications) {
    throw InvalidInput("--replications: " + command +
                       " needs at least 2 for a confidence interval");
  }
  // Five, or fewer where --until may not run more (--max-replications is 2 at least).
  const std::size_t first = replications_for_intervals(!args.until.empty(), args.max_replications);
  args.replications = std::to_string(first);
  spdlog::info("{}: {}{} replications {} (a confidence interval needs 2 or more{})", command,
               args.until.empty() ? "" : "at least ", first, each,
               args.until.empty() ? "" : "; --until adds more");
}

void check_max_replications(const RunArgs& args, const Scenario& scenario,
                            const std::string& where) {
  const auto asked = static_cast<std::size_t>(scenario.replications());
  if (args.until.empty() || asked <= args.max_replications) {
    return;
  }
  const std::string most = std::to_string(args.max_replications);
  const std::string why = "--until adds replications up to --max-replications, never runs "
                          "fewer than asked for";
  if (args.replications) {
    throw InvalidInput("--replications " + std::to_string(asked) +
                       ": more than --max-replications " + most + " (" + why + ")");
  }
  throw InvalidInput(where + "--max-replications " + most + ": fewer than the scenario's " +
                     std::to_string(asked) + " replications (" + why + ")");
}

std::vector<Precision> precisions(const std::vector<std::string>& until) {
  std::vector<Precision> wanted;
  for (const std::string& text : until) {
    try {
      wanted.push_back(parse_precision(text));
    } catch (const std::invalid_argument& e) {
      throw InvalidInput(std::string("--until ") + e.what());
    }
  }
  return wanted;
}

std::vector<Precision> checked_precisions(const RunArgs& args,
                                          const std::vector<Scenario>& scenarios) {
  std::vector<Precision> wanted = precisions(args.until);
  for (const Scenario& scenario : scenarios) {
    check_max_replications(args, scenario);
    try {
      check_precisions(scenario, wanted);
    } catch (const std::invalid_argument& e) {
      throw InvalidInput(std::string("--until ") + e.what());
    }
  }
  return wanted;
}

std::vector<Metrics> run_points(const std::vector<Scenario>& scenarios, const RunArgs& args,
                                std::vector<FinishedReplication> finished,
                                std::function<void(const FinishedReplication&)> on_finished) {
  RunOptions options;
  options.until = checked_precisions(args, scenarios);
  options.max_replications = args.max_replications;
  std::size_t total = 0; // --until may add more
  for (const Scenario& scenario : scenarios) {
    total += args.replication
                 ? 1
                 : options.first_stage(static_cast<std::size_t>(scenario.replications()));
  }
  Progress progress("replications", total, args.quiet);
  options.jobs = args.jobs;
  options.on_progress = [&](std::size_t done, std::size_t now) { progress.update(done, now); };
  options.executor = args.executor;
  options.finished = std::move(finished);
  options.on_finished = std::move(on_finished);
  options.quantile_interval = args.quantile_interval;
  options.only_replication = args.replication;
  if (args.events_fd >= 0) {
    options.events = RunOptions::EventLog{args.events_fd, args.events.ends_with(".jsonl"),
                                          args.replication ? *args.replication
                                                           : args.events_replication.value_or(0)};
  }
  return run_all_metrics(scenarios, options);
}

void emit_dry_run(const RunArgs& args, const std::vector<nlohmann::ordered_json>& sets,
                  const std::vector<Scenario>& scenarios) {
  checked_precisions(args, scenarios); // what the run would refuse, a dry run refuses too
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < scenarios.size(); ++p) {
    const Scenario& scenario = scenarios[p];
    nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
    for (const Warning& warning : scenario.warnings()) {
      warnings.push_back({{"pointer", warning.pointer}, {"message", warning.message}});
    }
    points.push_back({{"set", sets[p]},
                      {"scenario", scenario.name()},
                      {"seed", scenario.seed()},
                      {"replications", scenario.replications()},
                      {"horizon_days", scenario.horizon_days()},
                      {"warmup_days", scenario.automatic_warmup()
                                          ? nlohmann::ordered_json("auto")
                                          : nlohmann::ordered_json(scenario.warmup_days())},
                      {"open_stations", scenario.open_stations()},
                      {"warnings", std::move(warnings)},
                      {"overrides", changes_json(scenario.changes())}});
  }
  // On stdout only: -o's file (last run's results, say) stays as it is, as every other output.
  RunArgs shown = args;
  shown.out.clear();
  emit(shown, {{"dry_run", true}, {"points", std::move(points)}}, "the points");
}

} // namespace h2sim::cli
