#pragma once

#include <cstddef>
#include <vector>

namespace h2sim::mser {

/** Observations per batch: MSER-5 works on the means of 5 consecutive observations. */
constexpr std::size_t batch = 5;

/** Where to cut a run's start: the first batch kept, and whether the cut can be trusted. */
struct Truncation {
  std::size_t first_kept = 0; // batches before it are the warm-up
  bool stable = false;        // false: the run still rises past its middle (no steady state seen)
};

/**
 * MSER (White 1997; White, Cobb and Spratt 2000, "A comparison of five steady-state truncation
 * heuristics for simulation"): the cut d minimising the squared standard error of the mean of
 * what remains, sum_{i >= d} (y_i - mean_d)^2 / (n - d)^2, over the batch means y; the first
 * minimum wins ties. As the authors advise, a minimum past the middle of the run (of the cuts
 * that keep at least a quarter of it, and 2 batches: a shorter remainder scores near 0 by
 * chance) says the run is too short to show a steady state: reported as not stable, and that cut
 * returned. But only where what it keeps has a higher mean than the best cut in the first
 * half keeps: waits from an empty start rise to their steady level, and a run still rising has
 * none. A calmer remainder past the middle is the noise of a short one: at light load a tail of
 * batches whose waits are all zero has no spread, scores exactly 0, the least there is, and
 * was chosen wherever it began. Then the best cut in the first half stands, stable. Linear time.
 * Fewer than 4 batches: no cut, not stable.
 */
Truncation truncation(const std::vector<double>& batch_means);

/** Batch means of `batch` consecutive values, as they come (a partial last batch is dropped). */
class Batcher {
public:
  /** Adds one observation made at `time`. */
  void add(double value, double time) {
    if (filled_ == 0) {
      start_ = time;
    }
    sum_ += value;
    if (++filled_ == batch) {
      means_.push_back(sum_ / static_cast<double>(batch));
      starts_.push_back(start_);
      sum_ = 0;
      filled_ = 0;
    }
  }
  const std::vector<double>& means() const { return means_; }
  /** When each batch's first observation was made. */
  const std::vector<double>& starts() const { return starts_; }

private:
  std::vector<double> means_;
  std::vector<double> starts_;
  double sum_ = 0;
  double start_ = 0;
  std::size_t filled_ = 0;
};

} // namespace h2sim::mser
