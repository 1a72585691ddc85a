#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace h2sim::cli {

/**
 * Progress of a long command on stderr: a bar with work done and time left when stderr is a
 * terminal, a plain line every few seconds when it is not, nothing when quiet. Nothing is shown
 * for work that finishes within the first two seconds.
 */
class Progress {
public:
  Progress(std::string unit, std::size_t total, bool quiet);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /**
   * `done` of the total units are finished; `total`, where given, is the total now (run until
   * precise adds replications as it goes).
   */
  void update(std::size_t done, std::size_t total = 0);

private:
  using Clock = std::chrono::steady_clock;
  std::string unit_;
  std::size_t total_;
  bool enabled_;
  bool terminal_;
  bool drawn_ = false;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_ = started_;
};

} // namespace h2sim::cli
