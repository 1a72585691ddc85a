// Station choice policies are pure functions of what a driver sees: tested on hand-made layouts.
#include "models/choice/choice.hpp"

#include <doctest/doctest.h>

using namespace h2sim::models;

namespace {
// Three stations 2, 5 and 9 road km away; the nearest has a queue of 6 on 2 dispensers.
std::vector<StationView> layout() {
  return {StationView{0, 2.0, 6, 2, 5.0, true}, StationView{1, 5.0, 0, 2, 5.0, true},
          StationView{2, 9.0, 1, 4, 5.0, true}};
}
const ChoicePolicy& policy(const char* name) { return choice_policies().at(name); }
} // namespace

TEST_CASE("choice::nearest: the shortest drive, whatever the queue") {
  Chooser chooser;
  CHECK(choose(policy("nearest"), layout(), chooser) == 0U);
  CHECK(preference_order(policy("nearest"), layout(), chooser) ==
        std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("choice::least_delay: drive time plus the wait in sight") {
  // At 30 km/h: station 0 is 4 min away + 6/2 x 5 = 15 min of queue = 19; station 1 is 10 + 0 = 10;
  // station 2 is 18 + 1/4 x 5 = 19.25.
  Chooser chooser;
  chooser.speed_kmh = 30;
  CHECK(choose(policy("least_delay"), layout(), chooser) == 1U);
  CHECK(preference_order(policy("least_delay"), layout(), chooser) ==
        std::vector<std::size_t>{1, 0, 2});
}

TEST_CASE("choice::depot: the home station first, then the nearest") {
  Chooser chooser;
  chooser.home_station = 2;
  CHECK(choose(policy("depot"), layout(), chooser) == 2U);
  CHECK(preference_order(policy("depot"), layout(), chooser) == std::vector<std::size_t>{2, 0, 1});
}

TEST_CASE("choice: incompatible stations are never chosen, far ones only as a last resort") {
  auto views = layout();
  views[0].compatible = false; // an H35-only station for an H70 car
  Chooser chooser;
  chooser.max_detour_km = 4; // only station 0 is within 4 km, and it cannot fill this car
  CHECK(choose(policy("nearest"), views, chooser) == 1U);
  CHECK(preference_order(policy("nearest"), views, chooser) == std::vector<std::size_t>{1, 2});
  for (auto& view : views) {
    view.compatible = false;
  }
  CHECK_FALSE(choose(policy("nearest"), views, chooser).has_value());
}

TEST_CASE("choice: within the detour limit, the policy's order holds") {
  Chooser chooser;
  chooser.max_detour_km = 6;
  chooser.home_station = 2; // 9 km away: beyond the limit, so the depot policy skips it
  CHECK(choose(policy("depot"), layout(), chooser) == 0U);
}
