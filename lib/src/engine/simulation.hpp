#pragma once

#include "../models/scenario_spec.hpp"
#include "../report/fields.hpp"

#include <cstdint>
#include <string>

namespace h2sim::engine {

struct ReplicationResult {
  report::ReplicationTallies tallies; // what the collector counted
  std::uint64_t events = 0;           // model events the engine ran
};

/**
 * Runs one replication of `scenario` on SimGrid. SimGrid allows one simulation per process: call
 * this at most once per process (the replication runner forks a child for each).
 */
/** The SimGrid the engine runs on, "major.minor.patch" (of the library loaded, not the headers). */
std::string simgrid_version();

ReplicationResult simulate(const models::ScenarioSpec& scenario, std::uint64_t seed,
                           std::uint64_t replication);

} // namespace h2sim::engine
