// Lower bound for the bench Poisson model (bench/scenarios/poisson-10x4.json):
// the same model as a bare binary-heap event loop, with nothing a general
// simulator needs (no scenario parsing, no dispatch, no metrics beyond the
// three compared). Time unit: minutes. Prints one JSON line on stdout.
//
// Statistics, shared with simpy_peer.py:
//   arrivals       vehicles that arrived before the horizon
//   served         fills completed before the horizon
//   wait_min_mean  mean queue wait of the vehicles whose fill started
//   events         arrivals + fill starts + fill ends

#include "xoshiro.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <queue>
#include <vector>

namespace {

constexpr int kStations = 10;
constexpr int kDispensers = 4;
constexpr double kMeanInterarrivalMin = 60.0 / 36.0;
constexpr double kMeanFillMin = 5.0;

using Rng = bench::Xoshiro256;

struct Event {
  double t;
  std::uint32_t station;
  bool departure;
};

struct Later {
  bool operator()(const Event& a, const Event& b) const { return a.t > b.t; }
};

struct Station {
  explicit Station(std::uint64_t seed) : rng(seed) {}
  Rng rng;
  int busy = 0;
  std::deque<double> waiting; // arrival times, FCFS
};

struct Totals {
  std::uint64_t arrivals = 0;
  std::uint64_t starts = 0;
  std::uint64_t served = 0;
  double wait_sum = 0.0;
};

Totals simulate(double days, std::uint64_t seed) {
  const double horizon = days * 24.0 * 60.0;
  std::vector<Station> stations;
  stations.reserve(kStations);
  std::vector<Event> storage;
  storage.reserve(kStations * (1 + kDispensers));
  std::priority_queue<Event, std::vector<Event>, Later> heap(Later{}, std::move(storage));
  Totals totals;

  for (std::uint32_t i = 0; i < kStations; ++i) {
    // Spread seeds by the golden-ratio constant so (seed, station) pairs never collide.
    stations.emplace_back(seed * 0x9E3779B97F4A7C15ULL + i);
    heap.push({stations[i].rng.exponential(kMeanInterarrivalMin), i, false});
  }

  auto start_fill = [&](Station& s, std::uint32_t id, double arrived, double now) {
    ++totals.starts;
    totals.wait_sum += now - arrived;
    heap.push({now + s.rng.exponential(kMeanFillMin), id, true});
  };

  while (!heap.empty() && heap.top().t <= horizon) {
    const Event e = heap.top();
    heap.pop();
    Station& s = stations[e.station];
    if (e.departure) {
      ++totals.served;
      if (s.waiting.empty()) {
        --s.busy;
      } else {
        const double arrived = s.waiting.front();
        s.waiting.pop_front();
        start_fill(s, e.station, arrived, e.t);
      }
    } else {
      ++totals.arrivals;
      heap.push({e.t + s.rng.exponential(kMeanInterarrivalMin), e.station, false});
      if (s.busy < kDispensers) {
        ++s.busy;
        start_fill(s, e.station, e.t, e.t);
      } else {
        s.waiting.push_back(e.t);
      }
    }
  }
  return totals;
}

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--days D] [--seed N]\n", argv0);
  std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
  double days = 60.0;
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (i + 1 < argc && std::strcmp(argv[i], "--days") == 0) {
      char* end = nullptr;
      days = std::strtod(argv[++i], &end);
      if (*end != '\0' || !(days > 0))
        usage(argv[0]);
    } else if (i + 1 < argc && std::strcmp(argv[i], "--seed") == 0) {
      char* end = nullptr;
      seed = std::strtoull(argv[++i], &end, 10);
      if (*end != '\0')
        usage(argv[0]);
    } else {
      usage(argv[0]);
    }
  }

  const auto t0 = std::chrono::steady_clock::now();
  const Totals totals = simulate(days, seed);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const std::uint64_t events = totals.arrivals + totals.starts + totals.served;
  const double wait_mean =
      totals.starts ? totals.wait_sum / static_cast<double>(totals.starts) : 0.0;
  std::printf("{\"engine\": \"heap\", \"wall_s\": %.9g, \"events\": %llu, \"events_per_s\": %.9g, "
              "\"arrivals\": %llu, \"served\": %llu, \"wait_min_mean\": %.9g}\n",
              wall, static_cast<unsigned long long>(events),
              wall > 0 ? static_cast<double>(events) / wall : 0.0,
              static_cast<unsigned long long>(totals.arrivals),
              static_cast<unsigned long long>(totals.served), wait_mean);
  return 0;
}
