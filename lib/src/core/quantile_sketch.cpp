#include "quantile_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace h2sim {

QuantileSketch::QuantileSketch(double relative_accuracy)
    : gamma_((1 + relative_accuracy) / (1 - relative_accuracy)), log_gamma_(std::log(gamma_)) {}

int QuantileSketch::index_of(double value) const {
  return static_cast<int>(std::ceil(std::log(value) / log_gamma_));
}

void QuantileSketch::add_outside(const Sample& sample) {
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
  if (++buckets_[static_cast<std::size_t>(index - min_index_)] == 0) {
    carry(index);
  }
}

namespace {
constexpr std::uint64_t low_bits = 0xffff'ffffULL;

/** The first carry at or after bucket `index`. */
template <class Carries> auto carry_at(Carries& carries, int index) {
  return std::lower_bound(carries.begin(), carries.end(), index,
                          [](const auto& carry, int i) { return carry.first < i; });
}
} // namespace

void QuantileSketch::carry(int index, std::uint64_t times) {
  const auto at = carry_at(carries_, index);
  if (at != carries_.end() && at->first == index) {
    at->second += times;
  } else {
    carries_.insert(at, {index, times});
  }
}

std::uint64_t QuantileSketch::bucket(std::size_t i) const {
  std::uint64_t count = buckets_[i];
  if (!carries_.empty()) {
    const int index = min_index_ + static_cast<int>(i);
    const auto at = carry_at(carries_, index);
    if (at != carries_.end() && at->first == index) {
      count += at->second << 32;
    }
  }
  return count;
}

void QuantileSketch::set_bucket(std::size_t i, std::uint64_t count) {
  buckets_[i] = static_cast<std::uint32_t>(count & low_bits);
  if (count >> 32 != 0) {
    carry(min_index_ + static_cast<int>(i), count >> 32);
  }
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (other.gamma_ != gamma_) {
    throw std::invalid_argument("QuantileSketch::merge: a sketch of another accuracy");
  }
  if (&other == this) {
    const QuantileSketch copy = other;
    merge(copy);
    return;
  }
  if (!other.buckets_.empty()) {
    if (buckets_.empty()) {
      min_index_ = other.min_index_;
    }
    if (other.min_index_ < min_index_) {
      buckets_.insert(buckets_.begin(), static_cast<std::size_t>(min_index_ - other.min_index_), 0);
      min_index_ = other.min_index_;
    }
    const auto offset = static_cast<std::size_t>(other.min_index_ - min_index_);
    buckets_.resize(std::max(buckets_.size(), offset + other.buckets_.size()), 0);
    for (std::size_t i = 0; i < other.buckets_.size(); ++i) {
      std::uint32_t& count = buckets_[offset + i];
      count += other.buckets_[i];
      if (count < other.buckets_[i]) {
        carry(other.min_index_ + static_cast<int>(i)); // it wrapped past 2^32
      }
    }
    for (const auto& [index, carried] : other.carries_) {
      carry(index, carried);
    }
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
    seen += bucket(i);
    if (seen >= rank) {
      // The point of the bucket (gamma^(k-1), gamma^k] closest in relative terms to all its values.
      const double upper = std::pow(gamma_, min_index_ + static_cast<int>(i));
      return std::min(max_, 2.0 * upper / (gamma_ + 1.0));
    }
  }
  return max_;
}

QuantileSketch::Parts QuantileSketch::parts() const {
  Parts parts{zeros_, sum_, max_, min_index_, {}};
  parts.buckets.reserve(buckets_.size());
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    parts.buckets.push_back(bucket(i));
  }
  return parts;
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
  sketch.buckets_.assign(parts.buckets.size(), 0);
  for (std::size_t i = 0; i < parts.buckets.size(); ++i) {
    sketch.set_bucket(i, parts.buckets[i]);
  }
  return sketch;
}

void QuantileSketch::collapse_lowest(std::size_t max_buckets) {
  if (max_buckets == 0 || buckets_.size() <= max_buckets) {
    return;
  }
  const std::size_t drop = buckets_.size() - max_buckets;
  std::uint64_t low = 0;
  for (std::size_t i = 0; i <= drop; ++i) {
    low += bucket(i);
  }
  // The carries of the dropped buckets and of the kept one went into `low`: set_bucket gives it
  // its carry again.
  std::erase_if(carries_, [&](const std::pair<int, std::uint64_t>& c) {
    return c.first <= min_index_ + static_cast<int>(drop);
  });
  buckets_.erase(buckets_.begin(), buckets_.begin() + static_cast<std::ptrdiff_t>(drop));
  min_index_ += static_cast<int>(drop);
  set_bucket(0, low);
}

} // namespace h2sim
