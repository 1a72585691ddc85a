"""Shipped scenarios of national size, as the suite runs them (tests/support.hpp's
national_scale_down): a fleet of more than NATIONAL_FLEET vehicles (scenarios/korea-2040.json)
runs with every class's count x 0.01, so that its stations, supply and choices are exercised in a
fraction of a second; at full size it runs minutes, and bench/run.py --scale times it."""
import json

NATIONAL_FLEET = 200_000


def scale_down(path):
    """The `h2sim run` arguments that scale the scenario at `path` down if it is national."""
    with open(path, encoding="utf-8") as f:
        demand = json.load(f).get("demand", {})
    fleet = demand.get("classes", []) if demand.get("model") == "fleet" else []
    vehicles = sum(c["count"] for c in fleet)
    return ["--set", "demand.classes.*.count*=0.01"] if vehicles > NATIONAL_FLEET else []
