#include "core/event_heap.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
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
