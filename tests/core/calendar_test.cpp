#include "core/calendar.hpp"

#include <doctest/doctest.h>

#include <array>
#include <memory>
#include <vector>

using h2sim::EventAction;

TEST_CASE("core::EventAction: a small capture runs from inside it, a large one from the heap") {
  std::vector<int> ran;
  auto counter = std::make_shared<int>(0);
  EventAction small = [&ran, counter] {
    ran.push_back(1);
    ++*counter;
  };
  std::array<double, 8> big{};
  big[7] = 2;
  static_assert(sizeof(big) > EventAction::inline_size);
  EventAction large = [&ran, big, counter] {
    ran.push_back(static_cast<int>(big[7]));
    ++*counter;
  };
  CHECK(counter.use_count() == 3);
  EventAction moved = std::move(small);
  CHECK_FALSE(small); // NOLINT(bugprone-use-after-move): a moved-from action is empty
  moved();
  large();
  CHECK(ran == std::vector<int>{1, 2});
  CHECK(*counter == 2);
  large = std::move(moved); // the large capture is destroyed, the small one moves in
  CHECK(counter.use_count() == 2);
  large();
  CHECK(ran == std::vector<int>{1, 2, 1});
  { const EventAction gone = std::move(large); }
  CHECK(counter.use_count() == 1); // every capture destroyed exactly once
}

TEST_CASE("core::EventAction: the address it reads first goes with it through moves") {
  int vehicle = 0;
  EventAction action = EventAction([&vehicle] { ++vehicle; }).reading(&vehicle);
  CHECK(action.first_read() == &vehicle);
  EventAction moved = std::move(action);
  CHECK(moved.first_read() == &vehicle);
  EventAction assigned;
  CHECK(assigned.first_read() == nullptr);
  assigned = std::move(moved);
  CHECK(assigned.first_read() == &vehicle);
  assigned();
  CHECK(vehicle == 1);
  CHECK(EventAction([] {}).first_read() == nullptr);
}
