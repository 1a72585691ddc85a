#include "parse.hpp"

#include "message.hpp"

#include <algorithm>
#include <set>

namespace h2sim::scenario {

using nlohmann::json;

namespace {

std::string position(std::string_view text, std::size_t byte) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < std::min(byte, text.size()); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

/**
 * The parser's explanation from `what` (after its "...: " prefix), with the input it quotes
 * ("last read: '...'", "parsing '...'") cut to its last few bytes: that input can be a whole
 * megabyte-long string or number, and it need not be UTF-8.
 */
std::string parser_detail(const std::string& what, char prefix_end) {
  const std::size_t colon = what.find(prefix_end);
  std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
  for (const char* opening : {"last read: '", "parsing '"}) {
    const std::size_t start = detail.find(opening);
    if (start == std::string::npos) {
      continue;
    }
    const std::size_t from = start + std::string_view(opening).size();
    // The quoted input ends at the last quote before "; expected ..." (if any): it may hold quotes.
    const std::size_t expected = detail.rfind("'; expected ");
    const std::size_t to =
        expected != std::string::npos && expected >= from ? expected : detail.rfind('\'');
    if (to != std::string::npos && to >= from) {
      detail.replace(from, to - from, brief_tail({detail.data() + from, to - from}));
    }
    break;
  }
  return valid_utf8(detail);
}

/**
 * Builds the document from the parser's SAX events, reporting keys that appear twice in one object
 * (the parser would keep the last one silently, hiding an edit that did not take effect) and
 * stopping at the first array or object nested deeper than max_depth.
 *
 * Not nlohmann's callback parser: it scans the whole enclosing container at every object's end
 * (for values its callback discarded), which made an array of 20,000 stations take minutes.
 */
class DocumentBuilder {
public:
  DocumentBuilder(json& root, std::string at, std::vector<Problem>& problems)
      : root_(&root), at_(std::move(at)), problems_(&problems) {}

  bool null() { return add(nullptr); }
  bool boolean(bool value) { return add(value); }
  bool number_integer(json::number_integer_t value) { return add(value); }
  bool number_unsigned(json::number_unsigned_t value) { return add(value); }
  bool number_float(json::number_float_t value, const json::string_t&) { return add(value); }
  bool string(json::string_t& value) { return add(std::move(value)); }
  bool binary(json::binary_t& value) { return add(json::binary(std::move(value))); }
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool key(json::string_t& key) {
    Frame& frame = frames_.back();
    frame.token = key;
    if (frame.value->contains(key)) {
      problems_->push_back({pointer(), "duplicate key (only one of them would count)"});
    }
    member_ =
        &(*frame.value)[key]; // null until its value comes; a repeated key's value is replaced
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& error) {
    throw error;
  }

private:
  struct Frame {
    json* value;
    std::string token;     // the current key of an object
    std::size_t index = 0; // the current index of an array
  };

  /** The pointer of the value being read. */
  std::string pointer() const {
    std::string path = at_;
    for (const Frame& frame : frames_) {
      path += "/" + (frame.value->is_object() ? frame.token : std::to_string(frame.index));
    }
    return path;
  }

  /** Puts `value` where the next value goes and returns where it is now. */
  json* place(json&& value) {
    if (frames_.empty()) {
      *root_ = std::move(value);
      return root_;
    }
    json& container = *frames_.back().value;
    if (container.is_array()) {
      container.push_back(std::move(value));
      return &container.back();
    }
    *member_ = std::move(value);
    return member_;
  }

  bool add(json&& value) {
    place(std::move(value));
    next();
    return true;
  }

  bool open(json&& container) {
    if (frames_.size() == max_depth) {
      throw TooDeep{pointer()}; // the pointer of the value that would be one level too deep
    }
    // Pointers to elements stay valid: an array grows only while it is the innermost frame.
    frames_.push_back(Frame{place(std::move(container)), {}, 0});
    return true;
  }

  bool close() {
    frames_.pop_back();
    next();
    return true;
  }

  /** After a value: the next one in an array has the next index. */
  void next() {
    if (!frames_.empty() && frames_.back().value->is_array()) {
      ++frames_.back().index;
    }
  }

  json* root_;
  std::string at_;
  std::vector<Problem>* problems_;
  std::vector<Frame> frames_;
  json* member_ = nullptr;
};

} // namespace

/**
 * Parses JSON (see DocumentBuilder); `at` is the pointer of the text's value.
 *
 * Nesting is limited to max_depth (the deepest scenario value is about 8 levels): the parser
 * itself is iterative, but serialising, copying and comparing a value recurse, so an 80,000-level
 * array in a file of 160 KB would overflow the stack wherever it is later looked at.
 */
json parse_json(std::string_view text, const std::string& at, std::vector<Problem>& problems) {
  // The parser takes a NUL outside a string for the end of the text, so `{...}<NUL>junk` would
  // load; no JSON text holds a NUL byte.
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    throw NotJson{"not valid JSON at " + position(text, nul) +
                  ": a NUL byte (JSON text cannot contain one)"};
  }
  json document;
  DocumentBuilder builder(document, at, problems);
  try {
    json::sax_parse(text, &builder);
  } catch (const json::out_of_range& e) {
    throw NotJson{"a number is out of range: " + parser_detail(e.what(), ']'), true};
  } catch (const json::parse_error& e) {
    // e.byte is one past the offending character.
    throw NotJson{"not valid JSON at " + position(text, e.byte > 0 ? e.byte - 1 : 0) + ": " +
                  parser_detail(e.what(), ':')};
  }
  return document;
}

std::string too_deep() { return "nested deeper than " + std::to_string(max_depth) + " levels"; }

} // namespace h2sim::scenario
