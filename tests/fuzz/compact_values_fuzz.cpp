// libFuzzer target: the reader of a replication's values in the compact form, the text a
// replication's process sends its parent and a sweep's journal keeps (a file a user may edit or
// a killed sweep may leave cut short).

#include "report/compact.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
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

/** Whether a JSON number (or null, for NaN) is `value`, bit for bit. */
bool same(const nlohmann::json& number, double value) {
  if (number.is_null()) {
    return std::isnan(value);
  }
  if (!number.is_number()) {
    return false;
  }
  const double read = number.get<double>();
  // nlohmann reads "-0" as the integer 0; decode, as JSON's number -0.0.
  return read == value && (number.is_number_integer() || std::signbit(read) == std::signbit(value));
}

/** Whether a JSON record [groups, numbers...] is `record`. */
bool same_record(const nlohmann::json& in, const h2sim::report::RecordValues& record) {
  if (!in.is_array() || in.size() != record.leaves.size() + 1 ||
      in.at(0).get<std::uint64_t>() != record.groups) {
    return false;
  }
  for (std::size_t i = 0; i < record.leaves.size(); ++i) {
    if (!same(in.at(i + 1), record.leaves[i])) {
      return false;
    }
  }
  return true;
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
  // Nothing JSON refuses, and the numbers JSON reads (nlohmann, as earlier versions did).
  nlohmann::json reference;
  try {
    reference = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    require(false, "what decode reads is JSON");
  }
  require(reference.at("events").get<std::uint64_t>() == values.events, "events as JSON reads it");
  require(same(reference.at("wall_s"), values.wall_s), "wall_s as JSON reads it");
  require(same_record(reference.at("totals"), values.totals), "the totals as JSON reads them");
  for (std::size_t i = 0; i < values.stations.size(); ++i) {
    require(same_record(reference.at("stations").at(i), values.stations[i]),
            "each station as JSON reads it");
  }
  for (std::size_t i = 0; i < values.classes.size(); ++i) {
    require(same_record(reference.at("classes").at(i), values.classes[i]),
            "each class as JSON reads it");
  }
  require(reference.at("stations").size() == values.stations.size() &&
              reference.at("classes").size() == values.classes.size(),
          "every record JSON reads");
  // What it read fits its layouts (encode checks them) and crosses again unchanged.
  const std::string again = h2sim::report::encode(values);
  require(h2sim::report::encode(h2sim::report::decode(again)) == again,
          "values read cross again unchanged");
  return 0;
}
