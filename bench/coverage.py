#!/usr/bin/python3
"""Coverage study of h2sim's 95% intervals on queues with exact answers.

Runs `h2sim run` many times (independent master seeds) on the M/M/2 station of
scenarios/validation/mmc-2.json at several loads, run lengths and warm-ups, and
on the M/M/2/5 station of scenarios/validation/mmck.json, and counts how often
the reported 95% interval contains the exact value:

- M/M/c mean wait: Erlang C, W_q = C(c, a) / (c mu - lambda).
- M/M/c p95 wait: P(W > t) = C(c, a) exp(-(c mu - lambda) t), so
  t_95 = ln(C / 0.05) / (c mu - lambda).
- M/M/c/K blocking: p_K from the birth-death chain; h2sim reports balked and
  arrivals per replication, the script forms the Student-t interval of the
  per-replication ratio balked / arrivals (the estimator h2sim uses for its own
  intervals) from `replication_totals`.

A row also counts the runs whose `warnings` name the metric. Coverage of a
nominal 95% interval over N runs has a standard error of sqrt(.95 .05 / N);
`--check` exits 1 unless every row either covers within three standard errors
or warns in at least half of its runs (the contract of issue 16). Prints one
JSON document (rows) and a Markdown table on stderr.
"""

import argparse
import concurrent.futures
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MMC = ROOT / "scenarios" / "validation" / "mmc-2.json"
MMCK = ROOT / "scenarios" / "validation" / "mmck.json"
MEAN_FILL_MIN = 5.0
SERVERS = 2
T_975 = {2: 4.302653, 3: 3.182446, 4: 2.776445, 5: 2.570582, 6: 2.446912, 7: 2.364624,
         8: 2.306004, 9: 2.262157, 10: 2.228139}


def erlang_c(arrivals_per_min, mean_service_min, servers):
    """M/M/c probability of waiting, mean wait and p95 wait (minutes)."""
    offered = arrivals_per_min * mean_service_min
    tail = offered**servers / math.factorial(servers) * servers / (servers - offered)
    head = sum(offered**k / math.factorial(k) for k in range(servers))
    p_wait = tail / (head + tail)
    drain = servers / mean_service_min - arrivals_per_min
    p95 = math.log(p_wait / 0.05) / drain if p_wait > 0.05 else 0.0
    return p_wait, p_wait / drain, p95


def mmck_blocking(arrivals_per_min, mean_service_min, servers, capacity):
    """M/M/c/K: probability that an arrival finds the system full (PASTA)."""
    a = arrivals_per_min * mean_service_min
    weights = []
    for n in range(capacity + 1):
        if n <= servers:
            weights.append(a**n / math.factorial(n))
        else:
            weights.append(a**n / (math.factorial(servers) * servers ** (n - servers)))
    return weights[-1] / sum(weights)


# (name, scenario, arrivals per h, days per replication, warm-up days or "auto")
CASES = [
    ("mmc", 20.0, 30, 1),
    ("mmc", 21.6, 60, 2),
    ("mmc", 21.6, 7, 0.5),
    ("mmc", 21.6, 7, 0),
    ("mmc", 22.8, 7, 0),
    ("mmck", 30.0, 7, 0),
    # Beyond the table: where the warning thresholds sit.
    ("mmc", 21.6, 30, 2),
    ("mmc", 20.0, 7, 1),
    ("mmc", 22.8, 60, 6),
]


def one_run(h2sim, case, seed, replications, extra):
    kind, per_h, days, warmup = case
    scenario = MMC if kind == "mmc" else MMCK
    cmd = [h2sim, "run", str(scenario), "-q", "--jobs", "1", "--seed", str(seed),
           "--replications", str(replications),
           "--set", f"demand.arrivals_per_h={per_h}",
           "--set", f"horizon_days={days}",
           "--set", f"warmup_days={json.dumps(warmup)}"] + extra
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def t_interval(values):
    n = len(values)
    mean = statistics.fmean(values)
    half = T_975.get(n, 1.96) * statistics.stdev(values) / math.sqrt(n)
    return mean - half, mean + half


def t_975(df):
    """Student-t 97.5% quantile: the table, else the Cornish-Fisher expansion (df > 10)."""
    if df + 1 in T_975:
        return T_975[df + 1]
    z = 1.959964
    return (z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3))


def sectioning(pooled, sections):
    """The sectioning interval: centred on the pooled quantile, the sections' spread about it."""
    m = len(sections)
    squares = sum((x - pooled) ** 2 for x in sections)
    half = t_975(m - 1) * math.sqrt(squares / (m - 1) / m)
    return pooled - half, pooled + half


def warned(doc, path):
    return any(path in w.get("pointer", "") or path in w.get("message", "")
               for w in doc.get("warnings", []))


def run_all(h2sim, case, runs, replications, jobs, extra):
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda s: one_run(h2sim, case, s, replications, extra),
                             range(1, runs + 1)))


def study(h2sim, case, runs, replications, jobs, extra, methods=()):
    kind, per_h, days, warmup = case
    lam = per_h / 60.0
    if kind == "mmc":
        _, mean_exact, p95_exact = erlang_c(lam, MEAN_FILL_MIN, SERVERS)
        targets = {"totals.wait_min.mean": mean_exact, "totals.wait_min.p95": p95_exact}
    else:
        targets = {"blocking": mmck_blocking(lam, MEAN_FILL_MIN, SERVERS, SERVERS + 3)}
    hits = {k: 0 for k in targets}
    warns = {k: 0 for k in targets}
    used = []
    # Quantile intervals compared on the same runs (p95 only): the runs use sectioning, whose
    # interval is centred on the pooled quantile; "replications" (the Student-t interval of the
    # replications' p95) and "batches" (sectioning over each replication's daily p95 but the last
    # day's) are formed here from the same document; "jackknife" needs runs of its own.
    first = ["--quantile-interval", "sectioning"] if methods else []
    docs = run_all(h2sim, case, runs, replications, jobs, extra + first)
    alternatives = {}
    if kind == "mmc" and methods:
        path = "totals.wait_min.p95"
        exact = targets[path]
        jackknifed = (run_all(h2sim, case, runs, replications, jobs,
                              extra + ["--quantile-interval", "jackknife"])
                      if "jackknife" in methods else [])
        for method in methods:
            bounds = []
            for k, doc in enumerate(docs):
                if method == "sectioning":
                    bounds.append(doc["ci95"][path])
                elif method == "jackknife":
                    bounds.append(jackknifed[k]["ci95"][path])
                elif method == "replications":
                    bounds.append(t_interval([t["wait_min"]["p95"]
                                              for t in doc["replication_totals"]]))
                elif method == "batches":
                    pooled = sum(doc["ci95"][path]) / 2
                    sections = [p for t in doc["replication_totals"]
                                for p in t["series"]["daily"]["wait_min_p95"][:-1]]
                    bounds.append(sectioning(pooled, sections))
                else:
                    raise SystemExit(f"unknown quantile interval {method}")
            inside = [low <= exact <= high for low, high in bounds]
            widths = [(high - low) / 2 / exact for low, high in bounds]
            alternatives[method] = {"coverage": sum(inside) / runs,
                                    "relative_half_width_mean": statistics.fmean(widths)}
    for doc in docs:
        used.append(doc.get("replications", replications))
        for path, exact in targets.items():
            if path == "blocking":
                ratios = [t["balked"] / t["arrivals"] for t in doc["replication_totals"]]
                low, high = t_interval(ratios)
                warn = warned(doc, "totals.balked")
            else:
                low, high = doc["ci95"][path]
                warn = warned(doc, path)
            hits[path] += low <= exact <= high
            warns[path] += warn
    rho = lam * MEAN_FILL_MIN / SERVERS
    return {"case": kind, "rho": round(rho, 3), "days": days, "warmup_days": warmup,
            "runs": runs, "replications_mean": statistics.fmean(used),
            "exact": targets,
            "coverage": {k: hits[k] / runs for k in targets},
            "warned": {k: warns[k] / runs for k in targets},
            "p95_by_quantile_interval": alternatives,
            "standard_error": math.sqrt(0.95 * 0.05 / runs)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--h2sim", default=str(ROOT / "build" / "release" / "cli" / "h2sim"))
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--auto-warmup", action="store_true",
                        help='every row with warmup_days "auto" instead of its own')
    parser.add_argument("--rows", default="", help="comma-separated row numbers (0-based)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless each row covers within 3 SE or warns")
    parser.add_argument("--quantile-intervals", default="",
                        help="comma-separated --quantile-interval methods to measure p95 "
                        "coverage for, on the same seeds (the first also for the check)")
    parser.add_argument("extra", nargs="*", help="more h2sim options, after --")
    args = parser.parse_args()
    cases = CASES
    if args.rows:
        cases = [CASES[int(i)] for i in args.rows.split(",")]
    if args.auto_warmup:
        cases = [(k, p, d, "auto") for k, p, d, _ in cases]
    rows = []
    failed = False
    print("| case | ρ | days | warm-up | metric | coverage | warned |", file=sys.stderr)
    print("|---|---|---|---|---|---|---|", file=sys.stderr)
    for case in cases:
        methods = [m for m in args.quantile_intervals.split(",") if m]
        row = study(args.h2sim, case, args.runs, args.replications, args.jobs, args.extra,
                    methods)
        rows.append(row)
        for path, coverage in row["coverage"].items():
            warned_share = row["warned"][path]
            covers = coverage >= 0.95 - 3 * row["standard_error"]
            ok = covers or warned_share >= 0.5
            failed |= not ok
            print(f"| {row['case']} | {row['rho']} | {row['days']} | {row['warmup_days']} | "
                  f"{path} | {100 * coverage:.1f}% | {100 * warned_share:.0f}% |"
                  f"{'' if ok else ' FAIL'}", file=sys.stderr, flush=True)
        for method, measured in row["p95_by_quantile_interval"].items():
            print(f"| {row['case']} | {row['rho']} | {row['days']} | {row['warmup_days']} | "
                  f"p95 [{method}] | {100 * measured['coverage']:.1f}% | "
                  f"half-width {100 * measured['relative_half_width_mean']:.1f}% |",
                  file=sys.stderr, flush=True)
    json.dump({"replications": args.replications, "rows": rows}, sys.stdout, indent=1)
    print()
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
