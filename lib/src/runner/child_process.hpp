#pragma once

#include <h2sim/h2sim.hpp>

#include <functional>
#include <string>
#include <vector>

namespace h2sim::runner {

/**
 * Runs `tasks` calls of `task(i)` in forked child processes, at most `jobs` at once, and calls
 * `on_outcome(i, outcome)` in the parent as each ends (in any order): its return value, or the
 * message of what it threw, or how its process died. Only the frames of running children are held.
 * A failed task does not stop the others. Throws RunError only when no child can be started or
 * waited for (then every child still running is killed). Call only where no SimGrid engine exists
 * yet: a child inherits the parent's memory. A child's stdout and stderr go to the logger (warn
 * when it failed, debug otherwise), and the last line of it ends the message of a child that died
 * without a result. `cancelled`, when given, is asked at least every 100 ms; when it says true,
 * every child is killed and reaped and Cancelled is thrown. Several threads may run it at once: a
 * child holds the pipe of its own result and nothing of any other runner's.
 */
void run_in_children(std::size_t tasks, int jobs,
                     const std::function<std::string(std::size_t)>& task,
                     const std::function<void(std::size_t, TaskOutcome)>& on_outcome,
                     const std::function<bool()>& cancelled = {});

} // namespace h2sim::runner
