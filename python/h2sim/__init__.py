"""h2sim from Python: run, sweep and size scenarios of hydrogen refuelling stations.

    import h2sim
    result = h2sim.run("scenarios/validation/mmc-2.json", replications=10)
    result["totals"]["wait_min"]["p95"]

A scenario is a dict (as a scenario file's JSON), or the path of a file (str or os.PathLike).
Results are the dicts `h2sim run`, `sweep` and `size` print as JSON. Runs release the GIL and
fork one process per replication; Ctrl-C stops them (no process is left) with KeyboardInterrupt.
Invalid scenarios raise ScenarioError (a ValueError) whose `problems` lists (pointer, message).
"""

import json
import os

from . import _h2sim
from ._h2sim import RunError, ScenarioError

__all__ = [
    "run", "sweep", "size", "validate", "warnings", "schema", "ScenarioError", "RunError",
    "set_log_level", "stations", "classes", "hourly", "totals", "points", "__version__",
]
__version__ = _h2sim.version()


def _source(scenario):
    """(text, base_dir) of a scenario: a dict, or the path of a file."""
    if isinstance(scenario, dict):
        return json.dumps(scenario).encode("utf-8"), "."
    if isinstance(scenario, (str, bytes, os.PathLike)):
        path = os.fsdecode(scenario)
        with open(path, "rb") as file:
            text = file.read()
        return text, os.path.dirname(path) or "."
    raise TypeError("scenario must be a dict or the path of a scenario file, not "
                    + type(scenario).__name__)


def _value(value):
    """A --set VALUE: strings as given (JSON, else text, as the command line takes them)."""
    return value if isinstance(value, str) else json.dumps(value)


def _sets(set=None):
    """--set overrides: a dict {PATH: value}, a list of "PATH=VALUE", or one such string."""
    if isinstance(set, dict):
        return [f"{path}={_value(value)}" for path, value in set.items()]
    if isinstance(set, str):
        return [set]
    return [] if set is None else list(set)


def _last(seed, replications):
    """Like --seed and --replications: overrides applied last, validated as the file's values."""
    last = []
    if seed is not None:
        last.append("seed=" + json.dumps(seed))
    if replications is not None:
        last.append("replications=" + json.dumps(replications))
    return last


def _running(jobs, until, max_replications, quantile_interval):
    """How replications run: --jobs, --until, --max-replications and --quantile-interval."""
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int):
        raise TypeError("jobs must be an int")
    if until is None:
        until = []
    elif isinstance(until, str):
        until = [until]
    elif isinstance(until, dict):  # {PATH: RELATIVE}
        until = [f"{path}:{_value(relative)}" for path, relative in until.items()]
    else:
        until = list(until)
    if isinstance(max_replications, bool) or not isinstance(max_replications, int):
        raise TypeError("max_replications must be an int")
    if not isinstance(quantile_interval, str):
        raise TypeError("quantile_interval must be a str")
    return _h2sim.Running(jobs, until, max_replications, quantile_interval)


def run(scenario, *, seed=None, replications=None, jobs=None, set=None, until=None,
        max_replications=1000, quantile_interval="sectioning"):
    """Runs a scenario's replications (`jobs` at once, default: the cores); returns the metrics
    as `h2sim run` prints them. With failed replications the metrics are over the others and
    carry "error"; RunError when none finished. `until` ({PATH: RELATIVE}, or "PATH:RELATIVE"
    strings as --until takes them) adds replications until each metric is that precise, at most
    `max_replications`; `quantile_interval` is --quantile-interval's."""
    text, base_dir = _source(scenario)
    return json.loads(_h2sim.run(text, base_dir, _sets(set), _last(seed, replications),
                                 _running(jobs, until, max_replications, quantile_interval)))


def _axes(vary):
    if isinstance(vary, dict):
        axes = []
        for path, values in vary.items():
            if isinstance(values, str):  # "V1,V2" or "FROM:TO:STEP"
                axes.append(f"{path}={values}")
            else:
                axes.append(f"{path}=" + ",".join(_value(value) for value in values))
        return axes
    if isinstance(vary, str):
        return [vary]
    return list(vary)


def sweep(scenario, vary, *, seed=None, replications=None, jobs=None, set=None, until=None,
          max_replications=1000, quantile_interval="sectioning"):
    """The full factorial of `vary` ({PATH: [values]} or {PATH: "FROM:TO:STEP"}, or a list of
    "PATH=..." as --vary takes them); returns {"points": [{"set", "metrics"}]} as `h2sim sweep`.
    `until`, `max_replications` and `quantile_interval` as in run(), for each point."""
    text, base_dir = _source(scenario)
    return json.loads(_h2sim.sweep(text, base_dir, _sets(set), _last(seed, replications),
                                   _axes(vary),
                                   _running(jobs, until, max_replications, quantile_interval)))


def size(scenario, param, range, target, *, seed=None, replications=None, jobs=None, set=None,
         until=None, max_replications=1000, quantile_interval="sectioning"):
    """The smallest integer value of `param` in `range` ("FROM:TO" or (from, to)) for which
    `target` ("totals.wait_min.p95<=5") holds with 95% confidence, as `h2sim size`. `until`,
    `max_replications` and `quantile_interval` as in run(), for each value tried."""
    text, base_dir = _source(scenario)
    if not isinstance(range, str):
        low, high = range
        range = f"{low}:{high}"
    return json.loads(_h2sim.size(text, base_dir, _sets(set), _last(seed, replications), param,
                                  range, target, replications is not None,
                                  _running(jobs, until, max_replications, quantile_interval)))


def validate(scenario, *, set=None):
    """Every problem of a scenario as (JSON pointer, message); [] when it is valid."""
    text, base_dir = _source(scenario)
    return _h2sim.validate(text, base_dir, _sets(set))


def warnings(scenario, *, set=None):
    """What a valid scenario allows but probably does not mean, as (JSON pointer, message)."""
    text, base_dir = _source(scenario)
    return _h2sim.warnings(text, base_dir, _sets(set))


def schema(metrics=False):
    """The JSON Schema of scenario files (of the metrics with metrics=True)."""
    return json.loads(_h2sim.schema(metrics))


def set_log_level(level):
    """The library's log level (stderr): "debug", "info", "warning" (the default), "error", "off"."""
    _h2sim.set_log_level({"warning": "warn"}.get(level, level))


# pandas helpers: tables of a result, when pandas is importable.

def _pandas():
    try:
        import pandas
    except ImportError as error:
        raise ImportError("this helper needs pandas (Debian: python3-pandas)") from error
    return pandas


def _flat(record, prefix=""):
    """{"wait_min": {"p95": 3}} -> {"wait_min.p95": 3}; lists (hourly) are left out."""
    flat = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif not isinstance(value, list):
            flat[prefix + key] = value
    return flat


def stations(result):
    """A run's stations, one row each (index: id), nested numbers as "wait_min.p95" columns."""
    pandas = _pandas()
    frame = pandas.DataFrame([_flat(station) for station in result.get("stations", [])])
    return frame.set_index("id") if "id" in frame else frame


def classes(result):
    """A run's vehicle classes (fleet demand), one row each (index: name)."""
    pandas = _pandas()
    frame = pandas.DataFrame([_flat(entry) for entry in result.get("classes", [])])
    return frame.set_index("name") if "name" in frame else frame


def hourly(result):
    """Hour-of-day numbers, one row per (station, hour); the network's totals as station
    "(network)"."""
    pandas = _pandas()
    rows = []
    named = [("(network)", result.get("totals", {}))]
    named += [(station.get("id"), station) for station in result.get("stations", [])]
    for name, record in named:
        series = record.get("hourly", {})
        for hour in range(24):
            row = {"station": name, "hour": hour}
            row.update({key: values[hour] for key, values in series.items()})
            rows.append(row)
    return pandas.DataFrame(rows).set_index(["station", "hour"])


def totals(*results, names=None):
    """One row per result (run metrics): its totals flattened; index `names` (default 0, 1...)."""
    pandas = _pandas()
    frame = pandas.DataFrame([_flat(result.get("totals", {})) for result in results])
    if names is not None:
        frame.index = list(names)
    return frame


def points(sweep_result):
    """One row per sweep point: its `set` values, then its totals (means over replications)."""
    pandas = _pandas()
    rows = []
    for point in sweep_result["points"]:
        row = dict(point["set"])
        if "error" in point:
            row["error"] = point["error"]
        row.update(_flat(point["metrics"].get("totals", {})))
        rows.append(row)
    return pandas.DataFrame(rows)
