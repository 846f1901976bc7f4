"""SHACL validation of document graphs against ``ontology/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import rdflib

from .resources import ontology_dir


@functools.lru_cache(maxsize=1)
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "maal.ttl", format="turtle")


@functools.lru_cache(maxsize=1)
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


@dataclass(frozen=True)
class Conformance:
    graph: str
    conforms: bool
    violations: int
    report: str  # pySHACL's text report, empty when the graph conforms


def check(
    data: rdflib.Graph, graph: str = "", shapes_graph: rdflib.Graph | None = None
) -> Conformance:
    """Validate one graph; the ontology is mixed in so concepts such as verdicts are known."""
    from pyshacl import validate as shacl_validate  # slow to import: only when validating

    mixed = rdflib.Graph()
    for triple in data:
        mixed.add(triple)
    for triple in ontology():
        mixed.add(triple)
    conforms, report_graph, text = shacl_validate(
        mixed,
        shacl_graph=shapes_graph if shapes_graph is not None else shapes(),
        inference="none",
        allow_warnings=True,
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(set(report_graph.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return Conformance(graph, bool(conforms), violations, "" if conforms else str(text))
