// A run's metrics document as one long, tidy CSV table (`run --table`, README "Using it").
#include "../core/csv.hpp"

#include <h2sim/experiments.hpp>

#include <string>

namespace h2sim {

namespace {

using nlohmann::ordered_json;

std::string text_of(const ordered_json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.is_null() ? std::string() : value.dump();
}

struct Row {
  std::string table;
  std::string id;
  std::string kind;
  std::string replication;
};

class Writer {
public:
  Writer() { csv_ = "table,id,kind,replication,index,metric,value\n"; }

  void line(const Row& row, const std::string& index, const std::string& metric,
            const ordered_json& value) {
    for (const std::string& field :
         {row.table, row.id, row.kind, row.replication, index, metric, text_of(value)}) {
      csv_ += csv_cell(field);
      csv_ += ',';
    }
    csv_.back() = '\n';
  }

  /**
   * The numbers of `values` under `row`: scalars in its table, arrays (hourly, series) one row
   * per item in the table named by their first key, with the item's index.
   */
  void record(const ordered_json& values, const Row& row, const std::string& prefix = "") {
    for (const auto& [key, value] : values.items()) {
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      if (prefix.empty() && (key == "id" || key == "name")) {
        continue;
      }
      if (prefix.empty() && key == "ci95" && value.is_object()) {
        intervals(value, row); // a station's own intervals
        continue;
      }
      if (value.is_object()) {
        record(value, row, path);
      } else if (value.is_array()) {
        Row in = row;
        in.table = path.substr(0, path.find('.'));
        for (std::size_t i = 0; i < value.size(); ++i) {
          line(in, std::to_string(i), path, value[i]);
        }
      } else {
        line(row, "", path, value);
      }
    }
  }

  /** The intervals of `ci95` ({"metric": [low, high]}) of `row`'s record, as two kinds. */
  void intervals(const ordered_json& ci95, const Row& row) {
    for (const auto& [metric, interval] : ci95.items()) {
      line({row.table, row.id, "ci95_low", ""}, "", metric, interval.at(0));
      line({row.table, row.id, "ci95_high", ""}, "", metric, interval.at(1));
    }
  }

  std::string take() { return std::move(csv_); }

private:
  std::string csv_;
};

} // namespace

std::string metrics_table(const nlohmann::ordered_json& metrics) {
  Writer out;
  const bool combined = metrics.contains("replication_totals");
  const std::string kind = combined ? "mean" : "value";
  if (metrics.contains("totals")) {
    out.record(metrics["totals"], {"totals", "", kind, ""});
  }
  if (metrics.contains("ci95")) {
    for (const auto& [key, interval] : metrics["ci95"].items()) {
      const std::size_t dot = key.find('.');
      const Row low{key.substr(0, dot), "", "ci95_low", ""};
      const Row high{key.substr(0, dot), "", "ci95_high", ""};
      out.line(low, "", key.substr(dot + 1), interval.at(0));
      out.line(high, "", key.substr(dot + 1), interval.at(1));
    }
  }
  if (combined) {
    const ordered_json& replications = metrics["replication_totals"];
    for (std::size_t r = 0; r < replications.size(); ++r) {
      out.record(replications[r], {"totals", "", "replication", std::to_string(r)});
    }
  }
  for (const char* list : {"stations", "classes"}) {
    if (!metrics.contains(list)) {
      continue;
    }
    for (const ordered_json& item : metrics[list]) {
      const std::string id = item.contains("id") ? text_of(item["id"]) : item.value("name", "");
      out.record(item, {list, id, kind, ""});
    }
  }
  return out.take();
}

} // namespace h2sim
