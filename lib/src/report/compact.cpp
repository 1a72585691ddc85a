#include "compact.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace h2sim::report {

using nlohmann::json;

namespace {

// 2: series bins (and, optionally, "waits"); 3: hourly utilization and queue length
constexpr int format = 3;
constexpr std::uint64_t max_bins = 1'000'000;

using Layout = const std::vector<Leaf>& (*)(std::uint8_t groups, std::uint32_t bins);

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

json record_json(const RecordValues& record, Layout layout_of) {
  const std::vector<Leaf>& layout = layout_of(record.groups, record.bins);
  if (record.leaves.size() != layout.size()) {
    throw std::logic_error("a record's values do not match its layout");
  }
  json out = json::array();
  out.push_back(record.groups);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    const double value = record.leaves[i];
    // Counts are written as integers: shorter, and exact whatever the double's digits.
    if (layout[i].integer && value >= 0 && value < 0x1p53 && value == std::floor(value)) {
      out.push_back(static_cast<std::uint64_t>(value));
    } else {
      out.push_back(value); // not finite: null, read back as NaN
    }
  }
  return out;
}

RecordValues record_of(const json& in, const char* what, Layout layout_of, std::uint32_t bins) {
  if (!in.is_array() || in.empty() || !in[0].is_number_unsigned() ||
      in[0].get<std::uint64_t>() > group::all) {
    throw CompactError(std::string(what) + " is not a record");
  }
  RecordValues record;
  record.groups = static_cast<std::uint8_t>(in[0].get<std::uint64_t>());
  record.bins = bins;
  const std::vector<Leaf>& layout = layout_of(record.groups, bins);
  if (in.size() != layout.size() + 1) {
    throw CompactError(std::string(what) + " has " + std::to_string(in.size() - 1) +
                       " values where " + std::to_string(layout.size()) + " are reported");
  }
  record.leaves.reserve(layout.size());
  for (std::size_t i = 1; i < in.size(); ++i) {
    if (in[i].is_number()) {
      record.leaves.push_back(in[i].get<double>());
    } else if (in[i].is_null()) {
      record.leaves.push_back(std::numeric_limits<double>::quiet_NaN());
    } else {
      throw CompactError(std::string(what) + " has a value that is not a number");
    }
  }
  return record;
}

QuantileSketch waits_of(const json& in) {
  if (!in.is_array() || in.size() < 4 || in.size() - 4 > ReplicationValues::max_carried_buckets) {
    throw CompactError("waits is not a sketch of at most " +
                       std::to_string(ReplicationValues::max_carried_buckets) + " buckets");
  }
  QuantileSketch::Parts parts;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (i != 1 && i != 2 && i != 3 && !in[i].is_number_unsigned()) {
      throw CompactError("waits has a count that is not a count");
    }
  }
  if (!in[1].is_number() || !in[2].is_number() || !in[3].is_number_integer() ||
      std::abs(in[3].get<std::int64_t>()) > 1'000'000) {
    throw CompactError("waits has a sum, max or first bucket that is not a number");
  }
  parts.zeros = in[0].get<std::uint64_t>();
  parts.sum = in[1].get<double>();
  parts.max = in[2].get<double>();
  parts.min_index = static_cast<int>(in[3].get<std::int64_t>());
  for (std::size_t i = 4; i < in.size(); ++i) {
    parts.buckets.push_back(in[i].get<std::uint64_t>());
  }
  return QuantileSketch::from_parts(std::move(parts));
}

} // namespace

std::string encode(const ReplicationValues& values) {
  json out{{"h2sim_values", format},
           {"events", values.events},
           {"wall_s", values.wall_s},
           {"bins", values.totals.bins}};
  out["totals"] = record_json(values.totals, totals_layout);
  out["stations"] = json::array();
  for (const RecordValues& station : values.stations) {
    out["stations"].push_back(record_json(station, stations_layout));
  }
  out["classes"] = json::array();
  for (const RecordValues& vehicle_class : values.classes) {
    out["classes"].push_back(record_json(vehicle_class, classes_layout));
  }
  if (values.warmup) {
    out["warmup_days"] = values.warmup->days;
    out["warmup_stable"] = values.warmup->stable;
  }
  if (values.waits) {
    const QuantileSketch::Parts parts = values.waits->parts();
    if (parts.buckets.size() > ReplicationValues::max_carried_buckets) {
      throw std::logic_error("a replication's waits are not collapsed");
    }
    json waits{parts.zeros, parts.sum, parts.max, parts.min_index};
    for (std::uint64_t n : parts.buckets) {
      waits.push_back(n);
    }
    out["waits"] = std::move(waits);
  }
  return out.dump();
}

ReplicationValues decode(std::string_view text) {
  ReplicationValues values;
  try {
    const json in = json::parse(text);
    if (!in.is_object() || !in.contains("h2sim_values") || in["h2sim_values"] != format) {
      throw CompactError("not a replication's values in format " + std::to_string(format));
    }
    const json& stations = in.at("stations");
    const json& classes = in.at("classes");
    if (!stations.is_array() || !classes.is_array()) {
      throw CompactError("stations and classes are not lists");
    }
    values.events = in.at("events").get<std::uint64_t>();
    values.wall_s = in.at("wall_s").get<double>();
    const json& bins = in.at("bins");
    // A bound above what a valid scenario gives (at most 10,000 bins).
    if (!bins.is_number_unsigned() || bins.get<std::uint64_t>() > max_bins) {
      throw CompactError("bins is not a count of series bins");
    }
    const auto count = static_cast<std::uint32_t>(bins.get<std::uint64_t>());
    values.totals = record_of(in.at("totals"), "the totals", totals_layout, count);
    if (in.contains("warmup_days")) {
      values.warmup = ReplicationValues::ChosenWarmup{in.at("warmup_days").get<double>(),
                                                      in.at("warmup_stable").get<bool>()};
    }
    if (in.contains("waits")) {
      values.waits = waits_of(in.at("waits"));
    }
    for (const json& station : stations) {
      values.stations.push_back(record_of(station, "a station", stations_layout, count));
    }
    for (const json& vehicle_class : classes) {
      values.classes.push_back(record_of(vehicle_class, "a class", classes_layout, 0));
    }
  } catch (const nlohmann::json::exception& e) {
    throw CompactError(std::string("malformed: ") + e.what());
  }
  return values;
}

} // namespace h2sim::report
