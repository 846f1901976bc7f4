"""One term module: conversions agree in every direction, one IRI check, prefixed names."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st

from maalgraph import MaalGraph, QueryError
from maalgraph.terms import (
    Term,
    binding_term,
    expand,
    from_oxigraph,
    is_iri,
    parameter_term,
    sparql_text,
    to_oxigraph,
    to_rdflib,
)

MAAL = "https://w3id.org/maalgraph/def#"
XSD = "http://www.w3.org/2001/XMLSchema#"

TERMS = [
    Term("iri", "https://w3id.org/maalgraph/id/kommune/herning"),
    Term("bnode", "b0"),
    Term("literal", "Blå Kors", language="da"),
    Term("literal", "1.745", XSD + "decimal"),
    Term("literal", 'a "quoted"\nline', XSD + "string"),
    Term("literal", "2020-12-31", XSD + "date"),
]


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.kind + ":" + t.value[:10])
def test_round_trips(term: Term) -> None:
    assert from_oxigraph(to_oxigraph(term)) == term
    assert from_oxigraph(to_oxigraph(to_rdflib(term))) == term
    parsed = (
        ox.Store().query(f"SELECT ?x {{ VALUES ?x {{ {sparql_text(term)} }} }}")
        if term.kind != "bnode"
        else None
    )
    if parsed is not None:
        assert from_oxigraph(next(iter(parsed))["x"]) == term


@given(st.text(max_size=40))
def test_literal_text_is_always_valid_sparql(value: str) -> None:
    text = sparql_text(Term("literal", value, XSD + "string"))
    (row,) = ox.Store().query(f"SELECT ?x {{ VALUES ?x {{ {text} }} }}")
    assert row["x"].value == value


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("https://w3id.org/maalgraph/def#Opfyldt", True),
        ("urn:isbn:978", True),
        ("Opfyldt", False),
        ("http://x/a b", False),
        ("http://x> } DROP ALL", False),
        ("http://x/{a}", False),
        ("http://x/%zz", False),
    ],
)
def test_one_iri_check_for_queries_and_the_endpoint(text: str, ok: bool) -> None:
    from maalgraph.server.protocol import is_iri as protocol_check

    assert is_iri(text) is ok and protocol_check is is_iri
    if ok:
        assert parameter_term(text, "iri") == ox.NamedNode(text)
    else:
        with pytest.raises(QueryError, match="not an absolute IRI"):
            parameter_term(text, "iri")


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("maal:Opfyldt", MAAL + "Opfyldt"),
        ("org:OrganizationalUnit", "http://www.w3.org/ns/org#OrganizationalUnit"),
        (f"<{MAAL}Opfyldt>", MAAL + "Opfyldt"),
        ("  maal:Opfyldt ", MAAL + "Opfyldt"),
        ("https://example.org/a", "https://example.org/a"),
        ("urn:x:1", "urn:x:1"),
    ],
)
def test_prefixed_names_expand(text: str, iri: str) -> None:
    assert expand(text) == iri


@pytest.mark.parametrize("text", ["mal:Opfyldt", "foo:bar", ":Opfyldt"])
def test_unknown_prefixes_are_errors(text: str) -> None:
    with pytest.raises(QueryError, match="unknown prefix"):
        expand(text, what="parameter verdict")


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("42", "integer", '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("3,5", "decimal", '"3.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        ("1E+2", "decimal", '"100"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        ("Blå Kors", "string", '"Blå Kors"'),
        (rdflib.URIRef(MAAL + "Goal"), "iri", f"<{MAAL}Goal>"),
    ],
)
def test_parameter_terms(value: object, kind: str, expected: str) -> None:
    assert sparql_text(parameter_term(value, kind)) == expected


@pytest.mark.parametrize(
    ("value", "kind"), [("4x", "integer"), ("NaN", "decimal"), ("1,2,3", "decimal")]
)
def test_bad_parameter_values(value: str, kind: str) -> None:
    with pytest.raises(QueryError, match="parameter verdict"):
        parameter_term(value, kind, "verdict")


def test_bindings_take_terms_of_every_library() -> None:
    assert binding_term("x") == ox.Literal("x") and binding_term(7) == ox.Literal("7")
    for term in (
        ox.NamedNode(MAAL + "Goal"),
        rdflib.URIRef(MAAL + "Goal"),
        Term("iri", MAAL + "Goal"),
    ):
        assert binding_term(term) == ox.NamedNode(MAAL + "Goal")
    with pytest.raises(QueryError, match="only IRIs and literals"):
        binding_term(rdflib.BNode())


def test_prefixed_parameters_through_the_api(example: MaalGraph) -> None:
    full = example.named("goals", verdict=MAAL + "IkkeOpfyldt").rows
    assert example.named("goals", verdict="maal:IkkeOpfyldt").rows == full and len(full) == 1
