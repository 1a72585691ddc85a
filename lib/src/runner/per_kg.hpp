#pragma once

// What size and site judge of a cost per kg: 0 by convention where nothing was dispensed.

#include <h2sim/h2sim.hpp>

#include <string>

namespace h2sim {

/**
 * Whether `path` (a metric path, as targets take) is a cost per kg of nothing dispensed, in every
 * replication or (for totals, whose replications are kept) in some: no cost to judge or compare.
 */
bool per_kg_of_nothing(const Metrics& metrics, const std::string& path);

/** The warning size and site give for it, at /ci95/PATH. */
nlohmann::ordered_json per_kg_of_nothing_warning(const std::string& path);

} // namespace h2sim
