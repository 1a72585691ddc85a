#pragma once

// When an interval cannot be trusted: the checks behind the metrics document's interval warnings.

#include "fields.hpp"

#include <h2sim/scenario.hpp>

#include <optional>
#include <string>
#include <vector>

namespace h2sim::report {

/** What the checks need to know of a station besides its metrics: its queue's shape. */
struct QueueShape {
  double dispensers = 1;
  std::optional<int> capacity; // vehicles that may wait; empty = unlimited
};

/** The station slowest to forget its state, and how slow (minutes). */
struct Relaxation {
  std::size_t station = 0;
  double utilization = 0;
  double tau_min = 0;
};

/**
 * The relaxation time of each station as an M/M/c queue of its measured utilisation rho and mean
 * fill time 1/mu: 1 / (c mu (1 - sqrt(rho))^2) (Morse 1955 for M/M/1; the c servers pooled, as in
 * heavy traffic), at most (c + capacity)^2 / (c mu) for a bounded queue (a birth-death chain of
 * N states mixes in O(N^2) steps); the largest over the stations. `window_min` is the measured
 * time. Empty when no station served anyone.
 */
std::optional<Relaxation> slowest_station(const std::vector<RecordValues>& stations,
                                          const std::vector<QueueShape>& shapes, double window_min);

/**
 * Planning rules, in relaxation times, calibrated on bench/coverage.py (docs/statistics.md): below
 * them an interval is warned.
 */
constexpr double horizon_relaxations = 30;   // a replication's quantiles near their limit
constexpr double warmup_relaxations = 2;     // initial bias decays as exp(-t / tau) ...
constexpr double warmup_matters_below = 100; // ... and weighs ~tau / horizon in a time average
constexpr std::size_t fewest_replications = 5;

/** What the intervals of a run rest on. */
struct IntervalBasis {
  std::size_t replications = 0;
  double horizon_days = 0;
  double warmup_days = 0;
  bool automatic_warmup = false;   // the warm-up was chosen from the data (MSER-5)
  std::vector<std::string> labels; // station ids, for the messages
};

/**
 * Warnings on the intervals of ci95 (each names its metric by the pointer "/ci95/totals.PATH"):
 * replications shorter than horizon_relaxations relaxation times of the slowest station, or
 * warmed up for less than warmup_relaxations (when shorter than warmup_matters_below), for the
 * metrics of queues; fewer than
 * fewest_replications replications, for every interval. Each says what would be needed.
 */
std::vector<Warning> interval_warnings(const IntervalBasis& basis,
                                       const std::optional<Relaxation>& slowest,
                                       const std::vector<std::string>& paths);

} // namespace h2sim::report
