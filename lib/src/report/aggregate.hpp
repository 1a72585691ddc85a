#pragma once

#include "fields.hpp"

#include <h2sim/h2sim.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::report {

/** The dotted paths of `totals` that always get a confidence interval, in the order written. */
const std::vector<std::string>& ci95_paths();
/** Those and the fields declared with `interval` that totals with `groups` report. */
std::vector<std::string> ci95_paths(std::uint8_t groups);

/**
 * The sectioning 95% interval of a quantile (Asmussen and Glynn 2007, III.5a; Nakayama 2014):
 * centred on the quantile of all the data `pooled`, Student-t with n - 1 degrees of freedom over
 * the n sections' own quantiles' deviations from it.
 */
std::pair<double, double> sectioning_ci95(double pooled, const std::vector<double>& sections);
/**
 * The jackknife 95% interval of a quantile over n sections: the Student-t interval of the mean of
 * the pseudo-values n pooled - (n - 1) left_out[i], left_out[i] the quantile without section i.
 */
std::pair<double, double> jackknife_ci95(double pooled, const std::vector<double>& left_out);

/**
 * One scenario's replications combined as they end, field by field by kind (README "Metrics"):
 * means of the per-replication values, max of maxima, min of minima. Results may arrive in any
 * order; they are folded in index order (so the sums, and the output, do not depend on which
 * finished first), and one that arrives early waits until those before it are known. Of each
 * replication only its totals are kept (for replication_totals and the intervals).
 */
class Aggregate {
public:
  explicit Aggregate(std::size_t replications,
                     QuantileInterval quantiles = QuantileInterval::sectioning)
      : replications_(replications), quantiles_(quantiles) {}

  /** How the intervals of the quantiles of waits are formed. */
  QuantileInterval quantile_interval() const { return quantiles_; }

  /** Replication `r` finished with these values (a second report of `r` is ignored). */
  void finished(std::size_t r, ReplicationValues values);
  /** Replication `r` failed, and why. */
  void failed(std::size_t r, std::string error);

  /** Runs until precise: `replications` (more than before) are now expected. */
  void extend(std::size_t replications) { replications_ = std::max(replications_, replications); }

  /**
   * Half the width of the 95% interval of `path` ("totals.wait_min.p95", a ci95 key) over the
   * absolute value of its mean; infinite with fewer than two finished or a mean of 0 with spread.
   */
  double relative_half_width(const std::string& path) const;

  /** Whether replication `r` has been reported, finished or failed. */
  bool known(std::size_t r) const;
  /** Whether every replication has been reported. */
  bool complete() const { return next_ == replications_; }

  std::size_t replications() const { return replications_; }
  /** The replications that finished, in index order (complete() only). */
  const std::vector<std::size_t>& finished_indices() const { return finished_; }
  /** The failed ones, by index. */
  const std::map<std::size_t, std::string>& failures() const { return failures_; }
  std::uint64_t events() const { return events_; }
  /** The finished replications' own simulation times, summed in index order. */
  double simulation_s() const { return simulation_s_; }

  /** The only finished replication's values as they were (exactly one finished). */
  const ReplicationValues& only() const;
  /** The combined values over the finished replications (two or more). */
  ReplicationValues combined() const;
  /** Each finished replication's totals, in index order. */
  const std::vector<RecordValues>& replication_totals() const { return totals_; }
  /**
   * The Student-t 95% interval of the mean of leaf `leaf` of station (or, with `classes`, class)
   * `record` over the finished replications (two or more), from running sums of each leaf's
   * deviations from the first replication's value, so that no replication's stations are kept.
   */
  std::pair<double, double> record_interval(bool classes, std::size_t record,
                                            std::size_t leaf) const;
  /**
   * Per station, in how many finished replications it served nobody (`served` 0), and in how many
   * it served nobody or dispensed nothing (`dispensed_kg` 0 too): its waits, and its cost per kg,
   * are 0 by convention there, which its means over replications take in.
   */
  const std::vector<std::uint32_t>& stations_unserved() const { return unserved_; }
  const std::vector<std::uint32_t>& stations_unserved_or_undispensed() const {
    return undispensed_;
  }
  /** Each finished replication's chosen warm-up (warmup_days "auto"), in index order. */
  const std::vector<std::optional<ReplicationValues::ChosenWarmup>>& warmups() const {
    return warmups_;
  }
  /**
   * 95% intervals of ci95_paths(), as [path, (low, high)] (two or more): Student-t intervals of
   * the mean, but for the quantiles of waits as the QuantileInterval says (when every finished
   * replication carried its waits; the Student-t one otherwise).
   */
  std::vector<std::pair<std::string, std::pair<double, double>>> intervals() const;
  /** The finished replications' waits pooled (empty when one did not carry them). */
  const std::optional<QuantileSketch>& pooled_waits() const { return pooled_; }
  /**
   * How the intervals of the quantiles of waits were formed: quantile_interval(), but
   * `replications` where a finished replication did not carry its waits (a journal written
   * before them), and `sectioning` for `batches` without two daily bins or longer in all.
   */
  QuantileInterval quantile_interval_used() const;
  /**
   * The quantile of all the finished replications' waits pooled, for a ci95 path of one
   * ("wait_min.p95"): the point the intervals of quantiles (but `replications`') are formed about.
   */
  std::optional<double> pooled_quantile(const std::string& path) const;

private:
  void fold(const ReplicationValues& values);
  /** Whether the series bins are a day or more (batches of the `batches` method). */
  bool daily_bins() const;
  /** The totals' p95 of each series bin but each replication's last, where bins are daily_bins. */
  std::vector<double> daily_p95_batches() const;
  void advance();

  std::size_t replications_;
  std::size_t next_ = 0;                           // replications before it are folded
  std::map<std::size_t, ReplicationValues> early_; // arrived before the ones ahead of them
  std::map<std::size_t, std::string> failures_;
  std::vector<std::size_t> finished_;
  std::vector<RecordValues> totals_;
  std::vector<std::optional<ReplicationValues::ChosenWarmup>> warmups_;
  QuantileInterval quantiles_;
  std::optional<QuantileSketch> pooled_; // every finished replication's waits merged
  bool carried_waits_ = true;            // every finished replication carried its waits
  std::vector<QuantileSketch> waits_;    // each finished replication's (for the jackknife)
  std::optional<ReplicationValues> first_;
  ReplicationValues sums_; // sums for mean leaves, running max and min for the others
  // Stations' and classes' leaves: sums of (x - x_first) and of its square, for their intervals.
  ReplicationValues deviations_;
  ReplicationValues squares_;
  std::vector<std::uint32_t> unserved_;    // per station: replications that served nobody
  std::vector<std::uint32_t> undispensed_; // per station: ... or that dispensed nothing
  std::uint64_t events_ = 0;
  double simulation_s_ = 0;
};

} // namespace h2sim::report
