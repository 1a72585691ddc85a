#pragma once

#include "supply.hpp"

namespace h2sim::models {

/** On-site electrolysis at `rate_kg_per_h` x the hour's multiplier while storage has room. */
struct OnsiteParams {
  double rate_kg_per_h = 0;
  std::vector<double> hourly_profile; // 24 multipliers, hour 0 first; empty = all 1
  double kwh_per_kg = 0;
};
const params::Table& onsite_table();

/**
 * On-site electrolysis: production at rate x the hour's multiplier whenever storage has room.
 * Between two looks at the tank nothing draws from it, so what was produced is the integral of the
 * rate, capped by the room: computed, not simulated.
 */
class Onsite final : public Supply {
public:
  explicit Onsite(SupplyContext context);
  void catch_up(double now) override;
  double energy_kwh() const override { return produced_kg_ * spec_->kwh_per_kg; }

  /** kg produced over [from, to] (minutes since midnight of day 0), ignoring the tank. */
  double production(double from, double to) const;
  /** The time after `from` at which production reaches `kg` (infinity if it never does). */
  double time_to_produce(double from, double kg) const;

private:
  double rate_per_min(int hour) const;

  SupplyContext context_;
  const OnsiteParams* spec_;
  double last_ = 0;
  double produced_kg_ = 0;
};

} // namespace h2sim::models
