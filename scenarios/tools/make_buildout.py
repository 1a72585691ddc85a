#!/usr/bin/env python3
"""Writes scenarios/shanghai-buildout.json from scenarios/shanghai-2025.json and shanghai-today.json.

Five years of build-out, as scheduled events: today's network (the first 11 stations of the plan,
with the pipeline) and today's fleet at the start; every quarter the next stations in build order
open and every class of the fleet grows, both linearly, until all 70 stations are open and the fleet
is 10,000 vehicles (the plan's classes scaled by 10,000 / 11,000) at the start of the last quarter. A class that
does not exist today starts with one vehicle (a class has at least one). Run it from the repository
root: python3 scenarios/tools/make_buildout.py
"""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUARTERS = 20
DAYS_PER_QUARTER = 91.25
FLEET_AT_END = 10_000


def main():
    plan = json.loads((ROOT / "scenarios/shanghai-2025.json").read_text())
    today = json.loads((ROOT / "scenarios/shanghai-today.json").read_text())
    now_counts = {c["name"]: c["count"] for c in today["demand"]["classes"]}
    plan_total = sum(c["count"] for c in plan["demand"]["classes"])
    start = {c["name"]: now_counts.get(c["name"], 1) for c in plan["demand"]["classes"]}
    end = {c["name"]: max(1, round(c["count"] * FLEET_AT_END / plan_total))
           for c in plan["demand"]["classes"]}
    first_stations = today["open_stations"]
    all_stations = len(plan["stations"])

    # A step at the start of every quarter after the first; the last quarter runs the full plan.
    steps = QUARTERS - 1
    events = []
    for q in range(1, steps + 1):
        share = q / steps
        change = {"open_stations": first_stations + round((all_stations - first_stations) * share)}
        for name in start:
            change[f"demand.classes[name={name}].count"] = round(
                start[name] + (end[name] - start[name]) * share)
        events.append({"at_day": q * DAYS_PER_QUARTER, "set": change})

    for c in plan["demand"]["classes"]:
        c["count"] = start[c["name"]]
    scenario = {
        "name": "shanghai-buildout",
        "description": (
            "Shanghai's build-out over five years, as scheduled events: from today's network "
            f"({first_stations} stations and the Chemical Industry Park pipeline, "
            f"{sum(start.values()):,} vehicles) to the 2025 plan's {all_stations} stations and "
            f"{sum(end.values()):,} vehicles. Every quarter the next stations in build order open "
            "and every vehicle class grows (linearly; a class that does not exist today starts "
            "with one vehicle), reaching the plan at the start of the last quarter. Stations, supply, classes "
            "and behaviour are those of shanghai-2025 (see its description and docs/sources.md); "
            "the pace is a plausible choice, not sourced. Written by "
            "scenarios/tools/make_buildout.py; the per-day series of its metrics show when waits "
            "cross 5 minutes."),
        "seed": 2030,
        "horizon_days": 5 * 365 - 30,
        "warmup_days": 30,
        "open_stations": first_stations,
        "stations": plan["stations"],
        "pipelines": plan["pipelines"],
        "demand": plan["demand"],
        "events": events,
    }
    if "economics" in plan:
        scenario["economics"] = plan["economics"]
    (ROOT / "scenarios/shanghai-buildout.json").write_text(json.dumps(scenario, indent=1) + "\n")


if __name__ == "__main__":
    main()
