"""What each page shows, read from the graph through named queries and the analysis: plain
data for the templates. Nothing here knows about HTTP or HTML."""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.network import natural_key
from ..queries import load_queries
from ..wording import kind_name

if TYPE_CHECKING:
    from ..api import MaalGraph

EXAMPLE_QUERY = Path(__file__).with_name("example.rq")  # the SPARQL editor's first query
NAMES_SHOWN = 500  # IRIs of a result whose names the SPARQL editor looks up
VERDICT_ORDER = ("opfyldt", "delvist opfyldt", "ikke opfyldt", "uden vurdering", "ikke vurderet")


def examples(kg: MaalGraph) -> list[str]:
    """Example questions about what this graph holds (see :mod:`maalgraph.question.examples`),
    kept by the question answerer for the store's version."""
    return kg.answerer.examples()


# ---------------------------------------------------------------------------- scopes


@dataclass
class Scope:
    """Which municipality and year a page shows, and which there are to choose from."""

    municipalities: list[tuple[str, str]]  # (IRI, label)
    years: list[int]
    municipality: str | None
    year: int | None

    @property
    def municipality_label(self) -> str:
        return next((label for iri, label in self.municipalities if iri == self.municipality), "")


def scope(kg: MaalGraph, municipality: str | None, year: str | None) -> Scope:
    """The follow-ups' municipalities and years; without a choice, the first municipality and
    its latest year (the whole store can be far too much for one page)."""
    followups = [
        r for r in kg.named("documents").rows if r["kind"] == "follow-up" and r.get("municipality")
    ]
    municipalities = sorted(
        {(str(r["municipality"]), str(r["municipalityLabel"])) for r in followups},
        key=lambda m: m[1],
    )
    chosen = (
        municipality
        if any(iri == municipality for iri, _ in municipalities)
        else (municipalities[0][0] if municipalities else None)
    )
    years = sorted(
        {
            int(str(r["year"]))
            for r in followups
            if str(r["municipality"]) == chosen and r.get("year") is not None
        },
        reverse=True,
    )
    # a year as people type it: ASCII digits only ("²".isdigit() is true, int("²") fails)
    wanted = int(year) if year and re.fullmatch(r"[0-9]{1,4}", year.strip()) else None
    return Scope(
        municipalities, years, chosen, wanted if wanted in years else (years[0] if years else None)
    )


# ---------------------------------------------------------------------------- overview


@dataclass
class FocusAreaGoals:
    iri: str
    title: str
    goals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [
            (v, n)
            for v in VERDICT_ORDER
            if (n := sum(1 for g in self.goals if g["verdictLabel"] == v))
        ]


def overview(kg: MaalGraph, where: Scope) -> list[FocusAreaGoals]:
    """The focus areas of one municipality and year, each with its goals and their verdicts."""
    if where.municipality is None:
        return []
    areas: OrderedDict[str, FocusAreaGoals] = OrderedDict()
    goals = kg.named("goals", municipality=where.municipality, year=where.year).rows
    for row in _distinct(goals, "goal"):
        area = areas.setdefault(
            str(row["focusArea"]), FocusAreaGoals(str(row["focusArea"]), str(row["focusAreaTitle"]))
        )
        area.goals.append(row)
    return list(areas.values())


def verdict_counts(areas: list[FocusAreaGoals]) -> list[tuple[str, int]]:
    total: dict[str, int] = defaultdict(int)
    for area in areas:
        for verdict, n in area.counts:
            total[verdict] += n
    return [(v, total[v]) for v in VERDICT_ORDER if total[v]]


# ---------------------------------------------------------------------------- one thing


def entity(kg: MaalGraph, iri: str) -> dict[str, Any] | None:
    """A partner, unit or project: the goals that depend on it, the impact if it stops, and
    the paragraphs that say so."""
    thing = kg.entity_index.get(iri)
    if thing is None or thing.kind not in ("partner", "unit", "project"):
        return None
    rows = kg.named("goals_depending_on", entity=iri).rows
    at_risk = kg.impact(iri)
    return {
        "entity": thing,
        "kind": kind_name(thing.kind),
        "goals": _with_sections(rows, "goal"),
        "impact": at_risk,
        "at_risk": at_risk.by_goal(),
        "paragraphs": paragraphs(
            kg, [str(r["source"]) for r in rows] + [p.source for p in at_risk.paths]
        ),
    }


def goal(kg: MaalGraph, iri: str) -> dict[str, Any] | None:
    """A goal: text, verdict, assessment, measurements, partners, projects, sources and the
    committee's decision on its follow-up."""
    rows = kg.named("goal_status", goal=iri).rows
    if not rows:
        return None
    status = rows[0]
    return {
        "goal": status,
        "entities": _with_sections(kg.named("entities_of_goals", goal=iri).rows, "entity"),
        "measurements": kg.named("measurements", goal=iri).rows,
        "paragraphs": kg.named("goal_paragraphs", goal=iri).rows,
        "decisions": kg.named("decisions", report=str(status["report"])).rows,
    }


def _with_sections(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Rows come one per paragraph; a page shows one per ``key`` (a goal, an entity), with the
    sections of its paragraphs together under ``sections``."""
    grouped: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for row in rows:
        entry = grouped.setdefault(str(row[key]), {**row, "sections": []})
        if row["sourceSection"] not in entry["sections"]:
            entry["sections"].append(row["sourceSection"])
    return list(grouped.values())


def focus_area(kg: MaalGraph, iri: str) -> dict[str, Any] | None:
    """A focus area: its goals and what they depend on, one row per partner, unit or project
    naming each of its goals and each section saying so once."""
    goals = _distinct(kg.named("goals", focusArea=iri).rows, "goal")
    if not goals:
        return None
    by_number = {str(g["id"]): g for g in goals}
    entities: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for row in kg.named("entities_of_goals", focusArea=iri).rows:
        entry = entities.setdefault(str(row["entity"]), {**row, "goals": [], "sections": []})
        goal = by_number.get(str(row["id"]))
        if goal is not None and goal not in entry["goals"]:
            entry["goals"].append(goal)
        if row["sourceSection"] not in entry["sections"]:
            entry["sections"].append(row["sourceSection"])
    return {
        "iri": iri,
        "title": str(goals[0]["focusAreaTitle"]),
        "report": goals[0],
        "goals": goals,
        "entities": list(entities.values()),
    }


def _distinct(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The first row of each ``key`` (a goal with two verdict sentences is one goal)."""
    first: dict[str, dict[str, Any]] = {}
    for row in rows:
        first.setdefault(str(row[key]), row)
    return list(first.values())


def paragraphs(kg: MaalGraph, iris: list[str]) -> list[dict[str, Any]]:
    """Source paragraphs (each once, in document order) with their text."""
    out = []
    for iri in sorted(set(iris), key=natural_key):
        rows = kg.named("paragraph", paragraph=iri).rows
        if rows:
            out.append({"iri": iri, **rows[0]})
    return out


# ---------------------------------------------------------------------------- network and SPARQL


def focus_areas_for_network(kg: MaalGraph, where: Scope) -> list[tuple[str, str]]:
    if where.municipality is None:
        return []
    rows = kg.named("focus_areas", municipality=where.municipality, year=where.year).rows
    return [(str(r["focusArea"]), f"{r['number']}. {r['title']}") for r in rows]


def network_text(
    kg: MaalGraph, where: Scope, focus_area_iri: str | None, around: str | None
) -> list[dict[str, Any]]:
    """The picture's content as text (for screen readers and for reading): each goal with its
    verdict and what it depends on."""
    from ..analysis import around_view, focus_area_view, goal_partner_view

    network = kg.to_networkx(municipality=where.municipality, year=where.year)
    if around:
        network = (
            around_view(network, [around]) if around in network else network.subgraph([]).copy()
        )
    elif focus_area_iri and focus_area_iri in network:
        network = focus_area_view(network, focus_area_iri)
    else:
        network = goal_partner_view(network)
    goals = sorted((n for n, d in network.nodes(data=True) if d["type"] == "goal"), key=natural_key)
    out = []
    for node in goals:
        data = network.nodes[node]
        depends = sorted(
            {
                str(network.nodes[v]["label"])
                for _, v, key in network.out_edges(node, keys=True)
                if key == "depends_on"
            }
        )
        out.append({"iri": node, "label": data["label"], "text": data.get("text", ""), "verdict": data.get("verdict", ""),
                    "depends": depends})  # fmt: skip
    return out


def named_examples() -> list[dict[str, str]]:
    """The named queries, as examples for the SPARQL editor, by their Danish titles."""
    queries = sorted(load_queries().values(), key=lambda q: (q.title_da or q.name).casefold())
    return [{"name": q.name, "description": q.title_da or q.name, "text": q.text} for q in queries]


def example_query() -> str:
    """The query the SPARQL editor starts with (Danish comments and variable names)."""
    return EXAMPLE_QUERY.read_text(encoding="utf-8")


def names(kg: MaalGraph, iris: list[str]) -> dict[str, str]:
    """The names of things by IRI, to show instead of the IRI: the Danish name where there is
    one, else one without a language, else any (the first ``NAMES_SHOWN`` IRIs)."""
    from ..terms import is_iri

    wanted = [i for i in dict.fromkeys(iris) if is_iri(i)][:NAMES_SHOWN]
    if not wanted:
        return {}
    ranked: dict[str, tuple[int, str]] = {}
    for row in kg.named("names_of", iri=wanted).terms:
        name = row["name"]
        rank = {"da": 0, None: 1}.get(name.language, 2)
        iri = row["iri"].value
        if iri not in ranked or (rank, name.value) < ranked[iri]:
            ranked[iri] = (rank, name.value)
    return {iri: name for iri, (_, name) in ranked.items()}
