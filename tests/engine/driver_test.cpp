// Driver behaviour against closed forms: drivers with no patience at all, or who balk at any queue,
// turn an M/M/c queue into the M/M/c/c loss system, whose loss probability is Erlang B.
#include <doctest/doctest.h>

#include "../support.hpp"
#include "queueing.hpp"

using h2sim::test::one_station;
using h2sim::test::run_text;

namespace {
std::string with_driver(const std::string& driver) {
  std::string scenario = one_station(20, 2, "4", "",
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
