#include "choice.hpp"

#include <algorithm>
#include <numeric>

namespace h2sim::models {

namespace {

double nearest(const StationView& view, const Chooser&) { return view.road_km; }
double road_km(double km, const Chooser&) { return km; }

/** Drive time plus the wait the queue in sight suggests: each dispenser clears one per fill. */
double least_delay(const StationView& view, const Chooser& chooser) {
  const double drive_min = view.road_km / chooser.speed_kmh * 60.0;
  const double wait_min =
      static_cast<double>(view.waiting) / static_cast<double>(view.dispensers) * view.fill_min;
  return drive_min + wait_min;
}
/** The drive alone: a wait is never negative. */
double drive_min(double road_km, const Chooser& chooser) {
  return road_km / chooser.speed_kmh * 60.0;
}

/** The home station before all others, then the nearest. */
double depot(const StationView& view, const Chooser& chooser) {
  return chooser.home_station == view.station ? -1.0 : view.road_km;
}

} // namespace

std::pair<bool, double> choice_key(const ChoicePolicy& policy, const StationView& view,
                                   const Chooser& chooser) {
  return {view.road_km > chooser.max_detour_km, policy.rank(view, chooser)};
}

namespace {
const std::vector<std::pair<std::string, ChoicePolicy>>& declared() {
  static const std::vector<std::pair<std::string, ChoicePolicy>> policies{
      {"nearest", {nearest, road_km}},
      {"least_delay", {least_delay, drive_min}},
      {"depot", {depot, road_km}},
  };
  return policies;
}
} // namespace

const std::map<std::string, ChoicePolicy>& choice_policies() {
  static const std::map<std::string, ChoicePolicy> policies(declared().begin(), declared().end());
  return policies;
}

const std::vector<std::string>& choice_policy_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& [name, policy] : declared()) {
      list.push_back(name);
    }
    return list;
  }();
  return names;
}

std::optional<std::size_t> choose(const ChoicePolicy& policy, const std::vector<StationView>& views,
                                  const Chooser& chooser) {
  std::optional<std::size_t> best;
  std::pair<bool, double> best_key{true, 0};
  for (const StationView& view : views) {
    if (!view.compatible) {
      continue;
    }
    const auto k = choice_key(policy, view, chooser);
    if (!best || k < best_key) {
      best = view.station;
      best_key = k;
    }
  }
  return best;
}

std::vector<std::size_t> preference_order(const ChoicePolicy& policy,
                                          const std::vector<StationView>& views,
                                          const Chooser& chooser) {
  std::vector<const StationView*> usable;
  for (const StationView& view : views) {
    if (view.compatible) {
      usable.push_back(&view);
    }
  }
  std::stable_sort(usable.begin(), usable.end(), [&](const StationView* a, const StationView* b) {
    return choice_key(policy, *a, chooser) < choice_key(policy, *b, chooser);
  });
  std::vector<std::size_t> order;
  for (const StationView* view : usable) {
    order.push_back(view->station);
  }
  return order;
}

} // namespace h2sim::models
