// run --table: the metrics document as one long tidy CSV; every number of the document is a row.
#include "../support.hpp"
#include "core/csv.hpp"

#include <h2sim/experiments.hpp>

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

using h2sim::test::run_text;

namespace {

/** RFC 4180 rows (fields may be quoted, with "" for a quote). */
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string record;
  while (h2sim::csv_read_record(in, record)) {
    rows.push_back(h2sim::csv_split(record).cells);
  }
  return rows;
}

const std::string two_stations = R"({"name": "table", "seed": 2, "horizon_days": 1,
  "replications": 3,
  "stations": [{"id": "A,\"1\"", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1},
               {"id": "B", "x_km": 1, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1}],
  "demand": {"model": "poisson", "arrivals_per_h": 5, "kg_per_fill": 4}})";

} // namespace

TEST_CASE("metrics table: every number of the document is one row, ids quoted as RFC 4180") {
  const auto metrics = run_text(two_stations);
  const auto rows = parse_csv(h2sim::metrics_table(metrics));
  REQUIRE(!rows.empty());
  CHECK(rows[0] ==
        std::vector<std::string>{"table", "id", "kind", "replication", "index", "metric", "value"});
  std::map<std::string, std::string> cell; // "table|id|kind|replication|index|metric" -> value
  for (std::size_t r = 1; r < rows.size(); ++r) {
    REQUIRE(rows[r].size() == 7);
    std::string key;
    for (std::size_t c = 0; c < 6; ++c) {
      key += rows[r][c] + "|";
    }
    CHECK(cell.emplace(key, rows[r][6]).second); // no row twice
  }
  const auto number = [](const nlohmann::ordered_json& value) { return value.dump(); };
  CHECK(cell.at("totals||mean|||wait_min.p95|") == number(metrics["totals"]["wait_min"]["p95"]));
  CHECK(cell.at("totals||ci95_low|||wait_min.p95|") ==
        number(metrics["ci95"]["totals.wait_min.p95"][0]));
  CHECK(cell.at("totals||replication|2||arrivals|") ==
        number(metrics["replication_totals"][2]["arrivals"]));
  CHECK(cell.at("stations|A,\"1\"|mean|||served|") == number(metrics["stations"][0]["served"]));
  CHECK(cell.at("stations|B|ci95_high|||wait_min.p95|") ==
        number(metrics["stations"][1]["ci95"]["wait_min.p95"][1]));
  CHECK(cell.at("hourly|B|mean||23|hourly.utilization|") ==
        number(metrics["stations"][1]["hourly"]["utilization"][23]));
  CHECK(cell.at("hourly|B|mean||23|hourly.arrivals|") ==
        number(metrics["stations"][1]["hourly"]["arrivals"][23]));
  // As many rows as the document has numbers (and strings) in those places.
  std::size_t leaves = 0;
  const std::function<void(const nlohmann::ordered_json&, bool)> count =
      [&](const nlohmann::ordered_json& value, bool top) {
        if (value.is_object()) {
          for (const auto& [key, child] : value.items()) {
            if (!(top && key == "id")) {
              count(child, false);
            }
          }
        } else if (value.is_array()) {
          for (const auto& child : value) {
            count(child, false);
          }
        } else {
          ++leaves;
        }
      };
  count(metrics["totals"], true);
  for (const auto& replication : metrics["replication_totals"]) {
    count(replication, true);
  }
  for (const auto& station : metrics["stations"]) {
    count(station, true);
  }
  CHECK(rows.size() - 1 == leaves + 2 * metrics["ci95"].size());
}

TEST_CASE("metrics table: one replication gives values, no interval rows") {
  const auto metrics = run_text(two_stations, {{"replications", "1"}});
  const std::string table = h2sim::metrics_table(metrics);
  CHECK(table.find(",mean,") == std::string::npos);
  CHECK(table.find(",ci95_low,") == std::string::npos);
  CHECK(table.find("totals,,value,,,served," +
                   std::to_string(metrics["totals"]["served"].get<long>()) + "\n") !=
        std::string::npos);
}
