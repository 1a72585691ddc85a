#pragma once

#include <cstddef>
#include <iosfwd>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

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

/** The fields of one CSV record, or why it is not one. */
struct CsvFields {
  std::vector<std::string> cells; // the first `keep` fields
  std::size_t count = 0;          // how many fields the record has
  std::string error;              // empty when the record is CSV
  bool unclosed = false;          // the error is a quoted field not closed in the record
};

/**
 * Splits one record (without its line end) into fields, RFC 4180: a field is either bare (it holds
 * no quote) or quoted (a doubled quote inside stands for one; commas and line ends inside are
 * text). With `trim`, blanks (space, tab, CR) around a bare field are dropped and those around a
 * quoted one ignored; without, they are the field's. Only the first `keep` fields are kept, so a
 * record of a billion commas costs no memory.
 */
CsvFields csv_split(std::string_view record, bool trim = false,
                    std::size_t keep = std::numeric_limits<std::size_t>::max());

/**
 * Reads one record from `in` into `record`, without its line end (LF or CRLF): a line, joined to
 * the next ones (line ends kept) while a quoted field is open. False at the end of the input.
 */
bool csv_read_record(std::istream& in, std::string& record);

/**
 * A CSV value as a decimal number (`12`, `-3.5`, `1e3`), finite; nothing else: no hexadecimal, no
 * leading `+`, no inf or nan. False when `text` is not one.
 */
bool csv_decimal(const std::string& text, double& value);

/** Whether a line holds nothing but blanks (spaces, tabs, a CR): a line readers skip. */
bool csv_blank(std::string_view line);

} // namespace h2sim
