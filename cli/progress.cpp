#include "progress.hpp"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace h2sim::cli {

namespace {
constexpr double quiet_start_s = 2.0; // short runs show nothing
constexpr double line_every_s = 10.0; // plain lines, when stderr is not a terminal
constexpr int bar_width = 30;
} // namespace

Progress::Progress(std::string unit, std::size_t total, bool quiet)
    : unit_(std::move(unit)), total_(total), enabled_(!quiet && total > 0),
      terminal_(::isatty(STDERR_FILENO) != 0) {}

Progress::~Progress() {
  if (drawn_ && terminal_) {
    std::fputs("\n", stderr);
  }
}

void Progress::update(std::size_t done, std::size_t total) {
  if (!enabled_) {
    return;
  }
  total_ = std::max({total_, total, done});
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  const double since_last = std::chrono::duration<double>(now - last_).count();
  if (elapsed < quiet_start_s || (!terminal_ && since_last < line_every_s && done < total_)) {
    return;
  }
  last_ = now;
  drawn_ = true;
  const double fraction = static_cast<double>(done) / static_cast<double>(total_);
  const double left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  if (terminal_) {
    const int filled = static_cast<int>(fraction * bar_width);
    std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu %s, %.0f s left ", filled,
                 "##############################", bar_width - filled, "", done, total_,
                 unit_.c_str(), left);
  } else {
    std::fprintf(stderr, "h2sim: %zu/%zu %s done, %.0f s elapsed, about %.0f s left\n", done,
                 total_, unit_.c_str(), elapsed, left);
  }
  std::fflush(stderr);
}

} // namespace h2sim::cli
