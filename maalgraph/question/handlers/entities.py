"""Questions about partners, units and projects: the goals that depend on one, what is at risk
if it stops, what the documents say about it, its status, who finances it, whom it works with;
the partners or projects of a goal or focus area; lists and counts."""

from __future__ import annotations

import re
from collections import Counter

from ..linking import Entity
from ..readings import Reading
from .base import (
    CLASS_DA,
    CLASS_ONE_DA,
    CLASS_TYPES,
    KIND_DA,
    MAX_ITEMS,
    PAGE,
    Context,
    Page,
    Result,
    Row,
    asked,
    counted_page,
    dedupe,
    goal_order,
    goal_phrase,
    handler,
    in_scope,
    listing,
    plural,
    scope_text,
    short,
    verdict_text,
)
from .goal_states import status_words, statuses_of
from .goals import topic_goals, topic_words, verdict_iri, with_status

MAX_NETWORKS = 3  # municipalities' networks walked for one impact question
DEPENDS_COLUMNS = ["id", "text", "verdictLabel", "focusAreaTitle", "entityLabel", "municipalityLabel", "year"]  # fmt: skip


def entities(reading: Reading) -> list[Entity]:
    """The linked things, in the municipalities asked (all of them when none is asked)."""
    found = sorted({lk.entity for lk in reading.links}, key=lambda e: (e.label, e.iri))
    scope = {m.iri for m in asked(reading)}
    return [e for e in found if not scope or e.municipality in scope or e.municipality is None]


def names(reading: Reading) -> str:
    return listing(sorted({e.label for e in entities(reading)}))


def depending(reading: Reading, ctx: Context, by_status: bool = True) -> list[Row]:
    """The goals depending on the linked things: one query for all of them (a name many
    municipalities use links to a thing in each), the rows in the things' order."""
    things = [e.iri for e in entities(reading)[:MAX_ITEMS]]
    if not things:
        return []
    order = {iri: i for i, iri in enumerate(things)}
    rows = ctx.run("goals_depending_on", entity=things)
    rows.sort(
        key=lambda r: order[str(r["entity"])]
    )  # stable: each thing's rows keep the query's order
    rows = in_scope(rows, reading)
    if reading.verdict and by_status:
        rows = [r for r in rows if r.get("verdictLabel") == verdict_text(reading)]
    return rows


def merged(rows: list[Row]) -> list[Row]:
    """One row per goal, naming every thing it depends on (a goal may name two of them)."""
    out: dict[str, Row] = {}
    for r in sorted(rows, key=goal_order):
        if r["goal"] in out:
            labels = str(out[r["goal"]]["entityLabel"]).split(", ")
            if r["entityLabel"] not in labels:
                out[r["goal"]]["entityLabel"] = ", ".join([*labels, str(r["entityLabel"])])
        else:
            out[r["goal"]] = dict(r)
    return list(out.values())


def depending_page(reading: Reading, ctx: Context) -> Result | None:
    """The goals depending on things in many municipalities, asked without one and longer
    than a page: the exact number per municipality (``goals_depending_count_by_municipality``)
    and the first ``PAGE`` goals in the listing's order, read from the things of the
    municipalities that page reaches (:func:`counted_page`)."""
    status = verdict_text(reading)
    verdict = verdict_iri(reading)
    if reading.verdict and verdict is None:
        return None
    found = entities(reading)[:MAX_ITEMS]
    if not found:
        return None
    years = list(reading.years) or None
    page = counted_page(reading, ctx, "goals_depending_count_by_municipality",
                        entity=[e.iri for e in found], year=years, verdict=verdict)  # fmt: skip
    if page is None or page.whole:
        return None
    chosen = set(page.scope)
    things = [e.iri for e in found if e.municipality is None or e.municipality in chosen]
    rows = in_scope(ctx.run("goals_depending_on", entity=things), reading)
    if reading.verdict:
        rows = [r for r in rows if r.get("verdictLabel") == status]
    rows = [r for r in rows if str(r.get("municipalityLabel")) in page.labels]
    goals = merged(rows)[:PAGE]
    shown = {r["goal"] for r in goals}
    sources = [
        str(r["source"])
        for r in sorted(rows, key=goal_order)
        if r.get("source") and r["goal"] in shown
    ]
    said = (
        f", der afhænger af {names(reading)}, er {status}"
        if status
        else f" afhænger af {names(reading)}"
    )
    return page.result(goals, "mål", said, reading, DEPENDS_COLUMNS, sources)


@handler("goals_of_entity")
def goals_of_entity(reading: Reading, ctx: Context) -> Result:
    if (paged := depending_page(reading, ctx)) is not None:
        return paged
    rows = depending(reading, ctx)
    goals = merged(rows)
    sources = [str(r["source"]) for r in sorted(rows, key=goal_order) if r.get("source")]
    said = verdict_text(reading)
    where = scope_text(reading) if asked(reading) or reading.years else ""
    if not goals:
        what = f", der er {said}," if said else ""
        return Result([], f"Ingen mål{what} afhænger af {names(reading)}{where}.")
    n = plural(len(goals), "mål", "mål")
    text = f"{n} afhænger af {names(reading)}{where}"
    if said:
        text = f"{n}, der afhænger af {names(reading)}{where}, er {said}"
    return Result(goals, text + ".", DEPENDS_COLUMNS, sources)


@handler("impact")
def impact(reading: Reading, ctx: Context) -> Result:
    """The goals at risk, from the network analysis: one row per way a goal depends on what
    stops (directly or through a project), with the share of its focus area."""
    found = entities(reading)
    places = sorted({e.municipality for e in found if e.municipality})
    if len(places) > MAX_NETWORKS:
        # a name many municipalities share: walking every network takes seconds each; say
        # what depends on it directly, and how to ask for one municipality
        goals = merged(depending(reading, ctx))
        first = ctx.lexicon.municipality(places[0])
        example = (
            f"Hvad sker der hvis {names(reading)} stopper i {first.label if first else 'kommunen'}?"
        )
        return Result(
            goals,
            f"{names(reading)} findes i {len(places)} kommuner, og {plural(len(goals), 'mål', 'mål')} "
            f"afhænger direkte af {names(reading)}. Spørg for én kommune (fx «{example}») for at se, "
            "hvad der også står på spil gennem projekterne.",
            DEPENDS_COLUMNS,
            [str(g["source"]) for g in goals if g.get("source")],
        )
    year = reading.years[0] if len(reading.years) == 1 else None
    result = ctx.kg.impact(*[e.iri for e in found], year=year)
    shares = {s.focus_area: f"{s.affected} af {s.total} mål" for s in result.focus_areas}
    rows: list[Row] = []
    for path in result.paths:
        row: Row = {"goal": path.goal, "focusArea": path.focus_area, "entity": path.path[0],
                    "id": path.identifier, "text": path.text, "verdictLabel": path.verdict,
                    "focusAreaTitle": path.focus_area_label, "path": " → ".join(path.labels),
                    "share": shares.get(path.focus_area or "", ""), "source": path.source,
                    "sourceSection": path.section}  # fmt: skip
        if path.via:
            row["viaLabel"] = ", ".join(path.via)
        rows.append(row)
    for municipality in sorted({e.municipality for e in found if e.municipality}):
        ctx.sparql.append(ctx.kg.network_sparql(municipality=municipality, year=year))
    who = names(reading)
    if not rows:
        return Result(
            [], f"Ingen mål afhænger af {who}, så intet står på spil, hvis {who} stopper."
        )
    areas = sorted({(str(r.get("focusAreaTitle")), str(r.get("share", ""))) for r in rows})
    detail = "; ".join(f"{area} ({share})" for area, share in areas)
    at_risk = len({r["id"] for r in rows})
    return Result(
        rows, f"Hvis {who} stopper, berøres {at_risk} mål i {len(areas)} fokusområde(r): {detail}."
    )


@handler("about_entity")
def about_entity(reading: Reading, ctx: Context) -> Result:
    rows: list[Row] = []
    for e in entities(reading)[:MAX_ITEMS]:
        for p in ctx.run("entity_mentions", entity=e.iri):
            rows.append({**p, "paragraphText": p["text"], "source": p["paragraph"],
                         "sourceSection": p["section"], "subjectLabel": e.label})  # fmt: skip
    rows = in_scope(dedupe(rows, "paragraph"), reading)
    goals = dedupe(sorted(depending(reading, ctx), key=goal_order), "goal")
    kinds = listing(sorted({KIND_DA.get(e.kind, e.kind) for e in entities(reading)}), "eller")
    if not rows:
        return Result([], f"Dokumenterne nævner ikke {names(reading)}{scope_text(reading)}.")
    text = f"{names(reading)} ({kinds}) nævnes i {plural(len(rows), 'afsnit', 'afsnit')}{scope_text(reading, rows)}"
    if goals:
        text += f"; {plural(len(goals), 'mål', 'mål')} afhænger af {names(reading)}: " + listing(
            [f"{goal_phrase(g, False)} ({g.get('verdictLabel')})" for g in goals[:5]]
        )
    return Result(rows, text + ".", ["subjectLabel", "documentTitle", "section", "paragraphText"])


@handler("entity_status")
def entity_status(reading: Reading, ctx: Context) -> Result:
    """The statuses of the goals a thing works for; asked yes/no ("Blev målet i Vestparken
    nået?", "Er cykelstien færdig?"), whether they have the status asked."""
    said = verdict_text(reading)
    yes_no = bool(reading.has("YESNO") and said)
    rows = with_status(merged(depending(reading, ctx, by_status=not yes_no)), ctx)
    if not rows:
        return Result(
            [],
            f"{names(reading)} indgår ikke i noget mål{scope_text(reading)}, så der er ingen status at give.",
        )
    counts = Counter(status_words(r) for r in rows)
    detail = listing([f"{goal_phrase(r, False)} er {status_words(r)}" for r in rows[:6]])
    summary = listing([f"{n} {v}" for v, n in counts.most_common()])
    text = f"{names(reading)} indgår i {plural(len(rows), 'mål', 'mål')}{scope_text(reading, rows)} ({summary}): {detail}."
    if yes_no:
        having = sum(said in statuses_of(r) for r in rows)
        answer = "Ja" if having == len(rows) else "Nej" if not having else ""
        text = f"{answer}. {text}" if answer else f"{having} af {len(rows)} mål er {said}. {text}"
    return Result(rows, text, DEPENDS_COLUMNS)


FINANCED_BY = re.compile(
    r"(?P<pre>[A-ZÆØÅ][\wÆØÅæøå&.-]*(?: [A-ZÆØÅ][\wæøå]*)*)-finansieret|"
    r"(?:finansieret|betalt|støttet|bevilget) (?:af|fra|via) (?P<post>[A-ZÆØÅ][\wæøå&-]*(?: [A-ZÆØÅ&][\wæøå-]*)*)|"
    r"midler fra (?P<funds>[A-ZÆØÅ][\wæøå&-]*(?: [A-ZÆØÅ&][\wæøå-]*)*)"
)


@handler("finance")
def finance(reading: Reading, ctx: Context) -> Result:
    """What the paragraphs about a project say about who pays: sentences with a finance word;
    a payer is named only where the text names one ("STAR-finansieret", "finansieret af X")."""
    stems = ctx.vocab.finance_stems
    rows: list[Row] = []
    payers: list[str] = []
    for e in entities(reading)[:MAX_ITEMS]:
        for p in ctx.run("entity_mentions", entity=e.iri):
            for sentence in re.split(r"(?<=[.!?])\s+", str(p["text"])):
                words = {w.casefold() for w in re.findall(r"[\wæøå-]+", sentence)}
                if any(w.startswith(tuple(stems)) for w in words):
                    rows.append({"subjectLabel": e.label, "paragraphText": sentence, "documentTitle": p["documentTitle"],
                                 "section": p["section"], "source": p["paragraph"], "sourceSection": p["section"],
                                 "municipalityLabel": p.get("municipalityLabel"), "year": p.get("year")})  # fmt: skip
                    payers += [
                        next(g for g in m.groups() if g) for m in FINANCED_BY.finditer(sentence)
                    ]
    rows = in_scope(dedupe(rows, "paragraphText"), reading)
    if not rows:
        return Result([], f"Dokumenterne siger ikke, hvem der finansierer {names(reading)}.")
    said = (
        f" Finansieringen nævner {listing(sorted(set(payers)))}."
        if payers
        else " Dokumenterne nævner ingen, der betaler."
    )
    text = f"Om pengene til {names(reading)} står der i {plural(len(rows), 'sætning', 'sætninger')}: «{short(rows[0]['paragraphText'], 200)}»{said}"
    return Result(rows, text, ["subjectLabel", "paragraphText", "documentTitle", "section"])


@handler("partners_of_entity")
def partners_of_entity(reading: Reading, ctx: Context) -> Result:
    rows: list[Row] = []
    index = ctx.kg.entity_index
    for e in entities(reading)[:MAX_ITEMS]:
        if not e.municipality:
            continue
        for r in ctx.run("project_partners", municipality=e.municipality):
            other = (
                r["organisation"]
                if r["project"] == e.iri
                else r["project"]
                if r["organisation"] == e.iri
                else None
            )
            found = index.get(str(other)) if other else None
            if found is None:
                continue
            source = next(
                (
                    str(p["paragraph"])
                    for p in ctx.run("entity_mentions", entity=e.iri)
                    if found.label in str(p["text"])
                ),
                None,
            )
            rows.append({"entity": found.iri, "label": found.label, "typeLabel": KIND_DA.get(found.kind, found.kind),
                         "subjectLabel": e.label, "source": source})  # fmt: skip
    rows = dedupe(rows, "entity", "subjectLabel")
    wanted = {CLASS_ONE_DA[c] for c in reading.classes}
    if wanted:
        rows = [r for r in rows if r["typeLabel"] in wanted] or rows
    if not rows:
        return Result([], f"Dokumenterne nævner ingen, som {names(reading)} arbejder sammen med.")
    text = f"{names(reading)} arbejder sammen med {listing([r['label'] for r in rows])}."
    return Result(rows, text, ["label", "typeLabel", "subjectLabel"])


@handler("entities_of_topic")
def entities_of_topic(reading: Reading, ctx: Context) -> Result:
    goals = topic_goals(reading, ctx)
    types = [t for c in reading.classes for t in CLASS_TYPES[c]]
    rows: list[Row] = []
    for g in goals[:MAX_ITEMS]:
        for type_iri in types:
            for r in ctx.run("entities_of_goals", goal=g["goal"], type=type_iri):
                rows.append(
                    {**r, "municipalityLabel": g.get("municipalityLabel"), "year": g.get("year")}
                )
    rows = dedupe(rows, "entity", "id")
    what = listing([CLASS_DA[c] for c in reading.classes], "eller")
    about = (
        f"fokusområdet «{short(reading.hits[0].text, 70)}»"
        if reading.topic_kind == "focus_area"
        else listing([goal_phrase(g) for g in goals[:4]]) + (" m.fl." if len(goals) > 4 else "")
    )
    if not goals:
        return Result([], f"Jeg fandt intet mål om «{topic_words(reading)}»{scope_text(reading)}.")
    if not rows:
        first = goals[0]
        return Result(
            [],
            f"Der er ingen {what} knyttet til {about} om «{topic_words(reading)}»"
            + (f": «{short(first.get('text', ''), 100)}»" if len(goals) == 1 else "")
            + ".",
            sources=[str(g["source"]) for g in goals[:3] if g.get("source")],
        )
    labels = sorted({str(r["label"]) for r in rows})
    text = f"{plural(len(labels), 'navn', 'navne')} under {about}: {listing(labels)}."
    return Result(rows, text, ["label", "typeLabel", "id", "focusAreaTitle", "municipalityLabel"])


def entity_rows(reading: Reading, ctx: Context) -> tuple[list[Row], Page | None]:
    """The partners, units or projects asked for, and, asked across municipalities, their
    count per municipality (:func:`counted_page`): then read from the municipalities the
    first page comes from (all that have any when they fit a page), by municipality, kind
    and name."""
    types = [t for cls in reading.classes for t in CLASS_TYPES[cls]]
    page = counted_page(reading, ctx, "entity_count_by_municipality", type=types)
    if page is not None:
        found = ctx.run("entities", type=types, municipality=page.scope) if page.scope else []
        found.sort(key=lambda r: tuple(str(r.get(k)) for k in ("municipalityLabel", "typeLabel", "label", "entity")))  # fmt: skip
        return dedupe(found, "entity"), page
    rows: list[Row] = []
    for type_iri in types:
        for iri in [m.iri for m in asked(reading)] or [None]:
            rows += ctx.run("entities", type=type_iri, municipality=iri)
    return dedupe(rows, "entity"), None


ENTITY_COLUMNS = ["label", "typeLabel", "municipalityLabel", "goals"]


@handler("list_entities")
def list_entities(reading: Reading, ctx: Context) -> Result:
    rows, page = entity_rows(reading, ctx)
    what = listing([CLASS_DA[c] for c in reading.classes])
    if page is not None and not page.whole:
        return page.result(rows, what, "", reading, ENTITY_COLUMNS, order="kommune, art og navn")
    where = scope_text(reading)
    if not rows:
        return Result([], f"Grafen har ingen {what}{where}.")
    return Result(rows, f"{len(rows)} {what}{where}.", ENTITY_COLUMNS)


@handler("count_entities")
def count_entities(reading: Reading, ctx: Context) -> Result:
    rows, page = entity_rows(reading, ctx)
    what = listing([CLASS_DA[c] for c in reading.classes])
    if page is not None and not page.whole:
        return page.result(rows, what, "", reading, ENTITY_COLUMNS, order="kommune, art og navn")
    groups = Counter(str(r.get("municipalityLabel")) for r in rows)
    detail = (
        ": " + listing([f"{n} i {m}" for m, n in sorted(groups.items())]) if len(groups) > 1 else ""
    )
    where = scope_text(reading) or (f" i {next(iter(groups))}" if len(groups) == 1 else "")
    return Result(
        rows,
        f"Der er {len(rows)} {what}{where}{detail}.",
        ENTITY_COLUMNS,
    )
