"""Questions about measured outcomes: the values of an indicator (ranked by how well indicator
and sentence fit the question), its development over the years, and lists of measurements."""

from __future__ import annotations

from ...analysis.trends import measurement_trends
from ...nlp import stem
from ...numbers import percent, signed
from ..phrasing import number
from ..readings import Reading
from ..tokens import content_words
from .base import Context, Result, Row, dedupe, handler, listing, plural, scope_text, scopes

MEASURE_COLUMNS = ["value", "unit", "period", "areaLabel", "indicator", "context", "id", "municipalityLabel"]  # fmt: skip


def _stems(text: str) -> set[str]:
    return {stem(w) for w, _ in content_words(text)}


def fit(row: Row, asked_stems: set[str]) -> float:
    """How many of the question's topic stems the indicator and its sentence hold (a stem also
    counts as the start of a compound there)."""
    words = _stems(f"{row.get('indicator', '')} {row.get('context', '')}")
    score = 0.0
    for s in asked_stems:
        if s in words:
            score += 1.0
        elif len(s) >= 5 and any(w.startswith(s[:5]) for w in words):
            score += 0.5
    return score


def values(reading: Reading, ctx: Context, *, by_year: bool = True) -> list[Row]:
    """The measurements of the indicators the topic names, in scope, best fitting first."""
    regions = [r for r in reading.regions if r.iri]
    rows: list[Row] = []
    best = [h for h in reading.hits if h.score >= 0.5 * reading.hits[0].score]
    # the best-named indicators first (the values' sentences then decide between them); the
    # others when those have no values here
    for hits in (best, [h for h in reading.hits if h not in best]):
        for hit in hits[:10]:
            for scope in scopes(reading):
                if not by_year:
                    scope = {**scope, "year": None}
                for area in [r.iri for r in regions] or [None]:
                    rows += ctx.run("indicator_values", indicator=hit.text, area=area, **scope)
        if rows:
            break
    rows = dedupe(rows, "observation")
    if reading.links:
        # "Hvor mange besøgsvenner har Ven i Vejle fået?": the goals the named thing works for
        goals = {
            str(r["goal"])
            for lk in reading.links
            for r in ctx.run("goals_depending_on", entity=lk.entity.iri)
        }
        rows = [r for r in rows if str(r["goal"]) in goals] or rows
    topic = reading.mentions.topic
    if rows and topic is not None:
        asked_stems = {reading.mentions.tokens[i].stem for i in topic.tokens}
        most = max(fit(r, asked_stems) for r in rows)
        rows = [r for r in rows if fit(r, asked_stems) >= most]
    return sorted(
        rows,
        key=lambda r: (
            str(r.get("municipalityLabel")),
            str(r.get("period")),
            str(r.get("areaLabel")),
            str(r.get("observation")),
        ),
    )


def describe(row: Row) -> str:
    return f"{number(row['value'], row.get('valueText'))} {row['unit']} ({row['period']}, {row['areaLabel']}: {row['indicator']})"


def topic_text(reading: Reading) -> str:
    topic = reading.mentions.topic
    return topic.text if topic else ""


ROLES = {"TARGET": "target", "BASELINE": "baseline", "ACTUAL": "actual"}


def by_role(reading: Reading, rows: list[Row]) -> tuple[list[Row], str]:
    """The values of the role asked for ("målværdien", "baseline", "faktisk"), when the graph
    marks measurements with one; else all of them, and a note saying so."""
    wanted = {role for cue, role in ROLES.items() if reading.has(cue)}
    if not wanted:
        return rows, ""
    if not any(r.get("role") for r in rows):
        return (
            rows,
            " (Grafen skelner ikke mellem mål-, baseline- og resultatværdier for disse målinger.)",
        )
    return [r for r in rows if r.get("role") in wanted], ""


@handler("measurement")
def measurement(reading: Reading, ctx: Context) -> Result:
    if any(not r.iri for r in reading.regions):
        missing = listing([r.label for r in reading.regions if not r.iri])
        return Result([], f"Der er ingen målinger for {missing} i grafen.")
    rows, note = by_role(reading, values(reading, ctx))
    if not rows:
        other = values(reading, ctx, by_year=False) if reading.years else []
        hint = (
            " Der er målinger fra " + listing(sorted({str(r["period"]) for r in other})) + "."
            if other
            else ""
        )
        return Result(
            [], f"Der er ingen målinger af «{topic_text(reading)}»{scope_text(reading)}.{hint}"
        )
    return Result(
        rows, "Målt: " + "; ".join(describe(r) for r in rows[:8]) + "." + note, MEASURE_COLUMNS
    )


@handler("series")
def series(reading: Reading, ctx: Context) -> Result:
    rows = values(reading, ctx, by_year=False)
    if reading.years:
        rows = [
            r for r in rows if int(r["year"]) in range(min(reading.years), max(reading.years) + 1)
        ]
    if not rows:
        return Result([], f"Der er ingen målinger af «{topic_text(reading)}»{scope_text(reading)}.")
    trends = measurement_trends(rows)
    if not trends:
        return Result(
            rows,
            f"Der er kun én måling af «{topic_text(reading)}»{scope_text(reading, rows)}, så ingen udvikling at vise: "
            + "; ".join(describe(r) for r in rows[:4])
            + ".",
            MEASURE_COLUMNS,
        )
    parts = []
    for trend in trends[:5]:
        points = " → ".join(f"{number(p.value, p.text)} ({p.period})" for p in trend.points)
        relative = (
            "; " + percent(trend.relative, 1, sign=True) if trend.relative is not None else ""
        )
        parts.append(
            f"{trend.indicator} ({trend.unit}, {trend.area}): {points}, {trend.direction} "
            f"({signed(trend.change)}{relative})"
        )
    used = {p.source for t in trends[:5] for p in t.points}
    shown = [r for r in rows if r.get("source") in used] or rows
    return Result(shown, "Udviklingen: " + "; ".join(parts) + ".", MEASURE_COLUMNS)


@handler("list_measurements")
def list_measurements(reading: Reading, ctx: Context) -> Result:
    rows: list[Row] = []
    for scope in scopes(reading):
        rows += ctx.run("measurements", **scope)
    regions = {r.label for r in reading.regions}
    if regions:
        rows = [r for r in rows if r.get("areaLabel") in regions]
    rows = dedupe(rows, "observation")
    where = scope_text(reading)
    if not rows:
        return Result([], f"Der er ingen målinger{where}.")
    indicators = sorted({str(r["indicator"]) for r in rows})
    shown = listing(indicators[:6]) + (" m.fl." if len(indicators) > 6 else "")
    return Result(
        rows, f"{plural(len(rows), 'måling', 'målinger')}{where}: {shown}.", MEASURE_COLUMNS
    )
