#pragma once

// What size and site judge of an evaluation beyond its intervals: a cost per kg is 0 by
// convention where nothing was dispensed, and waits count only the vehicles served.

#include <h2sim/h2sim.hpp>

#include <optional>
#include <string>

namespace h2sim {

/**
 * Whether `path` (a metric path, as targets take) is a cost per kg of nothing dispensed, in every
 * replication or (for totals, whose replications are kept) in some: no cost to judge or compare.
 */
bool per_kg_of_nothing(const Metrics& metrics, const std::string& path);

/** The warning size and site give for it, at /ci95/PATH. */
nlohmann::ordered_json per_kg_of_nothing_warning(const std::string& path);

/** Below this share of its visits served, size and site warn of an evaluation (unserved_warning).
 */
inline constexpr double served_share_warned = 0.9;

/**
 * Where fewer than `served_share_warned` of the visits to open stations were served (arrivals
 * less those diverted from a closed station and those still waiting at the end; means over
 * replications), a warning at /totals/served that says how many and how the others ended, and
 * that waits count only those served: a network that runs dry or turns most drivers away has
 * short waits, and site's search, adding the station that improves a wait target most, chose
 * such a network first. Else nothing.
 */
std::optional<nlohmann::ordered_json> unserved_warning(const Metrics& metrics);

/**
 * Whether a warning of a run's metrics at `pointer` bears on judging `metric` (a target's or the
 * minimised one's path), so that size and site pass it on with the evaluation: those on its
 * interval (/ci95/METRIC), and for a network wait, replications that served nobody
 * (/totals/wait_min: their waits are 0 by convention, which a wait target took for short).
 */
bool bears_on(const std::string& pointer, const std::string& metric);

} // namespace h2sim
