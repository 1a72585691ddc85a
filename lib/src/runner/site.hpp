#pragma once

// The siting search of h2sim::site over scores rather than simulations, so that its rules (the
// order of the steps, ties, significance, stopping) are testable with made-up numbers.

#include <h2sim/experiments.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace h2sim::siting {

/** A metric of one evaluation: its mean, its 95% interval and, where kept, each replication's. */
struct Value {
  double mean = 0;
  double low = 0;
  double high = 0;
  std::vector<double> replications; // a total's values in replication order; else empty
};

/** What the search needs of one evaluated set of open stations. */
struct Score {
  Value target;
  Value objective; // --minimize's metric; without it, the target's
  nlohmann::ordered_json ci95 = nlohmann::ordered_json::object(); // the run's ci95 block
  std::size_t simulations = 0;                                    // replications run
  /**
   * The score judges nothing: the target's or --minimize's metric is a cost per kg of nothing
   * dispensed, or a station the set adds was reached by no vehicle in the window. It never holds
   * and ranks after every score that judges something; `warnings` says why.
   */
  bool judges_nothing = false;
  /** What the run says of the intervals judged (too short, too few replications), as run's. */
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
};

/** Scores of the sets (each a list of station ids), in order. */
using Scorer = std::function<std::vector<Score>(const std::vector<std::vector<std::string>>&)>;

/** h2sim::site with `score` in place of simulations (the document is the same). */
nlohmann::ordered_json search(const SiteSearch& search, const Scorer& score);

} // namespace h2sim::siting
