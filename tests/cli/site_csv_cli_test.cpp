// `h2sim site --candidates-csv` end to end (docs/siting.md): candidate sites from a CSV.
#include "../cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using h2sim::test::Folder;
using h2sim::test::Result;
using nlohmann::json;

namespace {

/**
 * The layout of site_cli_test.cpp's two clusters (fleets of 30 around (0, 0) and 20 around
 * (200, 0)), but the scenario holds only two decoys: the stations at the clusters and two more
 * decoys come from the CSV.
 */
std::string two_decoys() {
  const auto fleet = [](const std::string& name, int count, double x) {
    return R"({"name": ")" + name + R"(", "count": )" + std::to_string(count) +
           R"(, "tank_kg": 10, "consumption_kg_per_100km": 5, "daily_km": 200,
              "refuel_at_fraction": 0.1, "speed_kmh": 50,
              "area": {"x_km": )" +
           std::to_string(x) + R"(, "y_km": 0, "radius_km": 3}})";
  };
  return R"({"name": "two-clusters", "seed": 11, "horizon_days": 4, "warmup_days": 1,
    "replications": 3,
    "stations": [
      {"id": "D1", "name": "midway", "x_km": 100, "y_km": 0, "dispensers": 4,
       "fill_rate_kg_per_min": 2, "overhead_min": 1},
      {"id": "D2", "x_km": 100, "y_km": 150, "dispensers": 4, "fill_rate_kg_per_min": 2,
       "overhead_min": 1}],
    "demand": {"model": "fleet", "road_factor": 1.3, "classes": [)" +
         fleet("west", 30, 0) + ", " + fleet("east", 20, 200) + "]}}";
}

} // namespace

TEST_CASE("cli: site chooses among sites from a CSV the two at the fleets, as from the file") {
  const Folder folder;
  folder.write("two.json", two_decoys());
  // Excel's way: a byte-order mark, CRLF, a quoted value, an extra column, a blank line.
  folder.write("sites.csv", "\xEF\xBB\xBFid,x_km,y_km,dispensers,address\r\n"
                            "D3,-60,-80,,\"far, south-west\"\r\n"
                            "W,0,0,4,west\r\n"
                            "\r\n"
                            "E,200,0,,east\r\n");
  const Result r = folder.h2sim("site -q two.json --candidates D1,D2 --candidates-csv sites.csv "
                                "--target 'totals.stranded<=0' --jobs 2");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const json out = json::parse(r.out);
  CHECK(out["candidates"] == json::array({"D1", "D2", "D3", "W", "E"})); // listed, then the CSV's
  CHECK(out["chosen"] == json::array({"W", "E"}));                       // as site_cli_test's
  CHECK(out["target_met"] == true);
  CHECK(out["metrics"]["totals.stranded"]["mean"] == 0);
  CHECK(out["steps"][0]["evaluated"].size() == 5);

  SUBCASE("the CSV's sites alone, copying another template") {
    const Result alone = folder.h2sim("site -q two.json --candidates-csv sites.csv --template D2 "
                                      "--target 'totals.stranded<=0' --jobs 2 --swap-rounds 0");
    REQUIRE_MESSAGE(alone.code == 0, alone.err);
    const json chosen = json::parse(alone.out);
    CHECK(chosen["candidates"] == json::array({"D3", "W", "E"}));
    CHECK(chosen["chosen"] == json::array({"W", "E"}));
  }
  SUBCASE("--dry-run shows the sites as stations, none open unless evaluated") {
    const Result dry = folder.h2sim("site -q two.json --candidates-csv sites.csv --target "
                                    "'totals.stranded<=0' --dry-run");
    REQUIRE_MESSAGE(dry.code == 0, dry.err);
    CHECK(dry.out.find("\"W\"") != std::string::npos);
  }
}

TEST_CASE("cli: site refuses a bad candidates CSV with exit 2, naming its line and column") {
  const Folder folder;
  folder.write("two.json", two_decoys());
  const auto refused = [&](const std::string& csv, const std::string& message,
                           const std::string& more = "") {
    folder.write("bad.csv", csv);
    const Result r =
        folder.h2sim("site two.json --candidates-csv bad.csv --target 'totals.stranded<=0'" + more);
    CHECK(r.code == 2);
    CHECK(r.err == "h2sim: --candidates-csv: " + message + "\n");
    CHECK(r.out.empty());
  };
  refused("id,x_km\nW,0\n", "bad.csv:1: the header needs x_km and y_km");
  refused("x_km,y_km\n0,0\n", "bad.csv:1: the header needs id");
  refused("id,x_km,y_km,x_km\nW,0,0,0\n", "bad.csv:1: column \"x_km\" appears twice");
  refused("", "bad.csv is empty: it needs a header line");
  refused("id,x_km,y_km\n", "bad.csv has no sites (a header and no rows)");
  refused("id,x_km,y_km\nW,0,0\nE,200,0\nQ,1e6,0\n",
          "bad.csv:4: x_km: must be a number from -100000 to 100000 (got \"1e6\")");
  refused("id,x_km,y_km\nW,0,0\nE,200,zero\n",
          "bad.csv:3: y_km: must be a number from -100000 to 100000 (got \"zero\")");
  refused("id,x_km,y_km\nW,0,0\nW,200,0\n", "bad.csv:3: id: \"W\" is on line 2 too");
  refused("id,x_km,y_km\nD1,0,0\n", "bad.csv:2: id: \"D1\" is a station of the scenario already");
  refused("id,x_km,y_km\n,0,0\n", "bad.csv:2: id: empty (every site needs an id)");
  refused("id,x_km,y_km\nW,0\n", "bad.csv:2: has 2 values for 3 columns");
  refused("id,x_km,y_km\nW,\"0,0\n", "bad.csv:2: a quoted value is not closed on its line (values "
                                     "cannot span lines)");
  refused("id,x_km,y_km,dispensers\nW,0,0,two\n", "bad.csv:2: dispensers: must be a number (got "
                                                  "\"two\")");
  refused("id,x_km,y_km,dispensers\nW,0,0,4\nE,200,0,0\n",
          "bad.csv:3: dispensers: must be an integer >= 1");
  refused("id,x_km,y_km,dispensers\nW,0,0,2.5\n",
          "bad.csv:2: dispensers: must be an integer >= 1 and <= 1000");

  const Result missing =
      folder.h2sim("site two.json --candidates-csv nope.csv --target 'totals.stranded<=0'");
  CHECK(missing.code == 2);
  CHECK(missing.err == "h2sim: --candidates-csv: cannot read nope.csv\n");
  const Result directory =
      folder.h2sim("site two.json --candidates-csv . --target 'totals.stranded<=0'");
  CHECK(directory.code == 2);
  CHECK(directory.err == "h2sim: --candidates-csv: . is not a regular file\n");
  const Result neither = folder.h2sim("site two.json --target 'totals.stranded<=0'");
  CHECK(neither.code == 2);
  CHECK(neither.err == "h2sim: site needs --candidates, --candidates-csv or both\n");
  const Result lone = folder.h2sim("site two.json --candidates all --template D1 --target "
                                   "'totals.stranded<=0'");
  CHECK(lone.code == 2);
  CHECK(lone.err == "h2sim: --template: only with --candidates-csv\n");
  folder.write("one.csv", "id,x_km,y_km\nW,0,0\n");
  const Result unknown = folder.h2sim("site two.json --candidates-csv one.csv --template Z "
                                      "--target 'totals.stranded<=0'");
  CHECK(unknown.code == 2);
  CHECK(unknown.err == "h2sim: --template: no station Z in the scenario\n");
}
