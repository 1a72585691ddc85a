#include "aggregate.hpp"

#include <h2sim/h2sim.hpp>

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>

namespace h2sim::report {

using nlohmann::ordered_json;

namespace {
enum class Across { mean, max, min };

Across across(const std::string& key) {
  if (key == "max" || key == "queue_max") {
    return Across::max;
  }
  return key == "inventory_min_kg" ? Across::min : Across::mean;
}

ordered_json combine(const std::vector<const ordered_json*>& documents, Across how);
} // namespace

ordered_json mean_of(const std::vector<const ordered_json*>& documents) {
  return combine(documents, Across::mean);
}

namespace {
ordered_json combine(const std::vector<const ordered_json*>& documents, Across how) {
  const ordered_json& first = *documents.front();
  if (first.is_number()) {
    double result = how == Across::mean ? 0.0 : first.get<double>();
    for (const ordered_json* document : documents) {
      const double value = document->get<double>();
      result = how == Across::max   ? std::max(result, value)
               : how == Across::min ? std::min(result, value)
                                    : result + value;
    }
    return how == Across::mean ? result / static_cast<double>(documents.size()) : result;
  }
  if (first.is_object()) {
    ordered_json result = ordered_json::object();
    for (const auto& [key, value] : first.items()) {
      std::vector<const ordered_json*> children;
      for (const ordered_json* document : documents) {
        children.push_back(&document->at(key));
      }
      result[key] = combine(children, across(key));
    }
    return result;
  }
  if (first.is_array()) {
    ordered_json result = ordered_json::array();
    for (std::size_t i = 0; i < first.size(); ++i) {
      std::vector<const ordered_json*> children;
      for (const ordered_json* document : documents) {
        children.push_back(&document->at(i));
      }
      result.push_back(combine(children, how));
    }
    return result;
  }
  return first;
}
} // namespace

} // namespace h2sim::report

namespace h2sim {

std::pair<double, double> ci95(const std::vector<double>& values) {
  const auto n = static_cast<double>(values.size());
  double mean = 0;
  for (double v : values) {
    mean += v;
  }
  mean /= n;
  double squares = 0;
  for (double v : values) {
    squares += (v - mean) * (v - mean);
  }
  const double sd = std::sqrt(squares / (n - 1));
  const boost::math::students_t t(n - 1);
  const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * sd / std::sqrt(n);
  return {mean - half, mean + half};
}

} // namespace h2sim

namespace h2sim::report {

const std::vector<std::string>& ci95_paths() {
  static const std::vector<std::string> paths{
      "totals.wait_min.mean", "totals.wait_min.p95", "totals.wait_min.p99", "totals.utilization",
      "totals.queue_mean",    "totals.arrivals",     "totals.served",       "totals.balked",
      "totals.dispensed_kg"};
  return paths;
}

ordered_json combine_replications(const std::vector<ordered_json>& replications) {
  if (replications.size() == 1) {
    return replications.front();
  }
  std::vector<const ordered_json*> documents;
  for (const ordered_json& replication : replications) {
    documents.push_back(&replication);
  }
  ordered_json result = mean_of(documents);
  ordered_json intervals = ordered_json::object();
  for (const std::string& path : ci95_paths()) {
    std::string pointer = "/" + path;
    for (char& c : pointer) {
      c = c == '.' ? '/' : c;
    }
    std::vector<double> values;
    for (const ordered_json& replication : replications) {
      values.push_back(replication.at(ordered_json::json_pointer(pointer)).get<double>());
    }
    const auto [low, high] = ci95(values);
    intervals[path] = {low, high};
  }
  result["ci95"] = std::move(intervals);
  ordered_json totals = ordered_json::array();
  for (const ordered_json& replication : replications) {
    totals.push_back(replication.at("totals"));
  }
  result["replication_totals"] = std::move(totals);
  return result;
}

} // namespace h2sim::report
