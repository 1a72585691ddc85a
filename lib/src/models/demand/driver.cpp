#include "driver.hpp"

#include "../../core/limits.hpp"

namespace h2sim::models {

const params::Table& driver_table(bool fleet) {
  using F = params::Of<DriverSpec>;
  const auto build = [](bool with_tries) {
    // A fleet's driver at the last station of a round queues however long (after_last_try).
    const std::string last_try =
        with_tries ? " (not at the last station of a round, unless after_last_try is leave)" : "";
    std::vector<params::Field> fields{
        F::integer("balk_if_waiting_over", &DriverSpec::balk_if_waiting_over)
            .describe("a driver who sees more vehicles waiting than this does not join" + last_try)
            .at_least(0)
            .at_most(limits::count),
        F::distribution("patience_min", &DriverSpec::patience_min)
            .describe("minutes a driver waits before leaving the queue (reneging)" + last_try)
            .at_most(limits::minutes)};
    if (with_tries) {
      fields.push_back(F::integer("max_tries", &DriverSpec::max_tries)
                           .describe("stations tried in a round before the last-try rule applies "
                                     "(default: every station)")
                           .at_least(1)
                           .at_most(limits::count)
                           .optional());
      fields.push_back(
          F::choice("after_last_try", &DriverSpec::after_last_try, {"wait", "leave"})
              .describe("at the last station of a round (the max_tries-th, or the last it has "
                        "not tried): wait (queue however long, the default) or leave (balk and "
                        "renege as anywhere; if not served, give up: gave_up, and try again 30 "
                        "minutes later)")
              .optional());
    }
    return F::table("how drivers react to a queue (default: they join any queue and wait)",
                    std::move(fields));
  };
  static const params::Table station_level = build(false);
  static const params::Table fleets = build(true);
  return fleet ? fleets : station_level;
}

} // namespace h2sim::models
