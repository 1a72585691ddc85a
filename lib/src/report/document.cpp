#include "document.hpp"

#include "../core/mser.hpp"

#include <h2sim/h2sim.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace h2sim::report {

using nlohmann::ordered_json;

namespace {

/** The member `dotted` of `object` ("a.b": object["a"]["b"]), created in order where missing. */
ordered_json& member(ordered_json& object, std::string_view dotted) {
  ordered_json* at = &object;
  for (std::size_t start = 0;;) {
    const std::size_t dot = dotted.find('.', start);
    at = &(*at)[std::string(dotted.substr(start, dot - start))];
    if (dot == std::string_view::npos) {
      return *at;
    }
    start = dot + 1;
  }
}

ordered_json number(double value, bool integer) {
  if (integer) {
    return static_cast<std::uint64_t>(value);
  }
  return value;
}

template <class R>
ordered_json record_json(const std::vector<Field<R>>& fields, const RecordValues& values,
                         Scope scope, bool integers, ordered_json json) {
  std::size_t next = 0;
  const auto take = [&] {
    if (next >= values.leaves.size()) {
      throw std::logic_error("a record has fewer values than its fields");
    }
    return values.leaves[next++];
  };
  for_each_reported(fields, values.groups, scope, values.bins > 0, [&](const Field<R>& field) {
    ordered_json& out = member(json, field.key);
    switch (field.kind) {
    case Kind::count:
    case Kind::maximum:
      out = number(take(), integers);
      break;
    case Kind::quantity:
    case Kind::minimum:
    case Kind::derived:
      out = take();
      break;
    case Kind::waits:
      out = ordered_json::object();
      for (const std::string_view statistic : wait_statistics) {
        out[std::string(statistic)] = take();
      }
      break;
    case Kind::hourly_counts:
    case Kind::hourly_derived:
      out = ordered_json::array();
      for (std::size_t h = 0; h < hours; ++h) {
        out.push_back(number(take(), integers && field.kind == Kind::hourly_counts));
      }
      break;
    case Kind::series_counts:
    case Kind::series_quantities:
    case Kind::series_derived:
    case Kind::series_axis:
      out = ordered_json::array();
      for (std::uint32_t k = 0; k < values.bins; ++k) {
        out.push_back(number(take(), integers && field.kind == Kind::series_counts));
      }
      break;
    case Kind::hourly_waits:
    case Kind::hourly_quantities:
    case Kind::series_waits:
      throw std::logic_error("an array of sketches is not reported");
    }
  });
  if (next != values.leaves.size()) {
    throw std::logic_error("a record has more values than its fields");
  }
  return json;
}

ordered_json metrics_json(const ReplicationValues& values, const Labels& labels, bool integers) {
  if (values.stations.size() != labels.stations.size() ||
      values.classes.size() != labels.classes.size()) {
    throw std::logic_error("the metrics do not match the scenario's stations or classes");
  }
  ordered_json stations = ordered_json::array();
  for (std::size_t i = 0; i < values.stations.size(); ++i) {
    stations.push_back(record_json(station_fields(), values.stations[i], Scope::stations, integers,
                                   {{"id", labels.stations[i]}}));
  }
  ordered_json result{{"totals", station_json(values.totals, Scope::totals, integers)},
                      {"stations", std::move(stations)}};
  if (!values.classes.empty()) {
    ordered_json classes = ordered_json::array();
    for (std::size_t i = 0; i < values.classes.size(); ++i) {
      classes.push_back(record_json(class_fields(), values.classes[i], Scope::both, integers,
                                    {{"name", labels.classes[i]}}));
    }
    result["classes"] = std::move(classes);
  }
  return result;
}

/** Moves each member of `from` into `out` (update() would copy them: 10 MB for a year of Shanghai).
 */
void add_members(ordered_json& out, ordered_json from) {
  for (auto& [key, value] : from.items()) {
    out[key] = std::move(value);
  }
}

} // namespace

namespace {

/** The ci95 paths of totals that a station record with `groups` and `bins` reports too. */
std::vector<std::string> station_ci95_paths(std::uint8_t groups, std::uint32_t bins) {
  const std::vector<Leaf>& layout = station_layout(groups, Scope::stations, bins);
  std::vector<std::string> paths;
  for (const std::string& path : ci95_paths(groups)) {
    if (std::any_of(layout.begin(), layout.end(), [&](const Leaf& l) { return l.path == path; })) {
      paths.push_back(path);
    }
  }
  return paths;
}

/** Each station's `ci95`: its intervals over the replications of station_ci95_paths(). */
void add_station_intervals(ordered_json& stations, const ReplicationValues& combined,
                           const Aggregate& aggregate) {
  for (std::size_t i = 0; i < combined.stations.size() && i < stations.size(); ++i) {
    const RecordValues& station = combined.stations[i];
    const std::vector<Leaf>& layout = station_layout(station.groups, Scope::stations, station.bins);
    ordered_json intervals = ordered_json::object();
    for (const std::string& path : station_ci95_paths(station.groups, station.bins)) {
      const auto leaf =
          std::find_if(layout.begin(), layout.end(), [&](const Leaf& l) { return l.path == path; });
      const auto [low, high] =
          aggregate.record_interval(false, i, static_cast<std::size_t>(leaf - layout.begin()));
      intervals[path] = {low, high};
    }
    stations[i]["ci95"] = std::move(intervals);
  }
}

} // namespace

ordered_json station_json(const RecordValues& values, Scope scope, bool integers) {
  return record_json(station_fields(), values, scope, integers, ordered_json::object());
}

ordered_json provenance_json(const Provenance& provenance) {
  ordered_json out = ordered_json::object();
  if (!provenance.scenario_sha256.empty()) {
    out["scenario_sha256"] = provenance.scenario_sha256;
  }
  out["h2sim_version"] = version();
  out["git_commit"] = provenance.git_commit;
  out["simgrid_version"] = provenance.simgrid_version;
  return out;
}

namespace {
std::string brief(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

using Intervals = std::vector<std::pair<std::string, std::pair<double, double>>>;

/** The name --quantile-interval gives `method`. */
std::string name_of(QuantileInterval method) {
  for (const auto& [name, value] : quantile_intervals_by_name()) {
    if (value == method) {
      return name;
    }
  }
  throw std::logic_error("a quantile interval without a name");
}

/**
 * A quantile's interval (but `replications`') is formed about the quantile of all the waits
 * pooled, while the document's value is the mean of the replications' quantiles (the contract):
 * where they differ by more than the interval's half-width, the value lies outside it. Says so,
 * for each such quantile.
 */
std::vector<Warning> quantiles_outside_intervals(const Aggregate& aggregate,
                                                 const RecordValues& combined,
                                                 const Intervals& intervals,
                                                 const std::string& method) {
  std::vector<Warning> warnings;
  const std::vector<Leaf>& layout = station_layout(combined.groups, Scope::totals, combined.bins);
  for (const auto& [path, interval] : intervals) {
    const auto pooled = aggregate.pooled_quantile(path);
    const std::string& key = path; // a lambda may not capture a structured binding (clang 14)
    const auto leaf =
        std::find_if(layout.begin(), layout.end(), [&](const Leaf& l) { return l.path == key; });
    if (!pooled || method == "replications" || leaf == layout.end()) {
      continue;
    }
    const double value = combined.leaves.at(static_cast<std::size_t>(leaf - layout.begin()));
    if (value >= interval.first && value <= interval.second) {
      continue;
    }
    const std::string q = path.substr(path.rfind('.') + 1); // "p95"
    warnings.push_back(
        {"/ci95/totals." + path,
         "totals." + path + ": the mean of the replications' " + q + ", " + brief(value) +
             ", lies outside its interval [" + brief(interval.first) + ", " +
             brief(interval.second) + "], which is formed (--quantile-interval " + method +
             (method == "jackknife" ? ") from the " + q +
                                          " of all their waits pooled and of them less each "
                                          "replication's, pooled "
                                    : ") about the " + q + " of all their waits pooled, ") +
             brief(*pooled) + ": the two differ where replications are short (a few waits make a " +
             q +
             " biased) or unlike one another; the interval is the one to judge by (--until, "
             "size and site do), or lengthen horizon_days"});
  }
  return warnings;
}

std::vector<Warning> interval_warnings(const Run& run, const Aggregate& aggregate,
                                       double warmup_days) {
  const ReplicationValues combined = aggregate.combined();
  const IntervalBasis basis{aggregate.finished_indices().size(), run.header.horizon_days,
                            warmup_days, run.header.automatic_warmup, run.labels.stations};
  Evidence evidence;
  const std::vector<RecordValues>& totals = aggregate.replication_totals();
  // Replications of one scenario share their totals' layout (Aggregate checks).
  std::map<std::string, std::size_t, std::less<>> index;
  const std::vector<Leaf>& layout =
      station_layout(totals.front().groups, Scope::totals, totals.front().bins);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    index.emplace(layout[i].path, i);
  }
  const auto values_of = [&](const std::string& path) -> std::optional<std::vector<double>> {
    const auto at = index.find(path);
    if (at == index.end()) {
      return std::nullopt;
    }
    std::vector<double> values;
    for (const RecordValues& record : totals) {
      values.push_back(record.leaves.at(at->second));
    }
    return values;
  };
  // Every key of ci95, economics' too (they had no warning, though size and site target them).
  const std::vector<std::string> paths = ci95_paths(totals.front().groups);
  for (const std::string& path : paths) {
    if (auto values = values_of(path)) {
      evidence.values.emplace_back(path, std::move(*values));
    }
  }
  // The mean waits of each replication's days (its series bins but the last, which may be cut
  // short; shorter bins pooled into days: wait_batches): their lag-1 autocorrelation shows how
  // slowly the queues forget.
  const auto first = values_of("series.daily.day.0");
  const auto second = values_of("series.daily.day.1");
  if (totals.front().bins >= 3 && first && second) {
    std::vector<std::vector<double>> means(totals.size());
    std::vector<std::vector<double>> served(totals.size());
    for (std::uint32_t k = 0; k + 1 < totals.front().bins; ++k) {
      const auto bin_means = values_of("series.daily.wait_min_mean." + std::to_string(k));
      const auto bin_served = values_of("series.daily.served." + std::to_string(k));
      if (!bin_means || !bin_served) {
        break;
      }
      for (std::size_t r = 0; r < totals.size(); ++r) {
        means[r].push_back((*bin_means)[r]);
        served[r].push_back((*bin_served)[r]);
      }
    }
    const WaitBatches batches = wait_batches(means, served, (*second)[0] - (*first)[0]);
    evidence.batch_days = batches.days;
    evidence.daily_waits = lag1_autocorrelation(batches.runs);
    evidence.measured_tau_min = relaxation_from_batches(evidence.daily_waits, batches.days * 1440);
  }
  std::vector<Warning> warnings = interval_warnings(
      basis, slowest_station(combined.stations, run.queues, run.header.horizon_days * 1440), paths,
      evidence);
  for (Warning& zero : conventional_zero_warnings(evidence)) {
    warnings.push_back(std::move(zero));
  }
  const bool costs = std::find(paths.begin(), paths.end(), "economics.cost_per_kg") != paths.end();
  if (auto stations = station_zero_warning(
          aggregate.stations_unserved(), aggregate.stations_unserved_or_undispensed(),
          aggregate.finished_indices().size(), run.labels.stations, costs)) {
    warnings.push_back(std::move(*stations));
  }
  return warnings;
}
} // namespace

ordered_json document(const Run& run, bool with_error) {
  const Header& header = run.header;
  const Aggregate& aggregate = run.aggregate;
  ordered_json warnings = ordered_json::array();
  for (const Warning& warning : header.warnings) {
    warnings.push_back({{"pointer", warning.pointer}, {"message", warning.message}});
  }
  // warmup_days "auto": the header gives the mean of the warm-ups chosen, `warmup` each one.
  double warmup_days = header.warmup_days;
  ordered_json warmup;
  if (header.automatic_warmup && !aggregate.warmups().empty()) {
    ordered_json days = ordered_json::array();
    ordered_json stable = ordered_json::array();
    double sum = 0;
    for (std::size_t k = 0; k < aggregate.warmups().size(); ++k) {
      const auto& chosen = aggregate.warmups()[k];
      const double d = chosen ? chosen->days : 0.0;
      sum += d;
      days.push_back(d);
      stable.push_back(chosen && chosen->stable);
      if (chosen && !chosen->stable) {
        const std::size_t r = aggregate.finished_indices().at(k);
        // Not stable with no cut: fewer than 4 batches, too few waits to judge by.
        const std::string why =
            d == header.horizon_days / 2
                ? "MSER-5 found no steady state in the first half of the run (the first batch "
                  "of waits it would keep began past the middle), so the warm-up was cut at " +
                      brief(d) + " days, half of horizon_days"
            : d > 0 ? "MSER-5 found no steady state: its pilot's waits still rose past the middle "
                      "of the run, so the warm-up was cut at " +
                          brief(d) + " days (at most half of horizon_days)"
                    : "its pilot run had fewer than " + std::to_string(4 * mser::batch) +
                          " waits, too few for MSER-5 to choose a warm-up, so none was taken";
        warnings.push_back({{"pointer", "/warmup_days"},
                            {"message", "replication " + std::to_string(r) + ": " + why +
                                            "; the replication may still be biased by its empty "
                                            "start: lengthen horizon_days"}});
      }
    }
    warmup_days = sum / static_cast<double>(aggregate.warmups().size());
    warmup = {
        {"method", "MSER-5"}, {"replication_days", std::move(days)}, {"stable", std::move(stable)}};
  }
  const auto events = aggregate.events();
  ordered_json out{{"h2sim_version", version()},
                   {"scenario", header.scenario},
                   {"seed", header.seed},
                   {"replications", header.replications}};
  if (header.replication) {
    out["replication"] = *header.replication;
  }
  out["horizon_days"] = header.horizon_days;
  out["warmup_days"] = warmup_days;
  out["open_stations"] = header.open_stations;
  out["warnings"] = std::move(warnings);
  if (!header.changes.empty()) {
    out["overrides"] = changes_json(header.changes);
  }
  if (!warmup.is_null()) {
    out["warmup"] = std::move(warmup);
  }
  out["run"] = {{"events", events},
                {"wall_s", run.wall_s},
                {"events_per_s", run.wall_s > 0 ? static_cast<double>(events) / run.wall_s : 0.0},
                {"jobs", run.jobs},
                {"provenance", provenance_json(header.provenance)}};
  if (!aggregate.failures().empty()) {
    std::string error;
    ordered_json errors = ordered_json::array();
    for (const auto& [r, message] : aggregate.failures()) {
      error += (error.empty() ? "" : "; ") +
               ("replication " + std::to_string(r) + " failed: " + message);
      errors.push_back({{"replication", r}, {"error", message}});
    }
    if (with_error) {
      out["error"] = error;
    }
    out["replication_errors"] = std::move(errors);
  }
  const std::size_t finished = aggregate.finished_indices().size();
  if (finished == 1) {
    add_members(out, metrics_json(aggregate.only(), run.labels, true));
    const double window_min = header.horizon_days * 1440;
    const auto& stations = aggregate.only().stations;
    for (const auto& overloaded :
         {overload_warning(slowest_station(stations, run.queues, window_min), run.labels.stations),
          full_queue_warning(stations, run.queues, window_min, run.labels.stations, 1,
                             !run.labels.classes.empty())}) {
      if (overloaded) {
        out["warnings"].push_back(
            {{"pointer", overloaded->pointer}, {"message", overloaded->message}});
      }
    }
  } else if (finished > 1) {
    const ReplicationValues combined = aggregate.combined();
    add_members(out, metrics_json(combined, run.labels, false));
    add_station_intervals(out["stations"], combined, aggregate);
    // Formed once: the jackknife's pools each replication's waits out in turn.
    const Intervals intervals = aggregate.intervals();
    const std::string method = name_of(aggregate.quantile_interval_used());
    ordered_json ci95 = ordered_json::object();
    for (const auto& [path, interval] : intervals) {
      ci95["totals." + path] = {interval.first, interval.second};
    }
    out["ci95"] = std::move(ci95);
    out["quantile_interval"] = method;
    std::vector<Warning> trust = interval_warnings(run, aggregate, warmup_days);
    for (Warning& unresolved : unresolved_quantiles(intervals)) {
      trust.push_back(std::move(unresolved));
    }
    for (Warning& outside :
         quantiles_outside_intervals(aggregate, combined.totals, intervals, method)) {
      trust.push_back(std::move(outside));
    }
    if (auto full =
            full_queue_warning(combined.stations, run.queues, header.horizon_days * 1440,
                               run.labels.stations, finished, !run.labels.classes.empty())) {
      trust.push_back(std::move(*full));
    }
    for (const Warning& warning : trust) {
      out["warnings"].push_back({{"pointer", warning.pointer}, {"message", warning.message}});
    }
    ordered_json totals = ordered_json::array();
    for (const RecordValues& replication : aggregate.replication_totals()) {
      totals.push_back(station_json(replication, Scope::totals, true));
    }
    out["replication_totals"] = std::move(totals);
  }
  if (!run.precision.empty()) {
    ordered_json precision = ordered_json::object();
    for (const PrecisionReached& metric : run.precision) {
      precision[metric.path] = {{"relative", metric.wanted},
                                {"achieved", number(metric.achieved, false)},
                                {"reached", metric.reached()}};
    }
    out["precision"] = std::move(precision);
    for (const Warning& warning : unmet_precisions(run)) {
      out["warnings"].push_back({{"pointer", warning.pointer}, {"message", warning.message}});
    }
  }
  return out;
}

std::vector<Warning> unmet_precisions(const Run& run) {
  std::vector<Warning> unmet;
  for (const PrecisionReached& metric : run.precision) {
    if (!metric.reached()) {
      unmet.push_back({"/ci95/" + metric.path,
                       metric.path + ": " +
                           precision_shortfall(metric.wanted, metric.achieved,
                                               static_cast<std::size_t>(run.header.replications),
                                               metric.max_replications)});
    }
  }
  return unmet;
}

namespace {

std::size_t leaf_index(const std::vector<Leaf>& layout, const std::string& leaf,
                       const std::string& path) {
  const auto it =
      std::find_if(layout.begin(), layout.end(), [&](const Leaf& l) { return l.path == leaf; });
  if (it == layout.end()) {
    throw std::invalid_argument("the metrics have no " + path);
  }
  return static_cast<std::size_t>(it - layout.begin());
}

/** The record `path` names, and the rest of the path: (kind, index, leaf). */
struct Named {
  enum { totals, station, vehicle_class } record;
  std::size_t index = 0;
  std::string leaf;
};

Named named(const std::string& path, const Labels& labels) {
  const auto fail = [&](const std::string& why) {
    return std::invalid_argument("the metrics have no " + path + why);
  };
  if (path.rfind("totals.", 0) == 0) {
    return {Named::totals, 0, path.substr(7)};
  }
  const bool stations = path.rfind("stations", 0) == 0;
  if (!stations && path.rfind("classes", 0) != 0) {
    throw fail(" (a metric path starts with totals., stations or classes)");
  }
  const std::vector<std::string>& names = stations ? labels.stations : labels.classes;
  std::size_t at = stations ? 8 : 7;
  std::size_t index = 0;
  std::size_t end = 0;
  if (at < path.size() && path[at] == '[') {
    const std::string key = stations ? "id=" : "name=";
    end = path.find(']', at);
    if (end == std::string::npos || path.compare(at + 1, key.size(), key) != 0) {
      throw fail(" (select by [" + key + "...])");
    }
    const std::string name = path.substr(at + 1 + key.size(), end - at - 1 - key.size());
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      throw fail(stations ? " (no open station " + name + ")" : " (no class " + name + ")");
    }
    index = static_cast<std::size_t>(it - names.begin());
    ++end;
  } else if (at < path.size() && path[at] == '.') {
    end = path.find('.', at + 1);
    const std::string digits = path.substr(at + 1, end - at - 1);
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      throw fail("");
    }
    index = std::stoul(digits);
    if (index >= names.size()) {
      const std::string plural = names.size() == 1 ? "" : (stations ? "s" : "es");
      throw fail(" (" + std::to_string(names.size()) + (stations ? " open station" : " class") +
                 plural + ")");
    }
  } else {
    throw fail("");
  }
  if (end == std::string::npos || end >= path.size() || path[end] != '.') {
    throw fail("");
  }
  return {stations ? Named::station : Named::vehicle_class, index, path.substr(end + 1)};
}

} // namespace

void check_path(const std::string& path, const Labels& labels, std::uint32_t bins) {
  const Named name = named(path, labels);
  const std::vector<Leaf>& layout =
      name.record == Named::vehicle_class
          ? class_layout()
          : station_layout(group::all,
                           name.record == Named::totals ? Scope::totals : Scope::stations, bins);
  (void)leaf_index(layout, name.leaf, path);
}

Estimate estimate(const Run& run, const std::string& path) {
  const Aggregate& aggregate = run.aggregate;
  const std::size_t finished = aggregate.finished_indices().size();
  if (finished == 0) {
    throw std::invalid_argument("no replication finished");
  }
  const Named name = named(path, run.labels);
  const ReplicationValues values = finished == 1 ? aggregate.only() : aggregate.combined();
  Estimate estimate;
  if (name.record == Named::totals) {
    const std::size_t leaf = leaf_index(
        station_layout(values.totals.groups, Scope::totals, values.totals.bins), name.leaf, path);
    estimate.value = values.totals.leaves.at(leaf);
    if (finished > 1) {
      for (const RecordValues& totals : aggregate.replication_totals()) {
        estimate.replications.push_back(totals.leaves.at(leaf_index(
            station_layout(totals.groups, Scope::totals, totals.bins), name.leaf, path)));
      }
      if (station_layout(values.totals.groups, Scope::totals, values.totals.bins)[leaf].combine !=
          Combine::mean) {
        estimate.ci95 = std::pair{estimate.value, estimate.value}; // a max or min: no interval
        return estimate;
      }
      estimate.ci95 = ci95(estimate.replications);
      for (const auto& [key, interval] : aggregate.intervals()) {
        if (key == name.leaf) { // a ci95 key: the same interval (quantiles as the run forms them)
          estimate.ci95 = interval;
          break;
        }
      }
    }
    return estimate;
  }
  const bool classes = name.record == Named::vehicle_class;
  const RecordValues& record =
      classes ? values.classes.at(name.index) : values.stations.at(name.index);
  const std::size_t leaf = leaf_index(
      classes ? class_layout() : station_layout(record.groups, Scope::stations, record.bins),
      name.leaf, path);
  estimate.value = record.leaves.at(leaf);
  if (finished > 1) {
    const Combine combine =
        (classes ? class_layout() : station_layout(record.groups, Scope::stations, record.bins))
            .at(leaf)
            .combine;
    estimate.ci95 = combine == Combine::mean ? aggregate.record_interval(classes, name.index, leaf)
                                             : std::pair{estimate.value, estimate.value};
  }
  return estimate;
}

std::vector<std::pair<std::string, std::string>> totals_cells(const RecordValues& totals,
                                                              bool integers) {
  const std::vector<Leaf>& layout = station_layout(totals.groups, Scope::totals, totals.bins);
  std::vector<std::pair<std::string, std::string>> cells;
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i].scalar) {
      cells.emplace_back("totals." + layout[i].path,
                         number(totals.leaves.at(i), integers && layout[i].integer).dump());
    }
  }
  return cells;
}

namespace {

ordered_json typed(const char* type, std::string_view description) {
  ordered_json node = ordered_json::object();
  if (!description.empty()) {
    node["description"] = std::string(description);
  }
  node["type"] = type;
  return node;
}

ordered_json closed_object() {
  return {{"type", "object"},
          {"properties", ordered_json::object()},
          {"required", ordered_json::array()},
          {"additionalProperties", false}};
}

ordered_json provenance_schema() {
  ordered_json provenance = closed_object();
  const ordered_json text = {{"type", "string"}};
  provenance["properties"] = {
      {"scenario_sha256", {{"type", "string"}, {"pattern", "^[0-9a-f]{64}$"}}},
      {"h2sim_version", text},
      {"git_commit", text},
      {"simgrid_version", text},
      {"command_line", {{"type", "array"}, {"items", text}}}};
  provenance["required"] = {"h2sim_version", "git_commit", "simgrid_version"};
  return provenance;
}

/** The schema of a record of `fields` in `scope`; `label` (id or name) comes first. */
template <class R>
ordered_json record_schema(const std::vector<Field<R>>& fields, Scope scope,
                           const char* label = nullptr) {
  ordered_json schema = closed_object();
  if (label != nullptr) {
    schema["properties"][label] = {{"type", "string"}};
    schema["required"].push_back(label);
  }
  std::map<std::uint8_t, std::vector<std::string>> by_group;
  for_each_reported(fields, group::all, scope, true, [&](const Field<R>& field) {
    ordered_json node;
    switch (field.kind) {
    case Kind::count:
    case Kind::maximum:
      node = typed("number", field.description);
      node["minimum"] = 0;
      break;
    case Kind::quantity:
    case Kind::minimum:
    case Kind::derived:
      node = typed("number", field.description);
      break;
    case Kind::waits:
      node = {{"description", std::string(field.description)}, {"$ref", "#/$defs/waits"}};
      break;
    case Kind::hourly_counts:
    case Kind::hourly_derived:
      node = typed("array", field.description);
      node["items"] = {{"type", "number"}};
      node["minItems"] = hours;
      node["maxItems"] = hours;
      break;
    case Kind::series_counts:
      node = typed("array", field.description);
      node["items"] = {{"type", "number"}, {"minimum", 0}};
      break;
    case Kind::series_quantities:
    case Kind::series_derived:
    case Kind::series_axis:
      node = typed("array", field.description);
      node["items"] = {{"type", "number"}};
      break;
    case Kind::hourly_waits:
    case Kind::hourly_quantities:
    case Kind::series_waits:
      throw std::logic_error("an array of sketches is not reported");
    }
    // Series come with a window's bins (`series_bin_days` > 0): never required.
    const bool required = field.group == 0 && !per_bin(field.kind);
    // A dotted key nests: its parent is a closed object, required when the leaf is.
    ordered_json* parent = &schema;
    std::string_view key = field.key;
    for (std::size_t dot = key.find('.'); dot != std::string_view::npos; dot = key.find('.')) {
      const std::string name(key.substr(0, dot));
      ordered_json& properties = (*parent)["properties"];
      if (!properties.contains(name)) {
        properties[name] = closed_object();
        if (required) {
          (*parent)["required"].push_back(name);
        }
      }
      parent = &properties[name];
      key.remove_prefix(dot + 1);
    }
    (*parent)["properties"][std::string(key)] = std::move(node);
    if (!per_bin(field.kind) && (field.group == 0 || parent != &schema)) {
      // A nested leaf is in its object whenever the object is; the object goes with its group.
      (*parent)["required"].push_back(std::string(key));
    }
    if (!per_bin(field.kind) && field.group != 0) {
      const std::string top(field.key.substr(0, field.key.find('.')));
      auto& keys = by_group[field.group];
      if (std::find(keys.begin(), keys.end(), top) == keys.end()) {
        keys.push_back(top);
      }
    }
  });
  // The fields of an optional group come all together or not at all.
  ordered_json together = ordered_json::object();
  for (const auto& [bit, keys] : by_group) {
    for (const std::string& key : keys) {
      ordered_json others = ordered_json::array();
      for (const std::string& other : keys) {
        if (other != key) {
          others.push_back(other);
        }
      }
      if (!others.empty()) {
        together[key] = std::move(others);
      }
    }
  }
  if (!together.empty()) {
    schema["dependentRequired"] = std::move(together);
  }
  return schema;
}

} // namespace

ordered_json metrics_schema() {
  ordered_json waits = closed_object();
  waits["description"] = "a quantile sketch's statistics (within 0.5% of the exact nearest-rank "
                         "value); over replications max is the max of the maxima, the others means";
  for (const std::string_view statistic : wait_statistics) {
    waits["properties"][std::string(statistic)] = {{"type", "number"}, {"minimum", 0}};
    waits["required"].push_back(std::string(statistic));
  }
  ordered_json interval{
      {"type", "array"}, {"items", {{"type", "number"}}}, {"minItems", 2}, {"maxItems", 2}};
  ordered_json ci95 = closed_object();
  ci95["description"] = "95% intervals [low, high] over replications: Student-t of the mean; "
                        "for the quantiles of waits as quantile_interval says (by default "
                        "sectioning, about the quantile of the pooled waits)";
  for (const std::string& path : ci95_paths()) {
    ci95["properties"]["totals." + path] = {{"$ref", "#/$defs/interval"}};
    ci95["required"].push_back("totals." + path);
  }
  for (const std::string& path : ci95_paths(group::all)) {
    ci95["properties"]["totals." + path] = {{"$ref", "#/$defs/interval"}};
  }
  ordered_json warning = closed_object();
  warning["properties"] = {{"pointer", {{"type", "string"}}}, {"message", {{"type", "string"}}}};
  warning["required"] = {"pointer", "message"};
  ordered_json run = closed_object();
  run["properties"] = {{"events", {{"type", "integer"}, {"minimum", 0}}},
                       {"wall_s", {{"type", "number"}, {"minimum", 0}}},
                       {"events_per_s", {{"type", "number"}, {"minimum", 0}}},
                       {"jobs", {{"type", "integer"}, {"minimum", 1}}},
                       {"provenance", provenance_schema()}};
  run["required"] = {"events", "wall_s", "events_per_s", "jobs", "provenance"};
  ordered_json failure = closed_object();
  failure["properties"] = {{"replication", {{"type", "integer"}, {"minimum", 0}}},
                           {"error", {{"type", "string"}}}};
  failure["required"] = {"replication", "error"};

  ordered_json change = closed_object();
  change["properties"] = {
      {"set", typed("string", "the override as given: PATH=VALUE (or the --seed, --replications)")},
      {"pointer", typed("string", "the JSON pointer of a value it changed")},
      {"before", {{"description", "the value before (null: absent)"}}},
      {"after", {{"description", "the value after"}}}};
  change["required"] = {"set", "pointer", "before", "after"};
  ordered_json override_schema{
      {"description", "provenance: every value the overrides (--set, --seed, --replications) "
                      "changed, in the order applied; absent without overrides"},
      {"type", "array"},
      {"items", std::move(change)}};

  ordered_json schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                      {"$id", "https://h2sim.dev/metrics.schema.json"},
                      {"title", "h2sim metrics"},
                      {"description",
                       "What `h2sim run` writes, and each point's metrics in `h2sim sweep` (there "
                       "the point carries error). Counts are integers in one replication; over "
                       "replications every number is combined (README \"Metrics\")."}};
  ordered_json top = closed_object();
  top["properties"] = {
      {"h2sim_version", {{"type", "string"}}},
      {"scenario", {{"type", "string"}}},
      {"seed", {{"type", "integer"}, {"minimum", 0}}},
      {"replications", {{"type", "integer"}, {"minimum", 1}}},
      {"replication",
       {{"description", "run --replication K: the index K of the one replication run (its "
                        "random streams are those of replication K)"},
        {"type", "integer"},
        {"minimum", 0}}},
      {"horizon_days", {{"type", "number"}}},
      {"warmup_days", {{"type", "number"}}},
      {"warmup",
       {{"description", "warmup_days \"auto\": the warm-up each finished replication chose "
                        "(MSER-5 on batch means of 5 waits; warmup_days is their mean), and "
                        "whether it found a steady state"},
        {"type", "object"},
        {"properties",
         {{"method", {{"const", "MSER-5"}}},
          {"replication_days", {{"type", "array"}, {"items", {{"type", "number"}}}}},
          {"stable", {{"type", "array"}, {"items", {{"type", "boolean"}}}}}}},
        {"required", {"method", "replication_days", "stable"}},
        {"additionalProperties", false}}},
      {"open_stations", {{"type", "integer"}, {"minimum", 1}}},
      {"warnings", {{"type", "array"}, {"items", std::move(warning)}}},
      {"overrides", std::move(override_schema)},
      {"run", std::move(run)},
      {"error", typed("string", "which replications failed, and how")},
      {"replication_errors", {{"type", "array"}, {"items", std::move(failure)}}},
      {"totals", {{"$ref", "#/$defs/totals"}}},
      {"stations", {{"type", "array"}, {"items", {{"$ref", "#/$defs/station"}}}}},
      {"classes", {{"type", "array"}, {"items", {{"$ref", "#/$defs/class"}}}}},
      {"ci95", std::move(ci95)},
      {"quantile_interval",
       {{"description", "how ci95's intervals of the quantiles of waits were formed "
                        "(--quantile-interval, docs/statistics.md)"},
        {"enum",
         [] {
           ordered_json names = ordered_json::array();
           for (const auto& [name, method] : quantile_intervals_by_name()) {
             names.push_back(name);
           }
           return names;
         }()}}},
      {"precision",
       {{"description", "--until: per metric, the relative error asked for, the relative "
                        "half-width of its 95% interval reached, and whether that met Law and "
                        "Kelton's rule (at most relative / (1 + relative))"},
        {"type", "object"},
        {"additionalProperties",
         {{"type", "object"},
          {"properties",
           {{"relative", {{"type", "number"}}},
            {"achieved", {{"type", {"number", "null"}}}},
            {"reached", {{"type", "boolean"}}}}},
          {"required", {"relative", "achieved", "reached"}},
          {"additionalProperties", false}}}}},
      {"replication_totals",
       {{"description", "each finished replication's totals, in index order"},
        {"type", "array"},
        {"items", {{"$ref", "#/$defs/totals"}}}}}};
  top["required"] = {"h2sim_version", "scenario",      "seed",     "replications", "horizon_days",
                     "warmup_days",   "open_stations", "warnings", "run"};
  top["dependentRequired"] = {
      {"totals", {"stations"}},         {"stations", {"totals"}},
      {"classes", {"totals"}},          {"ci95", {"totals", "replication_totals"}},
      {"replication_totals", {"ci95"}}, {"error", {"replication_errors"}}};
  schema.update(top);
  ordered_json station = record_schema(station_fields(), Scope::stations, "id");
  ordered_json station_ci95 = closed_object();
  station_ci95["description"] = "with 2 or more replications: Student-t 95% intervals [low, "
                                "high] of the mean over replications of the station's fields "
                                "that totals have in ci95";
  for (const std::string& path : station_ci95_paths(group::all, 0)) {
    station_ci95["properties"][path] = {{"$ref", "#/$defs/interval"}};
  }
  station["properties"]["ci95"] = std::move(station_ci95);
  schema["$defs"] = {{"totals", record_schema(station_fields(), Scope::totals)},
                     {"station", std::move(station)},
                     {"class", record_schema(class_fields(), Scope::both, "name")},
                     {"waits", std::move(waits)},
                     {"interval", std::move(interval)}};
  return schema;
}

namespace {

/** What a field of `kind` is, how totals form it from the stations, how replications combine. */
struct KindText {
  const char* value;
  const char* over_stations;
  const char* over_replications;
};

KindText kind_text(Kind kind) {
  switch (kind) {
  case Kind::count:
    return {"a count", "sum", "mean"};
  case Kind::quantity:
    return {"a number", "sum", "mean"};
  case Kind::maximum:
    return {"a count", "max", "max of the maxima"};
  case Kind::minimum:
    return {"a number", "sum of the stations' minima", "min of the minima"};
  case Kind::waits:
    return {"`mean`, `p50`, `p90`, `p95`, `p99`, `max`", "the stations' sketches merged",
            "means; `max`: max of the maxima"};
  case Kind::hourly_counts:
    return {"24 counts", "sum, hour by hour", "mean, hour by hour"};
  case Kind::derived:
    return {"a number", "computed from the totals", "mean"};
  case Kind::hourly_derived:
    return {"24 numbers", "computed from the totals", "mean, hour by hour"};
  case Kind::series_counts:
    return {"a count per bin", "sum, bin by bin", "mean, bin by bin"};
  case Kind::series_quantities:
    return {"a number per bin", "sum, bin by bin", "mean, bin by bin"};
  case Kind::series_derived:
    return {"a number per bin", "computed from the totals' bins", "mean, bin by bin"};
  case Kind::series_axis:
    return {"a number per bin", "the same",
            "the earliest: the same in every replication unless warmup_days is \"auto\""};
  case Kind::hourly_waits:
  case Kind::hourly_quantities:
  case Kind::series_waits:
    break;
  }
  throw std::logic_error("an array of sketches is not reported");
}

std::string where(std::uint8_t field_group, Scope scope) {
  std::string text;
  switch (field_group) {
  case group::buffered:
    text = "stations with a buffer";
    break;
  case group::availability:
    text = "stations with `availability`";
    break;
  case group::supply:
    text = "stations with finite storage";
    break;
  case group::economics:
    text = "scenarios with `economics`";
    break;
  case group::closures:
    text = "stations with `availability` or ever out of service (`open_stations` events)";
    break;
  default:
    text = "always";
  }
  if (scope == Scope::stations) {
    text += ", stations only";
  } else if (scope == Scope::totals) {
    text += ", totals only";
  }
  return text;
}

/** Every reported field of `fields`, whatever its group and scope. */
template <class R> std::string table(const std::vector<Field<R>>& fields, bool with_totals) {
  std::string text = with_totals
                         ? "| key | value | where | totals | over replications | what it is "
                           "|\n|---|---|---|---|---|---|\n"
                         : "| key | value | over replications | what it is |\n|---|---|---|---|\n";
  for (const Field<R>& field : fields) {
    if (!field.reported) {
      continue;
    }
    const KindText kind = kind_text(field.kind);
    std::string over_stations = kind.over_stations;
    if (field.scope == Scope::stations) {
      over_stations = "not in totals";
    } else if (field.from_classes != nullptr) {
      over_stations = "sum over the classes";
    } else if (field.absent_adds != nullptr || field.absent_bin_adds != nullptr) {
      over_stations += "; stations without the group add their `dispensed_kg`";
    }
    text += "| `" + std::string(field.key) + "` | " + kind.value + " | ";
    if (with_totals) {
      text += where(field.group, field.scope) + " | " + over_stations + " | ";
    }
    text += std::string(kind.over_replications) + " | " + std::string(field.description) + " |\n";
  }
  return text;
}

} // namespace

std::string metrics_markdown() {
  std::string text =
      "# Metrics reference\n\n"
      "What `h2sim run` writes (and each point's `metrics` in `h2sim sweep`): a header repeating "
      "the scenario (`h2sim_version`, `scenario`, `seed`, `replications`, `horizon_days`, "
      "`warmup_days`, `open_stations`: the number of stations listed, those open at some time "
      "before the run ends, `warnings`), with `warmup_days` \"auto\" the warm-ups "
      "chosen `warmup` (`method`, `replication_days`, `stable`; `warmup_days` is then their "
      "mean), with overrides their provenance `overrides` "
      "(each `set` as given, the `pointer` it changed, the value `before` and `after`), the "
      "`run` block (`events`, `wall_s`, `events_per_s`, `jobs`, and `provenance`: the scenario "
      "text's `scenario_sha256`, `h2sim_version`, `git_commit`, `simgrid_version` and, from the "
      "command line, `command_line`: its arguments), with failed replications `error` "
      "and `replication_errors`, and "
      "the metrics below: `totals`, `stations[]` (each with its `id`) and, for fleets, "
      "`classes[]` (each with its `name`). `h2sim schema --metrics` prints the JSON Schema of the "
      "document.\n\n"
      "A vehicle belongs to the measurement window if it arrives in it. Every visit has one "
      "outcome, so the counts balance, in `totals` and each station: `arrivals` = `served` + "
      "`balked` + `reneged` + `diverted_closed` + `turned_away_stockout` + `waiting_at_end` "
      "(each where the station has it; `stranded` and `gave_up` count vehicles, not visits; "
      "tests/stress checks it). In one replication counts "
      "are integers. With 2 or more replications every number combines the replications' values "
      "as the column *over replications* says (so counts may be fractional, and a percentile is "
      "the mean of the replications' percentiles); `ci95` holds Student-t 95% intervals of the "
      "mean of";
  const auto& paths = ci95_paths();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    text += std::string(i == 0                  ? " "
                        : i + 1 == paths.size() ? " and "
                                                : ", ") +
            "`totals." + paths[i] + "`";
  }
  text += " (with `economics`, also";
  const std::vector<std::string> economics = ci95_paths(group::economics);
  for (std::size_t i = paths.size(); i < economics.size(); ++i) {
    text += std::string(i == paths.size()           ? " "
                        : i + 1 == economics.size() ? " and "
                                                    : ", ") +
            "`totals." + economics[i] + "`";
  }
  text += "), each station's `ci95` the intervals of its own values of the same fields (keyed "
          "without `totals.`: `stations[i].ci95[\"wait_min.p95\"]`), `quantile_interval` how "
          "the intervals of the quantiles of waits were formed (`--quantile-interval`, "
          "docs/statistics.md; `sectioning` by default: Student-t about the quantile of all "
          "the replications' waits pooled, not about their mean, so the value may lie outside "
          "its interval; `replications` where a replication kept no waits, `sectioning` for "
          "`batches` without daily bins), and `replication_totals` "
          "lists each finished replication's `totals` as it was. "
          "When an interval cannot be trusted (replications short against the slowest "
          "station's relaxation time, too little warm-up, fewer than 5 replications), "
          "`warnings` holds an entry whose `pointer` is `/ci95/totals.PATH` and whose message "
          "says what would be needed (docs/statistics.md), and one says when the mean of the "
          "replications' quantiles lies outside its interval (which is formed from the pooled "
          "waits); with one replication, a station offered at least as many fills as its "
          "dispensers can do gets one at `/stations/I` (the first such, the others counted); "
          "with any number of replications, so does the station with a `queue_capacity` "
          "offered most, when the visits that reached its queue times their mean fill reach "
          "its dispenser time (its queue stays bounded, so no interval warning says so, while "
          "the excess balks). "
          "These pointers are into this document (I counts in its `stations`, and the message "
          "names the station); the warnings about the scenario itself, from loading it, point "
          "into the scenario file, where a station's index may differ (the stations open at the "
          "start come first here); among them, a `--set` or a sweep point's `--vary` of a value "
          "that the scenario's events change during the run, at the pointer of what they "
          "change: its value holds only until they change it.\n\n"
          "## `totals` and `stations[]`\n\n"
          "A station reports the fields of its groups only; `totals` reports a group's fields "
          "when any station has the group. *totals* says how `totals` forms a field from the "
          "stations.\n\n";
  text += table(station_fields(), true);
  text += "\n### Series\n\n"
          "`series.daily` holds one value per bin of the measurement window, each key an array "
          "(`day`: the bin's first day counted from the start of the run, warm-up included, so "
          "it lines up with the scenario's `events`). Bins are `series_bin_days` wide (scenario "
          "key, or `--series none|daily|hourly` of run, sweep, size, compare and site for 0, 1 or "
          "1/24; "
          "default 1 day for a horizon of at most 400 days, 7 beyond; 0: no series), from "
          "the end of the warm-up; the last bin ends with the window and may be shorter (its "
          "`queue_mean` and `utilization` are over its own length). Visits count in the bin of "
          "their arrival (so do their waits), fills' hydrogen in the bin of their start, busy and "
          "waiting time where it falls; supply quantities are the tank's books at the bins' "
          "edges. Counts and kilograms of the bins add up to the window's field (kilograms up to "
          "the rounding of sums in another order). The bins chosen leave the window's metrics "
          "as they are, but for the last digits of continuous supply's figures (kilograms, "
          "kWh, and on-site production's stockout hours: a bin's edge credits the inflow so "
          "far, and so adds in another order); a pipeline's dry spell ends where the model "
          "looks, not at a bin's edge. In `run --table` "
          "CSVs they are the `series` rows (`index` the bin); `sweep --table` leaves them "
          "out.\n\n"
          "The `hourly` fields are by hour of day over the whole window (0 = midnight, hours "
          "counted from the start of the run) and always present, whatever the series: "
          "`arrivals` and waits by the hour of arrival, `utilization` and `queue_mean` by the "
          "hour in which the busy and waiting time fell. Weighted by the window's minutes in each "
          "hour (equal weights when the window is whole days), the 24 values of `utilization` "
          "and `queue_mean` average exactly to the window's `utilization` and `queue_mean`.\n";
  text += "\n## `classes[]`\n\n"
          "Fleets only: one record per vehicle class, in the scenario's order.\n\n";
  text += table(class_fields(), false);
  text += "\nWaits come from a log-bucketed quantile sketch within 0.5% of the exact nearest-rank "
          "value, in constant memory.\n\nGenerated by `h2sim schema --metrics --markdown` from "
          "the metric declarations in `lib/src/report/fields.cpp`.\n";
  return text;
}

} // namespace h2sim::report

namespace h2sim {

nlohmann::ordered_json changes_json(const std::vector<Change>& changes) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Change& change : changes) {
    list.push_back(
        {{"set", change.set},
         {"pointer", change.pointer},
         {"before", change.before.empty() ? nlohmann::ordered_json()
                                          : nlohmann::ordered_json::parse(change.before)},
         {"after", nlohmann::ordered_json::parse(change.after)}});
  }
  return list;
}

std::string precision_shortfall(double relative, double achieved, std::size_t replications,
                                std::size_t max_replications) {
  const auto brief = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return std::string(text);
  };
  return "relative half-width " + brief(achieved) + " after " + std::to_string(replications) +
         " replications, above the " + brief(relative / (1 + relative)) +
         " that a relative error of " + brief(relative) +
         " needs (relative / (1 + relative); --max-replications " +
         std::to_string(max_replications) + ")";
}

} // namespace h2sim
