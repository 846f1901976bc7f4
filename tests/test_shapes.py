"""The fast SHACL check agrees with pySHACL: the same conformance and the same number of
validation results on every document of the test corpora and on broken graphs (each kind of
constraint the shapes use, and random deletions); shapes it cannot evaluate are refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_triples import corpus_documents

from maalgraph import MaalGraph
from maalgraph.shapes import ShapeCheck, ShapeError
from maalgraph.triples import DocumentQuads
from maalgraph.validation import check as pyshacl_check

MAAL = "https://w3id.org/maalgraph/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
Quads = list[ox.Quad]


def m(local: str) -> ox.NamedNode:
    return ox.NamedNode(MAAL + local)


def both(quads: Quads) -> tuple[tuple[bool, int], tuple[bool, int]]:
    fast = ShapeCheck.load().check(quads)
    triples = [(q.subject, q.predicate, q.object) for q in quads]
    slow = pyshacl_check(
        DocumentQuads("urn:x:g", "urn:x:r", triples, [False] * len(triples)).to_rdflib()
    )  # type: ignore[arg-type]
    return (fast.conforms, fast.violations), (slow.conforms, slow.violations)


@pytest.fixture(scope="module")
def kg() -> MaalGraph:
    return MaalGraph.memory()


@pytest.fixture(scope="module")
def followup(kg: MaalGraph, seeds: dict[str, Path]) -> Quads:
    return kg.build_quads(kg.parse(seeds["followup"])).quads


@pytest.fixture(scope="module")
def agenda(kg: MaalGraph, seeds: dict[str, Path]) -> Quads:
    return kg.build_quads(kg.parse(seeds["agenda"])).quads


@pytest.mark.parametrize("name", sorted(corpus_documents()))
def test_agrees_on_every_corpus_document(kg: MaalGraph, name: str) -> None:
    quads = kg.build_quads(kg.parse(corpus_documents()[name])).quads
    fast, slow = both(quads)
    assert fast == slow and fast[0]


# ---------------------------------------------------------------------- broken graphs


def first(quads: Quads, predicate: str, of_type: str | None = None) -> ox.Quad:
    typed = (
        {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == m(of_type)}
        if of_type
        else None
    )
    return next(
        q for q in quads if q.predicate == m(predicate) and (typed is None or q.subject in typed)
    )


def swap(quads: Quads, old: ox.Quad, new_object: object) -> Quads:
    new = ox.Quad(old.subject, old.predicate, new_object, old.graph_name)  # type: ignore[arg-type]
    return [new if q == old else q for q in quads]


def add(quads: Quads, s: object, p: str, o: object) -> Quads:
    return [*quads, ox.Quad(s, m(p), o, quads[0].graph_name)]  # type: ignore[arg-type]


def integer(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "integer"))


FOLLOWUP_BREAKS: dict[str, Callable[[Quads], Quads]] = {
    "a goal without its text (minCount)": lambda q: [x for x in q if x != first(q, "text", "Goal")],
    "a goal with two texts (maxCount)": lambda q: add(
        q, first(q, "text", "Goal").subject, "text", ox.Literal("andet")
    ),
    "a goal's verdict not a verdict (in)": lambda q: swap(
        q, first(q, "verdict", "Goal"), m("Godkendt")
    ),
    "a paragraph at position 0 (minInclusive)": lambda q: swap(
        q, first(q, "position"), integer("0")
    ),
    "an ill-typed position (datatype)": lambda q: swap(q, first(q, "position"), integer("tre")),
    "an empty paragraph (minLength)": lambda q: swap(
        q, first(q, "text", "Paragraph"), ox.Literal("")
    ),
    "a text in a language (datatype)": lambda q: swap(
        q, first(q, "text", "Paragraph"), ox.Literal("x", language="da")
    ),
    "a malformed checksum (pattern)": lambda q: swap(q, first(q, "sha256"), ox.Literal("XYZ")),
    "an assessment without its goal (equals, minCount)": lambda q: [
        x for x in q if x != first(q, "assesses")
    ],
    "a verdict beside 'cannot be judged' (not)": lambda q: add(
        q,
        first(q, "verdict", "GoalAssessment").subject,
        "noVerdictPhrase",
        ox.Literal("kan ikke vurderes"),
    ),
    "a focus area in a literal report (class)": lambda q: swap(
        q, first(q, "inReport"), ox.Literal("rapport")
    ),
    "another kind of document (in)": lambda q: swap(
        q, first(q, "documentKind"), ox.Literal("other")
    ),
    "a municipality as text (nodeKind)": lambda q: swap(
        q, first(q, "municipality", "SourceDocument"), ox.Literal("Herning")
    ),
    "a report without its type (class)": lambda q: [
        x for x in q if not (x.predicate == RDF_TYPE and x.object == m("FollowUpReport"))
    ],
}
AGENDA_BREAKS: dict[str, Callable[[Quads], Quads]] = {
    "an impossible meeting date (datatype)": lambda q: swap(q, next(x for x in q if x.predicate.value.endswith("/date")),
                                                           ox.Literal("2021-13-45", datatype=ox.NamedNode(XSD + "date"))),
    "a decision outcome not a concept (class)": lambda q: swap(q, first(q, "decisionOutcome"), m("Goal")),
    "a decision without its text (minCount)": lambda q: [x for x in q if not (x.predicate == m("text") and str(x.subject).endswith('/beslutning>'))],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(FOLLOWUP_BREAKS))
def test_agrees_on_a_broken_followup(followup: Quads, name: str) -> None:
    fast, slow = both(FOLLOWUP_BREAKS[name](followup))
    assert fast == slow and not fast[0], name


@pytest.mark.parametrize("name", sorted(AGENDA_BREAKS))
def test_agrees_on_a_broken_agenda_item(agenda: Quads, name: str) -> None:
    fast, slow = both(AGENDA_BREAKS[name](agenda))
    assert fast == slow and not fast[0], name


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_agrees_when_facts_go_missing(followup: Quads, data: st.DataObject) -> None:
    gone = data.draw(st.sets(st.integers(0, len(followup) - 1), min_size=1, max_size=6))
    quads = [q for i, q in enumerate(followup) if i not in gone]
    fast, slow = both(quads)
    assert fast == slow


def test_the_report_names_what_is_wrong(followup: Quads) -> None:
    report = ShapeCheck.load().check(
        FOLLOWUP_BREAKS["a goal without its text (minCount)"](followup)
    )
    assert "MinCountConstraintComponent" in report.text() and MAAL + "text" in report.text()


@pytest.mark.parametrize(
    "shape",
    [
        "[ sh:path ( maal:a maal:b ) ; sh:minCount 1 ]",  # a sequence path
        "[ sh:path maal:text ; sh:uniqueLang true ]",  # a constraint it does not implement
        "[ sh:path maal:year ; sh:datatype xsd:gMonthDay ]",  # a datatype it cannot check
    ],
)
def test_shapes_it_cannot_evaluate_are_refused(shape: str) -> None:
    shapes = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix maal: <{MAAL}> .
        @prefix xsd: <{XSD}> .
        maal:S a sh:NodeShape ; sh:targetClass maal:Goal ; sh:property {shape} ."""
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(shapes, format=ox.RdfFormat.TURTLE)
    ]
    with pytest.raises(ShapeError):
        ShapeCheck(triples, [])
