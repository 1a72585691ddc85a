#pragma once

#include "../core/distribution.hpp"
#include "../core/params.hpp"
#include "economics.hpp"
#include "station.hpp"
#include "supply/pipeline_spec.hpp"
#include "supply/trailer_depot.hpp"

#include <h2sim/scenario.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace h2sim::models {

/** How fills are timed: a drawn fill time replaces overhead + kg / rate (for validation). */
struct ServiceSpec {
  std::optional<Distribution> fill_time_min;
};

/**
 * A scheduled change (`events[]`): from `at_day` (and until `until_day`, when the values before
 * come back) the scenario's values at the paths of `set` are changed, in the language of --set.
 */
struct EventSpec {
  double at_day = 0;
  std::optional<double> until_day;
  params::Settings set;
};

struct ScenarioSpec;

/** The scenario from a time on (minutes from the start of the run, warm-up included). */
struct Step {
  double at_min = 0;
  std::shared_ptr<const ScenarioSpec> state;
};

/** A whole scenario as the models see it: read from a file, checked, with the models' parameters.
 */
struct ScenarioSpec {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  double horizon_days = 0;
  params::NumberOrAuto warmup_days; // chosen per replication from the data when automatic
  int replications = 1;
  std::optional<double> series_bin_days; // `series_bin_days`; absent: see bin_days()
  /**
   * `open_stations`: the first N stations are open, or the stations named; none: all. Once loaded,
   * the open stations are the first open_stations() of `stations` (see open_named_stations).
   */
  params::CountOrNames open;
  /** `origin`: where (0, 0) km is, when places are given as lat and lon (projected on loading). */
  std::optional<LatLon> origin;
  std::vector<StationSpec> stations; // in build-priority order
  std::vector<PipelineSpec> pipelines;
  std::vector<DepotSpec> depots;
  params::Model demand;
  ServiceSpec service;
  std::vector<EventSpec> events;
  std::optional<EconomicsSpec> economics; // absent: no economics in the metrics
  /**
   * What the events make of the scenario, in time order: from each step's time on, the models
   * follow its state (only in the fields declared changes_during_run). Empty without events.
   */
  std::vector<Step> timeline;
  /** What the events change: each change's minute from the run's start, and its JSON pointer. */
  std::vector<std::pair<double, std::string>> scheduled;
  /** The latest the run can end, in minutes: an automatic warm-up is at most half the horizon. */
  double latest_end_min() const;
  std::vector<Warning> warnings;  // found when loading; copied to the metrics
  std::vector<Change> changes;    // what the overrides changed
  std::string sha256;             // of the text it was read from (before overrides)
  std::vector<std::string> files; // the other files it read (its trace), as opened

  /** Width of the metrics' series bins in days: the file's, else 1 up to 400 days, else 7. */
  double bin_days() const {
    return series_bin_days ? *series_bin_days : horizon_days <= 400 ? 1.0 : 7.0;
  }

  std::size_t open_stations() const {
    return open.count           ? static_cast<std::size_t>(*open.count)
           : open.names.empty() ? stations.size()
                                : open.names.size();
  }
  /**
   * Moves the stations `open` names to the front, keeping the file's order among the open and
   * among the closed, so that the open stations are the first open_stations().
   */
  void open_named_stations();
  /** The JSON pointer of station `index` in the file it was read from. */
  std::string station_pointer(std::size_t index) const {
    return "/stations/" + std::to_string(index < file_index.size() ? file_index[index] : index);
  }
  std::vector<std::size_t> file_index; // each station's index in the file, once reordered
  /**
   * With events that open or close stations: the network is every station open at some time of
   * the run (the first open_stations()), and this says which of them are in service in this state
   * (see scenario::build_timeline). Empty: every one.
   */
  std::vector<char> in_service;
  bool serves(std::size_t station) const { return in_service.empty() || in_service[station] != 0; }
  /**
   * Whether station `station` (of the network) is out of service at some time: at the start or
   * from a step of the timeline on (a scheduled open_stations). Every station of the network is
   * in service at some time, so some station is ever out of service exactly when the stations in
   * service change during the run.
   */
  bool ever_out_of_service(std::size_t station) const;
  /** The index of the station with id `id` (it must exist: references are checked on loading). */
  std::size_t station_index(const std::string& id) const;
};

/** The parameters of a whole scenario file. */
const params::Table& scenario_table();

/**
 * The library's way into a Scenario: only the loader makes one (from a spec it has checked), and
 * only the library reads its spec.
 */
struct ScenarioAccess {
  static Scenario make(std::shared_ptr<const ScenarioSpec> spec) {
    return Scenario(std::move(spec));
  }
  static const ScenarioSpec& spec(const Scenario& scenario) { return *scenario.spec_; }
};

/** The spec of a loaded scenario. */
inline const ScenarioSpec& spec_of(const Scenario& scenario) {
  return ScenarioAccess::spec(scenario);
}

} // namespace h2sim::models
