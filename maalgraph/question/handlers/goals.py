"""Questions about goals and focus areas: lists and counts by verdict and scope, the status of a
goal or focus area (also as yes/no), why a goal got its verdict, verdict changes between years,
goals without partners or projects."""

from __future__ import annotations

from collections import Counter

from ...analysis.trends import verdict_changes as find_changes
from ..phrasing import number
from ..readings import Reading, top
from .base import (
    CLASS_DA,
    MAX_ITEMS,
    VERDICT_CONCEPT,
    VERDICT_DA,
    Context,
    Result,
    Row,
    asked,
    dedupe,
    goal_order,
    goal_phrase,
    handler,
    in_scope,
    listing,
    plural,
    scope_text,
    scopes,
    short,
    verdict_text,
)

STATUS_COLUMNS = ["id", "text", "verdictLabel", "verdictPhrase", "focusAreaTitle", "municipalityLabel", "year"]  # fmt: skip
LIST_COLUMNS = ["id", "text", "verdictLabel", "focusAreaTitle", "municipalityLabel", "year"]


def verdict_iri(reading: Reading) -> str | None:
    return VERDICT_CONCEPT.get(reading.verdict or "")


def unknown_verdict(reading: Reading) -> bool:
    """A verdict the graph has no concept for (yet): nothing can have it."""
    return reading.verdict is not None and reading.verdict not in VERDICT_CONCEPT


def grouped(rows: list[Row]) -> list[tuple[str, int]]:
    """'Herning Kommune (2020)' → how many rows, in order."""
    counts = Counter(f"{r.get('municipalityLabel', '?')} ({r.get('year', '?')})" for r in rows)
    return sorted(counts.items())


def by_group_text(rows: list[Row]) -> str:
    """': 8 i Herning Kommune (2020) og 2 i Vejle Kommune (2021)', or '' for one group."""
    groups = grouped(rows)
    if len(groups) <= 1:
        return ""
    return ": " + listing([f"{n} i {g}" for g, n in groups])


def topic_goals(reading: Reading, ctx: Context, verdict: str | None = None) -> list[Row]:
    """The goals the topic names, in the scope asked (and with the verdict, if given)."""
    rows: list[Row] = []
    for hit in top(reading.hits)[:MAX_ITEMS]:
        for scope in scopes(reading):
            if reading.topic_kind == "goal":
                rows += ctx.run("goals_by_text", text=hit.text, verdict=verdict, **scope)
            elif reading.topic_kind == "focus_area":
                rows += ctx.run("goals_by_text", focusAreaTitle=hit.text, verdict=verdict, **scope)
            else:
                for obs in ctx.run("indicator_values", indicator=hit.text, **scope):
                    rows += [
                        r
                        for r in ctx.run("goals_by_text", text=goal_text(ctx, obs["goal"]), **scope)
                        if r["goal"] == obs["goal"] and (verdict is None or r["verdict"] == verdict)
                    ]
    return dedupe(sorted(rows, key=goal_order), "goal")


def goal_text(ctx: Context, goal: str) -> str:
    found = ctx.run("goal_status", goal=goal)
    return str(found[0]["text"]) if found else ""


def with_status(rows: list[Row], ctx: Context, limit: int = MAX_ITEMS) -> list[Row]:
    """The first ``limit`` goals with their verdict sentence, assessment and source paragraph."""
    out = []
    for i, row in enumerate(rows):
        if i < limit:
            found = ctx.run("goal_status", goal=row["goal"])
            if found:
                row = {
                    **row,
                    **{
                        k: v
                        for k, v in found[0].items()
                        if k not in row or k in ("source", "sourceSection")
                    },
                }
        out.append(row)
    return out


def topic_words(reading: Reading) -> str:
    topic = reading.mentions.topic
    return topic.text if topic else ""


def topic_phrase(reading: Reading) -> str:
    """' i fokusområdet «Unge under 25 …»' or ' om «fleksjob»'."""
    if reading.topic_kind == "focus_area" and reading.hits:
        return f" i fokusområdet «{short(reading.hits[0].text, 70)}»"
    return f" om «{topic_words(reading)}»" if reading.topic_kind else ""


@handler("list_goals")
def list_goals(reading: Reading, ctx: Context) -> Result:
    verdict = verdict_iri(reading)
    if unknown_verdict(reading):
        return Result([], f"Grafen har ingen mål med status «{verdict_text(reading)}».")
    if reading.topic_kind:
        rows = with_status(topic_goals(reading, ctx, verdict), ctx)
    else:
        rows = []
        for scope in scopes(reading):
            rows += ctx.run("goals", verdict=verdict, **scope)
        rows = dedupe(sorted(rows, key=goal_order), "goal")
    where = scope_text(reading, rows) + topic_phrase(reading)
    said = verdict_text(reading)
    if not rows:
        what = f" er vurderet «{said}»" if said else ""
        return Result([], f"Ingen mål{where}{what}.")
    head = f"{plural(len(rows), 'mål', 'mål')}{where}"
    text = f"{head} er {said}" if said else head
    return Result(rows, text + by_group_text(rows) + ".", LIST_COLUMNS)


@handler("count_goals")
def count_goals(reading: Reading, ctx: Context) -> Result:
    """The number, and the counted goals as rows (the sources of the count). Without a topic
    the number is the store's own count (``goal_count``): a goal the listing cannot show, for
    want of a text or an identifier, still counts."""
    found = list_goals(reading, ctx)
    rows = found.rows
    n = len(rows)
    if not reading.topic_kind and not unknown_verdict(reading):
        n = sum(
            int(r["count"])
            for s in scopes(reading)
            for r in ctx.run("goal_count", verdict=verdict_iri(reading), **s)
        )
    said = verdict_text(reading)
    where = scope_text(reading, rows) + topic_phrase(reading)
    verb = f" er {said}" if said else ""
    if len(grouped(rows)) > 1:
        text = f"{plural(n, 'mål', 'mål')}{verb}{where} i alt{by_group_text(rows)}."
    elif verb:
        text = f"{plural(n, 'mål', 'mål')}{verb}{where}."
    else:
        text = f"Der er {n} mål{where}."
    return Result(rows, text, LIST_COLUMNS)


@handler("list_focus_areas")
def list_focus_areas(reading: Reading, ctx: Context) -> Result:
    rows = focus_area_rows(reading, ctx)
    said = verdict_text(reading)
    where = scope_text(reading, rows)
    if not rows:
        return Result(
            [],
            f"Ingen fokusområder{where} har mål, der er {said}."
            if said
            else f"Ingen fokusområder{where}.",
        )
    n = plural(len(rows), "fokusområde", "fokusområder")
    text = f"{n}{where} har mål, der er {said}" if said else f"{n}{where}"
    return Result(rows, text + by_group_text(rows) + ".")


def focus_area_rows(reading: Reading, ctx: Context) -> list[Row]:
    verdict = verdict_iri(reading)
    if unknown_verdict(reading):
        return []
    rows: list[Row] = []
    if verdict:
        years: list[int | None] = [*reading.years] or [None]
        for year in years:
            rows += ctx.run("focus_areas_by_verdict", verdict=verdict, year=year)
        rows = in_scope(rows, reading)
    else:
        for scope in scopes(reading):
            rows += ctx.run("focus_areas", **scope)
    return dedupe(rows, "focusArea")


@handler("count_focus_areas")
def count_focus_areas(reading: Reading, ctx: Context) -> Result:
    rows = focus_area_rows(reading, ctx)
    said = verdict_text(reading)
    where = scope_text(reading, rows)
    n = plural(len(rows), "fokusområde", "fokusområder")
    text = f"{n}{where} har mål, der er {said}" if said else f"Der er {n}{where}"
    return Result(rows, text + by_group_text(rows) + ".")


@handler("goal_status")
def goal_status(reading: Reading, ctx: Context) -> Result:
    rows = with_status(topic_goals(reading, ctx), ctx, limit=10)
    if not rows:
        return Result([], f"Jeg fandt intet mål om «{topic_words(reading)}»{scope_text(reading)}.")
    said = verdict_text(reading)
    yes_no = reading.has("YESNO") and said
    parts = []
    for r in rows[:5]:
        status = r.get("verdictLabel") or "ikke vurderet"
        line = f"{goal_phrase(r)} er {status}"
        if yes_no:
            line = ("Ja, " if status == said else "Nej, ") + line[0].lower() + line[1:]
        parts.append(f"{line}: «{short(r.get('text', ''), 110)}»")
    more = f" (og {len(rows) - 5} mål mere)" if len(rows) > 5 else ""
    head = "" if len(rows) == 1 else f"{len(rows)} mål handler om «{topic_words(reading)}». "
    return Result(rows, head + "; ".join(parts) + more + ".", STATUS_COLUMNS)


@handler("focus_area_status")
def focus_area_status(reading: Reading, ctx: Context) -> Result:
    rows = with_status(topic_goals(reading, ctx), ctx)
    if not rows:
        return Result(
            [], f"Jeg fandt intet fokusområde om «{topic_words(reading)}»{scope_text(reading)}."
        )
    parts = []
    for area, goals in _by(rows, "focusAreaTitle").items():
        counts = Counter(str(g.get("verdictLabel", "ikke vurderet")) for g in goals)
        summary = listing([f"{n} {v}" for v, n in counts.most_common()])
        parts.append(
            f"Fokusområdet «{short(area, 80)}»{scope_text(reading, goals)} har {plural(len(goals), 'mål', 'mål')}: {summary}"
        )
    return Result(rows, "; ".join(parts) + ".", LIST_COLUMNS)


def _by(rows: list[Row], key: str) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in rows:
        out.setdefault(str(r.get(key)), []).append(r)
    return out


@handler("why")
def why(reading: Reading, ctx: Context) -> Result:
    rows = with_status(topic_goals(reading, ctx), ctx, limit=10)
    said = verdict_text(reading)
    if not rows:
        return Result([], f"Jeg fandt intet mål om «{topic_words(reading)}»{scope_text(reading)}.")
    if said:
        # "hvorfor … kun delvist opfyldt": the goals meant have that verdict; none here, then
        # another reading of the topic (its focus area) may find them
        rows = [r for r in rows if r.get("verdictLabel") == said]
        if not rows:
            return Result(
                [],
                f"Ingen af målene om «{topic_words(reading)}»{scope_text(reading)} er vurderet «{said}».",
            )
    sources: list[str] = []
    parts = []
    for r in rows[:3]:
        measured = ctx.run("measurements", goal=r["goal"])
        r["measured"] = "; ".join(
            f"{number(m['value'], m.get('valueText'))} {m['unit']} ({m['period']}, {m['indicator']})"
            for m in measured[:6]
        )
        for p in ctx.run("goal_paragraphs", goal=r["goal"]):
            if p.get("role") == "vurdering" and p["paragraph"] not in sources:
                sources.append(str(p["paragraph"]))
        reason = r.get("verdictPhrase") or "Opfølgningen siger ikke, hvorfor."
        line = f"{goal_phrase(r)} er {r.get('verdictLabel', 'ikke vurderet')}. Begrundelsen: «{short(reason, 240)}»"
        if r["measured"]:
            line += f" Målt: {r['measured']}."
        parts.append(line)
    columns = [
        "id",
        "text",
        "verdictLabel",
        "verdictPhrase",
        "measured",
        "municipalityLabel",
        "year",
    ]
    return Result(rows[:3], " ".join(parts), columns, sources)


@handler("verdict_changes")
def verdict_changes(reading: Reading, ctx: Context) -> Result:
    goals: list[Row] = []
    for iri in [m.iri for m in asked(reading)] or [None]:
        goals += ctx.run("goals", municipality=iri)
    changes = find_changes(goals)
    if reading.years:
        changes = [
            c for c in changes if c.later_year in reading.years or c.earlier_year in reading.years
        ]
    said = [VERDICT_DA[v] for v in reading.verdicts if v in VERDICT_DA]
    if len(said) >= 2:
        changes = [
            c for c in changes if (c.earlier_verdict, c.later_verdict) == (said[0], said[-1])
        ]
    elif said:
        changes = [c for c in changes if c.later_verdict == said[0]]
    ids = {str(g["goal"]): g for g in goals}
    rows = []
    for c in changes:
        later = ids.get(c.later_goal, {})
        rows.append({"goal": c.later_goal, "id": later.get("id"), "text": c.text, "municipalityLabel": c.municipality,
                     "before": f"{c.earlier_verdict} ({c.earlier_year})", "after": f"{c.later_verdict} ({c.later_year})",
                     "year": c.later_year, "source": later.get("source"), "sourceSection": later.get("sourceSection")})  # fmt: skip
    where = scope_text(reading)
    if not rows:
        years = {y for g in goals for y in [g.get("year")] if y is not None}
        hint = (
            ""
            if len(years) > 1
            else " (grafen har kun ét år" + (f": {min(years)}" if years else "") + ")"
        )
        return Result([], f"Ingen mål har skiftet vurdering{where}{hint}.")
    moves = Counter(f"fra {c.earlier_verdict} til {c.later_verdict}" for c in changes)
    text = (
        f"{plural(len(rows), 'mål', 'mål')} har skiftet vurdering{where}: "
        + listing([f"{n} {m}" for m, n in moves.most_common()])
        + "."
    )
    return Result(rows, text, ["id", "text", "municipalityLabel", "before", "after"])


KIND_COLUMNS = {"PARTNER": ("partners", "units"), "PROJECT": ("projects",), "UNIT": ("units",)}


@handler("goals_without")
def goals_without(reading: Reading, ctx: Context) -> Result:
    """Goals that name none of the kinds asked (a partner in the broad sense is an outside
    partner or an internal unit), or nothing at all."""
    columns = [c for cls in reading.classes for c in KIND_COLUMNS[cls]] or [
        "partners",
        "units",
        "projects",
    ]
    rows = [
        r
        for scope in scopes(reading)
        for r in ctx.run("goal_dependency_kinds", **scope)
        if all(int(r[c]) == 0 for c in columns)
    ]
    rows = dedupe(sorted(rows, key=goal_order), "goal")
    if reading.verdict:
        rows = [r for r in rows if r.get("verdictLabel") == verdict_text(reading)]
    rows = with_status(rows, ctx)
    what = (
        listing([CLASS_DA[c] for c in reading.classes], "eller")
        or "samarbejdspartnere, enheder eller projekter"
    )
    where = scope_text(reading, rows)
    if not rows:
        return Result([], f"Alle mål{where} nævner {what}.")
    return Result(
        rows,
        f"{plural(len(rows), 'mål', 'mål')}{where} nævner ingen {what}{by_group_text(rows)}.",
        LIST_COLUMNS,
    )
