#include "trailer_depot.hpp"

#include "../../core/limits.hpp"

namespace h2sim::models {

const params::Table& depot_table() {
  using F = params::Of<DepotSpec>;
  static const params::Table table = F::table(
      "a depot", {F::number("x_km", [](DepotSpec& d) -> double& { return d.location.x_km; })
                      .describe("km east of the city's origin")
                      .at_least(-limits::km)
                      .at_most(limits::km),
                  F::number("y_km", [](DepotSpec& d) -> double& { return d.location.y_km; })
                      .describe("km north of the city's origin")
                      .at_least(-limits::km)
                      .at_most(limits::km),
                  F::text("id", &DepotSpec::id).describe("unique id").not_empty(),
                  F::integer("trailers", &DepotSpec::trailers)
                      .describe("tube trailers (0: orders wait until some come, see events)")
                      .at_least(0)
                      .at_most(limits::count)
                      .changes_during_run(),
                  F::number("speed_kmh", &DepotSpec::speed_kmh)
                      .describe("trailer speed")
                      .above(0)
                      .at_most(limits::speed_kmh)
                      .changes_during_run(),
                  F::number("road_factor", &DepotSpec::road_factor)
                      .describe("road km per straight-line km (default 1)")
                      .at_least(1)
                      .at_most(limits::road_factor)
                      .optional()});
  return table;
}

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
  calendar_->schedule(
      at_station,
      [this, drive_min, unload = std::move(order.unload)] {
        unload();
        calendar_->schedule(
            calendar_->now() + drive_min,
            [this] {
              ++free_;
              send_waiting();
            },
            Calendar::Scope::local);
      },
      Calendar::Scope::local);
}

void TrailerDepot::send_waiting() {
  while (free_ > 0 && !waiting_.empty()) {
    Order next = std::move(waiting_.front());
    waiting_.pop_front();
    send(std::move(next));
  }
}

void TrailerDepot::follow(const DepotSpec& next) {
  free_ += next.trailers - spec_->trailers;
  spec_ = &next;
  send_waiting();
}

} // namespace h2sim::models
