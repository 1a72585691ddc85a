#!/usr/bin/env bash
# Under `mpirun -n 2`, a sweep spread over the ranks writes what `--jobs 1` writes (but the run
# blocks), also when a replication fails (the others are kept, the point says why, exit 1).
set -euo pipefail
h2sim=$1
scenario=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(sweep "$scenario" --set horizon_days=5 --vary stations.0.dispensers=1,2 --replications 3 -q)
mpi() {
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    mpirun --oversubscribe -n 2 "$h2sim" "${args[@]}" "$@"
}
mpi -o "$work/mpi.json"
"$h2sim" "${args[@]}" --jobs 1 -o "$work/local.json"
# Run until precise, with warm-ups chosen from the data: the rounds are the same over the ranks.
until=(--until totals.wait_min.mean:0.2 --max-replications 24 --set warmup_days=auto)
mpi "${until[@]}" -o "$work/mpi-until.json"
"$h2sim" "${args[@]}" "${until[@]}" --jobs 1 -o "$work/local-until.json"
export H2SIM_TEST_FAIL_REPLICATION=1:2
mpi -o "$work/mpi-failed.json" 2>"$work/mpi-failed.err" && exit 1
"$h2sim" "${args[@]}" --jobs 1 -o "$work/local-failed.json" 2>/dev/null && exit 1
grep -qx 'h2sim: error: point 1 (stations.0.dispensers=2), replication 2 failed: injected failure' \
  "$work/mpi-failed.err"
/usr/bin/python3 - "$work" <<'PY'
import json, os, sys
def load(name):
    sweep = json.load(open(os.path.join(sys.argv[1], name)))
    sweep.pop("run")  # its provenance: the command lines differ
    for point in sweep["points"]:
        point["metrics"].pop("run")
    return sweep
mpi, local = load("mpi.json"), load("local.json")
assert mpi == local, "MPI and local sweeps differ"
assert len(mpi["points"]) == 2 and len(mpi["points"][0]["metrics"]["replication_totals"]) == 3
until = load("mpi-until.json")
assert until == load("local-until.json"), "MPI and local runs until precise differ"
assert all(p["metrics"]["replications"] >= 10 and "precision" in p["metrics"]
           and len(p["metrics"]["warmup"]["replication_days"]) == p["metrics"]["replications"]
           for p in until["points"])
failed = load("mpi-failed.json")
assert failed == load("local-failed.json"), "MPI and local sweeps with a failure differ"
assert failed["points"][0] == mpi["points"][0]
assert failed["points"][1]["error"] == "replication 2 failed: injected failure"
assert failed["points"][1]["metrics"]["replication_totals"] == \
    mpi["points"][1]["metrics"]["replication_totals"][:2]
print("1 passed, 0 failed")
PY
