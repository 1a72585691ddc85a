#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
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
  /** The accuracy of every sketch h2sim keeps: quantiles within 0.5% of the exact ones. */
  static constexpr double default_accuracy = 0.005;
  explicit QuantileSketch(double relative_accuracy = default_accuracy);

  void add(double value) { add(sample(value)); }
  /**
   * A sample with its bucket, to add one value to several sketches of the same accuracy at the
   * cost of one logarithm (a served visit counts in its station's hour, its class and its bin).
   */
  struct Sample {
    double value;
    int index;    // its bucket; unused for a zero
    double gamma; // of the sketch that took it: add() takes it only into one of the same
  };
  Sample sample(double value) const {
    return Sample{value, value <= zero_threshold ? 0 : index_of(value), gamma_};
  }
  /**
   * Inline for the common cases, a zero or a value in a bucket the sketch has: it runs for every
   * served visit.
   */
  void add(const Sample& sample) {
    const auto i = static_cast<std::size_t>(static_cast<unsigned>(sample.index - min_index_));
    const bool zero = sample.value <= zero_threshold;
    if (sample.gamma != gamma_ || (!zero && i >= buckets_.size())) {
      add_outside(sample);
      return;
    }
    ++count_;
    sum_ += sample.value;
    max_ = std::max(max_, sample.value);
    if (zero) {
      ++zeros_;
    } else if (++buckets_[i] == 0) {
      carry(sample.index);
    }
  }
  void merge(const QuantileSketch& other);

  std::uint64_t count() const { return count_; }
  double mean() const;
  /** The sum of the samples. */
  double sum() const { return sum_; }
  double max() const { return max_; }
  /** The nearest-rank q-quantile (0 < q <= 1), approximately; 0 when empty. */
  double quantile(double q) const;

  /** What a sketch holds, to carry it between processes (bucket i holds index min_index + i). */
  struct Parts {
    std::uint64_t zeros = 0;
    double sum = 0;
    double max = 0;
    int min_index = 0;
    std::vector<std::uint64_t> buckets;
  };
  Parts parts() const;
  /** The sketch of `parts` (of a sketch of the same relative accuracy); count from the buckets. */
  static QuantileSketch from_parts(Parts parts, double relative_accuracy = default_accuracy);
  /**
   * Keeps at most `max_buckets` buckets by adding the lowest ones into the lowest one kept (as
   * DDSketch's collapsing store): quantiles whose rank falls above them are unchanged, those in
   * them are rounded up to that bucket.
   */
  void collapse_lowest(std::size_t max_buckets);

  bool operator==(const QuantileSketch&) const = default;

private:
  /** Below this a value counts as zero: a nanominute is far under any time the models produce. */
  static constexpr double zero_threshold = 1e-9;
  /** add() of a value outside the buckets, or of a sample of another accuracy. */
  void add_outside(const Sample& sample);

  double gamma_;
  double log_gamma_;
  std::uint64_t count_ = 0;
  std::uint64_t zeros_ = 0;
  double sum_ = 0;
  double max_ = 0;
  int min_index_ = 0; // bucket index of buckets_[0]
  /**
   * Bucket i holds (gamma^(i-1), gamma^i]: its count is buckets_[i] plus 2^32 times its carry.
   * Counts are 32 bits because a run's sketches (24 hours of every station) are touched at
   * random, a few times per simulated day each: half the bytes, a third fewer cache misses
   * (ARCHITECTURE.md, "Why the engine is fast"). A bucket that passes 2^32 keeps the rest in
   * carries_, sorted by bucket index and empty in any run one could wait for; the pair is
   * canonical, so equal sketches compare equal.
   */
  std::vector<std::uint32_t> buckets_;
  std::vector<std::pair<int, std::uint64_t>> carries_; // (bucket index, count / 2^32)
  int index_of(double value) const;
  /** The count of buckets_[i]. */
  std::uint64_t bucket(std::size_t i) const;
  /** Sets buckets_[i], which has no carry, to `count` (carrying what passes 2^32). */
  void set_bucket(std::size_t i, std::uint64_t count);
  /** Carries `times` 2^32 into bucket `index` (its count in buckets_ wrapped past 2^32). */
  void carry(int index, std::uint64_t times = 1);
};

} // namespace h2sim
