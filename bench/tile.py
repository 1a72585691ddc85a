#!/usr/bin/python3
"""Tile a city scenario k times on a grid: a national-scale benchmark scenario.

Copy 0 is the city itself (ids, names and coordinates unchanged, so its random numbers are the
shipped scenario's); copy i >= 1 has every station, pipeline, depot and vehicle class id suffixed
with "-x<i>" (references too: home stations, pipelines, depots) and every coordinate (stations,
depots, class areas) shifted by the copy's grid offset. The offset (--spacing-km, default 1000 km)
is far beyond any maximum detour and any tank's range, so cities do not interact: each city's
stations, supply and fleet are copied and its queues are the city's. Open stations come first,
city by city, so `open_stations` is k times the city's. Stdlib only.

    bench/tile.py scenarios/shanghai-2025.json 100 -o /tmp/shanghai-x100.json
"""

import argparse
import copy
import json
import math
import sys


def tile(city, k, spacing_km):
    columns = math.ceil(math.sqrt(k))
    stations = city["stations"]
    open_count = city.get("open_stations", len(stations))
    opened, closed = [], []
    pipelines, depots, classes = [], [], []
    for i in range(k):
        suffix = "" if i == 0 else f"-x{i}"
        dx = (i % columns) * spacing_km
        dy = (i // columns) * spacing_km

        def sid(value):
            return value + suffix

        for index, station in enumerate(stations):
            s = copy.deepcopy(station)
            s["id"] = sid(s["id"])
            s["x_km"] += dx
            s["y_km"] += dy
            supply = s.get("supply", {})
            for ref in ("pipeline", "depot"):
                if ref in supply:
                    supply[ref] = sid(supply[ref])
            (opened if index < open_count else closed).append(s)
        for pipeline in city.get("pipelines", []):
            p = copy.deepcopy(pipeline)
            p["id"] = sid(p["id"])
            pipelines.append(p)
        for depot in city.get("depots", []):
            d = copy.deepcopy(depot)
            d["id"] = sid(d["id"])
            d["x_km"] += dx
            d["y_km"] += dy
            depots.append(d)
        for vehicle_class in city["demand"]["classes"]:
            c = copy.deepcopy(vehicle_class)
            c["name"] = sid(c["name"])
            c["area"]["x_km"] += dx
            c["area"]["y_km"] += dy
            choice = c.get("choice", {})
            if "home_station" in choice:
                choice["home_station"] = sid(choice["home_station"])
            classes.append(c)
    doc = copy.deepcopy(city)
    doc["name"] = f"{city.get('name', 'city')}-x{k}"
    doc["description"] = (f"{k} copies of {city.get('name', 'the city')} on a grid "
                          f"{spacing_km:g} km apart (bench/tile.py): "
                          f"{len(stations) * k} stations, "
                          f"{sum(c['count'] for c in classes)} vehicles.")
    doc["stations"] = opened + closed
    if "open_stations" in city:
        doc["open_stations"] = open_count * k
    if "pipelines" in city:
        doc["pipelines"] = pipelines
    if "depots" in city:
        doc["depots"] = depots
    doc["demand"] = dict(city["demand"], classes=classes)
    return doc


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", help="the city's scenario (a fleet demand)")
    parser.add_argument("k", type=int, help="copies")
    parser.add_argument("--spacing-km", type=float, default=1000.0,
                        help="distance between neighbouring copies (default 1000)")
    parser.add_argument("-o", "--output", help="output file (default: stdout)")
    args = parser.parse_args()
    if args.k < 1:
        sys.exit("tile.py: k must be at least 1")
    with open(args.scenario) as handle:
        city = json.load(handle)
    if city.get("demand", {}).get("model") != "fleet":
        sys.exit("tile.py: the scenario's demand must be a fleet")
    doc = tile(city, args.k, args.spacing_km)
    if args.output:
        with open(args.output, "w") as out:
            json.dump(doc, out, indent=1)
            out.write("\n")
    else:
        json.dump(doc, sys.stdout, indent=1)
        print()


if __name__ == "__main__":
    main()
