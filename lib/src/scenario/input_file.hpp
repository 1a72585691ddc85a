#pragma once

#include <cstdint>
#include <string>

namespace h2sim::scenario {

/** What is wrong with a file a scenario or an experiment names for h2sim to read, if anything. */
enum class InputFileProblem {
  none,
  nul_in_name, // the name holds a NUL byte: it would silently name the file before it
  cannot_read, // missing, or its status cannot be read
  not_regular, // a directory, FIFO or device: opening a FIFO blocks, reading /dev/zero never ends
  too_large,   // more than the reader's limit of bytes (the reader still counts as it reads)
};

/**
 * Looks at `path` before anything opens it: the checks every input file the scenario names (a
 * trace) or an experiment reads (candidate sites) must pass, each reader giving its own message.
 */
InputFileProblem check_input_file(const std::string& path, std::uintmax_t max_bytes);

} // namespace h2sim::scenario
