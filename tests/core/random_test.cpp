#include "core/random.hpp"

#include <doctest/doctest.h>

#include <cmath>

using h2sim::RandomStream;

TEST_CASE("core::RandomStream: the same (seed, replication, entity) gives the same numbers") {
  RandomStream a(42, 0, 7);
  RandomStream b(42, 0, 7);
  for (int i = 0; i < 1000; ++i) {
    CHECK(a.uniform() == b.uniform());
  }
}

TEST_CASE("core::RandomStream: seeds, replications and entities give different streams") {
  const double base = RandomStream(42, 0, 7).uniform();
  CHECK(RandomStream(43, 0, 7).uniform() != base);
  CHECK(RandomStream(42, 1, 7).uniform() != base);
  CHECK(RandomStream(42, 0, 8).uniform() != base);
}

TEST_CASE("core::RandomStream: a part of a stream starts afresh wherever the stream is, and is "
          "none of the stream's other parts") {
  RandomStream stream(42, 0, 7);
  const RandomStream fresh_fill = stream.part(1);
  for (int i = 0; i < 9; ++i) {
    stream.uniform(); // the stream's own draws do not move its parts
  }
  RandomStream fill = stream.part(1);
  RandomStream copy = fresh_fill;
  RandomStream patience = stream.part(2);
  RandomStream whole = stream.part(0); // part 0: the stream from its start
  RandomStream again(42, 0, 7);
  for (int i = 0; i < 100; ++i) {
    const double u = fill.uniform();
    CHECK(u == copy.uniform());
    CHECK(u != patience.uniform());
    CHECK(whole.uniform() == again.uniform());
  }
}

TEST_CASE("core::RandomStream: uniform numbers are in (0, 1) with the right mean and variance") {
  RandomStream rng(1, 0, h2sim::entity_id("test"));
  const int n = 200000;
  double sum = 0;
  double squares = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    squares += u * u;
  }
  const double mean = sum / n;
  // Standard error of the mean is sqrt(1/12 / n) = 0.00065: 5 of them.
  CHECK(mean == doctest::Approx(0.5).epsilon(0.0065));
  CHECK(squares / n - mean * mean == doctest::Approx(1.0 / 12.0).epsilon(0.01));
}

TEST_CASE("core::entity_id: stable FNV-1a values, so streams survive across versions") {
  CHECK(h2sim::entity_id("") == 0xcbf29ce484222325ULL);
  CHECK(h2sim::entity_id("a") == 0xaf63dc4c8601ec8cULL);
}
