#include "trailer_depot.hpp"

#include "../network.hpp"

namespace h2sim::models {

TrailerDepot::TrailerDepot(const DepotSpec& spec, Calendar& calendar)
    : spec_(&spec), calendar_(&calendar), free_(spec.trailers) {}

void TrailerDepot::dispatch(Point station, double load_min, std::function<void()> unload) {
  Order order{station, load_min, std::move(unload)};
  if (free_ > 0) {
    send(std::move(order));
  } else {
    waiting_.push_back(std::move(order));
  }
}

void TrailerDepot::send(Order order) {
  --free_;
  const double drive_min =
      distance_km(spec_->location, order.station) * spec_->road_factor / spec_->speed_kmh * 60.0;
  const double at_station = calendar_->now() + order.load_min + drive_min;
  calendar_->schedule(at_station, [this, drive_min, unload = std::move(order.unload)] {
    unload();
    calendar_->schedule(calendar_->now() + drive_min, [this] {
      ++free_;
      if (!waiting_.empty()) {
        Order next = std::move(waiting_.front());
        waiting_.pop_front();
        send(std::move(next));
      }
    });
  });
}

} // namespace h2sim::models
