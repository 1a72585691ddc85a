// libFuzzer target: the HTML report over an h2sim output a user may have edited (or that is not
// one), alone and beside itself as a comparison, with a scenario for the map when the input
// carries one after a line "@scenario", and a station's queue over a day when it carries an event
// log after a line "@events". The CLI's `h2sim report` passes its files the same way.

#include <h2sim/report.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

/** Aborts (libFuzzer saves the input) when a promise of html_report is broken. */
void require(bool condition, const char* promise) {
  if (!condition) {
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::abort();
  }
}

/** How often `needle` occurs in `text`, in any case of its ASCII letters. */
std::size_t occurrences(std::string_view text, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < needle.size() && same; ++k) {
      const char c = text[i + k];
      same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == needle[k];
    }
    count += same ? 1 : 0;
  }
  return count;
}

/** Whether `text` is UTF-8 (what a message must be to be printed and read). */
bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80         ? 1
                               : (c >> 5) == 6  ? 2
                               : (c >> 4) == 14 ? 3
                               : (c >> 3) == 30 ? 4
                                                : 0;
    if (length == 0 || i + length > text.size()) {
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) {
        return false;
      }
    }
    i += length;
  }
  return true;
}

/** The page, or nothing with the ReportError's promises checked. */
void report(const std::vector<h2sim::ReportInput>& inputs, const h2sim::ReportOptions& options) {
  std::string page;
  try {
    page = h2sim::html_report(inputs, options);
  } catch (const h2sim::ReportError& error) {
    const std::string_view message = error.what();
    require(!message.empty(), "a refusal says why");
    require(valid_utf8(message), "a refusal's message is valid UTF-8");
    return;
  }
  // The page's own four scripts (Chart.js, the data, the code): an input's text never opens or
  // closes one.
  require(occurrences(page, "<script") == 4, "the page has its own four <script> elements");
  require(occurrences(page, "</script") == 4, "no input text closes a <script> element");
  require(valid_utf8(page), "the page is valid UTF-8");
}

/** The queue of station S1 over day 0 from an event log (`run --events`), or a refusal. */
void queue_day(std::string_view log, h2sim::ReportOptions& options) {
  std::istringstream in{std::string(log)};
  try {
    options.queue_day = h2sim::queue_over_day(in, "S1", 0);
  } catch (const h2sim::ReportError& error) {
    require(valid_utf8(error.what()), "a refusal of the log says why in UTF-8");
    return;
  }
  const nlohmann::ordered_json& day = options.queue_day;
  for (const char* key : {"waiting_peak_per_minute", "filling_peak_per_minute"}) {
    require(day.contains(key) && day[key].is_array() && day[key].size() == 1440,
            "a queue over the day has a peak per minute");
  }
}

} // namespace

/**
 * The input: an output, then optionally a line "@events" and an event log whose station S1's day
 * 0 the page draws, then optionally a line "@scenario" and a scenario for the map.
 */
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::string_view events = "\n@events\n";
  constexpr std::string_view scenario = "\n@scenario\n";
  std::string text(reinterpret_cast<const char*>(data), size);
  h2sim::ReportOptions options;
  if (const std::size_t at = text.find(events); at != std::string::npos) {
    const std::size_t from = at + events.size();
    const std::size_t end = text.find(scenario, from); // the scenario stays after the output
    queue_day(std::string_view(text).substr(from, end == std::string::npos ? end : end - from),
              options);
    text.erase(at, end == std::string::npos ? end : end - at);
  }
  const std::size_t split = text.find(scenario);
  nlohmann::ordered_json output;
  try {
    output = h2sim::parse_report_input(std::string_view(text).substr(0, split));
    if (split != std::string::npos) {
      options.scenario =
          h2sim::parse_report_input(std::string_view(text).substr(split + scenario.size()));
      options.scenario_label = "fuzz-scenario.json";
    }
  } catch (const h2sim::ReportError& error) {
    require(valid_utf8(error.what()), "a parse error's message is valid UTF-8");
    return 0;
  }
  report({{"fuzz.json", output}}, options);
  report({{"a.json", output}, {"b.json", output}}, options);
  return 0;
}
