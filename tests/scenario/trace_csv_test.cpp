#include "../scratch.hpp"
#include "scenario/trace_csv.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace fs = std::filesystem;
using h2sim::scenario::read_trace;
using h2sim::scenario::TraceLimits;

namespace {

const std::vector<h2sim::models::StationSpec> stations = [] {
  std::vector<h2sim::models::StationSpec> list(2);
  list[0].id = "S1";
  list[1].id = "S2";
  return list;
}();

/** Reads `text` as the trace "t.csv"; its problems go to `problems`. */
std::vector<h2sim::models::TraceRow> read(const std::string& text,
                                          std::vector<h2sim::Problem>& problems,
                                          const TraceLimits& limits = {}) {
  std::istringstream in(text);
  return read_trace(in, "t.csv", stations, "/demand/file", problems, limits);
}

/** Every problem of `text` read as a trace, one "pointer: message" line each; "valid" if none. */
std::string problems_of(const std::string& text, const TraceLimits& limits = {}) {
  std::vector<h2sim::Problem> problems;
  read(text, problems, limits);
  std::string lines;
  for (const auto& problem : problems) {
    lines += problem.pointer + ": " + problem.message + "\n";
  }
  return problems.empty() ? "valid" : lines;
}

/** The problems of a trace scenario whose `file` is `file`, relative to `dir`. */
std::string load_problems(const std::string& file, const fs::path& dir) {
  const std::string scenario = R"({"name": "trace", "horizon_days": 1,
    "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1}],
    "demand": {"model": "trace", "file": )" +
                               nlohmann::json(file).dump() + "}}";
  try {
    h2sim::load_scenario(scenario, {}, dir.string());
  } catch (const h2sim::ScenarioError& error) {
    std::string lines;
    for (const auto& problem : error.problems()) {
      lines += problem.pointer + ": " + problem.message + "\n";
    }
    return lines;
  }
  return "valid";
}

fs::path scratch(const std::string& name) {
  const fs::path dir = h2sim::test::process_scratch() / ("trace-csv-" + name);
  fs::create_directories(dir);
  return dir;
}

} // namespace

TEST_CASE("trace csv: Excel's CSV UTF-8 (byte-order mark, CRLF, quoted values) reads as plain") {
  std::vector<h2sim::Problem> problems;
  const auto rows = read("\xEF\xBB\xBF\"time_min\",vehicle,station,kg\r\n"
                         "0,\"bus, 1\",S1,4\r\n"
                         "  1 , \"say \"\"hi\"\"\" ,\"S2\",\"5.5\"\r\n"
                         "\r\n"
                         "2,\"\",,3\r\n",
                         problems, {});
  // The last row names no station and has no x_km, y_km columns.
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "t.csv line 5: needs a station, or numbers x_km and y_km from "
                               "-100000 to 100000");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].time_min == 0);
  CHECK(rows[0].vehicle == "bus, 1");
  CHECK(rows[0].station == 0u);
  CHECK(rows[0].kg == 4);
  CHECK(rows[1].time_min == 1);
  CHECK(rows[1].vehicle == "say \"hi\"");
  CHECK(rows[1].station == 1u);
  CHECK(rows[1].kg == 5.5);
}

TEST_CASE("trace csv: quotes that do not follow RFC 4180 are errors naming the line") {
  CHECK(problems_of("time_h,vehicle,station,kg\n"
                    "1,\"bus\n"
                    "2,bus\",S1,4\n"
                    "3,\"bus\"x,S1,4\n"
                    "4,\"bus\",S1,4\n") ==
        "/demand/file: t.csv line 2: a quoted value is not closed on its line (values cannot span "
        "lines)\n"
        "/demand/file: t.csv line 3: a quote inside an unquoted value (quote the whole value, "
        "doubling the quotes in it)\n"
        "/demand/file: t.csv line 4: text after the closing quote of a value\n");
  CHECK(problems_of("\"time_h,kg,station\n") ==
        "/demand/file: t.csv line 1: a quoted value is not closed on its line (values cannot span "
        "lines)\n");
}

TEST_CASE("trace csv: numbers are decimal only") {
  std::string expected;
  std::string text = "time_h,station,kg\n";
  int line = 1;
  for (const std::string kg : {"0x10", "+4", "inf", "-inf", "nan", "1e400", "4 kg", "4,5", "", "0",
                               "-0", "1e-400", "10000.5"}) {
    text += "1,S1," + kg + "\n";
    ++line;
    expected += "/demand/file: t.csv line " + std::to_string(line) +
                (kg == "4,5" ? ": has 4 values for 3 columns\n"
                             : ": kg must be a number > 0 and <= 10000 (got \"" + kg + "\")\n");
  }
  CHECK(problems_of(text) == expected);
  // What is decimal: signs, fractions, exponents, denormals.
  std::vector<h2sim::Problem> problems;
  const auto rows = read("time_min,x_km,y_km,kg\n1e1,-0,.5,4.\n20,1e-310,-1E5,10000\n", problems);
  CHECK(problems.empty());
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].time_min == 10);
  CHECK(rows[0].at.x_km == 0);
  CHECK(rows[0].at.y_km == 0.5);
  CHECK(rows[0].kg == 4);
  CHECK(rows[1].at.x_km == 1e-310);
  CHECK(rows[1].at.y_km == -100000);
  CHECK(rows[1].kg == 10000);
}

TEST_CASE("trace csv: times, amounts and places are bounded so that they stay finite") {
  CHECK(problems_of("time_h,station,kg\n876000,S1,4\n876000.1,S1,4\n1e307,S1,4\n-1,S1,4\n") ==
        "/demand/file: t.csv line 3: time_h must be a number >= 0 and <= 876000 (got "
        "\"876000.1\")\n"
        "/demand/file: t.csv line 4: time_h must be a number >= 0 and <= 876000 (got \"1e307\")\n"
        "/demand/file: t.csv line 5: time_h must be a number >= 0 and <= 876000 (got \"-1\")\n");
  CHECK(problems_of("time_min,x_km,y_km,kg\n52560001,0,0,4\n1,100000.1,0,4\n") ==
        "/demand/file: t.csv line 2: time_min must be a number >= 0 and <= 52560000 (got "
        "\"52560001\")\n"
        "/demand/file: t.csv line 3: needs a station, or numbers x_km and y_km from -100000 to "
        "100000\n");
}

TEST_CASE("trace csv: the header names each column once and at most max_columns") {
  CHECK(problems_of("time_h,kg,station,kg\n1,4,S1,4\n") ==
        "/demand/file: t.csv line 1: column \"kg\" appears twice\n");
  CHECK(problems_of("a,time_h,b,a,kg,station,b,a\n") ==
        "/demand/file: t.csv line 1: column \"a\" appears 3 times\n"
        "/demand/file: t.csv line 1: column \"b\" appears twice\n");
  CHECK(problems_of("time_h,kg,station,a\n", {1 << 30, 10, 3, 100}) ==
        "/demand/file: t.csv line 1: more than 3 columns\n");
  CHECK(problems_of("time_h,kg,station\n1,4,S1" + std::string(100000, ',') + "\n") ==
        "/demand/file: t.csv line 2: has 100003 values for 3 columns\n");
  CHECK(problems_of("time_min,time_h,station,kg\n600,0.1,S1,5\n") ==
        "/demand/file: t.csv line 1: the header needs time_h or time_min, not both\n");
  CHECK(problems_of("") == "/demand/file: t.csv is empty: it needs a header line\n");
  CHECK(problems_of("\xEF\xBB\xBF\n") ==
        "/demand/file: t.csv line 1: the header needs time_h or time_min\n"
        "/demand/file: t.csv line 1: the header needs kg\n"
        "/demand/file: t.csv line 1: the header needs station, or x_km and y_km (or lat and "
        "lon)\n");
}

TEST_CASE("trace csv: messages quote at most 40 bytes of a value, as valid UTF-8") {
  CHECK(problems_of("time_h,station,kg\n1," + std::string(100000, 'S') + ",4\n") ==
        "/demand/file: t.csv line 2: no station \"" + std::string(39, 'S') + "... in /stations\n");
  CHECK(problems_of("time_h,station,kg\n1,S\xff\"\"x,4\n1,\"S\xff\"\"x\",4\n") ==
        "/demand/file: t.csv line 2: a quote inside an unquoted value (quote the whole value, "
        "doubling the quotes in it)\n"
        "/demand/file: t.csv line 3: no station \"S\xEF\xBF\xBD\\\"x\" in /stations\n");
}

TEST_CASE("trace csv: the size limits stop reading, with one message each") {
  const std::string rows = "time_h,station,kg\n1,S1,4\n\n2,S1,4\n3,S1,4\n";
  CHECK(problems_of(rows, {1 << 30, 2, 1000, 100}) ==
        "/demand/file: t.csv line 5: more than 2 rows, the limit for a trace\n");
  CHECK(problems_of(rows, {1 << 30, 3, 1000, 100}) == "valid");
  REQUIRE(rows.size() == 40);
  CHECK(problems_of(rows, {40, 10, 1000, 100}) == "valid");
  CHECK(problems_of(rows, {39, 10, 1000, 100}) ==
        "/demand/file: t.csv is larger than 39 bytes, the limit for a trace\n");
  CHECK(problems_of("time_h,station,kg\n1,S1,4", {24, 10, 1000, 100}) == "valid");
  // Bad rows beyond the listed ones are counted.
  CHECK(problems_of("time_h,station,kg\n1,S9,4\n2,S9,4\n3,S1,4\n4,S9,4\n5,S9,x\n",
                    {1 << 30, 10, 1000, 2}) ==
        "/demand/file: t.csv line 2: no station \"S9\" in /stations\n"
        "/demand/file: t.csv line 3: no station \"S9\" in /stations\n"
        "/demand/file: t.csv: 2 more bad rows, not listed\n");
}

TEST_CASE("trace csv: a file that is not a regular one is refused before it is read") {
  const fs::path dir = scratch("special");
  // A device like /dev/zero would never end; a FIFO would block the open until a writer came.
  // The device is made here, with /dev/zero's numbers (the machine's own /dev is not touched),
  // where the system lets us: root may make device nodes, others may not.
  const fs::path device = dir / "zero";
  fs::remove(device);
  if (::mknod(device.c_str(), S_IFCHR | 0600, makedev(1, 5)) == 0) {
    CHECK(load_problems("zero", dir) ==
          "/demand/file: " + device.string() + " is not a regular file (a trace must be one)\n");
  } else {
    MESSAGE("no character device made (not root): that check is skipped");
  }
  CHECK(load_problems(".", dir) ==
        "/demand/file: " + (dir / ".").string() + " is not a regular file (a trace must be one)\n");
  const fs::path fifo = dir / "fifo.csv";
  fs::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(load_problems("fifo.csv", dir) ==
        "/demand/file: " + fifo.string() + " is not a regular file (a trace must be one)\n");
  CHECK(load_problems("missing.csv", dir) ==
        "/demand/file: cannot read the trace " + (dir / "missing.csv").string() + "\n");
  CHECK(load_problems(std::string("trace.csv\0junk", 14), dir) ==
        "/demand/file: the trace's file name contains a NUL byte\n");
}

TEST_CASE("trace csv: a file over 1 GiB is refused by its size, unread") {
  const fs::path dir = scratch("huge");
  const fs::path file = dir / "huge.csv";
  std::ofstream(file) << "time_h,station,kg\n";
  fs::resize_file(file, (std::uintmax_t{1} << 30) + 1); // sparse: no disk used, nothing to read
  CHECK(load_problems("huge.csv", dir) ==
        "/demand/file: " + file.string() +
            " is larger than 1073741824 bytes, the limit for a trace\n");
  fs::resize_file(file, 0);
}
