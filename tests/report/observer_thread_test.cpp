#include "../../lib/src/report/observer_thread.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using h2sim::models::Observer;
using h2sim::models::SupplyReport;
using h2sim::models::TankEvent;
using h2sim::models::Trip;
using h2sim::models::Visit;

namespace {

/** Writes every call it receives as a line, with the thread that made it. */
class Recorder final : public Observer {
public:
  std::vector<std::string> calls;
  std::vector<std::thread::id> threads;
  std::size_t throw_at = static_cast<std::size_t>(-1); // the call that throws, counted from 0

  void on_visit(const Visit& v) override {
    note("visit " + std::to_string(v.station) + " " + std::to_string(v.arrival) + " " +
         std::to_string(static_cast<int>(v.outcome)) + " " + std::to_string(v.vehicle) + " " +
         std::to_string(v.start) + " " + std::to_string(v.end) + " " + std::to_string(v.kg) + " " +
         std::to_string(v.waiting) + " " + std::to_string(v.vehicle_class));
  }
  void on_trip(const Trip& t) override {
    note("trip " + std::to_string(t.vehicle_class) + " " + std::to_string(t.arrival) + " " +
         std::to_string(t.km) + " " + std::to_string(t.detour_km) + " " +
         std::to_string(t.stranded) + " " + std::to_string(t.vehicle));
  }
  void on_give_up(std::size_t c, std::size_t v, double at) override {
    note("give_up " + std::to_string(c) + " " + std::to_string(v) + " " + std::to_string(at));
  }
  void on_tank(std::size_t s, TankEvent e, double at, double kg) override {
    note("tank " + std::to_string(s) + " " + std::to_string(static_cast<int>(e)) + " " +
         std::to_string(at) + " " + std::to_string(kg));
  }
  void on_supply(std::size_t s, const SupplyReport& r) override { note("supply " + text(s, r)); }
  void on_supply_so_far(std::size_t s, const SupplyReport& r) override {
    note("so_far " + text(s, r));
  }
  void on_closures(std::size_t s, const std::vector<std::pair<double, double>>& closed) override {
    std::string line = "closures " + std::to_string(s);
    for (const auto& [from, to] : closed) {
      line += " " + std::to_string(from) + "-" + std::to_string(to);
    }
    note(line);
  }
  void on_service(std::size_t s, bool in, double at) override {
    note("service " + std::to_string(s) + " " + std::to_string(in) + " " + std::to_string(at));
  }
  void on_availability(std::size_t s, double closed, double outage) override {
    note("availability " + std::to_string(s) + " " + std::to_string(closed) + " " +
         std::to_string(outage));
  }

private:
  static std::string text(std::size_t s, const SupplyReport& r) {
    return std::to_string(s) + " " + std::to_string(r.inventory_start_kg) + " " +
           std::to_string(r.inventory_end_kg) + " " + std::to_string(r.inventory_min_kg) + " " +
           std::to_string(r.delivered_kg) + " " + std::to_string(r.deliveries) + " " +
           std::to_string(r.stockout_min) + " " + std::to_string(r.energy_kwh);
  }
  void note(std::string line) {
    if (calls.size() == throw_at) {
      throw std::runtime_error("the collector failed at call " + std::to_string(throw_at));
    }
    calls.push_back(std::move(line));
    threads.push_back(std::this_thread::get_id());
  }
};

/** Makes call `i` of a mixed sequence (every kind of call, in a varying order) on `observer`. */
void call(Observer& observer, std::size_t i) {
  const double at = 0.5 * static_cast<double>(i);
  switch (i % 9) {
  case 0:
    observer.on_visit({i % 7, at, static_cast<h2sim::models::Outcome>(i % 6),
                       static_cast<std::uint32_t>(i), at + 1, at + 2, 3.25, i % 5, i % 3});
    break;
  case 1:
    observer.on_trip({i % 3, at, 12.5, 1.5, i % 2 == 0, static_cast<std::uint32_t>(i)});
    break;
  case 2:
    observer.on_give_up(i % 3, i, at);
    break;
  case 3:
    observer.on_tank(i % 7, TankEvent::order, at, 250);
    break;
  case 4:
    observer.on_supply(i % 7, {100, 90, 10, 500, 2, 30, 7});
    break;
  case 5:
    observer.on_supply_so_far(i % 7, {100, 95, 20, 250, 1, 15, 3});
    break;
  case 6: {
    // The list goes away (and its memory is reused) before the thread reads its copy.
    std::vector<std::pair<double, double>> closed{{at, at + 1}, {at + 3, at + 4.5}};
    observer.on_closures(i % 7, closed);
    closed.assign(2, {-1, -1});
    break;
  }
  case 7:
    observer.on_service(i % 7, i % 2 == 0, at);
    break;
  default:
    observer.on_availability(i % 7, at, at / 2);
    break;
  }
}

} // namespace

TEST_CASE("report: the observer thread hands every call to its target in order, on its thread") {
  Recorder direct;
  for (std::size_t i = 0; i < 1000; ++i) {
    call(direct, i);
  }
  // Chunks of 1 to 5000 calls, 2 or 3 of them in flight: hand-overs at every call, waits for an
  // empty chunk, a last chunk handed over by finish(), and one never filled.
  for (const auto& sizes : std::vector<std::pair<std::size_t, std::size_t>>{
           {1, 2}, {3, 2}, {7, 3}, {1000, 2}, {5000, 2}}) {
    const auto [chunk_calls, chunks] = sizes;
    CAPTURE(sizes.first);
    Recorder threaded;
    {
      h2sim::report::ObserverThread thread(threaded, chunk_calls, chunks);
      for (std::size_t i = 0; i < 600; ++i) {
        call(thread, i);
      }
      thread.finish();
      CHECK(threaded.calls.size() == 600); // all of them, now
      for (std::size_t i = 600; i < 1000; ++i) {
        call(thread, i);
      }
      thread.finish(); // again, after more calls
    }
    CHECK(threaded.calls == direct.calls);
    REQUIRE(!threaded.threads.empty());
    CHECK(threaded.threads.front() != std::this_thread::get_id());
  }
}

TEST_CASE("report: what the observer thread's target throws reaches the models, then finish()") {
  SUBCASE("at a later hand-over") {
    Recorder failing;
    failing.throw_at = 10;
    h2sim::report::ObserverThread thread(failing, 4, 2);
    // The 11th call fails on the thread. With two chunks, each hand-over waits for the chunk
    // before to come back, so the one after the failing chunk's sees the failure.
    CHECK_THROWS_WITH(
        [&] {
          for (std::size_t i = 0; i < 1000; ++i) {
            call(thread, i);
          }
          thread.finish();
        }(),
        "the collector failed at call 10");
    CHECK(failing.calls.size() == 10);
  }
  SUBCASE("at finish()") {
    Recorder failing;
    failing.throw_at = 2;
    h2sim::report::ObserverThread thread(failing, 100, 2);
    for (std::size_t i = 0; i < 5; ++i) {
      call(thread, i);
    }
    CHECK_THROWS_WITH(thread.finish(), "the collector failed at call 2");
  }
  SUBCASE("never: a run that fails elsewhere drops what was queued") {
    Recorder direct;
    Recorder target;
    {
      h2sim::report::ObserverThread thread(target, 2, 2);
      for (std::size_t i = 0; i < 49; ++i) { // the 49th call's chunk is never handed over
        call(direct, i);
        call(thread, i);
      }
    } // no finish(): the destructor neither waits for the queue nor hangs
    // What reached the target before the end is the calls' beginning, in order: a chunk is
    // replayed whole or not at all (the one filling is never handed over).
    REQUIRE(target.calls.size() <= 48);
    CHECK(target.calls.size() % 2 == 0);
    CHECK(std::equal(target.calls.begin(), target.calls.end(), direct.calls.begin()));
  }
}
