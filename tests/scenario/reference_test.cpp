// docs/scenario-reference.md is what `h2sim schema --markdown` prints: the reference cannot drift
// from the declarations. After changing a table: build/dev/cli/h2sim schema --markdown >
// docs/scenario-reference.md
#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

TEST_CASE("docs: the scenario reference is generated from the parameter tables") {
  std::ifstream in(std::string(H2SIM_SOURCE_DIR) + "/docs/scenario-reference.md", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  CHECK(text.str() == h2sim::scenario_reference_markdown());
}
