#include "core/quantile_sketch.hpp"
#include "core/random.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
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

TEST_CASE("core::QuantileSketch: its parts give back the same sketch") {
  QuantileSketch sketch;
  for (int i = 0; i < 500; ++i) {
    sketch.add(i % 7 == 0 ? 0.0 : 0.5 * i);
  }
  const QuantileSketch back = QuantileSketch::from_parts(sketch.parts());
  CHECK(back == sketch);
  CHECK(back.count() == 500);
  CHECK(back.quantile(0.95) == sketch.quantile(0.95));
  CHECK(QuantileSketch::from_parts({}) == QuantileSketch());
}

TEST_CASE("core::QuantileSketch: collapsing the lowest buckets keeps the upper quantiles") {
  // A zero and one value in each of the buckets 0 .. 99.
  QuantileSketch::Parts parts;
  parts.zeros = 1;
  parts.sum = 1000;
  parts.max = 1e9;
  parts.buckets.assign(100, 1);
  const QuantileSketch sketch = QuantileSketch::from_parts(parts);
  REQUIRE(sketch.count() == 101);
  QuantileSketch collapsed = sketch;
  collapsed.collapse_lowest(20);
  const QuantileSketch::Parts kept = collapsed.parts();
  REQUIRE(kept.buckets.size() == 20);
  CHECK(kept.min_index == 80);
  CHECK(kept.buckets.front() == 81); // buckets 0 .. 80
  CHECK(collapsed.count() == 101);
  CHECK(collapsed.sum() == 1000);
  CHECK(collapsed.quantile(0.005) == 0.0); // rank 1: the zero is kept
  // Ranks 82 .. 101 (buckets 80 .. 99) are unchanged; those below fall into bucket 80.
  for (double q : {82.0 / 101, 0.9, 0.95, 0.99, 1.0}) {
    CHECK(collapsed.quantile(q) == sketch.quantile(q));
  }
  CHECK(collapsed.quantile(0.5) == sketch.quantile(82.0 / 101));
  CHECK(collapsed.quantile(0.5) > sketch.quantile(0.5));
  collapsed.collapse_lowest(50); // already within
  CHECK(collapsed.parts().buckets.size() == 20);
}

TEST_CASE("core::QuantileSketch: a sample taken by one sketch adds to another as its value does") {
  QuantileSketch takes;
  QuantileSketch shared;
  QuantileSketch own;
  h2sim::RandomStream rng(9, 0, 9);
  for (int i = 0; i < 5000; ++i) {
    const double x = rng.uniform() < 0.3 ? 0.0 : std::exp(10.0 * rng.uniform() - 5.0);
    const QuantileSketch::Sample sample = takes.sample(x);
    takes.add(sample);
    shared.add(sample);
    own.add(x);
  }
  CHECK(shared == own);
  CHECK(takes == own);
  CHECK(own.quantile(0.95) > 0.0);
  // Buckets of another accuracy mean other values: such a sample or sketch is refused.
  QuantileSketch coarse(0.02);
  CHECK_THROWS_WITH_AS(coarse.add(takes.sample(3.0)),
                       "QuantileSketch::add: a sample of a sketch of another accuracy",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(coarse.merge(own), "QuantileSketch::merge: a sketch of another accuracy",
                       std::invalid_argument);
  CHECK(coarse.count() == 0);
}
