"""The endpoint's pure parts: protocol rules, content negotiation, the SPARQL lexer."""

from __future__ import annotations

import pytest

from maalgraph.server.negotiation import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    by_name,
    negotiate,
    parse_accept,
)
from maalgraph.server.protocol import ProtocolError, parse_request, query_params
from maalgraph.sparqltext import add_using, keywords, query_form

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "json"),
    ("", "json"),
    ("*/*", "json"),
    ("text/csv", "csv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/*", "csv"),
    ("text/csv;q=0.2, text/tab-separated-values;q=0.8", "tsv"),
    ("application/sparql-results+json;q=0.5, application/sparql-results+xml", "xml"),
    ("text/html, application/xhtml+xml, */*;q=0.8", "json"),  # a browser
    ("text/csv;q=0, */*;q=0.1", "json"),
    ("garbage, text/tab-separated-values", "tsv"),
])  # fmt: skip
def test_negotiate_results(accept: str | None, expected: str) -> None:
    fmt = negotiate(accept, RESULT_FORMATS)
    assert fmt is not None and fmt.key == expected


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/rdf+xml", "rdfxml"),
    ("application/n-triples", "ntriples"),
    ("text/plain", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/turtle,text/turtle", "turtle"),
    ("text/n3", "turtle"),
    ("text/csv", None),
    ("image/png", None),
    ("text/turtle;q=0", None),
])  # fmt: skip
def test_negotiate_graphs(accept: str, expected: str | None) -> None:
    fmt = negotiate(accept, GRAPH_FORMATS)
    assert (fmt.key if fmt else None) == expected


def test_accept_parser_is_forgiving() -> None:
    assert parse_accept("text/csv;q=abc, ;;, */*")[0].q == 0.0
    assert [r.subtype for r in parse_accept("a/b, c")] == ["b"]


def test_format_parameter_names() -> None:
    assert by_name("ttl", GRAPH_FORMATS).key == "turtle"  # type: ignore[union-attr]
    assert by_name("text/csv", RESULT_FORMATS).key == "csv"  # type: ignore[union-attr]
    assert by_name("html", RESULT_FORMATS) is None


# ---------------------------------------------------------------------------- protocol


def test_get_query_with_dataset() -> None:
    op = parse_request(
        "GET",
        [
            ("query", "ASK {}"),
            ("default-graph-uri", "http://g/1"),
            ("named-graph-uri", "http://g/2"),
        ],
        None,
        b"",
    )
    assert (op.kind, op.text, op.default_graphs, op.named_graphs) == (
        "query",
        "ASK {}",
        ["http://g/1"],
        ["http://g/2"],
    )


def test_get_without_query_is_a_description() -> None:
    assert parse_request("GET", [], None, b"").kind == "description"


def test_form_post_is_decoded_once() -> None:
    op = parse_request("POST", [], FORM, b"query=SELECT%20%3Fx%20%7B%7D%20%23%2525")
    assert op.text == "SELECT ?x {} #%25"


def test_direct_posts() -> None:
    assert (
        parse_request("POST", [], "application/sparql-query; charset=UTF-8", b"ASK {}").kind
        == "query"
    )
    op = parse_request("POST", [("using-graph-uri", "http://g/1")], "application/sparql-update",
                       b"INSERT { ?s a <http://c> } WHERE { ?s ?p ?o }")  # fmt: skip
    assert op.kind == "update" and op.using == ["http://g/1"]


def test_percent_escapes_that_are_not_utf8_are_refused() -> None:
    assert query_params(b"q=Bl%C3%A5") == [("q", "Blå")]
    for raw in (b"q=%FF", b"query=ASK%7B%7D%FF"):
        with pytest.raises(ProtocolError) as info:
            query_params(raw)
        assert info.value.status == 400 and "UTF-8" in info.value.message
    with pytest.raises(ProtocolError):
        parse_request("POST", [], FORM, b"query=ASK%20%7B%7D%FE")


@pytest.mark.parametrize(("method", "params", "content_type", "body", "status", "words"), [
    ("PUT", [("query", "ASK {}")], FORM, b"", 405, "GET and POST"),
    ("GET", [("query", "ASK {}"), ("query", "SELECT * {}")], None, b"", 400, "2 'query'"),
    ("GET", [("update", "CLEAR ALL")], None, b"", 400, "POST"),
    ("POST", [], "text/plain", b"ASK {}", 415, "text/plain"),
    ("POST", [], None, b"query=ASK%20%7B%7D", 415, "no Content-Type"),
    ("POST", [], "application/sparql-query; charset=UTF-16", b"ASK {}", 415, "UTF-8"),
    ("POST", [], "application/sparql-query", b"ASK {\xff}", 400, "UTF-8"),
    ("POST", [], FORM, b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", 400, "2 'update'"),
    ("POST", [], FORM, b"query=ASK%7B%7D&update=CLEAR%20ALL", 400, "both"),
    ("POST", [], FORM, b"nothing=here", 400, "neither"),
    ("GET", [("query", "  ")], None, b"", 400, "empty"),
    ("POST", [("using-graph-uri", "not an iri")], "application/sparql-update", b"CLEAR ALL", 400, "IRI"),
])  # fmt: skip
def test_protocol_errors(
    method: str,
    params: list[tuple[str, str]],
    content_type: str | None,
    body: bytes,
    status: int,
    words: str,
) -> None:
    with pytest.raises(ProtocolError) as info:
        parse_request(method, params, content_type, body)
    assert info.value.status == status and words in info.value.message


# ---------------------------------------------------------------------------- lexer


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * {}", "SELECT"),
    ("prefix ex: <http://ex/ask#> construct { ?s ?p ?o } where { ?s ?p ?o }", "CONSTRUCT"),
    ("# SELECT in a comment\nASK {}", "ASK"),
    ('BASE <http://x/> DESCRIBE <select>', "DESCRIBE"),
    ("INSERT DATA { <a> <b> 'SELECT' }", None),
    ("", None),
])  # fmt: skip
def test_query_form(text: str, form: str | None) -> None:
    assert query_form(text) == form


def test_keywords_ignore_strings_iris_variables_and_names() -> None:
    text = """SELECT ?service ?load WHERE { ?s <http://x/SERVICE> "LOAD" ; ex:service 'x'@load .
              # SERVICE <http://evil/>
              ?s ?p '''multi
              SERVICE''' }"""
    assert not keywords(text) & {"SERVICE", "LOAD"}
    assert "SERVICE" in keywords("SELECT * {\n  sErViCe\t<http://x> {} }")


def test_add_using_only_before_modify_where() -> None:
    update = "DELETE WHERE { ?a ?b ?c } ; INSERT { ?s a <C> } WHERE { ?s ?p 'WHERE' }"
    out = add_using(update, ["http://g/1"], ["http://g/2"])
    assert out.count("USING") == 2
    assert out.startswith("DELETE WHERE {")
    assert "} USING <http://g/1> USING NAMED <http://g/2> WHERE { ?s ?p 'WHERE' }" in out
