#pragma once

#include <h2sim/h2sim.hpp>

#include <functional>
#include <string>
#include <vector>

namespace h2sim::runner {

/**
 * Runs `tasks` calls of `task(i)` in forked child processes, at most `jobs` at once, and returns
 * how each ended, in task order whatever the order they end in: its return value, or the message
 * of what it threw, or how its process died. A failed task does not stop the others.
 * `on_outcome(i, outcome)`, if set, is called in the parent as each task ends. Throws RunError
 * only when no child can be started or waited for (then every child still running is killed).
 * Call only where no SimGrid engine exists yet: a child inherits the parent's memory.
 */
std::vector<TaskOutcome>
run_in_children(std::size_t tasks, int jobs, const std::function<std::string(std::size_t)>& task,
                const std::function<void(std::size_t, const TaskOutcome&)>& on_outcome = {});

} // namespace h2sim::runner
