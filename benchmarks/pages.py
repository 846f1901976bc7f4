"""How fast the web page's pages load: the server's answer and the whole page in Chromium.

Starts ``maalgraph serve`` (the bundled corpus, or ``--store PATH``) on a free 127.0.0.1 port.
For every page it measures the median time of the server's answer (HTTP, keep-alive) and the
median time until the page has loaded in a real headless Chromium (Navigation Timing: from the
request to the load event, the stylesheet and the network picture included). Target: under
300 ms on the bundled corpus. Writes a table to docs/web.md (--no-docs: print only).

Run: .venv/bin/python benchmarks/pages.py [--store PATH] [--repeat 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import platform
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import chromium  # noqa: E402
from servers import maalgraph_server  # noqa: E402

TARGET_MS = 300
PAGES = {
    "Spørg (tom)": "/",
    "Spørg: Hvilke mål afhænger af Blå Kors?": "/?q="
    + urllib.parse.quote("Hvilke mål afhænger af Blå Kors?"),
    "Spørg: Hvad sker der hvis Jobcentret lukker?": "/?q="
    + urllib.parse.quote("Hvad sker der hvis Jobcentret lukker?"),
    "Spørg: ikke forstået": "/?q=" + urllib.parse.quote("Hvad bliver vejret i morgen?"),
    "Overblik": "/overblik",
    "Samarbejdspartner (Jobcentret)": "/id/kommune/herning-kommune/unit/jobcentret",
    "Mål 4.2": "/id/report/maalopfoelgning-2020/goal/4.2",
    "Fokusområde 3": "/id/report/maalopfoelgning-2020/fa/3",
    "Netværk (side)": "/netvaerk",
    "Netværk (billede, SVG)": "/netvaerk.svg",
    "SPARQL (eksempel kørt)": "/sparql-editor?"
    + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 50"}),
}


def server_times(url: str, paths: dict[str, str], repeat: int) -> dict[str, list[float]]:
    host = url.removeprefix("http://")
    connection = http.client.HTTPConnection(host, timeout=60)
    out: dict[str, list[float]] = {}
    for name, path in paths.items():
        times = []
        for _ in range(repeat + 1):
            start = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - start) * 1000)
            assert response.status == 200, (path, response.status)
        out[name] = times[1:]  # the first one warms the caches (a network picture is drawn once)
    connection.close()
    return out


def browser_times(url: str, paths: dict[str, str], repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    with chromium() as browser:
        page = browser.new_page()
        for name, path in paths.items():
            times = []
            for _ in range(repeat + 1):
                page.goto(url + path, wait_until="load")
                times.append(
                    page.evaluate(
                        "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime; }"
                    )
                )
            out[name] = times[1:]
        page.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", help="a persistent store to serve instead of the bundled corpus")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    options = ["--store", args.store] if args.store else []
    with (
        tempfile.TemporaryDirectory() as tmp,
        maalgraph_server(Path(tmp), "--workers", "2", options=options) as server,
    ):
        served = server_times(server.url, PAGES, args.repeat)
        loaded = browser_times(
            server.url, {k: v for k, v in PAGES.items() if not v.endswith(".svg")}, args.repeat
        )
    corpus = f"store {args.store}" if args.store else "the bundled corpus"
    lines = [f"_{dt.date.today()}, {platform.machine()}, Python {platform.python_version()}, {corpus}, "
             f"median of {args.repeat} after one warm-up._", "",
             "| page | server answer ms (median / max) | loaded in Chromium ms (median / max) | under 300 ms |",
             "|---|---:|---:|:---:|"]  # fmt: skip
    worst = 0.0
    for name in PAGES:
        s = served[name]
        b = loaded.get(name)
        slowest = max(statistics.median(s), statistics.median(b) if b else 0)
        worst = max(worst, slowest)
        browser_cell = f"{statistics.median(b):.0f} / {max(b):.0f}" if b else "(part of Netværk)"
        lines.append(
            f"| {name} | {statistics.median(s):.1f} / {max(s):.1f} | {browser_cell} | {'ja' if slowest < TARGET_MS else 'nej'} |"
        )
    lines += ["", f"Slowest page (median): {worst:.0f} ms; target {TARGET_MS} ms."]
    table = "\n".join(lines)
    print(table)
    if not args.no_docs and not args.store:
        path = ROOT / "docs" / "web.md"
        text = path.read_text(encoding="utf-8")
        text = re.sub(
            r"<!-- pages -->.*?<!-- /pages -->",
            lambda _: f"<!-- pages -->\n{table}\n<!-- /pages -->",
            text,
            flags=re.S,
        )
        path.write_text(text, encoding="utf-8")
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
