#include "events.hpp"

#include "message.hpp"
#include "overrides.hpp"
#include "reader.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace h2sim::scenario {

using nlohmann::json;
using params::Field;
using params::Kind;
using params::Table;

namespace {

constexpr double minutes_per_day = 1440.0;

/** Whether JSON pointer `inner` is `outer` or below it. */
bool within(const std::string& inner, const std::string& outer) {
  return inner.compare(0, outer.size(), outer) == 0 &&
         (inner.size() == outer.size() || inner[outer.size()] == '/');
}

/** Whether two values as JSON texts are the same value (0 and 0.0, 10 and 1e1 are). */
bool same_value(const std::string& a, const std::string& b) {
  const json first = json::parse(a, nullptr, false);
  const json second = json::parse(b, nullptr, false);
  return first.is_discarded() || second.is_discarded() ? a == b : first == second;
}

std::string day_text(double day) {
  char text[32];
  std::snprintf(text, sizeof text, "%.12g", day);
  return text;
}

/**
 * What the events starting at one time write, by pointer, to tell two of them that contradict
 * each other, which is legal but rarely meant (a copied event whose day was not changed): one
 * value assigned two values (the file's order decides), or an operator's change (+=, -=, *=)
 * that a later assignment undoes. An operator after either adds up with it.
 */
class SameTimeWrites {
public:
  /** The warning for `event` writing `after` at `pointer` on `day`, if it contradicts one before.
   */
  std::optional<std::string> write(const std::string& pointer, const std::string& after,
                                   std::size_t event, bool assigns, double day) {
    const auto [earlier, first_write] = last_.try_emplace(pointer, Write{after, event, assigns});
    std::optional<std::string> warning;
    if (!first_write && assigns && earlier->second.event != event) {
      const std::string sets = "sets " + pointer + " to " + after + " on day " + day_text(day) +
                               ", when /events/" + std::to_string(earlier->second.event);
      if (!earlier->second.assigned) {
        warning = sets + " changes it by an operator: that change is lost while both are in force";
      } else if (!same_value(earlier->second.after, after)) {
        warning = sets + " sets it to " + earlier->second.after +
                  ": the one later in the file wins while both are in force";
      }
      if (warning && !told_.emplace(earlier->second.event, event).second) {
        warning.reset(); // that pair of events is told of once
      }
    }
    earlier->second = {after, event, assigns};
    return warning;
  }

private:
  struct Write {
    std::string after;
    std::size_t event;
    bool assigned; // by =, not by an operator
  };
  std::map<std::string, Write> last_;
  std::set<std::pair<std::size_t, std::size_t>> told_; // (earlier, later) events told of
};

/** Every field a model follows during a run, as dotted paths with [] for lists. */
void changeable_paths(const Table& table, const std::string& prefix,
                      std::vector<std::string>& out) {
  for (const Field& field : table.fields) {
    const std::string path = prefix + field.key;
    if (field.changeable) {
      out.push_back(path);
    }
    if (field.kind == Kind::object) {
      changeable_paths(*field.table, path + ".", out);
    } else if (field.kind == Kind::list) {
      changeable_paths(*field.table, path + "[].", out);
    } else if (field.kind == Kind::model) {
      for (const auto& [name, model] : field.catalog->models) {
        changeable_paths(*model, path + "(" + name + ").", out);
      }
    }
  }
}

/** The ids of the stations open in `state` (its first open_stations()). */
std::vector<std::string> open_ids(const models::ScenarioSpec& state) {
  std::vector<std::string> ids;
  for (std::size_t s = 0; s < state.open_stations(); ++s) {
    ids.push_back(state.stations[s].id);
  }
  return ids;
}

/** The ids of the stations in service in `state`, as a set. */
std::set<std::string> serving_ids(const models::ScenarioSpec& state) {
  const std::vector<std::string> ids = open_ids(state);
  return {ids.begin(), ids.end()};
}

/** `state`'s stations in the order of `ids` (every id is one of them), then the others. */
void order_stations(models::ScenarioSpec& state, const std::vector<std::string>& ids) {
  std::map<std::string, std::size_t> at;
  for (std::size_t s = 0; s < state.stations.size(); ++s) {
    at.emplace(state.stations[s].id, s);
  }
  std::vector<models::StationSpec> ordered;
  std::vector<std::size_t> file_index;
  ordered.reserve(ids.size());
  for (const std::string& id : ids) {
    const std::size_t s = at.at(id);
    ordered.push_back(std::move(state.stations[s]));
    file_index.push_back(state.file_index.empty() ? s : state.file_index[s]);
  }
  state.stations = std::move(ordered);
  state.file_index = std::move(file_index);
}

/**
 * When events open or close stations, the network is every station open at some time before the run
 * ends: those open at the start, then the others in the order they first open. Every state lists
 * its stations in that order (so a station has one index for the whole run) with the network first,
 * and says which of them are in service. The stations in service at the start are those of a step
 * at time 0 where there is one (it comes before any arrival): a station it closes was never open.
 */
void arrange_network(models::ScenarioSpec& spec) {
  const bool step_at_start = !spec.timeline.empty() && spec.timeline.front().at_min <= 0;
  const models::ScenarioSpec& start = step_at_start ? *spec.timeline.front().state : spec;
  std::vector<std::string> network = open_ids(start);
  const std::set<std::string> at_start(network.begin(), network.end());
  std::set<std::string> seen = at_start;
  bool changes = serving_ids(spec) != at_start;
  // A step at or after the run's end opens nothing the run can see (an automatic warm-up is at
  // most half the horizon, runner/run.cpp).
  const double run_end_min = spec.latest_end_min();
  for (const models::Step& step : spec.timeline) {
    if (step.at_min >= run_end_min) {
      break;
    }
    const std::vector<std::string> open = open_ids(*step.state);
    changes = changes || serving_ids(*step.state) != at_start;
    for (const std::string& id : open) {
      if (seen.insert(id).second) {
        network.push_back(id);
      }
    }
  }
  if (!changes) {
    return;
  }
  std::vector<std::string> order = network;
  for (const models::StationSpec& station : spec.stations) {
    if (seen.count(station.id) == 0) {
      order.push_back(station.id);
    }
  }
  const auto arrange = [&](models::ScenarioSpec& state, const std::set<std::string>& serving) {
    order_stations(state, order);
    state.open = params::CountOrNames{static_cast<long long>(network.size()), {}};
    state.in_service.assign(network.size(), 0);
    for (std::size_t s = 0; s < network.size(); ++s) {
      state.in_service[s] = serving.count(network[s]) != 0 ? 1 : 0;
    }
  };
  arrange(spec, at_start);
  for (models::Step& step : spec.timeline) {
    auto state = std::make_shared<models::ScenarioSpec>(*step.state);
    arrange(*state, serving_ids(*state));
    step.state = std::move(state);
  }
}

} // namespace

std::string changeable_during_run() {
  std::vector<std::string> paths;
  changeable_paths(models::scenario_table(), "", paths);
  std::string list;
  for (const std::string& path : paths) {
    list += (list.empty() ? "" : ", ") + path;
  }
  return list;
}

void build_timeline(const json& document, models::ScenarioSpec& spec,
                    std::vector<Problem>& problems) {
  if (spec.events.empty()) {
    return;
  }
  struct Edge {
    double at_day;
    bool starts;
    std::size_t event;
  };
  std::vector<Edge> edges;
  for (std::size_t e = 0; e < spec.events.size(); ++e) {
    edges.push_back({spec.events[e].at_day, true, e});
    if (spec.events[e].until_day) {
      edges.push_back({*spec.events[e].until_day, false, e});
    }
  }
  std::stable_sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return a.at_day < b.at_day || (a.at_day == b.at_day && !a.starts && b.starts);
  });

  json base = document;
  base.erase("events");
  json current = base;
  // The events in force, in the order they started (at one time, in file order). The values in
  // force are always the file's with these applied in that order: an event that ends takes its
  // changes back even when another, started later and still in force, changed the same value
  // (restoring what it found there at its start would undo the later one's).
  std::vector<std::size_t> active;
  const std::size_t before = problems.size();
  // The scenario the last step read, as read (stations in file order), and the values each event
  // set: a step re-reads what changed since (reread), not the whole scenario.
  std::optional<models::ScenarioSpec> as_read;
  std::vector<std::vector<std::string>> touched(spec.events.size());
  for (std::size_t first = 0; first < edges.size();) {
    std::size_t last = first;
    bool ended = false;
    std::vector<std::string> changed;
    for (; last < edges.size() && edges[last].at_day == edges[first].at_day && !edges[last].starts;
         ++last) {
      active.erase(std::find(active.begin(), active.end(), edges[last].event));
      const std::vector<std::string>& undone = touched[edges[last].event];
      changed.insert(changed.end(), undone.begin(), undone.end());
      ended = true;
    }
    if (ended) {
      // What an event in force set may move with what the ended ones undid (a selection by a
      // value they changed): what it set before and what it sets now are re-read too.
      current = base;
      for (const std::size_t event : active) {
        std::vector<std::string>& writes = touched[event];
        changed.insert(changed.end(), writes.begin(), writes.end());
        for (const auto& [path, value] : spec.events[event].set) {
          std::vector<Change> changes;
          std::vector<Problem> found; // none: it applied when the event started
          apply_override(current, {path, value, ""}, found, changes);
          for (const Change& change : changes) {
            changed.push_back(change.pointer);
            if (std::find(writes.begin(), writes.end(), change.pointer) == writes.end()) {
              writes.push_back(change.pointer);
            }
          }
        }
      }
    }
    SameTimeWrites writes; // of the events starting now
    while (last < edges.size() && edges[last].at_day == edges[first].at_day) {
      const Edge& edge = edges[last++];
      const std::string at = "/events/" + std::to_string(edge.event);
      active.push_back(edge.event);
      for (const auto& [path, value] : spec.events[edge.event].set) {
        std::vector<Change> changes;
        std::vector<Problem> found;
        const Override set{path, value, ""};
        const auto missing = apply_override(current, set, found, changes);
        const std::string pointer = at + "/set/" + escape_pointer(path);
        if (missing && !missing->why.empty()) {
          // A selection that picks nothing: a scenario's events are its own, not a --set that
          // also goes to a scenario without that model. And refused, it may not pick something
          // later, as the events in force are applied again (when one ends) unchecked.
          found.push_back({pointer, shown(set) + ": " + missing->why});
        } else if (missing) {
          spec.warnings.push_back({pointer, changed_nothing(set, *missing).message});
        }
        for (Problem& problem : found) {
          problems.push_back({pointer, problem.message});
        }
        const bool assigns =
            path.empty() || std::string_view("+-*").find(path.back()) == std::string_view::npos;
        for (const Change& change : changes) {
          // (After the run's end events change nothing, as their own warning says.)
          if (edge.at_day * minutes_per_day < spec.latest_end_min()) {
            if (auto warning =
                    writes.write(change.pointer, change.after, edge.event, assigns, edge.at_day)) {
              spec.warnings.push_back({pointer, std::move(*warning)});
            }
          }
          spec.scheduled.emplace_back(edge.at_day * minutes_per_day, change.pointer);
          touched[edge.event].push_back(change.pointer);
          changed.push_back(change.pointer);
          // Looked up where the set put it (a key the file leaves out, open_stations: all, too).
          // One set writes one key, so no model's type on the way to it changed with it.
          const Field* field = field_at(current, models::scenario_table(), change.pointer);
          if (field == nullptr && change.before.empty()) { // a key the set added: misspelt
            problems.push_back({pointer, change.pointer +
                                             " is not a key of the scenario (what can change "
                                             "during a run: " +
                                             changeable_during_run() + ")"});
          } else if (field == nullptr || !field->changeable) { // or a whole item of a list
            problems.push_back({pointer, change.pointer +
                                             " cannot change during a run (what can: " +
                                             changeable_during_run() + ")"});
          }
        }
      }
    }
    if (problems.size() > before) {
      return;
    }
    // The scenario from this time on must be one a file could give.
    std::vector<Problem> found;
    if (!as_read || !reread(current, models::scenario_table(), &*as_read, changed, found) ||
        !found.empty()) {
      // A state with problems is read whole, so that they come as a whole read gives them.
      found.clear();
      as_read.emplace();
      read(current, models::scenario_table(), &*as_read, found);
    }
    // Each problem is the event's whose values it is about: of those starting now, the last
    // applied that wrote it (it made the value what it is); else of those ending now, the last;
    // else the first of the day (a rule across fields).
    const auto of_event = [&](const std::string& pointer) {
      std::optional<std::size_t> ending;
      std::optional<std::size_t> started;
      for (std::size_t k = first; k < last; ++k) { // the ends first, then starts in file order
        const std::vector<std::string>& wrote = touched[edges[k].event];
        if (std::any_of(wrote.begin(), wrote.end(), [&](const std::string& w) {
              return within(pointer, w) || within(w, pointer);
            })) {
          (edges[k].starts ? started : ending) = edges[k].event;
        }
      }
      return started.value_or(ending.value_or(edges[first].event));
    };
    for (const Problem& problem : found) {
      problems.push_back({"/events/" + std::to_string(of_event(problem.pointer)),
                          "on day " + day_text(edges[first].at_day) + ", " + problem.pointer +
                              ": " + problem.message});
    }
    if (!found.empty()) {
      return;
    }
    auto state = std::make_shared<models::ScenarioSpec>(*as_read);
    state->open_named_stations();
    spec.timeline.push_back({edges[first].at_day * minutes_per_day, std::move(state)});
    first = last;
  }
  arrange_network(spec);
}

void warn_of_late_events(const models::ScenarioSpec& spec, std::vector<Warning>& warnings) {
  const double end_day = spec.latest_end_min() / minutes_per_day;
  std::optional<std::size_t> earliest;
  std::size_t late = 0;
  for (std::size_t e = 0; e < spec.events.size(); ++e) {
    if (spec.events[e].at_day * minutes_per_day >= spec.latest_end_min()) {
      ++late;
      if (!earliest || spec.events[e].at_day < spec.events[*earliest].at_day) {
        earliest = e;
      }
    }
  }
  if (!earliest) {
    return;
  }
  std::string message = "starts on day " + day_text(spec.events[*earliest].at_day) +
                        ", when the run has ended (by day " + day_text(end_day) +
                        ", warm-up included): it changes nothing";
  if (late > 1) {
    message += late == 2 ? " (nor does 1 more event, which starts then or later)"
                         : " (nor do " + std::to_string(late - 1) +
                               " more events, which start then or later)";
  }
  warnings.push_back({"/events/" + std::to_string(*earliest) + "/at_day", message});
}

void warn_of_events_under_automatic_warmup(const models::ScenarioSpec& spec,
                                           std::vector<Warning>& warnings) {
  if (!spec.warmup_days.automatic) {
    return;
  }
  // Only a change inside the run falls at a different point of each window: one at day 0 is in
  // force from the start of every replication, one at the end or later changes nothing.
  const auto inside = [&](double day) {
    return day > 0 && day * minutes_per_day < spec.latest_end_min();
  };
  if (std::none_of(spec.events.begin(), spec.events.end(), [&](const models::EventSpec& event) {
        return inside(event.at_day) || (event.until_day && inside(*event.until_day));
      })) {
    return;
  }
  warnings.push_back(
      {"/warmup_days",
       "\"auto\" with scheduled events: each replication measures from the warm-up it chooses, "
       "so an event falls at a different point of each one's window, and the series combine bins "
       "of different days (series.daily.day gives the earliest); give warmup_days a number for "
       "the events to line up"});
}

std::optional<std::pair<double, std::string>>
first_change_by_events(const models::ScenarioSpec& spec, const std::string& pointer) {
  std::optional<std::pair<double, std::string>> first;
  for (const auto& [at_min, changed] : spec.scheduled) {
    if (at_min < spec.latest_end_min() && (!first || at_min < first->first) &&
        (within(changed, pointer) || within(pointer, changed))) {
      first = {at_min, changed};
    }
  }
  return first;
}

void warn_of_overrides_the_events_change(const models::ScenarioSpec& spec,
                                         const std::vector<const Override*>& given,
                                         std::vector<Warning>& warnings) {
  // By the override as named (its option and path: a sweep's points alike), its earliest change.
  std::vector<std::pair<std::string, std::pair<double, std::string>>> first; // in set order
  for (std::size_t i = 0; i < spec.changes.size() && i < given.size(); ++i) {
    const Override& override = *given[i];
    const auto change = first_change_by_events(spec, spec.changes[i].pointer);
    if (!change) {
      continue;
    }
    const std::string name =
        !override.as_written.empty()
            ? valid_utf8(override.as_written)
            : (override.option.empty() ? "" : override.option + " ") + valid_utf8(override.path);
    const auto found = std::find_if(first.begin(), first.end(),
                                    [&](const auto& entry) { return entry.first == name; });
    if (found == first.end()) {
      first.emplace_back(name, *change);
    } else if (change->first < found->second.first) {
      found->second = *change;
    }
  }
  for (const auto& [name, change] : first) {
    warnings.push_back({change.second, name + ": the scenario's events change " + change.second +
                                           " from day " + day_text(change.first / minutes_per_day) +
                                           ": its value does not hold while they are in force"});
  }
}

} // namespace h2sim::scenario
