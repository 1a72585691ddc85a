"""Validates every shipped scenario against `h2sim schema`, and bad ones must fail it."""
import json
import pathlib
import subprocess
import sys

import jsonschema

h2sim, root = sys.argv[1], pathlib.Path(sys.argv[2])
schema = json.loads(subprocess.run([h2sim, "schema"], check=True, capture_output=True).stdout)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

files = sorted(root.glob("scenarios/**/*.json")) + sorted(root.glob("bench/scenarios/*.json"))
assert files, "no shipped scenarios found"
for path in files:
    errors = list(validator.iter_errors(json.loads(path.read_text())))
    assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"
    print(f"ok {path.relative_to(root)}")

# The schema must reject what h2sim rejects: a typo, a wrong type, an unknown model.
good = json.loads((root / "scenarios/validation/mmc-2.json").read_text())
for change in (lambda d: d.update(horizon_dayz=1),
               lambda d: d["stations"][0].update(dispensers=0),
               lambda d: d["demand"].update(model="trace"),
               lambda d: d["stations"][0].update(supply={"model": "delivery"})):
    bad = json.loads(json.dumps(good))
    change(bad)
    assert list(validator.iter_errors(bad)), f"schema accepted a bad scenario: {bad}"
print(f"{len(files)} passed, 0 failed")
