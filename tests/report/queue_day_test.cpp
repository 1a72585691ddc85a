// report --events: one station's queue over a day, from an event log, checked by hand.
#include "core/csv.hpp"

#include <h2sim/report.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

namespace {

// Day 1 (minutes 1440..2880) at S1: visit 1 fills at once 10-20; visit 2 waits 12-20, fills
// 20-30; visit 3 waits from 15.5 and reneges at 18.2. Visit 4 is on day 0; visit 5 at S2. (A log
// of before the vehicle column: columns are found by name.)
const std::string csv = "time_min,visit,vehicle_class,station,event,kg\r\n"
                        "100,4,,S1,arrive,\r\n"
                        "100,4,,S1,start_fill,4\r\n"
                        "110,4,,S1,end_fill,4\r\n"
                        "1450,1,,S1,arrive,\r\n"
                        "1450,1,,S1,start_fill,4\r\n"
                        "1460,1,,S1,end_fill,4\r\n"
                        "1452,2,,S1,arrive,\r\n"
                        "1452,2,,S1,join_queue,\r\n"
                        "1460,2,,S1,start_fill,4\r\n"
                        "1470,2,,S1,end_fill,4\r\n"
                        "1455.5,3,,S1,arrive,\r\n"
                        "1455.5,3,,S1,join_queue,\r\n"
                        "1458.2,3,,S1,renege,\r\n"
                        "1455,5,,S2,arrive,\r\n"
                        "1455,5,,S2,join_queue,\r\n";

std::string jsonl_of(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  h2sim::csv_read_record(lines, line); // the header
  std::string out;
  while (h2sim::csv_read_record(lines, line)) {
    const std::vector<std::string> f = h2sim::csv_split(line).cells;
    out += "{\"time_min\":" + f[0] + ",\"visit\":" + f[1] + ",\"station\":\"" + f[3] +
           "\",\"event\":\"" + f[4] + "\"" + (f[5].empty() ? "" : ",\"kg\":" + f[5]) + "}\n";
  }
  return out;
}

std::vector<int> expected_waiting() {
  std::vector<int> waiting(1440, 0);
  for (int m = 12; m < 20; ++m) {
    waiting[static_cast<std::size_t>(m)] = 1;
  }
  for (int m = 15; m <= 18; ++m) { // visit 3 from 15.5 to 18.2
    waiting[static_cast<std::size_t>(m)] = 2;
  }
  return waiting;
}

std::vector<int> expected_filling() {
  std::vector<int> filling(1440, 0);
  for (int m = 10; m < 30; ++m) {
    filling[static_cast<std::size_t>(m)] = 1;
  }
  return filling;
}

} // namespace

TEST_CASE("queue over a day: per-minute peaks of waiting and filling from a CSV or JSONL log") {
  for (const std::string& text : {csv, jsonl_of(csv)}) {
    std::istringstream log(text);
    const auto queue = h2sim::queue_over_day(log, "S1", 1.7);
    CHECK(queue["station"] == "S1");
    CHECK(queue["day"] == 1.0);
    CHECK(queue["arrivals"] == 3);
    CHECK(queue["waiting_peak_per_minute"].get<std::vector<int>>() == expected_waiting());
    CHECK(queue["filling_peak_per_minute"].get<std::vector<int>>() == expected_filling());
  }
  // Day 0 sees visit 4 only; S2's vehicle is still waiting at the end of the log.
  std::istringstream day0(csv);
  CHECK(h2sim::queue_over_day(day0, "S1", 0)["arrivals"] == 1);
  std::istringstream s2(csv);
  const auto waiting = h2sim::queue_over_day(s2, "S2", 1)["waiting_peak_per_minute"];
  CHECK(waiting[14] == 0);
  CHECK(waiting[15] == 1);
  CHECK(waiting[1439] == 1);
}

TEST_CASE("queue over a day: what is not an event log, or lacks the station, is named") {
  const auto message = [](const std::string& text, const std::string& station, double day) {
    std::istringstream log(text);
    try {
      h2sim::queue_over_day(log, station, day);
    } catch (const h2sim::ReportError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("a,b\n", "S1", 0) ==
        "event log line 1: not the header of an h2sim event log "
        "(time_min,visit,vehicle_class,vehicle,station,event,kg) nor JSON Lines");
  CHECK(message(csv + "x,1,,S1,arrive,\r\n", "S1", 0) ==
        "event log line 17: not 6 fields with a time in minutes");
  CHECK(message(csv + "1,1,,S1,arrive\r\n", "S1", 0) ==
        "event log line 17: not 6 fields with a time in minutes");
  // A visit's number that no integer holds was cast to one all the same (undefined behaviour,
  // found by tests/fuzz/report_fuzz.cpp under UBSan).
  for (const std::string visit : {"-1", "1e30", "1.5", "x"}) {
    CHECK(message(csv + "1," + visit + ",,S1,arrive,\r\n", "S1", 0) ==
          "event log line 17: visit is not a visit's number (an integer >= 0)");
  }
  CHECK(message(csv, "S9", 0) == "the event log has no event of station S9");
  CHECK(message(csv, "S1", -1) == "--day -1: must be a day of the run (>= 0)");
  CHECK(message(csv, "S1", 2) == "--day 2: the event log ends on day 1");
  CHECK(message(csv, "S1", 1e308) == "--day 1e+308: the event log ends on day 1");
  CHECK(message("{\"time_min\": 1}\n", "S1", 0) == "event log line 1: no time_min or event");
}

TEST_CASE("queue over a day: a log with the vehicle column and quoted station ids") {
  // The station's id holds a comma, a quote and a line break: quoted, as the log writes it.
  const std::string id = "S,\"1\"\nnorth";
  const std::string quoted = "\"S,\"\"1\"\"\nnorth\"";
  const std::string log_text = "time_min,visit,vehicle_class,vehicle,station,event,kg\r\n"
                               "1450,1,bus,7," +
                               quoted +
                               ",arrive,\r\n"
                               "1450,1,bus,7," +
                               quoted +
                               ",join_queue,\r\n"
                               "1452,1,bus,7," +
                               quoted +
                               ",start_fill,4\r\n"
                               "1462,1,bus,7," +
                               quoted +
                               ",end_fill,4\r\n"
                               "1500,,,,S2,close,\r\n";
  std::istringstream log(log_text);
  const auto queue = h2sim::queue_over_day(log, id, 1);
  CHECK(queue["arrivals"] == 1);
  CHECK(queue["waiting_peak_per_minute"][10] == 1);
  CHECK(queue["waiting_peak_per_minute"][12] == 0);
  CHECK(queue["filling_peak_per_minute"][21] == 1);
  CHECK(queue["filling_peak_per_minute"][22] == 0);
}
