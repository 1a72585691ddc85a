#include "../core/mser.hpp"
#include "../engine/simulation.hpp"
#include "../report/collector.hpp"
#include "../report/compact.hpp"
#include "../report/document.hpp"
#include "child_process.hpp"

#include <h2sim/h2sim.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <h2sim_git_commit.h>
#include <optional>
#include <sched.h>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unistd.h>

namespace h2sim {

using nlohmann::ordered_json;

std::string_view version() { return H2SIM_VERSION; }
std::string_view git_commit() { return H2SIM_GIT_COMMIT; }
std::string simgrid_version() { return engine::simgrid_version(); }

int available_cores() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
    return std::max(1, CPU_COUNT(&allowed));
  }
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

void LocalExecutor::execute(std::size_t tasks, const Task& task, const Progress& progress,
                            const OnOutcome& on_outcome) {
  std::size_t ended = 0;
  runner::run_in_children(
      tasks, std::max(1, jobs_), task,
      [&](std::size_t i, TaskOutcome outcome) {
        if (on_outcome) {
          on_outcome(i, std::move(outcome));
        }
        if (progress) {
          progress(++ended, tasks);
        }
      },
      cancelled_);
}

nlohmann::ordered_json Metrics::json() const { return report::document(*run_); }

std::size_t Metrics::finished() const { return run_->aggregate.finished_indices().size(); }

std::vector<ReplicationFailure> Metrics::failures() const {
  std::vector<ReplicationFailure> failures;
  for (const auto& [replication, error] : run_->aggregate.failures()) {
    failures.push_back({replication, error});
  }
  return failures;
}

std::string Metrics::error() const {
  std::string error;
  for (const auto& [replication, message] : run_->aggregate.failures()) {
    error += (error.empty() ? "" : "; ") +
             ("replication " + std::to_string(replication) + " failed: " + message);
  }
  return error;
}

std::string Metrics::partial_failure() const {
  const std::size_t failed = run_->aggregate.failures().size();
  if (failed == 0 || finished() == 0) {
    return "";
  }
  return std::to_string(failed) + " of " + std::to_string(failed + finished()) +
         " replications failed; the metrics are over the other " + std::to_string(finished());
}

std::vector<std::string> Metrics::unmet_precisions() const {
  std::vector<std::string> unmet;
  for (const Warning& warning : report::unmet_precisions(*run_)) {
    unmet.push_back(warning.message);
  }
  return unmet;
}

std::uint64_t Metrics::events() const { return run_->aggregate.events(); }

double Metrics::wall_s() const { return run_->wall_s; }

ordered_json metrics_json_schema() { return report::metrics_schema(); }

std::string metrics_reference_markdown() { return report::metrics_markdown(); }

namespace {
using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/** What running a scenario takes from it; the runner reads a Scenario here and nowhere else. */
struct Plan {
  report::Header header;
  std::uint64_t seed = 0;
  std::size_t replications = 0;
};

Plan plan_of(const Scenario& scenario) {
  return {
      {scenario.name(), scenario.seed(), scenario.replications(), scenario.horizon_days(),
       scenario.warmup_days(), scenario.automatic_warmup(), scenario.open_stations(),
       scenario.warnings(), scenario.changes(),
       report::Provenance{scenario.sha256(), std::string(git_commit()), engine::simgrid_version()},
       std::nullopt},
      scenario.seed(),
      static_cast<std::size_t>(scenario.replications())};
}

/**
 * Test hooks, read in the replication's own process: H2SIM_TEST_FAIL_REPLICATION=P:R makes
 * replication R of point P (run_all's indices) throw "injected failure";
 * H2SIM_TEST_HANG_REPLICATION=P:R makes it sleep until killed; H2SIM_TEST_EXIT_REPLICATION=P:R
 * makes its process write a line to stderr and exit 1 without a result. Each takes a
 * comma-separated list. The tests use them to provoke partial failures and interrupted sweeps
 * deterministically.
 */
bool test_hook_names(const char* variable, std::size_t point, std::size_t replication) {
  const char* value = std::getenv(variable);
  return value != nullptr && ("," + std::string(value) + ",")
                                     .find("," + std::to_string(point) + ":" +
                                           std::to_string(replication) + ",") != std::string::npos;
}
/**
 * Whether `tasks` replications run `options.jobs` at once here leave a core idle for each of them,
 * so that each may tally on a thread of its own (engine::SimulationOptions::tally_on_thread): a
 * single replication on two cores, say, or two on four. Not under an outside executor (an MPI
 * rank's cores are its neighbours' too). H2SIM_TALLY_THREAD=0 or 1 decides instead (any other
 * value is ignored), a check rather than a setting: the outputs are the same either way
 * (tests/engine/determinism_test.cpp).
 */
bool spare_core(const RunOptions& options, std::size_t tasks) {
  if (const char* forced = std::getenv("H2SIM_TALLY_THREAD"); forced != nullptr) {
    if (std::string_view(forced) == "0" || std::string_view(forced) == "1") {
      return std::string_view(forced) == "1";
    }
  }
  const auto at_once =
      std::min<std::size_t>(tasks, static_cast<std::size_t>(std::max(1, options.jobs)));
  return options.executor == nullptr && 2 * at_once <= static_cast<std::size_t>(available_cores());
}

/**
 * warmup_days "auto": a pilot of the replication over [0, horizon) in a child process of its own
 * (one engine per process) keeps MSER-5 batches of the waits; the cut is where the first kept
 * batch began, at most half the horizon. The replication then runs with that warm-up and measures
 * horizon_days after it. The pilot draws from streams of its own (the replication index with its
 * top bit set, which no replication has): MSER cuts where what remains is calm, so measuring the
 * very data it cut would keep a stretch chosen for being calm, and bias waits low (measured with
 * bench/coverage.py: 82% coverage for p95 at rho 0.9 over 7 days, against 85% with no warm-up).
 */
constexpr std::uint64_t pilot_streams = std::uint64_t{1} << 63;

report::ReplicationValues::ChosenWarmup choose_warmup(const models::ScenarioSpec& spec,
                                                      std::uint64_t seed, std::size_t replication) {
  models::ScenarioSpec pilot = spec;
  pilot.warmup_days = {0, false};
  std::optional<std::string> answer;
  std::string error;
  runner::run_in_children(
      1, 1,
      [&](std::size_t) {
        const engine::ReplicationResult result =
            engine::simulate(pilot, seed, replication | pilot_streams, {.probe_warmup = true});
        const mser::Batcher& batches = result.warmup_batches;
        const mser::Truncation cut = mser::truncation(batches.means());
        // Nothing cut, no warm-up (not the first wait's time).
        const double at_min = cut.first_kept > 0 && cut.first_kept < batches.starts().size()
                                  ? batches.starts()[cut.first_kept]
                                  : 0.0;
        return std::to_string(at_min) + " " + (cut.stable ? "1" : "0");
      },
      [&](std::size_t, TaskOutcome outcome) {
        answer = std::move(outcome.output);
        error = std::move(outcome.error);
      });
  if (!answer) {
    throw std::runtime_error("choosing the warm-up: " + error);
  }
  const std::size_t space = answer->find(' ');
  const double days = std::stod(answer->substr(0, space)) / 1440.0;
  // The cut keeps at least half the batches, not always half the time: where most waits come
  // early (events that close stations or thin the fleet later on), the first kept batch may begin
  // past the middle of the run. Cut at the middle, that is no steady state seen in its first half:
  // not stable, which the metrics' warnings say.
  if (days > spec.horizon_days / 2) {
    return {spec.horizon_days / 2, false};
  }
  return {days, answer->substr(space + 1) == "1"};
}

constexpr std::size_t first_stage_replications = 10;

} // namespace

std::size_t RunOptions::first_stage(std::size_t replications) const {
  if (until.empty()) {
    return replications;
  }
  // The sequential procedure's first stage: at least 10 replications (Law and Kelton).
  return std::max(replications, std::min(first_stage_replications, max_replications));
}

namespace {

/**
 * Law and Kelton's sequential procedure for a relative error gamma (Law, Simulation Modeling and
 * Analysis, 5th ed., section 9.4.1): stop once every wanted metric's half-width over |mean| is at
 * most gamma / (1 + gamma). Rather than one replication at a time, a point short of it jumps to
 * the number its current spread says it needs (the half-width falls as 1 / sqrt(n)), at most
 * doubling and at most max_replications; the rule is checked again after each jump.
 */
std::size_t next_replications(const report::Run& run, const RunOptions& options) {
  const report::Aggregate& aggregate = run.aggregate;
  const std::size_t now = aggregate.replications();
  const std::size_t finished = aggregate.finished_indices().size();
  if (options.until.empty() || now >= options.max_replications || finished < 2) {
    return now;
  }
  double factor = 1;
  for (const Precision& wanted : options.until) {
    const double adjusted = wanted.relative / (1 + wanted.relative);
    const double achieved = aggregate.relative_half_width(wanted.path);
    if (!(achieved <= adjusted)) {
      factor = std::isfinite(achieved)
                   ? std::max(factor, (achieved / adjusted) * (achieved / adjusted))
                   : 2.0;
    }
  }
  if (factor <= 1) {
    return now;
  }
  const auto needed = static_cast<std::size_t>(std::ceil(static_cast<double>(finished) * factor));
  return std::min({options.max_replications, 2 * now, std::max(now + 1, needed)});
}

} // namespace

namespace {

std::vector<std::string> totals_paths(std::uint8_t groups) {
  std::vector<std::string> out;
  for (const std::string& path : report::ci95_paths(groups)) {
    out.push_back("totals." + path);
  }
  return out;
}

/** The groups the totals of `scenario` report: those known before it runs (economics). */
std::uint8_t totals_groups(const Scenario& scenario) {
  std::uint8_t groups = 0;
  for (const report::StationTally& station : report::setup_of(models::spec_of(scenario)).stations) {
    groups |= station.groups;
  }
  return groups;
}

} // namespace

const std::vector<std::string>& interval_paths() {
  static const std::vector<std::string> paths = totals_paths(report::group::all);
  return paths;
}

std::vector<std::string> interval_paths(const Scenario& scenario) {
  return totals_paths(totals_groups(scenario));
}

void check_precisions(const Scenario& scenario, const std::vector<Precision>& until) {
  if (until.empty()) {
    return; // without reading the scenario's metrics setup (7,000 stations' tallies at 100x)
  }
  const std::vector<std::string> paths = interval_paths(scenario);
  for (std::size_t i = 0; i < until.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (until[i].path == until[j].path) { // the output's precision would show only one
        throw std::invalid_argument(until[i].path + " given twice");
      }
    }
  }
  for (const Precision& wanted : until) {
    if (std::find(paths.begin(), paths.end(), wanted.path) == paths.end()) {
      std::string known;
      for (const std::string& p : paths) {
        known += (known.empty() ? "" : ", ") + p;
      }
      throw std::invalid_argument(
          wanted.path + " has no interval in " + scenario.name() + "'s metrics (" +
          (wanted.path.rfind("totals.economics.", 0) == 0 ? "it has no economics block"
                                                          : "not a ci95 key") +
          "); one of " + known);
    }
  }
}

Precision parse_precision(const std::string& text) {
  const std::size_t colon = text.rfind(':');
  const std::string path = text.substr(0, colon);
  double relative = 0;
  bool number = false;
  if (colon != std::string::npos) {
    try {
      std::size_t used = 0;
      relative = std::stod(text.substr(colon + 1), &used);
      number = used == text.size() - colon - 1;
    } catch (const std::exception&) {
      number = false;
    }
  }
  if (colon == std::string::npos || !number || !(relative > 0 && relative < 1)) {
    throw std::invalid_argument(text + ": expected PATH:RELATIVE with 0 < RELATIVE < 1, e.g. "
                                       "totals.wait_min.p95:0.05");
  }
  const auto& paths = interval_paths();
  if (std::find(paths.begin(), paths.end(), path) == paths.end()) {
    std::string known;
    for (const std::string& p : paths) {
      known += (known.empty() ? "" : ", ") + p;
    }
    throw std::invalid_argument(text + ": " + path + " has no interval; one of " + known);
  }
  return {path, relative};
}

std::vector<Metrics> run_all_metrics(const std::vector<Scenario>& scenarios,
                                     const RunOptions& options) {
  const auto started = Clock::now();
  std::vector<Plan> plans;
  std::vector<std::shared_ptr<report::Run>> runs;
  std::size_t total = 0;
  for (const Scenario& scenario : scenarios) {
    check_precisions(scenario, options.until);
    Plan plan = plan_of(scenario);
    if (options.only_replication) {
      if (*options.only_replication >= plan.replications) {
        throw std::invalid_argument("replication " + std::to_string(*options.only_replication) +
                                    " does not exist: the scenario has " +
                                    std::to_string(plan.replications));
      }
      plan.header.replications = 1;
      plan.header.replication = *options.only_replication;
      plan.replications = 1;
    }
    auto run = std::make_shared<report::Run>();
    run->header = plan.header;
    report::Setup setup = report::setup_of(models::spec_of(scenario));
    run->labels = std::move(setup.labels);
    run->queues = std::move(setup.queues);
    run->jobs = options.jobs;
    if (!options.until.empty()) {
      if (plan.replications > options.max_replications) {
        throw std::invalid_argument(
            "max_replications " + std::to_string(options.max_replications) +
            ": fewer than the scenario's " + std::to_string(plan.replications) +
            " replications (until adds replications up to max_replications, never runs fewer "
            "than asked for)");
      }
      plan.replications = options.first_stage(plan.replications);
    }
    run->aggregate = report::Aggregate(plan.replications, options.quantile_interval);
    total += plan.replications;
    plans.push_back(std::move(plan));
    runs.push_back(std::move(run));
  }
  for (const FinishedReplication& done : options.finished) {
    if (done.point < runs.size() && done.replication >= 0) {
      try {
        runs[done.point]->aggregate.finished(static_cast<std::size_t>(done.replication),
                                             report::decode(done.result));
      } catch (const report::CompactError&) {
        // Not a result this version can read: the replication runs again.
      }
    }
  }
  struct Task {
    std::size_t point;
    std::size_t replication;
  };
  LocalExecutor local(options.jobs, options.cancelled);
  Executor& executor = options.executor != nullptr ? *options.executor : local;
  for (;;) {
    std::vector<Task> tasks;
    for (std::size_t p = 0; p < runs.size(); ++p) {
      for (std::size_t r = 0; r < runs[p]->aggregate.replications(); ++r) {
        if (!runs[p]->aggregate.known(r)) {
          tasks.push_back({p, r});
        }
      }
    }
    const std::size_t already = total - tasks.size();
    const bool tally_on_thread = spare_core(options, tasks.size());
    executor.execute(
        tasks.size(),
        [&](std::size_t i) {
          const Task& task = tasks[i];
          // The streams of a replication are keyed by its index among the scenario's
          // replications.
          const std::size_t replication = options.only_replication.value_or(task.replication);
          if (test_hook_names("H2SIM_TEST_FAIL_REPLICATION", task.point, replication)) {
            throw std::runtime_error("injected failure");
          }
          while (test_hook_names("H2SIM_TEST_HANG_REPLICATION", task.point, replication)) {
            ::pause();
          }
          if (test_hook_names("H2SIM_TEST_EXIT_REPLICATION", task.point, replication)) {
            std::fputs("injected exit: gone without a result\n", stderr);
            std::fflush(stderr);
            ::_exit(1);
          }
          std::optional<engine::EventSink> sink;
          if (options.events && task.point == 0 && replication == options.events->replication) {
            sink = engine::EventSink{options.events->fd, options.events->jsonl
                                                             ? report::EventFormat::jsonl
                                                             : report::EventFormat::csv};
          }
          const auto simulation_started = Clock::now();
          const models::ScenarioSpec& spec = models::spec_of(scenarios[task.point]);
          const std::uint64_t seed = plans[task.point].seed;
          std::optional<report::ReplicationValues::ChosenWarmup> warmup;
          std::optional<models::ScenarioSpec> chosen; // a copy only when the warm-up is chosen
          if (spec.warmup_days.automatic) {
            warmup = choose_warmup(spec, seed, replication);
            chosen = spec;
            chosen->warmup_days = {warmup->days, false};
          }
          const engine::ReplicationResult result = engine::simulate(
              chosen ? *chosen : spec, seed, replication,
              {.events = sink ? &*sink : nullptr, .tally_on_thread = tally_on_thread});
          report::ReplicationValues values = report::values_of(result.tallies);
          values.warmup = warmup;
          values.events = result.events;
          values.wall_s = seconds_since(simulation_started);
          return report::encode(values);
        },
        [&](std::size_t ended, std::size_t) {
          if (options.on_progress) {
            options.on_progress(already + ended, total);
          }
        },
        [&](std::size_t i, TaskOutcome outcome) {
          const Task& task = tasks[i];
          report::Aggregate& aggregate = runs[task.point]->aggregate;
          if (!outcome.output) {
            aggregate.failed(task.replication, std::move(outcome.error));
            return;
          }
          report::ReplicationValues values;
          try {
            values = report::decode(*outcome.output);
          } catch (const report::CompactError& e) {
            aggregate.failed(task.replication,
                             std::string("sent back a result that cannot be read: ") + e.what());
            return;
          }
          if (options.on_finished) {
            options.on_finished(FinishedReplication{task.point, static_cast<int>(task.replication),
                                                    std::move(*outcome.output)});
          }
          aggregate.finished(task.replication, std::move(values));
        });
    // Run until precise: each point still short of a wanted precision gets more replications.
    bool more = false;
    for (auto& run : runs) {
      const std::size_t wanted = next_replications(*run, options);
      if (wanted > run->aggregate.replications()) {
        total += wanted - run->aggregate.replications();
        run->aggregate.extend(wanted);
        more = true;
      }
    }
    if (!more) {
      break;
    }
  }

  std::vector<Metrics> metrics;
  for (auto& run : runs) {
    if (!run->aggregate.complete()) {
      throw std::logic_error("the executor left replications without an outcome");
    }
    run->header.replications = static_cast<int>(run->aggregate.replications());
    for (const Precision& wanted : options.until) {
      run->precision.push_back({wanted.path, wanted.relative,
                                run->aggregate.relative_half_width(wanted.path),
                                options.max_replications});
    }
    // One scenario: the call's wall time. Sweep points share the pool, so each reports the time
    // its own replications took.
    run->wall_s = runs.size() == 1 ? seconds_since(started) : run->aggregate.simulation_s();
    metrics.emplace_back(std::move(run));
  }
  return metrics;
}

Metrics run_metrics(const Scenario& scenario, const RunOptions& options) {
  return run_all_metrics({scenario}, options).front();
}

std::vector<ordered_json> run_all(const std::vector<Scenario>& scenarios,
                                  const RunOptions& options) {
  std::vector<ordered_json> documents;
  for (const Metrics& metrics : run_all_metrics(scenarios, options)) {
    documents.push_back(metrics.json());
  }
  return documents;
}

ordered_json run(const Scenario& scenario, const RunOptions& options) {
  return run_metrics(scenario, options).json();
}

} // namespace h2sim
