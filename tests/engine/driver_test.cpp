// Driver behaviour against closed forms: drivers with no patience at all, or who balk at any queue,
// turn an M/M/c queue into the M/M/c/c loss system, whose loss probability is Erlang B.
#include "../support.hpp"
#include "queueing.hpp"

#include <doctest/doctest.h>

using h2sim::test::one_station;
using h2sim::test::run_text;

namespace {
std::string with_driver(const std::string& driver) {
  std::string scenario =
      one_station(20, 2, "4", "",
                  R"(, "service": {"fill_time_min": {"dist": "exponential", "mean": 5}},
                                        "replications": 10)");
  scenario.replace(scenario.find(R"("kg_per_fill": 4)"), 16,
                   R"("kg_per_fill": 4, "driver": )" + driver);
  return scenario;
}
} // namespace

TEST_CASE("drivers: no patience at all gives Erlang B losses, counted as reneged") {
  const double blocking = h2sim::test::erlang_b(2, 20.0 / 60 * 5); // 0.3788
  const auto metrics = run_text(with_driver(R"({"patience_min": 0})"));
  const auto& totals = metrics["totals"];
  CHECK(totals["reneged"].get<double>() / totals["arrivals"].get<double>() ==
        doctest::Approx(blocking).epsilon(0.03));
  CHECK(totals["wait_min"]["max"] == 0.0);
  CHECK(totals["arrivals"].get<double>() ==
        doctest::Approx(totals["served"].get<double>() + totals["reneged"].get<double>()));
}

TEST_CASE("drivers: balking at any queue gives the same Erlang B losses, counted as balked") {
  const auto metrics = run_text(with_driver(R"({"balk_if_waiting_over": 0})"));
  // "More than 0 waiting" lets a driver join an empty queue: one may wait, so fewer are lost
  // than with a queue capacity of 0 (M/M/2/3): blocking p_3.
  const auto mmck = h2sim::test::mmck(20.0 / 60, 0.2, 2, 3);
  const auto& totals = metrics["totals"];
  CHECK(totals["balked"].get<double>() / totals["arrivals"].get<double>() ==
        doctest::Approx(mmck.blocking).epsilon(0.04));
}

TEST_CASE("drivers: with patience, waits never exceed it and reneging grows with the load") {
  const auto metrics = run_text(with_driver(R"({"patience_min": 8})"));
  const auto& totals = metrics["totals"];
  CHECK(totals["wait_min"]["max"].get<double>() <= 8.0 + 1e-9);
  CHECK(totals["reneged"].get<double>() > 0);
}

TEST_CASE("drivers: at a buffered station a driver leaves after exactly its patience") {
  // A slow compressor behind a small buffer makes queues; patience is a fixed 8 minutes, so
  // everyone who left waited exactly 8 and nobody served waited longer.
  std::string scenario = with_driver(R"({"patience_min": 8})");
  const auto metrics =
      run_text(scenario, {{"stations.0.buffer", R"({"capacity_kg": 8, "compressor_kg_per_h": 30})"},
                          {"replications", "1"},
                          {"horizon_days", "10"}});
  const auto& totals = metrics["totals"];
  CHECK(totals["reneged"].get<double>() > 0);
  CHECK(totals["wait_min"]["max"].get<double>() <= 8.0 + 1e-9);
  CHECK(totals["abandon_wait_min"]["mean"].get<double>() == doctest::Approx(8.0));
  CHECK(totals["abandon_wait_min"]["max"].get<double>() == doctest::Approx(8.0));
  CHECK(totals["arrivals"].get<double>() == totals["served"].get<double>() +
                                                totals["reneged"].get<double>() +
                                                totals["waiting_at_end"].get<double>());
}

TEST_CASE("drivers: those still waiting at an overloaded buffered station when the run ends are "
          "not served") {
  // A compressor of 6 kg/h fills one 4 kg car every 40 minutes, but 20 arrive each hour: most
  // are still waiting a week after the horizon, and are counted so, not as served.
  const auto metrics = run_text(
      with_driver("{}"), {{"stations.0.buffer", R"({"capacity_kg": 4, "compressor_kg_per_h": 6})"},
                          {"replications", "1"},
                          {"horizon_days", "1"},
                          {"warmup_days", "0"}});
  const auto& totals = metrics["totals"];
  const double served = totals["served"].get<double>();
  // The first fill comes from the buffer (4 minutes), then each takes 40 minutes through the
  // compressor: 288 in the 8 days of the run and its drain, and the one under way at the end.
  CHECK(served == 290);
  CHECK(totals["waiting_at_end"].get<double>() == totals["arrivals"].get<double>() - served);
  // Hydrogen counts in the window when it leaves storage: the fills that started on day 0, about
  // 1440 / 40 = 36 (a few faster when the buffer had time to refill between early arrivals).
  const double fills = totals["dispensed_kg"].get<double>() / 4.0;
  CHECK(fills >= 36);
  CHECK(fills <= 40);
}

namespace {
/** Two one-dispenser stations that take nobody waiting, and a fleet that always needs them. */
std::string busy_fleet(const std::string& driver) {
  return R"({"name": "tries", "seed": 3, "horizon_days": 10, "warmup_days": 1,
    "stations": [{"id": "A", "x_km": 0, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 0.5, "queue_capacity": 0},
                 {"id": "B", "x_km": 2, "y_km": 0, "dispensers": 1, "fill_rate_kg_per_min": 0.5, "queue_capacity": 0}],
    "demand": {"model": "fleet", "classes": [
      {"name": "taxi", "count": 80, "tank_kg": 6, "consumption_kg_per_100km": 1.5,
       "daily_km": 400, "refuel_at_fraction": 0.3, "speed_kmh": 30,
       "area": {"x_km": 0, "y_km": 0, "radius_km": 1}, "driver": )" +
         driver + "}]}}";
}
} // namespace

TEST_CASE("drivers: after_last_try leave ends the round after max_tries stations: gave_up") {
  // With one try per round, every visit that is not served ends a round.
  const auto metrics = run_text(busy_fleet(R"({"max_tries": 1, "after_last_try": "leave"})"));
  const auto& taxi = metrics["classes"][0];
  const auto& totals = metrics["totals"];
  CHECK(totals["balked"].get<double>() > 0);
  CHECK(taxi["gave_up"].get<double>() == totals["balked"].get<double>());
  CHECK(totals["gave_up"] == taxi["gave_up"]);
  // Without a limit, a round ends after both stations turned the driver away.
  const auto all = run_text(busy_fleet("{}"));
  CHECK(all["classes"][0]["gave_up"].get<double>() > 0);
  CHECK(all["classes"][0]["gave_up"].get<double>() < all["totals"]["balked"].get<double>());
}

TEST_CASE("drivers: after_last_try wait queues at the last station whatever the patience") {
  const std::string patient = R"({"patience_min": 0, "max_tries": 1, "after_last_try": "wait"})";
  std::string scenario = busy_fleet(patient);
  const auto waits = run_text(
      scenario, {{"stations.0.queue_capacity", "1000"}, {"stations.1.queue_capacity", "1000"}});
  CHECK(waits["totals"]["reneged"] == 0.0);
  CHECK(waits["totals"]["wait_min"]["max"].get<double>() > 0);
  const auto leaves =
      run_text(busy_fleet(R"({"patience_min": 0, "max_tries": 1, "after_last_try": "leave"})"),
               {{"stations.0.queue_capacity", "1000"}, {"stations.1.queue_capacity", "1000"}});
  CHECK(leaves["totals"]["reneged"].get<double>() > 0);
  CHECK(leaves["totals"]["wait_min"]["max"] == 0.0);
}

TEST_CASE("replications: maxima are the max of the replications' maxima, other numbers means") {
  const auto metrics = run_text(with_driver("{}"), {{"replications", "3"}, {"horizon_days", "5"}});
  double max = 0;
  double mean = 0;
  for (const auto& totals : metrics["replication_totals"]) {
    max = std::max(max, totals["wait_min"]["max"].get<double>());
    mean += totals["wait_min"]["mean"].get<double>() / 3;
  }
  CHECK(metrics["totals"]["wait_min"]["max"] == max);
  CHECK(metrics["totals"]["wait_min"]["mean"].get<double>() == doctest::Approx(mean));
}

TEST_CASE("drivers: the last station a round can try is its last try, with or without max_tries") {
  // Taxis start next to A, so a round is A then B. With no patience at all, drivers leave A's
  // queue at once, and queue at B however long: B is the last station they can try, whether
  // max_tries is unset, 2, or more than the stations there are.
  const std::vector<h2sim::Override> open_queues{{"stations.0.queue_capacity", "1000"},
                                                 {"stations.1.queue_capacity", "1000"}};
  for (const std::string driver :
       {R"({"patience_min": 0})", R"({"patience_min": 0, "max_tries": 2})",
        R"({"patience_min": 0, "max_tries": 5})"}) {
    CAPTURE(driver);
    const auto metrics = run_text(busy_fleet(driver), open_queues);
    const auto& stations = metrics["stations"];
    CHECK(stations[0]["reneged"].get<double>() > 0);
    CHECK(stations[1]["reneged"] == 0.0);
    CHECK(stations[1]["wait_min"]["max"].get<double>() > 0);
    CHECK(metrics["totals"]["gave_up"] == 0.0);
  }
  // One station is always the last of its round: patience never applies there.
  const auto alone = run_text(busy_fleet(R"({"patience_min": 0})"),
                              {{"stations.0.queue_capacity", "1000"}, {"open_stations", "1"}});
  CHECK(alone["totals"]["reneged"] == 0.0);
  CHECK(alone["totals"]["gave_up"] == 0.0);
  CHECK(alone["totals"]["served"].get<double>() > 0);
}
