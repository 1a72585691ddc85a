// Inputs chosen to break a loader (issue 8, "never abort, never destroy"): each gives a scenario
// or exactly the problems listed, never a crash, a hang or a message the size of the input.

#include "../scratch.hpp"
#include "../support.hpp"
#include "models/demand/trace.hpp"
#include "models/scenario_spec.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using h2sim::load_scenario;
using h2sim::Override;
using h2sim::ScenarioError;

namespace {

/** Every problem of a scenario as "pointer: message" lines; "valid" if it loads. */
std::string problems_of(std::string_view json, const std::vector<Override>& sets = {},
                        const std::string& base_dir = ".") {
  try {
    load_scenario(json, sets, base_dir);
  } catch (const ScenarioError& error) {
    std::string text;
    for (const auto& problem : error.problems()) {
      text += problem.pointer + ": " + problem.message + "\n";
    }
    return text;
  }
  return "valid";
}

/** A one-station Poisson scenario with `kg` as kg_per_fill and `station` appended to S1. */
std::string scenario(const std::string& kg = "4", const std::string& station = "",
                     const std::string& model = "\"poisson\"") {
  return R"({"name": "nasty", "horizon_days": 1,
    "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 1,
                  "fill_rate_kg_per_min": 1)" +
         station + R"(}],
    "demand": {"model": )" +
         model + R"(, "arrivals_per_h": 1, "kg_per_fill": )" + kg + "}}";
}

std::string nested(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

std::string zeros(std::size_t count) {
  std::string path;
  for (std::size_t i = 0; i < count; ++i) {
    path += "/0";
  }
  return path;
}

} // namespace

TEST_CASE("nasty inputs: a value nested 80,000 deep is one problem, not a stack overflow") {
  // 160 KB: the "got ..." of the message used to serialise it recursively, and crashed.
  CHECK(problems_of(scenario("4", "", nested(80000))) ==
        "/demand/model" + zeros(62) + ": nested deeper than 64 levels\n");
  CHECK(problems_of(scenario(nested(80000))) ==
        "/demand/kg_per_fill" + zeros(62) + ": nested deeper than 64 levels\n");
  // Objects count as arrays do.
  std::string objects;
  for (int i = 0; i < 100; ++i) {
    objects += "{\"k\": ";
  }
  objects += "1" + std::string(100, '}');
  std::string keys;
  for (int i = 0; i < 62; ++i) {
    keys += "/k";
  }
  CHECK(problems_of(scenario(objects)) ==
        "/demand/kg_per_fill" + keys + ": nested deeper than 64 levels\n");
}

TEST_CASE("nasty inputs: the limit is 64 levels, the top-level object being the first") {
  // /demand/model is the third level: 62 arrays in it reach 64.
  CHECK(problems_of(scenario("4", "", nested(62))) ==
        "/demand/model: must be one of poisson, trace, fleet (got " + std::string(40, '[') +
            "...)\n");
  CHECK(problems_of(scenario("4", "", nested(63))) ==
        "/demand/model" + zeros(62) + ": nested deeper than 64 levels\n");
}

TEST_CASE("nasty inputs: a --set value is held to the same depth, and quoted briefly") {
  const std::string deep = nested(100000);
  CHECK(problems_of(scenario(), {{"name", deep}}) == "/name" + zeros(64) +
                                                         ": --set name=" + std::string(40, '[') +
                                                         "...: nested deeper than 64 levels\n");
  CHECK(problems_of(scenario(), {{"name", nested(64)}}) == "/name: must be a string\n");
}

TEST_CASE("nasty inputs: a message quotes at most 40 bytes of the value it refuses") {
  CHECK(problems_of(scenario(R"({"dist": ")" + std::string(1'000'000, 'w') + R"("})")) ==
        "/demand/kg_per_fill/dist: must be one of fixed, exponential, uniform, normal, lognormal, "
        "gamma, empirical (got \"" +
            std::string(39, 'w') + "...)\n");
  CHECK(problems_of(scenario("4", R"(, "pressures": [")" + std::string(100, 'H') + R"("])")) ==
        "/stations/0/pressures/0: must be one of H35, H70 (got \"" + std::string(39, 'H') +
            "...)\n");
  // Cut on a character, never inside one: 13 three-byte characters fill 39 bytes after the quote.
  std::string wide;
  for (int i = 0; i < 20; ++i) {
    wide += "\xE6\xB0\xA2"; // U+6C22
  }
  std::string thirteen;
  for (int i = 0; i < 13; ++i) {
    thirteen += "\xE6\xB0\xA2";
  }
  CHECK(problems_of(scenario(R"({"dist": ")" + wide + R"("})")) ==
        "/demand/kg_per_fill/dist: must be one of fixed, exponential, uniform, normal, lognormal, "
        "gamma, empirical (got \"" +
            thirteen + "...)\n");
  CHECK(problems_of(scenario(R"({"dist": {"a": [1, 2, {"b": null}], "c": true}})")) ==
        "/demand/kg_per_fill/dist: must be one of fixed, exponential, uniform, normal, lognormal, "
        "gamma, empirical (got {\"a\":[1,2,{\"b\":null}],\"c\":true})\n");
}

TEST_CASE("nasty inputs: a parser message quotes at most the last 40 bytes it read") {
  const std::string long_string = "\"" + std::string(100000, 'x') + "\x01";
  CHECK(problems_of(R"({"name": )" + long_string) ==
        ": not valid JSON at line 1, column 100011: syntax error while parsing value - invalid "
        "string: control character U+0001 (SOH) must be escaped to \\u0001; last read: '..." +
            std::string(32, 'x') + "<U+0001>'\n");
  CHECK(problems_of(R"({"horizon_days": 1)" + std::string(400, '0') + "}") ==
        ": a number is out of range: number overflow parsing '..." + std::string(40, '0') + "'\n");
}

TEST_CASE("nasty inputs: numbers out of double range are refused, with or without --set") {
  CHECK(problems_of(R"({"horizon_days": 1e400})") ==
        ": a number is out of range: number overflow parsing '1e400'\n");
  CHECK(problems_of(R"({"horizon_days": -1e400})") ==
        ": a number is out of range: number overflow parsing '-1e400'\n");
  // Not JSON, a --set value is taken as a string, and the refusal says why it is no number.
  CHECK(problems_of(scenario(), {{"horizon_days", "1e400"}}) ==
        "/horizon_days: must be a number >= 0.001 and <= 36500; --set horizon_days=1e400 was "
        "taken as a string: a number is out of range: number overflow parsing '1e400'\n");
}

TEST_CASE("nasty inputs: -0 is zero, in range or out") {
  const h2sim::Scenario s = load_scenario(scenario("-0", R"(, "overhead_min": -0.0)"));
  CHECK(h2sim::models::spec_of(s).stations[0].overhead_min == 0);
  CHECK(problems_of(scenario("4", R"(, "queue_capacity": -0, "arrivals_per_h": -0)")) == "valid");
  CHECK(problems_of(R"({"name": "z", "horizon_days": -0.0, "stations": [{"id": "S1", "x_km": -0,
    "y_km": 0, "dispensers": -0, "fill_rate_kg_per_min": -0.0}],
    "demand": {"model": "poisson", "arrivals_per_h": 1, "kg_per_fill": 4}})") ==
        "/horizon_days: must be a number >= 0.001\n"
        "/stations/0/dispensers: must be an integer >= 1\n"
        "/stations/0/fill_rate_kg_per_min: must be a number >= 0.001\n");
}

TEST_CASE("nasty inputs: denormal numbers load as they are") {
  const h2sim::Scenario s = load_scenario(scenario("1e-320", R"(, "overhead_min": 4.9e-324)"));
  CHECK(h2sim::models::spec_of(s).stations[0].overhead_min == 4.9e-324);
  CHECK(h2sim::models::spec_of(s).stations[0].overhead_min > 0);
  // 1e-400 is below the smallest denormal: it parses as 0.
  CHECK(h2sim::models::spec_of(load_scenario(scenario("4", R"(, "overhead_min": 1e-400)")))
            .stations[0]
            .overhead_min == 0);
}

TEST_CASE("nasty inputs: a huge array gives one problem, not one per item") {
  std::string ones = "[1";
  for (int i = 1; i < 200'000; ++i) {
    ones += ",1";
  }
  ones += "]";
  CHECK(problems_of(scenario("4", "", "\"poisson\", \"hourly_profile\": " + ones)) ==
        "/demand/hourly_profile: must be an array of exactly 24 items\n");
  CHECK(problems_of(scenario(R"({"dist": "empirical", "values": )" + ones + "}")) == "valid");
}

TEST_CASE("nasty inputs: ids, names and file names cannot be empty") {
  CHECK(problems_of(R"({"name": "", "horizon_days": 1,
    "stations": [{"id": "", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1}],
    "pipelines": [{"id": "", "capacity_kg_per_h": 1}],
    "depots": [{"id": "", "x_km": 0, "y_km": 0, "trailers": 1, "speed_kmh": 1}],
    "demand": {"model": "fleet", "classes": [{"name": "", "count": 1, "tank_kg": 5,
      "consumption_kg_per_100km": 1, "daily_km": 100, "refuel_at_fraction": 0.2, "speed_kmh": 30,
      "area": {"x_km": 0, "y_km": 0, "radius_km": 1}}]}})") ==
        "/stations/0/id: must be a non-empty string\n"
        "/pipelines/0/id: must be a non-empty string\n"
        "/depots/0/id: must be a non-empty string\n"
        "/demand/classes/0/name: must be a non-empty string\n");
  CHECK(problems_of(R"({"name": "t", "horizon_days": 1,
    "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1}],
    "demand": {"model": "trace", "file": ""}})") == "/demand/file: must be a non-empty string\n");
  const nlohmann::ordered_json schema = h2sim::scenario_json_schema();
  CHECK(schema["properties"]["stations"]["items"]["properties"]["id"]["minLength"] == 1);
}

TEST_CASE("nasty inputs: ids in any script, and with escaped control characters, work") {
  // A trace names the station by its id; the CSV is UTF-8 as the JSON is.
  const std::filesystem::path dir = h2sim::test::process_scratch() / "nasty-unicode";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "t.csv")
      << "time_h,station,kg\n1,\xE5\x98\x89\xE5\xAE\x9A-1 \xE2\x9B\xBD,4\n";
  const h2sim::Scenario s = load_scenario(R"({"name": "\u00e9t\u00e9", "horizon_days": 1,
    "stations": [{"id": "S\u0000\n", "x_km": 0, "y_km": 0, "dispensers": 1,
                  "fill_rate_kg_per_min": 1},
                 {"id": "嘉定-1 ⛽", "x_km": 0, "y_km": 0, "dispensers": 1,
                  "fill_rate_kg_per_min": 1}],
    "demand": {"model": "trace", "file": "t.csv"}})",
                                          {}, dir.string());
  CHECK(s.name() == "\xC3\xA9t\xC3\xA9");
  CHECK(h2sim::models::spec_of(s).stations[0].id == std::string("S\0\n", 3));
  CHECK(h2sim::models::spec_of(s).stations[1].id == "\xE5\x98\x89\xE5\xAE\x9A-1 \xE2\x9B\xBD");
  const auto& rows = h2sim::models::spec_of(s).demand.as<h2sim::models::TraceParams>().rows;
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].station == 1u);
}

TEST_CASE("nasty inputs: a key twice in one object is reported, in a file or a --set value") {
  CHECK(problems_of(scenario("4", R"(, "dispensers": 2)")) ==
        "/stations/0/dispensers: duplicate key (only one of them would count)\n");
  CHECK(problems_of(scenario(R"({"dist": "fixed", "value": 1})"),
                    {{"demand.kg_per_fill", R"({"dist": "fixed", "value": 1, "value": 2})"}}) ==
        "/demand/kg_per_fill/value: duplicate key (only one of them would count)\n");
}

TEST_CASE("nasty inputs: invalid UTF-8 is refused, and messages stay valid UTF-8") {
  CHECK(problems_of("{\"name\": \"t\xff\"}") ==
        ": not valid JSON at line 1, column 12: syntax error while parsing value - invalid "
        "string: ill-formed UTF-8 byte; last read: '\"t\xEF\xBF\xBD'\n");
  CHECK(problems_of(scenario(), {{"name", "t\xC0\xAF"}}) ==
        ": --set name=t\xEF\xBF\xBD\xEF\xBF\xBD: not valid UTF-8\n");
}

TEST_CASE("nasty inputs: a NUL byte is refused wherever it is, even after a whole document") {
  CHECK(problems_of(scenario() + std::string("\0garbage", 8)) ==
        ": not valid JSON at line 4, column 75: a NUL byte (JSON text cannot contain one)\n");
  CHECK(problems_of(std::string("{\"name\": \"a\0b\"}", 15)) ==
        ": not valid JSON at line 1, column 12: a NUL byte (JSON text cannot contain one)\n");
  // A --set value with a NUL is not JSON: it is taken as a string.
  CHECK(load_scenario(scenario(), {{"name", std::string("1\0x", 3)}}).name() ==
        std::string("1\0x", 3));
}

TEST_CASE("nasty inputs: a byte-order mark before the scenario JSON is accepted") {
  // Windows editors save "UTF-8 with BOM"; the BOM says nothing but "this is UTF-8".
  CHECK(load_scenario("\xEF\xBB\xBF" + scenario()).name() == "nasty");
  CHECK(problems_of("\xEF\xBB\xBF") ==
        ": not valid JSON at line 1, column 4: syntax error while parsing value - unexpected "
        "end of input; expected '[', '{', or a literal\n");
  CHECK(problems_of(" \xEF\xBB\xBF" + scenario()) ==
        ": not valid JSON at line 1, column 2: syntax error while parsing value - invalid "
        "literal; last read: ' \xEF\xBF\xBD'\n");
}

TEST_CASE("nasty inputs: a --set path that is not UTF-8 gives a UTF-8 message") {
  // Found by h2sim_fuzz_load_scenario (tests/fuzz/findings/load_scenario/invalid-utf8-in-set-path):
  // the path was copied into the message as it was.
  CHECK(problems_of("9", {{"\"\n0ed\xfa\xff", ""}}) ==
        ": --set \"\n0ed\xEF\xBF\xBD\xEF\xBF\xBD=: not an object or array\n");
  // And the pointers and the hints that name its keys (tests/fuzz/findings/load_scenario/
  // invalid-utf8-in-set-hint): they were printed as the bytes were.
  CHECK(problems_of(scenario(), {{"na\xa2me.x.y", "1"}}) ==
        "/na\xEF\xBF\xBDme: --set na\xEF\xBF\xBDme.x.y=1: no such value to set a key of (to add "
        "/na\xEF\xBF\xBDme, set it whole, as a JSON object)\n");
  // A refusal of an operator's key that no scenario may have is UTF-8 too (it was a warning).
  CHECK(problems_of(scenario(), {{"stations.*.\xa2+", "1"}}) ==
        "/stations/0/\xEF\xBF\xBD: --set stations.*.\xEF\xBF\xBD+=1: no scenario may have this "
        "key (misspelt?)\n");
  CHECK(problems_of(scenario(), {{"\xff", "1"}}) ==
        "/\xEF\xBF\xBD: unknown key (allowed here: name, description, seed, horizon_days, "
        "warmup_days, "
        "replications, series_bin_days, open_stations, origin, stations, pipelines, depots, "
        "demand, "
        "service, events, economics); --set \xEF\xBF\xBD=1 added it\n");
}

TEST_CASE("nasty inputs: 20,000 stations and classes are all checked and reported" *
          doctest::timeout(600)) {
  // Each check looked through every problem found so far, or every station, for each station,
  // class or distribution, and the JSON parser scanned the whole array at each object's end:
  // many minutes. It takes seconds now; the timeout only catches a return to quadratic checks
  // (generous, so that a loaded machine does not fail it: speed is measured in bench/).
  std::string stations;
  std::string classes;
  for (int i = 0; i < 20'000; ++i) {
    stations += std::string(i == 0 ? "" : ",") + R"({"id": "S)" + std::to_string(i) +
                R"(", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1,
                "supply": {"model": "none"}, "pressures": ["H35"]})";
    classes += std::string(i == 0 ? "" : ",") + R"({"name": "c)" + std::to_string(i) +
               R"(", "count": 1, "tank_kg": 5, "consumption_kg_per_100km": 1,
               "daily_km": {"dist": "lognormal", "mean": 100, "sd": 10},
               "refuel_at_fraction": 0.2, "speed_kmh": 30, "area": {"x_km": 0, "y_km": 0,
               "radius_km": 1}, "pressure": "H70",
               "choice": {"policy": "depot", "home_station": "T"}})";
  }
  try {
    load_scenario(R"({"name": "many", "horizon_days": 1, "stations": [)" + stations +
                  R"(], "demand": {"model": "fleet", "classes": [)" + classes + "]}}");
    FAIL("the scenario should have been refused");
  } catch (const ScenarioError& error) {
    REQUIRE(error.problems().size() == 60'000);
    CHECK(error.problems()[19'999].pointer == "/stations/19999/storage");
    CHECK(error.problems()[19'999].message == "is required with supply model none");
    CHECK(error.problems()[39'999].pointer == "/demand/classes/19999/pressure");
    CHECK(error.problems()[39'999].message == "no station fills H70: the class could never refuel");
    CHECK(error.problems()[59'999].pointer == "/demand/classes/19999/choice/home_station");
    CHECK(error.problems()[59'999].message == "no station \"T\" in /stations");
  }
}

TEST_CASE("nasty inputs: a key with '/' or '~' is named by its escaped JSON pointer token") {
  // RFC 6901: '~' is written "~0" and '/' "~1" ("~1" itself becomes "~01").
  const std::string problems = problems_of(scenario("4", R"(, "a/b~c": 1, "~1": 2)"));
  CHECK(problems.rfind("/stations/0/a~1b~0c: unknown key (allowed here: id, ", 0) == 0);
  CHECK(problems.find("\n/stations/0/~01: unknown key (allowed here: id, ") != std::string::npos);
  CHECK(std::count(problems.begin(), problems.end(), '\n') == 2);
}
