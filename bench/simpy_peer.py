#!/usr/bin/python3
"""SimPy 2 peer of the bench Poisson model (bench/scenarios/poisson-10x4.json).

10 stations x 4 dispensers, each station its own Poisson stream of 36
arrivals/h, exponential fill times with mean 5 min, FCFS, unlimited queue.
Time unit: minutes. Prints one JSON line on stdout.

Statistics, shared with heap_loop.cpp:
  arrivals       vehicles that arrived before the horizon
  served         fills completed before the horizon
  wait_min_mean  mean queue wait of the vehicles whose fill started
  events         arrivals + fill starts + fill ends
"""

import argparse
import json
import random
import time

from SimPy.Simulation import (Process, Resource, activate, hold, initialize,
                              now, release, request, simulate)

STATIONS = 10
DISPENSERS = 4
ARRIVALS_PER_MIN = 36 / 60
MEAN_FILL_MIN = 5.0


class Stats:
    __slots__ = ("arrivals", "starts", "served", "wait_sum")

    def __init__(self):
        self.arrivals = 0
        self.starts = 0
        self.served = 0
        self.wait_sum = 0.0


class Vehicle(Process):
    def fill(self, station, rng, stats):
        arrived = now()
        yield request, self, station
        stats.starts += 1
        stats.wait_sum += now() - arrived
        yield hold, self, rng.expovariate(1 / MEAN_FILL_MIN)
        yield release, self, station
        stats.served += 1


class Source(Process):
    def generate(self, station, rng, stats):
        while True:
            yield hold, self, rng.expovariate(ARRIVALS_PER_MIN)
            stats.arrivals += 1
            vehicle = Vehicle()
            activate(vehicle, vehicle.fill(station, rng, stats))


def run(days, seed):
    stats = Stats()
    initialize()
    for i in range(STATIONS):
        # seed * STATIONS + i is injective over (seed, i), so streams never coincide.
        rng = random.Random(seed * STATIONS + i)
        station = Resource(capacity=DISPENSERS, name=f"S{i + 1}")
        source = Source(name=f"source-S{i + 1}")
        activate(source, source.generate(station, rng, stats))
    simulate(until=days * 24 * 60)
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    stats = run(args.days, args.seed)
    wall = time.perf_counter() - start

    events = stats.arrivals + stats.starts + stats.served
    print(json.dumps({
        "engine": "simpy2",
        "wall_s": wall,
        "events": events,
        "events_per_s": events / wall,
        "arrivals": stats.arrivals,
        "served": stats.served,
        "wait_min_mean": stats.wait_sum / stats.starts if stats.starts else 0.0,
    }))


if __name__ == "__main__":
    main()
