#include "delivery.hpp"

namespace h2sim::models {

Delivery::Delivery(SupplyContext context)
    : context_(std::move(context)), spec_(&std::get<DeliverySupply>(context_.station->supply)) {}

void Delivery::reorder(double now, double unmet_kg) {
  while (context_.tank->available() + on_order_kg_ - unmet_kg <= spec_->reorder_at_kg) {
    on_order_kg_ += spec_->payload_kg;
    const double lead_min = spec_->lead_time_h.sample(context_.rng) * 60.0;
    if (spec_->depot) {
      context_.depots.at(*spec_->depot)
          ->dispatch(context_.station->location, lead_min, [this] { arrive(); });
    } else {
      context_.calendar->schedule(now + lead_min, [this] { arrive(); });
    }
  }
}

void Delivery::arrive() {
  const double now = context_.calendar->now();
  on_order_kg_ -= spec_->payload_kg;
  context_.tank->add(now, spec_->payload_kg, true);
  reorder(now, 0); // what did not fit went back: the position may still be low
}

} // namespace h2sim::models
