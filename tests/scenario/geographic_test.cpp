// Places in latitude and longitude: projected onto the km plane about the scenario's origin
// (scenario/geographic.hpp), everywhere x_km and y_km are taken.
#include "../support.hpp"
#include "models/demand/fleet.hpp"
#include "models/scenario_spec.hpp"
#include "scenario/trace_csv.hpp"

#include <h2sim/h2sim.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>
#include <string>

using h2sim::LatLon;
using h2sim::project_equirectangular;
using h2sim::test::problems_of;
using nlohmann::json;

namespace {

constexpr double earth_radius_km = 6371.0088;
constexpr double radians = 3.14159265358979323846 / 180;

/** The latitude and longitude that project_equirectangular maps to about `origin` (test inputs). */
LatLon unproject(double x_km, double y_km, const LatLon& origin) {
  return {origin.lat + y_km / (earth_radius_km * radians),
          origin.lon + x_km / (earth_radius_km * radians * std::cos(origin.lat * radians))};
}

/** Two stations, one supplied from a depot; `a`, `d` are the JSON of station A's and D's place. */
std::string with_depot(const std::string& a, const std::string& d, const std::string& top) {
  return R"({"name": "geo", "seed": 3, "horizon_days": 2)" + top + R"(,
    "stations": [{"id": "A", )" +
         a + R"(, "dispensers": 2, "fill_rate_kg_per_min": 1,
                  "storage": {"capacity_kg": 500, "initial_kg": 400},
                  "supply": {"model": "delivery", "payload_kg": 300, "reorder_at_kg": 200,
                             "lead_time_h": 2, "depot": "D"}},
                 {"id": "B", "x_km": 5, "y_km": -2, "dispensers": 1, "fill_rate_kg_per_min": 1}],
    "depots": [{"id": "D", )" +
         d + R"(, "trailers": 2, "speed_kmh": 40}],
    "demand": {"model": "poisson", "arrivals_per_h": 4, "kg_per_fill": 5}})";
}

const std::string shanghai = R"(, "origin": {"lat": 31.2304, "lon": 121.4737})";

} // namespace

TEST_CASE("geography: stations and depots in lat and lon load at their projected km") {
  const LatLon origin{31.2304, 121.4737};
  const auto scenario = h2sim::load_scenario(
      with_depot(R"("lat": 31.3, "lon": 121.5)", R"("lon": 121.3, "lat": 31.1)", shanghai));
  const auto& spec = h2sim::models::spec_of(scenario);
  REQUIRE(spec.origin.has_value());
  CHECK(spec.origin->lat == 31.2304);
  const auto a = project_equirectangular({31.3, 121.5}, origin);
  const auto d = project_equirectangular({31.1, 121.3}, origin);
  CHECK(spec.stations[0].location.x_km == a[0]);
  CHECK(spec.stations[0].location.y_km == a[1]);
  CHECK(spec.depots[0].location.x_km == d[0]);
  CHECK(spec.depots[0].location.y_km == d[1]);
  CHECK(spec.stations[1].location.x_km == 5); // km stay km beside lat and lon
  CHECK(spec.stations[1].location.y_km == -2);
  // 0.0696 degrees north is 7.739 km; 0.0263 degrees east at 31.23 N is 2.501 km.
  CHECK(a[1] == doctest::Approx(7.7392).epsilon(1e-4));
  CHECK(a[0] == doctest::Approx(2.5007).epsilon(1e-4));
  CHECK(scenario.warnings().empty());
}

TEST_CASE("geography: the 2025 plan in lat and lon runs exactly as in its projected km") {
  // Every station and fleet area is given in degrees, and in the km those degrees project to:
  // the same doubles reach the models, so the metrics agree to the last digit.
  const LatLon origin{31.2304, 121.4737};
  json km = json::parse(h2sim::default_scenario_text());
  json geo = km;
  geo["origin"] = {{"lat", origin.lat}, {"lon", origin.lon}};
  const auto place = [&](json& in_km, json& in_degrees) {
    const LatLon at = unproject(in_km["x_km"], in_km["y_km"], origin);
    const auto [x, y] = project_equirectangular(at, origin);
    in_km["x_km"] = x;
    in_km["y_km"] = y;
    in_degrees.erase("x_km");
    in_degrees.erase("y_km");
    in_degrees["lat"] = at.lat;
    in_degrees["lon"] = at.lon;
  };
  for (std::size_t i = 0; i < km["stations"].size(); ++i) {
    place(km["stations"][i], geo["stations"][i]);
  }
  for (std::size_t i = 0; i < km["demand"]["classes"].size(); ++i) {
    place(km["demand"]["classes"][i]["area"], geo["demand"]["classes"][i]["area"]);
  }
  const std::vector<h2sim::Override> short_run{{"horizon_days", "1"}, {"replications", "1"}};
  const auto in_km = h2sim::load_scenario_document(km, short_run);
  const auto in_degrees = h2sim::load_scenario_document(geo, short_run);
  CHECK(in_degrees.warnings().empty());
  const auto& stations = h2sim::models::spec_of(in_degrees).stations;
  CHECK(stations[0].location.x_km == km["stations"][0]["x_km"].get<double>());
  auto a = h2sim::run(in_km, {.jobs = 1});
  auto b = h2sim::run(in_degrees, {.jobs = 1});
  for (const char* key : {"totals", "stations", "replication_totals", "warnings"}) {
    INFO(key);
    CHECK(a[key] == b[key]);
  }
  CHECK(a["totals"]["served"].get<double>() > 1000);
}

TEST_CASE("geography: a place in lat and lon is checked, with one problem each") {
  const auto problem = [](const std::string& a, const std::string& top = shanghai) {
    return problems_of(with_depot(a, R"("x_km": 0, "y_km": 0)", top));
  };
  CHECK(problem(R"("lat": 31.3)") ==
        "/stations/0/lon: is required with lat: a number of degrees from -180 to 180\n");
  CHECK(problem(R"("lon": 121)") ==
        "/stations/0/lat: is required with lon: a number of degrees from -90 to 90\n");
  CHECK(problem(R"("lat": 31.3, "lon": 121.5, "x_km": 1)") ==
        "/stations/0/lat: either x_km and y_km or lat and lon, not both\n");
  CHECK(problem(R"("lat": 91, "lon": "east")") ==
        "/stations/0/lat: must be a number of degrees from -90 to 90 (got 91)\n"
        "/stations/0/lon: must be a number of degrees from -180 to 180 (got \"east\")\n");
  CHECK(problem(R"("lat": 31.3, "lon": 121.5)", "") ==
        "/stations/0/lat: needs /origin: the latitude and longitude of the scenario's (0, 0) km\n");
  // A place given neither way is told both ways.
  CHECK(problem(R"("name": "nowhere")") ==
        "/stations/0/x_km: is required: a number >= -100000 and <= 100000 (or lat and lon "
        "instead of x_km and y_km: degrees, with /origin)\n"
        "/stations/0/y_km: is required: a number >= -100000 and <= 100000\n");
  // Without an origin, one problem for all the places in degrees, at the first.
  CHECK(
      problems_of(with_depot(R"("lat": 31.3, "lon": 121.5)", R"("lat": 31.1, "lon": 121.3)", "")) ==
      "/stations/0/lat: needs /origin: the latitude and longitude of the scenario's (0, 0) km"
      "; so do 1 more place given in lat and lon\n");
  // A bad origin is the origin's problem alone.
  CHECK(problem(R"("lat": 31.3, "lon": 121.5)", R"(, "origin": {"lat": 85, "lon": 121})") ==
        "/origin/lat: must be a number <= 80\n");
  CHECK(problem(R"("lat": 31.3, "lon": 121.5)", R"(, "origin": {"lat": 31})") ==
        "/origin/lon: is required: a number >= -180 and <= 180\n");
  CHECK(problem(R"("x_km": 0, "y_km": 0)", R"(, "origin": {"lat": 31, "lon": 121, "alt": 4})") ==
        "/origin/alt: unknown key (allowed here: lat, lon)\n");
  // An area of a fleet (in a model's parameters), reached by --set as well.
  const std::string plan(h2sim::default_scenario_text());
  CHECK(problems_of(plan, {{"demand.classes.0.area.lat", "31"}}) ==
        "/demand/classes/0/area/lat: either x_km and y_km or lat and lon, not both\n");
  CHECK(problems_of(plan, {{"origin", R"({"lat": 31.2304, "lon": 121.4737})"},
                           {"demand.classes.0.area", R"({"lat": 31, "lon": 121.5,
                                                          "radius_km": 8})"}}) == "valid");
}

TEST_CASE("geography: a place far north or south of the origin is warned about") {
  const std::string korea = R"(, "origin": {"lat": 36.5, "lon": 127.8})";
  // Jeju (33.5 N) is 3.6% short east-west about 36.5 N: no warning below 5%.
  CHECK(h2sim::load_scenario(
            with_depot(R"("lat": 33.5, "lon": 126.5)", R"("lat": 37.56, "lon": 126.97)", korea))
            .warnings()
            .empty());
  const auto far = h2sim::load_scenario(
      with_depot(R"("lat": 33.5, "lon": 126.5)", R"("lat": 45, "lon": 127.8)", korea));
  REQUIRE(far.warnings().size() == 1);
  CHECK(far.warnings()[0].pointer == "/depots/0/lat");
  // cos(36.5) / cos(45) = 1.1368; 8.5 degrees north is 945 km.
  CHECK(far.warnings()[0].message ==
        "945 km north of /origin: east-west distances there are 13.7% too long in the km plane, "
        "which is true only along the origin's latitude; for a region this large, give x_km and "
        "y_km from a map projection, or a scenario per region");
}

TEST_CASE("geography: a trace's places in lat and lon need the origin") {
  std::vector<h2sim::models::StationSpec> stations(1);
  stations[0].id = "S1";
  const LatLon origin{31.2304, 121.4737};
  const std::string text = "time_h,kg,lat,lon\n1,5,31.3,121.5\n2,5,91,0\n";
  std::vector<h2sim::Problem> problems;
  std::istringstream in(text);
  const auto rows =
      h2sim::scenario::read_trace(in, "t.csv", stations, "/demand/file", problems, {}, origin);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message ==
        "t.csv line 3: needs a station, or numbers lat from -90 to 90 and lon from -180 to 180");
  REQUIRE(rows.size() == 1);
  const auto at = project_equirectangular({31.3, 121.5}, origin);
  CHECK(rows[0].at.x_km == at[0]);
  CHECK(rows[0].at.y_km == at[1]);

  problems.clear();
  std::istringstream without(text);
  h2sim::scenario::read_trace(without, "t.csv", stations, "/demand/file", problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "t.csv line 1: the header needs lat and lon only with the "
                               "scenario's /origin (the latitude and longitude of its (0, 0) km)");
}

TEST_CASE("geography: the printed schema takes x_km and y_km, or lat and lon") {
  const auto schema = h2sim::scenario_json_schema();
  const auto& station = schema["properties"]["stations"]["items"];
  CHECK(station["properties"].contains("lat"));
  CHECK(station["oneOf"] ==
        nlohmann::ordered_json::parse(
            R"([{"required": ["x_km", "y_km"]}, {"required": ["lat", "lon"]}])"));
  const auto& required = station["required"];
  CHECK(std::find(required.begin(), required.end(), "x_km") == required.end());
  CHECK(std::find(required.begin(), required.end(), "id") != required.end());
  CHECK(schema["properties"]["origin"]["required"] ==
        nlohmann::ordered_json::parse(R"(["lat", "lon"])"));
  CHECK(h2sim::scenario_reference_markdown().find(
            "Instead of `x_km` and `y_km`: `lat` and `lon`") != std::string::npos);
}
