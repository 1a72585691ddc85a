#include "observer_thread.hpp"

#include <type_traits>

namespace h2sim::report {

ObserverThread::ObserverThread(models::Observer& target, std::size_t chunk_calls,
                               std::size_t chunks)
    : target_(target), chunk_calls_(chunk_calls == 0 ? 1 : chunk_calls) {
  static_assert(std::is_trivially_destructible_v<Call>, "calls are dropped without destruction");
  const std::size_t count = chunks < 2 ? 2 : chunks;
  for (std::size_t i = 0; i < count; ++i) {
    auto chunk = std::make_unique<Chunk>();
    chunk->calls.reserve(chunk_calls_);
    empty_.push_back(chunk.get());
    storage_.push_back(std::move(chunk));
  }
  current_ = empty_.back();
  empty_.pop_back();
  thread_ = std::thread([this] { run(); });
}

ObserverThread::~ObserverThread() {
  {
    const std::lock_guard lock(mutex_);
    done_ = true;
    full_.clear();
  }
  filled_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void ObserverThread::on_closures(std::size_t station,
                                 const std::vector<std::pair<double, double>>& closed) {
  current_->closures.push_back(closed);
  put(Closures{station, current_->closures.size() - 1});
}

void ObserverThread::exchange(std::unique_lock<std::mutex>& lock) {
  full_.push_back(current_);
  filled_.notify_one();
  // The thread returns every chunk, replayed or, once the target failed, dropped.
  emptied_.wait(lock, [this] { return !empty_.empty(); });
  current_ = empty_.back();
  empty_.pop_back();
}

void ObserverThread::hand_over() {
  std::unique_lock lock(mutex_);
  exchange(lock);
  if (failure_) {
    std::rethrow_exception(failure_);
  }
}

void ObserverThread::finish() {
  std::unique_lock lock(mutex_);
  if (!current_->calls.empty()) {
    exchange(lock);
  }
  emptied_.wait(lock, [this] { return full_.empty() && !busy_; });
  if (failure_) {
    std::rethrow_exception(failure_);
  }
}

void ObserverThread::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    filled_.wait(lock, [this] { return !full_.empty() || done_; });
    if (full_.empty()) {
      return; // done_
    }
    Chunk* chunk = full_.front();
    full_.pop_front();
    busy_ = true;
    lock.unlock();
    std::exception_ptr thrown;
    if (!failure_) { // read under the lock's last release: only this thread sets it
      try {
        replay(*chunk);
      } catch (...) {
        thrown = std::current_exception();
      }
    }
    chunk->calls.clear();
    chunk->closures.clear();
    lock.lock();
    busy_ = false;
    if (thrown) {
      failure_ = thrown;
    }
    empty_.push_back(chunk);
    emptied_.notify_one();
  }
}

void ObserverThread::replay(const Chunk& chunk) {
  models::Observer& target = target_;
  for (const Call& call : chunk.calls) {
    // The two calls of every refuelling first, without std::visit's table.
    if (const auto* visit = std::get_if<models::Visit>(&call)) {
      target.on_visit(*visit);
    } else if (const auto* trip = std::get_if<models::Trip>(&call)) {
      target.on_trip(*trip);
    } else if (const auto* give_up = std::get_if<GiveUp>(&call)) {
      target.on_give_up(give_up->vehicle_class, give_up->vehicle, give_up->at);
    } else if (const auto* tank = std::get_if<Tank>(&call)) {
      target.on_tank(tank->station, tank->event, tank->at, tank->kg);
    } else if (const auto* supply = std::get_if<Supply>(&call)) {
      if (supply->so_far) {
        target.on_supply_so_far(supply->station, supply->report);
      } else {
        target.on_supply(supply->station, supply->report);
      }
    } else if (const auto* closures = std::get_if<Closures>(&call)) {
      target.on_closures(closures->station, chunk.closures[closures->list]);
    } else if (const auto* service = std::get_if<Service>(&call)) {
      target.on_service(service->station, service->in_service, service->at);
    } else if (const auto* availability = std::get_if<Availability>(&call)) {
      target.on_availability(availability->station, availability->closed_min,
                             availability->outage_min);
    }
  }
}

} // namespace h2sim::report
