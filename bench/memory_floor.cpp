// What memory alone costs a simulator of N vehicles, per event: the floor under h2sim's cost per
// event as the fleet grows (bench/run.py --scale reports it beside each tiling of the city).
//
// Each vehicle has a record of 128 bytes (h2sim's bound on per-vehicle state) and one pending
// event in a 4-ary heap of (time, sequence, vehicle), h2sim's own event heap. An event pops the
// earliest entry, reads and writes its vehicle's record (drains its tank, draws the time to its
// next event from the vehicle's own random stream) and pushes its next event. Nothing else: no
// stations, no metrics, no dispatch. At 11,000 vehicles all of it fits in the caches; at 1.1
// million the records and the heap are 170 MB and every event misses to main memory.
//
// Prints one JSON line: vehicles, events, wall_s (the event loop alone), us_per_event.

#include "../lib/src/core/event_heap.hpp"
#include "xoshiro.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

// A vehicle: its own xoshiro256** stream and what a fleet model keeps, padded to 128 bytes.
struct Vehicle {
  bench::Xoshiro256 rng;
  double fuel_kg = 0;
  double tank_kg = 0;
  double daily_km = 0;
  double km = 0;
  double x_km = 0;
  double y_km = 0;
  std::uint64_t refuels = 0;
  std::uint32_t vehicle_class = 0;
  std::uint32_t tries = 0;
  unsigned char spare[32] = {};
};
static_assert(sizeof(Vehicle) == 128, "h2sim's bound on per-vehicle state");

struct Entry {
  double at;
  std::uint64_t sequence;
  std::uint32_t vehicle;
};
struct Earlier {
  bool operator()(const Entry& a, const Entry& b) const {
    return a.at < b.at || (a.at == b.at && a.sequence < b.sequence);
  }
};

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s --vehicles N [--events E] [--seed S]\n", argv0);
  std::exit(2);
}

} // namespace

int main(int argc, char** argv) {
  std::uint64_t vehicles = 0;
  std::uint64_t events = 5'000'000;
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    std::uint64_t* target = nullptr;
    if (i + 1 < argc && std::strcmp(argv[i], "--vehicles") == 0) {
      target = &vehicles;
    } else if (i + 1 < argc && std::strcmp(argv[i], "--events") == 0) {
      target = &events;
    } else if (i + 1 < argc && std::strcmp(argv[i], "--seed") == 0) {
      target = &seed;
    } else {
      usage(argv[0]);
    }
    char* end = nullptr;
    *target = std::strtoull(argv[++i], &end, 10);
    if (end == argv[i] || *end != '\0') {
      usage(argv[0]);
    }
  }
  if (vehicles == 0 || vehicles > 100'000'000) {
    usage(argv[0]);
  }

  std::vector<Vehicle> fleet(vehicles);
  std::vector<Entry> heap;
  heap.reserve(vehicles);
  std::uint64_t state = seed;
  std::uint64_t sequence = 0;
  constexpr double mean_gap_min = 1440.0; // about a refuelling a day
  for (std::uint32_t v = 0; v < vehicles; ++v) {
    Vehicle& vehicle = fleet[v];
    vehicle.rng = bench::Xoshiro256(bench::splitmix64(state));
    vehicle.tank_kg = 5.6;
    vehicle.fuel_kg = 5.6 * vehicle.rng.uniform();
    vehicle.daily_km = 100 + 300 * vehicle.rng.uniform();
    heap.push_back({vehicle.rng.exponential(mean_gap_min), sequence++, v});
    h2sim::event_heap_push(heap, Earlier{});
  }

  const auto start = std::chrono::steady_clock::now();
  double now = 0;
  for (std::uint64_t e = 0; e < events; ++e) {
    h2sim::event_heap_pop(heap, Earlier{});
    const Entry entry = heap.back();
    heap.pop_back();
    now = entry.at;
    Vehicle& vehicle = fleet[entry.vehicle];
    const double km = vehicle.daily_km * vehicle.rng.uniform();
    vehicle.km += km;
    vehicle.fuel_kg -= km * 0.01;
    if (vehicle.fuel_kg < 0.2 * vehicle.tank_kg) {
      vehicle.fuel_kg = vehicle.tank_kg;
      ++vehicle.refuels;
    }
    heap.push_back({now + vehicle.rng.exponential(mean_gap_min), sequence++, entry.vehicle});
    h2sim::event_heap_push(heap, Earlier{});
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::uint64_t refuels = 0;
  for (const Vehicle& vehicle : fleet) {
    refuels += vehicle.refuels;
  }
  std::printf("{\"vehicles\": %llu, \"events\": %llu, \"wall_s\": %.6f, \"us_per_event\": %.6f, "
              "\"refuels\": %llu, \"last_event_min\": %.3f}\n",
              static_cast<unsigned long long>(vehicles), static_cast<unsigned long long>(events),
              wall, wall * 1e6 / static_cast<double>(events),
              static_cast<unsigned long long>(refuels), now);
  return 0;
}
