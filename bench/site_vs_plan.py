#!/usr/bin/env python3
"""The README's siting example, end to end: `h2sim site` on the 2025 plan (today's 11 stations
fixed, 20 more chosen), then `h2sim compare` of the plan's own first 31 stations against the 31
the search opened, over the search's 1-day runs and over 7-day runs.

    python3 bench/site_vs_plan.py --out-prefix bench/results/DATE-site-shanghai

writes PREFIX.json (site's own output) and PREFIX-vs-plan.json (the comparisons, with each run's
wall time). Release build by default (--h2sim PATH to change it); about 5 minutes on 2 cores.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCENARIO = os.path.join(ROOT, "scenarios", "shanghai-2025.json")
TODAY = "JD-01,LG-01,CP-01,JD-02,BS-01,LG-02,JD-03,CT-01,CP-02,PD-01,JD-04"
METRICS = ["totals.served", "totals.reneged", "totals.stranded", "totals.wait_min.mean",
           "totals.wait_min.p95", "totals.utilization"]


def run(command):
    print("+ " + " ".join(command), file=sys.stderr)
    started = time.monotonic()
    subprocess.run(command, check=True)
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-prefix", required=True)
    parser.add_argument("--h2sim", default=os.path.join(ROOT, "build", "release", "cli", "h2sim"))
    parser.add_argument("--jobs", default="2")
    args = parser.parse_args()
    site_out = args.out_prefix + ".json"
    run([args.h2sim, "site", SCENARIO, "--candidates", "all", "--fixed", TODAY,
         "--target", "totals.wait_min.p95<=10", "--max-stations", "20", "--swap-rounds", "1",
         "--swap-candidates", "2", "--set", "horizon_days=1", "--set", "warmup_days=1",
         "--replications", "3", "--jobs", args.jobs, "-o", site_out])
    with open(site_out) as file:
        site = json.load(file)
    with open(SCENARIO) as file:
        scenario = json.load(file)
    comparisons = []
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, open_stations in (("plan.json", 31), ("site.json", site["open"])):
            paths[name] = os.path.join(folder, name)
            with open(paths[name], "w") as file:
                json.dump(dict(scenario, open_stations=open_stations), file)
        for days, replications in ((1, 3), (7, 10)):
            out = os.path.join(folder, f"compare-{days}.json")
            wall = run([args.h2sim, "compare", paths["plan.json"], paths["site.json"],
                        "--set", f"horizon_days={days}", "--set", "warmup_days=1",
                        "--replications", str(replications), "--jobs", args.jobs, "-q",
                        "-o", out])
            with open(out) as file:
                compared = json.load(file)
            comparisons.append({"horizon_days": days, "replications": replications,
                                "wall_s_process": wall, "compare": compared})
    summary = []
    for c in comparisons:
        plan, chosen = (s["metrics"] for s in c["compare"]["scenarios"])
        rows = []
        for metric in METRICS:
            row = next(r for r in c["compare"]["metrics"] if r["metric"] == metric)
            difference = row["differences"][0]
            rows.append({"metric": metric, "plan": row["means"][0], "site": row["means"][1],
                         "difference": difference["mean"], "ci95": difference["ci95"]})
        summary.append({"horizon_days": c["horizon_days"], "replications": c["replications"],
                        "wall_s_process": c["wall_s_process"], "metrics": rows,
                        "p95_ci95": {"plan": plan["ci95"]["totals.wait_min.p95"],
                                     "site": chosen["ci95"]["totals.wait_min.p95"]}})
    with open(args.out_prefix + "-vs-plan.json", "w") as file:
        json.dump({"what": "the plan's build order (first 31 stations of shanghai-2025.json) "
                           "against site's choice (today's 11 + 20 chosen), h2sim compare: same "
                           "seed and replications, paired differences site - plan; made by "
                           "bench/site_vs_plan.py",
                   "site": os.path.basename(site_out), "chosen": site["chosen"],
                   "provenance": comparisons[0]["compare"]["run"]["provenance"],
                   "runs": summary}, file, indent=1)
        file.write("\n")



if __name__ == "__main__":
    main()
