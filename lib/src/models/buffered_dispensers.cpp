#include "buffered_dispensers.hpp"

#include "../core/limits.hpp"
#include "station.hpp"

#include <algorithm>
#include <cmath>

namespace h2sim::models {

const params::Table& buffer_table() {
  using F = params::Of<BufferSpec>;
  static const params::Table table = F::table(
      "high-pressure buffer limiting back-to-back fills (CSA HGV 4.9); fills draw from it at the "
      "fill rate, then at what the compressor delivers",
      {F::number("capacity_kg", &BufferSpec::capacity_kg)
           .describe("hydrogen the buffer holds, full at the start")
           .above(0)
           .at_most(limits::kg),
       F::number("compressor_kg_per_h", &BufferSpec::compressor_kg_per_h)
           .describe("compressor refilling it, shared by the fills once it is empty")
           .above(0)
           .at_most(limits::rate)});
  return table;
}

BufferedDispensers::BufferedDispensers(const StationSpec& spec, Calendar& calendar,
                                       SharedCapacity& compressor, Observer& observer,
                                       const Availability* availability)
    : spec_(&spec), calendar_(&calendar), compressor_(&compressor), observer_(&observer),
      availability_(availability), free_(spec.dispensers), buffer_kg_(spec.buffer->capacity_kg),
      refill_(compressor, [this](double kg) { buffer_kg_ += kg; }) {}

bool BufferedDispensers::full(double now) {
  catch_up_opening(now);
  return free_ == 0 && spec_->queue_capacity &&
         waiting_ >= static_cast<std::size_t>(*spec_->queue_capacity);
}

double BufferedDispensers::buffer_kg(double) {
  refill_.take();
  return buffer_kg_;
}

void BufferedDispensers::restart_refill() {
  refill_.stop();
  const double room = spec_->buffer->capacity_kg - buffer_kg_;
  if (direct_fills_ == 0 && room > 1e-9) {
    refill_.start(room, spec_->buffer->compressor_kg_per_h / 60.0);
  }
}

void BufferedDispensers::admit(Visit visit, double, double patience_min, Hooks&& hooks) {
  auto fill = std::make_shared<Fill>(Fill{std::move(visit), std::move(hooks)});
  fill->visit.outcome = Outcome::served;
  catch_up_opening(fill->visit.arrival);
  if (free_ > 0 && !reopening_) { // (the station is open: it turns arrivals away when closed)
    fill->visit.waiting = waiting_;
    start(fill, fill->visit.arrival);
    return;
  }
  queue_.push_back(fill);
  fill->visit.waiting = ++waiting_;
  if (std::isfinite(patience_min)) {
    calendar_->schedule(fill->visit.arrival + patience_min, [this, fill] {
      if (!fill->started && !fill->left) {
        renege(fill, calendar_->now());
      }
    });
  }
}

void BufferedDispensers::renege(const std::shared_ptr<Fill>& fill, double now) {
  fill->left = true;
  --waiting_;
  fill->visit.outcome = Outcome::reneged;
  fill->visit.start = fill->visit.end = now;
  if (fill->hooks.on_leave) {
    fill->hooks.on_leave(now);
  }
  report(fill);
}

void BufferedDispensers::report(const std::shared_ptr<Fill>& fill) {
  if (!fill->visit.served()) {
    fill->visit.kg = 0;
  }
  observer_->on_visit(fill->visit);
  if (fill->hooks.done) {
    fill->hooks.done(fill->visit);
  }
}

void BufferedDispensers::start(std::shared_ptr<Fill> fill, double now) {
  --free_;
  fill->started = true;
  fill->visit.start = now;
  if (fill->hooks.on_start) {
    fill->hooks.on_start(now);
  }
  filling_.push_back(fill);
  const double from_buffer = std::min(fill->visit.kg, buffer_kg(now));
  buffer_kg_ -= from_buffer;
  fill->rest_kg = fill->visit.kg - from_buffer;
  restart_refill();
  const double fast_end = now + spec_->overhead_min + from_buffer / spec_->fill_rate_kg_per_min;
  calendar_->schedule(fast_end, [this, fill] {
    if (fill->rest_kg > 1e-9) {
      draw_through_compressor(fill);
    } else {
      finish(fill, calendar_->now());
    }
  });
}

void BufferedDispensers::draw_through_compressor(std::shared_ptr<Fill> fill) {
  ++direct_fills_;
  refill_.stop(); // the compressor serves the dispensers first
  compressor_->start(fill->rest_kg, spec_->fill_rate_kg_per_min, [this, fill] {
    --direct_fills_;
    finish(fill, calendar_->now());
  });
}

void BufferedDispensers::finish(const std::shared_ptr<Fill>& fill, double now) {
  ++free_;
  filling_.erase(std::find(filling_.begin(), filling_.end(), fill));
  fill->visit.end = now;
  report(fill);
  restart_refill();
  start_queued(now);
}

void BufferedDispensers::catch_up_opening(double now) {
  if (reopening_ && availability_->open_at(now)) {
    reopening_ = false; // the event scheduled for it then finds nothing more to do
    start_queued(now);
  }
}

void BufferedDispensers::start_queued(double now) {
  if (availability_ != nullptr && !availability_->open_at(now)) {
    const double opens = availability_->next_open(now);
    if (!reopening_ && waiting_ > 0 && std::isfinite(opens)) {
      reopening_ = true;
      calendar_->schedule(opens, [this] {
        if (reopening_) {
          reopening_ = false;
          start_queued(calendar_->now());
        }
      });
    }
    return;
  }
  while (free_ > 0) {
    while (!queue_.empty() && queue_.front()->left) {
      queue_.pop_front();
    }
    if (queue_.empty()) {
      return;
    }
    std::shared_ptr<Fill> next = queue_.front();
    queue_.pop_front();
    --waiting_;
    start(next, now);
  }
}

bool BufferedDispensers::serving_arrivals_before(double time) const {
  const auto before = [time](const std::shared_ptr<Fill>& fill) {
    return !fill->left && fill->visit.arrival < time;
  };
  return std::any_of(filling_.begin(), filling_.end(), before) ||
         std::any_of(queue_.begin(), queue_.end(), before);
}

void BufferedDispensers::flush(double now) {
  for (const auto& fill : filling_) {
    fill->visit.end = now;
    observer_->on_visit(fill->visit);
  }
  for (const auto& fill : queue_) {
    if (!fill->left) {
      fill->visit.outcome = Outcome::waiting_at_end;
      fill->visit.start = fill->visit.end = now;
      fill->visit.kg = 0;
      observer_->on_visit(fill->visit);
    }
  }
  filling_.clear();
  queue_.clear();
  waiting_ = 0;
}

} // namespace h2sim::models
