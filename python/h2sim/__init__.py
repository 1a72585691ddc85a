"""h2sim from Python: run, sweep and size scenarios of hydrogen refuelling stations.

    import h2sim
    result = h2sim.run("scenarios/validation/mmc-2.json", replications=10)
    result["totals"]["wait_min"]["p95"]

A scenario is a dict (as a scenario file's JSON), or the path of a file (str or os.PathLike).
Results are the dicts `h2sim run`, `sweep` and `size` print as JSON. Runs release the GIL and
fork one process per replication; Ctrl-C stops them (no process is left) with KeyboardInterrupt.
Invalid scenarios raise ScenarioError (a ValueError) whose `problems` lists (pointer, message).
What the command line tells on stderr, Python's warnings tell: a ScenarioWarning for what a valid
scenario allows but probably does not mean, a RunWarning for failed replications (the metrics are
over the others) and precisions `until` did not reach; a run's "warnings" hold them too.
"""

import json
import math
import numbers
import operator
import os
import warnings as _warnings

from . import _h2sim
from ._h2sim import RunError, ScenarioError

ScenarioError.__doc__ = """An invalid scenario, or override of it (a ValueError). `problems` lists
every problem as (JSON pointer, message), "" for the whole file; `point` is the index of the
sweep point whose values made it invalid, or None."""
RunError.__doc__ = """No replication finished (a RuntimeError): the message says why each failed."""


class ScenarioWarning(UserWarning):
    """What a valid scenario allows but probably does not mean: "POINTER: message", as
    h2sim.warnings(scenario) lists it and the command line logs it."""


class RunWarning(UserWarning):
    """Replications that failed (the metrics are over the others, and carry "error"), or a
    precision `until` asked for and did not reach within `max_replications`."""


def _tell(pointer, message):
    """A scenario's warning, told by the C++ half before its runs start (at the line of the
    user's call of run, sweep or size: the C++ half has no frame)."""
    _warnings.warn(f"{pointer}: {message}" if pointer else message, ScenarioWarning, stacklevel=3)


def _told(result):
    """The document of a call of the C++ half, once its runs' warnings are told (at the line of
    the user's call)."""
    text, run_warnings = result
    for message in run_warnings:
        _warnings.warn(message, RunWarning, stacklevel=3)
    return json.loads(text)

_MAX_SCENARIO_BYTES = 64 << 20  # as the command line reads a file
_MAX_DEPTH = 64  # as the command line parses JSON


def _scenario_error(pointer, message, of_argument=False):
    """A ScenarioError of one problem, as the C++ half makes them: an argument's own problem
    (`of_argument`, its message naming the argument) is not labelled as the file's."""
    return _scenario_errors([(pointer, message, of_argument)])


def _scenario_errors(problems):
    """A ScenarioError of (pointer, message, of_argument) problems, its message as the C++ half
    writes it: one problem is the message, several are counted and listed a line each."""
    def text(pointer, message, of_argument):
        return message if of_argument and not pointer else f"{pointer or '(file)'}: {message}"

    lines = [text(*problem) for problem in problems]
    error = ScenarioError(lines[0] if len(lines) == 1 else f"{len(lines)} problems:"
                          + "".join("\n  " + line for line in lines))
    error.problems = [(pointer, message) for pointer, message, _ in problems]
    error.point = None
    return error


# Not `warnings`, which `from h2sim import *` would put over the standard library's module.
__all__ = [
    "run", "sweep", "size", "validate", "schema", "ScenarioError", "RunError", "ScenarioWarning",
    "RunWarning",
    "set_log_level", "stations", "classes", "hourly", "totals", "points", "__version__",
]
__version__ = _h2sim.version()


def _plain(value, where, depth=0, nonfinite=None):
    """`value` as JSON's types: numpy's scalars and arrays (anything with tolist()) as Python's, a
    path (os.PathLike) as its text, and a NaN or infinity as the text the command line would pass
    ("NaN", "Infinity"), which a numeric field refuses naming its pointer, rather than JSON that
    is not JSON; each is also listed in `nonfinite` (where, text), for a text field takes it.
    What JSON cannot hold raises, naming `where` and the pointer within it."""
    def inside(key):
        return f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}"

    if depth > _MAX_DEPTH:
        raise _scenario_error(where, f"nested deeper than {_MAX_DEPTH} levels")
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return _utf8(where or "value", value)
    if isinstance(value, os.PathLike):
        return _plain(os.fsdecode(value), where, depth, nonfinite)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f"{where or 'value'}: a key must be a str, not "
                                + type(key).__name__)
        return {key: _plain(item, inside(key), depth + 1, nonfinite) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item, inside(i), depth + 1, nonfinite) for i, item in enumerate(value)]
    if isinstance(value, numbers.Integral):
        number = int(value)
        if number.bit_length() > 1024:  # past any double; Python cannot even print it as JSON
            too_large = f"an integer of {number.bit_length()} bits is too large"
            # A problem of the scenario (a dict's value, a set= value), which validate() lists as
            # the file's would be; seed= and replications=, validated as the file's values, a
            # ScenarioError naming the argument as 2**64 is; another argument's a ValueError.
            if not where or where.startswith("/"):
                raise _scenario_error(where, too_large)
            if where in ("seed", "replications"):  # as /seed: ...; seed=2**64 set it
                raise _scenario_error(f"/{where}", f"{too_large}; {where}= set it")
            if where.startswith("set "):
                raise _scenario_error("", f"{where}: {too_large}", of_argument=True)
            raise ValueError(f"{where}: {too_large}")
        return number
    if isinstance(value, numbers.Real):
        # A float32 (or float16) is the decimal it prints as, the value its user wrote: float()
        # would widen 12.1 to 12.100000381469727.
        number = float(str(value)) if _narrow_float(value) else float(value)
        if math.isfinite(number):
            return number
        text = "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
        if nonfinite is not None:
            nonfinite.append((where, text))
        return text
    if hasattr(value, "tolist"):
        items = value.tolist()
        if _narrow_float(value):  # an array's tolist() widens its float32s as float() does
            items = _narrowed(items, value.dtype.type)
        return _plain(items, where, depth, nonfinite)
    raise TypeError(f"{where or 'value'}: a value of type {type(value).__name__} is not JSON (a str, "
                    "number, bool, None, list or dict)")


def _narrow_float(value):
    """Whether `value` is a numpy float of less than 64 bits, or an array of them."""
    dtype = getattr(value, "dtype", None)
    return getattr(dtype, "kind", None) == "f" and getattr(dtype, "itemsize", 8) < 8


def _narrowed(items, narrow):
    """The floats of tolist()'s (nested) list, or of its one item, as the decimals their `narrow`
    type (numpy.float32) prints; a masked or missing item (None, pandas' NA) as it is."""
    if isinstance(items, list):
        return [_narrowed(item, narrow) for item in items]
    return float(str(narrow(items))) if isinstance(items, float) else items


def _utf8(where, text):
    """`text`, a str, if UTF-8 can hold it: an unpaired surrogate (from os.fsdecode, say) raises
    ValueError naming `where`, where the module's arguments would have raised pybind11's
    TypeError quoting every argument, the scenario's whole text included."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{where}: {text!r} is not valid text (an unpaired surrogate cannot be "
                         "written as UTF-8)") from None
    return text


def _json(value, where, nonfinite=None):
    """A Python value as --set VALUE text: its JSON, so that a str is a string ("2025" stays
    text), and numbers, lists, dicts, True and None are JSON's."""
    return json.dumps(_plain(value, where, nonfinite=nonfinite), allow_nan=False)


def _not_a_value(text):
    return f"{text} is not a value (JSON holds no NaN or infinity" + (
        "; an empty cell of a table is NaN)" if text == "NaN" else ")")


def _refuse_nonfinite(nonfinite):
    """A NaN or infinity given as an argument's value (set=, vary=) raises ScenarioError naming
    the argument: as text ("NaN") a text field would take it."""
    if nonfinite:
        where, text = nonfinite[0]
        raise _scenario_error("", f"{where}: {_not_a_value(text)}", of_argument=True)


def _looks_like_json_text(scenario):
    """Whether a str or bytes given as a path is a JSON object's text instead: it begins with {,
    names no file, and spans lines or quotes a key (a missing "{draft}.json" is a path)."""
    if isinstance(scenario, str):
        brace, marks = "{", ("\n", '"')
    elif isinstance(scenario, bytes):
        brace, marks = b"{", (b"\n", b'"')
    else:
        return False
    return (scenario.lstrip().startswith(brace) and any(mark in scenario for mark in marks)
            and not os.path.exists(scenario))


def _source(scenario, nonfinite=None):
    """(text, base_dir) of a scenario: a dict, or the path of a file. base_dir is bytes (the
    path's own), so that a folder whose name is not UTF-8 works as on the command line. A dict's
    NaN and infinities are listed in `nonfinite` (pointer, text)."""
    if isinstance(scenario, dict):
        return _json(scenario, "", nonfinite).encode("utf-8"), b"."
    if _looks_like_json_text(scenario):
        # JSON text is no path: opening it said "File name too long", quoting all of it
        raise TypeError("scenario must be a dict or the path of a scenario file, not JSON text "
                        "(json.loads it first)")
    if isinstance(scenario, (str, bytes, os.PathLike)):
        path = os.fsencode(scenario)
        if b"\0" in path:
            raise ValueError("scenario: a path holds no NUL byte")
        # Opened by its str (fsdecode keeps any bytes): a missing file is named as given, not b'...'
        with open(os.fsdecode(path), "rb") as file:
            text = file.read(_MAX_SCENARIO_BYTES + 1)  # never without end: a pipe, /dev/zero
        if len(text) > _MAX_SCENARIO_BYTES:
            raise _scenario_error("", f"cannot read scenario {os.fsdecode(path)}: larger than "
                                  "64 MiB")
        return text, os.path.dirname(path) or b"."
    raise TypeError("scenario must be a dict or the path of a scenario file, not "
                    + type(scenario).__name__)


def _texts(name, items):
    """A list of command-line strings ("PATH=VALUE", ...): TypeError naming `name` otherwise."""
    if isinstance(items, str):
        items = [items]
    elif isinstance(items, (list, tuple)):
        items = list(items)
    else:
        raise TypeError(f"{name} must be a dict or a list of str, not " + type(items).__name__)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{name} must be a dict or a list of str, not a list holding "
                            + type(item).__name__)
        _utf8(name, item)
    return items


def _sets(set=None):
    """--set overrides: a dict {PATH: value} (Python values), which go to the module as (PATH,
    VALUE text) pairs and are never split, a list of "PATH=VALUE" or one such string (split at
    the first '=' outside [key=value], values as --set takes them: JSON, else text)."""
    if isinstance(set, dict):
        for path in set:
            if not isinstance(path, str):
                raise TypeError("set's paths must be str, not " + type(path).__name__)
            _utf8("set", path)
        nonfinite = []
        sets = [(path, _json(value, 'set ' + path, nonfinite)) for path, value in set.items()]
        _refuse_nonfinite(nonfinite)
        return sets
    return [] if set is None else _texts("set", set)


def _nonfinite_problems(nonfinite, refused=()):
    """A problem (pointer, message, False) at each NaN or infinity of a scenario dict not among
    the pointers `refused` already (in a text field, "NaN" would have named a station)."""
    return [(pointer, _not_a_value(value), False) for pointer, value in nonfinite
            if pointer not in refused]


def _problems(text, base_dir, sets, nonfinite):
    """validate()'s list, as (pointer, message, of_argument): the C++ half's problems, and one at
    each NaN or infinity of the scenario that it did not refuse."""
    problems = [tuple(problem) for problem in _h2sim.validate(text, base_dir, sets)]
    return problems + _nonfinite_problems(nonfinite, {problem[0] for problem in problems})


def _inputs(scenario, set):
    """(text, base_dir, sets) of a scenario and its set=; a NaN or infinity in the scenario raises
    ScenarioError listing every problem, as validate() does."""
    nonfinite = []
    text, base_dir = _source(scenario, nonfinite)
    sets = _sets(set)
    if nonfinite:
        raise _scenario_errors(_problems(text, base_dir, sets, nonfinite))
    return text, base_dir, sets


def _last(seed, replications):
    """Like --seed and --replications: overrides applied last, validated as the file's values."""
    last = []
    if seed is not None:
        last.append(("seed", _json(seed, "seed")))
    if replications is not None:
        last.append(("replications", _json(replications, "replications")))
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


def _available_cores():
    """The cores this process may run on (taskset, a cpuset), as the command line counts them."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _running(jobs, until, max_replications, quantile_interval):
    """How replications run: --jobs, --until, --max-replications and --quantile-interval."""
    jobs = _int("jobs", _available_cores() if jobs is None else jobs, 1, 4096)
    if until is None:
        until = []
    elif isinstance(until, dict):  # {PATH: RELATIVE}
        for path, relative in until.items():
            if not isinstance(path, str):
                raise TypeError("until's paths must be str, not " + type(path).__name__)
            _utf8("until", path)
            if isinstance(relative, str):
                _utf8(f"until {path}", relative)
        until = [f"{path}:{relative if isinstance(relative, str) else _json(relative, 'until')}"
                 for path, relative in until.items()]
    else:
        until = _texts("until", until)
    if max_replications is None:
        max_replications = 1000
    else:
        max_replications = _int("max_replications", max_replications, 2, 100000)
        if not until:  # as --max-replications without --until
            raise ValueError("max_replications requires until")
    if not isinstance(quantile_interval, str):
        raise TypeError("quantile_interval must be a str")
    _utf8("quantile_interval", quantile_interval)
    return _h2sim.Running(jobs, until, max_replications, quantile_interval)


def run(scenario, *, seed=None, replications=None, jobs=None, set=None, until=None,
        max_replications=None, quantile_interval="sectioning"):
    """Runs a scenario's replications (`jobs` at once, default: the cores); returns the metrics
    as `h2sim run` prints them. With failed replications the metrics are over the others and
    carry "error"; RunError when none finished. `until` ({PATH: RELATIVE}, or "PATH:RELATIVE"
    strings as --until takes them) adds replications until each metric is that precise, at most
    `max_replications` (default 1000; only with `until`); `quantile_interval` is
    --quantile-interval's."""
    text, base_dir, sets = _inputs(scenario, set)
    return _told(_h2sim.run(text, base_dir, sets, _last(seed, replications),
                            _running(jobs, until, max_replications, quantile_interval), _tell))


def _axes(vary):
    """Sweep axes for the module: "PATH=..." strings as --vary takes them, or (PATH, [VALUE
    text]) pairs, one point per value, from {PATH: [values]} (values are never split again), or
    (PATH, "V1,V2") pairs from {PATH: "V1,V2"} (the path never joined with them)."""
    if isinstance(vary, dict):
        axes = []
        for path, values in vary.items():
            if not isinstance(path, str):
                raise TypeError("vary's paths must be str")
            _utf8("vary", path)
            if isinstance(values, str):  # "V1,V2" or "FROM:TO:STEP", as --vary
                axes.append((path, _utf8(f"vary {path}", values)))
            else:
                # bytes would be swept as their codes, a dict as its keys, a set in no order
                items = None
                if not isinstance(values, (bytes, bytearray, dict, set, frozenset)):
                    try:
                        items = (_plain(values, f"vary {path}") if hasattr(values, "tolist")
                                 else list(values))
                    except TypeError:
                        pass
                if not isinstance(items, list):
                    raise TypeError(f"vary {path}: values must be a list (or a \"V1,V2\" or "
                                    f"\"FROM:TO:STEP\" str), not " + type(values).__name__)
                nonfinite = []
                values = _plain(items, f"vary {path}", nonfinite=nonfinite)
                _refuse_nonfinite(nonfinite)
                axes.append((path, [json.dumps(value, allow_nan=False) for value in values]))
        return axes
    if vary is None:
        raise TypeError("vary must be a dict {PATH: [values]} or a list of \"PATH=...\" str")
    return _texts("vary", vary)


def sweep(scenario, vary, *, seed=None, replications=None, jobs=None, set=None, until=None,
          max_replications=None, quantile_interval="sectioning"):
    """The full factorial of `vary` ({PATH: [values]} or {PATH: "FROM:TO:STEP"}, or a list of
    "PATH=..." as --vary takes them); returns {"points": [{"set", "metrics"}]} as `h2sim sweep`.
    `until`, `max_replications` and `quantile_interval` as in run(), for each point."""
    text, base_dir, sets = _inputs(scenario, set)
    return _told(_h2sim.sweep(text, base_dir, sets, _last(seed, replications), _axes(vary),
                              _running(jobs, until, max_replications, quantile_interval), _tell))


def size(scenario, param, range, target, *, seed=None, replications=None, jobs=None, set=None,
         until=None, max_replications=None, quantile_interval="sectioning"):
    """The smallest integer value of `param` in `range` ("FROM:TO" or (from, to)) for which
    `target` ("totals.wait_min.p95<=5") holds with 95% confidence, as `h2sim size`. `until`,
    `max_replications` and `quantile_interval` as in run(), for each value tried."""
    text, base_dir, sets = _inputs(scenario, set)
    if not isinstance(param, str):
        raise TypeError("param must be a str (a --set PATH)")
    if not isinstance(target, str):
        raise TypeError("target must be a str, e.g. \"totals.wait_min.p95<=5\"")
    _utf8("param", param)
    _utf8("target", target)
    if isinstance(range, str):
        _utf8("range", range)
    if not isinstance(range, str):
        if hasattr(range, "tolist"):  # a numpy array of two
            range = range.tolist()
        if not isinstance(range, (list, tuple)) or len(range) != 2:
            raise TypeError("range must be \"FROM:TO\" or (from, to)")
        low, high = range
        range = f"{_int('range', low, -2**63, 2**63 - 1)}:{_int('range', high, -2**63, 2**63 - 1)}"
    return _told(_h2sim.size(text, base_dir, sets, _last(seed, replications), param, range,
                             target, replications is not None,
                             _running(jobs, until, max_replications, quantile_interval), _tell))


def validate(scenario, *, set=None):
    """Every problem of a scenario as (JSON pointer, message); [] when it is valid."""
    nonfinite = []
    try:
        text, base_dir = _source(scenario, nonfinite)
    except ScenarioError as error:
        # A dict nested too deep has problems as its file has; a file that cannot be read
        # (missing, over 64 MiB) raises, as on the command line.
        if isinstance(scenario, dict):
            return list(error.problems)
        raise
    try:
        sets = _sets(set)
    except ScenarioError as error:  # a set value nested too deep, or a NaN
        return list(error.problems) + [problem[:2] for problem in _nonfinite_problems(nonfinite)]
    return [problem[:2] for problem in _problems(text, base_dir, sets, nonfinite)]


def warnings(scenario, *, set=None):
    """What a valid scenario allows but probably does not mean, as (JSON pointer, message)."""
    text, base_dir, sets = _inputs(scenario, set)
    return _h2sim.warnings(text, base_dir, sets)


def schema(metrics=False):
    """The JSON Schema of scenario files (of the metrics with metrics=True)."""
    if not isinstance(metrics, bool):
        raise TypeError("metrics must be a bool")
    return json.loads(_h2sim.schema(metrics))


def set_log_level(level):
    """The library's log level (stderr): "debug", "info", "warning" (the default), "error", "off"."""
    if not isinstance(level, str):
        raise TypeError("level must be a str: debug, info, warning, error or off")
    _utf8("level", level)
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


def _run_metrics(result, helper, of_stations=False):
    """`result` if it is a run's metrics (as run() returns them; with `of_stations`, not a size
    evaluation, which keeps only its totals); ValueError naming `helper`."""
    if isinstance(result, dict) and "totals" in result:
        if of_stations and "holds" in result and "stations" not in result:
            raise ValueError(f"{helper}(): a size evaluation keeps only its totals (totals() and "
                             "hourly() take it); run the scenario at its value for its stations "
                             "and classes")
        return result
    if isinstance(result, dict) and "points" in result:
        raise ValueError(f"{helper}() takes a run's metrics; a sweep's are each point's "
                         "\"metrics\" (points() tabulates their totals)")
    if isinstance(result, dict) and "evaluations" in result:
        raise ValueError(f"{helper}() takes a run's metrics; a size result keeps each evaluation's "
                         "totals (totals() and hourly() take an evaluation); run the scenario "
                         "at the answer for its stations and classes")
    if isinstance(result, dict) and "replication_errors" in result:
        # a sweep point whose every replication failed: run metrics, with nothing to tabulate
        raise ValueError(f"{helper}(): these metrics have no totals: every replication failed "
                         f"({result.get('error', 'see replication_errors')})")
    raise ValueError(f"{helper}() takes a run's metrics (a dict with \"totals\"), as run() "
                     "returns them")


def stations(result):
    """A run's stations, one row each (index: id), nested numbers as "wait_min.p95" columns
    (lists, such as the per-station ci95 pairs and hourly values, are left out)."""
    result = _run_metrics(result, "stations", of_stations=True)
    pandas = _pandas()
    frame = pandas.DataFrame([_flat(station) for station in result.get("stations", [])])
    return frame.set_index("id") if "id" in frame else frame


def classes(result):
    """A run's vehicle classes (fleet demand), one row each (index: name)."""
    result = _run_metrics(result, "classes", of_stations=True)
    pandas = _pandas()
    frame = pandas.DataFrame([_flat(entry) for entry in result.get("classes", [])])
    return frame.set_index("name") if "name" in frame else frame


def hourly(result):
    """Hour-of-day numbers, one row per (station, hour); the network's totals as station
    "(network)"."""
    result = _run_metrics(result, "hourly")
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
    results = [_run_metrics(result, "totals") for result in results]
    pandas = _pandas()
    frame = pandas.DataFrame([_flat(result["totals"]) for result in results])
    if names is not None:
        names = [names] if isinstance(names, str) else list(names)
        if len(names) != len(results):
            raise ValueError(f"names: {len(names)} for {len(results)} results")
        frame.index = names
    return frame


def points(sweep_result):
    """One row per sweep point: its `set` values, then its totals (means over replications)."""
    if not isinstance(sweep_result, dict) or "points" not in sweep_result:
        raise ValueError("points() takes a sweep's result (a dict with \"points\"), as sweep() "
                         "returns it")
    pandas = _pandas()
    rows = []
    for point in sweep_result["points"]:
        row = dict(point["set"])
        if "error" in point:
            row["error"] = point["error"]
        row.update(_flat(point["metrics"].get("totals", {})))
        rows.append(row)
    frame = pandas.DataFrame(rows)
    if "error" in frame:  # beside the values, wherever the first point with one is
        varied = [key for key in frame.columns if any(key in point["set"]
                                                      for point in sweep_result["points"])]
        rest = [key for key in frame.columns if key not in varied and key != "error"]
        frame = frame[varied + ["error"] + rest]
    return frame
