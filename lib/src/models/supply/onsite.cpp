#include "onsite.hpp"

#include "../../core/limits.hpp"
#include "../hourly_profile.hpp"

#include <algorithm>
#include <cmath>

namespace h2sim::models {

const params::Table& onsite_table() {
  using F = params::Of<OnsiteParams>;
  static const params::Table table =
      F::table("on-site electrolysis", {F::number("rate_kg_per_h", &OnsiteParams::rate_kg_per_h)
                                            .describe("production rate of the electrolyser")
                                            .at_least(0)
                                            .at_most(limits::rate),
                                        hourly_profile<OnsiteParams>(&OnsiteParams::hourly_profile),
                                        F::number("kwh_per_kg", &OnsiteParams::kwh_per_kg)
                                            .describe("electricity per kg produced (default 0)")
                                            .at_least(0)
                                            .at_most(1e3)
                                            .optional()});
  return table;
}

Onsite::Onsite(SupplyContext context)
    : context_(std::move(context)), spec_(&context_.station->supply.as<OnsiteParams>()) {}

double Onsite::rate_per_min(int hour) const {
  const double multiplier = spec_->hourly_profile.empty()
                                ? 1.0
                                : spec_->hourly_profile[static_cast<std::size_t>(hour % 24)];
  return spec_->rate_kg_per_h * multiplier / 60.0;
}

double Onsite::production(double from, double to) const {
  double kg = 0;
  while (from < to) {
    const double hour_end = (std::floor(from / 60.0) + 1.0) * 60.0;
    const double until = std::min(to, hour_end);
    kg += rate_per_min(static_cast<int>(std::floor(from / 60.0))) * (until - from);
    from = until;
  }
  return kg;
}

double Onsite::time_to_produce(double from, double kg) const {
  const double per_day = production(0, 1440);
  if (per_day <= 0) {
    return INFINITY;
  }
  // Whole days first (the profile repeats daily), then hour by hour: at most 48 steps.
  const double days = std::max(0.0, std::floor(kg / per_day) - 1);
  from += days * 1440;
  kg -= days * per_day;
  for (int hours = 0; hours < 24 * 3; ++hours) {
    const double hour_end = (std::floor(from / 60.0) + 1.0) * 60.0;
    const double rate = rate_per_min(static_cast<int>(std::floor(from / 60.0)));
    if (rate > 0 && rate * (hour_end - from) >= kg) {
      return from + kg / rate;
    }
    kg -= rate * (hour_end - from);
    from = hour_end;
  }
  return INFINITY;
}

void Onsite::catch_up(double now) {
  Tank& tank = *context_.tank;
  double made = std::min(tank.room(), production(last_, now));
  // The moment a dry station could serve again, exactly, rather than at this look.
  if (tank.dry() && made > 0 && tank.available() + made >= tank.dry_need()) {
    const double need = std::max(0.0, tank.dry_need() - tank.available());
    tank.add(std::min(now, time_to_produce(last_, need)), need);
    made -= need;
    produced_kg_ += need;
  }
  tank.add(now, made);
  produced_kg_ += made;
  last_ = now;
}

} // namespace h2sim::models
