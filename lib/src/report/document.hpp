#pragma once

// The one place where metrics become text: the metrics document (JSON), the cells of a sweep's
// CSV table, and the JSON Schema of the document, all walking the field declarations.

#include "aggregate.hpp"
#include "fields.hpp"

#include <h2sim/scenario.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::report {

/** What the document repeats of the scenario it ran. */
struct Header {
  std::string scenario;
  std::uint64_t seed = 0;
  int replications = 0;
  double horizon_days = 0;
  double warmup_days = 0;
  std::size_t open_stations = 0;
  std::vector<Warning> warnings;
  std::vector<Change> changes; // what the overrides changed (the output's provenance)
  /** `run --replication K`: the index of the one replication run (then `replications` is 1). */
  std::optional<std::uint64_t> replication;
};

/** One scenario's run: what it was, and its replications as they combine. */
struct Run {
  Header header;
  Labels labels;
  int jobs = 1;
  double wall_s = 0; // the run block's: the call's wall time, or the replications' own
  Aggregate aggregate{0};
};

/**
 * The metrics document of README "Metrics": the header, the run block, the failures (with
 * `with_error`, "error" too), and the metrics over the finished replications — as they were when
 * one finished, combined with ci95 and replication_totals when more did, none when none did.
 */
nlohmann::ordered_json document(const Run& run, bool with_error = true);

/** A station or totals record's JSON; `integers`: counts as integers (one replication). */
nlohmann::ordered_json station_json(const RecordValues& values, Scope scope, bool integers);

/**
 * The scalar numbers of a totals record as CSV cells ("totals.wait_min.p95", text), in document
 * order; the text is the number as the JSON document writes it.
 */
std::vector<std::pair<std::string, std::string>> totals_cells(const RecordValues& totals,
                                                              bool integers);

/** The JSON Schema (draft 2020-12) of the metrics document, from the same declarations. */
nlohmann::ordered_json metrics_schema();

/** The reference of every metric in Markdown, from the same declarations (docs/metrics.md). */
std::string metrics_markdown();

} // namespace h2sim::report
