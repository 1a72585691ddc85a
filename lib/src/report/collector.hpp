#pragma once

#include "../core/hour_of_day.hpp"
#include "../core/mser.hpp"
#include "../models/observer.hpp"
#include "../models/scenario_spec.hpp"
#include "fields.hpp"
#include "trust.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace h2sim::report {

/** What the metrics take from a scenario: the report layer reads a ScenarioSpec here only. */
struct Setup {
  Labels labels;
  std::vector<StationTally> stations;     // empty tallies knowing their dispensers and buffer
  std::vector<ClassTally> classes;        // empty tallies knowing their vehicles
  std::vector<models::StationBook> books; // with an economics block: each open station's
  std::vector<QueueShape> queues;         // the open stations' dispensers and queue capacities
};

/** The open stations and the fleet's classes of `scenario`, as the metrics see them. */
Setup setup_of(const models::ScenarioSpec& scenario);

/** A station's window costs (group::economics) from its tally and its book (docs/economics.md). */
void price(StationTally& station, const models::StationBook& book);

/**
 * Tallies what the models report, for the measurement window [window_start, window_end) in
 * minutes. A vehicle belongs to the window when it arrives in it; time averages (utilisation,
 * queue length) integrate exactly over the window.
 */
class Collector final : public models::Observer {
public:
  Collector(const models::ScenarioSpec& scenario, double window_start, double window_end);

  void on_visit(const models::Visit& visit) override;
  void on_give_up(std::size_t vehicle_class, std::size_t vehicle, double at) override;
  void on_trip(const models::Trip& trip) override;
  void on_supply(std::size_t station, const models::SupplyReport& report) override;
  void on_supply_so_far(std::size_t station, const models::SupplyReport& so_far) override;
  void on_availability(std::size_t station, double closed_min, double outage_min) override;

  /** Keeps MSER-5 batches of the served vehicles' waits in the window, for choosing a warm-up. */
  void probe_warmup() { probe_ = true; }
  /** The batches kept (none unless probe_warmup()). */
  const mser::Batcher& warmup_batches() const { return batches_; }

  /** The tallies of the replication, per station and per class. */
  ReplicationTallies tallies() const;
  /** The window and its series bins. */
  const Window& window() const { return window_; }

private:
  /**
   * With scheduled changes of the fleet's class counts, each class's vehicles over the window,
   * time-averaged (refuels per vehicle-day divide by it); else the file's counts, as they are.
   */
  void average_counts(const models::ScenarioSpec& scenario);
  /** Minutes of [from, to) inside the window (inline: it runs for every visit). */
  double overlap(double from, double to) const {
    return std::max(0.0, std::min(to, window_.end) - std::max(from, window_.start));
  }
  /** The bin of a time inside the window (edges as Window::bin_start computes them). */
  std::size_t bin_of(double t) const {
    // t - start >= 0: a signed conversion is one instruction, an unsigned one several.
    auto k =
        static_cast<std::size_t>(static_cast<std::int64_t>((t - window_.start) * per_bin_min_));
    k = std::min(k, window_.bins - 1);
    if (k > 0 && t < edges_[k]) {
      --k; // rounding put t one bin too far
    } else if (k + 1 < window_.bins && t >= edges_[k + 1]) {
      ++k;
    }
    return k;
  }
  /**
   * Adds the minutes of [from, to) inside the window to `member` of the bins they fall in
   * (inline for the common case of one bin: it runs for every visit).
   */
  void spread(std::vector<SeriesBin>& series, double SeriesBin::*member, double from,
              double to) const {
    from = std::max(from, window_.start);
    to = std::min(to, window_.end);
    if (to <= from) {
      return;
    }
    const std::size_t k = bin_of(from);
    if (to <= edges_[k + 1] || k + 1 >= window_.bins) {
      series[k].*member += to - from;
    } else {
      spread_across(series, member, from, to, k);
    }
  }
  /**
   * Adds the minutes of [from, to) inside the window to `hours` by the hour of day they fall in
   * (inline for the common case of one hour: it runs for every visit).
   */
  void spread_hours(std::array<double, hours>& by_hour, double from, double to) const {
    from = std::max(from, window_.start);
    to = std::min(to, window_.end);
    if (to <= from) {
      return;
    }
    std::int64_t hour = 0;
    if (whole_hours(from, hour) && to <= static_cast<double>(hour + 1) * 60.0) {
      by_hour[static_cast<std::size_t>(static_cast<std::uint64_t>(hour) % 24U)] += to - from;
    } else {
      spread_hours_across(by_hour, from, to);
    }
  }
  /** spread_hours() over several hours. */
  static void spread_hours_across(std::array<double, hours>& by_hour, double from, double to);
  /** spread() over several bins, the first k. */
  void spread_across(std::vector<SeriesBin>& series, double SeriesBin::*member, double from,
                     double to, std::size_t k) const;
  /** The supply books of `station` from the last bin edge to this report's time. */
  void close_supply_bin(std::size_t station, const models::SupplyReport& so_far);

  Window window_;
  std::vector<models::StationBook> books_; // with an economics block: each station's prices
  std::vector<StationTally> stations_;
  std::vector<ClassTally> classes_;
  bool probe_ = false;
  mser::Batcher batches_;
  double per_bin_min_ = 0;                          // 1 / bin width
  std::vector<double> edges_;                       // Window::bin_start(k) for k = 0..bins
  StationTally network_;                            // series_wait: the network's waits per bin
  std::vector<models::SupplyReport> supply_so_far_; // per station: the window up to the last
                                                    // bin edge
  std::vector<std::size_t> supply_bins_;            // per station: bins whose supply is closed
  SeriesBin unbinned_; // tallied into, unread, when there are no series
};

} // namespace h2sim::report
