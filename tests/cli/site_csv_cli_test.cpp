// `h2sim site --candidates-csv` end to end (docs/siting.md): candidate sites from a CSV.
#include "../cli_support.hpp"
#include "two_clusters.hpp"

#include <h2sim/experiments.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
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
  return h2sim::test::two_clusters_with(
      R"({"id": "D1", "name": "midway", "x_km": 100, "y_km": 0, "dispensers": 4,
       "fill_rate_kg_per_min": 2, "overhead_min": 1},
      {"id": "D2", "x_km": 100, "y_km": 150, "dispensers": 4, "fill_rate_kg_per_min": 2,
       "overhead_min": 1})");
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
  refused("id,x_km\nW,0\n", "bad.csv:1: the header needs x_km and y_km (or lat and lon)");
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

namespace {

/** The great-circle distance in km on the sphere of project_equirectangular (haversine). */
double great_circle_km(const h2sim::LatLon& a, const h2sim::LatLon& b) {
  const double r = 3.14159265358979323846 / 180;
  const double h =
      std::pow(std::sin((b.lat - a.lat) * r / 2), 2) +
      std::cos(a.lat * r) * std::cos(b.lat * r) * std::pow(std::sin((b.lon - a.lon) * r / 2), 2);
  return 2 * 6371.0088 * std::asin(std::sqrt(h));
}

} // namespace

TEST_CASE(
    "site: lat and lon are projected about the origin, within 0.5% of great circles near it") {
  const h2sim::LatLon origin{31.0, 121.0};
  const auto at = [&](double lat, double lon) {
    return h2sim::project_equirectangular({lat, lon}, origin);
  };
  // A degree of latitude is R x pi / 180 km; of longitude, that x cos(31 degrees).
  CHECK(at(32, 121)[0] == doctest::Approx(0).epsilon(1e-12));
  CHECK(at(32, 121)[1] == doctest::Approx(111.19508023353).epsilon(1e-10));
  CHECK(at(31, 122)[0] == doctest::Approx(95.312786775132).epsilon(1e-10));
  CHECK(at(31, 122)[1] == 0);
  // Across the antimeridian, the short way round.
  const auto wrapped = h2sim::project_equirectangular({0, -179.5}, {0, 179.5});
  CHECK(wrapped[0] == doctest::Approx(111.19508023353).epsilon(1e-10));
  // Two points 48 km north of the origin, 47 km apart: 0.46% longer in the plane.
  const h2sim::LatLon p{31.43, 121.0};
  const h2sim::LatLon q{31.43, 121.5};
  const auto a = at(p.lat, p.lon);
  const auto b = at(q.lat, q.lon);
  const double plane = std::hypot(a[0] - b[0], a[1] - b[1]);
  const double sphere = great_circle_km(p, q);
  CHECK(sphere == doctest::Approx(47.4401).epsilon(1e-5));
  CHECK(plane / sphere - 1 == doctest::Approx(0.004559).epsilon(1e-3));
  CHECK(plane / sphere - 1 < 0.005);
  // From the origin, distances are exact north-south and within 0.1% 50 km away.
  CHECK(std::hypot(at(31.3, 121.4)[0], at(31.3, 121.4)[1]) /
                great_circle_km(origin, {31.3, 121.4}) -
            1 <
        0.001);
}

TEST_CASE("cli: site takes candidate sites in lat and lon about --origin") {
  const Folder folder;
  folder.write("two.json", two_decoys());
  // About (0, 0) on the equator: W at (0, 0) km, E 200 km east (1.7986407 degrees), D3 a decoy.
  folder.write("geo.csv", "id,lat,lon\nD3,-0.72,-0.54\nW,0,0\nE,0,1.7986407\n");
  const Result r = folder.h2sim("site -q two.json --candidates-csv geo.csv --origin 0,0 "
                                "--target 'totals.stranded<=0' --jobs 2 --swap-rounds 0");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const json out = json::parse(r.out);
  CHECK(out["candidates"] == json::array({"D3", "W", "E"}));
  CHECK(out["chosen"] == json::array({"W", "E"}));
  CHECK(out["target_met"] == true);

  const auto refused = [&](const std::string& csv, const std::string& options,
                           const std::string& message) {
    folder.write("bad.csv", csv);
    const Result bad = folder.h2sim("site two.json --candidates-csv bad.csv " + options +
                                    " --target 'totals.stranded<=0'");
    CHECK(bad.code == 2);
    CHECK(bad.err == "h2sim: " + message + "\n");
  };
  refused("id,lat,lon\nW,0,0\n", "",
          "--candidates-csv: bad.csv:1: lat and lon need the latitude and longitude of the "
          "scenario's (0, 0) km (its /origin, or --origin LAT,LON)");
  refused("id,lat,lon\nW,0,0\nE,91,0\n", "--origin 0,0",
          "--candidates-csv: bad.csv:3: lat: must be a number of degrees from -90 to 90 (got "
          "\"91\")");
  refused("id,lat,lon\nW,0,east\n", "--origin 0,0",
          "--candidates-csv: bad.csv:2: lon: must be a number of degrees from -180 to 180 (got "
          "\"east\")");
  refused("id,lat\nW,0\n", "--origin 0,0",
          "--candidates-csv: bad.csv:1: the header needs lat and lon (or x_km and y_km)");
  refused("id,lat,lon,x_km,y_km\nW,0,0,0,0\n", "--origin 0,0",
          "--candidates-csv: bad.csv:1: either x_km and y_km or lat and lon, not both");
  refused("id,lat,lon\nW,0,0\n", "--origin 85,0",
          "--origin 85,0: expected LAT,LON in degrees, |LAT| <= 80 and |LON| <= 180, e.g. "
          "31.23,121.47");
  refused("id,lat,lon\nW,0,0\n", "--origin 31",
          "--origin 31: expected LAT,LON in degrees, |LAT| <= 80 and |LON| <= 180, e.g. "
          "31.23,121.47");
}

TEST_CASE("cli: site refuses --origin with a CSV in x_km and y_km, which it would not use") {
  // The sites are placed by their x_km and y_km: --origin was silently ignored.
  const Folder folder;
  folder.write("two.json", two_decoys());
  folder.write("sites.csv", "id,x_km,y_km\nW,0,0\nE,200,0\n");
  const Result r = folder.h2sim("site two.json --candidates-csv sites.csv --origin 31.2,121.5 "
                                "--target 'totals.stranded<=0' --dry-run");
  CHECK(r.code == 2);
  CHECK(r.err == "h2sim: --candidates-csv: sites.csv:1: --origin places only sites given in lat "
                 "and lon; this CSV gives x_km and y_km (km from the scenario's (0, 0)), which "
                 "need no origin\n");
  CHECK(r.out.empty());
  // Without --origin, the same CSV is taken.
  CHECK(folder
            .h2sim("site two.json --candidates-csv sites.csv --target 'totals.stranded<=0' "
                   "--dry-run")
            .code == 0);
}

TEST_CASE("cli: a file name that is not UTF-8 is logged, validated and refused as U+FFFD") {
  // The log line naming the CSV, validate's verdict and a usage error quoted the bytes as given.
  const Folder folder;
  folder.write("two.json", two_decoys());
  folder.write("s\xff.csv", "id,x_km,y_km\nW,0,0\n");
  const Result logged = folder.h2sim("site two.json --candidates-csv 's\xff.csv' --target "
                                     "'totals.stranded<=0' --dry-run");
  CHECK(logged.code == 0);
  CHECK(logged.err.find("h2sim: info: site: 1 candidate sites from s\xEF\xBF\xBD.csv\n") !=
        std::string::npos);
  folder.write("t\xff.json", two_decoys());
  const Result valid = folder.h2sim("validate 't\xff.json'");
  CHECK(valid.code == 0);
  CHECK(valid.err == "t\xEF\xBF\xBD.json: valid (2 stations, 2 open)\n");
  const Result usage = folder.h2sim("validate two.json '--x\xff'");
  CHECK(usage.code == 2);
  CHECK(usage.err.starts_with("h2sim: The following argument was not expected: --x\xEF\xBF\xBD\n"));
}

TEST_CASE("cli: a scenario with an origin places a CSV's lat and lon, its template in degrees") {
  // The decoys' scenario in degrees about (0, 0): D1 100 km east (0.8993203 degrees), D2 100 km
  // east and 150 north. The CSV's sites copy D1, whose lat and lon give way to the row's.
  json scenario = json::parse(two_decoys());
  scenario["origin"] = {{"lat", 0}, {"lon", 0}};
  for (auto& station : scenario["stations"]) {
    const double x = station["x_km"];
    const double y = station["y_km"];
    station.erase("x_km");
    station.erase("y_km");
    station["lon"] = x / 111.19508372;
    station["lat"] = y / 111.19508372;
  }
  const Folder folder;
  folder.write("geo.json", scenario.dump());
  folder.write("geo.csv", "id,lat,lon\nD3,-0.72,-0.54\nW,0,0\nE,0,1.7986407\n");
  const Result r = folder.h2sim("site -q geo.json --candidates-csv geo.csv --target "
                                "'totals.stranded<=0' --jobs 2 --swap-rounds 0");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const json out = json::parse(r.out);
  CHECK(out["chosen"] == json::array({"W", "E"}));
  const Result both = folder.h2sim("site geo.json --candidates-csv geo.csv --origin 0,0 --target "
                                   "'totals.stranded<=0'");
  CHECK(both.code == 2);
  CHECK(both.err == "h2sim: --candidates-csv: --origin: the scenario has an origin of its own "
                    "(/origin), which places its sites\n");
}

TEST_CASE("cli: a site's dispenser options are alternatives, of which at most one opens") {
  const Folder folder;
  folder.write("two.json", two_decoys());
  folder.write("sites.csv", "id,x_km,y_km,dispensers\nW,0,0,1|4\nE,200,0,4|1\nD3,-60,-80,2\n");
  const Result r =
      folder.h2sim("site -q two.json --candidates-csv sites.csv --target 'totals.stranded<=0' "
                   "--minimize totals.wait_min.mean --jobs 2 --swap-rounds 1");
  REQUIRE_MESSAGE(r.code == 0, r.err);
  const json out = json::parse(r.out);
  CHECK(out["candidates"] == json::array({"W@1", "W@4", "E@4", "E@1", "D3"}));
  CHECK(out["alternatives"] == json::parse(R"([["W@1", "W@4"], ["E@4", "E@1"]])"));
  CHECK(out["target_met"] == true);
  const auto& chosen = out["chosen"];
  REQUIRE(chosen.size() == 2);
  CHECK(chosen[0].get<std::string>().rfind("W@", 0) == 0); // one option of each site
  CHECK(chosen[1].get<std::string>().rfind("E@", 0) == 0);
  // The second step evaluates E's two options and D3, not W's other option.
  CHECK(out["steps"][1]["evaluated"].size() == 3);

  const auto refused = [&](const std::string& csv, const std::string& message) {
    folder.write("bad.csv", csv);
    const Result bad = folder.h2sim("site two.json --candidates-csv bad.csv --target "
                                    "'totals.stranded<=0'");
    CHECK(bad.code == 2);
    CHECK(bad.err == "h2sim: --candidates-csv: " + message + "\n");
  };
  refused("id,x_km,y_km,dispensers\nW,0,0,2|2.5\n",
          "bad.csv:2: dispensers: each option must be an integer from 1 to 1000 (got \"2.5\" in "
          "\"2|2.5\")");
  refused("id,x_km,y_km,dispensers\nW,0,0,2||4\n",
          "bad.csv:2: dispensers: each option must be an integer from 1 to 1000 (got \"\" in "
          "\"2||4\")");
  refused("id,x_km,y_km,dispensers\nW,0,0,2|4|2.0\n",
          "bad.csv:2: dispensers: option 2.0 is listed twice");
  refused("id,x_km,y_km,dispensers\nW@2,0,0,\nW,0,0,2|4\n",
          "bad.csv:3: id: \"W@2\" (the site with 2 dispensers) is a station or site already");
  const Result both_fixed =
      folder.h2sim("site -q two.json --candidates-csv sites.csv --fixed W@1,W@4 "
                   "--target 'totals.stranded<=0'");
  CHECK(both_fixed.code == 2);
  CHECK(both_fixed.err == "h2sim: site: two alternatives of one site are fixed: W@1...\n");
  // A dry run refuses it too: it validates what the run would.
  const Result dry = folder.h2sim("site -q two.json --candidates-csv sites.csv --fixed W@1,W@4 "
                                  "--target 'totals.stranded<=0' --dry-run");
  CHECK(dry.code == 2);
  CHECK(dry.err == both_fixed.err);
  CHECK(dry.out.empty());
}

TEST_CASE("cli: site does not add a site no vehicle reaches in the window, however it scores") {
  // One station, overloaded: most visits balk (a queue of 2) and come back later. A site 90,000 km
  // away draws the drivers who balked, who never arrive within the window, so A's queue is
  // shorter and its p95 falls from about 20 to 3.4 min: a target the far site seems to meet.
  const Folder folder;
  folder.write("one.json", R"({"name": "one-station", "seed": 3, "horizon_days": 3,
    "warmup_days": 1, "replications": 5,
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1,
                  "overhead_min": 2, "queue_capacity": 2}],
    "demand": {"model": "fleet", "road_factor": 1.3, "classes": [
      {"name": "taxi", "count": 150, "tank_kg": 10, "consumption_kg_per_100km": 5,
       "daily_km": 300, "refuel_at_fraction": 0.2, "speed_kmh": 50,
       "area": {"x_km": 0, "y_km": 0, "radius_km": 3}}]}})");
  const std::string search = "site -q one.json --candidates A --fixed A --candidates-csv sites.csv "
                             "--target 'totals.wait_min.p95<=20'";
  const auto far_entry = [](const json& evaluated) {
    for (const json& entry : evaluated) {
      if (entry["added"] == "FAR") {
        return entry;
      }
    }
    FAIL("FAR was not evaluated");
    return json();
  };

  folder.write("sites.csv", "id,x_km,y_km\nFAR,90000,0\n");
  const Result alone = folder.h2sim(search);
  REQUIRE_MESSAGE(alone.code == 0, alone.err);
  const json out = json::parse(alone.out);
  CHECK(out["steps"][0]["metrics"]["totals.wait_min.p95"]["mean"].get<double>() > 20);
  const json far = far_entry(out["steps"][1]["evaluated"]);
  CHECK(far["metrics"]["totals.wait_min.p95"]["ci95"][1].get<double>() < 5); // the artefact
  CHECK(far["holds"] == false);
  CHECK(
      far["warnings"] ==
      json::parse(R"([{"pointer": "/candidates/1", "message": "station FAR had no arrivals in the )"
                  R"(window (in any replication): it changed the metrics only by drawing )"
                  R"(vehicles that had not reached it by the window's end; this set meets no )"
                  R"(target"}])"));
  CHECK(out["steps"][1]["added"] == nullptr); // no candidate does better
  CHECK(out["chosen"] == json::array());
  CHECK(out["target_met"] == false);

  // Without fixed stations, not even the first is added when no candidate draws a vehicle.
  folder.write("sites.csv", "id,x_km,y_km\nFAR,90000,0\nFAR2,0,90000\n");
  const Result none_fixed = folder.h2sim(
      "site -q one.json --candidates-csv sites.csv --target 'totals.wait_min.p95<=20'");
  REQUIRE_MESSAGE(none_fixed.code == 0, none_fixed.err);
  const json nothing = json::parse(none_fixed.out);
  CHECK(nothing["chosen"] == json::array());
  CHECK(nothing["target_met"] == false);
  CHECK(nothing["metrics"] == nullptr);
  REQUIRE(nothing["steps"].size() == 1);
  CHECK(nothing["steps"][0]["added"] == nullptr);
  CHECK(nothing["steps"][0]["metrics"] == nullptr);
  CHECK(nothing["steps"][0]["evaluated"].size() == 2);

  // A site at the fleet is added, though the far one scores better on paper.
  folder.write("sites.csv", "id,x_km,y_km\nFAR,90000,0\nNEAR,1,0\n");
  const Result near = folder.h2sim(search);
  REQUIRE_MESSAGE(near.code == 0, near.err);
  const json with_near = json::parse(near.out);
  CHECK(with_near["chosen"] == json::array({"NEAR"}));
  CHECK(with_near["target_met"] == true);
  CHECK(far_entry(with_near["steps"][1]["evaluated"])["holds"] == false);
  CHECK_FALSE(with_near["steps"][1]["evaluated"][1].contains("warnings")); // NEAR judges
}
