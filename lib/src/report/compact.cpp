#include "compact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

namespace h2sim::report {

namespace {

// 2: series bins (and, optionally, "waits"); 3: hourly utilization and queue length
constexpr int format = 3;
// A valid scenario has at most 10,000 series bins; twice that leaves room for rounding, and keeps
// a damaged journal line from making a layout of millions of leaves.
constexpr std::uint64_t max_bins = 20'000;

using Layout = const std::vector<Leaf>& (*)(std::uint8_t groups, std::uint32_t bins);
/** How many numbers a record's layout has; read ones are checked so, without building it. */
using LayoutSize = std::size_t (*)(std::uint8_t groups, std::uint32_t bins);

const std::vector<Leaf>& totals_layout(std::uint8_t groups, std::uint32_t bins) {
  return station_layout(groups, Scope::totals, bins);
}
const std::vector<Leaf>& stations_layout(std::uint8_t groups, std::uint32_t bins) {
  return station_layout(groups, Scope::stations, bins);
}
const std::vector<Leaf>& classes_layout(std::uint8_t groups, std::uint32_t) {
  if (groups != 0) {
    throw CompactError("a class has no optional groups");
  }
  return class_layout();
}
std::size_t totals_size(std::uint8_t groups, std::uint32_t bins) {
  return station_layout_size(groups, Scope::totals, bins);
}
std::size_t stations_size(std::uint8_t groups, std::uint32_t bins) {
  return station_layout_size(groups, Scope::stations, bins);
}
std::size_t classes_size(std::uint8_t groups, std::uint32_t bins) {
  return classes_layout(groups, bins).size();
}

// Writing: the keys nlohmann::json's dump() wrote in earlier versions, in its order, and each
// number as the shortest text that reads back as exactly its value, written directly. A 365-day
// run of Shanghai carries some 400,000 numbers; building a JSON document of them and writing it
// took a tenth of a second, and reading it back longer.

void put_unsigned(std::string& out, std::uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  out.append(digits, end);
}

void put_integer(std::string& out, std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  out.append(digits, end);
}

/** The shortest text that reads back as exactly `value`; null where it is not finite (NaN). */
void put_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  if (value == 0 && std::signbit(value)) {
    out += "-0.0"; // "-0" is an integer to JSON readers (a journal's), which lose the sign
    return;
  }
  char digits[32];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  out.append(digits, end);
}

void put_key(std::string& out, const char* key) {
  out += '"';
  out += key;
  out += "\":";
}

void put_record(std::string& out, const RecordValues& record, Layout layout_of) {
  const std::vector<Leaf>& layout = layout_of(record.groups, record.bins);
  if (record.leaves.size() != layout.size()) {
    throw std::logic_error("a record's values do not match its layout");
  }
  out += '[';
  put_unsigned(out, record.groups);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    const double value = record.leaves[i];
    out += ',';
    // Counts are written as integers: shorter, and exact whatever the double's digits.
    if (layout[i].integer && value >= 0 && value < 0x1p53 && value == std::floor(value)) {
      put_unsigned(out, static_cast<std::uint64_t>(value));
    } else {
      put_double(out, value);
    }
  }
  out += ']';
}

template <class Records>
void put_records(std::string& out, const Records& records, Layout layout_of) {
  out += '[';
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    put_record(out, records[i], layout_of);
  }
  out += ']';
}

// Reading: JSON as RFC 8259 has it, for the shapes encode() writes, with strings in printable
// ASCII (every key it has written is); a key it does not write is passed over, whatever its value.

/** A JSON number read: its value, and whether it was written as an integer (no '.', no 'e'). */
struct Number {
  double value = 0;
  bool integer = false;
  bool negative = false;
  std::uint64_t magnitude = 0; // where integer and within 64 bits
  bool fits = false;           // magnitude holds it
  /** Written as a count: an integer >= 0 within 64 bits (magnitude). */
  bool count() const { return integer && !negative && fits; }
};

class Reader {
public:
  explicit Reader(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw CompactError("malformed: " + what + " at byte " + std::to_string(at_));
  }

  char peek() {
    skip_space();
    return at_ < text_.size() ? text_[at_] : '\0';
  }

  bool take(char c) {
    if (peek() == c) {
      ++at_;
      return true;
    }
    return false;
  }

  void expect(char c) {
    if (!take(c)) {
      fail(std::string("expected '") + c + "'");
    }
  }

  void end() {
    if (peek() != '\0' || at_ != text_.size()) {
      fail("text after the values");
    }
  }

  /**
   * A string: printable ASCII, as every key encode() has written is, with JSON's escapes; what it
   * returns is the text between the quotes as written (a key with escapes matches no key read).
   */
  std::string_view string() {
    expect('"');
    const std::size_t begin = at_;
    while (at_ < text_.size() && text_[at_] != '"') {
      const auto c = static_cast<unsigned char>(text_[at_]);
      if (c < 0x20 || c > 0x7e) {
        fail("a byte in a string that is not printable ASCII");
      }
      if (c == '\\') {
        escape();
      } else {
        ++at_;
      }
    }
    if (at_ == text_.size()) {
      fail("an unterminated string");
    }
    return text_.substr(begin, at_++ - begin);
  }

  bool literal(std::string_view word) {
    peek();
    if (text_.substr(at_, word.size()) == word) {
      at_ += word.size();
      return true;
    }
    return false;
  }

  bool is_number_next() {
    const char c = peek();
    return c == '-' || (c >= '0' && c <= '9');
  }

  Number number() {
    if (!is_number_next()) {
      fail("expected a number");
    }
    Number number;
    const std::size_t begin = at_;
    number.negative = text_[at_] == '-';
    if (number.negative) {
      ++at_;
    }
    const std::size_t int_begin = at_;
    if (digit() && text_[at_ - 1] == '0' && at_ < text_.size() && is_digit(text_[at_])) {
      fail("a number with a leading zero");
    }
    if (at_ == int_begin) {
      fail("expected digits");
    }
    while (digit()) {
    }
    const std::size_t int_end = at_;
    number.integer = true;
    if (at_ < text_.size() && text_[at_] == '.') {
      number.integer = false;
      ++at_;
      if (!digit()) {
        fail("expected digits after '.'");
      }
      while (digit()) {
      }
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      number.integer = false;
      ++at_;
      if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) {
        ++at_;
      }
      if (!digit()) {
        fail("expected digits in an exponent");
      }
      while (digit()) {
      }
    }
    // from_chars takes no '+' and no leading '-' we have not checked: the token is JSON's.
    const char* first = text_.data() + begin;
    const char* last = text_.data() + at_;
    const auto [ptr, error] = std::from_chars(first, last, number.value);
    if (error != std::errc() || ptr != last) {
      fail("a number out of range");
    }
    if (number.integer) {
      const auto [end, overflow] =
          std::from_chars(text_.data() + int_begin, text_.data() + int_end, number.magnitude);
      number.fits = overflow == std::errc() && end == text_.data() + int_end;
    }
    return number;
  }

  /** Passes over one value of any kind. */
  void skip_value(int depth = 0) {
    if (depth > 64) {
      fail("values nested too deep");
    }
    const char c = peek();
    if (c == '"') {
      string();
    } else if (c == '[' || c == '{') {
      ++at_;
      const char close = c == '[' ? ']' : '}';
      if (take(close)) {
        return;
      }
      do {
        if (c == '{') {
          string();
          expect(':');
        }
        skip_value(depth + 1);
      } while (take(','));
      expect(close);
    } else if (!(literal("true") || literal("false") || literal("null"))) {
      number();
    }
  }

private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  bool digit() {
    if (at_ < text_.size() && is_digit(text_[at_])) {
      ++at_;
      return true;
    }
    return false;
  }

  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }

  /** One escape in a string, from its backslash: one of \" \\ \/ \b \f \n \r \t, or \u and 4 hex
   * digits. */
  void escape() {
    ++at_;
    if (at_ < text_.size() &&
        std::string_view(R"("\/bfnrt)").find(text_[at_]) != std::string_view::npos) {
      ++at_;
      return;
    }
    if (at_ < text_.size() && text_[at_] == 'u') {
      ++at_;
      for (int i = 0; i < 4; ++i, ++at_) {
        if (at_ >= text_.size() || std::isxdigit(static_cast<unsigned char>(text_[at_])) == 0) {
          fail("a \\u escape without 4 hex digits");
        }
      }
      return;
    }
    fail("an unknown escape in a string");
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

std::uint64_t unsigned_of(Reader& in, const std::string& what) {
  const Number n = in.number();
  if (!n.count()) {
    throw CompactError(what + " is not a count");
  }
  return n.magnitude;
}

/** A record as read: [groups, leaves...], checked against its layout once the bins are known. */
RecordValues raw_record(Reader& in, const std::string& what) {
  in.expect('[');
  RecordValues record;
  if (!in.is_number_next()) {
    throw CompactError(what + " is not a record");
  }
  const Number groups = in.number();
  if (!groups.count() || groups.magnitude > group::all) {
    throw CompactError(what + " is not a record");
  }
  record.groups = static_cast<std::uint8_t>(groups.magnitude);
  while (in.take(',')) {
    if (in.literal("null")) {
      record.leaves.push_back(std::numeric_limits<double>::quiet_NaN());
    } else if (in.is_number_next()) {
      record.leaves.push_back(in.number().value);
    } else {
      throw CompactError(what + " has a value that is not a number");
    }
  }
  in.expect(']');
  return record;
}

void check_record(RecordValues& record, const std::string& what, LayoutSize size_of,
                  std::uint32_t bins) {
  record.bins = bins;
  const std::size_t size = size_of(record.groups, bins);
  if (record.leaves.size() != size) {
    throw CompactError(what + " has " + std::to_string(record.leaves.size()) + " values where " +
                       std::to_string(size) + " are reported");
  }
}

std::vector<RecordValues> raw_records(Reader& in, const std::string& what) {
  if (in.peek() != '[') {
    throw CompactError("stations and classes are not lists");
  }
  in.expect('[');
  std::vector<RecordValues> records;
  if (in.take(']')) {
    return records;
  }
  do {
    records.push_back(raw_record(in, what));
  } while (in.take(','));
  in.expect(']');
  return records;
}

QuantileSketch waits_of(Reader& in) {
  const std::string bound = "waits is not a sketch of at most " +
                            std::to_string(ReplicationValues::max_carried_buckets) + " buckets";
  if (in.peek() != '[') {
    throw CompactError(bound);
  }
  in.expect('[');
  std::vector<Number> items;
  if (!in.take(']')) {
    do {
      if (!in.is_number_next()) {
        throw CompactError("waits has a value that is not a number");
      }
      items.push_back(in.number());
      if (items.size() > 4 + ReplicationValues::max_carried_buckets) {
        throw CompactError(bound);
      }
    } while (in.take(','));
    in.expect(']');
  }
  if (items.size() < 4) {
    throw CompactError(bound);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 1 && i != 2 && i != 3 && !items[i].count()) {
      throw CompactError("waits has a count that is not a count");
    }
  }
  if (!items[3].integer || !items[3].fits || items[3].magnitude > 1'000'000) {
    throw CompactError("waits has a sum, max or first bucket that is not a number");
  }
  QuantileSketch::Parts parts;
  parts.zeros = items[0].magnitude;
  parts.sum = items[1].value;
  parts.max = items[2].value;
  parts.min_index =
      static_cast<int>(items[3].negative ? -static_cast<std::int64_t>(items[3].magnitude)
                                         : static_cast<std::int64_t>(items[3].magnitude));
  std::uint64_t waits = parts.zeros;
  for (std::size_t i = 4; i < items.size(); ++i) {
    if (items[i].magnitude > std::numeric_limits<std::uint64_t>::max() - waits) {
      throw CompactError("waits has more waits than a count holds");
    }
    waits += items[i].magnitude;
    parts.buckets.push_back(items[i].magnitude);
  }
  return QuantileSketch::from_parts(std::move(parts));
}

} // namespace

std::string encode(const ReplicationValues& values) {
  std::string out;
  out.reserve(64 + 24 * (values.totals.leaves.size() * (2 + values.stations.size()) +
                         values.classes.size() * class_layout().size()));
  // The keys sorted, as nlohmann::json's dump() wrote them in earlier versions.
  out += '{';
  put_key(out, "bins");
  put_unsigned(out, values.totals.bins);
  out += ',';
  put_key(out, "classes");
  put_records(out, values.classes, classes_layout);
  out += ',';
  put_key(out, "events");
  put_unsigned(out, values.events);
  out += ',';
  put_key(out, "h2sim_values");
  put_unsigned(out, format);
  out += ',';
  put_key(out, "stations");
  put_records(out, values.stations, stations_layout);
  out += ',';
  put_key(out, "totals");
  put_record(out, values.totals, totals_layout);
  out += ',';
  if (values.waits) {
    const QuantileSketch::Parts parts = values.waits->parts();
    if (parts.buckets.size() > ReplicationValues::max_carried_buckets) {
      throw std::logic_error("a replication's waits are not collapsed");
    }
    put_key(out, "waits");
    out += '[';
    put_unsigned(out, parts.zeros);
    out += ',';
    put_double(out, parts.sum);
    out += ',';
    put_double(out, parts.max);
    out += ',';
    put_integer(out, parts.min_index);
    for (std::uint64_t n : parts.buckets) {
      out += ',';
      put_unsigned(out, n);
    }
    out += "],";
  }
  put_key(out, "wall_s");
  put_double(out, values.wall_s);
  if (values.warmup) {
    out += ',';
    put_key(out, "warmup_days");
    put_double(out, values.warmup->days);
    out += ',';
    put_key(out, "warmup_stable");
    out += values.warmup->stable ? "true" : "false";
  }
  out += '}';
  return out;
}

ReplicationValues decode(std::string_view text) {
  Reader in(text);
  ReplicationValues values;
  std::optional<double> version;
  std::optional<std::uint64_t> events;
  std::optional<double> wall_s;
  std::optional<std::uint64_t> bins;
  std::optional<RecordValues> totals;
  std::optional<std::vector<RecordValues>> stations;
  std::optional<std::vector<RecordValues>> classes;
  std::optional<double> warmup_days;
  std::optional<bool> warmup_stable;
  constexpr std::array<std::string_view, 10> known_keys{
      "bins",   "classes", "events", "h2sim_values", "stations",
      "totals", "waits",   "wall_s", "warmup_days",  "warmup_stable"};
  std::array<bool, known_keys.size()> seen{};
  if (in.peek() != '{') {
    throw CompactError("not a replication's values in format " + std::to_string(format));
  }
  in.expect('{');
  if (!in.take('}')) {
    do {
      const std::string_view key = in.string();
      in.expect(':');
      const auto known = std::find(known_keys.begin(), known_keys.end(), key);
      if (known != known_keys.end() &&
          std::exchange(seen.at(static_cast<std::size_t>(known - known_keys.begin())), true)) {
        throw CompactError("malformed: " + std::string(key) + " given twice");
      }
      if (key == "h2sim_values") {
        if (!in.is_number_next()) {
          throw CompactError("not a replication's values in format " + std::to_string(format));
        }
        version = in.number().value;
      } else if (key == "events") {
        events = unsigned_of(in, "events");
      } else if (key == "wall_s") {
        wall_s = in.number().value;
      } else if (key == "bins") {
        if (!in.is_number_next()) {
          throw CompactError("bins is not a count of series bins");
        }
        const Number n = in.number();
        if (!n.count() || n.magnitude > max_bins) {
          throw CompactError("bins is not a count of series bins");
        }
        bins = n.magnitude;
      } else if (key == "totals") {
        totals = raw_record(in, "the totals");
      } else if (key == "stations") {
        stations = raw_records(in, "a station");
      } else if (key == "classes") {
        classes = raw_records(in, "a class");
      } else if (key == "warmup_days") {
        warmup_days = in.number().value;
      } else if (key == "warmup_stable") {
        if (in.literal("true")) {
          warmup_stable = true;
        } else if (in.literal("false")) {
          warmup_stable = false;
        } else {
          in.fail("warmup_stable is not true or false");
        }
      } else if (key == "waits") {
        values.waits = waits_of(in);
      } else {
        in.skip_value();
      }
    } while (in.take(','));
    in.expect('}');
  }
  in.end();
  if (!version || *version != format) {
    throw CompactError("not a replication's values in format " + std::to_string(format));
  }
  if (!events || !wall_s || !bins || !totals || !stations || !classes ||
      warmup_days.has_value() != warmup_stable.has_value()) {
    throw CompactError("malformed: a key of a replication's values is missing");
  }
  values.events = *events;
  values.wall_s = *wall_s;
  const auto count = static_cast<std::uint32_t>(*bins);
  check_record(*totals, "the totals", totals_size, count);
  values.totals = std::move(*totals);
  for (RecordValues& station : *stations) {
    check_record(station, "a station", stations_size, count);
  }
  for (RecordValues& vehicle_class : *classes) {
    check_record(vehicle_class, "a class", classes_size, 0);
  }
  values.stations = std::move(*stations);
  values.classes = std::move(*classes);
  if (warmup_days) {
    values.warmup = ReplicationValues::ChosenWarmup{*warmup_days, *warmup_stable};
  }
  return values;
}

} // namespace h2sim::report
