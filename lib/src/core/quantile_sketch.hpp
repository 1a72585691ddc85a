#pragma once

#include <cstdint>
#include <vector>

namespace h2sim {

/**
 * Count, mean, max and quantiles of a stream of non-negative samples in constant memory.
 * Quantiles are within `relative_accuracy` of the exact nearest-rank quantile (a log-bucketed
 * histogram, as in DDSketch); zeros, common for waiting times, are counted exactly.
 * Sketches merge by adding counts, so totals over stations or replications lose nothing.
 */
class QuantileSketch {
public:
  explicit QuantileSketch(double relative_accuracy = 0.005);

  void add(double value);
  void merge(const QuantileSketch& other);

  std::uint64_t count() const { return count_; }
  double mean() const;
  /** The sum of the samples. */
  double sum() const { return sum_; }
  double max() const { return max_; }
  /** The nearest-rank q-quantile (0 < q <= 1), approximately; 0 when empty. */
  double quantile(double q) const;

private:
  double gamma_;
  double log_gamma_;
  std::uint64_t count_ = 0;
  std::uint64_t zeros_ = 0;
  double sum_ = 0;
  double max_ = 0;
  int min_index_ = 0;                  // bucket index of buckets_[0]
  std::vector<std::uint64_t> buckets_; // bucket i holds (gamma^(i-1), gamma^i]
  int index_of(double value) const;
};

} // namespace h2sim
