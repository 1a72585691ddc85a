#include "core/event_set.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace {

struct Event {
  double at;
  std::uint64_t sequence;
};

struct Earlier {
  bool operator()(const Event& a, const Event& b) const {
    return a.at < b.at || (a.at == b.at && a.sequence < b.sequence);
  }
};

/** Pushes bursts of events at or after the last popped, pops one per step, then drains. */
std::vector<Event> run(h2sim::EventSet<Event, Earlier>& set, std::vector<Event>& pushed,
                       std::uint64_t seed, double spread, double far_every) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> later(0, spread);
  std::uniform_int_distribution<int> burst(0, 4);
  std::uniform_int_distribution<int> kind(0, 99);
  std::vector<Event> popped;
  std::uint64_t sequence = 0;
  double now = 0;
  for (int step = 0; step < 20000; ++step) {
    for (int n = burst(random); n > 0; --n) {
      double at = now + std::floor(later(random)); // whole minutes: many equal times
      const int k = kind(random);
      if (k < 10) {
        at = now; // now: into the current bucket
      } else if (k < 12) {
        at = now + far_every * (1 + later(random)); // past the ring
      } else if (k == 12) {
        at = INFINITY; // never, in effect
      } else if (k == 13) {
        at = now + 0.25 * std::floor(4 * later(random)); // quarter minutes, bucket edges
      }
      const Event event{at, sequence++};
      set.push(event);
      pushed.push_back(event);
    }
    if (!set.empty()) {
      popped.push_back(set.pop());
      if (std::isfinite(popped.back().at)) {
        now = popped.back().at;
      }
    }
  }
  while (!set.empty()) {
    popped.push_back(set.pop());
  }
  return popped;
}

} // namespace

TEST_CASE("core::EventSet: pops in (time, sequence) order, as a sort, across ring and far heap") {
  // (width, buckets, spread of times ahead, times past the ring): events in the current bucket,
  // the ring, past its end (the far heap, met again when the ring reaches them), and at +inf.
  struct Shape {
    double width;
    std::size_t buckets;
    double spread;
    double far;
  };
  for (const Shape shape : {Shape{1.0, 16, 40, 100}, Shape{15.0, 1024, 3000, 1e6},
                            Shape{0.5, 4, 10, 7}, Shape{1e3, 2, 5, 1e4}}) {
    h2sim::EventSet<Event, Earlier> set(shape.width, shape.buckets);
    std::vector<Event> pushed;
    const std::vector<Event> popped = run(set, pushed, 7, shape.spread, shape.far);
    CAPTURE(shape.width);
    CAPTURE(shape.buckets);
    REQUIRE(popped.size() == pushed.size());
    REQUIRE(popped.size() > 30000);
    std::vector<Event> sorted = pushed;
    std::sort(sorted.begin(), sorted.end(), Earlier{});
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      REQUIRE(popped[i].sequence == sorted[i].sequence);
    }
    CHECK(set.size() == 0);
  }
}

TEST_CASE("core::EventSet: front, size, clear, and times past 2^50 buckets") {
  h2sim::EventSet<Event, Earlier> set(1.0, 8);
  set.push({5, 0});
  set.push({3, 1});
  set.push({1e300, 2}); // a vehicle that drives 1e-300 km a day: far, never in the ring
  set.push({0x1p51, 3});
  set.push({3, 4});
  CHECK(set.size() == 5);
  CHECK(set.front().sequence == 1);
  CHECK(set.pop().sequence == 1);
  CHECK(set.pop().sequence == 4);
  CHECK(set.pop().sequence == 0);
  set.push({0x1p51 + 2, 5});
  CHECK(set.pop().sequence == 3);
  set.push({0x1p51 + 1, 6}); // after the clock reached 2^51: buckets still in order
  CHECK(set.pop().sequence == 6);
  CHECK(set.pop().sequence == 5);
  CHECK(set.pop().sequence == 2);
  CHECK(set.empty());
  set.push({7, 7});
  set.push({70, 8});
  set.clear();
  CHECK(set.empty());
  set.push({2, 9}); // usable after clear, earlier than the clock it had reached
  CHECK(set.front().sequence == 9);
  CHECK(set.pop().sequence == 9);
}
