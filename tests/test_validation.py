"""SHACL: every ingested graph conforms; a broken graph or shape is reported."""

from __future__ import annotations

import rdflib

from maalgraph import MaalGraph
from maalgraph.namespaces import MAAL
from maalgraph.resources import ontology_dir
from maalgraph.validation import check


def test_example_conforms(example: MaalGraph) -> None:
    results = example.validate()
    assert len(results) == 2  # one graph per document
    assert all(r.conforms for r in results), [r.report for r in results if not r.conforms]


def test_broken_data_is_a_violation(example: MaalGraph, seeds) -> None:
    graph = example.build(example.parse(seeds["followup"]))
    goal = next(graph.subjects(rdflib.RDF.type, MAAL.Goal))
    graph.remove((goal, MAAL.text, None))
    graph.add((goal, MAAL.verdict, MAAL.Godkendt))
    result = check(graph)
    assert (
        not result.conforms and result.violations >= 2
    )  # missing text; two verdicts, one not a verdict
    assert "maal:text" in result.report or str(MAAL.text) in result.report


def test_a_stricter_shape_finds_violations(example: MaalGraph) -> None:
    shapes = rdflib.Graph().parse(ontology_dir() / "shapes.ttl")
    shapes.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix maal: <https://w3id.org/maalgraph/def#> .
        maal:StrictGoal a sh:NodeShape ; sh:targetClass maal:Goal ;
            sh:property [ sh:path maal:text ; sh:maxLength 100 ] .
    """, format="turtle")  # fmt: skip
    results = {r.graph.rsplit("/", 1)[-1]: r for r in example.validate(shapes)}
    assert not results["maalopfoelgning-2020"].conforms
    assert results["maalopfoelgning-2020"].violations >= 5  # the long goal texts
    assert results["beskaeftigelsesudvalget-2021-03-16-punkt-23"].conforms


def test_goal_and_assessment_must_point_at_each_other(example: MaalGraph, seeds) -> None:
    """Queries walk goal → assessment (maal:hasAssessment); the shape keeps it in step with
    maal:assesses."""
    graph = example.build(example.parse(seeds["followup"]))
    goal, assessment = next(graph.subject_objects(MAAL.hasAssessment))
    graph.remove((goal, MAAL.hasAssessment, assessment))
    result = check(graph)
    assert not result.conforms and result.violations == 1 and "hasAssessment" in result.report
