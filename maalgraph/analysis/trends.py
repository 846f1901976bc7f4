"""Year over year: goals whose verdict changed, and measured outcomes as series with a trend.

Follow-ups repeat most goals year after year, often with the year in the text ("… skal i 2021
have færre …"). The same goal in two years is found by its text with years masked, in the
same municipality; a measurement series is one indicator in one area and unit, by period.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..matching import normalise, pair_by_text

SAME_GOAL = 0.9  # texts this alike (years masked) are one goal carried over to the next year
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

Row = Mapping[str, Any]


@dataclass(frozen=True)
class VerdictChange:
    municipality: str
    text: str  # the later year's wording
    earlier_year: int
    earlier_verdict: str
    earlier_goal: str
    later_year: int
    later_verdict: str
    later_goal: str


@dataclass(frozen=True)
class Point:
    period: str
    value: Decimal
    source: str
    text: str = ""  # the value as the document wrote it ("10,0")


@dataclass(frozen=True)
class Trend:
    area: str
    indicator: str
    unit: str
    points: tuple[Point, ...]  # by period

    @property
    def change(self) -> Decimal:
        return self.points[-1].value - self.points[0].value

    @property
    def direction(self) -> str:
        """In Danish, as the user reads it: stigende, faldende or uændret."""
        return "stigende" if self.change > 0 else "faldende" if self.change < 0 else "uændret"

    @property
    def relative(self) -> float | None:
        """The change as a share of the first value (None when that is 0)."""
        first = self.points[0].value
        return float(self.change / first) if first else None


def verdict_changes(goals: Iterable[Row]) -> list[VerdictChange]:
    """Goals (rows of the ``goals`` named query) whose verdict differs from the same goal's
    verdict in the municipality's previous year."""
    by_year: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for row in goals:
        masked = _YEAR.sub("ÅÅÅÅ", normalise(str(row["text"])))
        by_year[(str(row["municipalityLabel"]), int(str(row["year"])))].append(
            {**row, "masked": masked}
        )
    changes = []
    for (municipality, year), rows in sorted(by_year.items()):
        earlier_years = sorted(y for m, y in by_year if m == municipality and y < year)
        if not earlier_years:
            continue
        earlier = sorted(by_year[(municipality, earlier_years[-1])], key=lambda r: str(r["goal"]))
        for later_row, earlier_row in pair_by_text(
            sorted(rows, key=lambda r: str(r["goal"])), earlier, SAME_GOAL, key="masked"
        ):
            if later_row["verdictLabel"] != earlier_row["verdictLabel"]:
                changes.append(VerdictChange(
                    municipality, str(later_row["text"]),
                    earlier_years[-1], str(earlier_row["verdictLabel"]), str(earlier_row["goal"]),
                    year, str(later_row["verdictLabel"]), str(later_row["goal"]),
                ))  # fmt: skip
    return changes


def measurement_trends(measurements: Iterable[Row]) -> list[Trend]:
    """Series of two or more periods (rows of the ``measurements`` named query). One
    indicator is often worded differently from year to year ("borgere startede som
    voksenlærling", "borgere som voksenlærling"): in one area and unit, wordings at least
    SAME_INDICATOR alike whose periods do not overlap are one series. A period reported by
    several documents keeps its first row by paragraph IRI."""
    series: dict[tuple[str, str, str], dict[str, Point]] = defaultdict(dict)
    wording: dict[tuple[str, str, str], str] = {}
    for row in sorted(measurements, key=lambda r: str(r["source"])):
        key = (str(row["areaLabel"]), str(row["unit"]), normalise(str(row["indicator"])))
        period = str(row["period"])
        series[key].setdefault(
            period,
            Point(
                period,
                Decimal(str(row["value"])),
                str(row["source"]),
                str(row.get("valueText") or ""),
            ),
        )
        wording.setdefault(key, str(row["indicator"]))
    trends = []
    for group in _merge_wordings(series):
        points: dict[str, Point] = {}
        for key in group:
            points.update(series[key])
        if len(points) >= 2:
            area, unit, _ = group[0]
            ordered = tuple(sorted(points.values(), key=lambda p: _period_key(p.period)))
            latest = max(group, key=lambda k: max(_period_key(p) for p in series[k]))
            trends.append(Trend(area, wording[latest], unit, ordered))
    return sorted(trends, key=lambda t: (t.area, t.indicator, t.unit))


SAME_INDICATOR = 0.8


def _merge_wordings(
    series: Mapping[tuple[str, str, str], Mapping[str, Point]],
) -> list[list[tuple[str, str, str]]]:
    """Series keys grouped: same area and unit, wordings alike, periods disjoint."""
    groups: list[list[tuple[str, str, str]]] = []
    for key in sorted(series):
        for group in groups:
            area, unit, _ = group[0]
            periods = {p for k in group for p in series[k]}
            if (
                (area, unit) == key[:2]
                and not periods & set(series[key])
                and any(
                    difflib.SequenceMatcher(None, k[2], key[2]).ratio() >= SAME_INDICATOR
                    for k in group
                )
            ):
                group.append(key)
                break
        else:
            groups.append([key])
    return groups


def _period_key(period: str) -> tuple[int, str]:
    year = _YEAR.search(period)
    return (int(year.group()) if year else 0, period)
