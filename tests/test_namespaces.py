"""The namespaces: plain IRIs (no rdflib import to name a term), equal to rdflib's own."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from maalgraph import namespaces
from maalgraph.namespaces import OX_MAAL, PREFIXES


def test_the_w3c_namespaces_are_rdflibs() -> None:
    ours = {p: PREFIXES[p] for p in ("rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "org")}
    assert ours == {
        p: str(ns) for p, ns in zip(ours, (RDF, RDFS, XSD, SKOS, DCTERMS, PROV, ORG), strict=True)
    }


def test_rdflib_namespaces_are_made_when_asked_for() -> None:
    assert isinstance(namespaces.MAAL, Namespace) and namespaces.MAAL is namespaces.MAAL
    assert str(namespaces.MAAL.Goal) == OX_MAAL.Goal.value == PREFIXES["maal"] + "Goal"
    assert str(namespaces.SCHEMA) == "https://schema.org/"
