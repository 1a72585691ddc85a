#pragma once

#include "fields.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace h2sim::report {

/** A text that is not a replication's values in the compact form (a damaged journal line). */
struct CompactError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/**
 * A replication's values as they cross from its process to the parent (and into a sweep's
 * journal): compact JSON of numbers in declaration order, no keys, each record as
 * [groups, leaves...]; {"h2sim_values": 1, "events", "wall_s", "totals", "stations", "classes"},
 * and "warmup_days", "warmup_stable" when the replication chose its warm-up, and "waits" (the
 * totals' sketch of waits: [zeros, sum, max, first bucket's index, counts...], at most
 * ReplicationValues::max_carried_buckets counts) when it carries them.
 * Doubles round-trip exactly (shortest representation), integers are written as integers.
 */
std::string encode(const ReplicationValues& values);

/** The values encode() wrote; throws CompactError on anything else. */
ReplicationValues decode(std::string_view text);

} // namespace h2sim::report
