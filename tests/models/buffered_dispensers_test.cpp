// The buffer model on its own: a heap calendar and a capacity that serves one flow at a time at
// min(bound, capacity) stand in for the engine. That is exact here: one dispenser, and the buffer
// refill never runs while a fill draws on the compressor, so at most one flow exists at once.
#include "../fakes.hpp"
#include "models/buffered_dispensers.hpp"
#include "models/station.hpp"

#include <doctest/doctest.h>

using h2sim::test::HeapCalendar;
using h2sim::test::Recorder;
using h2sim::test::SerialCapacity;

TEST_CASE(
    "models::BufferedDispensers: the 4th of four back-to-back fills is slower, as predicted") {
  // Buffer 15 kg, compressor 12 kg/h (0.2 kg/min), fills of 5 kg at 2 kg/min, no overhead.
  // Fills 1-3 come from the buffer (2.5 min each) while the compressor puts back 0.5 kg per fill:
  // 15 -> 10 -> 10.5 -> 5.5 -> 6 -> 1 -> 1.5 kg. Fill 4 takes those 1.5 kg in 0.75 min, then
  // 3.5 kg through the compressor at 0.2 kg/min: 17.5 min. It ends at 7.5 + 18.25 = 25.75 min.
  h2sim::models::StationSpec spec;
  spec.id = "S";
  spec.dispensers = 1;
  spec.fill_rate_kg_per_min = 2;
  spec.buffer = h2sim::models::BufferSpec{15, 12};
  HeapCalendar calendar;
  SerialCapacity compressor(calendar, 0.2);
  Recorder recorder;
  h2sim::models::BufferedDispensers dispensers(spec, calendar, compressor, recorder);
  for (int i = 0; i < 4; ++i) {
    h2sim::models::Visit visit;
    visit.arrival = 0;
    visit.kg = 5;
    h2sim::RandomStream rng(1, 0, 1);
    dispensers.admit(visit, dispensers.fill_min(visit.kg, rng), INFINITY, {});
  }
  calendar.run();
  REQUIRE(recorder.visits.size() == 4);
  CHECK(recorder.visits[0].end == doctest::Approx(2.5));
  CHECK(recorder.visits[1].end == doctest::Approx(5.0));
  CHECK(recorder.visits[2].end == doctest::Approx(7.5));
  CHECK(recorder.visits[3].start == doctest::Approx(7.5));
  CHECK(recorder.visits[3].end - recorder.visits[3].start == doctest::Approx(18.25));
  CHECK(recorder.visits[3].waiting == 3);
}
