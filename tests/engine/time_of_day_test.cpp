#include "../support.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {
/** One station, `per_h` Poisson arrivals of 4 kg, 4 dispensers, hour h's multiplier `at(h)`. */
template <class At> std::string with_profile(double per_h, At at) {
  std::string profile = "[";
  for (int h = 0; h < 24; ++h) {
    profile += (h ? ", " : "") + std::string(at(h));
  }
  profile += "]";
  std::string scenario = h2sim::test::one_station(per_h, 4, "4");
  scenario.replace(scenario.find(R"("kg_per_fill": 4)"), 16,
                   R"("kg_per_fill": 4, "hourly_profile": )" + profile);
  return scenario;
}
} // namespace

TEST_CASE("demand::poisson: an hourly profile shapes arrivals by hour of day") {
  // Rate 10/h x 3 from 7 to 9 am, x 1 from 9 am to 5 pm, closed (x 0) otherwise. Over 60 days:
  // 2 x 30 + 8 x 10 = 140 arrivals a day, 8,400 in all; per hour 1,800 (peak) and 600.
  const auto metrics = h2sim::test::run_text(
      with_profile(10, [](int h) { return h == 7 || h == 8   ? "3"
                                          : h >= 9 && h < 17 ? "1"
                                                             : "0"; }),
      {{"horizon_days", "60"}, {"warmup_days", "0"}});
  const auto& hourly = metrics["totals"]["hourly"];
  const auto arrivals = [&](int h) {
    return hourly["arrivals"][static_cast<std::size_t>(h)].get<double>();
  };
  // Poisson counts: 1,800 +- 3 sd (42) and 600 +- 3 sd (25).
  CHECK(arrivals(7) == doctest::Approx(1800).epsilon(0.07));
  CHECK(arrivals(8) == doctest::Approx(1800).epsilon(0.07));
  CHECK(arrivals(12) == doctest::Approx(600).epsilon(0.125));
  CHECK(arrivals(3) == 0);
  CHECK(arrivals(20) == 0);
  CHECK(metrics["totals"]["arrivals"].get<double>() == doctest::Approx(8400).epsilon(0.035));
  // The morning peak waits longer than midday.
  CHECK(hourly["wait_min_mean"][8].get<double>() > hourly["wait_min_mean"][12].get<double>());
}

TEST_CASE("demand::poisson: a vanishing rate with one open hour of the day ends at once") {
  // 1e-20 arrivals an hour, open only from 11 pm: the first draw lands some 1e22 minutes on,
  // where doubles no longer tell the hours apart, and the thinning once looped there for ever.
  const auto metrics =
      h2sim::test::run_text(with_profile(1, [](int h) { return h == 23 ? "1" : "0"; }),
                            {{"horizon_days", "1"}, {"demand.arrivals_per_h", "1e-20"}});
  CHECK(metrics["totals"]["arrivals"] == 0);
}
