#pragma once

#include <functional>
#include <optional>

namespace CLI {
class App;
}

namespace h2sim::cli {

/**
 * Adds `h2sim report INPUT... [-o FILE] [--scenario FILE] [--target SPEC] [--title TEXT]` to `app`.
 * The function returned, called once `app` has parsed the command line, runs the report when it
 * was the command given and returns its exit code (0; 2 for unusable input or output path), and
 * nothing otherwise. A failed write throws OutputError.
 */
std::function<std::optional<int>()> add_report_command(CLI::App& app);

} // namespace h2sim::cli
