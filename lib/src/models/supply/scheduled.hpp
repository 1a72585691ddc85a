#pragma once

#include "supply.hpp"

namespace h2sim::models {

/** A standing order: a trailer of `payload_kg` every `every_h` hours from hour `first_h`. */
struct ScheduledParams {
  double payload_kg = 0;
  double every_h = 24;
  double first_h = 0;
};
const params::Table& scheduled_table();

/**
 * Deliveries on a timetable, whatever the stock: each trailer unloads what fits into storage and
 * takes the rest away. The supplier's side of many real contracts, and the worst case of (s, Q)
 * ordering when the station cannot call for trailers.
 */
class Scheduled final : public Supply {
public:
  explicit Scheduled(SupplyContext context);
  void start(double now) override;

private:
  void arrive();

  SupplyContext context_;
  const ScheduledParams* spec_;
};

} // namespace h2sim::models
