#include "../report/document.hpp"

#include <h2sim/experiments.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace h2sim {

using nlohmann::ordered_json;

SweepAxis parse_sweep_axis(const std::string& text) {
  const std::optional<Override> split = parse_override(text);
  if (!split || split->value.empty()) {
    throw ExperimentError("expected PATH=V1,V2,... or PATH=FROM:TO:STEP");
  }
  SweepAxis axis{split->path, {}};
  const std::string list = split->value;
  if (list.find(',') == std::string::npos && std::count(list.begin(), list.end(), ':') == 2) {
    double from = 0;
    double to = 0;
    double step = 0;
    char colon1 = 0;
    char colon2 = 0;
    std::istringstream in(list);
    const bool numeric =
        static_cast<bool>(in >> from >> colon1 >> to >> colon2 >> step) && in.eof();
    if (!numeric) {
      return SweepAxis{axis.path, {list}}; // a single value that happens to contain colons
    }
    if (step <= 0 || to < from) {
      throw ExperimentError("a range is FROM:TO:STEP with FROM <= TO, STEP > 0");
    }
    const double count = std::floor((to - from) / step * (1 + 1e-12)) + 1;
    if (count > 10000) {
      throw ExperimentError("more than 10000 values");
    }
    for (double k = 0; k < count; ++k) {
      // from + k * step, not a running sum, and printed with 12 significant digits, so that
      // 0:1:0.1 gives 0.3, not 0.30000000000000004.
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.12g", from + k * step);
      axis.values.push_back(buffer);
    }
    return axis;
  }
  std::istringstream in(list);
  for (std::string value; std::getline(in, value, ',');) {
    axis.values.push_back(value);
  }
  return axis;
}

namespace {

/** A value given on the command line as JSON text, else as a string. */
ordered_json json_value(const std::string& text) {
  try {
    return ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error&) {
    return text;
  }
}

} // namespace

std::vector<SweepPoint> sweep_points(const std::vector<SweepAxis>& axes) {
  std::vector<SweepPoint> points{{{}, ordered_json::object(), ""}};
  for (const SweepAxis& axis : axes) {
    std::vector<SweepPoint> next;
    for (const SweepPoint& point : points) {
      for (const std::string& value : axis.values) {
        SweepPoint extended = point;
        extended.sets.push_back(axis.path + "=" + value);
        extended.set[axis.path] = json_value(value);
        extended.name += (point.sets.empty() ? "" : ", ") + axis.path + "=" + value;
        next.push_back(std::move(extended));
      }
    }
    points = std::move(next);
  }
  return points;
}

ordered_json sweep_document(const std::vector<SweepPoint>& points,
                            const std::vector<Metrics>& metrics) {
  ordered_json out{{"points", ordered_json::array()}};
  for (std::size_t p = 0; p < points.size(); ++p) {
    ordered_json point{{"set", points[p].set}};
    ordered_json document = report::document(metrics.at(p).data(), false);
    if (const std::string error = metrics[p].error(); !error.empty()) {
      // The point says it failed; its metrics keep the list (replication_errors).
      point["error"] = error;
    }
    point["metrics"] = std::move(document);
    out["points"].push_back(std::move(point));
  }
  return out;
}

namespace {

using Cells = std::vector<std::pair<std::string, std::string>>;

/** `prefix.key.sub` = value for every number and string below `value`, in document order. */
void flatten(const ordered_json& value, const std::string& prefix, Cells& cells) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      flatten(child, prefix.empty() ? key : prefix + "." + key, cells);
    }
  } else if (value.is_string()) {
    cells.emplace_back(prefix, value.get<std::string>());
  } else if (!value.is_array()) {
    cells.emplace_back(prefix, value.dump());
  }
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

} // namespace

std::string sweep_table(const std::vector<SweepPoint>& points,
                        const std::vector<Metrics>& metrics) {
  std::vector<std::string> header{"point"};
  std::vector<Cells> rows;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const report::Aggregate& aggregate = metrics.at(p).data().aggregate;
    Cells key{{"point", std::to_string(p)}};
    flatten(points[p].set, "", key);
    const std::string error = metrics[p].error();
    const auto add_row = [&](const report::RecordValues* totals, bool integers,
                             const std::string& replication, bool with_intervals, bool last) {
      Cells row = key;
      row.emplace_back("replication", replication);
      if (totals != nullptr) {
        for (auto& cell : report::totals_cells(*totals, integers)) {
          row.push_back(std::move(cell));
        }
      }
      if (with_intervals) {
        for (const auto& [path, bounds] : aggregate.intervals()) {
          row.emplace_back("totals." + path + ".ci95_low", ordered_json(bounds.first).dump());
          row.emplace_back("totals." + path + ".ci95_high", ordered_json(bounds.second).dump());
        }
      }
      if (last && !error.empty()) {
        row.emplace_back("error", error);
      }
      rows.push_back(std::move(row));
    };
    const std::vector<std::size_t>& finished = aggregate.finished_indices();
    if (finished.size() > 1) {
      const std::vector<report::RecordValues>& totals = aggregate.replication_totals();
      for (std::size_t r = 0; r < totals.size(); ++r) {
        add_row(&totals[r], true, std::to_string(finished.at(r)), false, false);
      }
      const report::ReplicationValues combined = aggregate.combined();
      add_row(&combined.totals, false, "", true, true);
    } else if (finished.size() == 1) {
      add_row(&aggregate.only().totals, true, std::to_string(finished.front()), false, true);
    } else {
      add_row(nullptr, false, "", false, true);
    }
  }
  for (const Cells& row : rows) {
    for (const auto& [column, value] : row) {
      if (column != "error" && std::find(header.begin(), header.end(), column) == header.end()) {
        header.push_back(column);
      }
    }
  }
  for (const Cells& row : rows) {
    if (std::any_of(row.begin(), row.end(),
                    [](const auto& cell) { return cell.first == "error"; })) {
      header.push_back("error");
      break;
    }
  }
  std::string csv;
  for (std::size_t c = 0; c < header.size(); ++c) {
    csv += (c ? "," : "") + csv_cell(header[c]);
  }
  csv += "\n";
  for (const Cells& row : rows) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      std::string cell;
      for (const auto& [column, value] : row) {
        if (column == header[c]) {
          cell = value;
        }
      }
      csv += (c ? "," : "") + csv_cell(cell);
    }
    csv += "\n";
  }
  return csv;
}

SizeRange parse_size_range(const std::string& text) {
  SizeRange range;
  char colon = 0;
  std::istringstream in(text);
  if (!(in >> range.from >> colon >> range.to) || colon != ':' || !in.eof() ||
      range.to < range.from) {
    throw ExperimentError("expected FROM:TO with integers FROM <= TO");
  }
  return range;
}

SizeTarget parse_size_target(const std::string& text) {
  const auto op = text.find_first_of("<>");
  if (op == std::string::npos || op + 1 >= text.size() || text[op + 1] != '=' ||
      text.compare(0, 7, "totals.") != 0) {
    throw ExperimentError("expected totals.METRIC<=VALUE or totals.METRIC>=VALUE");
  }
  SizeTarget target{text, text.substr(0, op), text[op] == '<', 0};
  try {
    std::size_t used = 0;
    const std::string bound = text.substr(op + 2);
    target.bound = std::stod(bound, &used);
    if (used != bound.size()) {
      throw std::invalid_argument(bound);
    }
  } catch (const std::exception&) {
    throw ExperimentError("the bound is not a number");
  }
  return target;
}

ordered_json size(const std::string& param, const SizeRange& range, const SizeTarget& target,
                  const std::function<Metrics(long long value)>& evaluate) {
  std::string pointer = "/" + target.metric;
  std::replace(pointer.begin(), pointer.end(), '.', '/');
  const ordered_json::json_pointer where(pointer);
  const ordered_json::json_pointer in_totals(pointer.substr(7));

  std::map<long long, ordered_json> evaluated;
  const auto holds = [&](long long value) {
    auto it = evaluated.find(value);
    if (it == evaluated.end()) {
      const Metrics metrics = evaluate(value);
      if (const std::string error = metrics.error(); !error.empty()) {
        // The search needs every evaluation whole: stop, naming what failed.
        throw RunError(param + " = " + std::to_string(value) + ": " + error);
      }
      const ordered_json document = metrics.json();
      std::vector<double> values;
      for (const auto& totals : document["replication_totals"]) {
        if (!totals.contains(in_totals)) {
          throw ExperimentError("the metrics have no " + target.metric);
        }
        values.push_back(totals.at(in_totals));
      }
      const auto [low, high] = ci95(values);
      const bool ok = target.at_most ? high <= target.bound : low >= target.bound;
      ordered_json evaluation{{"value", value},
                              {"mean", document.at(where)},
                              {"ci95", {low, high}},
                              {"holds", ok},
                              {"totals", document["totals"]}};
      it = evaluated.emplace(value, std::move(evaluation)).first;
    }
    return it->second["holds"].get<bool>();
  };
  // Bisection for the smallest passing value, assuming the target, once met, stays met.
  std::optional<long long> answer;
  if (holds(range.to)) {
    long long low = range.from;
    long long high = range.to;
    while (low < high) {
      const long long mid = low + (high - low) / 2;
      if (holds(mid)) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    answer = high;
  }
  ordered_json out{{"parameter", param},
                   {"target", target.text},
                   {"confidence", 0.95},
                   {"answer", answer ? ordered_json(*answer) : nullptr},
                   {"evaluations", ordered_json::array()}};
  for (auto& [value, evaluation] : evaluated) {
    out["evaluations"].push_back(std::move(evaluation));
  }
  return out;
}

namespace {

/** Every number under `value` as (dotted path, number), in document order. */
void numbers_of(const ordered_json& value, const std::string& path,
                std::vector<std::pair<std::string, double>>& out) {
  if (value.is_number()) {
    out.emplace_back(path, value.get<double>());
  } else if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      numbers_of(child, path + "." + key, out);
    }
  }
}

/** The finished replications' indices, in order. */
std::vector<std::size_t> finished_indices(const Metrics& metrics, std::size_t replications) {
  std::vector<bool> failed(replications, false);
  for (const ReplicationFailure& failure : metrics.failures()) {
    failed[failure.replication] = true;
  }
  std::vector<std::size_t> indices;
  for (std::size_t r = 0; r < replications; ++r) {
    if (!failed[r]) {
      indices.push_back(r);
    }
  }
  return indices;
}

} // namespace

ordered_json compare_document(const std::vector<std::string>& labels,
                              const std::vector<Metrics>& metrics) {
  std::vector<ordered_json> documents;
  for (const Metrics& m : metrics) {
    documents.push_back(m.json());
  }
  const std::size_t replications = documents.front()["replications"].get<std::size_t>();
  // values[s][r] = replication r's totals of scenario s by path, for those finished.
  std::vector<std::map<std::size_t, std::map<std::string, double>>> values(metrics.size());
  for (std::size_t s = 0; s < metrics.size(); ++s) {
    const std::vector<std::size_t> finished = finished_indices(metrics[s], replications);
    for (std::size_t i = 0; i < finished.size(); ++i) {
      std::vector<std::pair<std::string, double>> numbers;
      numbers_of(documents[s]["replication_totals"][i], "totals", numbers);
      values[s][finished[i]] = {numbers.begin(), numbers.end()};
    }
  }
  ordered_json rows = ordered_json::array();
  std::vector<std::pair<std::string, double>> means;
  numbers_of(documents.front()["totals"], "totals", means);
  for (std::size_t k = 0; k < means.size(); ++k) {
    const std::string& path = means[k].first;
    const ordered_json::json_pointer pointer = [&] {
      std::string text = "/" + path;
      std::replace(text.begin(), text.end(), '.', '/');
      return ordered_json::json_pointer(text);
    }();
    ordered_json row{{"metric", path}, {"means", ordered_json::array()}};
    for (const ordered_json& document : documents) {
      row["means"].push_back(document.contains(pointer) ? document.at(pointer) : ordered_json());
    }
    ordered_json differences = ordered_json::array();
    for (std::size_t s = 1; s < metrics.size(); ++s) {
      std::vector<double> a;
      std::vector<double> b;
      std::vector<double> paired;
      std::size_t both = 0; // replications finished in both
      for (const auto& [r, first] : values.front()) {
        const auto other = values[s].find(r);
        if (other == values[s].end()) {
          continue;
        }
        ++both;
        const auto x = first.find(path);
        const auto y = other->second.find(path);
        if (x != first.end() && y != other->second.end()) {
          a.push_back(x->second);
          b.push_back(y->second);
          paired.push_back(y->second - x->second);
        }
      }
      if (both < 2) {
        throw ExperimentError(labels[s] + " and " + labels.front() +
                              ": fewer than 2 replications finished in both");
      }
      if (paired.size() < 2) {
        differences.push_back({{"scenario", labels[s]}, {"mean", nullptr}}); // not in both
        continue;
      }
      double mean = 0;
      for (double d : paired) {
        mean += d;
      }
      mean /= static_cast<double>(paired.size());
      const auto [low, high] = ci95(paired);
      const auto [unpaired_low, unpaired_high] = welch_ci95(a, b);
      differences.push_back({{"scenario", labels[s]},
                             {"mean", mean},
                             {"ci95", {low, high}},
                             {"unpaired_ci95", {unpaired_low, unpaired_high}},
                             {"significant", low > 0 || high < 0}});
    }
    row["differences"] = std::move(differences);
    rows.push_back(std::move(row));
  }
  ordered_json scenarios = ordered_json::array();
  for (std::size_t s = 0; s < metrics.size(); ++s) {
    scenarios.push_back({{"label", labels[s]}, {"metrics", std::move(documents[s])}});
  }
  return {{"compare", labels},
          {"seed", scenarios.front()["metrics"]["seed"]},
          {"replications", replications},
          {"metrics", std::move(rows)},
          {"scenarios", std::move(scenarios)}};
}

} // namespace h2sim
