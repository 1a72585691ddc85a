#pragma once

#include "event_heap.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace h2sim {

/**
 * The pending events of a calendar: push any, pop the first by `Before`, a strict total order
 * that orders by the entries' `at` (a time, not NaN) first, e.g. (time, sequence). Pops come out
 * in exactly the order of a heap under the same order (event_heap.hpp).
 *
 * A calendar queue (R. Brown, 1988) in two tiers, for a fleet whose events are mostly scheduled
 * hours or days ahead: time is cut into buckets `width` wide; the current bucket's events wait in
 * a small 4-ary heap, the next `buckets - 1` buckets' in a ring of unsorted vectors, later ones
 * in a 4-ary heap of their own. Scheduling appends to one bucket (one cache line touched, where a
 * heap of a million entries sifts through a dozen lines that miss); popping takes from the small
 * heap, and only when it is empty does the next bucket with events move into it. Its order is
 * the heap's: every event of an earlier bucket is earlier in time (floor(at / width) is monotone
 * in `at`), and the tiers are each ordered by `Before`.
 */
template <class T, class Before> class EventSet {
public:
  explicit EventSet(double width = 15.0, std::size_t buckets = 1024)
      : width_(width), ring_(buckets) {}

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  /** The first event (the set must not be empty). */
  const T& front() const { return near_.front(); }

  void push(T value) {
    const double bucket = bucket_of(value.at);
    ++size_;
    if (bucket <= current_) {
      near_.push_back(std::move(value));
      event_heap_push(near_, Before{});
      return;
    }
    if (bucket < ring_end()) {
      ring_[slot_of(bucket)].push_back(std::move(value));
      ++in_ring_;
    } else {
      far_.push_back(std::move(value));
      event_heap_push(far_, Before{});
    }
    if (near_.empty()) {
      advance();
    }
  }

  /** Removes the first event and returns it (the set must not be empty). */
  T pop() {
    event_heap_pop(near_, Before{});
    T first = std::move(near_.back());
    near_.pop_back();
    --size_;
    if (near_.empty() && size_ > 0) {
      advance();
    }
    return first;
  }

  void clear() {
    near_.clear();
    far_.clear();
    for (std::vector<T>& bucket : ring_) {
      bucket.clear();
    }
    in_ring_ = 0;
    size_ = 0;
  }

private:
  double bucket_of(double at) const { return std::floor(at / width_); }
  /**
   * Buckets from current_ + 1 up to this one go into the ring. Beyond 2^50 buckets (2e9 years of
   * minutes) the far heap takes them, where doubles still count buckets one by one.
   */
  double ring_end() const {
    return std::fmin(current_ + static_cast<double>(ring_.size()), 0x1p50);
  }
  std::size_t slot_of(double bucket) const {
    return static_cast<std::size_t>(static_cast<std::uint64_t>(bucket) % ring_.size());
  }

  /** Makes the next bucket that has events the current one, and moves them into the small heap. */
  void advance() {
    // The earliest bucket with events: the first non-empty one of the ring, unless the far heap's
    // first event is in an earlier one (it came before the ring reached its bucket).
    double next = far_.empty() ? INFINITY : bucket_of(far_.front().at);
    if (in_ring_ > 0) {
      for (double bucket = current_ + 1; bucket < next; ++bucket) {
        if (!ring_[slot_of(bucket)].empty()) {
          next = bucket;
          break;
        }
      }
    }
    current_ = next;
    if (std::isfinite(next)) {
      std::vector<T>& bucket = ring_[slot_of(next)];
      in_ring_ -= bucket.size();
      for (T& value : bucket) {
        near_.push_back(std::move(value));
        event_heap_push(near_, Before{});
      }
      bucket.clear();
    }
    while (!far_.empty() && bucket_of(far_.front().at) <= current_) {
      event_heap_pop(far_, Before{});
      near_.push_back(std::move(far_.back()));
      far_.pop_back();
      event_heap_push(near_, Before{});
    }
  }

  double width_;
  std::vector<T> near_;              // 4-ary heap: the events of buckets <= current_
  std::vector<std::vector<T>> ring_; // by bucket modulo its size: buckets after current_
  std::vector<T> far_;               // 4-ary heap: buckets that were past the ring's end
  double current_ = -1;              // the bucket whose events are in near_
  std::size_t in_ring_ = 0;
  std::size_t size_ = 0;
};

} // namespace h2sim
