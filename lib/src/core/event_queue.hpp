#pragma once

#include "event_heap.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace h2sim {

/**
 * Pending events in (time, sequence) order: the same order as one heap of them all, with a heap
 * that holds only the events of the current time bucket.
 *
 * Why: a calendar of a million vehicles holds a million events, most of them hours or days ahead
 * (each vehicle's next decision). In one heap every push and pop walks ~10 levels of a 24 MB
 * array, each a cache miss. Here an event beyond the current bucket (`bucket_min` wide) is
 * appended to its bucket's vector (one sequential write), and a bucket's events enter the heap
 * only when the clock reaches it; the heap stays about one bucket's events, which fit the cache.
 * Events further than `buckets` buckets ahead (or at no finite time) wait in a second heap. A
 * drained bucket's memory is given back, so memory follows the events pending, not the horizon.
 *
 * Invariant: every event in a bucket or in the far heap lies in a later bucket than `current_`,
 * so when the heap's first event lies in `current_` (or before), it is the earliest of all.
 */
template <class Entry, class Before> class EventQueue {
public:
  explicit EventQueue(double bucket_min = 60.0, std::size_t buckets = 256)
      : per_min_(1 / bucket_min), ring_(buckets) {}

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  void push(const Entry& entry) {
    ++size_;
    const std::int64_t b = bucket(entry.at);
    if (b <= current_) {
      heap_.push_back(entry);
      event_heap_push(heap_, Before{});
    } else if (b - current_ < static_cast<std::int64_t>(ring_.size())) {
      ring_[slot(b)].push_back(entry);
      ++in_ring_;
    } else {
      far_.push_back(entry);
      event_heap_push(far_, Before{});
    }
  }

  /** The earliest pending event (not empty()). */
  const Entry& front() {
    settle();
    return heap_.front();
  }

  /** Removes and returns the earliest pending event (not empty()). */
  Entry pop() {
    settle();
    event_heap_pop(heap_, Before{});
    const Entry entry = heap_.back();
    heap_.pop_back();
    --size_;
    return entry;
  }

  void clear() {
    heap_.clear();
    far_.clear();
    for (auto& events : ring_) {
      std::vector<Entry>().swap(events);
    }
    in_ring_ = 0;
    size_ = 0;
  }

private:
  static constexpr std::int64_t never = INT64_MAX / 2; // the bucket of a time too far to count

  std::int64_t bucket(double at) const {
    const double b = std::floor(at * per_min_); // the one rule that places an event
    return b < static_cast<double>(never) ? static_cast<std::int64_t>(b) : never;
  }
  std::size_t slot(std::int64_t b) const {
    const auto n = static_cast<std::int64_t>(ring_.size());
    return static_cast<std::size_t>(((b % n) + n) % n);
  }

  /** Moves buckets into the heap until its first event is the earliest of all. */
  void settle() {
    while (heap_.empty() || bucket(heap_.front().at) > current_) {
      if (in_ring_ == 0) { // nothing near: jump to the next event's bucket
        std::int64_t next = far_.empty() ? never : bucket(far_.front().at);
        if (!heap_.empty()) {
          next = std::min(next, bucket(heap_.front().at));
        }
        if (next >= never) {
          current_ = never; // only events at no finite time (or none) are left
          take_far();
          return;
        }
        current_ = next - 1;
      }
      ++current_;
      std::vector<Entry>& events = ring_[slot(current_)];
      in_ring_ -= events.size();
      for (const Entry& entry : events) {
        heap_.push_back(entry);
        event_heap_push(heap_, Before{});
      }
      std::vector<Entry>().swap(events);
      take_far();
    }
  }

  /** Moves the far events that now lie in the current bucket (or before) into the heap. */
  void take_far() {
    while (!far_.empty() && bucket(far_.front().at) <= current_) {
      event_heap_pop(far_, Before{});
      heap_.push_back(far_.back());
      event_heap_push(heap_, Before{});
      far_.pop_back();
    }
  }

  double per_min_;                       // buckets per minute
  std::vector<Entry> heap_;              // events of buckets up to current_, a 4-ary heap
  std::vector<std::vector<Entry>> ring_; // the next buckets' events, unordered
  std::vector<Entry> far_;               // events beyond the ring, a 4-ary heap
  std::int64_t current_ = -1;            // the bucket being run
  std::size_t in_ring_ = 0;
  std::size_t size_ = 0;
};

} // namespace h2sim
