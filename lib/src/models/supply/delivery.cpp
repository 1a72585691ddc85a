#include "delivery.hpp"

#include "../../core/limits.hpp"

namespace h2sim::models {

const params::Table& delivery_table() {
  using F = params::Of<DeliveryParams>;
  static const params::Table table = F::table(
      "(s, Q) replenishment by tube trailer",
      {F::number("payload_kg", &DeliveryParams::payload_kg)
           .describe("hydrogen a tube trailer brings")
           .at_least(1)
           .at_most(limits::kg)
           .changes_during_run(),
       F::number("reorder_at_kg", &DeliveryParams::reorder_at_kg)
           .describe("order a trailer when the stock (less what queued vehicles will take, plus "
                     "what is on order) falls to this, while the storage has room for more than "
                     "is on order")
           .at_least(0)
           .at_most(limits::kg)
           .changes_during_run(),
       F::distribution("lead_time_h", &DeliveryParams::lead_time_h)
           .describe("hours from order to delivery (with a depot: loading time there, after "
                     "waiting for a trailer and before the drive)")
           .at_most(limits::hours)
           .changes_during_run(),
       F::text("depot", &DeliveryParams::depot)
           .describe("id of the trailer depot in /depots (default: trailers are always "
                     "available)")
           .refers("/depots", "id", "depot")},
      {F::rule_in<StationSpec>(
          [](const DeliveryParams& delivery, const StationSpec& station, params::Checker& check) {
            if (!station.storage || !check.valid("../storage/capacity_kg")) {
              return;
            }
            const double capacity = station.storage->capacity_kg;
            if (check.valid("reorder_at_kg") && delivery.reorder_at_kg >= capacity) {
              check.problem("reorder_at_kg", "must be < storage.capacity_kg");
            }
            // An order covers at most what the storage holds, so one look at the stock orders at
            // most about a thousand trailers.
            if (check.valid("payload_kg") && delivery.payload_kg < capacity / 1000) {
              check.problem("payload_kg", "must be >= storage.capacity_kg / 1000 (at most 1000 "
                                          "trailers on order for one station)");
            }
          })});
  return table;
}

Delivery::Delivery(SupplyContext context)
    : context_(std::move(context)), spec_(&context_.station->supply.as<DeliveryParams>()) {}

void Delivery::reorder(double now, double unmet_kg) {
  // Only while what is on order would not fill the room: promises to a long queue can hold the
  // position at the reorder point with the storage full, and a trailer that can unload nothing
  // was ordered again on its arrival (forever, at a lead time of 0). The fills' draws make the
  // room, and order then (after_draw).
  while (context_.tank->available() + on_order_kg_ - unmet_kg <= spec_->reorder_at_kg &&
         on_order_kg_ < context_.tank->room()) {
    const double payload_kg = spec_->payload_kg; // the order's, whatever later orders bring
    on_order_kg_ += payload_kg;
    context_.tank->note(now, TankEvent::order, payload_kg);
    const double lead_min = spec_->lead_time_h.sample(context_.rng) * 60.0;
    if (spec_->depot) {
      context_.depots.at(*spec_->depot)
          ->dispatch(context_.station->location, lead_min,
                     [this, payload_kg] { arrive(payload_kg); });
    } else {
      context_.calendar->schedule(
          now + lead_min, [this, payload_kg] { arrive(payload_kg); }, Calendar::Scope::local);
    }
  }
}

void Delivery::arrive(double payload_kg) {
  const double now = context_.calendar->now();
  on_order_kg_ -= payload_kg;
  context_.tank->add(now, payload_kg, true);
  reorder(now, 0); // what did not fit went back: the position may still be low
}

} // namespace h2sim::models
