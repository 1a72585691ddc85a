#pragma once

// Small stand-ins for the engine, so models are tested as plain C++ in microseconds.

#include "core/calendar.hpp"
#include "core/shared_capacity.hpp"
#include "models/observer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::test {

/**
 * The engine's calendar as a plain heap: (time, sequence) order, run to exhaustion or to a time,
 * where the clock then stands (as after the engine's run_until), events or not.
 */
class HeapCalendar final : public h2sim::Calendar {
public:
  using h2sim::Calendar::schedule;
  double now() const override { return now_; }
  void schedule(double at, h2sim::EventAction action, Scope scope) override {
    locals_ += scope == Scope::local ? 1U : 0U;
    events_.push_back(Event{at, next_++, std::move(action), scope});
    std::push_heap(events_.begin(), events_.end(), std::greater<>());
  }
  /**
   * A shared capacity is touched now: an event that declared itself local must not (the engine
   * runs those while flows run, without stepping the flows to them).
   */
  void touch_shared() const {
    if (running_ == Scope::local) {
      throw std::logic_error("an event scheduled as local touched a shared capacity");
    }
  }
  std::size_t pending() const { return events_.size(); }
  /** How many events were scheduled as local (the engine may run those ahead of its flows). */
  std::size_t scheduled_local() const { return locals_; }
  void run(double until = INFINITY) {
    while (!events_.empty() && events_.front().at <= until) {
      std::pop_heap(events_.begin(), events_.end(), std::greater<>());
      Event event = std::move(events_.back());
      events_.pop_back();
      now_ = event.at;
      running_ = event.scope;
      event.action();
      running_ = Scope::shared;
    }
    if (std::isfinite(until) && until > now_) {
      now_ = until;
    }
  }

private:
  struct Event {
    double at;
    int sequence;
    h2sim::EventAction action;
    Scope scope;
    bool operator>(const Event& other) const {
      return at > other.at || (at == other.at && sequence > other.sequence);
    }
  };
  std::vector<Event> events_; // a heap, earliest first
  double now_ = 0;
  int next_ = 0;
  std::size_t locals_ = 0;
  Scope running_ = Scope::shared; // the scope of the event running
};

/** One flow at a time at min(bound, capacity); completion is an event on the calendar. */
class SerialCapacity final : public h2sim::SharedCapacity {
public:
  SerialCapacity(HeapCalendar& calendar, double kg_per_min)
      : calendar_(&calendar), rate_(kg_per_min) {}
  FlowId start(double kg, double bound, std::function<void()> on_done) override {
    calendar_->touch_shared();
    const FlowId id = next_++;
    const double rate = std::min(bound, rate_);
    flows_[id] = Flow{calendar_->now(), rate, kg};
    calendar_->schedule(calendar_->now() + kg / rate, [this, id, done = std::move(on_done)] {
      if (flows_.erase(id) > 0) {
        done();
      }
    });
    return id;
  }
  double moved(FlowId id) const override {
    calendar_->touch_shared();
    const Flow& flow = flows_.at(id);
    return std::min(flow.kg, (calendar_->now() - flow.start) * flow.rate);
  }
  double stop(FlowId id) override {
    const double kg = moved(id);
    flows_.erase(id);
    return kg;
  }

private:
  struct Flow {
    double start;
    double rate;
    double kg;
  };
  HeapCalendar* calendar_;
  double rate_;
  std::map<FlowId, Flow> flows_;
  FlowId next_ = 0;
};

/**
 * A capacity shared max-min fairly by the flows running at once, each capped by its bound (what
 * SimGrid's LMM solver gives): the shares are recomputed whenever a flow starts, stops or ends,
 * and the next end is an event on the calendar (events of outdated shares do nothing).
 */
class FairCapacity final : public h2sim::SharedCapacity {
public:
  FairCapacity(HeapCalendar& calendar, double kg_per_min)
      : calendar_(&calendar), capacity_(kg_per_min) {}
  FlowId start(double kg, double bound, std::function<void()> on_done) override {
    calendar_->touch_shared();
    advance();
    const FlowId id = next_++;
    flows_[id] = Flow{kg, 0, bound, 0, std::move(on_done)};
    share();
    return id;
  }
  double moved(FlowId id) const override {
    calendar_->touch_shared();
    const Flow& flow = flows_.at(id);
    return std::min(flow.kg, flow.moved + flow.rate * (calendar_->now() - updated_));
  }
  double stop(FlowId id) override {
    calendar_->touch_shared();
    advance();
    const double kg = flows_.at(id).moved;
    flows_.erase(id);
    share();
    return kg;
  }
  /** The rate flow `id` gets now, kg/min. */
  double rate(FlowId id) const { return flows_.at(id).rate; }
  /** From now on the capacity is `kg_per_min`. */
  void set_capacity(double kg_per_min) {
    advance();
    capacity_ = kg_per_min;
    share();
  }
  std::size_t flows() const { return flows_.size(); }

private:
  struct Flow {
    double kg;
    double moved;
    double bound;
    double rate;
    std::function<void()> on_done;
  };
  void advance() {
    const double now = calendar_->now();
    for (auto& [id, flow] : flows_) {
      flow.moved = std::min(flow.kg, flow.moved + flow.rate * (now - updated_));
    }
    updated_ = now;
  }
  /** Water-filling: by increasing bound, each flow takes min(bound, an equal share of the rest). */
  void share() {
    std::vector<Flow*> by_bound;
    for (auto& [id, flow] : flows_) {
      by_bound.push_back(&flow);
    }
    std::stable_sort(by_bound.begin(), by_bound.end(),
                     [](const Flow* a, const Flow* b) { return a->bound < b->bound; });
    double left = capacity_;
    for (std::size_t i = 0; i < by_bound.size(); ++i) {
      by_bound[i]->rate =
          std::min(by_bound[i]->bound, left / static_cast<double>(by_bound.size() - i));
      left -= by_bound[i]->rate;
    }
    const std::uint64_t generation = ++generation_;
    double next = INFINITY;
    for (const auto& [id, flow] : flows_) {
      if (flow.rate > 0) {
        next = std::min(next, updated_ + (flow.kg - flow.moved) / flow.rate);
      }
    }
    if (std::isfinite(next)) {
      calendar_->schedule(next, [this, generation] {
        if (generation == generation_) {
          finish();
        }
      });
    }
  }
  /** Flows whose whole amount has moved end; their on_done run after the new shares are set. */
  void finish() {
    advance();
    std::vector<std::function<void()>> done;
    for (auto it = flows_.begin(); it != flows_.end();) {
      if (it->second.kg - it->second.moved <= 1e-9 * std::max(1.0, it->second.kg)) {
        done.push_back(std::move(it->second.on_done));
        it = flows_.erase(it);
      } else {
        ++it;
      }
    }
    share();
    for (auto& on_done : done) {
      on_done();
    }
  }

  HeapCalendar* calendar_;
  double capacity_;
  std::map<FlowId, Flow> flows_;
  double updated_ = 0; // every flow's `moved` is as of this time
  std::uint64_t generation_ = 0;
  FlowId next_ = 0;
};

/** The engine's capacity factory: FairCapacity on the heap calendar, the names kept. */
class FakeCapacities final : public h2sim::CapacityFactory {
public:
  explicit FakeCapacities(HeapCalendar& calendar) : calendar_(&calendar) {}
  h2sim::SharedCapacity& create(const std::string& name, double kg_per_min,
                                const std::vector<h2sim::CapacityChange>& changes) override {
    created.emplace_back(name, kg_per_min);
    capacities_.push_back(std::make_unique<FairCapacity>(*calendar_, kg_per_min));
    FairCapacity* capacity = capacities_.back().get();
    for (const h2sim::CapacityChange& change : changes) {
      calendar_->schedule(change.at_min,
                          [capacity, change] { capacity->set_capacity(change.kg_per_min); });
    }
    return *capacity;
  }
  std::vector<std::pair<std::string, double>> created; // (name, kg/min), in creation order

private:
  HeapCalendar* calendar_;
  std::vector<std::unique_ptr<FairCapacity>> capacities_;
};

/** An observer that keeps everything it is told. */
class Recorder final : public h2sim::models::Observer {
public:
  void on_visit(const h2sim::models::Visit& visit) override { visits.push_back(visit); }
  void on_trip(const h2sim::models::Trip& trip) override { trips.push_back(trip); }
  void on_give_up(std::size_t vehicle_class, std::size_t, double at) override {
    give_ups.emplace_back(vehicle_class, at);
  }
  void on_supply(std::size_t station, const h2sim::models::SupplyReport& report) override {
    supplies.emplace_back(station, report);
  }
  void on_availability(std::size_t station, double closed_min, double outage_min) override {
    availabilities.push_back({station, closed_min, outage_min});
  }
  void on_tank(std::size_t station, h2sim::models::TankEvent event, double at, double kg) override {
    tanks.push_back({station, event, at, kg});
  }
  struct TankNote {
    std::size_t station;
    h2sim::models::TankEvent event;
    double at;
    double kg;
    bool operator==(const TankNote&) const = default;
  };
  /** The tank events of kind `event`, as (time, kg). */
  std::vector<std::pair<double, double>> tank_events(h2sim::models::TankEvent event) const {
    std::vector<std::pair<double, double>> out;
    for (const TankNote& note : tanks) {
      if (note.event == event) {
        out.emplace_back(note.at, note.kg);
      }
    }
    return out;
  }
  struct Availability {
    std::size_t station;
    double closed_min;
    double outage_min;
  };
  std::vector<h2sim::models::Visit> visits;
  std::vector<h2sim::models::Trip> trips;
  std::vector<std::pair<std::size_t, double>> give_ups; // (class, when)
  std::vector<std::pair<std::size_t, h2sim::models::SupplyReport>> supplies;
  std::vector<Availability> availabilities;
  std::vector<TankNote> tanks;
};

} // namespace h2sim::test
