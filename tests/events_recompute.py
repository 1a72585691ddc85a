#!/usr/bin/env python3
"""The event log (`h2sim run --events`) checked against the metrics, and `--replication K`.

For every shipped scenario (short horizons via --set), the per-station arrivals, served, balked,
reneged, turned away, diverted, waiting at the end, mean and max wait, dispensed and delivered kg
recomputed from the log equal the metrics (counts and kg exactly, means to 1e-9). The log holds the whole run,
warm-up included; the window is applied here as the collector applies it: a visit counts when it
arrives in [warm-up, warm-up + horizon), hydrogen when its fill starts in it.

`--replication K` gives exactly entry K of a multi-replication run's replication_totals, and its
log is byte for byte the log `--events-replication K` writes in the full run.

Usage: events_recompute.py H2SIM PROJECT_DIR
"""
import csv
import glob
import json
import math
import os
import subprocess
import sys
import tempfile

H2SIM, ROOT = sys.argv[1], sys.argv[2]
FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)


def run(args):
    result = subprocess.run([H2SIM, "run", "-q", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"h2sim run {' '.join(args)}: exit {result.returncode}\n{result.stderr}")
    return json.loads(result.stdout)


def read_log(path):
    if path.endswith(".jsonl"):
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["time_min"] = float(row["time_min"])
        if row["kg"] != "":
            row["kg"] = float(row["kg"])
    return rows


def empty_station():
    return dict(arrivals=0, served=0, balked=0, reneged=0, turned_away_stockout=0,
                diverted_closed=0, waiting_at_end=0, waits=[], dispensed_kg=0.0,
                delivered_kg=0.0)


def recompute(events, window_start, window_end):
    visits = {}
    for e in events:
        if "visit" in e and e["visit"] not in ("", None):
            visits.setdefault(int(e["visit"]), []).append(e)
    stations = {}
    outcome_of = {"balk": "balked", "renege": "reneged", "turned_away_dry": "turned_away_stockout",
                  "divert_closed": "diverted_closed"}
    # Hydrogen in, summed in the order the tank took it (the log's order), as the tank sums it.
    # A delivery at a window's edge runs after the edge (edges are scheduled first); a pipeline's
    # or production's inflow is brought up to date at each edge, before it: so the inflow logged
    # at the window's start is the warm-up's, the one logged at its end is the window's.
    def inside(e):
        t = e["time_min"]
        if e["event"] == "inflow":
            return window_start < t <= window_end
        return window_start <= t < window_end

    for e in events:
        if e["event"] in ("delivery", "inflow") and inside(e):
            s = stations.setdefault(e["station"], empty_station())
            s["delivered_kg"] += e["kg"]
    for number in sorted(visits):
        story = {e["event"]: e for e in visits[number]}
        arrive = story["arrive"]
        s = stations.setdefault(arrive["station"], empty_station())
        if "start_fill" in story:
            start = story["start_fill"]["time_min"]
            if window_start <= start < window_end:
                s["dispensed_kg"] += story["start_fill"]["kg"]
        arrival = arrive["time_min"]
        if not (window_start <= arrival < window_end):
            continue
        s["arrivals"] += 1
        if "start_fill" in story:
            s["served"] += 1
            s["waits"].append(story["start_fill"]["time_min"] - arrival)
        elif "join_queue" in story and "renege" not in story:
            s["waiting_at_end"] += 1
        for event, key in outcome_of.items():
            if event in story:
                s[key] += 1
    return stations


def compare(name, metrics, events):
    window_start = metrics["warmup_days"] * 1440.0
    window_end = window_start + metrics["horizon_days"] * 1440.0
    got = recompute(events, window_start, window_end)
    for station in metrics["stations"]:
        mine = got.get(station["id"], empty_station())
        where = f"{name} station {station['id']}"
        for key in ("arrivals", "served", "balked", "reneged", "turned_away_stockout",
                    "diverted_closed", "waiting_at_end"):
            if key in station:
                check(station[key] == mine[key], f"{where} {key}: metrics {station[key]}, log {mine[key]}")
        check(station["dispensed_kg"] == mine["dispensed_kg"] or
              math.isclose(station["dispensed_kg"], mine["dispensed_kg"], rel_tol=1e-12),
              f"{where} dispensed_kg: metrics {station['dispensed_kg']}, log {mine['dispensed_kg']}")
        if "delivered_kg" in station:
            check(station["delivered_kg"] == mine["delivered_kg"],
                  f"{where} delivered_kg: metrics {station['delivered_kg']}, log {mine['delivered_kg']}")
        waits = mine["waits"]
        mean = sum(waits) / len(waits) if waits else 0.0
        check(math.isclose(station["wait_min"]["mean"], mean, rel_tol=1e-9, abs_tol=1e-9),
              f"{where} wait mean: metrics {station['wait_min']['mean']}, log {mean}")
        check(station["wait_min"]["max"] == (max(waits) if waits else 0.0),
              f"{where} wait max: metrics {station['wait_min']['max']}, log {max(waits) if waits else 0.0}")


def scenarios():
    found = sorted(glob.glob(os.path.join(ROOT, "scenarios", "**", "*.json"), recursive=True))
    return [path for path in found if "/tools/" not in path]


with tempfile.TemporaryDirectory() as scratch:
    for path in scenarios():
        name = os.path.relpath(path, ROOT)
        short = ["--set", "horizon_days=2", "--set", "warmup_days=0.5", "--set", "replications=1"]
        for suffix in ("csv", "jsonl"):
            log = os.path.join(scratch, f"log.{suffix}")
            metrics = run([path, *short, "--events", log])
            compare(f"{name} ({suffix})", metrics, read_log(log))

    # --replication K reproduces entry K, and logs what the full run's replication K logs.
    path = os.path.join(ROOT, "scenarios", "validation", "mmc-2.json")
    base = [path, "--set", "horizon_days=2", "--set", "replications=3"]
    full_log = os.path.join(scratch, "full.csv")
    alone_log = os.path.join(scratch, "alone.csv")
    full = run([*base, "--events", full_log, "--events-replication", "2"])
    alone = run([*base, "--replication", "2", "--events", alone_log])
    check(json.dumps(alone["totals"]) == json.dumps(full["replication_totals"][2]),
          "--replication 2 totals differ from replication_totals[2]")
    check(alone["replications"] == 1 and alone["replication"] == 2,
          "--replication 2 does not say which replication it ran")
    with open(full_log, "rb") as a, open(alone_log, "rb") as b:
        check(a.read() == b.read(), "--replication 2 logs other events than the full run's replication 2")

for failure in FAILURES:
    print("FAIL:", failure)
print(f"{len(FAILURES)} failure(s)")
sys.exit(1 if FAILURES else 0)
