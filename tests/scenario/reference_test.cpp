// docs/scenario-reference.md is what `h2sim schema --markdown` prints, docs/metrics.md what
// `h2sim schema --metrics --markdown` prints: the references cannot drift from the declarations.
// After changing a table: build/dev/cli/h2sim schema --markdown > docs/scenario-reference.md;
// after changing a metric: build/dev/cli/h2sim schema --metrics --markdown > docs/metrics.md
#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

namespace {
std::string doc(const std::string& name) {
  std::ifstream in(std::string(H2SIM_SOURCE_DIR) + "/docs/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
} // namespace

TEST_CASE("docs: the scenario reference is generated from the parameter tables") {
  CHECK(doc("scenario-reference.md") == h2sim::scenario_reference_markdown());
}

TEST_CASE("docs: the metrics reference is generated from the metric declarations") {
  CHECK(doc("metrics.md") == h2sim::metrics_reference_markdown());
}
