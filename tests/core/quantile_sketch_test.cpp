#include "core/quantile_sketch.hpp"
#include "core/random.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
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

TEST_CASE("core::QuantileSketch: the same samples make the same sketch in any order") {
  // Eighths of a minute and zeros: their sums are exact in any order, so the sketches compare
  // equal only if every sample lands where it should, whether it widens the buckets (below or
  // above them) or falls inside them.
  std::vector<double> values;
  for (int k = 0; k < 4000; ++k) {
    values.push_back(k % 5 == 0 ? 0.0 : 0.125 * (k % 1999));
  }
  const auto sketch_of = [](const std::vector<double>& in) {
    QuantileSketch sketch;
    for (double x : in) {
      sketch.add(x);
    }
    return sketch;
  };
  std::vector<double> ascending = values;
  std::sort(ascending.begin(), ascending.end());
  std::vector<double> descending(ascending.rbegin(), ascending.rend());
  std::vector<double> shuffled = values;
  h2sim::RandomStream rng(4, 0, 4);
  for (std::size_t i = shuffled.size() - 1; i > 0; --i) {
    std::swap(shuffled[i],
              shuffled[static_cast<std::size_t>(rng.uniform() * static_cast<double>(i + 1))]);
  }
  const QuantileSketch reference = sketch_of(ascending);
  CHECK(sketch_of(descending) == reference);
  CHECK(sketch_of(shuffled) == reference);
  CHECK(reference.count() == values.size());
  CHECK(reference.quantile(0.2) == 0.0); // 800 zeros of 4000
  CHECK(reference.max() == 0.125 * 1998);
  CHECK(reference.mean() == doctest::Approx(0.125 * 999.5 * 0.8).epsilon(0.01));
}

namespace {
constexpr std::uint64_t two32 = 1ULL << 32;

/** A sketch of the given bucket counts, the first at the bucket of `first_value`. */
QuantileSketch of_counts(double first_value, std::vector<std::uint64_t> counts, double max) {
  QuantileSketch::Parts parts;
  parts.min_index = QuantileSketch().sample(first_value).index;
  parts.max = max;
  parts.buckets = std::move(counts);
  return QuantileSketch::from_parts(std::move(parts));
}
} // namespace

// Buckets count in 32 bits (half the cache lines a visit touches); a bucket past 2^32 carries.
// These sketches of billions of samples are made from parts: adding them one by one would take
// minutes.
TEST_CASE("core::QuantileSketch: a bucket that passes 2^32 samples carries and loses none") {
  QuantileSketch sketch = of_counts(1.1, {two32 - 1}, 1.1);
  sketch.add(1.1);
  CHECK(sketch.count() == two32);
  CHECK(sketch.parts().buckets == std::vector<std::uint64_t>{two32});
  sketch.add(1.1);
  CHECK(sketch.parts().buckets == std::vector<std::uint64_t>{two32 + 1});
  // The same counts reached another way compare equal (the carry is canonical); others do not.
  CHECK(sketch == QuantileSketch::from_parts(sketch.parts()));
  QuantileSketch::Parts wrapped = sketch.parts();
  wrapped.buckets = {1};
  CHECK_FALSE(sketch == QuantileSketch::from_parts(wrapped));
  // Same count, same low 32 bits everywhere: only the carries tell these apart.
  CHECK_FALSE(of_counts(1.1, {two32, 0}, 1.1) == of_counts(1.1, {0, two32}, 1.1));
  // A bucket added below the first moves the buckets, not the carry's bucket.
  sketch.add(0.5);
  const QuantileSketch::Parts parts = sketch.parts();
  REQUIRE(parts.buckets.size() >= 2);
  CHECK(parts.buckets.front() == 1);
  CHECK(parts.buckets.back() == two32 + 1);
  CHECK(sketch.count() == two32 + 2);
}

TEST_CASE("core::QuantileSketch: quantiles, merges and collapses count the carried samples") {
  // Half the samples (and 10) near 1, half near 100: the median is near 1 only if the first
  // bucket's 2^32 count.
  const QuantileSketch sketch = of_counts(1.0, {two32 + 10, 0, 0}, 100.0);
  QuantileSketch high = of_counts(100.0, {two32}, 100.0);
  QuantileSketch both = sketch;
  both.merge(high);
  CHECK(both.count() == 2 * two32 + 10);
  CHECK(both.quantile(0.5) == doctest::Approx(1.0).epsilon(0.01));
  CHECK(both.quantile(0.6) == doctest::Approx(100.0).epsilon(0.01));
  CHECK(both.parts().buckets.front() == two32 + 10);
  CHECK(both.parts().buckets.back() == two32);
  // Two halves of 2^31 + 3 merge into one bucket past 2^32.
  QuantileSketch half = of_counts(5.0, {(two32 / 2) + 3}, 5.0);
  half.merge(of_counts(5.0, {(two32 / 2) + 3}, 5.0));
  CHECK(half.parts().buckets == std::vector<std::uint64_t>{two32 + 6});
  CHECK(half == of_counts(5.0, {two32 + 6}, 5.0));
  // Collapsing adds the carried counts of the dropped buckets into the one kept.
  QuantileSketch lows = of_counts(2.0, {two32 + 1, two32 + 2, 3}, 3.0);
  lows.collapse_lowest(2);
  CHECK(lows.parts().buckets == std::vector<std::uint64_t>{2 * two32 + 3, 3});
  lows.collapse_lowest(1);
  CHECK(lows.parts().buckets == std::vector<std::uint64_t>{2 * two32 + 6});
  CHECK(lows == QuantileSketch::from_parts(lows.parts())); // no carry left of a dropped bucket
}

TEST_CASE("core::QuantileSketch: self-merges and merges reaching below keep the carries") {
  // A sketch merged with itself: the wrap of each bucket must still be seen.
  QuantileSketch twice = of_counts(5.0, {(two32 / 2) + 3}, 5.0);
  twice.merge(twice);
  CHECK(twice.parts().buckets == std::vector<std::uint64_t>{two32 + 6});
  QuantileSketch carried = of_counts(5.0, {two32 + 1}, 5.0);
  carried.merge(carried);
  CHECK(carried.parts().buckets == std::vector<std::uint64_t>{(2 * two32) + 2});
  // The other sketch reaches below this one's first bucket, and both carry.
  QuantileSketch high = of_counts(100.0, {two32 + 7}, 100.0);
  high.merge(of_counts(1.0, {two32 + 10, 0, two32 - 1}, 100.0));
  const std::vector<std::uint64_t> buckets = high.parts().buckets;
  CHECK(buckets.front() == two32 + 10);
  CHECK(buckets[2] == two32 - 1);
  CHECK(buckets.back() == two32 + 7);
  CHECK(high == QuantileSketch::from_parts(high.parts()));
  // A wrap and carries landing in the same bucket; then all of it into an empty sketch.
  QuantileSketch both = of_counts(1.0, {two32 + (two32 - 1)}, 1.0);
  both.merge(of_counts(1.0, {two32 + 2}, 1.0));
  CHECK(both.parts().buckets == std::vector<std::uint64_t>{(3 * two32) + 1});
  CHECK(both == QuantileSketch::from_parts(both.parts()));
  QuantileSketch empty;
  empty.merge(both);
  CHECK(empty == both);
}
