#!/usr/bin/env python3
"""Interleaved pairs: one scenario run alternately under two settings of an environment variable.

    python3 bench/pairs.py SCENARIO --days 365 --pairs 5 --variable H2SIM_TALLY_THREAD --values 0 1
    python3 bench/pairs.py SCENARIO --days 365 --pairs 5 --binaries BEFORE/h2sim AFTER/h2sim

With --binaries, the two settings are two builds (before and after a change) run alike.

Each pair runs both values, the first of the pair alternating, so that a machine whose speed
drifts (a shared host) weighs on both alike. Prints one JSON: each run's wall and CPU time of the
process, the in-run time and events, each pair's ratios (second value over first) and whether the
metrics were identical apart from the `run` block, and the median ratios.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_once(binary, scenario, days, variable, value, output):
    env = dict(os.environ) if value is None else dict(os.environ, **{variable: value})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([binary, "run", scenario, "-q", "--jobs", "1", "--set", f"horizon_days={days:g}",
                    "-o", output], env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(output) as f:
        metrics = json.load(f)
    timing = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
              "run_wall_s": metrics["run"]["wall_s"], "events": metrics["run"]["events"]}
    metrics.pop("run")
    return timing, metrics


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--days", type=float, default=30)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--variable", default="H2SIM_TALLY_THREAD")
    parser.add_argument("--values", nargs=2, default=["0", "1"])
    parser.add_argument("--binary", default=os.path.join(HERE, "..", "build", "release", "cli", "h2sim"))
    parser.add_argument("--binaries", nargs=2, metavar=("BEFORE", "AFTER"),
                        help="compare two builds instead of two values of --variable")
    args = parser.parse_args()
    if args.binaries:
        settings = {"before": (args.binaries[0], None), "after": (args.binaries[1], None)}
    else:
        settings = {value: (args.binary, value) for value in args.values}
    first, second = settings
    pairs = []
    with tempfile.TemporaryDirectory(prefix="h2sim-pairs-") as folder:
        for i in range(args.pairs):
            order = (first, second) if i % 2 == 0 else (second, first)
            timings, metrics = {}, {}
            for label in order:
                binary, value = settings[label]
                timings[label], metrics[label] = run_once(binary, args.scenario, args.days,
                                                          args.variable, value,
                                                          os.path.join(folder, f"{label}.json"))
                print(f"pairs: {i} {label} {timings[label]}", file=sys.stderr, flush=True)
            pairs.append({first: timings[first], second: timings[second],
                          "ratio_wall": round(timings[second]["wall_s"] / timings[first]["wall_s"], 3),
                          "ratio_cpu": round(timings[second]["cpu_s"] / timings[first]["cpu_s"], 3),
                          "metrics_identical": metrics[first] == metrics[second]})
    print(json.dumps({
        "scenario": args.scenario, "days": args.days,
        "compared": {label: {"binary": binary, args.variable: value}
                     for label, (binary, value) in settings.items()},
        "pairs": pairs,
        "median_ratio_wall": statistics.median(p["ratio_wall"] for p in pairs),
        "median_ratio_cpu": statistics.median(p["ratio_cpu"] for p in pairs),
    }, indent=1))


if __name__ == "__main__":
    main()
