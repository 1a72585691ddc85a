// A station's storage on its own: promises, draws, inflow, dry spells and the window's accounting.
#include "core/random.hpp"
#include "models/supply/tank.hpp"

#include <doctest/doctest.h>

#include <cmath>

using h2sim::models::Tank;

TEST_CASE("models::Tank: a promise holds hydrogen back until the fill draws it") {
  Tank tank(1000, 400);
  // 300 kg promised: 400 - 300 = 100 kg free, all 400 still in the tank.
  CHECK(tank.reserve(0, 300));
  CHECK(tank.level() == 400);
  CHECK(tank.available() == 100);
  CHECK(tank.room() == 600);
  // 150 kg is more than the 100 free: refused, and nothing changes.
  CHECK_FALSE(tank.reserve(1, 150));
  CHECK(tank.available() == 100);
  CHECK(tank.level() == 400);
  // The promised fill starts: 400 - 300 = 100 kg left, none of it promised.
  tank.draw(5, 300);
  CHECK(tank.level() == 100);
  CHECK(tank.available() == 100);
  // A promise withdrawn (the driver left) frees its hydrogen again: 100 - 60 + 60.
  CHECK(tank.reserve(6, 60));
  CHECK(tank.available() == 40);
  tank.release(7, 60);
  CHECK(tank.available() == 100);
  CHECK(tank.level() == 100);
}

TEST_CASE("models::Tank: a fill the stock covers exactly is not refused for rounding") {
  // 0.3 - 0.1 is 0.19999999999999998 in doubles: without the tolerance 0.2 kg would be refused.
  Tank tank(0.3, 0.3);
  CHECK(tank.reserve(0, 0.1));
  CHECK(tank.available() < 0.2);
  CHECK(tank.reserve(0, 0.2));
  // The tolerance is a rounding allowance (1e-9 kg), not a micro-gram of credit.
  CHECK_FALSE(tank.reserve(0, 1e-6));
  // Draining it leaves exactly 0, not -2.8e-17.
  tank.draw(1, 0.1);
  tank.draw(2, 0.2);
  CHECK(tank.level() == 0);
}

TEST_CASE(
    "models::Tank: inflow stops at the room, and a trailer that unloads nothing made a trip") {
  Tank tank(1000, 900);
  tank.begin_window(0, 0);
  tank.add(10, 500, true); // 100 kg fit: 1000 kg, one delivery of 100 kg
  CHECK(tank.level() == 1000);
  tank.add(20, 50, true); // full: nothing unloaded, but a trip (a delivery of 0 kg)
  tank.draw(25, 200);     // 800 kg
  tank.add(30, 50);       // production or a pipeline: 850 kg, not a delivery
  const auto report = tank.end_window(40, 0);
  CHECK(report.inventory_start_kg == 900);
  CHECK(report.inventory_end_kg == 850);
  CHECK(report.inventory_min_kg == 800);
  CHECK(report.delivered_kg == 150); // 100 + 0 + 50
  CHECK(report.deliveries == 2);
  // start + delivered = drawn + end: 900 + 150 = 200 + 850.
  CHECK(report.inventory_start_kg + report.delivered_kg == 200 + report.inventory_end_kg);
}

TEST_CASE(
    "models::Tank: a dry spell lasts from the first refusal until inflow frees what was refused") {
  Tank tank(1000, 100);
  tank.begin_window(0, 0);
  CHECK(tank.reserve(0, 80)); // 20 kg free
  tank.refuse(10, 50);        // dry from 10, needing 50
  CHECK(tank.dry());
  tank.refuse(15, 40); // still dry since 10; now it needs the last refused amount, 40
  CHECK(tank.dry_need() == 40);
  tank.add(20, 10); // 30 free < 40: still dry
  CHECK(tank.dry());
  tank.add(30, 10); // 40 free: the spell ends at 30, after 20 minutes
  CHECK_FALSE(tank.dry());
  tank.refuse(50, 100); // 40 free < 100: dry again from 50, still dry at the end of the window
  const auto report = tank.end_window(60, 0);
  CHECK(report.stockout_min == 30); // (30 - 10) + (60 - 50)
}

TEST_CASE("models::Tank: serving someone ends a dry spell, and so does a withdrawn promise") {
  Tank tank(100, 50);
  tank.begin_window(0, 0);
  CHECK(tank.reserve(0, 40)); // 10 kg free
  tank.refuse(5, 30);         // dry from 5
  CHECK(tank.reserve(8, 10)); // a smaller fill is promised at 8: the station serves, not dry
  CHECK_FALSE(tank.dry());
  tank.refuse(10, 20);  // 0 free: dry from 10, needing 20
  tank.release(12, 10); // 10 free < 20: still dry
  CHECK(tank.dry());
  tank.release(14, 30); // 40 free >= 20: the spell ends at 14
  CHECK_FALSE(tank.dry());
  CHECK(tank.end_window(20, 0).stockout_min == 7); // (8 - 5) + (14 - 10)
}

TEST_CASE("models::Tank: the window counts only its own part of a dry spell, inflow and energy") {
  Tank tank(1000, 500);
  tank.add(10, 100, true); // before the window: 600
  tank.draw(20, 550);      // 50
  tank.refuse(30, 100);    // dry from 30
  tank.begin_window(60, 7.5);
  tank.add(70, 30);        // 80 < 100: still dry
  tank.add(90, 20, true);  // 100: dry until 90, of which 30 minutes in the window
  tank.draw(100, 90);      // 10
  tank.add(110, 40, true); // 50
  const auto report = tank.end_window(120, 10);
  CHECK(report.inventory_start_kg == 50);
  CHECK(report.inventory_end_kg == 50);
  CHECK(report.inventory_min_kg == 10);
  CHECK(report.delivered_kg == 90); // 30 + 20 + 40: the 100 before the window is not counted
  CHECK(report.deliveries == 2);
  CHECK(report.stockout_min == 30); // 90 - 60, not 90 - 30
  CHECK(report.energy_kwh == 2.5);  // 10 - 7.5
  // start + delivered = drawn + end: 50 + 90 = 90 + 50.
  CHECK(report.inventory_start_kg + report.delivered_kg == 90 + report.inventory_end_kg);
}

TEST_CASE("models::Tank: a thousand random promises, draws and inflows conserve hydrogen") {
  // Whatever the sequence: 0 <= available <= level <= capacity at every step, and over the
  // window start + delivered = drawn + end (to rounding: sums of a thousand doubles).
  h2sim::RandomStream rng(1, 0, 42);
  Tank tank(500, 200);
  tank.begin_window(0, 0);
  double promised = 0; // promised and not yet drawn
  double drawn = 0;
  for (int step = 1; step <= 1000; ++step) {
    const double now = step;
    const double kg = 100 * rng.uniform();
    const double choice = rng.uniform();
    if (choice < 0.4) {
      if (tank.reserve(now, kg)) {
        promised += kg;
      } else {
        tank.refuse(now, kg);
      }
    } else if (choice < 0.7 && promised > 0) {
      const double fill = std::min(promised, kg);
      tank.draw(now, fill);
      promised -= fill;
      drawn += fill;
    } else {
      tank.add(now, kg, choice > 0.9);
    }
    REQUIRE(tank.available() >= -1e-9);
    REQUIRE(tank.available() <= tank.level() + 1e-9);
    REQUIRE(tank.level() <= tank.capacity());
  }
  const auto report = tank.end_window(1001, 0);
  CHECK(drawn > 0);
  CHECK(report.delivered_kg > 0);
  CHECK(std::abs(report.inventory_start_kg + report.delivered_kg - drawn -
                 report.inventory_end_kg) < 1e-9);
}
