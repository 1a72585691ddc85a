#include "core/event_queue.hpp"

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

/**
 * Pushes and pops at random (`gap` spreads the times, `near` the share scheduled within a few
 * minutes) and checks the pops against a plain heap of the same events: the same order, event for
 * event. Times are multiples of 1/4, so many are equal and on bucket edges.
 */
void same_order_as_one_heap(h2sim::EventQueue<Event, Earlier>& queue, double gap, double near,
                            std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> quarters(0, static_cast<int>(4 * gap));
  std::uniform_int_distribution<int> close(0, 8);
  std::bernoulli_distribution nearby(near);
  std::uniform_int_distribution<int> burst(0, 4);
  std::vector<Event> reference;
  std::uint64_t sequence = 0;
  double now = 0;
  std::size_t popped = 0;
  const auto check_pop = [&] {
    REQUIRE(queue.size() == reference.size());
    h2sim::event_heap_pop(reference, Earlier{});
    const Event expected = reference.back();
    reference.pop_back();
    CHECK(queue.front().sequence == expected.sequence);
    const Event got = queue.pop();
    REQUIRE(got.sequence == expected.sequence);
    REQUIRE(got.at == expected.at);
    now = got.at;
    ++popped;
  };
  for (int step = 0; step < 20000; ++step) {
    for (int n = burst(random); n > 0; --n) { // at or after the last event popped
      const double ahead = nearby(random) ? close(random) / 4.0 : quarters(random) / 4.0;
      const Event event{now + ahead, sequence++};
      queue.push(event);
      reference.push_back(event);
      h2sim::event_heap_push(reference, Earlier{});
    }
    if (!reference.empty()) {
      check_pop();
    }
  }
  while (!reference.empty()) {
    check_pop();
  }
  CHECK(queue.empty());
  CHECK(popped > 30000);
}

} // namespace

TEST_CASE("core::event_queue: pops exactly as one heap, through its buckets, ring and far heap") {
  SUBCASE("most events within the ring") {
    h2sim::EventQueue<Event, Earlier> queue(1.0, 64);
    same_order_as_one_heap(queue, 40, 0.5, 1);
  }
  SUBCASE("most events beyond the ring (the far heap), few buckets") {
    h2sim::EventQueue<Event, Earlier> queue(1.0, 4);
    same_order_as_one_heap(queue, 200, 0.3, 2);
  }
  SUBCASE("buckets wider than most gaps") {
    h2sim::EventQueue<Event, Earlier> queue(60.0, 256);
    same_order_as_one_heap(queue, 30, 0.5, 3);
  }
  SUBCASE("bucket edges that are not whole numbers") {
    h2sim::EventQueue<Event, Earlier> queue(0.3, 16);
    same_order_as_one_heap(queue, 20, 0.2, 4);
  }
}

TEST_CASE("core::event_queue: long gaps, events at no finite time, and clearing") {
  h2sim::EventQueue<Event, Earlier> queue(1.0, 8);
  queue.push({INFINITY, 0});
  queue.push({1e9, 1}); // far beyond the ring: the queue jumps there
  queue.push({5, 2});
  queue.push({5, 3});
  queue.push({1e300, 4});
  CHECK(queue.pop().sequence == 2);
  CHECK(queue.pop().sequence == 3);
  queue.push({6, 5}); // earlier than the far events, after the jump to 5's bucket
  CHECK(queue.pop().sequence == 5);
  CHECK(queue.pop().sequence == 1);
  queue.push({1e9 + 0.5, 6}); // in the bucket being run
  CHECK(queue.pop().sequence == 6);
  CHECK(queue.pop().sequence == 4);
  CHECK(queue.front().sequence == 0);
  CHECK(queue.pop().at == INFINITY);
  CHECK(queue.empty());
  queue.push({3, 7});
  queue.push({1e5, 8});
  queue.clear();
  CHECK(queue.empty());
  CHECK(queue.size() == 0);
}
