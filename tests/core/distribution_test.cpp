#include "core/distribution.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>

using h2sim::Distribution;
using h2sim::RandomStream;

namespace {
struct Moments {
  double mean;
  double sd;
  double min;
};
Moments sample(const Distribution& d, int n = 200000) {
  RandomStream rng(3, 0, 11);
  double sum = 0;
  double squares = 0;
  double min = INFINITY;
  for (int i = 0; i < n; ++i) {
    const double x = d.sample(rng);
    sum += x;
    squares += x * x;
    min = std::min(min, x);
  }
  const double mean = sum / n;
  return {mean, std::sqrt(squares / n - mean * mean), min};
}
} // namespace

TEST_CASE("core::Distribution: sample means and deviations match the parameters") {
  // 200,000 draws: the standard error of a mean is sd / 447, so 1-2% relative tolerances are
  // 4+ standard errors wide; the seed is fixed, so the outcome is too.
  SUBCASE("fixed") {
    const Moments m = sample(Distribution::fixed(4.5), 10);
    CHECK(m.mean == 4.5);
    CHECK(m.min == 4.5);
  }
  SUBCASE("exponential") {
    const Moments m = sample(Distribution::exponential(5));
    CHECK(m.mean == doctest::Approx(5).epsilon(0.015));
    CHECK(m.sd == doctest::Approx(5).epsilon(0.02));
  }
  SUBCASE("uniform") {
    const Moments m = sample(Distribution::uniform(2, 6));
    CHECK(m.mean == doctest::Approx(4).epsilon(0.01));
    CHECK(m.sd == doctest::Approx(4 / std::sqrt(12.0)).epsilon(0.01));
    CHECK(m.min >= 2);
  }
  SUBCASE("normal, far from zero") {
    const Moments m = sample(Distribution::normal(350, 80));
    CHECK(m.mean == doctest::Approx(350).epsilon(0.01));
    CHECK(m.sd == doctest::Approx(80).epsilon(0.02));
  }
  SUBCASE("normal truncated at zero: mean() is the truncated mean") {
    const Distribution d = Distribution::normal(1, 2);
    const Moments m = sample(d);
    CHECK(m.min >= 0);
    CHECK(m.mean == doctest::Approx(d.mean()).epsilon(0.01));
  }
  SUBCASE("lognormal: mean and sd of the variable itself") {
    const Moments m = sample(Distribution::lognormal(10, 3));
    CHECK(m.mean == doctest::Approx(10).epsilon(0.01));
    CHECK(m.sd == doctest::Approx(3).epsilon(0.03));
  }
  SUBCASE("gamma, shape above and below 1") {
    const Moments m = sample(Distribution::gamma(8, 4));
    CHECK(m.mean == doctest::Approx(8).epsilon(0.01));
    CHECK(m.sd == doctest::Approx(4).epsilon(0.02));
    const Moments skewed = sample(Distribution::gamma(2, 4));
    CHECK(skewed.mean == doctest::Approx(2).epsilon(0.02));
    CHECK(skewed.sd == doctest::Approx(4).epsilon(0.04));
  }
  SUBCASE("empirical with weights") {
    const Distribution d = Distribution::empirical({1, 2, 10}, {1, 1, 2});
    CHECK(d.mean() == doctest::Approx(5.75));
    RandomStream rng(1, 0, 1);
    std::map<double, int> counts;
    for (int i = 0; i < 40000; ++i) {
      ++counts[d.sample(rng)];
    }
    CHECK(counts.size() == 3);
    CHECK(counts[10] / 40000.0 == doctest::Approx(0.5).epsilon(0.02));
  }
}

TEST_CASE("core::Distribution: the truncated normal's mean follows the closed form") {
  // E[X | X >= 0] for N(1, 2^2): 1 + 2 phi(-0.5) / (1 - Phi(-0.5)) = 1 + 2 * 0.35207 / 0.69146.
  CHECK(Distribution::normal(1, 2).mean() == doctest::Approx(2.01835).epsilon(1e-4));
}
