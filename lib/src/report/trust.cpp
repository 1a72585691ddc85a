#include "trust.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace h2sim::report {

namespace {
double leaf(const RecordValues& record, const std::string& path) {
  const std::vector<Leaf>& layout = station_layout(record.groups, Scope::stations, record.bins);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i].path == path) {
      return record.leaves.at(i);
    }
  }
  throw std::logic_error("no station field " + path);
}

std::string rounded(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

/** Whether the metric at `path` (under totals) is the state of the queues, which starts empty. */
bool of_queues(const std::string& path) {
  return path.starts_with("wait_min.") || path == "queue_mean" || path == "utilization" ||
         path == "balked";
}
} // namespace

std::optional<Relaxation> slowest_station(const std::vector<RecordValues>& stations,
                                          const std::vector<QueueShape>& shapes,
                                          double window_min) {
  std::optional<Relaxation> slowest;
  for (std::size_t i = 0; i < stations.size() && i < shapes.size(); ++i) {
    const double served = leaf(stations[i], "served");
    const double rho = leaf(stations[i], "utilization");
    const double c = shapes[i].dispensers;
    if (served <= 0 || rho <= 0 || window_min <= 0) {
      continue;
    }
    const double fill_min = rho * c * window_min / served; // 1 / mu
    const double drain = c / fill_min;                     // c mu, fills per minute
    const double gap = 1 - std::sqrt(std::min(rho, 1.0));
    double tau = gap > 0 ? 1 / (drain * gap * gap) : INFINITY;
    if (shapes[i].capacity) {
      const double states = c + *shapes[i].capacity;
      tau = std::min(tau, states * states / drain);
    }
    if (!slowest || tau > slowest->tau_min) {
      slowest = Relaxation{i, rho, tau};
    }
  }
  return slowest;
}

std::vector<Warning> interval_warnings(const IntervalBasis& basis,
                                       const std::optional<Relaxation>& slowest,
                                       const std::vector<std::string>& paths) {
  std::vector<Warning> warnings;
  std::string too_short;
  if (slowest) {
    const double tau_days = slowest->tau_min / 1440;
    const bool short_horizon = basis.horizon_days < horizon_relaxations * tau_days;
    const bool short_warmup = !basis.automatic_warmup &&
                              basis.warmup_days < warmup_relaxations * tau_days &&
                              basis.horizon_days < warmup_matters_below * tau_days;
    if (short_horizon || short_warmup) {
      const std::string station = slowest->station < basis.labels.size()
                                      ? basis.labels[slowest->station]
                                      : std::to_string(slowest->station);
      too_short = "station " + station + " (utilization " + rounded(slowest->utilization) +
                  ") forgets its start only over about " + rounded(tau_days * 24) +
                  " h (its relaxation time): ";
      if (short_horizon) {
        too_short += "replications of " + rounded(basis.horizon_days) +
                     " days are too short for the interval to be trusted; use horizon_days >= " +
                     rounded(horizon_relaxations * tau_days);
      }
      if (short_warmup) {
        too_short += std::string(short_horizon ? ", and " : "") + "the warm-up of " +
                     rounded(basis.warmup_days) + " days leaves the empty start in; use " +
                     "warmup_days >= " + rounded(warmup_relaxations * tau_days) + " (or \"auto\")";
      }
    }
  }
  for (const std::string& path : paths) {
    const std::string pointer = "/ci95/totals." + path;
    if (!too_short.empty() && of_queues(path)) {
      warnings.push_back({pointer, "totals." + path + ": " + too_short});
    }
    if (basis.replications < fewest_replications) {
      warnings.push_back(
          {pointer, "totals." + path + ": only " + std::to_string(basis.replications) +
                        " replications: too few to check that their values are near normal, "
                        "which the Student-t interval assumes; use --replications " +
                        std::to_string(fewest_replications) + " or more"});
    }
  }
  return warnings;
}

} // namespace h2sim::report
