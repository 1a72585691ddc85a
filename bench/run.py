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
LOAD_FLOOR_RUNS = 11  # at least; the load takes tens of milliseconds, so its median needs a few


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


def environment():
    """What of the environment changes h2sim's speed (the runs inherit it): glibc's tunables, which
    put its heap on huge pages with glibc.malloc.hugetlb=1 (README, "Benchmarks")."""
    # H2SIM_TALLY_THREAD=0 or 1 overrides whether a replication tallies on a thread of its own
    # (by default: when it leaves a core idle, as every scale run does on two cores or more).
    return {"GLIBC_TUNABLES": os.environ.get("GLIBC_TUNABLES"),
            "H2SIM_TALLY_THREAD": os.environ.get("H2SIM_TALLY_THREAD"),
            "cores": os.cpu_count()}


def ratio(numerator, denominator):
    return numerator / denominator if denominator > 0 else None


def load_floor(floor, runs):
    """bench/load_floor.cpp `runs` times: the median wall of a process that only loads SimGrid."""
    walls = []
    version = None
    for _ in range(runs):
        out, _, wall = run_process([floor])
        version = parse_json(out, "load floor")["simgrid"]
        walls.append(wall)
    return {"wall_s_process": statistics.median(walls), "simgrid": version, "wall_s_process_runs": walls}


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


def timed(cmd):
    """Run cmd under GNU time (or a getrusage wrapper); return (stdout, wall s, CPU s, peak RSS KiB,
    source). CPU and peak RSS cover the process and every child it waited for (h2sim forks one
    child per replication)."""
    if os.access(GNU_TIME, os.X_OK):
        out, err, wall = run_process([GNU_TIME, "-v", *cmd])
        fields = {}
        for key, pattern in (("user", r"User time \(seconds\):\s*([\d.]+)"),
                             ("sys", r"System time \(seconds\):\s*([\d.]+)"),
                             ("rss", r"Maximum resident set size \(kbytes\):\s*(\d+)")):
            match = re.search(pattern, err)
            if not match:
                fail(f"could not find {key} in the output of {GNU_TIME} -v")
            fields[key] = float(match.group(1))
        return out, wall, fields["user"] + fields["sys"], int(fields["rss"]), f"{GNU_TIME} -v"
    wrapper = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[1:])\n"
               "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "print(u.ru_utime + u.ru_stime, u.ru_maxrss, file=sys.stderr)\n"
               "sys.exit(p.returncode)\n")
    out, err, wall = run_process([sys.executable, "-c", wrapper, *cmd])
    cpu, rss = err.strip().splitlines()[-1].split()
    return out, wall, float(cpu), int(rss), "getrusage(RUSAGE_CHILDREN)"


def parse_scale_days(text):
    days = {}
    for item in text.split(","):
        k, _, d = item.partition(":")
        try:
            days[int(k)] = float(d)
        except ValueError:
            fail(f"--scale-days: expected k:days[,k:days...], got {text!r}")
        if days[int(k)] <= 0 or int(k) < 1:
            fail(f"--scale-days: k >= 1 and days > 0, got {item!r}")
    return days


def instructions(cmd, tmp):
    """Instructions executed by cmd and every process it starts, counted by callgrind."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                           f"--callgrind-out-file={tmp}/callgrind.%p", *cmd],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"callgrind failed ({proc.returncode}): {proc.stderr[-500:]}")
    counts = [int(n) for n in re.findall(r"Collected : (\d+)", proc.stderr)]
    if not counts:
        fail("callgrind printed no 'Collected' line")
    return sum(counts), proc.stdout


def timed_runs(h2sim, path, days, repeat, label):
    """`h2sim run PATH -q --jobs 1 --set horizon_days=DAYS` `repeat` times under GNU time: per run
    its process wall, CPU, peak RSS, h2sim's own wall, events and p95 and mean waits."""
    cmd = [h2sim, "run", str(path), "-q", "--jobs", "1", "--set", f"horizon_days={days:g}"]
    runs = []
    for rep in range(repeat):
        progress(f"scale: {label}, {days:g} days [{rep + 1}/{repeat}]")
        out, wall, cpu, rss, source = timed(cmd)
        doc = parse_json(out, "h2sim")
        run, wait = doc.get("run", {}), doc.get("totals", {}).get("wait_min", {})
        runs.append({"wall_s_process": wall, "cpu_s": cpu, "peak_rss_kb": rss,
                     "wall_s": run.get("wall_s"), "events": run.get("events"),
                     "wait_min_p95": wait.get("p95"), "wait_min_mean": wait.get("mean")})
    return runs, source


def timing_fields(doc, stations, vehicles, days, runs, source):
    """The fields reported per tile and for the national scenario: medians over the runs."""
    wall = statistics.median(r["wall_s_process"] for r in runs)
    cpu = statistics.median(r["cpu_s"] for r in runs)
    wall_run = statistics.median(r["wall_s"] for r in runs)
    events = runs[0]["events"]
    rss_kb = max(r["peak_rss_kb"] for r in runs)
    return {
        "stations": stations,
        "vehicles": vehicles,
        "horizon_days": days,
        "warmup_days": doc.get("warmup_days", 0),
        "wall_s_process": wall,
        "cpu_s": cpu,
        "wall_s_run": wall_run,
        "events": events,
        "us_per_event_cpu": cpu * 1e6 / events if events else None,
        "us_per_event_wall": wall * 1e6 / events if events else None,
        "us_per_event_run": wall_run * 1e6 / events if events else None,
        "peak_rss_mb": rss_kb / 1024,
        "peak_rss_bytes_per_vehicle": rss_kb * 1024 / vehicles if vehicles else None,
        "rss_source": source,
        "runs": runs,
    }


def fleet_size(doc):
    demand = doc.get("demand", {})
    fleet = demand.get("classes", []) if demand.get("model") == "fleet" else []
    return sum(c["count"] for c in fleet)


FLOOR_EVENTS = 5_000_000


def memory_floor(floor, vehicles, repeat):
    """bench/memory_floor.cpp for `vehicles`: the median of its µs per event over `repeat` runs
    (at least 3), what memory alone costs an event of a fleet that large."""
    runs = []
    for rep in range(max(repeat, 3)):
        progress(f"scale: memory floor, {vehicles} vehicles [{rep + 1}]")
        out, _, _ = run_process([floor, "--vehicles", str(vehicles), "--events", str(FLOOR_EVENTS)])
        runs.append(parse_json(out, "memory floor")["us_per_event"])
    return {"vehicles": vehicles, "events": FLOOR_EVENTS, "us_per_event": statistics.median(runs),
            "us_per_event_runs": runs}


def scale(h2sim, heap, city, scale_days, repeat, callgrind_days=None, national=None,
          national_days=30.0, national_repeat=1, floor=None):
    """The city tiled k times (bench/tile.py) for each k, and a national scenario as it is,
    against the heap loop's cost per event and, with `floor`, against what memory alone costs an
    event of each fleet's size (bench/memory_floor.cpp)."""
    sys.path.insert(0, str(ROOT / "bench"))
    sys.dont_write_bytecode = True  # no bench/__pycache__ in the work tree
    import tile  # noqa: E402 (bench/tile.py, stdlib only)

    heap_runs = []
    for rep in range(max(repeat, 5)):  # a tenth of a second each: the median of at least 5
        progress(f"scale: heap loop [{rep + 1}]")
        out, wall, cpu, _, _ = timed([heap, "--days", f"{SCENARIO_DAYS:g}", "--seed", str(SCENARIO_SEED)])
        doc = parse_json(out, "heap loop")
        heap_runs.append({"wall_s": doc["wall_s"], "cpu_s_process": cpu, "events": doc["events"]})
    heap_wall = statistics.median(r["wall_s"] for r in heap_runs)
    heap_cpu = statistics.median(r["cpu_s_process"] for r in heap_runs)
    heap_events = heap_runs[0]["events"]
    heap_us = heap_wall * 1e6 / heap_events
    heap_us_cpu = heap_cpu * 1e6 / heap_events
    report = {
        "environment": environment(),
        "city": str(city),
        "heap": {"model": str(SCENARIO.relative_to(ROOT)), "days": SCENARIO_DAYS, "wall_s": heap_wall,
                 "cpu_s_process": heap_cpu, "events": heap_events, "us_per_event": heap_us,
                 "us_per_event_cpu": heap_us_cpu, "wall_s_runs": [r["wall_s"] for r in heap_runs],
                 "cpu_s_process_runs": [r["cpu_s_process"] for r in heap_runs]},
        "tiles": {},
    }
    doc = json.loads(Path(city).read_text())
    with tempfile.TemporaryDirectory(prefix="h2sim-scale-") as tmp:
        for k, days in sorted(scale_days.items()):
            path = Path(tmp) / f"x{k}.json"
            path.write_text(json.dumps(tile.tile(doc, k, 1000.0)))
            runs, source = timed_runs(h2sim, path, days, repeat, f"k={k}")
            report["tiles"][str(k)] = timing_fields(doc, len(doc["stations"]) * k,
                                                    fleet_size(doc) * k, days, runs, source)
            if floor:
                report["tiles"][str(k)]["memory_floor"] = memory_floor(floor, fleet_size(doc) * k, repeat)
            if callgrind_days and k in callgrind_days:
                cg_days = callgrind_days[k]
                progress(f"scale: k={k}, {cg_days:g} days under callgrind")
                cg_cmd = [h2sim, "run", str(path), "-q", "--jobs", "1", "--set", f"horizon_days={cg_days:g}"]
                count, out = instructions(cg_cmd, tmp)
                cg_events = parse_json(out, "h2sim").get("run", {}).get("events")
                report["tiles"][str(k)]["callgrind"] = {
                    "horizon_days": cg_days,
                    "instructions": count,
                    "events": cg_events,
                    "instructions_per_event": count / cg_events if cg_events else None,
                }
    if national:
        national_doc = json.loads(Path(national).read_text())
        runs, source = timed_runs(h2sim, national, national_days, national_repeat, "national")
        report["national"] = {"scenario": str(national), "name": national_doc.get("name"),
                              **timing_fields(national_doc, len(national_doc["stations"]),
                                              fleet_size(national_doc), national_days, runs,
                                              source)}
        report["national"]["wait_min_p95"] = statistics.median(r["wait_min_p95"] for r in runs)
        report["national"]["wait_min_mean"] = statistics.median(r["wait_min_mean"] for r in runs)
    tiles = report["tiles"]
    base = tiles.get("1")
    report["ratios"] = {
        k: {
            "us_per_event_cpu_over_heap": ratio(t["us_per_event_cpu"], heap_us_cpu),
            "us_per_event_wall_over_heap": ratio(t["us_per_event_wall"], heap_us),
            "us_per_event_run_over_heap": ratio(t["us_per_event_run"], heap_us),
            "us_per_event_cpu_over_k1": ratio(t["us_per_event_cpu"], base["us_per_event_cpu"]) if base else None,
            "us_per_event_wall_over_k1": ratio(t["us_per_event_wall"], base["us_per_event_wall"]) if base else None,
        }
        for k, t in tiles.items()
    }
    # What the growth of the cost per event would be if h2sim paid only what memory costs more at
    # scale: its own cost at k = 1 plus the floor's growth, over its own cost at k = 1.
    for k, t in tiles.items():
        if base and "memory_floor" in t and "memory_floor" in base:
            grown = t["memory_floor"]["us_per_event"] - base["memory_floor"]["us_per_event"]
            report["ratios"][k]["memory_floor_over_k1"] = ratio(t["memory_floor"]["us_per_event"],
                                                                base["memory_floor"]["us_per_event"])
            report["ratios"][k]["k1_plus_floor_growth_over_k1"] = ratio(
                base["us_per_event_cpu"] + grown, base["us_per_event_cpu"])
    if "national" in report:
        t = report["national"]
        report["ratios"]["national"] = {
            "us_per_event_cpu_over_heap": ratio(t["us_per_event_cpu"], heap_us_cpu),
            "us_per_event_wall_over_heap": ratio(t["us_per_event_wall"], heap_us),
            "us_per_event_run_over_heap": ratio(t["us_per_event_run"], heap_us),
            "us_per_event_cpu_over_k1": ratio(t["us_per_event_cpu"], base["us_per_event_cpu"]) if base else None,
            "us_per_event_wall_over_k1": ratio(t["us_per_event_wall"], base["us_per_event_wall"]) if base else None,
        }
    return report


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
    parser.add_argument("--load-floor", default="build/release/bench/h2sim_bench_load_floor",
                        help="what loading SimGrid alone costs a process, reported beside the Poisson "
                             "benchmark ('' skips it)")
    parser.add_argument("--memory-floor", default="build/release/bench/h2sim_bench_memory_floor",
                        help="with --scale: the memory-floor binary ('' skips it)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine; medians are reported")
    parser.add_argument("--days", type=float, default=SCENARIO_DAYS, help="simulated days")
    parser.add_argument("--seed", type=int, default=SCENARIO_SEED)
    parser.add_argument("--sd-seeds", type=int, default=20,
                        help="heap-loop replications used to estimate the run-to-run SD of the mean wait (0: skip)")
    parser.add_argument("--shanghai", metavar="PATH", help="also run this scenario for 365 days and report peak RSS")
    parser.add_argument("--scale", action="store_true",
                        help="instead: the 2025 plan tiled k times (bench/tile.py) against the heap loop")
    parser.add_argument("--scale-city", default=str(ROOT / "scenarios" / "shanghai-2025.json"),
                        help="the city tiled by --scale")
    parser.add_argument("--scale-days", default="1:365,10:30,100:30",
                        help="k:days pairs for --scale (default 1:365,10:30,100:30)")
    parser.add_argument("--scale-national", metavar="PATH",
                        default=str(ROOT / "scenarios" / "korea-2040.json"),
                        help="with --scale: also run this national scenario as it is ('' skips it; "
                             "default scenarios/korea-2040.json)")
    parser.add_argument("--scale-national-days", type=float, default=30.0,
                        help="horizon of the national run (default 30)")
    parser.add_argument("--scale-national-repeat", type=int, default=1,
                        help="national runs, medians reported (default 1: it runs minutes)")
    parser.add_argument("--callgrind-days", metavar="K:DAYS,...",
                        help="with --scale: also count instructions (valgrind callgrind) of these "
                             "shorter runs, for the k listed")
    args = parser.parse_args()
    if args.repeat < 1:
        fail("--repeat must be at least 1")

    build_hint = "Build it with: cmake --preset release && cmake --build --preset release"
    h2sim = resolve_binary(args.h2sim, "h2sim", build_hint + " (or pass --h2sim PATH)")
    heap = resolve_binary(args.heap, "heap loop", build_hint + " (or pass --heap PATH)")
    if args.scale:
        national = None
        if args.scale_national:
            national = Path(args.scale_national).resolve()
            if not national.is_file():
                fail(f"--scale-national scenario not found: {national}")
        if args.scale_national_days <= 0 or args.scale_national_repeat < 1:
            fail("--scale-national-days must be > 0 and --scale-national-repeat at least 1")
        report = scale(h2sim, heap, Path(args.scale_city).resolve(), parse_scale_days(args.scale_days),
                       args.repeat,
                       parse_scale_days(args.callgrind_days) if args.callgrind_days else None,
                       national, args.scale_national_days, args.scale_national_repeat,
                       resolve_binary(args.memory_floor, "memory floor",
                                      build_hint + " (or pass --memory-floor PATH)")
                       if args.memory_floor else None)
        json.dump(report, sys.stdout, indent=2)
        print()
        return
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
    floors = {}
    if args.load_floor:
        floor = resolve_binary(args.load_floor, "load floor", build_hint + " (or pass --load-floor PATH)")
        progress("load floor: a program that only loads SimGrid")
        floors["simgrid_load"] = load_floor(floor, max(args.repeat, LOAD_FLOOR_RUNS))
        # What h2sim's process costs beyond loading SimGrid, which any SimGrid program pays.
        ratios["h2sim_over_heap"]["wall_s_process_less_simgrid_load"] = ratio(
            results["h2sim"]["wall_s_process"] - floors["simgrid_load"]["wall_s_process"],
            results["heap"]["wall_s_process"])
    ratios["simpy_over_h2sim_target"] = SIMPY_TARGET
    ratios["simpy_over_h2sim_target_met"] = (ratios["simpy_over_h2sim"]["wall_s_process"] or 0) >= SIMPY_TARGET

    report = {
        "environment": environment(),
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
        "floors": floors,
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
