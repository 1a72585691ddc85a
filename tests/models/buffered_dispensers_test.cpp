// The buffer model on its own: a heap calendar and a capacity that serves one flow at a time at
// min(bound, capacity) stand in for the engine. That is exact here: one dispenser, and the buffer
// refill never runs while a fill draws on the compressor, so at most one flow exists at once.
#include "../fakes.hpp"
#include "../support.hpp"
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

TEST_CASE("models::BufferedDispensers: fills start only while the station is open, queue first") {
  // Open 08:00-09:00 (minutes 480-540). One dispenser, fills of 5 kg at 2 kg/min from a buffer
  // that holds them all (2.5 min each). Four vehicles arrive at 538: the first starts at once and
  // runs past closing time (to 540.5); the others wait for the next opening, 1920, and fill one
  // after another from there (they started at 540.5, 543 and 545.5 in the closed hours).
  h2sim::models::StationSpec spec;
  spec.id = "S";
  spec.dispensers = 1;
  spec.fill_rate_kg_per_min = 2;
  spec.buffer = h2sim::models::BufferSpec{100, 12};
  h2sim::models::AvailabilitySpec hours;
  hours.hours = std::vector<double>{8, 9};
  const h2sim::models::Availability availability(hours, h2sim::RandomStream(1, 0, 2), 4 * 1440.0);
  HeapCalendar calendar;
  SerialCapacity compressor(calendar, 0.2);
  Recorder recorder;
  h2sim::models::BufferedDispensers dispensers(spec, calendar, compressor, recorder, &availability);
  const auto arrive = [&](double at) {
    calendar.schedule(at, [&dispensers, at] {
      h2sim::models::Visit visit;
      visit.arrival = at;
      visit.kg = 5;
      dispensers.admit(visit, NAN, INFINITY, {});
    });
  };
  for (int i = 0; i < 4; ++i) {
    arrive(538);
  }
  // One more comes as the station opens, but after those waiting: it fills last.
  arrive(1920);
  calendar.run();
  REQUIRE(recorder.visits.size() == 5);
  const std::vector<double> starts{538, 1920, 1922.5, 1925, 1927.5};
  for (std::size_t i = 0; i < starts.size(); ++i) {
    CAPTURE(i);
    CHECK(recorder.visits[i].start == doctest::Approx(starts[i]));
    CHECK(recorder.visits[i].end == doctest::Approx(starts[i] + 2.5));
  }
  CHECK(recorder.visits[4].arrival == 1920);
}

TEST_CASE("models::BufferedDispensers: with a buffer that never runs low, a station with hours, "
          "outages and maintenance serves as one without a buffer") {
  // Two dispensers, open 06:00-22:00, breakdowns and 30 h of maintenance, 12 arrivals an hour of
  // 5 kg, with and without a patience of 20 min: the buffer holds every fill, so each takes what
  // it would without one, and only when the station is open may a fill start. The outcomes, waits
  // and queue must then be those of the station without a buffer, which computes its starts
  // around the closures on arrival (buffered fills started through closures: 21 of 48 in a storm
  // test).
  for (const std::string driver : {"", R"(, "driver": {"patience_min": 20})"}) {
    CAPTURE(driver);
    const auto with = [&](const std::string& buffer) {
      return h2sim::test::run_text(
          R"({"name": "hours", "seed": 3, "horizon_days": 10, "warmup_days": 0,
          "replications": 2, "stations": [{"id": "S", "x_km": 0, "y_km": 0, "dispensers": 2,
          "fill_rate_kg_per_min": 1, "overhead_min": 2, "availability": {"hours": [6, 22],
          "outages": {"mtbf_h": {"dist": "exponential", "mean": 30},
                      "repair_h": {"dist": "exponential", "mean": 3}},
          "maintenance": [{"start_day": 3, "start_h": 10, "hours": 30}]})" +
          buffer + R"(}], "demand": {"model": "poisson", "arrivals_per_h": 12, "kg_per_fill": 5)" +
          driver + "}}");
    };
    const auto plain = with("");
    const auto buffered =
        with(R"(, "buffer": {"capacity_kg": 1000000, "compressor_kg_per_h": 1000000})");
    const auto& a = plain["stations"][0];
    const auto& b = buffered["stations"][0];
    for (const char* key : {"arrivals", "served", "balked", "reneged", "diverted_closed",
                            "waiting_at_end", "queue_max", "dispensed_kg"}) {
      CAPTURE(key);
      CHECK(a.value(key, 0.0) == doctest::Approx(b.value(key, 0.0))); // waiting_at_end: buffered
    }
    CHECK(a["served"].get<double>() > 1000);
    CHECK(a["diverted_closed"].get<double>() > 100);
    CHECK(a["wait_min"]["mean"].get<double>() ==
          doctest::Approx(b["wait_min"]["mean"].get<double>()));
    CHECK(a["wait_min"]["max"].get<double>() ==
          doctest::Approx(b["wait_min"]["max"].get<double>()));
  }
}
