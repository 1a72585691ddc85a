#include "csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <istream>

namespace h2sim {

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

} // namespace

CsvFields csv_split(std::string_view record, bool trim, std::size_t keep) {
  CsvFields fields;
  const auto skip_blanks = [&](std::size_t& i) {
    while (trim && i < record.size() && blank(record[i])) {
      ++i;
    }
  };
  std::size_t i = 0;
  while (true) {
    skip_blanks(i);
    std::string cell;
    if (i < record.size() && record[i] == '"') {
      bool closed = false;
      for (++i; i < record.size(); ++i) {
        if (record[i] == '"') {
          if (i + 1 < record.size() && record[i + 1] == '"') {
            cell += '"';
            ++i;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        cell += record[i];
      }
      if (!closed) {
        fields.error = "a quoted value is not closed";
        fields.unclosed = true;
        return fields;
      }
      skip_blanks(i);
      if (i < record.size() && record[i] != ',') {
        fields.error = "text after the closing quote of a value";
        return fields;
      }
    } else {
      const std::size_t comma = std::min(record.find(',', i), record.size());
      const std::string_view bare = record.substr(i, comma - i);
      if (bare.find('"') != std::string_view::npos) {
        fields.error = "a quote inside an unquoted value (quote the whole value, doubling the "
                       "quotes in it)";
        return fields;
      }
      cell = trim ? trimmed(bare) : bare;
      i = comma;
    }
    if (fields.count < keep) {
      fields.cells.push_back(std::move(cell));
    }
    ++fields.count;
    if (i >= record.size()) {
      return fields;
    }
    ++i; // past the comma: another field follows, maybe an empty one
  }
}

bool csv_read_record(std::istream& in, std::string& record) {
  record.clear();
  std::string line;
  std::size_t quotes = 0;
  for (bool first = true;; first = false) {
    if (!std::getline(in, line)) {
      return !first; // a record cut by the end of the input: csv_split says so
    }
    if (!first) {
      record += '\n';
    }
    record += line;
    quotes += static_cast<std::size_t>(std::count(line.begin(), line.end(), '"'));
    if (quotes % 2 == 0) { // no quoted field open
      if (!record.empty() && record.back() == '\r') {
        record.pop_back();
      }
      return true;
    }
  }
}

bool csv_decimal(const std::string& text, double& value) {
  const char* const last = text.data() + text.size();
  double parsed = 0;
  const auto [end, error] = std::from_chars(text.data(), last, parsed, std::chars_format::general);
  if (error != std::errc() || end != last || !std::isfinite(parsed)) {
    return false;
  }
  value = parsed;
  return true;
}

bool csv_blank(std::string_view line) { return trimmed(line).empty(); }

} // namespace h2sim
