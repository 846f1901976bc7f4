"""Questions about goals and focus areas: lists and counts by status (verdict, progress, trend)
and scope, the status of a goal or focus area (also as yes/no, with its target, result and
baseline), why a goal got its verdict, verdict changes between years, goals without partners or
projects."""

from __future__ import annotations

from collections import Counter

from ...analysis.trends import VerdictChange
from ...analysis.trends import verdict_changes as find_changes
from ..readings import Reading, top
from ..statuses import STATUSES, Status
from .base import (
    CLASS_DA,
    MAX_ITEMS,
    PAGE,
    Context,
    Page,
    Result,
    Row,
    across_municipalities,
    asked,
    counted_page,
    dedupe,
    goal_order,
    goal_phrase,
    handler,
    in_scope,
    listing,
    page_of,
    plural,
    scope_text,
    scopes,
    short,
    status_of,
    verdict_text,
)
from .goal_states import LIST_COLUMNS, columns_for, status_goals, status_words, statuses_of
from .measures import role_summary

STATUS_COLUMNS = ["id", "text", "verdictLabel", "progressLabel", "trendLabel", "verdictPhrase", "measured", "focusAreaTitle", "municipalityLabel", "year"]  # fmt: skip


def verdict_iri(reading: Reading) -> str | None:
    """The verdict concept asked about (None for no status, or a progress or trend)."""
    status = status_of(reading)
    return status.iri if status is not None and status.kind == "verdict" else None


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


def topic_goals(reading: Reading, ctx: Context, status: Status | None = None) -> list[Row]:
    """The goals the topic names, in the scope asked (and with the status, if given)."""
    verdict = status.iri if status is not None and status.kind == "verdict" else None
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
    if status is not None and verdict is None:  # a progress or trend: the goals that have it
        having = {r["goal"] for r in status_goals(reading, ctx, status)}
        rows = [r for r in rows if r["goal"] in having]
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
    return topic.said if topic else ""


def topic_phrase(reading: Reading) -> str:
    """' i fokusområdet «Unge under 25 …»' or ' om «fleksjob»'."""
    if reading.topic_kind == "focus_area" and reading.hits:
        return f" i fokusområdet «{short(reading.hits[0].text, 70)}»"
    return f" om «{topic_words(reading)}»" if reading.topic_kind else ""


def goal_rows(reading: Reading, ctx: Context) -> list[Row]:
    """The goals a listing or count asks for: by topic, status and scope."""
    status = status_of(reading)
    if reading.topic_kind:
        return with_status(topic_goals(reading, ctx, status), ctx)
    if status is not None and (status.kind != "verdict" or status.label == "NO_VERDICT"):
        return status_goals(reading, ctx, status)  # no verdict: no verdict sentence to cite
    rows: list[Row] = []
    for scope in scopes(reading):
        rows += ctx.run("goals", verdict=verdict_iri(reading), **scope)
    return dedupe(sorted(rows, key=goal_order), "goal")


def paged_goals(reading: Reading, ctx: Context) -> Result | None:
    """A listing or count of goals by verdict (or of all goals) asked across municipalities
    and longer than a page: the exact number per municipality (``goal_count_by_municipality``)
    and the first ``PAGE`` goals in the listing's order (municipality, year, number), read from
    the municipalities they come from (:func:`counted_page`)."""
    status = status_of(reading)
    if reading.topic_kind or (
        status is not None and (status.kind != "verdict" or status.label == "NO_VERDICT")
    ):
        return None
    years = list(reading.years) or None
    verdict = verdict_iri(reading)
    page = counted_page(reading, ctx, "goal_count_by_municipality", year=years, verdict=verdict)
    if page is None or page.whole:
        return None
    rows = ctx.run("goals", municipality=page.scope, year=years, verdict=verdict)
    said = f" {status.predicate}" if status else ""
    goals = dedupe(sorted(rows, key=goal_order), "goal")
    return page.result(goals, "mål", said, reading, columns_for(status))


@handler("list_goals")
def list_goals(reading: Reading, ctx: Context) -> Result:
    if (paged := paged_goals(reading, ctx)) is not None:
        return paged
    status = status_of(reading)
    said = f" {status.predicate}" if status else ""
    rows = goal_rows(reading, ctx)
    where = scope_text(reading, rows) + topic_phrase(reading)
    if not rows:
        return Result([], f"Ingen mål{where}{said}.")
    text = f"{plural(len(rows), 'mål', 'mål')}{where}{said}"
    return Result(rows, text + by_group_text(rows) + ".", columns_for(status))


@handler("count_goals")
def count_goals(reading: Reading, ctx: Context) -> Result:
    """The number, and the counted goals as rows (the sources of the count). Without a topic
    the number is the store's own count (``goal_count``): a goal the listing cannot show, for
    want of a text or an identifier, still counts."""
    if (paged := paged_goals(reading, ctx)) is not None:
        return paged
    status = status_of(reading)
    rows = goal_rows(reading, ctx)
    n = len(rows)
    if not reading.topic_kind and (status is None or status.kind == "verdict"):
        n = sum(
            int(r["count"])
            for s in scopes(reading)
            for r in ctx.run("goal_count", verdict=verdict_iri(reading), **s)
        )
    where = scope_text(reading, rows) + topic_phrase(reading)
    verb = f" {status.predicate}" if status else ""
    if len(grouped(rows)) > 1:
        text = f"{plural(n, 'mål', 'mål')}{verb}{where} i alt{by_group_text(rows)}."
    elif verb:
        text = f"{plural(n, 'mål', 'mål')}{verb}{where}."
    else:
        text = f"Der er {n} mål{where}."
    return Result(rows, text, columns_for(status))


def having(reading: Reading) -> str:
    """' har mål, der er i gang': focus areas with goals of the status asked."""
    status = status_of(reading)
    return f" har mål, der {status.clause}" if status else ""


def focus_area_page(reading: Reading, ctx: Context) -> Result | None:
    """A list or count of focus areas (whatever their goals' status) asked across
    municipalities and longer than a page: the exact number per municipality
    (``focus_area_count_by_municipality``) and the first ``PAGE`` by municipality, year and
    number (:func:`counted_page`)."""
    if status_of(reading) is not None:
        return None
    years = list(reading.years) or None
    page = counted_page(reading, ctx, "focus_area_count_by_municipality", year=years)
    if page is None or page.whole:
        return None
    rows = ctx.run("focus_areas", municipality=page.scope, year=years)
    rows.sort(key=lambda r: (str(r["municipalityLabel"]), int(r["year"]), int(r["number"]), str(r["focusArea"])))  # fmt: skip
    return page.result(dedupe(rows, "focusArea"), "fokusområder", "", reading)


@handler("list_focus_areas")
def list_focus_areas(reading: Reading, ctx: Context) -> Result:
    if (paged := focus_area_page(reading, ctx)) is not None:
        return paged
    rows = focus_area_rows(reading, ctx)
    where = scope_text(reading, rows)
    if not rows:
        return Result([], f"Ingen fokusområder{where}{having(reading)}.")
    n = plural(len(rows), "fokusområde", "fokusområder")
    return Result(rows, f"{n}{where}{having(reading)}" + by_group_text(rows) + ".")


def focus_area_rows(reading: Reading, ctx: Context) -> list[Row]:
    verdict = verdict_iri(reading)
    status = status_of(reading)
    rows: list[Row] = []
    if status is not None and verdict is None:  # a progress or trend: the goals' focus areas
        goals = status_goals(reading, ctx, status)
        for area, members in _by(goals, "focusArea").items():
            first = members[0]
            rows.append({"focusArea": area, "title": first["focusAreaTitle"], "goals": len(members),
                         "municipalityLabel": first["municipalityLabel"], "year": first["year"],
                         "source": first.get("source"), "sourceSection": first.get("sourceSection")})  # fmt: skip
        return rows
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
    if (paged := focus_area_page(reading, ctx)) is not None:
        return paged
    rows = focus_area_rows(reading, ctx)
    where = scope_text(reading, rows)
    n = plural(len(rows), "fokusområde", "fokusområder")
    text = f"{n}{where}{having(reading)}" if status_of(reading) else f"Der er {n}{where}"
    return Result(rows, text + by_group_text(rows) + ".")


MAX_VALUES = 3  # goals whose target, result and baseline a status answer states


def measured(ctx: Context, goal: str) -> str:
    """'Målet var 88 procent (2022), resultatet blev 87,9 procent (2022)' for one goal."""
    return role_summary(ctx.run("measurements", goal=goal))


@handler("goal_status")
def goal_status(reading: Reading, ctx: Context) -> Result:
    rows = with_status(topic_goals(reading, ctx), ctx, limit=10)
    if not rows:
        return Result([], f"Jeg fandt intet mål om «{topic_words(reading)}»{scope_text(reading)}.")
    said = verdict_text(reading)
    yes_no = reading.has("YESNO") and said
    parts = []
    for i, r in enumerate(rows[:5]):
        line = f"{goal_phrase(r)} er {status_words(r)}"
        if yes_no:
            line = ("Ja, " if said in statuses_of(r) else "Nej, ") + line[0].lower() + line[1:]
        line += f": «{short(r.get('text', ''), 110)}»"
        values = measured(ctx, r["goal"]) if i < MAX_VALUES else ""
        if values:
            r["measured"] = values
            line += f". {values[:1].upper()}{values[1:]}"
        parts.append(line)
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
        counts = Counter(status_words(g) for g in goals)
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
        # "hvorfor … kun delvist opfyldt": the goals meant have that status; none here, then
        # another reading of the topic (its focus area) may find them
        rows = [r for r in rows if said in statuses_of(r)]
        if not rows:
            return Result(
                [],
                f"Ingen af målene om «{topic_words(reading)}»{scope_text(reading)} {STATUSES[str(reading.verdict)].predicate}.",
            )
    sources: list[str] = []
    parts = []
    for r in rows[:3]:
        r["measured"] = measured(ctx, r["goal"])
        for p in ctx.run("goal_paragraphs", goal=r["goal"]):
            if p.get("role") == "vurdering" and p["paragraph"] not in sources:
                sources.append(str(p["paragraph"]))
        line = f"{goal_phrase(r)} er {status_words(r)}. Begrundelsen: «{short(reason_of(r), 240)}»"
        if r["measured"]:
            line += f" {r['measured'][:1].upper()}{r['measured'][1:]}."
        parts.append(line)
    columns = [
        "id",
        "text",
        "verdictLabel",
        "progressLabel",
        "verdictPhrase",
        "measured",
        "municipalityLabel",
        "year",
    ]
    return Result(rows[:3], " ".join(parts), columns, sources)


def reason_of(row: Row) -> str:
    """Why a goal has its status: the sentence stating it, or the assessment itself when that
    sentence is only the status ("Status: Ikke opfyldt") or there is none."""
    phrase = str(row.get("verdictPhrase") or row.get("noVerdictPhrase") or "")
    if len(phrase.split()) > 4:
        return phrase
    return str(row.get("assessmentText") or phrase or "Opfølgningen siger ikke, hvorfor.")


def asked_changes(reading: Reading, changes: list[VerdictChange]) -> list[VerdictChange]:
    """The verdict changes of the years and verdicts asked ("fra opfyldt til ikke opfyldt")."""
    if reading.years:
        changes = [
            c for c in changes if c.later_year in reading.years or c.earlier_year in reading.years
        ]
    said = [STATUSES[v].da for v in reading.verdicts if STATUSES[v].kind == "verdict"]
    if len(said) >= 2:
        return [c for c in changes if (c.earlier_verdict, c.later_verdict) == (said[0], said[-1])]
    if said:
        return [c for c in changes if c.later_verdict == said[0]]
    return changes


def counted_changes(reading: Reading, ctx: Context) -> tuple[list[VerdictChange], Page] | None:
    """Verdict changes asked across municipalities: found once per store version from every
    goal's verdict (``goal_verdicts``, kept), counted per municipality, and those of the
    municipalities the first page comes from (all when they fit a page)."""
    if not across_municipalities(reading, ctx):
        return None
    every: list[VerdictChange] = ctx.keep(
        "verdict changes", lambda: find_changes(ctx.run_kept("goal_verdicts"))
    )
    changes = asked_changes(reading, every)
    iri = {m.label: m.iri for m in ctx.lexicon.municipalities}
    per = Counter(c.municipality for c in changes)
    counts = [{"municipality": iri.get(m, m), "municipalityLabel": m, "count": n}
              for m, n in sorted(per.items(), key=lambda mn: (-mn[1], mn[0]))]  # fmt: skip
    page = page_of(counts)
    return [c for c in changes if c.municipality in page.labels], page


@handler("verdict_changes")
def verdict_changes(reading: Reading, ctx: Context) -> Result:
    counted = counted_changes(reading, ctx)
    if counted is not None:
        changes, page = counted
        if not page.whole:  # the identifiers and paragraphs of the goals the page shows
            changes = changes[:PAGE]
            goals = ctx.run("goal_status", goal=[c.later_goal for c in changes])
        else:
            goals = ctx.run("goals", municipality=page.scope) if page.scope else []
        years = {y for m in ctx.lexicon.municipalities if m.has_data for y in m.years}
    else:
        goals = []
        for iri in [m.iri for m in asked(reading)] or [None]:
            goals += ctx.run("goals", municipality=iri)
        changes = asked_changes(reading, find_changes(goals))
        years = {int(y) for g in goals for y in [g.get("year")] if y is not None}
    ids = {str(g["goal"]): g for g in goals}
    rows = []
    for c in changes:
        later = ids.get(c.later_goal, {})
        rows.append({"goal": c.later_goal, "id": later.get("id"), "text": c.text, "municipalityLabel": c.municipality,
                     "before": f"{c.earlier_verdict} ({c.earlier_year})", "after": f"{c.later_verdict} ({c.later_year})",
                     "year": c.later_year, "source": later.get("source"), "sourceSection": later.get("sourceSection")})  # fmt: skip
    columns = ["id", "text", "municipalityLabel", "before", "after"]
    if counted is not None and not counted[1].whole:
        return counted[1].result(rows, "mål", " har skiftet vurdering", reading, columns,
                                 order="kommune og år")  # fmt: skip
    where = scope_text(reading)
    if not rows:
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
    return Result(rows, text, columns)


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
