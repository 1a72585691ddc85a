#!/usr/bin/python3
"""Run h2sim, the heap-loop lower bound and the SimPy 2 peer side by side.

All three simulate the bench Poisson model (bench/scenarios/poisson-10x4.json):
10 stations x 4 dispensers, 36 arrivals/h per station, exponential fills with
mean 5 min, FCFS, unlimited queue, 60 days. Prints one JSON document on stdout;
progress goes to stderr. See bench/README.md.
"""

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "bench" / "scenarios" / "poisson-10x4.json"
SIMPY_PEER = ROOT / "bench" / "simpy_peer.py"
# SimPy 2 is installed for the system interpreter only.
SYSTEM_PYTHON = "/usr/bin/python3"
GNU_TIME = "/usr/bin/time"

STATIONS = 10
DISPENSERS = 4
ARRIVALS_PER_H = 36.0
MEAN_FILL_MIN = 5.0
SCENARIO_DAYS = 60.0
SCENARIO_SEED = 1
SIMPY_TARGET = 5.0


def fail(message):
    print(f"run.py: {message}", file=sys.stderr)
    sys.exit(2)


def progress(message):
    print(message, file=sys.stderr, flush=True)


def erlang_c(arrivals_per_min, mean_service_min, servers):
    """M/M/c probability of waiting and mean wait in queue (minutes)."""
    offered = arrivals_per_min * mean_service_min
    if offered >= servers:
        return 1.0, math.inf
    tail = offered**servers / math.factorial(servers) * servers / (servers - offered)
    head = sum(offered**k / math.factorial(k) for k in range(servers))
    p_wait = tail / (head + tail)
    return p_wait, p_wait * mean_service_min / (servers - offered)


def run_process(cmd):
    """Run cmd; return (stdout, stderr, wall seconds including process start-up)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        fail(f"command failed with exit code {proc.returncode}: {' '.join(map(str, cmd))}\n"
             f"{proc.stderr.strip()}")
    return proc.stdout, proc.stderr, wall


def parse_json(text, what):
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        fail(f"{what} did not print valid JSON on stdout ({err}):\n{text[:500]}")


def h2sim_sample(doc):
    try:
        run, totals = doc["run"], doc["totals"]
        return {
            "wall_s": float(run["wall_s"]),
            "events": int(run["events"]),
            "arrivals": int(totals["arrivals"]),
            "served": int(totals["served"]),
            "wait_min_mean": float(totals["wait_min"]["mean"]),
        }
    except (KeyError, TypeError, ValueError) as err:
        fail(f"h2sim metrics JSON lacks run.{{events,wall_s}} or totals.{{arrivals,served,wait_min.mean}}: {err!r}")


def peer_sample(doc):
    return {key: doc[key] for key in ("wall_s", "events", "arrivals", "served", "wait_min_mean")}


def summarize(samples, process_walls):
    """Median wall times over the repeats; the statistics are identical across repeats (same seed)."""
    first = samples[0]
    wall = statistics.median(s["wall_s"] for s in samples)
    return {
        "wall_s": wall,
        "wall_s_process": statistics.median(process_walls),
        "events": first["events"],
        "events_per_s": first["events"] / wall if wall > 0 else None,
        "arrivals": first["arrivals"],
        "served": first["served"],
        "wait_min_mean": first["wait_min_mean"],
        "wall_s_process_runs": process_walls,
    }


def ratio(numerator, denominator):
    return numerator / denominator if denominator > 0 else None


def wait_sd_from_heap(heap, days, seeds):
    """Run-to-run standard deviation of the mean wait, from independent heap-loop replications."""
    waits = []
    for seed in range(1000, 1000 + seeds):
        out, _, _ = run_process([heap, "--days", str(days), "--seed", str(seed)])
        waits.append(parse_json(out, "heap loop")["wait_min_mean"])
    return statistics.stdev(waits)


def shanghai(h2sim, scenario):
    cmd = [h2sim, "run", str(scenario), "-q", "--set", "horizon_days=365"]
    if os.access(GNU_TIME, os.X_OK):
        out, err, wall = run_process([GNU_TIME, "-v", *cmd])
        match = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", err)
        if not match:
            fail(f"could not find the peak RSS in the output of {GNU_TIME} -v")
        peak_kb, source = int(match.group(1)), f"{GNU_TIME} -v"
    else:
        # A fresh wrapper process has exactly one child, so RUSAGE_CHILDREN's max is that child's peak.
        wrapper = ("import resource, subprocess, sys\n"
                   "p = subprocess.run(sys.argv[1:])\n"
                   "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
                   "sys.exit(p.returncode)\n")
        out, err, wall = run_process([sys.executable, "-c", wrapper, *cmd])
        peak_kb, source = int(err.strip().splitlines()[-1]), "getrusage(RUSAGE_CHILDREN)"
    result = {
        "scenario": str(scenario),
        "horizon_days": 365,
        "wall_s_process": wall,
        "peak_rss_mb": peak_kb / 1024,
        "rss_source": source,
    }
    run = parse_json(out, "h2sim").get("run", {})
    for key in ("wall_s", "events", "events_per_s"):
        if key in run:
            result[key] = run[key]
    return result


def without_supply(scenario):
    """A temporary copy of `scenario` with unlimited hydrogen (no storage, supply, buffers), or None
    when the scenario has no supply to remove."""
    doc = json.loads(Path(scenario).read_text())
    removed = False
    for station in doc.get("stations", []):
        for key in ("storage", "supply", "buffer"):
            removed = station.pop(key, None) is not None or removed
    for key in ("pipelines", "depots"):
        removed = doc.pop(key, None) is not None or removed
    if not removed:
        return None
    handle, path = tempfile.mkstemp(suffix=".json", prefix="h2sim-unlimited-")
    with os.fdopen(handle, "w") as out:
        json.dump(doc, out)
    return path


def resolve_binary(path, name, hint):
    path = Path(path)
    if not path.is_absolute():
        path = (Path.cwd() / path) if (Path.cwd() / path).exists() else ROOT / path
    if not (path.is_file() and os.access(path, os.X_OK)):
        fail(f"{name} binary not found or not executable: {path}\n{hint}")
    return str(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--h2sim", default="build/release/cli/h2sim", help="h2sim CLI binary")
    parser.add_argument("--heap", default="build/release/bench/h2sim_bench_heap", help="heap-loop binary")
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine; medians are reported")
    parser.add_argument("--days", type=float, default=SCENARIO_DAYS, help="simulated days")
    parser.add_argument("--seed", type=int, default=SCENARIO_SEED)
    parser.add_argument("--sd-seeds", type=int, default=20,
                        help="heap-loop replications used to estimate the run-to-run SD of the mean wait (0: skip)")
    parser.add_argument("--shanghai", metavar="PATH", help="also run this scenario for 365 days and report peak RSS")
    args = parser.parse_args()
    if args.repeat < 1:
        fail("--repeat must be at least 1")

    build_hint = "Build it with: cmake --preset release && cmake --build --preset release"
    h2sim = resolve_binary(args.h2sim, "h2sim", build_hint + " (or pass --h2sim PATH)")
    heap = resolve_binary(args.heap, "heap loop", build_hint + " (or pass --heap PATH)")
    shanghai_path = None
    if args.shanghai:
        shanghai_path = Path(args.shanghai).resolve()
        if not shanghai_path.is_file():
            fail(f"--shanghai scenario not found: {shanghai_path}")
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        fail(f"{SYSTEM_PYTHON} not found; the SimPy peer needs the system python3-simpy package")

    days_arg = f"{args.days:g}"
    h2sim_cmd = [h2sim, "run", str(SCENARIO), "-q"]
    # Pass overrides only when needed, so the default run is exactly the documented command.
    if args.days != SCENARIO_DAYS:
        h2sim_cmd += ["--set", f"horizon_days={days_arg}"]
    if args.seed != SCENARIO_SEED:
        h2sim_cmd += ["--set", f"seed={args.seed}"]
    engines = {
        "h2sim": (h2sim_cmd, h2sim_sample),
        "heap": ([heap, "--days", days_arg, "--seed", str(args.seed)], peer_sample),
        "simpy2": ([SYSTEM_PYTHON, str(SIMPY_PEER), "--days", days_arg, "--seed", str(args.seed)], peer_sample),
    }

    samples = {name: [] for name in engines}
    walls = {name: [] for name in engines}
    # Interleave the engines so slow drifts in machine load hit all of them alike.
    for rep in range(1, args.repeat + 1):
        for name, (cmd, parse) in engines.items():
            progress(f"[{rep}/{args.repeat}] {name}")
            out, _, wall = run_process(cmd)
            samples[name].append(parse(parse_json(out, name)))
            walls[name].append(wall)
    results = {name: summarize(samples[name], walls[name]) for name in engines}

    p_wait, wait_ref = erlang_c(ARRIVALS_PER_H / 60, MEAN_FILL_MIN, DISPENSERS)
    expected_arrivals = STATIONS * ARRIVALS_PER_H * 24 * args.days
    agreement = {"expected_arrivals": expected_arrivals}
    wait_sd = None
    if args.sd_seeds >= 2:
        progress(f"estimating run-to-run SD of the mean wait from {args.sd_seeds} heap-loop seeds")
        wait_sd = wait_sd_from_heap(heap, days_arg, args.sd_seeds)
        agreement["wait_min_mean_sd"] = wait_sd
        agreement["wait_sd_from_heap_seeds"] = args.sd_seeds
    for name, r in results.items():
        agreement[name] = {
            "arrivals_z": (r["arrivals"] - expected_arrivals) / math.sqrt(expected_arrivals),
            "wait_rel_err": r["wait_min_mean"] / wait_ref - 1,
            "wait_z": (r["wait_min_mean"] - wait_ref) / wait_sd if wait_sd else None,
        }

    ratios = {}
    for label, num, den in (("simpy_over_h2sim", "simpy2", "h2sim"), ("h2sim_over_heap", "h2sim", "heap")):
        ratios[label] = {key: ratio(results[num][key], results[den][key]) for key in ("wall_s_process", "wall_s")}
    ratios["simpy_over_h2sim_target"] = SIMPY_TARGET
    ratios["simpy_over_h2sim_target_met"] = (ratios["simpy_over_h2sim"]["wall_s_process"] or 0) >= SIMPY_TARGET

    report = {
        "model": {
            "scenario": str(SCENARIO.relative_to(ROOT)),
            "stations": STATIONS,
            "dispensers": DISPENSERS,
            "arrivals_per_h": ARRIVALS_PER_H,
            "fill_time_mean_min": MEAN_FILL_MIN,
            "rho": ARRIVALS_PER_H / 60 * MEAN_FILL_MIN / DISPENSERS,
            "days": args.days,
            "seed": args.seed,
        },
        "repeat": args.repeat,
        "analytic": {"erlang_c_p_wait": p_wait, "erlang_c_wait_min": wait_ref},
        "engines": results,
        "agreement": agreement,
        "ratios": ratios,
    }
    if shanghai_path:
        progress(f"shanghai: {shanghai_path} for 365 days")
        report["shanghai"] = shanghai(h2sim, shanghai_path)
        # What supply costs: the same scenario with unlimited hydrogen everywhere.
        unlimited = without_supply(shanghai_path)
        if unlimited:
            progress("shanghai: the same without supply (unlimited hydrogen)")
            try:
                report["shanghai_without_supply"] = shanghai(h2sim, unlimited)
            finally:
                os.unlink(unlimited)
            with_s = report["shanghai"].get("wall_s")
            without_s = report["shanghai_without_supply"].get("wall_s")
            report["ratios"]["shanghai_supply_cost"] = ratio(with_s, without_s)
    json.dump(report, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
