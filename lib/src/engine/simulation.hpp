#pragma once

#include "../models/scenario_spec.hpp"
#include "../report/event_log.hpp"
#include "../report/fields.hpp"

#include <cstdint>

namespace h2sim::engine {

/** Where a replication writes its event log: an open descriptor, and the format. */
struct EventSink {
  int fd = -1;
  report::EventFormat format = report::EventFormat::csv;
};

struct ReplicationResult {
  report::ReplicationTallies tallies; // what the collector counted
  std::uint64_t events = 0;           // model events the engine ran
};

/**
 * Runs one replication of `scenario` on SimGrid. SimGrid allows one simulation per process: call
 * this at most once per process (the replication runner forks a child for each). With `events`,
 * every event is also written to its descriptor (report::EventLog); without, nothing is.
 */
ReplicationResult simulate(const models::ScenarioSpec& scenario, std::uint64_t seed,
                           std::uint64_t replication, const EventSink* events = nullptr);

} // namespace h2sim::engine
