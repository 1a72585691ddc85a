#include "../core/sha256.hpp"
#include "../models/demand/demand_model.hpp"
#include "../models/demand/trace.hpp"
#include "../models/scenario_spec.hpp"
#include "events.hpp"
#include "geographic.hpp"
#include "message.hpp"
#include "overrides.hpp"
#include "parse.hpp"
#include "reader.hpp"
#include "trace_csv.hpp"

#include <h2sim/h2sim.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

namespace h2sim {

using nlohmann::json;

namespace {
/**
 * Every problem in valid UTF-8, whatever it quotes: a --set path may be any bytes, and pointers
 * and hints name its keys (printed raw on stderr, and no str for Python).
 */
std::vector<Problem> in_utf8(std::vector<Problem> problems) {
  for (Problem& problem : problems) {
    problem.pointer = scenario::valid_utf8(problem.pointer);
    problem.message = scenario::valid_utf8(problem.message);
  }
  return problems;
}

/**
 * A station in service at some time whose supply is named "unlimited" never runs short, so its
 * storage changes nothing in the queues (no inventory, no stockouts; economics still prices it):
 * one warning at the first such station in the file, counting the others.
 */
void warn_of_unused_storage(const models::ScenarioSpec& spec, std::vector<Warning>& warnings) {
  const auto in_file = [&](std::size_t s) {
    return s < spec.file_index.size() ? spec.file_index[s] : s;
  };
  std::optional<std::size_t> first; // the first in the file
  std::size_t count = 0;
  for (std::size_t s = 0; s < spec.open_stations(); ++s) {
    const models::StationSpec& station = spec.stations[s];
    if (station.storage && station.supply.name() == "unlimited") {
      ++count;
      if (!first || in_file(s) < in_file(*first)) {
        first = s;
      }
    }
  }
  if (!first) {
    return;
  }
  std::string message =
      "is not drawn from: supply model unlimited never runs short, so no inventory or stockouts "
      "are modelled (economics still prices the storage); for a finite supply choose delivery, "
      "scheduled, pipeline, onsite, or none (the initial fill only)";
  if (count > 1) {
    message +=
        " (so at " + std::to_string(count - 1) + " more station" + (count == 2 ? "" : "s") + ")";
  }
  warnings.push_back({spec.station_pointer(*first) + "/storage", message});
}
} // namespace

ScenarioError::ScenarioError(std::vector<Problem> problems)
    : std::runtime_error(problems.empty() ? "invalid scenario"
                                          : scenario::valid_utf8(problems.front().text())),
      problems_(in_utf8(std::move(problems))) {}

namespace {

/**
 * An unknown key that an override added says which, by the option that gave it (`given[i]` is
 * the override of `changes[i]`): a wildcard adds its key to every item it reaches
 * (stations.*.supply.max_rate_kg_per_h to trailer-supplied stations too), and a selection keeps it
 * to the items that may have it.
 */
void name_added_keys(const std::vector<Change>& changes, const std::vector<const Override*>& given,
                     std::vector<Problem>& problems) {
  std::map<std::string, std::size_t> added; // pointer -> the change that added it
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (changes[i].before.empty()) {
      added.emplace(changes[i].pointer, i);
    }
  }
  std::set<std::string> hinted; // the hint goes with an override's first such key only
  for (Problem& problem : problems) {
    const auto found = added.find(problem.pointer);
    if (found != added.end() && problem.message.rfind("unknown key", 0) == 0) {
      const std::string& set = changes[found->second].set;
      problem.message += "; " + scenario::shown(*given[found->second]) + " added it";
      const std::string& path = given[found->second]->path;
      // A wildcard reaches every item; a [key=value] selection those it picks; [N] is an index.
      const bool every = path.find('*') != std::string::npos;
      bool selects = false;
      for (auto open = path.find('['); open != std::string::npos; open = path.find('[', open + 1)) {
        const auto close = path.find(']', open);
        selects = selects || path.find('=', open) < close;
      }
      // stations/0/dispensers: slashes alone, meant as a JSON pointer (with a '.', '[' or '~' it
      // is no pointer by adding one '/').
      const bool slashes = !path.empty() && path.front() != '/' &&
                           path.find('/') != std::string::npos &&
                           path.find_first_of(".[*~") == std::string::npos;
      if (slashes && hinted.insert(set).second) {
        problem.message +=
            " (a path with / is a JSON pointer when it begins with /: /" + valid_utf8(path) + ")";
      } else if (every && hinted.insert(set).second) {
        problem.message += " (a wildcard adds a key to every item it reaches: pick the items "
                           "that may have it with [key=value], e.g. stations[supply.model=...])";
      } else if (selects && hinted.insert(set).second) {
        problem.message += " (the items [key=value] picked do not take it: a misspelt key, or "
                           "one of another model)";
      }
    }
  }
}

/**
 * Why the value of `override` was taken as a string, where that explains its refusal: it begins
 * with `[` or `{`, so it was clearly meant as JSON, or it is a number out of range (1e309).
 * `--set 'events=[{...'` with a typo inside got "/events: must be an array" and nothing more.
 */
std::optional<std::string> taken_as_string(const Override& override) {
  const std::size_t first = override.value.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return std::nullopt;
  }
  const bool meant_as_json = override.value[first] == '[' || override.value[first] == '{';
  std::vector<Problem> ignored;
  try {
    (void)scenario::parse_json(override.value, "", ignored);
  } catch (const scenario::NotJson& error) {
    if (meant_as_json || error.out_of_range) {
      return error.message;
    }
    // else a plain string, as INTERFACE.md says
  } catch (const scenario::TooDeep&) {
    // refused where it was applied
  }
  return std::nullopt;
}

/**
 * A problem with a value an override set names the override where the user could not tell it
 * from the message alone: a value not JSON is taken as a string (INTERFACE.md), and its refusal
 * says why it is no JSON; a value an option of its own set names that option (`--series hourly`
 * over 1,000 days was refused at /series_bin_days, a key the user never wrote). `given[i]` is the
 * override of `changes[i]`; the last change to a pointer is the value in force.
 */
void name_overrides(const std::vector<Change>& changes, const std::vector<const Override*>& given,
                    std::vector<Problem>& problems) {
  std::map<std::string, std::size_t> last; // pointer -> the last change to it
  for (std::size_t i = 0; i < changes.size(); ++i) {
    last[changes[i].pointer] = i;
  }
  for (Problem& problem : problems) {
    const auto found = last.find(problem.pointer);
    if (found == last.end()) {
      continue;
    }
    const Override& override = *given[found->second];
    if (const std::optional<std::string> why = taken_as_string(override)) {
      problem.message += "; " + scenario::shown(override) + " was taken as a string: " + *why;
    } else if (!override.as_written.empty()) {
      problem.message += "; " + scenario::shown(override) + " set it";
    }
  }
}

} // namespace

Scenario load_scenario(std::string_view json_text, const std::vector<Override>& overrides,
                       const std::string& base_dir) {
  json document;
  std::vector<Problem> problems;
  try {
    document = scenario::parse_json(json_text, "", problems);
  } catch (const scenario::NotJson& error) {
    throw ScenarioError({{"", error.message}});
  } catch (const scenario::TooDeep& error) {
    throw ScenarioError({{error.pointer, scenario::too_deep()}});
  }
  // Every output of h2sim has run.provenance (a run's also begins with its version), which no
  // scenario has: one problem, not an "unknown key" for each of its hundreds of keys.
  if (document.is_object() && (document.contains("h2sim_version") ||
                               (document.contains("run") && document["run"].is_object() &&
                                document["run"].contains("provenance")))) {
    throw ScenarioError({Problem{"", "an h2sim output (a run's metrics, or the result of a sweep, "
                                     "size, site or compare), not a scenario"}});
  }
  std::vector<Change> changes;
  std::vector<Warning> first_warnings; // the overrides', then the coordinates'
  std::vector<const Override*> given;  // of each change: its override
  for (const Override& override : overrides) {
    const std::size_t first = changes.size();
    if (const auto missing = scenario::apply_override(document, override, problems, changes)) {
      first_warnings.push_back(scenario::changed_nothing(override, *missing));
    }
    for (std::size_t i = first; i < changes.size(); ++i) {
      changes[i].set = override.path + "=" + override.value;
      changes[i].written = scenario::shown(override);
    }
    given.resize(changes.size(), &override);
  }
  if (!problems.empty()) {
    throw ScenarioError(std::move(problems));
  }
  scenario::project_coordinates(document, models::scenario_table(), problems, first_warnings);
  auto spec = std::make_shared<models::ScenarioSpec>();
  spec->changes = std::move(changes);
  spec->sha256 = sha256_hex(json_text);
  scenario::read(document, models::scenario_table(), spec.get(), problems);
  if (!problems.empty()) {
    name_added_keys(spec->changes, given, problems);
    name_overrides(spec->changes, given, problems);
    scenario::offer_lat_lon(problems);
    throw ScenarioError(std::move(problems));
  }
  spec->open_named_stations();
  scenario::build_timeline(document, *spec, problems);
  if (!problems.empty()) {
    throw ScenarioError(std::move(problems));
  }
  // A trace's rows come from its file, read (and every bad row reported) before anything runs.
  if (spec->demand.name() == "trace") {
    auto& trace = spec->demand.edit<models::TraceParams>();
    const std::filesystem::path file = std::filesystem::path(base_dir) / trace.file;
    spec->files.push_back(file.string());
    trace.rows = scenario::read_trace(file.string(), spec->stations, "/demand/file", problems, {},
                                      spec->origin);
    if (!problems.empty()) {
      throw ScenarioError(std::move(problems));
    }
  }
  if (const auto& warnings = models::demand_model(spec->demand.name()).warnings) {
    const std::vector<Warning> found = warnings(*spec);
    spec->warnings.insert(spec->warnings.end(), found.begin(), found.end());
  }
  spec->warnings.insert(spec->warnings.begin(), first_warnings.begin(), first_warnings.end());
  warn_of_unused_storage(*spec, spec->warnings);
  scenario::warn_of_late_events(*spec, spec->warnings);
  scenario::warn_of_events_under_automatic_warmup(*spec, spec->warnings);
  scenario::warn_of_overrides_the_events_change(*spec, given, spec->warnings);
  return models::ScenarioAccess::make(std::move(spec));
}

Scenario load_scenario_document(const nlohmann::json& document,
                                const std::vector<Override>& overrides,
                                const std::string& base_dir) {
  // Through its text, so that a document built in code meets every check a file meets (its depth
  // limit included). Invalid UTF-8 in a string is the text's problem: dump() would throw.
  std::string text;
  try {
    text = document.dump();
  } catch (const nlohmann::json::exception& error) {
    throw ScenarioError({{"", std::string("cannot be written as JSON: ") + error.what()}});
  }
  return load_scenario(text, overrides, base_dir);
}

std::string scenario_reference_markdown() {
  return scenario::markdown_reference(models::scenario_table(), "Scenario reference") +
         "\nA distribution is a number (a fixed value) or an object naming its `dist`: `fixed` "
         "(`value`), `exponential` (`mean`), `uniform` (`min`, `max`), `normal` (`mean`, `sd`, "
         "truncated at 0), `lognormal` (`mean`, `sd` of the variable itself), `gamma` (`mean`, "
         "`sd`), `empirical` (`values`, optional `weights`). Its bound applies to the value, the "
         "mean, the bounds and the values; a lognormal or gamma with `sd` > 1000 x `mean` (or a "
         "gamma with `sd` < 0.000001 x `mean`) is refused.\n\n## Scheduled events\n\nAn event "
         "changes values at a time, in the path language of `--set` (wildcards `*`, selection "
         "`[key=value]`, operators `+ - *` ending the path): `{\"at_day\": 10, \"until_day\": "
         "17, \"set\": {\"pipelines[id=P1].capacity_kg_per_h\": 0}}` cuts a pipeline for a "
         "week. Days count from the start of the run, warm-up included. At one time, events "
         "ending are undone first, then those starting apply, in file order (the paths of one "
         "`set` in key order; two events starting at one time that give one value two "
         "values, or whose assignment undoes the other's operator, are warned of); the values "
         "in force are always the file's with the events in "
         "force applied in the order they started, so events that overlap on a value end as "
         "they should whatever their order. The scenario after every change must be valid as a "
         "file is. Only "
         "values that a model follows during a run may change: " +
         scenario::changeable_during_run() +
         ". A pipeline at 0 moves nothing until it is opened again; a depot with fewer "
         "trailers retires them as they come back; a delivery's new payload, reorder point and "
         "lead time apply to orders placed from then on. `open_stations` opens and closes "
         "stations: the metrics list every station open at some time before the run ends (those "
         "open at the start, then the others in the order they open; an event at day 0 sets "
         "those open at the start, so a station it closes was never open and costs nothing); a "
         "station not in service has "
         "no Poisson arrivals, is not chosen by a fleet's drivers (one already driving to it "
         "finds it closed), and sends a trace's vehicles to the nearest station in service; "
         "its storage is kept stocked before it opens. A fleet class's `count` adds vehicles "
         "(the i-th vehicle of a class always has the same random stream, its tank level drawn "
         "over its refuel cycle when it joins) or retires the last ones, each at its next "
         "decision.\n\nGenerated by `h2sim schema "
         "--markdown` from the parameter tables in the models' files.\n";
}

nlohmann::ordered_json scenario_json_schema() {
  nlohmann::ordered_json schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                                {"$id", "https://h2sim.dev/scenario.schema.json"},
                                {"title", "h2sim scenario"}};
  schema.update(scenario::json_schema(models::scenario_table()));
  return schema;
}

} // namespace h2sim
