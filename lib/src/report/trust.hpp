#pragma once

// When an interval cannot be trusted: the checks behind the metrics document's interval warnings.

#include "fields.hpp"

#include <h2sim/scenario.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::report {

/** A count as a warning writes it: whole, else (a mean over replications) to one decimal. */
std::string count_text(double value);

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
  std::size_t overloaded = 0; // stations whose relaxation time is infinite, this one among them
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

/** The adjusted Fisher-Pearson skewness G1 of `values` (3 or more); 0 when they do not vary. */
double skewness(const std::vector<double>& values);
/** The standard error of G1 for n values from a normal distribution (n >= 3). */
double skewness_standard_error(std::size_t n);
/**
 * Cochran's rule (Cochran 1977, "Sampling Techniques", 3rd ed., section 2.15): the mean of n
 * values of skewness G1 is near enough normal for a 95% interval when n > 25 G1^2.
 */
std::size_t replications_for_skewness(double g1);
/**
 * Skewness beyond this many standard errors warns (a two-sided 1% test): at 2 (5%) the check
 * warned on some metric in 13 of 30 well-behaved runs of 5 replications. No 5 values reach it
 * (|G1| <= sqrt(n)); from 6 replications on it can.
 */
constexpr double skewness_alarm = 2.576;

/** A lag-1 autocorrelation pooled over runs, and the number of pairs it rests on. */
struct Autocorrelation {
  double lag1 = 0;
  std::size_t pairs = 0;
};
/**
 * The lag-1 autocorrelation of each run's successive values (batch means) about the run's own
 * mean, pooled: sum over runs of sum_k (y_k - m)(y_(k+1) - m) over sum of sum_k (y_k - m)^2.
 */
Autocorrelation lag1_autocorrelation(const std::vector<std::vector<double>>& runs);
/**
 * The relaxation time tau (minutes) of a process whose autocorrelation decays as exp(-t / tau)
 * and whose means over batches of `batch_min` have lag-1 autocorrelation r: the x = batch / tau
 * that solves r = (1 - e^-x)^2 / (2 (x - 1 + e^-x)). Empty unless r is significantly positive
 * (above 2 / sqrt(pairs)) and below 1.
 */
std::optional<double> relaxation_from_batches(const Autocorrelation& r, double batch_min);

/** Mean waits of successive batches of each run, each batch `days` long. */
struct WaitBatches {
  std::vector<std::vector<double>> runs;
  double days = 1;
};
/**
 * Batches of about a day from each run's series bins of `bin_days` (each bin's mean wait and the
 * number served): bins shorter than a day pooled, weighted by those served, into groups of
 * round(1 / bin_days) bins (whole days where the width divides a day; an incomplete last group
 * dropped), since the hours of a day are alike by the demand's daily profile, not by the queues'
 * memory; a day's bins or longer ones as they are. `days` is rounded to a whole number within
 * 1e-9 of one (bin edges computed in floating point).
 */
WaitBatches wait_batches(const std::vector<std::vector<double>>& means,
                         const std::vector<std::vector<double>>& served, double bin_days);

/** What the intervals of a run rest on. */
struct IntervalBasis {
  std::size_t replications = 0;
  double horizon_days = 0;
  double warmup_days = 0;
  bool automatic_warmup = false;   // the warm-up was chosen from the data (MSER-5)
  std::vector<std::string> labels; // station ids, for the messages
};

/** What the replications' own values show. */
struct Evidence {
  /** The relaxation time the data show (relaxation_from_batches of daily mean waits), minutes. */
  std::optional<double> measured_tau_min;
  Autocorrelation daily_waits; // what measured_tau_min rests on: mean waits of successive batches
  double batch_days = 1;       // of batch_days each (a day, or a series bin when longer)
  /** Each path's per-replication values (paths without are not checked for skewness). */
  std::vector<std::pair<std::string, std::vector<double>>> values;
};

/**
 * Warnings on the intervals of ci95 (each names its metric by the pointer "/ci95/totals.PATH"):
 * replications shorter than horizon_relaxations relaxation times of the slowest station (by the
 * M/M/c formula, or by the relaxation time the data show when that is longer), or warmed up for
 * less than warmup_relaxations (when shorter than warmup_matters_below), for the metrics of
 * queues; fewer than fewest_replications replications, for every interval; per-replication
 * values skewed beyond skewness_alarm standard errors of G1 under normality (with
 * fewest_replications or more, and fewer than replications_for_skewness asks for), for that
 * metric. Each says what would be needed.
 */
/**
 * Warnings on quantile intervals (PATH ending in .pNN) narrower than the quantile sketches resolve
 * a quantile (twice QuantileSketch::default_accuracy of the interval's middle): over long
 * replications their quantiles may all fall in one bucket, and the interval shrinks to a point
 * that a size or site decision would take at its word. `intervals` as Aggregate::intervals().
 */
std::vector<Warning> unresolved_quantiles(
    const std::vector<std::pair<std::string, std::pair<double, double>>>& intervals);

std::vector<Warning> interval_warnings(const IntervalBasis& basis,
                                       const std::optional<Relaxation>& slowest,
                                       const std::vector<std::string>& paths,
                                       const Evidence& evidence = {});

/**
 * Replications that served nobody, or dispensed nothing, have no wait or no cost per kg to
 * measure; their `wait_min` and `economics.cost_per_kg` are 0 by convention, and the means over
 * replications take those zeros in (10,000 replications of 14 minutes, 911 serving nobody: a mean
 * wait of 2.02 where those served waited 2.22 on average; 3 of 6 dispensing nothing: a cost per kg
 * of 4.35 below every replication's that dispensed). A warning at /totals/wait_min and one at
 * /totals/economics/cost_per_kg (when the metrics have costs) say in how many replications, from
 * the per-replication `served` and `dispensed_kg` of `evidence` (none with fewer than 2).
 */
std::vector<Warning> conventional_zero_warnings(const Evidence& evidence);
/**
 * The same for stations, in one warning at /stations: those that served nobody in some of the
 * `replications` (`unserved[i]` of them; with costs, `undispensed[i]` serving nobody or
 * dispensing nothing), named by `labels`, the first few with their counts ("every" for all). None
 * with fewer than 2 replications or 2 stations (one station's figures are the totals'), or where
 * every station served and dispensed in every replication.
 */
std::optional<Warning> station_zero_warning(const std::vector<std::uint32_t>& unserved,
                                            const std::vector<std::uint32_t>& undispensed,
                                            std::size_t replications,
                                            const std::vector<std::string>& labels,
                                            bool with_costs);

/**
 * One replication has no interval to warn about, yet a station offered at least as many fills as
 * its dispensers can do (`slowest` with an infinite relaxation time) makes its waits grow with the
 * horizon: a warning at /stations/I saying so (and how many others are), else none.
 */
std::optional<Warning> overload_warning(const std::optional<Relaxation>& slowest,
                                        const std::vector<std::string>& labels);

/**
 * A bounded queue hides an overload: offered more fills than its dispensers can do, a station
 * with a `queue_capacity` settles with its queue full and turns the excess away, so its relaxation
 * time is short and overload_warning says nothing. The offered load is the visits that reached
 * its queue (arrivals less those that found it closed or could not be promised a fill) times
 * their mean fill (time in system less wait), per dispenser-minute of the window. A warning at
 * /stations/I for the bounded-queue station offered most, when that is 1 or more (the number of
 * others so offered said), else none. With 2 or more `replications` the counts are their means.
 * With a `fleet`, a driver turned away comes back, each visit counted: the message says that the
 * vehicles' demand is lower than the visits'.
 */
std::optional<Warning> full_queue_warning(const std::vector<RecordValues>& stations,
                                          const std::vector<QueueShape>& shapes, double window_min,
                                          const std::vector<std::string>& labels,
                                          std::size_t replications, bool fleet = false);

} // namespace h2sim::report
