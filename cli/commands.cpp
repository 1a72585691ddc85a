#include "commands.hpp"

#include "journal.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "report.hpp"
#ifdef H2SIM_WITH_MPI
#include "mpi_executor.hpp"
#endif

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
#include <map>
#include <memory>
#include <sstream>
#include <thread>

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
  std::error_code error;
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

/** `h2sim size`: what to size, over which range, against which target. */
struct SizeArgs {
  std::string param;
  std::string range;
  std::string target;
};

struct RunArgs {
  std::string scenario; // empty: the built-in default
  std::string out;
  std::optional<std::string> seed;         // --seed, applied as an override of /seed
  std::optional<std::string> replications; // --replications, likewise
  std::vector<std::string> sets;
  int jobs = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  bool quiet = false;
  bool verbose = false;
  Executor* executor = nullptr; // the MPI executor under mpirun, else local processes
  bool writes_output = true;     // false on MPI ranks other than 0
};

Scenario load(const std::string& path, const std::vector<std::string>& sets);
void check_output_path(const RunArgs& args, const std::string& option, const std::string& path);

/** The overrides a run applies: `sets`, then --seed and --replications. */
std::vector<std::string> all_sets(const RunArgs& args, std::vector<std::string> sets) {
  // --seed and --replications are overrides like --set, validated like the file's own values.
  if (args.seed) {
    sets.push_back("seed=" + *args.seed);
  }
  if (args.replications) {
    sets.push_back("replications=" + *args.replications);
  }
  return sets;
}

/** The scenario to run: the file (or the built-in default) with --set, --seed, --replications. */
Scenario load(const RunArgs& args, const std::vector<std::string>& sets) {
  return load(args.scenario, all_sets(args, sets));
}

std::string scenario_text(const std::string& path) {
  return path.empty() ? std::string(default_scenario_text()) : read_file(path);
}

/**
 * Fails before any simulation when -o (or --table) could not be written afterwards. MPI ranks other
 * than 0 write nothing, so they check nothing (and all ranks reach the same collective calls).
 */
void check_output_path(const RunArgs& args, const std::string& option, const std::string& path) {
  if (path.empty() || path == "-" || !args.writes_output) {
    return;
  }
  if (const auto problem = output_path_problem(path)) {
    throw InvalidInput(option + " " + path + ": " + *problem);
  }
}

Scenario load(const std::string& path, const std::vector<std::string>& sets) {
  const std::string origin = path.empty() ? "(built-in shanghai-2025)" : path;
  const std::string text = scenario_text(path);
  try {
    const std::string base_dir =
        path.empty() ? "." : std::filesystem::path(path).parent_path().string();
    Scenario scenario = load_scenario(text, parse_overrides(sets), base_dir.empty() ? "." : base_dir);
    for (const Warning& warning : scenario.warnings()) {
      spdlog::warn("{}: {}", warning.pointer, warning.message);
    }
    return scenario;
  } catch (const ScenarioError& error) {
    report_problems(origin, error);
    throw InvalidInput("");
  }
}

/** JSON as the commands print it; text from a failed replication may not be valid UTF-8. */
std::string json_text(const nlohmann::ordered_json& document) {
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

/** The command's JSON to stdout or to --out (see write_output); only rank 0 writes under MPI. */
void emit(const RunArgs& args, const nlohmann::ordered_json& document, const std::string& what) {
  if (!args.writes_output) {
    return;
  }
  if (args.out.empty() || args.out == "-") {
    write_stdout(json_text(document), what);
  } else {
    write_output(args.out, json_text(document));
  }
}

/**
 * Names each failed replication of `metrics` (one point's) on stderr, prefixed by `where`;
 * returns how many failed. Only rank 0 speaks under MPI.
 */
std::size_t report_failures(const RunArgs& args, const nlohmann::ordered_json& metrics,
                            const std::string& where) {
  if (!metrics.contains("replication_errors")) {
    return 0;
  }
  const auto& errors = metrics["replication_errors"];
  if (args.writes_output) {
    for (const auto& failure : errors) {
      std::cerr << "h2sim: error: " << where << "replication "
                << failure["replication"].get<std::size_t>()
                << " failed: " << failure["error"].get<std::string>() << "\n";
    }
  }
  return errors.size();
}

std::vector<nlohmann::ordered_json>
run_points(const std::vector<Scenario>& scenarios, const RunArgs& args,
           std::vector<FinishedReplication> finished = {},
           std::function<void(const FinishedReplication&)> on_finished = {});

/**
 * `run`: with failed replications, the metrics over the others carry "error" and
 * "replication_errors" and the exit code is 1; when none finished, nothing is written.
 */
int command_run(const RunArgs& args) {
  check_output_path(args, "-o", args.out);
  const Scenario scenario = load(args, args.sets);
  spdlog::info("running {} ({} replication{}, {} station{} open, {} days + {} warm-up)",
               scenario.name(), scenario.replications(), scenario.replications() == 1 ? "" : "s",
               scenario.open_stations(), scenario.open_stations() == 1 ? "" : "s",
               scenario.horizon_days(), scenario.warmup_days());
  const nlohmann::ordered_json metrics = run_points({scenario}, args).front();
  const std::size_t failed = report_failures(args, metrics, "");
  const auto replications = static_cast<std::size_t>(scenario.replications());
  if (failed == replications) {
    if (args.writes_output && replications > 1) {
      std::cerr << "h2sim: error: every replication failed; nothing written\n";
    }
    return exit_failure;
  }
  spdlog::info("done: {} events in {:.3f} s", metrics["run"]["events"].get<std::uint64_t>(),
               metrics["run"]["wall_s"].get<double>());
  emit(args, metrics, "the metrics");
  if (failed > 0) {
    if (args.writes_output) {
      std::cerr << "h2sim: error: " << failed << " of " << replications
                << " replications failed; the metrics are over the other "
                << replications - failed << "\n";
    }
    return exit_failure;
  }
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
    const bool numeric = static_cast<bool>(in >> from >> colon1 >> to >> colon2 >> step) && in.eof();
    if (!numeric) {
      return Vary{vary.path, {list}}; // a single value that happens to contain colons
    }
    if (step <= 0 || to < from) {
      throw InvalidInput("--vary " + text + ": a range is FROM:TO:STEP with FROM <= TO, STEP > 0");
    }
    const double count = std::floor((to - from) / step * (1 + 1e-12)) + 1;
    if (count > 10000) {
      throw InvalidInput("--vary " + text + ": more than 10000 values");
    }
    for (double k = 0; k < count; ++k) {
      // from + k * step, not a running sum, and printed with 12 significant digits, so that
      // 0:1:0.1 gives 0.3, not 0.30000000000000004.
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.12g", from + k * step);
      vary.values.push_back(buffer);
    }
    return vary;
  }
  std::istringstream in(list);
  for (std::string value; std::getline(in, value, ',');) {
    vary.values.push_back(value);
  }
  return vary;
}

/** A value given on the command line as JSON text, else as a string. */
nlohmann::ordered_json json_value(const std::string& text) {
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error&) {
    return text;
  }
}

/**
 * Runs scenarios (sweep points) in one pool, with progress over all their replications; those in
 * `finished` are not run again, and `on_finished` hears of each one that finishes.
 */
std::vector<nlohmann::ordered_json>
run_points(const std::vector<Scenario>& scenarios, const RunArgs& args,
           std::vector<FinishedReplication> finished,
           std::function<void(const FinishedReplication&)> on_finished) {
  std::size_t total = 0;
  for (const Scenario& scenario : scenarios) {
    total += static_cast<std::size_t>(scenario.replications());
  }
  Progress progress("replications", total, args.quiet);
  RunOptions options;
  options.jobs = args.jobs;
  options.on_progress = [&](std::size_t done, std::size_t) { progress.update(done); };
  options.executor = args.executor;
  options.finished = std::move(finished);
  options.on_finished = std::move(on_finished);
  return run_all(scenarios, options);
}

/** `prefix.key.sub` = value for every number and string below `value`, in document order. */
void flatten(const nlohmann::ordered_json& value, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& cells) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      flatten(child, prefix.empty() ? key : prefix + "." + key, cells);
    }
  } else if (value.is_string()) {
    cells.emplace_back(prefix, value.get<std::string>());
  } else if (!value.is_array()) {
    cells.emplace_back(prefix, value.dump());
  }
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

/**
 * The sweep as a flat table for pandas: per point, one row per finished replication
 * (`replication` = its index) and, with 2+ of them, one row of means (`replication` empty)
 * carrying the ci95 bounds. A point with failed replications has its `error` in its last row (the
 * only one, without metrics, when none finished); the `error` column, if any, comes last.
 */
std::string sweep_table(const nlohmann::ordered_json& sweep) {
  using nlohmann::ordered_json;
  std::vector<std::string> header{"point"};
  std::vector<std::vector<std::pair<std::string, std::string>>> rows;
  for (std::size_t p = 0; p < sweep["points"].size(); ++p) {
    const auto& point = sweep["points"][p];
    const auto& metrics = point["metrics"];
    std::vector<std::pair<std::string, std::string>> key{{"point", std::to_string(p)}};
    flatten(point["set"], "", key);
    // The replications that finished, in index order: those replication_totals lists.
    std::vector<std::size_t> finished;
    for (std::size_t r = 0; r < metrics["replications"].get<std::size_t>(); ++r) {
      finished.push_back(r);
    }
    for (const auto& failure : metrics.value("replication_errors", ordered_json::array())) {
      std::erase(finished, failure["replication"].get<std::size_t>());
    }
    const std::string error = point.value("error", "");
    const auto add_row = [&](const ordered_json* totals, const std::string& replication,
                             const ordered_json* ci, bool last) {
      auto row = key;
      row.emplace_back("replication", replication);
      if (totals != nullptr) {
        flatten(*totals, "totals", row);
      }
      if (ci != nullptr) {
        for (const auto& [path, bounds] : ci->items()) {
          row.emplace_back(path + ".ci95_low", bounds[0].dump());
          row.emplace_back(path + ".ci95_high", bounds[1].dump());
        }
      }
      if (last && !error.empty()) {
        row.emplace_back("error", error);
      }
      rows.push_back(std::move(row));
    };
    if (metrics.contains("replication_totals")) {
      for (std::size_t r = 0; r < metrics["replication_totals"].size(); ++r) {
        add_row(&metrics["replication_totals"][r], std::to_string(finished.at(r)), nullptr, false);
      }
      add_row(&metrics["totals"], "", &metrics["ci95"], true);
    } else if (metrics.contains("totals")) {
      add_row(&metrics["totals"], std::to_string(finished.at(0)), nullptr, true);
    } else {
      add_row(nullptr, "", nullptr, true);
    }
  }
  for (const auto& row : rows) {
    for (const auto& [column, value] : row) {
      if (column != "error" && std::find(header.begin(), header.end(), column) == header.end()) {
        header.push_back(column);
      }
    }
  }
  for (const auto& row : rows) {
    if (std::any_of(row.begin(), row.end(),
                    [](const auto& cell) { return cell.first == "error"; })) {
      header.push_back("error");
      break;
    }
  }
  std::string csv;
  for (std::size_t c = 0; c < header.size(); ++c) {
    csv += (c ? "," : "") + csv_cell(header[c]);
  }
  csv += "\n";
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      std::string cell;
      for (const auto& [column, value] : row) {
        if (column == header[c]) {
          cell = value;
        }
      }
      csv += (c ? "," : "") + csv_cell(cell);
    }
    csv += "\n";
  }
  return csv;
}

/**
 * `sweep`: every point is written, a point with failed replications with its "error" (exit 1);
 * nothing is written when no replication at all finished. With a regular -o FILE, FILE.journal
 * records each finished replication as it finishes, so that --resume after an interruption reruns
 * only the others; it is removed once the output is written and no replication failed.
 */
int command_sweep(const RunArgs& args, const std::vector<std::string>& varies,
                  const std::string& table_path, bool resume) {
  check_output_path(args, "-o", args.out);
  check_output_path(args, "--table", table_path);
  const bool to_file = !args.out.empty() && args.out != "-";
  if (resume && args.executor != nullptr) {
    throw InvalidInput("--resume: not available under mpirun");
  }
  if (resume && (!to_file || !replaced_atomically(args.out))) {
    throw InvalidInput("--resume needs -o FILE, a regular file (its journal is FILE.journal)");
  }
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
  std::vector<std::string> fingerprints;
  const std::string base = std::string(version()) + '\0' + scenario_text(args.scenario) + '\0';
  for (const auto& point : points) {
    std::vector<std::string> sets = args.sets;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      sets.push_back(axes[i].path + "=" + point[i]);
    }
    scenarios.push_back(load(args, sets));
    std::string identity = base;
    for (const std::string& set : all_sets(args, sets)) {
      identity += set + '\0';
    }
    fingerprints.push_back(fingerprint(identity));
  }

  // The journal: only where one process writes a file it replaces (not under mpirun).
  std::optional<Journal> journal;
  std::vector<FinishedReplication> finished;
  if (to_file && args.writes_output && args.executor == nullptr && replaced_atomically(args.out)) {
    journal.emplace(args.out + ".journal", fingerprints);
    if (resume) {
      try {
        finished = journal->read();
      } catch (const JournalRefused& refused) {
        throw InvalidInput(refused.what());
      }
      spdlog::info("resuming: {} replication{} already finished", finished.size(),
                   finished.size() == 1 ? "" : "s");
    }
    journal->open(resume);
  }
  spdlog::info("sweep: {} points", points.size());
  std::vector<nlohmann::ordered_json> metrics =
      run_points(scenarios, args, std::move(finished), [&](const FinishedReplication& done) {
        if (journal) {
          journal->append(done);
        }
      });

  nlohmann::ordered_json out{{"points", nlohmann::ordered_json::array()}};
  std::size_t replications = 0;
  std::size_t failed = 0;
  for (std::size_t p = 0; p < points.size(); ++p) {
    nlohmann::ordered_json set = nlohmann::ordered_json::object();
    std::string named;
    for (std::size_t i = 0; i < axes.size(); ++i) {
      set[axes[i].path] = json_value(points[p][i]);
      named += (i ? ", " : "") + axes[i].path + "=" + points[p][i];
    }
    replications += static_cast<std::size_t>(scenarios[p].replications());
    failed +=
        report_failures(args, metrics[p], "point " + std::to_string(p) + " (" + named + "), ");
    nlohmann::ordered_json point{{"set", std::move(set)}};
    if (metrics[p].contains("error")) {
      // The point says it failed; its metrics keep the list (replication_errors).
      point["error"] = metrics[p]["error"];
      metrics[p].erase("error");
    }
    point["metrics"] = std::move(metrics[p]);
    out["points"].push_back(std::move(point));
  }
  if (failed == replications) {
    if (args.writes_output) {
      std::cerr << "h2sim: error: every replication failed; nothing written\n";
    }
    return exit_failure;
  }
  if (!table_path.empty() && args.writes_output) {
    write_output(table_path, sweep_table(out));
  }
  emit(args, out, "the metrics");
  if (failed > 0) {
    if (args.writes_output) {
      std::cerr << "h2sim: error: " << failed << " of " << replications
                << " replications failed; the points they belong to carry \"error\"\n";
    }
    return exit_failure;
  }
  if (journal) {
    journal->remove();
  }
  return exit_ok;
}

int command_size(const RunArgs& given, const SizeArgs& size) {
  check_output_path(given, "-o", given.out);
  long long from = 0;
  long long to = 0;
  char colon = 0;
  std::istringstream range(size.range);
  if (!(range >> from >> colon >> to) || colon != ':' || !range.eof() || to < from) {
    throw InvalidInput("--range " + size.range + ": expected FROM:TO with integers FROM <= TO");
  }
  const auto op = size.target.find_first_of("<>");
  if (op == std::string::npos || op + 1 >= size.target.size() || size.target[op + 1] != '=' ||
      size.target.compare(0, 7, "totals.") != 0) {
    throw InvalidInput("--target " + size.target +
                       ": expected totals.METRIC<=VALUE or totals.METRIC>=VALUE");
  }
  const bool at_most = size.target[op] == '<';
  const std::string metric = size.target.substr(0, op);
  double bound = 0;
  try {
    std::size_t used = 0;
    const std::string text = size.target.substr(op + 2);
    bound = std::stod(text, &used);
    if (used != text.size()) {
      throw std::invalid_argument(text);
    }
  } catch (const std::exception&) {
    throw InvalidInput("--target " + size.target + ": the bound is not a number");
  }
  RunArgs args = given;
  if (load(args, args.sets).replications() < 2) {
    if (args.replications) {
      throw InvalidInput("--replications: size needs at least 2 for a confidence interval");
    }
    args.replications = "5";
    spdlog::info("size: 5 replications per point (a confidence interval needs 2 or more)");
  }
  std::string pointer = "/" + metric;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  const nlohmann::ordered_json::json_pointer where(pointer);

  // Validate both ends before running anything.
  std::map<long long, nlohmann::ordered_json> evaluated;
  const auto scenario_at = [&](long long value) {
    std::vector<std::string> sets = args.sets;
    sets.push_back(size.param + "=" + std::to_string(value));
    return load(args, sets);
  };
  scenario_at(from);
  scenario_at(to);
  const auto holds = [&](long long value) {
    auto it = evaluated.find(value);
    if (it == evaluated.end()) {
      spdlog::info("size: evaluating {} = {}", size.param, value);
      nlohmann::ordered_json metrics = run_points({scenario_at(value)}, args).front();
      if (metrics.contains("error")) {
        // The search needs every evaluation whole: stop, naming what failed.
        throw RunError(size.param + " = " + std::to_string(value) + ": " +
                       metrics["error"].get<std::string>());
      }
      std::vector<double> values;
      for (const auto& totals : metrics["replication_totals"]) {
        if (!totals.contains(nlohmann::ordered_json::json_pointer(pointer.substr(7)))) {
          throw InvalidInput("--target: the metrics have no " + metric);
        }
        values.push_back(totals.at(nlohmann::ordered_json::json_pointer(pointer.substr(7))));
      }
      const auto [low, high] = ci95(values);
      const bool ok = at_most ? high <= bound : low >= bound;
      nlohmann::ordered_json evaluation{{"value", value},
                                        {"mean", metrics.at(where)},
                                        {"ci95", {low, high}},
                                        {"holds", ok},
                                        {"totals", metrics["totals"]}};
      it = evaluated.emplace(value, std::move(evaluation)).first;
    }
    return it->second["holds"].get<bool>();
  };
  // Bisection for the smallest passing value, assuming the target, once met, stays met.
  std::optional<long long> answer;
  if (holds(to)) {
    long long low = from;
    long long high = to;
    while (low < high) {
      const long long mid = low + (high - low) / 2;
      if (holds(mid)) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    answer = high;
  }
  nlohmann::ordered_json out{{"parameter", size.param},
                             {"target", size.target},
                             {"confidence", 0.95},
                             {"answer", answer ? nlohmann::ordered_json(*answer) : nullptr},
                             {"evaluations", nlohmann::ordered_json::array()}};
  for (auto& [value, evaluation] : evaluated) {
    out["evaluations"].push_back(std::move(evaluation));
  }
  if (!answer) {
    spdlog::warn("size: the target does not hold even at {} = {}", size.param, to);
  }
  emit(args, out, "the result");
  return exit_ok;
}

int command_validate(const std::string& path) {
  const Scenario scenario = load(path, {});
  std::cerr << path << ": valid (" << scenario.stations() << " stations, "
            << scenario.open_stations() << " open)\n";
  return exit_ok;
}

/** The options `run` and `sweep` share. */
void add_run_options(CLI::App& command, RunArgs& args) {
  command.add_option("-o,--out", args.out,
                     "write the metrics JSON there: a file is replaced atomically, a device or "
                     "FIFO written to (default: stdout)");
  command.add_option("--seed", args.seed, "master seed; overrides the scenario's seed");
  command.add_option("--replications", args.replications,
                     "independent replications; overrides the scenario's");
  command.add_option("--set", args.sets, "override a scenario value: PATH=VALUE (repeatable)")
      ->allow_extra_args(false);
  command.add_option("--jobs", args.jobs, "replications run at once (default: cores)")
      ->check(CLI::Range(1, 4096));
  command.add_flag("-q,--quiet", args.quiet, "log warnings and errors only; no progress");
  command.add_flag("-v,--verbose", args.verbose, "log more");
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
  reserve_standard_descriptors();
#ifdef H2SIM_WITH_MPI
  std::unique_ptr<MpiExecutor> mpi;
  if (MpiExecutor::launched_by_mpirun()) {
    mpi = std::make_unique<MpiExecutor>(&argc, &argv, 1);
  }
#endif
  CLI::App app{"h2sim: hydrogen refuelling stations and the fuel-cell vehicles queueing at them"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version, "print the version and exit");

  RunArgs run_args;
  auto* run_cmd = app.add_subcommand("run", "simulate a scenario; print its metrics as JSON");
  run_cmd->add_option("SCENARIO", run_args.scenario,
                      "scenario file (default: the built-in shanghai-2025)");
  add_run_options(*run_cmd, run_args);

  std::vector<std::string> varies;
  std::string table_path;
  RunArgs sweep_args;
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "run every combination of the --vary values (full factorial); print all metrics");
  sweep_cmd->add_option("SCENARIO", sweep_args.scenario, "scenario file")->required();
  sweep_cmd->add_option("--vary", varies, "PATH=V1,V2,... or PATH=FROM:TO:STEP (repeatable)")
      ->required()
      ->allow_extra_args(false);
  add_run_options(*sweep_cmd, sweep_args);
  sweep_cmd->add_option("--table", table_path,
                        "also write one CSV row per replication and per point (mean) there");
  bool resume = false;
  sweep_cmd->add_flag("--resume", resume,
                      "rerun only the replications -o FILE's journal (FILE.journal) lacks");

  SizeArgs size;
  RunArgs size_args;
  auto* size_cmd = app.add_subcommand(
      "size", "find the smallest value of an integer parameter for which a target holds with 95% "
              "confidence (bisection over a monotone response)");
  size_cmd->add_option("SCENARIO", size_args.scenario, "scenario file")->required();
  size_cmd->add_option("--param", size.param, "PATH of the integer to size, e.g. open_stations")
      ->required();
  size_cmd->add_option("--range", size.range, "FROM:TO, the values to search")->required();
  size_cmd->add_option("--target", size.target,
                       "METRIC<=VALUE or METRIC>=VALUE, e.g. totals.wait_min.p95<=5")
      ->required();
  add_run_options(*size_cmd, size_args);

  std::string validate_path;
  auto* validate_cmd = app.add_subcommand("validate", "check a scenario file; exit 2 if invalid");
  validate_cmd->add_option("SCENARIO", validate_path, "scenario file")->required();

  auto* schema_cmd = app.add_subcommand("schema", "print the JSON Schema of scenario files");
  bool schema_markdown = false;
  schema_cmd->add_flag("--markdown", schema_markdown,
                       "print the scenario reference in Markdown instead");

  const auto report = add_report_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_invalid;
  }
  RunArgs& chosen = *sweep_cmd ? sweep_args : *size_cmd ? size_args : run_args;
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
      write_stdout("h2sim " + std::string(version()) + "\n", "the version");
      return exit_ok;
    }
    if (*run_cmd) {
      return command_run(run_args);
    }
    if (*sweep_cmd) {
      return command_sweep(sweep_args, varies, table_path, resume);
    }
    if (*size_cmd) {
      return command_size(size_args, size);
    }
    if (const auto code = report()) {
      return *code;
    }
    if (*validate_cmd) {
      return command_validate(validate_path);
    }
    if (*schema_cmd) {
      write_stdout(schema_markdown ? scenario_reference_markdown()
                                   : scenario_json_schema().dump(2) + "\n",
                   "the schema");
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
