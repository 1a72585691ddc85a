#include "quantile_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace h2sim {

namespace {
// Below this a value counts as zero: a nanominute is far under any time the models produce.
constexpr double zero_threshold = 1e-9;
} // namespace

QuantileSketch::QuantileSketch(double relative_accuracy)
    : gamma_((1 + relative_accuracy) / (1 - relative_accuracy)), log_gamma_(std::log(gamma_)) {}

int QuantileSketch::index_of(double value) const {
  return static_cast<int>(std::ceil(std::log(value) / log_gamma_));
}

QuantileSketch::Sample QuantileSketch::sample(double value) const {
  return Sample{value, value <= zero_threshold ? 0 : index_of(value), gamma_};
}

void QuantileSketch::add(const Sample& sample) {
  if (sample.gamma != gamma_) {
    throw std::invalid_argument("QuantileSketch::add: a sample of a sketch of another accuracy");
  }
  const double value = sample.value;
  ++count_;
  sum_ += value;
  max_ = std::max(max_, value);
  if (value <= zero_threshold) {
    ++zeros_;
    return;
  }
  const int index = sample.index;
  if (buckets_.empty()) {
    min_index_ = index;
    buckets_.assign(1, 0);
  } else if (index < min_index_) {
    buckets_.insert(buckets_.begin(), static_cast<std::size_t>(min_index_ - index), 0);
    min_index_ = index;
  } else if (index - min_index_ >= static_cast<int>(buckets_.size())) {
    buckets_.resize(static_cast<std::size_t>(index - min_index_ + 1), 0);
  }
  ++buckets_[static_cast<std::size_t>(index - min_index_)];
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.gamma_ != gamma_) {
    throw std::invalid_argument("QuantileSketch::merge: a sketch of another accuracy");
  }
  if (!other.buckets_.empty()) {
    if (buckets_.empty()) {
      min_index_ = other.min_index_;
    }
    const int low = std::min(min_index_, other.min_index_);
    const int high = std::max(min_index_ + static_cast<int>(buckets_.size()),
                              other.min_index_ + static_cast<int>(other.buckets_.size()));
    std::vector<std::uint64_t> merged(static_cast<std::size_t>(high - low), 0);
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
      merged[static_cast<std::size_t>(min_index_ - low) + i] += buckets_[i];
    }
    for (std::size_t i = 0; i < other.buckets_.size(); ++i) {
      merged[static_cast<std::size_t>(other.min_index_ - low) + i] += other.buckets_[i];
    }
    buckets_ = std::move(merged);
    min_index_ = low;
  }
  count_ += other.count_;
  zeros_ += other.zeros_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
}

double QuantileSketch::mean() const {
  return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_);
}

double QuantileSketch::quantile(double q) const {
  if (count_ == 0) {
    return 0.0;
  }
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_) - 1e-9)));
  if (rank <= zeros_) {
    return 0.0;
  }
  std::uint64_t seen = zeros_;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      // The point of the bucket (gamma^(k-1), gamma^k] closest in relative terms to all its values.
      const double upper = std::pow(gamma_, min_index_ + static_cast<int>(i));
      return std::min(max_, 2.0 * upper / (gamma_ + 1.0));
    }
  }
  return max_;
}

QuantileSketch::Parts QuantileSketch::parts() const {
  return {zeros_, sum_, max_, min_index_, buckets_};
}

QuantileSketch QuantileSketch::from_parts(Parts parts, double relative_accuracy) {
  QuantileSketch sketch(relative_accuracy);
  sketch.zeros_ = parts.zeros;
  sketch.count_ = parts.zeros;
  for (std::uint64_t n : parts.buckets) {
    sketch.count_ += n;
  }
  sketch.sum_ = parts.sum;
  sketch.max_ = parts.max;
  sketch.min_index_ = parts.buckets.empty() ? 0 : parts.min_index;
  sketch.buckets_ = std::move(parts.buckets);
  return sketch;
}

void QuantileSketch::collapse_lowest(std::size_t max_buckets) {
  if (max_buckets == 0 || buckets_.size() <= max_buckets) {
    return;
  }
  const std::size_t drop = buckets_.size() - max_buckets;
  std::uint64_t low = 0;
  for (std::size_t i = 0; i <= drop; ++i) {
    low += buckets_[i];
  }
  buckets_.erase(buckets_.begin(), buckets_.begin() + static_cast<std::ptrdiff_t>(drop));
  buckets_.front() = low;
  min_index_ += static_cast<int>(drop);
}

} // namespace h2sim
