#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace h2sim {

/**
 * A 4-ary min-heap over a vector, with std::push_heap/pop_heap's interface: `before(a, b)` is
 * true when `a` comes out first; pop moves the first element to the back. With a strict total
 * order (e.g. time, then sequence) the elements come out in exactly the order a binary heap gives.
 *
 * Why not std::push_heap: a calendar of a million vehicles holds a million events, and a binary
 * heap's pop walks 20 levels, each a cache miss. Four children per node halve the depth, and the
 * four siblings compared at each level lie side by side in memory (bench/results/
 * 2026-12-01-event-heap.json).
 */
template <class T, class Before> void event_heap_push(std::vector<T>& heap, Before before) {
  std::size_t hole = heap.size() - 1;
  T value = std::move(heap[hole]);
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 4;
    if (!before(value, heap[parent])) {
      break;
    }
    heap[hole] = std::move(heap[parent]);
    hole = parent;
  }
  heap[hole] = std::move(value);
}

template <class T, class Before> void event_heap_pop(std::vector<T>& heap, Before before) {
  const std::size_t size = heap.size() - 1; // the heap after the pop: [0, size)
  if (size == 0) {
    return;
  }
  T last = std::move(heap[size]);
  heap[size] = std::move(heap[0]);
  std::size_t hole = 0;
  for (;;) {
    const std::size_t first = 4 * hole + 1;
    if (first >= size) {
      break;
    }
    std::size_t best = first;
    const std::size_t end = first + 4 < size ? first + 4 : size;
    for (std::size_t child = first + 1; child < end; ++child) {
      if (before(heap[child], heap[best])) {
        best = child;
      }
    }
    if (!before(heap[best], last)) {
      break;
    }
    heap[hole] = std::move(heap[best]);
    hole = best;
  }
  heap[hole] = std::move(last);
}

/**
 * A calendar's pending events in 16 bytes each, earliest first and, at one time, in the order
 * pushed: the time, then one word with the push's sequence number in its high bits and the
 * caller's 32-bit payload (an event's slot, say) in its low bits. Four entries of a 4-ary heap's
 * siblings take 64 bytes.
 *
 * The sequence has `sequence_bits` bits (32 in a run). When they run out, the pending events are
 * renumbered 0, 1, ... in their order, which keeps that order, and numbering goes on from there;
 * a sorted vector is a heap, so nothing else moves. Only the number of events pending at once is
 * bounded, by 2^sequence_bits (more than a run's memory could hold).
 */
class EventQueue {
public:
  explicit EventQueue(unsigned sequence_bits = 32) : sequence_end_(end_of(sequence_bits)) {}

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  double front_at() const { return heap_.front().at; }
  std::uint32_t front_payload() const { return payload_of(heap_.front()); }

  /** Adds an event at time `at` (not NaN), after every pending event of that time. */
  void push(double at, std::uint32_t payload) {
    if (next_sequence_ == sequence_end_) {
      renumber();
    }
    heap_.push_back(Entry{at, next_sequence_++ << payload_bits | payload});
    event_heap_push(heap_, Earlier{});
  }
  /** Removes the earliest event and gives its payload (the queue must not be empty). */
  std::uint32_t pop() {
    event_heap_pop(heap_, Earlier{});
    const std::uint32_t payload = payload_of(heap_.back());
    heap_.pop_back();
    return payload;
  }
  void clear() { heap_.clear(); }

private:
  static constexpr unsigned payload_bits = 32;
  struct Entry {
    double at;
    std::uint64_t order; // sequence << payload_bits | payload
  };
  struct Earlier {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.at < b.at || (a.at == b.at && a.order < b.order);
    }
  };
  static std::uint64_t end_of(unsigned sequence_bits) {
    if (sequence_bits == 0 || sequence_bits > payload_bits) {
      throw std::invalid_argument("an event queue's sequence has 1 to 32 bits");
    }
    return std::uint64_t{1} << sequence_bits;
  }
  static std::uint32_t payload_of(const Entry& entry) {
    return static_cast<std::uint32_t>(entry.order);
  }
  void renumber() {
    if (heap_.size() >= sequence_end_) {
      throw std::length_error("more than " + std::to_string(sequence_end_ - 1) +
                              " events pending at once");
    }
    std::sort(heap_.begin(), heap_.end(), Earlier{});
    next_sequence_ = 0;
    for (Entry& entry : heap_) {
      entry.order = next_sequence_++ << payload_bits | payload_of(entry);
    }
  }

  std::vector<Entry> heap_; // a 4-ary heap
  std::uint64_t next_sequence_ = 0;
  std::uint64_t sequence_end_;
};

} // namespace h2sim
