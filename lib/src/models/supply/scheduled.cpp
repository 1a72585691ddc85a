#include "scheduled.hpp"

#include "../../core/limits.hpp"

namespace h2sim::models {

const params::Table& scheduled_table() {
  using F = params::Of<ScheduledParams>;
  static const params::Table table = F::table(
      "a standing order: trailers on a timetable, whatever the stock",
      {F::number("payload_kg", &ScheduledParams::payload_kg)
           .describe("hydrogen each trailer brings (what does not fit goes back; the trip still "
                     "counts as a delivery)")
           .at_least(1)
           .at_most(limits::kg),
       F::number("every_h", &ScheduledParams::every_h)
           .describe("hours between two trailers")
           .at_least(0.25)
           .at_most(limits::hours),
       F::number("first_h", &ScheduledParams::first_h)
           .describe("hour of the first trailer, from the start of the run (default 0)")
           .at_least(0)
           .at_most(limits::hours)
           .optional()});
  return table;
}

Scheduled::Scheduled(SupplyContext context)
    : context_(std::move(context)), spec_(&context_.station->supply.as<ScheduledParams>()) {}

void Scheduled::start(double now) {
  context_.calendar->schedule(
      now + spec_->first_h * 60.0, [this] { arrive(); }, Calendar::Scope::local);
}

void Scheduled::arrive() {
  const double now = context_.calendar->now();
  context_.tank->add(now, spec_->payload_kg, true);
  context_.calendar->schedule(
      now + spec_->every_h * 60.0, [this] { arrive(); }, Calendar::Scope::local);
}

} // namespace h2sim::models
