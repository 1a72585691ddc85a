#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace h2sim::report {

/**
 * Field by field over replications' documents of the same shape: maxima (`max`, `queue_max`) are
 * the max of the replications' maxima, minima (`inventory_min_kg`) the min of their minima, every
 * other number the mean; strings are taken from the first.
 */
nlohmann::ordered_json mean_of(const std::vector<const nlohmann::ordered_json*>& documents);

/**
 * Combines replications' metrics ({"totals", "stations", ...} each) as README.md (Metrics) says: one
 * replication is reported as it is; with more, means, "ci95" and "replication_totals".
 */
nlohmann::ordered_json combine_replications(const std::vector<nlohmann::ordered_json>& replications);

/** The dotted paths of `totals` that get a confidence interval. */
const std::vector<std::string>& ci95_paths();

} // namespace h2sim::report
