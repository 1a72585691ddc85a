"""Validates the metrics of every shipped scenario against `h2sim schema --metrics`.

Each scenario runs over a short horizon (as tests/golden does; a national one with 1% of its
vehicles, tests/national.py) with one replication (counts are
integers, no intervals) and with two (combined values, ci95, replication_totals); documents the
schema must refuse are refused.
"""
import json
import pathlib
import subprocess
import sys

import jsonschema

sys.dont_write_bytecode = True  # no tests/__pycache__ in the work tree
import national  # noqa: E402 (tests/national.py)

h2sim, root = sys.argv[1], pathlib.Path(sys.argv[2])
schema = json.loads(
    subprocess.run([h2sim, "schema", "--metrics"], check=True, capture_output=True).stdout)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

files = sorted(root.glob("scenarios/*.json")) + sorted(root.glob("scenarios/*/*.json"))
assert len(files) >= 10, "no shipped scenarios found"
documents = {}
for path in files:
    for replications in (1, 2):
        run = subprocess.run(
            [h2sim, "run", str(path), "-q", "--jobs", "2", "--replications", str(replications),
             "--set", "horizon_days=0.5", "--set", "warmup_days=0.1", *national.scale_down(path)],
            check=True, capture_output=True)
        document = json.loads(run.stdout)
        errors = list(validator.iter_errors(document))
        assert not errors, (f"{path} ({replications} replications): {errors[0].message} "
                            f"at {list(errors[0].absolute_path)}")
        documents[(path.name, replications)] = document
        print(f"ok {path.relative_to(root)} ({replications} replication(s))")

# The schema must refuse what the document never is: an unknown key, a missing metric, half of
# an optional group, a count below zero, a short hourly array.
good = documents[("supply-delivery.json", 1)]
fleet = documents[("shanghai-today.json", 2)]
bad_changes = (
    lambda d: d["totals"].update(arrivalz=1),
    lambda d: d["totals"].pop("served"),
    lambda d: d["stations"][0].pop("wait_min"),
    lambda d: d["totals"].pop("deliveries"),
    lambda d: d["stations"][0].update(arrivals=-1),
    lambda d: d["totals"]["hourly"]["arrivals"].pop(),
    lambda d: d.pop("run"),
    lambda d: d.update(ci95={}),
)
for change in bad_changes:
    bad = json.loads(json.dumps(good))
    change(bad)
    assert list(validator.iter_errors(bad)), "schema accepted a bad metrics document"
for change in (lambda d: d["classes"][0].pop("refuels"),
               lambda d: d["classes"][0].update(id="x"),
               lambda d: d["ci95"].pop("totals.wait_min.p95"),
               lambda d: d["replication_totals"][0].update(queue_max=3)):
    bad = json.loads(json.dumps(fleet))
    change(bad)
    assert list(validator.iter_errors(bad)), "schema accepted a bad metrics document"
print(f"{len(documents)} passed, 0 failed")
