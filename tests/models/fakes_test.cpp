// The fakes that stand in for the engine are tested like models: a wrong fake would make every
// expectation built on it wrong.
#include "../fakes.hpp"

#include <doctest/doctest.h>

#include <vector>

using h2sim::test::FairCapacity;
using h2sim::test::HeapCalendar;

TEST_CASE(
    "test::HeapCalendar: events in (time, order scheduled), and the clock stops where asked") {
  HeapCalendar calendar;
  std::vector<int> ran;
  calendar.schedule(5, [&] { ran.push_back(2); });
  calendar.schedule(1, [&] { ran.push_back(1); });
  calendar.schedule(5, [&] { ran.push_back(3); });
  calendar.run(4);
  CHECK(ran == std::vector<int>{1});
  CHECK(calendar.now() == 4); // no event at 4, yet the clock is there
  calendar.run();
  CHECK(ran == std::vector<int>{1, 2, 3});
  CHECK(calendar.now() == 5); // run to exhaustion: the clock stays at the last event
}

TEST_CASE("test::FairCapacity: max-min fair shares with per-flow bounds, recomputed as flows end") {
  // 3 kg/min shared by flows bounded at 1 and 4 kg/min: an equal share would be 1.5, so the first
  // takes its bound, 1, and the second the rest, 2. The first (100 kg) ends at 100; the second
  // has 200 of its 500 kg by then, and alone gets min(4, 3) = 3: 300 kg more take 100 min.
  HeapCalendar calendar;
  FairCapacity capacity(calendar, 3);
  double first_done = -1;
  double second_done = -1;
  const auto first = capacity.start(100, 1, [&] { first_done = calendar.now(); });
  const auto second = capacity.start(500, 4, [&] { second_done = calendar.now(); });
  CHECK(capacity.rate(first) == 1);
  CHECK(capacity.rate(second) == 2);
  calendar.run(50);
  CHECK(capacity.moved(first) == 50);
  CHECK(capacity.moved(second) == 100);
  calendar.run(150);
  CHECK(first_done == 100);
  CHECK(capacity.rate(second) == 3);
  CHECK(capacity.moved(second) == 350); // 200 + 3 x 50
  // A third flow bounded at 5 joins at 150: 1.5 kg/min each. Stopping it at 170 returns its 30
  // kg, and the second, 380 kg by then, has 120 left at 3 kg/min: it ends at 210.
  const auto third = capacity.start(1000, 5, [] { FAIL("a stopped flow never ends"); });
  CHECK(capacity.rate(second) == 1.5);
  calendar.run(170);
  CHECK(capacity.stop(third) == 30);
  calendar.run();
  CHECK(second_done == 210);
  CHECK(capacity.flows() == 0);
}

TEST_CASE("test::HeapCalendar: an event scheduled as local that touches a shared capacity throws") {
  // What the engine relies on to run local events while flows run (Calendar::Scope): the fakes
  // hold models to it, so a model that misdeclares fails its tests here, not only in SimGrid.
  HeapCalendar calendar;
  FairCapacity capacity(calendar, 1);
  const auto flow = capacity.start(10, 1, [] {});
  calendar.schedule(2, [&] { CHECK(capacity.moved(flow) == 2); }); // shared: allowed
  calendar.run(3);
  calendar.schedule(
      4, [&] { capacity.moved(flow); }, HeapCalendar::Scope::local);
  CHECK_THROWS_WITH(calendar.run(5), "an event scheduled as local touched a shared capacity");
}
