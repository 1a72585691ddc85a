#include "core/event_heap.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

namespace {

struct Event {
  double at;
  std::uint64_t sequence;
};

bool earlier(const Event& a, const Event& b) {
  return a.at < b.at || (a.at == b.at && a.sequence < b.sequence);
}

} // namespace

TEST_CASE(
    "core::event_heap: pops in (time, sequence) order, as a sort, under pushes between pops") {
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int> time(0, 50); // many equal times: the sequence decides
  std::uniform_int_distribution<int> burst(0, 4);
  std::vector<Event> heap;
  std::vector<Event> popped;
  std::vector<Event> pushed;
  std::uint64_t sequence = 0;
  double now = 0;
  for (int step = 0; step < 20000; ++step) {
    for (int n = burst(random); n > 0; --n) { // events scheduled at or after the last popped
      const Event event{now + time(random), sequence++};
      heap.push_back(event);
      h2sim::event_heap_push(heap, earlier);
      pushed.push_back(event);
    }
    if (!heap.empty()) {
      h2sim::event_heap_pop(heap, earlier);
      popped.push_back(heap.back());
      heap.pop_back();
      now = popped.back().at;
    }
  }
  while (!heap.empty()) {
    h2sim::event_heap_pop(heap, earlier);
    popped.push_back(heap.back());
    heap.pop_back();
  }
  REQUIRE(popped.size() == pushed.size());
  REQUIRE(popped.size() > 30000);
  // Every event was scheduled no earlier than the last one popped, so the pops are the sort.
  std::vector<Event> sorted = pushed;
  std::sort(sorted.begin(), sorted.end(), earlier);
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    REQUIRE(popped[i].sequence == sorted[i].sequence);
  }
}

TEST_CASE("core::event_heap: one element, and sizes around a full level of four") {
  for (std::size_t n = 1; n <= 22; ++n) {
    std::vector<Event> heap;
    for (std::size_t i = 0; i < n; ++i) { // pushed latest first
      heap.push_back(Event{static_cast<double>(n - i), i});
      h2sim::event_heap_push(heap, earlier);
    }
    for (std::size_t i = 0; i < n; ++i) {
      h2sim::event_heap_pop(heap, earlier);
      CHECK(heap.back().at == static_cast<double>(i + 1));
      heap.pop_back();
    }
    CHECK(heap.empty());
  }
}

TEST_CASE("core::EventQueue: pops in (time, push) order across renumberings of its sequence") {
  for (const unsigned bits : {3U, 5U, 32U}) { // 3: renumbered every few pushes
    CAPTURE(bits);
    h2sim::EventQueue queue(bits);
    std::set<std::pair<double, std::uint32_t>> expected; // (time, push index): the order wanted
    std::mt19937_64 random(bits);
    std::uniform_int_distribution<int> time(0, 6); // many equal times: the push order decides
    std::uniform_int_distribution<int> burst(0, 3);
    std::uint32_t pushed = 0;
    std::size_t popped = 0;
    for (int step = 0; step < 5000; ++step) {
      for (int n = burst(random); n > 0 && expected.size() < 6; --n) { // < 2^3 pending
        const double at = time(random); // earlier than some pending ones, too
        queue.push(at, pushed);
        expected.emplace(at, pushed++);
      }
      if (!queue.empty()) {
        REQUIRE(queue.size() == expected.size());
        CHECK(queue.front_at() == expected.begin()->first);
        CHECK(queue.front_payload() == expected.begin()->second);
        REQUIRE(queue.pop() == expected.begin()->second);
        expected.erase(expected.begin());
        ++popped;
      }
    }
    CHECK(pushed > 4000);
    CHECK(popped > 4000);
  }
}

TEST_CASE("core::EventQueue: the runner-up is the event popped second, while the near heap holds "
          "it") {
  h2sim::EventQueue queue; // one heap: no spill below 4,096 events
  std::uint32_t second = 7;
  CHECK_FALSE(queue.runner_up_payload(second));
  queue.push(5.0, 50);
  CHECK_FALSE(queue.runner_up_payload(second));
  CHECK(second == 7); // untouched when there is none
  queue.push(9.0, 90);
  queue.push(5.0, 51); // a tie with the front: second by push order
  queue.push(7.0, 70);
  queue.push(6.0, 60);
  const std::vector<std::uint32_t> order{50, 51, 60, 70, 90};
  for (std::size_t i = 0; i < order.size(); ++i) {
    CAPTURE(i);
    if (i + 1 < order.size()) {
      REQUIRE(queue.runner_up_payload(second));
      CHECK(second == order[i + 1]);
    } else {
      CHECK_FALSE(queue.runner_up_payload(second));
    }
    CHECK(queue.pop() == order[i]);
  }
}

TEST_CASE("core::EventQueue: more events pending than its sequence can number is an error") {
  h2sim::EventQueue queue(2); // sequence numbers 0 to 3
  for (std::uint32_t i = 0; i < 4; ++i) {
    queue.push(1.0, i);
  }
  CHECK_THROWS_WITH_AS(queue.push(1.0, 4), "more than 3 events pending at once", std::length_error);
  CHECK_THROWS_AS(h2sim::EventQueue(0), std::invalid_argument);
  CHECK_THROWS_AS(h2sim::EventQueue(33), std::invalid_argument);
}

namespace {

/** Pushes and pops `queue` against a sorted reference; `draw` gives a push's time from now. */
template <class Draw>
void check_against_reference(h2sim::EventQueue& queue, std::mt19937_64& random, Draw draw,
                             std::size_t max_pending, int steps) {
  std::set<std::pair<double, std::uint32_t>> expected; // (time, push index): the order wanted
  std::uniform_int_distribution<int> burst(0, 3);
  std::uint32_t pushed = 0;
  double now = 0;
  for (int step = 0; step < steps; ++step) {
    for (int n = burst(random); n > 0 && expected.size() < max_pending; --n) {
      const double at = draw(now);
      queue.push(at, pushed);
      expected.emplace(at, pushed++);
    }
    // Grow to max_pending, then drain to empty, then grow again.
    const bool draining = (step / 2000) % 2 == 1;
    for (int n = draining ? 3 : 1; n > 0 && !queue.empty(); --n) {
      REQUIRE(queue.size() == expected.size());
      CHECK(queue.front_at() == expected.begin()->first);
      // The near heap's second, when it has one, is the queue's second: nothing elsewhere is
      // earlier than the near heap's events.
      std::uint32_t second = 0;
      if (queue.runner_up_payload(second)) {
        CHECK(second == std::next(expected.begin())->second);
      } else {
        CHECK((queue.size() < 2 || queue.near_size() < 2));
      }
      REQUIRE(queue.pop() == expected.begin()->second);
      now = std::max(now, expected.begin()->first);
      expected.erase(expected.begin());
    }
  }
  while (!queue.empty()) {
    REQUIRE(queue.pop() == expected.begin()->second);
    expected.erase(expected.begin());
  }
  CHECK(expected.empty());
}

} // namespace

TEST_CASE("core::EventQueue: spread into buckets, pops in the one heap's order") {
  constexpr double infinity = std::numeric_limits<double>::infinity();
  for (const std::size_t spill_at : {std::size_t{4}, std::size_t{40}, std::size_t{4096}}) {
    for (const std::size_t per_bucket : {std::size_t{1}, std::size_t{3}, std::size_t{64}}) {
      CAPTURE(spill_at);
      CAPTURE(per_bucket);
      std::mt19937_64 random(spill_at * 100 + per_bucket);
      std::uniform_int_distribution<int> kind(0, 19);
      std::uniform_real_distribution<double> soon(0, 10);
      std::uniform_real_distribution<double> later(500, 1500); // a trip a day ahead
      // A vehicle's day ahead, a service's minutes, equal times, the horizon, never, the past.
      const auto draw = [&](double now) {
        switch (kind(random)) {
        case 0:
          return now;
        case 1:
          return std::floor(now) + 2.0; // equal times: the push order decides
        case 2:
          return 1e6; // an outlier far past the rest
        case 3:
          return infinity;
        case 4:
          return now - soon(random); // earlier than the last popped
        case 5:
        case 6:
        case 7:
          return now + soon(random);
        default:
          return now + later(random);
        }
      };
      h2sim::EventQueue queue(32, spill_at, per_bucket);
      check_against_reference(queue, random, draw, 3000, 8000);
      queue.clear();
      CHECK(queue.empty());
      check_against_reference(queue, random, draw, 50, 3000); // reused after clear
    }
  }
}

TEST_CASE("core::EventQueue: times that do not spread stay one heap, and renumbering merges") {
  std::mt19937_64 random(11);
  SUBCASE("all at one time: the push order decides") {
    h2sim::EventQueue queue(32, 4, 2);
    check_against_reference(
        queue, random, [](double) { return 5.0; }, 500, 4000);
  }
  SUBCASE("a 6-bit sequence renumbered while spread") {
    h2sim::EventQueue queue(6, 4, 2);
    std::uniform_real_distribution<double> ahead(0, 100);
    check_against_reference(
        queue, random, [&](double now) { return now + ahead(random); }, 50, 6000);
  }
}

TEST_CASE("core::EventQueue: a fleet's first trips pushed one by one leave a small near heap") {
  // 100,000 vehicles each push their first trip over three days before the first pop, as the
  // fleet starts: buckets made for the first 4,097 must be made again as the events grow, or the
  // near heap holds thousands (a 1.1 M-vehicle fleet's held 16,000 on average).
  h2sim::EventQueue queue;
  std::mt19937_64 random(3);
  std::uniform_real_distribution<double> first_trip(0, 3 * 1440.0);
  for (std::uint32_t v = 0; v < 100000; ++v) {
    queue.push(first_trip(random), v);
  }
  std::size_t largest = 0;
  double last = 0;
  for (int pop = 0; pop < 50000; ++pop) {
    largest = std::max(largest, queue.near_size());
    const double at = queue.front_at();
    REQUIRE(at >= last);
    last = at;
    const std::uint32_t v = queue.pop();
    queue.push(at + 1440.0 + first_trip(random) / 3, v); // its next trip, about a day on
  }
  CHECK(queue.size() == 100000);
  CHECK(largest <= 4 * 64);
}

TEST_CASE("core::EventQueue: a heap that could not spread tries again once its events move on") {
  // 10,000 events at one time cannot spread; as they are popped and pushed a day or so ahead,
  // their times come apart, and the queue must spread them then, not stay one heap for good.
  h2sim::EventQueue queue(32, 64, 8);
  for (std::uint32_t v = 0; v < 10000; ++v) {
    queue.push(0.0, v);
  }
  CHECK(queue.near_size() == 10000);
  std::mt19937_64 random(5);
  std::uniform_real_distribution<double> ahead(1000, 2000);
  double last = 0;
  for (int pop = 0; pop < 30000; ++pop) {
    const double at = queue.front_at();
    REQUIRE(at >= last);
    last = at;
    queue.push(at + ahead(random), queue.pop());
  }
  CHECK(queue.size() == 10000);
  CHECK(queue.near_size() <= 4 * 8);
}

TEST_CASE("core::EventQueue: cleared while spread, then used again") {
  std::mt19937_64 random(9);
  std::uniform_real_distribution<double> ahead(0, 100);
  h2sim::EventQueue queue(32, 4, 2);
  for (std::uint32_t i = 0; i < 500; ++i) {
    queue.push(ahead(random), i);
  }
  CHECK(queue.near_size() < 500); // spread
  queue.clear();
  CHECK(queue.empty());
  CHECK(queue.size() == 0);
  check_against_reference(
      queue, random, [&](double now) { return now + ahead(random); }, 300, 3000);
}

TEST_CASE("core::EventQueue: extreme times keep the order") {
  constexpr double tiny = std::numeric_limits<double>::denorm_min();
  constexpr double huge = std::numeric_limits<double>::max();
  constexpr double infinity = std::numeric_limits<double>::infinity();
  std::mt19937_64 random(13);
  SUBCASE("spans of a few denormals: too narrow to spread") {
    std::uniform_int_distribution<int> steps(0, 3);
    h2sim::EventQueue queue(32, 4, 1);
    check_against_reference(
        queue, random, [&](double) { return tiny * steps(random); }, 200, 3000);
  }
  SUBCASE("the largest doubles, their negatives and the infinities") {
    const std::vector<double> times{-infinity, -huge, -1e300, 0.0,     tiny,
                                    1.0,       1e300, huge,   infinity};
    std::uniform_int_distribution<std::size_t> pick(0, times.size() - 1);
    h2sim::EventQueue queue(6, 4, 1);
    check_against_reference(
        queue, random, [&](double) { return times[pick(random)]; }, 40, 3000);
  }
}
