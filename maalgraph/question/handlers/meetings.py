"""Questions about the committee's handling (committee, date, place, case, case officer,
recommendation, decision, approval as yes/no) of an agenda item, named by its title or its
scope, case officers by name, the plans, and what the graph holds (documents, municipalities
and years)."""

from __future__ import annotations

from ..readings import Reading, top
from .base import (
    Context,
    Result,
    Row,
    asked,
    counted_page,
    dedupe,
    handler,
    in_scope,
    listing,
    plural,
    scope_text,
)

# which detail a cue asks for, most specific first
DETAILS = (
    ("CASE", "case"), ("OFFICER", "officer"), ("PLACE", "place"), ("WHEN", "date"),
    ("RECOMMENDATION", "recommendation"), ("APPROVAL", "approval"), ("DECISION", "decision"),
    ("AGENDA_ITEM", "item"), ("COMMITTEE", "committee"),
)  # fmt: skip
APPROVED = {"godkendt": "Ja", "ikke godkendt": "Nej", "udsat": "Nej"}


def handlings(reading: Reading, ctx: Context) -> list[Row]:
    """The committee's handlings in scope, each with its municipality and year (from its
    document). A year asked is the follow-up's year or the meeting's ("mødet i 2022")."""
    committees = {lk.entity.label for lk in reading.links if lk.entity.kind == "committee"}
    labels = {m.label for m in asked(reading)}
    titles = {h.text for h in top(reading.hits)} if reading.topic_kind == "item" else set()
    rows = []
    handled = [
        row for row in ctx.run("committee_handling") if not titles or row.get("itemTitle") in titles
    ]
    # each handling's paragraph (its document's municipality and year), in one query
    sources = sorted({str(r["source"]) for r in handled if r.get("source")})
    paragraphs: dict[str, Row] = {}
    for p in ctx.run("paragraph", paragraph=sources) if sources else []:
        paragraphs.setdefault(str(p["paragraph"]), p)
    for row in handled:
        found = paragraphs.get(str(row["source"])) if row.get("source") else None
        if found:
            row = {
                **row,
                "municipalityLabel": found.get("municipalityLabel"),
                "year": found.get("year"),
            }
        if committees and row.get("committeeLabel") not in committees:
            continue
        if labels and row.get("municipalityLabel") not in labels:
            continue
        years = {row.get("year"), getattr(row.get("date"), "year", None)}
        if reading.years and not years & set(reading.years):
            continue
        rows.append(row)
    return rows


def detail_of(reading: Reading) -> str:
    return next((detail for cue, detail in DETAILS if reading.has(cue)), "summary")


def phrase(row: Row, detail: str, yes_no: bool) -> str:
    committee, date = row.get("committeeLabel", "Udvalget"), row.get("date", "")
    title = row.get("itemTitle", "")
    if detail == "case":
        return f"Sagsnummeret er {row.get('caseNumber', 'ikke oplyst')}."
    if detail == "officer":
        return f"Sagsbehandler: {row.get('caseOfficer', 'ikke oplyst')}."
    if detail == "place":
        return f"Mødestedet var {row.get('place', 'ikke oplyst')}."
    if detail == "date":
        return f"{committee} behandlede «{title}» på mødet {date}."
    if detail == "recommendation":
        return f"Indstilling: {row.get('recommendation', 'ikke oplyst')}"
    if detail == "item":
        return (
            f"Punkt {row.get('itemNumber', '?')} på dagsordenen: «{title}» ({committee}, {date})."
        )
    if detail == "committee":
        return f"{committee} behandlede «{title}» ({date})."
    outcome = str(row.get("outcomeLabel", ""))
    decision = row.get("decision", "ikke oplyst")
    if detail == "approval" and yes_no:
        answer = APPROVED.get(outcome)
        if answer:
            return f"{answer}, {committee} besluttede på mødet {date}: «{decision}»"
        if outcome:
            return f"{committee} har {outcome} «{title}» på mødet {date}: «{decision}»"
        return f"Det fremgår ikke klart. Beslutningen på mødet {date}: «{decision}»"
    return f"Beslutning: {decision} ({committee}, {date})"


@handler("committee")
def committee(reading: Reading, ctx: Context) -> Result:
    rows = handlings(reading, ctx)
    if not rows:
        return Result([], f"Grafen har ingen udvalgsbehandling{scope_text(reading)}.")
    detail = detail_of(reading)
    yes_no = reading.has("YESNO")
    several = len({(r.get("municipalityLabel"), r.get("year")) for r in rows}) > 1
    parts = []
    for r in rows[:6]:
        text = phrase(r, detail, yes_no)
        if several:
            text = f"{r.get('municipalityLabel')} ({r.get('year')}): {text}"
        parts.append(text)
    return Result(rows, " ".join(parts))


@handler("person")
def person(reading: Reading, ctx: Context) -> Result:
    rows = [r for r in handlings(reading, ctx) if r.get("caseOfficer") == reading.person]
    if not rows:
        return Result([], f"Grafen siger intet om {reading.person}{scope_text(reading)}.")
    items = [f"«{r.get('itemTitle')}» ({r.get('committeeLabel')}, {r.get('date')})" for r in rows]
    return Result(rows, f"{reading.person} er sagsbehandler på {listing(items)}.",
                  ["caseOfficer", "itemTitle", "committeeLabel", "date", "caseNumber", "municipalityLabel"])  # fmt: skip


@handler("plans")
def plans(reading: Reading, ctx: Context) -> Result:
    """The plans describing the ways to the goals; asked across municipalities, read from the
    municipalities that have any, and when more than a page of plans, the exact number per
    municipality and the first ``PAGE`` plans by municipality and name (:func:`counted_page`)."""
    index = ctx.kg.entity_index
    page = counted_page(reading, ctx, "plan_count_by_municipality")
    scope = page.scope if page else [m.iri for m in asked(reading)] or None
    rows = []
    for r in ctx.run("plans", municipality=scope) if scope != [] else []:
        plan = index.get(str(r["plan"]))
        municipality = (
            ctx.lexicon.municipality(plan.municipality) if plan and plan.municipality else None
        )
        rows.append({**r, "municipalityLabel": municipality.label if municipality else None})
    if page is not None and not page.whole:
        rows.sort(
            key=lambda r: tuple(str(r.get(k)) for k in ("municipalityLabel", "label", "plan"))
        )
        return page.result(dedupe(rows, "plan"), "planer", "", reading, order="kommune og navn")
    if not rows:
        return Result([], f"Grafen nævner ingen planer{scope_text(reading)}.")
    names = sorted({str(r["label"]) for r in rows})
    return Result(rows, "Vejene til målene er beskrevet i " + listing(names) + ".")


@handler("documents")
def documents(reading: Reading, ctx: Context) -> Result:
    rows = in_scope(sorted(ctx.run("documents"), key=lambda r: str(r["fileName"])), reading)
    if not rows:
        return Result([], f"Grafen har ingen dokumenter{scope_text(reading)}.")
    kinds = {"follow-up": "opfølgning", "agenda-item": "dagsordenspunkt"}
    for r in rows:
        r["kindLabel"] = kinds.get(str(r.get("kind")), r.get("kind"))
    return Result(rows, f"Grafen bygger på {plural(len(rows), 'dokument', 'dokumenter')}{scope_text(reading)}.",
                  ["title", "kindLabel", "municipalityLabel", "year", "fileName"], sources=[])  # fmt: skip


@handler("municipalities")
def municipalities(reading: Reading, ctx: Context) -> Result:
    found = [
        m
        for m in ctx.lexicon.municipalities
        if not reading.years or set(m.years) & set(reading.years)
    ]
    rows = [{"municipalityLabel": m.label, "years": ", ".join(map(str, m.years))} for m in found]
    if not rows:
        return Result([], f"Grafen har ingen data{scope_text(reading)}.")
    listed = listing([f"{m.label} ({', '.join(map(str, m.years))})" for m in found])
    return Result(rows, f"Grafen har data om {plural(len(rows), 'kommune', 'kommuner')}: {listed}.",
                  ["municipalityLabel", "years"], sources=[])  # fmt: skip
