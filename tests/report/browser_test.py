#!/usr/bin/env python3
"""`h2sim report` in a real browser: generates reports (a run of the built-in scenario, a sweep of
open_stations with 2 replications, a size result, a comparison of two runs, what `h2sim compare`
writes, hostile station ids)
and opens each in headless Chromium with networking pointed at a local recorder. The page writes
a self-check into #h2sim-self-check (errors it caught, canvases left blank, map markers, the
comparison table's header; with #self-check in the address, whether the station table sorts by
each numeric column both ways); --dump-dom shows it. Checks: no error, every canvas painted, one
marker per open station, the station table sorts, both inputs in the comparison table, no request
made (none reached the recorder, none in the page's resource timing).

Usage: browser_test.py H2SIM SOURCE_DIR WORK_DIR. Exit 77 (skipped) when no Chromium is installed,
unless CI is set: CI installs chromium (.ci/install-deps), so there it must run.
"""
import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading

SKIP = 77


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


# Chromium's own background traffic (network time, component updates, accounts), which no flag
# fully stops: not the page's. Everything else reaching the recorder is.
BROWSER_SERVICES = re.compile(r"^(?:CONNECT |[A-Z]+ https?://)[^/ ]*\.(?:google\.com|googleapis\.com|"
                              r"gvt1\.com|gstatic\.com)[:/ ]")


class Recorder:
    """A TCP listener standing in for a proxy: a connection to it is a request made."""

    def page_requests(self, since):
        return [r for r in self.requests[since:] if not BROWSER_SERVICES.match(r)]

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.requests.append(conn.recv(200).decode("latin-1").split("\r\n")[0])
            except OSError:
                self.requests.append("(connection)")
            conn.close()


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(cmd)} exited {result.returncode}\n{result.stderr}")
    return result


def open_in_chromium(chromium, page, work, recorder):
    profile = os.path.join(work, "profile")
    shutil.rmtree(profile, ignore_errors=True)
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
           f"--proxy-server=127.0.0.1:{recorder.port}", "--proxy-bypass-list=<-loopback>",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--disable-extensions", "--no-first-run",
           "--disable-domain-reliability", "--disable-client-side-phishing-detection",
           "--no-service-autorun", "--password-store=basic",
           "--disable-features=Translate,OptimizationHints,MediaRouter,NetworkTimeServiceQuerying",
           f"--user-data-dir={profile}", "--window-size=1200,2000",
           "--virtual-time-budget=5000", "--dump-dom",
           "file://" + os.path.abspath(page) + "#self-check"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    match = re.search(r'<pre id="h2sim-self-check"[^>]*>(.*?)</pre>', result.stdout, re.S)
    if not match or not match.group(1).strip():
        sys.exit(f"FAILED: {page}: no self-check in the page (exit {result.returncode})\n"
                 f"{result.stderr[-3000:]}")
    return json.loads(html.unescape(match.group(1))), result.stdout


def check(name, page, chromium, work, recorder, markers=None, compared=(), expect_text=()):
    before = len(recorder.requests)
    got, dom = open_in_chromium(chromium, page, work, recorder)
    problems = []
    if got["errors"]:
        problems.append(f"errors in the page: {got['errors']}")
    if got["sort_ok"] is False:
        problems.append("the station table does not sort by every numeric column both ways")
    if got["canvases"] == 0:
        problems.append("no chart at all")
    if got["blank_canvases"]:
        problems.append(f"blank canvases: {got['blank_canvases']}")
    if got["requests"]:
        problems.append(f"requests in the page's resource timing: {got['requests']}")
    if recorder.page_requests(before):
        problems.append(f"requests reached the network: {recorder.page_requests(before)}")
    if markers is not None and sum(got["map_markers"]) != markers:
        problems.append(f"map markers {got['map_markers']}, expected {markers}")
    for label in compared:
        if not got["comparison_header"] or label not in got["comparison_header"]:
            problems.append(f"the comparison table does not show {label}: "
                            f"{got['comparison_header']}")
    for text in expect_text:
        if text not in dom:
            problems.append(f"the page does not show {text!r} as text")
    if not got["ok"] and not problems:
        problems.append(f"the self-check failed: {got}")
    size = os.path.getsize(page)
    if problems:
        print(f"FAILED {name} ({size} bytes):")
        for problem in problems:
            print("  " + problem)
        return False
    print(f"ok {name}: {got['canvases']} canvases drawn, map markers {got['map_markers']}, "
          f"station table sorted: {got['sort_ok']}, {size} bytes")
    return True


def main():
    h2sim, source, work = sys.argv[1:4]
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI"):
            sys.exit("FAILED: chromium is not installed, and CI must run this test "
                     "(.ci/install-deps installs it)")
        print("SKIPPED: chromium is not installed (apt-get install chromium, or .ci/install-deps)")
        return SKIP
    os.makedirs(work, exist_ok=True)
    today = os.path.join(source, "scenarios", "shanghai-today.json")
    short = ["--set", "horizon_days=1", "--set", "warmup_days=0.25", "-q"]
    out = lambda name: os.path.join(work, name)

    # A run of the built-in 2025 plan: positions come from the built-in scenario; its series in
    # hourly bins, so the network charts and station heat maps have several points; it is priced
    # (economics), so its costs are drawn stacked.
    run([h2sim, "run", *short, "--series", "hourly", "-o", out("plan.json")])
    run([h2sim, "report", out("plan.json"), "-o", out("plan.html")])
    # A sweep of open_stations with 2 replications.
    run([h2sim, "sweep", today, "--vary", "open_stations=4,7,11", "--replications", "2",
         *short, "-o", out("sweep.json")])
    run([h2sim, "report", out("sweep.json"), "--scenario", today, "-o", out("sweep.html")])
    # Two runs side by side, with replications (so confidence intervals to compare).
    run([h2sim, "run", today, "--replications", "2", *short, "-o", out("eleven.json")])
    run([h2sim, "run", today, "--replications", "2", "--set", "open_stations=8", *short,
         "-o", out("eight.json")])
    run([h2sim, "report", out("eleven.json"), out("eight.json"), "--scenario", today,
         "-o", out("compare.html")])
    # What h2sim compare writes: two scenarios with common random numbers, paired differences.
    scenario = json.load(open(today))
    scenario["open_stations"] = 8
    json.dump(scenario, open(out("today-8.json"), "w"))
    run([h2sim, "compare", today, out("today-8.json"), "--replications", "2", *short,
         "-o", out("paired.json")])
    run([h2sim, "report", out("paired.json"), "--scenario", today, "-o", out("paired.html")])
    # A size result: bisection over open_stations.
    run([h2sim, "size", today, "--param", "open_stations", "--range", "4:11", "--target",
         "totals.wait_min.p95<=30", "--replications", "2", *short, "-o", out("size.json")])
    run([h2sim, "report", out("size.json"), "-o", out("size.html")])
    # Hostile station ids: they must show as text and run nothing.
    hostile = json.load(open(out("eleven.json")))
    evil = '</script><script>window.h2simErrors.push("injected")</script><b>&amp;'
    hostile["stations"][0]["id"] = evil
    hostile["scenario"] = '<img src=x onerror="window.h2simErrors.push(1)">'
    json.dump(hostile, open(out("hostile.json"), "w"))
    run([h2sim, "report", out("hostile.json"), "--scenario", today, "-o", out("hostile.html")])

    def stations(name):
        return len(json.load(open(out(name)))["stations"])

    recorder = Recorder()
    # The control: a page that does make a request is caught, so silence means none was made.
    control = out("control.html")
    with open(control, "w") as f:
        f.write('<!DOCTYPE html><pre id="h2sim-self-check">{}</pre>'
                '<img src="http://h2sim-control.invalid/x.png">')
    open_in_chromium(chromium, control, work, recorder)
    if not any("h2sim-control.invalid" in r for r in recorder.page_requests(0)):
        sys.exit(f"FAILED: the recorder did not see the control page's request: "
                 f"{recorder.requests}")
    recorder.requests.clear()
    ok = all([
        check("run", out("plan.html"), chromium, work, recorder, markers=stations("plan.json"),
              expect_text=("Utilization by station and hour",
                           "Network: utilization and queue length by hour of day",
                           "Network cost per year by component",
                           "Cost per year by station and component")),
        # the sweep draws the point it details (the answer, else the last): one of its stations
        check("sweep", out("sweep.html"), chromium, work, recorder),
        check("comparison", out("compare.html"), chromium, work, recorder,
              markers=stations("eleven.json") + stations("eight.json"),
              compared=("eleven.json", "eight.json")),
        check("compare output", out("paired.html"), chromium, work, recorder,
              markers=sum(len(s["metrics"]["stations"])
                          for s in json.load(open(out("paired.json")))["scenarios"]),
              compared=("shanghai-today.json", "today-8.json"),
              expect_text=("Paired comparison (paired.json)", "Cost per year by component")),
        check("size", out("size.html"), chromium, work, recorder, markers=0),
        check("hostile ids", out("hostile.html"), chromium, work, recorder,
              markers=stations("hostile.json") - 1,
              expect_text=(html.escape(evil, quote=False),)),
    ])
    print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
