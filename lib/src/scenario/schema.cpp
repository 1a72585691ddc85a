#include "schema.hpp"

#include "message.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace h2sim::scenario {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

std::string format_number(double value) {
  if (std::floor(value) == value && std::abs(value) < 1e17) {
    return std::to_string(static_cast<long long>(value));
  }
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string names(const std::vector<std::pair<std::string, NodePtr>>& variants) {
  std::string list;
  for (const auto& [name, node] : variants) {
    list += (list.empty() ? "" : ", ") + name;
  }
  return list;
}

void validate_object(const json& value, const Node& node, const std::string& pointer,
                     std::vector<Problem>& problems) {
  for (const auto& property : node.properties) {
    const auto it = value.find(property.name);
    const std::string where = pointer + "/" + escape_pointer(property.name);
    if (it == value.end()) {
      if (property.required) {
        problems.push_back({where, "is required: " + property.node->expectation()});
      }
      continue;
    }
    validate(*it, *property.node, where, problems);
  }
  for (const auto& [key, item] : value.items()) {
    bool known = false;
    for (const auto& property : node.properties) {
      known = known || property.name == key;
    }
    if (!known) {
      std::string allowed;
      for (const auto& property : node.properties) {
        allowed += (allowed.empty() ? "" : ", ") + property.name;
      }
      problems.push_back(
          {pointer + "/" + escape_pointer(key), "unknown key (allowed here: " + allowed + ")"});
    }
  }
}

void validate_tagged(const json& value, const Node& node, const std::string& pointer,
                     std::vector<Problem>& problems) {
  if (!value.is_object()) {
    problems.push_back({pointer, "must be " + node.expectation()});
    return;
  }
  const auto tag = value.find(node.tag);
  const std::string where = pointer + "/" + node.tag;
  if (tag == value.end()) {
    problems.push_back({where, "is required: one of " + names(node.variants)});
    return;
  }
  for (const auto& [name, variant] : node.variants) {
    if (tag->is_string() && tag->get<std::string>() == name) {
      validate_object(value, *variant, pointer, problems);
      return;
    }
  }
  problems.push_back(
      {where, "must be one of " + names(node.variants) + " (got " + brief_json(*tag) + ")"});
}

} // namespace

std::string Node::expectation() const {
  switch (kind) {
  case Kind::object:
    return any_keys ? "an object of at least " + std::to_string(min_items) + " PATH: VALUE"
                    : "an object";
  case Kind::tagged:
    return "an object";
  case Kind::array:
    return min_items > 0 ? "an array of " + std::string(exact_items ? "exactly " : "at least ") +
                               std::to_string(min_items) + " item" + (min_items > 1 ? "s" : "")
                         : "an array";
  case Kind::string:
    return non_empty ? "a non-empty string" : "a string";
  case Kind::number_or_tagged:
    return number->expectation() + " or a distribution object";
  case Kind::number_or_word: {
    std::string words;
    for (const std::string& word : one_of) {
      words += (words.empty() ? "\"" : " or \"") + word + "\"";
    }
    return number->expectation() + " or " + words;
  }
  case Kind::integer_or_array:
    return number->expectation() + " or an array of at least " + std::to_string(min_items) + " " +
           items->description;
  case Kind::number:
  case Kind::integer: {
    std::string text = kind == Kind::integer ? "an integer" : "a number";
    std::vector<std::string> bounds;
    if (minimum) {
      bounds.push_back(">= " + format_number(*minimum));
    }
    if (exclusive_minimum) {
      bounds.push_back("> " + format_number(*exclusive_minimum));
    }
    if (maximum) {
      bounds.push_back("<= " + format_number(*maximum));
    }
    if (exclusive_maximum) {
      bounds.push_back("< " + format_number(*exclusive_maximum));
    }
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      text += (i == 0 ? " " : " and ") + bounds[i];
    }
    return text;
  }
  }
  return "a value";
}

void validate(const json& value, const Node& node, const std::string& pointer,
              std::vector<Problem>& problems) {
  const auto fail = [&] { problems.push_back({pointer, "must be " + node.expectation()}); };
  switch (node.kind) {
  case Node::Kind::object:
    if (!value.is_object() || (node.any_keys && value.size() < node.min_items)) {
      return fail();
    }
    if (node.any_keys) {
      return;
    }
    return validate_object(value, node, pointer, problems);
  case Node::Kind::array:
    if (!value.is_array() || value.size() < node.min_items ||
        (node.exact_items && value.size() != node.min_items)) {
      return fail();
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      validate(value[i], *node.items, pointer + "/" + std::to_string(i), problems);
    }
    return;
  case Node::Kind::string:
    if (!value.is_string() || (node.non_empty && value.get_ref<const std::string&>().empty())) {
      return fail();
    }
    if (!node.one_of.empty() && std::find(node.one_of.begin(), node.one_of.end(),
                                          value.get<std::string>()) == node.one_of.end()) {
      std::string list;
      for (const std::string& allowed : node.one_of) {
        list += (list.empty() ? "" : ", ") + allowed;
      }
      problems.push_back({pointer, "must be one of " + list + " (got " + brief_json(value) + ")"});
    }
    return;
  case Node::Kind::number:
  case Node::Kind::integer: {
    const bool integral =
        value.is_number_integer() ||
        (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>());
    if (!value.is_number() || (node.kind == Node::Kind::integer && !integral)) {
      return fail();
    }
    // Out of range: name the bound that was crossed ("must be an integer >= 1").
    const double x = value.get<double>();
    Node crossed;
    crossed.kind = node.kind;
    if (node.minimum && x < *node.minimum) {
      crossed.minimum = node.minimum;
    } else if (node.exclusive_minimum && x <= *node.exclusive_minimum) {
      crossed.exclusive_minimum = node.exclusive_minimum;
    } else if (node.maximum && x > *node.maximum) {
      crossed.maximum = node.maximum;
    } else if (node.exclusive_maximum && x >= *node.exclusive_maximum) {
      crossed.exclusive_maximum = node.exclusive_maximum;
    } else {
      return;
    }
    problems.push_back({pointer, "must be " + crossed.expectation()});
    return;
  }
  case Node::Kind::tagged:
    return validate_tagged(value, node, pointer, problems);
  case Node::Kind::number_or_tagged:
    if (value.is_number()) {
      return validate(value, *node.number, pointer, problems);
    }
    if (!value.is_object()) {
      return fail();
    }
    return validate_tagged(value, node, pointer, problems);
  case Node::Kind::number_or_word:
    if (value.is_number()) {
      return validate(value, *node.number, pointer, problems);
    }
    if (!value.is_string() || std::find(node.one_of.begin(), node.one_of.end(),
                                        value.get<std::string>()) == node.one_of.end()) {
      return fail();
    }
    return;
  case Node::Kind::integer_or_array:
    if (value.is_number()) {
      return validate(value, *node.number, pointer, problems);
    }
    if (!value.is_array() || value.size() < node.min_items) {
      return fail();
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      validate(value[i], *node.items, pointer + "/" + std::to_string(i), problems);
    }
    return;
  }
}

ordered_json to_json_schema(const Node& node) {
  ordered_json schema;
  if (!node.description.empty()) {
    schema["description"] = node.description;
  }
  const auto object_schema = [](const Node& object, ordered_json& out) {
    out["type"] = "object";
    ordered_json properties = ordered_json::object();
    ordered_json required = ordered_json::array();
    const auto planar = [&](const std::string& name) {
      return object.geographic && (name == "x_km" || name == "y_km");
    };
    for (const auto& property : object.properties) {
      properties[property.name] = to_json_schema(*property.node);
      if (property.required && !planar(property.name)) {
        required.push_back(property.name);
      }
    }
    out["properties"] = std::move(properties);
    if (!required.empty()) {
      out["required"] = std::move(required);
    }
    if (object.geographic) { // x_km and y_km, or lat and lon
      out["oneOf"] = ordered_json::array({ordered_json{{"required", {"x_km", "y_km"}}},
                                          ordered_json{{"required", {"lat", "lon"}}}});
    }
    out["additionalProperties"] = false;
  };
  const auto tagged_schema = [&](const Node& tagged) {
    ordered_json alternatives = ordered_json::array();
    for (const auto& [name, variant] : tagged.variants) {
      ordered_json alternative;
      object_schema(*variant, alternative);
      alternative["properties"][tagged.tag] = {{"const", name}};
      alternatives.push_back(std::move(alternative));
    }
    return alternatives;
  };
  switch (node.kind) {
  case Node::Kind::object:
    if (node.any_keys) {
      schema["type"] = "object";
      schema["minProperties"] = node.min_items;
      break;
    }
    object_schema(node, schema);
    break;
  case Node::Kind::array:
    schema["type"] = "array";
    schema["items"] = to_json_schema(*node.items);
    if (node.min_items > 0) {
      schema["minItems"] = node.min_items;
    }
    if (node.exact_items) {
      schema["maxItems"] = node.min_items;
    }
    break;
  case Node::Kind::string:
    schema["type"] = "string";
    if (node.non_empty) {
      schema["minLength"] = 1;
    }
    if (!node.one_of.empty()) {
      schema["enum"] = node.one_of;
    }
    break;
  case Node::Kind::number:
  case Node::Kind::integer:
    schema["type"] = node.kind == Node::Kind::integer ? "integer" : "number";
    if (node.minimum) {
      schema["minimum"] = *node.minimum;
    }
    if (node.exclusive_minimum) {
      schema["exclusiveMinimum"] = *node.exclusive_minimum;
    }
    if (node.maximum) {
      schema["maximum"] = *node.maximum;
    }
    if (node.exclusive_maximum) {
      schema["exclusiveMaximum"] = *node.exclusive_maximum;
    }
    break;
  case Node::Kind::tagged:
    schema["type"] = "object";
    schema["required"] = {node.tag};
    schema["oneOf"] = tagged_schema(node);
    break;
  case Node::Kind::number_or_tagged: {
    ordered_json alternatives = tagged_schema(node);
    alternatives.insert(alternatives.begin(), to_json_schema(*node.number));
    schema["oneOf"] = std::move(alternatives);
    break;
  }
  case Node::Kind::number_or_word:
    schema["oneOf"] = ordered_json::array(
        {to_json_schema(*node.number), {{"type", "string"}, {"enum", node.one_of}}});
    break;
  case Node::Kind::integer_or_array: {
    ordered_json array{{"type", "array"}, {"items", to_json_schema(*node.items)}};
    if (node.min_items > 0) {
      array["minItems"] = node.min_items;
    }
    schema["oneOf"] = ordered_json::array({to_json_schema(*node.number), std::move(array)});
    break;
  }
  }
  return schema;
}

} // namespace h2sim::scenario
