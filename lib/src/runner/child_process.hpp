#pragma once

#include <functional>
#include <string>
#include <vector>

namespace h2sim::runner {

/**
 * Runs `tasks` calls of `task(i)` in forked child processes, at most `jobs` at once, and returns
 * what each wrote (its return value), in task order whatever the order they finish in. A child that
 * throws, crashes or is killed makes this throw RunError naming the task via `describe(i)`.
 * `on_progress(finished, tasks)`, if set, is called in the parent as results come in.
 * Call only where no SimGrid engine exists yet: a child inherits the parent's memory.
 */
std::vector<std::string> run_in_children(
    std::size_t tasks, int jobs, const std::function<std::string(std::size_t)>& task,
    const std::function<std::string(std::size_t)>& describe,
    const std::function<void(std::size_t, std::size_t)>& on_progress = {});

} // namespace h2sim::runner
