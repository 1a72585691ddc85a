// The HTML report: reads h2sim outputs (run, sweep, size) into a page model (plain JSON: sections
// of blocks: cards, tables, charts, heat maps, a map), which the page's own script (page/report.js)
// draws with Chart.js. Every number and judgement is made here; the script only draws.
#include "../core/limits.hpp"
#include "fields.hpp"

#include <h2sim/experiments.hpp>
#include <h2sim/report.hpp>
#include <h2sim/scenario.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace h2sim::embedded {
extern const std::string_view report_chart_js;
extern const std::string_view report_page_js;
extern const std::string_view report_page_css;
} // namespace h2sim::embedded

namespace h2sim {

namespace {

using json = nlohmann::ordered_json;

constexpr int max_depth = 64;

// ---------------------------------------------------------------- reading outputs, tolerantly

/** The value at a '/'-separated path, or null when any step is missing or of another kind. */
const json* at(const json& document, std::string_view path) {
  const json* node = &document;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string key(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (!node->is_object()) {
      return nullptr;
    }
    const auto it = node->find(key);
    if (it == node->end()) {
      return nullptr;
    }
    node = &*it;
  }
  return node;
}

std::optional<double> number(const json& document, std::string_view path) {
  const json* value = at(document, path);
  if (value == nullptr || !value->is_number()) {
    return std::nullopt;
  }
  return value->get<double>();
}

std::string text(const json& document, std::string_view path) {
  const json* value = at(document, path);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string{};
}

json or_null(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

/** A 95% interval [low, high] from a two-number array, if that is what `value` is. */
std::optional<std::pair<double, double>> interval(const json* value) {
  if (value == nullptr || !value->is_array() || value->size() != 2 || !(*value)[0].is_number() ||
      !(*value)[1].is_number()) {
    return std::nullopt;
  }
  return std::pair{(*value)[0].get<double>(), (*value)[1].get<double>()};
}

/**
 * The 95% interval of `metric` (dotted, e.g. "wait_min.p95") in a `ci95` object: its key is
 * "totals.METRIC" for totals; stations' intervals (when outputs carry them) may be keyed either
 * way.
 */
std::optional<std::pair<double, double>> ci_of(const json& ci95, const std::string& metric) {
  if (!ci95.is_object()) {
    return std::nullopt;
  }
  for (const std::string& key : {metric, "totals." + metric, "stations." + metric}) {
    if (const auto it = ci95.find(key); it != ci95.end()) {
      return interval(&*it);
    }
  }
  return std::nullopt;
}

std::string slash_path(std::string dotted) {
  std::replace(dotted.begin(), dotted.end(), '.', '/');
  return dotted;
}

/** A table cell: the number, with its 95% interval when known ({"v", "lo", "hi"}). */
json cell(const json& object, const std::string& metric, const json* ci95) {
  const auto value = number(object, slash_path(metric));
  if (!value) {
    return nullptr;
  }
  if (ci95 != nullptr) {
    if (const auto ci = ci_of(*ci95, metric)) {
      return json{{"v", *value}, {"lo", ci->first}, {"hi", ci->second}};
    }
  }
  return *value;
}

/** A cell shown with `digits` decimals whatever its column's ({"v", "d"}, and "lo", "hi"). */
json with_digits(json value, int digits) {
  if (value.is_number()) {
    return json{{"v", std::move(value)}, {"d", digits}};
  }
  if (value.is_object()) {
    value["d"] = digits;
  }
  return value;
}

/** `value` with `digits` decimals, negative with "−" as the page's tables write it (not "-0.0"). */
std::string format(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, std::abs(value));
  const std::string text = buffer;
  const bool zero = text.find_first_not_of("0.") == std::string::npos;
  return (value < 0 && !zero ? "−" : "") + text;
}

/** A mean over replications of a count: whole where it is (302), else to a tenth (302.5). */
std::string format_mean_count(double value) {
  return format(value, value == std::floor(value) ? 0 : 1);
}

/** A number of days: to a tenth from a day on, else to two significant digits (0.01, not 0.0). */
std::string format_days(double days) {
  if (days >= 1 || days <= 0) {
    return format(days, 1);
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2g", days);
  return buffer;
}

/** "1 value", "3 values". */
std::string count_of(std::size_t count, const std::string& thing) {
  return std::to_string(count) + " " + thing + (count == 1 ? "" : "s");
}

std::string format_value(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

/** A target "METRIC<=BOUND" or ">=". */
struct Target {
  std::string metric; // dotted: below totals for parse_target, whole for parse_any_target
  bool at_most = true;
  double bound = 0;
  std::string text;
  bool holds(double value) const { return at_most ? value <= bound : value >= bound; }
};

/** A target on any metric, in size's grammar: "stations[id=A].wait_min.p95<=5". */
std::optional<Target> parse_any_target(const std::string& spec) {
  try {
    const SizeTarget target = parse_size_target(spec);
    return Target{target.metric, target.at_most, target.bound, target.text};
  } catch (const ExperimentError&) {
    return std::nullopt;
  }
}

/** A target on a network total, "totals.METRIC<=BOUND" or ">=": its metric below totals. */
std::optional<Target> parse_target(const std::string& spec) {
  std::optional<Target> target = parse_any_target(spec);
  if (!target || !target->metric.starts_with("totals.")) {
    return std::nullopt;
  }
  target->metric.erase(0, 7);
  return target;
}

enum class Kind { run, sweep, size };

/**
 * Throws unless every value of a run's metrics that the page reads as a number is one (or null):
 * the numbers of `totals`, of each station but its id and of each class but its name. An edited
 * file said "no network totals (no replication finished?)" and drew cards from them all the same.
 */
void check_numbers(const json& value, const std::string& pointer, const std::string& label) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      check_numbers(item, pointer + "/" + key, label);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      check_numbers(value[i], pointer + "/" + std::to_string(i), label);
    }
  } else if (!value.is_number() && !value.is_null()) {
    // "not a number" misled where h2sim writes an object (an edited series: "oops").
    throw ReportError(label + ": " + pointer + " is " + value.dump() +
                      ", where h2sim writes a number, or an object or list of numbers: not an "
                      "h2sim output as it wrote it");
  }
}

/** "LABEL: POINTER is VALUE: WHY: not an h2sim output as it wrote it". */
[[noreturn]] void refuse_value(const std::string& label, const std::string& pointer,
                               const json& value, const std::string& why) {
  throw ReportError(label + ": " + pointer + " is " + value.dump() + ": " + why +
                    ": not an h2sim output as it wrote it");
}

/**
 * Whether `low` <= `high` as h2sim writes them: quantiles and means over replications are sums
 * divided by their count, which may land a rounding step off an equal value (six equal p99s of
 * 19.333... average to 19.33333333333334, above their max).
 */
bool in_order(double low, double high) {
  return low <= high + 1e-9 * std::max(1.0, std::abs(high));
}

/** "an object", "a list", "a number", ... for a message: an edited value may be long. */
std::string json_kind(const json& value) {
  if (value.is_object()) {
    return value.empty() ? "an empty object" : "an object";
  }
  if (value.is_array()) {
    return value.empty() ? "an empty list" : "a list";
  }
  return value.is_number() ? "a number" : value.is_string() ? "text" : value.dump();
}

/**
 * Throws unless `value`, a field of `kind`, has the shape h2sim writes it in: a number (or null)
 * for a count, amount or ratio, an object of statistics for waits, a list for hourly and series
 * values. An edited `served: {}` passed the check of numbers and was drawn as no value.
 */
void check_shape(const json& value, report::Kind kind, const std::string& where,
                 const std::string& label) {
  using report::Kind;
  std::string_view expected;
  switch (kind) {
  case Kind::count:
  case Kind::quantity:
  case Kind::maximum:
  case Kind::minimum:
  case Kind::derived:
    expected = value.is_number() || value.is_null() ? "" : "a number";
    break;
  case Kind::waits:
    expected = (value.is_object() && !value.empty() &&
                std::all_of(value.items().begin(), value.items().end(),
                            [](const auto& item) {
                              return std::find(report::wait_statistics.begin(),
                                               report::wait_statistics.end(),
                                               item.key()) != report::wait_statistics.end();
                            })) ||
                       value.is_null()
                   ? ""
                   : "an object of wait statistics (mean, p50, p90, p95, p99, max)";
    break;
  default: // hourly and series values
    expected = value.is_array() && std::all_of(value.begin(), value.end(),
                                               [](const json& item) {
                                                 return item.is_number() || item.is_null();
                                               })
                   ? ""
                   : "a list of numbers";
  }
  if (!expected.empty()) {
    throw ReportError(label + ": " + where + " is " + json_kind(value) + ", where h2sim writes " +
                      std::string(expected) + ": not an h2sim output as it wrote it");
  }
}

/**
 * Throws unless each entry of a `ci95` object is a 95% interval as h2sim writes it: two numbers,
 * the low end first. An edited [9, 1] was drawn as an interval from 9 to 1.
 */
void check_intervals(const json& ci95, const std::string& pointer, const std::string& label) {
  if (!ci95.is_object()) {
    throw ReportError(label + ": " + pointer + " is " + json_kind(ci95) +
                      ", where h2sim writes an object of intervals: not an h2sim output as it "
                      "wrote it");
  }
  for (const auto& [key, value] : ci95.items()) {
    const std::string where = pointer + "/" + key;
    const auto ci = interval(&value);
    if (!ci) {
      throw ReportError(label + ": " + where + " is " + json_kind(value) +
                        ", where h2sim writes an interval [low, high]: not an h2sim output as it "
                        "wrote it");
    }
    if (!in_order(ci->first, ci->second)) {
      refuse_value(label, where, value, "an interval whose low end is above its high end");
    }
  }
}

/**
 * Throws where a record's numbers make no sense as h2sim writes them (types are checked before):
 * a negative count, a negative wait, or a wait's quantiles out of order (p50 <= p90 <= p95 <= p99
 * <= max, mean <= max, each to within rounding). An edited file with served -5 or p99 below p90
 * was drawn as given.
 */
template <class R>
void check_sense(const json& record, const std::vector<report::Field<R>>& fields,
                 const std::string& pointer, const std::string& label) {
  using report::Kind;
  for (const report::Field<R>& field : fields) {
    if (const json* value = at(record, slash_path(std::string(field.key))); value != nullptr) {
      check_shape(*value, field.kind, pointer + "/" + slash_path(std::string(field.key)), label);
    }
    const bool counts = field.kind == Kind::count || field.kind == Kind::maximum ||
                        field.kind == Kind::hourly_counts || field.kind == Kind::series_counts;
    if (!counts && field.kind != Kind::waits) {
      continue;
    }
    const std::string path = slash_path(std::string(field.key));
    const json* value = at(record, path);
    if (value == nullptr) {
      continue;
    }
    const std::string where = pointer + "/" + path;
    if (counts) {
      const bool list = value->is_array();
      for (std::size_t i = 0; i < (list ? value->size() : 1); ++i) {
        const json& item = list ? (*value)[i] : *value;
        // h2sim counts in 64 bits: a count read as a double from 2^64 on it never wrote.
        if (item.is_number() &&
            (item.get<double>() < 0 ||
             (item.is_number_float() && item.get<double>() >= limits::past_64_bits))) {
          refuse_value(label, list ? where + "/" + std::to_string(i) : where, item,
                       item.get<double>() < 0 ? "a count, never negative"
                                              : "a count, above what 64 bits hold");
        }
      }
      continue;
    }
    std::optional<std::pair<std::string_view, double>> below; // the last quantile read
    for (const std::string_view statistic : report::wait_statistics) {
      const std::optional<double> v = number(*value, statistic);
      if (!v) {
        continue;
      }
      const json& shown = (*value)[std::string(statistic)];
      const std::string at_statistic = where + "/" + std::string(statistic);
      if (*v < 0) {
        refuse_value(label, at_statistic, shown, "a wait, never negative");
      }
      if (statistic == "mean") {
        if (const auto max = number(*value, "max"); max && !in_order(*v, *max)) {
          refuse_value(label, at_statistic, shown, "above the max (" + json(*max).dump() + ")");
        }
        continue;
      }
      if (below && !in_order(below->second, *v)) {
        refuse_value(label, at_statistic, shown,
                     "below " + std::string(below->first) + " (" + json(below->second).dump() +
                         "): quantiles never decrease");
      }
      below = std::pair{statistic, *v};
    }
  }
}

void check_metrics(const json& metrics, const std::string& pointer, const std::string& label) {
  if (const json* totals = at(metrics, "totals"); totals != nullptr) {
    check_numbers(*totals, pointer + "/totals", label);
    check_sense(*totals, report::station_fields(), pointer + "/totals", label);
  }
  if (const json* ci95 = at(metrics, "ci95"); ci95 != nullptr) {
    check_intervals(*ci95, pointer + "/ci95", label);
  }
  for (const auto& [list, name] : {std::pair{"stations", "id"}, {"classes", "name"}}) {
    const json* items = at(metrics, list);
    for (std::size_t i = 0; items != nullptr && items->is_array() && i < items->size(); ++i) {
      const std::string where = pointer + "/" + list + "/" + std::to_string(i);
      if (!(*items)[i].is_object()) {
        throw ReportError(label + ": " + where + " is not an object: not an h2sim output");
      }
      for (const auto& [key, item] : (*items)[i].items()) {
        if (key != name) {
          check_numbers(item, where + "/" + key, label);
        }
      }
      if (const json* ci95 = at((*items)[i], "ci95"); ci95 != nullptr) {
        check_intervals(*ci95, where + "/ci95", label);
      }
      if (std::string_view(list) == "stations") {
        check_sense((*items)[i], report::station_fields(), where, label);
      } else {
        check_sense((*items)[i], report::class_fields(), where, label);
      }
    }
  }
}

Kind kind_of(const ReportInput& input) {
  const json& output = input.output;
  if (output.is_object() && output.contains("chosen") && output.contains("steps")) {
    throw ReportError(input.label +
                      ": a site search's result, which the report does not read; run the "
                      "stations it chose (h2sim run --set open_stations=[...]) and report on that");
  }
  if (output.is_object()) {
    if (const json* dry = at(output, "dry_run"); dry != nullptr && dry->is_boolean() && *dry) {
      throw ReportError(input.label +
                        ": a --dry-run's list of what would run, with no results: run it "
                        "without --dry-run and report on that");
    }
    if (const json* points = at(output, "points"); points != nullptr && points->is_array()) {
      if (points->empty()) {
        throw ReportError(input.label + ": a sweep with no points: nothing to report");
      }
      for (std::size_t k = 0; k < points->size(); ++k) {
        const json* metrics = at((*points)[k], "metrics");
        if (metrics == nullptr || !metrics->is_object()) {
          throw ReportError(input.label + ": points[" + std::to_string(k) +
                            "] is not a sweep's point (an object with set and metrics)");
        }
        if (!metrics->contains("totals") && !(*points)[k].contains("error")) {
          throw ReportError(input.label + ": points[" + std::to_string(k) +
                            "] has no results (its metrics have no totals)");
        }
        check_metrics(*metrics, "/points/" + std::to_string(k) + "/metrics", input.label);
      }
      return Kind::sweep;
    }
    if (const json* evaluations = at(output, "evaluations");
        evaluations != nullptr && evaluations->is_array() && output.contains("parameter")) {
      if (evaluations->empty()) {
        throw ReportError(input.label + ": a size result with no evaluations: nothing to report");
      }
      return Kind::size;
    }
    if (output.contains("totals") || output.contains("h2sim_version")) {
      check_metrics(output, "", input.label);
      return Kind::run;
    }
    if (output.contains("stations") && output.contains("demand")) {
      throw ReportError(input.label +
                        ": a scenario file, not an h2sim output: give it with --scenario");
    }
  }
  throw ReportError(
      input.label +
      ": not an h2sim output (a run's metrics, a sweep's points, a size result or a comparison)");
}

const char* kind_name(Kind kind) {
  switch (kind) {
  case Kind::run:
    return "run";
  case Kind::sweep:
    return "sweep";
  case Kind::size:
    return "size";
  }
  return "run";
}

// ---------------------------------------------------------------- the scenario, when given

struct Place {
  double x = 0;
  double y = 0;
  std::string name;
  std::string supply;   // "delivery", "pipeline P-chem", ... ("" when the file says none)
  std::string pipeline; // the pipeline feeding it, if any
};

struct ScenarioInfo {
  bool present = false;
  std::string label;
  std::string name;
  std::map<std::string, Place> stations; // by id, those with a place
  std::vector<std::string> order;        // ids in file order
  std::set<std::string> ids;             // every station id the file lists, placed or not
  json depots = json::array();
  const json* document = nullptr;
};

/**
 * Where a station or depot of the scenario document is in its km plane: x_km and y_km, or lat and
 * lon projected about the document's origin as the scenario reader does.
 */
std::optional<std::array<double, 2>> place_of(const json& item, const json& document) {
  const auto x = number(item, "x_km");
  const auto y = number(item, "y_km");
  if (x && y) {
    return std::array<double, 2>{*x, *y};
  }
  const auto lat = number(item, "lat");
  const auto lon = number(item, "lon");
  const auto origin_lat = number(document, "origin/lat");
  const auto origin_lon = number(document, "origin/lon");
  if (lat && lon && origin_lat && origin_lon) {
    return project_equirectangular({*lat, *lon}, {*origin_lat, *origin_lon});
  }
  return std::nullopt;
}

ScenarioInfo read_scenario(const ReportOptions& options) {
  ScenarioInfo info;
  if (options.scenario.is_null()) {
    return info;
  }
  if (!options.scenario.is_object()) {
    throw ReportError(options.scenario_label + ": not a scenario file (not a JSON object)");
  }
  const json* listed = at(options.scenario, "stations");
  if (options.scenario.contains("totals") || options.scenario.contains("h2sim_version")) {
    throw ReportError(options.scenario_label +
                      ": an h2sim output, not a scenario file (--scenario takes the scenario "
                      "the output was made from)");
  }
  if (listed == nullptr || !listed->is_array()) {
    throw ReportError(options.scenario_label + ": not a scenario file (it has no stations)");
  }
  info.present = true;
  info.document = &options.scenario;
  info.label = options.scenario_label;
  info.name = text(options.scenario, "name");
  for (const json& station : *listed) {
    if (!station.is_object() || !station.contains("id") || !station["id"].is_string()) {
      continue;
    }
    const std::string id = station["id"].get<std::string>();
    info.ids.insert(id);
    const auto at = place_of(station, options.scenario);
    if (!at) {
      continue;
    }
    Place place{(*at)[0], (*at)[1], text(station, "name"), text(station, "supply/model"),
                text(station, "supply/pipeline")};
    if (!place.pipeline.empty()) {
      place.supply += " " + place.pipeline;
    }
    if (const std::string depot = text(station, "supply/depot"); !depot.empty()) {
      place.supply += " from depot " + depot;
    }
    if (info.stations.emplace(id, std::move(place)).second) {
      info.order.push_back(id);
    }
  }
  if (const json* depots = at(options.scenario, "depots"); depots && depots->is_array()) {
    for (const json& depot : *depots) {
      if (const auto at = place_of(depot, options.scenario)) {
        info.depots.push_back({{"id", text(depot, "id")}, {"x", (*at)[0]}, {"y", (*at)[1]}});
      }
    }
  }
  return info;
}

/** The ids of the stations the outputs' metrics list: a run's, a sweep's points', a comparison's.
 */
void output_station_ids(const json& node, std::vector<std::string>& ids, int depth = 0) {
  if (depth > 4) {
    return;
  }
  if (node.is_array()) {
    for (const json& item : node) {
      output_station_ids(item, ids, depth + 1);
    }
    return;
  }
  if (!node.is_object()) {
    return;
  }
  if (const json* stations = at(node, "stations"); stations != nullptr && stations->is_array()) {
    for (const json& station : *stations) {
      if (station.is_object() && station.contains("id") && station["id"].is_string()) {
        ids.push_back(station["id"].get<std::string>());
      }
    }
  }
  for (const char* key : {"points", "scenarios", "evaluations", "metrics"}) {
    if (const json* inner = at(node, key); inner != nullptr) {
      output_station_ids(*inner, ids, depth + 1);
    }
  }
}

/**
 * ReportError when --scenario lists none of the outputs' stations: it is another scenario, whose
 * inputs the summary would show as the run's (a Poisson run summarised as a fleet of 1,500).
 */
void check_scenario_matches(const std::vector<ReportInput>& inputs, const ScenarioInfo& scenario) {
  std::vector<std::string> ids;
  for (const ReportInput& input : inputs) {
    output_station_ids(input.output, ids);
  }
  if (ids.empty() || std::any_of(ids.begin(), ids.end(), [&](const std::string& id) {
        return scenario.ids.count(id) > 0;
      })) {
    return;
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string named = ids.front();
  for (std::size_t i = 1; i < std::min<std::size_t>(ids.size(), 3); ++i) {
    named += ", " + ids[i];
  }
  if (ids.size() > 3) {
    named += " and " + std::to_string(ids.size() - 3) + " more";
  }
  throw ReportError(scenario.label + ": has none of the outputs' stations (" + named +
                    "): --scenario takes the scenario the outputs were made from");
}

// ---------------------------------------------------------------- page blocks

json note(const std::string& message) { return {{"type", "note"}, {"text", message}}; }
json paragraph(const std::string& message) { return {{"type", "text"}, {"text", message}}; }

json section(const std::string& id, const std::string& title, json blocks) {
  return {{"id", id}, {"title", title}, {"blocks", std::move(blocks)}};
}

constexpr const char* below_zero_text =
    "An interval reaching below 0, for a quantity that cannot be negative, is shown as computed, "
    "not clipped: the replications pin that value down poorly (too few of them, or too far "
    "apart); run more or longer replications (docs/statistics.md).";

/** Whether one of `table`'s 95% intervals reaches below 0. */
bool reaches_below_zero(const json& table) {
  for (const json& row : table["rows"]) {
    for (const json& value : row) {
      if (value.is_object() && value.contains("lo") && value["lo"].is_number() &&
          value["lo"].get<double>() < 0) {
        return true;
      }
    }
  }
  return false;
}

/**
 * After the last block, a table of quantities that cannot be negative: a note when one of its
 * 95% intervals reaches below 0, which the page shows as h2sim writes it, unclipped.
 */
void note_lower_ends_below_zero(json& blocks) {
  if (reaches_below_zero(blocks.back())) {
    blocks.push_back(note(below_zero_text));
  }
}

json column(const std::string& label, int digits = -1, const std::string& unit = "") {
  json c{{"label", label}, {"numeric", digits >= 0}};
  if (digits >= 0) {
    c["digits"] = digits;
  }
  if (!unit.empty()) {
    c["unit"] = unit;
  }
  return c;
}

struct Metric {
  const char* path; // dotted, below totals or a station
  const char* label;
  int digits;
};

const std::vector<Metric>& headline_metrics() {
  static const std::vector<Metric> metrics{
      {"wait_min.p95", "wait p95 (min)", 2},
      {"wait_min.mean", "wait mean (min)", 2},
      {"wait_min.p99", "wait p99 (min)", 2},
      {"wait_min.max", "wait max (min)", 1},
      {"arrivals", "arrivals", 0},
      {"served", "served", 0},
      {"balked", "balked", 0},
      {"reneged", "reneged", 0},
      {"stranded", "stranded", 0},
      {"turned_away_stockout", "turned away dry", 0},
      {"diverted_closed", "diverted (closed)", 0},
      {"gave_up", "gave up", 0},
      {"utilization", "utilization", 3},
      {"queue_mean", "queue mean (vehicles)", 2},
      {"dispensed_kg", "dispensed (kg)", 0},
      {"stockout_h", "dry hours", 1},
      {"deliveries", "deliveries", 1},
  };
  return metrics;
}

/**
 * The share of waits at most `minutes`, bracketed by the quantiles the metrics carry: the metrics
 * hold p50, p90, p95, p99 and max, not the distribution, so the exact share is not derivable.
 */
json share_within(const json& wait, double minutes) {
  static const std::vector<std::pair<double, const char*>> levels{
      {0.50, "p50"}, {0.90, "p90"}, {0.95, "p95"}, {0.99, "p99"}, {1.00, "max"}};
  std::optional<std::pair<double, std::string>> below; // the highest quantile <= minutes
  std::optional<std::pair<double, std::string>> above; // the lowest quantile > minutes
  for (const auto& [level, key] : levels) {
    const auto q = number(wait, key);
    if (!q) {
      continue;
    }
    if (*q <= minutes) {
      below = std::pair{level, std::string(key) + " = " + format(*q, 2) + " min"};
    } else if (!above) {
      above = std::pair{level, std::string(key) + " = " + format(*q, 2) + " min"};
    }
  }
  if (!below && !above) {
    return {{"value", "not in the output"}, {"detail", "the output has no wait quantiles"}};
  }
  const auto percent = [](double level) { return format(level * 100, 0) + "%"; };
  std::string value;
  std::string detail;
  if (!above) {
    value = "100%";
    detail = "every wait was at most " + format(minutes, 0) + " min (" + below->second + ")";
  } else if (!below) {
    value = "under " + percent(above->first);
    detail = above->second + " is over " + format(minutes, 0) + " min";
  } else {
    value = percent(below->first) + "–" + percent(above->first);
    detail = below->second + ", " + above->second;
  }
  return {{"value", value},
          {"detail", detail + "; the output holds wait quantiles, not the exact share"}};
}

// ---------------------------------------------------------------- one run

struct RunContext {
  const json& metrics;
  const ScenarioInfo& scenario;
  const Target& target;
  std::string prefix;        // section ids
  std::string heading;       // prefix of section titles ("A — a.json: ", or "")
  const json* set = nullptr; // a sweep point's overrides
};

/**
 * `document` with each of `overrides` ([{"pointer", "after"}], as outputs record them) applied at
 * its pointer; one that does not fit the document (a hand-edited output's) is passed over.
 */
json as_run(const json& document, const json* overrides) {
  json applied = document;
  if (overrides == nullptr || !overrides->is_array()) {
    return applied;
  }
  for (const json& o : *overrides) {
    const json* pointer = at(o, "pointer");
    const json* after = at(o, "after");
    if (pointer == nullptr || !pointer->is_string() || after == nullptr) {
      continue;
    }
    try {
      const json::json_pointer where(pointer->get<std::string>());
      if (where.empty() || !applied.contains(where.parent_pointer())) {
        continue;
      }
      json& parent = applied.at(where.parent_pointer());
      if (parent.is_object() || (parent.is_array() && applied.contains(where))) {
        applied[where] = *after;
      }
    } catch (const json::exception&) {
      continue; // not a JSON pointer, or one into a number
    }
  }
  return applied;
}

json summary_section(const RunContext& run) {
  const json& m = run.metrics;
  const json empty = json::object();
  const json& totals = m.contains("totals") && m["totals"].is_object() ? m["totals"] : empty;
  const json& ci95 = m.contains("ci95") ? m["ci95"] : empty;
  json blocks = json::array();

  const auto p95 = number(totals, "wait_min/p95");
  const auto mean = number(totals, "wait_min/mean");
  const auto arrivals = number(totals, "arrivals");
  const auto served = number(totals, "served");
  const auto stations = at(m, "stations");
  const std::size_t open = stations && stations->is_array() ? stations->size() : 0;
  // Waits are over the vehicles served: with none, they describe no one and judge nothing.
  const bool none_served = served && *served == 0;

  // The ten-second sentence.
  if (none_served) {
    std::string headline =
        "Across " + count_of(open, "open station") + ", no vehicle was served" +
        (arrivals ? " of " + format_mean_count(*arrivals) + " station visits" : "") +
        ": there are no waits to report.";
    if (run.target.metric == "wait_min.p95") {
      headline += " Target " + run.target.text + ": not met (no vehicle was served).";
    }
    blocks.push_back({{"type", "headline"}, {"text", headline}});
  } else if (p95 && mean) {
    std::string headline = "Across " + count_of(open, "open station") +
                           ", 95% of the vehicles served waited at most " + format(*p95, 1) +
                           " min";
    const auto p95_ci = ci_of(ci95, "wait_min.p95");
    if (p95_ci) {
      headline += " (95% CI " + format(p95_ci->first, 1) + "–" + format(p95_ci->second, 1) + ")";
    }
    headline += "; the mean wait was " + format(*mean, 1) + " min.";
    if (arrivals && served && *arrivals > 0) {
      headline += " " + format(100 * *served / *arrivals, 1) + "% of station visits were served.";
    }
    if (run.target.metric == "wait_min.p95") {
      const double judged = p95_ci ? (run.target.at_most ? p95_ci->second : p95_ci->first) : *p95;
      headline +=
          std::string(" Target ") + run.target.text + ": " +
          (run.target.holds(judged) ? "met" : "not met") +
          (p95_ci ? " with 95% confidence." : " (one replication: no confidence interval).");
    }
    blocks.push_back({{"type", "headline"}, {"text", headline}});
  } else if (totals.empty()) {
    blocks.push_back(note("This output has no network totals (no replication finished?)."));
  } else {
    // A null p95 or mean (an edited file) said there were no totals, above the totals' cards.
    std::string missing = !p95 && !mean ? "p95 or mean wait" : !p95 ? "p95 wait" : "mean wait";
    blocks.push_back(note("This output's totals have no " + missing + " to headline."));
  }

  json cards = json::array();
  const auto card = [&](const std::string& label, const std::string& value,
                        const std::string& detail, const std::string& status = "") {
    json c{{"label", label}, {"value", value}, {"detail", detail}};
    if (!status.empty()) {
      c["status"] = status;
    }
    cards.push_back(std::move(c));
  };
  if (p95 && !none_served) {
    const auto ci = ci_of(ci95, "wait_min.p95");
    std::string status;
    if (run.target.metric == "wait_min.p95") {
      const double judged = ci ? (run.target.at_most ? ci->second : ci->first) : *p95;
      status = run.target.holds(judged) ? "good" : "bad";
    }
    card("wait p95", format(*p95, 2) + " min",
         ci ? "95% CI " + format(ci->first, 2) + "–" + format(ci->second, 2)
            : "no CI (one replication)",
         status);
  }
  if (mean && !none_served) {
    const auto ci = ci_of(ci95, "wait_min.mean");
    card("mean wait", format(*mean, 2) + " min",
         ci ? "95% CI " + format(ci->first, 2) + "–" + format(ci->second, 2)
            : "no CI (one replication)");
  }
  if (const json* wait = at(totals, "wait_min"); wait && !none_served) {
    for (const double minutes : {5.0, 10.0}) {
      const json share = share_within(*wait, minutes);
      card("served within " + format(minutes, 0) + " min", share["value"], share["detail"]);
    }
  }
  if (const auto kg = number(totals, "dispensed_kg")) {
    std::string detail;
    if (const auto days = number(m, "horizon_days"); days && *days > 0) {
      detail = format(*kg / *days / 1000, 2) + " t/day over " + format_days(*days) + " days";
    }
    card("hydrogen dispensed", format(*kg / 1000, 1) + " t", detail);
  }
  if (const auto utilization = number(totals, "utilization")) {
    card("dispenser utilization", format(100 * *utilization, 1) + "%",
         "busy time / (dispensers × window)");
  }
  blocks.push_back({{"type", "cards"}, {"cards", std::move(cards)}});
  // An interval below 0 in the cards (waits) or the outcomes' table is said once, after both.
  bool below_zero = false;
  for (const auto& [metric, drawn] :
       {std::pair{"wait_min.p95", p95.has_value()}, std::pair{"wait_min.mean", mean.has_value()}}) {
    const auto ci = ci_of(ci95, metric);
    below_zero = below_zero || (drawn && !none_served && ci && ci->first < 0);
  }

  // Every way a visit ends, with its share of arrivals.
  json rows = json::array();
  for (const auto& [key, label] : std::vector<std::pair<std::string, std::string>>{
           {"arrivals", "arrivals (station visits)"},
           {"served", "served"},
           {"balked", "balked (queue too long)"},
           {"reneged", "reneged (left the queue)"},
           {"turned_away_stockout", "turned away dry (no hydrogen)"},
           {"diverted_closed", "diverted (station closed)"},
           {"waiting_at_end", "still waiting at the end"},
           {"stranded", "stranded (tank ran dry on the way)"},
           {"gave_up", "gave up a round of tries"}}) {
    const auto value = number(totals, key);
    if (!value) {
      continue;
    }
    json share = nullptr;
    if (arrivals && *arrivals > 0 && key != "arrivals" && key != "stranded" && key != "gave_up") {
      share = 100 * *value / *arrivals;
    }
    rows.push_back({label, cell(totals, key, &ci95), share});
  }
  if (!rows.empty()) {
    blocks.push_back(
        {{"type", "table"},
         {"title", "Outcomes"},
         {"columns", {column("outcome"), column("count", 1), column("% of arrivals", 2)}},
         {"rows", std::move(rows)}});
    below_zero = below_zero || reaches_below_zero(blocks.back());
  }
  if (below_zero) {
    blocks.push_back(note(below_zero_text));
  }

  // Key inputs: what the output says, what the scenario adds, what the sweep point set.
  json inputs = json::array();
  const auto input = [&](const std::string& key, const std::string& value) {
    inputs.push_back({key, value});
  };
  if (const std::string name = text(m, "scenario"); !name.empty()) {
    input("scenario", name);
  }
  for (const auto& [key, label] :
       std::vector<std::pair<std::string, std::string>>{{"open_stations", "open stations"},
                                                        {"horizon_days", "horizon (days)"},
                                                        {"warmup_days", "warm-up (days)"},
                                                        {"replications", "replications"},
                                                        {"seed", "seed"},
                                                        {"h2sim_version", "h2sim version"}}) {
    if (const json* value = at(m, key); value != nullptr && !value->is_null()) {
      input(label, format_value(*value));
    }
  }
  if (run.set != nullptr && run.set->is_object()) {
    for (const auto& [path, value] : run.set->items()) {
      input("set " + path, format_value(value));
    }
  }
  if (run.set == nullptr && !m.contains("overrides")) {
    // Outputs record what --set changed, and nothing where it changed nothing: the key inputs
    // are the scenario's own (a note said overrides were not recorded, which misled).
    input("overrides", "none recorded");
  }
  if (const json* overrides = at(m, "overrides")) {
    // Outputs record them: [{"set": "PATH=VALUE", "pointer", "before", "after"}].
    if (overrides->is_array()) {
      if (overrides->empty()) {
        input("overrides", "none recorded");
      }
      for (const json& o : *overrides) {
        const std::string set = text(o, "set");
        if (set.empty()) {
          input("override", format_value(o));
          continue;
        }
        const json* before = at(o, "before");
        input("override", set + (before != nullptr && !before->is_null()
                                     ? " (was " + format_value(*before) + ")"
                                     : ""));
      }
    } else {
      input("overrides", format_value(*overrides));
    }
  }
  const ScenarioInfo& scenario = run.scenario;
  if (scenario.present) {
    // The scenario as run: the file with the output's overrides applied (--set, a sweep point's
    // values), each at its pointer; the file alone put 5 dispensers beside "override
    // stations[id=A].dispensers=6 (was 2)".
    const json document = as_run(*scenario.document, at(m, "overrides"));
    input("scenario file", scenario.label.empty() ? "(given)" : scenario.label);
    input("stations in the scenario", std::to_string(scenario.order.size()));
    if (stations && stations->is_array()) {
      std::map<std::string, double> by_id;
      if (const json* listed = at(document, "stations"); listed && listed->is_array()) {
        for (const json& station : *listed) {
          if (const auto count = number(station, "dispensers"); count && station.is_object()) {
            by_id.emplace(text(station, "id"), *count);
          }
        }
      }
      double dispensers = 0;
      for (const json& station : *stations) {
        if (const auto it = by_id.find(text(station, "id")); it != by_id.end()) {
          dispensers += it->second;
        }
      }
      input("dispensers at open stations", format(dispensers, 0));
    }
    if (const std::string demand = text(document, "demand/model"); !demand.empty()) {
      input("demand model", demand);
    }
    if (const json* classes = at(document, "demand/classes"); classes && classes->is_array()) {
      double vehicles = 0;
      for (const json& c : *classes) {
        vehicles += number(c, "count").value_or(0);
      }
      input("fleet",
            format(vehicles, 0) + " vehicles in " + std::to_string(classes->size()) + " classes");
    }
    if (const json* pipelines = at(document, "pipelines"); pipelines && pipelines->is_array()) {
      input("pipelines", std::to_string(pipelines->size()));
    }
    if (!scenario.depots.empty()) {
      input("trailer depots", std::to_string(scenario.depots.size()));
    }
  }
  if (!inputs.empty()) {
    blocks.push_back({{"type", "table"},
                      {"title", "Key inputs"},
                      {"columns", {column("input"), column("value")}},
                      {"rows", std::move(inputs)}});
  }

  // Warnings and failures.
  json warnings = json::array();
  if (const std::string error = text(m, "error"); !error.empty()) {
    warnings.push_back("error: " + error);
  }
  if (const json* list = at(m, "warnings"); list && list->is_array()) {
    for (const json& warning : *list) {
      const std::string pointer = text(warning, "pointer");
      const std::string message = text(warning, "message");
      warnings.push_back(pointer.empty() ? message : pointer + ": " + message);
    }
  }
  if (!warnings.empty()) {
    blocks.push_back({{"type", "list"}, {"title", "Warnings"}, {"items", std::move(warnings)}});
  } else {
    blocks.push_back(note("No warnings."));
  }
  return section(run.prefix + "summary", run.heading + "Summary", std::move(blocks));
}

json map_section(const RunContext& run) {
  json blocks = json::array();
  const json* stations = at(run.metrics, "stations");
  if (!run.scenario.present) {
    blocks.push_back(note("No station map: the metrics carry no station positions. Pass the "
                          "scenario with --scenario FILE to draw one."));
    return section(run.prefix + "map", run.heading + "Station map", std::move(blocks));
  }
  const std::string name = text(run.metrics, "scenario");
  if (!run.scenario.name.empty() && !name.empty() && name != run.scenario.name) {
    blocks.push_back(note("The scenario given is named “" + run.scenario.name +
                          "” but the output comes from “" + name +
                          "”: positions are matched by station id and may not be right."));
  }
  json points = json::array();
  std::set<std::string> open;
  std::vector<std::string> unplaced;
  if (stations != nullptr && stations->is_array()) {
    for (const json& station : *stations) {
      const std::string id = text(station, "id");
      open.insert(id);
      const auto place = run.scenario.stations.find(id);
      if (place == run.scenario.stations.end()) {
        unplaced.push_back(id);
        continue;
      }
      json tip = json::array();
      tip.push_back(place->second.name.empty() ? id : id + " — " + place->second.name);
      for (const auto& [key, label, digits] :
           std::vector<std::tuple<std::string, std::string, int>>{
               {"served", "served", 0},
               {"wait_min/p95", "wait p95 (min)", 2},
               {"wait_min/mean", "wait mean (min)", 2},
               {"utilization", "utilization", 3},
               {"queue_mean", "queue mean", 2},
               {"turned_away_stockout", "turned away dry", 0},
               {"dispensed_kg", "dispensed (kg)", 0}}) {
        if (const auto value = number(station, key)) {
          tip.push_back(label + ": " + format(*value, digits));
        }
      }
      if (!place->second.supply.empty()) {
        tip.push_back("supply: " + place->second.supply);
      }
      points.push_back({{"id", id},
                        {"x", place->second.x},
                        {"y", place->second.y},
                        {"served", or_null(number(station, "served"))},
                        {"p95", or_null(number(station, "wait_min/p95"))},
                        {"pipeline", !place->second.pipeline.empty()},
                        {"tip", std::move(tip)}});
    }
  }
  json closed = json::array();
  for (const std::string& id : run.scenario.order) {
    if (!open.contains(id)) {
      const Place& place = run.scenario.stations.at(id);
      closed.push_back({{"id", id}, {"x", place.x}, {"y", place.y}});
    }
  }
  if (!unplaced.empty()) {
    std::string list;
    for (const std::string& id : unplaced) {
      list += (list.empty() ? "" : ", ") + id;
    }
    blocks.push_back(note("Not in the scenario given, so not on the map: " + list + "."));
  }
  blocks.push_back(paragraph(
      "Marker area: vehicles served; colour: p95 wait (the target, " + format(run.target.bound, 1) +
      " min, is the middle of the scale). Blue rings: fed by a pipeline. Open "
      "circles: closed stations; squares: trailer depots. Hover or tap a "
      "station for its numbers."));
  blocks.push_back({{"type", "map"},
                    {"stations", std::move(points)},
                    {"closed", std::move(closed)},
                    {"depots", run.scenario.depots},
                    {"target", run.target.metric == "wait_min.p95" ? run.target.bound : 5.0}});
  return section(run.prefix + "map", run.heading + "Station map", std::move(blocks));
}

json hourly_section(const RunContext& run) {
  json blocks = json::array();
  const json* stations = at(run.metrics, "stations");
  const json* hourly = at(run.metrics, "totals/hourly");
  const auto hours = [](const json* values) {
    return values != nullptr && values->is_array() && values->size() == 24;
  };
  if (hourly == nullptr) {
    blocks.push_back(note("This output has no hour-of-day data."));
    return section(run.prefix + "hourly", run.heading + "Hour of day", std::move(blocks));
  }
  json labels = json::array();
  for (int h = 0; h < 24; ++h) {
    labels.push_back((h < 10 ? "0" : "") + std::to_string(h) + "h");
  }
  const auto series_of = [](const json* values) {
    json out = json::array();
    for (const json& v : *values) {
      out.push_back(v.is_number() ? v : json(nullptr));
    }
    return out;
  };
  if (hours(at(*hourly, "arrivals")) && hours(at(*hourly, "wait_min_p95"))) {
    json series = json::array();
    series.push_back({{"label", "arrivals"},
                      {"style", "bar"},
                      {"axis", "y1"},
                      {"values", series_of(at(*hourly, "arrivals"))}});
    series.push_back(
        {{"label", "wait p95 (min)"}, {"values", series_of(at(*hourly, "wait_min_p95"))}});
    if (hours(at(*hourly, "wait_min_mean"))) {
      series.push_back(
          {{"label", "wait mean (min)"}, {"values", series_of(at(*hourly, "wait_min_mean"))}});
    }
    blocks.push_back(
        {{"type", "chart"},
         {"title", "Network: arrivals and waits by hour of arrival"},
         {"labels", labels},
         {"y", "wait (min)"},
         {"y1", "arrivals"},
         {"target", run.target.metric == "wait_min.p95" ? json(run.target.bound) : json(nullptr)},
         {"series", std::move(series)}});
  }
  if (stations != nullptr && stations->is_array() && !stations->empty()) {
    for (const auto& [key, title, unit] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"wait_min_p95", "p95 wait by station and hour of arrival", "min"},
             {"wait_min_mean", "Mean wait by station and hour of arrival", "min"},
             {"utilization", "Utilization by station and hour", "share"},
             {"queue_mean", "Queue length (time-average number waiting) by station and hour",
              "vehicles"},
             {"arrivals", "Arrivals by station and hour", "vehicles"}}) {
      json rows = json::array();
      json values = json::array();
      for (const json& station : *stations) {
        const json* row = at(station, "hourly/" + key);
        if (!hours(row)) {
          continue;
        }
        rows.push_back(text(station, "id"));
        values.push_back(series_of(row));
      }
      if (!rows.empty()) {
        json heatmap{{"type", "heatmap"},       {"title", title}, {"unit", unit},
                     {"rows", std::move(rows)}, {"cols", labels}, {"values", std::move(values)}};
        if (unit == "min" && run.target.metric.starts_with("wait_min.") && run.target.at_most) {
          heatmap["scale_max"] = 2 * run.target.bound;
        }
        blocks.push_back(std::move(heatmap));
      }
    }
  }
  if (hours(at(*hourly, "utilization")) && hours(at(*hourly, "queue_mean"))) {
    json series = json::array();
    series.push_back({{"label", "queue mean (vehicles)"},
                      {"style", "bar"},
                      {"axis", "y1"},
                      {"values", series_of(at(*hourly, "queue_mean"))}});
    json utilization = json::array();
    for (const json& v : *at(*hourly, "utilization")) {
      utilization.push_back(v.is_number() ? json(100 * v.get<double>()) : json(nullptr));
    }
    series.push_back({{"label", "utilization (%)"}, {"values", std::move(utilization)}});
    blocks.insert(blocks.begin() + (blocks.empty() ? 0 : 1),
                  json{{"type", "chart"},
                       {"title", "Network: utilization and queue length by hour of day"},
                       {"labels", labels},
                       {"y", "utilization (%)"},
                       {"y1", "vehicles waiting (all stations)"},
                       {"series", std::move(series)}});
    blocks.push_back(note("Waits and arrivals are by the hour of arrival; utilization and queue "
                          "length by the hour in which the busy and waiting time fell."));
  } else {
    blocks.push_back(note("This output has no utilization or queue length by hour (an h2sim "
                          "before hourly.utilization); the hours are those of arrival."));
  }
  return section(run.prefix + "hourly", run.heading + "Hour of day", std::move(blocks));
}

json station_table(const RunContext& run) {
  json blocks = json::array();
  const json* stations = at(run.metrics, "stations");
  if (stations == nullptr || !stations->is_array() || stations->empty()) {
    blocks.push_back(note("This output has no per-station metrics."));
    return section(run.prefix + "stations", run.heading + "Stations", std::move(blocks));
  }
  static const std::vector<Metric> metrics{
      {"arrivals", "arrivals", 0},
      {"served", "served", 0},
      {"balked", "balked", 0},
      {"reneged", "reneged", 0},
      {"turned_away_stockout", "turned away dry", 0},
      {"diverted_closed", "diverted (closed)", 0},
      {"wait_min.mean", "wait mean (min)", 2},
      {"wait_min.p95", "wait p95 (min)", 2},
      {"wait_min.p99", "wait p99 (min)", 2},
      {"wait_min.max", "wait max (min)", 1},
      {"utilization", "utilization", 3},
      {"queue_mean", "queue mean", 2},
      {"queue_max", "queue max", 0},
      {"dispensed_kg", "dispensed (kg)", 0},
      {"stockout_h", "dry (h)", 1},
      {"deliveries", "deliveries", 1},
      {"outage_h", "outage (h)", 1},
  };
  // Only the columns some station has.
  std::vector<const Metric*> shown;
  for (const Metric& metric : metrics) {
    for (const json& station : *stations) {
      if (number(station, slash_path(metric.path))) {
        shown.push_back(&metric);
        break;
      }
    }
  }
  const bool named = run.scenario.present;
  json columns = json::array({column("station")});
  if (named) {
    columns.push_back(column("name"));
  }
  for (const Metric* metric : shown) {
    columns.push_back(column(metric->label, metric->digits));
  }
  bool any_ci = false;
  json rows = json::array();
  for (const json& station : *stations) {
    const std::string id = text(station, "id");
    json row = json::array({id});
    if (named) {
      const auto it = run.scenario.stations.find(id);
      row.push_back(it == run.scenario.stations.end() ? "" : it->second.name);
    }
    const json* ci95 = at(station, "ci95");
    any_ci = any_ci || ci95 != nullptr;
    for (const Metric* metric : shown) {
      row.push_back(cell(station, metric->path, ci95));
    }
    rows.push_back(std::move(row));
  }
  blocks.push_back(paragraph("Click a column heading to sort by it (again to reverse)."));
  blocks.push_back({{"type", "table"},
                    {"role", "stations"},
                    {"sortable", true},
                    {"columns", std::move(columns)},
                    {"rows", std::move(rows)}});
  const bool below_zero = reaches_below_zero(blocks.back());
  if (!any_ci) {
    const auto replications = number(run.metrics, "replications").value_or(1);
    blocks.push_back(note(replications >= 2
                              ? "This output has no per-station 95% intervals (an h2sim before "
                                "stations[].ci95); the station values are means over the "
                                "replications."
                              : "One replication: no confidence intervals."));
  } else {
    blocks.push_back(note("Brackets: the 95% interval over the replications."));
  }
  if (below_zero) {
    blocks.push_back(note(below_zero_text));
  }
  return section(run.prefix + "stations", run.heading + "Stations", std::move(blocks));
}

json classes_section(const RunContext& run) {
  const json* classes = at(run.metrics, "classes");
  if (classes == nullptr || !classes->is_array() || classes->empty()) {
    return nullptr;
  }
  static const std::vector<Metric> metrics{{"vehicles", "vehicles", 0},
                                           {"refuels", "refuels", 0},
                                           {"stranded", "stranded", 1},
                                           {"reneged", "reneged", 1},
                                           {"gave_up", "gave up", 1},
                                           {"wait_min.mean", "wait mean (min)", 2},
                                           {"wait_min.p95", "wait p95 (min)", 2},
                                           {"detour_km_per_refuel", "detour per refuel (km)", 2},
                                           {"dispensed_kg", "dispensed (kg)", 0}};
  json columns = json::array({column("class")});
  for (const Metric& metric : metrics) {
    columns.push_back(column(metric.label, metric.digits));
  }
  json rows = json::array();
  for (const json& c : *classes) {
    json row = json::array({text(c, "name")});
    for (const Metric& metric : metrics) {
      row.push_back(cell(c, metric.path, at(c, "ci95")));
    }
    rows.push_back(std::move(row));
  }
  json blocks = json::array();
  blocks.push_back({{"type", "table"},
                    {"sortable", true},
                    {"columns", std::move(columns)},
                    {"rows", std::move(rows)}});
  note_lower_ends_below_zero(blocks);
  return section(run.prefix + "classes", run.heading + "Vehicle classes", std::move(blocks));
}

/** The numeric arrays of a `series` object: {"daily": {...}} groups or the arrays themselves. */
std::vector<std::pair<std::string, const json*>> series_groups(const json& series) {
  std::vector<std::pair<std::string, const json*>> groups;
  bool arrays = false;
  for (const auto& [key, value] : series.items()) {
    if (value.is_object()) {
      groups.emplace_back(key, &value);
    } else if (value.is_array()) {
      arrays = true;
    }
  }
  if (arrays) {
    groups.insert(groups.begin(), {"daily", &series});
  }
  return groups;
}

json numbers_of(const json& values) {
  json out = json::array();
  for (const json& v : values) {
    out.push_back(v.is_number() ? v : json(nullptr));
  }
  return out;
}

bool numeric_array(const json& values) {
  return values.is_array() && !values.empty() &&
         std::any_of(values.begin(), values.end(), [](const json& v) { return v.is_number(); });
}

json series_section(const RunContext& run) {
  json blocks = json::array();
  const json* series = at(run.metrics, "totals/series");
  if (series == nullptr || !series->is_object()) {
    blocks.push_back(note("No per-day series: this output has no `series` (it was run with "
                          "`series_bin_days` 0, or by an h2sim without series). Outputs that "
                          "have them get charts here."));
    return section(run.prefix + "series", run.heading + "Over time", std::move(blocks));
  }
  const json* stations = at(run.metrics, "stations");
  for (const auto& [group, values] : series_groups(*series)) {
    for (const auto& [key, array] : values->items()) {
      if (!numeric_array(array) || key == "day" || key == "hour") {
        continue;
      }
      json labels = json::array();
      const json* x = at(*values, group == "hourly" ? "hour" : "day");
      // Bins shorter than a day (--series hourly) put days and hours on the axis.
      const bool sub_day =
          group == "daily" && x != nullptr && x->is_array() &&
          std::any_of(x->begin(), x->end(),
                      [](const json& v) {
                        return v.is_number() && v.get<double>() != std::floor(v.get<double>());
                      }) &&
          std::all_of(x->begin(), x->end(), [](const json& v) {
            return v.is_number() && v.get<double>() >= 0 && v.get<double>() < 1e9;
          });
      for (std::size_t i = 0; i < array.size(); ++i) {
        const json* label = x != nullptr && x->is_array() && i < x->size() ? &(*x)[i] : nullptr;
        if (label != nullptr && label->is_number() && !sub_day &&
            label->get<double>() == std::floor(label->get<double>()) &&
            std::abs(label->get<double>()) < 1e15) {
          labels.push_back(std::to_string(label->get<std::int64_t>())); // day 3, not 3.0
        } else if (label != nullptr && sub_day) {
          // Bins shorter than a day (--series hourly): day and hour, "3 06h".
          const auto hours = static_cast<std::int64_t>(std::round(label->get<double>() * 24));
          const std::int64_t hour = hours % 24;
          labels.push_back(std::to_string(hours / 24) + " " + (hour < 10 ? "0" : "") +
                           std::to_string(hour) + "h");
        } else {
          labels.push_back(label != nullptr ? format_value(*label)
                                            : std::to_string(i + (group == "hourly" ? 0 : 1)));
        }
      }
      blocks.push_back(
          {{"type", "chart"},
           {"title", "Network " + key + " (" + group + ")"},
           {"labels", labels},
           {"y", key},
           {"series", json::array({{{"label", key}, {"values", numbers_of(array)}}})}});
      if (stations == nullptr || !stations->is_array()) {
        continue;
      }
      json rows = json::array();
      json matrix = json::array();
      for (const json& station : *stations) {
        const json* own = at(station, "series");
        if (own == nullptr || !own->is_object()) {
          continue;
        }
        for (const auto& [own_group, own_values] : series_groups(*own)) {
          if (own_group != group) {
            continue;
          }
          const json* row = at(*own_values, key);
          if (row != nullptr && numeric_array(*row)) {
            rows.push_back(text(station, "id"));
            matrix.push_back(numbers_of(*row));
          }
        }
      }
      if (!rows.empty()) {
        blocks.push_back({{"type", "heatmap"},
                          {"title", key + " by station (" + group + ")"},
                          {"unit", ""},
                          {"rows", std::move(rows)},
                          {"cols", labels},
                          {"values", std::move(matrix)}});
      }
    }
  }
  if (blocks.empty()) {
    blocks.push_back(note("The output's `series` holds no numeric series."));
  }
  return section(run.prefix + "series", run.heading + "Over time", std::move(blocks));
}

// ---------------------------------------------------------------- costs

/** The cost components of an `economics` block, each per year, in the order they stack. */
const std::vector<std::pair<std::string, std::string>>& cost_components() {
  static const std::vector<std::pair<std::string, std::string>> components{
      {"annualized_capex", "capital (annualized)"}, {"fixed_om_per_year", "fixed O&M"},
      {"hydrogen_cost_per_year", "hydrogen"},       {"electricity_cost_per_year", "electricity"},
      {"delivery_cost_per_year", "delivery"},       {"waiting_cost_per_year", "drivers' waiting"}};
  return components;
}

/**
 * A stacked bar chart of cost per year by component, one bar per record (its `economics`); null
 * when no record has economics.
 */
json cost_chart(const std::string& title, const json& labels,
                const std::vector<const json*>& records) {
  bool any = false;
  json series = json::array();
  for (const auto& [key, label] : cost_components()) {
    json values = json::array();
    for (const json* record : records) {
      const auto value = record != nullptr ? number(*record, "economics/" + key) : std::nullopt;
      any = any || value.has_value();
      values.push_back(or_null(value));
    }
    series.push_back({{"label", label}, {"style", "bar"}, {"values", std::move(values)}});
  }
  if (!any) {
    return nullptr;
  }
  return {{"type", "chart"},   {"title", title},  {"labels", labels},
          {"y", "$ per year"}, {"stacked", true}, {"series", series}};
}

json costs_section(const RunContext& run) {
  const json* totals = at(run.metrics, "totals");
  if (totals == nullptr || at(*totals, "economics") == nullptr) {
    return nullptr; // no `economics` in the scenario: no section
  }
  json blocks = json::array();
  blocks.push_back(paragraph(
      "Cost per year by component (docs/economics.md): capital annualized over the stations' "
      "life, fixed O&M, and the window's hydrogen, electricity, deliveries and drivers' waiting "
      "scaled to a year. The operator's cost per kg leaves the waiting out; the social cost per "
      "kg prices it in."));
  const json* ci95 = at(run.metrics, "ci95");
  json rows = json::array();
  const double total = number(*totals, "economics/total_cost_per_year").value_or(0);
  for (const auto& [key, label] : cost_components()) {
    const auto value = number(*totals, "economics/" + key);
    rows.push_back(json::array(
        {label, with_digits(cell(*totals, "economics." + key, ci95), 0),
         value && total > 0 ? json(std::round(1000 * *value / total) / 10) : json(nullptr)}));
  }
  rows.push_back(json::array(
      {"total", with_digits(cell(*totals, "economics.total_cost_per_year", ci95), 0), 100}));
  // Nothing dispensed: the output's 0 per kg is a convention, not a cost; the cells stay empty.
  const bool nothing_dispensed = number(*totals, "dispensed_kg") == 0.0;
  const auto per_kg = [&](const std::string& path) {
    return nothing_dispensed ? json(nullptr) : with_digits(cell(*totals, path, ci95), 2);
  };
  rows.push_back(
      json::array({"cost per kg ($, operator)", per_kg("economics.cost_per_kg"), nullptr}));
  rows.push_back(json::array(
      {"social cost per kg ($, with waiting)", per_kg("economics.social_cost_per_kg"), nullptr}));
  blocks.push_back({{"type", "table"},
                    {"role", "costs"},
                    {"columns", json::array({column("component"), column("$ per year", 0),
                                             column("share (%)", 1)})},
                    {"rows", std::move(rows)}});
  note_lower_ends_below_zero(blocks);
  if (nothing_dispensed) {
    blocks.push_back(note("Nothing was dispensed: there is no cost per kg (the output holds 0 by "
                          "convention)."));
  }
  if (json chart =
          cost_chart("Network cost per year by component", json::array({"network"}), {totals});
      !chart.is_null()) {
    blocks.push_back(std::move(chart));
  }
  if (const json* stations = at(run.metrics, "stations");
      stations != nullptr && stations->is_array() && !stations->empty()) {
    json ids = json::array();
    std::vector<const json*> records;
    for (const json& station : *stations) {
      ids.push_back(text(station, "id"));
      records.push_back(&station);
    }
    if (json chart = cost_chart("Cost per year by station and component", ids, records);
        !chart.is_null()) {
      blocks.push_back(std::move(chart));
    }
  }
  return section(run.prefix + "costs", run.heading + "Costs", std::move(blocks));
}

void add_run_sections(json& sections, const RunContext& run) {
  sections.push_back(summary_section(run));
  sections.push_back(map_section(run));
  sections.push_back(hourly_section(run));
  sections.push_back(station_table(run));
  if (json classes = classes_section(run); !classes.is_null()) {
    sections.push_back(std::move(classes));
  }
  if (json costs = costs_section(run); !costs.is_null()) {
    sections.push_back(std::move(costs));
  }
  sections.push_back(series_section(run));
}

// ---------------------------------------------------------------- sweeps and sizes

/** A curve point: x, the value and its interval when known. */
json curve_point(const json& x, const std::optional<double>& y,
                 const std::optional<std::pair<double, double>>& ci) {
  json point{{"x", x}, {"y", or_null(y)}};
  if (ci) {
    point["lo"] = ci->first;
    point["hi"] = ci->second;
  }
  return point;
}

const std::vector<Metric>& curve_metrics() {
  static const std::vector<Metric> metrics{
      {"wait_min.p95", "wait p95 (min)", 2},
      {"wait_min.mean", "wait mean (min)", 2},
      {"wait_min.p99", "wait p99 (min)", 2},
      {"served", "served", 0},
      {"balked", "balked", 0},
      {"reneged", "reneged", 0},
      {"turned_away_stockout", "turned away dry", 0},
      {"utilization", "utilization", 3},
      {"queue_mean", "queue mean", 2},
      {"dispensed_kg", "dispensed (kg)", 0},
      {"economics.cost_per_kg", "cost per kg ($)", 2},
      {"economics.social_cost_per_kg", "social cost per kg ($)", 2}};
  return metrics;
}

struct SweepShape {
  std::string parameter;           // on the x axis
  bool numeric = true;             // its values are all numbers
  std::vector<std::string> others; // the other varied paths: one curve per combination
};

SweepShape sweep_shape(const json& points) {
  SweepShape shape;
  std::vector<std::string> paths;
  std::map<std::string, std::set<std::string>> values;
  for (const json& point : points) {
    if (const json* set = at(point, "set"); set && set->is_object()) {
      for (const auto& [path, value] : set->items()) {
        if (std::find(paths.begin(), paths.end(), path) == paths.end()) {
          paths.push_back(path);
        }
        values[path].insert(value.dump());
      }
    }
  }
  for (const std::string& path : paths) {
    if (shape.parameter.empty() && values[path].size() > 1) {
      shape.parameter = path;
    } else {
      shape.others.push_back(path);
    }
  }
  if (shape.parameter.empty() && !paths.empty()) {
    shape.parameter = paths.front();
    shape.others.erase(shape.others.begin());
  }
  for (const json& point : points) {
    const json* x = at(point, "set/" + shape.parameter);
    if (x == nullptr || !x->is_number()) {
      shape.numeric = false;
    }
  }
  return shape;
}

/** The smallest x of a curve whose interval (or value, without one) meets the target. */
std::optional<json> curve_answer(const json& points, const Target& target, bool numeric,
                                 bool& used_means) {
  std::optional<json> answer;
  std::optional<double> best;
  for (const json& point : points) {
    if (!point["y"].is_number()) {
      continue;
    }
    double judged = point["y"].get<double>();
    if (point.contains("lo")) {
      judged = target.at_most ? point["hi"].get<double>() : point["lo"].get<double>();
    } else {
      used_means = true;
    }
    if (!target.holds(judged)) {
      continue;
    }
    if (!numeric) {
      return point["x"]; // the first in the sweep's order
    }
    const double x = point["x"].get<double>();
    if (!best || x < *best) {
      best = x;
      answer = point["x"];
    }
  }
  return answer;
}

struct SweepCurves {
  SweepShape shape;
  json charts = json::array();
  std::optional<json> answer; // of the first curve, for one-parameter sweeps
  std::size_t answer_point = 0;
};

SweepCurves sweep_curves(const std::vector<std::pair<std::string, const json*>>& inputs,
                         const Target& target) {
  SweepCurves out;
  out.shape = sweep_shape(*inputs.front().second);
  const SweepShape& shape = out.shape;
  bool used_means = false;
  for (const Metric& metric : curve_metrics()) {
    json series = json::array();
    bool any = false;
    for (const auto& [label, points] : inputs) {
      std::map<std::string, json> curves; // by the other parameters' values
      std::vector<std::string> order;
      for (const json& point : *points) {
        std::string key = label;
        for (const std::string& other : shape.others) {
          const json* value = at(point, "set/" + other);
          key += (key.empty() ? "" : ", ") + other + "=" + (value ? format_value(*value) : "—");
        }
        if (!curves.contains(key)) {
          curves[key] = json::array();
          order.push_back(key);
        }
        const json* x = at(point, "set/" + shape.parameter);
        const json empty = json::object();
        const json& metrics = point.contains("metrics") ? point["metrics"] : empty;
        const auto y = number(metrics, "totals/" + slash_path(metric.path));
        any = any || y.has_value();
        curves[key].push_back(
            curve_point(x ? *x : json(nullptr), y,
                        ci_of(metrics.contains("ci95") ? metrics["ci95"] : empty, metric.path)));
      }
      for (const std::string& key : order) {
        series.push_back({{"label", key.empty() ? metric.label : key}, {"points", curves[key]}});
      }
    }
    if (!any) {
      continue;
    }
    json chart{{"type", "curve"},
               {"title", std::string(metric.label) + " against " + shape.parameter},
               {"x", shape.parameter},
               {"numeric", shape.numeric},
               {"y", metric.label},
               {"series", series}};
    if (metric.path == target.metric) {
      chart["target"] = target.bound;
      chart["target_label"] = target.text;
      if (inputs.size() == 1 && series.size() == 1) {
        out.answer = curve_answer(series[0]["points"], target, shape.numeric, used_means);
        if (out.answer) {
          chart["answer"] = *out.answer;
          for (std::size_t i = 0; i < inputs.front().second->size(); ++i) {
            const json* x = at((*inputs.front().second)[i], "set/" + shape.parameter);
            if (x != nullptr && *x == *out.answer) {
              out.answer_point = i;
            }
          }
        }
      }
    }
    out.charts.push_back(std::move(chart));
  }
  if (used_means) {
    out.charts.push_back(note("Points without a 95% interval (one replication) are judged on "
                              "their mean."));
  }
  return out;
}

void add_sweep_sections(json& sections, const ReportInput& input, const ScenarioInfo& scenario,
                        const Target& target, const std::string& prefix,
                        const std::string& heading) {
  const json& points = input.output["points"];
  json blocks = json::array();
  if (points.empty()) {
    blocks.push_back(note("The sweep has no points."));
    sections.push_back(section(prefix + "sweep", heading + "Sweep", std::move(blocks)));
    return;
  }
  SweepCurves curves = sweep_curves({{"", &points}}, target);
  const SweepShape& shape = curves.shape;
  std::string summary =
      "A sweep of " + std::to_string(points.size()) + " points over " + shape.parameter;
  for (const std::string& other : shape.others) {
    summary += " and " + other;
  }
  summary += ".";
  const auto replications =
      number(at(points[0], "metrics") ? points[0]["metrics"] : json(), "replications");
  if (replications) {
    summary += " " + format(*replications, 0) + " replication" + (*replications == 1 ? "" : "s") +
               " per point" + (*replications >= 2 ? "; bands are 95% confidence intervals." : ".");
  }
  if (curves.answer) {
    summary += " Target " + target.text + ": first met at " + shape.parameter + " = " +
               format_value(*curves.answer) + ".";
    // A point some of whose replications failed is judged on those that finished: say so.
    const json& answered = points[curves.answer_point];
    const json* failed = at(answered, "metrics/replication_errors");
    const auto asked = number(answered, "metrics/replications");
    if (failed != nullptr && failed->is_array() && !failed->empty() && asked) {
      summary += " " + std::to_string(failed->size()) + " of its " + format(*asked, 0) +
                 " replications failed: it is judged on those that finished.";
    }
  } else if (shape.others.empty()) {
    summary += " Target " + target.text + ": not met at any point of the sweep.";
  }
  blocks.push_back({{"type", "headline"}, {"text", summary}});
  for (json& chart : curves.charts) {
    blocks.push_back(std::move(chart));
  }
  // The points, sortable.
  json columns = json::array();
  std::vector<std::string> paths{shape.parameter};
  paths.insert(paths.end(), shape.others.begin(), shape.others.end());
  for (const std::string& path : paths) {
    columns.push_back(column(path));
  }
  static const std::vector<Metric> metrics{{"wait_min.p95", "wait p95 (min)", 2},
                                           {"wait_min.mean", "wait mean (min)", 2},
                                           {"served", "served", 0},
                                           {"balked", "balked", 0},
                                           {"turned_away_stockout", "turned away dry", 0},
                                           {"utilization", "utilization", 3},
                                           {"dispensed_kg", "dispensed (kg)", 0}};
  for (const Metric& metric : metrics) {
    columns.push_back(column(metric.label, metric.digits));
  }
  columns.push_back(column("error"));
  json rows = json::array();
  for (const json& point : points) {
    json row = json::array();
    for (const std::string& path : paths) {
      const json* value = at(point, "set/" + path);
      if (value != nullptr && value->is_number()) {
        row.push_back(*value);
      } else {
        row.push_back(value ? format_value(*value) : "");
      }
    }
    const json empty = json::object();
    const json& m = point.contains("metrics") ? point["metrics"] : empty;
    const json& totals = m.contains("totals") ? m["totals"] : empty;
    for (const Metric& metric : metrics) {
      row.push_back(cell(totals, metric.path, m.contains("ci95") ? &m["ci95"] : nullptr));
    }
    row.push_back(text(point, "error"));
    rows.push_back(std::move(row));
  }
  // A numeric parameter column sorts as numbers.
  if (shape.numeric) {
    columns[0] = column(shape.parameter, 0);
  }
  blocks.push_back({{"type", "table"},
                    {"title", "Points"},
                    {"sortable", true},
                    {"columns", std::move(columns)},
                    {"rows", std::move(rows)}});
  note_lower_ends_below_zero(blocks);
  sections.push_back(section(prefix + "sweep", heading + "Sweep", std::move(blocks)));

  // One point in full: the answer, or the last point.
  const std::size_t shown = curves.answer ? curves.answer_point : points.size() - 1;
  const json& point = points[shown];
  if (const json* point_metrics = at(point, "metrics");
      point_metrics && point_metrics->is_object()) {
    std::string which;
    if (const json* set = at(point, "set"); set && set->is_object()) {
      for (const auto& [path, value] : set->items()) {
        which += (which.empty() ? "" : ", ") + path + " = " + format_value(value);
      }
    }
    const std::string point_heading =
        heading + "Point " + which + (curves.answer ? " (the answer): " : " (the last): ");
    add_run_sections(sections, RunContext{*point_metrics, scenario, target, prefix + "point-",
                                          point_heading, at(point, "set")});
  }
}

/** A size output's targets: its `targets`, or its one `target`; any metric, not only totals. */
std::vector<Target> size_targets(const json& output) {
  std::vector<std::string> texts;
  if (const json* targets = at(output, "targets"); targets && targets->is_array()) {
    for (const json& target : *targets) {
      if (target.is_string()) {
        texts.push_back(target.get<std::string>());
      }
    }
  }
  if (texts.empty() && !text(output, "target").empty()) {
    texts.push_back(text(output, "target"));
  }
  std::vector<Target> targets;
  for (const std::string& spec : texts) {
    if (std::optional<Target> target = parse_any_target(spec)) { // h2sim wrote it: it parses
      targets.push_back(std::move(*target));
    }
  }
  return targets;
}

/** The mean and interval of target `i` at an evaluation (its own, with one target). */
std::pair<std::optional<double>, std::optional<std::pair<double, double>>>
target_estimate(const json& evaluation, std::size_t i) {
  if (const json* each = at(evaluation, "targets"); each && each->is_array()) {
    if (i < each->size()) {
      return {number((*each)[i], "mean"), interval(at((*each)[i], "ci95"))};
    }
    return {};
  }
  if (i == 0) {
    return {number(evaluation, "mean"), interval(at(evaluation, "ci95"))};
  }
  return {};
}

std::string holds_text(const json* holds) {
  return holds && holds->is_boolean() ? (holds->get<bool>() ? "yes" : "no") : "";
}

void add_size_sections(json& sections, const ReportInput& input, const Target& fallback,
                       const std::string& prefix, const std::string& heading) {
  const json& output = input.output;
  const std::string parameter = text(output, "parameter");
  // With --minimize, an evaluation's mean and ci95 are the minimised metric's.
  const std::string minimized = text(output, "minimize");
  std::vector<Target> targets = size_targets(output);
  if (targets.empty() && minimized.empty()) {
    targets.push_back(fallback); // an output without its target: the report's
    targets.back().metric = "totals." + fallback.metric;
  }
  std::string targets_text;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    targets_text += (i == 0 ? "" : " and ") + targets[i].text;
  }
  json blocks = json::array();
  const json* answer = at(output, "answer");
  const json& evaluations = output["evaluations"];
  std::string summary;
  if (minimized.empty()) {
    const char* them = targets.size() > 1 ? "them all" : "it";
    summary = "Sizing " + parameter + " for " + targets_text + " with " +
              format(number(output, "confidence").value_or(0.95) * 100, 0) + "% confidence: ";
    if (answer != nullptr && !answer->is_null()) {
      summary += std::string("the smallest value that meets ") + them + " is " +
                 format_value(*answer) + ".";
    } else {
      summary += std::string("no value in the range meets ") + them + ".";
    }
    summary += " " + count_of(evaluations.size(), "value") + " evaluated (bisection).";
  } else {
    summary = "Minimising " + minimized + " over " + parameter;
    if (!targets.empty()) {
      summary += " where " + targets_text;
    }
    if (answer != nullptr && answer->is_number()) {
      summary += ": least at " + format_value(*answer);
      if (const auto mean = number(output, "minimum/mean")) {
        summary += ", " + format(*mean, 3);
        if (const auto ci = interval(at(output, "minimum/ci95"))) {
          summary += " [" + format(ci->first, 3) + "–" + format(ci->second, 3) + "]";
        }
      }
      summary += ".";
    } else {
      summary += ": no value evaluated meets the targets.";
    }
    summary += " " + count_of(evaluations.size(), "value") + " evaluated (" +
               text(output, "search") + ").";
  }
  blocks.push_back({{"type", "headline"}, {"text", summary}});
  // What size said of its search (targets that pull apart, a field that takes any number): the
  // page drew the answer without it.
  if (const json* said = at(output, "warnings"); said != nullptr && said->is_array()) {
    json items = json::array();
    for (const json& warning : *said) {
      if (warning.is_string()) {
        items.push_back(warning);
      }
    }
    if (!items.empty()) {
      blocks.push_back({{"type", "list"}, {"title", "Warnings"}, {"items", std::move(items)}});
    }
  }

  const auto answer_on = [&](json& chart) {
    if (answer != nullptr && answer->is_number()) {
      chart["answer"] = *answer;
    }
  };
  const auto curve = [&](const std::string& title, const std::string& y, json points) {
    return json{{"type", "curve"},
                {"title", title + " against " + parameter},
                {"x", parameter},
                {"numeric", true},
                {"y", y},
                {"series", json::array({{{"label", y}, {"points", std::move(points)}}})}};
  };
  if (!minimized.empty()) {
    json points = json::array();
    for (const json& evaluation : evaluations) {
      const json* x = at(evaluation, "value");
      points.push_back(curve_point(x ? *x : json(nullptr), number(evaluation, "mean"),
                                   interval(at(evaluation, "ci95"))));
    }
    json chart = curve(minimized, minimized, std::move(points));
    answer_on(chart);
    blocks.push_back(std::move(chart));
  }
  // Each target's metric with its interval and bound: a network total's under its own label,
  // among the totals' curves; a station's or a class's first.
  std::map<std::string, json> target_curves; // by the total's path below totals
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const Target& target = targets[i];
    json points = json::array();
    for (const json& evaluation : evaluations) {
      const json* x = at(evaluation, "value");
      const auto [mean, ci] = target_estimate(evaluation, i);
      points.push_back(curve_point(x ? *x : json(nullptr), mean, ci));
    }
    const bool total = target.metric.starts_with("totals.");
    const std::string below = total ? target.metric.substr(7) : target.metric;
    const auto metric = std::find_if(curve_metrics().begin(), curve_metrics().end(),
                                     [&](const Metric& m) { return below == m.path; });
    json chart = total && metric != curve_metrics().end()
                     ? curve(metric->label, metric->label, std::move(points))
                     : curve(target.metric, target.metric, std::move(points));
    chart["target"] = target.bound;
    chart["target_label"] = target.text;
    if (minimized.empty()) {
      answer_on(chart);
    }
    if (total && metric != curve_metrics().end() && !target_curves.contains(below)) {
      target_curves.emplace(below, std::move(chart));
    } else {
      blocks.push_back(std::move(chart));
    }
  }
  for (const Metric& metric : curve_metrics()) {
    if (auto own = target_curves.find(metric.path); own != target_curves.end()) {
      blocks.push_back(std::move(own->second));
      continue;
    }
    json points = json::array();
    bool any = false;
    for (const json& evaluation : evaluations) {
      const json* x = at(evaluation, "value");
      std::optional<double> y;
      std::optional<std::pair<double, double>> ci;
      if ("totals." + std::string(metric.path) == minimized) {
        y = number(evaluation, "mean");
        ci = interval(at(evaluation, "ci95"));
      }
      if (!y) {
        y = number(evaluation, "totals/" + slash_path(metric.path));
      }
      any = any || y.has_value();
      points.push_back(curve_point(x ? *x : json(nullptr), y, ci));
    }
    if (any) {
      blocks.push_back(curve(metric.label, metric.label, std::move(points)));
    }
  }
  // One column group per target (a minimised metric first), then whether all of them hold.
  json columns = json::array({column(parameter, 0)});
  const auto group = [&](const std::string& metric, bool with_holds) {
    columns.push_back(column(metric + " (mean)", 3));
    columns.push_back(column("95% low", 3));
    columns.push_back(column("95% high", 3));
    if (with_holds) {
      columns.push_back(column(metric + " holds"));
    }
  };
  const bool several = targets.size() + (minimized.empty() ? 0 : 1) > 1;
  if (!minimized.empty()) {
    group(minimized, false);
  }
  for (const Target& target : targets) {
    group(target.metric, several);
  }
  columns.push_back(column("holds"));
  json rows = json::array();
  bool below_zero = false; // a "95% low" below 0 (its own columns, not a bracketed cell)
  for (const json& evaluation : evaluations) {
    json row = json::array({or_null(number(evaluation, "value"))});
    const auto cells = [&](const std::optional<double>& mean,
                           const std::optional<std::pair<double, double>>& ci) {
      below_zero = below_zero || (ci && ci->first < 0);
      row.push_back(or_null(mean));
      row.push_back(ci ? json(ci->first) : json(nullptr));
      row.push_back(ci ? json(ci->second) : json(nullptr));
    };
    if (!minimized.empty()) {
      cells(number(evaluation, "mean"), interval(at(evaluation, "ci95")));
    }
    const json* each = at(evaluation, "targets");
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const auto [mean, ci] = target_estimate(evaluation, i);
      cells(mean, ci);
      if (several) {
        row.push_back(holds_text(each && each->is_array() && i < each->size()
                                     ? at((*each)[i], "holds")
                                     : (i == 0 ? at(evaluation, "holds") : nullptr)));
      }
    }
    row.push_back(holds_text(at(evaluation, "holds")));
    rows.push_back(std::move(row));
  }
  blocks.push_back({{"type", "table"},
                    {"title", "Evaluations"},
                    {"sortable", true},
                    {"columns", std::move(columns)},
                    {"rows", std::move(rows)}});
  if (below_zero) {
    blocks.push_back(note(below_zero_text));
  }
  sections.push_back(section(prefix + "size", heading + "Sizing", std::move(blocks)));
}

// ---------------------------------------------------------------- several inputs

std::string letter(std::size_t index) {
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('A' + index % 26));
    index /= 26;
  } while (index-- > 0);
  return out;
}

json comparison_section(const std::vector<ReportInput>& inputs, const std::vector<Kind>& kinds,
                        const std::vector<std::string>& names, const Target& target) {
  json blocks = json::array();
  std::vector<std::size_t> runs;
  std::vector<std::size_t> sweeps;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (kinds[i] == Kind::run) {
      runs.push_back(i);
    } else if (kinds[i] == Kind::sweep) {
      sweeps.push_back(i);
    }
  }
  if (runs.size() >= 2) {
    const std::size_t base = runs.front();
    json columns = json::array({column("metric")});
    for (const std::size_t i : runs) {
      columns.push_back(column(names[i], 3));
    }
    for (std::size_t k = 1; k < runs.size(); ++k) {
      columns.push_back(column(letter(runs[k]) + " − " + letter(base), 3));
      columns.push_back(column("95% CIs overlap (" + letter(runs[k]) + ", " + letter(base) + ")"));
    }
    json rows = json::array();
    const json empty = json::object();
    const auto totals_of = [&](std::size_t i) -> const json& {
      const json* totals = at(inputs[i].output, "totals");
      return totals != nullptr ? *totals : empty;
    };
    const auto ci95_of = [&](std::size_t i) -> const json& {
      const json* ci = at(inputs[i].output, "ci95");
      return ci != nullptr ? *ci : empty;
    };
    for (const Metric& metric : headline_metrics()) {
      json row = json::array({metric.label});
      bool any = false;
      for (const std::size_t i : runs) {
        row.push_back(with_digits(cell(totals_of(i), metric.path, &ci95_of(i)), metric.digits));
        any = any || !row.back().is_null();
      }
      if (!any) {
        continue;
      }
      const auto a = number(totals_of(base), slash_path(metric.path));
      const auto a_ci = ci_of(ci95_of(base), metric.path);
      for (std::size_t k = 1; k < runs.size(); ++k) {
        const auto b = number(totals_of(runs[k]), slash_path(metric.path));
        const auto b_ci = ci_of(ci95_of(runs[k]), metric.path);
        row.push_back(a && b ? with_digits(*b - *a, metric.digits) : json(nullptr));
        if (a_ci && b_ci) {
          const bool overlap = a_ci->first <= b_ci->second && b_ci->first <= a_ci->second;
          row.push_back(overlap ? "yes: not distinguishable" : "no: a real difference");
        } else {
          row.push_back("no CI");
        }
      }
      rows.push_back(std::move(row));
    }
    for (const auto& [key, label] :
         std::vector<std::pair<std::string, std::string>>{{"open_stations", "open stations"},
                                                          {"replications", "replications"},
                                                          {"horizon_days", "horizon (days)"}}) {
      json row = json::array({label});
      for (const std::size_t i : runs) {
        row.push_back(or_null(number(inputs[i].output, key)));
      }
      rows.push_back(std::move(row));
    }
    blocks.push_back(paragraph("Each column is one input; differences are against " + names[base] +
                               ". Where both inputs have 95% intervals, intervals that do not "
                               "overlap show a difference beyond the replications' noise."));
    blocks.push_back({{"type", "table"},
                      {"role", "comparison"},
                      {"sortable", true},
                      {"columns", std::move(columns)},
                      {"rows", std::move(rows)}});
    note_lower_ends_below_zero(blocks);

    // Overlaid hour-of-day curves.
    json labels = json::array();
    for (int h = 0; h < 24; ++h) {
      labels.push_back((h < 10 ? "0" : "") + std::to_string(h) + "h");
    }
    for (const auto& [key, title, unit] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"wait_min_p95", "p95 wait by hour of arrival", "wait p95 (min)"},
             {"arrivals", "Arrivals by hour", "arrivals"}}) {
      json series = json::array();
      for (const std::size_t i : runs) {
        const json* values = at(inputs[i].output, "totals/hourly/" + key);
        if (values != nullptr && values->is_array()) {
          series.push_back({{"label", names[i]}, {"values", numbers_of(*values)}});
        }
      }
      if (series.size() >= 2) {
        json chart{{"type", "chart"},
                   {"title", title},
                   {"labels", labels},
                   {"y", unit},
                   {"series", std::move(series)}};
        if (key == "wait_min_p95" && target.metric == "wait_min.p95") {
          chart["target"] = target.bound;
        }
        blocks.push_back(std::move(chart));
      }
    }
    // Costs stacked by component, one bar per run.
    json run_names = json::array();
    std::vector<const json*> run_totals;
    for (const std::size_t i : runs) {
      run_names.push_back(names[i]);
      run_totals.push_back(at(inputs[i].output, "totals"));
    }
    if (json chart = cost_chart("Cost per year by component", run_names, run_totals);
        !chart.is_null()) {
      blocks.push_back(std::move(chart));
    }
    // Stations side by side: those in every run, in the first run's order.
    std::vector<std::map<std::string, const json*>> by_id(runs.size());
    for (std::size_t k = 0; k < runs.size(); ++k) {
      if (const json* stations = at(inputs[runs[k]].output, "stations");
          stations && stations->is_array()) {
        for (const json& station : *stations) {
          by_id[k].emplace(text(station, "id"), &station);
        }
      }
    }
    json ids = json::array();
    json station_rows = json::array();
    json bars = json::array();
    for (std::size_t k = 0; k < runs.size(); ++k) {
      bars.push_back({{"label", names[runs[k]]}, {"style", "bar"}, {"values", json::array()}});
    }
    if (const json* stations = at(inputs[base].output, "stations");
        stations && stations->is_array()) {
      for (const json& station : *stations) {
        const std::string id = text(station, "id");
        json row = json::array({id});
        std::vector<std::optional<double>> p95s;
        for (std::size_t k = 0; k < runs.size(); ++k) {
          const auto it = by_id[k].find(id);
          p95s.push_back(it == by_id[k].end() ? std::nullopt : number(*it->second, "wait_min/p95"));
        }
        for (std::size_t k = 0; k < runs.size(); ++k) {
          const auto it = by_id[k].find(id);
          row.push_back(or_null(p95s[k]));
          row.push_back(it == by_id[k].end() ? json(nullptr)
                                             : or_null(number(*it->second, "served")));
          bars[k]["values"].push_back(or_null(p95s[k]));
        }
        row.push_back(p95s[0] && p95s.back() ? json(*p95s.back() - *p95s[0]) : json(nullptr));
        ids.push_back(id);
        station_rows.push_back(std::move(row));
      }
    }
    if (!station_rows.empty()) {
      blocks.push_back({{"type", "chart"},
                        {"title", "p95 wait by station"},
                        {"labels", ids},
                        {"y", "wait p95 (min)"},
                        {"series", std::move(bars)}});
      json station_columns = json::array({column("station")});
      for (const std::size_t i : runs) {
        station_columns.push_back(column(letter(i) + " wait p95 (min)", 2));
        station_columns.push_back(column(letter(i) + " served", 0));
      }
      station_columns.push_back(
          column("p95 " + letter(runs.back()) + " − " + letter(base) + " (min)", 2));
      blocks.push_back({{"type", "table"},
                        {"title", "Stations side by side (those of " + names[base] + ")"},
                        {"sortable", true},
                        {"columns", std::move(station_columns)},
                        {"rows", std::move(station_rows)}});
    }
  }
  if (sweeps.size() >= 2) {
    std::vector<std::pair<std::string, const json*>> curves_in;
    for (const std::size_t i : sweeps) {
      curves_in.emplace_back(names[i], &inputs[i].output["points"]);
    }
    SweepCurves curves = sweep_curves(curves_in, target);
    blocks.push_back(paragraph("The sweeps overlaid (x: " + curves.shape.parameter + ")."));
    for (json& chart : curves.charts) {
      blocks.push_back(std::move(chart));
    }
  }
  if (blocks.empty()) {
    const bool all_size =
        std::all_of(kinds.begin(), kinds.end(), [](Kind kind) { return kind == Kind::size; });
    blocks.push_back(note(all_size ? "Size results are not compared side by side: each has its "
                                     "own section, with its answer and evaluations."
                                   : "Nothing to compare side by side: the inputs are of "
                                     "different kinds (runs are compared with runs, sweeps "
                                     "with sweeps)."));
  }
  return section("comparison", "Comparison", std::move(blocks));
}

// ---------------------------------------------------------------- the page

/** JSON safe inside <script>: no '<', '>' or '&' (escaped as \u003c...), invalid UTF-8 replaced. */
std::string script_json(const json& data) {
  const std::string dumped = data.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out;
  out.reserve(dumped.size() + dumped.size() / 16);
  for (std::size_t i = 0; i < dumped.size(); ++i) {
    const char c = dumped[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < dumped.size() && dumped[i + 1] == '\x80' &&
               (dumped[i + 2] == '\xA8' || dumped[i + 2] == '\xA9')) {
      out += dumped[i + 2] == '\xA8' ? "\\u2028" : "\\u2029"; // line separators, for old parsers
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

/** Text for the page's static parts: valid UTF-8 (invalid bytes replaced), HTML-escaped. */
std::string page_text(const std::string& text) {
  const std::string valid = json(text).dump(-1, ' ', false, json::error_handler_t::replace);
  return html_escape(json::parse(valid).get<std::string>());
}

} // namespace

nlohmann::ordered_json parse_report_input(std::string_view text) {
  // Nesting is checked before parsing: h2sim outputs nest about 6 levels.
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        throw ReportError("nested deeper than " + std::to_string(max_depth) + " levels");
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    // The parser quotes the bytes it last read, which may be no UTF-8 (a message must be).
    throw ReportError(valid_utf8(std::string("not JSON: ") + e.what()));
  }
}

namespace {
/**
 * The station whose queue an event log draws must be one of the runs the page shows: the log of
 * another run drew its station beside them without a word. Size outputs list no stations.
 */
void check_queue_station(const std::vector<ReportInput>& inputs, const std::vector<Kind>& kinds,
                         const json& queue) {
  if (queue.is_null()) {
    return;
  }
  std::set<std::string> ids;
  const auto add = [&](const json& metrics) {
    const json* stations = at(metrics, "stations");
    for (const json& station : stations != nullptr && stations->is_array() ? *stations : json()) {
      if (station.is_object() && station.contains("id") && station["id"].is_string()) {
        ids.insert(station["id"].get<std::string>());
      }
    }
  };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (kinds[i] == Kind::run) {
      add(inputs[i].output);
    } else if (const json* points = at(inputs[i].output, "points");
               kinds[i] == Kind::sweep && points != nullptr && points->is_array()) {
      for (const json& point : *points) {
        if (const json* metrics = at(point, "metrics"); metrics != nullptr) {
          add(*metrics);
        }
      }
    }
  }
  const std::string station = text(queue, "station");
  if (!ids.empty() && ids.count(station) == 0) {
    throw ReportError("--station " + station + ": not a station of " +
                      (inputs.size() == 1 ? "the output " + inputs.front().label
                                          : std::string("any of the outputs")) +
                      " (the event log must be of a run the page shows)");
  }
}

/** One station's queue over a day, from an event log (queue_over_day). */
json queue_day_section(const json& queue) {
  json labels = json::array();
  char clock[8];
  for (int m = 0; m < 1440; ++m) {
    std::snprintf(clock, sizeof clock, "%02d:%02d", m / 60, m % 60);
    labels.push_back(clock);
  }
  const std::string station = text(queue, "station");
  const std::string day = format_value(queue["day"]);
  json blocks = json::array();
  blocks.push_back(paragraph(
      "From the event log: the most vehicles waiting, and the most filling, at any time of each "
      "minute of day " +
      day + " (days from the start of the run, warm-up included); " +
      format_value(queue["arrivals"]) + " vehicles arrived that day."));
  blocks.push_back({{"type", "chart"},
                    {"title", "Station " + station + ", day " + day + ": vehicles by minute"},
                    {"labels", std::move(labels)},
                    {"y", "vehicles"},
                    {"series", json::array({{{"label", "waiting (peak in the minute)"},
                                             {"values", queue["waiting_peak_per_minute"]}},
                                            {{"label", "filling (peak in the minute)"},
                                             {"values", queue["filling_peak_per_minute"]}}})}});
  return section("queue-day", "Queue at " + station + " on day " + day, std::move(blocks));
}
/**
 * A target must name a metric the outputs have: when some run or sweep input has totals and none
 * has the target's (null counts: a metric no replication could measure), the target is a typo,
 * and its verdict would silently vanish.
 */
void check_target_metric(const std::vector<ReportInput>& inputs, const std::vector<Kind>& kinds,
                         const Target& target) {
  std::string path = "totals/" + target.metric;
  std::replace(path.begin(), path.end(), '.', '/');
  bool any_totals = false;
  const json* not_a_number = nullptr; // what the path names where it is no metric
  const auto look = [&](const json& metrics) {
    any_totals = any_totals || at(metrics, "totals") != nullptr;
    const json* found = at(metrics, path);
    if (found != nullptr && !found->is_number() && !found->is_null()) {
      not_a_number = found;
      return false;
    }
    return found != nullptr;
  };
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (kinds[i] == Kind::run && look(inputs[i].output)) {
      return;
    }
    if (kinds[i] == Kind::sweep) {
      for (const json& point : inputs[i].output["points"]) {
        if (look(point["metrics"])) {
          return;
        }
      }
    }
  }
  if (not_a_number != nullptr) {
    // totals.wait_min (an object) exited 0, saying the target was met nowhere, or nothing.
    std::string hint;
    if (not_a_number->is_object()) {
      const auto field = std::find_if(not_a_number->begin(), not_a_number->end(),
                                      [](const json& value) { return value.is_number(); });
      if (field != not_a_number->end()) {
        hint = ": name one of its fields, as totals." + target.metric + "." + field.key();
      }
    }
    throw ReportError("target " + target.text + ": totals." + target.metric + " is " +
                      json_kind(*not_a_number) + ", not a number" + hint);
  }
  if (any_totals) {
    throw ReportError("target " + target.text + ": the outputs have no totals." + target.metric);
  }
}

} // namespace

/** Whether `output` is what `h2sim compare` writes. */
bool is_compare(const json& output) {
  const json* compared = at(output, "compare");
  const json* scenarios = at(output, "scenarios");
  return compared != nullptr && compared->is_array() && scenarios != nullptr &&
         scenarios->is_array() && at(output, "metrics") != nullptr;
}

/**
 * The paired differences of an `h2sim compare` output: each headline metric's mean per scenario
 * and each scenario's difference from the first with its paired 95% interval (common random
 * numbers), as compare computed them. `names[k]`: the report's name of the comparison's
 * scenario k.
 */
json paired_section(const ReportInput& input, const std::vector<std::string>& names,
                    std::size_t first, const std::string& id) {
  const json& output = input.output;
  std::map<std::string, const json*> rows_by_metric;
  if (const json* metrics = at(output, "metrics"); metrics != nullptr && metrics->is_array()) {
    for (const json& row : *metrics) {
      rows_by_metric.emplace(text(row, "metric"), &row);
    }
  }
  json columns = json::array({column("metric")});
  for (const std::string& name : names) {
    columns.push_back(column(name, 3));
  }
  for (std::size_t k = 1; k < names.size(); ++k) {
    const std::string a = letter(first);
    const std::string b = letter(first + k);
    columns.push_back(column(b + " − " + a + " (paired 95% CI)", 3));
    columns.push_back(column("significant (" + b + ", " + a + ")"));
  }
  json rows = json::array();
  std::vector<std::string> paths;
  for (const Metric& metric : headline_metrics()) {
    paths.push_back(metric.path);
  }
  for (const auto& [key, label] : cost_components()) {
    paths.push_back("economics." + key);
  }
  paths.insert(paths.end(), {"economics.total_cost_per_year", "economics.cost_per_kg",
                             "economics.social_cost_per_kg"});
  for (const std::string& path : paths) {
    const auto found = rows_by_metric.find("totals." + path);
    if (found == rows_by_metric.end()) {
      continue;
    }
    const json& row_in = *found->second;
    const auto metric = std::find_if(headline_metrics().begin(), headline_metrics().end(),
                                     [&](const Metric& m) { return m.path == path; });
    const json* means = at(row_in, "means");
    const json* differences = at(row_in, "differences");
    // Means over replications of a count may be halves: shown as integers, two equal-looking
    // means would differ by 1 (1,159 and 1,159 for 1159 and 1158.5). The row gets the decimals
    // its values need, up to 2.
    int digits = metric != headline_metrics().end() ? metric->digits : 2;
    const auto shown_exactly = [&digits](const json* value) {
      if (value == nullptr || !value->is_number()) {
        return true;
      }
      const double scaled = value->get<double>() * std::pow(10.0, digits);
      return std::abs(scaled - std::round(scaled)) <= 1e-6 * std::max(1.0, std::abs(scaled));
    };
    const auto row_shown_exactly = [&] {
      for (const json* list : {means, differences}) {
        if (list == nullptr || !list->is_array()) {
          continue;
        }
        for (const json& value : *list) {
          const json* shown = value.is_object() ? at(value, "mean") : &value;
          if (!shown_exactly(shown)) {
            return false;
          }
        }
      }
      return true;
    };
    while (digits < 2 && !row_shown_exactly()) {
      ++digits;
    }
    json row = json::array({metric != headline_metrics().end() ? metric->label : path});
    for (std::size_t k = 0; k < names.size(); ++k) {
      const json* mean =
          means != nullptr && means->is_array() && k < means->size() ? &(*means)[k] : nullptr;
      row.push_back(mean != nullptr && mean->is_number() ? with_digits(*mean, digits)
                                                         : json(nullptr));
    }
    for (std::size_t k = 1; k < names.size(); ++k) {
      const json* difference =
          differences != nullptr && differences->is_array() && k - 1 < differences->size()
              ? &(*differences)[k - 1]
              : nullptr;
      const auto mean = difference != nullptr ? number(*difference, "mean") : std::nullopt;
      const auto ci = difference != nullptr ? interval(at(*difference, "ci95")) : std::nullopt;
      if (mean && ci) {
        row.push_back(json{{"v", *mean}, {"lo", ci->first}, {"hi", ci->second}, {"d", digits}});
      } else {
        row.push_back(or_null(mean));
      }
      const json* significant = difference != nullptr ? at(*difference, "significant") : nullptr;
      row.push_back(significant == nullptr || !significant->is_boolean() ? json("")
                    : significant->get<bool>()                           ? json("yes")
                                                                         : json("no"));
    }
    rows.push_back(std::move(row));
  }
  json blocks = json::array();
  const auto replications = number(output, "replications");
  blocks.push_back(paragraph(
      "From " + input.label + ", written by h2sim compare: the scenarios ran with the same seed" +
      (replications ? " and " + format(*replications, 0) + " replications" : std::string()) +
      " (common random numbers), so each difference's 95% interval is paired, replication by "
      "replication: much narrower than comparing the two intervals. Significant: the interval "
      "excludes 0."));
  blocks.push_back({{"type", "table"},
                    {"role", "paired"},
                    {"sortable", true},
                    {"columns", std::move(columns)},
                    {"rows", std::move(rows)}});
  // A maximum's column is not a mean: compare writes the largest over the replications, and the
  // difference is the mean of each replication's (66.8, 0 and -32.2 read as a slip).
  if (rows_by_metric.count("totals.wait_min.max") > 0) {
    blocks.push_back(note("Wait max: each scenario's column is its largest wait over all its "
                          "replications; the difference is the mean of the replications' own "
                          "differences, so it need not be the gap between the columns."));
  }
  // With --until or a failed replication, the scenarios' means may rest on more replications
  // than the pairs the differences are over: say so, with the numbers.
  std::optional<double> fewest_pairs;
  if (const json* metrics = at(output, "metrics"); metrics != nullptr && metrics->is_array()) {
    for (const json& row : *metrics) {
      if (const json* differences = at(row, "differences");
          differences != nullptr && differences->is_array()) {
        for (const json& difference : *differences) {
          if (const auto pairs = number(difference, "pairs")) {
            fewest_pairs = fewest_pairs ? std::min(*fewest_pairs, *pairs) : *pairs;
          }
        }
      }
    }
  }
  std::string counts;
  bool other_basis = false;
  if (const json* scenarios = at(output, "scenarios"); scenarios != nullptr && fewest_pairs) {
    for (std::size_t k = 0; k < scenarios->size() && k < names.size(); ++k) {
      // The header's replications are those asked for; the failed ones are not in the means.
      auto ran = number((*scenarios)[k], "metrics/replications");
      if (const json* failed = at((*scenarios)[k], "metrics/replication_errors");
          ran && failed != nullptr && failed->is_array()) {
        *ran -= static_cast<double>(failed->size());
      }
      other_basis = other_basis || (ran && *ran != *fewest_pairs);
      counts += (k == 0 ? "" : ", ") + names[k] + " " + (ran ? format(*ran, 0) : "?");
    }
  }
  if (other_basis) {
    blocks.push_back(note("Each difference is over the replications both of its scenarios "
                          "finished (" +
                          format(*fewest_pairs, 0) +
                          " at fewest); each scenario's mean beside it is over all it finished (" +
                          counts +
                          "), so the gap between two means need not equal their difference (the "
                          "pairs' own means are the output's paired_means)."));
  }
  return section(id, "Paired comparison (" + input.label + ")", std::move(blocks));
}

std::string html_report(const std::vector<ReportInput>& outputs, const ReportOptions& options) {
  if (outputs.empty()) {
    throw ReportError("no input to report on");
  }
  // An `h2sim compare` output: its paired table, then its scenarios' runs as inputs of their own.
  std::vector<ReportInput> inputs;
  std::vector<std::pair<const ReportInput*, std::size_t>> compares; // and its first run's index
  for (const ReportInput& input : outputs) {
    if (!is_compare(input.output)) {
      inputs.push_back(input);
      continue;
    }
    // compare writes one entry of `scenarios` per scenario it names (two or more).
    const std::size_t named = input.output["compare"].size();
    const std::size_t listed = input.output["scenarios"].size();
    if (named < 2) {
      throw ReportError(input.label + ": /compare names " + std::to_string(named) + " scenario" +
                        (named == 1 ? "" : "s") +
                        ", where compare writes 2 or more: not an h2sim output as it wrote it");
    }
    if (listed != named) {
      throw ReportError(input.label + ": /scenarios has " + std::to_string(listed) +
                        (listed == 1 ? " entry" : " entries") + " where /compare names " +
                        std::to_string(named) + ": not an h2sim output as it wrote it");
    }
    compares.emplace_back(&input, inputs.size());
    for (const json& scenario : input.output["scenarios"]) {
      const json* metrics = at(scenario, "metrics");
      if (metrics == nullptr || !metrics->is_object()) {
        throw ReportError(input.label + ": a compared scenario without metrics");
      }
      inputs.push_back({input.label + ": " + text(scenario, "label"), *metrics});
    }
  }
  std::vector<Kind> kinds;
  for (const ReportInput& input : inputs) {
    kinds.push_back(kind_of(input));
  }
  const std::optional<Target> given = parse_target(options.target);
  if (!given) {
    throw ReportError("target " + options.target +
                      ": expected totals.METRIC<=VALUE or totals.METRIC>=VALUE");
  }
  check_target_metric(inputs, kinds, *given);
  check_queue_station(inputs, kinds, options.queue_day);
  const ScenarioInfo scenario = read_scenario(options);
  if (scenario.present) {
    check_scenario_matches(inputs, scenario);
  }
  const bool several = inputs.size() > 1;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    names.push_back(several ? letter(i) + " — " + inputs[i].label : inputs[i].label);
  }

  json sections = json::array();
  for (std::size_t c = 0; c < compares.size(); ++c) {
    const auto& [input, first] = compares[c];
    const std::size_t count = input->output["scenarios"].size();
    sections.push_back(paired_section(
        *input,
        std::vector<std::string>(names.begin() + static_cast<std::ptrdiff_t>(first),
                                 names.begin() + static_cast<std::ptrdiff_t>(first + count)),
        first, "paired" + (c == 0 ? std::string() : std::to_string(c))));
  }
  if (several) {
    sections.push_back(comparison_section(inputs, kinds, names, *given));
  }
  std::size_t expected_markers = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string prefix = several ? "in" + std::to_string(i) + "-" : "";
    const std::string heading = several ? names[i] + ": " : "";
    switch (kinds[i]) {
    case Kind::run:
      add_run_sections(sections, RunContext{inputs[i].output, scenario, *given, prefix, heading});
      break;
    case Kind::sweep:
      add_sweep_sections(sections, inputs[i], scenario, *given, prefix, heading);
      break;
    case Kind::size:
      add_size_sections(sections, inputs[i], *given, prefix, heading);
      break;
    }
  }
  if (!options.queue_day.is_null()) {
    sections.push_back(queue_day_section(options.queue_day));
  }
  json input_list = json::array();
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const json& output = inputs[i].output;
    std::string scenario_name = text(output, "scenario");
    if (kinds[i] == Kind::sweep && !output["points"].empty()) {
      scenario_name = text(output["points"][0], "metrics/scenario");
    }
    input_list.push_back(
        {{"name", names[i]}, {"kind", kind_name(kinds[i])}, {"scenario", scenario_name}});
  }
  for (const json& s : sections) {
    for (const json& block : s["blocks"]) {
      if (block["type"] == "map") {
        expected_markers += block["stations"].size();
      }
    }
  }
  const std::string title = options.title.empty() ? "h2sim report" : options.title;
  const json data{{"title", title},
                  {"inputs", std::move(input_list)},
                  {"scenario", scenario.present ? json(scenario.label) : json(nullptr)},
                  {"sections", std::move(sections)},
                  {"expected_map_markers", expected_markers}};

  std::string page;
  page.reserve(embedded::report_chart_js.size() + 200000);
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          // No request of any kind: nothing may load from anywhere but this page.
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">\n"
          "<title>";
  page += page_text(title);
  page += "</title>\n<style>\n";
  page += embedded::report_page_css;
  page += "</style>\n"
          // First of all: record errors into the page, where a headless browser's DOM shows them.
          "<script>window.h2simErrors=[];"
          "window.addEventListener('error',function(e){window.h2simErrors.push(String(e.message||"
          "e.type))});"
          "document.addEventListener('securitypolicyviolation',function(e){window.h2simErrors.push("
          "'blocked by the page policy: '+e.blockedURI)});"
          "window.addEventListener('unhandledrejection',function(e){window.h2simErrors.push("
          "'unhandled rejection: '+String(e.reason))});"
          "(function(){var f=console.error;console.error=function(){window.h2simErrors.push("
          "Array.prototype.map.call(arguments,String).join(' '));return f.apply(console,"
          "arguments)}})();</script>\n<script>\n";
  page += embedded::report_chart_js;
  page += "\n</script>\n</head>\n<body>\n<header><h1>";
  page += page_text(title);
  page += "</h1></header>\n<noscript><p>This report draws its tables and charts with JavaScript: "
          "please open it in a browser with scripts enabled.</p></noscript>\n"
          "<main id=\"h2sim-report\"></main>\n"
          "<pre id=\"h2sim-self-check\" hidden></pre>\n"
          "<script type=\"application/json\" id=\"h2sim-data\">";
  page += script_json(data);
  page += "</script>\n<script>\n";
  page += embedded::report_page_js;
  page += "\n</script>\n</body>\n</html>\n";
  return page;
}

} // namespace h2sim
