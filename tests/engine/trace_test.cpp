#include "../scratch.hpp"
#include "../support.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <vector>

namespace fs = std::filesystem;

namespace {
/** A scratch folder holding `trace.csv` with `rows`; returns the folder. */
fs::path trace_folder(const std::string& name, const std::string& rows) {
  const fs::path dir = h2sim::test::process_scratch() / ("trace-" + name);
  fs::create_directories(dir);
  std::ofstream(dir / "trace.csv") << rows;
  return dir;
}

const std::string scenario = R"({"name": "trace", "horizon_days": 1,
  "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1},
               {"id": "S2", "x_km": 20, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1}],
  "demand": {"model": "trace", "file": "trace.csv"}})";
} // namespace

TEST_CASE("demand::trace: a hand-written trace gives the metrics computed by hand") {
  // At S1 (1 kg/min, one dispenser): 5 kg at 0 min fills 0-5; 3 kg at 2 min waits 3 (5-8); 4 kg at
  // 3 min waits 5 (8-12). The fourth row names no station: at (19, 1) the nearest is S2.
  const fs::path dir = trace_folder("good", "time_min,vehicle,station,x_km,y_km,kg\n"
                                            "2,car-2,S1,,,3\n"
                                            "0,car-1,S1,,,5\n"
                                            "3,car-3,S1,,,4\n"
                                            "10,van-1,,19,1,6\n");
  const auto metrics =
      h2sim::run(h2sim::load_scenario(scenario, {}, dir.string()), {1, {}, nullptr});
  const auto& s1 = metrics["stations"][0];
  CHECK(s1["served"] == 3);
  CHECK(s1["wait_min"]["mean"].get<double>() == doctest::Approx(8.0 / 3));
  CHECK(s1["wait_min"]["max"].get<double>() == doctest::Approx(5).epsilon(0.005));
  CHECK(s1["dispensed_kg"] == 12.0);
  CHECK(s1["utilization"].get<double>() == doctest::Approx(12.0 / 1440));
  CHECK(metrics["stations"][1]["served"] == 1);
  CHECK(metrics["stations"][1]["dispensed_kg"] == 6.0);
}

TEST_CASE("demand::trace: bad rows are reported with their line numbers, and nothing runs") {
  const fs::path dir = trace_folder("bad", "time_h,station,kg\n"
                                           "1,S1,4\n"
                                           "x,S1,4\n"
                                           "2,S9,4\n"
                                           "3,S1,-1\n"
                                           "4,S1\n");
  try {
    h2sim::load_scenario(scenario, {}, dir.string());
    FAIL("the trace should have been refused");
  } catch (const h2sim::ScenarioError& error) {
    const std::string file = (dir / "trace.csv").string();
    REQUIRE(error.problems().size() == 4);
    CHECK(error.problems()[0].pointer == "/demand/file");
    CHECK(error.problems()[0].message ==
          file + " line 3: time_h must be a number >= 0 and <= 876000 (got \"x\")");
    CHECK(error.problems()[1].message == file + " line 4: no station \"S9\" in /stations");
    CHECK(error.problems()[2].message ==
          file + " line 5: kg must be a number > 0 and <= 10000 (got \"-1\")");
    CHECK(error.problems()[3].message == file + " line 6: has 2 values for 3 columns");
  }
}

TEST_CASE("demand::trace: a row at the run's end is not replayed, in the metrics nor in the log") {
  // A day's run ends at minute 1440: the row there arrives outside its window, [0, 1440), and the
  // warning says it is not replayed; the event log had its arrival and fill all the same.
  const fs::path dir = trace_folder("at-the-end", "time_min,station,kg\n"
                                                  "10,S1,5\n"
                                                  "1440,S1,5\n"
                                                  "1440.001,S1,5\n");
  const h2sim::Scenario loaded = h2sim::load_scenario(scenario, {}, dir.string());
  REQUIRE(loaded.warnings().size() == 1);
  CHECK(loaded.warnings()[0].message ==
        "2 of its 3 rows arrive at or after the run's end (day 1, warm-up included), from day 1 "
        "to day 1.000001: they are not replayed");
  CHECK(h2sim::run(loaded, {})["totals"]["arrivals"] == 1);
  const std::string log = h2sim::test::event_log(loaded);
  CHECK(log == "time_min,visit,vehicle_class,vehicle,station,event,kg\r\n" // RFC 4180's CRLF
               "10,1,,,S1,arrive,\r\n"
               "10,1,,,S1,start_fill,5\r\n"
               "15,1,,,S1,end_fill,5\r\n");
}

TEST_CASE("demand::trace: rows naming a station the run never opens are a warning") {
  // S2 is closed for the whole run: its rows go to S1, the open station nearest it, 20 km away.
  const fs::path dir = trace_folder("closed", "time_min,station,kg\n"
                                              "10,S2,5\n"
                                              "20,S1,5\n"
                                              "30,S2,5\n");
  const h2sim::Scenario loaded =
      h2sim::load_scenario(scenario, {{"open_stations", "[\"S1\"]"}}, dir.string());
  REQUIRE(loaded.warnings().size() == 1);
  CHECK(loaded.warnings()[0].pointer == "/demand/file");
  CHECK(loaded.warnings()[0].message ==
        "2 rows name a station the run never opens (S2; see open_stations): each goes to the open "
        "station nearest the one it names");
  CHECK(h2sim::run(loaded, {})["stations"][0]["served"] == 3);
  // Open, it is no warning.
  CHECK(h2sim::load_scenario(scenario, {}, dir.string()).warnings().empty());
}

TEST_CASE("demand::trace: a warm-up past every row replayed is a warning: nothing is measured") {
  // The warm-up ends at minute 144: both rows fall in it, and the run measured no arrival, unsaid.
  const fs::path dir = trace_folder("warm", "time_min,station,kg\n"
                                            "10,S1,5\n"
                                            "20,S1,5\n");
  const h2sim::Scenario loaded = h2sim::load_scenario(
      scenario, {{"horizon_days", "0.2"}, {"warmup_days", "0.1"}}, dir.string());
  REQUIRE(loaded.warnings().size() == 1);
  CHECK(loaded.warnings()[0].pointer == "/warmup_days");
  CHECK(loaded.warnings()[0].message ==
        "the 2 rows of the trace the run replays all arrive before the warm-up ends (day 0.1): "
        "none is measured; lower warmup_days");
  CHECK(h2sim::run(loaded, {})["totals"]["arrivals"] == 0);
  // A row at the warm-up's end is measured: no warning.
  const fs::path edge = trace_folder("warm-edge", "time_min,station,kg\n"
                                                  "10,S1,5\n"
                                                  "144,S1,5\n");
  const h2sim::Scenario measured = h2sim::load_scenario(
      scenario, {{"horizon_days", "0.2"}, {"warmup_days", "0.1"}}, edge.string());
  CHECK(measured.warnings().empty());
  CHECK(h2sim::run(measured, {})["totals"]["arrivals"] == 1);
  // One row replayed (the run ends at 18.72 min, before the second), said as one.
  const h2sim::Scenario one = h2sim::load_scenario(
      scenario, {{"horizon_days", "0.003"}, {"warmup_days", "0.01"}}, dir.string());
  REQUIRE(one.warnings().size() == 2);
  CHECK(one.warnings()[0].message ==
        "the one row of the trace the run replays arrives before the warm-up ends (day 0.01): it "
        "is not measured; lower warmup_days");
}

TEST_CASE("demand::trace: the run's end is the engine's to the last bit, warm-up included") {
  // 0.1 day of warm-up and 0.2 of horizon: (0.1 + 0.2) x 1440 is 432.00000000000006, the
  // engine's 0.1 x 1440 + 0.2 x 1440 is 432. The row at 432 ran into the log, unwarned.
  const fs::path dir = trace_folder("edge", "time_min,station,kg\n"
                                            "200,S1,5\n"
                                            "432,S1,5\n");
  const h2sim::Scenario loaded = h2sim::load_scenario(
      scenario, {{"horizon_days", "0.2"}, {"warmup_days", "0.1"}}, dir.string());
  REQUIRE(loaded.warnings().size() == 1);
  CHECK(loaded.warnings()[0].message ==
        "1 of its 2 rows arrive at or after the run's end (day 0.3, warm-up included), from day "
        "0.3 to day 0.3: they are not replayed");
  CHECK(h2sim::test::event_log(loaded).find("\r\n432,") == std::string::npos);
  // An automatic warm-up ends a replication as early as the horizon's end.
  const h2sim::Scenario automatic = h2sim::load_scenario(
      scenario, {{"horizon_days", "0.2"}, {"warmup_days", "\"auto\""}}, dir.string());
  REQUIRE(automatic.warnings().size() == 1);
  CHECK(automatic.warnings()[0].message ==
        "1 of its 2 rows arrive at or after the earliest end of a replication (day 0.2: "
        "warmup_days auto is chosen per replication, up to half the horizon), from day 0.3 to "
        "day 0.3: they may not be replayed");
}

TEST_CASE("demand::trace: a row fills as long with room for fewer vehicles (its own fill time)") {
  // Fill times drawn for the vehicles admitted alone, from one stream: a queue_capacity of 0
  // gave the rows served after one turned away other rows' fill times.
  std::string rows = "time_min,vehicle,station,x_km,y_km,kg\n";
  for (int i = 0; i < 40; ++i) {
    rows += std::to_string(i * 2) + ",car-" + std::to_string(i) + ",S1,,,5\n";
  }
  const fs::path dir = trace_folder("own-fill-times", rows);
  std::string drawn = scenario;
  drawn.insert(drawn.rfind('}'),
               R"(, "service": {"fill_time_min": {"dist": "exponential", "mean": 4}})");
  const auto fills = [&](const std::vector<h2sim::Override>& sets) {
    return h2sim::test::logged_fills(
        h2sim::test::event_log(h2sim::load_scenario(drawn, sets, dir.string())), 3); // by row
  };
  const auto all = fills({});
  const auto some = fills({{"stations.0.queue_capacity", "0"}});
  REQUIRE(all.size() == 40);
  REQUIRE(some.size() > 5);
  REQUIRE(some.size() < 30);
  for (const auto& entry : some) { // no structured binding: CAPTURE's lambda (clang 14)
    const std::string& vehicle = entry.first;
    const h2sim::test::LoggedFill& fill = entry.second;
    CAPTURE(vehicle);
    CHECK(fill.minutes ==
          doctest::Approx(all.at(vehicle).minutes).epsilon(1e-9)); // of other starts
  }
}
