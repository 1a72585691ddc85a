#pragma once

#include <cmath>

// Closed forms from docs/queueing.md, written independently of the engine to check it against.
namespace h2sim::test {

/** Erlang B by its recursion. */
inline double erlang_b(int c, double a) {
  double b = 1.0;
  for (int k = 1; k <= c; ++k) {
    b = a * b / (k + a * b);
  }
  return b;
}

/** M/M/c mean wait in queue; lambda and mu per minute. */
inline double mmc_wait(double lambda, double mu, int c) {
  const double a = lambda / mu;
  const double rho = a / c;
  const double b = erlang_b(c, a);
  const double erlang_c = b / (1.0 - rho * (1.0 - b));
  return erlang_c / (c * mu - lambda);
}

/** M/M/c/K: blocking probability and mean wait of those admitted. */
struct Mmck {
  double blocking;
  double wait;
};
inline Mmck mmck(double lambda, double mu, int c, int k) {
  const double a = lambda / mu;
  const double rho = a / c;
  double p[64];
  double total = 0;
  double term = 1;
  for (int n = 0; n <= k; ++n) {
    if (n > 0) {
      term *= n <= c ? a / n : rho;
    }
    p[n] = term;
    total += term;
  }
  double lq = 0;
  for (int n = c + 1; n <= k; ++n) {
    lq += (n - c) * p[n] / total;
  }
  const double blocking = p[k] / total;
  return {blocking, lq / (lambda * (1 - blocking))};
}

} // namespace h2sim::test
