#pragma once

#include "supply.hpp"

#include <algorithm>

namespace h2sim::models {

/** Tube trailers of `payload_kg`, ordered when the stock falls to `reorder_at_kg`. */
struct DeliveryParams {
  double payload_kg = 0;
  double reorder_at_kg = 0;
  Distribution lead_time_h = Distribution::fixed(0); // with a depot: the loading time there
  std::optional<std::string> depot;                  // id of a depot in the scenario's depots
};
const params::Table& delivery_table();

/**
 * (s, Q) replenishment by tube trailer: when the inventory position (free stock plus what is on
 * order) falls to the reorder point s, a trailer of Q kg is ordered and arrives after the lead
 * time (with a depot: after waiting for one of its trailers, loading and the drive); it unloads
 * what fits into storage and takes the rest away.
 */
class Delivery final : public Supply {
public:
  explicit Delivery(SupplyContext context);
  void start(double now) override { reorder(now, 0); }
  void after_promise(double now) override { reorder(now, 0); }
  /** A fill made room: a position held low by promises to a full storage may order now. */
  void after_draw(double now) override { reorder(now, 0); }
  /** A refusal counts as demand: the stock left cannot serve it, so it is not really there. */
  void after_refusal(double now, double kg) override {
    reorder(now, std::min(kg, context_.tank->capacity())); // more could never be stored
  }
  /** Payload, reorder point and lead time apply to orders from now on. */
  void follow(const StationSpec& next) override {
    spec_ = &next.supply.as<DeliveryParams>();
    reorder(context_.calendar->now(), 0);
  }

private:
  /**
   * Orders while the inventory position, less `unmet_kg`, is at or below the reorder point and
   * what is on order would not fill the storage's room.
   */
  void reorder(double now, double unmet_kg);
  void arrive(double payload_kg);

  SupplyContext context_;
  const DeliveryParams* spec_;
  double on_order_kg_ = 0;
};

} // namespace h2sim::models
