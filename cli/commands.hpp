#pragma once

namespace h2sim::cli {

/** The `h2sim` command line: parses argv, runs a command, returns the process exit code. */
int main(int argc, char** argv);

} // namespace h2sim::cli
