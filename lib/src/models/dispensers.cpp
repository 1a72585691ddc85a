#include "dispensers.hpp"

#include "station.hpp"

namespace h2sim::models {

namespace {
DispenserQueue queue_of(const StationSpec& spec) {
  std::optional<std::size_t> capacity;
  if (spec.queue_capacity) {
    capacity = static_cast<std::size_t>(*spec.queue_capacity);
  }
  return DispenserQueue(spec.dispensers, capacity);
}
} // namespace

FcfsDispensers::FcfsDispensers(const StationSpec& spec,
                               const std::optional<Distribution>& fill_time_min,
                               const Availability* availability, Calendar& calendar,
                               Observer& observer)
    : spec_(&spec), fill_time_min_(&fill_time_min), availability_(availability),
      calendar_(&calendar), observer_(&observer), queue_(queue_of(spec)) {}

bool FcfsDispensers::renege_on_arrival(Visit& visit, double patience_min) {
  const double now = visit.arrival;
  if (queue_.next_start(now, availability_) - now <= patience_min) {
    return false;
  }
  // Under FCFS the one who leaves never holds a dispenser: nobody else's start changes.
  visit.outcome = Outcome::reneged;
  visit.start = visit.end = now + patience_min;
  queue_.renege(now, visit.start);
  visit.waiting = queue_.waiting(now);
  return true;
}

double FcfsDispensers::fill_min(double kg, RandomStream& rng) const {
  return *fill_time_min_ ? (*fill_time_min_)->sample(rng)
                         : spec_->overhead_min + kg / spec_->fill_rate_kg_per_min;
}

void FcfsDispensers::admit(Visit visit, double fill_min, double, Hooks&& hooks) {
  const double now = visit.arrival;
  const DispenserQueue::Admission admission = queue_.admit(now, fill_min, availability_);
  visit.outcome = admission.admitted ? Outcome::served : Outcome::balked;
  visit.waiting = admission.waiting;
  if (admission.admitted) {
    visit.start = admission.start;
    visit.end = admission.end;
    if (hooks.on_start && admission.start <= now) {
      hooks.on_start(now);
    } else if (hooks.on_start) {
      calendar_->schedule(
          admission.start, [on_start = hooks.on_start, this] { on_start(calendar_->now()); },
          hooks.scope);
    }
  } else {
    visit.kg = 0;
  }
  observer_->on_visit(visit);
  if (hooks.done) {
    hooks.done(visit);
  }
}

} // namespace h2sim::models
