#include "models/dispenser_queue.hpp"

#include <doctest/doctest.h>

using h2sim::models::DispenserQueue;

TEST_CASE("models::DispenserQueue: first come, first served on two dispensers") {
  DispenserQueue queue(2, std::nullopt);
  // Fills of 10 minutes arriving at 0, 1, 2, 3: the third waits for the first dispenser (t=10),
  // the fourth for the second (t=11).
  const auto a = queue.admit(0, 10);
  const auto b = queue.admit(1, 10);
  const auto c = queue.admit(2, 10);
  const auto d = queue.admit(3, 10);
  CHECK(a.start == 0);
  CHECK(b.start == 1);
  CHECK(c.start == 10);
  CHECK(c.end == 20);
  CHECK(d.start == 11);
  CHECK(c.waiting == 1);
  CHECK(d.waiting == 2);
  CHECK(queue.waiting(10.5) == 1);
  CHECK(queue.waiting(11) == 0);
  // Nobody waits once a dispenser is free again.
  const auto e = queue.admit(25, 3);
  CHECK(e.start == 25);
  CHECK(e.waiting == 0);
}

TEST_CASE("models::DispenserQueue: an arrival that finds the queue full balks") {
  DispenserQueue queue(1, std::size_t{1});
  CHECK(queue.admit(0, 10).admitted);
  CHECK(queue.admit(1, 10).admitted); // waits (1 of 1)
  const auto full = queue.admit(2, 10);
  CHECK_FALSE(full.admitted);
  CHECK(full.waiting == 1);
  CHECK(queue.admit(10, 10).admitted); // the waiting one started at 10: room again
}

TEST_CASE("models::DispenserQueue: queue capacity 0 still serves when a dispenser is free") {
  DispenserQueue queue(1, std::size_t{0});
  CHECK(queue.admit(0, 5).admitted);
  CHECK_FALSE(queue.admit(1, 5).admitted);
  CHECK(queue.admit(5, 5).admitted);
}

TEST_CASE("models::DispenserQueue: a driver who reneges takes no dispenser from those behind") {
  DispenserQueue queue(1, std::nullopt);
  CHECK(queue.admit(0, 10).start == 0);
  // Arriving at 1, it would start at 10: with 5 minutes of patience it leaves at 6.
  CHECK(queue.next_start(1) == 10);
  queue.renege(1, 6);
  CHECK(queue.waiting(1) == 1);
  // The next driver still starts at 10, not after the one who left.
  const auto next = queue.admit(2, 10);
  CHECK(next.start == 10);
  CHECK(next.waiting == 2);
  CHECK(queue.waiting(6) == 1);
}
