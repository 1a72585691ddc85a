#pragma once

#include "random.hpp"

#include <string>
#include <vector>

namespace h2sim {

/**
 * A probability distribution of a non-negative quantity, sampled with transforms written here (not
 * std::*_distribution, whose algorithms differ between standard libraries) so that a seed gives the
 * same numbers on every platform.
 */
class Distribution {
public:
  enum class Kind { fixed, exponential, uniform, normal, lognormal, gamma, empirical };

  static Distribution fixed(double value);
  static Distribution exponential(double mean);
  static Distribution uniform(double min, double max);
  /** Normal truncated at 0 (negative draws are redrawn). */
  static Distribution normal(double mean, double sd);
  /** Lognormal given the mean and standard deviation of the variable itself. */
  static Distribution lognormal(double mean, double sd);
  static Distribution gamma(double mean, double sd);
  /** Discrete over values, with weights (empty = equal). */
  static Distribution empirical(std::vector<double> values, std::vector<double> weights);

  double sample(RandomStream& rng) const;
  /** The mean of what sample() returns (for the truncated normal, of the truncated variable). */
  double mean() const;
  Kind kind() const { return kind_; }

private:
  Kind kind_ = Kind::fixed;
  double a_ =
      0; // fixed: value; exponential: mean; uniform: min; normal/lognormal: mu; gamma: shape
  double b_ = 0; // uniform: max; normal/lognormal: sigma; gamma: scale
  std::vector<double> values_;
  std::vector<double> cumulative_; // empirical: normalised cumulative weights
};

/** A standard normal draw (Box-Muller, one value per call). */
double standard_normal(RandomStream& rng);

} // namespace h2sim
