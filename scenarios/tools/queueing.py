"""Queueing formulas the scenario generators size stations with (standard library only)."""

import math


def mdc_wait_min(a, c, fill_min):
    """Expected wait (min) at c dispensers offered a erlangs of fills lasting fill_min (fixed):
    Erlang C for M/M/c, then Cosmetatos' M/D/c approximation (docs/sources.md)."""
    if a <= 0.0:
        return 0.0
    if a >= c:
        return math.inf
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    rho = a / c
    erlang_c = b / (1.0 - rho * (1.0 - b))
    w_mmc = erlang_c * fill_min / (c - a)
    return 0.5 * (1.0 + (1.0 - rho) * (c - 1) * (math.sqrt(4 + 5 * c) - 2) / (16 * rho * c)) * w_mmc
