// The event log on its own: what it writes for each report, closures and service changes merged
// in time order, the vehicle column for fleets and traces.
#include "../fakes.hpp"
#include "report/event_log.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

using h2sim::models::Outcome;
using h2sim::models::TankEvent;
using h2sim::models::Visit;
using h2sim::report::EventFormat;
using h2sim::report::EventLog;

namespace {

/** What the log wrote to a temporary file. */
std::string contents(std::FILE* file) {
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) {
    text.append(buffer, n);
  }
  std::fclose(file);
  return text;
}

Visit diverted(std::size_t station, double at, std::uint32_t vehicle) {
  Visit visit;
  visit.station = station;
  visit.arrival = at;
  visit.start = at;
  visit.outcome = Outcome::closed;
  visit.vehicle = vehicle;
  return visit;
}

} // namespace

TEST_CASE("event log: closures and service changes are written in time order as the run passes") {
  // A closes for availability in [10, 20) and [30, 40); B is out of service until 25. The run
  // ends at 35: A's reopening at 40 is not written.
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  h2sim::test::Recorder next;
  {
    EventLog log(next, {{"A", "B,1"}, {"bus"}}, fileno(file), EventFormat::csv);
    log.on_service(1, false, 0);
    log.on_closures(0, {{10, 20}, {30, 40}});
    log.on_visit(diverted(0, 15, 7));
    log.on_service(1, true, 25);
    log.on_tank(0, TankEvent::order, 26, 300);
    log.on_tank(0, TankEvent::pipeline_start, 26.5, 0);
    log.on_give_up(0, 3, 27);
    log.finish(35);
  }
  CHECK(contents(file) == "time_min,visit,vehicle_class,vehicle,station,event,kg\r\n"
                          "0,,,,\"B,1\",close,\r\n"
                          "10,,,,A,close,\r\n"
                          "15,1,bus,7,A,arrive,\r\n"
                          "15,1,bus,7,A,divert_closed,\r\n"
                          "20,,,,A,open,\r\n"
                          "25,,,,\"B,1\",open,\r\n"
                          "26,,,,A,order,300\r\n"
                          "26.5,,,,A,pipeline_start,\r\n"
                          "27,,bus,3,,give_up,\r\n"
                          "30,,,,A,close,\r\n");
  // Everything reached the next observer unchanged.
  REQUIRE(next.visits.size() == 1);
  CHECK(next.visits[0].vehicle == 7);
  CHECK(next.give_ups.size() == 1);
  CHECK(next.tanks.size() == 2);
}

TEST_CASE("event log: a closure inside a time out of service is not written twice") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  h2sim::test::Recorder next;
  {
    EventLog log(next, {{"A"}, {}}, fileno(file), EventFormat::jsonl);
    log.on_closures(0, {{10, 20}, {30, 40}});
    log.on_service(0, false, 5);
    log.on_service(0, true, 15); // still in the closure: open only at 20
    log.on_service(0, false, 35);
    log.finish(100);
  }
  CHECK(contents(file) == "{\"time_min\":5,\"station\":\"A\",\"event\":\"close\"}\n"
                          "{\"time_min\":20,\"station\":\"A\",\"event\":\"open\"}\n"
                          "{\"time_min\":30,\"station\":\"A\",\"event\":\"close\"}\n");
}

TEST_CASE("event log: a give-up told ahead of the clock does not pass the closures before it") {
  // A reneging driver's give-up at 500 is known at its arrival at 400. Before, writing it moved
  // the closures to 500: A's maintenance at 480 was written then, and A's taking out of service
  // at 432 found it closed already, so the log had no close at 432 (and a close at 480 inside
  // the time out of service), while A turned vehicles away from 432 on.
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  h2sim::test::Recorder next;
  {
    EventLog log(next, {{"A"}, {"vans"}}, fileno(file), EventFormat::csv);
    log.on_closures(0, {{480, 720}});
    log.on_visit(diverted(0, 400, 1)); // stands for the reneging visit's arrival
    log.on_give_up(0, 1, 500);
    log.on_service(0, false, 432);
    log.on_visit(diverted(0, 433, 2));
    log.finish(1440);
  }
  CHECK(contents(file) == "time_min,visit,vehicle_class,vehicle,station,event,kg\r\n"
                          "400,1,vans,1,A,arrive,\r\n400,1,vans,1,A,divert_closed,\r\n"
                          "500,,vans,1,,give_up,\r\n"
                          "432,,,,A,close,\r\n"
                          "433,2,vans,2,A,arrive,\r\n433,2,vans,2,A,divert_closed,\r\n");
}

TEST_CASE("event log: a trace's vehicles are named by their id, quoted as each format needs") {
  std::vector<h2sim::models::TraceRow> rows(2);
  rows[0].vehicle = "car,\"7\"";
  for (const EventFormat format : {EventFormat::csv, EventFormat::jsonl}) {
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    h2sim::test::Recorder next;
    {
      EventLog log(next, {{"A"}, {}}, fileno(file), format, &rows);
      log.on_visit(diverted(0, 1, 0));
      log.on_visit(diverted(0, 2, 1)); // a row without a vehicle id
      log.finish(3);
    }
    const std::string text = contents(file);
    if (format == EventFormat::csv) {
      CHECK(text == "time_min,visit,vehicle_class,vehicle,station,event,kg\r\n"
                    "1,1,,\"car,\"\"7\"\"\",A,arrive,\r\n"
                    "1,1,,\"car,\"\"7\"\"\",A,divert_closed,\r\n"
                    "2,2,,,A,arrive,\r\n"
                    "2,2,,,A,divert_closed,\r\n");
    } else {
      CHECK(text.find("{\"time_min\":1,\"visit\":1,\"vehicle\":\"car,\\\"7\\\"\",\"station\":"
                      "\"A\",\"event\":\"arrive\"}\n") == 0);
      CHECK(text.find("{\"time_min\":2,\"visit\":2,\"station\":\"A\",\"event\":\"arrive\"}\n") !=
            std::string::npos);
    }
  }
}
