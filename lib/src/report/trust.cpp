#include "trust.hpp"

#include "../core/limits.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string_view>

namespace h2sim::report {

namespace {
/** A station's value at `path`, if its groups report one. */
std::optional<double> find_leaf(const RecordValues& record, const std::string& path) {
  const std::vector<Leaf>& layout = station_layout(record.groups, Scope::stations, record.bins);
  for (std::size_t i = 0; i < layout.size(); ++i) {
    if (layout[i].path == path) {
      return record.leaves.at(i);
    }
  }
  return std::nullopt;
}

double leaf(const RecordValues& record, const std::string& path) {
  if (const auto value = find_leaf(record, path)) {
    return *value;
  }
  throw std::logic_error("no station field " + path);
}

/** The value at `path`, or 0 where the station has no such field (its group is absent). */
double leaf_or_zero(const RecordValues& record, const std::string& path) {
  return find_leaf(record, path).value_or(0.0);
}

std::string rounded(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

/** The start of what is said of an overloaded station, with or without an interval. */
std::string offered_too_much(const std::string& station, double utilization) {
  return "station " + station + " (utilization " + rounded(utilization) +
         ") is offered at least as many fills as its dispensers can do";
}

/** Whether the metric at `path` (under totals) is the state of the queues, which starts empty. */
bool of_queues(const std::string& path) {
  return path.starts_with("wait_min.") || path == "queue_mean" || path == "utilization" ||
         path == "balked";
}
} // namespace

std::string count_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, value == std::floor(value) ? "%.0f" : "%.1f", value);
  return text;
}

std::optional<Relaxation> slowest_station(const std::vector<RecordValues>& stations,
                                          const std::vector<QueueShape>& shapes,
                                          double window_min) {
  std::optional<Relaxation> slowest;
  std::size_t overloaded = 0;
  for (std::size_t i = 0; i < stations.size() && i < shapes.size(); ++i) {
    const double served = leaf(stations[i], "served");
    const double rho = leaf(stations[i], "utilization");
    const double c = shapes[i].dispensers;
    if (rho <= 0 || window_min <= 0 || c <= 0) {
      continue;
    }
    // Every dispenser busy the whole window, and none of the window's arrivals admitted (a fill
    // longer than the window, or a queue that never reaches the front): nothing served to measure
    // the fills by, but the station is offered more than it can do.
    if (served <= 0) {
      if (rho >= 1 - 1e-9 && leaf(stations[i], "arrivals") > 0) {
        ++overloaded;
        if (!slowest || !std::isinf(slowest->tau_min)) {
          slowest = Relaxation{i, rho, INFINITY};
        }
      }
      continue;
    }
    const double fill_min = rho * c * window_min / served; // 1 / mu
    const double drain = c / fill_min;                     // c mu, fills per minute
    double gap = 1 - std::sqrt(std::min(rho, 1.0));
    // Utilization is at most 1 and, in a short run, diluted by the empty start: an overloaded
    // station can look merely busy. The load its served vehicles offered, their mean fill (time
    // in system less wait) times their number per dispenser-minute of the window, is not capped:
    // at 1 or more, its queue never settles.
    const double each_fill_min =
        leaf(stations[i], "time_in_system_min.mean") - leaf(stations[i], "wait_min.mean");
    if (each_fill_min * served / (c * window_min) >= 1) {
      gap = 0;
    }
    double tau = gap > 0 ? 1 / (drain * gap * gap) : INFINITY;
    if (shapes[i].capacity) {
      const double states = c + *shapes[i].capacity;
      tau = std::min(tau, states * states / drain);
    }
    if (std::isinf(tau)) {
      ++overloaded;
    }
    if (!slowest || tau > slowest->tau_min) {
      slowest = Relaxation{i, rho, tau};
    }
  }
  if (slowest) {
    slowest->overloaded = overloaded;
  }
  return slowest;
}

double skewness(const std::vector<double>& values) {
  const auto n = static_cast<double>(values.size());
  if (values.size() < 3) {
    return 0;
  }
  double mean = 0;
  for (double v : values) {
    mean += v;
  }
  mean /= n;
  double m2 = 0;
  double m3 = 0;
  for (double v : values) {
    m2 += (v - mean) * (v - mean);
    m3 += (v - mean) * (v - mean) * (v - mean);
  }
  m2 /= n;
  m3 /= n;
  // Relative to the values' size: spread at the rounding of their sum is no spread.
  if (m2 <= 1e-24 * mean * mean || m2 == 0) {
    return 0;
  }
  return m3 / std::pow(m2, 1.5) * std::sqrt(n * (n - 1)) / (n - 2);
}

double skewness_standard_error(std::size_t count) {
  const auto n = static_cast<double>(count);
  return std::sqrt(6 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)));
}

std::size_t replications_for_skewness(double g1) {
  return static_cast<std::size_t>(std::floor(25 * g1 * g1 + 1e-9)) + 1;
}

WaitBatches wait_batches(const std::vector<std::vector<double>>& means,
                         const std::vector<std::vector<double>>& served, double bin_days) {
  const auto per_batch =
      static_cast<std::size_t>(bin_days < 1 ? std::max(1.0, std::round(1 / bin_days)) : 1.0);
  WaitBatches batches;
  batches.days = bin_days * static_cast<double>(per_batch);
  if (std::fabs(batches.days - std::round(batches.days)) < 1e-9 * batches.days) {
    batches.days = std::round(batches.days);
  }
  for (std::size_t r = 0; r < means.size(); ++r) {
    std::vector<double>& run = batches.runs.emplace_back();
    double waited = 0;
    double count = 0;
    for (std::size_t k = 0; k < means[r].size(); ++k) {
      if (per_batch == 1) {
        run.push_back(means[r][k]);
        continue;
      }
      waited += means[r][k] * served[r][k];
      count += served[r][k];
      if ((k + 1) % per_batch == 0) {
        run.push_back(count > 0 ? waited / count : 0.0);
        waited = 0;
        count = 0;
      }
    }
  }
  return batches;
}

Autocorrelation lag1_autocorrelation(const std::vector<std::vector<double>>& runs) {
  double products = 0;
  double squares = 0;
  std::size_t pairs = 0;
  for (const std::vector<double>& run : runs) {
    if (run.size() < 2) {
      continue;
    }
    double mean = 0;
    for (double v : run) {
      mean += v;
    }
    mean /= static_cast<double>(run.size());
    for (std::size_t k = 0; k < run.size(); ++k) {
      squares += (run[k] - mean) * (run[k] - mean);
      if (k + 1 < run.size()) {
        products += (run[k] - mean) * (run[k + 1] - mean);
      }
    }
    pairs += run.size() - 1;
  }
  return {squares > 0 ? products / squares : 0.0, pairs};
}

std::optional<double> relaxation_from_batches(const Autocorrelation& r, double batch_min) {
  if (r.pairs == 0 || r.lag1 <= 2 / std::sqrt(static_cast<double>(r.pairs)) || r.lag1 >= 1 ||
      batch_min <= 0) {
    return std::nullopt;
  }
  // r(x) falls from 1 (x -> 0) to 0 (x -> infinity); bisect on log x.
  const auto r_of = [](double x) {
    const double gone = -std::expm1(-x); // 1 - e^-x
    return gone * gone / (2 * (x - gone));
  };
  double low = std::log(1e-4);
  double high = std::log(1e4);
  if (r.lag1 >= r_of(std::exp(low))) {
    return batch_min / std::exp(low);
  }
  for (int i = 0; i < 100; ++i) {
    const double mid = (low + high) / 2;
    (r_of(std::exp(mid)) > r.lag1 ? low : high) = mid;
  }
  return batch_min / std::exp((low + high) / 2);
}

std::vector<Warning> interval_warnings(const IntervalBasis& basis,
                                       const std::optional<Relaxation>& slowest,
                                       const std::vector<std::string>& paths,
                                       const Evidence& evidence) {
  std::vector<Warning> warnings;
  std::string too_short;
  const bool measured_slower =
      evidence.measured_tau_min && (!slowest || *evidence.measured_tau_min > slowest->tau_min);
  const std::string batches =
      evidence.batch_days == 1 ? "days" : rounded(evidence.batch_days) + "-day periods";
  if (slowest || measured_slower) {
    const double tau_days =
        (measured_slower ? *evidence.measured_tau_min : slowest->tau_min) / 1440;
    const bool short_horizon = basis.horizon_days < horizon_relaxations * tau_days;
    const bool short_warmup = !basis.automatic_warmup &&
                              basis.warmup_days < warmup_relaxations * tau_days &&
                              basis.horizon_days < warmup_matters_below * tau_days;
    // No run that can be asked for is long enough: the queue may never settle at all.
    const bool never = short_horizon && horizon_relaxations * tau_days > limits::days;
    if (short_horizon || short_warmup) {
      const std::string station = !slowest ? ""
                                  : slowest->station < basis.labels.size()
                                      ? basis.labels[slowest->station]
                                      : std::to_string(slowest->station);
      too_short = measured_slower
                      ? "the mean waits of successive " + batches +
                            " correlate (lag-1 autocorrelation " +
                            rounded(evidence.daily_waits.lag1) + " over " +
                            std::to_string(evidence.daily_waits.pairs) + " pairs of " + batches +
                            "), so the queues forget their start only over about " +
                            rounded(tau_days * 24) + " h (the relaxation time this shows): "
                      : "station " + station + " (utilization " + rounded(slowest->utilization) +
                            ") forgets its start only over about " + rounded(tau_days * 24) +
                            " h (its relaxation time): ";
      if (never && !measured_slower && std::isinf(slowest->tau_min)) {
        // Offered as much as it can fill, or more: there is no relaxation time to quote.
        too_short = offered_too_much(station, slowest->utilization) +
                    ": its queue may grow without bound, and no horizon is long enough for the "
                    "interval to be trusted; add dispensers or lower the demand";
      } else if (never) {
        too_short += "no horizon is long enough for the interval to be trusted (it would take " +
                     rounded(horizon_relaxations * tau_days) +
                     " days, and horizon_days is at most " + rounded(limits::days) +
                     "): a station busy nearly all the time whose queue "
                     "may grow without bound; add dispensers or lower the demand";
      } else if (short_horizon) {
        too_short += "replications of " + rounded(basis.horizon_days) +
                     " days are too short for the interval to be trusted; use horizon_days >= " +
                     rounded(horizon_relaxations * tau_days);
      }
      if (short_warmup && !never) { // a warm-up is no cure for a queue that never settles
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
                        "which the Student-t interval assumes; run " +
                        std::to_string(fewest_replications) + " replications or more"});
    }
  }
  if (basis.replications >= fewest_replications) {
    for (const auto& [path, values] : evidence.values) {
      if (values.size() < 3) {
        continue;
      }
      const double g1 = skewness(values);
      const double se = skewness_standard_error(values.size());
      // Skewness that the test can see but Cochran's rule allows for as many replications as
      // these is no alarm: their mean is near enough normal (100 replications of skewness 0.8
      // warned "run 16 replications or more").
      if (std::abs(g1) > skewness_alarm * se && values.size() < replications_for_skewness(g1)) {
        warnings.push_back(
            {"/ci95/totals." + path,
             "totals." + path + ": the " + std::to_string(values.size()) +
                 " replications' values are skewed (skewness " + rounded(g1) + ", beyond " +
                 rounded(skewness_alarm) + " times its standard error " + rounded(se) +
                 " for normal values), so the Student-t interval may miss; run " +
                 std::to_string(replications_for_skewness(g1)) +
                 " replications or more (Cochran's rule n > 25 skewness^2), or longer ones"});
      }
    }
  }
  return warnings;
}

std::vector<Warning> conventional_zero_warnings(const Evidence& evidence) {
  const auto values_of = [&](std::string_view path) -> const std::vector<double>* {
    for (const auto& [name, values] : evidence.values) {
      if (name == path) {
        return &values;
      }
    }
    return nullptr;
  };
  std::vector<Warning> warnings;
  const auto warn = [&](std::string_view count_path, const std::string& pointer,
                        const std::string& what, const std::string& none, const std::string& zero,
                        const std::string& some) {
    const std::vector<double>* counts = values_of(count_path);
    if (counts == nullptr || counts->size() < 2) {
      return;
    }
    const auto zeros = static_cast<std::size_t>(std::count(counts->begin(), counts->end(), 0.0));
    if (zeros == counts->size()) {
      warnings.push_back({pointer, what + ": in every one of the " + std::to_string(zeros) +
                                       " replications " + none + "; " + zero +
                                       " 0 by convention, not measured"});
    } else if (zeros > 0) {
      warnings.push_back(
          {pointer, what + ": in " + std::to_string(zeros) + " of " +
                        std::to_string(counts->size()) + " replications " + none + "; " + zero +
                        " 0 by convention, and the mean over replications takes them in as if "
                        "measured, which pulls it down: lengthen horizon_days so that every "
                        "replication " +
                        some});
    }
  };
  warn("served", "/totals/wait_min", "totals.wait_min", "no vehicle was served", "their waits are",
       "serves some");
  if (values_of("economics.cost_per_kg") != nullptr) {
    warn("dispensed_kg", "/totals/economics/cost_per_kg", "totals.economics.cost_per_kg",
         "nothing was dispensed", "their cost per kg and social cost per kg are", "dispenses some");
  }
  return warnings;
}

std::optional<Warning> station_zero_warning(const std::vector<std::uint32_t>& unserved,
                                            const std::vector<std::uint32_t>& undispensed,
                                            std::size_t replications,
                                            const std::vector<std::string>& labels,
                                            bool with_costs) {
  if (replications < 2 || unserved.size() < 2) {
    return std::nullopt; // one station's figures are the totals', which have their own warning
  }
  constexpr std::size_t named = 5;
  std::vector<std::string> listed;
  std::size_t stations = 0;
  bool undispensed_too = false;
  for (std::size_t i = 0; i < unserved.size(); ++i) {
    const std::uint32_t nothing = with_costs && i < undispensed.size() ? undispensed[i] : 0;
    if (unserved[i] == 0 && nothing == 0) {
      continue;
    }
    undispensed_too = undispensed_too || nothing > unserved[i];
    if (++stations <= named) {
      const std::string label = i < labels.size() ? labels[i] : "#" + std::to_string(i);
      const std::uint32_t count = std::max(unserved[i], nothing);
      listed.push_back(label + (count == replications ? " in all " + std::to_string(replications)
                                                      : " in " + std::to_string(count) + " of " +
                                                            std::to_string(replications)));
    }
  }
  if (stations == 0) {
    return std::nullopt;
  }
  std::string which;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    which += (i == 0 ? "" : ", ") + listed[i];
  }
  if (stations > named) {
    which += ", and " + std::to_string(stations - named) + " more";
  }
  return Warning{"/stations",
                 std::to_string(stations) + (stations == 1 ? " station" : " stations") +
                     " served nobody" + (undispensed_too ? " or dispensed nothing" : "") +
                     " in some or all replications (" + which + "): where so, a station's " +
                     (undispensed_too ? "waits and cost per kg are" : "waits are") +
                     " 0 by convention, and its means over replications take those zeros in as "
                     "if measured (in all: not measured at all); where a station was open "
                     "but rarely visited, lengthen horizon_days; where it was closed or dry, read "
                     "its figures as none"};
}

std::optional<Warning> overload_warning(const std::optional<Relaxation>& slowest,
                                        const std::vector<std::string>& labels) {
  if (!slowest || !std::isinf(slowest->tau_min)) {
    return std::nullopt;
  }
  const std::string station = slowest->station < labels.size() ? labels[slowest->station]
                                                               : std::to_string(slowest->station);
  const std::size_t others = slowest->overloaded > 0 ? slowest->overloaded - 1 : 0;
  return Warning{"/stations/" + std::to_string(slowest->station),
                 offered_too_much(station, slowest->utilization) +
                     ": its queue grows without bound, so its waits grow with the horizon and "
                     "vehicles counted served may begin their fill long after the window ends" +
                     (others == 0
                          ? std::string()
                          : "; " + std::to_string(others) + " other station" +
                                (others > 1 ? "s are" : " is") + " offered too much as well") +
                     "; add dispensers or lower the demand"};
}

std::optional<Warning> full_queue_warning(const std::vector<RecordValues>& stations,
                                          const std::vector<QueueShape>& shapes, double window_min,
                                          const std::vector<std::string>& labels,
                                          std::size_t replications, bool fleet) {
  std::optional<std::size_t> most;
  double most_offered = 0;
  std::size_t overloaded = 0;
  for (std::size_t i = 0; i < stations.size() && i < shapes.size(); ++i) {
    const double served = leaf(stations[i], "served");
    const double c = shapes[i].dispensers;
    if (!shapes[i].capacity || served <= 0 || c <= 0 || window_min <= 0) {
      continue;
    }
    const double queued = leaf(stations[i], "arrivals") -
                          leaf_or_zero(stations[i], "diverted_closed") -
                          leaf_or_zero(stations[i], "turned_away_stockout");
    const double each_fill_min =
        leaf(stations[i], "time_in_system_min.mean") - leaf(stations[i], "wait_min.mean");
    const double offered = queued * each_fill_min / (c * window_min);
    if (!(offered >= 1)) {
      continue;
    }
    ++overloaded;
    if (!most || offered > most_offered) {
      most = i;
      most_offered = offered;
    }
  }
  if (!most) {
    return std::nullopt;
  }
  const RecordValues& station = stations[*most];
  const double arrivals = leaf(station, "arrivals");
  const double balked = leaf(station, "balked");
  const std::string label = *most < labels.size() ? labels[*most] : std::to_string(*most);
  std::string message =
      "station " + label + " is offered " + rounded(most_offered) +
      " times the fills its dispensers can do (the visits that reached its queue times their "
      "mean fill, per dispenser-minute of the window" +
      (fleet ? "; a driver turned away who came back is counted at each visit, so the vehicles "
               "ask for fewer fills than that"
             : "") +
      "): only its queue_capacity of " + std::to_string(*shapes[*most].capacity) +
      " keeps its queue bounded, and " + (replications > 1 ? "on average " : "") +
      count_text(balked) + " of its " + count_text(arrivals) + " arrivals" +
      (replications > 1 ? " per replication" : "") + " (" + rounded(100 * balked / arrivals) +
      "%) balked";
  if (overloaded > 1) {
    message += "; " + std::to_string(overloaded - 1) + " other station" +
               (overloaded > 2 ? "s" : "") + " with a bounded queue " +
               (overloaded > 2 ? "are" : "is") + " offered too much as well";
  }
  message += "; add dispensers or lower the demand";
  return Warning{"/stations/" + std::to_string(*most), message};
}

std::vector<Warning> unresolved_quantiles(
    const std::vector<std::pair<std::string, std::pair<double, double>>>& intervals) {
  std::vector<Warning> warnings;
  constexpr double accuracy = QuantileSketch::default_accuracy;
  for (const auto& [path, interval] : intervals) {
    const auto dot = path.rfind(".p");
    const bool quantile = dot != std::string::npos && dot + 2 < path.size() &&
                          path.find_first_not_of("0123456789", dot + 2) == std::string::npos;
    const auto [low, high] = interval;
    const double middle = (low + high) / 2;
    if (!quantile || !(middle > 0) || high - low >= 2 * accuracy * middle) {
      continue;
    }
    warnings.push_back(
        {"/ci95/totals." + path,
         "totals." + path + ": the interval [" + rounded(low) + ", " + rounded(high) +
             "] is narrower than the quantile sketches resolve (within " + rounded(accuracy * 100) +
             "% of the value, about " + rounded(accuracy * middle) +
             " either way): the quantiles it is formed from fell in one or two of the sketches' "
             "buckets; "
             "take the quantile as known to that, not better"});
  }
  return warnings;
}

} // namespace h2sim::report
