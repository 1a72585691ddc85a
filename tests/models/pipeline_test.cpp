// Pipeline supply on its own: a heap calendar stands in for the engine; a serial capacity where
// one station draws, a max-min fair one where several do at once.
#include "../fakes.hpp"
#include "models/supply/pipeline.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

using h2sim::models::Pipeline;
using h2sim::models::PipelineParams;
using h2sim::models::StationSpec;
using h2sim::models::SupplyContext;
using h2sim::models::Tank;
using h2sim::test::FairCapacity;
using h2sim::test::HeapCalendar;
using h2sim::test::SerialCapacity;

namespace {
StationSpec station_with(double capacity_kg, double initial_kg, double max_rate_kg_per_h) {
  StationSpec station;
  station.id = "S";
  station.storage = h2sim::models::StorageSpec{capacity_kg, initial_kg};
  station.supply = h2sim::params::Model(
      "pipeline", std::make_shared<PipelineParams>(PipelineParams{"P", max_rate_kg_per_h}));
  return station;
}

SupplyContext context_of(const StationSpec& station, Tank& tank, HeapCalendar& calendar,
                         h2sim::SharedCapacity& pipeline) {
  return SupplyContext{&station,           &tank, &calendar, h2sim::RandomStream(1, 0, 1),
                       {{"P", &pipeline}}, {}};
}
} // namespace

TEST_CASE("supply::Pipeline: a station alone fills its room at its own max rate") {
  // Pipeline 600 kg/h (10 kg/min); the station draws at most 120 kg/h (2 kg/min). Storage 1000
  // holding 400: 600 kg of room fill at 2 kg/min, 600 by 100, full at 300. A fill of 500 at 150
  // (700 - 500 = 200) restarts the flow for the 800 kg of room: full at 150 + 400 = 550.
  const StationSpec station = station_with(1000, 400, 120);
  HeapCalendar calendar;
  SerialCapacity pipeline(calendar, 10);
  Tank tank(1000, 400);
  tank.begin_window(0, 0);
  Pipeline supply(context_of(station, tank, calendar, pipeline));
  supply.start(0);
  calendar.run(100);
  supply.catch_up(100);
  CHECK(tank.level() == 600);
  calendar.run(150);
  // What Station does when a fill starts: catch up, draw, tell the model.
  supply.catch_up(150);
  CHECK(tank.level() == 700);
  tank.draw(150, 500);
  supply.after_draw(150);
  calendar.run(549);
  supply.catch_up(549);
  CHECK(tank.level() == 998); // 200 + 2 x 399
  calendar.run();
  CHECK(tank.level() == 1000);
  const auto report = tank.end_window(600, 0);
  CHECK(report.delivered_kg == 1100); // 300 before the fill + 800 after
  CHECK(report.deliveries == 0);      // a pipeline is not trailers
  // Conservation: 400 + 1100 = 500 + 1000.
  CHECK(report.inventory_start_kg + report.delivered_kg == 500 + report.inventory_end_kg);
}

TEST_CASE("supply::Pipeline: stations drawing at once share the pipeline max-min fairly") {
  // Pipeline 180 kg/h (3 kg/min). A draws at most 60 kg/h (1 kg/min) into 100 kg of room; B at
  // most 240 kg/h (4 kg/min) into 500. Equal shares would be 1.5: A takes its 1, B the other 2.
  // A is full at 100; B has 200 by then, alone gets min(4, 3) = 3, and fills its other 300 by 200.
  const StationSpec a_spec = station_with(1000, 900, 60);
  const StationSpec b_spec = station_with(1000, 500, 240);
  HeapCalendar calendar;
  FairCapacity pipeline(calendar, 3);
  Tank a_tank(1000, 900);
  Tank b_tank(1000, 500);
  Pipeline a(context_of(a_spec, a_tank, calendar, pipeline));
  Pipeline b(context_of(b_spec, b_tank, calendar, pipeline));
  a.start(0);
  b.start(0);
  calendar.run(50);
  a.catch_up(50);
  b.catch_up(50);
  CHECK(a_tank.level() == 950);
  CHECK(b_tank.level() == 600);
  calendar.run(150);
  a.catch_up(150);
  b.catch_up(150);
  CHECK(a_tank.level() == 1000);
  CHECK(b_tank.level() == 850); // 500 + 200 + 3 x 50
  calendar.run(199.9);
  CHECK(b_tank.level() == 850); // nothing is credited unless the model looks or the flow ends
  calendar.run(200);
  CHECK(b_tank.level() == 1000);
  CHECK(pipeline.flows() == 0);
}

TEST_CASE("supply::Pipeline: a dry station looks at its tank every 5 minutes until it can serve") {
  // Empty storage of 1000 fed at 2 kg/min. At 1 it holds 2 kg and turns away a vehicle wanting
  // 25: dry from 1. It looks again at 6 (12 kg), 11 (22 kg) and 16 (32 kg >= 25): dry until 16.
  // The exact moment, 12.5, is seen at the next look: 5 minutes is the resolution of stockouts.
  const StationSpec station = station_with(1000, 0, 120);
  HeapCalendar calendar;
  SerialCapacity pipeline(calendar, 10);
  Tank tank(1000, 0);
  tank.begin_window(0, 0);
  Pipeline supply(context_of(station, tank, calendar, pipeline));
  supply.start(0);
  calendar.run(1);
  supply.catch_up(1);
  REQUIRE_FALSE(tank.reserve(1, 25));
  tank.refuse(1, 25);
  supply.after_refusal(1, 25);
  supply.after_refusal(1, 25); // a second refusal does not start a second round of looks

  bool looked = false;
  SUBCASE("its own looks alone") {}
  SUBCASE("a look from outside (a series bin's edge) credits, but ends no dry spell") {
    // At 14 it credits the 28 kg there, enough for the 25 refused, but the spell goes on to the
    // model's own look at 16, as without the edge: the bins asked for do not change stockout_min
    // (an edge had ended the spell at 14, and counted 13).
    calendar.run(14);
    supply.look(14);
    looked = true;
    CHECK(tank.level() == 28);
    CHECK(tank.dry());
    CHECK(tank.end_window(14, 0).stockout_min == 13);
  }
  SUBCASE("after a look, a visit's catch-up ends the spell at once") {
    calendar.run(14);
    supply.look(14);
    calendar.run(14.5);
    supply.catch_up(14.5);
    CHECK_FALSE(tank.dry());
    CHECK(tank.level() == 29);
    CHECK(tank.end_window(14.5, 0).stockout_min == 13.5);
    return;
  }
  calendar.run(15.9);
  CHECK(tank.dry());
  CHECK(tank.level() == (looked ? 28 : 22));
  calendar.run(16);
  CHECK_FALSE(tank.dry());
  CHECK(tank.level() == 32);
  CHECK(calendar.pending() == 1); // the looks stopped; the flow's end at 500 remains
  CHECK(tank.end_window(16, 0).stockout_min == 15);
}

TEST_CASE("supply::Pipeline: the flow starts when storage has room and stops when it is full") {
  // As above: storage 1000 holding 400, 2 kg/min. Flowing from 0; a fill of 500 at 150 restarts
  // the flow without stopping it; full at 550: stopped. A fill of 100 at 600 starts it again, full
  // at 650. A station starting full does not flow until a fill makes room.
  using h2sim::models::TankEvent;
  using Events = std::vector<std::pair<double, double>>;
  const StationSpec station = station_with(1000, 400, 120);
  HeapCalendar calendar;
  SerialCapacity pipeline(calendar, 10);
  Tank tank(1000, 400);
  h2sim::test::Recorder recorder;
  tank.report_to(recorder, 0);
  Pipeline supply(context_of(station, tank, calendar, pipeline));
  supply.start(0);
  calendar.run(150);
  supply.catch_up(150);
  tank.draw(150, 500);
  supply.after_draw(150);
  calendar.run(600);
  supply.catch_up(600);
  tank.draw(600, 100);
  supply.after_draw(600);
  calendar.run();
  CHECK(tank.level() == 1000);
  CHECK(recorder.tank_events(TankEvent::pipeline_start) == Events{{0, 0}, {600, 0}});
  CHECK(recorder.tank_events(TankEvent::pipeline_stop) == Events{{550, 0}, {650, 0}});

  Tank full(1000, 1000);
  h2sim::test::Recorder heard;
  full.report_to(heard, 0);
  Pipeline idle(context_of(station, full, calendar, pipeline));
  idle.start(700);
  CHECK(heard.tanks.empty());
}
