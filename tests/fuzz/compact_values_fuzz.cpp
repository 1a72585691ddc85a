// libFuzzer target: the reader of a replication's values in the compact form, the text a
// replication's process sends its parent and a sweep's journal keeps (a file a user may edit or
// a killed sweep may leave cut short).

#include "report/compact.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

/** Aborts (libFuzzer saves the input) when a promise of decode is broken. */
void require(bool condition, const char* promise) {
  if (!condition) {
    std::fprintf(stderr, "broken promise: %s\n", promise);
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  h2sim::report::ReplicationValues values;
  try {
    values = h2sim::report::decode(text);
  } catch (const h2sim::report::CompactError&) {
    return 0; // refused, as it should be; anything else escaping aborts
  }
  // What it read fits its layouts (encode checks) and crosses again unchanged.
  const std::string again = h2sim::report::encode(values);
  require(h2sim::report::encode(h2sim::report::decode(again)) == again,
          "values read cross again unchanged");
  require(values.totals.bins <= 20'000, "at most 20,000 series bins");
  return 0;
}
