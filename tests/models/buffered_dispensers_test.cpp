// The buffer model on its own: a heap calendar and a capacity that serves one flow at a time at
// min(bound, capacity) stand in for the engine. That is exact here: one dispenser, and the buffer
// refill never runs while a fill draws on the compressor, so at most one flow exists at once.
#include "models/buffered_dispensers.hpp"

#include <doctest/doctest.h>

#include <map>
#include <queue>
#include <vector>

namespace {

class HeapCalendar final : public h2sim::Calendar {
public:
  double now() const override { return now_; }
  void schedule(double at, std::function<void()> action) override {
    events_.push(Event{at, next_++, std::move(action)});
  }
  void run() {
    while (!events_.empty()) {
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

} // namespace

TEST_CASE("models::BufferedDispensers: the 4th of four back-to-back fills is slower, as predicted") {
  // Buffer 15 kg, compressor 12 kg/h (0.2 kg/min), fills of 5 kg at 2 kg/min, no overhead.
  // Fills 1-3 come from the buffer (2.5 min each) while the compressor puts back 0.5 kg per fill:
  // 15 -> 10 -> 10.5 -> 5.5 -> 6 -> 1 -> 1.5 kg. Fill 4 takes those 1.5 kg in 0.75 min, then
  // 3.5 kg through the compressor at 0.2 kg/min: 17.5 min. It ends at 7.5 + 18.25 = 25.75 min.
  h2sim::StationSpec spec;
  spec.id = "S";
  spec.dispensers = 1;
  spec.fill_rate_kg_per_min = 2;
  spec.buffer = h2sim::BufferSpec{15, 12};
  HeapCalendar calendar;
  SerialCapacity compressor(calendar, 0.2);
  Recorder recorder;
  h2sim::models::BufferedDispensers dispensers(spec, calendar, compressor, recorder);
  for (int i = 0; i < 4; ++i) {
    h2sim::models::Visit visit;
    visit.arrival = 0;
    visit.kg = 5;
    dispensers.admit(visit, [](double) {}, {});
  }
  calendar.run();
  REQUIRE(recorder.visits.size() == 4);
  CHECK(recorder.visits[0].end == doctest::Approx(2.5));
  CHECK(recorder.visits[1].end == doctest::Approx(5.0));
  CHECK(recorder.visits[2].end == doctest::Approx(7.5));
  CHECK(recorder.visits[3].start == doctest::Approx(7.5));
  CHECK(recorder.visits[3].end - recorder.visits[3].start == doctest::Approx(18.25));
  CHECK(recorder.visits[3].waiting == 3);
}
