#include <h2sim/log.hpp>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>
#include <new>
#include <pthread.h>

namespace h2sim {

namespace {

std::mutex mutex;

// In a fork's child the lock is made anew: a thread that held it (another run logging) is not
// there, and the child's first log would wait for it forever.
[[maybe_unused]] const bool renewed_after_fork =
    ::pthread_atfork(nullptr, nullptr, [] { new (&mutex) std::mutex; }) == 0;

std::shared_ptr<spdlog::logger>& current() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto made = std::make_shared<spdlog::logger>("h2sim",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
    made->set_level(spdlog::level::warn);
    return made;
  }();
  return logger;
}

} // namespace

std::shared_ptr<spdlog::logger> logger() {
  const std::lock_guard lock(mutex);
  return current();
}

void set_logger(std::shared_ptr<spdlog::logger> logger) {
  const std::lock_guard lock(mutex);
  current() = logger ? std::move(logger)
                     : std::make_shared<spdlog::logger>(
                           "h2sim", std::make_shared<spdlog::sinks::null_sink_mt>());
}

} // namespace h2sim
