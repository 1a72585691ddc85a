#include "distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace h2sim {

Distribution Distribution::fixed(double value) {
  Distribution d;
  d.kind_ = Kind::fixed;
  d.a_ = value;
  return d;
}

Distribution Distribution::exponential(double mean) {
  Distribution d;
  d.kind_ = Kind::exponential;
  d.a_ = mean;
  return d;
}

Distribution Distribution::uniform(double min, double max) {
  Distribution d;
  d.kind_ = Kind::uniform;
  d.a_ = min;
  d.b_ = max;
  return d;
}

Distribution Distribution::normal(double mean, double sd) {
  Distribution d;
  d.kind_ = Kind::normal;
  d.a_ = mean;
  d.b_ = sd;
  return d;
}

Distribution Distribution::lognormal(double mean, double sd) {
  Distribution d;
  d.kind_ = Kind::lognormal;
  const double variance_ratio = (sd * sd) / (mean * mean);
  d.b_ = std::sqrt(std::log1p(variance_ratio));
  d.a_ = std::log(mean) - 0.5 * d.b_ * d.b_;
  return d;
}

Distribution Distribution::gamma(double mean, double sd) {
  Distribution d;
  d.kind_ = Kind::gamma;
  d.a_ = (mean * mean) / (sd * sd);
  d.b_ = (sd * sd) / mean;
  return d;
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> weights) {
  Distribution d;
  d.kind_ = Kind::empirical;
  if (weights.empty()) {
    weights.assign(values.size(), 1.0);
  }
  d.values_ = std::move(values);
  d.cumulative_.resize(weights.size());
  std::partial_sum(weights.begin(), weights.end(), d.cumulative_.begin());
  const double total = d.cumulative_.back();
  for (double& c : d.cumulative_) {
    c /= total;
  }
  return d;
}

double standard_normal(RandomStream& rng) {
  const double u1 = rng.uniform();
  const double u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

namespace {
// Marsaglia & Tsang (2000); shapes below 1 use the boost X * U^(1/shape).
double standard_gamma(double shape, RandomStream& rng) {
  if (shape < 1.0) {
    return standard_gamma(shape + 1.0, rng) * std::pow(rng.uniform(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = 0;
    double v = 0;
    do {
      x = standard_normal(rng);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) {
      return d * v;
    }
  }
}

// Density and tail of the standard normal, for the mean of the truncated normal.
double phi(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi); }
double upper_tail(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }
} // namespace

double Distribution::sample(RandomStream& rng) const {
  switch (kind_) {
  case Kind::fixed:
    return a_;
  case Kind::exponential:
    return -a_ * std::log(rng.uniform());
  case Kind::uniform:
    return a_ + (b_ - a_) * rng.uniform();
  case Kind::normal:
    for (;;) {
      const double x = a_ + b_ * standard_normal(rng);
      if (x >= 0.0) {
        return x;
      }
    }
  case Kind::lognormal:
    return std::exp(a_ + b_ * standard_normal(rng));
  case Kind::gamma:
    return b_ * standard_gamma(a_, rng);
  case Kind::empirical: {
    const double u = rng.uniform();
    const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
    const auto index = std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()),
                                             values_.size() - 1);
    return values_[index];
  }
  }
  return a_;
}

double Distribution::mean() const {
  switch (kind_) {
  case Kind::fixed:
  case Kind::exponential:
    return a_;
  case Kind::uniform:
    return 0.5 * (a_ + b_);
  case Kind::normal: {
    if (b_ == 0.0) {
      return a_;
    }
    const double alpha = -a_ / b_;
    return a_ + b_ * phi(alpha) / upper_tail(alpha);
  }
  case Kind::lognormal:
    return std::exp(a_ + 0.5 * b_ * b_);
  case Kind::gamma:
    return a_ * b_;
  case Kind::empirical: {
    double mean = 0;
    double previous = 0;
    for (std::size_t i = 0; i < values_.size(); ++i) {
      mean += values_[i] * (cumulative_[i] - previous);
      previous = cumulative_[i];
    }
    return mean;
  }
  }
  return a_;
}

} // namespace h2sim
