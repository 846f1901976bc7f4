"""Link agenda items to the follow-ups they approve, summary bullets to goals, and projects to
the partners named with them; record the inconsistencies found on the way.

What is derived from several documents lives in graphs of its own under ``…/graph/derived/``:
one per agenda item (its links and inconsistencies) and one per municipality (its projects'
partners). After an ingest or a removal only the graphs that the changed documents can affect
are rebuilt (:func:`plan`), so relinking costs the same in a store of one municipality as in
one of a hundred municipalities over many years.

**Invariant: a derived fact never disagrees with its documents, even after a crash.** The
documents and the graphs derived from them are written in several transactions, so every
change of documents is bracketed by a durable mark (:class:`maalgraph.pending.PendingMark`): set, in its own
transaction, before the first document is written; removed only after the last derived graph
is rebuilt. A store found with the mark set was interrupted in between (kill -9, power
loss): opening it rebuilds every derived graph, and ``validate`` reports it while nobody
can (another process holds the store). Whoever changes how documents are written keeps the
bracket: mark, write documents, derive, clear.
"""

from __future__ import annotations

import functools
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

from .concepts import VERDICT_WORDS
from .i18n import _
from .matching import pair_by_text
from .namespaces import MAAL
from .terms import binding_term, iri, sparql_text

MATCH_THRESHOLD = 0.75
_INTEGER = ox.NamedNode(str(XSD.integer))


Row = Mapping[str, Any]


@dataclass(frozen=True)
class DocumentScope:
    """What a source document is about, as far as linking is concerned."""

    graph: str  # the document's named graph
    document: str  # the source document node
    kind: str  # "follow-up" or "agenda-item"
    municipality: str | None
    year: int | None

    @classmethod
    def from_row(cls, row: Row) -> DocumentScope:
        """From a row of the ``documents`` named query."""
        year = row.get("year")
        municipality = row.get("municipality")
        return cls(str(row["graph"]), str(row["document"]), str(row["kind"]),
                   str(municipality) if municipality else None, int(str(year)) if year is not None else None)  # fmt: skip

    @property
    def doc_id(self) -> str:
        return self.graph.rstrip("/").rsplit("/", 1)[-1]

    def could_approve(self, report: DocumentScope) -> bool:
        """An agenda item could approve a follow-up of its own municipality and year (an
        item that names neither could approve any)."""
        return (self.municipality is None or self.municipality == report.municipality) and (
            self.year is None or self.year == report.year
        )


@dataclass
class LinkInputs:
    """What relinking reads of one document, taken from its facts as they are built: its
    goals, its summary statements and its projects' partners, as the rows of ``goals``,
    ``summary_statements`` and ``project_partners`` give them (the columns
    :func:`build_links` uses). The process writing the store then relinks a batch without
    querying the whole store: at 2,000 documents (2.8M quads) one ``goals`` query for a
    municipality and year took ~0.2 s and one ``project_partners`` ~1 s, while a document's
    rows are a few dictionary look-ups in the worker that built it."""

    goals: list[Row]
    statements: list[Row]
    partners: dict[str, set[tuple[str, str]]]  # by the projects' municipality

    @classmethod
    def from_facts(cls, triples: Iterable[tuple[Any, Any, Any]]) -> LinkInputs:
        """From a document's facts (pyoxigraph terms). Every fact the three queries join
        is in the document: its paragraphs, goals, assessments and summary statements are
        its own, and the registry facts about the things it names (a municipality's label,
        a project's municipality and type, a partner's type) are written with it."""
        facts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            facts[s.value][p.value].append(o)
        return cls(_goal_rows(facts), _statement_rows(facts),
                   _partner_pairs(facts))  # fmt: skip

    def goals_of(self, municipality: str | None, year: int | None) -> list[Row]:
        """The rows ``goals`` gives bound to this municipality and year (None: any)."""
        return [g for g in self.goals
                if (municipality is None or g["municipality"] == municipality)
                and (year is None or g["year"] == year)]  # fmt: skip


@dataclass(frozen=True)
class Batch:
    """The documents an ingest just wrote (by graph): what relinking reads of each, and
    which of them were new (not replacing a stored version)."""

    known: Mapping[str, LinkInputs]
    added: frozenset[str]

    @property
    def only_added(self) -> bool:
        """No stored document changed: derived facts can only be added, never withdrawn."""
        return set(self.known) <= self.added


_DEF, _RDF = str(MAAL), "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DCT, _SKOS, _PROV = "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#", str(PROV)
_TYPE, _MENTIONS, _MUNICIPALITY, _YEAR = (
    f"{_RDF}type",
    f"{_DEF}mentions",
    f"{_DEF}municipality",
    f"{_DEF}year",
)
_LABEL, _TITLE, _TEXT, _NUMBER = f"{_SKOS}prefLabel", f"{_DCT}title", f"{_DEF}text", f"{_DEF}number"
_PARTNER_TYPES = {f"{_DEF}Partner", "http://www.w3.org/ns/org#OrganizationalUnit"}


def _iris(props: Mapping[str, list[Any]], predicate: str) -> set[str]:
    return {o.value for o in props.get(predicate, []) if isinstance(o, ox.NamedNode)}


def _values(props: Mapping[str, list[Any]], predicate: str) -> list[Any]:
    return [o.value if not isinstance(o, ox.Literal) or o.datatype != _INTEGER else int(o.value)
            for o in props.get(predicate, [])]  # fmt: skip


def _goal_rows(facts: Mapping[str, Mapping[str, list[Any]]]) -> list[Row]:
    """``goals``: goals with an identifier, a number, a text, a verdict labelled in Danish and
    a numbered, titled focus area in a titled report of a labelled municipality and year."""
    rows: list[Row] = []
    empty: dict[str, list[Any]] = {}
    for goal, props in facts.items():
        if f"{_DEF}Goal" not in _iris(props, _TYPE) or not props.get(f"{_DCT}identifier") \
                or not props.get(_NUMBER):  # fmt: skip
            continue
        verdicts = [v for v in _iris(props, f"{_DEF}verdict") if v in _danish_verdict_labels()]
        for area in sorted(_iris(props, f"{_DEF}focusArea")):
            area_props = facts.get(area, empty)
            if not area_props.get(_LABEL) or not area_props.get(_NUMBER):
                continue
            for report in sorted(_iris(area_props, f"{_DEF}inReport")):
                report_props = facts.get(report, empty)
                places = [m for m in sorted(_iris(report_props, _MUNICIPALITY))
                          if facts.get(m, empty).get(_LABEL)]  # fmt: skip
                rows += [{"goal": goal, "text": text, "verdict": verdict, "focusArea": area,
                          "report": report, "reportTitle": title, "municipality": place,
                          "year": year}
                         for text in _values(props, _TEXT) for verdict in verdicts
                         for title in _values(report_props, _TITLE) for place in places
                         for year in _values(report_props, _YEAR)]  # fmt: skip
    return rows


def _statement_rows(facts: Mapping[str, Mapping[str, list[Any]]]) -> list[Row]:
    """``summary_statements`` of the document: statements derived from its paragraphs."""
    rows: list[Row] = []
    empty: dict[str, list[Any]] = {}
    for statement, props in facts.items():
        if f"{_DEF}SummaryStatement" not in _iris(props, _TYPE):
            continue
        if not any(facts.get(s, empty).get(f"{_DCT}isPartOf")
                   for s in _iris(props, f"{_PROV}wasDerivedFrom")):  # fmt: skip
            continue
        verdicts: list[str | None] = [*sorted(_iris(props, f"{_DEF}verdict"))] or [None]
        rows += [{"statement": statement, "text": text, "verdict": verdict, "item": item,
                  "itemTitle": title}
                 for text in _values(props, _TEXT) for item in sorted(_iris(props, f"{_DEF}summaryOf"))
                 for title in _values(facts.get(item, empty), _TITLE) for verdict in verdicts]  # fmt: skip
    return rows


def _partner_pairs(facts: Mapping[str, Mapping[str, list[Any]]]) -> dict[str, set[tuple[str, str]]]:
    """``project_partners`` by municipality: a project and a partner or unit named in one
    paragraph that an assessment is derived from."""
    empty: dict[str, list[Any]] = {}
    assessed = {paragraph for props in facts.values()
                if f"{_DEF}GoalAssessment" in _iris(props, _TYPE)
                for paragraph in _iris(props, f"{_PROV}wasDerivedFrom")}  # fmt: skip
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for paragraph in assessed:
        named = _iris(facts.get(paragraph, empty), _MENTIONS)
        partners = [n for n in named if _iris(facts.get(n, empty), _TYPE) & _PARTNER_TYPES]
        for project in named:
            if f"{_DEF}Project" in _iris(facts.get(project, empty), _TYPE):
                for place in _iris(facts.get(project, empty), _MUNICIPALITY):
                    pairs[place] |= {(project, o) for o in partners}
    return dict(pairs)


@functools.cache
def _danish_verdict_labels() -> frozenset[str]:
    """The verdicts the ontology labels in Danish (``goals`` requires the label)."""
    from .validation import ontology

    return frozenset(str(s) for s, _, o in ontology().triples((None, SKOS.prefLabel, None))
                     if isinstance(o, Literal) and o.language == "da")  # fmt: skip


@dataclass
class RelinkPlan:
    """Which derived graphs to rebuild."""

    agenda_items: list[DocumentScope]
    municipalities: list[str]


def plan(documents: Iterable[DocumentScope], changed: Iterable[DocumentScope] | None) -> RelinkPlan:
    """What to rebuild after ``changed`` documents were ingested or removed (``None``: all).

    >>> report = DocumentScope("g/r", "d/r", "follow-up", "area/vejle", 2021)
    >>> item = DocumentScope("g/a", "d/a", "agenda-item", "area/vejle", 2021)
    >>> other = DocumentScope("g/b", "d/b", "agenda-item", "area/herning", 2021)
    >>> [i.doc_id for i in plan([report, item, other], [report]).agenda_items]
    ['a']
    """
    documents = list(documents)
    items = [d for d in documents if d.kind == "agenda-item"]
    if changed is None:
        return RelinkPlan(items, sorted({d.municipality for d in documents if d.municipality}))
    changed = list(changed)
    reports = [c for c in changed if c.kind == "follow-up"]
    touched = {c.graph for c in changed}
    return RelinkPlan(
        [i for i in items if i.graph in touched or any(i.could_approve(r) for r in reports)],
        sorted({c.municipality for c in changed if c.municipality}),
    )


def stale_graphs(
    expected: Mapping[str, Graph], stored: Mapping[str, Graph]
) -> list[tuple[str, int, int]]:
    """The derived graphs whose stored facts differ from what the documents give now:
    (graph, facts missing, facts no longer supported), by graph. A graph with no facts and
    a missing graph are the same thing.

    >>> fact = (URIRef("a:x"), MAAL.approves, URIRef("a:y"))
    >>> stale_graphs({"g1": Graph().add(fact), "g2": Graph()}, {"g1": Graph(), "g3": Graph().add(fact)})
    [('g1', 1, 0), ('g3', 0, 1)]
    """
    out = []
    for graph in sorted(set(expected) | set(stored)):
        want = set(expected.get(graph, Graph()))
        have = set(stored.get(graph, Graph()))
        if want != have:
            out.append((graph, len(want - have), len(have - want)))
    return out


@dataclass
class Links:
    graph: Graph = field(default_factory=Graph)
    warnings: list[str] = field(default_factory=list)


def prune_registry_update(registry: str, derived_prefix: str) -> str:
    """The update that drops registry facts about things no document uses any more (after a
    document is removed or changed). A thing is in use when a document graph names it, or
    names a registry thing that refers to it (a meeting's committee, a unit's municipality);
    maalgraph's registry is never deeper than that. Derived graphs keep nothing alive. The
    IRIs are maalgraph's own graph names. The parent's use is a nested EXISTS so that it is
    checked for the registry's few parents only (as a plain join, Oxigraph looked it up in
    every graph first: 30 s instead of 0.1 s at 1M triples)."""
    reg, prefix = sparql_text(iri(registry)), sparql_text(binding_term(derived_prefix))
    used = "GRAPH ?g {{ {{ ?x ?q {0} }} UNION {{ {0} ?q ?y }} }} FILTER(?g != {1} && !STRSTARTS(STR(?g), {2}))"
    return (
        f"DELETE {{ GRAPH {reg} {{ ?thing ?p ?o }} }} WHERE {{\n"
        f"  GRAPH {reg} {{ ?thing ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ {used.format('?thing', reg, prefix)} }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH {reg} {{ ?parent ?r ?thing }} FILTER EXISTS {{ {used.format('?parent', reg, prefix)} }} }}\n"
        "}"
    )


def build_links(statements: Sequence[Row], goals: Sequence[Row], graph_iri: str) -> Links:
    """Match one agenda item's summary statements (rows of ``summary_statements``) to the
    goals of the best-fitting report among the candidates (rows of ``goals``)."""
    if not statements:
        return Links()
    # the matching is greedy: a fixed order (by IRI) makes it independent of the query's
    # order; each row once by what is used here (the queries repeat a goal per source)
    statements = _distinct(statements, ("statement", "text", "verdict", "item", "itemTitle"))
    goals = _distinct(goals, ("goal", "text", "verdict", "focusArea", "report", "reportTitle"))
    item, item_title = str(statements[0]["item"]), str(statements[0]["itemTitle"])
    by_report: dict[str, list[Row]] = defaultdict(list)
    titles: dict[str, str] = {}
    for goal in goals:
        by_report[str(goal["report"])].append(goal)
        titles[str(goal["report"])] = str(goal["reportTitle"])
    out = Links()
    best_report: str | None = None
    best_pairs: list[tuple[Row, Row]] = []
    for report in sorted(by_report):
        pairs = pair_by_text(statements, by_report[report], MATCH_THRESHOLD)
        if len(pairs) > len(best_pairs):
            best_report, best_pairs = report, pairs
    if best_report is None:
        out.warnings.append(
            _("agenda item «{item}»: no ingested follow-up matches its summary", item=item_title)
        )
        return out
    out.graph.add((URIRef(item), MAAL.approves, URIRef(best_report)))
    for statement, goal in best_pairs:
        out.graph.add(
            (URIRef(str(statement["statement"])), MAAL.restates, URIRef(str(goal["goal"])))
        )
        said, found = statement.get("verdict"), goal.get("verdict")
        if said and found and said != found:
            _inconsistency(
                out, graph_iri, str(goal["goal"]),
                _("the summary of «{item}» says «{said}» but the follow-up says «{found}» for "
                  "the goal «{goal}»", item=item_title, said=VERDICT_WORDS.get(str(said)),
                  found=VERDICT_WORDS.get(str(found)), goal=_cut(goal["text"])),
            )  # fmt: skip
    matched_goals = {str(g["goal"]) for _, g in best_pairs}
    by_area: dict[str, list[Row]] = defaultdict(list)
    for goal in by_report[best_report]:
        by_area[str(goal["focusArea"])].append(goal)
    for area, area_goals in sorted(by_area.items()):
        area_goals.sort(key=lambda g: str(g["goal"]))
        if not any(str(g["goal"]) in matched_goals for g in area_goals):
            _inconsistency(
                out, graph_iri, area,
                _("the summary of «{item}» omits a focus area of «{report}» with {goals} goals "
                  "(first goal: «{goal}»)", item=item_title, report=titles[best_report],
                  goals=len(area_goals), goal=_cut(area_goals[0]["text"])),
            )  # fmt: skip
    for statement in statements:
        if all(statement is not s for s, _ in best_pairs):
            _inconsistency(
                out, graph_iri, str(statement["statement"]),
                _("a summary bullet of «{item}» restates no goal of «{report}»: «{text}»",
                  item=item_title, report=titles[best_report], text=_cut(statement["text"])),
            )  # fmt: skip
    return out


def _distinct(rows: Sequence[Row], columns: tuple[str, ...]) -> list[Row]:
    """The rows, each combination of ``columns`` once, ordered by them."""
    by_key = {tuple(str(r.get(c)) for c in columns): r for r in rows}
    return [by_key[key] for key in sorted(by_key)]


def _cut(text: object, width: int = 60) -> str:
    return textwrap.shorten(" ".join(str(text).split()), width=width, placeholder="…")


def _inconsistency(out: Links, graph_iri: str, concerns: str, message: str) -> None:
    """An inconsistency for people to read: its text in Danish (the message catalogue)."""
    node = URIRef(f"{graph_iri}/inconsistency/{len(out.warnings) + 1}")
    out.graph.add((node, RDF.type, MAAL.Inconsistency))
    out.graph.add((node, MAAL.text, Literal(message, lang="da")))
    out.graph.add((node, MAAL.concerns, URIRef(concerns)))
    out.warnings.append(message)
