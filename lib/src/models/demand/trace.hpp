#pragma once

#include "demand_model.hpp"
#include "trace_row.hpp"

#include <vector>

namespace h2sim::models {

/** Refuelling requests replayed from a CSV file (read, checked and sorted by time when loaded). */
struct TraceParams {
  std::string file;
  std::vector<TraceRow> rows;
};
const params::Table& trace_table();
/** What is legal but probably not meant: rows the run ends before. */
std::vector<Warning> trace_warnings(const ScenarioSpec& scenario);

/** Replays observed refuelling requests: each row is a vehicle arriving at its time. */
class TraceReplay final : public DemandModel {
public:
  TraceReplay(const ScenarioSpec& scenario, Network& network, Seeds seeds);
  void start(Calendar& calendar) override;

private:
  void arrive(std::size_t row);

  /** Whether row `row` is one to replay: there is one, and it arrives before the run's end. */
  bool replayed(std::size_t row) const;

  const TraceParams* spec_;
  const ScenarioSpec* scenario_;
  Network* network_;
  Calendar* calendar_ = nullptr;
  // A row's fill time, when the scenario gives service.fill_time_min, is drawn from a stream of
  // its own, ("trace", the row): what becomes of one row moves no other's (common random numbers).
  Seeds seeds_;
};

} // namespace h2sim::models
