#!/usr/bin/python3
"""Generate the Shanghai scenarios: scenarios/shanghai-2025.json and scenarios/shanghai-today.json.

Run from anywhere with the system interpreter (standard library only):

    /usr/bin/python3 scenarios/tools/make_shanghai.py            # writes both files
    /usr/bin/python3 scenarios/tools/make_shanghai.py --check    # only prints the sizing tables

Figures come from shared/DOMAIN.md (public figures); the rest are plausible choices, listed in each
file's "description". The output is deterministic: every random draw comes from random.Random(SEED).

Sizing. The fleet model sends a vehicle whose tank falls to refuel_at_fraction x tank_kg from a random
point of its class's area to the nearest open station. A Monte Carlo estimate (points drawn uniformly
in each area's disc) gives each station's share of every class; with the class's mean daily hydrogen
this gives fills per hour and, with the station's fill rate and overhead, the offered load in
dispenser-erlangs. Each station gets the fewest dispensers (2..6, DOMAIN.md) that keep its
utilization under TARGET_UTIL in both scenarios; the script fails if any station would exceed
MAX_UTIL, so that a layout change that overloads a station cannot pass unnoticed.

Supply. Every station gets storage and a supply model, sized from the same estimate of its daily
hydrogen demand D (for today's stations, the larger of their 2025 and today estimates, so that both
files carry the same supply for them):
- pipeline: PIPELINE_STATIONS, the stations within a few km of a ~28 km line along the Hangzhou Bay
  shore (Jinshan/Caojing - Chemical Industry Park - Fengxian), fed by pipeline "P-chem" of capacity
  PIPELINE_MARGIN x their summed demand; each may draw PIPELINE_STATION_RATE x its own demand rate;
  storage PIPELINE_STORAGE_DAYS x D.
- onsite: ONSITE_STATIONS make hydrogen by electrolysis at ONSITE_MARGIN x their demand rate over
  the day, with ONSITE_PROFILE (cheap night power) and ONSITE_KWH_PER_KG; storage STORAGE_DAYS x D.
- delivery (all others): (s, Q) tube trailers from the nearer production site (PRODUCTION_SITES);
  lead time uniform over [LEAD_BASE_H + travel, LEAD_BASE_H + LEAD_SPREAD_H + travel], travel = road
  km / TRAILER_KMH; payload Q from PAYLOAD_TIERS (steel ~300 kg, composite 560/1,000 kg, 500-bar
  composite 1,300 kg); reorder point s = REORDER_SAFETY x demand over the mean lead time; storage
  the larger of STORAGE_DAYS x D and s + Q (so that every trailer fits), starting at s + Q.
- buffer: BUFFER_STATIONS (small stations) get a high-pressure buffer whose compressor delivers
  BUFFER_COMPRESSOR_X x the station's demand rate (at least BUFFER_COMPRESSOR_MIN kg/h, at most
  BUFFER_COMPRESSOR_MAX of one dispenser's flow).
The --check tables list all of it.
"""

import json
import math
import os
import random
import sys

SEED = 20250101
MC_SAMPLES_PER_CLASS = 40000
TARGET_UTIL = 0.80   # size dispensers so that the estimated utilization is at most this
MAX_UTIL = 0.85      # hard limit: the generator refuses to write a scenario above it
MIN_DISPENSERS = 2   # DOMAIN.md: 2 dispensers with 2-4 nozzles each
MAX_DISPENSERS = 6   # DOMAIN.md: large stations up to 6 positions
ROAD_FACTOR = 1.3
TODAY_STATIONS = 11

# Stations in build order: (id, name, x_km, y_km). Local frame: origin People's Square, x east,
# y north. Coordinates are schematic (a few km of error), placed where the demand is. The first
# TODAY_STATIONS are today's network (clusters at Jiading/Anting, Lingang, the Chemical Industry Park,
# plus Baoshan port and two central sites); the rest follow the 2025 plan's priorities: heavy trucks
# at the ports and the chemical park, logistics in Jiading and Pudong, then buses and cars city-wide.
STATIONS = [
    # --- today (2022): 11 stations ---
    ("JD-01", "Anting (Jiading auto city)", -30.0, 15.0),
    ("LG-01", "Lingang new area", 45.0, -35.0),
    ("CP-01", "Chemical Industry Park", -5.0, -45.0),
    ("JD-02", "Jiading new city", -22.0, 22.0),
    ("BS-01", "Baoshan Wusong port", 5.0, 20.0),
    ("LG-02", "Luchaogang (Yangshan port side)", 40.0, -41.0),
    ("JD-03", "Jiading Malu", -26.0, 8.0),
    ("CT-01", "Hongqiao hub", -14.0, 0.0),
    ("CP-02", "Caojing (Jinshan side)", -12.0, -47.0),
    ("PD-01", "Zhangjiang", 12.0, -4.0),
    ("JD-04", "Anting west (Huaqiao corridor)", -37.0, 18.0),
    # --- 2025 plan: ports, chemical park, Lingang heavy-truck stations first ---
    ("LG-03", "Lingang logistics park", 38.0, -32.0),
    ("CP-03", "Chemical Park east (Fengxian)", 2.0, -42.0),
    ("WG-01", "Waigaoqiao port", 15.0, 16.0),
    ("LG-04", "Lingang north (Nanhui)", 44.0, -27.0),
    ("CP-04", "Chemical Park north", -6.0, -38.0),
    ("BS-02", "Baoshan steelworks", -2.0, 24.0),
    ("LG-05", "Donghai bridge approach", 46.0, -43.0),
    ("WG-02", "Waigaoqiao free trade zone", 18.0, 22.0),
    ("PA-01", "Pudong airport cargo", 35.0, -5.0),
    ("CP-05", "Jinshan industrial zone", -18.0, -42.0),
    ("LG-06", "Lingang heavy equipment zone", 33.0, -38.0),
    ("WG-03", "Gaoqiao", 10.0, 25.0),
    # --- logistics: Jiading and Pudong ---
    ("JD-05", "Jiading industrial zone", -30.0, 24.0),
    ("JD-06", "Nanxiang", -18.0, 12.0),
    ("PD-02", "Kangqiao", 14.0, -12.0),
    ("PD-03", "Chuansha", 24.0, -6.0),
    ("JD-07", "Jiading-Baoshan border (Gucun west)", -14.0, 19.0),
    ("PD-04", "Jinqiao", 14.0, 5.0),
    ("PD-05", "Huinan", 27.0, -19.0),
    ("JD-08", "Jiangqiao", -20.0, 4.0),
    ("PD-06", "Zhoupu", 20.0, -14.0),
    ("PA-02", "Pudong airport south", 33.0, -14.0),
    ("LG-07", "Shuyuan", 38.0, -24.0),
    ("WG-04", "Jungong Road (Yangpu north)", 9.0, 14.0),
    # --- city-wide: bus depots, taxis, cold chain, sanitation ---
    ("CT-02", "Xuhui", -3.0, -6.0),
    ("CT-03", "Putuo", -7.0, 4.0),
    ("CT-04", "Yangpu", 7.0, 7.0),
    ("CT-05", "Xinzhuang (Minhang)", -9.0, -13.0),
    ("BS-03", "Dachang (Baoshan)", -6.0, 13.0),
    ("CT-06", "Lujiazui", 5.0, 0.0),
    ("SJ-01", "Songjiang new city", -25.0, -22.0),
    ("QP-01", "Qingpu", -34.0, -8.0),
    ("MH-01", "Zizhu (Minhang south)", -2.0, -23.0),
    ("PD-07", "Sanlin", 6.0, -9.0),
    ("CT-07", "Zhabei", 0.0, 8.0),
    ("SJ-02", "Sijing", -18.0, -13.0),
    ("FX-01", "Nanqiao (Fengxian)", 2.0, -33.0),
    ("PD-08", "Xinchang", 16.0, -23.0),
    ("QP-02", "Xujing (Hongqiao west)", -24.0, -3.0),
    ("BS-04", "Luojing", -10.0, 28.0),
    ("CT-08", "Caohejing", -6.0, -9.0),
    ("MH-02", "Maqiao", -14.0, -25.0),
    ("SJ-03", "Sheshan", -30.0, -13.0),
    ("FX-02", "Situan (Fengxian east)", 24.0, -30.0),
    ("PD-09", "Beicai", 12.0, -9.0),
    ("CT-09", "Wujiaochang", 3.0, 13.0),
    ("QP-03", "Zhujiajiao", -40.0, -14.0),
    ("SJ-04", "Songjiang south (Yexie)", -27.0, -33.0),
    ("FX-03", "Fengcheng", 15.0, -31.0),
    ("CT-10", "Changning", -8.0, -1.0),
    ("PD-10", "Gaohang", 21.0, 6.0),
    ("JS-01", "Tinglin (Jinshan)", -22.0, -36.0),
    ("QP-04", "Huaxin", -28.0, 2.0),
    ("MH-03", "Pujiang", 7.0, -20.0),
    ("SJ-05", "Songjiang west (Xinbang)", -38.0, -26.0),
    ("BS-05", "Yanghang", -4.0, 18.0),
    ("CT-11", "Huangpu south", 2.0, -4.0),
    ("MH-04", "Qibao", -14.0, -7.0),
    ("FX-04", "Zhuanghang", -10.0, -35.0),
]

# --- Hydrogen supply (see the module docstring). Production sites, (x_km, y_km): by-product and
# industrial hydrogen at the Chemical Industry Park in the south and at Baoshan (steelworks) in the
# north, where tube trailers are filled.
PRODUCTION_SITES = {
    "Chemical Industry Park": (-5.0, -45.0),
    "Baoshan": (-2.0, 24.0),
}
TRAILER_KMH = 35.0         # tube-trailer average speed, road km (straight line x ROAD_FACTOR)
LEAD_BASE_H = 2.0          # order to departure at least (dispatch, filling the trailer)
LEAD_SPREAD_H = 4.0        # dispatch queue and traffic: lead time uniform over a 4-hour window
REORDER_SAFETY = 1.4       # s = 1.4 x the demand over the mean lead time (1.25: ~2.6% of visits
                           # turned away in 2025; 1.4: ~1%; 1.5: ~0.5%; 1.75: <0.1%)
STORAGE_DAYS = 1.0         # storage of delivery and on-site stations: 1 day of demand (>= s + Q)
PAYLOAD_TIERS = (          # (up to D kg/day, trailer payload kg): the smallest that keeps trips few
    (800, 300),            # steel tube trailer, ~300 kg
    (2000, 560),           # composite, 560 kg
    (4000, 1000),          # composite, 1,000 kg
    (float("inf"), 1300),  # 500-bar composite, 1,300 kg
)
# Pipeline P-chem: ~28 km along the Hangzhou Bay shore from (-20, -44) to (8, -40); these stations
# lie within ~4 km of it. Today's network has only CP-01 and CP-02 on it (Shanghai's ~30 km today).
PIPELINE_ID = "P-chem"
PIPELINE_LINE = ((-20.0, -44.0), (8.0, -40.0))
PIPELINE_STATIONS = ("CP-05", "CP-02", "CP-01", "CP-04", "CP-03")
PIPELINE_MARGIN = 1.25          # pipeline capacity = 1.25 x the summed demand of its stations
PIPELINE_STATION_RATE = 1.6     # a station may draw 1.6 x its own mean demand rate
PIPELINE_STORAGE_DAYS = 0.5     # a continuous feed needs less storage
# On-site electrolysis: in Qingpu/Songjiang (far west, far from both production sites) and at the
# Donghai bridge approach (offshore wind).
ONSITE_STATIONS = ("QP-01", "QP-03", "SJ-05", "LG-05")
ONSITE_MARGIN = 1.2             # daily production = 1.2 x daily demand
ONSITE_KWH_PER_KG = 55          # DOMAIN.md: 50-60 kWh/kg including auxiliaries
# Cheap night power: 1.5 x from midnight to 6 am, 0.7 x at the morning and evening peaks.
ONSITE_PROFILE = [1.5] * 6 + [1.0] * 2 + [0.7] * 4 + [1.0] * 5 + [0.7] * 4 + [1.0] * 3
# High-pressure buffer on a few small stations (consecutive-fill limit): about two bus fills.
BUFFER_STATIONS = {"BS-04": 50, "JS-01": 60, "FX-03": 80}   # id: buffer kg
BUFFER_COMPRESSOR_X = 3.0       # compressor = 3 x the station's mean demand rate,
BUFFER_COMPRESSOR_MIN = 30      # at least 30 kg/h,
BUFFER_COMPRESSOR_MAX = 2 / 3   # at most 2/3 of one dispenser's flow (else the buffer never matters)
# The scenario must keep every station inside a plausible size.
MAX_STORAGE_KG = 8000

# Vehicle classes. tank/consumption/daily_km within DOMAIN.md's ranges; the chosen points are
# listed in the description. Areas are (x_km, y_km, radius_km).
CLASS_PARAMS = {
    "city_bus_central": dict(tank_kg=30.0, cons=8.0, km=(250, 40), refuel=0.30, speed=25,
                             area=(0.0, 0.0, 20.0)),
    "city_bus_suburban": dict(tank_kg=30.0, cons=8.0, km=(250, 40), refuel=0.30, speed=30,
                              area=(-5.0, -10.0, 38.0)),
    "logistics_jiading": dict(tank_kg=15.0, cons=4.5, km=(200, 50), refuel=0.20, speed=35,
                              area=(-28.0, 15.0, 14.0)),
    "logistics_pudong": dict(tank_kg=15.0, cons=4.5, km=(200, 50), refuel=0.20, speed=35,
                             area=(22.0, -14.0, 18.0)),
    "logistics_citywide": dict(tank_kg=15.0, cons=4.5, km=(200, 50), refuel=0.20, speed=30,
                               area=(0.0, -3.0, 25.0)),
    "logistics_songjiang_qingpu": dict(tank_kg=15.0, cons=4.5, km=(200, 50), refuel=0.20, speed=35,
                                       area=(-28.0, -18.0, 15.0)),
    "heavy_truck_north_ports": dict(tank_kg=45.0, cons=9.0, km=(350, 100), refuel=0.20, speed=40,
                                    area=(8.0, 20.0, 13.0)),
    "heavy_truck_lingang_yangshan": dict(tank_kg=45.0, cons=9.0, km=(350, 100), refuel=0.20,
                                         speed=40, area=(38.0, -34.0, 14.0)),
    "heavy_truck_chemical_park": dict(tank_kg=45.0, cons=9.0, km=(350, 100), refuel=0.20, speed=40,
                                      area=(-6.0, -43.0, 12.0)),
    "taxi": dict(tank_kg=5.6, cons=0.8, km=(350, 80), refuel=0.25, speed=35,
                 area=(0.0, 0.0, 15.0)),
    "private_car": dict(tank_kg=5.6, cons=0.7, km=(50, 25), refuel=0.20, speed=35,
                        area=(-3.0, -2.0, 25.0)),
}

FLEET_2025 = {
    "city_bus_central": 1600,
    "city_bus_suburban": 1000,
    "logistics_jiading": 1400,
    "logistics_pudong": 1400,
    "logistics_citywide": 1350,
    "logistics_songjiang_qingpu": 1000,
    "heavy_truck_north_ports": 700,
    "heavy_truck_lingang_yangshan": 1000,
    "heavy_truck_chemical_park": 700,
    "taxi": 700,
    "private_car": 150,
}

FLEET_TODAY = {
    "city_bus_central": 200,
    "city_bus_suburban": 100,
    "logistics_jiading": 550,
    "logistics_pudong": 200,
    "logistics_citywide": 150,
    "logistics_songjiang_qingpu": 100,
    "heavy_truck_north_ports": 20,
    "heavy_truck_lingang_yangshan": 60,
    "heavy_truck_chemical_park": 40,
    "taxi": 40,
    "private_car": 40,
}

HEAVY = ("heavy_truck_north_ports", "heavy_truck_lingang_yangshan", "heavy_truck_chemical_park")
CARS = ("taxi", "private_car")

# Station kinds: one fill rate per station (DOMAIN.md: 35 MPa for buses and trucks, 70 MPa for cars;
# buses/trucks take 25-40 kg in 8-20 min, cars 4-6 kg in 3-6 min). Overhead = connect, checks, pay.
KINDS = {
    "heavy": dict(fill_rate=3.0, overhead=4),   # H35, heavy-truck lanes
    "mixed": dict(fill_rate=2.5, overhead=3),   # H35 buses/logistics, plus an H70 nozzle
    "car": dict(fill_rate=1.8, overhead=2),     # H70 car station
}


def daily_kg(name):
    p = CLASS_PARAMS[name]
    return p["km"][0] * p["cons"] / 100.0


def sample_disc(rng, cx, cy, r):
    # Uniform in the disc: radius ~ r*sqrt(U).
    rho = r * math.sqrt(rng.random())
    th = 2.0 * math.pi * rng.random()
    return cx + rho * math.cos(th), cy + rho * math.sin(th)


def monte_carlo(rng, open_n):
    """Per class: for each station index, (share of refuelling trips, mean road km to it)."""
    sts = STATIONS[:open_n]
    out = {}
    for name, p in CLASS_PARAMS.items():
        cx, cy, r = p["area"]
        hits = [0] * open_n
        dist = [0.0] * open_n
        for _ in range(MC_SAMPLES_PER_CLASS):
            x, y = sample_disc(rng, cx, cy, r)
            best, bd = -1, float("inf")
            for i, s in enumerate(sts):
                d = (s[2] - x) ** 2 + (s[3] - y) ** 2
                if d < bd:
                    best, bd = i, d
            hits[best] += 1
            dist[best] += math.sqrt(bd) * ROAD_FACTOR
        out[name] = [(hits[i] / MC_SAMPLES_PER_CLASS, dist[i] / hits[i] if hits[i] else 0.0)
                     for i in range(open_n)]
    return out


def station_flows(mc, fleet, open_n):
    """Per station, per class: (fills per hour, kg per fill)."""
    flows = [dict() for _ in range(open_n)]
    for name, count in fleet.items():
        p = CLASS_PARAMS[name]
        kg_day = daily_kg(name)
        drain_kg_per_h = kg_day / 24.0
        for i, (share, road_km) in enumerate(mc[name]):
            if share == 0.0:
                continue
            # The tank keeps draining (by time) on the way to the station.
            kg_fill = p["tank_kg"] * (1.0 - p["refuel"]) + drain_kg_per_h * road_km / p["speed"]
            kg_fill = min(kg_fill, p["tank_kg"])
            fills_h = count * share * kg_day / 24.0 / kg_fill
            flows[i][name] = (fills_h, kg_fill)
    return flows


def choose_kind(flow):
    kg = {n: f * k for n, (f, k) in flow.items()}
    total_kg = sum(kg.values())
    total_fills = sum(f for f, _ in flow.values())
    if total_kg == 0.0:
        return "mixed"
    if sum(kg.get(n, 0.0) for n in HEAVY) >= 0.4 * total_kg:
        return "heavy"
    if sum(flow[n][0] for n in CARS if n in flow) >= 0.5 * total_fills:
        return "car"
    return "mixed"


def erlangs(flow, kind):
    k = KINDS[kind]
    return sum(f * (k["overhead"] + kg / k["fill_rate"]) / 60.0 for f, kg in flow.values())


def round_up(v, step):
    return step * math.ceil(v / step - 1e-9)


def segment_km(p, a, b):
    """Distance from point p to the segment a-b, km."""
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def onsite_deficit_kg(rate, d_h):
    """Largest drop of a tank that starts full, over two days of flat demand d_h and production at
    rate x ONSITE_PROFILE (production stops while the tank is full): what storage must hold."""
    level, worst = 0.0, 0.0   # level relative to full (<= 0)
    for h in range(48):
        level = min(0.0, level + rate * ONSITE_PROFILE[h % 24] - d_h)
        worst = min(worst, level)
    return -worst


def supply_plan(kg_day, kinds):
    """Per station: {"model", "storage", "supply", "buffer" (or None), "info" (for the table)},
    sized from its design demand kg_day[i] (kg/day); and the pipeline's capacity, kg/h."""
    ids = [s[0] for s in STATIONS]
    for sid in PIPELINE_STATIONS + ONSITE_STATIONS + tuple(BUFFER_STATIONS):
        assert sid in ids, sid
    assert not set(PIPELINE_STATIONS) & set(ONSITE_STATIONS)
    assert len(ONSITE_PROFILE) == 24
    profile_mean = sum(ONSITE_PROFILE) / 24.0
    length = math.dist(*PIPELINE_LINE)
    assert 25.0 <= length <= 32.0, length   # DOMAIN.md: Shanghai has ~30 km of pipeline
    pipe_h = 0.0
    plan = []
    for i, (sid, _, x, y) in enumerate(STATIONS):
        D = kg_day[i]
        d_h = D / 24.0
        info = {"D": D}
        if sid in PIPELINE_STATIONS:
            off = segment_km((x, y), *PIPELINE_LINE)
            assert off <= 5.0, (sid, off)
            cap = round_up(PIPELINE_STORAGE_DAYS * D, 100)
            rate = round_up(PIPELINE_STATION_RATE * d_h, 10)
            pipe_h += d_h
            supply = {"model": "pipeline", "pipeline": PIPELINE_ID, "max_rate_kg_per_h": rate}
            storage = {"capacity_kg": cap, "initial_kg": cap}
            info.update(note=f"{off:.1f} km off the line, max {rate} kg/h")
        elif sid in ONSITE_STATIONS:
            rate = round_up(ONSITE_MARGIN * d_h / profile_mean, 5)
            cap = round_up(STORAGE_DAYS * D, 100)
            need = onsite_deficit_kg(rate, d_h)
            assert need <= 0.5 * cap, (sid, need, cap)
            supply = {"model": "onsite", "rate_kg_per_h": rate, "hourly_profile": ONSITE_PROFILE,
                      "kwh_per_kg": ONSITE_KWH_PER_KG}
            storage = {"capacity_kg": cap, "initial_kg": cap}
            info.update(note=f"{rate} kg/h x profile ({rate * ONSITE_KWH_PER_KG / 1000:.1f} MW), "
                             f"daily swing {need:.0f} kg")
        else:
            site, km = min(((n, math.hypot(x - px, y - py)) for n, (px, py)
                            in PRODUCTION_SITES.items()), key=lambda t: t[1])
            travel_h = km * ROAD_FACTOR / TRAILER_KMH
            lo = round_up(LEAD_BASE_H + travel_h, 0.5)
            hi = lo + LEAD_SPREAD_H
            s_kg = round_up(REORDER_SAFETY * d_h * (lo + hi) / 2.0, 10)
            q_kg = next(q for limit, q in PAYLOAD_TIERS if D <= limit)
            cap = round_up(max(STORAGE_DAYS * D, s_kg + q_kg), 100)
            supply = {"model": "delivery", "payload_kg": q_kg, "reorder_at_kg": s_kg,
                      "lead_time_h": {"dist": "uniform", "min": num(lo), "max": num(hi)}}
            storage = {"capacity_kg": cap, "initial_kg": min(cap, s_kg + q_kg)}
            info.update(note=f"from {site} ({km:.0f} km), lead {num(lo)}-{num(hi)} h, "
                             f"{D / q_kg:.1f} trailers/day")
        assert storage["capacity_kg"] <= MAX_STORAGE_KG, (sid, storage)
        buffer = None
        if sid in BUFFER_STATIONS:
            assert D <= 1200, (sid, D)   # small stations only
            k = max(BUFFER_COMPRESSOR_MIN, round_up(BUFFER_COMPRESSOR_X * d_h, 10))
            k = min(k, round_up(BUFFER_COMPRESSOR_MAX * 60 * KINDS[kinds[i]]["fill_rate"], 10))
            assert k >= 2 * d_h, (sid, k, d_h)   # comfortably above the mean demand rate
            buffer = {"capacity_kg": BUFFER_STATIONS[sid], "compressor_kg_per_h": k}
            info["note"] += f"; buffer {BUFFER_STATIONS[sid]} kg, compressor {k} kg/h"
        plan.append({"model": supply["model"], "storage": storage, "supply": supply,
                     "buffer": buffer, "info": info})
    pipe_cap = round_up(PIPELINE_MARGIN * pipe_h, 50)
    return plan, pipe_cap, pipe_h


def print_supply_table(plan, pipe_cap, pipe_h, out):
    print("\n== supply (design demand: 2025, or the larger of 2025 and today for today's "
          "stations) ==", file=out)
    print(f"{'#':>3} {'id':6} {'model':8} {'kg/day':>7} {'storage':>7} {'days':>5} {'s':>5} "
          f"{'Q':>5}  notes", file=out)
    for i, p in enumerate(plan):
        D = p["info"]["D"]
        cap = p["storage"]["capacity_kg"]
        s_kg = p["supply"].get("reorder_at_kg", "")
        q_kg = p["supply"].get("payload_kg", "")
        print(f"{i + 1:>3} {STATIONS[i][0]:6} {p['model']:8} {D:>7.0f} {cap:>7} {cap / D:>5.2f} "
              f"{s_kg:>5} {q_kg:>5}  {p['info']['note']}", file=out)
    print(f"pipeline {PIPELINE_ID}: {math.dist(*PIPELINE_LINE):.1f} km, capacity {pipe_cap} kg/h "
          f"for {pipe_h:.0f} kg/h of demand ({pipe_cap / pipe_h:.2f}x)", file=out)
    models = [p["model"] for p in plan]
    print("stations by model: " + ", ".join(f"{m} {models.count(m)}"
                                             for m in ("delivery", "pipeline", "onsite")), file=out)


def fmt_json(obj, indent=0):
    """2-space JSON; objects and lists holding only scalars stay on one line."""
    pad = "  " * indent

    def leaf(o):
        if isinstance(o, dict):
            return all(not isinstance(v, (dict, list)) for v in o.values())
        if isinstance(o, list):
            return all(not isinstance(v, (dict, list)) for v in o)
        return True

    def inline(o):
        if isinstance(o, dict):
            return "{ " + ", ".join(json.dumps(k) + ": " + inline(v) for k, v in o.items()) + " }"
        if isinstance(o, list):
            return "[" + ", ".join(inline(v) for v in o) + "]"
        return json.dumps(o, ensure_ascii=False)

    if isinstance(obj, dict):
        if indent > 0 and all(leaf(v) for v in obj.values()) and len(inline(obj)) + len(pad) <= 180:
            return inline(obj)
        if indent > 0 and "dispensers" in obj and all(leaf(v) for v in obj.values()
                                                      if isinstance(v, list)):
            # A station: its scalar fields on the first line(s), then storage, supply and buffer
            # one per line.
            lines, cur = [], []
            for k, v in obj.items():
                item = json.dumps(k) + ": " + inline(v)
                if isinstance(v, (dict, list)):
                    if cur:
                        lines.append(", ".join(cur))
                        cur = []
                    lines.append(item)
                elif cur and len(pad) + 4 + len(", ".join(cur + [item])) > 180:
                    lines.append(", ".join(cur))
                    cur = [item]
                else:
                    cur.append(item)
            if cur:
                lines.append(", ".join(cur))
            return "{ " + (",\n" + pad + "  ").join(lines) + " }"
        items = [pad + "  " + json.dumps(k) + ": " + fmt_json(v, indent + 1) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if leaf(obj):
            return inline(obj)
        items = [pad + "  " + fmt_json(v, indent + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return inline(obj)


def num(v):
    """Integers as ints, else rounded to 2 decimals (readable JSON)."""
    return int(v) if float(v).is_integer() else round(v, 2)


def class_json(name, count):
    p = CLASS_PARAMS[name]
    cx, cy, r = p["area"]
    return {
        "name": name,
        "count": count,
        "tank_kg": num(p["tank_kg"]),
        "consumption_kg_per_100km": num(p["cons"]),
        "daily_km": {"dist": "normal", "mean": p["km"][0], "sd": p["km"][1]},
        "refuel_at_fraction": p["refuel"],
        "speed_kmh": p["speed"],
        "area": {"x_km": num(cx), "y_km": num(cy), "radius_km": num(r)},
    }


def station_json(i, kind, dispensers, supply):
    sid, name, x, y = STATIONS[i]
    k = KINDS[kind]
    out = {
        "id": sid,
        "name": name,
        "x_km": float(x),
        "y_km": float(y),
        "dispensers": dispensers,
        "fill_rate_kg_per_min": k["fill_rate"],
        "overhead_min": k["overhead"],
        "storage": supply["storage"],
        "supply": supply["supply"],
    }
    if supply["buffer"]:
        out["buffer"] = supply["buffer"]
    return out


def print_table(title, open_n, flows, kinds, disp, out):
    print(f"\n== {title}: {open_n} stations ==", file=out)
    print(f"{'#':>3} {'id':6} {'kind':5} {'disp':>4} {'fills/day':>9} {'kg/day':>8} "
          f"{'erl':>6} {'util':>5}  main users", file=out)
    utils, kgs, busy, cap = [], [], 0.0, 0
    for i in range(open_n):
        fl = flows[i]
        e = erlangs(fl, kinds[i])
        u = e / disp[i]
        fills = 24 * sum(f for f, _ in fl.values())
        kg = 24 * sum(f * k for f, k in fl.values())
        top = sorted(fl.items(), key=lambda kv: -kv[1][0] * kv[1][1])[:2]
        users = ", ".join(f"{n}" for n, _ in top)
        print(f"{i + 1:>3} {STATIONS[i][0]:6} {kinds[i]:5} {disp[i]:>4} {fills:>9.0f} {kg:>8.0f} "
              f"{e:>6.2f} {u:>5.2f}  {users}", file=out)
        utils.append(u)
        busy += e
        cap += disp[i]
        kgs.append(kg)
    idle = sum(1 for u in utils if u < 0.05)
    print(f"util min {min(utils):.2f}  mean {sum(utils) / len(utils):.2f}  max {max(utils):.2f}  "
          f"dispenser-weighted {busy / cap:.2f}  dispensers {cap}  stations <5% {idle}  "
          f"kg/day {sum(kgs):.0f}", file=out)
    return utils, busy / cap, kgs


def main():
    check_only = "--check" in sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    scen_dir = os.path.dirname(here)
    rng = random.Random(SEED)

    n_all = len(STATIONS)
    assert n_all == 70, n_all
    assert len({s[0] for s in STATIONS}) == n_all, "duplicate station id"
    for s in STATIONS:
        assert -40 <= s[2] <= 50 and -50 <= s[3] <= 35, s

    mc_2025 = monte_carlo(rng, n_all)
    mc_today = monte_carlo(rng, TODAY_STATIONS)
    flows_2025 = station_flows(mc_2025, FLEET_2025, n_all)
    flows_today = station_flows(mc_today, FLEET_TODAY, TODAY_STATIONS)

    # A station's equipment is decided by its 2025 customers and kept in both files.
    kinds = [choose_kind(flows_2025[i]) for i in range(n_all)]
    disp = []
    for i in range(n_all):
        e = erlangs(flows_2025[i], kinds[i])
        if i < TODAY_STATIONS:
            e = max(e, erlangs(flows_today[i], kinds[i]))
        d = max(MIN_DISPENSERS, math.ceil(e / TARGET_UTIL - 1e-9))
        disp.append(min(d, MAX_DISPENSERS))

    err = sys.stderr
    u25, w25, kg_day_2025 = print_table("shanghai-2025", n_all, flows_2025, kinds, disp, err)
    u00, w00, kg_day_today = print_table("shanghai-today", TODAY_STATIONS, flows_today, kinds, disp,
                                         err)
    kg25, kg00 = sum(kg_day_2025), sum(kg_day_today)
    for label, fleet, kg in (("2025", FLEET_2025, kg25), ("today", FLEET_TODAY, kg00)):
        n = sum(fleet.values())
        print(f"{label}: {n} vehicles, {kg:.0f} kg/day expected (fleet mean "
              f"{sum(c * daily_kg(k) for k, c in fleet.items()):.0f})", file=err)

    # Supply is sized on each station's larger estimate, so today's stations keep theirs in 2025.
    kg_design = [max(kg_day_2025[i], kg_day_today[i] if i < TODAY_STATIONS else 0.0)
                 for i in range(n_all)]
    plan, pipe_cap, pipe_h = supply_plan(kg_design, kinds)
    print_supply_table(plan, pipe_cap, pipe_h, err)

    bad = [(STATIONS[i][0], round(u, 3)) for i, u in enumerate(u25) if u >= MAX_UTIL]
    bad += [(STATIONS[i][0] + " (today)", round(u, 3)) for i, u in enumerate(u00) if u >= MAX_UTIL]
    if bad:
        print(f"ERROR: stations at or above {MAX_UTIL}: {bad}", file=err)
        return 1
    if check_only:
        return 0

    def classes(fleet):
        return [class_json(n, c) for n, c in fleet.items()]

    def composition(fleet):
        groups = {"buses": ("city_bus",), "logistics trucks": ("logistics",),
                  "heavy trucks": ("heavy_truck",), "taxis": ("taxi",), "private cars": ("private",)}
        parts = []
        for label, prefixes in groups.items():
            n = sum(c for k, c in fleet.items() if k.startswith(prefixes))
            parts.append(f"{n:,} {label}")
        return ", ".join(parts)

    kit = {
        "heavy": "heavy-truck H35 lanes {fill_rate} kg/min + {overhead} min overhead",
        "mixed": "bus/logistics H35 (with an H70 nozzle) {fill_rate} kg/min + {overhead} min",
        "car": "H70 car stations {fill_rate} kg/min + {overhead} min",
    }
    used = [k for k in KINDS if k in kinds]
    kit_text = "; ".join(kit[k].format(**KINDS[k]) + f" ({kinds.count(k)} stations)" for k in used)
    common = (
        "Sources: shared/DOMAIN.md public figures (Shanghai: ~10-12 stations and ~1,500 fuel-cell "
        "vehicles today, plan of ~70 stations and >10,000 vehicles by 2025 with priority on heavy "
        "trucks, buses and port/cold-chain logistics; city ~80 x 80 km; ranges of vehicle tanks, "
        "consumption and daily km; 35 MPa vs 70 MPa stations; 2-6 dispensing positions; bus/truck "
        "fills of 25-40 kg in 8-20 min). Plausible choices, not sourced: station sites (schematic "
        "coordinates, km from People's Square, x east, y north, a few km of error) and build order; "
        "the fleet split per class and each class's operating area; buses 30 kg tank, 8 kg/100 km, "
        "250+-40 km/day, refuel at 30% (about one fill a day); logistics trucks 15 kg, 4.5 kg/100 "
        "km, 200+-50 km/day; heavy trucks 45 kg, 9 kg/100 km, 350+-100 km/day (busy port and "
        "chemical-park drayage, far above Beijing's ~70 km/day average); taxis 5.6 kg, 0.8 kg/100 "
        "km, 350+-80 km/day; private cars 5.6 kg, 0.7 kg/100 km, 50+-25 km/day; road factor 1.3; "
        "speeds 25-40 km/h. Station kit chosen from each station's main 2025 customers: "
        f"{kit_text}. Dispensers (2-6) sized by scenarios/tools/make_shanghai.py from a Monte "
        "Carlo estimate of nearest-station demand so that no station exceeds "
        f"{TARGET_UTIL:.0%} estimated utilization in either scenario. Demand is spread evenly over "
        "the day (no peaks). ")

    def supply_text(open_n):
        """What supply the first open_n stations get, and why (plausible, not sourced)."""
        opened = plan[:open_n]
        ids = [STATIONS[i][0] for i in range(open_n)]
        by = {m: [ids[i] for i, p in enumerate(opened) if p["model"] == m]
              for m in ("delivery", "pipeline", "onsite")}
        delivery = [p for p in opened if p["model"] == "delivery"]
        lows = [p["supply"]["lead_time_h"]["min"] for p in delivery]
        highs = [p["supply"]["lead_time_h"]["max"] for p in delivery]
        caps = [p["storage"]["capacity_kg"] for p in opened]
        q_used = sorted({p["supply"]["payload_kg"] for p in delivery})
        q_text = {300: "300 kg steel tubes (up to 800 kg/day)",
                  560: "560 kg composite (up to 2,000 kg/day)",
                  1000: "1,000 kg composite (up to 4,000 kg/day)",
                  1300: "1,300 kg 500-bar composite (busier)"}
        text = (
            "Hydrogen supply (plausible choices, not sourced; sized by make_shanghai.py from each "
            "station's estimated daily demand D, for today's stations the larger of the 2025 and "
            "today estimates, so that both files give them the same supply): every station has "
            f"storage ({min(caps):,}-{max(caps):,} kg, {sum(caps) / 1000:.0f} t in all) and a supply "
            "model; a vehicle whose fill the storage cannot cover is turned away (a fleet vehicle "
            f"drives on to the next-nearest station). {len(by['delivery'])} stations get (s, Q) "
            "tube-trailer deliveries from the nearer of two production sites, the Chemical "
            "Industry Park (south, by-product hydrogen) and Baoshan (north, steelworks): lead time "
            f"uniform over a {LEAD_SPREAD_H:g}-hour window starting {LEAD_BASE_H:g} h + road km / "
            f"{TRAILER_KMH:g} km/h after the order ({min(lows):g}-{min(highs):g} h for the nearest "
            f"stations, {max(lows):g}-{max(highs):g} h for the farthest); payload "
            + ", ".join(q_text[q] for q in q_used) + f"; reorder point s = {REORDER_SAFETY:g} x "
            f"the demand over the mean lead time; storage {STORAGE_DAYS:g} day of D but at least "
            "s + Q (so every trailer fits), starting at s + Q. ")
        if by["pipeline"]:
            text += (
                f"{len(by['pipeline'])} stations ({', '.join(by['pipeline'])}), within 5 km of a "
                f"{math.dist(*PIPELINE_LINE):.0f} km line along the Hangzhou Bay shore from Jinshan "
                f"(Caojing) through the Chemical Industry Park to Fengxian, draw from pipeline "
                f"{PIPELINE_ID} (capacity {pipe_cap:,} kg/h, {pipe_cap / pipe_h:.2f} x the estimated "
                f"demand of its {len(PIPELINE_STATIONS)} stations: CP-05, CP-03 and CP-04 join in 2025; "
                "stations drawing at once share it max-min fairly), each at most "
                f"{PIPELINE_STATION_RATE:g} x its own mean demand rate, storage "
                f"{PIPELINE_STORAGE_DAYS:g} day of D, starting full. ")
        if by["onsite"]:
            text += (
                f"{len(by['onsite'])} stations ({', '.join(by['onsite'])}: Qingpu/Songjiang, far "
                "from both production sites, and the Donghai bridge approach with its offshore "
                f"wind) make hydrogen on site by electrolysis, {ONSITE_MARGIN:g} x D a day at "
                f"{ONSITE_KWH_PER_KG} kWh/kg (DOMAIN.md: 50-60), with cheap night power (x1.5 "
                "from 0 to 6 h, x0.7 at the 8-12 h and 17-21 h peaks, x1 otherwise), storage "
                f"{STORAGE_DAYS:g} day of D, starting full. ")
        buffered = [ids[i] for i, p in enumerate(opened) if p["buffer"]]
        if buffered:
            text += (
                f"Small stations {', '.join(buffered)} have a high-pressure buffer "
                f"({min(BUFFER_STATIONS.values())}-{max(BUFFER_STATIONS.values())} kg, about two "
                f"bus fills) whose compressor gives {BUFFER_COMPRESSOR_X:g} x the station's mean "
                f"demand rate, at least {BUFFER_COMPRESSOR_MIN} kg/h and at most 2/3 of one "
                "dispenser's flow (" + ", ".join(
                    f"{ids[i]} {p['buffer']['compressor_kg_per_h']} kg/h"
                    for i, p in enumerate(opened) if p["buffer"]) +
                "): back-to-back fills past the buffer slow down (consecutive-fill limit). ")
        else:
            text += "No station has a high-pressure buffer (no consecutive-fill limit)."
        return text.rstrip()

    n25, n00 = len(STATIONS), TODAY_STATIONS
    desc_2025 = (
        f"Shanghai 2025 plan: {n25} hydrogen stations in build order (the first {n00} are today's "
        f"network, see shanghai-today), {sum(FLEET_2025.values()):,} fuel-cell vehicles "
        f"({composition(FLEET_2025)}). " + common +
        f"Estimated dispenser utilization: mean {sum(u25) / len(u25):.0%} over stations "
        f"({w25:.0%} of all dispenser time), max {max(u25):.0%}. Demand is about "
        f"{kg25 / 1000:.0f} t of hydrogen a day ({kg25 / n25:,.0f} kg/day per station): it does "
        f"NOT fit the nameplate of stations like today's (500-2,000 kg/day, so about "
        f"{n25 * 0.5:.0f}-{n25 * 2.0:.0f} t/day for {n25} stations): dispensers are only "
        "moderately busy and the supply below is sized for the demand, so that only a small "
        "share of visits (a few % at most) meets a dry station. " + supply_text(n25))
    desc_today = (
        f"Shanghai today (about 2022): the first {n00} stations of shanghai-2025 (same ids, sites "
        f"and equipment), {sum(FLEET_TODAY.values()):,} fuel-cell vehicles "
        f"({composition(FLEET_TODAY)}), mostly logistics trucks and buses around Jiading, Lingang, "
        "Pudong and the Chemical Industry Park. " + common +
        f"Estimated dispenser utilization: mean {sum(u00) / len(u00):.0%} over stations "
        f"({w00:.0%} of all dispenser time), max {max(u00):.0%}. Demand is about "
        f"{kg00 / 1000:.1f} t/day, {kg00 / n00:,.0f} kg/day per station on average: within the "
        "500-2,000 kg/day nameplate range on average, but "
        f"{sum(1 for k in kg_day_today if k > 2000)} of {n00} stations would dispense more than "
        f"2,000 kg/day (busiest {max(kg_day_today):,.0f}), so supply, not dispensers, would limit "
        "them; the supply below is sized for that demand, so that only a small share of visits "
        "(a few % at most) meets a dry station. " + supply_text(n00))

    scen_2025 = {
        "name": "shanghai-2025",
        "description": desc_2025,
        "seed": 2025,
        "horizon_days": 30,
        "warmup_days": 3,
        "open_stations": n25,
        "stations": [station_json(i, kinds[i], disp[i], plan[i]) for i in range(n_all)],
        "pipelines": [{"id": PIPELINE_ID, "capacity_kg_per_h": pipe_cap}],
        "demand": {"model": "fleet", "road_factor": ROAD_FACTOR, "classes": classes(FLEET_2025)},
    }
    scen_today = {
        "name": "shanghai-today",
        "description": desc_today,
        "seed": 2022,
        "horizon_days": 30,
        "warmup_days": 3,
        "open_stations": n00,
        "stations": [station_json(i, kinds[i], disp[i], plan[i]) for i in range(TODAY_STATIONS)],
        "pipelines": [{"id": PIPELINE_ID, "capacity_kg_per_h": pipe_cap}],
        "demand": {"model": "fleet", "road_factor": ROAD_FACTOR, "classes": classes(FLEET_TODAY)},
    }
    for fname, scen in (("shanghai-2025.json", scen_2025), ("shanghai-today.json", scen_today)):
        path = os.path.join(scen_dir, fname)
        text = fmt_json(scen) + "\n"
        json.loads(text)  # the writer must produce valid JSON
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {path}", file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
