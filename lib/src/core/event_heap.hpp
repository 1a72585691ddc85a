#pragma once

#include <cstddef>
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

} // namespace h2sim
