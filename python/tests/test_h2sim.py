"""The h2sim Python module against the command line it wraps (run from ctest: python.module_tests,
with PYTHONPATH at the module in the build tree, H2SIM_CLI and H2SIM_SOURCE_DIR set)."""

import json
import math
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
import warnings

import pytest

import h2sim

CLI = os.environ["H2SIM_CLI"]
SOURCE = os.environ["H2SIM_SOURCE_DIR"]
MMC2 = os.path.join(SOURCE, "scenarios", "validation", "mmc-2.json")
TRACE = os.path.join(SOURCE, "scenarios", "trace", "example.json")
# What a path may be, as a bad path's message says.
PATH_LANGUAGE = (
    "a path is dotted keys and indexes, stations.0.dispensers or stations[0].dispensers, with * "
    "for every item and [key=value] to pick items, stations[id=S1].dispensers; or a JSON "
    "pointer, /stations/0/dispensers"
)


def cli(*args, env=None):
    """The command's stdout; it must succeed."""
    done = subprocess.run([CLI, *args], capture_output=True, check=True,
                          env=dict(os.environ, **(env or {})))
    return done.stdout.decode("utf-8")


def as_cli_writes(document):
    """A document as the command line prints it: the same layout; numbers are written as the
    shortest text that reads back as the same double (the CLI's writer may use more digits, so
    both sides go through this: equal texts mean equal keys, order, strings and doubles)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def with_run_block_of(result, reference):
    """`result` with the `run` block (wall time, jobs) of `reference`, keys in place."""
    return {key: (reference[key] if key == "run" else value) for key, value in result.items()}


def test_run_equals_the_cli_byte_for_byte_but_the_run_block():
    expected = cli("run", "-q", MMC2, "--seed", "7", "--replications", "3", "--set",
                   "stations.0.dispensers=3")
    result = h2sim.run(MMC2, seed=7, replications=3, jobs=2, set={"stations.0.dispensers": 3})
    assert as_cli_writes(with_run_block_of(result, json.loads(expected))) == \
        as_cli_writes(json.loads(expected))
    assert result["run"]["jobs"] == 2


def test_until_max_replications_and_quantile_interval_are_the_clis():
    expected = json.loads(cli("run", "-q", MMC2, "--seed", "3", "--set", "horizon_days=5",
                              "--until", "totals.wait_min.mean:0.3", "--max-replications", "12",
                              "--quantile-interval", "replications"))
    result = h2sim.run(MMC2, seed=3, set={"horizon_days": 5}, until={"totals.wait_min.mean": 0.3},
                       max_replications=12, quantile_interval="replications")
    assert as_cli_writes(with_run_block_of(result, expected)) == as_cli_writes(expected)
    assert result["precision"]["totals.wait_min.mean"]["relative"] == 0.3
    assert 10 <= result["replications"] <= 12  # --until starts with at least 10
    as_strings = h2sim.run(MMC2, seed=3, set={"horizon_days": 5}, max_replications=12,
                           until=["totals.wait_min.mean:0.3"], quantile_interval="replications")
    assert with_run_block_of(as_strings, result) == result
    sectioning = h2sim.run(MMC2, seed=3, set={"horizon_days": 5}, replications=5)
    by_replications = h2sim.run(MMC2, seed=3, set={"horizon_days": 5}, replications=5,
                                quantile_interval="replications")
    assert sectioning["totals"] == by_replications["totals"]
    assert sectioning["ci95"]["totals.wait_min.mean"] == \
        by_replications["ci95"]["totals.wait_min.mean"]
    assert sectioning["ci95"]["totals.wait_min.p95"] != \
        by_replications["ci95"]["totals.wait_min.p95"]


def test_bad_run_options_name_what_is_wrong():
    with pytest.raises(ValueError) as raised:
        h2sim.run(MMC2, until="totals.nope:0.05")
    assert str(raised.value).startswith(
        "until totals.nope:0.05: totals.nope has no interval; one of totals.")
    with pytest.raises(ValueError) as raised:
        h2sim.run(MMC2, until={"totals.wait_min.p95": 2})
    assert str(raised.value) == ("until totals.wait_min.p95:2: expected PATH:RELATIVE with "
                                 "0 < RELATIVE < 1, e.g. totals.wait_min.p95:0.05")
    with pytest.raises(ValueError) as raised:
        h2sim.sweep(MMC2, {"horizon_days": [1, 2]}, quantile_interval="median")
    assert str(raised.value) == \
        "quantile_interval median: one of batches, jackknife, replications, sectioning"
    with pytest.raises(ValueError) as raised:
        h2sim.run(MMC2, max_replications=1)
    assert str(raised.value) == "max_replications must be between 2 and 100000"
    with pytest.raises(TypeError):
        h2sim.run(MMC2, max_replications="12")
    # As the command line: until never runs fewer replications than asked for.
    with pytest.raises(ValueError) as raised:
        h2sim.run(MMC2, replications=20, until={"totals.wait_min.mean": 0.5}, max_replications=12)
    assert str(raised.value) == (
        "max_replications 12: fewer than the scenario's 20 replications (until adds "
        "replications up to max_replications, never runs fewer than asked for)")


def test_a_dict_and_a_path_give_the_same_result_and_files_are_relative_to_the_scenario():
    with open(TRACE, encoding="utf-8") as file:
        document = json.load(file)
    expected = cli("run", "-q", TRACE)
    from_path = h2sim.run(TRACE)
    assert as_cli_writes(with_run_block_of(from_path, json.loads(expected))) == \
        as_cli_writes(json.loads(expected))
    cwd = os.getcwd()
    os.chdir(os.path.dirname(TRACE))  # a dict's files are relative to the working directory
    try:
        from_dict = h2sim.run(document)
    finally:
        os.chdir(cwd)
    assert with_run_block_of(from_dict, from_path) == from_path


def test_sweep_equals_the_cli_but_the_run_blocks():
    expected = json.loads(cli("sweep", "-q", MMC2, "--vary", "stations.0.dispensers=2,3", "--vary",
                              "horizon_days=5:10:5", "--replications", "2"))
    result = h2sim.sweep(MMC2, {"stations.0.dispensers": [2, 3], "horizon_days": "5:10:5"},
                         replications=2)
    assert len(result["points"]) == 4
    for point, reference in zip(result["points"], expected["points"]):
        point["metrics"] = with_run_block_of(point["metrics"], reference["metrics"])
    expected["run"]["provenance"].pop("command_line")  # the CLI's own
    assert as_cli_writes(result) == as_cli_writes(expected)


def test_size_equals_the_cli():
    args = ["--param", "stations.0.dispensers", "--range", "2:4", "--target",
            "totals.wait_min.mean<=1", "--set", "horizon_days=5"]
    expected = cli("size", "-q", MMC2, *args)
    result = h2sim.size(MMC2, "stations.0.dispensers", (2, 4), "totals.wait_min.mean<=1",
                        set=["horizon_days=5"])
    expected = json.loads(expected)
    expected["run"]["provenance"].pop("command_line")  # the CLI's own
    assert as_cli_writes(result) == as_cli_writes(expected)
    assert result["run"]["provenance"]["h2sim_version"] == h2sim.__version__
    assert result["answer"] is not None
    # With until and max_replications below 5 it starts from max_replications, as the CLI: it
    # raised "fewer than the scenario's 5 replications", which the scenario does not have.
    until = ["--until", "totals.wait_min.mean:0.5", "--max-replications", "3"]
    expected = json.loads(cli("size", "-q", MMC2, *args, *until))
    result = h2sim.size(MMC2, "stations.0.dispensers", (2, 4), "totals.wait_min.mean<=1",
                        set=["horizon_days=5"], until={"totals.wait_min.mean": 0.5},
                        max_replications=3)
    expected["run"]["provenance"].pop("command_line")
    assert as_cli_writes(result) == as_cli_writes(expected)


def test_size_says_a_field_that_takes_any_number_is_searched_at_whole_values():
    # overhead_min takes any number: the command warned of it, the module did not.
    result = h2sim.size(MMC2, "stations.0.overhead_min", (1, 2), "totals.wait_min.mean<=1000",
                        set=["horizon_days=1"], replications=2)
    assert result["answer"] == 1
    assert result["warnings"] == [
        "param stations.0.overhead_min: /stations/0/overhead_min takes any number, and size "
        "tries whole values of the parameter only (1 to 2): values between two of them are not "
        "looked for (sweep --vary PATH=FROM:TO:STEP tries finer ones)",
        # mmc-2's fill_time_min replaces overhead_min: both values ran alike.
        "the 2 values of stations.0.overhead_min evaluated (1 to 2) gave the same totals: in "
        "this scenario the parameter changes nothing (a key another replaces, as fill_time_min "
        "replaces overhead_min and fill_rate_kg_per_min; one its models do not read; or a limit "
        "never reached)"]
    assert list(result).index("warnings") < list(result).index("evaluations")


def test_validate_lists_every_problem_and_run_raises_them():
    problems = h2sim.validate(MMC2, set={"stations.0.dispensers": 0, "horizon_days": -1})
    assert problems == [("/horizon_days", "must be >= 0.001, got -1"),
                        ("/stations/0/dispensers", "must be >= 1, got 0")] or len(problems) == 2
    assert {pointer for pointer, _ in problems} == {"/horizon_days", "/stations/0/dispensers"}
    assert h2sim.validate(MMC2) == []
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(MMC2, set={"stations.0.dispensers": 0, "horizon_days": -1})
    assert raised.value.problems == problems
    assert isinstance(raised.value, ValueError)
    # Its message lists them all, not only the first.
    assert str(raised.value) == "2 problems:\n" + "\n".join(
        f"  {pointer}: {message}" for pointer, message in problems)
    # A sweep of nothing is refused, as `h2sim sweep` without --vary.
    with pytest.raises(ValueError) as raised:
        h2sim.sweep(MMC2, {})
    assert str(raised.value) == "vary: nothing to vary (give at least one path and its values)"
    # One field by two paths: the second axis would replace the first's values at every point.
    with pytest.raises(ValueError) as raised:
        h2sim.sweep(MMC2, {"replications": [2, 3], "/replications": [2, 4]})
    # Named as Python gives them (the command line's --vary, --seed).
    assert str(raised.value) == ("vary replications and vary /replications: both change "
                                 "/replications (list all its values in one axis)")
    # seed= applies after the points' values: the axis's points all ran seed 7.
    with pytest.raises(ValueError) as raised:
        h2sim.sweep(MMC2, {"seed": [1, 2, 3]}, seed=7)
    assert str(raised.value) == ("vary seed: seed=7, given for every point, replaces its values "
                                 "at /seed (vary it or fix it, not both)")
    # A `set` comes before the points' values: one that every point replaces changes nothing,
    # and a ScenarioWarning says so (it was silent), once for the sweep.
    with pytest.warns(h2sim.ScenarioWarning) as told:
        h2sim.sweep(MMC2, {"stations.0.dispensers": [2, 3]},
                    set={"horizon_days": 0.1, "stations.0.dispensers": 5})
    assert [str(w.message) for w in told if "changes nothing" in str(w.message)] == [
        "/stations/0/dispensers: set stations.0.dispensers=5: every point's vary "
        "stations.0.dispensers replaces it at /stations/0/dispensers, so it changes nothing "
        "(vary it or fix it)"]
    # size refuses the experiment's seed and replications as `h2sim size --param` does (they ran).
    for key in ("seed", "/replications"):
        with pytest.raises(ValueError) as raised:
            h2sim.size(MMC2, key, (2, 4), "totals.wait_min.mean<=1", set={"horizon_days": 1})
        bare = key.lstrip("/")
        assert str(raised.value) == (
            f"param {key}: not a parameter of the system (sizing needs one the targets depend on "
            f"monotonely: stations.*.dispensers, open_stations, ...); the experiment's {bare} is "
            f"set with {bare}=")


def test_bad_arguments_are_refused_before_anything_runs():
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(MMC2, seed=-1)
    assert raised.value.problems[0][0] == "/seed"
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run({"name": "x"})
    assert ("/stations", "is required: an array of at least 1 item") in raised.value.problems
    with pytest.raises(h2sim.ScenarioError):
        h2sim.run(MMC2, set=["no equals sign"])
    with pytest.raises(ValueError):
        h2sim.run(MMC2, jobs=0)
    with pytest.raises(ValueError):
        h2sim.sweep(MMC2, ["stations.0.dispensers"])
    with pytest.raises(ValueError, match=r"the metrics have no classes\[name=x\]"):  # up front
        h2sim.size(MMC2, "stations.0.dispensers", "1:2", "classes[name=x].wait_min.mean<=1")
    # A station open only at the top of an open_stations range: the end that lacks it is named.
    with open(MMC2) as file:
        two = json.load(file)
    two["stations"].append(dict(two["stations"][0], id="B", x_km=5))
    with pytest.raises(ValueError, match=r"\(no open station B\) at open_stations=1, the low end "
                                         r"of the range$"):
        h2sim.size(two, "open_stations", "1:2", "stations[id=B].wait_min.mean<=1")
    with pytest.raises(ValueError):
        h2sim.size(MMC2, "stations.0.dispensers", "4:2", "totals.wait_min.mean<=1")
    with pytest.raises(TypeError):
        h2sim.run(42)
    with pytest.raises(FileNotFoundError) as missing:
        h2sim.run("no/such/scenario.json")
    assert missing.value.filename == "no/such/scenario.json"  # not b'no/such/scenario.json'


def test_odd_arguments_name_what_is_wrong():
    # A dict's path goes to the library as it is, never joined and split again: one holding '='
    # names a key of that name ({"name=oops": "x"} once set the name to 'oops="x"').
    for call in (lambda: h2sim.run(MMC2, set={"name=oops": "x"}),
                 lambda: h2sim.sweep(MMC2, {"name=oops": ["x"]}),
                 lambda: h2sim.sweep(MMC2, {"name=oops": "x,y"})):
        with pytest.raises(h2sim.ScenarioError) as raised:
            call()
        assert raised.value.problems[0][0] == "/name=oops"
        assert raised.value.problems[0][1].startswith("unknown key")
    assert h2sim.validate(MMC2, set={"stations[id=S1].dispensers": 3}) == []
    # A key with a NUL: the message was cut there ('/horizon').
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(MMC2, set={"horizon\x00days": 1})
    assert str(raised.value) == raised.value.problems[0][0] + ": " + raised.value.problems[0][1]
    assert "unknown key" in str(raised.value)
    # JSON text is not a path (opening it said "File name too long", quoting all of it).
    with pytest.raises(TypeError, match="not JSON text"):
        h2sim.run(open(MMC2).read())
    with pytest.raises(TypeError, match="not JSON text"):
        h2sim.validate(open(MMC2, "rb").read())
    with pytest.raises(FileNotFoundError):  # a path that begins with {, not JSON text
        h2sim.validate("{draft}.json")
    assert h2sim.validate(MMC2, set={"name[": "]=x"}) == [
        ("", 'set name[="]=x": bad path (' + PATH_LANGUAGE + ")")
    ]
    with pytest.raises(TypeError, match="level must be a str"):
        h2sim.set_log_level(None)
    # validate() lists problems the same way for a dict as for its file.
    deep = 1
    for _ in range(70):
        deep = [deep]
    scenario = json.load(open(MMC2))
    scenario["description"] = deep
    problems = h2sim.validate(scenario)
    assert len(problems) == 1 and problems[0][0].startswith("/description/0/0")
    assert len(h2sim.validate(MMC2, set={"description": deep})) == 1


def test_runs_work_with_stdin_and_stdout_closed():
    # The replications' pipes then took descriptors 0 and 1, and a replication pointing its
    # stdout at its output pipe overwrote its result pipe: every replication failed.
    script = textwrap.dedent(f"""
        import os, sys, h2sim
        os.close(0)
        os.close(1)
        result = h2sim.run({MMC2!r}, replications=2, jobs=2, set={{"horizon_days": 0.5}})
        sys.stderr.write(str(result["totals"]["arrivals"]) + " " + str(result.get("error")))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    arrivals, error = done.stderr.split()
    assert float(arrivals) > 0 and error == "None"


def test_ctrl_c_stops_a_sweep_while_it_validates_its_points():
    # Validating 300 points of the 2025 plan takes seconds; SIGINT was not looked at until every
    # point was read, and the GIL was held throughout.
    shanghai = os.path.join(SOURCE, "scenarios", "shanghai-2025.json")
    script = textwrap.dedent(f"""
        import sys, time, h2sim
        print("started", flush=True)
        try:
            h2sim.sweep({shanghai!r}, {{"horizon_days": [1 + i / 100000 for i in range(3000)]}},
                        jobs=1)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(0)
        sys.exit(1)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "started"
        time.sleep(1)  # well inside the validation (about 40 ms a point, 3,000 points)
    finally:
        out, err, took = interrupted(process)
    assert process.returncode == 0, err
    assert out.strip() == "interrupted"
    assert took < 10  # not a timing test: the validation of 3,000 points was not waited out


def test_failed_replications_are_reported_in_the_result_or_raised_when_none_finished(monkeypatch):
    monkeypatch.setenv("H2SIM_TEST_FAIL_REPLICATION", "0:1")
    with pytest.warns(h2sim.RunWarning) as told:
        result = h2sim.run(MMC2, replications=2, set={"horizon_days": 2})
    # As the command line tells it on stderr, at the line of the call.
    assert [str(warning.message) for warning in told] == [
        "1 of 2 replications failed; the metrics are over the other 1: replication 1 failed: "
        "injected failure"]
    assert told[0].filename == __file__
    assert result["error"] == "replication 1 failed: injected failure"
    assert result["replication_errors"] == [{"replication": 1, "error": "injected failure"}]
    monkeypatch.setenv("H2SIM_TEST_FAIL_REPLICATION", "0:0")
    with pytest.raises(h2sim.RunError, match="injected failure"):
        h2sim.run(MMC2, set={"horizon_days": 2})


def test_a_sweep_whose_replications_all_failed_names_each_failures_point(monkeypatch):
    # The points' errors were joined unnamed: "replication 0 failed: ...; replication 0 failed: ...".
    monkeypatch.setenv("H2SIM_TEST_FAIL_REPLICATION", "0:0,1:0")
    with pytest.raises(h2sim.RunError) as raised:
        h2sim.sweep(MMC2, {"stations.0.dispensers": [2, 3]}, set={"horizon_days": 1},
                    replications=1, jobs=1)
    assert str(raised.value) == (
        "every replication failed: point 0 (stations.0.dispensers=2): replication 0 failed: "
        "injected failure; point 1 (stations.0.dispensers=3): replication 0 failed: injected "
        "failure")


def test_schema_is_the_clis():
    assert h2sim.schema() == json.loads(cli("schema"))
    assert h2sim.schema(metrics=True) == json.loads(cli("schema", "--metrics"))


def test_the_gil_is_released_while_replications_run():
    done = threading.Event()
    counted = 0

    def work():
        h2sim.run(MMC2, replications=2, jobs=1)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        counted += 1
        time.sleep(0.001)
    worker.join()
    assert counted > 50  # the main thread kept running through a run of about a second


def children_of(pid):
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as file:
            found += file.read().split()
    return found


def interrupted(process):
    """SIGINT to `process`, then its (stdout, stderr) and the seconds it took to end (killed after
    60 s, or at once when it is not running as a test expects)."""
    sent = time.monotonic()
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    return out, err, time.monotonic() - sent


def test_ctrl_c_stops_a_run_promptly_and_leaves_no_process():
    # A replication that never ends; SIGINT to the Python process must stop the run, kill the
    # replication processes and raise KeyboardInterrupt. The script then lists its children
    # (zombies included) while it is still alive: there must be none.
    script = textwrap.dedent(f"""
        import os, sys, time, h2sim
        try:
            h2sim.run({MMC2!r}, replications=3, jobs=3)
        except KeyboardInterrupt:
            stopped = time.monotonic()
            children = []
            for task in os.listdir("/proc/self/task"):
                children += open(f"/proc/self/task/{{task}}/children").read().split()
            print("interrupted", children, flush=True)
            sys.exit(0)
        print("not interrupted", flush=True)
        sys.exit(1)
    """)
    env = dict(os.environ, H2SIM_TEST_HANG_REPLICATION="0:0,0:1,0:2")
    process = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(children_of(process.pid)) < 3:  # every replication is running (and hanging)
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        replications = children_of(process.pid)
    finally:
        out, err, took = interrupted(process)
    assert process.returncode == 0, err
    assert out.strip() == "interrupted []"
    for pid in replications:
        assert not os.path.exists(f"/proc/{pid}")
    # Not a timing test: a generous guard that the interruption was not waited out.
    assert took < 10


def test_the_interpreter_exits_cleanly_with_a_daemon_thread_inside_a_run():
    # Python ends a thread that takes the GIL during shutdown with a forced unwind, which the C++
    # frames of a run turned into std::terminate: exit status 134 at every exit.
    script = textwrap.dedent(f"""
        import os, threading, time, h2sim
        threading.Thread(target=lambda: h2sim.run({MMC2!r}, replications=2, jobs=2),
                         daemon=True).start()
        deadline = time.monotonic() + 60
        children = []
        while len(children) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
            children = []
            for task in os.listdir("/proc/self/task"):
                children += open(f"/proc/self/task/{{task}}/children").read().split()
        print(" ".join(children), flush=True)
    """)
    env = dict(os.environ, H2SIM_TEST_HANG_REPLICATION="0:0,0:1")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "terminate" not in done.stderr
    replications = done.stdout.split()
    assert len(replications) == 2
    deadline = time.monotonic() + 10  # they die with their parent (PR_SET_PDEATHSIG)
    while any(os.path.exists(f"/proc/{pid}") for pid in replications):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_replication_that_dies_without_a_result_says_what_it_printed(monkeypatch, capfd):
    # The process of replication 1 writes a line to stderr and exits 1: its words end the error,
    # and neither they nor anything else reach this process's stdout or stderr.
    monkeypatch.setenv("H2SIM_TEST_EXIT_REPLICATION", "0:1")
    h2sim.set_log_level("off")
    try:
        with pytest.warns(h2sim.RunWarning, match="1 of 2 replications failed"):
            result = h2sim.run(MMC2, replications=2, set={"horizon_days": 1})
    finally:
        h2sim.set_log_level("warning")
    assert result["error"] == ("replication 1 failed: exited with status 1 without a result: "
                               "injected exit: gone without a result")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_pandas_helpers_make_tables():
    pandas = pytest.importorskip("pandas")
    result = h2sim.run(MMC2, replications=2, set={"horizon_days": 2})
    stations = h2sim.stations(result)
    assert list(stations.index) == [station["id"] for station in result["stations"]]
    assert stations.loc[result["stations"][0]["id"], "wait_min.p95"] == \
        result["stations"][0]["wait_min"]["p95"]
    hourly = h2sim.hourly(result)
    assert len(hourly) == 24 * (1 + len(result["stations"]))
    assert list(hourly.loc["(network)"]["arrivals"]) == result["totals"]["hourly"]["arrivals"]
    totals = h2sim.totals(result, result, names=["a", "b"])
    assert list(totals.index) == ["a", "b"]
    assert totals.loc["a", "wait_min.mean"] == result["totals"]["wait_min"]["mean"]
    with pytest.raises(ValueError, match="names: 1 for 2 results"):  # pandas' own error was
        h2sim.totals(result, result, names=["a"])
    sweep = h2sim.sweep(MMC2, {"stations.0.dispensers": [2, 3]}, set={"horizon_days": 2})
    points = h2sim.points(sweep)
    assert list(points["stations.0.dispensers"]) == [2, 3]
    assert isinstance(h2sim.classes(result), pandas.DataFrame)
    # A point's error sits beside the values even when the first point has none (it went last).
    failed = json.loads(json.dumps(sweep))
    failed["points"][1]["error"] = "replication 0 failed: x"
    columns = list(h2sim.points(failed).columns)
    assert columns[:2] == ["stations.0.dispensers", "error"]
    # A size result's evaluations keep their totals only: stations() gave an empty table.
    sized = h2sim.size(MMC2, "stations.0.dispensers", (2, 3), "totals.wait_min.mean<=100",
                       set={"horizon_days": 1})
    evaluation = sized["evaluations"][0]
    assert h2sim.totals(evaluation).loc[0, "served"] == evaluation["totals"]["served"]
    for helper in (h2sim.stations, h2sim.classes):
        with pytest.raises(ValueError, match="a size evaluation keeps only its totals"):
            helper(evaluation)
        with pytest.raises(ValueError, match="a size result keeps each evaluation's totals"):
            helper(sized)
    assert columns[2:] == list(points.columns[1:])


def test_the_readmes_pandas_recipe_reads_run_table(tmp_path):
    """README, `run --table`: the pivot keeps the network's rows (empty id) and keeps the
    replications and hours apart."""
    pandas = pytest.importorskip("pandas")
    table = tmp_path / "t.csv"
    result = json.loads(cli("run", "-q", MMC2, "--replications", "3", "--set", "horizon_days=2",
                            "--table", str(table)))
    p = pandas.read_csv(table).fillna({"id": "", "replication": -1, "index": -1}).pivot_table(
        index=["table", "id", "kind", "replication", "index"], columns="metric", values="value")
    network = p.loc[("totals", "", "mean")]
    assert network["wait_min.p95"].iloc[0] == pytest.approx(result["totals"]["wait_min"]["p95"])
    replications = p.loc[("totals", "", "replication")]["served"]
    assert list(replications) == [r["served"] for r in result["replication_totals"]]
    hourly = p.loc[("hourly", "", "mean")]["hourly.arrivals"]
    assert list(hourly) == pytest.approx(result["totals"]["hourly"]["arrivals"])


def far_north_scenario():
    """mmc-2 placed 1,112 km north of its origin: valid, with one warning at /stations/0/lat."""
    with open(MMC2, encoding="utf-8") as file:
        scenario = json.load(file)
    station = scenario["stations"][0]
    del station["x_km"], station["y_km"]
    station.update({"lat": 70, "lon": 30})
    scenario.update({"origin": {"lat": 60, "lon": 10}, "horizon_days": 1})
    return scenario


def test_warnings_outlive_the_scenario_they_came_from():
    # warnings() once read them out of a scenario already destroyed: garbage or a crash.
    with pytest.warns(h2sim.ScenarioWarning) as told:
        result = h2sim.run(far_north_scenario(), jobs=1)
    expected = [(warning["pointer"], warning["message"]) for warning in result["warnings"]]
    assert [pointer for pointer, _ in expected] == ["/stations/0/lat"]
    # Told as the command line logs it, once.
    assert [str(warning.message) for warning in told] == [": ".join(expected[0])]
    assert expected[0][1].startswith("1112 km north of /origin")
    for _ in range(3):
        assert h2sim.warnings(far_north_scenario()) == expected


def test_dict_values_are_python_values_never_split_or_reparsed():
    scenario = os.path.join(SOURCE, "scenarios", "shanghai-today.json")
    sweep = h2sim.sweep(scenario, {"open_stations": [["JD-01", "JD-02"], ["JD-01"]],
                                   "description": ["a, b"]},
                        set={"horizon_days": 0.2}, jobs=1)
    assert [point["set"] for point in sweep["points"]] == [
        {"open_stations": ["JD-01", "JD-02"], "description": "a, b"},
        {"open_stations": ["JD-01"], "description": "a, b"}]
    assert [point["metrics"]["open_stations"] for point in sweep["points"]] == [2, 1]
    # A str is a string: "2025" is not read as the number 2025 (a list of "PATH=VALUE" still is
    # read as --set reads it).
    assert h2sim.run(MMC2, set={"name": "2025", "horizon_days": 0.2}, jobs=1)["scenario"] == "2025"
    with pytest.raises(h2sim.ScenarioError, match="^/name: must be a string"):
        h2sim.run(MMC2, set=["name=2025"])
    with pytest.raises(ValueError, match="vary horizon_days: no values"):
        h2sim.sweep(MMC2, {"horizon_days": []})


def test_out_of_range_and_mistyped_arguments_name_themselves():
    with pytest.raises(ValueError, match="^jobs must be between 1 and 4096$"):
        h2sim.run(MMC2, jobs=2**31)
    with pytest.raises(ValueError, match="^max_replications must be between 2 and 100000$"):
        h2sim.run(MMC2, until={"totals.wait_min.mean": 0.1}, max_replications=-1)
    with pytest.raises(ValueError, match="^max_replications requires until$"):  # as the CLI
        h2sim.run(MMC2, max_replications=5)
    with pytest.raises(TypeError, match="^set must be a dict or a list of str"):
        h2sim.run(MMC2, set=[5])
    with pytest.raises(TypeError, match="^param must be a str"):
        h2sim.size(MMC2, None, "1:3", "totals.wait_min.p95<=5")
    with pytest.raises(TypeError, match="^target must be a str"):
        h2sim.size(MMC2, "stations.0.dispensers", "1:3", None)
    with pytest.raises(TypeError, match="^metrics must be a bool$"):
        h2sim.schema("yes")
    # NaN is refused at its field, as --set horizon_days=nan is, not as JSON that is not JSON.
    scenario = far_north_scenario()
    scenario["horizon_days"] = float("nan")
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(scenario)
    assert [pointer for pointer, _ in raised.value.problems] == ["/horizon_days"]
    assert [pointer for pointer, _ in h2sim.validate(scenario)] == ["/horizon_days"]
    # In a text field "NaN" would be a name: it is refused there too, with every other problem.
    scenario["stations"][0]["name"] = float("nan")
    nan = "NaN is not a value (JSON holds no NaN or infinity; an empty cell of a table is NaN)"
    expected = ["/horizon_days", ("/stations/0/name", nan)]
    assert [problem if problem[0] == "/stations/0/name" else problem[0]
            for problem in h2sim.validate(scenario)] == expected
    for call in (lambda: h2sim.run(scenario), lambda: h2sim.warnings(scenario),
                 lambda: h2sim.sweep(scenario, {"horizon_days": [1, 2]})):
        with pytest.raises(h2sim.ScenarioError, match="^2 problems:") as raised:
            call()
        assert [problem if problem[0] == "/stations/0/name" else problem[0]
                for problem in raised.value.problems] == expected
    scenario["horizon_days"] = 1
    with pytest.raises(h2sim.ScenarioError, match=f"^/stations/0/name: {re.escape(nan)}$"):
        h2sim.run(scenario)
    # An argument's own problem beside them is not labelled as the file's.
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(scenario, set={"stations[": 3})
    assert str(raised.value).startswith("2 problems:\n  set stations[=3: bad path")
    assert str(raised.value).endswith(f"\n  /stations/0/name: {nan}")
    # A NaN in set= is listed with the file's.
    assert h2sim.validate(scenario, set={"seed": math.inf}) == [
        ("", "set seed: Infinity is not a value (JSON holds no NaN or infinity)"),
        ("/stations/0/name", nan)]
    # As an argument's value, named by the argument.
    infinity = "Infinity is not a value (JSON holds no NaN or infinity)"
    assert h2sim.validate(MMC2, set={"stations.0.name": math.inf}) == [
        ("", f"set stations.0.name: {infinity}")]
    with pytest.raises(h2sim.ScenarioError, match=f"^set stations.0.name: {re.escape(nan)}$"):
        h2sim.run(MMC2, set={"stations.0.name": math.nan})
    with pytest.raises(h2sim.ScenarioError, match=r"^vary stations.0.name/1: -Infinity is not"):
        h2sim.sweep(MMC2, {"stations.0.name": ["a", -math.inf]})


def test_numpy_values_are_taken_as_python_numbers():
    numpy = pytest.importorskip("numpy")
    sweep = h2sim.sweep(MMC2, {"stations.0.dispensers": numpy.arange(2, 4)},
                        set={"horizon_days": numpy.float64(0.2)}, seed=numpy.int64(5),
                        jobs=numpy.int64(1))
    plain = h2sim.sweep(MMC2, {"stations.0.dispensers": [2, 3]}, set={"horizon_days": 0.2},
                        seed=5, jobs=1)
    for point, reference in zip(sweep["points"], plain["points"], strict=True):
        assert point["set"] == reference["set"]
        metrics = with_run_block_of(point["metrics"], reference["metrics"])
        assert as_cli_writes(metrics) == as_cli_writes(reference["metrics"])
    # A range as an array of two, as (from, to) (a TypeError before).
    sized = [h2sim.size(MMC2, "stations.0.dispensers", given, "totals.wait_min.mean<=10",
                        set={"horizon_days": 0.5}, replications=2, jobs=1)
             for given in (numpy.array([1, 3]), (1, 3))]
    assert sized[0]["answer"] == sized[1]["answer"] is not None


def test_a_folder_whose_name_is_not_utf8_works_as_on_the_command_line(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"\xffdir")
    os.mkdir(folder)
    path = os.path.join(folder, b"s.json")
    with open(path, "wb") as file, open(MMC2, "rb") as source:
        file.write(source.read())
    result = h2sim.run(path, set={"horizon_days": 0.2}, seed=3, jobs=1)
    expected = json.loads(cli("run", "-q", MMC2, "--set", "horizon_days=0.2", "--seed", "3"))
    assert result["totals"] == expected["totals"]


def test_what_json_cannot_hold_is_refused_naming_where(tmp_path):
    # bytes were swept as their codes (b"23": 50 and 51), a dict as its keys, a set in no order
    for values in (b"23", {"2": 1}, {2, 3}, 5):
        with pytest.raises(TypeError, match="^vary stations.0.dispensers: values must be a list"):
            h2sim.sweep(MMC2, {"stations.0.dispensers": values})
    with pytest.raises(TypeError, match="^vary must be a dict"):
        h2sim.sweep(MMC2, None)
    # an unpaired surrogate became the literal text '"a\\ud800b"', quotes and all
    with pytest.raises(ValueError, match="^set name: .* is not valid text"):
        h2sim.run(MMC2, set={"name": "a\ud800b"})
    with pytest.raises(ValueError, match="^/name: .* is not valid text"):
        h2sim.validate({"name": "a\ud800b"})
    with pytest.raises(TypeError, match="^set name: a value of type bytes is not JSON"):
        h2sim.run(MMC2, set={"name": b"x"})
    with pytest.raises(TypeError, match="^/stations/0: a value of type set is not JSON"):
        h2sim.validate({"stations": [{1, 2}]})
    with pytest.raises(TypeError, match="^set must be a dict or a list of str, not int$"):
        h2sim.run(MMC2, set=5)
    with pytest.raises(TypeError, match="^set's paths must be str, not NoneType$"):
        h2sim.run(MMC2, set={None: 1})
    with pytest.raises(ValueError, match="^set name: an integer of 16610 bits is too large$"):
        h2sim.run(MMC2, set={"name": 10**5000})
    # validate() lists it as a problem, as it lists the file's (it raised).
    assert h2sim.validate({"seed": 2**2000}) == [("/seed", "an integer of 2001 bits is too large")]
    assert h2sim.validate(MMC2, set={"seed": 2**2000}) == [
        ("", "set seed: an integer of 2001 bits is too large")]
    # A ScenarioError, as seed=2**64 is (its file's bound), not a bare ValueError.
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(MMC2, seed=2**2000)
    assert raised.value.problems == [("/seed", "an integer of 2001 bits is too large; seed= set it")]
    with pytest.raises(h2sim.ScenarioError, match="^/seed: must be an integer <= "):
        h2sim.run(MMC2, seed=2**64)
    for bad_range in ((1, 2, 3), 5):
        with pytest.raises(TypeError, match="^range must be"):
            h2sim.size(MMC2, "stations.0.dispensers", bad_range, "totals.wait_min.p95<=5")
    with pytest.raises(ValueError, match="^vary seed: more than 10000 values$"):
        h2sim.sweep(MMC2, {"seed": list(range(10001))})
    # Ranges given as text name what they came from, as the command line does.
    with pytest.raises(ValueError, match="^vary seed=3:2:1: a range is FROM:TO:STEP with FROM "
                                         "<= TO, STEP > 0$"):
        h2sim.sweep(MMC2, {"seed": "3:2:1"})
    with pytest.raises(ValueError, match="^vary seed=0:99999:1: more than 10000 values$"):
        h2sim.sweep(MMC2, ["seed=0:99999:1"])
    with pytest.raises(ValueError, match="^range 4:2: expected FROM:TO with integers FROM <= TO$"):
        h2sim.size(MMC2, "stations.0.dispensers", (4, 2), "totals.wait_min.p95<=5")
    with pytest.raises(ValueError, match="^target p95<5: expected METRIC<=VALUE"):
        h2sim.size(MMC2, "stations.0.dispensers", (1, 2), "p95<5")
    with pytest.raises(ValueError, match="^target totals.wait_min.p95<=-1: can never hold: no "
                                         "metric is negative"):
        h2sim.size(MMC2, "stations.0.dispensers", (1, 2), "totals.wait_min.p95<=-1")
    # An unpaired surrogate in a path or option raised pybind11's TypeError quoting every
    # argument, the scenario's whole text included; each is named instead.
    lone = "name\udcff"
    for call, where in (
            (lambda: h2sim.run(MMC2, set={lone: 1}), "set"),
            (lambda: h2sim.run(MMC2, set=[lone + "=1"]), "set"),
            (lambda: h2sim.sweep(MMC2, {lone: [1, 2]}), "vary"),
            (lambda: h2sim.sweep(MMC2, {"seed": "1,\udcff"}), "vary seed"),
            (lambda: h2sim.sweep(MMC2, [lone + "=1,2"]), "vary"),
            (lambda: h2sim.size(MMC2, lone, (1, 2), "totals.wait_min.p95<=5"), "param"),
            (lambda: h2sim.size(MMC2, "seed", (1, 2), lone + "<=5"), "target"),
            (lambda: h2sim.run(MMC2, until={lone: 0.1}), "until"),
            (lambda: h2sim.run(MMC2, until=[lone + ":0.1"]), "until"),
            (lambda: h2sim.run(MMC2, quantile_interval=lone), "quantile_interval"),
            (lambda: h2sim.set_log_level(lone), "level")):
        with pytest.raises(ValueError) as raised:
            call()
        assert str(raised.value).startswith(where + ": ")
        assert str(raised.value).endswith("is not valid text (an unpaired surrogate cannot be "
                                          "written as UTF-8)")
        assert len(str(raised.value)) < 200
    deep = inner = {}
    for _ in range(900):
        inner["a"] = {}
        inner = inner["a"]
    with pytest.raises(h2sim.ScenarioError, match="nested deeper than 64 levels"):
        h2sim.run(deep)
    # a path object is its text; a range is its values
    assert h2sim.run(MMC2, set={"name": tmp_path / "x", "horizon_days": 0.2})["scenario"] == str(
        tmp_path / "x")
    swept = h2sim.sweep(MMC2, {"seed": range(1, 3)}, set={"horizon_days": 0.2})
    assert [point["set"] for point in swept["points"]] == [{"seed": 1}, {"seed": 2}]


def test_a_scenario_file_is_read_up_to_64_mib_as_on_the_command_line(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as file:
        file.write(b" " * ((64 << 20) + 1))
    with pytest.raises(h2sim.ScenarioError, match="larger than 64 MiB$") as raised:
        h2sim.validate(big)
    assert raised.value.problems[0][0] == ""


def test_an_invalid_sweep_point_is_named_and_the_files_problems_are_not_blamed_on_it(tmp_path):
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.sweep(MMC2, {"stations.0.dispensers": [2, 0]})
    assert str(raised.value) == ("point 1 (stations.0.dispensers=0): /stations/0/dispensers: "
                                 "must be an integer >= 1")
    assert raised.value.point == 1
    assert raised.value.problems == [("/stations/0/dispensers", "must be an integer >= 1")]
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.sweep(MMC2, {"stations.0.dispensers": [2, 3]}, set={"seed": -1})
    assert raised.value.point is None
    assert raised.value.problems[0][0] == "/seed"
    # the whole file's problem is "(file)", as the command line lists it, not ": ..."; a problem
    # of an argument names the argument (it was "(file): set no equals sign: ...")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(h2sim.ScenarioError, match=r"^\(file\): not valid JSON"):
        h2sim.run(broken)
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(MMC2, set=["no equals sign"])
    assert str(raised.value) == "set no equals sign: expected PATH=VALUE"
    assert raised.value.problems == [("", "set no equals sign: expected PATH=VALUE")]


def test_pandas_helpers_refuse_the_wrong_kind_of_result():
    pytest.importorskip("pandas")
    # A sweep point whose replications all failed is a run's metrics without totals: say so.
    failed = {"replications": 2, "replication_errors": [{"replication": 0, "error": "x"}],
              "error": "replication 0 failed: x"}
    with pytest.raises(ValueError, match=r"^totals\(\): these metrics have no totals: every "
                                         r"replication failed \(replication 0 failed: x\)$"):
        h2sim.totals(failed)
    swept = h2sim.sweep(MMC2, {"seed": [1, 2]}, set={"horizon_days": 0.2})
    for helper in (h2sim.stations, h2sim.classes, h2sim.hourly, h2sim.totals):
        with pytest.raises(ValueError, match="takes a run's metrics; a sweep's"):
            helper(swept)
    with pytest.raises(ValueError, match=r"^points\(\) takes a sweep's result"):
        h2sim.points(h2sim.run(MMC2, set={"horizon_days": 0.2}))



def test_a_float32_is_the_decimal_it_prints():
    numpy = pytest.importorskip("numpy")
    for given in (numpy.float32(0.2), numpy.array(numpy.float32(0.2)),
                  numpy.array([0.2], dtype=numpy.float32)):
        value = given if numpy.ndim(given) == 0 else given[0]
        result = h2sim.run(MMC2, set={"horizon_days": value}, seed=3, jobs=1)
        # float(numpy.float32(0.2)) is 0.20000000298023224: a longer run than 0.2's.
        assert result["horizon_days"] == 0.2
    halves = numpy.array([[1.1, 2.2]], dtype=numpy.float16)
    assert h2sim._plain(halves, "") == [[1.1, 2.2]]
    assert h2sim._plain(numpy.array(numpy.float32(12.1)), "") == 12.1
    # A masked item is None, as a float64 array's (it raised).
    masked = numpy.ma.array([1.1, 2.2], mask=[0, 1], dtype=numpy.float32)
    assert h2sim._plain(masked, "") == [1.1, None]
    # A sweep's values too (they were widened before _plain saw them).
    sweep = h2sim.sweep(MMC2, {"horizon_days": numpy.array([0.1, 0.2], dtype=numpy.float32)},
                        seed=3, jobs=1)
    assert [point["set"]["horizon_days"] for point in sweep["points"]] == [0.1, 0.2]


def test_a_star_import_leaves_the_standard_warnings_module_alone():
    names = {}
    exec("import warnings\nfrom h2sim import *", names)
    assert names["warnings"] is sys.modules["warnings"]
    assert callable(names["run"]) and "warnings" not in h2sim.__all__


def test_messages_name_the_arguments_as_python_gives_them():
    # They named the command line's options: "--set stationz.0.x=1", "--param ...".
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(MMC2, set={"stationz.0.x": 1})
    assert raised.value.problems[0][1].startswith("set stationz.0.x=1: no such value")
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.run(MMC2, seed=-1)
    assert raised.value.problems == [("/seed", "must be an integer >= 0; seed=-1 set it")]
    with pytest.raises(h2sim.ScenarioError) as raised:
        h2sim.size(MMC2, "stations.0.q", (1, 3), "totals.wait_min.p95<=5")
    assert raised.value.problems[0][1].endswith("; param stations.0.q=1 added it")
    assert h2sim.warnings(MMC2, set={"stations.*.supply.lead_time_h*": 2}) == [
        ("/stations/0/supply", "set stations.*.supply.lead_time_h*=2 changed nothing: no item it "
         "selects has this key (misspelt, or of a model the scenario does not use)")]


def test_scenario_warnings_and_precisions_not_reached_are_pythons_warnings():
    # The command line logged them on stderr; a Python user saw them only by reading "warnings".
    scenario = far_north_scenario()
    with pytest.warns(h2sim.ScenarioWarning, match="^/stations/0/lat: 1112 km north") as told:
        h2sim.sweep(scenario, {"stations.0.dispensers": [2, 3]}, replications=2, jobs=1)
    assert len(told) == 1  # each point has it: told once
    with pytest.warns(h2sim.ScenarioWarning, match="^/stations/0/lat: ") as told:
        h2sim.size(scenario, "stations.0.dispensers", "1:4", "totals.wait_min.p95<=60",
                   replications=2, jobs=1)
    assert len(told) == 1
    with pytest.warns(h2sim.RunWarning) as told:
        result = h2sim.run(MMC2, set={"horizon_days": 1}, until={"totals.wait_min.mean": 0.01},
                           max_replications=11, jobs=1)
    assert result["precision"]["totals.wait_min.mean"]["reached"] is False
    said = [w["message"] for w in result["warnings"] if w["pointer"] == "/ci95/totals.wait_min.mean"
            and "relative half-width" in w["message"]]
    assert [str(warning.message) for warning in told] == ["until " + said[0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a scenario without warnings, a run that went well
        h2sim.run(MMC2, set={"horizon_days": 1}, replications=2, jobs=1)


def test_a_scenario_warning_made_an_error_stops_the_call_before_it_runs(monkeypatch):
    # Told once the run was over, it threw the run away; the command line warns before it runs.
    # Every replication would fail (RunError, which used to come first): none may start.
    monkeypatch.setenv("H2SIM_TEST_FAIL_REPLICATION", "0:0,0:1,1:0,1:1")
    for call in (lambda s: h2sim.run(s, replications=2, jobs=1),
                 lambda s: h2sim.sweep(s, {"stations.0.dispensers": [2, 3]}, replications=2,
                                       jobs=1),
                 lambda s: h2sim.size(s, "stations.0.dispensers", "1:4",
                                      "totals.wait_min.p95<=60", replications=2, jobs=1)):
        with warnings.catch_warnings():
            warnings.simplefilter("error", h2sim.ScenarioWarning)
            with pytest.raises(h2sim.ScenarioWarning, match="^/stations/0/lat: "):
                call(far_north_scenario())


def test_a_sweep_point_whose_every_replication_failed_is_a_run_warning(monkeypatch):
    monkeypatch.setenv("H2SIM_TEST_FAIL_REPLICATION", "1:0,1:1")
    with pytest.warns(h2sim.RunWarning) as told:
        h2sim.sweep(MMC2, {"stations.0.dispensers": [2, 3]}, set={"horizon_days": 1},
                    replications=2, jobs=1)
    assert [str(warning.message) for warning in told] == [
        "point 1 (stations.0.dispensers=3): every replication failed: replication 0 failed: "
        "injected failure; replication 1 failed: injected failure"]
