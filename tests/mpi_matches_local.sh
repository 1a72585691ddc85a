#!/usr/bin/env bash
# Under `mpirun -n 2`, a sweep spread over the ranks writes what `--jobs 1` writes (but the run blocks).
set -euo pipefail
h2sim=$1
scenario=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(sweep "$scenario" --set horizon_days=5 --vary stations.0.dispensers=1,2 --replications 3 -q)
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
  mpirun --oversubscribe -n 2 "$h2sim" "${args[@]}" -o "$work/mpi.json"
"$h2sim" "${args[@]}" --jobs 1 -o "$work/local.json"
/usr/bin/python3 - "$work/mpi.json" "$work/local.json" <<'PY'
import json, sys
mpi, local = (json.load(open(path)) for path in sys.argv[1:])
for sweep in (mpi, local):
    for point in sweep["points"]:
        point["metrics"].pop("run")
assert mpi == local, "MPI and local sweeps differ"
assert len(mpi["points"]) == 2 and len(mpi["points"][0]["metrics"]["replication_totals"]) == 3
print("1 passed, 0 failed")
PY
