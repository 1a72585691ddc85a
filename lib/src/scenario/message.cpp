#include "message.hpp"

#include <algorithm>

namespace h2sim::scenario {

using nlohmann::json;

namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/** The longest prefix of `text` (valid UTF-8) of at most `limit` bytes that ends on a character. */
std::string_view head(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  std::size_t end = limit;
  while (end > 0 && continuation(text[end])) {
    --end;
  }
  return text.substr(0, end);
}

std::string finish(const std::string& out, std::size_t limit) {
  return out.size() <= limit ? out : std::string(head(out, limit)) + "...";
}

// Every writer below stops once `out` is longer than `limit`; the caller cuts it. Escaping never
// shortens text, so a string needs no more than limit + 4 raw bytes to fill the limit (the 4 keep
// a character split at the raw cut, which becomes U+FFFD, beyond the final cut).
void write_string(std::string_view text, std::string& out, std::size_t limit) {
  const std::string raw(text.substr(0, limit + 4));
  out += json(raw).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Recursion depth is at most limit + 2 whatever the value's depth: each level appends at least one
// byte ('[' or '{') before it descends, and a call returns at once when `out` is over the limit.
void write_json(const json& value, std::string& out, std::size_t limit) {
  if (out.size() > limit) {
    return;
  }
  switch (value.type()) {
  case json::value_t::object:
  case json::value_t::array: {
    const bool object = value.is_object();
    out += object ? '{' : '[';
    bool first = true;
    for (auto it = value.begin(); it != value.end() && out.size() <= limit; ++it) {
      out += first ? "" : ",";
      first = false;
      if (object) {
        write_string(it.key(), out, limit);
        out += ':';
      }
      write_json(it.value(), out, limit);
    }
    out += object ? '}' : ']';
    return;
  }
  case json::value_t::string:
    return write_string(value.get_ref<const std::string&>(), out, limit);
  default:
    out += value.dump(); // a number, boolean or null: a few bytes
    return;
  }
}

} // namespace

std::string brief_json(const json& value, std::size_t limit) {
  std::string out;
  write_json(value, out, limit);
  return finish(out, limit);
}

std::string brief_string(std::string_view text, std::size_t limit) {
  std::string out;
  write_string(text, out, limit);
  return finish(out, limit);
}

std::string brief_text(std::string_view text, std::size_t limit) {
  return finish(valid_utf8(text.substr(0, limit + 4)), limit);
}

std::string brief_tail(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) {
    return valid_utf8(text);
  }
  std::size_t start = text.size() - limit;
  while (start < text.size() && continuation(text[start])) {
    ++start;
  }
  return "..." + valid_utf8(text.substr(start));
}

} // namespace h2sim::scenario

namespace h2sim {

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // The length of the sequence `byte` starts and the range its second byte must fall in (RFC
    // 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (byte < 0x80) {
      length = 1;
    } else if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      low = byte == 0xE0 ? 0xA0 : 0x80;
      high = byte == 0xED ? 0x9F : 0xBF;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      low = byte == 0xF0 ? 0x90 : 0x80;
      high = byte == 0xF4 ? 0x8F : 0xBF;
    }
    bool good = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; good && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      good = k == 1 ? next >= low && next <= high : scenario::continuation(text[i + k]);
    }
    if (good) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD"; // U+FFFD for this byte; the next one starts afresh
      ++i;
    }
  }
  return out;
}

} // namespace h2sim

namespace h2sim::scenario {

std::string escape_pointer(const std::string& key) {
  if (std::none_of(key.begin(), key.end(), [](char c) { return c == '~' || c == '/'; })) {
    return key; // every key the tables declare: reading a document asks this for each field
  }
  std::string token;
  token.reserve(key.size() + 4);
  for (const char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

std::vector<std::string> pointer_tokens(const std::string& pointer) {
  std::vector<std::string> tokens;
  std::size_t from = 1;
  while (from <= pointer.size()) {
    const std::size_t slash = std::min(pointer.find('/', from), pointer.size());
    std::string token;
    for (std::size_t i = from; i < slash; ++i) {
      if (pointer[i] == '~' && i + 1 < slash) {
        token += pointer[++i] == '0' ? '~' : '/';
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(std::move(token));
    from = slash + 1;
  }
  return tokens;
}

} // namespace h2sim::scenario
