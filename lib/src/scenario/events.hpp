#pragma once

#include "../models/scenario_spec.hpp"

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::scenario {

/** The paths a scheduled event may change, as a list for messages and the reference. */
std::string changeable_during_run();

/**
 * Makes `spec.timeline` from `spec.events`: the scenario after each time at which an event starts
 * or ends, each state read and checked as a file is (`document` is the scenario the events
 * change, overrides applied). At one time, the events that end there are undone first, then those
 * that start are applied, each in file order; the values in force are the file's with the events
 * in force applied in the order they started. A path that a model cannot follow during a run is a
 * problem naming the event; so is a state that would not be a valid scenario.
 */
void build_timeline(const nlohmann::json& document, models::ScenarioSpec& spec,
                    std::vector<Problem>& problems);

/**
 * One warning when events start at or after the latest time the run can end (the warm-up
 * included, an automatic one at its longest): they change nothing. It points at the earliest.
 */
void warn_of_late_events(const models::ScenarioSpec& spec, std::vector<Warning>& warnings);

/**
 * One warning when warmup_days is "auto" and events start or end inside the run: each
 * replication's window starts at its own warm-up, so the events and the series' bins do not line
 * up across replications.
 */
void warn_of_events_under_automatic_warmup(const models::ScenarioSpec& spec,
                                           std::vector<Warning>& warnings);

/**
 * The first change the events make before the run can end (minutes, and its pointer) to the value
 * at `pointer`, a part of it or what holds it; nothing if they make none.
 */
std::optional<std::pair<double, std::string>>
first_change_by_events(const models::ScenarioSpec& spec, const std::string& pointer);

/**
 * One warning for each override (`given[i]` made `spec.changes[i]`) of a value that the events
 * change before the run can end, or of a part of it or what holds it: the override's value holds
 * only until they do (--set open_stations=20 on a build-out ran the plan's stations from its
 * first event on, with no word). At the earliest such change; the override is named without its
 * value, so that the points of a sweep say it alike (and two of one path once).
 */
void warn_of_overrides_the_events_change(const models::ScenarioSpec& spec,
                                         const std::vector<const Override*>& given,
                                         std::vector<Warning>& warnings);

} // namespace h2sim::scenario
