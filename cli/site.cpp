// `h2sim site`: which stations to open among candidates, so that a target holds with 95%
// confidence (the search is the library's: h2sim/experiments.hpp, docs/siting.md).
#include "common.hpp"

#include <h2sim/experiments.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

namespace h2sim::cli {

namespace {

/** "A,B,C" as ids; an empty item is an error naming `option`. */
std::vector<std::string> id_list(const std::string& option, const std::string& text) {
  std::vector<std::string> ids;
  if (text.empty()) {
    return ids;
  }
  std::istringstream in(text + ",");
  for (std::string id; std::getline(in, id, ',');) {
    if (id.empty()) {
      throw InvalidInput(option + " " + text + ": an empty station id");
    }
    ids.push_back(id);
  }
  return ids;
}

/** `step`'s one-line summary for the log; it took `wall_s`. */
std::string summary(const nlohmann::ordered_json& step, const std::string& metric, double wall_s) {
  std::string change;
  if (!step["removed"].is_null()) {
    change = "swapped " + step["removed"].get<std::string>() + " for " +
             step["added"].get<std::string>();
  } else if (!step["added"].is_null()) {
    change = "added " + step["added"].get<std::string>();
  } else {
    change = step["phase"] == "fixed" ? "the fixed stations"
             : step["phase"] == "add" ? "no candidate does better"
                                      : "no swap helps";
  }
  if (step["metrics"].is_null()) { // nothing open yet, and nothing added
    return fmt::format("step {}: {} (no station draws a vehicle in the window); {} evaluations in "
                       "{:.1f} s",
                       step["step"].get<std::size_t>(), change,
                       step["evaluations"].get<std::size_t>(), wall_s);
  }
  const auto& value = step["metrics"][metric];
  return fmt::format("step {}: {} ({} stations): {} = {:.3g} [{:.3g}, {:.3g}]{}; {} evaluations "
                     "in {:.1f} s",
                     step["step"].get<std::size_t>(), change, step["stations"].get<std::size_t>(),
                     metric, value["mean"].get<double>(), value["ci95"][0].get<double>(),
                     value["ci95"][1].get<double>(), step["holds"].get<bool>() ? ", holds" : "",
                     step["evaluations"].get<std::size_t>(), wall_s);
}

/** "LAT,LON" in degrees, |LAT| <= 80 (an equirectangular plane about a pole is no use). */
LatLon parse_origin(const std::string& text) {
  const std::size_t comma = text.find(',');
  LatLon origin;
  try {
    std::size_t used_lat = 0;
    std::size_t used_lon = 0;
    if (comma != std::string::npos) {
      origin.lat = std::stod(text.substr(0, comma), &used_lat);
      origin.lon = std::stod(text.substr(comma + 1), &used_lon);
    }
    if (comma != std::string::npos && used_lat == comma && used_lon == text.size() - comma - 1 &&
        std::abs(origin.lat) <= 80 && std::abs(origin.lon) <= 180) {
      return origin;
    }
  } catch (const std::exception&) {
  }
  throw InvalidInput("--origin " + text +
                     ": expected LAT,LON in degrees, |LAT| <= 80 and |LON| <= 180, e.g. "
                     "31.23,121.47");
}

} // namespace

int command_site(const RunArgs& given, const SiteArgs& site_args) {
  check_outputs(given, {{"-o", given.out}}, {given.scenario, site_args.candidates_csv});
  SiteSearch search;
  try {
    search.target = parse_size_target(site_args.target);
    check_target_can_hold(search.target);
  } catch (const ExperimentError& e) {
    throw InvalidInput("--target " + site_args.target + ": " + e.what());
  }
  search.minimize = minimized_metric(site_args.minimize);
  search.max_added = site_args.max_stations.value_or(0);
  search.swap_rounds = site_args.swap_rounds;
  search.swap_candidates = site_args.swap_candidates;

  RunArgs args = given;
  if (site_args.candidates.empty() && site_args.candidates_csv.empty()) {
    throw InvalidInput("site needs --candidates, --candidates-csv or both");
  }
  if (!site_args.template_id.empty() && site_args.candidates_csv.empty()) {
    throw InvalidInput("--template: only with --candidates-csv");
  }
  std::optional<LatLon> origin;
  if (!site_args.origin.empty()) {
    if (site_args.candidates_csv.empty()) {
      throw InvalidInput("--origin: only with --candidates-csv");
    }
    origin = parse_origin(site_args.origin);
  }
  // The CSV's sites become stations of the scenario's text, before --set applies.
  std::string text = scenario_text(args.scenario);
  std::vector<std::string> sites;
  if (!site_args.candidates_csv.empty()) {
    const std::vector<std::string> ids = load(args.scenario, {}, false).station_ids(); // valid?
    if (!site_args.template_id.empty() &&
        std::find(ids.begin(), ids.end(), site_args.template_id) == ids.end()) {
      throw InvalidInput("--template: no station " + site_args.template_id + " in the scenario");
    }
    const std::string dir = std::filesystem::path(args.scenario).parent_path().string();
    try {
      CandidateSites added = add_candidate_sites(
          text, site_args.candidates_csv, site_args.template_id, dir.empty() ? "." : dir, origin);
      text = std::move(added.scenario_text);
      sites = std::move(added.ids);
      search.alternatives = std::move(added.alternatives);
    } catch (const ExperimentError& e) {
      throw InvalidInput(std::string("--candidates-csv: ") + e.what());
    }
    spdlog::info("site: {} candidate sites from {}", sites.size(), site_args.candidates_csv);
  }
  const auto load_with = [&](const std::vector<std::string>& sets, bool log_warnings) {
    return load_overrides(args.scenario, text, all_overrides(args, sets), log_warnings);
  };

  const Scenario base = load_with(args.sets, true);
  try {
    check_site_scenario(base);
  } catch (const ExperimentError& e) {
    throw InvalidInput(std::string("site: ") + e.what());
  }
  need_intervals(args, base, "site", "per evaluation");
  // Common random numbers: every evaluation with the same seed (and replications).
  if (!args.seed) {
    args.seed = std::to_string(base.seed());
  }

  const std::vector<std::string> stations = base.station_ids();
  const std::set<std::string> known(stations.begin(), stations.end());
  search.candidates =
      site_args.candidates == "all" ? stations : id_list("--candidates", site_args.candidates);
  std::set<std::string> listed;
  for (const std::string& id : search.candidates) {
    if (known.count(id) == 0) {
      throw InvalidInput("--candidates: no station " + id + " in the scenario");
    }
    if (!listed.insert(id).second) {
      throw InvalidInput("--candidates: " + id + " is listed twice");
    }
  }
  for (const std::string& id : sites) { // after those listed (all: already there)
    if (listed.insert(id).second) {
      search.candidates.push_back(id);
    }
  }
  search.fixed = id_list("--fixed", site_args.fixed);
  std::set<std::string> fixed;
  for (const std::string& id : search.fixed) {
    if (known.count(id) == 0) {
      throw InvalidInput("--fixed: no station " + id + " in the scenario");
    }
    if (listed.count(id) == 0) {
      throw InvalidInput("--fixed: " + id + " is not among the candidates");
    }
    if (!fixed.insert(id).second) {
      throw InvalidInput("--fixed: " + id + " is listed twice");
    }
  }
  const auto check_metric = [&](const std::string& option, const std::string& path) {
    try {
      check_site_metric(base, path, search.fixed);
    } catch (const ExperimentError& e) {
      throw InvalidInput(option + ": " + e.what());
    }
  };
  check_metric("--target " + site_args.target, search.target.metric);
  if (!search.minimize.empty()) {
    check_metric("--minimize " + site_args.minimize, search.minimize);
  }

  const auto scenario_of = [&](const std::vector<std::string>& open, bool log_warnings = false) {
    std::vector<std::string> sets = args.sets;
    sets.push_back("open_stations=" + nlohmann::json(open).dump());
    return load_with(sets, log_warnings);
  };
  try {
    check_site_search(search); // as site() would, so that a dry run refuses what a run would
  } catch (const ExperimentError& e) {
    throw InvalidInput(std::string("site: ") + e.what());
  }
  if (args.dry_run) { // the first step's sets: the fixed stations, or each candidate alone
    std::vector<nlohmann::ordered_json> shown;
    std::vector<Scenario> scenarios;
    const auto add = [&](const std::vector<std::string>& open) {
      shown.push_back({{"open_stations", open}});
      scenarios.push_back(scenario_of(open));
    };
    if (!search.fixed.empty()) {
      add(search.fixed);
    } else {
      for (const std::string& id : search.candidates) {
        add({id});
      }
    }
    emit_dry_run(args, shown, scenarios);
    return exit_ok;
  }

  search.on_step = [&](const nlohmann::ordered_json& step, double wall_s) {
    spdlog::info("site: {}", summary(step, search.target.metric, wall_s));
  };
  const Scenario every = scenario_of(search.candidates); // what each evaluation is like
  spdlog::info("site: {} candidates, {} fixed, target {}, {} replications per evaluation, seed {}",
               search.candidates.size(), search.fixed.size(), search.target.text,
               every.replications(), every.seed());
  nlohmann::ordered_json out;
  try {
    out = site(search, [&](const std::vector<std::vector<std::string>>& sets) {
      std::vector<Scenario> scenarios;
      for (const std::vector<std::string>& open : sets) {
        scenarios.push_back(scenario_of(open));
      }
      return run_points(scenarios, args);
    });
  } catch (const ExperimentError& e) {
    throw InvalidInput(std::string("site: ") + e.what());
  }
  if (!out["target_met"].get<bool>()) {
    spdlog::warn("site: the target does not hold with 95% confidence for the stations chosen");
  }
  // What the run says of the chosen stations' intervals (too short, too few replications).
  for (const auto& warning : out["warnings"]) {
    spdlog::warn("site: for the stations chosen: {}", warning["message"].get<std::string>());
  }
  // The scenario's own warnings for the stations chosen (an event after the run's end, a --set
  // that changed nothing) lead, as in a run's metrics; logged as it loads, each once a command
  // (those of the whole scenario were as it first loaded).
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  if (const auto open = out["open"].get<std::vector<std::string>>(); !open.empty()) {
    const Scenario chosen = scenario_of(open, true);
    for (const Warning& warning : chosen.warnings()) {
      warnings.push_back({{"pointer", warning.pointer}, {"message", warning.message}});
    }
  }
  for (auto& warning : out["warnings"]) {
    warnings.push_back(std::move(warning));
  }
  out["warnings"] = std::move(warnings);
  nlohmann::ordered_json document{{"scenario", every.name()},
                                  {"seed", every.seed()},
                                  {"replications", every.replications()},
                                  {"horizon_days", every.horizon_days()}};
  for (auto& [key, value] : out.items()) {
    document[key] = std::move(value);
  }
  emit(args, std::move(document), "the result");
  return exit_ok;
}

} // namespace h2sim::cli
