// The HTML report's page model (what html_report computes and the page's script draws), read back
// from the page: escaping, judgements (shares, CI overlap, sweep answers), and what it refuses.
// That the page draws in a browser is tests/report/browser_test.py's.
#include "../support.hpp"

#include <h2sim/report.hpp>
#include <h2sim/scenario.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace {

using json = nlohmann::ordered_json;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

/** The page model the page carries in #h2sim-data. */
json model_of(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"h2sim-data\">";
  const auto begin = page.find(open);
  REQUIRE(begin != std::string::npos);
  const auto end = page.find("</script>", begin);
  REQUIRE(end != std::string::npos);
  return json::parse(page.substr(begin + open.size(), end - begin - open.size()));
}

const json* section_of(const json& model, const std::string& id) {
  for (const json& section : model["sections"]) {
    if (section["id"] == id) {
      return &section;
    }
  }
  return nullptr;
}

std::vector<json> blocks_of(const json& model, const std::string& id, const std::string& type) {
  std::vector<json> found;
  const json* section = section_of(model, id);
  REQUIRE(section != nullptr);
  for (const json& block : (*section)["blocks"]) {
    if (block["type"] == type) {
      found.push_back(block);
    }
  }
  return found;
}

/** How many notes of section `id` say that an interval reaches below 0. */
std::size_t notes_saying(const json& model, const std::string& id) {
  const std::string below =
      "An interval reaching below 0, for a quantity that cannot be negative, is shown as computed, "
      "not clipped: the replications pin that value down poorly (too few of them, or too far "
      "apart); run more or longer replications (docs/statistics.md).";
  std::size_t n = 0;
  for (const json& block : blocks_of(model, id, "note")) {
    n += block["text"] == below ? 1U : 0U;
  }
  return n;
}

json wait(double mean, double p50, double p90, double p95, double p99, double max) {
  return {{"mean", mean}, {"p50", p50}, {"p90", p90}, {"p95", p95}, {"p99", p99}, {"max", max}};
}

/** Waits with this p95, and p50 0, p90 3, p99 9, max 12 where that keeps them in order. */
json wait_with(double p95) {
  const double p99 = std::max(9.0, p95);
  return wait(1, 0, std::min(3.0, p95), p95, p99, std::max(12.0, p99));
}

json run_output(const std::string& station_id, double p95, std::optional<json> ci = {}) {
  json hourly{{"arrivals", json::array()},
              {"wait_min_mean", json::array()},
              {"wait_min_p95", json::array()}};
  for (int h = 0; h < 24; ++h) {
    hourly["arrivals"].push_back(h);
    hourly["wait_min_mean"].push_back(1.0);
    hourly["wait_min_p95"].push_back(p95);
  }
  json station{{"id", station_id},
               {"arrivals", 100},
               {"served", 90},
               {"wait_min", wait_with(p95)},
               {"hourly", hourly}};
  json output{{"h2sim_version", "0.1.0"},
              {"scenario", "test"},
              {"replications", ci ? 5 : 1},
              {"horizon_days", 2},
              {"warnings", json::array()},
              {"totals",
               {{"arrivals", 100},
                {"served", 90},
                {"balked", 10},
                {"wait_min", wait_with(p95)},
                {"dispensed_kg", 400},
                {"hourly", hourly}}},
              {"stations", json::array({station})}};
  if (ci) {
    output["ci95"] = *ci;
  }
  return output;
}

json scenario_with(const std::string& station_id) {
  return {
      {"name", "test"},
      {"stations", json::array({{{"id", station_id}, {"name", "Main St"}, {"x_km", 1}, {"y_km", 2}},
                                {{"id", "CLOSED"}, {"x_km", 5}, {"y_km", 5}}})}};
}

} // namespace

TEST_CASE("report: a parse error that quotes bytes which are no UTF-8 is a UTF-8 message") {
  // Found by tests/fuzz/report_fuzz.cpp (findings/report/not-utf8-parse-error.json): the parser
  // quotes the bytes it last read, and the message carried them as they were.
  try {
    h2sim::parse_report_input("[0, \xe0\xdf]");
    FAIL("not JSON");
  } catch (const h2sim::ReportError& error) {
    CHECK(std::string(error.what()) ==
          "not JSON: [json.exception.parse_error.101] parse error at line 1, column 5: syntax "
          "error while parsing value - invalid literal; last read: '0, \xef\xbf\xbd'");
  }
}

TEST_CASE("report: strings from the outputs reach the page as escaped data, never as markup") {
  const std::string evil = "</script><script>alert(1)</script><!-- & \xE2\x80\xA8";
  json output = run_output(evil, 4);
  output["scenario"] = evil;
  output["warnings"] = json::array({{{"pointer", "/x"}, {"message", evil}}});
  h2sim::ReportOptions options;
  options.scenario = scenario_with(evil);
  options.title = "<b>" + evil;
  const std::string page = h2sim::html_report({{evil, output}}, options);
  // Only the page's own four scripts end; the title is text.
  CHECK(count(page, "</script") == 4);
  CHECK(count(page, "<script") == 4);
  CHECK(count(page, "<!--") == 0);
  CHECK(page.find("<title>&lt;b&gt;&lt;/script&gt;") != std::string::npos);
  // The data still says exactly what the output said.
  const json model = model_of(page);
  CHECK(model["inputs"][0]["name"] == evil);
  const auto map = blocks_of(model, "map", "map");
  REQUIRE(map.size() == 1);
  CHECK(map[0]["stations"][0]["id"] == evil);
  CHECK(map[0]["closed"].size() == 1);
  CHECK(model["expected_map_markers"] == 1);
}

TEST_CASE("report: the map places stations and depots given in lat and lon about the origin") {
  h2sim::ReportOptions options;
  options.scenario = {
      {"name", "geo"},
      {"origin", {{"lat", 36.4}, {"lon", 127.85}}},
      {"stations", json::array({{{"id", "S"}, {"lat", 37.5665}, {"lon", 126.978}},
                                {{"id", "CLOSED"}, {"lat", 35.1796}, {"lon", 129.0756}}})},
      {"depots", json::array({{{"id", "D"}, {"lat", 36.4}, {"lon", 127.85}}})}};
  const json model = model_of(h2sim::html_report({{"a", run_output("S", 4)}}, options));
  const auto map = blocks_of(model, "map", "map");
  REQUIRE(map.size() == 1);
  const auto seoul = h2sim::project_equirectangular({37.5665, 126.978}, {36.4, 127.85});
  CHECK(map[0]["stations"][0]["x"] == seoul[0]); // about 78 km west, 130 km north
  CHECK(map[0]["stations"][0]["y"] == seoul[1]);
  CHECK(seoul[0] == doctest::Approx(-78.0).epsilon(0.01));
  CHECK(seoul[1] == doctest::Approx(129.7).epsilon(0.01));
  CHECK(map[0]["closed"].size() == 1);
  CHECK(map[0]["depots"][0]["x"] == 0.0);
  CHECK(map[0]["depots"][0]["y"] == 0.0);
}

TEST_CASE("report: invalid UTF-8 in an output is replaced, not fatal") {
  json output = run_output("S\xFF", 4);
  const std::string page = h2sim::html_report({{"bad\xC3", output}});
  CHECK(model_of(page)["inputs"][0]["name"] == "bad\xEF\xBF\xBD");
}

TEST_CASE("report: what is not an h2sim output is refused, naming it") {
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"x.json", json{{"hello", 1}}}}),
                       "x.json: not an h2sim output (a run's metrics, a sweep's points, a size "
                       "result or a comparison)",
                       h2sim::ReportError);
  CHECK_THROWS_AS(h2sim::html_report({}), h2sim::ReportError);
  // A site result names a scenario, as a run does, but has no run's metrics.
  const json site{{"scenario", "city"}, {"chosen", {"S1"}}, {"steps", json::array()}};
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"site.json", site}}),
                       "site.json: a site search's result, which the report does not read; run "
                       "the stations it chose (h2sim run --set open_stations=[...]) and report on "
                       "that",
                       h2sim::ReportError);
  h2sim::ReportOptions options;
  options.target = "wait<5";
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"a", run_output("S", 1)}}, options),
                       "target wait<5: expected totals.METRIC<=VALUE or totals.METRIC>=VALUE",
                       h2sim::ReportError);
  // A target whose metric no output has would silently judge nothing.
  options.target = "totals.nope<=5";
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"a", run_output("S", 1)}}, options),
                       "target totals.nope<=5: the outputs have no totals.nope",
                       h2sim::ReportError);
  options.target = "totals.served>=5";
  CHECK_NOTHROW(h2sim::html_report({{"a", run_output("S", 1)}}, options));
  // A target on what is no number (an object of statistics) exited 0, met nowhere or unjudged.
  options.target = "totals.wait_min<=5";
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"a", run_output("S", 1)}}, options),
                       "target totals.wait_min<=5: totals.wait_min is an object, not a number: "
                       "name one of its fields, as totals.wait_min.mean",
                       h2sim::ReportError);
  options.target = "totals.hourly<=5"; // an object of lists: no field to name
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"a", run_output("S", 1)}}, options),
                       "target totals.hourly<=5: totals.hourly is an object, not a number",
                       h2sim::ReportError);
  // Malformed sweeps (once a crash in the command line) and a scenario given as an output.
  for (const json& points :
       {json::array({json::object()}), json::array({5}), json::array({json::array({1, 2})})}) {
    CHECK_THROWS_WITH_AS(h2sim::html_report({{"p.json", json{{"points", points}}}}),
                         "p.json: points[0] is not a sweep's point (an object with set and "
                         "metrics)",
                         h2sim::ReportError);
  }
  // Outputs with nothing to draw: no points, no evaluations, a point without results, a dry run.
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"p.json", json{{"points", json::array()}}}}),
                       "p.json: a sweep with no points: nothing to report", h2sim::ReportError);
  CHECK_THROWS_WITH_AS(
      h2sim::html_report(
          {{"z.json", json{{"parameter", "open_stations"}, {"evaluations", json::array()}}}}),
      "z.json: a size result with no evaluations: nothing to report", h2sim::ReportError);
  const json bare_point{{"set", json::object()}, {"metrics", json::object()}};
  CHECK_THROWS_WITH_AS(
      h2sim::html_report({{"p.json", json{{"points", json::array({bare_point})}}}}),
      "p.json: points[0] has no results (its metrics have no totals)", h2sim::ReportError);
  CHECK_THROWS_WITH_AS(
      h2sim::html_report(
          {{"d.json", json{{"dry_run", true}, {"points", json::array({bare_point})}}}}),
      "d.json: a --dry-run's list of what would run, with no results: run it without --dry-run "
      "and report on that",
      h2sim::ReportError);
  const json scenario{{"name", "city"},
                      {"stations", json::array({{{"id", "S1"}, {"x_km", 0}, {"y_km", 0}}})},
                      {"demand", {{"model", "poisson"}}}};
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"city.json", scenario}}),
                       "city.json: a scenario file, not an h2sim output: give it with --scenario",
                       h2sim::ReportError);
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"x.json", json{{"scenario", "x"}}}}),
                       "x.json: not an h2sim output (a run's metrics, a sweep's points, a size "
                       "result or a comparison)",
                       h2sim::ReportError);
  // --scenario must be a scenario.
  h2sim::ReportOptions with_scenario;
  with_scenario.scenario_label = "s.json";
  with_scenario.scenario = json{{"foo", 1}};
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"a", run_output("S", 1)}}, with_scenario),
                       "s.json: not a scenario file (it has no stations)", h2sim::ReportError);
  with_scenario.scenario = run_output("S", 1);
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"a", run_output("S", 1)}}, with_scenario),
                       "s.json: an h2sim output, not a scenario file (--scenario takes the "
                       "scenario the output was made from)",
                       h2sim::ReportError);
  with_scenario.scenario = scenario;
  CHECK_NOTHROW(h2sim::html_report({{"a", run_output("S1", 1)}}, with_scenario));
  // Another scenario's file: its inputs were shown as the run's.
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"a", run_output("S", 1)}}, with_scenario),
                       "s.json: has none of the outputs' stations (S): --scenario takes the "
                       "scenario the outputs were made from",
                       h2sim::ReportError);
  CHECK_THROWS_WITH_AS(h2sim::parse_report_input(std::string(65, '[') + std::string(65, ']')),
                       "nested deeper than 64 levels", h2sim::ReportError);
  // A number that is not one (an edited output): the page said "no network totals", then drew
  // them.
  json edited = run_output("S", 4);
  edited["totals"]["wait_min"]["p95"] = "six";
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/wait_min/p95 is \"six\", where h2sim writes a number, "
                       "or an object or list of numbers: not an h2sim output as it wrote it",
                       h2sim::ReportError);
  // Where h2sim writes an object of series, "not a number" misled.
  edited = run_output("S", 4);
  edited["totals"]["series"] = "oops";
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/series is \"oops\", where h2sim writes a number, or an "
                       "object or list of numbers: not an h2sim output as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4);
  edited["stations"][0]["arrivals"] = json::array({"a"});
  CHECK_THROWS_WITH_AS(
      h2sim::html_report(
          {{"e.json",
            json{{"points", json::array({{{"set", json::object()}, {"metrics", edited}}})}}}}),
      "e.json: /points/0/metrics/stations/0/arrivals/0 is \"a\", where h2sim writes a number, or "
      "an object or list of numbers: not an h2sim output as it wrote it",
      h2sim::ReportError);
  // Numbers that make no sense as h2sim writes them (an edited output) were drawn as given.
  edited = run_output("S", 4);
  edited["totals"]["served"] = -5;
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/served is -5: a count, never negative: not an h2sim "
                       "output as it wrote it",
                       h2sim::ReportError);
  // 2^64 + 1, which the JSON reader takes as a double: no 64-bit count is that large.
  edited = run_output("S", 4);
  edited["totals"]["served"] = json::parse("18446744073709551617");
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/served is 1.8446744073709552e+19: a count, above what 64 "
                       "bits hold: not an h2sim output as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4);
  edited["totals"]["served"] = std::numeric_limits<std::uint64_t>::max();
  CHECK_NOTHROW(h2sim::html_report({{"e.json", edited}}));
  edited = run_output("S", 4);
  edited["stations"][0]["wait_min"]["p99"] = 1.5;
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /stations/0/wait_min/p99 is 1.5: below p95 (4.0): quantiles never "
                       "decrease: not an h2sim output as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4);
  edited["totals"]["wait_min"]["mean"] = 13;
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/wait_min/mean is 13: above the max (12.0): not an h2sim "
                       "output as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4);
  edited["totals"]["wait_min"]["p50"] = -0.5;
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/wait_min/p50 is -0.5: a wait, never negative: not an "
                       "h2sim output as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4);
  edited["totals"]["hourly"]["arrivals"] = json::array({1, 2, -3});
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/hourly/arrivals/2 is -3: a count, never negative: not an "
                       "h2sim output as it wrote it",
                       h2sim::ReportError);
  // Values of the wrong shape: an empty object where a count is, a number where waits are.
  edited = run_output("S", 4);
  edited["totals"]["served"] = json::object();
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/served is an empty object, where h2sim writes a number: "
                       "not an h2sim output as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4);
  edited["stations"][0]["wait_min"] = 3;
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /stations/0/wait_min is a number, where h2sim writes an object of "
                       "wait statistics (mean, p50, p90, p95, p99, max): not an h2sim output as "
                       "it wrote it",
                       h2sim::ReportError);
  edited["stations"][0]["wait_min"] = {{"x", 1}};
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /stations/0/wait_min is an object, where h2sim writes an object "
                       "of wait statistics (mean, p50, p90, p95, p99, max): not an h2sim output "
                       "as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4);
  edited["totals"]["hourly"]["arrivals"] = json::array({json::object(), json::object()});
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/hourly/arrivals is a list, where h2sim writes a list of "
                       "numbers: not an h2sim output as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4);
  edited["totals"]["hourly"]["arrivals"] = 7;
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /totals/hourly/arrivals is a number, where h2sim writes a list of "
                       "numbers: not an h2sim output as it wrote it",
                       h2sim::ReportError);
  // Intervals: two numbers, the low end first.
  edited = run_output("S", 4, json{{"totals.wait_min.p95", {9, 1}}});
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /ci95/totals.wait_min.p95 is [9,1]: an interval whose low end is "
                       "above its high end: not an h2sim output as it wrote it",
                       h2sim::ReportError);
  edited = run_output("S", 4, json{{"totals.wait_min.p95", {1, 9}}});
  edited["stations"][0]["ci95"] = {{"wait_min.p95", {1}}};
  CHECK_THROWS_WITH_AS(h2sim::html_report({{"e.json", edited}}),
                       "e.json: /stations/0/ci95/wait_min.p95 is a list, where h2sim writes an "
                       "interval [low, high]: not an h2sim output as it wrote it",
                       h2sim::ReportError);
  edited["stations"][0]["ci95"] = {{"wait_min.p95", {2, 2}}};
  CHECK_NOTHROW(h2sim::html_report({{"e.json", edited}}));
  // Means over replications a rounding step off their max are h2sim's own (six equal p99s).
  edited = run_output("S", 4);
  edited["totals"]["wait_min"] = {
      {"mean", 19.33333333333334}, {"p50", 0}, {"p90", 3}, {"p95", 4}, {"p99", 19.33333333333334},
      {"max", 19.333333333333336}};
  CHECK_NOTHROW(h2sim::html_report({{"e.json", edited}}));
  // Equal quantiles (no wait at all) and means over replications are fine.
  edited = run_output("S", 4);
  edited["totals"]["wait_min"] = {{"mean", 0}, {"p50", 0}, {"p90", 0},
                                  {"p95", 0},  {"p99", 0}, {"max", 0}};
  edited["totals"]["served"] = 2.5;
  CHECK_NOTHROW(h2sim::html_report({{"e.json", edited}}));
  CHECK_NOTHROW(h2sim::parse_report_input(std::string(64, '[') + std::string(64, ']')));
  CHECK_NOTHROW(h2sim::parse_report_input(
      R"({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})"));
  CHECK_THROWS_AS(h2sim::parse_report_input("{"), h2sim::ReportError);
}

TEST_CASE("report: the share served within 5 and 10 minutes is bracketed by the quantiles") {
  // p50 0, p90 3, p95 7, p99 9, max 12: within 5 min is 90-95%, within 10 min 99-100%.
  const json model = model_of(h2sim::html_report({{"a", run_output("S", 7)}}));
  const auto cards = blocks_of(model, "summary", "cards");
  REQUIRE(cards.size() == 1);
  std::map<std::string, std::string> values;
  for (const json& card : cards[0]["cards"]) {
    values[card["label"]] = card["value"];
  }
  CHECK(values["served within 5 min"] == "90%–95%");
  CHECK(values["served within 10 min"] == "99%–100%");
  CHECK(values["wait p95"] == "7.00 min");
  CHECK(values["hydrogen dispensed"] == "0.4 t");
}

TEST_CASE("report: when no vehicle was served, no wait is reported and the target is not met") {
  json output = run_output("S", 0); // waits of an empty set: all zero
  output["totals"]["served"] = 0;
  const json model = model_of(h2sim::html_report({{"a", output}}));
  CHECK(blocks_of(model, "summary", "headline")[0]["text"] ==
        "Across 1 open station, no vehicle was served of 100 station visits: there are no waits "
        "to report. Target totals.wait_min.p95<=5: not met (no vehicle was served).");
  const auto cards = blocks_of(model, "summary", "cards"); // kept: the loop reads inside it
  REQUIRE(cards.size() == 1);
  for (const json& card : cards[0]["cards"]) {
    const std::string label = card["label"];
    CHECK_MESSAGE(label.find("wait") == std::string::npos, label);
    CHECK_MESSAGE(label.find("served within") == std::string::npos, label);
  }
  // A mean of 302.5 visits read "302" here and "302.5" in the outcomes table; a horizon of 0.01
  // days read "over 0.0 days".
  output["totals"]["arrivals"] = 302.5;
  output["horizon_days"] = 0.01;
  const json again = model_of(h2sim::html_report({{"a", output}}));
  CHECK(blocks_of(again, "summary", "headline")[0]["text"].get<std::string>().starts_with(
      "Across 1 open station, no vehicle was served of 302.5 station visits: "));
  bool dispensed = false;
  const auto again_cards = blocks_of(again, "summary", "cards"); // kept, as above
  REQUIRE(again_cards.size() == 1);
  for (const json& card : again_cards[0]["cards"]) {
    if (card["label"] == "hydrogen dispensed") {
      dispensed = true;
      CHECK(card["detail"] == "40.00 t/day over 0.01 days");
    }
  }
  CHECK(dispensed);
}

TEST_CASE("report: without a scenario there is no map, and the page says how to get one") {
  const json model = model_of(h2sim::html_report({{"a", run_output("S", 4)}}));
  CHECK(blocks_of(model, "map", "map").empty());
  CHECK(blocks_of(model, "map", "note")[0]["text"].get<std::string>().find("--scenario") !=
        std::string::npos);
  CHECK(model["expected_map_markers"] == 0);
}

TEST_CASE("report: per-day series are drawn when the output has them, else a note says so") {
  json output = run_output("S", 4);
  CHECK(blocks_of(model_of(h2sim::html_report({{"a", output}})), "series", "note").size() == 1);
  output["totals"]["series"] = {{"daily", {{"served", {1, 2, 3}}, {"wait_min_p95", {4, 5, 6}}}}};
  output["stations"][0]["series"] = {{"daily", {{"served", {1, 1, 1}}}}};
  const json model = model_of(h2sim::html_report({{"a", output}}));
  CHECK(blocks_of(model, "series", "chart").size() == 2);
  CHECK(blocks_of(model, "series", "heatmap").size() == 1);
}

TEST_CASE("report: a run's own series.daily: a network chart per quantity, a heat map per station "
          "quantity, days on the axis") {
  const json output = h2sim::test::run_text(
      h2sim::test::one_station(6, 1, "4", R"(, "storage": {"capacity_kg": 100, "initial_kg": 50},
        "supply": {"model": "delivery", "payload_kg": 50, "reorder_at_kg": 20, "lead_time_h": 2})"),
      {{"horizon_days", "3"}, {"warmup_days", "1"}});
  const json model = model_of(h2sim::html_report({{"a", output}}));
  const json& network = output["totals"]["series"]["daily"];
  const json& station = output["stations"][0]["series"]["daily"];
  const auto charts = blocks_of(model, "series", "chart");
  const auto heatmaps = blocks_of(model, "series", "heatmap");
  CHECK(charts.size() == network.size() - 1); // every key but the axis
  CHECK(heatmaps.size() == station.size() - 1);
  for (const json& chart : charts) {
    CHECK(chart["labels"] == json::array({"1", "2", "3"})); // days, whole
    CHECK(chart["series"][0]["values"] == network[chart["y"].get<std::string>()]);
  }
  CHECK(heatmaps[0]["rows"] == json::array({"S1"}));
  CHECK(heatmaps[0]["values"][0] == station["arrivals"]);
  // Hourly bins (--series hourly): day and hour on the axis.
  const json hourly = h2sim::test::run_text(
      h2sim::test::one_station(6, 1, "4"),
      {{"horizon_days", "1"}, {"warmup_days", "0.5"}, {"series_bin_days", "0.041666666666666664"}});
  const auto hourly_charts =
      blocks_of(model_of(h2sim::html_report({{"a", hourly}})), "series", "chart");
  REQUIRE(!hourly_charts.empty());
  REQUIRE(hourly_charts[0]["labels"].size() == 24);
  CHECK(hourly_charts[0]["labels"][0] == "0 12h");
  CHECK(hourly_charts[0]["labels"][12] == "1 00h");
  CHECK(hourly_charts[0]["labels"][13] == "1 01h");
}

TEST_CASE("report: two runs side by side: differences and whether the 95% intervals overlap") {
  const json a =
      run_output("S", 4, json{{"totals.wait_min.p95", {3, 5}}, {"totals.served", {80, 100}}});
  const json b =
      run_output("S", 8, json{{"totals.wait_min.p95", {6, 10}}, {"totals.served", {85, 95}}});
  const json model = model_of(h2sim::html_report({{"a.json", a}, {"b.json", b}}));
  const auto tables = blocks_of(model, "comparison", "table");
  REQUIRE(tables.size() == 2);
  const json& table = tables[0];
  CHECK(table["columns"][1]["label"] == "A — a.json");
  CHECK(table["columns"][2]["label"] == "B — b.json");
  std::map<std::string, json> rows;
  for (const json& row : table["rows"]) {
    rows[row[0]] = row;
  }
  CHECK(rows["wait p95 (min)"][3]["v"] == 4.0);
  CHECK(rows["wait p95 (min)"][4] == "no: a real difference");
  CHECK(rows["served"][4] == "yes: not distinguishable");
  CHECK(rows["balked"][4] == "no CI");
  // Each input's own sections follow, under its name.
  CHECK(section_of(model, "in0-summary") != nullptr);
  CHECK(section_of(model, "in1-stations") != nullptr);
}

TEST_CASE("report: a sweep's answer is the smallest value whose 95% interval meets the target") {
  json points = json::array();
  for (const auto& [value, low, high] : std::vector<std::tuple<int, double, double>>{
           {30, 6, 9}, {10, 8, 12}, {50, 2, 4.9}, {40, 3, 5.5}}) {
    json metrics = run_output("S", (low + high) / 2, json{{"totals.wait_min.p95", {low, high}}});
    points.push_back({{"set", {{"open_stations", value}}}, {"metrics", metrics}});
  }
  const json model = model_of(h2sim::html_report({{"s.json", {{"points", points}}}}));
  const auto curves = blocks_of(model, "sweep", "curve");
  REQUIRE(!curves.empty());
  CHECK(curves[0]["x"] == "open_stations");
  CHECK(curves[0]["target"] == 5.0);
  CHECK(curves[0]["answer"] == 50);
  CHECK(curves[0]["series"][0]["points"][2]["hi"] == 4.9);
  // The answer's point is shown in full.
  CHECK((*section_of(model, "point-summary"))["title"] ==
        "Point open_stations = 50 (the answer): Summary");
  const auto headline = [](const json& of) {
    return blocks_of(of, "sweep", "headline")[0]["text"].get<std::string>();
  };
  CHECK(headline(model).ends_with("first met at open_stations = 50."));
  // The answer's point lost a replication: it is judged on those that finished, and says so.
  points[2]["metrics"]["replications"] = 5;
  points[2]["metrics"]["replication_errors"] =
      json::array({{{"replication", 3}, {"error", "killed"}}});
  CHECK(headline(model_of(h2sim::html_report({{"s.json", {{"points", points}}}})))
            .ends_with("first met at open_stations = 50. 1 of its 5 replications failed: it is "
                       "judged on those that finished."));
}

TEST_CASE("report: a size result: its own target, the evaluations and the answer marked") {
  const json size{{"parameter", "open_stations"},
                  {"target", "totals.wait_min.mean<=2"},
                  {"confidence", 0.95},
                  {"answer", 12},
                  {"evaluations", json::array({{{"value", 10},
                                                {"mean", 3},
                                                {"ci95", {2.5, 3.5}},
                                                {"holds", false},
                                                {"totals", {{"served", 5}}}},
                                               {{"value", 12},
                                                {"mean", 1.5},
                                                {"ci95", {1, 2}},
                                                {"holds", true},
                                                {"totals", {{"served", 6}}}}})}};
  const json model = model_of(h2sim::html_report({{"z.json", size}}));
  const auto curves = blocks_of(model, "size", "curve");
  REQUIRE(curves.size() == 2); // wait mean (the target's) and served
  CHECK(curves[0]["title"] == "wait mean (min) against open_stations");
  CHECK(curves[0]["target"] == 2.0);
  CHECK(curves[0]["answer"] == 12);
  CHECK(curves[0]["series"][0]["points"][1]["lo"] == 1.0);
  CHECK(blocks_of(model, "size", "headline")[0]["text"].get<std::string>().find(
            "the smallest value that meets it is 12") != std::string::npos);
  CHECK(blocks_of(model, "size", "list").empty()); // no warnings, no list
  // size's own warnings are listed under the headline; the page left them out.
  json warned = size;
  warned["warnings"] = json::array({"the targets hold at open_stations = 10 but not at 12"});
  const auto lists = blocks_of(model_of(h2sim::html_report({{"z.json", warned}})), "size", "list");
  REQUIRE(lists.size() == 1);
  CHECK(lists[0]["title"] == "Warnings");
  CHECK(lists[0]["items"] == warned["warnings"]);
}

TEST_CASE("report: a size result on a station's metric and a second target: each drawn as itself") {
  const auto evaluation = [](int value, double station_p95, double mean_wait, bool holds) {
    return json{{"value", value},
                {"mean", station_p95},
                {"ci95", {station_p95 - 1, station_p95 + 1}},
                {"holds", holds},
                {"targets",
                 {{{"target", "stations[id=A].wait_min.p95<=5"},
                   {"mean", station_p95},
                   {"ci95", {station_p95 - 1, station_p95 + 1}},
                   {"holds", station_p95 + 1 <= 5}},
                  {{"target", "totals.wait_min.mean<=0.5"},
                   {"mean", mean_wait},
                   {"ci95", {mean_wait - 0.1, mean_wait + 0.1}},
                   {"holds", mean_wait + 0.1 <= 0.5}}}},
                // The network's p95 differs from station A's: it must not be drawn as A's.
                {"totals", {{"wait_min", {{"p95", 20.0 + value}, {"mean", mean_wait}}}}}};
  };
  const json size{{"parameter", "stations[id=A].dispensers"},
                  {"target", "stations[id=A].wait_min.p95<=5"},
                  {"targets", {"stations[id=A].wait_min.p95<=5", "totals.wait_min.mean<=0.5"}},
                  {"confidence", 0.95},
                  {"answer", 3},
                  {"evaluations",
                   json::array({evaluation(2, 3.0, 0.9, false), evaluation(3, 2.0, 0.3, true)})}};
  const json model = model_of(h2sim::html_report({{"z.json", size}}));
  CHECK(blocks_of(model, "size", "headline")[0]["text"] ==
        "Sizing stations[id=A].dispensers for stations[id=A].wait_min.p95<=5 and "
        "totals.wait_min.mean<=0.5 with 95% confidence: the smallest value that meets them all "
        "is 3. 2 values evaluated (bisection).");
  const auto curves = blocks_of(model, "size", "curve");
  REQUIRE(curves.size() == 3); // station A's p95, the network's p95, the network's mean wait
  CHECK(curves[0]["title"] == "stations[id=A].wait_min.p95 against stations[id=A].dispensers");
  CHECK(curves[0]["target"] == 5.0);
  CHECK(curves[0]["series"][0]["points"][0]["y"] == 3.0);
  CHECK(curves[1]["title"] == "wait p95 (min) against stations[id=A].dispensers");
  CHECK_FALSE(curves[1].contains("target"));
  CHECK(curves[1]["series"][0]["points"][0]["y"] == 22.0); // the network's, from its totals
  CHECK(curves[2]["title"] == "wait mean (min) against stations[id=A].dispensers");
  CHECK(curves[2]["target"] == 0.5);
  CHECK(curves[2]["series"][0]["points"][1]["hi"] == doctest::Approx(0.4));
  const auto tables = blocks_of(model, "size", "table");
  REQUIRE(tables.size() == 1);
  std::vector<std::string> labels;
  for (const json& column : tables[0]["columns"]) {
    labels.push_back(column["label"]);
  }
  CHECK(labels == std::vector<std::string>{"stations[id=A].dispensers",
                                           "stations[id=A].wait_min.p95 (mean)", "95% low",
                                           "95% high", "stations[id=A].wait_min.p95 holds",
                                           "totals.wait_min.mean (mean)", "95% low", "95% high",
                                           "totals.wait_min.mean holds", "holds"});
  CHECK(tables[0]["rows"][0] == json{2, 3.0, 2.0, 4.0, "yes", 0.9, 0.8, 1.0, "no", "no"});
}

TEST_CASE("report: a size --minimize result: the minimised metric's curve and its least value") {
  const json size{
      {"parameter", "open_stations"},
      {"minimize", "totals.economics.social_cost_per_kg"},
      {"targets", json::array()},
      {"confidence", 0.95},
      {"search", "exhaustive"},
      {"answer", 12},
      {"minimum", {{"value", 12}, {"mean", 7.5}, {"ci95", {7.25, 7.75}}}},
      {"evaluations",
       json::array({{{"value", 10},
                     {"mean", 9},
                     {"ci95", {8.5, 9.5}},
                     {"holds", true},
                     {"totals", {{"served", 5}, {"economics", {{"social_cost_per_kg", 9}}}}}},
                    {{"value", 12},
                     {"mean", 7.5},
                     {"ci95", {7.25, 7.75}},
                     {"holds", true},
                     {"totals", {{"served", 6}, {"economics", {{"social_cost_per_kg", 7.5}}}}}}})}};
  const json model = model_of(h2sim::html_report({{"m.json", size}}));
  CHECK(blocks_of(model, "size", "headline")[0]["text"] ==
        "Minimising totals.economics.social_cost_per_kg over open_stations: least at 12, 7.500 "
        "[7.250–7.750]. 2 values evaluated (exhaustive).");
  const auto curves = blocks_of(model, "size", "curve");
  REQUIRE(curves.size() == 3); // the minimised metric, served, and social cost from the totals
  CHECK(curves[0]["answer"] == 12);
  CHECK(curves[0]["series"][0]["points"][1]["lo"] == 7.25);
  CHECK_FALSE(curves[1].contains("target"));
  CHECK(curves[2]["series"][0]["points"][0]["lo"] == 8.5); // its mean and interval
}

TEST_CASE("report: the page is self-contained: Chart.js inline, nothing loaded from anywhere") {
  const std::string page = h2sim::html_report({{"a", run_output("S", 4)}});
  CHECK(page.find("Chart.js v") != std::string::npos);
  CHECK(page.find("default-src 'none'") != std::string::npos);
  CHECK(page.find(" src=") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
}

TEST_CASE("report: overrides recorded in an output are listed among the key inputs") {
  json output = run_output("S", 4);
  output["overrides"] = json::array(
      {{{"set", "horizon_days=3"}, {"pointer", "/horizon_days"}, {"before", 30}, {"after", 3}},
       {{"set", "replications=2"},
        {"pointer", "/replications"},
        {"before", nullptr},
        {"after", 2}}});
  const json model = model_of(h2sim::html_report({{"a", output}}));
  std::vector<std::string> overrides;
  for (const json& table : blocks_of(model, "summary", "table")) {
    for (const json& row : table["rows"]) {
      if (row[0] == "override") {
        overrides.push_back(row[1]);
      }
    }
  }
  CHECK(overrides == std::vector<std::string>{"horizon_days=3 (was 30)", "replications=2"});
  CHECK(blocks_of(model, "summary", "note").size() == 1); // only "No warnings."
}

TEST_CASE("report: the key inputs from --scenario are the file's with the output's overrides") {
  const auto input = [](const json& model, const std::string& key) {
    for (const json& table : blocks_of(model, "summary", "table")) {
      for (const json& row : table["rows"]) {
        if (row[0] == key) {
          return row[1].get<std::string>();
        }
      }
    }
    return std::string("(none)");
  };
  json scenario = scenario_with("S");
  scenario["stations"][0]["dispensers"] = 2;
  scenario["stations"][1]["dispensers"] = 3;
  h2sim::ReportOptions options;
  options.scenario = scenario;
  json output = run_output("S", 4);
  // Without overrides: the file's own, and "none" (a note said --set was not recorded).
  json model = model_of(h2sim::html_report({{"a", output}}, options));
  CHECK(input(model, "dispensers at open stations") == "2");
  CHECK(input(model, "overrides") == "none recorded");
  CHECK(blocks_of(model, "summary", "note").size() == 1); // only "No warnings."
  // --set stations[id=S].dispensers=6: the page said 2 beside "(was 2)".
  output["overrides"] = json::array({{{"set", "stations[id=S].dispensers=6"},
                                      {"pointer", "/stations/0/dispensers"},
                                      {"before", 2},
                                      {"after", 6}},
                                     // One that does not fit the file (hand-edited) is passed over.
                                     {{"set", "x=1"}, {"pointer", "/stations/7/x"}, {"after", 1}},
                                     {{"set", "y=1"}, {"pointer", "not one"}, {"after", 1}}});
  model = model_of(h2sim::html_report({{"a", output}}, options));
  CHECK(input(model, "dispensers at open stations") == "6");
  CHECK(input(model, "override") == "stations[id=S].dispensers=6 (was 2)");
}

TEST_CASE("report: totals without a p95 (null) are said to be so, not to be missing") {
  json output = run_output("S", 4);
  output["totals"]["wait_min"]["p95"] = nullptr;
  const json model = model_of(h2sim::html_report({{"a", output}}));
  std::vector<std::string> notes;
  for (const json& block : blocks_of(model, "summary", "note")) {
    notes.push_back(block["text"]);
  }
  CHECK(std::count(notes.begin(), notes.end(),
                   "This output's totals have no p95 wait to headline.") == 1);
  CHECK(std::none_of(notes.begin(), notes.end(), [](const std::string& note) {
    return note.find("no network totals") != std::string::npos;
  }));
}

TEST_CASE("report: hourly utilization and queue length: a network chart and a heat map each") {
  json output = run_output("S1", 4);
  for (json* record : {&output["totals"], &output["stations"][0]}) {
    (*record)["hourly"]["utilization"] = json::array();
    (*record)["hourly"]["queue_mean"] = json::array();
    for (int h = 0; h < 24; ++h) {
      (*record)["hourly"]["utilization"].push_back(h / 24.0);
      (*record)["hourly"]["queue_mean"].push_back(h * 0.1);
    }
  }
  const json model = model_of(h2sim::html_report({{"a.json", output}}));
  const auto heatmaps = blocks_of(model, "hourly", "heatmap");
  std::vector<std::string> titles;
  for (const json& heatmap : heatmaps) {
    titles.push_back(heatmap["title"]);
  }
  CHECK(std::count(titles.begin(), titles.end(), "Utilization by station and hour") == 1);
  const auto charts = blocks_of(model, "hourly", "chart");
  REQUIRE(charts.size() == 2);
  CHECK(charts[1]["title"] == "Network: utilization and queue length by hour of day");
  CHECK(charts[1]["series"][1]["values"][12] == doctest::Approx(50.0)); // in percent
  CHECK(charts[1]["series"][0]["values"][10] == doctest::Approx(1.0));
  // Without them (an older output) the page says so.
  const json old = model_of(h2sim::html_report({{"a.json", run_output("S1", 4)}}));
  CHECK(blocks_of(old, "hourly", "chart").size() == 1);
}

TEST_CASE("report: stations' own 95% intervals are shown in their table") {
  json output = run_output("S1", 4, json{{"totals.wait_min.p95", {3.5, 4.5}}});
  output["stations"][0]["ci95"] = {{"wait_min.p95", {3.0, 5.0}}};
  const json model = model_of(h2sim::html_report({{"a.json", output}}));
  const auto tables = blocks_of(model, "stations", "table");
  REQUIRE(tables.size() == 1);
  const json& columns = tables[0]["columns"];
  std::size_t p95 = 0;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c]["label"] == "wait p95 (min)") {
      p95 = c;
    }
  }
  REQUIRE(p95 > 0);
  CHECK(tables[0]["rows"][0][p95]["lo"] == 3.0);
  CHECK(tables[0]["rows"][0][p95]["hi"] == 5.0);
}

TEST_CASE("report: an interval reaching below 0 is shown unclipped, with a note, once a section") {
  // Bounds at or above 0: no note.
  json calm = run_output("S1", 4, json{{"totals.wait_min.p95", {0.0, 8.0}}});
  calm["stations"][0]["ci95"] = {{"served", {80.0, 100.0}}};
  const json calm_model = model_of(h2sim::html_report({{"a.json", calm}}));
  CHECK(notes_saying(calm_model, "summary") == 0);
  CHECK(notes_saying(calm_model, "stations") == 0);
  // The summary's p95 card and its outcomes' table both below 0: one note; a station's: its own.
  json few = run_output(
      "S1", 10, json{{"totals.wait_min.p95", {-12.0, 32.0}}, {"totals.balked", {-3.0, 23.0}}});
  few["stations"][0]["ci95"] = {{"served", {-1.5, 181.5}}};
  const json model = model_of(h2sim::html_report({{"a.json", few}}));
  CHECK(notes_saying(model, "summary") == 1);
  CHECK(notes_saying(model, "stations") == 1);
  CHECK(blocks_of(model, "stations", "table")[0]["rows"][0][2]["lo"] == -1.5);
  // Only the outcomes' table below 0 still gives the note.
  json counts = run_output("S1", 10, json{{"totals.balked", {-3.0, 23.0}}});
  CHECK(notes_saying(model_of(h2sim::html_report({{"a.json", counts}})), "summary") == 1);
}

namespace {
json economics(double scale) {
  return {{"capex", 1e6 * scale},
          {"annualized_capex", 1e5 * scale},
          {"fixed_om_per_year", 4e4 * scale},
          {"hydrogen_cost_per_year", 3e5 * scale},
          {"electricity_cost_per_year", 0},
          {"delivery_cost_per_year", 2e4 * scale},
          {"waiting_cost_per_year", 5e4 * scale},
          {"total_cost_per_year", 5.1e5 * scale},
          {"cost_per_kg", 9.0},
          {"social_cost_per_kg", 10.0}};
}
} // namespace

TEST_CASE("report: costs stacked by component, for the network and per station") {
  json output = run_output("S1", 4);
  output["totals"]["economics"] = economics(1);
  output["stations"][0]["economics"] = economics(1);
  const json model = model_of(h2sim::html_report({{"a.json", output}}));
  const auto charts = blocks_of(model, "costs", "chart");
  REQUIRE(charts.size() == 2);
  for (const json& chart : charts) {
    CHECK(chart["stacked"] == true);
    REQUIRE(chart["series"].size() == 6);
    CHECK(chart["series"][0]["label"] == "capital (annualized)");
    CHECK(chart["series"][0]["values"][0] == 1e5);
    CHECK(chart["series"][5]["values"][0] == 5e4);
  }
  CHECK(charts[1]["labels"] == json::array({"S1"}));
  const auto table = blocks_of(model, "costs", "table");
  REQUIRE(table.size() == 1);
  CHECK(table[0]["rows"][2][0] == "hydrogen");
  CHECK(table[0]["rows"][2][2] == doctest::Approx(58.8)); // 3e5 of 5.1e5, to 0.1%
  // Nothing dispensed: the output's 0 per kg is a convention, and the cells are left empty.
  CHECK(table[0]["rows"][7][0] == "cost per kg ($, operator)");
  CHECK(table[0]["rows"][7][1]["v"] == 9.0);
  json dry = output;
  dry["totals"]["dispensed_kg"] = 0;
  dry["totals"]["economics"]["cost_per_kg"] = 0;
  const json nothing = model_of(h2sim::html_report({{"a.json", dry}}));
  const auto empty_rows = blocks_of(nothing, "costs", "table")[0]["rows"];
  CHECK(empty_rows[7][1].is_null());
  CHECK(empty_rows[8][1].is_null());
  const auto notes = blocks_of(nothing, "costs", "note");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["text"] ==
        "Nothing was dispensed: there is no cost per kg (the output holds 0 by convention).");
  // No economics: no section; two runs with economics: one stacked bar each, side by side.
  CHECK(section_of(model_of(h2sim::html_report({{"a.json", run_output("S1", 4)}})), "costs") ==
        nullptr);
  json other = output;
  other["totals"]["economics"] = economics(2);
  const json both = model_of(h2sim::html_report({{"a.json", output}, {"b.json", other}}));
  bool found = false;
  for (const json& chart : blocks_of(both, "comparison", "chart")) {
    if (chart["title"] == "Cost per year by component") {
      found = true;
      CHECK(chart["labels"].size() == 2);
      CHECK(chart["series"][2]["values"][1] == 6e5);
    }
  }
  CHECK(found);
}

TEST_CASE("report: every table of intervals notes a lower end below 0, and only such tables") {
  // Classes and costs.
  json output = run_output("S1", 4, json{{"totals.economics.total_cost_per_year", {-1e4, 1e6}}});
  output["totals"]["economics"] = economics(1);
  output["classes"] =
      json::array({{{"name", "taxi"}, {"refuels", 10}, {"ci95", {{"refuels", {-2.0, 22.0}}}}}});
  json model = model_of(h2sim::html_report({{"a.json", output}}));
  CHECK(notes_saying(model, "classes") == 1);
  CHECK(notes_saying(model, "costs") == 1);
  CHECK(notes_saying(model, "summary") == 0);
  // A sweep's points, and two runs side by side (their differences are not intervals).
  const json low = run_output("S", 4, json{{"totals.wait_min.p95", {-1.0, 9.0}}});
  json points = json::array({{{"set", {{"open_stations", 1}}}, {"metrics", low}}});
  CHECK(notes_saying(model_of(h2sim::html_report({{"s.json", {{"points", points}}}})), "sweep") ==
        1);
  const json high = run_output("S", 8, json{{"totals.wait_min.p95", {6.0, 10.0}}});
  CHECK(notes_saying(model_of(h2sim::html_report({{"a.json", low}, {"b.json", high}})),
                     "comparison") == 1);
  CHECK(notes_saying(model_of(h2sim::html_report({{"a.json", high}, {"b.json", high}})),
                     "comparison") == 0);
  // A size result's evaluations keep their bounds in columns of their own.
  json size{{"parameter", "open_stations"},
            {"target", "totals.wait_min.mean<=2"},
            {"answer", nullptr},
            {"evaluations", json::array({{{"value", 10},
                                          {"mean", 3},
                                          {"ci95", {-2.5, 8.5}},
                                          {"holds", false},
                                          {"totals", {{"served", 5}}}}})}};
  CHECK(notes_saying(model_of(h2sim::html_report({{"z.json", size}})), "size") == 1);
  size["evaluations"][0]["ci95"] = {2.5, 3.5};
  CHECK(notes_saying(model_of(h2sim::html_report({{"z.json", size}})), "size") == 0);
}

TEST_CASE("report: an h2sim compare output: its paired differences, then each scenario's run") {
  const json a = run_output("S1", 4);
  const json b = run_output("S1", 6);
  const json compared{
      {"compare", {"a.json", "b.json"}},
      {"seed", 1},
      {"replications", 5},
      {"metrics", json::array({{{"metric", "totals.wait_min.p95"},
                                {"means", {4, 6}},
                                {"differences", json::array({{{"scenario", "b.json"},
                                                              {"mean", 2.0},
                                                              {"ci95", {1.5, 2.5}},
                                                              {"unpaired_ci95", {0.5, 3.5}},
                                                              {"significant", true}}})}},
                               {{"metric", "totals.served"},
                                {"means", {90, 90}},
                                {"differences", json::array({{{"scenario", "b.json"},
                                                              {"mean", 0.0},
                                                              {"ci95", {-1, 1}},
                                                              {"unpaired_ci95", {-2, 2}},
                                                              {"significant", false}}})}}})},
      {"scenarios", json::array({{{"label", "a.json"}, {"metrics", a}},
                                 {{"label", "b.json"}, {"metrics", b}}})}};
  const json model = model_of(h2sim::html_report({{"c.json", compared}}));
  const auto paired = blocks_of(model, "paired", "table");
  REQUIRE(paired.size() == 1);
  CHECK(paired[0]["role"] == "paired");
  REQUIRE(paired[0]["rows"].size() == 2);
  const json& p95 = paired[0]["rows"][0];
  CHECK(p95[0] == "wait p95 (min)");
  CHECK(p95[1]["v"] == 4);
  CHECK(p95[2]["v"] == 6);
  CHECK(p95[3]["v"] == 2.0);
  CHECK(p95[3]["lo"] == 1.5);
  CHECK(p95[3]["hi"] == 2.5);
  CHECK(p95[4] == "yes");
  CHECK(paired[0]["rows"][1][4] == "no");
  CHECK(paired[0]["rows"][1][1]["d"] == 0); // whole counts: no decimals
  // Means over replications of a count may be halves: the row then shows one decimal, so that
  // 90.5 and 90 do not both read 90 beside a difference of -0.5.
  json halves = compared;
  halves["metrics"][1]["means"] = {90.5, 90};
  halves["metrics"][1]["differences"][0]["mean"] = -0.5;
  const auto halved = blocks_of(model_of(h2sim::html_report({{"c.json", halves}})), "paired",
                                "table")[0]["rows"][1];
  CHECK(halved[1]["d"] == 1);
  CHECK(halved[2]["d"] == 1);
  CHECK(halved[3]["d"] == 1);
  // Differences over fewer pairs than the scenarios' replications (--until, a failure) are
  // flagged, with the counts; over all of them, nothing is said.
  const auto notes_of = [](const json& output) {
    std::vector<std::string> texts;
    for (const json& block :
         blocks_of(model_of(h2sim::html_report({{"c.json", output}})), "paired", "note")) {
      texts.push_back(block["text"]);
    }
    return texts;
  };
  json all_pairs = compared;
  json fewer_pairs = compared;
  for (std::size_t m = 0; m < 2; ++m) {
    all_pairs["metrics"][m]["differences"][0]["pairs"] = 5;
    fewer_pairs["metrics"][m]["differences"][0]["pairs"] = 4;
  }
  for (json* output : {&all_pairs, &fewer_pairs}) {
    (*output)["scenarios"][0]["metrics"]["replications"] = 5;
    (*output)["scenarios"][1]["metrics"]["replications"] = 5;
  }
  CHECK(notes_of(all_pairs).empty());
  const auto flagged = notes_of(fewer_pairs);
  REQUIRE(flagged.size() == 1);
  CHECK(flagged[0].find("(4 at fewest)") != std::string::npos);
  CHECK(flagged[0].find("(A — c.json: a.json 5, B — c.json: b.json 5)") != std::string::npos);
  // Failed replications are in the header's count, not in the means: the same replication
  // failed in both, so every finished one is paired and nothing is said; different ones, and the
  // counts are those finished.
  json failed = fewer_pairs;
  for (std::size_t m = 0; m < 2; ++m) {
    failed["scenarios"][m]["metrics"]["replication_errors"] =
        json::array({{{"replication", 0}, {"error", "killed"}}});
  }
  CHECK(notes_of(failed).empty());
  for (std::size_t m = 0; m < 2; ++m) {
    failed["metrics"][m]["differences"][0]["pairs"] = 3;
  }
  const auto finished = notes_of(failed);
  REQUIRE(finished.size() == 1);
  CHECK(finished[0].find("over all it finished (A — c.json: a.json 4, B — c.json: b.json 4)") !=
        std::string::npos);
  // A maximum's columns are the largest over the replications, its difference a mean: said.
  json with_max = all_pairs;
  with_max["metrics"].push_back({{"metric", "totals.wait_min.max"},
                                 {"means", {66.81, 0}},
                                 {"differences", json::array({{{"scenario", "b.json"},
                                                               {"mean", -32.16},
                                                               {"ci95", {-60, -4}},
                                                               {"significant", true},
                                                               {"pairs", 5}}})}});
  const auto maximum = notes_of(with_max);
  REQUIRE(maximum.size() == 1);
  CHECK(maximum[0].starts_with("Wait max: each scenario's column is its largest wait"));
  // The scenarios are inputs of their own: side by side, and each with its sections.
  CHECK(model["inputs"].size() == 2);
  CHECK(model["inputs"][1]["name"] == "B — c.json: b.json");
  CHECK(section_of(model, "comparison") != nullptr);
  CHECK(section_of(model, "in0-summary") != nullptr);
  CHECK(section_of(model, "in1-summary") != nullptr);
}
