// End-to-end tests of the `h2sim` binary: exit codes, stdout/stderr discipline, atomic output.
#include "../cli_support.hpp"
#include "core/sha256.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sched.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {
using h2sim::test::Folder;
using h2sim::test::Result;
using h2sim::test::slurp;

fs::path scratch_root() { return h2sim::test::process_scratch() / "cli"; }

/**
 * Runs h2sim with `args` (shell words; a redirection among them applies to h2sim alone) in `dir`,
 * with `env` (VAR=VALUE words) in its environment, capturing stdout and stderr outside `dir`.
 * The code is the shell's: 128 + N when h2sim was killed by signal N.
 */
Result h2sim_in(const fs::path& dir, const std::string& args, const std::string& env = "") {
  static int counter = 0;
  fs::create_directories(dir);
  fs::create_directories(scratch_root());
  const fs::path out = scratch_root() / ("out" + std::to_string(counter));
  const fs::path err = scratch_root() / ("err" + std::to_string(counter++));
  const std::string command = "cd '" + dir.string() + "' && { " + env + " " + H2SIM_CLI +
                              std::string(" ") + args + "; } >'" + out.string() + "' 2>'" +
                              err.string() + "'";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

/** Runs h2sim with `args` (shell words) in a scratch folder, capturing stdout and stderr. */
Result run_h2sim(const std::string& args) { return h2sim_in(scratch_root(), args); }

/** A file of the source tree, as a path (source() quotes it for the shell). */
fs::path source_path(const std::string& relative) { return fs::path(H2SIM_SOURCE_DIR) / relative; }

std::string source(const std::string& relative) {
  return "'" + source_path(relative).string() + "'";
}

fs::path scratch(const std::string& name, const std::string& content) {
  const fs::path path = scratch_root() / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path) << content;
  return path;
}

/**
 * A private character device with the kernel's memory driver (1, 3 is null, 1, 7 is full), so that
 * the machine's own /dev stays untouched; false where mknod is not allowed.
 */
bool make_device(const fs::path& path, unsigned minor) {
  if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(1, minor)) == 0) {
    return true;
  }
  MESSAGE("cannot mknod " << path.string() << " (not root?): skipped");
  return false;
}

bool is_character_device(const fs::path& path) {
  struct stat status {};
  return ::lstat(path.c_str(), &status) == 0 && S_ISCHR(status.st_mode);
}

unsigned permissions(const fs::path& path) {
  struct stat status {};
  ::stat(path.c_str(), &status);
  return status.st_mode & 07777;
}

const std::string md1_file = source("scenarios/validation/md1.json");
const std::string quick_run = "run -q " + md1_file + " --set horizon_days=2";
} // namespace

TEST_CASE("cli: --version") {
  const Result r = run_h2sim("--version");
  CHECK(r.code == 0);
  // The commit is looked up at build time: 12 hex digits (maybe "-dirty"), or "unknown".
  CHECK(r.out.rfind("h2sim 0.1.0 (git ", 0) == 0);
  CHECK(r.out.find(", SimGrid 3.") != std::string::npos);
  CHECK(r.out.find(std::string(h2sim::git_commit())) != std::string::npos);
}

TEST_CASE("cli: every output says where it comes from (run.provenance)") {
  const std::string scenario = std::string(H2SIM_SOURCE_DIR) + "/scenarios/validation/mmc-2.json";
  const Result r = run_h2sim("run " + scenario + " -q --set horizon_days=0.2");
  REQUIRE(r.code == 0);
  const auto provenance = nlohmann::json::parse(r.out)["run"]["provenance"];
  CHECK(provenance["scenario_sha256"] == h2sim::sha256_hex(slurp(scenario)));
  CHECK(provenance["h2sim_version"] == "0.1.0");
  CHECK(provenance["git_commit"] == std::string(h2sim::git_commit()));
  CHECK(provenance["simgrid_version"].get<std::string>().rfind("3.", 0) == 0);
  const auto arguments = provenance["command_line"];
  REQUIRE(arguments.size() == 6);
  CHECK(arguments[1] == "run");
  CHECK(arguments[2] == scenario);
  CHECK(arguments[5] == "horizon_days=0.2");
  // A sweep's own block, beside its points' (which know their scenario's text).
  const Result sweep =
      run_h2sim("sweep " + scenario + " -q --set horizon_days=0.1 --vary seed=1,2");
  REQUIRE(sweep.code == 0);
  const auto document = nlohmann::json::parse(sweep.out);
  CHECK(document["run"]["provenance"]["command_line"][1] == "sweep");
  CHECK(document["points"][0]["metrics"]["run"]["provenance"]["scenario_sha256"] ==
        provenance["scenario_sha256"]);
}

TEST_CASE("cli: run prints only the metrics JSON on stdout, logs on stderr") {
  const Result r =
      run_h2sim("run " + source("scenarios/validation/mmc-2.json") + " --set horizon_days=2");
  CHECK(r.code == 0);
  const auto metrics = nlohmann::json::parse(r.out);
  CHECK(metrics["scenario"] == "mmc-2");
  CHECK(metrics["horizon_days"] == 2.0);
  CHECK(metrics["run"]["events"].get<int>() > 0);
  CHECK(r.err.find("h2sim: info: running mmc-2") != std::string::npos);
  CHECK(run_h2sim("run -q " + source("scenarios/validation/mmc-2.json") + " --set horizon_days=2")
            .err == "");
}

TEST_CASE("cli: run with no scenario runs the built-in default (shanghai-2025)") {
  const Result r = run_h2sim("run -q --set horizon_days=1 --set warmup_days=0");
  CHECK(r.code == 0);
  const auto metrics = nlohmann::json::parse(r.out);
  CHECK(metrics["scenario"] == "shanghai-2025");
  CHECK(metrics["stations"].size() == 70);
}

TEST_CASE("cli: -o writes the file, and --seed and --replications override the scenario") {
  const Result r = run_h2sim("run -q " + source("scenarios/validation/md1.json") +
                             " --set horizon_days=3 --seed 9 --replications 3 --jobs 2 -o m.json");
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  const auto metrics = nlohmann::json::parse(slurp(scratch_root() / "m.json"));
  CHECK(metrics["seed"] == 9);
  CHECK(metrics["replications"] == 3);
  CHECK(metrics["replication_totals"].size() == 3);
}

TEST_CASE("cli: --jobs defaults to the cores the process may run on, not the machine's") {
  // In a child bound to one core (as `taskset -c N` binds it): available_cores() says 1, and a
  // run of 2 replications without --jobs runs them one at a time (the run block's jobs).
  const fs::path output = scratch_root() / "one_core.json"; // the parent's scratch folder
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (::sched_getaffinity(0, sizeof allowed, &allowed) != 0) {
      ::_exit(3);
    }
    std::size_t first = 0;
    while (first < CPU_SETSIZE && !CPU_ISSET(first, &allowed)) {
      ++first;
    }
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    if (::sched_setaffinity(0, sizeof one, &one) != 0) {
      ::_exit(4);
    }
    if (h2sim::available_cores() != 1) {
      ::_exit(5);
    }
    const Result r =
        run_h2sim("run -q " + source("scenarios/validation/md1.json") +
                  " --set horizon_days=1 --replications 2 -o '" + output.string() + "'");
    ::_exit(r.code == 0 ? 0 : 6);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const auto metrics = nlohmann::json::parse(slurp(output));
  CHECK(metrics["run"]["jobs"] == 1);
  CHECK(h2sim::available_cores() >= 1);
}

TEST_CASE("cli: --series none, daily or hourly sets the series' bins, and nothing else") {
  const std::string md1 = "run -q " + source("scenarios/validation/md1.json") +
                          " --set horizon_days=2 --set warmup_days=0.5 --series ";
  const auto hourly = nlohmann::json::parse(run_h2sim(md1 + "hourly").out);
  const auto daily = nlohmann::json::parse(run_h2sim(md1 + "daily").out);
  const auto none = nlohmann::json::parse(run_h2sim(md1 + "none").out);
  REQUIRE(hourly["totals"]["series"]["daily"]["arrivals"].size() == 48);
  CHECK(hourly["totals"]["series"]["daily"]["day"][1] == doctest::Approx(0.5 + 1.0 / 24));
  REQUIRE(daily["totals"]["series"]["daily"]["arrivals"].size() == 2);
  CHECK(!none["totals"].contains("series"));
  CHECK(none["overrides"].back()["set"] == "series_bin_days=0.0");
  // The bins add up to the same window, and the hour-of-day profile is there in all three.
  double arrivals = 0;
  for (const auto& bin : hourly["totals"]["series"]["daily"]["arrivals"]) {
    arrivals += bin.get<double>();
  }
  CHECK(arrivals == none["totals"]["arrivals"].get<double>());
  for (const auto* metrics : {&hourly, &daily, &none}) {
    CHECK((*metrics)["totals"]["hourly"]["utilization"].size() == 24);
    CHECK((*metrics)["totals"]["utilization"] == none["totals"]["utilization"]);
  }
  const Result bad = run_h2sim(md1 + "weekly");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("--series") != std::string::npos);
}

TEST_CASE("cli: a pipeline station's stockout_h is the same whatever the series' bins") {
  // Its dry spells end at the model's own looks (every 5 minutes, or a visit); a bin's edge had
  // ended them there, so hourly bins took 0.3 h off 43.6 (the scenario's 10 days, 4
  // replications). Kilograms of inflow, credited at the edges, may differ in the last digits.
  const std::string pipeline = "run -q " + source("scenarios/supply/supply-pipeline.json") +
                               " --set horizon_days=10 --replications 4 --series ";
  const auto none = nlohmann::json::parse(run_h2sim(pipeline + "none").out);
  REQUIRE(none["totals"]["stockout_h"].get<double>() > 10); // dry spells to end
  for (const std::string bins : {"daily", "hourly"}) {
    CAPTURE(bins);
    const auto binned = nlohmann::json::parse(run_h2sim(pipeline + bins).out);
    for (std::size_t r = 0; r < 4; ++r) {
      const auto& totals = binned["replication_totals"][r];
      const auto& unbinned = none["replication_totals"][r];
      CHECK(totals["stockout_h"] == unbinned["stockout_h"]);
      CHECK(totals["turned_away_stockout"] == unbinned["turned_away_stockout"]);
      CHECK(totals["served"] == unbinned["served"]);
      CHECK(totals["delivered_kg"].get<double>() ==
            doctest::Approx(unbinned["delivered_kg"].get<double>()).epsilon(1e-12));
    }
  }
}

TEST_CASE("cli: hourly bins do not read the day's profile as the queues' memory") {
  // The check on correlated successive waits pools hourly bins into days: on hourly bins it had
  // found the hours of each day alike (lag-1 autocorrelation 0.8 over 140 pairs) and warned that
  // the queues forget their start only over 2.8 h, which daily bins did not show.
  const std::string shanghai = "run -q " + source("scenarios/shanghai-2025.json") +
                               " --set horizon_days=3 --set warmup_days=0.5 --replications 2 "
                               "--series ";
  const auto hourly = nlohmann::json::parse(run_h2sim(shanghai + "hourly").out);
  const auto daily = nlohmann::json::parse(run_h2sim(shanghai + "daily").out);
  CHECK(hourly["warnings"] == daily["warnings"]);
  CHECK(hourly["warnings"].dump().find("correlate") == std::string::npos);
}

TEST_CASE("cli: an empty scenario, file, id, list or metric is refused, not taken for none") {
  // `h2sim run "$UNSET"` had run the built-in scenario, `site --candidates-csv ""` no CSV at all.
  const std::string site = "site " + md1_file + " --target 'totals.wait_min.p95<=1' ";
  const std::string size = "size " + md1_file + " --param stations.0.dispensers --range 1:2 ";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"run ''", "SCENARIO"},
      {"validate ''", "SCENARIO"},
      {"sweep '' --vary replications=2,3", "SCENARIO"},
      {"compare " + md1_file + " ''", "SCENARIOS"},
      {site + "--candidates ''", "--candidates"},
      {site + "--candidates all --candidates-csv ''", "--candidates-csv"},
      {site + "--candidates all --fixed ''", "--fixed"},
      {site + "--candidates all --template ''", "--template"},
      {site + "--candidates all --minimize ''", "--minimize"},
      {size + "--target '' ", "--target"},
      {size + "--target 'totals.wait_min.p95<=1' --minimize ''", "--minimize"},
      {"report " + md1_file + " --scenario ''", "--scenario"},
      {"report " + md1_file + " --events '' --station S", "--events"},
      {"report " + md1_file + " --title ''", "--title"},
  };
  for (const auto& refused : cases) {
    const std::string& args = refused.first;
    const std::string& option = refused.second;
    CAPTURE(args);
    const std::string command = args.substr(0, args.find(' '));
    h2sim::test::check_refused(run_h2sim(args), "h2sim: " + option +
                                                    ": must not be empty\nRun 'h2sim " + command +
                                                    " --help' for more information.\n");
  }
  // Every usage error reads like the others, and points to its command's help.
  h2sim::test::check_refused(run_h2sim("compare " + md1_file),
                             "h2sim: SCENARIOS: At least 2 required but received 1\nRun 'h2sim "
                             "compare --help' for more information.\n");
  // Only the names: CLI11 took the enum's numbers too ("3" ran batches) and showed them.
  h2sim::test::check_refused(run_h2sim("run " + md1_file + " --quantile-interval 3"),
                             "h2sim: --quantile-interval: 3 not in "
                             "{batches,jackknife,replications,sectioning}\nRun 'h2sim run --help' "
                             "for more information.\n");
  h2sim::test::check_refused(run_h2sim("run --bogus"),
                             "h2sim: The following argument was not expected: --bogus\nRun "
                             "'h2sim run --help' for more information.\n");
}

TEST_CASE("cli: bad input exits 2, names the field, and writes no output file") {
  const fs::path dir = scratch_root();
  SUBCASE("missing file") {
    const Result r = run_h2sim("run nowhere.json -o never.json");
    CHECK(r.code == 2);
    CHECK(r.err == "h2sim: cannot read scenario nowhere.json: No such file or directory\n");
  }
  SUBCASE("malformed JSON") {
    const fs::path bad = scratch("broken.json", "{ \"name\": ");
    const Result r = run_h2sim("run '" + bad.string() + "' -o never.json");
    CHECK(r.code == 2);
    CHECK(r.err.find("(1 problem):\n  (file): not valid JSON at line 1, column 11") !=
          std::string::npos);
  }
  SUBCASE("invalid values, every one reported") {
    const Result r = run_h2sim("run " + source("scenarios/validation/mmc-2.json") +
                               " --set stations.0.dispensers=-1 --set /seed=x -o never.json");
    CHECK(r.code == 2);
    CHECK(r.err.find("(2 problems):\n"
                     "  /seed: must be an integer >= 0 and <= 9007199254740991\n"
                     "  /stations/0/dispensers: must be an integer >= 1\n") != std::string::npos);
  }
  SUBCASE("a --set without =") {
    const Result r = run_h2sim("run --set horizon_days -o never.json");
    CHECK(r.code == 2);
    CHECK(r.err == "h2sim: --set horizon_days: expected PATH=VALUE\n");
  }
  SUBCASE("an unknown option") { CHECK(run_h2sim("run --frobnicate").code == 2); }
  CHECK_FALSE(fs::exists(dir / "never.json"));
}

TEST_CASE("cli: validate reports valid files on stderr, invalid ones with exit 2") {
  const Result ok = run_h2sim("validate " + source("scenarios/shanghai-today.json"));
  CHECK(ok.code == 0);
  CHECK(ok.out.empty());
  CHECK(ok.err.find("valid (") != std::string::npos);
  const std::string md1 = source("scenarios/validation/md1.json");
  CHECK(run_h2sim("validate " + md1).err.ends_with(": valid (1 station, 1 open)\n"));
  // The build-out opens 11 at the start and the rest by events: it said "70 open", and so did a
  // scenario whose day-0 event opens fewer than it lists.
  CHECK(run_h2sim("validate " + source("scenarios/shanghai-buildout.json"))
            .err.ends_with(": valid (70 stations, 11 open at the start, 70 at some time)\n"));
  CHECK(run_h2sim("validate " + source("scenarios/shanghai-today.json") +
                  " --set 'events=[{\"at_day\": 0, \"until_day\": 1, \"set\": "
                  "{\"open_stations\": 2}}]'")
            .err.ends_with(": valid (11 stations, 2 open at the start, 11 at some time)\n"));
  const fs::path bad = scratch("typo.json", R"({"name": "x", "horizon_days": 1, "stations": [],
    "demand": {"model": "poisson", "arrivals_per_h": 1, "kg_per_fill": 1}})");
  const Result r = run_h2sim("validate '" + bad.string() + "'");
  CHECK(r.code == 2);
  CHECK(r.err.find("  /stations: must be an array of at least 1 item\n") != std::string::npos);
}

TEST_CASE("cli: every shipped scenario validates") {
  for (const auto& entry :
       fs::recursive_directory_iterator(std::string(H2SIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".json") {
      CAPTURE(entry.path().string());
      CHECK(run_h2sim("validate '" + entry.path().string() + "'").code == 0);
    }
  }
}

TEST_CASE("cli: schema prints a JSON Schema") {
  const Result r = run_h2sim("schema");
  CHECK(r.code == 0);
  const auto schema = nlohmann::json::parse(r.out);
  CHECK(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema");
}

TEST_CASE("cli: a killed replication fails the whole run with exit 1 and no output") {
  // A scenario far too long to finish, and a watchdog that kills the process group's children.
  const fs::path dir = scratch_root();
  const Result r = run_h2sim("run -q " + source("scenarios/validation/mmc-2.json") +
                             " --set horizon_days=36500 -o never.json & pid=$!; sleep 1; "
                             "pkill -KILL -P $pid; wait $pid");
  CHECK(r.code == 1);
  CHECK(r.err.find("h2sim: error: replication 0 failed: killed by signal 9") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "never.json"));
}

TEST_CASE("cli: sweep over stations.0.dispensers reproduces Erlang C at each point") {
  const Result r = run_h2sim("sweep -q " + source("scenarios/validation/mmc-2.json") +
                             " --vary stations.0.dispensers=2:4:1 --replications 10");
  REQUIRE(r.code == 0);
  const auto sweep = nlohmann::json::parse(r.out);
  REQUIRE(sweep["points"].size() == 3);
  // 20/h, exponential 5-minute fills; Erlang C for c = 2, 3, 4 (docs/queueing.md).
  const double expected[] = {11.3636, 1.1241, 0.2196};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& point = sweep["points"][i];
    CHECK(point["set"]["stations.0.dispensers"] == 2 + i);
    const double low = point["metrics"]["ci95"]["totals.wait_min.mean"][0];
    const double high = point["metrics"]["ci95"]["totals.wait_min.mean"][1];
    CAPTURE(i);
    CHECK(std::abs((low + high) / 2 - expected[i]) <= 0.75 * (high - low));
  }
}

TEST_CASE("cli: sweep validates every point before running any, naming the point's values") {
  const Result r = run_h2sim("sweep " + source("scenarios/validation/mmc-2.json") +
                             " --vary stations.0.dispensers=2,0 --vary seed=1,2 -o never.json");
  CHECK(r.code == 2);
  // Point 2 of 4 (the first axis outermost) is the first invalid one.
  CHECK(r.err.find("\n  point 2 (stations.0.dispensers=0, seed=1): /stations/0/dispensers: must "
                   "be an integer >= 1\n") != std::string::npos);
  CHECK_FALSE(fs::exists(scratch_root() / "never.json"));

  // A --set wrong at every point is --set's, as run says it, not point 0's.
  const std::string mmc = source("scenarios/validation/mmc-2.json");
  h2sim::test::check_refused(
      run_h2sim("sweep " + mmc + " --vary replications=2,3 --set stations.0.dispensers=-1"),
      "h2sim: invalid scenario " + source_path("scenarios/validation/mmc-2.json").string() +
          " (1 problem):\n  /stations/0/dispensers: must be an integer >= 1\n");
  // Where a point's own value is wrong too, or instead, the point is named.
  const Result both = run_h2sim("sweep " + mmc +
                                " --vary stations.0.dispensers=0,2 --set "
                                "horizon_days=-1");
  CHECK(both.code == 2);
  CHECK(both.err.find("\n  point 0 (stations.0.dispensers=0): /stations/0/dispensers") !=
        std::string::npos);
}

TEST_CASE("cli: --vary splits at commas between values, not inside a JSON value") {
  const Result r = run_h2sim(
      "sweep " + source("scenarios/shanghai-today.json") +
      R"( -q --dry-run --vary 'open_stations=["JD-01","LG-01"],["CP-01"]')"
      R"( --vary 'demand.classes.0.daily_km={"dist":"uniform","min":200,"max":300},250')");
  REQUIRE(r.code == 0);
  const auto points = nlohmann::json::parse(r.out)["points"];
  REQUIRE(points.size() == 4);
  CHECK(points[0]["set"]["open_stations"] == nlohmann::json::array({"JD-01", "LG-01"}));
  CHECK(points[0]["set"]["demand.classes.0.daily_km"] ==
        nlohmann::json{{"dist", "uniform"}, {"min", 200}, {"max", 300}});
  CHECK(points[1]["set"]["demand.classes.0.daily_km"] == 250);
  CHECK(points[3]["set"]["open_stations"] == nlohmann::json::array({"CP-01"}));
}

TEST_CASE("cli: a --vary path with a typo is named as --vary, not as a --set") {
  const std::string mmc = source("scenarios/validation/mmc-2.json");
  // The key does not exist: the message named "--set stations.0.dispensrs=2", an option not given.
  const Result typo = run_h2sim("sweep " + mmc + " --vary stations.0.dispensrs=2,3 --dry-run");
  CHECK(typo.code == 2);
  CHECK(typo.err.find("; --vary stations.0.dispensrs=2 added it\n") != std::string::npos);
  CHECK(typo.err.find("--set") == std::string::npos);
  // A path that reaches nothing is named as --vary too.
  const Result index = run_h2sim("sweep " + mmc + " --vary stations.3.dispensers=2,3 --dry-run");
  CHECK(index.code == 2);
  CHECK(index.err.find("/stations/3: --vary stations.3.dispensers=2: no such value to set a key "
                       "of\n") != std::string::npos);
  // A --set beside it is still a --set.
  const Result set = run_h2sim("sweep " + mmc +
                               " --set stations.0.dispensrs=1 --vary stations.0.dispensers=2,3 "
                               "--dry-run");
  CHECK(set.code == 2);
  CHECK(set.err.find("; --set stations.0.dispensrs=1 added it\n") != std::string::npos);
}

TEST_CASE("cli: bytes of a --vary that are not UTF-8 are printed as U+FFFD") {
  // The point's values prefix each problem, and a --vary that cannot be read is quoted: both
  // printed the bytes as given, where every other message is valid UTF-8.
  const std::string mmc = source("scenarios/validation/mmc-2.json");
  const Result key = run_h2sim("sweep " + mmc +
                               " --vary 'stations.0.dispens\xff"
                               "ers=2,3' --dry-run");
  CHECK(key.code == 2);
  CHECK(key.err.find("  point 0 (stations.0.dispens\xEF\xBF\xBD"
                     "ers=2): /stations/0/dispens\xEF\xBF\xBD"
                     "ers: "
                     "unknown key") != std::string::npos);
  const Result axis = run_h2sim("sweep " + mmc + " --vary '\xff' --dry-run");
  CHECK(axis.code == 2);
  CHECK(axis.err == "h2sim: --vary \xEF\xBF\xBD: expected PATH=V1,V2,... or PATH=FROM:TO:STEP\n");
  CHECK(key.err.find('\xff') == std::string::npos);
}

TEST_CASE("cli: a sweep carries economics in every point and in its --table, with intervals") {
  const fs::path dir = scratch_root();
  const Result r =
      run_h2sim("sweep -q " + source("scenarios/validation/md1.json") +
                R"( --set 'economics={"station":{"base_capex":1000000,"lifetime_years":20},)"
                R"("waiting_cost_per_hour":25}' --set horizon_days=5)"
                " --vary stations.0.dispensers=1,2 --replications 2 --table e.csv -o e.json");
  REQUIRE(r.code == 0);
  const auto sweep = nlohmann::json::parse(slurp(dir / "e.json"));
  std::istringstream csv(slurp(dir / "e.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) {
    lines.push_back(line);
  }
  REQUIRE(lines.size() == 1 + 2 * (2 + 1));
  const std::string& header = lines[0];
  CHECK(header.find(",totals.economics.capex,") != std::string::npos);
  CHECK(header.find(",totals.economics.social_cost_per_kg,") != std::string::npos);
  CHECK(header.find(",totals.economics.social_cost_per_kg.ci95_low,"
                    "totals.economics.social_cost_per_kg.ci95_high") != std::string::npos);
  for (const auto& point : sweep["points"]) {
    const auto& metrics = point["metrics"];
    CHECK(metrics["totals"]["economics"]["capex"] == 1000000.0);
    CHECK(metrics["stations"][0].contains("economics"));
    CHECK(metrics["ci95"].contains("totals.economics.social_cost_per_kg"));
  }
}

TEST_CASE("cli: sweep --table writes one CSV row per replication and one of means per point") {
  const fs::path dir = scratch_root();
  const Result r =
      run_h2sim("sweep -q " + source("scenarios/validation/md1.json") +
                " --set horizon_days=5 --vary stations.0.dispensers=1,2 --replications 3"
                " --table t.csv -o s.json");
  REQUIRE(r.code == 0);
  std::istringstream csv(slurp(dir / "t.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) {
    lines.push_back(line);
  }
  REQUIRE(lines.size() == 1 + 2 * (3 + 1));
  CHECK(lines[0].rfind("point,stations.0.dispensers,replication,totals.arrivals,totals.served,",
                       0) == 0);
  CHECK(lines[0].find(",totals.wait_min.p95,") != std::string::npos);
  CHECK(lines[0].find(",totals.wait_min.mean.ci95_low,totals.wait_min.mean.ci95_high") !=
        std::string::npos);
  const auto commas = [](const std::string& line) {
    return std::count(line.begin(), line.end(), ',');
  };
  for (const std::string& line : lines) {
    CHECK(commas(line) == commas(lines[0]));
  }
  CHECK(lines[1].rfind("0,1,0,", 0) == 0);
  CHECK(lines[4].rfind("0,1,,", 0) == 0); // the mean row of point 0
  CHECK(lines[8].rfind("1,2,,", 0) == 0);
}

TEST_CASE("cli: sweep --table gives a list or object axis a column, its values as JSON") {
  // A list of stations was left out of the table (the rows told apart by `point` alone), and an
  // object was split into columns of its keys.
  const Result r = run_h2sim("sweep -q " + source("scenarios/validation/md1.json") +
                             " --set horizon_days=0.2 --vary 'open_stations=[\"S1\"],1'"
                             " --vary 'stations.0.availability={\"hours\":[0,24]}'"
                             " --table lists.csv -o lists.json");
  REQUIRE(r.code == 0);
  std::istringstream csv(slurp(scratch_root() / "lists.csv"));
  std::string header;
  std::string first;
  std::string second;
  std::getline(csv, header);
  std::getline(csv, first);
  std::getline(csv, second);
  CHECK(header.rfind("point,open_stations,stations.0.availability,replication,", 0) == 0);
  CHECK(first.rfind("0,\"[\"\"S1\"\"]\",\"{\"\"hours\"\":[0,24]}\",0,", 0) == 0);
  CHECK(second.rfind("1,1,\"{\"\"hours\"\":[0,24]}\",0,", 0) == 0);
}

/**
 * h2sim size over the dispensers of the M/M/2 validation scenario (20 cars/h, exponential 5-minute
 * fills), with `options` (targets, range, overrides).
 */
Result size_dispensers(const std::string& options) {
  return run_h2sim("size " + source("scenarios/validation/mmc-2.json") +
                   " --param stations.0.dispensers " + options);
}

TEST_CASE("cli: size finds the hand-computed smallest number of dispensers") {
  // 20 cars/h, exponential 5-minute fills: Erlang C gives a mean wait of 11.36 min with 2
  // dispensers and 1.12 min with 3 (1 is unstable), so the smallest for "mean wait <= 2" is 3.
  const Result r =
      size_dispensers("-q --range 1:8 --target 'totals.wait_min.mean<=2' --replications 5");
  REQUIRE(r.code == 0);
  const auto size = nlohmann::json::parse(r.out);
  CHECK(size["answer"] == 3);
  std::vector<int> values;
  for (const auto& evaluation : size["evaluations"]) {
    values.push_back(evaluation["value"]);
    CHECK(evaluation["holds"] == (evaluation["value"].get<int>() >= 3));
  }
  CHECK(values == std::vector<int>{2, 3, 4, 8}); // bisection: 8, 4, 2, 3; reported in order
}

TEST_CASE("cli: size refuses a parameter the scenario's events change during the run") {
  // Every evaluation would have run with open_stations 1 from day 0.5 on, whatever the value
  // sized: size answered 1 with no warning.
  const fs::path scenario = scratch("scheduled.json", R"({"name": "scheduled", "seed": 1,
    "horizon_days": 1, "warmup_days": 0,
    "stations": [
      {"id": "A", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1.8,
       "overhead_min": 2},
      {"id": "B", "x_km": 5, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1.8,
       "overhead_min": 2}],
    "demand": {"model": "poisson", "arrivals_per_h": 10, "kg_per_fill": 4},
    "events": [{"at_day": 0.5, "set": {"open_stations": 1}}]})");
  // What a --set or --vary of open_stations is told.
  const auto said = [](const std::string& option) {
    return option + " open_stations: the scenario's events change /open_stations from day 0.5: "
                    "its value does not hold while they are in force";
  };
  const std::string size = "size '" + scenario.string() +
                           "' --target 'totals.wait_min.p95<=30' --replications 2 --param ";
  h2sim::test::check_refused(
      run_h2sim(size + "open_stations --range 1:2"),
      "h2sim: --param open_stations: the scenario's events change /open_stations, which "
      "open_stations=1 sets for each evaluation: they would override it for part of the run; "
      "remove them for the search\n");
  // A parameter the events leave alone is sized; so is one changed only after the run's end.
  const Result dispensers = run_h2sim(size + "stations.0.dispensers --range 1:3 -q");
  CHECK_MESSAGE(dispensers.code == 0, dispensers.err);
  const Result later =
      run_h2sim(size + "open_stations --range 1:2 -q --set events.0.at_day=2 --dry-run");
  CHECK_MESSAGE(later.code == 0, later.err);
  // A target on a station that opens only higher in the range is refused naming the end where
  // it is closed (it said "no open station B", which B is at the other end).
  h2sim::test::check_refused(
      run_h2sim("size '" + scenario.string() +
                "' --target 'stations[id=B].wait_min.p95<=30' --replications 2 --param "
                "open_stations --range 1:2 --set 'events=[]' --dry-run"),
      "h2sim: --target stations[id=B].wait_min.p95<=30: the metrics have no "
      "stations[id=B].wait_min.p95 (no open station B) at open_stations=1, the low end of the "
      "range\n");
  // A sweep of such a value runs (the value before an upgrade is a fair what-if), but says that
  // the events take over; once, for the first point, and not for a value they leave alone.
  const std::string sweep = "sweep '" + scenario.string() + "' --dry-run --vary ";
  const Result swept = run_h2sim(sweep + "open_stations=1,2 --vary stations.0.dispensers=1,2");
  CHECK(swept.code == 0);
  CHECK(swept.err == "h2sim: warning: /open_stations: " + said("--vary") + "\n");
  CHECK(run_h2sim(sweep + "stations.0.dispensers=1,2").err.empty());
  // The first point may end before the events: every point is looked at (its own warning says
  // the event changes nothing there).
  const std::string later_points =
      run_h2sim(sweep + "horizon_days=0.25,1 --vary open_stations=1,2").err;
  CHECK(later_points.find(swept.err) != std::string::npos);
  CHECK(later_points.find(swept.err) == later_points.rfind(swept.err));
  // A run with --set of such a value says so too (it ran the events' value from day 0.5 on, and
  // said nothing); a value they leave alone, nothing.
  const std::string run = "run '" + scenario.string() + "' --dry-run --set ";
  CHECK(run_h2sim(run + "open_stations=2").err ==
        "h2sim: warning: /open_stations: " + said("--set") + "\n");
  CHECK(run_h2sim(run + "stations.0.dispensers=1").err.empty());
  // The metrics say it too, in "warnings", as the scenario's own warnings (only stderr did):
  // run's of its --set, each sweep point's of its --vary and --set.
  const auto events_warnings = [](const nlohmann::json& metrics) {
    std::vector<std::string> found;
    for (const auto& warning : metrics["warnings"]) {
      if (warning["pointer"] == "/open_stations") {
        found.push_back(warning["message"].get<std::string>());
      }
    }
    return found;
  };
  const Result ran = run_h2sim("run -q '" + scenario.string() + "' --set open_stations=2");
  REQUIRE(ran.code == 0);
  CHECK(events_warnings(nlohmann::json::parse(ran.out)) == std::vector<std::string>{said("--set")});
  for (const std::string& sets :
       {std::string("--vary open_stations=1,2"), std::string("--set open_stations=2 --vary "
                                                             "stations.0.dispensers=1,2")}) {
    const Result points = run_h2sim("sweep -q '" + scenario.string() + "' " + sets);
    REQUIRE(points.code == 0);
    const std::string option = sets.substr(0, sets.find(" "));
    const nlohmann::json document = nlohmann::json::parse(points.out); // outlives the loop
    REQUIRE(document["points"].size() == 2);
    for (const auto& point : document["points"]) {
      CHECK(events_warnings(point["metrics"]) == std::vector<std::string>{said(option)});
    }
    CHECK(points.err == "h2sim: warning: /open_stations: " + said(option) + "\n");
  }
  // compare too (it said nothing), naming the file that has the events.
  nlohmann::json without = nlohmann::json::parse(slurp(scenario));
  without.erase("events");
  const fs::path calm = scratch("calm.json", without.dump());
  const Result compared = run_h2sim("compare '" + calm.string() + "' '" + scenario.string() +
                                    "' --dry-run --replications 2 --set open_stations=2");
  CHECK(compared.code == 0);
  CHECK(compared.err ==
        "h2sim: warning: " + scenario.string() + ": /open_stations: " + said("--set") + "\n");
}

TEST_CASE("cli: size on a response that falls as the value grows: met at the bottom, not 'never'") {
  // Utilization of 1.67 Erlangs of fills is 1.67 / c: at least 0.5 up to 3 dispensers, not at 8.
  // Bisection from the top once said no value in 1..8 meets it.
  const Result r = size_dispensers("-q --range 1:8 --set horizon_days=5"
                                   " --target 'totals.utilization>=0.5' --replications 3");
  REQUIRE(r.code == 0);
  const auto size = nlohmann::json::parse(r.out);
  CHECK(size["answer"] == 1);
  REQUIRE(size["evaluations"].size() == 2); // the top, then the bottom
  CHECK(size["evaluations"][0]["holds"] == true);
  CHECK(size["evaluations"][1]["holds"] == false);
  CHECK(size["warnings"] ==
        nlohmann::json::array({"the targets hold at stations.0.dispensers = 1 but not at 8: they "
                               "are not met for good once met, as size assumes; 1 is the "
                               "smallest value, and larger ones may fail"}));
  // Met nowhere: the message names both ends evaluated.
  const Result never = size_dispensers("--range 1:8 --set horizon_days=5"
                                       " --target 'totals.utilization>=2' --replications 3");
  CHECK(never.code == 0);
  CHECK(never.err.find("size: the target does not hold at stations.0.dispensers = 8 nor at 1") !=
        std::string::npos);
  // Two targets that pull apart: the mean wait is met from 3 dispensers up, a utilization of 0.5
  // only up to 3. Neither end meets both, 3 does: the answer is null, and now a warning says
  // values between may still do.
  const Result apart = size_dispensers("-q --range 1:8 --set horizon_days=5 --replications 3"
                                       " --target 'totals.wait_min.mean<=2'"
                                       " --target 'totals.utilization>=0.5'");
  REQUIRE(apart.code == 0);
  const auto both = nlohmann::json::parse(apart.out);
  CHECK(both["answer"].is_null());
  CHECK(both["warnings"] ==
        nlohmann::json::array(
            {"the targets hold at neither end of the range (stations.0.dispensers = 1 nor 8); "
             "with several, values between may still meet them all, if some are met only from a "
             "value up and others only below one: size --minimize evaluates the values between, "
             "or run a sweep"}));
  // A target met at neither end (a utilization of 2) is no pulling apart: no such warning.
  const Result unmet = size_dispensers("-q --range 1:8 --set horizon_days=5 --replications 3"
                                       " --target 'totals.wait_min.mean<=2'"
                                       " --target 'totals.utilization>=2'");
  REQUIRE(unmet.code == 0);
  CHECK_FALSE(nlohmann::json::parse(unmet.out).contains("warnings"));
}

TEST_CASE("cli: size on a field that takes any number says it searches whole numbers only") {
  // overhead_min takes any number: size bisected 1..2 in whole minutes, without a word.
  const Result r = run_h2sim("size " + source("scenarios/validation/mmc-2.json") +
                             " -q --param stations.0.overhead_min --range 1:2 --set horizon_days=1"
                             " --replications 2 --target 'totals.wait_min.mean<=1000'");
  REQUIRE(r.code == 0);
  const std::string said =
      "--param stations.0.overhead_min: /stations/0/overhead_min takes any number, and size tries "
      "whole values of the parameter only (1 to 2): values between two of them are not looked "
      "for (sweep --vary PATH=FROM:TO:STEP tries finer ones)";
  // mmc-2's fill_time_min replaces overhead_min, so both values ran alike, which size says too
  // (it answered 1, as if the minute mattered).
  const std::string alike =
      "the 2 values of stations.0.overhead_min evaluated (1 to 2) gave the same totals: in this "
      "scenario the parameter changes nothing (a key another replaces, as fill_time_min replaces "
      "overhead_min and fill_rate_kg_per_min; one its models do not read; or a limit never "
      "reached)";
  const auto size = nlohmann::ordered_json::parse(r.out);
  CHECK(size["answer"] == 1);
  CHECK(size["warnings"] == nlohmann::ordered_json::array({said, alike}));
  CHECK(r.err.find("h2sim: warning: size: " + alike) != std::string::npos);
  std::vector<std::string> keys;
  for (const auto& item : size.items()) {
    keys.push_back(item.key());
  }
  CHECK(std::find(keys.begin(), keys.end(), "warnings") + 1 ==
        std::find(keys.begin(), keys.end(), "evaluations"));
  CHECK(r.err.find("h2sim: warning: size: " + said) != std::string::npos);
  // size --minimize searches the same way, and says so first among its warnings.
  const Result least =
      run_h2sim("size " + source("scenarios/validation/mmc-2.json") +
                " -q --param stations.0.overhead_min --range 1:2 --set horizon_days=1"
                " --replications 2 --minimize totals.wait_min.mean");
  REQUIRE(least.code == 0);
  CHECK(nlohmann::json::parse(least.out)["warnings"] == nlohmann::json::array({said, alike}));
  // Dispensers take whole numbers: nothing to say.
  const Result whole = size_dispensers("-q --range 2:3 --set horizon_days=1 --replications 2"
                                       " --target 'totals.wait_min.mean<=1000'");
  REQUIRE(whole.code == 0);
  CHECK_FALSE(nlohmann::json::parse(whole.out).contains("warnings"));
}

TEST_CASE("cli: size keeps what the runs say of the intervals it judges, and what it ran") {
  // Half-day replications of a queue that forgets its start over hours: run warns that the
  // interval is not to be trusted, and size (which judges the target on it) says so too.
  const Result r = size_dispensers("--range 2:4 --set horizon_days=0.5 --set warmup_days=0"
                                   " --target 'totals.wait_min.mean<=30'");
  REQUIRE(r.code == 0);
  const auto size = nlohmann::json::parse(r.out);
  CHECK(size["seed"].is_number_integer());
  CHECK(size["answer"] == 2);
  for (const auto& evaluation : size["evaluations"]) {
    CHECK(evaluation["replications"] == 5); // the file has 1: size's own 5
    REQUIRE(evaluation.contains("warnings"));
    for (const auto& warning : evaluation["warnings"]) {
      CHECK(warning["pointer"] == "/ci95/totals.wait_min.mean"); // only the judged interval's
    }
  }
  CHECK(r.err.find("h2sim: warning: size: at stations.0.dispensers = 2: totals.wait_min.mean: "
                   "station S1") != std::string::npos);
  CHECK(r.err.find("too short for the interval to be trusted") != std::string::npos);
}

TEST_CASE(
    "cli: size targets a station's metric by id or index, its interval from its replications") {
  // One station: the station's p95 is the network's in every replication, so its interval (from
  // running sums of deviations) must be the totals' (the replications' values, two passes).
  const std::string base = "size -q " + source("scenarios/validation/mmc-2.json") +
                           " --param stations.0.dispensers --range 2:5 --replications 4"
                           " --set horizon_days=10 --target ";
  const auto by_id =
      nlohmann::json::parse(run_h2sim(base + "'stations[id=S1].wait_min.p95<=3'").out);
  const auto by_index = nlohmann::json::parse(run_h2sim(base + "'stations.0.wait_min.p95<=3'").out);
  // A station's interval is the Student-t one over its replications; the totals' quantiles are
  // by sectioning unless asked otherwise.
  const auto totals = nlohmann::json::parse(
      run_h2sim(base + "'totals.wait_min.p95<=3' --quantile-interval replications").out);
  CHECK(by_id["answer"] == totals["answer"]);
  CHECK(by_id["evaluations"] == by_index["evaluations"]);
  REQUIRE(by_id["evaluations"].size() == totals["evaluations"].size());
  for (std::size_t i = 0; i < totals["evaluations"].size(); ++i) {
    const auto& a = by_id["evaluations"][i];
    const auto& b = totals["evaluations"][i];
    CHECK(a["mean"] == b["mean"]);
    for (std::size_t end = 0; end < 2; ++end) {
      CHECK(a["ci95"][end].get<double>() ==
            doctest::Approx(b["ci95"][end].get<double>()).epsilon(1e-9));
    }
  }
}

TEST_CASE(
    "cli: size and site warn of a set that serves few of its visits, whose waits look short") {
  // Waits count the vehicles served only: a station that runs dry has short ones. site's search,
  // adding the station that improves a wait target most, chose a network serving 2% of its
  // visits, target met, with no word of it.
  const std::string none = source("scenarios/supply/supply-none.json");
  const Result dry = run_h2sim("size -q " + none +
                               " --set horizon_days=5 --replications 2 --param "
                               "stations.0.storage.initial_kg --range 0:8 "
                               "--target 'totals.wait_min.p95<=100'");
  REQUIRE_MESSAGE(dry.code == 0, dry.err);
  const auto out = nlohmann::json::parse(dry.out);
  REQUIRE(!out["evaluations"].empty());
  for (const auto& evaluation : out["evaluations"]) {
    CAPTURE(evaluation["value"]);
    const auto& totals = evaluation["totals"];
    const auto& warnings = evaluation["warnings"];
    const auto found =
        std::find_if(warnings.begin(), warnings.end(), [](const nlohmann::json& warning) {
          return warning["pointer"] == "/totals/served";
        });
    REQUIRE(found != warnings.end());
    const auto& warning = *found;
    char share[32];
    std::snprintf(share, sizeof share, "%.1f%%",
                  100 * totals["served"].get<double>() / totals["arrivals"].get<double>());
    const std::string begins =
        "only " + std::string(share) + " of the visits to open stations were served (";
    CHECK(warning["message"].get<std::string>().starts_with(begins));
    CHECK(warning["message"].get<std::string>().find(", means over the replications; ") !=
          std::string::npos);
    CHECK(warning["message"].get<std::string>().ends_with(
        "): waits count only the vehicles served, so they can be short where vehicles go "
        "without; read totals.served, totals.gave_up and totals.stranded too"));
    CHECK(warning["message"].get<std::string>().find("; turned_away_stockout ") !=
          std::string::npos);
  }
  // A station kept supplied (under 1% turned away) gets none.
  const Result supplied =
      run_h2sim("size -q " + source("scenarios/supply/supply-delivery.json") +
                " --set horizon_days=5 --replications 2 --param stations.0.dispensers --range 1:2 "
                "--target 'totals.wait_min.p95<=100'");
  REQUIRE_MESSAGE(supplied.code == 0, supplied.err);
  const auto supplied_out = nlohmann::json::parse(supplied.out); // outlives the loop below
  for (const auto& evaluation : supplied_out["evaluations"]) {
    CAPTURE(evaluation["value"]);
    CHECK(evaluation["totals"]["served"].get<double>() >
          0.9 * evaluation["totals"]["arrivals"].get<double>());
    for (const auto& warning : evaluation.value("warnings", nlohmann::json::array())) {
      CHECK(warning["pointer"] != "/totals/served");
    }
  }
  // site: the set chosen carries it in the result's warnings.
  const Result site = run_h2sim("site -q " + none +
                                " --set horizon_days=5 --replications 2 --candidates all "
                                "--target 'totals.wait_min.p95<=100'");
  REQUIRE_MESSAGE(site.code == 0, site.err);
  const auto sited = nlohmann::json::parse(site.out);
  const auto& listed = sited["warnings"];
  CHECK(std::any_of(listed.begin(), listed.end(), [](const nlohmann::json& warning) {
    return warning["pointer"] == "/totals/served";
  }));
  CHECK(site.err.find("site: for the stations chosen: only ") != std::string::npos);
}

TEST_CASE("cli: size --minimize never picks a value that dispenses nothing as the cheapest") {
  // Storage that is never resupplied: with 0 to 3 kg in it, no 4-kg fill is ever served, and
  // its cost per kg, 0 by convention, was the least: the answer was a station serving nobody.
  const std::string economics =
      R"('economics={"station":{"base_capex":1000000,"lifetime_years":15},)"
      R"("hydrogen_cost_per_kg":{"none":3.5}}')";
  const Result r =
      run_h2sim("size -q " + source("scenarios/supply/supply-none.json") + " --set " + economics +
                " --replications 2 --param stations.0.storage.initial_kg"
                " --range 0:8 --minimize totals.economics.cost_per_kg");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto out = nlohmann::json::parse(r.out);
  CHECK(out["answer"] == 8); // two 4-kg fills share the capital: the least per kg
  const std::string message =
      "totals.economics.cost_per_kg: nothing was dispensed (in some replication), so it is 0 by "
      "convention: no cost to judge or compare; a target on it does not hold, and --minimize does "
      "not take it as the least";
  for (const auto& evaluation : out["evaluations"]) {
    CAPTURE(evaluation["value"]);
    const bool served = evaluation["totals"]["dispensed_kg"].get<double>() > 0;
    CHECK(evaluation.value("candidate", true) == served);
    if (!served) {
      CHECK(evaluation["warnings"][0]["message"] == message);
    }
  }
  // A target on a cost per kg does not hold where nothing was dispensed either.
  const Result target =
      run_h2sim("size -q " + source("scenarios/supply/supply-none.json") + " --set " + economics +
                " --replications 2 --param stations.0.storage.initial_kg"
                " --range 0:8 --target 'totals.economics.cost_per_kg<=1e9'");
  REQUIRE_MESSAGE(target.code == 0, target.err);
  CHECK(nlohmann::json::parse(target.out)["answer"] == 4);
  // Where no value dispenses, none is a candidate, and stderr says why (it said "no value
  // evaluated meets the targets", with no target given).
  const Result none =
      run_h2sim("size -q " + source("scenarios/supply/supply-none.json") + " --set " + economics +
                " --replications 2 --param stations.0.storage.initial_kg"
                " --range 0:3 --minimize totals.economics.cost_per_kg");
  REQUIRE_MESSAGE(none.code == 0, none.err);
  CHECK(nlohmann::json::parse(none.out)["answer"].is_null());
  CHECK(
      none.err.find("h2sim: warning: size: no value evaluated is a candidate for the least "
                    "totals.economics.cost_per_kg: of the 4 evaluated, 4 dispensed nothing in "
                    "some replication (a cost per kg of nothing is 0 by convention, no cost)\n") !=
      std::string::npos);
}

TEST_CASE("cli: size passes on the warning that replications served nobody to a wait target") {
  // 0.3 arrivals an hour over 2.4 hours: 3 of 6 replications serve nobody, and their waits of 0
  // (by convention) met the target; run warned of it, size's evaluations did not.
  const Result r = run_h2sim("size -q " + source("scenarios/validation/mmc-2.json") +
                             " --set horizon_days=0.1 --set warmup_days=0"
                             " --set demand.arrivals_per_h=0.3 --replications 6"
                             " --param stations.0.dispensers --range 1:2"
                             " --target 'totals.wait_min.mean<=0.5'");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const auto out = nlohmann::json::parse(r.out); // kept: the loop reads inside it
  REQUIRE(out["evaluations"].size() == 2);
  for (const auto& evaluation : out["evaluations"]) {
    CAPTURE(evaluation["value"]);
    const auto& warnings = evaluation["warnings"];
    CHECK(std::any_of(warnings.begin(), warnings.end(), [](const auto& warning) {
      return warning["pointer"] == "/totals/wait_min" &&
             warning["message"].template get<std::string>().starts_with(
                 "totals.wait_min: in 3 of 6 replications no vehicle was served;");
    }));
  }
}

TEST_CASE("cli: size --minimize finds the least social cost per kg, with and without a target") {
  // M/M/c with priced dispensers and drivers' time: few dispensers cost waiting, many cost
  // capital, so social cost per kg falls and then rises (a U) over dispensers 2..8.
  const std::string economics =
      R"('economics={"discount_rate":0.08,"station":{"base_capex":1000000,)"
      R"("per_dispenser_capex":150000,"lifetime_years":20,"fixed_om_fraction":0.04},)"
      R"("hydrogen_cost_per_kg":{"unlimited":6},"waiting_cost_per_hour":25}')";
  const std::string base = "size -q " + source("scenarios/validation/mmc-2.json") + " --set " +
                           economics +
                           " --set horizon_days=10 --replications 3 --param stations.0.dispensers"
                           " --minimize totals.economics.social_cost_per_kg";
  const auto least = [](const nlohmann::json& out) {
    std::optional<int> best;
    double mean = 0;
    for (const auto& e : out["evaluations"]) {
      if (e["holds"] && (!best || e["mean"].get<double>() < mean)) {
        best = e["value"].get<int>();
        mean = e["mean"].get<double>();
      }
    }
    return best;
  };
  const Result r = run_h2sim(base + " --range 2:8");
  REQUIRE(r.code == 0);
  const auto out = nlohmann::json::parse(r.out);
  CHECK(out["search"] == "exhaustive");
  REQUIRE(out["evaluations"].size() == 7);
  const auto answer = least(out);
  REQUIRE(answer);
  CHECK(out["answer"] == *answer);
  CHECK(*answer > 2);
  CHECK(*answer < 8); // a U: the ends cost more than the minimum
  const auto& chosen = out["evaluations"][static_cast<std::size_t>(*answer - 2)];
  CHECK(out["minimum"]["mean"] == chosen["mean"]);
  CHECK(out["minimum"]["ci95"] == chosen["ci95"]);
  CHECK(out["evaluations"][0]["mean"].get<double>() > chosen["mean"].get<double>());
  CHECK(out["evaluations"][6]["mean"].get<double>() > chosen["mean"].get<double>());

  // A target the minimum misses: the least among the values that meet it.
  const Result t = run_h2sim(base + " --range 2:8 --target 'stations[id=S1].wait_min.p99<=0.5'");
  REQUIRE(t.code == 0);
  const auto targeted = nlohmann::json::parse(t.out);
  CHECK(targeted["answer"] == least(targeted).value());
  CHECK(targeted["answer"].get<int>() > *answer);
  CHECK(targeted["evaluations"][0]["targets"][0]["holds"] == false);

  // A wide range: grid refinement, fewer evaluations than values, the same minimum here.
  const auto wide = nlohmann::json::parse(run_h2sim(base + " --range 2:60").out);
  CHECK(wide["search"] == "grid refinement");
  CHECK(wide["evaluations"].size() < 59);
  CHECK(wide["answer"] == *answer);
}

TEST_CASE("cli: size refuses to size the experiment's replications or seed") {
  // --param replications ran every evaluation with --replications' count whatever the value, and
  // a seed is no parameter a target depends on: both answered something meaningless.
  for (const std::string key : {"replications", "seed"}) {
    for (const std::string& param : {key, "/" + key, key + "+"}) { // seed+=1 is a seed too
      CAPTURE(param);
      h2sim::test::check_refused(
          run_h2sim("size " + source("scenarios/validation/mmc-2.json") + " --param " + param +
                    " --range 1:3 --target 'totals.wait_min.mean<=2'"),
          "h2sim: --param " + param +
              ": not a parameter of the system (sizing needs one the targets depend on "
              "monotonely: stations.*.dispensers, open_stations, ...); the experiment's " +
              key + " is set with --" + key + "\n");
    }
  }
}

TEST_CASE("cli: a scenario's warning is logged once a command, not once a point") {
  // size loads the scenario at each end of its range (and at each value it tries), a sweep at
  // each point: each load logged it again.
  Folder folder;
  folder.write("late.json", R"({"name": "late", "seed": 1, "horizon_days": 1,
    "stations": [{"id": "S1", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2}],
    "demand": {"model": "poisson", "arrivals_per_h": 5, "kg_per_fill": 4},
    "events": [{"at_day": 30, "set": {"open_stations": 1}}]})");
  for (const std::string command :
       {"size late.json --param stations.0.dispensers --range 1:3 --target "
        "'totals.wait_min.mean<=5' --dry-run",
        "sweep late.json --vary stations.0.dispensers=1,2,3 --dry-run"}) {
    const Result r = folder.h2sim(command);
    REQUIRE_MESSAGE(r.code == 0, r.err);
    std::size_t warnings = 0;
    for (auto at = r.err.find("h2sim: warning: /events/0/at_day"); at != std::string::npos;
         at = r.err.find("h2sim: warning: /events/0/at_day", at + 1)) {
      ++warnings;
    }
    CHECK(warnings == 1);
  }
}

TEST_CASE("cli: size rejects a malformed target or range with exit 2") {
  const std::string base =
      "size " + source("scenarios/validation/mmc-2.json") + " --param stations.0.dispensers ";
  CHECK(run_h2sim(base + "--range 1:8 --target 'wait<5'").err ==
        "h2sim: --target wait<5: expected METRIC<=VALUE or METRIC>=VALUE, METRIC a path of the "
        "metrics (totals.wait_min.p95, stations[id=S1].wait_min.p95, ...)\n");
  CHECK(run_h2sim(base + "--range 1:8").err == "h2sim: size needs --target or --minimize\n");
  // A bad --param path is named once, as its own problem, not the file's: it read
  // "--param stations[0]x=1: (file): --param stations[0]x=1: bad path".
  const std::string bad_path =
      run_h2sim("size " + source("scenarios/validation/mmc-2.json") +
                " --param 'stations[0]x' --range 1:8 --target 'totals.wait_min.p95<=5'")
          .err;
  CHECK(bad_path.find("\n  --param stations[0]x=1: bad path (a path is dotted keys") !=
        std::string::npos);
  CHECK(bad_path.find("(file)") == std::string::npos);
  CHECK(run_h2sim(base + "--range 1:8 --minimize social").err ==
        "h2sim: --minimize social: expected a path of the metrics "
        "(totals.economics.social_cost_per_kg, stations[id=S1].wait_min.p95, ...)\n");
  // A metric the runs will not have is told before anything runs (it was told after the first
  // evaluation, and --dry-run passed it): a station, a class, a leaf.
  for (const std::string options : {"--range 2:3 --replications 2", "-q --range 2:3 --dry-run"}) {
    CAPTURE(options);
    h2sim::test::check_refused(
        run_h2sim(base + options + " --target 'stations[id=S9].wait_min.p95<=5'"),
        "h2sim: --target stations[id=S9].wait_min.p95<=5: the metrics have no "
        "stations[id=S9].wait_min.p95 (no open station S9)\n");
    h2sim::test::check_refused(
        run_h2sim(base + options +
                  " --target 'totals.wait_min.p95<=5' --minimize "
                  "'classes[name=taxi].wait_min.p95'"),
        "h2sim: --minimize classes[name=taxi].wait_min.p95: the metrics have no "
        "classes[name=taxi].wait_min.p95 (no class taxi)\n");
    h2sim::test::check_refused(run_h2sim(base + options + " --target 'totals.wait_min.p96<=5'"),
                               "h2sim: --target totals.wait_min.p96<=5: the metrics have no "
                               "totals.wait_min.p96\n");
  }
  // --minimize is read as --target's metric is, spaces around it and all.
  CHECK(run_h2sim(base + "-q --range 2:3 --dry-run --minimize ' totals.wait_min.mean '").code == 0);
  CHECK(run_h2sim(base + "--range 8:1 --target 'totals.wait_min.mean<=2'").err ==
        "h2sim: --range 8:1: expected FROM:TO with integers FROM <= TO\n");
  // A bound below every metric's least value: the search evaluated the whole range for nothing.
  h2sim::test::check_refused(run_h2sim(base + "--range 1:8 --target 'totals.wait_min.mean<=-0.5'"),
                             "h2sim: --target totals.wait_min.mean<=-0.5: can never hold: no "
                             "metric is negative (counts, times, amounts and costs are all 0 or "
                             "more)\n");
  CHECK(run_h2sim(base + "-q --range 2:3 --dry-run --target 'totals.wait_min.mean>=-0.5'").code ==
        0);
  // Spaces around the metric and the bound are not part of them ("the metrics have no
  // totals.wait_min.p95 ", trailing space and all, was the message).
  const Result spaced = run_h2sim(base + "-q --range 2:3 --replications 2 --set horizon_days=1 "
                                         "--target ' totals.wait_min.p95 <= 20 '");
  CHECK(spaced.code == 0);
  CHECK(spaced.err.find("the metrics have no") == std::string::npos);
  CHECK(nlohmann::json::parse(spaced.out)["answer"] == 3); // 2 dispensers: p95 well over 20
  // A typo in --param is named as --param (it was named as a --set nobody gave).
  const Result typo = run_h2sim("size -q " + source("scenarios/validation/mmc-2.json") +
                                " --param stations.0.dispensrs --range 1:4"
                                " --target 'totals.wait_min.mean<=2'");
  CHECK(typo.code == 2);
  CHECK(typo.err.ends_with("; --param stations.0.dispensrs=1 added it\n"));
  // A value of the range that is not valid is named with the line.
  const Result zero = size_dispensers("-q --range 0:4 --target 'totals.wait_min.mean<=2'");
  CHECK(zero.code == 2);
  CHECK(zero.err.ends_with("\n  --param stations.0.dispensers=0: /stations/0/dispensers: must be "
                           "an integer >= 1\n"));
}

TEST_CASE("cli: output paths and overrides are checked before anything runs") {
  const std::string md1 = source("scenarios/validation/md1.json");
  CHECK(run_h2sim("run " + md1 + " -o nodir/x.json").err ==
        "h2sim: -o nodir/x.json: no such directory nodir\n");
  CHECK(run_h2sim("run " + md1 + " -o .").err == "h2sim: -o .: is a directory\n");
  CHECK(run_h2sim("run .").err == "h2sim: cannot read scenario .: it is a directory\n");
  const Result seed = run_h2sim("run " + md1 + " --seed -1");
  CHECK(seed.code == 2);
  CHECK(seed.err.find("  /seed: must be an integer >= 0; --seed -1 set it\n") != std::string::npos);
  CHECK(run_h2sim("run " + md1 + " --replications 0")
            .err.find("  /replications: must be an integer >= 1; --replications 0 set it\n") !=
        std::string::npos);
  // --series sets series_bin_days, which the user never wrote: the message says which option.
  const Result hourly = run_h2sim("run " + md1 + " --series hourly --set horizon_days=1000");
  CHECK(hourly.code == 2);
  CHECK(hourly.err.find("  /series_bin_days: must be >= horizon_days / 10000 (at most 10,000 "
                        "bins); --series hourly set it\n") != std::string::npos);
  // A --set of the same value names nothing more: the user wrote the path.
  CHECK(run_h2sim("run " + md1 + " --set seed=-1").err.find("  /seed: must be an integer >= 0\n") !=
        std::string::npos);
}

TEST_CASE("cli: an output onto an input or another output is refused before anything runs") {
  Folder folder;
  const std::string scenario = slurp(source_path("scenarios/validation/md1.json"));
  folder.write("s.json", scenario);
  folder.write("x.csv", "keep");
  fs::create_symlink("s.json", folder / "link.json");
  const auto refused = [&](const std::string& args, const std::string& message) {
    h2sim::test::check_refused(folder.h2sim(args), message);
  };
  // -o onto the scenario: the next run of it would fail (once written over, exit 0).
  refused("run s.json -o s.json",
          "h2sim: -o s.json: the same file as the input s.json (it would be overwritten)\n");
  refused("run s.json -o link.json",
          "h2sim: -o link.json: the same file as the input s.json (it would be overwritten)\n");
  refused("run s.json -o ./x.csv --table x.csv",
          "h2sim: --table x.csv: the same file as -o's ./x.csv (it would be overwritten)\n");
  refused("run s.json -o new.json --events ./new.json",
          "h2sim: --events ./new.json: the same file as -o's new.json (it would be overwritten)\n");
  refused("compare s.json s.json -o s.json",
          "h2sim: -o s.json: the same file as the input s.json (it would be overwritten)\n");
  refused("sweep s.json --vary horizon_days=1,2 --table s.json",
          "h2sim: --table s.json: the same file as the input s.json (it would be overwritten)\n");
  // report reads its outputs, --scenario and --events: -o onto any of them is refused too.
  refused("report s.json -o link.json",
          "h2sim: -o link.json: the same file as the input s.json (it would be overwritten)\n");
  refused("report link.json --scenario x.csv -o ./x.csv",
          "h2sim: -o ./x.csv: the same file as the input x.csv (it would be overwritten)\n");
  refused("report link.json --events x.csv --station A --day 1 -o x.csv",
          "h2sim: -o x.csv: the same file as the input x.csv (it would be overwritten)\n");
  // A link to a file not there yet names the file it would create: -o's metrics were lost.
  fs::create_symlink("later.json", folder / "dangling");
  refused("run s.json -o dangling --table later.json",
          "h2sim: --table later.json: the same file as -o's dangling (it would be overwritten)\n");
  // Two outputs into one FIFO: the second open blocked forever.
  REQUIRE(::mkfifo((folder / "pipe").c_str(), 0600) == 0);
  refused("run s.json -o pipe --table ./pipe",
          "h2sim: --table ./pipe: the same FIFO as -o's pipe (the second open would wait for "
          "ever)\n");
  // The file stdout or stderr goes to (here stdout.txt and stderr.txt): the metrics went into
  // the file --table then replaced, and a log appended to lost what it held.
  refused("run s.json --table ./stdout.txt",
          "h2sim: --table ./stdout.txt: the same file as the one stdout goes to (it would be "
          "overwritten)\n");
  refused("run s.json -o /proc/self/fd/2",
          "h2sim: -o /proc/self/fd/2: the same file as the one stderr goes to (it would be "
          "overwritten)\n");
  CHECK(slurp(folder / "s.json") == scenario);
  CHECK(slurp(folder / "x.csv") == "keep");
  CHECK(folder.names() == std::vector<std::string>{"dangling", "link.json", "pipe", "s.json",
                                                   "stderr.txt", "stdout.txt", "x.csv"});
}

TEST_CASE("cli: outputs are all written or none, whatever their names, and --dry-run writes none") {
  Folder folder;
  folder.write("s.json", slurp(source_path("scenarios/validation/md1.json")));
  // A name of 245 bytes is legal, but ".NAME.tmp.PID" is not: the run failed once it was over.
  const std::string long_name = std::string(240, 'b') + ".json";
  const Result long_result = folder.h2sim("run s.json -q --set horizon_days=0.2 -o " + long_name);
  CHECK(long_result.code == 0);
  CHECK(long_result.err == "");
  CHECK(nlohmann::json::parse(slurp(folder / long_name))["scenario"] == "md-1");
  // --dry-run prints; -o's earlier results stay (they were replaced by the points).
  const std::string before = slurp(folder / long_name);
  const Result dry = folder.h2sim("run s.json -q --dry-run -o " + long_name);
  CHECK(dry.code == 0);
  CHECK(nlohmann::json::parse(dry.out)["dry_run"] == true);
  CHECK(slurp(folder / long_name) == before);
  // A --table that cannot be written (files limited to 10 KiB: the metrics, 8 KB, fit; the
  // table, 13 KB, does not, as on a full disk) leaves -o as it was: -o was replaced first.
  folder.write("o.json", "old");
  const Result failed =
      h2sim_in(folder.path, "run s.json -q --set horizon_days=0.2 -o o.json --table t.csv",
               "trap '' XFSZ; ulimit -f 10;");
  CHECK(failed.code == 1);
  CHECK(failed.err == "h2sim: error: cannot write t.csv: File too large\n");
  CHECK(slurp(folder / "o.json") == "old");
  // Standard input is not read: "-" is refused as such, not as a missing file.
  const Result dash = folder.h2sim("run - < s.json");
  CHECK(dash.code == 2);
  CHECK(dash.err == "h2sim: cannot read scenario -: standard input is not read; give the file's "
                    "path\n");
  CHECK(folder.names() ==
        std::vector<std::string>{long_name, "o.json", "s.json", "stderr.txt", "stdout.txt"});
}

TEST_CASE(
    "cli: an output onto a file the scenario reads (its trace) or onto the journal is refused") {
  Folder folder;
  const std::string scenario = slurp(source_path("scenarios/trace/example.json"));
  const std::string trace = slurp(source_path("scenarios/trace/example.csv"));
  folder.write("t.json", scenario);
  folder.write("example.csv", trace);
  const auto refused = [&](const std::string& args, const std::string& message) {
    h2sim::test::check_refused(folder.h2sim(args), message);
  };
  // The trace is known once the scenario is read: every command and every output is checked.
  refused("run t.json -o example.csv",
          "h2sim: -o example.csv: the same file as ./example.csv, which the scenario reads (it "
          "would be overwritten)\n");
  refused("run t.json -o x.json --events ./example.csv",
          "h2sim: --events ./example.csv: the same file as ./example.csv, which the scenario "
          "reads (it would be overwritten)\n");
  refused("sweep t.json --vary horizon_days=1,2 --table example.csv",
          "h2sim: --table example.csv: the same file as ./example.csv, which the scenario reads "
          "(it would be overwritten)\n");
  refused("compare t.json t.json -o example.csv",
          "h2sim: -o example.csv: the same file as ./example.csv, which the scenario reads (it "
          "would be overwritten)\n");
  // A sweep writes -o's journal beside it: not onto the scenario, nor onto --table.
  folder.write("t.json.journal", scenario);
  refused("sweep t.json.journal --vary horizon_days=1,2 -o t.json",
          "h2sim: -o's journal t.json.journal: the same file as the input t.json.journal (it "
          "would be overwritten)\n");
  refused("sweep t.json --vary horizon_days=1,2 -o y.json --table y.json.journal",
          "h2sim: -o's journal y.json.journal: the same file as --table's y.json.journal (it "
          "would be overwritten)\n");
  CHECK(slurp(folder / "example.csv") == trace);
  CHECK(slurp(folder / "t.json.journal") == scenario);
  CHECK(folder.names() == std::vector<std::string>{"example.csv", "stderr.txt", "stdout.txt",
                                                   "t.json", "t.json.journal"});
}

TEST_CASE("cli: options that cannot mean anything together, or out of range, exit 2") {
  const std::string md1 = source("scenarios/validation/md1.json");
  const auto first_line = [](const Result& result) {
    return result.err.substr(0, result.err.find('\n'));
  };
  // A negative K once wrapped around to 18446744073709551615.
  const Result negative = run_h2sim("run " + md1 + " --replication -1");
  CHECK(negative.code == 2);
  CHECK(first_line(negative) == "h2sim: --replication: Value -1 not in range 0 to 1000000");
  // --until with one replication repeated it ten times and claimed the precision reached.
  const Result until =
      run_h2sim("run " + md1 + " --replication 0 --until totals.wait_min.p95:0.05");
  CHECK(until.code == 2);
  CHECK(until.err ==
        "h2sim: --until: --replication 0 runs that replication alone; there are none to add\n");
  CHECK(first_line(run_h2sim("run " + md1 + " --events-replication 1")) ==
        "h2sim: --events-replication requires --events");
  // --replication K writes K's events: another --events-replication is refused, 0 too (which
  // was taken for the default and wrote replication 1's log).
  for (const std::string other : {"0", "2"}) {
    h2sim::test::check_refused(run_h2sim("run " + md1 +
                                         " --replications 3 --replication 1 --events ev.csv "
                                         "--events-replication " +
                                         other),
                               "h2sim: --events-replication " + other +
                                   ": --replication 1 runs only that replication\n");
  }
  CHECK(first_line(run_h2sim("run " + md1 + " --max-replications 5")) ==
        "h2sim: --max-replications requires --until");
  // "-" is stdout (the metrics'); "" was taken for no option at all.
  CHECK(first_line(run_h2sim("run " + md1 + " --table -")) ==
        "h2sim: --table: must be a file's path (- is stdout, the metrics')");
  CHECK(first_line(run_h2sim("run " + md1 + " --events ''")) ==
        "h2sim: --events: must be a file's path, not empty");
  // -o '' (an unset shell variable) wrote the metrics to stdout, where a file was meant.
  for (const char* command : {"run ", "sweep --vary seed=1,2 ", "report "}) {
    CAPTURE(command);
    const Result empty = run_h2sim(command + md1 + " -o ''");
    CHECK(empty.code == 2);
    CHECK(first_line(empty) == "h2sim: --out: must be a file's path or - (stdout), not empty");
    CHECK(empty.out.empty());
  }
  // A path given twice to --vary kept only its last values.
  const Result twice = run_h2sim(
      "sweep " + md1 + " --vary stations.0.dispensers=1,2 --vary stations.0.dispensers=3");
  CHECK(twice.code == 2);
  CHECK(twice.err == "h2sim: --vary stations.0.dispensers: given twice (list all its values in one "
                     "--vary)\n");
  // The same field by two paths: the later axis replaced the earlier's values at every point.
  const auto axes = [&](const std::string& first, const std::string& second) {
    return run_h2sim("sweep " + md1 + " --dry-run --vary " + first + " --vary " + second);
  };
  const auto points = [](const Result& r) {
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return nlohmann::json::parse(r.out).at("points").size();
  };
  h2sim::test::check_refused(
      axes("stations.0.dispensers=1,2", "/stations/0/dispensers=3,4"),
      "h2sim: --vary stations.0.dispensers and --vary /stations/0/dispensers: both change "
      "/stations/0/dispensers (list all its values in one --vary)\n");
  // A wildcard and one of its items: the same. An operator acts on the value before it: allowed.
  h2sim::test::check_refused(
      axes("stations.*.dispensers=1,2", "stations.0.dispensers=3"),
      "h2sim: --vary stations.*.dispensers and --vary stations.0.dispensers: both change "
      "/stations/0/dispensers (list all its values in one --vary)\n");
  CHECK(points(axes("stations.*.dispensers=1,2", "stations.0.dispensers+=1,3")) == 4);
  // A whole object after a field inside it replaces that field's values; the other way round,
  // the field is set inside the object.
  const std::string demand = R"('demand={"model":"poisson","arrivals_per_h":5,"kg_per_fill":8}')";
  h2sim::test::check_refused(axes("demand.arrivals_per_h=1,2", demand),
                             "h2sim: --vary demand.arrivals_per_h and --vary demand: both change "
                             "/demand/arrivals_per_h (list all its values in one --vary)\n");
  CHECK(points(axes(demand, "demand.arrivals_per_h=1,2")) == 2);
  // --seed, --replications and --series come after the points' values: an axis of the same field
  // ran every point alike, labelled with values it did not run.
  h2sim::test::check_refused(
      run_h2sim("sweep " + md1 + " --dry-run --vary seed=1,2,3 --seed 7"),
      "h2sim: --vary seed: --seed 7, given for every point, replaces its values at /seed (vary it "
      "or fix it, not both)\n");
  h2sim::test::check_refused(
      run_h2sim("sweep " + md1 + " --dry-run --vary series_bin_days=0,1 --series hourly"),
      "h2sim: --vary series_bin_days: --series hourly, given for every point, replaces its values "
      "at "
      "/series_bin_days (vary it or fix it, not both)\n");
  // A number out of range is a value's problem, named at its field, as --set's (it exited 1 with
  // the JSON library's exception).
  const Result huge = run_h2sim("sweep " + md1 + " --dry-run --vary stations.0.dispensers=1e400,2");
  CHECK(huge.code == 2);
  CHECK(huge.err.find("  point 0 (stations.0.dispensers=1e400): /stations/0/dispensers: must be "
                      "an integer >= 1 and <= 1000; --vary stations.0.dispensers=1e400 was taken "
                      "as a string: a number is out of range") != std::string::npos);
  // A --set comes before them: the axis replaces it, as meant; one it replaces whole changes
  // nothing, and a warning says so (it was silent), once for all points.
  const Result replaced = run_h2sim("sweep " + md1 + " --dry-run --vary seed=1,2 --set seed=7");
  CHECK(points(replaced) == 2);
  CHECK(replaced.err == "h2sim: warning: /seed: --set seed=7: every point's --vary seed replaces "
                        "it at /seed, so it changes nothing (vary it or fix it)\n");
  // The same when the --set's value is the first point's (it was taken for the axis's change).
  const Result same = run_h2sim("sweep " + md1 + " --dry-run --set seed=7 --vary seed=7,8");
  CHECK(points(same) == 2);
  CHECK(same.err == "h2sim: warning: /seed: --set seed=7: every point's --vary seed replaces it "
                    "at /seed, so it changes nothing (vary it or fix it)\n");
  // Who reads the JSON finds it first among each point's warnings.
  const Result ran =
      run_h2sim("sweep -q " + md1 + " --set seed=7 --vary seed=7,8 --set horizon_days=0.1");
  REQUIRE_MESSAGE(ran.code == 0, ran.err);
  const auto swept = nlohmann::json::parse(ran.out); // kept: the loop reads inside it
  REQUIRE(swept["points"].size() == 2);
  for (const auto& point : swept["points"]) {
    CHECK(point["metrics"]["warnings"][0] ==
          nlohmann::json{{"pointer", "/seed"},
                         {"message", "--set seed=7: every point's --vary seed replaces it at "
                                     "/seed, so it changes nothing (vary it or fix it)"}});
  }
  const Result added = run_h2sim("sweep " + md1 +
                                 " --dry-run --set stations.0.dispensers+=1"
                                 " --vary stations.0.dispensers=1,2");
  CHECK(points(added) == 2);
  CHECK(added.err == "h2sim: warning: /stations/0/dispensers: --set stations.0.dispensers+=1: "
                     "every point's --vary stations.0.dispensers replaces it at "
                     "/stations/0/dispensers, so it changes nothing (vary it or fix it)\n");
  // Not where the --set still does something: its other stations, or an axis that adds to it.
  const std::string today = source("scenarios/shanghai-today.json");
  const Result wildcard = run_h2sim("sweep " + today +
                                    " --dry-run --set stations.*.dispensers=3"
                                    " --vary stations.0.dispensers=1,2");
  CHECK(points(wildcard) == 2);
  CHECK(wildcard.err.find("changes nothing") == std::string::npos);
  const Result adds = run_h2sim("sweep " + md1 +
                                " --dry-run --set stations.0.dispensers=3"
                                " --vary stations.0.dispensers+=1,2");
  CHECK(points(adds) == 2);
  CHECK(adds.err.find("changes nothing") == std::string::npos);
  CHECK(points(run_h2sim("sweep " + md1 + " --dry-run --vary seed=1,2 --replications 3")) == 2);
  // Each axis within 10000 values, a billion points together: refused before any is listed.
  const Result billion = run_h2sim("sweep " + md1 +
                                   " --dry-run --vary horizon_days=1:1000:1"
                                   " --vary warmup_days=0:999:1 --vary seed=1:1000:1");
  CHECK(billion.code == 2);
  CHECK(billion.err == "h2sim: --vary: the axes make more than 100000 points; sweep fewer values, "
                       "or split the sweep\n");
}

TEST_CASE("cli: --replications above --max-replications is refused, naming both") {
  // --until adds replications up to --max-replications: 20 of them ran anyway when it was 10.
  const std::string until = " --until totals.wait_min.mean:0.5 --max-replications 10";
  const Result more = run_h2sim(quick_run + " --replications 20" + until);
  CHECK(more.code == 2);
  CHECK(more.err == "h2sim: --replications 20: more than --max-replications 10 (--until adds "
                    "replications up to --max-replications, never runs fewer than asked for)\n");
  CHECK(more.out.empty());
  const Result dry = run_h2sim(quick_run + " --replications 20 --dry-run" + until);
  CHECK(dry.code == 2);
  CHECK(dry.err == more.err);
  // The scenario's own replications likewise.
  const Result file = run_h2sim(quick_run + " --set replications=20" + until);
  CHECK(file.code == 2);
  CHECK(file.err == "h2sim: --max-replications 10: fewer than the scenario's 20 replications "
                    "(--until adds replications up to --max-replications, never runs fewer than "
                    "asked for)\n");
  // As many as the most is fine.
  CHECK(run_h2sim(quick_run + " --replications 10 --dry-run" + until).code == 0);
  // A sweep's point whose replications come from --vary is named.
  const Result point =
      run_h2sim("sweep -q " + md1_file + " --set horizon_days=2 --vary replications=2,20" + until);
  CHECK(point.code == 2);
  CHECK(point.err == "h2sim: point 1 (replications=20): --max-replications 10: fewer than the "
                     "scenario's 20 replications (--until adds replications up to "
                     "--max-replications, never runs fewer than asked for)\n");
  // size's own first stage (5 where the scenario has 1) keeps within the most: it was refused as
  // "--replications 5", which nobody gave, after the search had begun.
  const Result size = run_h2sim("size " + md1_file +
                                " --set horizon_days=2 --param stations.0.dispensers --range 1:2"
                                " --target 'totals.wait_min.mean<=1000'"
                                " --until totals.wait_min.mean:0.5 --max-replications 3");
  CHECK(size.code == 0);
  CHECK(size.err.find("size: at least 3 replications per point (a confidence interval needs 2 or "
                      "more; --until adds more)") != std::string::npos);
}

TEST_CASE("cli: run --until says what it runs first and, on stderr, a precision not reached") {
  // It said "1 replication" and ran 3; a precision not reached was only in the JSON.
  const Result short_of =
      run_h2sim("run " + md1_file +
                " --set horizon_days=2 --until totals.wait_min.mean:0.0001 --max-replications 3");
  CHECK(short_of.code == 0);
  CHECK(short_of.err.find("h2sim: info: running md-1 (3 replications to start, up to 3 until "
                          "totals.wait_min.mean has a relative error of 0.0001, ") !=
        std::string::npos);
  CHECK(short_of.err.find("h2sim: warning: --until totals.wait_min.mean: relative half-width ") !=
        std::string::npos);
  CHECK(short_of.err.find(" after 3 replications, above the 0.0001 that a relative error of "
                          "0.0001 needs (relative / (1 + relative); --max-replications 3)\n") !=
        std::string::npos);
  const nlohmann::json document = nlohmann::json::parse(short_of.out);
  CHECK(document["replications"] == 3);
  CHECK(document["precision"]["totals.wait_min.mean"]["reached"] == false);
  // Reached: no warning; the first stage is ten.
  const Result reached =
      run_h2sim("run " + md1_file + " --set horizon_days=2 --until totals.wait_min.mean:0.9");
  CHECK(reached.code == 0);
  CHECK(reached.err.find("(10 replications to start, up to 1000 until totals.wait_min.mean "
                         "has a relative error of 0.9, ") != std::string::npos);
  CHECK(reached.err.find("warning") == std::string::npos);
}

TEST_CASE("cli: -o onto a character device writes to it, and the device stays") {
  Folder folder;
  if (!make_device(folder / "null", 3)) {
    return;
  }
  const Result r = h2sim_in(folder.path, quick_run + " -o null");
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(is_character_device(folder / "null"));
  CHECK(folder.names() == std::vector<std::string>{"null"});
}

TEST_CASE("cli: -o onto a full device exits 1 with the reason, and the device stays") {
  Folder folder;
  if (!make_device(folder / "full", 7)) {
    return;
  }
  const Result r = h2sim_in(folder.path, quick_run + " -o full");
  CHECK(r.code == 1);
  CHECK(r.err == "h2sim: error: cannot write full: No space left on device\n");
  CHECK(is_character_device(folder / "full"));
  CHECK(folder.names() == std::vector<std::string>{"full"});
}

TEST_CASE("cli: -o onto a FIFO writes the metrics through it") {
  Folder folder;
  const fs::path fifo = folder / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0666) == 0);
  std::string received;
  std::atomic<bool> done = false;
  std::thread reader([&] {
    received = slurp(fifo);
    done = true;
  });
  const Result r = h2sim_in(folder.path, quick_run + " -o fifo");
  // Should h2sim not have opened the FIFO, a writer that comes and goes ends the reader's wait.
  while (!done) {
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) {
      ::close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reader.join();
  CHECK(r.code == 0);
  REQUIRE_FALSE(received.empty());
  CHECK(nlohmann::json::parse(received)["scenario"] == "md-1");
  CHECK(fs::is_fifo(fs::symlink_status(fifo)));
  CHECK(folder.names() == std::vector<std::string>{"fifo"});
}

TEST_CASE("cli: a scenario from a FIFO is read once, by sweep as by run") {
  // sweep and size load the scenario for every point: from a pipe, the second read found it
  // empty ("not valid JSON").
  Folder folder;
  const fs::path fifo = folder / "scenario";
  REQUIRE(::mkfifo(fifo.c_str(), 0666) == 0);
  const std::string text = slurp(source_path("scenarios/validation/md1.json"));
  std::atomic<bool> done = false;
  std::thread writer([&] {
    std::ofstream(fifo) << text;
    // Should h2sim open it again, a writer that comes and goes ends its wait (with no text).
    while (!done) {
      const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd >= 0) {
        ::close(fd);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  const Result r = folder.h2sim("sweep scenario --vary horizon_days=1,2 --dry-run -q");
  done = true;
  writer.join();
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(nlohmann::json::parse(r.out)["points"].size() == 2);
}

TEST_CASE("cli: -o through symbolic links replaces what they point to and keeps the links") {
  Folder folder;
  std::ofstream(folder / "real") << "old\n";
  fs::permissions(folder / "real", fs::perms(0600));
  fs::create_symlink("real", folder / "link");
  fs::create_symlink("link", folder / "chain");
  fs::create_symlink("sub/new.json", folder / "dangling");
  fs::create_directory(folder / "sub");

  CHECK(h2sim_in(folder.path, quick_run + " -o chain").code == 0);
  CHECK(fs::is_symlink(folder / "chain"));
  CHECK(fs::read_symlink(folder / "chain") == "link");
  CHECK(fs::is_symlink(folder / "link"));
  CHECK(fs::is_regular_file(fs::symlink_status(folder / "real")));
  CHECK(nlohmann::json::parse(slurp(folder / "real"))["scenario"] == "md-1");
  CHECK(permissions(folder / "real") == 0600);

  // A dangling link names the file to create; the link stays a link.
  CHECK(h2sim_in(folder.path, quick_run + " -o dangling").code == 0);
  CHECK(fs::is_symlink(folder / "dangling"));
  CHECK(nlohmann::json::parse(slurp(folder / "sub/new.json"))["scenario"] == "md-1");
  CHECK(folder.names() == std::vector<std::string>{"chain", "dangling", "link", "real", "sub"});
  CHECK(fs::directory_iterator(folder / "sub")->path().filename() == "new.json");
}

TEST_CASE("cli: an event log whose temporary name would be too long is refused before the run") {
  // The file is written unnamed and named only at the end: the name's length was found then,
  // after a run of any length. PATH_MAX (4096) counts the whole path; ".E.csv.tmp.PID" beside a
  // target of 4090 bytes passes it.
  Folder folder;
  fs::path deep = folder.path;
  while (deep.string().size() < 3850) {
    deep /= std::string(200, 'd');
  }
  deep /= std::string(4090 - deep.string().size() - std::string("/E.csv").size() - 1, 'f');
  fs::create_directories(deep);
  const std::string target = (deep / "E.csv").string();
  REQUIRE(target.size() == 4090);
  const Result r =
      h2sim_in(folder.path, "run -q " + md1_file +
                                " --set horizon_days=36500 -o m.json --events '" + target + "'");
  CHECK(r.code == 1);
  CHECK(r.err == "h2sim: error: cannot write " + target + ": File name too long\n");
  CHECK(fs::is_empty(deep));
  CHECK_FALSE(fs::exists(folder / "m.json"));
}

TEST_CASE("cli: -o keeps an existing file's permission bits") {
  Folder folder;
  // The file is written unnamed and linked into the folder; where it cannot be linked (no /proc),
  // it is copied into a named one; where the file system has no unnamed files, written named.
  for (const std::string way : {"", "H2SIM_TEST_NO_LINK=1", "H2SIM_TEST_NAMED_TEMPORARY=1"}) {
    for (const unsigned mode : {0600U, 0640U, 0604U}) {
      CAPTURE(way);
      CAPTURE(mode);
      std::ofstream(folder / "m.json") << "old\n";
      fs::permissions(folder / "m.json", fs::perms(mode));
      CHECK(h2sim_in(folder.path, quick_run + " -o m.json", way).code == 0);
      CHECK(permissions(folder / "m.json") == mode);
      CHECK(nlohmann::json::parse(slurp(folder / "m.json"))["scenario"] == "md-1");
    }
  }
  CHECK(folder.names() == std::vector<std::string>{"m.json"});
}

TEST_CASE("cli: two outputs into one unnamed pipe are written, one after the other") {
  // Unlike a named FIFO, a pipe reopened through /proc/self/fd does not wait for a reader:
  // `-o /dev/stdout --table /dev/stderr 2>&1 | less` is a use, not a mistake.
  const Result r = run_h2sim("run -q " + md1_file +
                             " --set horizon_days=1 -o /proc/self/fd/3 --table /proc/self/fd/4 "
                             "3>&1 4>&1 | cat");
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.starts_with("{\n  \"h2sim_version\""));
  CHECK(r.out.find("\ntable,id,kind,replication,index,metric,value") != std::string::npos);
}

TEST_CASE("cli: an event log whose reader is gone fails with a message, not killed by SIGPIPE") {
  Folder folder;
  folder.write("s.json", slurp(source_path("scenarios/validation/md1.json")));
  // The reader takes 100 bytes and goes: the replication's process was killed by signal 13.
  // The same whether the log is written beside the models or in line with them.
  for (const std::string thread : {"0", "1"}) {
    CAPTURE(thread);
    const Result r = h2sim_in(folder.path, "run s.json -q --set horizon_days=5 --events ff",
                              "rm -f ff; mkfifo ff; (head -c 100 ff > taken.txt &); "
                              "H2SIM_TALLY_THREAD=" +
                                  thread + " ");
    CHECK(r.code == 1);
    CHECK(r.err == "h2sim: error: replication 0 failed: cannot write the event log: Broken pipe\n"
                   "h2sim: error: replication 0 failed; its event log is not written\n");
  }
}

TEST_CASE(
    "cli: a table whose FIFO reader is gone leaves -o's file and the event log as they were") {
  // The table (240 kB, past a pipe's buffer) is written to the FIFO before -o's file and the log
  // are put in place: they were replaced although the command failed.
  Folder folder;
  folder.write("s.json", slurp(source_path("scenarios/validation/md1.json")));
  folder.write("m.json", "old metrics\n");
  folder.write("e.csv", "old log\n");
  const Result r = h2sim_in(
      folder.path, "run s.json -q --set horizon_days=200 -o m.json --events e.csv --table ff",
      "rm -f ff; mkfifo ff; (head -c 10 ff > taken.txt &); ");
  CHECK(r.code == 1);
  CHECK(r.err == "h2sim: error: cannot write ff: Broken pipe\n");
  CHECK(slurp(folder / "m.json") == "old metrics\n");
  CHECK(slurp(folder / "e.csv") == "old log\n");
  CHECK(std::distance(fs::directory_iterator(folder.path), fs::directory_iterator{}) == 5);
}

TEST_CASE("cli: stdout whose reader is gone exits 1 with a message, not killed by SIGPIPE") {
  Folder folder;
  // Made before fork: the child only calls what is safe there.
  const std::string scenario = source_path("scenarios/validation/md1.json").string();
  const std::string err_path = (folder / "err.txt").string();
  int ends[2];
  REQUIRE(::pipe(ends) == 0);
  ::close(ends[0]); // no reader: a write fails with EPIPE, after SIGPIPE
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGPIPE, SIG_DFL); // as a shell starts it, whatever this test runner does
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(ends[1], 1);
    ::dup2(err, 2);
    ::execl(H2SIM_CLI, H2SIM_CLI, "run", "-q", scenario.c_str(), nullptr);
    ::_exit(127);
  }
  ::close(ends[1]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status)); // it was killed by signal 13, with no message
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(slurp(folder / "err.txt") ==
        "h2sim: error: cannot write the metrics to stdout: Broken pipe\n");
}

TEST_CASE("cli: the event log of a failed replication leaves no temporary file beside it") {
  // -o's file was written while the log's temporary file existed: its rename disarmed the one
  // cleanup slot there was, and the log's partial file stayed.
  Folder folder;
  const Result r = h2sim_in(folder.path,
                            quick_run + " --replications 3 -o m.json --events e.csv "
                                        "--events-replication 1 --table t.csv",
                            "H2SIM_TEST_FAIL_REPLICATION=0:1");
  CHECK(r.code == 1);
  CHECK(r.err == "h2sim: error: replication 1 failed: injected failure\n"
                 "h2sim: error: replication 1 failed; its event log is not written\n"
                 "h2sim: error: 1 of 3 replications failed; the metrics are over the other 2\n");
  CHECK(folder.names() == std::vector<std::string>{"m.json", "t.csv"});
}

TEST_CASE("cli: a failed run leaves an existing -o file byte-identical and no temporary file") {
  Folder folder;
  const std::string before = "{\"precious\": true}\n";
  std::ofstream(folder / "m.json") << before;
  SUBCASE("an invalid --set") {
    const Result r = h2sim_in(folder.path, quick_run + " --set stations.0.dispensers=0 -o m.json");
    CHECK(r.code == 2);
  }
  SUBCASE("the only replication fails") {
    const Result r =
        h2sim_in(folder.path, quick_run + " -o m.json", "H2SIM_TEST_FAIL_REPLICATION=0:0");
    CHECK(r.code == 1);
    CHECK(r.err == "h2sim: error: replication 0 failed: injected failure\n");
  }
  SUBCASE("every replication fails") {
    const Result r = h2sim_in(folder.path, quick_run + " --replications 2 -o m.json",
                              "H2SIM_TEST_FAIL_REPLICATION=0:0,0:1");
    CHECK(r.code == 1);
    CHECK(r.err == "h2sim: error: replication 0 failed: injected failure\n"
                   "h2sim: error: replication 1 failed: injected failure\n"
                   "h2sim: error: every replication failed; nothing written\n");
  }
  SUBCASE("SIGTERM between writing the temporary file and renaming it") {
    const Result r =
        h2sim_in(folder.path, quick_run + " -o m.json", "H2SIM_TEST_SIGNAL_BEFORE_RENAME=15");
    CHECK(r.code == 128 + 15);
  }
  SUBCASE("SIGINT there, as with Ctrl-C") {
    const Result r =
        h2sim_in(folder.path, quick_run + " -o m.json", "H2SIM_TEST_SIGNAL_BEFORE_RENAME=2");
    CHECK(r.code == 128 + 2);
  }
  SUBCASE("SIGKILL while the outputs are written") {
    // No handler runs: the files written have no name until they are complete (O_TMPFILE). A
    // named temporary file was left behind, the event log's perhaps large. A file system
    // without O_TMPFILE (overlayfs before Linux 6.6, NFS) gets named ones, as documented.
    const int probe = ::open(folder.path.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (probe < 0) {
      MESSAGE("no O_TMPFILE in " << folder.path.string() << ": not checked");
      return;
    }
    ::close(probe);
    const Result r = h2sim_in(folder.path, quick_run + " -o m.json --events ev.csv",
                              "H2SIM_TEST_SIGNAL_BEFORE_SYNC=9");
    CHECK(r.code == 128 + 9);
  }
  CHECK(slurp(folder / "m.json") == before);
  CHECK(folder.names() == std::vector<std::string>{"m.json"});
}

TEST_CASE("cli: -o onto a directory or a socket is refused before anything runs") {
  Folder folder;
  fs::create_directory(folder / "dir");
  const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string socket_path = (folder / "sock").string();
  REQUIRE(socket_path.size() < sizeof address.sun_path);
  std::copy(socket_path.begin(), socket_path.end(), address.sun_path);
  REQUIRE(::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  fs::create_symlink("sock", folder / "to-sock");

  // A scenario too long to finish shows that nothing ran before the refusal.
  const std::string forever = "run -q " + md1_file + " --set horizon_days=36500";
  const Result directory = h2sim_in(folder.path, forever + " -o dir");
  CHECK(directory.code == 2);
  CHECK(directory.err == "h2sim: -o dir: is a directory\n");
  const Result socket = h2sim_in(folder.path, forever + " -o sock");
  CHECK(socket.code == 2);
  CHECK(socket.err == "h2sim: -o sock: is a socket\n");
  const Result linked = h2sim_in(folder.path, forever + " -o to-sock");
  CHECK(linked.code == 2);
  CHECK(linked.err == "h2sim: -o to-sock: is a socket\n");
  const Result table = h2sim_in(folder.path, "sweep -q " + md1_file +
                                                 " --vary horizon_days=36500,36501 --table sock");
  CHECK(table.code == 2);
  CHECK(table.err == "h2sim: --table sock: is a socket\n");
  ::close(listener);
  CHECK(folder.names() == std::vector<std::string>{"dir", "sock", "to-sock"});
}

TEST_CASE("cli: stdout that cannot take the metrics exits 1 with the reason") {
  Folder folder;
  SUBCASE("a full device") {
    if (!make_device(folder / "full", 7)) {
      return;
    }
    const Result r = h2sim_in(folder.path, quick_run + " >full");
    CHECK(r.code == 1);
    CHECK(r.err == "h2sim: error: cannot write the metrics to stdout: No space left on device\n");
    const Result schema = h2sim_in(folder.path, "schema >full");
    CHECK(schema.code == 1);
    CHECK(schema.err ==
          "h2sim: error: cannot write the schema to stdout: No space left on device\n");
  }
  SUBCASE("a closed stdout") {
    const Result r = h2sim_in(folder.path, quick_run + " --replications 2 >&-");
    CHECK(r.code == 1);
    CHECK(r.err == "h2sim: error: cannot write the metrics to stdout: Bad file descriptor\n");
    // Nothing the command opened took the closed descriptor's place.
    CHECK(folder.names().empty());
  }
}

TEST_CASE("cli: a failed replication leaves the others' metrics, named in the output, exit 1") {
  Folder folder;
  const std::string args = quick_run + " --replications 3 --jobs 2 -o m.json";
  REQUIRE(h2sim_in(folder.path, args).code == 0);
  const auto whole = nlohmann::json::parse(slurp(folder / "m.json"));
  const Result r = h2sim_in(folder.path, args, "H2SIM_TEST_FAIL_REPLICATION=0:1");
  CHECK(r.code == 1);
  CHECK(r.err == "h2sim: error: replication 1 failed: injected failure\n"
                 "h2sim: error: 1 of 3 replications failed; the metrics are over the other 2\n");
  const auto partial = nlohmann::json::parse(slurp(folder / "m.json"));
  CHECK(partial["error"] == "replication 1 failed: injected failure");
  CHECK(partial["replication_errors"] ==
        nlohmann::json::parse(R"([{"replication": 1, "error": "injected failure"}])"));
  CHECK(partial["replications"] == 3);
  // The finished replications are exactly those of the whole run, and the means are theirs.
  REQUIRE(partial["replication_totals"].size() == 2);
  CHECK(partial["replication_totals"][0] == whole["replication_totals"][0]);
  CHECK(partial["replication_totals"][1] == whole["replication_totals"][2]);
  CHECK(partial["totals"]["arrivals"].get<double>() ==
        (whole["replication_totals"][0]["arrivals"].get<double>() +
         whole["replication_totals"][2]["arrivals"].get<double>()) /
            2);
  CHECK(folder.names() == std::vector<std::string>{"m.json"});
}

TEST_CASE("cli: what a replication that dies without a result wrote ends its error, not stdout") {
  Folder folder;
  const Result r = h2sim_in(folder.path, quick_run + " --replications 2 --jobs 2",
                            "H2SIM_TEST_EXIT_REPLICATION=0:1");
  CHECK(r.code == 1);
  const std::string error = "replication 1 failed: exited with status 1 without a result: "
                            "injected exit: gone without a result";
  CHECK(r.err.find("h2sim: error: " + error + "\n") != std::string::npos);
  // The line itself reaches stderr once, through the logger (warning), naming the process.
  CHECK(r.err.find("h2sim: warning: replication process ") != std::string::npos);
  const auto metrics = nlohmann::json::parse(r.out); // stdout: the metrics and nothing else
  CHECK(metrics["error"] == error);
}

TEST_CASE("cli: a killed replication is named with its signal, the others kept") {
  Folder folder;
  // One at a time, replication 0 hangs: the first child there is is it, and it is killed.
  const Result r = h2sim_in(folder.path,
                            quick_run + " --replications 2 --jobs 1 -o m.json & pid=$!; "
                                        "until pkill -KILL -P $pid; do sleep 0.05; done; wait $pid",
                            "H2SIM_TEST_HANG_REPLICATION=0:0");
  CHECK(r.code == 1);
  CHECK(r.err == "h2sim: error: replication 0 failed: killed by signal 9 (Killed)\n"
                 "h2sim: error: 1 of 2 replications failed; the metrics are over the other 1\n");
  const auto metrics = nlohmann::json::parse(slurp(folder / "m.json"));
  CHECK(metrics["error"] == "replication 0 failed: killed by signal 9 (Killed)");
  CHECK(metrics["totals"]["arrivals"].get<double>() > 0);
}

TEST_CASE("cli: a sweep with a failing point writes every point and exits 1") {
  Folder folder;
  const std::string args = "sweep -q " + md1_file +
                           " --set horizon_days=2 --vary stations.0.dispensers=1,2,3"
                           " --replications 2 --jobs 2 -o s.json --table t.csv";
  REQUIRE(h2sim_in(folder.path, args).code == 0);
  CHECK(folder.names() == std::vector<std::string>{"s.json", "t.csv"}); // no journal left
  auto whole = nlohmann::json::parse(slurp(folder / "s.json"));
  const Result r = h2sim_in(folder.path, args, "H2SIM_TEST_FAIL_REPLICATION=1:0");
  CHECK(r.code == 1);
  CHECK(r.err == "h2sim: error: point 1 (stations.0.dispensers=2), replication 0 failed: "
                 "injected failure\n"
                 "h2sim: error: 1 of 6 replications failed; the points they belong to carry "
                 "\"error\"\n");
  auto sweep = nlohmann::json::parse(slurp(folder / "s.json"));
  REQUIRE(sweep["points"].size() == 3);
  for (auto* document : {&whole, &sweep}) {
    document->erase("run"); // its command line
    for (auto& point : (*document)["points"]) {
      point["metrics"].erase("run");
    }
  }
  CHECK(sweep["points"][0] == whole["points"][0]);
  CHECK(sweep["points"][2] == whole["points"][2]);
  const auto& failed = sweep["points"][1];
  CHECK(failed["error"] == "replication 0 failed: injected failure");
  CHECK(failed["metrics"]["replication_errors"] ==
        nlohmann::json::parse(R"([{"replication": 0, "error": "injected failure"}])"));
  // One replication finished: its metrics as they are, those of replication 1 of the whole sweep.
  CHECK(failed["metrics"]["totals"] == whole["points"][1]["metrics"]["replication_totals"][1]);
  CHECK_FALSE(failed["metrics"].contains("error"));

  // The table: replication 1 alone for point 1, carrying the error in the last column.
  std::istringstream csv(slurp(folder / "t.csv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) {
    lines.push_back(line);
  }
  REQUIRE(lines.size() == 1 + 3 + 1 + 3);
  CHECK(lines[0].substr(lines[0].size() - 6) == ",error");
  CHECK(lines[4].rfind("1,2,1,", 0) == 0);
  CHECK(lines[4].ends_with(",replication 0 failed: injected failure"));
  CHECK(lines[3].back() == ','); // point 0's mean row: no error
  // The journal stays, so that --resume reruns only the failed replication.
  CHECK(folder.names() == std::vector<std::string>{"s.json", "s.json.journal", "t.csv"});
  const Result resumed = h2sim_in(folder.path, args + " --resume");
  CHECK(resumed.code == 0);
  CHECK(folder.names() == std::vector<std::string>{"s.json", "t.csv"});
}

TEST_CASE("cli: a sweep killed midway and resumed gives the uninterrupted output") {
  Folder folder;
  const std::string args = "sweep " + md1_file +
                           " --set horizon_days=2 --vary stations.0.dispensers=1,2,3"
                           " --replications 2 --jobs 1 -o s.json --table t.csv";
  REQUIRE(h2sim_in(folder.path, args + " -q").code == 0);
  auto whole = nlohmann::json::parse(slurp(folder / "s.json"));
  const std::string whole_table = slurp(folder / "t.csv");
  fs::remove(folder / "s.json");
  fs::remove(folder / "t.csv");

  // One at a time, point 1's replication 1 hangs: once the journal holds its header and the three
  // replications before it, the sweep is killed (its children die with it).
  const Result killed =
      h2sim_in(folder.path,
               args + " -q & pid=$!; for i in $(seq 600); do "
                      "[ \"$(wc -l < s.json.journal 2>/dev/null)\" = 4 ] && break; sleep 0.1; "
                      "done; kill -TERM $pid; wait $pid",
               "H2SIM_TEST_HANG_REPLICATION=1:1");
  CHECK(killed.code == 128 + 15);
  CHECK(folder.names() == std::vector<std::string>{"s.json.journal"});

  const Result resumed = h2sim_in(folder.path, args + " --resume");
  CHECK(resumed.code == 0);
  CHECK(resumed.err.find("h2sim: info: resuming: 3 replications already finished\n") !=
        std::string::npos);
  CHECK(folder.names() == std::vector<std::string>{"s.json", "t.csv"});
  auto sweep = nlohmann::json::parse(slurp(folder / "s.json"));
  for (auto* document : {&whole, &sweep}) {
    document->erase("run"); // its command line
    for (auto& point : (*document)["points"]) {
      point["metrics"].erase("run");
    }
  }
  CHECK(sweep.dump() == whole.dump());
  CHECK(slurp(folder / "t.csv") == whole_table);
}

TEST_CASE("cli: --resume refuses another sweep's journal") {
  Folder folder;
  const std::string args = "sweep -q " + md1_file + " --set horizon_days=2 --replications 2";
  REQUIRE(h2sim_in(folder.path, args + " --vary stations.0.dispensers=1,2 -o s.json",
                   "H2SIM_TEST_FAIL_REPLICATION=0:0")
              .code == 1);
  const std::string journal = slurp(folder / "s.json.journal");
  const std::string refusal =
      "h2sim: --resume: s.json.journal is from a different sweep (scenario, --set, --vary, --seed "
      "or --replications differ); remove it to run the whole sweep again\n";
  for (const char* other :
       {" --vary stations.0.dispensers=1,3", " --vary stations.0.dispensers=1,2 --seed 5",
        " --vary stations.0.dispensers=1,2 --set warmup_days=0"}) {
    CAPTURE(other);
    const Result r = h2sim_in(folder.path, args + std::string(other) + " -o s.json --resume");
    CHECK(r.code == 2);
    CHECK(r.err == refusal);
  }
  CHECK(slurp(folder / "s.json.journal") == journal);
  CHECK(h2sim_in(folder.path, args + " --vary stations.0.dispensers=1,2 --resume").err ==
        "h2sim: --resume needs -o FILE, a regular file (its journal is FILE.journal)\n");
}

TEST_CASE("cli: a sweep neither writes through nor removes what is at FILE.journal already") {
  Folder folder;
  const std::string sweep =
      "sweep -q " + md1_file + " --set horizon_days=1 --vary replications=1,2 -o s.json";
  const std::string refusal = ": a sweep to -o FILE writes its journal at FILE.journal and "
                              "removes it; move it away or write the sweep elsewhere\n";
  // A link there had its target overwritten with journal lines, and was then removed.
  folder.write("precious.txt", "precious\n");
  std::filesystem::create_symlink("precious.txt", folder / "s.json.journal");
  const Result linked = h2sim_in(folder.path, sweep);
  CHECK(linked.code == 2);
  CHECK(linked.err == "h2sim: -o's journal s.json.journal exists and is a symbolic link" + refusal);
  CHECK(std::filesystem::is_symlink(folder / "s.json.journal"));
  CHECK(slurp(folder / "precious.txt") == "precious\n");
  CHECK_FALSE(std::filesystem::exists(folder / "s.json"));
  // A file of the user's was truncated, then removed.
  std::filesystem::remove(folder / "s.json.journal");
  folder.write("s.json.journal", "notes\n");
  const Result file = h2sim_in(folder.path, sweep);
  CHECK(file.code == 2);
  CHECK(file.err ==
        "h2sim: -o's journal s.json.journal exists and is not an h2sim journal" + refusal);
  CHECK(slurp(folder / "s.json.journal") == "notes\n");
  // JSON of the user's that does not begin as a journal does is refused too.
  folder.write("s.json.journal", "{\"h2sim\": 1}\n");
  CHECK(h2sim_in(folder.path, sweep).code == 2);
  // A journal a sweep killed while writing its header left (empty, or its first bytes): the
  // sweep goes on, and removes it.
  for (const char* torn : {"", "{\"h2sim_jou"}) {
    CAPTURE(torn);
    folder.write("s.json.journal", torn);
    REQUIRE(h2sim_in(folder.path, sweep).code == 0);
    CHECK_FALSE(std::filesystem::exists(folder / "s.json.journal"));
    CHECK(std::filesystem::exists(folder / "s.json"));
  }
}

TEST_CASE("cli: the analyst's what-ifs are one --set each, shown by --dry-run without simulating") {
  const std::string plan = source("scenarios/shanghai-2025.json");
  const auto overrides = [&](const std::string& set) {
    const Result result = run_h2sim("run " + plan + " --dry-run --set '" + set + "'");
    REQUIRE(result.code == 0);
    const auto document = nlohmann::json::parse(result.out);
    CHECK(document["dry_run"] == true);
    REQUIRE(document["points"].size() == 1);
    return document["points"][0]["overrides"];
  };
  // +1 dispenser everywhere: one change per station.
  const auto more = overrides("stations.*.dispensers+=1");
  CHECK(more.size() == 70);
  CHECK(more[0]["after"].get<int>() == more[0]["before"].get<int>() + 1);
  // Trailers take twice as long: every delivery station's lead time, scaled.
  CHECK(overrides("stations.*.supply.lead_time_h*=2").size() == 61);
  // 10,000 vehicles instead of 11,000: counts scaled and rounded to whole vehicles.
  long long vehicles = 0;
  for (const auto& change : overrides("demand.classes.*.count*=0.90909")) {
    CHECK(change["after"].is_number_integer());
    vehicles += change["after"].get<long long>();
  }
  CHECK(std::abs(vehicles - 10000) <= 14); // 28 classes, each rounded by at most half a vehicle
  // A station chosen by id.
  const auto one = overrides("stations[id=JD-03].dispensers=4");
  REQUIRE(one.size() == 1);
  CHECK(one[0]["pointer"] == "/stations/6/dispensers");
  CHECK(one[0]["after"] == 4);
}

TEST_CASE("cli: compare takes a selection by model that only some of its scenarios have") {
  // The README's form for pipelines only: the trailer-fed city has none, and was refused (exit 2).
  const Result result =
      run_h2sim("compare " + source("scenarios/supply/supply-pipeline.json") + " " +
                source("scenarios/supply/supply-delivery.json") +
                " --set 'stations[supply.model=pipeline].supply.max_rate_kg_per_h=30' --dry-run");
  REQUIRE(result.code == 0);
  CHECK(result.err.find("/stations: --set stations[supply.model=pipeline].supply."
                        "max_rate_kg_per_h=30 changed nothing: no item of /stations has "
                        "supply.model \"pipeline\"") != std::string::npos);
  const auto points = nlohmann::json::parse(result.out).at("points");
  REQUIRE(points.size() == 2);
  const auto selected = [](const nlohmann::json& point) {
    return std::count_if(point.at("overrides").begin(), point.at("overrides").end(),
                         [](const nlohmann::json& change) {
                           return change.at("set").get<std::string>().starts_with("stations[");
                         });
  };
  CHECK(selected(points[0]) == 2); // both of the pipeline city's stations
  CHECK(points[0].at("warnings").empty());
  CHECK(selected(points[1]) == 0);
  REQUIRE(points[1].at("warnings").size() == 1);
  CHECK(points[1].at("warnings")[0].at("pointer") == "/stations");
}

TEST_CASE("cli: validate takes --set, and a bad path or value exits 2 naming it") {
  const std::string mmc = source("scenarios/validation/mmc-2.json");
  const Result fine = run_h2sim("validate " + mmc + " --set 'stations[id=S1].dispensers=3'");
  CHECK(fine.code == 0);
  const Result unknown = run_h2sim("validate " + mmc + " --set 'stations[id=Z].dispensers=3'");
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("/stations: --set stations[id=Z].dispensers=3: no item of /stations has "
                         "id \"Z\"") != std::string::npos);
  const Result zero = run_h2sim("validate " + mmc + " --set 'stations.*.dispensers-=2'");
  CHECK(zero.code == 2);
  CHECK(zero.err.find("/stations/0/dispensers: must be an integer >= 1") != std::string::npos);
}

TEST_CASE("cli: a --set value meant as JSON that does not parse is named where it is refused") {
  const std::string mmc = source("scenarios/validation/mmc-2.json");
  const Result array = run_h2sim("run " + mmc + " --set 'stations.0.dispensers=[2,3' --dry-run");
  CHECK(array.code == 2);
  CHECK(array.err.find("/stations/0/dispensers: must be an integer >= 1 and <= 1000; --set "
                       "stations.0.dispensers=[2,3 was taken as a string: not valid "
                       "JSON at line 1, column 5: ") != std::string::npos);
  // A string field takes it, as INTERFACE.md says.
  CHECK(run_h2sim("validate " + mmc + " --set 'name={draft'").code == 0);
}

TEST_CASE("cli: sweep --dry-run lists every point with its overrides, and runs nothing") {
  const Result result = run_h2sim("sweep " + source("scenarios/validation/mmc-2.json") +
                                  " --vary 'stations[id=S1].dispensers=2,3' --vary seed=1:3:1 "
                                  "--dry-run");
  REQUIRE(result.code == 0);
  const auto points = nlohmann::json::parse(result.out)["points"];
  REQUIRE(points.size() == 6);
  CHECK(points[5]["set"]["stations[id=S1].dispensers"] == 3);
  CHECK(points[5]["seed"] == 3);
  CHECK(points[5]["overrides"][0]["pointer"] == "/stations/0/dispensers");
  // Nothing ran: the run block only says where the output comes from.
  CHECK(nlohmann::json::parse(result.out)["run"].size() == 1);
  CHECK(nlohmann::json::parse(result.out)["run"]["provenance"]["command_line"][1] == "sweep");
}

TEST_CASE("cli: run --table writes the metrics as one long CSV beside -o") {
  Folder folder;
  const Result r = h2sim_in(folder.path, quick_run + " -o m.json --table t.csv");
  REQUIRE(r.code == 0);
  CHECK(folder.names() == std::vector<std::string>{"m.json", "t.csv"});
  const std::string table = slurp(folder / "t.csv");
  CHECK(table.rfind("table,id,kind,replication,index,metric,value\n", 0) == 0);
  const auto metrics = nlohmann::json::parse(slurp(folder / "m.json"));
  CHECK(table.find("\ntotals,,value,,,served," + metrics["totals"]["served"].dump() + "\n") !=
        std::string::npos);
  // A directory is refused before anything runs.
  const Result bad = h2sim_in(folder.path, quick_run + " --table .");
  CHECK(bad.code == 2);
}
