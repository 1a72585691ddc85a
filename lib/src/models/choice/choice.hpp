#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace h2sim::models {

/** What a driver deciding where to refuel can see of one open station. */
struct StationView {
  std::size_t station = 0;
  double road_km = 0;      // from where the driver is
  std::size_t waiting = 0; // vehicles queueing there now
  int dispensers = 1;
  double fill_min = 0;    // how long a fill like the driver's takes there
  bool compatible = true; // it fills the driver's pressure class
};

/** The driver's side of the choice. */
struct Chooser {
  double speed_kmh = 30;
  double max_detour_km = 1e300;
  std::optional<std::size_t> home_station;
};

/**
 * A station choice policy: a pure function of what the driver sees. `rank` scores a station (lower
 * is better); stations the driver cannot use (incompatible) are never chosen, and stations beyond
 * the maximum detour only when no compatible station is within it.
 */
struct ChoicePolicy {
  double (*rank)(const StationView& view, const Chooser& chooser);
  /**
   * A lower bound of `rank` for every station `road_km` or farther away (whatever its queue), the
   * home station of the depot policy excepted: a search nearest-first stops there.
   */
  double (*rank_at_least)(double road_km, const Chooser& chooser);
};

/** The policies by name, as `choice.policy` names them. */
const std::map<std::string, ChoicePolicy>& choice_policies();
/** Their names, in the order the documentation lists them. */
const std::vector<std::string>& choice_policy_names();

/** The key stations are ordered by, lower first: in reach first, then the policy's rank. */
std::pair<bool, double> choice_key(const ChoicePolicy& policy, const StationView& view,
                                   const Chooser& chooser);

/** The preferred station, or nothing if no station is compatible. */
std::optional<std::size_t> choose(const ChoicePolicy& policy, const std::vector<StationView>& views,
                                  const Chooser& chooser);

/** Every compatible station, best first (ties in list order): the order of tries. */
std::vector<std::size_t> preference_order(const ChoicePolicy& policy,
                                          const std::vector<StationView>& views,
                                          const Chooser& chooser);

} // namespace h2sim::models
