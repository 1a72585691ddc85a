#!/usr/bin/python3
"""Generate scenarios/korea-2040.json: South Korea's 2040 hydrogen roadmap as an h2sim scenario.

Run from anywhere with the system interpreter (standard library only):

    /usr/bin/python3 scenarios/tools/korea_2040.py -o scenarios/korea-2040.json     # the committed file
    /usr/bin/python3 scenarios/tools/korea_2040.py --scale 0.01 -o /tmp/k1.json     # 1% of the country
    /usr/bin/python3 scenarios/tools/korea_2040.py --coordinates km                 # x_km/y_km form, to stdout

The output is deterministic (no random draw at all: stations lie on spirals, the sizing integrates
over grids) and a summary of the sizing goes to stderr. docs/sources.md ("South Korea 2040") lists
what comes from a source and what is a choice; the scenario's "description" says the same.

Sourced: 1,200 refuelling stations and 2.9 M fuel-cell vehicles on the road by 2040, of which
80,000 taxis, 40,000 buses and 30,000 trucks (the 2019 Hydrogen Economy Roadmap as reported: the
remaining 2,750,000 are private cars); the 17 first-level regions, their approximate centres,
areas and populations (public statistics, rounded); vehicle and station figures of
docs/sources.md.

Choices (not sourced): stations and vehicles of each type split over the regions by population
(largest remainder, at least one station and one vehicle of each type per region); each region a
disc of its area centred on its centre (coasts and borders are not followed: some points lie at
sea or across a border); a region's stations on a sunflower (Vogel) spiral over its disc, outside
the discs of smaller regions (the cities inside provinces), nearest the centre first; build order
interleaving the regions so that any first N stations are spread by population; every vehicle
type's behaviour (TYPES), one class per region and type, operating over the region's disc; the
station kit (KIT) and its dispensers sized from the expected load (below); the supply (SUPPLY).

Sizing. Each region's disc is covered by a grid (about GRID_POINTS_PER_STATION points per station
of the region); each grid point sends its share of every class to the nearest station (the
simulator's choice for the policy nearest; least_delay taxis are estimated as nearest). With each
class's fills a day (mileage x consumption / mean fill) spread evenly over its shift, this gives
every station's dispenser-erlangs in every hour of the day. A station gets the fewest dispensers
(MIN_DISPENSERS..MAX_DISPENSERS) keeping its daily utilization under TARGET_UTIL, its busiest hour
under PEAK_UTIL and the busiest hour's expected wait (M/D/c) under WAIT_TARGET_MIN; the script
fails if a station would need more than MAX_DISPENSERS, so an overloaded layout cannot pass
unnoticed.

Coordinates. --coordinates latlon (the default, the committed file) writes a scenario-level
"origin" and "lat"/"lon" in stations and class areas, which h2sim projects itself;
--coordinates km writes x_km/y_km about ORIGIN with h2sim's equirectangular projection
(x = R dlon cos(lat0), y = R dlat, radians, R = 6371.0088 km). Both forms describe the same points: the
geometry is laid out in the km plane and the lat/lon form is its inverse projection.

--scale F multiplies every vehicle count and the station count by F (before the split over the
regions), for tests and quick checks; --scale 1 is the committed file.
"""

import argparse
import itertools
import json
import math
import sys

from queueing import mdc_wait_min

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG), as h2sim's project_equirectangular
# The projection's origin (a choice): about the middle of the mainland (Okcheon/Yeongdong area).
ORIGIN = (36.40, 127.85)

# --- Sourced targets: the 2019 Hydrogen Economy Roadmap (docs/sources.md, "South Korea 2040").
STATIONS_2040 = 1200
VEHICLES_2040 = {"taxi": 80_000, "bus": 40_000, "truck": 30_000}
VEHICLES_2040["car"] = 2_900_000 - sum(VEHICLES_2040.values())  # 2,750,000 private cars

# --- The 17 first-level regions: code, name, centre (lat, lon; approximate, WGS84, a few km of
# error), area km2 and population (millions, resident registration at the end of 2023, rounded).
# The first eight are the metropolitan (and special) cities; then the provinces.
# Daegu is taken without Gunwi (joined in 2023), which stays in Gyeongbuk's area.
REGIONS = (
    ("SEO", "Seoul", 37.566, 126.978, 605, 9.386),
    ("BSN", "Busan", 35.180, 129.075, 770, 3.293),
    ("DGU", "Daegu", 35.871, 128.601, 884, 2.375),
    ("ICN", "Incheon", 37.456, 126.705, 1067, 3.000),
    ("GWJ", "Gwangju", 35.160, 126.853, 501, 1.419),
    ("DJN", "Daejeon", 36.350, 127.385, 540, 1.442),
    ("ULS", "Ulsan", 35.539, 129.311, 1062, 1.104),
    ("SJG", "Sejong", 36.480, 127.289, 465, 0.386),
    ("GGI", "Gyeonggi", 37.450, 127.200, 10195, 13.631),
    ("GWN", "Gangwon", 37.750, 128.200, 16830, 1.529),
    ("CBK", "Chungbuk", 36.750, 127.750, 7407, 1.591),
    ("CNM", "Chungnam", 36.550, 126.850, 8246, 2.130),
    ("JBK", "Jeonbuk", 35.720, 127.150, 8069, 1.755),
    ("JNM", "Jeonnam", 34.850, 126.950, 12348, 1.806),
    ("GBK", "Gyeongbuk", 36.350, 128.750, 19034, 2.555),
    ("GNM", "Gyeongnam", 35.350, 128.250, 10541, 3.252),
    ("JJU", "Jeju", 33.380, 126.550, 1850, 0.675),
)
CITIES = ("SEO", "BSN", "DGU", "ICN", "GWJ", "DJN", "ULS", "SJG")

# --- Vehicle types (choices within docs/sources.md's ranges; see the module docstring).
# Cars and taxis: a Hyundai Nexo-like car, 6.3 kg at 70 MPa, ~1 kg/100 km. Buses: a 12 m bus,
# 34 kg at 35 MPa, 8 kg/100 km. Trucks: a Xcient-like truck, 32 kg at 35 MPa, 8 kg/100 km.
TYPES = {
    "car": {
        "tank_kg": 6.3, "consumption_kg_per_100km": 1.0,
        "daily_km": {"dist": "normal", "mean": 40, "sd": 20},
        "refuel_at_fraction": {"dist": "uniform", "min": 0.15, "max": 0.4},
        "shift": {"start_h": 7, "hours": 15}, "speed_kmh": 35, "pressure": "H70",
        "choice": {"policy": "nearest"},
        "driver": {"balk_if_waiting_over": 4,
                   "patience_min": {"dist": "uniform", "min": 15, "max": 40}, "max_tries": 3},
    },
    "taxi": {
        "tank_kg": 6.3, "consumption_kg_per_100km": 1.0,
        "daily_km": {"dist": "normal", "mean": 300, "sd": 60},
        "refuel_at_fraction": {"dist": "uniform", "min": 0.15, "max": 0.35},
        "shift": None, "speed_kmh": 30, "pressure": "H70",
        "choice": {"policy": "least_delay", "max_detour_km": 10},
        "driver": {"balk_if_waiting_over": 3,
                   "patience_min": {"dist": "uniform", "min": 10, "max": 25}, "max_tries": 3},
    },
    "bus": {
        "tank_kg": 34, "consumption_kg_per_100km": 8,
        "daily_km": {"dist": "normal", "mean": 250, "sd": 40},
        "refuel_at_fraction": {"dist": "uniform", "min": 0.25, "max": 0.4},
        "shift": {"start_h": 5, "hours": 18}, "speed_kmh": 25, "pressure": "H35",
        "choice": {"policy": "nearest"},
        "driver": {"patience_min": {"dist": "uniform", "min": 60, "max": 120}},
    },
    "truck": {
        "tank_kg": 32, "consumption_kg_per_100km": 8,
        "daily_km": {"dist": "normal", "mean": 300, "sd": 80},
        "refuel_at_fraction": {"dist": "uniform", "min": 0.15, "max": 0.3},
        "shift": {"start_h": 6, "hours": 16}, "speed_kmh": 40, "pressure": "H35",
        "choice": {"policy": "nearest"},
        "driver": {"patience_min": {"dist": "uniform", "min": 60, "max": 120}, "max_tries": 3},
    },
}
ROAD_FACTOR = 1.3  # road km per straight-line km (as the Shanghai scenarios)

# --- Station kit (choices): every station fills H35 and H70 at 2.0 kg/min (about 33 g/s: a car's
# 4-5 kg in 4-5 minutes with the overhead, a bus's or truck's 20-25 kg in 12-15 minutes,
# docs/sources.md), 2 minutes to connect and disconnect; random breakdowns.
KIT = {"fill_rate_kg_per_min": 2.0, "overhead_min": 2, "pressures": ["H35", "H70"]}
OUTAGES = {"mtbf_h": {"dist": "exponential", "mean": 500},
           "repair_h": {"dist": "lognormal", "mean": 8, "sd": 6}}
MIN_DISPENSERS = 2
MAX_DISPENSERS = 8
TARGET_UTIL = 0.70      # dispensers: daily utilization at most this,
PEAK_UTIL = 0.80        # the busiest hour's at most this,
WAIT_TARGET_MIN = 4.0   # and the busiest hour's expected wait (M/D/c) at most this
GRID_POINTS_PER_STATION = 100

# --- Supply (choices): tube-trailer deliveries everywhere but Ulsan, whose stations draw from
# a by-product hydrogen pipeline (Ulsan's petrochemical complexes). Sizing as the Shanghai files:
# reorder point REORDER_SAFETY x the busiest demand over the mean lead time, storage a day of
# demand but at least s + Q, starting at s + Q.
PIPELINE_REGION = "ULS"
PIPELINE_ID = "P-ulsan"
PIPELINE_MARGIN = 1.25        # pipeline capacity = 1.25 x the summed demand of its stations
PIPELINE_STATION_RATE = 1.6   # a station may draw 1.6 x its own mean demand rate
PIPELINE_STORAGE_DAYS = 0.5
LEAD_H = (3.0, 7.0)           # order to delivery, uniform (regional hubs within ~100-150 km)
REORDER_SAFETY = 1.4
STORAGE_DAYS = 1.0
PAYLOAD_TIERS = ((800, 300), (2000, 560), (4000, 1000), (float("inf"), 1300))

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def project(lat, lon):
    """(x_km, y_km) of (lat, lon) about ORIGIN, as h2sim's project_equirectangular."""
    lat0, lon0 = ORIGIN
    east = (lon - lon0 + 180.0) % 360.0 - 180.0
    return (EARTH_RADIUS_KM * math.radians(east) * math.cos(math.radians(lat0)),
            EARTH_RADIUS_KM * math.radians(lat - lat0))


def unproject(x, y):
    """(lat, lon) of the km point (x, y): the inverse of project."""
    lat0, lon0 = ORIGIN
    return (lat0 + math.degrees(y / EARTH_RADIUS_KM),
            lon0 + math.degrees(x / (EARTH_RADIUS_KM * math.cos(math.radians(lat0)))))


def num(v, digits=2):
    """A rounded number, an int when whole (so the JSON reads 3, not 3.0)."""
    v = round(v, digits)
    return int(v) if v == int(v) else v


def round_up(v, step):
    return step * math.ceil(v / step - 1e-9)


def split(total, weights, at_least=1):
    """total split in proportion to weights by largest remainder, each part at least at_least
    (so the parts may sum to more than total when total is small)."""
    whole = sum(weights)
    quotas = [total * w / whole for w in weights]
    parts = [max(at_least, math.floor(q)) for q in quotas]
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - math.floor(quotas[i])), i))
    for i in order[:max(0, left)]:
        parts[i] += 1
    return parts


class Region:
    def __init__(self, code, name, lat, lon, area, population):
        self.code, self.name, self.lat, self.lon = code, name, lat, lon
        self.area, self.population = area, population
        self.x, self.y = (num(v) for v in project(lat, lon))
        self.radius = num(math.sqrt(area / math.pi))

    def inside(self, x, y):
        return math.hypot(x - self.x, y - self.y) <= self.radius


def place_stations(region, n, regions, turn):
    """n points on a Vogel spiral over the region's disc (a province's outside the discs of the
    cities whose centre it contains), centre first; the spiral is turned by `turn` radians (so the
    regions' patterns differ)."""
    smaller = [] if region.code in CITIES else [
        r for r in regions if r.code in CITIES and region.inside(r.x, r.y)]
    for m in range(n, 20 * n + 20):
        points = []
        for i in range(m):
            rho = region.radius * math.sqrt((i + 0.5) / m)
            theta = turn + i * GOLDEN_ANGLE
            x, y = region.x + rho * math.cos(theta), region.y + rho * math.sin(theta)
            if not any(r.inside(x, y) for r in smaller):
                points.append((num(x), num(y)))
        if len(points) >= n:
            return points[:n]
    raise SystemExit(f"{region.name}: cannot place {n} stations outside the smaller regions")


def build_order(counts):
    """The order in which the regions' stations are built: each next station goes to the region
    furthest below its share (Sainte-Lague), so every prefix is spread by population."""
    taken = [0] * len(counts)
    order = []
    for _ in range(sum(counts)):
        r = max((i for i in range(len(counts)) if taken[i] < counts[i]),
                key=lambda i: (counts[i] / (2 * taken[i] + 1), -i))
        order.append((r, taken[r]))
        taken[r] += 1
    return order


class Grid:
    """The stations in square cells of `cell` km, for nearest-station queries."""

    def __init__(self, points, cell):
        self.points, self.cell, self.cells = points, cell, {}
        for i, (x, y) in enumerate(points):
            self.cells.setdefault((math.floor(x / cell), math.floor(y / cell)), []).append(i)

    def nearest(self, x, y):
        cx, cy = math.floor(x / self.cell), math.floor(y / self.cell)
        best, best_d2 = None, math.inf
        for ring in range(0, 10_000):
            # Every station not yet seen is at least (ring - 1) cells away.
            if best is not None and ((ring - 1) * self.cell) ** 2 > best_d2:
                return best
            for gx in range(cx - ring, cx + ring + 1):
                for gy in range(cy - ring, cy + ring + 1):
                    if max(abs(gx - cx), abs(gy - cy)) != ring:
                        continue
                    for i in self.cells.get((gx, gy), ()):
                        px, py = self.points[i]
                        d2 = (px - x) ** 2 + (py - y) ** 2
                        if d2 < best_d2 or (d2 == best_d2 and i < best):
                            best, best_d2 = i, d2
        return best


def catchment(region, grid, stations_in_region):
    """{station: share} of a vehicle of the region refuelling at each station: a grid over the
    region's disc, each point to its nearest station."""
    step = math.sqrt(region.area / (GRID_POINTS_PER_STATION * max(1, stations_in_region)))
    k = math.ceil(region.radius / step)
    shares, total = {}, 0
    for i in range(-k, k + 1):
        for j in range(-k, k + 1):
            x, y = (i + 0.5) * step, (j + 0.5) * step
            if x * x + y * y > region.radius ** 2:
                continue
            s = grid.nearest(region.x + x, region.y + y)
            shares[s] = shares.get(s, 0) + 1
            total += 1
    return {s: n / total for s, n in shares.items()}


def refuel_profile(kind):
    """Share of a class's refuels in each hour of the day: evenly over its shift."""
    shift = TYPES[kind]["shift"]
    if shift is None:
        return [1 / 24] * 24
    weights = [0.0] * 24
    start, hours = shift["start_h"], shift["hours"]
    for h in range(24):
        for day in (-1, 0):  # a shift may run past midnight
            lo, hi = start + 24 * day, start + 24 * day + hours
            weights[h] += max(0.0, min(h + 1, hi) - max(h, lo))
    return [w / hours for w in weights]


def mean_of(d):
    if isinstance(d, dict):
        return d["mean"] if "mean" in d else (d["min"] + d["max"]) / 2
    return d


def per_fill(kind):
    """(kg, dispenser minutes) of a mean fill of a vehicle of this type, and fills a day per
    vehicle."""
    t = TYPES[kind]
    kg = t["tank_kg"] * (1 - mean_of(t["refuel_at_fraction"]))
    minutes = KIT["overhead_min"] + kg / KIT["fill_rate_kg_per_min"]
    per_day = mean_of(t["daily_km"]) * t["consumption_kg_per_100km"] / 100 / kg
    return kg, minutes, per_day


def window_kg(hourly_kg, hours):
    """The most demand (kg) in any window of `hours` hours starting on the hour."""
    full, frac = int(hours), hours - int(hours)
    return max(sum(hourly_kg[(s + k) % 24] for k in range(full)) + frac * hourly_kg[(s + full) % 24]
               for s in range(24))


def generate(scale, coordinates):
    regions = [Region(*r) for r in REGIONS]
    populations = [r.population for r in regions]
    n_stations = max(1, round(STATIONS_2040 * scale))
    per_region = split(n_stations, populations)
    counts = {kind: split(max(1, round(total * scale)), populations)
              for kind, total in VEHICLES_2040.items()}

    placed = [place_stations(r, n, regions, turn=i * 2.399963)
              for i, (r, n) in enumerate(zip(regions, per_region))]
    order = build_order(per_region)
    points = [placed[r][k] for r, k in order]
    ids = [f"{regions[r].code}-{k + 1:03d}" for r, k in order]
    region_of = [r for r, _ in order]
    spacing = math.sqrt(sum(r.area for r in regions) / len(points))
    grid = Grid(points, max(2.0, spacing))

    # Expected load: per station, fills by hour and kind, kg by hour.
    fills = [[[0.0] * 24 for _ in TYPES] for _ in points]
    kinds = list(TYPES)
    for r, region in enumerate(regions):
        shares = catchment(region, grid, per_region[r])
        for t, kind in enumerate(kinds):
            _, _, per_day = per_fill(kind)
            profile = refuel_profile(kind)
            daily = counts[kind][r] * per_day
            for s, share in shares.items():
                for h in range(24):
                    fills[s][t][h] += daily * share * profile[h]

    stations, design = [], []
    for s, (x, y) in enumerate(points):
        erl = [sum(fills[s][t][h] * per_fill(kind)[1] / 60 for t, kind in enumerate(kinds))
               for h in range(24)]
        kg_h = [sum(fills[s][t][h] * per_fill(kind)[0] for t, kind in enumerate(kinds))
                for h in range(24)]
        n_fills = [sum(fills[s][t][h] for t in range(len(kinds))) for h in range(24)]
        peak_h = max(range(24), key=erl.__getitem__)
        mean_fill = erl[peak_h] * 60 / n_fills[peak_h] if n_fills[peak_h] else 0
        daily_erl = sum(erl) / 24
        for d in range(MIN_DISPENSERS, MAX_DISPENSERS + 1):
            if (daily_erl <= TARGET_UTIL * d and erl[peak_h] <= PEAK_UTIL * d and
                    mdc_wait_min(erl[peak_h], d, mean_fill) <= WAIT_TARGET_MIN):
                break
        else:
            raise SystemExit(f"{ids[s]}: {erl[peak_h]:.1f} erlangs in its busiest hour need more "
                             f"than {MAX_DISPENSERS} dispensers: change the layout")
        design.append({"D": sum(kg_h), "kg_h": kg_h, "erl": erl, "peak": erl[peak_h],
                       "daily": daily_erl, "dispensers": d,
                       "wait": mdc_wait_min(erl[peak_h], d, mean_fill),
                       "fills": sum(n_fills)})
        stations.append({"id": ids[s], "name": f"{regions[region_of[s]].name} {ids[s][4:]}",
                         "x_km": x, "y_km": y, "dispensers": d, **KIT})

    # Supply.
    pipe_h = 0.0
    for s, station in enumerate(stations):
        D = design[s]["D"]
        if regions[region_of[s]].code == PIPELINE_REGION:
            cap = round_up(PIPELINE_STORAGE_DAYS * D, 100)
            station["storage"] = {"capacity_kg": cap, "initial_kg": cap}
            station["supply"] = {"model": "pipeline", "pipeline": PIPELINE_ID,
                                 "max_rate_kg_per_h": round_up(PIPELINE_STATION_RATE * D / 24, 10)}
            pipe_h += D / 24
        else:
            s_kg = round_up(REORDER_SAFETY * window_kg(design[s]["kg_h"], sum(LEAD_H) / 2), 10)
            q_kg = next(q for limit, q in PAYLOAD_TIERS if D <= limit)
            cap = round_up(max(STORAGE_DAYS * D, s_kg + q_kg), 100)
            station["storage"] = {"capacity_kg": cap, "initial_kg": min(cap, s_kg + q_kg)}
            station["supply"] = {"model": "delivery", "payload_kg": q_kg, "reorder_at_kg": s_kg,
                                 "lead_time_h": {"dist": "uniform", "min": LEAD_H[0],
                                                 "max": LEAD_H[1]}}
        station["availability"] = {"outages": OUTAGES}
    pipe_cap = round_up(PIPELINE_MARGIN * pipe_h, 50)

    classes = []
    for t, kind in enumerate(kinds):
        spec = TYPES[kind]
        for r, region in enumerate(regions):
            c = {"name": f"{kind}_{region.name.lower()}", "count": counts[kind][r]}
            for key in ("tank_kg", "consumption_kg_per_100km", "daily_km", "refuel_at_fraction",
                        "shift", "speed_kmh"):
                if spec[key] is not None:
                    c[key] = spec[key]
            c["area"] = {"x_km": region.x, "y_km": region.y, "radius_km": region.radius}
            c.update(pressure=spec["pressure"], choice=spec["choice"], driver=spec["driver"])
            classes.append(c)

    scenario = {
        "name": "korea-2040" if scale == 1 else f"korea-2040-x{scale:g}",
        "description": describe(scale, regions, per_region, counts, design, pipe_cap),
        "seed": 2040,
        "horizon_days": 30,
        "warmup_days": 1,
        "replications": 1,
        "stations": stations,
        "pipelines": [{"id": PIPELINE_ID, "capacity_kg_per_h": pipe_cap}],
        "demand": {"model": "fleet", "road_factor": ROAD_FACTOR, "classes": classes},
    }
    if coordinates == "latlon":
        to_latlon(scenario, regions)
    summary(regions, per_region, counts, design, pipe_cap)
    return scenario


def to_latlon(scenario, regions):
    """The same points as lat/lon: an origin, and lat/lon in place of x_km/y_km."""
    items = list(scenario.items())
    scenario.clear()
    for key, value in items:
        scenario[key] = value
        if key == "replications":
            scenario["origin"] = {"lat": ORIGIN[0], "lon": ORIGIN[1]}
    for station in scenario["stations"]:
        lat, lon = unproject(station.pop("x_km"), station.pop("y_km"))
        rest = {k: station.pop(k) for k in list(station) if k not in ("id", "name")}
        station.update(lat=round(lat, 5), lon=round(lon, 5), **rest)
    # The classes are per type, then per region in REGIONS' order; an area's centre is its region's.
    for c, region in zip(scenario["demand"]["classes"], itertools.cycle(regions)):
        assert c["area"]["x_km"] == region.x and c["area"]["y_km"] == region.y, c["name"]
        c["area"] = {"lat": region.lat, "lon": region.lon, "radius_km": c["area"]["radius_km"]}


def describe(scale, regions, per_region, counts, design, pipe_cap):
    n = len(design)
    vehicles = sum(sum(v) for v in counts.values())
    d = [x["dispensers"] for x in design]
    util = sorted(x["daily"] / x["dispensers"] for x in design)
    peak = max(x["peak"] / x["dispensers"] for x in design)
    kg = sum(x["D"] for x in design)
    scaled = "" if scale == 1 else (
        f" SCALED by {scale:g} (scenarios/tools/korea_2040.py --scale {scale:g}): vehicle counts and the "
        f"station count x {scale:g} before the split, at least one station and one vehicle of "
        f"each type per region.")
    per = ", ".join(f"{r.name} {k}" for r, k in zip(regions, per_region))
    return (
        f"South Korea in 2040 after the 2019 Hydrogen Economy Roadmap: {n:,} hydrogen stations and "
        f"{vehicles:,} fuel-cell vehicles ({sum(counts['car']):,} private cars, "
        f"{sum(counts['taxi']):,} taxis, {sum(counts['bus']):,} buses, {sum(counts['truck']):,} "
        f"trucks) in the 17 first-level regions, one vehicle class per region and type."
        f"{scaled} Generated by scenarios/tools/korea_2040.py; docs/sources.md (South Korea 2040) gives "
        f"the sources. Sourced: 1,200 stations and 2.9 M vehicles by 2040, of which 80,000 taxis, "
        f"40,000 buses and 30,000 trucks (the rest, 2.75 M, private cars); the regions' centres, "
        f"areas and populations (approximate); vehicle and station ranges of docs/sources.md. "
        f"Choices, not sourced: stations and vehicles split over the regions by population "
        f"(stations: {per}); each region a disc of its area about its centre, x km east and y km "
        f"north of {ORIGIN[0]} N {ORIGIN[1]} E (equirectangular, as h2sim projects lat/lon; coasts "
        f"and borders not followed); a region's stations on a sunflower spiral over its disc, "
        f"outside smaller regions' discs, centre first, the regions interleaved in build order by "
        f"population; vehicles anywhere in their region's disc. Private cars 6.3 kg at H70, "
        f"1.0 kg/100 km, 40+-20 km/day, refuel at 15-40% of the tank, drive 7-22 h, nearest "
        f"station, balk above 4 waiting, renege after 15-40 min, queue regardless at the 3rd "
        f"station; taxis 6.3 kg, 1.0 kg/100 km, 300+-60 km/day around the clock, 15-35%, least "
        f"delay within 10 km, balk above 3, renege after 10-25 min; buses 34 kg at H35, "
        f"8 kg/100 km, 250+-40 km/day, 25-40%, 5-23 h, nearest station (no depots), renege only "
        f"after 60-120 min; trucks 32 kg at H35, 8 kg/100 km, 300+-80 km/day, 15-30%, 6-22 h, "
        f"nearest, renege after 60-120 min; road factor {ROAD_FACTOR}. Every station fills H35 "
        f"and H70 at {KIT['fill_rate_kg_per_min']} kg/min plus {KIT['overhead_min']} min, breaks "
        f"down at random (up-time exponential, mean 500 h; repair lognormal, mean 8 h, sd 6 h), "
        f"and has {MIN_DISPENSERS}-{MAX_DISPENSERS} dispensers sized from the expected load (each "
        f"region's disc on a grid, every point to its nearest station, fills spread over the "
        f"shifts): daily utilization at most {TARGET_UTIL:.0%}, busiest hour at most "
        f"{PEAK_UTIL:.0%} with an expected M/D/c wait under {WAIT_TARGET_MIN:g} min; "
        f"{sum(d):,} dispensers ({min(d)}-{max(d)} a station), estimated utilization median "
        f"{util[len(util) // 2]:.0%}, busiest hour at most {peak:.0%}. Demand about "
        f"{kg / 1000:,.0f} t of hydrogen a day ({kg / n:,.0f} kg a station). Supply: Ulsan's "
        f"stations draw from pipeline {PIPELINE_ID} (by-product hydrogen of its petrochemical "
        f"complexes; {pipe_cap:g} kg/h, {PIPELINE_MARGIN:g} x their demand; each at most "
        f"{PIPELINE_STATION_RATE:g} x its own, storage {PIPELINE_STORAGE_DAYS:g} day), the "
        f"others get (s, Q) tube-trailer deliveries (lead time uniform {LEAD_H[0]:g}-{LEAD_H[1]:g} "
        f"h; payload 300, 560, 1,000 or 1,300 kg by daily demand up to 800, 2,000, 4,000 kg or "
        f"more; s = {REORDER_SAFETY:g} x the busiest demand over the mean lead time; storage a "
        f"day of demand but at least s + Q, starting at s + Q).")


def summary(regions, per_region, counts, design, pipe_cap):
    out = sys.stderr
    print(f"{'region':<10} {'stations':>8} {'cars':>9} {'taxis':>6} {'buses':>6} {'trucks':>6} "
          f"{'radius':>6} {'disp':>5} {'kg/day':>9}", file=out)
    by_region = {r: [] for r in range(len(regions))}
    for (r, _), station in zip(build_order(per_region), design):
        by_region[r].append(station)
    for r, region in enumerate(regions):
        mine = by_region[r]
        print(f"{region.name:<10} {per_region[r]:>8} {counts['car'][r]:>9,} "
              f"{counts['taxi'][r]:>6,} {counts['bus'][r]:>6,} {counts['truck'][r]:>6,} "
              f"{region.radius:>6.1f} {sum(x['dispensers'] for x in mine):>5} "
              f"{sum(x['D'] for x in mine):>9,.0f}", file=out)
    util = [x["daily"] / x["dispensers"] for x in design]
    peak = [x["peak"] / x["dispensers"] for x in design]
    waits = [x["wait"] for x in design]
    hist = {d: sum(1 for x in design if x["dispensers"] == d)
            for d in range(MIN_DISPENSERS, MAX_DISPENSERS + 1)}
    print(f"stations {len(design)}, dispensers {sum(x['dispensers'] for x in design)} {hist}; "
          f"utilization mean {sum(util) / len(util):.0%} max {max(util):.0%}; busiest hour max "
          f"{max(peak):.0%}; M/D/c wait at the busiest hour max {max(waits):.1f} min; fills/day "
          f"{sum(x['fills'] for x in design):,.0f}; hydrogen {sum(x['D'] for x in design):,.0f} "
          f"kg/day; pipeline {PIPELINE_ID} {pipe_cap:g} kg/h", file=out)


def dump(scenario):
    """JSON with one line per station and per class (as the Shanghai files)."""
    lines = ["{"]
    items = list(scenario.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n + 1 < len(items) else ""
        if key == "stations":
            lines.append('  "stations": [')
            lines += [f"    {compact(s)}{',' if i + 1 < len(value) else ''}"
                      for i, s in enumerate(value)]
            lines.append(f"  ]{comma}")
        elif key == "demand":
            lines.append('  "demand": {')
            lines.append(f'    "model": {json.dumps(value["model"])},')
            lines.append(f'    "road_factor": {json.dumps(value["road_factor"])},')
            lines.append('    "classes": [')
            lines += [f"      {compact(c)}{',' if i + 1 < len(value['classes']) else ''}"
                      for i, c in enumerate(value["classes"])]
            lines.append("    ]")
            lines.append(f"  }}{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", help="write here (default: stdout)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="vehicles and stations x F (default 1: the committed file)")
    parser.add_argument("--coordinates", choices=("km", "latlon"), default="latlon",
                        help="origin and lat/lon (default), or x_km/y_km about the origin")
    args = parser.parse_args()
    if not 0 < args.scale <= 10:
        parser.error("--scale must be in (0, 10]")
    text = dump(generate(args.scale, args.coordinates))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
