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

/**
 * Runs one replication of `scenario` on SimGrid. SimGrid allows one simulation per process: call
 * this at most once per process (the replication runner forks a child for each). With `events`,
 * every event is also written to its descriptor (report::EventLog); without, nothing is.
 */
/** The SimGrid the engine runs on, "major.minor.patch" (of the library loaded, not the headers). */
std::string simgrid_version();

ReplicationResult simulate(const models::ScenarioSpec& scenario, std::uint64_t seed,
                           std::uint64_t replication, bool probe_warmup = false,
                           const EventSink* events = nullptr);

} // namespace h2sim::engine
