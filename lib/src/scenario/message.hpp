#pragma once

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace h2sim::scenario {

/**
 * Messages quote what they refuse ("got ..."), but a scenario or a trace can hold values of any
 * size and depth: a message quotes at most this many bytes of one, enough to recognise it.
 */
constexpr std::size_t quote_limit = 40;

/**
 * `value` as JSON text, cut after at most `limit` bytes (never inside a UTF-8 character) with
 * "..." appended when cut. It serialises no more than it shows, so it is safe on a value nested
 * arbitrarily deep or megabytes long.
 */
std::string brief_json(const nlohmann::json& value, std::size_t limit = quote_limit);

/** `text` as a JSON string literal (quoted, escaped; bad UTF-8 as U+FFFD), cut like brief_json. */
std::string brief_string(std::string_view text, std::size_t limit = quote_limit);

/** `text` unquoted, cut like brief_json; bytes that are not UTF-8 become U+FFFD. */
std::string brief_text(std::string_view text, std::size_t limit = quote_limit);

/** The last `limit` bytes of `text` (never splitting a UTF-8 character), "..." first when cut. */
std::string brief_tail(std::string_view text, std::size_t limit = quote_limit);

/** `key` as one token of a JSON pointer: "~" as "~0", "/" as "~1". */
std::string escape_pointer(const std::string& key);

/** The tokens of a JSON pointer the program wrote ("/a~1b/0": "a/b", "0"), unescaped. */
std::vector<std::string> pointer_tokens(const std::string& pointer);

/** `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD. */
using h2sim::valid_utf8;

} // namespace h2sim::scenario
