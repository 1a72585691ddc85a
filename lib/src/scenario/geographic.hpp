#pragma once

#include "../core/params.hpp"

#include <h2sim/h2sim.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace h2sim::scenario {

/**
 * Geographic coordinates in a scenario file. Every object whose table declares the numbers `x_km`
 * and `y_km` (a station, a depot, a fleet's area) may give `lat` and `lon` (WGS84 degrees) instead;
 * they are projected onto the scenario's km plane about the root's `origin`
 * (project_equirectangular) before the file is read, so models only ever see kilometres.
 */

/** Whether `table` places something in the km plane (it declares x_km and y_km). */
bool places_in_plane(const params::Table& table);

/** The root's `origin` when it is a valid one (|lat| <= 80, |lon| <= 180), else nothing. */
std::optional<LatLon> origin_of(const nlohmann::json& document);

/**
 * Replaces `lat` and `lon` by `x_km` and `y_km` wherever `root`'s tables place something in the
 * plane. A problem (one of the pair missing, both forms given, a value out of range, no `origin`)
 * is appended with its pointer, and the pair is removed so that nothing else is reported about it.
 * A point so far north or south of the origin that east-west distances there are off by more than
 * 5% is reported as a warning (once, at the farthest such point).
 */
void project_coordinates(nlohmann::json& document, const params::Table& root,
                         std::vector<Problem>& problems, std::vector<Warning>& warnings);

/**
 * A place given neither way is told both: "is required" on its `x_km` gains "(or lat and lon ...)".
 * Call after the file is read, on its problems.
 */
void offer_lat_lon(std::vector<Problem>& problems);

} // namespace h2sim::scenario
