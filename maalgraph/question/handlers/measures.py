"""Questions about measured outcomes: the values of an indicator (ranked by how well indicator
and sentence fit the question), told apart by their role — the result, the target, the
baseline ("Målet var 90 procent, resultatet blev 87,9 procent") —, its development over the
years, and lists of measurements."""

from __future__ import annotations

from collections import Counter

from ...analysis.trends import measurement_trends
from ...concepts import ROLE_IRI
from ...model import Role
from ...nlp import stem
from ...numbers import percent, signed
from ..phrasing import number
from ..readings import Reading, top
from ..tokens import content_words
from .base import (
    Context,
    Page,
    Result,
    Row,
    counted_page,
    dedupe,
    first_keys,
    goal_order,
    handler,
    in_scope,
    listing,
    plural,
    scope_text,
    scopes,
)

MEASURE_COLUMNS = ["value", "unit", "period", "roleLabel", "areaLabel", "indicator", "context", "id", "municipalityLabel"]  # fmt: skip
ROLE_OF = {iri.value: role for role, iri in ROLE_IRI.items()}  # the graph's concept → the role
ROLE_CUES = {"TARGET": Role.TARGET, "BASELINE": Role.BASELINE, "ACTUAL": Role.ACTUAL}
ROLE_PHRASES = {Role.TARGET: "målet var", Role.ACTUAL: "resultatet blev", Role.BASELINE: "udgangspunktet var"}  # fmt: skip
NOUNS: dict[frozenset[Role | None], tuple[str, str]] = {frozenset({Role.TARGET}): ("målværdi", "målværdier"),
         frozenset({Role.BASELINE}): ("udgangspunkt (baseline)", "udgangspunkter (baselines)")}  # fmt: skip
ROLE_NAMES = {Role.TARGET: "målværdien", Role.ACTUAL: "resultatet", Role.BASELINE: "udgangspunktet (baseline)"}  # fmt: skip


def role_of(row: Row) -> Role | None:
    """What a value is: result, target or baseline (None in a store written before roles)."""
    return ROLE_OF.get(str(row.get("role")))


def asked_roles(reading: Reading) -> set[Role]:
    """The roles a question asks for ("målværdien", "udgangspunktet", "faktisk")."""
    return {role for cue, role in ROLE_CUES.items() if reading.has(cue)}


def value_text(row: Row, with_area: bool = False, with_indicator: bool = False) -> str:
    """'87,9 procent (2022)', with the area and what was measured when values of several
    areas or indicators are shown together."""
    where = f", {row['areaLabel']}" if with_area and row.get("areaLabel") else ""
    what = f": {row['indicator']}" if with_indicator and row.get("indicator") else ""
    return (
        f"{number(row['value'], row.get('valueText'))} {row['unit']} ({row['period']}{where}{what})"
    )


def role_summary(rows: list[Row], limit: int = 6, first: set[Role] | None = None) -> str:
    """A goal's values by role, results latest first: 'målet var 88 procent (2022); resultatet
    blev 87,9 procent (2022) og 86,2 procent (2021)' ('målt: …' for values without a role).

    >>> from decimal import Decimal
    >>> role_summary([{"value": Decimal("90"), "unit": "procent", "period": "2022", "role": ROLE_IRI[Role.TARGET].value},
    ...               {"value": Decimal("87.9"), "unit": "procent", "period": "2022", "role": ROLE_IRI[Role.ACTUAL].value}])
    'målet var 90 procent (2022); resultatet blev 87,9 procent (2022)'
    """
    areas = len({r.get("areaLabel") for r in rows}) > 1
    order = sorted(
        (*ROLE_PHRASES.items(), (None, "målt:")), key=lambda rp: rp[0] not in (first or ())
    )
    parts = []
    for role, phrase in order:
        found = [r for r in rows if role_of(r) is role]
        found.sort(key=lambda r: str(r.get("period")), reverse=True)
        if found:
            several = (
                len({(r.get("unit"), r.get("indicator")) for r in found}) > 1
                and len({r.get("unit") for r in found}) > 1
            )
            shown = [value_text(r, areas, several) for r in found[:limit]]
            parts.append(f"{phrase} " + listing(shown))
    return "; ".join(parts)


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


MAX_GOALS = 3  # goals whose values a measurement answer reads by the goal


def values(reading: Reading, ctx: Context, *, by_year: bool = True) -> list[Row]:
    """The measurements the topic names — an indicator's, or a goal's when the topic names a
    goal —, in scope, best fitting first, each with the other roles of its goal (a result
    with its target and baseline, whatever words each sentence uses)."""
    if reading.topic_kind == "goal":
        rows = goal_values(reading, ctx, by_year)
    elif reading.topic_kind is None:
        rows = entity_values(reading, ctx, by_year)
    else:
        rows = indicator_values(reading, ctx, by_year)
    rows = dedupe(rows, "observation")
    if reading.links and reading.topic_kind is not None:
        # "Hvor mange besøgsvenner har Ven i Vejle fået?": the goals the named thing works for
        goals = {
            str(r["goal"])
            for lk in reading.links
            for r in ctx.run("goals_depending_on", entity=lk.entity.iri)
        }
        rows = [r for r in rows if str(r["goal"]) in goals]
    topic = reading.mentions.topic
    if rows and topic is not None:
        asked_stems = {reading.mentions.tokens[i].stem for i in topic.tokens}
        most = max(fit(r, asked_stems) for r in rows)
        rows = [r for r in rows if fit(r, asked_stems) >= most]
    rows += other_roles(reading, ctx, rows, by_year)
    return sorted(
        rows,
        key=lambda r: (
            str(r.get("municipalityLabel")),
            str(r.get("period")),
            str(r.get("areaLabel")),
            str(r.get("observation")),
        ),
    )


def indicator_values(reading: Reading, ctx: Context, by_year: bool) -> list[Row]:
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
    return rows


def goal_values(reading: Reading, ctx: Context, by_year: bool) -> list[Row]:
    """The values reported for the goals the topic names (their results in the years asked)."""
    rows: list[Row] = []
    goals: list[Row] = []
    for hit in top(reading.hits)[:MAX_GOALS]:
        for scope in scopes(reading):
            goals += ctx.run("goals_by_text", text=hit.text, **{**scope, "year": None})
    for goal in dedupe(goals, "goal")[:MAX_GOALS]:
        for r in ctx.run("measurements", goal=goal["goal"]):
            if in_years(reading, r, by_year):
                rows.append({**r, "municipalityLabel": goal["municipalityLabel"]})
    regions = {r.label for r in reading.regions if r.iri}
    return [r for r in rows if not regions or r.get("areaLabel") in regions]


def entity_values(reading: Reading, ctx: Context, by_year: bool) -> list[Row]:
    """The values reported for the goals a named thing works for ("Hvor højt var
    tryghedsindekset i Vestparken?": the question's other words then pick among them)."""
    goals = dedupe(
        in_scope(
            [
                r
                for lk in reading.links
                for r in ctx.run("goals_depending_on", entity=lk.entity.iri)
            ],
            reading,
        ),
        "goal",
    )
    rows: list[Row] = []
    for goal in goals[:MAX_GOALS]:
        for r in ctx.run("measurements", goal=goal["goal"]):
            if in_years(reading, r, by_year):
                rows.append({**r, "municipalityLabel": goal.get("municipalityLabel")})
    return rows


def in_years(reading: Reading, row: Row, by_year: bool) -> bool:
    """A result counts in the years asked; a target or baseline whatever its year."""
    if not by_year or not reading.years or role_of(row) in (Role.TARGET, Role.BASELINE):
        return True
    return row.get("year") is not None and int(row["year"]) in reading.years


def other_roles(reading: Reading, ctx: Context, rows: list[Row], by_year: bool) -> list[Row]:
    """The values of the roles the goals of ``rows`` have and ``rows`` lack — "målet var 40
    lærlinge" found, "43 lærlinge" added (read by goal: the sentences share no words) —, and
    every value of the role asked ("Hvad var målet for …?": the ambition for the year too)."""
    wanted = asked_roles(reading)
    have = {(str(r["goal"]), role_of(r)) for r in rows if role_of(r) not in wanted}
    seen = {str(r["observation"]) for r in rows}
    first = {str(r["goal"]): r for r in reversed(rows)}
    out = []
    for goal, like in list(first.items())[:MAX_GOALS]:
        for r in ctx.run("measurements", goal=goal):
            role = role_of(r)
            if role is None or (goal, role) in have or str(r["observation"]) in seen:
                continue
            if in_years(reading, r, by_year):
                out.append({**r, "municipalityLabel": like.get("municipalityLabel")})
    return out


def describe(row: Row) -> str:
    role = role_of(row)
    kind = (
        f", {row['roleLabel']}" if role not in (None, Role.ACTUAL) and row.get("roleLabel") else ""
    )
    return f"{number(row['value'], row.get('valueText'))} {row['unit']} ({row['period']}, {row['areaLabel']}: {row['indicator']}{kind})"


def topic_text(reading: Reading) -> str:
    topic = reading.mentions.topic
    return topic.said if topic else ""


def by_role(reading: Reading, rows: list[Row]) -> tuple[list[Row], str]:
    """The values of the role asked for first ("målværdien", "udgangspunktet", "faktisk"),
    then the others of the same goals; a note when the graph has none of that role."""
    wanted = asked_roles(reading)
    if not wanted or not rows:
        return rows, ""
    first = [r for r in rows if role_of(r) in wanted]
    if first:
        return first + [r for r in rows if r not in first], ""
    names = listing([ROLE_NAMES[r] for r in sorted(wanted)], "eller")
    return rows, f" (Grafen angiver ikke {names} for disse målinger.)"


def sentence(reading: Reading, rows: list[Row]) -> str:
    """The values asked for. A role asked: "For «ventetid på pladser i dagtilbud» i Lyngbjerg
    Kommune: målet var 30 dage (2022); resultatet blev 38 dage (2022)." Else the results with
    what was measured, then the targets and baselines by name."""
    wanted = asked_roles(reading)
    if wanted and any(role_of(r) in wanted for r in rows):
        return f"For «{topic_text(reading)}»{scope_text(reading, rows)}: {role_summary(rows, first=wanted)}."
    results = [r for r in rows if role_of(r) in (None, Role.ACTUAL)]
    rest = [r for r in rows if r not in results]
    text = "Målt: " + "; ".join(describe(r) for r in results[:8]) + "." if results else ""
    if rest:
        said = role_summary(rest)
        text += f" {said[:1].upper()}{said[1:]}."
    return text.strip()


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
    return Result(rows, sentence(reading, rows) + note, MEASURE_COLUMNS, complete=not note)


@handler("series")
def series(reading: Reading, ctx: Context) -> Result:
    found = values(reading, ctx, by_year=False)
    targets = [r for r in found if role_of(r) is Role.TARGET]
    rows = [r for r in found if r not in targets]  # a target is no point of the development
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
    goal = f" {role_summary(targets)[:1].upper()}{role_summary(targets)[1:]}." if targets else ""
    return Result(shown + targets, "Udviklingen: " + "; ".join(parts) + "." + goal, MEASURE_COLUMNS)


def counted_measurements(
    reading: Reading, ctx: Context, wanted: set[Role | None]
) -> tuple[list[Row], Page] | None:
    """Measurements asked across municipalities: the number of the roles asked per
    municipality (``measurement_count_by_municipality``) and the rows of the municipalities
    and years the first page comes from (all that have any when they fit a page), by
    municipality, year and goal (:func:`counted_page`, :func:`first_keys`)."""
    years = list(reading.years) or None
    page = counted_page(reading, ctx, "measurement_count_by_municipality",
                        where=lambda r: role_of(r) in wanted, year=years)  # fmt: skip
    if page is None:
        return None
    per_year: Counter[tuple[str, str, str]] = Counter()
    for r in ctx.run_kept("measurement_count_by_municipality", year=years):
        if role_of(r) in wanted:
            key = (str(r["municipalityLabel"]), str(r["municipality"]), f"{int(r['year']):04d}")
            per_year[key] += int(r["count"])
    chosen = set(first_keys(per_year.items()))
    labels = {iri: label for label, iri, _ in chosen}
    found = ctx.run("measurements", municipality=sorted(labels), year=sorted({int(y) for *_, y in chosen})) if chosen else []  # fmt: skip
    rows = [{**r, "municipalityLabel": labels[str(r["municipality"])]} for r in found
            if (labels.get(str(r["municipality"])), str(r["municipality"]), f"{int(r['year']):04d}") in chosen]  # fmt: skip
    rows = [r for r in dedupe(rows, "observation") if role_of(r) in wanted]
    rows.sort(key=lambda r: (*goal_order(r), str(r["observation"])))
    return rows, page


@handler("list_measurements")
def list_measurements(reading: Reading, ctx: Context) -> Result:
    """What was measured (results and baselines); targets when the question asks for them
    ("Hvilke målværdier …?"): a target is no measurement."""
    wanted: set[Role | None] = {*asked_roles(reading)} or {None, Role.ACTUAL, Role.BASELINE}
    noun = NOUNS.get(frozenset(wanted), ("måling", "målinger"))
    counted = counted_measurements(reading, ctx, wanted)
    if counted is not None:
        rows, page = counted
        if not page.whole:
            return page.result(rows, noun[1], "", reading, MEASURE_COLUMNS,
                               order="kommune, år og mål")  # fmt: skip
        years = list(reading.years) or None
        targets = sum(int(r["count"]) for r in ctx.run_kept("measurement_count_by_municipality", year=years)
                      if role_of(r) is Role.TARGET)  # fmt: skip
    else:
        rows = []
        for scope in scopes(reading):
            rows += ctx.run("measurements", **scope)
        regions = {r.label for r in reading.regions}
        if regions:
            rows = [r for r in rows if r.get("areaLabel") in regions]
        rows = dedupe(rows, "observation")
        targets = sum(role_of(r) is Role.TARGET for r in rows)
        rows = [r for r in rows if role_of(r) in wanted]
    where = scope_text(reading)
    if not rows:
        return Result([], f"Der er ingen {noun[1]}{where}.")
    indicators = sorted({str(r["indicator"]) for r in rows})
    shown = listing(indicators[:6]) + (" m.fl." if len(indicators) > 6 else "")
    also = (
        f" Desuden {plural(targets, 'målværdi', 'målværdier')}."
        if targets and Role.TARGET not in wanted
        else ""
    )
    return Result(rows, f"{plural(len(rows), *noun)}{where}: {shown}.{also}", MEASURE_COLUMNS)
