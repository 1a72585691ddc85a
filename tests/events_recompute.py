#!/usr/bin/env python3
"""The event log (`h2sim run --events`) checked against the metrics, and `--replication K`.

For every shipped scenario (short horizons via --set; a national one with 1% of its vehicles,
tests/national.py), the per-station arrivals, served, balked, reneged, turned away, diverted,
waiting at the end, mean and max wait, dispensed and delivered kg recomputed from the log equal
the metrics (counts and kg exactly, means to 1e-9), and so do the
hours closed (close/open) and dry (dry_start/dry_end), to 1e-9. The supply and availability events
are consistent: per station close/open, dry_start/dry_end and pipeline_start/pipeline_stop
alternate, starting with the first; every delivery follows an order of at least its kg (of exactly
its kg where the storage has room for every trailer); a fleet vehicle (class and index) is at one
station at a time, and a trace's vehicles are those of its file. A scenario whose open_stations
grows during the run logs the new stations' opening at the event's time. Logging changes no
metric: each scenario's document with a log equals the one without. The log holds the whole run,
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

sys.dont_write_bytecode = True  # no tests/__pycache__ in the work tree
import national  # noqa: E402 (tests/national.py)

H2SIM, ROOT = sys.argv[1], sys.argv[2]
FAILURES = []
STATS = {}  # events seen, so that the test shows it checked each kind


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
        if row["vehicle"] == "":
            del row["vehicle"]
        elif row["vehicle"].isdigit() and row["vehicle_class"] != "":
            row["vehicle"] = int(row["vehicle"])  # a fleet's index; a trace's ids stay text
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


def spells(events, station, begin, end):
    """[start, end) of the spells between `begin` and `end` events of a station, checked to
    alternate (begin first); one still under way at the end of the log lasts for ever."""
    out = []
    since = None
    for e in events:
        if e.get("station") != station or e["event"] not in (begin, end):
            continue
        if e["event"] == begin:
            check(since is None, f"station {station}: {begin} at {e['time_min']} follows another {begin}")
            since = e["time_min"]
        else:
            check(since is not None, f"station {station}: {end} at {e['time_min']} without a {begin}")
            if since is not None:
                check(e["time_min"] >= since, f"station {station}: {end} before its {begin}")
                out.append((since, e["time_min"]))
            since = None
    if since is not None:
        out.append((since, math.inf))
    return out


def overlap(spans, start, end):
    return sum(max(0.0, min(b, end) - max(a, start)) for a, b in spans)


def check_supply(where, events, station_id):
    """Every delivery follows an order of at least its kg; equal kg are matched first."""
    ordered = [e for e in events if e.get("station") == station_id and e["event"] == "order"]
    if not ordered:
        return 0
    open_orders = []
    timeline = sorted((e for e in events if e.get("station") == station_id and
                       e["event"] in ("order", "delivery")),
                      key=lambda e: (e["time_min"], e["event"] != "order"))
    exact = 0
    for e in timeline:
        if e["event"] == "order":
            check(e["kg"] > 0, f"{where}: an order of {e['kg']} kg")
            open_orders.append(e["kg"])
            continue
        same = [i for i, kg in enumerate(open_orders) if kg == e["kg"]]
        larger = [i for i, kg in enumerate(open_orders) if kg >= e["kg"]]
        check(bool(larger), f"{where}: a delivery of {e['kg']} kg at {e['time_min']} without an order of as much")
        if same:
            exact += 1
            open_orders.pop(same[0])
        elif larger:
            open_orders.pop(larger[0])
    return exact


def check_vehicles(where, events):
    """A fleet vehicle is at one station at a time: each visit starts after its last one ended."""
    by_vehicle = {}
    for e in events:
        if "vehicle" in e and e.get("vehicle_class") not in ("", None) and "visit" in e and \
                e["visit"] not in ("", None):
            by_vehicle.setdefault((e["vehicle_class"], e["vehicle"]), {}).setdefault(
                int(e["visit"]), []).append(e)
    for vehicle, visits in by_vehicle.items():
        last_end = -math.inf
        for number in sorted(visits, key=lambda n: min(e["time_min"] for e in visits[n])):
            story = {e["event"]: e["time_min"] for e in visits[number]}
            check(story["arrive"] >= last_end,
                  f"{where}: vehicle {vehicle} arrives at {story['arrive']} before its last visit ended at {last_end}")
            last_end = story.get("end_fill", story.get("renege", story["arrive"]))
    return len(by_vehicle)


def in_service_from_start(path):
    """The ids of the stations in service at the start (open_stations: a count or a list of ids)."""
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    ids = [station["id"] for station in spec["stations"]]
    opened = spec.get("open_stations", len(ids))
    return set(ids[:opened] if isinstance(opened, int) else opened)


def compare(name, metrics, events, serving):
    window_start = metrics["warmup_days"] * 1440.0
    window_end = window_start + metrics["horizon_days"] * 1440.0
    got = recompute(events, window_start, window_end)
    known = {e["event"] for e in events}
    check(known <= {"arrive", "join_queue", "start_fill", "end_fill", "balk", "renege",
                    "divert_closed", "turned_away_dry", "stranded", "give_up", "order", "delivery",
                    "inflow", "pipeline_start", "pipeline_stop", "dry_start", "dry_end", "close",
                    "open"}, f"{name}: unknown events {sorted(known)}")
    for station in metrics["stations"]:
        where = f"{name} station {station['id']}"
        closed = spells(events, station["id"], "close", "open")
        dry = spells(events, station["id"], "dry_start", "dry_end")
        spells(events, station["id"], "pipeline_start", "pipeline_stop")
        if station["id"] not in serving:  # out of service: closed from the start, whatever its hours
            check(closed[:1] == [(0.0, math.inf)], f"{where}: out of service, not closed from the start")
        elif "closed_h" in station:
            hours = overlap(closed, window_start, window_end) / 60.0
            check(math.isclose(station["closed_h"], hours, rel_tol=1e-9, abs_tol=1e-9),
                  f"{where} closed_h: metrics {station['closed_h']}, log {hours}")
        else:
            check(not closed, f"{where}: closes without availability")
        if "stockout_h" in station:
            hours = overlap(dry, window_start, window_end) / 60.0
            check(math.isclose(station["stockout_h"], hours, rel_tol=1e-9, abs_tol=1e-9),
                  f"{where} stockout_h: metrics {station['stockout_h']}, log {hours}")
        exact = check_supply(where, events, station["id"])
        STATS["orders matched exactly"] = STATS.get("orders matched exactly", 0) + exact
    STATS["vehicles"] = STATS.get("vehicles", 0) + check_vehicles(name, events)
    for e in events:
        STATS[e["event"]] = STATS.get(e["event"], 0) + 1
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
        short = ["--set", "horizon_days=2", "--set", "warmup_days=0.5", "--set", "replications=1",
                 *national.scale_down(path)]
        quiet = run([path, *short])
        quiet.pop("run", None)
        for suffix in ("csv", "jsonl"):
            log = os.path.join(scratch, f"log.{suffix}")
            metrics = run([path, *short, "--events", log])
            compare(f"{name} ({suffix})", metrics, read_log(log), in_service_from_start(path))
            # Logging changes no metric (series included: every report reaches the collector).
            metrics.pop("run", None)
            check(json.dumps(quiet, sort_keys=True) == json.dumps(metrics, sort_keys=True),
                  f"{name} ({suffix}): the metrics differ with --events")

    # A trace names its vehicles: the log's are the file's.
    with open(os.path.join(ROOT, "scenarios", "trace", "example.csv"), newline="") as f:
        traced = {row["vehicle"] for row in csv.DictReader(f)}
    log = os.path.join(scratch, "trace.csv")
    run([os.path.join(ROOT, "scenarios", "trace", "example.json"), "--events", log])
    named = {e["vehicle"] for e in read_log(log) if e["event"] == "arrive"}
    check(named and named <= traced, f"trace: vehicles {sorted(named - traced)} are not in the file")

    # Stations opened during the run: closed from the start, open from the event's time on.
    spec = {"name": "opening", "seed": 3, "horizon_days": 2, "open_stations": 1,
            "stations": [{"id": f"S{i}", "x_km": i, "y_km": 0, "dispensers": 1,
                          "fill_rate_kg_per_min": 2} for i in range(3)],
            "demand": {"model": "poisson", "arrivals_per_h": 6, "kg_per_fill": 4},
            "events": [{"at_day": 0.5, "set": {"open_stations": 3}},
                       {"at_day": 1.25, "set": {"open_stations": 2}}]}
    path = os.path.join(scratch, "opening.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    log = os.path.join(scratch, "opening.csv")
    run([path, "--events", log])
    edges = [(e["time_min"], e["station"], e["event"]) for e in read_log(log)
             if e["event"] in ("close", "open")]
    check(edges == [(0.0, "S1", "close"), (0.0, "S2", "close"), (720.0, "S1", "open"),
                    (720.0, "S2", "open"), (1800.0, "S2", "close")],
          f"open_stations 1, 3 at day 0.5, 2 at day 1.25: logged {edges}")

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

print("checked:", ", ".join(f"{k} {v}" for k, v in sorted(STATS.items())))
for kind in ("order", "delivery", "pipeline_start", "pipeline_stop", "close", "open", "dry_start",
             "dry_end", "orders matched exactly", "vehicles"):
    check(STATS.get(kind, 0) > 0, f"no scenario logged any {kind}: the check is empty")
for failure in FAILURES:
    print("FAIL:", failure)
print(f"{len(FAILURES)} failure(s)")
sys.exit(1 if FAILURES else 0)
