#pragma once

// Small stand-ins for the engine, so models are tested as plain C++ in microseconds.

#include <cmath>
#include <functional>
#include <map>
#include <queue>
#include <vector>

#include "core/calendar.hpp"
#include "core/shared_capacity.hpp"
#include "models/observer.hpp"

namespace h2sim::test {

/** The engine's calendar as a plain heap: (time, sequence) order, run to exhaustion or a time. */
class HeapCalendar final : public h2sim::Calendar {
public:
  double now() const override { return now_; }
  void schedule(double at, std::function<void()> action) override {
    events_.push(Event{at, next_++, std::move(action)});
  }
  std::size_t pending() const { return events_.size(); }
  void run(double until = INFINITY) {
    while (!events_.empty() && events_.top().at <= until) {
      Event event = events_.top();
      events_.pop();
      now_ = event.at;
      event.action();
    }
  }

private:
  struct Event {
    double at;
    int sequence;
    std::function<void()> action;
    bool operator>(const Event& other) const {
      return at > other.at || (at == other.at && sequence > other.sequence);
    }
  };
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  double now_ = 0;
  int next_ = 0;
};

/** One flow at a time at min(bound, capacity); completion is an event on the calendar. */
class SerialCapacity final : public h2sim::SharedCapacity {
public:
  SerialCapacity(HeapCalendar& calendar, double kg_per_min) : calendar_(&calendar), rate_(kg_per_min) {}
  FlowId start(double kg, double bound, std::function<void()> on_done) override {
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

class Recorder final : public h2sim::models::Observer {
public:
  void on_visit(const h2sim::models::Visit& visit) override { visits.push_back(visit); }
  void on_trip(const h2sim::models::Trip&) override {}
  void on_supply(std::size_t, const h2sim::models::SupplyReport&) override {}
  void on_availability(std::size_t, double, double) override {}
  std::vector<h2sim::models::Visit> visits;
};


} // namespace h2sim::test
