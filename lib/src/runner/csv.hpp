#pragma once

#include <string>

namespace h2sim {

/** `text` as one CSV field (RFC 4180): quoted, with "" for a quote, when it needs to be. */
inline std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

} // namespace h2sim
