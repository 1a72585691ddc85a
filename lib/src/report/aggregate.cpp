#include "aggregate.hpp"

#include <h2sim/h2sim.hpp>

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace h2sim {

const std::map<std::string, QuantileInterval>& quantile_intervals_by_name() {
  static const std::map<std::string, QuantileInterval> names{
      {"replications", QuantileInterval::replications},
      {"sectioning", QuantileInterval::sectioning},
      {"jackknife", QuantileInterval::jackknife},
      {"batches", QuantileInterval::batches}};
  return names;
}

namespace {
/** A sample's size, mean and sum of squared deviations from the mean. */
struct Sample {
  double n;
  double mean;
  double squares;
};
Sample sample_of(const std::vector<double>& values) {
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
  return {n, mean, squares};
}
} // namespace

std::pair<double, double> ci95(const std::vector<double>& values) {
  const auto [n, mean, squares] = sample_of(values);
  const double sd = std::sqrt(squares / (n - 1));
  const boost::math::students_t t(n - 1);
  const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * sd / std::sqrt(n);
  return {mean - half, mean + half};
}

std::pair<double, double> welch_ci95(const std::vector<double>& a, const std::vector<double>& b) {
  const Sample x = sample_of(a);
  const Sample y = sample_of(b);
  const double var_a = x.squares / (x.n - 1) / x.n; // the variances of the two means
  const double var_b = y.squares / (y.n - 1) / y.n;
  const double difference = y.mean - x.mean;
  const double variance = var_a + var_b;
  if (variance <= 0) {
    return {difference, difference};
  }
  // Welch-Satterthwaite degrees of freedom.
  const double df = variance * variance / (var_a * var_a / (x.n - 1) + var_b * var_b / (y.n - 1));
  const boost::math::students_t t(df);
  const double half =
      boost::math::quantile(boost::math::complement(t, 0.025)) * std::sqrt(variance);
  return {difference - half, difference + half};
}

} // namespace h2sim

namespace h2sim::report {

const std::vector<std::string>& ci95_paths() {
  static const std::vector<std::string> paths{"wait_min.mean", "wait_min.p50", "wait_min.p90",
                                              "wait_min.p95",  "wait_min.p99", "utilization",
                                              "queue_mean",    "arrivals",     "served",
                                              "balked",        "dispensed_kg"};
  return paths;
}

std::vector<std::string> ci95_paths(std::uint8_t groups) {
  std::vector<std::string> paths = ci95_paths();
  for_each_reported(station_fields(), groups, Scope::totals, false,
                    [&](const Field<StationTally>& field) {
                      if (field.interval) {
                        paths.emplace_back(field.key);
                      }
                    });
  return paths;
}

namespace {

/** Adds one replication's record into the running one, leaf by leaf by how it combines. */
void fold_record(RecordValues& into, const RecordValues& from, const std::vector<Leaf>& layout,
                 bool first) {
  if (first) {
    into.groups = from.groups;
    into.bins = from.bins;
    into.leaves.assign(from.leaves.size(), 0.0);
    for (std::size_t i = 0; i < layout.size(); ++i) {
      if (layout[i].combine != Combine::mean) {
        into.leaves[i] = from.leaves[i]; // a max or min starts at the first replication's
      }
    }
  } else if (into.groups != from.groups || into.bins != from.bins ||
             into.leaves.size() != from.leaves.size()) {
    throw std::logic_error("replications of one scenario report different fields");
  }
  for (std::size_t i = 0; i < layout.size(); ++i) {
    double& value = into.leaves[i];
    switch (layout[i].combine) {
    case Combine::mean:
      value += from.leaves[i];
      break;
    case Combine::max:
      value = std::max(value, from.leaves[i]);
      break;
    case Combine::min:
      value = std::min(value, from.leaves[i]);
      break;
    }
  }
}

void divide_means(RecordValues& record, const std::vector<Leaf>& layout, double n) {
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i].combine == Combine::mean) {
      record.leaves[i] /= n;
    }
  }
}

} // namespace

bool Aggregate::known(std::size_t r) const {
  return r < next_ || early_.contains(r) || failures_.contains(r);
}

void Aggregate::finished(std::size_t r, ReplicationValues values) {
  if (r >= replications_ || known(r)) {
    return;
  }
  early_.emplace(r, std::move(values));
  advance();
}

void Aggregate::failed(std::size_t r, std::string error) {
  if (r >= replications_ || known(r)) {
    return;
  }
  failures_.emplace(r, std::move(error));
  advance();
}

void Aggregate::advance() {
  while (next_ < replications_) {
    if (failures_.contains(next_)) {
      ++next_;
      continue;
    }
    const auto early = early_.find(next_);
    if (early == early_.end()) {
      return;
    }
    fold(early->second);
    finished_.push_back(next_);
    early_.erase(early);
    ++next_;
  }
}

void Aggregate::fold(const ReplicationValues& values) {
  const bool first = !first_.has_value();
  if (first) {
    first_ = values;
  } else if (values.stations.size() != first_->stations.size() ||
             values.classes.size() != first_->classes.size()) {
    throw std::logic_error("replications of one scenario report different stations or classes");
  }
  fold_record(sums_.totals, values.totals,
              station_layout(values.totals.groups, Scope::totals, values.totals.bins), first);
  sums_.stations.resize(values.stations.size());
  for (std::size_t i = 0; i < values.stations.size(); ++i) {
    fold_record(sums_.stations[i], values.stations[i],
                station_layout(values.stations[i].groups, Scope::stations, values.stations[i].bins),
                first);
  }
  sums_.classes.resize(values.classes.size());
  for (std::size_t i = 0; i < values.classes.size(); ++i) {
    fold_record(sums_.classes[i], values.classes[i], class_layout(), first);
  }
  unserved_.resize(values.stations.size(), 0);
  undispensed_.resize(values.stations.size(), 0);
  for (std::size_t i = 0; i < values.stations.size(); ++i) {
    const RecordValues& station = values.stations[i];
    const std::vector<Leaf>& layout = station_layout(station.groups, Scope::stations, station.bins);
    // Both are scalars near the front of the layout: the scan stops at the second.
    int found = 0;
    bool unserved = false;
    bool undispensed = false;
    for (std::size_t j = 0; j < layout.size() && j < station.leaves.size() && found < 2; ++j) {
      if (layout[j].path == "served") {
        ++found;
        unserved = station.leaves[j] == 0;
      } else if (layout[j].path == "dispensed_kg") {
        ++found;
        undispensed = station.leaves[j] == 0;
      }
    }
    unserved_[i] += unserved ? 1U : 0U;
    undispensed_[i] += unserved || undispensed ? 1U : 0U;
  }
  const auto deviate =
      [&](std::vector<RecordValues>& deviations, std::vector<RecordValues>& squares,
          const std::vector<RecordValues>& records, const std::vector<RecordValues>& firsts) {
        deviations.resize(records.size());
        squares.resize(records.size());
        for (std::size_t i = 0; i < records.size(); ++i) {
          const std::vector<double>& x = records[i].leaves;
          deviations[i].leaves.resize(x.size(), 0.0);
          squares[i].leaves.resize(x.size(), 0.0);
          for (std::size_t j = 0; j < x.size(); ++j) {
            const double d = x[j] - firsts[i].leaves[j];
            deviations[i].leaves[j] += d;
            squares[i].leaves[j] += d * d;
          }
        }
      };
  deviate(deviations_.stations, squares_.stations, values.stations, first_->stations);
  deviate(deviations_.classes, squares_.classes, values.classes, first_->classes);
  totals_.push_back(values.totals);
  warmups_.push_back(values.warmup);
  if (!values.waits) {
    carried_waits_ = false;
    pooled_.reset();
    waits_.clear();
  } else if (carried_waits_) {
    if (!pooled_) {
      pooled_ = QuantileSketch();
    }
    pooled_->merge(*values.waits);
    if (quantiles_ == QuantileInterval::jackknife) {
      waits_.push_back(*values.waits);
    }
  }
  events_ += values.events;
  simulation_s_ += values.wall_s;
}

const ReplicationValues& Aggregate::only() const {
  if (finished_.size() != 1) {
    throw std::logic_error("only(): not exactly one replication finished");
  }
  return *first_;
}

ReplicationValues Aggregate::combined() const {
  if (finished_.size() < 2) {
    throw std::logic_error("combined(): fewer than two replications finished");
  }
  const auto n = static_cast<double>(finished_.size());
  ReplicationValues result = sums_;
  divide_means(result.totals,
               station_layout(result.totals.groups, Scope::totals, result.totals.bins), n);
  for (RecordValues& station : result.stations) {
    divide_means(station, station_layout(station.groups, Scope::stations, station.bins), n);
  }
  for (RecordValues& vehicle_class : result.classes) {
    divide_means(vehicle_class, class_layout(), n);
  }
  result.events = events_;
  result.wall_s = simulation_s_;
  return result;
}

std::pair<double, double> Aggregate::record_interval(bool classes, std::size_t record,
                                                     std::size_t leaf) const {
  if (finished_.size() < 2) {
    throw std::logic_error("record_interval(): fewer than two replications finished");
  }
  const auto n = static_cast<double>(finished_.size());
  const RecordValues& first = (classes ? first_->classes : first_->stations).at(record);
  const double shift =
      (classes ? deviations_.classes : deviations_.stations).at(record).leaves.at(leaf);
  const double squares =
      (classes ? squares_.classes : squares_.stations).at(record).leaves.at(leaf);
  const double mean = first.leaves.at(leaf) + shift / n;
  const double sd = std::sqrt(std::max(0.0, squares - shift * shift / n) / (n - 1));
  const boost::math::students_t t(n - 1);
  const double half = boost::math::quantile(boost::math::complement(t, 0.025)) * sd / std::sqrt(n);
  return {mean - half, mean + half};
}

namespace {
/** The q of a quantile of waits ("wait_min.p95": 0.95), or 0 for any other path. */
double quantile_of(const std::string& path) {
  static const std::string prefix = "wait_min.p";
  if (!path.starts_with(prefix) || path.size() != prefix.size() + 2) {
    return 0;
  }
  return std::stod(path.substr(prefix.size())) / 100;
}

double t_975(double df) {
  return boost::math::quantile(boost::math::complement(boost::math::students_t(df), 0.025));
}

/** `pooled` without `out`'s counts (a sketch merged into it). */
QuantileSketch without(const QuantileSketch& pooled, const QuantileSketch& out) {
  QuantileSketch::Parts all = pooled.parts();
  const QuantileSketch::Parts one = out.parts();
  all.zeros -= one.zeros;
  all.sum -= one.sum;
  for (std::size_t i = 0; i < one.buckets.size(); ++i) {
    const auto at = static_cast<std::size_t>(one.min_index - all.min_index) + i;
    all.buckets[at] -= one.buckets[i];
  }
  return QuantileSketch::from_parts(std::move(all));
}
} // namespace

std::pair<double, double> sectioning_ci95(double pooled, const std::vector<double>& sections) {
  const auto n = static_cast<double>(sections.size());
  double squares = 0;
  for (double v : sections) {
    squares += (v - pooled) * (v - pooled);
  }
  const double half = t_975(n - 1) * std::sqrt(squares / (n - 1) / n);
  return {pooled - half, pooled + half};
}

std::pair<double, double> jackknife_ci95(double pooled, const std::vector<double>& left_out) {
  const auto n = static_cast<double>(left_out.size());
  std::vector<double> pseudo;
  for (double v : left_out) {
    pseudo.push_back(n * pooled - (n - 1) * v);
  }
  return ci95(pseudo);
}

namespace {
/** The leaf at `path` of a totals record, if it reports one. */
std::optional<double> totals_leaf(const RecordValues& totals, const std::string& path) {
  const std::vector<Leaf>& layout = station_layout(totals.groups, Scope::totals, totals.bins);
  const auto leaf =
      std::find_if(layout.begin(), layout.end(), [&](const Leaf& l) { return l.path == path; });
  if (leaf == layout.end()) {
    return std::nullopt;
  }
  return totals.leaves[static_cast<std::size_t>(leaf - layout.begin())];
}
} // namespace

bool Aggregate::daily_bins() const {
  // Bins shorter than a day are not batches of the method: the hours of a day are alike by the
  // demand's profile, and an hour's p95 says little of a day's (no sketch per day to pool them).
  if (totals_.empty()) {
    return false;
  }
  const auto first = totals_leaf(totals_.front(), "series.daily.day.0");
  const auto second = totals_leaf(totals_.front(), "series.daily.day.1");
  return first && second && *second - *first >= 1 - 1e-9;
}

std::vector<double> Aggregate::daily_p95_batches() const {
  std::vector<double> batches;
  if (!daily_bins()) {
    return batches;
  }
  // Each replication's series bins but the last (which may be cut short).
  for (const RecordValues& totals : totals_) {
    for (std::uint32_t k = 0; k + 1 < totals.bins; ++k) {
      if (const auto p95 = totals_leaf(totals, "series.daily.wait_min_p95." + std::to_string(k))) {
        batches.push_back(*p95);
      }
    }
  }
  return batches;
}

QuantileInterval Aggregate::quantile_interval_used() const {
  if (!pooled_ || quantiles_ == QuantileInterval::replications) {
    return QuantileInterval::replications;
  }
  if (quantiles_ == QuantileInterval::batches) {
    // Two batches or more: each replication's bins but its last, where bins are a day or more.
    std::size_t batches = 0;
    for (const RecordValues& totals : totals_) {
      batches += totals.bins > 0 ? totals.bins - 1 : 0;
    }
    if (batches < 2 || !daily_bins()) {
      return QuantileInterval::sectioning;
    }
  }
  return quantiles_;
}

std::optional<double> Aggregate::pooled_quantile(const std::string& path) const {
  const double q = quantile_of(path);
  if (q <= 0 || !pooled_) {
    return std::nullopt;
  }
  return pooled_->quantile(q);
}

std::vector<std::pair<std::string, std::pair<double, double>>> Aggregate::intervals() const {
  std::vector<std::pair<std::string, std::pair<double, double>>> intervals;
  if (totals_.empty()) {
    return intervals;
  }
  const QuantileInterval method = quantile_interval_used();
  for (const std::string& path : ci95_paths(totals_.front().groups)) {
    std::vector<double> values;
    for (const RecordValues& totals : totals_) {
      const auto value = totals_leaf(totals, path);
      if (!value) {
        throw std::logic_error("ci95 path " + path + " is not a totals field");
      }
      values.push_back(*value);
    }
    const double q = quantile_of(path);
    if (q > 0 && method == QuantileInterval::batches && path == "wait_min.p95") {
      intervals.emplace_back(path, sectioning_ci95(pooled_->quantile(q), daily_p95_batches()));
    } else if (q > 0 &&
               (method == QuantileInterval::sectioning || method == QuantileInterval::batches)) {
      intervals.emplace_back(path, sectioning_ci95(pooled_->quantile(q), values));
    } else if (q > 0 && method == QuantileInterval::jackknife && waits_.size() == values.size()) {
      std::vector<double> left_out;
      for (const QuantileSketch& one : waits_) {
        left_out.push_back(without(*pooled_, one).quantile(q));
      }
      intervals.emplace_back(path, jackknife_ci95(pooled_->quantile(q), left_out));
    } else {
      intervals.emplace_back(path, ci95(values));
    }
  }
  return intervals;
}

double Aggregate::relative_half_width(const std::string& path) const {
  if (finished_.size() < 2) {
    return INFINITY;
  }
  for (const auto& [name, interval] : intervals()) {
    if ("totals." + name == path) {
      const double half = (interval.second - interval.first) / 2;
      const double mean = std::abs(interval.second + interval.first) / 2;
      if (half == 0) {
        return 0;
      }
      return mean > 0 ? half / mean : INFINITY;
    }
  }
  throw std::invalid_argument(path + " has no interval");
}

} // namespace h2sim::report
