#include "mser.hpp"

#include <algorithm>

namespace h2sim::mser {

Truncation truncation(const std::vector<double>& y) {
  const std::size_t n = y.size();
  if (n < 4) {
    return {0, false};
  }
  // Suffix sums from the end: the mean and squares of y[d..n) for every d in one pass, about a
  // running mean (Welford backwards) so that large waits do not cancel.
  double mean = 0;
  double squares = 0;
  std::vector<double> score(n, 0.0);
  std::vector<double> kept_mean(n, 0.0);
  for (std::size_t k = 1; k <= n; ++k) {
    const double value = y[n - k];
    const double delta = value - mean;
    mean += delta / static_cast<double>(k);
    squares += delta * (value - mean);
    score[n - k] = squares / (static_cast<double>(k) * static_cast<double>(k));
    kept_mean[n - k] = mean;
  }
  const auto least = [&](std::size_t last) {
    std::size_t best = 0;
    for (std::size_t d = 1; d <= last; ++d) {
      if (score[d] < score[best]) {
        best = d;
      }
    }
    return best;
  };
  const std::size_t in_first_half = least(n / 2);
  // Past the middle, only cuts that keep a quarter of the run: two or three batches left score
  // near 0 by chance, and half the time their mean is the higher (a steady M/M/2 at rho 0.42 was
  // called unstable in 5 of 220 replications; i.i.d. batch means, 15-20% of runs of 20).
  const std::size_t anywhere = least(n - std::max<std::size_t>(2, n / 4));
  if (anywhere > n / 2 && kept_mean[anywhere] > kept_mean[in_first_half]) {
    return {anywhere, false};
  }
  return {in_first_half, true};
}

} // namespace h2sim::mser
