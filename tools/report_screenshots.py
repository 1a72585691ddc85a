#!/usr/bin/env python3
"""Screenshots of an `h2sim report` page for review: one PNG of the top of the page and one per
section, taken by headless Chromium with networking pointed nowhere.

    tools/report_screenshots.py report.html [OUT_DIR] [--width 1200] [--height 1800]

Each section is shot alone: a copy of the page with a style that hides the other sections (the
page itself is not changed). Needs Debian's chromium.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report")
    parser.add_argument("out_dir", nargs="?", default="report-screenshots")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=1800)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("chromium is not installed (apt-get install chromium)")
    page = open(args.report, encoding="utf-8").read()
    match = re.search(r'<script type="application/json" id="h2sim-data">(.*?)</script>', page, re.S)
    if not match:
        sys.exit(f"{args.report}: not an h2sim report")
    sections = [s["id"] for s in json.loads(match.group(1))["sections"]]
    os.makedirs(args.out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        shots = [("00-top", "")]
        for index, section in enumerate(sections, 1):
            hide = ("section.inputs, nav, header, .report-section:not(#section-%s) "
                    "{ display: none !important; }" % section)
            shots.append((f"{index:02d}-{section}", hide))
        for name, style in shots:
            copy = os.path.join(work, name + ".html")
            with open(copy, "w", encoding="utf-8") as f:
                f.write(page.replace("</head>", f"<style>{style}</style>\n</head>", 1))
            png = os.path.abspath(os.path.join(args.out_dir, name + ".png"))
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--proxy-server=127.0.0.1:9", "--disable-background-networking",
                            f"--user-data-dir={os.path.join(work, 'profile')}",
                            "--hide-scrollbars", f"--window-size={args.width},{args.height}",
                            "--virtual-time-budget=5000", f"--screenshot={png}",
                            "file://" + copy],
                           capture_output=True, timeout=120, check=True)
            print(png)


if __name__ == "__main__":
    main()
