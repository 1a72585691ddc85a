// `h2sim report` end to end: what it reads, what it refuses (exit 2, naming the file), where it
// writes (stdout, or -o as the other commands). The page itself: html_report_test.cpp and
// browser_test.py.
#include "../cli_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

using h2sim::test::Folder;
using h2sim::test::Result;
using h2sim::test::slurp;

const std::string metrics = R"({"scenario": "x", "replications": 1, "totals": {"arrivals": 2,
  "served": 2, "wait_min": {"mean": 1, "p50": 0, "p90": 2, "p95": 3, "p99": 4, "max": 4}},
  "stations": [{"id": "S1", "served": 2, "wait_min": {"p95": 3}}]})";

} // namespace

TEST_CASE("report CLI: writes the page to stdout, or to -o atomically, and reads --scenario") {
  Folder folder;
  folder.write("a.json", metrics);
  const Result to_stdout = folder.h2sim("report a.json");
  CHECK(to_stdout.code == 0);
  CHECK(to_stdout.err == "");
  CHECK(to_stdout.out.rfind("<!DOCTYPE html>", 0) == 0);
  folder.write("s.json", R"({"name": "x", "stations": [{"id": "S1", "x_km": 3, "y_km": 4}]})");
  folder.write("r.html", "old");
  const Result to_file = folder.h2sim("report a.json a.json --scenario s.json -o r.html");
  CHECK(to_file.code == 0);
  CHECK(to_file.out == "");
  const std::string page = slurp(folder / "r.html");
  CHECK(page.find("\"x\":3.0") != std::string::npos);
  CHECK(page.find("A — a.json") != std::string::npos);
  // A --scenario that validate refuses is drawn as written, with a warning (it was silent).
  CHECK(to_file.err == "h2sim: warning: --scenario s.json: not a valid scenario as it stands "
                       "(/horizon_days: is required: a number >= 0.001 and <= 36500; 3 more "
                       "problems; h2sim validate lists them all): the page draws its positions "
                       "and key inputs as written\n");
  folder.write("v.json",
               R"({"name": "x", "horizon_days": 1, "stations": [{"id": "S1", "x_km": 3, "y_km": 4,
    "dispensers": 1, "fill_rate_kg_per_min": 1, "overhead_min": 1}],
    "demand": {"model": "poisson", "arrivals_per_h": 1, "kg_per_fill": 4}})");
  const Result valid = folder.h2sim("report a.json --scenario v.json -o r.html");
  CHECK(valid.code == 0);
  CHECK(valid.err == "");
}

TEST_CASE("report CLI: unusable inputs and outputs exit 2, naming them, and write nothing") {
  Folder folder;
  folder.write("a.json", metrics);
  folder.write("junk.json", "{\"totals\": ");
  folder.write("other.json", R"({"hello": 1})");
  folder.write("r.html", "old");
  const Result missing = folder.h2sim("report nothing.json -o r.html");
  CHECK(missing.code == 2);
  CHECK(missing.err == "h2sim: cannot read nothing.json: No such file or directory\n");
  const Result junk = folder.h2sim("report a.json junk.json -o r.html");
  CHECK(junk.code == 2);
  CHECK(junk.err.rfind("h2sim: junk.json: not JSON: ", 0) == 0);
  const Result other = folder.h2sim("report other.json -o r.html");
  CHECK(other.code == 2);
  CHECK(other.err == "h2sim: other.json: not an h2sim output (a run's metrics, a sweep's points, "
                     "a size result or a comparison)\n");
  // Without --scenario the command looks for the scenario's name in the input: a malformed
  // sweep or comparison once crashed it there.
  folder.write("points.json", R"({"points": [{}]})");
  const Result points = folder.h2sim("report points.json -o r.html");
  CHECK(points.code == 2);
  CHECK(points.err ==
        "h2sim: points.json: points[0] is not a sweep's point (an object with set and metrics)\n");
  folder.write("compared.json", R"({"compare": ["a", "b"], "scenarios": [{}, {}], "metrics": []})");
  folder.write("single.json", R"({"compare": ["a"], "scenarios": [{}], "metrics": []})");
  CHECK(folder.h2sim("report single.json -o r.html").err ==
        "h2sim: single.json: /compare names 1 scenario, where compare writes 2 or more: not an "
        "h2sim output as it wrote it\n");
  const Result compared = folder.h2sim("report compared.json -o r.html");
  CHECK(compared.code == 2);
  CHECK(compared.err == "h2sim: compared.json: a compared scenario without metrics\n");
  // Edited to list no scenario: the paired table was drawn, with nothing to pair.
  folder.write("emptied.json", R"({"compare": ["a", "b"], "scenarios": [], "metrics": []})");
  const Result emptied = folder.h2sim("report emptied.json -o r.html");
  CHECK(emptied.code == 2);
  CHECK(emptied.err == "h2sim: emptied.json: /scenarios has 0 entries where /compare names 2: "
                       "not an h2sim output as it wrote it\n");
  const Result target = folder.h2sim("report a.json --target 'p95<5' -o r.html");
  CHECK(target.code == 2);
  CHECK(slurp(folder / "r.html") == "old");
  // A line below every value is drawn (size and site refuse it as a target that never holds).
  const Result below = folder.h2sim("report a.json --target 'totals.wait_min.p95<=-1' -o low.html");
  CHECK_MESSAGE(below.code == 0, below.err);
  fs::create_directories(folder / "dir");
  const Result to_dir = folder.h2sim("report a.json -o dir");
  CHECK(to_dir.code == 2);
  CHECK(to_dir.err.rfind("h2sim: -o dir: ", 0) == 0);
  const Result no_input = folder.h2sim("report");
  CHECK(no_input.code == 2);
}

TEST_CASE("report CLI: --events draws a station's queue over a day from a run's event log") {
  Folder folder;
  const std::string scenario = std::string(H2SIM_SOURCE_DIR) + "/scenarios/validation/mmc-2.json";
  const Result run =
      folder.h2sim("run -q " + scenario + " --set horizon_days=2 -o m.json --events log.csv");
  REQUIRE(run.code == 0);
  const Result page = folder.h2sim("report m.json --events log.csv --station S1 --day 1");
  CHECK(page.code == 0);
  CHECK(page.out.find("Queue at S1 on day 1") != std::string::npos);
  const Result lonely = folder.h2sim("report m.json --events log.csv");
  CHECK(lonely.code == 2);
  CHECK(lonely.err == "h2sim: --events log.csv: needs --station ID and --day D (the day's number "
                      "from the start of the run)\n");
  const Result absent = folder.h2sim("report m.json --events log.csv --station S9 --day 0");
  CHECK(absent.code == 2);
  CHECK(absent.err == "h2sim: log.csv: the event log has no event of station S9\n");
  // The log of another run, whose station the page's run does not have: it was drawn anyway.
  const std::string trace = std::string(H2SIM_SOURCE_DIR) + "/scenarios/trace/example.json";
  REQUIRE(folder.h2sim("run -q " + trace + " -o t.json").code == 0);
  const Result other = folder.h2sim("report t.json --events log.csv --station S1 --day 1");
  CHECK(other.code == 2);
  CHECK(other.err == "h2sim: --station S1: not a station of the output t.json (the event log "
                     "must be of a run the page shows)\n");
  // A sweep's points name their stations too.
  REQUIRE(folder.h2sim("sweep -q " + trace + " --vary seed=1,2 -o sw.json").code == 0);
  CHECK(folder.h2sim("report sw.json --events log.csv --station S1 --day 1").err ==
        "h2sim: --station S1: not a station of the output sw.json (the event log must be of a "
        "run the page shows)\n");
  CHECK(folder.h2sim("report sw.json m.json --events log.csv --station S1 --day 1").code == 0);
  // Six identical replications (a trace) average their p99s a rounding step above their max:
  // the page took that for an edited file.
  REQUIRE(folder.h2sim("run -q " + trace + " --replications 6 -o t6.json").code == 0);
  const Result six = folder.h2sim("report t6.json -o t6.html");
  CHECK_MESSAGE(six.code == 0, six.err);
}
