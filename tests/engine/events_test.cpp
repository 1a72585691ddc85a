// Scheduled events: changes at their exact times, undone at until_day, books kept; paths a model
// cannot follow during a run are refused.
#include "../support.hpp"
#include "models/scenario_spec.hpp"

#include <doctest/doctest.h>

#include <string>

using h2sim::test::problems_of;
using h2sim::test::run_text;
using h2sim::test::two_stations_on_a_pipeline;

namespace {
const std::string outage =
    R"(, "events": [{"at_day": 10, "until_day": 17,
                     "set": {"pipelines[id=P1].capacity_kg_per_h": 0}}])";

nlohmann::ordered_json totals(const std::string& json) {
  auto metrics = run_text(json);
  return metrics["totals"];
}

void check_conservation(const nlohmann::ordered_json& t) {
  CHECK(std::abs(t["inventory_start_kg"].get<double>() + t["delivered_kg"].get<double>() -
                 t["dispensed_kg"].get<double>() - t["inventory_end_kg"].get<double>()) < 1e-6);
}
} // namespace

TEST_CASE("events: a pipeline outage from day 10 to 17 delivers nothing then, the usual before") {
  // Before the outage the run is exactly the run without it.
  const std::string before = R"("warmup_days": 0, "horizon_days": 10)";
  CHECK(totals(two_stations_on_a_pipeline(before, outage)).dump() ==
        totals(two_stations_on_a_pipeline(before)).dump());
  // During it nothing flows: once the tanks are empty every arrival is turned away.
  const auto during =
      totals(two_stations_on_a_pipeline(R"("warmup_days": 10.5, "horizon_days": 6.5)", outage));
  CHECK(during["delivered_kg"] == 0.0);
  CHECK(during["dispensed_kg"] == 0.0);
  CHECK(during["turned_away_stockout"] == during["arrivals"]);
  CHECK(during["stockout_h"].get<double>() == doctest::Approx(2 * 6.5 * 24));
  // After it the pipeline gives its 50 kg/h again, all of it taken: 3 days x 24 h x 50 kg/h.
  const auto after =
      totals(two_stations_on_a_pipeline(R"("warmup_days": 17, "horizon_days": 3)", outage));
  CHECK(after["delivered_kg"].get<double>() == doctest::Approx(3 * 24 * 50.0));
  check_conservation(after);
}

namespace {
/** Pipeline P at 60 kg/h into station C's empty 100 t store, no vehicles, for a day. */
std::string pipeline_into_a_store(const std::string& events) {
  return R"({"name": "store", "horizon_days": 1, "warmup_days": 0,
    "stations": [{"id": "C", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1,
                  "storage": {"capacity_kg": 100000, "initial_kg": 0},
                  "supply": {"model": "pipeline", "pipeline": "P", "max_rate_kg_per_h": 1000}}],
    "pipelines": [{"id": "P", "capacity_kg_per_h": 60}],
    "demand": {"model": "poisson", "arrivals_per_h": 0, "kg_per_fill": 1},
    "events": )" +
         events + "}";
}
} // namespace

TEST_CASE("events: a pipeline cut a second time stops again") {
  // 60 kg/h into an empty 100 t store, no vehicles; cut from 6 h to 12 h, and again from 18 h.
  // SimGrid's resume() leaves an activity marked suspended, so the second cut once did nothing
  // (1080 kg): the flow runs 12 hours of the day, 720 kg.
  const auto metrics = run_text(pipeline_into_a_store(
      R"([{"at_day": 0.25, "until_day": 0.5, "set": {"pipelines[id=P].capacity_kg_per_h": 0}},
          {"at_day": 0.75, "set": {"pipelines[id=P].capacity_kg_per_h": 0}}])"));
  const auto& c = metrics["stations"][0];
  CHECK(c["delivered_kg"].get<double>() == doctest::Approx(720).epsilon(1e-9));
  CHECK(c["inventory_end_kg"].get<double>() == doctest::Approx(720).epsilon(1e-9));
}

TEST_CASE("events: events that overlap on a value without nesting end as they should") {
  // 60 kg/h; 10 from 6 h to 12 h, and 30 from 9 h to 18 h. Each event once restored what it found
  // at its start: 60 at 12 h (B still in force) and 10 from 18 h for good. In force, the later
  // started wins: 6 h at 60, 3 h at 10, 9 h at 30, 6 h at 60 = 360 + 30 + 270 + 360 = 1020 kg.
  const auto metrics = run_text(pipeline_into_a_store(
      R"([{"at_day": 0.25, "until_day": 0.5, "set": {"pipelines[id=P].capacity_kg_per_h": 10}},
          {"at_day": 0.375, "until_day": 0.75, "set": {"pipelines[id=P].capacity_kg_per_h": 30}}])"));
  CHECK(metrics["stations"][0]["delivered_kg"].get<double>() ==
        doctest::Approx(1020).epsilon(1e-9));
}

TEST_CASE("events: a capacity halved with *= and a pipeline cut from the start") {
  const auto half = totals(two_stations_on_a_pipeline(R"("warmup_days": 1, "horizon_days": 2)",
                                                      R"(, "events": [{"at_day": 0.5,
                                        "set": {"pipelines.0.capacity_kg_per_h*": 0.5}}])"));
  CHECK(half["delivered_kg"].get<double>() == doctest::Approx(2 * 24 * 25.0));
  check_conservation(half);
  // 0 in the file: the stations sell their 400 kg and nothing more.
  const auto cut = run_text(two_stations_on_a_pipeline(R"("warmup_days": 0, "horizon_days": 2)"),
                            {{"pipelines.0.capacity_kg_per_h", "0"}});
  CHECK(cut["totals"]["delivered_kg"] == 0.0);
  CHECK(cut["totals"]["dispensed_kg"] == 400.0);
}

TEST_CASE("events: a depot without trailers until day 2 delivers from then on") {
  // One station, 1000 kg of storage, empty at the start; trailers of 500 kg load for 1 h and
  // drive 0 km. No trailer until day 2: nothing arrives before 2 d + 1 h.
  const std::string json = R"({"name": "depot", "seed": 1, "horizon_days": 2.5, "replications": 1,
    "stations": [{"id": "S", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1,
                  "storage": {"capacity_kg": 1000, "initial_kg": 0},
                  "supply": {"model": "delivery", "payload_kg": 500, "reorder_at_kg": 100,
                             "lead_time_h": 1, "depot": "D"}}],
    "depots": [{"id": "D", "x_km": 0, "y_km": 0, "trailers": 0, "speed_kmh": 40}],
    "demand": {"model": "poisson", "arrivals_per_h": 0.5, "kg_per_fill": 4},
    "events": [{"at_day": 2, "set": {"depots[id=D].trailers": 1}}]})";
  const auto first = run_text(json, {{"horizon_days", "2.04"}});
  CHECK(first["totals"]["delivered_kg"] == 0.0);
  const auto then = run_text(json, {{"horizon_days", "2.05"}});
  CHECK(then["totals"]["deliveries"] == 1);
  CHECK(then["totals"]["delivered_kg"] == 500.0);
}

TEST_CASE("events: a delivery's payload changes for orders placed from then on") {
  // 100 kg/h of demand on 1000 kg of storage; payload 500 until day 5, 250 from then on. Every
  // trailer fits (reorder point 200): delivered = payloads of the trailers that came.
  const std::string json = R"({"name": "payload", "seed": 5, "horizon_days": 10, "replications": 1,
    "stations": [{"id": "S", "x_km": 0, "y_km": 0, "dispensers": 4, "fill_rate_kg_per_min": 2,
                  "storage": {"capacity_kg": 1000, "initial_kg": 1000},
                  "supply": {"model": "delivery", "payload_kg": 500, "reorder_at_kg": 200,
                             "lead_time_h": 1}}],
    "demand": {"model": "poisson", "arrivals_per_h": 25, "kg_per_fill": 4},
    "events": [{"at_day": 5, "set": {"stations[id=S].supply.payload_kg": 250}}]})";
  const auto before = run_text(json, {{"horizon_days", "4.9"}});
  CHECK(before["totals"]["delivered_kg"].get<double>() ==
        500.0 * before["totals"]["deliveries"].get<double>());
  const auto after = run_text(json, {{"warmup_days", "5.1"}, {"horizon_days", "4.9"}});
  CHECK(after["totals"]["delivered_kg"].get<double>() ==
        250.0 * after["totals"]["deliveries"].get<double>());
  check_conservation(after["totals"]);
}

TEST_CASE("events: what cannot change during a run, and states that would be invalid, are named") {
  const std::string json = two_stations_on_a_pipeline(R"("horizon_days": 1)");
  const auto with = [&](const std::string& events) {
    return problems_of(json, {{"events", events}});
  };
  CHECK(with(R"([{"at_day": 1, "set": {"stations[id=A].dispensers": 3}}])") ==
        "/events/0/set/stations[id=A].dispensers: /stations/0/dispensers cannot change during a "
        "run (what can: open_stations, stations[].supply(delivery).payload_kg, "
        "stations[].supply(delivery).reorder_at_kg, stations[].supply(delivery).lead_time_h, "
        "pipelines[].capacity_kg_per_h, depots[].trailers, depots[].speed_kmh, "
        "demand(fleet).classes[].count)\n");
  // A whole item of a list is there, and cannot change (it was called "not a key").
  CHECK(with(R"([{"at_day": 1, "set": {"pipelines.0": {"id": "P1", "capacity_kg_per_h": 9}}}])") ==
        "/events/0/set/pipelines.0: /pipelines/0 cannot change during a run (what can: "
        "open_stations, stations[].supply(delivery).payload_kg, "
        "stations[].supply(delivery).reorder_at_kg, stations[].supply(delivery).lead_time_h, "
        "pipelines[].capacity_kg_per_h, depots[].trailers, depots[].speed_kmh, "
        "demand(fleet).classes[].count)\n");
  CHECK(with(R"([{"at_day": 1, "set": {"pipelines.0.capacity_kg_per_hr": 0}}])") ==
        "/events/0/set/pipelines.0.capacity_kg_per_hr: /pipelines/0/capacity_kg_per_hr is not a "
        "key of the scenario (what can change during a run: open_stations, "
        "stations[].supply(delivery).payload_kg, stations[].supply(delivery).reorder_at_kg, "
        "stations[].supply(delivery).lead_time_h, pipelines[].capacity_kg_per_h, "
        "depots[].trailers, depots[].speed_kmh, demand(fleet).classes[].count)\n");
  CHECK(with(R"([{"at_day": 2, "until_day": 2, "set": {"pipelines.0.capacity_kg_per_h": 0}}])") ==
        "/events/0/until_day: must be > at_day\n");
  CHECK(with(R"([{"at_day": 1, "set": {"pipelines[id=P9].capacity_kg_per_h": 0}}])") ==
        "/events/0/set/pipelines[id=P9].capacity_kg_per_h: pipelines[id=P9].capacity_kg_per_h=0: "
        "no item of /pipelines has id \"P9\"\n");
  // A selection by a model's value that picks nothing is refused in events too (a --set gets a
  // warning: it may go to a scenario without that model): the events in force are applied again
  // when one ends, and it might pick something then, unchecked.
  CHECK(
      with(R"([{"at_day": 1, "set": {"stations[supply.model=delivery].supply.payload_kg": 9}}])") ==
      "/events/0/set/stations[supply.model=delivery].supply.payload_kg: "
      "stations[supply.model=delivery].supply.payload_kg=9: no item of /stations has "
      "supply.model \"delivery\"\n");
  CHECK(with(R"([{"at_day": 1, "set": {"pipelines.0.capacity_kg_per_h-": 60}}])") ==
        "/events/0: on day 1, /pipelines/0/capacity_kg_per_h: must be a number >= 0\n");
  CHECK(with(R"([{"at_day": 1, "set": {}}])") ==
        "/events/0/set: must be an object of at least 1 PATH: VALUE\n");
  // An event that ends on the day another starts: the one starting made the value what it is.
  CHECK(with(R"([{"at_day": 0, "until_day": 1, "set": {"pipelines.0.capacity_kg_per_h": 60}},
                 {"at_day": 1, "set": {"pipelines.0.capacity_kg_per_h-": 100}}])") ==
        "/events/1: on day 1, /pipelines/0/capacity_kg_per_h: must be a number >= 0\n");
  // Two starting that day on one value: the later applied made it so.
  CHECK(with(R"([{"at_day": 1, "set": {"pipelines.0.capacity_kg_per_h": 10}},
                 {"at_day": 1, "set": {"pipelines.0.capacity_kg_per_h-": 100}}])") ==
        "/events/1: on day 1, /pipelines/0/capacity_kg_per_h: must be a number >= 0\n");
  // Two events of one day, each making the state invalid: each problem is its own event's (both
  // were the first's).
  CHECK(with(R"([{"at_day": 1, "set": {"pipelines.0.capacity_kg_per_h-": 60}},
                 {"at_day": 1, "set": {"open_stations": ["Z"]}}])") ==
        "/events/0: on day 1, /pipelines/0/capacity_kg_per_h: must be a number >= 0\n"
        "/events/1: on day 1, /open_stations/0: no station \"Z\" in /stations\n");
  // Undone at until_day: the state after is the file's again, and valid.
  CHECK(with(R"([{"at_day": 1, "until_day": 2, "set": {"pipelines.0.capacity_kg_per_h": 0}}])") ==
        "valid");
}

namespace {
// Three stations on a line, 6 cars/h at each; only A is open at the start.
std::string three_stations(const std::string& window, const std::string& events) {
  return R"({"name": "opening", "seed": 11, )" + window + R"(, "replications": 1,
    "open_stations": ["A"],
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1},
                 {"id": "B", "x_km": 5, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1},
                 {"id": "C", "x_km": 9, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 1}],
    "demand": {"model": "poisson", "arrivals_per_h": 6, "kg_per_fill": 4},
    "events": )" +
         events + "}";
}
const std::string opening = R"([{"at_day": 5, "set": {"open_stations": ["A", "C"]}},
                                {"at_day": 8, "set": {"open_stations": ["A", "C", "B"]}}])";

std::uint64_t arrivals_at(const nlohmann::ordered_json& metrics, const std::string& id) {
  for (const auto& station : metrics["stations"]) {
    if (station["id"] == id) {
      return station["arrivals"].get<std::uint64_t>();
    }
  }
  FAIL("no station " << id);
  return 0;
}
} // namespace

TEST_CASE("events: stations opened on days 5 and 8 have no arrivals before and some after") {
  // The network is every station open at some time of the run, in the order they open: A, C, B.
  const auto all = run_text(three_stations(R"("warmup_days": 0, "horizon_days": 9)", opening));
  REQUIRE(all["stations"].size() == 3);
  CHECK(all["stations"][1]["id"] == "C");
  CHECK(all["stations"][2]["id"] == "B");
  CHECK(all["open_stations"] == 3);
  // A run that ends when C opens never sees C or B: only A is listed.
  const auto first = run_text(three_stations(R"("warmup_days": 0, "horizon_days": 5)", opening));
  REQUIRE(first["stations"].size() == 1);
  CHECK(first["open_stations"] == 1);
  CHECK(arrivals_at(first, "A") > 0);
  // One that ends between the openings lists A and C.
  const auto two = run_text(three_stations(R"("warmup_days": 1, "horizon_days": 6)", opening));
  REQUIRE(two["stations"].size() == 2);
  CHECK(two["stations"][1]["id"] == "C");
  // A sees the same vehicles as when it is alone.
  const auto alone = run_text(three_stations(R"("warmup_days": 0, "horizon_days": 5)", "[]"));
  CHECK(arrivals_at(alone, "A") == arrivals_at(first, "A"));
  const auto middle = run_text(three_stations(R"("warmup_days": 5, "horizon_days": 3)", opening));
  CHECK(arrivals_at(middle, "C") > 0);
  CHECK(middle["stations"].size() == 2); // B opens when this run ends
  const auto last = run_text(three_stations(R"("warmup_days": 8, "horizon_days": 2)", opening));
  CHECK(arrivals_at(last, "B") > 0);
  // Closed again (until_day): no arrivals while closed; the books still balance.
  const auto closing = run_text(
      three_stations(R"("warmup_days": 2, "horizon_days": 2)",
                     R"([{"at_day": 1, "until_day": 10, "set": {"open_stations": ["C"]}}])"));
  CHECK(arrivals_at(closing, "A") == 0);
  CHECK(arrivals_at(closing, "C") > 0);
}

TEST_CASE("events: a station is ever out of service when open_stations leaves it out at a time") {
  // What the fleet (do drivers choose at set-off?) and the metrics (closures) both ask.
  const auto spec_of = [](const std::string& text) {
    return h2sim::models::spec_of(h2sim::load_scenario(text));
  };
  // The network A, C, B: A in service throughout, C from day 5, B from day 8.
  const auto& opened = spec_of(three_stations(R"("warmup_days": 0, "horizon_days": 9)", opening));
  REQUIRE(opened.open_stations() == 3);
  CHECK_FALSE(opened.ever_out_of_service(0));
  CHECK(opened.ever_out_of_service(1));
  CHECK(opened.ever_out_of_service(2));
  // A run that ends when C opens has A alone, never out of service; nor without events.
  CHECK_FALSE(spec_of(three_stations(R"("warmup_days": 0, "horizon_days": 5)", opening))
                  .ever_out_of_service(0));
  const auto& none = spec_of(three_stations(R"("warmup_days": 0, "horizon_days": 9)", "[]"));
  CHECK_FALSE(none.ever_out_of_service(0));
  // A out of service from day 1 to 10, C in service then only.
  const auto& closing = spec_of(
      three_stations(R"("warmup_days": 2, "horizon_days": 2)",
                     R"([{"at_day": 1, "until_day": 10, "set": {"open_stations": ["C"]}}])"));
  REQUIRE(closing.open_stations() == 2);
  CHECK(closing.ever_out_of_service(0));
  CHECK(closing.ever_out_of_service(1));
}

TEST_CASE("events: events that start when the run has ended are one warning at the earliest") {
  const auto warnings_of = [](const std::string& window) {
    return h2sim::load_scenario(three_stations(window, opening)).warnings();
  };
  // The run ends on day 6 (1 + 5): B's opening on day 8 changes nothing.
  auto warnings = warnings_of(R"("warmup_days": 1, "horizon_days": 5)");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].pointer == "/events/1/at_day");
  CHECK(warnings[0].message == "starts on day 8, when the run has ended (by day 6, warm-up "
                               "included): it changes nothing");
  // An automatic warm-up is at most half the horizon: 3 + 1.5 ends before day 5.
  // (Events that change nothing are not told to fall at different points of the windows.)
  warnings = warnings_of(R"("warmup_days": "auto", "horizon_days": 3)");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].pointer == "/events/0/at_day");
  CHECK(warnings[0].message == "starts on day 5, when the run has ended (by day 4.5, warm-up "
                               "included): it changes nothing (nor does 1 more event, which "
                               "starts then or later)");
  // An event at the very end changes nothing either; one before it is no warning.
  CHECK(warnings_of(R"("warmup_days": 0, "horizon_days": 8)").size() == 1);
  CHECK(warnings_of(R"("warmup_days": 0, "horizon_days": 8.001)").empty());
}

TEST_CASE("events: two events of one day that give one value two values are a warning") {
  const auto warnings_of = [](const std::string& events) {
    return h2sim::load_scenario(
               two_stations_on_a_pipeline(R"("warmup_days": 0, "horizon_days": 20)", events))
        .warnings();
  };
  // A copied outage whose day was not changed: the file's order decided, with no word.
  const auto warnings = warnings_of(R"(, "events": [
        {"at_day": 10, "set": {"pipelines[id=P1].capacity_kg_per_h": 0}},
        {"at_day": 12, "set": {"pipelines[id=P1].capacity_kg_per_h": 50}},
        {"at_day": 10, "until_day": 11, "set": {"pipelines.*.capacity_kg_per_h": 20}}])");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].pointer == "/events/2/set/pipelines.*.capacity_kg_per_h");
  CHECK(warnings[0].message == "sets /pipelines/0/capacity_kg_per_h to 20 on day 10, when "
                               "/events/0 sets it to 0: the one later in the file wins while "
                               "both are in force");
  // The same value twice, different days, and operators (which add up) are no warning.
  CHECK(warnings_of(R"(, "events": [
          {"at_day": 10, "set": {"pipelines[id=P1].capacity_kg_per_h": 0}},
          {"at_day": 10, "set": {"pipelines.0.capacity_kg_per_h": 0}},
          {"at_day": 11, "set": {"pipelines.0.capacity_kg_per_h": 5}},
          {"at_day": 12, "set": {"pipelines.0.capacity_kg_per_h*": 2}},
          {"at_day": 12, "set": {"pipelines.0.capacity_kg_per_h*": 3}},
          {"at_day": 13, "set": {"pipelines.0.capacity_kg_per_h": 0}},
          {"at_day": 13, "until_day": 14, "set": {"pipelines.0.capacity_kg_per_h": 0.0}},
          {"at_day": 15, "set": {"pipelines.0.capacity_kg_per_h": 10}},
          {"at_day": 15, "set": {"pipelines.0.capacity_kg_per_h": 1e1}}])")
            .empty());
  // An assignment after an operator's change of one day undoes it (an operator after either adds
  // up with it).
  const auto undone = warnings_of(R"(, "events": [
        {"at_day": 10, "set": {"pipelines.0.capacity_kg_per_h*": 0.5}},
        {"at_day": 10, "set": {"pipelines.0.capacity_kg_per_h": 5}}])");
  REQUIRE(undone.size() == 1);
  CHECK(undone[0].pointer == "/events/1/set/pipelines.0.capacity_kg_per_h");
  CHECK(undone[0].message == "sets /pipelines/0/capacity_kg_per_h to 5 on day 10, when /events/0 "
                             "changes it by an operator: that change is lost while both are in "
                             "force");
  // After the run's end they change nothing: that is their own warning, not this one.
  const auto late = warnings_of(R"(, "events": [
          {"at_day": 30, "set": {"pipelines.0.capacity_kg_per_h": 0}},
          {"at_day": 30, "set": {"pipelines.0.capacity_kg_per_h": 5}}])");
  REQUIRE(late.size() == 1);
  CHECK(late[0].pointer == "/events/0/at_day");
}

TEST_CASE("events: an override of a value the events change is a warning naming what they change") {
  const std::string events = R"(, "events": [
      {"at_day": 10, "until_day": 12, "set": {"pipelines[id=P1].capacity_kg_per_h": 0}},
      {"at_day": 30, "set": {"open_stations": 1}}])";
  const auto warnings_of = [&](const std::vector<h2sim::Override>& overrides) {
    const h2sim::Scenario scenario = h2sim::load_scenario(
        two_stations_on_a_pipeline(R"("warmup_days": 0, "horizon_days": 20)", events), overrides);
    std::vector<std::string> found;
    for (const auto& warning : scenario.warnings()) {
      if (warning.pointer.rfind("/events/", 0) != 0) { // not the late event's own warning
        found.push_back(warning.pointer + ": " + warning.message);
      }
    }
    return found;
  };
  const std::string cut = ": the scenario's events change /pipelines/0/capacity_kg_per_h from day "
                          "10: its value does not hold while they are in force";
  // A wildcard, the whole list, and the same path twice (the first never holds): one each.
  CHECK(warnings_of(
            {{"pipelines.*.capacity_kg_per_h", "60"}, {"pipelines.*.capacity_kg_per_h", "70"}}) ==
        std::vector<std::string>{"/pipelines/0/capacity_kg_per_h: --set "
                                 "pipelines.*.capacity_kg_per_h" +
                                 cut});
  CHECK(warnings_of({{"pipelines", R"([{"id": "P1", "capacity_kg_per_h": 60}])", "set"}}) ==
        std::vector<std::string>{"/pipelines/0/capacity_kg_per_h: set pipelines" + cut});
  // A value they leave alone, and one they change only after the run's end: nothing.
  CHECK(warnings_of({{"stations.0.dispensers", "3"}}).empty());
  CHECK(warnings_of({{"open_stations", "2"}}).empty()); // the late event has its own warning
  // Named by its option (size's --param: size refuses it before telling the warning).
  CHECK(warnings_of({{"pipelines.0.capacity_kg_per_h", "60", "--param"}}) ==
        std::vector<std::string>{"/pipelines/0/capacity_kg_per_h: --param "
                                 "pipelines.0.capacity_kg_per_h" +
                                 cut});
}

TEST_CASE("events: an automatic warm-up with events is a warning that they do not line up") {
  // Each replication measures from its own warm-up: the event on day 1 falls at a different point
  // of each window, and the series' bins of one index are of different days.
  const auto warnings = [](const std::string& window, const std::string& events) {
    return h2sim::load_scenario(three_stations(window, events)).warnings();
  };
  const std::string closing = R"([{"at_day": 1, "set": {"open_stations": ["A", "C"]}}])";
  const auto automatic = warnings(R"("warmup_days": "auto", "horizon_days": 4)", closing);
  REQUIRE(automatic.size() == 1);
  CHECK(automatic[0].pointer == "/warmup_days");
  CHECK(automatic[0].message ==
        "\"auto\" with scheduled events: each replication measures from the warm-up it chooses, "
        "so an event falls at a different point of each one's window, and the series combine "
        "bins of different days (series.daily.day gives the earliest); give warmup_days a number "
        "for the events to line up");
  // An event ending inside the run is one too, though it starts at day 0.
  const auto ending =
      warnings(R"("warmup_days": "auto", "horizon_days": 4)",
               R"([{"at_day": 0, "until_day": 2, "set": {"open_stations": ["C"]}}])");
  REQUIRE(ending.size() == 1);
  CHECK(ending[0].message == automatic[0].message);
  // A stated warm-up, no events, or events only at day 0 (in force from the start of every
  // replication) are no warning.
  CHECK(warnings(R"("warmup_days": 1, "horizon_days": 4)", closing).empty());
  CHECK(warnings(R"("warmup_days": "auto", "horizon_days": 4)", "[]").empty());
  CHECK(warnings(R"("warmup_days": "auto", "horizon_days": 4)",
                 R"([{"at_day": 0, "set": {"open_stations": ["A", "C"]}}])")
            .empty());
}

TEST_CASE("events: a step at time 0 sets the stations in service from the start") {
  // As if the file had said so: a station it closes was never open (no metrics, no capital), one
  // it opens was never closed (no closures).
  const std::string window = R"("warmup_days": 0, "horizon_days": 2)";
  const auto with_open = [&](const std::string& open, const std::string& events) {
    std::string text = three_stations(window, events);
    const std::string line = R"("open_stations": ["A"])";
    return run_text(text.replace(text.find(line), line.size(), R"("open_stations": )" + open));
  };
  for (const auto& open : {std::pair{R"(["A", "B", "C"])", R"(["A", "C"])"},
                           {R"(["A"])", R"(["A", "C"])"},
                           {R"(["A", "B"])", R"(["A"])"}}) {
    const char* const file = open.first;
    const char* const at_start = open.second;
    CAPTURE(file);
    CAPTURE(at_start);
    const auto stepped = with_open(
        file, std::string(R"([{"at_day": 0, "set": {"open_stations": )") + at_start + "}}]");
    const auto plain = with_open(at_start, "[]");
    CHECK(stepped["stations"] == plain["stations"]);
    CHECK(stepped["totals"] == plain["totals"]);
    CHECK(stepped["open_stations"] == plain["open_stations"]);
  }
  // A later step still adds the stations it opens, after those in service at the start.
  const auto later = with_open(R"(["A", "B"])",
                               R"([{"at_day": 0, "set": {"open_stations": ["A"]}},
          {"at_day": 1, "set": {"open_stations": ["A", "C"]}}])");
  REQUIRE(later["stations"].size() == 2);
  CHECK(later["stations"][1]["id"] == "C");
}

TEST_CASE("events: a file that leaves open_stations out (all open) may still change it") {
  // The key was looked up in the file as it was: absent there, the documented change was refused
  // as one that "cannot change during a run".
  std::string text =
      three_stations(R"("warmup_days": 1, "horizon_days": 2)",
                     R"([{"at_day": 2, "until_day": 3, "set": {"open_stations": ["A"]}}])");
  const std::string open_line = R"("open_stations": ["A"],)";
  text.erase(text.find(open_line), open_line.size());
  const auto metrics = run_text(text);
  REQUIRE(metrics["stations"].size() == 3);
  CHECK(arrivals_at(metrics, "A") > 100); // 6/h for two days
  // B and C only in the first day of the window, A throughout: about half A's.
  CHECK(arrivals_at(metrics, "B") > 0);
  CHECK(arrivals_at(metrics, "B") < arrivals_at(metrics, "A") * 3 / 4);
  CHECK(arrivals_at(metrics, "C") < arrivals_at(metrics, "A") * 3 / 4);
}

namespace {
/** 200 taxis at `speed_kmh` around stations A, B and C, 5 km apart on a line, for a day. */
std::string taxis_on_a_line(int speed_kmh, const std::string& events) {
  return R"({"name": "line", "seed": 3, "horizon_days": 1,
    "stations": [
      {"id": "A", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 2},
      {"id": "B", "x_km": 5, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 2},
      {"id": "C", "x_km": 10, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 2}],
    "demand": {"model": "fleet", "classes": [{"name": "taxi", "count": 200, "tank_kg": 6,
      "consumption_kg_per_100km": 1, "daily_km": 300, "refuel_at_fraction": 0.2, "speed_kmh": )" +
         std::to_string(speed_kmh) + R"(, "area": {"x_km": 5, "y_km": 0, "radius_km": 10}}]},
    "events": )" +
         events + "}";
}
} // namespace

TEST_CASE("events: visits that find a station closed by open_stations are in the books") {
  // Taxis at 2 km/h on their way to B and C when they close at day 0.3 find them closed. Those
  // visits were tallied but reported only by stations with `availability`: arrivals exceeded
  // the outcomes.
  const auto metrics =
      run_text(taxis_on_a_line(2, R"([{"at_day": 0.3, "set": {"open_stations": 1}}])"));
  double diverted = 0;
  for (const auto& record : {metrics["totals"], metrics["stations"][0], metrics["stations"][1],
                             metrics["stations"][2]}) {
    CAPTURE(record.value("id", "totals"));
    double outcomes = 0;
    for (const char* key : {"served", "balked", "reneged", "diverted_closed"}) {
      outcomes += record.value(key, 0.0);
    }
    CHECK(record["arrivals"].get<double>() == outcomes);
  }
  for (std::size_t s = 1; s < 3; ++s) { // B and C, out of service from day 0.3
    diverted += metrics["stations"][s].at("diverted_closed").get<double>();
  }
  CHECK_FALSE(metrics["stations"][0].contains("diverted_closed")); // A never closes
  CHECK(metrics["totals"]["diverted_closed"].get<double>() == diverted);
  CHECK(diverted > 0);
}

TEST_CASE("events: drivers choose among the stations in service when they set off") {
  // They chose when they planned the trip, up to a day before: for hours after B and C closed at
  // day 0.3, taxis (30 km/h, at most 40 minutes from any station) kept driving to them and found
  // them closed. Now only those already on their way can.
  const auto metrics =
      run_text(taxis_on_a_line(30, R"([{"at_day": 0.3, "set": {"open_stations": 1}},
                                          {"at_day": 0.6, "set": {"open_stations": 3}}])"),
               {{"series_bin_days", "0.1"}, {"warmup_days", "0"}});
  for (std::size_t s = 1; s < 3; ++s) {
    const auto& station = metrics["stations"][s];
    CAPTURE(station["id"]);
    CHECK(station["diverted_closed"].get<double>() <= 2); // on their way at 0.3 only
    const auto& arrivals = station["series"]["daily"]["arrivals"];
    // Closed from 0.3 to 0.6 (bins 3 to 5), B and C get drivers again from 0.6 (bin 6 on).
    CHECK(arrivals[4] == 0);
    CHECK(arrivals[6].get<double>() + arrivals[7].get<double>() > 0);
  }
}

namespace {
// A fleet of 40 taxis around two stations; the count changes by events.
std::string taxis(const std::string& window, const std::string& events) {
  return R"({"name": "growth", "seed": 4, )" + window + R"(, "replications": 1,
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1},
                 {"id": "B", "x_km": 6, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 1}],
    "demand": {"model": "fleet", "classes": [{"name": "taxi", "count": 40, "tank_kg": 6,
      "consumption_kg_per_100km": 1.2, "daily_km": 300, "refuel_at_fraction": 0.25,
      "speed_kmh": 30, "area": {"x_km": 3, "y_km": 0, "radius_km": 5}}]},
    "events": )" +
         events + "}";
}
} // namespace

TEST_CASE("events: a fleet that grows on day 5 and shrinks on day 10") {
  const std::string events = R"([{"at_day": 5, "set": {"demand.classes[name=taxi].count": 80}},
                                 {"at_day": 10, "set": {"demand.classes.0.count": 10}}])";
  // Until day 5 the run is exactly the run without events.
  const auto early = run_text(taxis(R"("warmup_days": 0, "horizon_days": 5)", events));
  CHECK(early["totals"].dump() ==
        run_text(taxis(R"("warmup_days": 0, "horizon_days": 5)", "[]"))["totals"].dump());
  // 40 taxis of 300 km a day at 1.2 kg/100 km burn 144 kg a day; 80 burn 288, 10 burn 36.
  const auto refuels = [&](const std::string& window) {
    return run_text(taxis(window, events))["classes"][0]["refuels"].get<double>();
  };
  const double before = refuels(R"("warmup_days": 2, "horizon_days": 3)") / 3;
  const double grown = refuels(R"("warmup_days": 7, "horizon_days": 3)") / 3;
  const double shrunk = refuels(R"("warmup_days": 12, "horizon_days": 3)") / 3;
  // A fill is 6 x 0.75 = 4.5 kg: 32 a day for 40 taxis, 64 for 80, 8 for 10 (within noise).
  CHECK(before == doctest::Approx(32).epsilon(0.15));
  CHECK(grown == doctest::Approx(64).epsilon(0.15));
  CHECK(shrunk == doctest::Approx(8).epsilon(0.3));
  // A station opened on day 5 takes drivers from then on, none before.
  const std::string opens = R"([{"at_day": 5, "set": {"open_stations": ["A", "B"]}}])";
  const auto week =
      run_text(taxis(R"("warmup_days": 0, "horizon_days": 7, "open_stations": ["A"])", opens));
  REQUIRE(week["stations"].size() == 2);
  const auto& by_day = week["stations"][1]["series"]["daily"]["arrivals"];
  REQUIRE(by_day.size() == 7);
  for (std::size_t day = 0; day < 5; ++day) {
    CHECK(by_day[day] == 0);
  }
  CHECK(by_day[5].get<std::uint64_t>() + by_day[6].get<std::uint64_t>() > 0);
  const auto both =
      run_text(taxis(R"("warmup_days": 5, "horizon_days": 5, "open_stations": ["A"])", opens));
  CHECK(both["stations"][1]["arrivals"].get<std::uint64_t>() > 20);
  const auto metrics = run_text(taxis(R"("warmup_days": 0, "horizon_days": 15)", events));
  const auto& t = metrics["totals"];
  CHECK(t["arrivals"].get<std::uint64_t>() == t["served"].get<std::uint64_t>() +
                                                  t["balked"].get<std::uint64_t>() +
                                                  t["reneged"].get<std::uint64_t>());
  // Vehicles over the window, time-averaged: (5 x 40 + 5 x 80 + 5 x 10) / 15 = 43.3, and
  // refuels per vehicle-day over those (they were over the file's 40).
  const auto& taxi = metrics["classes"][0];
  CHECK(taxi["vehicles"] == 43);
  CHECK(taxi["refuels_per_vehicle_day"].get<double>() ==
        doctest::Approx(taxi["refuels"].get<double>() / (650.0 / 15) / 15));
  // Over the grown days alone: 80.
  CHECK(run_text(taxis(R"("warmup_days": 7, "horizon_days": 3)",
                       events))["classes"][0]["vehicles"] == 80);
}

namespace {
/**
 * 200 taxis needing H70 around station A (H35 only), B (H70) 5 km east and C (H35) 5 km west,
 * for three days: the file opens only A, and `events` may open B or C.
 */
std::string h70_taxis(const std::string& events) {
  return R"({"name": "h70", "seed": 5, "horizon_days": 3, "open_stations": ["A"],
    "stations": [
      {"id": "A", "x_km": 0, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2,
       "pressures": ["H35"]},
      {"id": "B", "x_km": 5, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2,
       "pressures": ["H70"]},
      {"id": "C", "x_km": -5, "y_km": 0, "dispensers": 2, "fill_rate_kg_per_min": 2,
       "pressures": ["H35"]}],
    "demand": {"model": "fleet", "classes": [{"name": "taxi", "count": 200, "tank_kg": 6,
      "pressure": "H70", "consumption_kg_per_100km": 1, "daily_km": 300,
      "refuel_at_fraction": 0.2, "speed_kmh": 40,
      "area": {"x_km": 2, "y_km": 0, "radius_km": 10}}]},
    "events": )" +
         events + "}";
}
} // namespace

TEST_CASE("events: vehicles that found no station for their pressure refuel once one opens") {
  // Every taxi needs fuel within its first 1.6 days. Those needing it before B opens on day 1
  // run dry where they are (stranded). They waited for good, and B never saw them: 123 refuels
  // where there are now 373.
  const auto metrics =
      run_text(h70_taxis(R"([{"at_day": 1, "set": {"open_stations": ["A", "B"]}}])"));
  const auto& taxi = metrics["classes"][0];
  const auto stranded = taxi["stranded"].get<std::uint64_t>();
  CHECK(stranded > 80);  // about 1 / 1.6 of the 200 need fuel on day 0 (125)
  CHECK(stranded < 200); // and each is counted once: not again when towed to B
  // Each refuels on day 1 (towed to B), then every 1.6 days: at least once each, and most twice.
  const auto refuels = taxi["refuels"].get<std::uint64_t>();
  CHECK(refuels >= 200 + stranded / 2);
  CHECK(arrivals_at(metrics, "B") == refuels); // B is theirs, and nobody is turned away
  // Steps that open nothing for H70 (C fills H35 only) change nothing: the stranded were counted
  // again at each.
  const auto extra = run_text(h70_taxis(R"([{"at_day": 0.3, "set": {"open_stations": ["A", "C"]}},
      {"at_day": 0.6, "set": {"open_stations": ["A"]}},
      {"at_day": 1, "set": {"open_stations": ["A", "B"]}}])"));
  CHECK(extra["classes"][0]["stranded"] == stranded);
  CHECK(extra["classes"][0]["refuels"] == refuels);
  // A station that never opens for them: each is stranded once.
  const auto never =
      run_text(h70_taxis(R"([{"at_day": 1, "set": {"open_stations": ["A", "C"]}}])"));
  CHECK(never["classes"][0]["stranded"] == 200);
  CHECK(never["classes"][0]["refuels"] == 0);
}

TEST_CASE("events: vehicles without a station keep the hydrogen books and do not poll") {
  // B (the only H70 station) closes for days 10-20 and 30-40 of 60. What is dispensed to the
  // taxis is what they drive: those stranded drive their last kilograms dry (the kilograms had
  // vanished, 1.2 kg each: 1.9% of the class's hydrogen).
  std::string text = h70_taxis(R"([{"at_day": 10, "until_day": 20, "set": {"open_stations": ["A"]}},
      {"at_day": 30, "until_day": 40, "set": {"open_stations": ["A"]}}])");
  text.replace(text.find(R"("horizon_days": 3, "open_stations": ["A"])"), 41,
               R"("horizon_days": 60, "warmup_days": 5, "open_stations": ["A", "B"])");
  const auto metrics = run_text(text);
  const auto& taxi = metrics["classes"][0];
  CHECK(taxi["stranded"].get<std::uint64_t>() > 100);
  CHECK(taxi["dispensed_kg"].get<double>() ==
        doctest::Approx(taxi["km_driven"].get<double>() * 0.01).epsilon(1e-3));
  // Towed to B, which closes again 7 minutes after it opens: they wait for it to open again (one
  // round of tries each), where they came back to it every 30 minutes (4,800 rounds).
  const auto reclosed = run_text(h70_taxis(R"([{"at_day": 1, "until_day": 1.005,
      "set": {"open_stations": ["A", "B"]}}, {"at_day": 2, "set": {"open_stations": ["A", "B"]}}])"));
  CHECK(reclosed["classes"][0]["gave_up"].get<std::uint64_t>() <= 200);
  CHECK(reclosed["classes"][0]["refuels"].get<std::uint64_t>() > 200);
}

TEST_CASE("events: vehicles that come back after a cut rejoin with their levels spread") {
  // 36 of 40 taxis retire on day 2 and come back on day 4. Most park at a decision, when they
  // need fuel; they came back as they were parked, so all 36 queued within the hour. Joining as
  // new vehicles do (a level drawn over the refuel cycle), the fleet's 32 fills a day stay spread.
  const std::string cut = R"([{"at_day": 2, "until_day": 4,
                               "set": {"demand.classes.0.count": 4}}])";
  const auto back = run_text(taxis(R"("warmup_days": 4, "horizon_days": 1,
                                      "series_bin_days": 0.041666666666666664)",
                                   cut));
  const auto& hourly = back["totals"]["series"]["daily"]["arrivals"];
  REQUIRE(hourly.size() == 24);
  CHECK(hourly[0].get<double>() + hourly[1].get<double>() < 10);
  // And the day as a whole is an ordinary one (32 fills, within noise).
  CHECK(back["classes"][0]["refuels"].get<double>() == doctest::Approx(32).epsilon(0.25));
}
