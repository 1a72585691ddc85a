#pragma once

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::scenario {

/**
 * The shape of a scenario value, declared once and used twice: to validate a document (every
 * problem, each with its JSON pointer) and to print the JSON Schema (`h2sim schema`), so the two
 * cannot disagree. Cross-field rules (unique ids, min <= max) are checked by the builder after.
 */
struct Node {
  enum class Kind {
    object,
    array,
    number,
    integer,
    string,
    tagged,
    number_or_tagged,
    integer_or_array,
    number_or_word // a number, or one of the strings of one_of
  };
  Kind kind = Kind::object;
  std::string description;

  // number, integer
  std::optional<double> minimum;
  std::optional<double> exclusive_minimum;
  std::optional<double> maximum;
  std::optional<double> exclusive_maximum;

  // string: the allowed values (empty: any string)
  std::vector<std::string> one_of;
  bool non_empty = false; // string: "" is refused (an id or a file name)

  // object: properties in declaration order
  struct Property {
    std::string name;
    std::shared_ptr<const Node> node;
    bool required = false;
  };
  std::vector<Property> properties;
  bool any_keys = false; // object: any keys, any values, at least min_items of them (PATH: VALUE)
  /** object: `lat` and `lon` may stand for the required `x_km` and `y_km` (scenario/geographic). */
  bool geographic = false;

  // array
  std::shared_ptr<const Node> items;
  std::size_t min_items = 0;
  bool exact_items = false; // array: exactly min_items

  // tagged (and number_or_tagged): an object whose `tag` key names the variant it follows
  std::string tag;
  std::vector<std::pair<std::string, std::shared_ptr<const Node>>> variants;
  std::shared_ptr<const Node> number; // number_or_tagged, integer_or_array: the number alternative
  // integer_or_array: `items` and `min_items` describe the array alternative

  /** The one-line expectation used in messages: "an integer >= 1", "an object", ... */
  std::string expectation() const;
};

using NodePtr = std::shared_ptr<const Node>;

/** Appends every problem of `value` against `node` to `problems`; `pointer` locates `value`. */
void validate(const nlohmann::json& value, const Node& node, const std::string& pointer,
              std::vector<Problem>& problems);

/** The JSON Schema (draft 2020-12) that `node` describes. */
nlohmann::ordered_json to_json_schema(const Node& node);

} // namespace h2sim::scenario
