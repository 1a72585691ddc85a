#include "simulation.hpp"

#include "../core/held_interrupt.hpp"
#include "../models/demand/demand_model.hpp"
#include "../models/demand/trace.hpp"
#include "../models/network.hpp"
#include "../report/collector.hpp"
#include "../report/observer_thread.hpp"
#include "simgrid_adapters.hpp"

#include <h2sim/log.hpp>

#include <simgrid/s4u.hpp>
#include <simgrid/version.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace h2sim::engine {

namespace {

constexpr double minutes_per_day = 1440.0;

} // namespace

std::string simgrid_version() {
  int major = 0;
  int minor = 0;
  int patch = 0;
  sg_version_get(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

ReplicationResult simulate(const models::ScenarioSpec& scenario, std::uint64_t seed,
                           std::uint64_t replication, const SimulationOptions& options) {
  const EventSink* events = options.events;
  EngineArgs args;
  // SimGrid's engine puts in a Ctrl-C handler of its own, which exit(1)s mid-replication (atexit
  // handlers and all: a crash, at times). The process keeps the disposition it had: a replication's
  // ignores Ctrl-C (child_main), for its parent decides what one means.
  std::optional<HeldInterrupt> held(std::in_place); // one that came meanwhile is told after
  struct sigaction interrupt {};
  ::sigaction(SIGINT, nullptr, &interrupt);
  simgrid::s4u::Engine engine(args.argc(), args.argv());
  ::sigaction(SIGINT, &interrupt, nullptr);
  held.reset();
  auto* city = simgrid::s4u::create_full_zone("city");
  city->create_host("h2sim:stations", 1.0); // pipelines and compressors add "pipeline:<id>"...

  const double window_start = scenario.warmup_days.value * minutes_per_day;
  const double window_end = window_start + scenario.horizon_days * minutes_per_day;

  report::Collector collector(scenario, window_start, window_end);
  if (options.probe_warmup) {
    collector.probe_warmup();
  }
  // Only a run that logs puts the log between the models and the collector.
  std::optional<report::EventLog> log;
  if (events != nullptr) {
    // A trace names its vehicles: the log writes a visit's by its request's row.
    const std::vector<models::TraceRow>* trace =
        scenario.demand.name() == "trace" ? &scenario.demand.as<models::TraceParams>().rows
                                          : nullptr;
    log.emplace(collector, report::setup_of(scenario).labels, events->fd, events->format, trace);
  }
  // Read before a thread may own the collector.
  const report::Window window = collector.window();
  models::Observer& tallied = log ? static_cast<models::Observer&>(*log) : collector;
  // And a thread of their own in front, which logs and tallies while the models run on.
  std::optional<report::ObserverThread> tallying;
  if (options.tally_on_thread) {
    try {
      tallying.emplace(tallied);
    } catch (const std::system_error&) {
      // No thread to be had (a limit on processes, say): the collector tallies in line.
    }
  }
  models::Observer& observer = tallying ? static_cast<models::Observer&>(*tallying) : tallied;
  SimGridCalendar calendar;
  // A check of the engine, not a setting: the outputs must not change (ARCHITECTURE.md).
  if (const char* every_date = std::getenv("H2SIM_ONE_STEP_PER_DATE");
      every_date != nullptr && std::string_view(every_date) == "1") {
    calendar.set_run_ahead(false);
  }
  SimGridCapacities capacities(*city, calendar);
  models::Network network(scenario, observer, calendar, capacities, seed, replication);
  city->seal(); // after the network created its pipelines' hosts
  std::unique_ptr<models::DemandModel> demand =
      models::demand_model(scenario.demand.name())
          .make(scenario, network, models::Seeds{seed, replication});

  // Scheduled first, the window's edges run before any model event at the same time, which
  // matches the collector's half-open window [start, end).
  calendar.schedule(window_start, [&] { network.begin_window(window_start); });
  bool window_ended = false;
  const auto end_window = [&] {
    if (!window_ended) {
      window_ended = true;
      network.end_window(window_end);
    }
  };
  calendar.schedule(window_end, end_window);
  // The series' bin edges inside the window: stations with storage report their books there.
  const bool finite =
      std::any_of(scenario.stations.begin(),
                  scenario.stations.begin() + static_cast<std::ptrdiff_t>(scenario.open_stations()),
                  [](const models::StationSpec& spec) { return spec.finite(); });
  for (std::size_t k = 1; finite && k < window.bins; ++k) {
    calendar.schedule(window.bin_start(k),
                      [&network, at = window.bin_start(k)] { network.bin_edge(at); });
  }
  for (const models::Step& step : scenario.timeline) {
    calendar.schedule(step.at_min, [&network, &demand, &step] {
      network.follow(*step.state);
      demand->follow(*step.state);
    });
  }
  network.start();
  demand->start(calendar);
  logger()->debug("replication {}: simulating {} minutes", replication, window_end);
  calendar.run_until(engine, window_end);
  calendar.rethrow_failure();
  // run_until may stop before a timer due exactly at window_end fires (seen with a one-day
  // window: a replication then lacked its availability and supply fields); the window ends now.
  end_window();
  // Stations with buffers learn a fill's end only when it happens: let the vehicles that arrived
  // in the window finish (later arrivals no longer count), for at most a simulated week.
  const double drain_limit = window_end + 7 * minutes_per_day;
  while (network.serving_arrivals_before(window_end) && engine.get_clock() < drain_limit) {
    calendar.run_until(engine, engine.get_clock() + 60.0);
  }
  calendar.rethrow_failure();
  network.finish(engine.get_clock());
  if (tallying) {
    tallying->finish(); // the log and the collector have had every call, and are this thread's
  }
  if (log) {
    log->finish(engine.get_clock());
  }

  return {collector.tallies(), calendar.events(), collector.warmup_batches()};
}

} // namespace h2sim::engine
