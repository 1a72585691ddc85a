// MSER-5 truncation (core/mser.cpp), on sequences whose best cut is known by hand.
#include "core/mser.hpp"

#include <doctest/doctest.h>

using namespace h2sim;

TEST_CASE("mser: a sequence without a transient is not cut") {
  const auto cut = mser::truncation({1, 2, 1, 2, 1, 2, 1, 2});
  CHECK(cut.first_kept == 0);
  CHECK(cut.stable);
}

TEST_CASE("mser: a start far below the steady level is cut where the level is reached") {
  // 0, 0, then 10 +- 1 alternating: keeping the zeros inflates the spread, cutting at 2 leaves
  // squares 8 over 8 values, 8 / 64 = 0.125, the smallest of all cuts.
  const auto cut = mser::truncation({0, 0, 9, 11, 9, 11, 9, 11, 9, 11});
  CHECK(cut.first_kept == 2);
  CHECK(cut.stable);
}

TEST_CASE("mser: a run still drifting at its end has no stable cut") {
  // A steady rise: the smallest standard error is always near the end.
  std::vector<double> rising;
  for (int i = 0; i < 20; ++i) {
    rising.push_back(i * i);
  }
  const auto cut = mser::truncation(rising);
  CHECK(cut.first_kept > 10);
  CHECK_FALSE(cut.stable);
}

TEST_CASE("mser: a calm run whose last batches are all zero is not cut at its end") {
  // Light load: most batches of five waits are all zero. The remainder past a run of zeros at the
  // end has no spread at all, score 0, and was chosen: a cut at batch 18 of 20, called unstable,
  // and the warm-up set to half the horizon.
  const std::vector<double> light{0.4, 0, 0,   0.2, 0, 0, 0,   0.6, 0, 0,
                                  0,   0, 0.3, 0,   0, 0, 0.1, 0,   0, 0};
  const auto cut = mser::truncation(light);
  CHECK(cut.first_kept == 8); // the least score of cuts 0 .. 10 (6.0e-4), by hand
  CHECK(cut.stable);
  // The same run falling from a busy start (its first batch high): the cut still in the first half.
  std::vector<double> falling = light;
  falling[0] = 5;
  CHECK(mser::truncation(falling).first_kept == 8);
  CHECK(mser::truncation(falling).stable);
  // Its last two batches alike and above the rest: two batches score near 0 by chance, and a cut
  // at 18 was called a rise. Past the middle a cut keeps a quarter of the run (5 batches here).
  std::vector<double> ends_high = light;
  ends_high[18] = 0.3;
  ends_high[19] = 0.31;
  CHECK(mser::truncation(ends_high).stable);
  CHECK(mser::truncation(ends_high).first_kept <= 10);
}

TEST_CASE("mser: fewer than four batches give no cut and no stable point") {
  CHECK_FALSE(mser::truncation({1, 2, 3}).stable);
  CHECK(mser::truncation({1, 2, 3}).first_kept == 0);
}

TEST_CASE("mser: batches hold the means of five observations and when each batch began") {
  mser::Batcher batcher;
  for (int i = 0; i < 12; ++i) {
    batcher.add(i, 100.0 + i);
  }
  REQUIRE(batcher.means().size() == 2);
  CHECK(batcher.means()[0] == 2.0);
  CHECK(batcher.means()[1] == 7.0);
  CHECK(batcher.starts()[1] == 105.0);
}
