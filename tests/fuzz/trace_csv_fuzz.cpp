// libFuzzer target: the trace reader on a CSV text, with the default limits and with tight ones
// (so that the limit paths run on small inputs). The stations are those of
// scenarios/trace/example.json.

#include "scenario/message.hpp"
#include "scenario/trace_csv.hpp"

#include <h2sim/h2sim.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace {

/** Aborts (libFuzzer saves the input) when a promise of read_trace is broken. */
void require(bool condition, const char* promise) {
  if (!condition) {
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::abort();
  }
}

const std::vector<h2sim::models::StationSpec> stations = [] {
  std::vector<h2sim::models::StationSpec> list(2);
  list[0].id = "JD-01";
  list[1].id = "JD-02";
  return list;
}();

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const h2sim::scenario::TraceLimits tight{size / 2, 3, 4, 2};
  for (const h2sim::scenario::TraceLimits& limits : {h2sim::scenario::TraceLimits{}, tight}) {
    std::istringstream in(text);
    std::vector<h2sim::Problem> problems;
    const std::vector<h2sim::models::TraceRow> rows =
        h2sim::scenario::read_trace(in, "fuzz.csv", stations, "/demand/file", problems, limits);
    require(rows.size() <= limits.max_rows, "at most max_rows rows");
    // Listed bad rows, plus the summary of the others, the header's or a limit's problems.
    require(problems.size() <= limits.max_listed_problems + 4, "bad rows are listed up to a limit");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const h2sim::models::TraceRow& row = rows[i];
      require(std::isfinite(row.time_min) && row.time_min >= 0, "times are finite and >= 0");
      require(std::isfinite(row.kg) && row.kg > 0, "kg are finite and > 0");
      require(!row.station || *row.station < stations.size(), "stations are known");
      require(std::isfinite(row.at.x_km) && std::isfinite(row.at.y_km), "places are finite");
      require(i == 0 || rows[i - 1].time_min <= row.time_min, "rows are sorted by time");
    }
    for (const h2sim::Problem& problem : problems) {
      require(problem.pointer == "/demand/file", "problems are at the trace's pointer");
      require(problem.message.rfind("fuzz.csv", 0) == 0, "messages name the file");
      require(h2sim::scenario::valid_utf8(problem.message) == problem.message,
              "messages are valid UTF-8");
      require(problem.message.size() < 400, "messages quote values briefly");
    }
  }
  return 0;
}
