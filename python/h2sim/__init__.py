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
import math
import numbers
import operator
import os

from . import _h2sim
from ._h2sim import RunError, ScenarioError

__all__ = [
    "run", "sweep", "size", "validate", "warnings", "schema", "ScenarioError", "RunError",
    "set_log_level", "stations", "classes", "hourly", "totals", "points", "__version__",
]
__version__ = _h2sim.version()


def _plain(value):
    """`value` as JSON's types: numpy's scalars and arrays (anything with tolist()) as Python's,
    and a NaN or infinity as the text the command line would pass ("NaN", "Infinity"), which a
    numeric field refuses naming its pointer, rather than JSON that is not JSON."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isfinite(number):
            return number
        return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return value  # json.dumps names what it cannot write


def _json(value):
    """A Python value as --set VALUE text: its JSON, so that a str is a string ("2025" stays
    text), and numbers, lists, dicts, True and None are JSON's."""
    return json.dumps(_plain(value), allow_nan=False)


def _source(scenario):
    """(text, base_dir) of a scenario: a dict, or the path of a file. base_dir is bytes (the
    path's own), so that a folder whose name is not UTF-8 works as on the command line."""
    if isinstance(scenario, dict):
        return _json(scenario).encode("utf-8"), b"."
    if isinstance(scenario, (str, bytes, os.PathLike)):
        path = os.fsencode(scenario)
        with open(path, "rb") as file:
            text = file.read()
        return text, os.path.dirname(path) or b"."
    raise TypeError("scenario must be a dict or the path of a scenario file, not "
                    + type(scenario).__name__)


def _texts(name, items):
    """A list of command-line strings ("PATH=VALUE", ...): TypeError naming `name` otherwise."""
    items = [items] if isinstance(items, str) else list(items)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{name} must be a dict or a list of str, not a list holding "
                            + type(item).__name__)
    return items


def _sets(set=None):
    """--set overrides: a dict {PATH: value} (Python values), a list of "PATH=VALUE" or one such
    string (values as --set takes them: JSON, else text)."""
    if isinstance(set, dict):
        return [f"{path}={_json(value)}" for path, value in set.items()]
    return [] if set is None else _texts("set", set)


def _last(seed, replications):
    """Like --seed and --replications: overrides applied last, validated as the file's values."""
    last = []
    if seed is not None:
        last.append("seed=" + _json(seed))
    if replications is not None:
        last.append("replications=" + _json(replications))
    return last


def _int(name, value, low, high):
    """An int argument (numpy's too) in [low, high]: TypeError or ValueError naming it."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an int")
    try:
        value = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int") from None
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}")
    return value


def _running(jobs, until, max_replications, quantile_interval):
    """How replications run: --jobs, --until, --max-replications and --quantile-interval."""
    jobs = _int("jobs", (os.cpu_count() or 1) if jobs is None else jobs, 1, 4096)
    if until is None:
        until = []
    elif isinstance(until, dict):  # {PATH: RELATIVE}
        until = [f"{path}:{relative if isinstance(relative, str) else _json(relative)}"
                 for path, relative in until.items()]
    else:
        until = _texts("until", until)
    max_replications = _int("max_replications", max_replications, 2, 100000)
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
    """Sweep axes for the module: "PATH=..." strings as --vary takes them, or (PATH, [VALUE
    text]) pairs, one point per value, from {PATH: [values]} (values are never split again)."""
    if isinstance(vary, dict):
        axes = []
        for path, values in vary.items():
            if not isinstance(path, str):
                raise TypeError("vary's paths must be str")
            if isinstance(values, str):  # "V1,V2" or "FROM:TO:STEP", as --vary
                axes.append(f"{path}={values}")
            else:
                axes.append((path, [_json(value) for value in _plain(list(values))]))
        return axes
    return _texts("vary", vary)


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
    if not isinstance(param, str):
        raise TypeError("param must be a str (a --set PATH)")
    if not isinstance(target, str):
        raise TypeError("target must be a str, e.g. \"totals.wait_min.p95<=5\"")
    if not isinstance(range, str):
        low, high = range
        range = f"{_int('range', low, -2**63, 2**63 - 1)}:{_int('range', high, -2**63, 2**63 - 1)}"
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
    if not isinstance(metrics, bool):
        raise TypeError("metrics must be a bool")
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
