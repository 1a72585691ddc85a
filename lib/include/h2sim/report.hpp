#pragma once

#include <nlohmann/json.hpp>

#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace h2sim {

/** An input the report cannot use (not JSON, too deep, not an h2sim output): says what. */
class ReportError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/** One h2sim output to report on: what `run`, `sweep` or `size` wrote, and how the page names it.
 */
struct ReportInput {
  std::string label; // e.g. the file name
  nlohmann::ordered_json output;
};

/** What the report needs besides the outputs. */
struct ReportOptions {
  /**
   * A scenario document (parsed JSON, as in a scenario file), or null. Metrics carry no station
   * positions: with a scenario the page draws the station map (stations matched by id; closed
   * stations, depots), names stations and lists the scenario's key inputs.
   */
  nlohmann::ordered_json scenario = nullptr;
  std::string scenario_label; // where the scenario came from, e.g. its file name
  /** The policy target drawn on charts and judged in the summary (`size`'s own target wins). */
  std::string target = "totals.wait_min.p95<=5";
  std::string title; // empty: "h2sim report"
  /** A station's queue over a day (queue_over_day), drawn in its own section; null: none. */
  nlohmann::ordered_json queue_day = nullptr;
};

/**
 * One station's queue over day `day` (counted from the start of the run, warm-up included) from
 * an event log of `run --events` (CSV or JSON Lines, told apart by the first line): per minute of
 * the day, the most vehicles waiting and the most filling at any time of that minute, and the
 * arrivals of the day: {"station", "day", "arrivals", "waiting_peak_per_minute": [1440],
 * "filling_peak_per_minute": [1440]}. Reads the log once, keeping only the station's visits under
 * way. Throws ReportError for a line that is not an event (naming its number) or a station the
 * log never names.
 */
nlohmann::ordered_json queue_over_day(std::istream& log, const std::string& station, double day);

/**
 * Parses an h2sim output for the report: JSON nested at most 64 levels. Throws ReportError ("not
 * JSON: ...", "nested deeper than 64 levels") otherwise.
 */
nlohmann::ordered_json parse_report_input(std::string_view text);

/**
 * One self-contained HTML page (README.md, Reports) over `inputs` (one or several; runs, sweeps,
 * sizes): summary, station map, hour-of-day heat maps, a sortable station table, sweep and size
 * curves with 95% bands, and for several inputs a side-by-side comparison. Chart.js and the page's
 * script are inline; the page makes no network request. Every string from the inputs reaches the
 * page as escaped JSON data and is shown as text. Throws ReportError for an input that is not an
 * h2sim output, naming its label.
 */
std::string html_report(const std::vector<ReportInput>& inputs, const ReportOptions& options = {});

} // namespace h2sim
