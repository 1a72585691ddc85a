#include "reader.hpp"

#include "geographic.hpp"
#include "message.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace h2sim::scenario {

using nlohmann::json;
using params::Field;
using params::Kind;
using params::Table;

namespace {

NodePtr make(Node node) { return std::make_shared<const Node>(std::move(node)); }

Node node_of(Node::Kind kind, std::string description) {
  Node node;
  node.kind = kind;
  node.description = std::move(description);
  return node;
}

NodePtr number_shape(std::string description, const params::Bounds& bounds, bool integer = false) {
  Node node = node_of(integer ? Node::Kind::integer : Node::Kind::number, std::move(description));
  node.minimum = bounds.minimum;
  node.exclusive_minimum = bounds.exclusive_minimum;
  node.maximum = bounds.maximum;
  node.exclusive_maximum = bounds.exclusive_maximum;
  return make(std::move(node));
}
NodePtr non_negative(std::string description, double maximum) {
  return number_shape(std::move(description), {0.0, {}, maximum, {}});
}
NodePtr positive(std::string description, double maximum) {
  return number_shape(std::move(description), {{}, 0.0, maximum, {}});
}
NodePtr text_shape(std::string description) {
  return make(node_of(Node::Kind::string, std::move(description)));
}
NodePtr array_shape(std::string description, NodePtr items, std::size_t min_items) {
  Node node = node_of(Node::Kind::array, std::move(description));
  node.items = std::move(items);
  node.min_items = min_items;
  return make(std::move(node));
}
NodePtr object_shape(std::string description, std::vector<Node::Property> properties) {
  Node node = node_of(Node::Kind::object, std::move(description));
  node.properties = std::move(properties);
  return make(std::move(node));
}

Node tagged_shape(std::string description, const std::string& tag,
                  std::vector<std::pair<std::string, std::vector<Node::Property>>> variants) {
  Node node = node_of(Node::Kind::tagged, std::move(description));
  for (auto& [name, properties] : variants) {
    properties.insert(properties.begin(),
                      Node::Property{tag, text_shape("the model: " + name), true});
    node.variants.emplace_back(name, object_shape("", std::move(properties)));
  }
  node.tag = tag;
  return node;
}

/**
 * A distribution of a quantity that is at most `maximum`: its location parameters (value, mean,
 * bounds, values) are, so that draws stay finite; how skewed lognormal and gamma may be is a rule.
 * With `positive_fixed` a fixed value must be > 0 (a time between events: 0 would never end).
 */
NodePtr distribution_shape(const std::string& description, double maximum, bool positive_fixed) {
  using P = Node::Property;
  const auto fixed = [&](std::string what) {
    return positive_fixed ? positive(std::move(what), maximum)
                          : non_negative(std::move(what), maximum);
  };
  Node node = tagged_shape(
      description + ". A number is a fixed value; an object names its `dist`", "dist",
      {{"fixed", {P{"value", fixed("the value"), true}}},
       {"exponential", {P{"mean", positive("mean", maximum), true}}},
       {"uniform",
        {P{"min", non_negative("lower bound", maximum), true},
         P{"max", non_negative("upper bound, >= min", maximum), true}}},
       {"normal",
        {P{"mean", non_negative("mean before truncation at 0", maximum), true},
         P{"sd", non_negative("standard deviation before truncation", maximum), true}}},
       {"lognormal",
        {P{"mean", positive("mean of the variable itself", maximum), true},
         P{"sd", non_negative("standard deviation of the variable itself", 1e3 * maximum), true}}},
       {"gamma",
        {P{"mean", positive("mean", maximum), true},
         P{"sd", positive("standard deviation", 1e3 * maximum), true}}},
       {"empirical",
        {P{"values", array_shape("the values", non_negative("a value", maximum), 1), true},
         P{"weights",
           array_shape("relative weights, one per value (default: equal)",
                       non_negative("a weight", 1e12), 1),
           false}}}});
  node.kind = Node::Kind::number_or_tagged;
  node.number = fixed("a fixed value");
  return make(std::move(node));
}

std::vector<Node::Property> properties_of(const Table& table);

/** An object of `table`'s fields; one placed in the km plane also takes lat and lon. */
NodePtr table_shape(std::string description, const Table& table) {
  Node node = node_of(Node::Kind::object, std::move(description));
  node.properties = properties_of(table);
  if (places_in_plane(table)) {
    node.geographic = true;
    const auto degrees = [](double bound) {
      params::Bounds bounds;
      bounds.minimum = -bound;
      bounds.maximum = bound;
      return bounds;
    };
    // Listed after y_km, where a reader of "allowed here: ..." looks for them.
    const auto after = std::find_if(node.properties.begin(), node.properties.end(),
                                    [](const Node::Property& p) { return p.name == "y_km"; });
    node.properties.insert(
        after + 1,
        {{"lat",
          number_shape("instead of x_km and y_km: latitude in degrees (WGS84), projected "
                       "about /origin",
                       degrees(90)),
          false},
         {"lon",
          number_shape("instead of x_km and y_km: longitude in degrees (WGS84)", degrees(180)),
          false}});
  }
  return make(std::move(node));
}

NodePtr field_shape(const Field& field) {
  switch (field.kind) {
  case Kind::number:
    return number_shape(field.description, field.bounds);
  case Kind::integer:
    return number_shape(field.description, field.bounds, true);
  case Kind::text: {
    Node node = node_of(Node::Kind::string, field.description);
    node.non_empty = field.non_empty;
    return make(std::move(node));
  }
  case Kind::choice: {
    Node node = node_of(Node::Kind::string, field.description);
    node.one_of = field.choices;
    return make(std::move(node));
  }
  case Kind::choices: {
    Node item = node_of(Node::Kind::string, "a value");
    item.one_of = field.choices;
    return array_shape(field.description, make(std::move(item)), field.min_items);
  }
  case Kind::distribution:
    return distribution_shape(field.description, field.bounds.maximum.value_or(INFINITY),
                              field.bounds.exclusive_minimum.has_value());
  case Kind::numbers: {
    NodePtr shape =
        array_shape(field.description, number_shape("a value", field.bounds), field.min_items);
    if (field.exact_items) {
      Node exact = *shape;
      exact.exact_items = true;
      return make(std::move(exact));
    }
    return shape;
  }
  case Kind::object:
    return table_shape(field.description.empty() ? field.table->description : field.description,
                       *field.table);
  case Kind::list:
    return array_shape(field.description, table_shape(field.table->description, *field.table),
                       field.min_items);
  case Kind::model: {
    std::vector<std::pair<std::string, std::vector<Node::Property>>> variants;
    for (const auto& [name, table] : field.catalog->models) {
      variants.emplace_back(name, properties_of(*table));
    }
    return make(tagged_shape(field.description, field.catalog->tag, std::move(variants)));
  }
  case Kind::settings: {
    Node node = node_of(Node::Kind::object, field.description);
    node.any_keys = true;
    node.min_items = 1;
    return make(std::move(node));
  }
  case Kind::number_or_auto: {
    Node node = node_of(Node::Kind::number_or_word, field.description);
    node.number = number_shape("a number", field.bounds);
    node.one_of = {"auto"};
    return make(std::move(node));
  }
  case Kind::count_or_names: {
    Node node = node_of(Node::Kind::integer_or_array, field.description);
    node.number = number_shape("a number of them", field.bounds, true);
    Node name =
        node_of(Node::Kind::string, field.refers_to ? field.refers_to->noun + " ids" : "names");
    name.non_empty = true;
    node.items = make(std::move(name));
    node.min_items = std::max<std::size_t>(field.min_items, 1);
    return make(std::move(node));
  }
  }
  return nullptr;
}

std::vector<Node::Property> properties_of(const Table& table) {
  std::vector<Node::Property> properties;
  for (const Field& field : table.fields) {
    properties.push_back({field.key, field_shape(field), field.required});
  }
  return properties;
}

Distribution distribution(const json& value) {
  if (value.is_number()) {
    return Distribution::fixed(value.get<double>() + 0.0); // -0 is 0, as every number read
  }
  const std::string kind = value.at("dist").get<std::string>();
  const auto at = [&](const char* key) { return value.at(key).get<double>() + 0.0; };
  if (kind == "fixed") {
    return Distribution::fixed(at("value"));
  }
  if (kind == "exponential") {
    return Distribution::exponential(at("mean"));
  }
  if (kind == "uniform") {
    return Distribution::uniform(at("min"), at("max"));
  }
  if (kind == "normal") {
    return Distribution::normal(at("mean"), at("sd"));
  }
  if (kind == "lognormal") {
    return Distribution::lognormal(at("mean"), at("sd"));
  }
  if (kind == "gamma") {
    return Distribution::gamma(at("mean"), at("sd"));
  }
  return Distribution::empirical(value.at("values").get<std::vector<double>>(),
                                 value.value("weights", std::vector<double>{}));
}

/** The value a JSON pointer (RFC 6901) names in `document`, or null: none, or not a pointer. */
const json* value_at(const json& document, const std::string& pointer) {
  const json* node = &document;
  if (pointer.empty()) {
    return node;
  }
  if (pointer.front() != '/') {
    return nullptr;
  }
  std::string token;
  for (std::size_t from = 1;;) {
    const std::size_t slash = std::min(pointer.find('/', from), pointer.size());
    token.clear();
    for (std::size_t i = from; i < slash; ++i) {
      if (pointer[i] != '~') {
        token += pointer[i];
      } else if (i + 1 < slash && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[++i] == '0' ? '~' : '/';
      } else {
        return nullptr;
      }
    }
    if (node->is_object()) {
      const auto it = node->find(token);
      if (it == node->end()) {
        return nullptr;
      }
      node = &*it;
    } else if (node->is_array()) {
      // An index: digits, no leading zero ("-", past the end, names no value).
      if (token.empty() || token.size() > 18 || (token.size() > 1 && token.front() == '0') ||
          !std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return nullptr;
      }
      const std::size_t index = std::stoull(token);
      if (index >= node->size()) {
        return nullptr;
      }
      node = &(*node)[index];
    } else {
      return nullptr;
    }
    if (slash == pointer.size()) {
      return node;
    }
    from = slash + 1;
  }
}

/** One reading: the document, and the pointers where problems were found. */
class Reading {
public:
  Reading(const json& document, std::vector<Problem>& problems)
      : document_(&document), problems_(&problems) {
    for (const Problem& problem : problems) {
      flagged_.insert(problem.pointer);
    }
  }

  /** Whether something at `pointer` or below it has a problem. */
  bool flagged(const std::string& pointer) const {
    const auto it = flagged_.lower_bound(pointer);
    return it != flagged_.end() &&
           (*it == pointer ||
            (it->size() > pointer.size() && it->compare(0, pointer.size(), pointer) == 0 &&
             (*it)[pointer.size()] == '/'));
  }
  /** Whether the document has a value at `pointer`. */
  bool present(const std::string& pointer) const {
    return value_at(*document_, pointer) != nullptr;
  }
  /** Whether anything has a problem. */
  bool any_flagged() const { return !flagged_.empty(); }
  /** Whether the document has a valid value at `pointer`. */
  bool valid(const std::string& pointer) const { return present(pointer) && !flagged(pointer); }
  void problem(std::string pointer, std::string message) {
    flagged_.insert(pointer);
    problems_->push_back({std::move(pointer), std::move(message)});
  }
  const json& document() const { return *document_; }

private:
  const json* document_;
  std::vector<Problem>* problems_;
  std::set<std::string> flagged_;
};

void fill(const json& value, const Table& table, void* target, const std::string& pointer,
          const Reading& reading);

/** Fills `field` of `target` from `item`, the field's value in the document at `where`. */
void fill_field(const Field& field, const json& item, void* target, const std::string& where,
                const Reading& reading) {
  switch (field.kind) {
  case Kind::object:
    if (item.is_object()) {
      fill(item, *field.table, field.at(target), where, reading);
    }
    return;
  case Kind::list:
    if (item.is_array()) {
      for (std::size_t i = 0; i < item.size(); ++i) {
        // Every item gets a struct, valid or not, so that indices match the document's.
        fill(item[i], *field.table, field.append(target), where + "/" + std::to_string(i), reading);
      }
    }
    return;
  case Kind::model: {
    const Table* model = nullptr;
    if (item.is_object() && item.contains(field.catalog->tag) &&
        item[field.catalog->tag].is_string()) {
      model = field.catalog->find(item[field.catalog->tag].get<std::string>());
    }
    if (model != nullptr) {
      std::shared_ptr<void> parameters = model->make();
      fill(item, *model, parameters.get(), where, reading);
      *static_cast<params::Model*>(field.at(target)) =
          params::Model(item[field.catalog->tag].get<std::string>(), std::move(parameters));
    }
    return;
  }
  default:
    break;
  }
  if (reading.flagged(where)) {
    return; // an invalid value leaves the default
  }
  switch (field.kind) {
  case Kind::number:
  case Kind::integer:
    // + 0.0 makes -0 a 0: a price of -0.0 printed costs of -0.0.
    field.set_number(target, item.get<double>() + 0.0);
    break;
  case Kind::text:
  case Kind::choice:
    *static_cast<std::string*>(field.at(target)) = item.get<std::string>();
    break;
  case Kind::choices:
    *static_cast<std::vector<std::string>*>(field.at(target)) =
        item.get<std::vector<std::string>>();
    break;
  case Kind::numbers:
    *static_cast<std::vector<double>*>(field.at(target)) = item.get<std::vector<double>>();
    for (double& number : *static_cast<std::vector<double>*>(field.at(target))) {
      number += 0.0; // -0 is 0
    }
    break;
  case Kind::distribution:
    *static_cast<Distribution*>(field.at(target)) = distribution(item);
    break;
  case Kind::settings: {
    auto& settings = *static_cast<params::Settings*>(field.at(target));
    for (const auto& [path, setting] : item.items()) {
      settings.emplace_back(path, setting.dump());
    }
    break;
  }
  case Kind::number_or_auto:
    if (item.is_string()) {
      static_cast<params::NumberOrAuto*>(field.at(target))->automatic = true;
    } else {
      field.set_number(target, item.get<double>() + 0.0);
    }
    break;
  case Kind::count_or_names: {
    auto& chosen = *static_cast<params::CountOrNames*>(field.at(target));
    if (item.is_number()) {
      chosen.count = item.get<long long>();
    } else {
      chosen.names = item.get<std::vector<std::string>>();
    }
    break;
  }
  default:
    break;
  }
}

void fill(const json& value, const Table& table, void* target, const std::string& pointer,
          const Reading& reading) {
  if (!value.is_object()) {
    return;
  }
  for (const Field& field : table.fields) {
    const auto it = value.find(field.key);
    if (it != value.end()) {
      fill_field(field, *it, target, pointer + "/" + escape_pointer(field.key), reading);
    }
  }
}

/** Resolves a rule's pointer relative to the struct at `base` ("../" climbs one level). */
std::string resolve(std::string base, const std::string& relative) {
  std::string rest = relative;
  while (rest.rfind("../", 0) == 0) {
    base = base.substr(0, base.rfind('/'));
    rest = rest.substr(3);
  }
  return rest.empty() ? base : base + "/" + rest;
}

class StructChecker final : public params::Checker {
public:
  /** Checks the struct read from `value`, at `pointer` in the document. */
  StructChecker(Reading& reading, std::string pointer, const json& value)
      : reading_(&reading), pointer_(std::move(pointer)), value_(&value) {}
  bool valid(const std::string& relative) const override {
    if (!reading_->any_flagged()) { // as in every rule of a valid scenario
      return present(relative);
    }
    return reading_->valid(resolve(pointer_, relative));
  }
  bool present(const std::string& relative) const override {
    if (!relative.empty() && relative.find_first_of("/~") == std::string::npos) {
      // A key of this struct's own object: no walk from the document's root.
      return value_->is_object() && value_->contains(relative);
    }
    return reading_->present(resolve(pointer_, relative));
  }
  void problem(const std::string& relative, std::string message) override {
    reading_->problem(resolve(pointer_, relative), std::move(message));
  }

private:
  Reading* reading_;
  std::string pointer_;
  const json* value_;
};

const json* member(const json& object, const char* key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}
std::optional<double> number_at(const json& object, const char* key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_number() ? std::optional(value->get<double>())
                                                : std::nullopt;
}

/** What every distribution must satisfy beyond the bounds of its parameters. */
void check_distribution(const json& value, const std::string& pointer, Reading& reading) {
  if (!value.is_object() || !value.contains("dist") || !value["dist"].is_string()) {
    return;
  }
  const std::string kind = value["dist"].get<std::string>();
  const auto min = number_at(value, "min");
  const auto max = number_at(value, "max");
  if (kind == "uniform" && min && max && *min > *max && !reading.flagged(pointer + "/max")) {
    reading.problem(pointer + "/max", "must be >= min");
  }
  // Lognormal and gamma are given by mean and sd; far outside these ratios their parameters
  // overflow (sd 1e160) or sampling cannot end (a gamma of shape 1e320).
  const auto mean = number_at(value, "mean");
  const auto sd = number_at(value, "sd");
  if ((kind == "lognormal" || kind == "gamma") && mean && sd && *mean > 0 &&
      !reading.flagged(pointer + "/sd")) {
    if (*sd > 1e3 * *mean) {
      reading.problem(pointer + "/sd", "must be <= 1000 x mean (a " + kind +
                                           " this skewed cannot be sampled meaningfully)");
    } else if (kind == "gamma" && *sd < 1e-6 * *mean) {
      reading.problem(pointer + "/sd", "must be >= 0.000001 x mean (use a fixed value)");
    }
  }
  const json* values = member(value, "values");
  const json* weights = member(value, "weights");
  if (kind == "empirical" && values != nullptr && weights != nullptr && values->is_array() &&
      weights->is_array()) {
    if (weights->size() != values->size()) {
      reading.problem(pointer + "/weights",
                      "must have one weight per value (" + std::to_string(values->size()) + ")");
    } else if (std::none_of(weights->begin(), weights->end(),
                            [](const json& w) { return w.is_number() && w.get<double>() > 0; })) {
      reading.problem(pointer + "/weights", "must have at least one weight > 0");
    }
  }
}

/** The ids of the list at `list` (a pointer from the root), for references into it. */
class References {
public:
  const std::set<std::string>& of(const json& document, const params::Field::Reference& reference) {
    const std::string key = reference.list + "#" + reference.key;
    auto it = ids_.find(key);
    if (it == ids_.end()) {
      std::set<std::string> ids;
      if (const json* list = value_at(document, reference.list);
          list != nullptr && list->is_array()) {
        for (const json& item : *list) {
          if (item.is_object() && item.contains(reference.key) && item[reference.key].is_string()) {
            ids.insert(item[reference.key].get<std::string>());
          }
        }
      }
      it = ids_.emplace(key, std::move(ids)).first;
    }
    return it->second;
  }

private:
  std::map<std::string, std::set<std::string>> ids_;
};

/** A list of names: each one once, each naming an item of the list it refers to. */
void check_names(const json& names, const Field& field, const std::string& where, Reading& reading,
                 References& references) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string name = names[i].get<std::string>();
    const std::string at = where + "/" + std::to_string(i);
    if (const auto [first, inserted] = seen.emplace(name, i); !inserted) {
      reading.problem(at, "duplicate \"" + name + "\" (also " + where + "/" +
                              std::to_string(first->second) + ")");
    } else if (field.refers_to &&
               references.of(reading.document(), *field.refers_to).count(name) == 0) {
      reading.problem(at, "no " + field.refers_to->noun + " \"" + name + "\" in " +
                              field.refers_to->list);
    }
  }
}

void check(const json& value, const Table& table, const void* self, const void* context,
           const std::string& pointer, Reading& reading, References& references) {
  if (!value.is_object()) {
    return;
  }
  StructChecker checker(reading, pointer, value);
  for (const auto& rule : table.rules) {
    rule(self, context, checker);
  }
  for (const Field& field : table.fields) {
    const auto it = value.find(field.key);
    if (it == value.end()) {
      continue;
    }
    const std::string where = pointer + "/" + escape_pointer(field.key);
    const json& item = *it;
    switch (field.kind) {
    case Kind::object:
      if (const void* child = field.find(self); child != nullptr) {
        check(item, *field.table, child, self, where, reading, references);
      }
      break;
    case Kind::list: {
      if (!item.is_array()) {
        break;
      }
      std::map<std::string, std::size_t> seen;
      for (std::size_t i = 0; i < item.size(); ++i) {
        const std::string at = where + "/" + std::to_string(i);
        if (!field.unique.empty() && item[i].is_object() && item[i].contains(field.unique) &&
            item[i][field.unique].is_string()) {
          const auto [first, inserted] = seen.emplace(item[i][field.unique].get<std::string>(), i);
          if (!inserted) {
            reading.problem(at + "/" + field.unique, "duplicate " + field.unique + " \"" +
                                                         first->first + "\" (also " + where + "/" +
                                                         std::to_string(first->second) + "/" +
                                                         field.unique + ")");
          }
        }
        check(item[i], *field.table, field.item(self, i), self, at, reading, references);
      }
      break;
    }
    case Kind::model: {
      const auto& model = *static_cast<const params::Model*>(field.find(self));
      if (model.has_params()) {
        check(item, *field.catalog->find(model.name()), model.params(), self, where, reading,
              references);
      }
      break;
    }
    case Kind::distribution:
      check_distribution(item, where, reading);
      break;
    case Kind::count_or_names:
      if (item.is_array() && !reading.flagged(where)) {
        check_names(item, field, where, reading, references);
      }
      break;
    case Kind::text:
      if (field.refers_to && item.is_string() && !reading.flagged(where) &&
          references.of(reading.document(), *field.refers_to).count(item.get<std::string>()) == 0) {
        reading.problem(where, "no " + field.refers_to->noun + " \"" + item.get<std::string>() +
                                   "\" in " + field.refers_to->list);
      }
      break;
    default:
      break;
    }
  }
}

} // namespace

NodePtr shape_of(const Table& table) {
  return object_shape(table.description, properties_of(table));
}

void read(const json& document, const Table& table, void* target, std::vector<Problem>& problems) {
  validate(document, *shape_of(table), "", problems);
  Reading reading(document, problems);
  fill(document, table, target, "", reading);
  References references;
  check(document, table, target, nullptr, "", reading, references);
}

namespace {

/** What a change re-reads: a field of the struct `owner`, at `pointer`, holding `value`. */
struct Unit {
  const Field* field;
  void* owner;
  std::string pointer;
  const json* value;
};

/**
 * The unit that re-reads the value at `pointer`: its field, or the model the field is a parameter
 * of (a model's parameters are shared between copies of a struct, so they are replaced whole).
 * None where a re-read could differ from a fresh read (an absent value, a whole list item, a field
 * that adds to what it holds) or where the pointer leads nowhere the tables declare.
 */
std::optional<Unit> unit_of(const json& document, const Table& root, void* target,
                            const std::string& pointer) {
  const std::vector<std::string> tokens = pointer_tokens(pointer);
  const Table* table = &root;
  void* owner = target;
  const json* node = &document;
  std::string at;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    const auto found = std::find_if(table->fields.begin(), table->fields.end(),
                                    [&](const Field& field) { return field.key == tokens[t]; });
    if (found == table->fields.end() || !node->is_object()) {
      return std::nullopt;
    }
    const auto it = node->find(tokens[t]);
    if (it == node->end()) {
      return std::nullopt;
    }
    const Field& field = *found;
    node = &*it;
    at += "/" + escape_pointer(tokens[t]);
    if (field.kind == Kind::model || t + 1 == tokens.size()) {
      switch (field.kind) {
      case Kind::number:
      case Kind::integer:
      case Kind::count_or_names:
      case Kind::model:
        return Unit{&field, owner, at, node};
      default:
        return std::nullopt;
      }
    }
    if (field.kind == Kind::object) {
      owner = field.at(owner);
      table = field.table;
    } else if (field.kind == Kind::list && t + 2 < tokens.size()) {
      const std::string& index = tokens[++t];
      if (!node->is_array() || index.empty() || index.size() > 18 ||
          !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
      }
      const std::size_t i = std::stoull(index);
      if (i >= node->size() || i >= field.size(owner)) {
        return std::nullopt;
      }
      owner = field.item_at(owner, i);
      node = &(*node)[i];
      at += "/" + index;
      table = field.table;
    } else {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

} // namespace

bool reread(const json& document, const Table& table, void* target,
            const std::vector<std::string>& changed, std::vector<Problem>& problems) {
  std::vector<Unit> units;
  std::set<std::string> seen; // each once: many changes may lead to one value, or one model
  for (const std::string& pointer : changed) {
    std::optional<Unit> unit = unit_of(document, table, target, pointer);
    if (!unit) {
      return false;
    }
    if (seen.insert(unit->pointer).second) {
      units.push_back(std::move(*unit));
    }
  }
  for (const Unit& unit : units) {
    validate(*unit.value, *field_shape(*unit.field), unit.pointer, problems);
  }
  Reading reading(document, problems);
  for (const Unit& unit : units) {
    if (unit.field->kind == Kind::count_or_names) { // a count or names, never both
      *static_cast<params::CountOrNames*>(unit.field->at(unit.owner)) = params::CountOrNames{};
    }
    fill_field(*unit.field, *unit.value, unit.owner, unit.pointer, reading);
  }
  References references;
  check(document, table, target, nullptr, "", reading, references);
  return true;
}

nlohmann::ordered_json json_schema(const Table& table) { return to_json_schema(*shape_of(table)); }

namespace {
std::string format(double value) {
  if (std::isinf(value)) {
    return value > 0 ? "unlimited" : "-unlimited";
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.12g", value);
  return text;
}

/**
 * The default a field's description states, "(default X)" or "default X", where its value has
 * none (an optional value, or one that stands for "not set"): X if short, else "(see
 * description)"; "none" if it states none. The column said "none" beside "(default 0)".
 */
std::string stated_default(const Field& field) {
  // An object's text is its table's (as the reference shows it).
  const std::string& text = field.description.empty() && field.table != nullptr
                                ? field.table->description
                                : field.description;
  // "default" as a word, followed by its value ("(default 0)", "default: always", "; default
  // all"), not "defaults" or "by default".
  std::size_t at = 0;
  for (at = text.find("default"); at != std::string::npos; at = text.find("default", at + 1)) {
    const std::size_t after = at + std::string_view("default").size();
    const bool word = after < text.size() && (text[after] == ' ' || text[after] == ':') &&
                      (at == 0 || text[at - 1] == '(' || text[at - 1] == ' ');
    if (word && text.compare(at >= 3 ? at - 3 : 0, 3, "by ") != 0) {
      break;
    }
  }
  if (at == std::string::npos) {
    return "none";
  }
  std::size_t from = at + std::string_view("default").size();
  while (from < text.size() && (text[from] == ':' || text[from] == ' ')) {
    ++from;
  }
  std::size_t end = from;
  for (int depth = 0; end < text.size(); ++end) { // to its closing ')', else its clause's end
    const char c = text[end];
    depth += c == '(' || c == '[' ? 1 : 0;
    if ((c == ')' || c == ']') && depth-- == 0) {
      break;
    }
    if (depth == 0 && c == ';' && (at == 0 || text[at - 1] != '(')) {
      break;
    }
  }
  const std::string stated = text.substr(from, end - from);
  if (stated.empty()) {
    return "none";
  }
  return stated.size() <= 30 ? stated : "(see description)";
}

/** What a field holds when its key is absent, as text for the reference. */
std::string default_of(const Field& field, const void* defaults) {
  if (field.required) {
    return "required";
  }
  const void* member = field.find(defaults);
  if (member == nullptr || field.optional_member) {
    return stated_default(field);
  }
  switch (field.kind) {
  case Kind::number:
  case Kind::integer:
  case Kind::number_or_auto: {
    const double value = field.get_number(defaults);
    const params::Bounds& b = field.bounds;
    // A finite value no file may give (max_tries 0) stands for "not set": the description says
    // what that means (an infinite one is "unlimited").
    const bool outside = (b.minimum && value < *b.minimum) ||
                         (b.exclusive_minimum && value <= *b.exclusive_minimum) ||
                         (b.maximum && value > *b.maximum) ||
                         (b.exclusive_maximum && value >= *b.exclusive_maximum);
    if (std::isfinite(value) && outside) {
      return stated_default(field);
    }
    return format(value);
  }
  case Kind::text:
  case Kind::choice: {
    const auto& text = *static_cast<const std::string*>(member);
    return text.empty() ? stated_default(field) : "`" + text + "`";
  }
  case Kind::choices: {
    std::string list;
    for (const std::string& item : *static_cast<const std::vector<std::string>*>(member)) {
      list += (list.empty() ? "`" : ", `") + item + "`";
    }
    return list.empty() ? stated_default(field) : list;
  }
  case Kind::numbers:
    return static_cast<const std::vector<double>*>(member)->empty() ? stated_default(field)
                                                                    : "(see description)";
  case Kind::count_or_names:
  case Kind::settings:
    return stated_default(field);
  default:
    return "see below";
  }
}
} // namespace

std::string markdown_reference(const Table& root, const std::string& title) {
  struct Section {
    std::string path; // e.g. stations[].supply (model: delivery); empty for the root
    const Table* table;
  };
  std::vector<Section> queue{{"", &root}};
  std::string text = "# " + title + "\n";
  for (std::size_t next = 0; next < queue.size(); ++next) {
    const Section section = queue[next];
    text += "\n## " +
            (section.path.empty() ? std::string("The scenario file") : "`" + section.path + "`") +
            "\n\n";
    const std::string& description = section.table->description;
    if (!description.empty()) {
      text += description + (description.back() == '.' ? "\n\n" : ".\n\n");
    }
    if (places_in_plane(*section.table)) {
      text += "Instead of `x_km` and `y_km`: `lat` and `lon` (WGS84 degrees, north and east "
              "positive), projected onto the km plane about the scenario's `origin`.\n\n";
    }
    if (section.table->fields.empty()) {
      text += "No parameters.\n";
      continue;
    }
    text += "| key | value | default | what it is |\n|---|---|---|---|\n";
    const std::shared_ptr<void> defaults = section.table->make();
    const std::string prefix = section.path.empty() ? "" : section.path + ".";
    for (const Field& field : section.table->fields) {
      std::string value = field_shape(field)->expectation();
      std::string what = field.description;
      const auto add = [&](const std::string& path, const Table* table) {
        queue.push_back({path, table});
      };
      std::string fallback = default_of(field, defaults.get());
      if (field.kind == Kind::object || field.kind == Kind::list) {
        const std::string path = prefix + field.key + (field.kind == Kind::list ? "[]" : "");
        add(path, field.table);
        value += ", see `" + path + "`";
        what = what.empty() ? field.table->description : what;
        fallback = field.kind == Kind::list && !field.required ? "none" : fallback;
      } else if (field.kind == Kind::model) {
        value = "an object naming its `" + field.catalog->tag + "`:";
        for (std::size_t m = 0; m < field.catalog->models.size(); ++m) {
          const auto& [name, table] = field.catalog->models[m];
          const std::string path =
              prefix + field.key + " (" + field.catalog->tag + ": " + name + ")";
          value += std::string(m == 0 ? " " : ", ") + "`" + name + "`";
          add(path, table);
        }
      }
      if (fallback == "see below") {
        fallback = "its own defaults";
      }
      text += "| `" + field.key + "` | " + value + " | " + fallback + " | " + what + " |\n";
    }
  }
  return text;
}

const Field* field_at(const json& document, const Table& root, const std::string& pointer) {
  const std::vector<std::string> tokens = pointer_tokens(pointer);
  const Table* table = &root;
  const json* node = &document;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    const auto found = std::find_if(table->fields.begin(), table->fields.end(),
                                    [&](const Field& field) { return field.key == tokens[t]; });
    if (found == table->fields.end() || !node->is_object()) {
      return nullptr;
    }
    const Field& field = *found;
    // The field itself is declared whether or not the document writes it (a seed left to its
    // default); only the way to it needs the document, for list items and model tags.
    if (t + 1 == tokens.size() || field.kind == Kind::distribution || field.kind == Kind::numbers ||
        field.kind == Kind::count_or_names) {
      return &field;
    }
    if (!node->contains(tokens[t])) {
      return nullptr;
    }
    node = &(*node)[tokens[t]];
    switch (field.kind) {
    case Kind::object:
      table = field.table;
      break;
    case Kind::list: {
      ++t;
      const std::size_t index = std::stoul(tokens[t]);
      if (!node->is_array() || index >= node->size()) {
        return nullptr;
      }
      node = &(*node)[index];
      table = field.table;
      if (t + 1 == tokens.size()) {
        return nullptr; // a whole item
      }
      break;
    }
    case Kind::model: {
      const std::string& tag = field.catalog->tag;
      if (!node->contains(tag) || !(*node)[tag].is_string()) {
        return nullptr;
      }
      table = field.catalog->find((*node)[tag].get<std::string>());
      if (table == nullptr) {
        return nullptr;
      }
      break;
    }
    default:
      return nullptr;
    }
  }
  return nullptr;
}

} // namespace h2sim::scenario
