// `h2sim sweep`: the full factorial of --vary values in one pool; the points' metrics as JSON,
// optionally a CSV table; a journal for --resume.
#include "common.hpp"
#include "journal.hpp"
#include "output.hpp"

#include <h2sim/experiments.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <optional>

namespace h2sim::cli {

/**
 * Every point is written, a point with failed replications with its "error" (exit 1); nothing is
 * written when no replication at all finished. With a regular -o FILE, FILE.journal records each
 * finished replication as it finishes, so that --resume after an interruption reruns only the
 * others; it is removed once the output is written and no replication failed.
 */
int command_sweep(const RunArgs& args, const std::vector<std::string>& varies,
                  const std::string& table_path, bool resume) {
  const bool to_file = !args.out.empty() && args.out != "-";
  // The journal beside -o is written too: it must not be an input or another output.
  check_outputs(args,
                {{"-o", args.out},
                 {"--table", table_path},
                 {"-o's journal", to_file ? args.out + ".journal" : std::string()}},
                {args.scenario});
  if (resume && args.executor != nullptr) {
    throw InvalidInput("--resume: not available under mpirun");
  }
  if (resume && (!to_file || !replaced_atomically(args.out))) {
    throw InvalidInput("--resume needs -o FILE, a regular file (its journal is FILE.journal)");
  }
  std::vector<SweepAxis> axes;
  for (const std::string& text : varies) {
    try {
      axes.push_back(parse_sweep_axis(text));
    } catch (const ExperimentError& e) {
      throw InvalidInput("--vary " + text + ": " + e.what());
    }
  }
  // Every point is validated before any runs.
  std::vector<SweepPoint> points;
  try {
    points = sweep_points(axes);
  } catch (const ExperimentError& e) {
    throw InvalidInput(e.what());
  }
  std::vector<Scenario> scenarios;
  std::vector<std::string> fingerprints;
  const std::string base = std::string(version()) + '\0' + scenario_text(args.scenario) + '\0';
  // Problems of the file and --set alone, which the points' values may mend (a --vary that
  // switches the demand model) or not: where the first point has exactly these, they are the
  // file's or --set's, and are reported as run reports them, not blamed on point 0.
  const std::vector<Problem> without_points = problems_with(args, args.sets);
  std::vector<Warning> unused_sets; // a --set that every point's --vary replaces
  for (const SweepPoint& point : points) {
    // A point that fails names its values: "point 3 (stations.0.dispensers=0): /stations/...".
    std::string where = "point " + std::to_string(scenarios.size()) + " (" + point.name + "): ";
    if (scenarios.empty() && !without_points.empty()) {
      const std::vector<Problem> with_point = problems_with(args, args.sets, point.overrides);
      const auto same = [](const Problem& a, const Problem& b) {
        return a.pointer == b.pointer && a.message == b.message;
      };
      if (std::equal(with_point.begin(), with_point.end(), without_points.begin(),
                     without_points.end(), same)) {
        where.clear();
      }
    }
    scenarios.push_back(load(args, args.sets, point.overrides, where));
    check_max_replications(args, scenarios.back(), where);
    try {
      // Every point has the same fields changed: its warnings are the first point's.
      std::vector<Warning> unused = check_axes_apart(scenarios.back(), point);
      if (scenarios.size() == 1) {
        for (const Warning& warning : unused) {
          spdlog::warn("{}: {}", warning.pointer, warning.message);
        }
        unused_sets = std::move(unused);
      }
    } catch (const ExperimentError& e) {
      throw InvalidInput(e.what());
    }
    std::string identity = base;
    for (const Override& set : point_overrides(args, args.sets, point.overrides)) {
      identity += set.path + "=" + set.value + '\0';
    }
    fingerprints.push_back(fingerprint(identity));
  }

  if (args.dry_run) {
    std::vector<nlohmann::ordered_json> sets;
    for (const SweepPoint& point : points) {
      sets.push_back(point.set);
    }
    emit_dry_run(args, sets, scenarios);
    return exit_ok;
  }

  // The journal: only where one process writes a file it replaces (not under mpirun).
  std::optional<Journal> journal;
  std::vector<FinishedReplication> finished;
  if (to_file && args.writes_output && args.executor == nullptr && replaced_atomically(args.out)) {
    journal.emplace(args.out + ".journal", fingerprints);
    try {
      journal->check();
    } catch (const JournalRefused& refused) {
      throw InvalidInput(std::string("-o's journal ") + refused.what());
    }
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
  const std::vector<Metrics> metrics =
      run_points(scenarios, args, std::move(finished), [&](const FinishedReplication& done) {
        if (journal) {
          journal->append(done);
        }
      });

  std::size_t replications = 0;
  std::size_t failed = 0;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const std::size_t point_failed = report_failures(
        args, metrics[p], "point " + std::to_string(p) + " (" + points[p].name + "), ");
    replications += metrics[p].finished() + point_failed; // --until may have added some
    failed += point_failed;
  }
  if (failed == replications) {
    if (args.writes_output) {
      std::cerr << "h2sim: error: every replication failed; nothing written\n";
    }
    return exit_failure;
  }
  // Both files are written before either replaces what was there (as run's).
  std::vector<StagedOutput> table;
  if (!table_path.empty() && args.writes_output) {
    table.emplace_back(table_path, sweep_table(points, metrics));
  }
  emit(args, sweep_document(points, metrics, unused_sets), "the metrics", std::move(table));
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

} // namespace h2sim::cli
