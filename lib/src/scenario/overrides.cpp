#include "overrides.hpp"

#include "../models/scenario_spec.hpp"
#include "message.hpp"
#include "parse.hpp"
#include "reader.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace h2sim::scenario {

using nlohmann::json;

namespace {

/** One step of a path: a key (or index), every item of an array, or the items matching a key. */
struct Step {
  enum class Kind { name, all, select } kind = Kind::name;
  std::string name;  // name: the key or index; select: the key compared
  std::string value; // select: the value it must have
};

/** The steps of a dotted path or a JSON pointer; nothing if the path is malformed. */
std::optional<std::vector<Step>> parse_path(const std::string& path) {
  std::vector<Step> steps;
  if (path.empty()) {
    return steps;
  }
  if (path.front() == '/') {
    std::size_t from = 1;
    for (;;) {
      const std::size_t slash = path.find('/', from);
      std::string token =
          path.substr(from, slash == std::string::npos ? std::string::npos : slash - from);
      std::string unescaped;
      for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() &&
            (token[i + 1] == '0' || token[i + 1] == '1')) {
          unescaped += token[++i] == '0' ? '~' : '/';
        } else if (token[i] == '~') {
          return std::nullopt;
        } else {
          unescaped += token[i];
        }
      }
      steps.push_back(unescaped == "*" ? Step{Step::Kind::all, {}, {}}
                                       : Step{Step::Kind::name, unescaped, {}});
      if (slash == std::string::npos) {
        return steps;
      }
      from = slash + 1;
    }
  }
  std::size_t i = 0;
  while (i <= path.size()) {
    std::string name;
    while (i < path.size() && path[i] != '.' && path[i] != '[') {
      name += path[i++];
    }
    if (name == "*") {
      steps.push_back({Step::Kind::all, {}, {}});
    } else if (!name.empty()) {
      steps.push_back({Step::Kind::name, name, {}});
    }
    while (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      // [N] is an index, as .N is (stations[0].dispensers, as Python and JavaScript write it).
      if (close != std::string::npos && close > i + 1 &&
          std::all_of(path.begin() + static_cast<std::ptrdiff_t>(i + 1),
                      path.begin() + static_cast<std::ptrdiff_t>(close),
                      [](char c) { return c >= '0' && c <= '9'; })) {
        steps.push_back({Step::Kind::name, path.substr(i + 1, close - i - 1), {}});
        i = close + 1;
        continue;
      }
      const std::size_t equals = path.find('=', i);
      if (close == std::string::npos || equals == std::string::npos || equals > close ||
          equals == i + 1) {
        return std::nullopt;
      }
      steps.push_back({Step::Kind::select, path.substr(i + 1, equals - i - 1),
                       path.substr(equals + 1, close - equals - 1)});
      i = close + 1;
    }
    if (i < path.size() && path[i] != '.') {
      return std::nullopt;
    }
    if (name.empty() && (i >= path.size() || path[i] == '.') &&
        (steps.empty() || steps.back().kind != Step::Kind::select)) {
      return std::nullopt; // an empty segment: "a..b", ".a", "a."
    }
    if (i >= path.size()) {
      break;
    }
    ++i;
    if (i == path.size()) {
      return std::nullopt;
    }
  }
  return steps;
}

/** The words a scenario's paths may use, from its tables and its JSON Schema. */
struct Vocabulary {
  std::set<std::string> containers; // keys of fields that hold values: objects, lists, models
  std::set<std::string> fields;     // keys of every field, and the catalogs' tags ("model")
  std::set<std::string> tags;       // the catalogs' tags
  std::set<std::string> models;     // the catalogs' model names
  std::set<std::string> properties; // every property of the JSON Schema: distributions' too
};

void add_fields(const params::Table& table, Vocabulary& words,
                std::set<const params::Table*>& seen) {
  if (!seen.insert(&table).second) {
    return;
  }
  for (const params::Field& field : table.fields) {
    words.fields.insert(field.key);
    // Only what a path goes through: a pipeline supply's text `pipeline` is no container, so
    // pipeline.*.capacity_kg_per_h (for pipelines) stays a typo.
    if (field.kind == params::Kind::object || field.kind == params::Kind::list ||
        field.kind == params::Kind::model || field.kind == params::Kind::distribution ||
        field.kind == params::Kind::settings) {
      words.containers.insert(field.key);
    }
    if (field.table != nullptr) {
      add_fields(*field.table, words, seen);
    }
    if (field.catalog != nullptr) {
      words.fields.insert(field.catalog->tag);
      words.tags.insert(field.catalog->tag);
      for (const auto& [name, model] : field.catalog->models) {
        words.models.insert(name);
        add_fields(*model, words, seen);
      }
    }
  }
}

void add_property_names(const nlohmann::ordered_json& schema, std::set<std::string>& keys) {
  if (schema.is_object()) {
    if (const auto properties = schema.find("properties");
        properties != schema.end() && properties->is_object()) {
      for (const auto& [key, property] : properties->items()) {
        keys.insert(key);
      }
    }
  }
  if (schema.is_object() || schema.is_array()) {
    for (const auto& item : schema) {
      add_property_names(item, keys);
    }
  }
}

const Vocabulary& vocabulary() {
  static const Vocabulary words = [] {
    Vocabulary built;
    std::set<const params::Table*> seen;
    add_fields(models::scenario_table(), built, seen);
    add_property_names(json_schema(models::scenario_table()), built.properties);
    return built;
  }();
  return words;
}

/**
 * Every key of a value holding others that a scenario may have somewhere (under some model): a
 * path through a key not among them has a typo.
 */
bool declared_key(const std::string& key) { return vocabulary().containers.count(key) > 0; }

/**
 * Whether some scenario may hold `key` somewhere: a property of the scenario's JSON Schema (of a
 * model or a distribution too). A key no scenario may hold is a typo (stations.*.dispenser+=1).
 */
bool key_of_some_scenario(const std::string& key) { return vocabulary().properties.count(key) > 0; }

/**
 * Whether a selection [key=value] that picks no item may be a model this scenario does not use
 * (stations[supply.model=pipeline]), to be passed over with a warning: every key of its path is
 * one the scenario's tables declare, and a model's tag names a model. Else it has a typo
 * ([dispenserz=2], [supply.model=pipline]), refused.
 */
bool may_select(const Step& step) {
  const Vocabulary& words = vocabulary();
  std::size_t from = 0;
  std::string key;
  for (;;) {
    const std::size_t dot = step.name.find('.', from);
    key = step.name.substr(from, dot == std::string::npos ? dot : dot - from);
    if (words.fields.count(key) == 0) {
      return false;
    }
    if (dot == std::string::npos) {
      break;
    }
    from = dot + 1;
  }
  return words.tags.count(key) == 0 || words.models.count(step.value) != 0;
}

/**
 * Whether the scenario's tables declare the value at `pointer` an integer (or a count): the field
 * itself, not an item of it (open_stations/0 is a station's name).
 */
bool takes_integer(const json& document, const std::string& pointer) {
  const params::Field* field = field_at(document, models::scenario_table(), pointer);
  const std::vector<std::string> tokens = pointer_tokens(pointer);
  return field != nullptr && !tokens.empty() && tokens.back() == field->key &&
         (field->kind == params::Kind::integer || field->kind == params::Kind::count_or_names);
}

/** Whole doubles below this in magnitude convert exactly (std::llround): 2^63. */
constexpr double below_2_to_63 = 0x1p63;

/** What a path may be, for messages about one that is not. */
constexpr const char* path_language =
    "a path is dotted keys and indexes, stations.0.dispensers or stations[0].dispensers, with * "
    "for every item and [key=value] to pick items, stations[id=S1].dispensers; or a JSON "
    "pointer, /stations/0/dispensers";

bool is_index(const std::string& token) {
  return !token.empty() && token.size() < 10 &&
         std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/** Whether `item` has `step.value` at `step.name`: a key, or a dotted path (supply.model). */
bool matches(const json& item, const Step& step) {
  const json* have = &item;
  std::size_t from = 0;
  for (;;) {
    const std::size_t dot = step.name.find('.', from);
    const std::string key = step.name.substr(from, dot == std::string::npos ? dot : dot - from);
    if (!have->is_object() || !have->contains(key)) {
      return false;
    }
    have = &(*have)[key];
    if (dot == std::string::npos) {
      break;
    }
    from = dot + 1;
  }
  if (have->is_string()) {
    return have->get<std::string>() == step.value;
  }
  if (have->is_number()) { // [dispensers=2.0] picks a station with 2
    const json wanted = json::parse(step.value, nullptr, false);
    return wanted.is_number() && wanted.get<double>() == have->get<double>();
  }
  return have->dump() == step.value;
}

/** A place to change: the container and, for a key or index, which member. */
struct Target {
  json* container;
  std::string pointer; // of the container
  std::optional<std::string> member;
};

/** `value` x factor, for a number or a distribution object (its scale parameters). */
std::optional<json> scaled(const json& value, double factor) {
  if (value.is_number()) {
    return value.get<double>() * factor;
  }
  if (!value.is_object() || !value.contains("dist")) {
    return std::nullopt;
  }
  json out = value;
  for (const char* key : {"value", "mean", "sd", "min", "max"}) {
    if (out.contains(key) && out[key].is_number()) {
      out[key] = out[key].get<double>() * factor;
    }
  }
  if (out.contains("values") && out["values"].is_array()) {
    for (json& item : out["values"]) {
      if (item.is_number()) {
        item = item.get<double>() * factor;
      }
    }
  }
  return out;
}

} // namespace

std::string shown(const Override& override) {
  if (!override.as_written.empty()) {
    return valid_utf8(override.as_written);
  }
  // The value is quoted briefly (it may be any size); the path may be any bytes, the message is
  // UTF-8.
  return (override.option.empty() ? "" : override.option + " ") + valid_utf8(override.path) + "=" +
         brief_text(override.value);
}

Warning changed_nothing(const Override& override, const Unchanged& unchanged) {
  // The pointer names a key of the path, which may be any bytes: the warning is UTF-8, as a
  // ScenarioError's problems are.
  return {valid_utf8(unchanged.pointer),
          shown(override) + " changed nothing: " +
              (unchanged.why.empty() ? "no item it selects has this key (misspelt, or of a model "
                                       "the scenario does not use)"
                                     : valid_utf8(unchanged.why))};
}

std::optional<Unchanged> apply_override(json& document, const Override& override,
                                        std::vector<Problem>& problems,
                                        std::vector<Change>& changes) {
  const std::string where = shown(override);
  const std::size_t changes_before = changes.size();
  std::string path = override.path;
  char op = '=';
  if (path.size() > 1 && (path.back() == '+' || path.back() == '-' || path.back() == '*') &&
      path[path.size() - 2] != '.' && path[path.size() - 2] != '/') {
    op = path.back();
    path.pop_back();
  }
  const auto steps = parse_path(path);
  // Where the value goes, for messages about the value itself ("*" and "[k=v]" as written).
  std::string at;
  for (const Step& step : steps.value_or(std::vector<Step>{})) {
    at += "/" + (step.kind == Step::Kind::name  ? escape_pointer(step.name)
                 : step.kind == Step::Kind::all ? std::string("*")
                                                : "[" + step.name + "=" + step.value + "]");
  }
  json value;
  std::optional<NotJson> not_json; // why the value was taken as a string
  try {
    value = parse_json(override.value, at, problems);
  } catch (const NotJson& error) {
    value = override.value; // not JSON (or a number out of range): taken as a string
    not_json = error;
  } catch (const TooDeep& error) {
    problems.push_back({error.pointer, where + ": " + too_deep()});
    return std::nullopt;
  }
  try {
    (void)value.dump();
  } catch (const json::type_error&) {
    problems.push_back({"", where + ": not valid UTF-8", true});
    return std::nullopt;
  }
  if (op != '=' && !value.is_number()) {
    // 1e309 is no number to the parser: say so rather than leave "needs a number" a puzzle.
    const bool out_of_range = not_json && not_json->out_of_range;
    // The path is named where it is a pointer: `*` and `[k=v]` are no pointer's tokens.
    const bool names_only =
        steps && std::all_of(steps->begin(), steps->end(),
                             [](const Step& step) { return step.kind == Step::Kind::name; });
    problems.push_back({names_only ? at : "",
                        where + ": " + std::string(1, op) + "= needs a number" +
                            (out_of_range ? " (" + not_json->message + ")" : ""),
                        true});
    return std::nullopt;
  }
  if (!steps) {
    problems.push_back({"", where + ": bad path (" + path_language + ")", true});
    return std::nullopt;
  }
  if (steps->empty()) {
    problems.push_back({"", where + ": cannot replace the whole scenario", true});
    return std::nullopt;
  }
  // Walk every step but the last: each node reached, with its pointer.
  std::vector<std::pair<json*, std::string>> nodes{{&document, ""}};
  const bool wildcard = std::any_of(steps->begin(), steps->end(),
                                    [](const Step& s) { return s.kind != Step::Kind::name; });
  std::optional<Problem> failure; // why the path reached nothing (a single path's message)
  bool container_absent = false;  // the failure: an object the path goes through is not there
  std::optional<std::string> empty_list; // the first empty array a * went over
  // The first [key=value] that picked no item, by a key other than an item's name: a value of a
  // model (stations[supply.model=pipeline]) that one scenario of a comparison may not use.
  std::optional<Unchanged> unpicked;
  // The first [id=...], [name=...] or undeclared selection that picked no item: a typo, refused
  // when the path reaches nothing, though other items lacked the path's objects.
  std::optional<Problem> mistyped;
  // `step` is followed by `next` (nothing for the last step): an index, `*` or a selection after
  // it means its value is an array.
  const auto expand = [&](const Step& step, const Step* next_step) {
    const bool last = next_step == nullptr;
    std::vector<Target> targets;
    std::vector<std::pair<json*, std::string>> next;
    for (auto& [node, pointer] : nodes) {
      switch (step.kind) {
      case Step::Kind::name:
        if (node->is_object()) {
          if (last) {
            targets.push_back({node, pointer, step.name});
          } else if (node->contains(step.name)) {
            next.emplace_back(&(*node)[step.name], pointer + "/" + escape_pointer(step.name));
          } else if (!failure) {
            const std::string absent = pointer + "/" + escape_pointer(step.name);
            const bool array = next_step->kind != Step::Kind::name || is_index(next_step->name);
            failure = Problem{absent, where + ": no such value to set a key of (to add " + absent +
                                          ", set it whole, as a JSON " +
                                          (array ? "array" : "object") + ")"};
            // A key of some model this scenario does not use (classes, supply, pipelines), not a
            // typo (pipeline, clases), which stays refused.
            container_absent = declared_key(step.name);
          }
        } else if (node->is_array()) {
          if (!last && (!is_index(step.name) || std::stoul(step.name) >= node->size())) {
            if (!failure) {
              failure = Problem{pointer + "/" + escape_pointer(step.name),
                                where + ": no such value to set a key of"};
            }
          } else if (!is_index(step.name) || std::stoul(step.name) >= node->size()) {
            if (!failure) {
              failure = Problem{pointer + "/" + escape_pointer(step.name),
                                where + ": index out of range (the array has " +
                                    std::to_string(node->size()) + " items)"};
            }
          } else if (last) {
            targets.push_back({node, pointer, step.name});
          } else {
            next.emplace_back(&(*node)[std::stoul(step.name)], pointer + "/" + step.name);
          }
        } else if (!failure) {
          failure = Problem{pointer, where + ": not an object or array"};
        }
        break;
      case Step::Kind::all:
      case Step::Kind::select:
        if (!node->is_array()) {
          if (!failure) {
            failure =
                Problem{pointer, where + ": not an array (" +
                                     std::string(step.kind == Step::Kind::all ? "*" : "[...]") +
                                     " selects items of an array)"};
          }
          break;
        }
        if (node->empty() && step.kind == Step::Kind::all && !empty_list) {
          empty_list = pointer; // pipelines: [] has no item to change
        }
        for (std::size_t i = 0; i < node->size(); ++i) {
          if (step.kind == Step::Kind::select && !matches((*node)[i], step)) {
            continue;
          }
          const std::string item = pointer + "/" + std::to_string(i);
          if (last) {
            targets.push_back({node, pointer, std::to_string(i)});
          } else {
            next.emplace_back(&(*node)[i], item);
          }
        }
        if (step.kind == Step::Kind::select &&
            std::none_of(node->begin(), node->end(),
                         [&](const json& item) { return matches(item, step); })) {
          const std::string none = "no item of " + (pointer.empty() ? "/" : pointer) + " has " +
                                   step.name + " " + brief_string(step.value);
          // An id or a name picks one item: one that no item has is a typo, refused, as is a key
          // or a model no scenario has.
          if (step.name == "id" || step.name == "name" || !may_select(step)) {
            mistyped = mistyped.value_or(Problem{pointer, where + ": " + none});
          } else if (!unpicked) {
            unpicked = Unchanged{pointer, none};
          }
        }
        break;
      }
    }
    nodes = std::move(next);
    return targets;
  };
  for (std::size_t s = 0; s + 1 < steps->size(); ++s) {
    expand((*steps)[s], &(*steps)[s + 1]);
  }
  std::vector<Target> targets = expand(steps->back(), nullptr);
  // A typo in a selection ([id=...], [name=...], a key or model no scenario has) is refused,
  // whatever else the path missed.
  if (targets.empty() && mistyped) {
    problems.push_back(*mistyped);
    return std::nullopt;
  }
  // A selection by a model's value that picked nothing sets nothing, whatever the operator: one
  // --set goes to every scenario of a comparison, and only some may have that model. Items under
  // a `*` that lack the list it selects in are passed over, as a wildcard passes over them.
  if (targets.empty() && unpicked) {
    return unpicked;
  }
  // Under a wildcard, +=, -= and *= pass over the items without the value, also where no item
  // has the object it is in (stations.*.supply.lead_time_h*=2 on a scenario whose stations have
  // no supply) or the list is empty (pipelines: []): one --set goes to every scenario of a
  // comparison, which may lack that model. A key no model has (stationz.*) is a typo: refused.
  if (targets.empty() && wildcard && op != '=') {
    if (container_absent) {
      return Unchanged{failure->pointer, {}};
    }
    if (!failure && empty_list) {
      return Unchanged{*empty_list, {}};
    }
  }
  // A wildcard may miss in some items (a key only some stations have): it must hit somewhere.
  if (targets.empty() || (!wildcard && failure)) {
    problems.push_back(failure ? *failure : Problem{"", where + ": matches nothing", true});
    return std::nullopt;
  }
  // Under a wildcard, +=, -= and *= pass over the items without the key; where no item has it
  // (a misspelt key, stations.*.dispenser+=1, or one of a model this scenario does not use) the
  // caller is told, to warn: it changed nothing and said nothing.
  std::optional<std::string> first_missing; // of a key
  for (const Target& target : targets) {
    json& container = *target.container;
    const std::string pointer = target.pointer + "/" + escape_pointer(*target.member);
    json* current = nullptr;
    if (container.is_array()) {
      current = &container[std::stoul(*target.member)];
    } else if (container.contains(*target.member)) {
      current = &container[*target.member];
    }
    const bool integer = takes_integer(document, pointer);
    json updated = value;
    if (op != '=') {
      const double operand = value.get<double>();
      if (current == nullptr) {
        if (!wildcard) {
          problems.push_back({pointer, where + ": no value to change"});
          return std::nullopt;
        }
        first_missing = first_missing.value_or(pointer);
        continue;
      }
      std::optional<json> result;
      if (op == '*') {
        result = scaled(*current, operand);
      } else if (current->is_number()) {
        result = current->get<double>() + (op == '+' ? operand : -operand);
      }
      if (!result) {
        problems.push_back({pointer, where + ": " + std::string(1, op) + "= applies to a number" +
                                         std::string(op == '*' ? " or a distribution" : "") +
                                         " (got " + brief_json(*current) + ")"});
        return std::nullopt;
      }
      // An integer stays an integer (dispensers += 1); a field that takes an integer, scaled, is
      // rounded to the nearest (count *= 0.9: vehicles are whole), and the override's record
      // shows the value taken. A number the file wrote without a decimal point is scaled exactly
      // (overhead_min 3 *= 0.5 is 1.5, capacity_kg_per_h 50 *= 0.001 is 0.05): it was rounded,
      // to 2 and to 0, which cut the pipeline.
      if (result->is_number_float() && std::abs(result->get<double>()) < below_2_to_63 &&
          ((current->is_number_integer() &&
            std::floor(result->get<double>()) == result->get<double>()) ||
           (op == '*' && integer))) {
        result = std::llround(result->get<double>());
      }
      updated = std::move(*result);
    } else if (updated.is_number_float() && std::abs(updated.get<double>()) < below_2_to_63 &&
               std::floor(updated.get<double>()) == updated.get<double>() && integer) {
      // A whole number written as a float (--seed 1e3, dispensers=2.0) is the integer it names,
      // and is recorded as one: the override's record read 1000.0 where the scenario took 1000.
      updated = std::llround(updated.get<double>());
    }
    changes.push_back({"", pointer, current == nullptr ? std::string() : current->dump(),
                       updated.dump(), "", integer});
    if (current != nullptr) {
      *current = std::move(updated);
    } else {
      container[*target.member] = std::move(updated);
    }
  }
  if (first_missing && changes.size() == changes_before) {
    if (!key_of_some_scenario(steps->back().name)) {
      problems.push_back({*first_missing, where + ": no scenario may have this key (misspelt?)"});
      return std::nullopt;
    }
    return Unchanged{*first_missing, {}};
  }
  return std::nullopt;
}

} // namespace h2sim::scenario

namespace h2sim {

std::optional<Override> parse_override(std::string_view text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') {
      ++depth;
    } else if (text[i] == ']' && depth > 0) {
      --depth;
    } else if (text[i] == '=' && depth == 0) {
      if (i == 0) {
        return std::nullopt;
      }
      return Override{std::string(text.substr(0, i)), std::string(text.substr(i + 1))};
    }
  }
  return std::nullopt;
}

} // namespace h2sim
