#include "core/quantile_sketch.hpp"
#include "core/random.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using h2sim::QuantileSketch;

namespace {
double exact(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::max<std::size_t>(rank, 1) - 1];
}
} // namespace

TEST_CASE("core::QuantileSketch: quantiles within 1% of the exact nearest-rank values") {
  h2sim::RandomStream rng(5, 0, 5);
  QuantileSketch sketch;
  std::vector<double> values;
  for (int i = 0; i < 300000; ++i) {
    // Waiting times: 40% exactly zero, the rest spread over six orders of magnitude.
    const double x = rng.uniform() < 0.4 ? 0.0 : std::exp(12.0 * rng.uniform() - 6.0);
    sketch.add(x);
    values.push_back(x);
  }
  for (double q : {0.1, 0.4, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    CAPTURE(q);
    const double want = exact(values, q);
    CHECK(std::abs(sketch.quantile(q) - want) <= 0.01 * want);
  }
  CHECK(sketch.quantile(0.3) == 0.0);
  CHECK(sketch.max() == *std::max_element(values.begin(), values.end()));
  CHECK(sketch.count() == values.size());
}

TEST_CASE("core::QuantileSketch: merging equals adding everything to one sketch") {
  QuantileSketch a;
  QuantileSketch b;
  QuantileSketch both;
  for (int i = 1; i <= 1000; ++i) {
    const double x = i * 0.37;
    (i % 3 == 0 ? a : b).add(x);
    both.add(x);
  }
  a.merge(b);
  CHECK(a.count() == both.count());
  CHECK(a.mean() == doctest::Approx(both.mean()));
  for (double q : {0.5, 0.95, 0.99}) {
    CHECK(a.quantile(q) == both.quantile(q));
  }
}

TEST_CASE("core::QuantileSketch: an empty sketch reports zeros") {
  const QuantileSketch sketch;
  CHECK(sketch.count() == 0);
  CHECK(sketch.mean() == 0.0);
  CHECK(sketch.quantile(0.95) == 0.0);
}
