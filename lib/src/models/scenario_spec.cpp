#include "scenario_spec.hpp"

#include "../core/limits.hpp"
#include "demand/demand_model.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace h2sim::models {

namespace {
constexpr double max_series_bins = 10000;
} // namespace

std::size_t ScenarioSpec::station_index(const std::string& id) const {
  for (std::size_t i = 0; i < stations.size(); ++i) {
    if (stations[i].id == id) {
      return i;
    }
  }
  throw std::logic_error("no station " + id);
}

double ScenarioSpec::latest_end_min() const {
  const double warmup = warmup_days.automatic ? horizon_days / 2 : warmup_days.value;
  // As the engine computes its window's end (engine/simulation.cpp), to the last bit: (w + h) *
  // 1440 may differ, and a trace row at the end was then replayed, or one before it dropped.
  return warmup * 1440.0 + horizon_days * 1440.0;
}

bool ScenarioSpec::ever_out_of_service(std::size_t station) const {
  return !serves(station) || std::any_of(timeline.begin(), timeline.end(), [&](const Step& step) {
    return !step.state->serves(station);
  });
}

void ScenarioSpec::open_named_stations() {
  if (open.names.empty()) {
    return;
  }
  const std::set<std::string> named(open.names.begin(), open.names.end());
  std::vector<std::size_t> order(stations.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_partition(order.begin(), order.end(),
                        [&](std::size_t i) { return named.count(stations[i].id) > 0; });
  std::vector<StationSpec> reordered;
  reordered.reserve(stations.size());
  for (const std::size_t i : order) {
    reordered.push_back(std::move(stations[i]));
  }
  stations = std::move(reordered);
  file_index = std::move(order);
}

const params::Table& scenario_table() {
  using S = params::Of<ServiceSpec>;
  static const params::Table service = S::table(
      "how fills are timed",
      {S::distribution("fill_time_min", &ServiceSpec::fill_time_min)
           .describe("fill time in minutes, replacing overhead_min + kg / fill_rate_kg_per_min")
           .at_most(limits::minutes)});
  using E = params::Of<EventSpec>;
  static const params::Table event = E::table(
      "a scheduled change: from at_day on (until until_day, when the values before come back), "
      "the values at the paths of `set` are changed, as by --set",
      {E::number("at_day", &EventSpec::at_day)
           .describe("when the change happens, in days from the start of the run (warm-up "
                     "included)")
           .at_least(0)
           .at_most(limits::days),
       E::number("until_day", &EventSpec::until_day)
           .describe("when the values before come back, > at_day (default: never)")
           .above(0)
           .at_most(limits::days),
       E::settings("set", &EventSpec::set)
           .describe("PATH: VALUE, in the path language of --set (`pipelines[id=P1]."
                     "capacity_kg_per_h`: 0); only values a model follows during a run may "
                     "change (see docs/scenario-reference.md, Scheduled events)")},
      {E::rule([](const EventSpec& change, params::Checker& check) {
        if (check.valid("until_day") && check.valid("at_day") && change.until_day &&
            *change.until_day <= change.at_day) {
          check.problem("until_day", "must be > at_day");
        }
      })});
  using G = params::Of<LatLon>;
  static const params::Table origin = G::table(
      "where the scenario's (0, 0) km is on the Earth: with it, every x_km and y_km pair (a "
      "station's, a depot's, an area's) may be given as lat and lon instead, projected onto the "
      "km plane about this point (equirectangular, on a sphere of radius 6371.0088 km: x = R "
      "cos(origin lat) dlon, y = R dlat); east-west distances are true along the origin's "
      "latitude and off by about tan(origin lat) x dlat (radians) elsewhere: 1% 95 km north or "
      "south of 31 N; more than 5% draws a warning",
      {G::number("lat", &LatLon::lat)
           .describe("latitude in degrees (WGS84), north positive")
           .at_least(-80)
           .at_most(80),
       G::number("lon", &LatLon::lon)
           .describe("longitude in degrees (WGS84), east positive")
           .at_least(-180)
           .at_most(180)});
  using F = params::Of<ScenarioSpec>;
  static const params::Table table = F::table(
      "An h2sim scenario: hydrogen refuelling stations and the vehicles that use them.",
      {F::text("name", &ScenarioSpec::name).describe("name of the scenario, copied to the metrics"),
       F::text("description", &ScenarioSpec::description)
           .describe("what the scenario represents and where its figures come from")
           .optional(),
       F::integer("seed", &ScenarioSpec::seed)
           .describe("master seed of every random stream (default 1)")
           .at_least(0)
           .at_most(limits::seed)
           .optional(),
       F::number("horizon_days", &ScenarioSpec::horizon_days)
           .describe("measured simulated days, after the warm-up")
           .at_least(0.001)
           .at_most(limits::days),
       F::number_or_auto("warmup_days", &ScenarioSpec::warmup_days)
           .describe("simulated days before measuring (default 0), or \"auto\": chosen per "
                     "replication from its waits (MSER-5, at most half of horizon_days; the "
                     "metrics report the choice)")
           .at_least(0)
           .at_most(limits::days)
           .optional(),
       F::integer("replications", &ScenarioSpec::replications)
           .describe("independent replications (default 1)")
           .at_least(1)
           .at_most(10000)
           .optional(),
       F::number("series_bin_days", &ScenarioSpec::series_bin_days)
           .describe("width of the bins of the metrics' `series.daily`, in days from the end of "
                     "the warm-up (default 1 for a horizon of at most 400 days, 7 beyond; 0: no "
                     "series); at most 10,000 bins")
           .at_least(0)
           .at_most(limits::days),
       F::count_or_names("open_stations", &ScenarioSpec::open)
           .describe("only the first N stations are open, or only the stations whose ids are "
                     "listed (reported in the order of `stations`); default all")
           .at_least(1)
           .at_most(limits::count)
           .refers("/stations", "id", "station")
           .changes_during_run(),
       F::object("origin", &ScenarioSpec::origin, origin),
       F::list("stations", &ScenarioSpec::stations, station_table())
           .describe("the stations, in build-priority order")
           .items(1)
           .unique_by("id"),
       F::list("pipelines", &ScenarioSpec::pipelines, pipeline_table())
           .describe("pipelines that stations with supply model pipeline draw from")
           .unique_by("id")
           .optional(),
       F::list("depots", &ScenarioSpec::depots, depot_table())
           .describe("depots of tube trailers shared by the stations that order from them")
           .unique_by("id")
           .optional(),
       F::model("demand", &ScenarioSpec::demand, demand_catalog())
           .describe("where vehicles come from"),
       F::object("service", &ScenarioSpec::service, service).optional(),
       F::list("events", &ScenarioSpec::events, event)
           .describe("scheduled changes: outages, new capacities, more trailers")
           .optional(),
       F::object("economics", &ScenarioSpec::economics, economics_table())},
      {F::rule([](const ScenarioSpec& scenario, params::Checker& check) {
        if (check.valid("series_bin_days") && check.valid("horizon_days") &&
            scenario.series_bin_days && *scenario.series_bin_days > 0 &&
            scenario.horizon_days / *scenario.series_bin_days > max_series_bins) {
          check.problem("series_bin_days", "must be >= horizon_days / 10000 (at most 10,000 bins)");
        }
        if (check.valid("open_stations") && scenario.open.count &&
            static_cast<std::size_t>(*scenario.open.count) > scenario.stations.size()) {
          check.problem("open_stations", "must be <= " + std::to_string(scenario.stations.size()) +
                                             ", the number of stations");
        }
        const bool shared = scenario.economics && scenario.economics->station;
        for (std::size_t i = 0; i < scenario.stations.size(); ++i) {
          if (scenario.stations[i].economics && !shared && !check.present("economics/station")) {
            check.problem("stations/" + std::to_string(i) + "/economics",
                          "needs economics.station, the costs it replaces (with lifetime_years)");
          }
        }
      })});
  return table;
}

} // namespace h2sim::models

namespace h2sim {

Scenario::Scenario(std::shared_ptr<const models::ScenarioSpec> spec) : spec_(std::move(spec)) {}
const std::string& Scenario::name() const { return spec_->name; }
std::uint64_t Scenario::seed() const { return spec_->seed; }
int Scenario::replications() const { return spec_->replications; }
double Scenario::horizon_days() const { return spec_->horizon_days; }
double Scenario::warmup_days() const { return spec_->warmup_days.value; }
bool Scenario::automatic_warmup() const { return spec_->warmup_days.automatic; }
std::size_t Scenario::stations() const { return spec_->stations.size(); }
std::size_t Scenario::open_stations() const { return spec_->open_stations(); }
std::size_t Scenario::open_at_start() const {
  std::size_t open = 0;
  for (std::size_t s = 0; s < spec_->open_stations(); ++s) {
    open += spec_->serves(s) ? 1U : 0U;
  }
  return open;
}
std::vector<std::string> Scenario::station_ids() const {
  // Loading moved the named open stations to the front; file_index says where each was.
  std::vector<std::pair<std::size_t, std::string>> placed;
  for (std::size_t i = 0; i < spec_->stations.size(); ++i) {
    placed.emplace_back(i < spec_->file_index.size() ? spec_->file_index[i] : i,
                        spec_->stations[i].id);
  }
  std::sort(placed.begin(), placed.end());
  std::vector<std::string> ids;
  ids.reserve(placed.size());
  for (auto& entry : placed) {
    ids.push_back(std::move(entry.second));
  }
  return ids;
}
const std::vector<Warning>& Scenario::warnings() const { return spec_->warnings; }
const std::vector<Change>& Scenario::changes() const { return spec_->changes; }
const std::string& Scenario::sha256() const { return spec_->sha256; }

const std::vector<std::string>& Scenario::files() const { return spec_->files; }

} // namespace h2sim
