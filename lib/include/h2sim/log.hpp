#pragma once

// The library's logger. h2sim never writes to stdout: what it has to say (a replication's debug
// lines, what a failed replication's process wrote) goes to one spdlog logger named "h2sim", which
// an embedder may replace (to send it to their own sinks, at their own level) or silence.

#include <spdlog/logger.h>

#include <memory>

namespace h2sim {

/**
 * The logger the library writes to: the last one given to set_logger, or by default a logger named
 * "h2sim" writing to stderr at level warn (not registered with spdlog's registry).
 */
std::shared_ptr<spdlog::logger> logger();

/**
 * Makes the library log through `logger` from now on (forked replications included); nullptr
 * silences it. Safe to call from any thread.
 */
void set_logger(std::shared_ptr<spdlog::logger> logger);

} // namespace h2sim
