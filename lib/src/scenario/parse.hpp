#pragma once

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace h2sim::scenario {

/** Scenario documents (and --set values) nest no deeper than this: see parse_json. */
constexpr std::size_t max_depth = 64;

/** Thrown by parse_json when the text is not JSON; `message` says where and why. */
struct NotJson {
  std::string message;
  bool out_of_range = false; // valid JSON but for a number beyond a double's range (1e309)
};

/** Thrown by parse_json at the first array or object nested deeper than max_depth. */
struct TooDeep {
  std::string pointer;
};

/**
 * Parses JSON, reporting keys that appear twice in one object (the parser would keep the last one
 * silently, hiding an edit that did not take effect); `at` is the pointer of the text's value.
 * Nesting is limited to max_depth (the deepest scenario value is about 8 levels): the parser
 * itself is iterative, but serialising, copying and comparing a value recurse, so an 80,000-level
 * array in a file of 160 KB would overflow the stack wherever it is later looked at.
 */
nlohmann::json parse_json(std::string_view text, const std::string& at,
                          std::vector<Problem>& problems);

/** The message for a value nested deeper than max_depth. */
std::string too_deep();

} // namespace h2sim::scenario
