#pragma once

#include "supply.hpp"

namespace h2sim::models {

/**
 * (s, Q) replenishment by tube trailer: when the inventory position (free stock plus what is on
 * order) falls to the reorder point s, a trailer of Q kg is ordered and arrives after the lead
 * time (with a depot: after waiting for one of its trailers, loading and the drive); it unloads
 * what fits into storage and takes the rest away.
 */
class Delivery final : public Supply {
public:
  explicit Delivery(SupplyContext context);
  void start(double now) override { reorder(now); }
  void after_draw(double now) override { reorder(now); }

private:
  void reorder(double now);
  void arrive();

  SupplyContext context_;
  const DeliverySupply* spec_;
  double on_order_kg_ = 0;
};

} // namespace h2sim::models
