"""Screenshots of every page of the web interface, for docs/web.md (run: make screenshots).

Starts ``maalgraph serve`` on the bundled corpus on a free 127.0.0.1 port and photographs each
page in a real headless Chromium at 1280 px, the ask page also at 390 px (a phone)."""

from __future__ import annotations

import sys
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import chromium  # noqa: E402
from servers import maalgraph_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# the editor's own first query (Danish comments and names), run: names shown instead of IRIs
GOALS_QUERY = (Path(__file__).resolve().parents[1] / "maalgraph/web/example.rq").read_text(
    encoding="utf-8"
)
PAGES = {  # file name: (path, width)
    "spoerg": ("/?q=" + urllib.parse.quote("Hvilke mål afhænger af Blå Kors?"), 1280),
    "spoerg-konsekvens": (
        "/?q=" + urllib.parse.quote("Hvad sker der hvis Jobcentret lukker?"),
        1280,
    ),
    "spoerg-ikke-forstaaet": ("/?q=" + urllib.parse.quote("Hvad bliver vejret i morgen?"), 1280),
    "spoerg-mobil": ("/?q=" + urllib.parse.quote("Hvilke mål afhænger af Blå Kors?"), 390),
    "overblik": ("/overblik", 1280),
    "partner": ("/id/kommune/herning-kommune/unit/jobcentret", 1280),
    "maal": ("/id/report/maalopfoelgning-2020/goal/4.2", 1280),
    "fokusomraade": ("/id/report/maalopfoelgning-2020/fa/3", 1280),
    "netvaerk": ("/netvaerk", 1280),
    "sparql": ("/sparql-editor?" + urllib.parse.urlencode({"query": GOALS_QUERY}), 1280),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        maalgraph_server(Path(tmp), "--workers", "1") as server,
        chromium() as browser,
    ):
        for name, (path, width) in PAGES.items():
            context = browser.new_context(
                viewport={"width": width, "height": 800}, device_scale_factor=1
            )
            page = context.new_page()
            page.goto(server.url + path)
            if name == "spoerg":
                page.locator(
                    "ul.sources summary"
                ).first.click()  # a source opened, as a reader would
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
            context.close()
            print(f"wrote docs/screenshots/{name}.png")


if __name__ == "__main__":
    main()
