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

TEST_CASE("docs: a key whose value has no default of its own shows the default its text states") {
  const std::string reference = h2sim::scenario_reference_markdown();
  const auto row_of = [&](const std::string& start) {
    const std::size_t at = reference.find(start);
    REQUIRE(at != std::string::npos);
    return reference.substr(at, reference.find('\n', at) - at);
  };
  // The column said "none" beside "(default unlimited)", "(default 0)", "; default all".
  CHECK(row_of("| `queue_capacity` |")
            .rfind("| `queue_capacity` | an integer >= 0 and <= 1000000 "
                   "| unlimited | most vehicles",
                   0) == 0);
  CHECK(row_of("| `open_stations` |").find("station ids | all | only the first") !=
        std::string::npos);
  CHECK(row_of("| `hours` |").find("| [0, 24] |") != std::string::npos);
  CHECK(row_of("| `series_bin_days` |").find("| (see description) |") != std::string::npos);
}

TEST_CASE("docs: the metrics reference is generated from the metric declarations") {
  CHECK(doc("metrics.md") == h2sim::metrics_reference_markdown());
}
