// libFuzzer target: the HTML report over an h2sim output a user may have edited (or that is not
// one), alone and beside itself as a comparison, with a scenario for the map when the input
// carries one after a line "@scenario". The CLI's `h2sim report` passes its files the same way.

#include <h2sim/report.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view separator = "\n@scenario\n";
  const std::size_t split = text.find(separator);
  h2sim::ReportOptions options;
  nlohmann::ordered_json output;
  try {
    output = h2sim::parse_report_input(text.substr(0, split));
    if (split != std::string_view::npos) {
      options.scenario = h2sim::parse_report_input(text.substr(split + separator.size()));
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
