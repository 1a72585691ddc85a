#!/usr/bin/python3
"""Generate the Shanghai scenarios: scenarios/shanghai-2025.json and scenarios/shanghai-today.json.

Run from anywhere with the system interpreter (standard library only):

    /usr/bin/python3 scenarios/tools/make_shanghai.py            # writes both files
    /usr/bin/python3 scenarios/tools/make_shanghai.py --check    # only prints the sizing tables

Figures come from docs/sources.md (public figures); the rest are plausible choices, listed in each
file's "description". The output is deterministic: every random draw comes from random.Random(SEED).

Fleet behaviour (who drives when and where). Every class has a tank pressure (buses and trucks H35,
taxis and private cars H70) and uses only stations that fill it; a daily shift (it drives, drains
its tank and so refuels only inside it: buses 5-22 h, day and night taxis, logistics and heavy
trucks in long day shifts, urban distribution at night); a refuel threshold drawn per refuelling
(a uniform range); a station choice (buses: their depot's station first, one class per depot with
its area centred on the depot; taxis: least delay, i.e. drive time plus the queue in sight; others
the nearest), each with a maximum detour; and a driver (taxis and private cars balk at a queue and
renege after a short patience; buses never give up; trucks wait long). Stations serve H35, H70 or
both (STATION_PRESSURES), break down at random (OUTAGE_MTBF_H, OUTAGE_REPAIR_H: about 97-98%
availability), a few keep limited opening hours (LIMITED_HOURS) and a few have a maintenance window
(MAINTENANCE).

Sizing. A Monte Carlo estimate (points drawn uniformly in each class's area disc) follows the
simulator's choice: compatible stations only, those within the class's maximum detour first, then
the policy's order (depot: home station first; least_delay is estimated as nearest, its queues being
short), an hour of the shift going to the first station open then (opening hours) and, for the
station's breakdown share of the time, to the next one. With the class's refuels per day (mileage
over the tank share refilled) this gives each station's fills in every hour of the day and, with its
fill rate and overhead, the offered load in dispenser-erlangs per hour. Each station gets the fewest
dispensers (2..6, docs/sources.md) that keep its daily utilization under TARGET_UTIL and its busiest hour
under PEAK_UTIL in both scenarios; the script fails if any station would exceed MAX_UTIL or
MAX_PEAK_UTIL, so that a layout change that overloads a station cannot pass unnoticed.

Supply. The supply rules are unchanged; they are applied to this estimate of each station's daily
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

import heapq
import json
import math
import os
import random
import sys

from queueing import mdc_wait_min

SEED = 20250101
MC_SAMPLES_PER_CLASS = 20000
TARGET_UTIL = 0.80   # size dispensers so that the estimated daily utilization is at most this...
PEAK_UTIL = 0.85     # ...and the busiest hour's at most this...
WAIT_TARGET_MIN = 8  # ...and the busiest hour's expected wait (M/D/c) at most this
MAX_UTIL = 0.85      # hard limits: the generator refuses to write a scenario above them
MAX_PEAK_UTIL = 0.95
MIN_IN_REACH = 0.99  # 2025: share of each class's area with a compatible station within its detour
MIN_IN_REACH_TODAY = 0.75   # today's sparse network
MIN_DISPENSERS = 2   # docs/sources.md: 2 dispensers with 2-4 nozzles each
MAX_DISPENSERS = 6   # docs/sources.md: large stations up to 6 positions
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
ONSITE_KWH_PER_KG = 55          # docs/sources.md: 50-60 kWh/kg including auxiliaries
# Cheap night power: 1.5 x from midnight to 6 am, 0.7 x at the morning and evening peaks.
ONSITE_PROFILE = [1.5] * 6 + [1.0] * 2 + [0.7] * 4 + [1.0] * 5 + [0.7] * 4 + [1.0] * 3
# High-pressure buffer on a few small stations (consecutive-fill limit): about two bus fills.
BUFFER_STATIONS = {"BS-04": 50, "JS-01": 60, "FX-03": 80}   # id: buffer kg
BUFFER_COMPRESSOR_X = 3.0       # compressor = 3 x the station's mean demand rate,
BUFFER_COMPRESSOR_MIN = 30      # at least 30 kg/h,
BUFFER_COMPRESSOR_MAX = 2 / 3   # at most 2/3 of one dispenser's flow (else the buffer never matters)
# The scenario must keep every station inside a plausible size.
MAX_STORAGE_KG = 8000

# --- Station behaviour (plausible choices, not sourced). Pressure classes (docs/sources.md: 35 MPa for
# buses and trucks, 70 MPa for cars; many stations serve both): every station serves both except
# heavy-duty port/chemical-park/steelworks lanes (H35 only) and three central car stations (H70
# only, near Lujiazui, the Bund's south and Caohejing: taxi country, no bus depot).
H35_ONLY = ("LG-05", "LG-06", "CP-04", "CP-05", "BS-02", "WG-02")
H70_ONLY = ("CT-06", "CT-11", "CT-08")
# Random breakdowns: up-time exponential, repair lognormal (mean 8 h, sd 6 h: most fixed within a
# shift, a few wait a day or two for parts). docs/sources.md: California's network was available 58%
# (2024) to 74% (2025) of the time; Shanghai's stations are newer, operator-run and mostly serve
# fleets with their own technicians, so we assume far better: 96.9% at the heavy-duty port, Lingang
# and chemical-park stations (their compressors run hardest), 98.0% elsewhere.
OUTAGE_REPAIR_H = (8.0, 6.0)            # lognormal mean, sd
OUTAGE_MTBF_H_HEAVY_DUTY = 250.0        # exponential mean: 250 / (250 + 8) = 96.9%
OUTAGE_MTBF_H = 400.0                   # 400 / (400 + 8) = 98.0%
HEAVY_DUTY_SITES = ("LG-", "CP-", "WG-", "BS-01", "BS-02")   # id prefixes
# Limited opening hours: small suburban stations, staffed by day only (nobody there at night: the
# night taxis, night logistics and port trucks work elsewhere).
# Luojing (BS-04), a small bus-depot station, opens while its buses run.
LIMITED_HOURS = {"BS-04": (5, 23), "JS-01": (6, 22), "FX-03": (6, 22), "SJ-04": (6, 22),
                 "QP-03": (7, 21)}
# Planned maintenance, (start_day, start_h, hours), day 0 = the run's first day (warm-up included):
# a night's compressor service at a busy depot, a Lingang heavy-duty station and Zhangjiang.
MAINTENANCE = {"CT-01": ((10, 1, 6),), "LG-01": ((17, 0, 8),), "PD-01": ((24, 2, 6),)}

# --- Vehicle classes. tank/consumption/daily_km within docs/sources.md's ranges; the chosen points are
# listed in the description. Areas are (x_km, y_km, radius_km); shift (start_h, hours) or None
# (around the clock); refuel = the range of the uniform refuel threshold (fraction of the tank);
# choice and driver as in the scenario file.
TAXI_DRIVER = {"balk_if_waiting_over": 2, "patience_min": {"dist": "uniform", "min": 8, "max": 20},
               "max_tries": 3}
CAR_DRIVER = {"balk_if_waiting_over": 3, "patience_min": {"dist": "uniform", "min": 10, "max": 30},
              "max_tries": 3}
LOGISTICS_DRIVER = {"patience_min": {"dist": "uniform", "min": 45, "max": 90}, "max_tries": 3}
HEAVY_DRIVER = {"patience_min": {"dist": "uniform", "min": 60, "max": 120}, "max_tries": 3}
# Buses never balk; they leave a queue only when it stalls for one to two hours (a breakdown while
# they wait: without a patience they would wait out the whole repair).
BUS_DRIVER = {"patience_min": {"dist": "uniform", "min": 60, "max": 120}}


def logistics(area, shift, speed=35):
    return dict(group="logistics", tank_kg=15.0, cons=4.5, km=(200, 50), refuel=(0.15, 0.30),
                speed=speed, area=area, shift=shift, pressure="H35",
                choice={"policy": "nearest", "max_detour_km": 15}, driver=LOGISTICS_DRIVER)


def heavy(area, shift):
    return dict(group="heavy", tank_kg=45.0, cons=9.0, km=(350, 100), refuel=(0.15, 0.30),
                speed=40, area=area, shift=shift, pressure="H35",
                choice={"policy": "nearest", "max_detour_km": 20}, driver=HEAVY_DRIVER)


CLASS_PARAMS = {
    # Logistics in day shifts (7-19 h), except urban distribution and cold chain inside the city,
    # which runs at night (20-8 h: daytime truck restrictions in the centre).
    "logistics_jiading": logistics((-28.0, 15.0, 14.0), (7, 12)),
    "logistics_pudong": logistics((22.0, -14.0, 18.0), (7, 12)),
    "logistics_citywide": logistics((0.0, -3.0, 25.0), (20, 12), speed=30),
    "logistics_songjiang_qingpu": logistics((-28.0, -18.0, 15.0), (7, 12)),
    # Heavy trucks: long shifts with relief drivers at the ports (the ports work around the clock).
    "heavy_truck_north_ports": heavy((8.0, 20.0, 13.0), (6, 18)),
    "heavy_truck_lingang_yangshan": heavy((38.0, -34.0, 14.0), (4, 20)),
    "heavy_truck_chemical_park": heavy((-6.0, -43.0, 12.0), (6, 16)),
    # Taxis in two shifts (different cars: a day fleet and a night fleet), least delay.
    "taxi_day": dict(group="taxi", tank_kg=5.6, cons=0.8, km=(320, 70), refuel=(0.15, 0.35),
                     speed=35, area=(0.0, 0.0, 15.0), shift=(6, 12), pressure="H70",
                     choice={"policy": "least_delay", "max_detour_km": 10}, driver=TAXI_DRIVER),
    "taxi_night": dict(group="taxi", tank_kg=5.6, cons=0.8, km=(280, 70), refuel=(0.15, 0.35),
                       speed=40, area=(0.0, 0.0, 15.0), shift=(18, 12), pressure="H70",
                       choice={"policy": "least_delay", "max_detour_km": 10}, driver=TAXI_DRIVER),
    "private_car": dict(group="car", tank_kg=5.6, cons=0.7, km=(50, 25), refuel=(0.15, 0.40),
                        speed=35, area=(-3.0, -2.0, 25.0), shift=(7, 14), pressure="H70",
                        choice={"policy": "nearest", "max_detour_km": 15}, driver=CAR_DRIVER),
}

# Buses: one class per depot, its routes in a disc centred on the depot's station, which its buses
# use first (policy depot); if the depot is closed they go to the nearest H35 station. Service
# 5-22 h. (depot station, radius_km, speed_kmh, buses in 2025, buses today).
BUS_DEPOTS = (
    # central (1,600 buses in 2025, with Luojing's 50 in the north)
    ("CT-01", 8.0, 25, 160, 120),
    ("PD-01", 8.0, 25, 160, 80),
    ("CT-03", 8.0, 25, 160, 0),
    ("CT-07", 8.0, 25, 160, 0),
    ("CT-04", 8.0, 25, 160, 0),
    ("CT-10", 8.0, 25, 160, 0),
    ("CT-02", 8.0, 25, 160, 0),
    ("PD-07", 8.0, 25, 160, 0),
    ("CT-05", 8.0, 25, 160, 0),
    ("BS-03", 8.0, 25, 110, 0),
    ("BS-04", 8.0, 30, 50, 0),   # Luojing: a small depot station with a buffer
    # suburban new towns (1,000 buses in 2025)
    ("JD-02", 12.0, 30, 150, 60),
    ("LG-01", 12.0, 30, 150, 40),
    ("QP-02", 12.0, 30, 130, 0),
    ("SJ-01", 12.0, 30, 150, 0),
    ("MH-01", 12.0, 30, 140, 0),
    ("FX-01", 12.0, 30, 140, 0),
    ("PD-08", 12.0, 30, 140, 0),
)
BUS_SHIFT = (5, 17)
for _sid, _r, _speed, _, _ in BUS_DEPOTS:
    _x, _y = next((s[2], s[3]) for s in STATIONS if s[0] == _sid)
    CLASS_PARAMS["city_bus_" + _sid] = dict(
        group="bus", tank_kg=30.0, cons=8.0, km=(250, 40), refuel=(0.25, 0.40), speed=_speed,
        area=(_x, _y, _r), shift=BUS_SHIFT, pressure="H35",
        choice={"policy": "depot", "max_detour_km": 20, "home_station": _sid}, driver=BUS_DRIVER)

FLEET_2025 = {"city_bus_" + d[0]: d[3] for d in BUS_DEPOTS if d[3]}
FLEET_2025.update({
    "logistics_jiading": 1400,
    "logistics_pudong": 1400,
    "logistics_citywide": 1350,
    "logistics_songjiang_qingpu": 1000,
    "heavy_truck_north_ports": 700,
    "heavy_truck_lingang_yangshan": 1000,
    "heavy_truck_chemical_park": 700,
    "taxi_day": 400,
    "taxi_night": 300,
    "private_car": 150,
})

FLEET_TODAY = {"city_bus_" + d[0]: d[4] for d in BUS_DEPOTS if d[4]}
FLEET_TODAY.update({
    "logistics_jiading": 550,
    "logistics_pudong": 200,
    "logistics_citywide": 150,
    "logistics_songjiang_qingpu": 100,
    "heavy_truck_north_ports": 20,
    "heavy_truck_lingang_yangshan": 60,
    "heavy_truck_chemical_park": 40,
    "taxi_day": 25,
    "taxi_night": 15,
    "private_car": 40,
})

# Today's fleets work where today's 11 stations are (areas of the 2025 classes drawn in around
# them, so that most of each area has a station within the class's maximum detour): Pudong logistics
# around Zhangjiang, urban logistics west of the centre (Hongqiao to Putuo), the Songjiang/Qingpu
# fleet at Xujing by Hongqiao, taxis and private cars in Jiading (Anting, the fuel-cell hub),
# Lingang trucks around Lingang and Luchaogang.
TODAY_AREAS = {
    "logistics_pudong": (12.0, -6.0, 9.0),
    "logistics_citywide": (-9.0, 2.0, 9.0),
    "logistics_songjiang_qingpu": (-22.0, -4.0, 6.0),
    "heavy_truck_lingang_yangshan": (40.0, -36.0, 12.0),
    "taxi_day": (-26.0, 14.0, 9.0),
    "taxi_night": (-26.0, 14.0, 9.0),
    "private_car": (-24.0, 14.0, 12.0),
}

# Station kinds: one fill rate per station (docs/sources.md: 35 MPa for buses and trucks, 70 MPa for cars;
# buses/trucks take 25-40 kg in 8-20 min, cars 4-6 kg in 3-6 min). Overhead = connect, checks, pay.
KINDS = {
    "heavy": dict(fill_rate=3.0, overhead=4),   # H35 heavy-truck lanes
    "mixed": dict(fill_rate=2.5, overhead=3),   # H35 buses/logistics, plus an H70 nozzle
    "car": dict(fill_rate=1.8, overhead=2),     # H70 car station
}


def daily_kg(name):
    p = CLASS_PARAMS[name]
    return p["km"][0] * p["cons"] / 100.0


def refuel_mean(p):
    return sum(p["refuel"]) / 2.0


def refuels_per_day(name):
    """Mean refuels per vehicle-day: the mileage's hydrogen over what the tank takes between the
    refuel threshold (uniform over [a, b], drawn per refuelling) and full; the drive to the station
    comes on top of the mileage and is refilled at the same stop."""
    p = CLASS_PARAMS[name]
    a, b = p["refuel"]
    inv = math.log((1.0 - a) / (1.0 - b)) / (b - a) if b > a else 1.0 / (1.0 - a)
    return daily_kg(name) / p["tank_kg"] * inv


def shift_weights(shift):
    """Share of a class's driving (and so of its refuels) in each hour of the day."""
    if shift is None:
        return [1.0 / 24.0] * 24
    start, hours = shift
    w = []
    for h in range(24):
        overlap = sum(max(0.0, min(h + 1.0, start + hours + k) - max(float(h), start + k))
                      for k in (-24, 0, 24))
        w.append(overlap / hours)
    assert abs(sum(w) - 1.0) < 1e-9, shift
    return w


def station_pressures(sid):
    if sid in H35_ONLY:
        return ["H35"]
    if sid in H70_ONLY:
        return ["H70"]
    return ["H35", "H70"]


def station_mtbf_h(sid):
    return OUTAGE_MTBF_H_HEAVY_DUTY if sid.startswith(HEAVY_DUTY_SITES) else OUTAGE_MTBF_H


def station_availability(sid):
    """Long-run share of the time a station is not broken down (opening hours aside)."""
    mtbf = station_mtbf_h(sid)
    return mtbf / (mtbf + OUTAGE_REPAIR_H[0])


def open_in_hour(sid, h):
    lo, hi = LIMITED_HOURS.get(sid, (0, 24))
    return lo <= h and h + 1 <= hi


def sample_disc(rng, cx, cy, r):
    # Uniform in the disc: radius ~ r*sqrt(U).
    rho = r * math.sqrt(rng.random())
    th = 2.0 * math.pi * rng.random()
    return cx + rho * math.cos(th), cy + rho * math.sin(th)


def monte_carlo(rng, open_n, names, areas):
    """Per class: {"share": per open station, 24 shares of the class's refuels by hour of day (all
    of them sum to 1), "km": per station the mean road km driven to it, "in_reach": the share of
    the area with a compatible station within the class's maximum detour}."""
    out = {}
    for name in names:
        p = CLASS_PARAMS[name]
        cx, cy, r = areas.get(name, p["area"])
        comp = [i for i in range(open_n) if p["pressure"] in station_pressures(STATIONS[i][0])]
        assert comp, f"{name}: no open station fills {p['pressure']}"
        pts = [(STATIONS[i][2], STATIONS[i][3]) for i in comp]
        max_km = p["choice"].get("max_detour_km", float("inf"))
        home = None
        if p["choice"]["policy"] == "depot":
            home_id = p["choice"]["home_station"]
            home = next(j for j, i in enumerate(comp) if STATIONS[i][0] == home_id)
        avail = [station_availability(STATIONS[i][0]) for i in comp]
        w = shift_weights(p["shift"])
        # Hours of the shift grouped by which stations are closed (opening hours) then.
        patterns = {}
        for h in range(24):
            if w[h] > 0:
                closed = frozenset(j for j, i in enumerate(comp)
                                   if not open_in_hour(STATIONS[i][0], h))
                patterns.setdefault(closed, []).append(h)
        pats = list(patterns.items())
        pat_w = [sum(w[h] for h in hours) for _, hours in pats]
        acc = [[0.0] * len(comp) for _ in pats]
        km = [0.0] * len(comp)
        weight = [0.0] * len(comp)
        top_n = min(len(comp), 2 + max(len(c) for c, _ in pats) + 1)
        out_of_reach = 0   # samples with no compatible station within the maximum detour
        for _ in range(MC_SAMPLES_PER_CLASS):
            x, y = sample_disc(rng, cx, cy, r)
            d2 = [(sx - x) ** 2 + (sy - y) ** 2 for sx, sy in pts]
            near = heapq.nsmallest(top_n, range(len(comp)), key=d2.__getitem__)
            road = {j: math.sqrt(d2[j]) * ROAD_FACTOR for j in near}
            if home is not None:
                road[home] = math.sqrt(d2[home]) * ROAD_FACTOR
                rest = [j for j in near if j != home]
                if road[home] <= max_km:
                    order = [home] + rest
                else:   # beyond the detour: after every station within it
                    order = [j for j in rest if road[j] <= max_km] + [home] + \
                            [j for j in rest if road[j] > max_km]
            else:
                order = near   # nearest first, so stations within the detour come first
            if road[order[0]] > max_km:
                out_of_reach += 1
            for k, (closed, _) in enumerate(pats):
                opened = [j for j in order if j not in closed] or order
                first = opened[0]
                second = opened[1] if len(opened) > 1 else first
                a = avail[first]
                acc[k][first] += a
                acc[k][second] += 1.0 - a
                pw = pat_w[k]   # the mean km weighs the pattern by its share of the shift
                km[first] += pw * a * road[first]
                weight[first] += pw * a
                km[second] += pw * (1.0 - a) * road[second]
                weight[second] += pw * (1.0 - a)
        share = [[0.0] * 24 for _ in range(open_n)]
        mean_km = [0.0] * open_n
        for k, (_, hours) in enumerate(pats):
            for j, i in enumerate(comp):
                for h in hours:
                    share[i][h] += acc[k][j] / MC_SAMPLES_PER_CLASS * w[h]
        for j, i in enumerate(comp):
            mean_km[i] = km[j] / weight[j] if weight[j] else 0.0
        out[name] = {"share": share, "km": mean_km,
                     "in_reach": 1.0 - out_of_reach / MC_SAMPLES_PER_CLASS}
    return out


def station_flows(mc, fleet, open_n):
    """Per station, per class: (fills per day, kg per fill, 24 shares of those fills by hour)."""
    flows = [dict() for _ in range(open_n)]
    for name, count in fleet.items():
        p = CLASS_PARAMS[name]
        fills_day = count * refuels_per_day(name)
        for i in range(open_n):
            hourly = mc[name]["share"][i]
            s = sum(hourly)
            if s == 0.0:
                continue
            # What the tank lacks on arrival: the refilled share plus the drive to the station.
            kg_fill = p["tank_kg"] * (1.0 - refuel_mean(p)) + mc[name]["km"][i] * p["cons"] / 100.0
            kg_fill = min(kg_fill, p["tank_kg"])
            flows[i][name] = (fills_day * s, kg_fill, [v / s for v in hourly])
    return flows


def choose_kind(flow, sid):
    if station_pressures(sid) == ["H70"]:
        return "car"
    kg = {n: f * k for n, (f, k, _) in flow.items()}
    total_kg = sum(kg.values())
    if total_kg == 0.0:
        return "mixed"
    if sum(v for n, v in kg.items() if CLASS_PARAMS[n]["group"] == "heavy") >= 0.4 * total_kg:
        return "heavy"
    return "mixed"


def erlangs_by_hour(flow, kind):
    """Offered load in dispenser-erlangs in each hour of the day."""
    k = KINDS[kind]
    e = [0.0] * 24
    for fills_day, kg, hourly in flow.values():
        svc_h = (k["overhead"] + kg / k["fill_rate"]) / 60.0
        for h in range(24):
            e[h] += fills_day * hourly[h] * svc_h
    return e


def kg_by_hour(flow):
    """Hydrogen dispensed in each hour of the day, kg."""
    return [sum(f * kg * hourly[h] for f, kg, hourly in flow.values()) for h in range(24)]


def load(flow, kind):
    """(daily mean, busiest hour) in dispenser-erlangs, and the busiest hour's mean fill (min)."""
    e = erlangs_by_hour(flow, kind)
    h = max(range(24), key=e.__getitem__)
    fills = sum(f * hourly[h] for f, _, hourly in flow.values())
    return sum(e) / 24.0, e[h], (e[h] * 60.0 / fills if fills else 0.0)


def dispensers_for(loads):
    """The fewest dispensers (MIN..MAX_DISPENSERS) that keep every (daily erlangs, busiest-hour
    erlangs, busiest-hour fill min) in loads under TARGET_UTIL, PEAK_UTIL and WAIT_TARGET_MIN."""
    for d in range(MIN_DISPENSERS, MAX_DISPENSERS + 1):
        if all(e <= TARGET_UTIL * d and pk <= PEAK_UTIL * d and
               mdc_wait_min(pk, d, fill) <= WAIT_TARGET_MIN for e, pk, fill in loads):
            return d
    return MAX_DISPENSERS


def round_up(v, step):
    return step * math.ceil(v / step - 1e-9)


def segment_km(p, a, b):
    """Distance from point p to the segment a-b, km."""
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def onsite_deficit_kg(rate, hourly_kg):
    """Largest drop of a tank that starts full, over two days of the station's demand by hour
    (hourly_kg, 24 values) and production at rate x ONSITE_PROFILE (production stops while the tank
    is full): what storage must hold."""
    level, worst = 0.0, 0.0   # level relative to full (<= 0)
    for h in range(48):
        level = min(0.0, level + rate * ONSITE_PROFILE[h % 24] - hourly_kg[h % 24])
        worst = min(worst, level)
    return -worst


def window_kg(hourly_kg, hours):
    """The most demand (kg) in any window of `hours` hours starting on the hour, over the daily
    profile hourly_kg (24 values): with flat demand, D / 24 x hours."""
    full, frac = int(hours), hours - int(hours)
    best = 0.0
    for start in range(24):
        kg = sum(hourly_kg[(start + k) % 24] for k in range(full))
        kg += frac * hourly_kg[(start + full) % 24]
        best = max(best, kg)
    return best


def supply_plan(kg_day, hourly_kg, kinds):
    """Per station: {"model", "storage", "supply", "buffer" (or None), "info" (for the table)},
    sized from its design demand kg_day[i] (kg/day) and its profile over the day hourly_kg[i] (24
    values summing to kg_day[i]: the demand over a lead time, and an on-site station's swing, are
    taken at the busiest time of day); and the pipeline's capacity, kg/h."""
    ids = [s[0] for s in STATIONS]
    for sid in PIPELINE_STATIONS + ONSITE_STATIONS + tuple(BUFFER_STATIONS):
        assert sid in ids, sid
    assert not set(PIPELINE_STATIONS) & set(ONSITE_STATIONS)
    assert len(ONSITE_PROFILE) == 24
    profile_mean = sum(ONSITE_PROFILE) / 24.0
    length = math.dist(*PIPELINE_LINE)
    assert 25.0 <= length <= 32.0, length   # docs/sources.md: Shanghai has ~30 km of pipeline
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
            info.update(note=f"{off:.1f} km off the line, max {rate} kg/h", pipeline_km=off)
        elif sid in ONSITE_STATIONS:
            rate = round_up(ONSITE_MARGIN * d_h / profile_mean, 5)
            cap = round_up(STORAGE_DAYS * D, 100)
            need = onsite_deficit_kg(rate, hourly_kg[i])
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
            s_kg = round_up(REORDER_SAFETY * window_kg(hourly_kg[i], (lo + hi) / 2.0), 10)
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
            # A station: its scalar fields (and pressures) on the first line(s), then storage,
            # supply, buffer and availability one per line.
            lines, cur = [], []
            for k, v in obj.items():
                item = json.dumps(k) + ": " + inline(v)
                if isinstance(v, dict):
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



def dist_json(lo, hi):
    return {"dist": "uniform", "min": num(lo), "max": num(hi)}


def class_json(name, count, areas):
    p = CLASS_PARAMS[name]
    cx, cy, r = areas.get(name, p["area"])
    out = {
        "name": name,
        "count": count,
        "tank_kg": num(p["tank_kg"]),
        "consumption_kg_per_100km": num(p["cons"]),
        "daily_km": {"dist": "normal", "mean": p["km"][0], "sd": p["km"][1]},
        "refuel_at_fraction": dist_json(*p["refuel"]),
    }
    if p["shift"] is not None:
        out["shift"] = {"start_h": num(p["shift"][0]), "hours": num(p["shift"][1])}
    out.update({
        "speed_kmh": p["speed"],
        "area": {"x_km": num(cx), "y_km": num(cy), "radius_km": num(r)},
        "pressure": p["pressure"],
        "choice": dict(p["choice"]),
    })
    if p["driver"]:
        out["driver"] = p["driver"]
    return out


def availability_json(sid):
    out = {}
    if sid in LIMITED_HOURS:
        out["hours"] = list(LIMITED_HOURS[sid])
    out["outages"] = {"mtbf_h": {"dist": "exponential", "mean": num(station_mtbf_h(sid))},
                      "repair_h": {"dist": "lognormal", "mean": num(OUTAGE_REPAIR_H[0]),
                                   "sd": num(OUTAGE_REPAIR_H[1])}}
    if sid in MAINTENANCE:
        out["maintenance"] = [{"start_day": d, "start_h": h, "hours": n}
                              for d, h, n in MAINTENANCE[sid]]
    return out


# --- Economics: docs/economics.md cites every figure (US dollars of the year each is from, not
# escalated). Transport by tube trailer is in the delivered price per kg, as HDSAM reports it, so a
# trip costs nothing more; no pipeline capex per km is at hand, so the stations carry their
# connection's length (pipeline_km) and the price is left to the user.
ECONOMICS = {
    "discount_rate": 0.10,                 # HDSAM: 10% real
    "station": {
        "base_capex": 1100000,             # HDSAM compressor, 2 stages x 50 kW, installed (x 1.3)
        "per_dispenser_capex": 200000,     # $2.8 M (450 kg/day) - $2.6 M (100 kg/day) benchmarks
        "storage_capex_per_kg": 1800,      # HDSAM cascade storage, uninstalled (2013 $)
        "buffer_capex_per_kg": 2340,       # the same, installed (x 1.3)
        "compressor_capex_per_kg_per_h": 10300,  # HDSAM equation at 60 kW, 1 kWh/kg, installed
        "electrolyser_capex_per_kw": 1750,  # 2022
        "lifetime_years": 15,              # HDSAM lives 10 (compressor), 15 (pre-cooling), 30
        "fixed_om_fraction": 0.061,        # HDSAM O&M 4% + insurance 1% + tax 1% + licences 0.1%
    },
    "hydrogen_cost_per_kg": {
        "delivery": 6.9,                   # plant gate 3.5 + tube trailer 5.9 - station share 2.5
        "scheduled": 6.9,
        "pipeline": 3.5,                   # plant gate (the line exists already)
        "onsite": 0.0,                     # its electricity is priced per kWh
        "none": 3.5,
        "unlimited": 3.5,
    },
    "electricity_cost_per_kwh": 0.064,     # 3.5 $/kg / 55 kWh/kg: on-site at plant-gate parity
    "delivery_cost_per_trip": 0,
    "waiting_cost_per_hour": 31.36,        # TTI (2018): commercial truck, value of time, 2017 $
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
        "pressures": station_pressures(sid),
        "storage": supply["storage"],
        "supply": supply["supply"],
    }
    if supply["buffer"]:
        out["buffer"] = supply["buffer"]
    out["availability"] = availability_json(sid)
    if "pipeline_km" in supply["info"]:
        # Its connection: the distance to the line (docs/economics.md prices it per km).
        out["economics"] = {"pipeline_km": round(supply["info"]["pipeline_km"], 1)}
    return out


def print_table(title, open_n, flows, kinds, disp, out):
    print(f"\n== {title}: {open_n} stations ==", file=out)
    print(f"{'#':>3} {'id':6} {'kind':5} {'pres':7} {'hours':5} {'disp':>4} {'fills/day':>9} "
          f"{'kg/day':>8} {'erl':>6} {'util':>5} {'peak':>5} {'p.util':>6} {'p.Wq':>5}  main users",
          file=out)
    utils, peaks, kgs, busy, cap = [], [], [], 0.0, 0
    for i in range(open_n):
        sid = STATIONS[i][0]
        fl = flows[i]
        e, pk, fill = load(fl, kinds[i])
        u, pu = e / disp[i], pk / disp[i]
        wq = mdc_wait_min(pk, disp[i], fill)
        fills = sum(f for f, _, _ in fl.values())
        kg = sum(f * k for f, k, _ in fl.values())
        top = sorted(fl.items(), key=lambda kv: -kv[1][0] * kv[1][1])[:2]
        users = ", ".join(f"{n}" for n, _ in top)
        pres = "+".join(p[1:] for p in station_pressures(sid))
        lo, hi = LIMITED_HOURS.get(sid, (0, 24))
        hours = f"{lo}-{hi}" if (lo, hi) != (0, 24) else ""
        print(f"{i + 1:>3} {sid:6} {kinds[i]:5} {pres:7} {hours:5} {disp[i]:>4} {fills:>9.0f} "
              f"{kg:>8.0f} {e:>6.2f} {u:>5.2f} {pk:>5.2f} {pu:>6.2f} {wq:>5.1f}  {users}", file=out)
        utils.append(u)
        peaks.append(pu)
        busy += e
        cap += disp[i]
        kgs.append(kg)
    idle = sum(1 for u in utils if u < 0.05)
    print(f"util min {min(utils):.2f}  mean {sum(utils) / len(utils):.2f}  max {max(utils):.2f}  "
          f"busiest hour max {max(peaks):.2f}  dispenser-weighted {busy / cap:.2f}  dispensers "
          f"{cap}  stations <5% {idle}  kg/day {sum(kgs):.0f}", file=out)
    return utils, peaks, busy / cap, kgs


def print_classes(title, fleet, mc, open_n, out):
    print(f"\n== {title}: classes ==", file=out)
    print(f"{'class':30} {'count':>5} {'pres':4} {'shift':7} {'policy':11} {'fills/day':>9} "
          f"{'kg/day':>7} {'reach':>5}  top stations", file=out)
    for name, count in fleet.items():
        p = CLASS_PARAMS[name]
        share = [sum(h) for h in mc[name]["share"]]
        top = sorted(range(open_n), key=lambda i: -share[i])[:3]
        shift = "all day" if p["shift"] is None else hours_text(p["shift"])[:-2]
        print(f"{name:30} {count:>5} {p['pressure']:4} {shift:7} {p['choice']['policy']:11} "
              f"{count * refuels_per_day(name):>9.0f} {count * daily_kg(name):>7.0f} "
              f"{mc[name]['in_reach']:>5.0%}  " +
              ", ".join(f"{STATIONS[i][0]} {share[i]:.0%}" for i in top), file=out)


def hours_text(shift):
    start, hours = shift
    end = start + hours
    return f"{start}-{end - 24 if end > 24 else end} h"


def behaviour_text(open_n, fleet):
    """The fleet-behaviour and station-availability assumptions, for the stations open."""
    ids = [s[0] for s in STATIONS[:open_n]]
    depots = [d for d in BUS_DEPOTS if fleet.get("city_bus_" + d[0])]
    radii = sorted({d[1] for d in depots})
    by_radius = [f"routes within {r:g} km: " +
                 ", ".join(f"{d[0]} {fleet['city_bus_' + d[0]]}" for d in depots if d[1] == r)
                 for r in radii]
    sh = {n: hours_text(CLASS_PARAMS[n]["shift"]) for n in CLASS_PARAMS if CLASS_PARAMS[n]["shift"]}
    h35 = [s for s in ids if s in H35_ONLY]
    h70 = [s for s in ids if s in H70_ONLY]
    both = len(ids) - len(h35) - len(h70)
    limited = [s for s in ids if s in LIMITED_HOURS]
    maint = [s for s in ids if s in MAINTENANCE]
    a_hd = station_availability("LG-01")
    a_other = station_availability("PD-01")
    text = (
        "Fleet behaviour (plausible choices, not sourced). Pressure: buses and trucks H35, taxis "
        "and private cars H70; each vehicle uses only stations that fill its pressure. Shifts (a "
        "class drives its day's mileage inside its shift, so it also runs low and refuels only "
        "then): "
        f"buses {sh['city_bus_CT-01']}; taxis in two fleets, day {sh['taxi_day']} and night "
        f"{sh['taxi_night']}; logistics trucks {sh['logistics_jiading']} in Jiading, Pudong and "
        f"Songjiang/Qingpu, urban distribution and cold chain {sh['logistics_citywide']} (night "
        "deliveries: daytime truck restrictions in the centre); heavy trucks, long shifts with "
        f"relief drivers, north ports {sh['heavy_truck_north_ports']}, Lingang/Yangshan "
        f"{sh['heavy_truck_lingang_yangshan']}, chemical park {sh['heavy_truck_chemical_park']}; "
        f"private cars {sh['private_car']}. Refuel threshold drawn per refuelling, uniform over a "
        "range of the tank (see vehicles). Station choice: buses are one class per depot, its "
        f"area centred on the depot's station ({len(depots)} depots; " + "; ".join(by_radius)
        + " buses), which fill at their depot's station first (policy depot, max detour 20 km) and "
        "at the nearest H35 station when it is closed; taxis pick the least delay (drive time plus "
        "the wait the queue in sight suggests, max detour 10 km); logistics trucks and private "
        "cars the nearest (max detour 15 km), heavy trucks the nearest (max detour 20 km). "
        "Drivers: taxis balk at more than 2 waiting, renege after 8-20 min (uniform) and queue "
        "regardless at the 3rd station; private cars balk above 3, renege after 10-30 min, 3 "
        "stations; logistics trucks do not balk, renege after 45-90 min, queue regardless at the "
        "3rd station; heavy trucks likewise after 60-120 min; buses never balk and leave a queue "
        "only after 60-120 min (a breakdown while they wait). Stations: "
        f"{both} serve both H35 and H70"
        + (f", {len(h35)} H35 only (heavy-duty lanes: {', '.join(h35)})" if h35 else "")
        + (f", {len(h70)} H70 only (central car stations: {', '.join(h70)})" if h70 else "")
        + ". Availability (assumed; docs/sources.md: California 58% in 2024, 74% in 2025; Shanghai's "
        "stations are newer and fleet-operated, so we assume far better): every station breaks "
        "down at random, up-time exponential with mean "
        f"{OUTAGE_MTBF_H_HEAVY_DUTY:g} h at the heavy-duty port, Lingang and chemical-park sites "
        f"and {OUTAGE_MTBF_H:g} h elsewhere, repair lognormal (mean {OUTAGE_REPAIR_H[0]:g} h, sd "
        f"{OUTAGE_REPAIR_H[1]:g} h): about {a_hd:.1%} and {a_other:.1%} availability")
    if limited:
        text += ("; limited opening hours (small suburban stations staffed by day): " +
                 ", ".join(f"{s} {LIMITED_HOURS[s][0]}-{LIMITED_HOURS[s][1]} h" for s in limited))
    if maint:
        text += ("; planned maintenance (day 0 = the run's first day, warm-up included): " +
                 ", ".join(f"{s} day {d} {h}-{h + n} h"
                           for s in maint for d, h, n in MAINTENANCE[s]))
    text += (". A vehicle that finds its station closed drives on to its next choice "
             "(diverted_closed). ")
    return text


def main():
    check_only = "--check" in sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    scen_dir = os.path.dirname(here)
    rng = random.Random(SEED)

    n_all = len(STATIONS)
    assert n_all == 70, n_all
    ids = [s[0] for s in STATIONS]
    assert len(set(ids)) == n_all, "duplicate station id"
    for s in STATIONS:
        assert -40 <= s[2] <= 50 and -50 <= s[3] <= 35, s
    for sid in H35_ONLY + H70_ONLY + tuple(LIMITED_HOURS) + tuple(MAINTENANCE):
        assert sid in ids, sid
    assert not set(H35_ONLY) & set(H70_ONLY)
    for name, fleet, open_n in (("2025", FLEET_2025, n_all),
                                ("today", FLEET_TODAY, TODAY_STATIONS)):
        for c in fleet:
            home = CLASS_PARAMS[c]["choice"].get("home_station")
            assert home is None or home in ids[:open_n], (name, c, home)
            assert "H35" in station_pressures(home) if home else True, (c, home)

    mc_2025 = monte_carlo(rng, n_all, list(FLEET_2025), {})
    mc_today = monte_carlo(rng, TODAY_STATIONS, list(FLEET_TODAY), TODAY_AREAS)
    flows_2025 = station_flows(mc_2025, FLEET_2025, n_all)
    flows_today = station_flows(mc_today, FLEET_TODAY, TODAY_STATIONS)

    # A station's equipment is decided by its 2025 customers and kept in both files.
    kinds = [choose_kind(flows_2025[i], ids[i]) for i in range(n_all)]
    disp = []
    for i in range(n_all):
        loads = [load(flows_2025[i], kinds[i])]
        if i < TODAY_STATIONS:
            loads.append(load(flows_today[i], kinds[i]))
        disp.append(dispensers_for(loads))

    err = sys.stderr
    print_classes("shanghai-2025", FLEET_2025, mc_2025, n_all, err)
    u25, p25, w25, kg_day_2025 = print_table("shanghai-2025", n_all, flows_2025, kinds, disp, err)
    print_classes("shanghai-today", FLEET_TODAY, mc_today, TODAY_STATIONS, err)
    u00, p00, w00, kg_day_today = print_table("shanghai-today", TODAY_STATIONS, flows_today, kinds,
                                              disp, err)
    kg25, kg00 = sum(kg_day_2025), sum(kg_day_today)
    for label, fleet, kg in (("2025", FLEET_2025, kg25), ("today", FLEET_TODAY, kg00)):
        n = sum(fleet.values())
        print(f"{label}: {n} vehicles, {kg:.0f} kg/day expected (fleet mileage "
              f"{sum(c * daily_kg(k) for k, c in fleet.items()):.0f}, the rest is driving to "
              "stations)", file=err)

    # Supply is sized on each station's larger estimate, so today's stations keep theirs in 2025.
    kg_design, hourly_design = [], []
    for i in range(n_all):
        use_today = i < TODAY_STATIONS and kg_day_today[i] > kg_day_2025[i]
        flow = flows_today[i] if use_today else flows_2025[i]
        kg_design.append(kg_day_today[i] if use_today else kg_day_2025[i])
        hourly_design.append(kg_by_hour(flow))
    plan, pipe_cap, pipe_h = supply_plan(kg_design, hourly_design, kinds)
    print_supply_table(plan, pipe_cap, pipe_h, err)

    # In 2025 every class must find a compatible station within its maximum detour (almost)
    # everywhere in its area; today's sparse network may leave the fringes out of reach.
    bad = [(c, round(m["in_reach"], 3)) for c, m in mc_2025.items() if m["in_reach"] < MIN_IN_REACH]
    bad += [(c + " (today)", round(m["in_reach"], 3)) for c, m in mc_today.items()
            if m["in_reach"] < MIN_IN_REACH_TODAY]
    if bad:
        print(f"ERROR: classes with a compatible station within reach in less than "
              f"{MIN_IN_REACH:.0%} (today {MIN_IN_REACH_TODAY:.0%}) of their area: {bad}", file=err)
        return 1
    bad = [(ids[i], round(u, 3)) for i, u in enumerate(u25) if u >= MAX_UTIL]
    bad += [(ids[i] + " (today)", round(u, 3)) for i, u in enumerate(u00) if u >= MAX_UTIL]
    bad += [(ids[i] + " (busiest hour)", round(u, 3)) for i, u in enumerate(p25)
            if u >= MAX_PEAK_UTIL]
    bad += [(ids[i] + " (today, busiest hour)", round(u, 3)) for i, u in enumerate(p00)
            if u >= MAX_PEAK_UTIL]
    if bad:
        print(f"ERROR: stations at or above {MAX_UTIL} (day) or {MAX_PEAK_UTIL} (busiest hour): "
              f"{bad}", file=err)
        return 1
    if check_only:
        return 0

    def classes(fleet, areas):
        return [class_json(n, c, areas) for n, c in fleet.items()]

    def composition(fleet):
        groups = {"buses": ("bus",), "logistics trucks": ("logistics",), "heavy trucks": ("heavy",),
                  "taxis": ("taxi",), "private cars": ("car",)}
        parts = []
        for label, gs in groups.items():
            n = sum(c for k, c in fleet.items() if CLASS_PARAMS[k]["group"] in gs)
            parts.append(f"{n:,} {label}")
        return ", ".join(parts)

    kit = {
        "heavy": "heavy-truck H35 lanes {fill_rate} kg/min + {overhead} min overhead",
        "mixed": "bus/logistics H35 (with an H70 nozzle unless H35 only) {fill_rate} kg/min + "
                 "{overhead} min",
        "car": "H70 car stations {fill_rate} kg/min + {overhead} min",
    }
    used = [k for k in KINDS if k in kinds]
    kit_text = "; ".join(kit[k].format(**KINDS[k]) + f" ({kinds.count(k)} of the {n_all} stations)"
                         for k in used)
    common = (
        "Sources: docs/sources.md public figures (Shanghai: ~10-12 stations and ~1,500 fuel-cell "
        "vehicles today, plan of ~70 stations and >10,000 vehicles by 2025 with priority on heavy "
        "trucks, buses and port/cold-chain logistics; city ~80 x 80 km; ranges of vehicle tanks, "
        "consumption and daily km; 35 MPa for buses and trucks vs 70 MPa for cars, many stations "
        "serving both; 2-6 dispensing positions; bus/truck fills of 25-40 kg in 8-20 min; "
        "California's station availability). Plausible choices, not sourced: station sites "
        "(schematic coordinates, km from People's Square, x east, y north, a few km of error) and "
        "build order; the fleet split per class and each class's operating area; buses 30 kg "
        "tank, 8 kg/100 km, 250+-40 km/day, refuel threshold 25-40% of the tank (about one fill a "
        "day); logistics trucks 15 kg, 4.5 kg/100 km, 200+-50 km/day, 15-30%; heavy trucks 45 kg, "
        "9 kg/100 km, 350+-100 km/day (busy port and chemical-park drayage, far above Beijing's "
        "~70 km/day average), 15-30%; taxis 5.6 kg, 0.8 kg/100 km, 320+-70 km per day-shift car "
        "and 280+-70 km per night-shift car, 15-35%; private cars 5.6 kg, 0.7 kg/100 km, 50+-25 "
        "km/day, 15-40%; road factor 1.3; speeds 25-40 km/h. ")
    sizing = (
        f"Station kit chosen from each station's main 2025 customers: {kit_text}. Dispensers "
        "(2-6) sized by scenarios/tools/make_shanghai.py from a Monte Carlo estimate of the "
        "choices above (pressure, depot, maximum detour, opening hours, and the breakdown share "
        "going to the next choice; least delay estimated as nearest), each class's refuels spread "
        f"over its shift, so that in either scenario no station exceeds {TARGET_UTIL:.0%} "
        f"estimated utilization over the day nor {PEAK_UTIL:.0%} in its busiest hour, where the "
        f"expected wait (M/D/c, Cosmetatos) stays under {WAIT_TARGET_MIN:g} min. ")

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
            f"drives on to its next choice). {len(by['delivery'])} stations get (s, Q) "
            "tube-trailer deliveries from the nearer of two production sites, the Chemical "
            "Industry Park (south, by-product hydrogen) and Baoshan (north, steelworks): lead time "
            f"uniform over a {LEAD_SPREAD_H:g}-hour window starting {LEAD_BASE_H:g} h + road km / "
            f"{TRAILER_KMH:g} km/h after the order ({min(lows):g}-{min(highs):g} h for the nearest "
            f"stations, {max(lows):g}-{max(highs):g} h for the farthest); payload "
            + ", ".join(q_text[q] for q in q_used) + f"; reorder point s = {REORDER_SAFETY:g} x "
            "the demand over the mean lead time at the busiest time of day; storage "
            f"{STORAGE_DAYS:g} day of D but at least s + Q (so every trailer fits), starting at "
            "s + Q. ")
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
                f"{ONSITE_KWH_PER_KG} kWh/kg (docs/sources.md: 50-60), with cheap night power (x1.5 "
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
        f"({composition(FLEET_2025)}) in {len(FLEET_2025)} classes. " + common +
        behaviour_text(n25, FLEET_2025) + sizing +
        f"Estimated dispenser utilization: mean {sum(u25) / len(u25):.0%} over stations "
        f"({w25:.0%} of all dispenser time), max {max(u25):.0%}; busiest hour at most "
        f"{max(p25):.0%}. Demand is about {kg25 / 1000:.0f} t of hydrogen a day "
        f"({kg25 / n25:,.0f} kg/day per station): it does NOT fit the nameplate of stations like "
        f"today's (500-2,000 kg/day, so about {n25 * 0.5:.0f}-{n25 * 2.0:.0f} t/day for {n25} "
        "stations): dispensers are only moderately busy and the supply below is sized for the "
        "demand, so that only a small share of visits (a few % at most) meets a dry station. " +
        supply_text(n25))
    desc_today = (
        f"Shanghai today (about 2022): the first {n00} stations of shanghai-2025 (same ids, sites, "
        f"equipment, pressures and availability), {sum(FLEET_TODAY.values()):,} fuel-cell vehicles "
        f"({composition(FLEET_TODAY)}) in {len(FLEET_TODAY)} classes, mostly logistics trucks and "
        "buses around Jiading, Lingang, Pudong and the Chemical Industry Park. " + common +
        "Today's fleets work where today's stations are (areas drawn in from 2025's): Pudong "
        "logistics around Zhangjiang, urban logistics west of the centre (Hongqiao to Putuo), the "
        "Songjiang/Qingpu fleet at Xujing by Hongqiao, taxis and private cars in Jiading (Anting, "
        "the fuel-cell hub), Lingang trucks around Lingang and Luchaogang; even so, the fringes of "
        "some areas have no station within the maximum detour (the driver then takes its best "
        "choice beyond it). " + behaviour_text(n00, FLEET_TODAY) + sizing +
        f"Estimated dispenser utilization: mean {sum(u00) / len(u00):.0%} over stations "
        f"({w00:.0%} of all dispenser time), max {max(u00):.0%}; busiest hour at most "
        f"{max(p00):.0%}. Demand is about {kg00 / 1000:.1f} t/day, {kg00 / n00:,.0f} kg/day per "
        "station on average: within the 500-2,000 kg/day nameplate range on average, but "
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
        "demand": {"model": "fleet", "road_factor": ROAD_FACTOR,
                   "classes": classes(FLEET_2025, {})},
        "economics": ECONOMICS,
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
        "demand": {"model": "fleet", "road_factor": ROAD_FACTOR,
                   "classes": classes(FLEET_TODAY, TODAY_AREAS)},
        "economics": ECONOMICS,
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
