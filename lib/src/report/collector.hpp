#pragma once

#include "../core/mser.hpp"
#include "../models/observer.hpp"
#include "../models/scenario_spec.hpp"
#include "fields.hpp"
#include "trust.hpp"

#include <algorithm>
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
  void on_give_up(std::size_t vehicle_class, double at) override;
  void on_trip(const models::Trip& trip) override;
  void on_supply(std::size_t station, const models::SupplyReport& report) override;
  void on_availability(std::size_t station, double closed_min, double outage_min) override;

  /** Keeps MSER-5 batches of the served vehicles' waits in the window, for choosing a warm-up. */
  void probe_warmup() { probe_ = true; }
  /** The batches kept (none unless probe_warmup()). */
  const mser::Batcher& warmup_batches() const { return batches_; }

  /** The tallies of the replication, per station and per class. */
  ReplicationTallies tallies() const;

private:
  /** Minutes of [from, to) inside the window (inline: it runs for every visit). */
  double overlap(double from, double to) const {
    return std::max(0.0, std::min(to, window_.end) - std::max(from, window_.start));
  }

  Window window_;
  std::vector<models::StationBook> books_;
  std::vector<StationTally> stations_;
  std::vector<ClassTally> classes_;
  bool probe_ = false;
  mser::Batcher batches_;
};

} // namespace h2sim::report
