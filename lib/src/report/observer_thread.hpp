#pragma once

#include "../models/observer.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

namespace h2sim::report {

/**
 * An Observer that hands every call to a thread of its own, where `target` receives them in the
 * order they were made: the tallying (the collector's scattered writes to each station's record,
 * about a sixth of a fleet run's CPU) runs on an idle core beside the models. The target is the
 * only Observer that thread calls, and nothing else may touch it until finish() has returned;
 * after that, everything it did happened before.
 *
 * Calls are copied into chunks of `chunk_calls`; a full chunk goes to the thread, and at most
 * `chunks` are in flight (the models wait for the tallying past that, so memory stays bounded).
 * What the target throws is rethrown to the models at their next hand-over, and by finish().
 */
class ObserverThread final : public models::Observer {
public:
  explicit ObserverThread(models::Observer& target, std::size_t chunk_calls = 4096,
                          std::size_t chunks = 8);
  ObserverThread(const ObserverThread&) = delete;
  ObserverThread& operator=(const ObserverThread&) = delete;
  /** Stops the thread without waiting for the calls still queued (after finish(), nothing is). */
  ~ObserverThread() override;

  void on_visit(const models::Visit& visit) override { put(visit); }
  void on_trip(const models::Trip& trip) override { put(trip); }
  void on_give_up(std::size_t vehicle_class, std::size_t vehicle, double at) override {
    put(GiveUp{vehicle_class, vehicle, at});
  }
  void on_tank(std::size_t station, models::TankEvent event, double at, double kg) override {
    put(Tank{station, event, at, kg});
  }
  void on_supply(std::size_t station, const models::SupplyReport& report) override {
    put(Supply{station, report, false});
  }
  void on_supply_so_far(std::size_t station, const models::SupplyReport& so_far) override {
    put(Supply{station, so_far, true});
  }
  void on_closures(std::size_t station,
                   const std::vector<std::pair<double, double>>& closed) override;
  void on_service(std::size_t station, bool in_service, double at) override {
    put(Service{station, in_service, at});
  }
  void on_availability(std::size_t station, double closed_min, double outage_min) override {
    put(Availability{station, closed_min, outage_min});
  }

  /** Waits until the target has received every call made, then rethrows what it threw, if it did.
   */
  void finish();

private:
  struct GiveUp {
    std::size_t vehicle_class;
    std::size_t vehicle;
    double at;
  };
  struct Tank {
    std::size_t station;
    models::TankEvent event;
    double at;
    double kg;
  };
  struct Supply {
    std::size_t station;
    models::SupplyReport report;
    bool so_far;
  };
  struct Closures {
    std::size_t station;
    std::size_t list; // index into the chunk's closure lists
  };
  struct Service {
    std::size_t station;
    bool in_service;
    double at;
  };
  struct Availability {
    std::size_t station;
    double closed_min;
    double outage_min;
  };
  // Trivially destructible: a chunk is emptied without visiting its calls.
  using Call = std::variant<models::Visit, models::Trip, GiveUp, Tank, Supply, Closures, Service,
                            Availability>;
  struct Chunk {
    std::vector<Call> calls;
    std::vector<std::vector<std::pair<double, double>>> closures;
  };

  template <class T> void put(const T& call) {
    current_->calls.emplace_back(call);
    if (current_->calls.size() == chunk_calls_) {
      hand_over();
    }
  }
  /** Queues the current chunk for the thread and takes an empty one (waiting for one if need be).
   */
  void hand_over();
  /** Queues the current chunk and takes an empty one, under `lock`. */
  void exchange(std::unique_lock<std::mutex>& lock);
  void run();
  void replay(const Chunk& chunk);

  models::Observer& target_;
  std::size_t chunk_calls_;
  std::vector<std::unique_ptr<Chunk>> storage_;
  Chunk* current_ = nullptr; // the models' chunk, being filled

  std::mutex mutex_;
  std::condition_variable filled_;  // the thread waits here for a chunk or the end
  std::condition_variable emptied_; // the models wait here for an empty chunk or the drain
  std::deque<Chunk*> full_;         // handed over, in order
  std::vector<Chunk*> empty_;
  bool busy_ = false; // the thread is replaying a chunk it took
  bool done_ = false; // no more chunks will come
  std::exception_ptr failure_;
  std::thread thread_; // last: started once everything above is ready
};

} // namespace h2sim::report
