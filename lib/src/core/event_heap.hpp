#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
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

/** Restores a 4-ary heap below `hole` (children of `hole` are heaps) over [0, size). */
template <class T, class Before>
void event_heap_sift_down(std::vector<T>& heap, std::size_t hole, std::size_t size, Before before) {
  T value = std::move(heap[hole]);
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
    if (!before(heap[best], value)) {
      break;
    }
    heap[hole] = std::move(heap[best]);
    hole = best;
  }
  heap[hole] = std::move(value);
}

template <class T, class Before> void event_heap_pop(std::vector<T>& heap, Before before) {
  const std::size_t size = heap.size() - 1; // the heap after the pop: [0, size)
  if (size == 0) {
    return;
  }
  std::swap(heap[0], heap[size]);
  event_heap_sift_down(heap, 0, size, before);
}

/** Makes a 4-ary heap of any vector, in linear time. */
template <class T, class Before> void event_heap_make(std::vector<T>& heap, Before before) {
  for (std::size_t parent = heap.size() / 4 + 1; parent-- > 0;) {
    if (parent < heap.size()) {
      event_heap_sift_down(heap, parent, heap.size(), before);
    }
  }
}

/**
 * A calendar's pending events in 16 bytes each, earliest first and, at one time, in the order
 * pushed: the time, then one word with the push's sequence number in its high bits and the
 * caller's 32-bit payload (an event's slot, say) in its low bits. Four entries of a 4-ary heap's
 * siblings take 64 bytes.
 *
 * **Near heap and buckets.** Up to `spill_at` pending events the queue is one 4-ary heap. Past
 * it, the events are spread into buckets of equal width in time, about `per_bucket` each, and
 * only the earliest bucket is a heap (the near heap); a later event is appended to its bucket,
 * or, past the last bucket, to an unsorted far list. When the near heap runs out the next bucket
 * becomes it; when the buckets run out the far list is spread again; and when the pending events
 * have doubled since the buckets were made (a fleet's first trips, pushed one by one), they are
 * all spread again, into as many buckets as they now need. A vehicle's next trip, a
 * day ahead, is thus appended, not sifted through a heap of a million entries (20 levels in
 * binary, 10 in 4-ary, each a cache miss at that size).
 *
 * The order is exactly the one heap's: an event's bucket is a non-decreasing function of its time
 * (a subtraction and a multiplication by a positive constant, both rounded monotonically), so
 * every event in the near heap is no later than every event elsewhere, and the events of one time
 * share a bucket, where the heap orders them by sequence. An event earlier than the near heap's
 * bucket goes into the near heap. Times that do not spread (all equal, or not finite) stay in one
 * heap, and the next try waits for as many pushes as it held.
 *
 * Made for a calendar, whose events are never earlier than the last popped: the buckets start at
 * the earliest pending event, so one far earlier than the rest would crowd them all into the
 * first, and events at +infinity are moved at every spread (the engine schedules neither).
 *
 * The sequence has `sequence_bits` bits (32 in a run). When they run out, the pending events are
 * renumbered 0, 1, ... in their order, which keeps that order, and numbering goes on from there;
 * a sorted vector is a heap, so they become the near heap. Only the number of events pending at
 * once is bounded, by 2^sequence_bits (more than a run's memory could hold).
 */
class EventQueue {
public:
  explicit EventQueue(unsigned sequence_bits = 32, std::size_t spill_at = 4096,
                      std::size_t per_bucket = 64)
      : sequence_end_(end_of(sequence_bits)), spill_at_(spill_at),
        per_bucket_(per_bucket == 0 ? 1 : per_bucket) {}

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // The near heap is never empty while events are pending.
  double front_at() const { return near_.front().at; }
  std::uint32_t front_payload() const { return payload_of(near_.front()); }
  /**
   * The payload of the near heap's second earliest event, if it holds two or more: the event
   * after the front unless the front's own event schedules an earlier one (a prefetch guess).
   */
  bool runner_up_payload(std::uint32_t& payload) const {
    const std::size_t end = near_.size() < 5 ? near_.size() : 5; // the root's children: 1 to 4
    if (end < 2) {
      return false;
    }
    std::size_t best = 1;
    for (std::size_t child = 2; child < end; ++child) {
      if (Earlier{}(near_[child], near_[best])) {
        best = child;
      }
    }
    payload = payload_of(near_[best]);
    return true;
  }
  /** How many events the near heap holds (what a pop sifts through): for tests and benchmarks. */
  std::size_t near_size() const { return near_.size(); }

  /** Adds an event at time `at` (not NaN), after every pending event of that time. */
  void push(double at, std::uint32_t payload) {
    if (next_sequence_ == sequence_end_) {
      renumber();
    }
    const Entry entry{at, next_sequence_++ << payload_bits | payload};
    if (size_++ == 0) {
      unspread(); // a fresh start: buckets made for the events before are no guide
    }
    if (buckets_.empty()) {
      push_near(entry);
      // After a spread that failed, wait for as many pushes as there were events, so that the
      // retries cost O(1) a push, but a heap of a million events at one time still spreads
      // once they have moved on.
      if (near_.size() > spill_at_ && (retry_in_ == 0 || --retry_in_ == 0)) {
        std::vector<Entry> all;
        all.swap(near_);
        spread(std::move(all));
      }
      return;
    }
    const std::size_t bucket = bucket_of(at);
    if (bucket < next_bucket_) {
      push_near(entry);
    } else if (bucket < buckets_.size()) {
      buckets_[bucket].push_back(entry);
    } else {
      far_.push_back(entry);
    }
    if (size_ > 2 * spread_size_) {
      respread(); // the buckets were made for half as many events: a million vehicles starting
    }
  }
  /** Removes the earliest event and gives its payload (the queue must not be empty). */
  std::uint32_t pop() {
    event_heap_pop(near_, Earlier{});
    const std::uint32_t payload = payload_of(near_.back());
    near_.pop_back();
    if (--size_ != 0 && near_.empty()) {
      refill();
    }
    return payload;
  }
  void clear() {
    size_ = 0;
    near_.clear();
    far_.clear();
    unspread();
  }

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
  void push_near(const Entry& entry) {
    near_.push_back(entry);
    event_heap_push(near_, Earlier{});
  }
  /** The bucket of time `at`: non-decreasing in `at`; buckets_.size() past the last (or NaN). */
  std::size_t bucket_of(double at) const {
    const double position = (at - base_) * per_width_;
    if (position < 1.0) {
      return 0;
    }
    if (!(position < static_cast<double>(buckets_.size()))) {
      return buckets_.size();
    }
    return static_cast<std::size_t>(position);
  }
  /** Drops the buckets of an empty queue (or of one whose events are all in the near heap). */
  void unspread() {
    buckets_.clear();
    next_bucket_ = 0;
    retry_in_ = 0;
  }
  /** Spreads `entries` (all pending events, none in the near heap) into buckets. */
  void spread(std::vector<Entry> entries) {
    // The buckets span from the earliest event to past most of them, judged on a sample: an
    // outlier (an event at the horizon, say) would otherwise stretch them and crowd the rest
    // into the first. Events past the span wait in the far list.
    double first = entries.front().at;
    for (const Entry& entry : entries) {
      first = std::min(first, entry.at);
    }
    std::vector<double> sample;
    const std::size_t stride = std::max<std::size_t>(1, entries.size() / 256);
    for (std::size_t i = 0; i < entries.size(); i += stride) {
      if (entries[i].at < std::numeric_limits<double>::infinity()) {
        sample.push_back(entries[i].at);
      }
    }
    std::sort(sample.begin(), sample.end());
    double last = first;
    if (!sample.empty()) {
      const double most = sample[sample.size() * 15 / 16];
      last = most > first ? first + (most - first) * 16 / 15 : sample.back();
    }
    const std::size_t count = std::max<std::size_t>(2, entries.size() / per_bucket_);
    const double per_width = static_cast<double>(count) / (last - first);
    buckets_.clear();
    if (!(last > first) || !(first > -std::numeric_limits<double>::infinity()) ||
        !(per_width > 0) || !(per_width < std::numeric_limits<double>::infinity())) {
      near_ = std::move(entries); // nothing to spread: one heap, and try again later
      event_heap_make(near_, Earlier{});
      retry_in_ = near_.size();
      return;
    }
    base_ = first;
    per_width_ = per_width;
    spread_size_ = entries.size();
    buckets_.resize(count);
    // Each bucket is sized exactly (a count, then the entries), and given up once it has become
    // the near heap, so the buckets take no more memory than the events they hold.
    std::vector<std::size_t> sizes(count + 1);
    for (const Entry& entry : entries) {
      ++sizes[bucket_of(entry.at)];
    }
    for (std::size_t bucket = 0; bucket < count; ++bucket) {
      buckets_[bucket].reserve(sizes[bucket]);
    }
    far_.reserve(sizes[count]);
    for (const Entry& entry : entries) {
      const std::size_t bucket = bucket_of(entry.at);
      (bucket < count ? buckets_[bucket] : far_).push_back(entry);
    }
    next_bucket_ = 0;
    refill();
  }
  /** Makes the next non-empty bucket the near heap (which is empty), or spreads the far list. */
  void refill() {
    while (next_bucket_ < buckets_.size()) {
      std::vector<Entry>& bucket = buckets_[next_bucket_++];
      if (!bucket.empty()) {
        near_ = std::move(bucket); // the old near heap's memory is freed
        event_heap_make(near_, Earlier{});
        return;
      }
    }
    std::vector<Entry> far;
    far.swap(far_);
    spread(std::move(far));
  }
  /** Takes every pending event out, in no order, leaving no buckets (size_ is unchanged). */
  std::vector<Entry> take_all() {
    std::vector<Entry> all;
    all.swap(near_);
    all.reserve(size_);
    for (std::size_t bucket = next_bucket_; bucket < buckets_.size(); ++bucket) {
      all.insert(all.end(), buckets_[bucket].begin(), buckets_[bucket].end());
    }
    all.insert(all.end(), far_.begin(), far_.end());
    far_.clear();
    unspread();
    return all;
  }
  /** Spreads every pending event again, into as many buckets as they now need. */
  void respread() { spread(take_all()); }
  /** Every pending event, sorted, numbered again from 0: they become one heap. */
  void renumber() {
    if (size_ >= sequence_end_) {
      throw std::length_error("more than " + std::to_string(sequence_end_ - 1) +
                              " events pending at once");
    }
    near_ = take_all();
    std::sort(near_.begin(), near_.end(), Earlier{});
    next_sequence_ = 0;
    for (Entry& entry : near_) {
      entry.order = next_sequence_++ << payload_bits | payload_of(entry);
    }
  }

  std::vector<Entry> near_; // a 4-ary heap: the events of buckets before next_bucket_
  std::vector<std::vector<Entry>> buckets_; // none while the queue is one heap
  std::size_t next_bucket_ = 0;             // the first bucket not yet in the near heap
  std::vector<Entry> far_;                  // past the last bucket, unsorted
  double base_ = 0;                         // where bucket 0 starts
  double per_width_ = 1;                    // buckets per unit of time
  std::size_t size_ = 0;
  std::size_t spread_size_ = 0; // events pending when last spread into the buckets
  std::uint64_t next_sequence_ = 0;
  std::uint64_t sequence_end_;
  std::size_t spill_at_;
  std::size_t retry_in_ = 0; // pushes to wait after a spread that failed
  std::size_t per_bucket_;
};

} // namespace h2sim
