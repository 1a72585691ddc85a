// `h2sim schema [--metrics] [--markdown]`: the JSON Schema (or the Markdown reference) of scenario
// files, or of the metrics that run and sweep write.
#include "common.hpp"
#include "output.hpp"

namespace h2sim::cli {

int command_schema(bool metrics, bool markdown) {
  if (metrics) {
    write_stdout(markdown ? metrics_reference_markdown() : metrics_json_schema().dump(2) + "\n",
                 "the schema");
  } else {
    write_stdout(markdown ? scenario_reference_markdown() : scenario_json_schema().dump(2) + "\n",
                 "the schema");
  }
  return exit_ok;
}

} // namespace h2sim::cli
