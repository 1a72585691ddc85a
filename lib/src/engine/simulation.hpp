#pragma once

#include "../core/mser.hpp"
#include "../models/scenario_spec.hpp"
#include "../report/event_log.hpp"
#include "../report/fields.hpp"

#include <cstdint>
#include <string>

namespace h2sim::engine {

/** Where a replication writes its event log: an open descriptor, and the format. */
struct EventSink {
  int fd = -1;
  report::EventFormat format = report::EventFormat::csv;
};

struct ReplicationResult {
  report::ReplicationTallies tallies; // what the collector counted
  std::uint64_t events = 0;           // model events the engine ran
  mser::Batcher warmup_batches;       // with probe_warmup: MSER-5 batches of the waits
};

/** The SimGrid the engine runs on, "major.minor.patch" (of the library loaded, not the headers). */
std::string simgrid_version();

/** How simulate() runs a replication; none of it changes the result. */
struct SimulationOptions {
  bool probe_warmup = false;         // also batch the waits for MSER-5 (warmup_days "auto")
  const EventSink* events = nullptr; // also write every event there (report::EventLog)
  /**
   * Tally (and write `events`) on a thread of its own (report::ObserverThread), for a core the
   * replications leave idle.
   */
  bool tally_on_thread = false;
};

/**
 * Runs one replication of `scenario` on SimGrid. SimGrid allows one simulation per process: call
 * this at most once per process (the replication runner forks a child for each).
 */
ReplicationResult simulate(const models::ScenarioSpec& scenario, std::uint64_t seed,
                           std::uint64_t replication, const SimulationOptions& options = {});

} // namespace h2sim::engine
