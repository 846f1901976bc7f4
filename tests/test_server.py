"""The SPARQL endpoint, live: a real ``maalgraph serve`` on 127.0.0.1, queried with SPARQLWrapper
and plain HTTP."""

from __future__ import annotations

import csv
import http.client as httpclient
import io
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from servers import Server, http, maalgraph_server
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from maalgraph import MaalGraph

GOALS = """PREFIX maal: <https://w3id.org/maalgraph/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id ?text WHERE { ?goal a maal:Goal ; dcterms:identifier ?id ; maal:text ?text } ORDER BY ?id"""
CONSTRUCT = """PREFIX maal: <https://w3id.org/maalgraph/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
CONSTRUCT { ?goal dcterms:identifier ?id } WHERE { ?goal a maal:Goal ; dcterms:identifier ?id }"""
# a cross product with an aggregate: it runs for hours, and nothing comes out before the end
QUERY_OF_DEATH = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    with maalgraph_server(
        tmp,
        "--timeout",
        "2",
        "--max-rows",
        "5",
        "--workers",
        "2",
        "--cors-origin",
        "https://intra.example",
    ) as s:
        yield s


def fetch(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    return http(url, data=data, headers=headers, method=method, timeout=30)


def get(
    server: Server, query: str, accept: str | None = None, **params: str
) -> tuple[int, dict[str, str], bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return fetch(f"{server.sparql}?{qs}", headers={"Accept": accept} if accept else {})


def wrapper(server: Server, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


# ---------------------------------------------------------------------------- result formats


def test_select_as_json_with_sparqlwrapper(server: Server, example: MaalGraph) -> None:
    data = wrapper(server, GOALS, JSON).query().convert()
    ids = [b["id"]["value"] for b in data["results"]["bindings"]]
    expected = [str(r["id"]) for r in example.query(GOALS).rows]
    assert len(expected) == 12 and ids == expected[:5]  # cut at --max-rows 5


def test_select_as_xml_csv_tsv_with_sparqlwrapper(server: Server, example: MaalGraph) -> None:
    first = [str(r["id"]) for r in example.query(GOALS).rows][:5]
    xml = wrapper(server, GOALS, XML).query().convert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")][::2] == first
    table = wrapper(server, GOALS, CSV).query().convert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["id", "text"] and [r[0] for r in rows[1:]] == first
    tsv = wrapper(server, GOALS, TSV).query().convert().decode("utf-8").splitlines()
    assert tsv[0] == "?id\t?text" and tsv[1].startswith('"1.1"\t"')


@pytest.mark.parametrize(
    ("query", "rows", "truncated"),
    [
        ("SELECT ?n { VALUES ?n { 1 2 3 4 5 } }", [1, 2, 3, 4, 5], False),  # exactly --max-rows
        ("SELECT ?n { VALUES ?n { 1 2 3 4 5 6 } } ORDER BY DESC(?n)", [6, 5, 4, 3, 2], True),
        ("SELECT ?n { VALUES ?n { 1 2 3 4 5 6 7 } } ORDER BY ?n LIMIT 3", [1, 2, 3], False),  # its own limit
        ("SELECT ?n { VALUES ?n { 1 2 3 4 5 6 7 } } ORDER BY ?n LIMIT 50 OFFSET 1", [2, 3, 4, 5, 6], True),
        ("SELECT ?n { VALUES ?n { 1 2 3 4 5 6 } } ORDER BY ?n VALUES ?n { 2 4 6 } # trailing", [2, 4, 6], False),
        ("SELECT ?n { { SELECT ?n { VALUES ?n { 1 2 3 4 5 6 7 } } LIMIT 6 } } ORDER BY ?n", [1, 2, 3, 4, 5], True),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_row_limit_boundaries(
    server: Server, query: str, rows: list[int], truncated: bool, accept: str
) -> None:
    """Results come from the engine's own serializer under a top-level LIMIT of one row
    more than --max-rows; only a result with that extra row is cut (and says so)."""
    status, headers, body = get(server, query, accept)
    assert status == 200, body
    text = body.decode("utf-8")
    if "json" in accept:
        values = [int(b["n"]["value"]) for b in json.loads(text)["results"]["bindings"]]
    elif "xml" in accept:
        values = [int(v) for v in re.findall(r"<literal[^>]*>(\d+)</literal>", text)]
    else:
        values = [int(line.split("^^")[0].strip('"')) for line in text.splitlines()[1:]]
    assert values == rows
    assert ("maalgraph-truncated" in {k.lower() for k in headers}) is truncated


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_a_cut_result_has_the_bytes_of_the_same_rows_uncut(server: Server, accept: str) -> None:
    """The engine's serializer writes every body: a result cut at --max-rows (5) is byte for
    byte the result of the same query with LIMIT 5, in every format."""
    values = "SELECT ?n ?s { VALUES (?n ?s) { (1 'a') (2 'b\\u00e5') (3 '\"c\"') (4 'd,e') (5 'f') (6 'g') } } ORDER BY ?n"
    status, headers, cut = get(server, values, accept)
    assert status == 200 and headers["maalgraph-truncated"] == "5"
    status, headers, limited = get(server, values + " LIMIT 5", accept)
    assert status == 200 and "maalgraph-truncated" not in headers
    assert cut == limited
    ask_status, _, ask = get(server, "ASK { }", accept)
    engine = (
        ox.Store()
        .query("ASK { }")
        .serialize(format=ox.QueryResultsFormat.from_media_type(accept.split(";")[0]))
    )
    assert ask_status == 200 and ask == engine


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask_with_sparqlwrapper(server: Server, fmt: str) -> None:
    result = (
        wrapper(server, "ASK { ?s a <https://w3id.org/maalgraph/def#Goal> }", fmt).query().convert()
    )
    value = (
        result["boolean"]
        if fmt == JSON
        else result.getElementsByTagName("boolean")[0].firstChild.data == "true"
    )
    assert value is True


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_construct_parses_as_rdf_in_every_syntax(server: Server, fmt: str) -> None:
    client = wrapper(server, CONSTRUCT, fmt)
    response = client.query()
    media_type = response.response.headers["Content-Type"].split(";")[0]
    graph = rdflib.Graph().parse(data=response.response.read(), format={
        "text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
    }[media_type])  # fmt: skip
    assert len(graph) == 5  # 12 goals, cut at --max-rows 5
    assert response.response.headers["Maalgraph-Truncated"] == "5"


def test_describe(server: Server) -> None:
    status, headers, body = get(
        server, "DESCRIBE <https://w3id.org/maalgraph/def#Opfyldt>", "application/n-triples"
    )
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=body, format="nt")) > 0


def test_accept_q_values_and_format_parameter(server: Server) -> None:
    _, headers, _ = get(
        server, GOALS, "text/csv;q=0.4, application/sparql-results+xml;q=0.9, */*;q=0.1"
    )
    assert headers["content-type"].startswith("application/sparql-results+xml")
    _, headers, _ = get(server, GOALS, "application/json", format="tsv")
    assert headers["content-type"].startswith("text/tab-separated-values")


def test_406_when_no_format_fits(server: Server) -> None:
    status, _, body = get(server, GOALS, "image/png")
    assert status == 406 and b"text/csv" in body
    status, _, _ = get(server, CONSTRUCT, "text/csv")
    assert status == 406


def test_service_description(server: Server) -> None:
    status, headers, body = fetch(server.sparql)
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.endpoint, rdflib.URIRef(server.sparql)) in graph
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) not in graph  # read-only


# ---------------------------------------------------------------------------- errors and limits


def test_malformed_query_is_400_with_position(server: Server) -> None:
    status, _, body = get(server, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and b"1:" in body and b"malformed" in body
    with pytest.raises(QueryBadFormed):
        wrapper(server, "SELEKT ?x {}", JSON).query()


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/> { ?s ?p ?o } }",
])  # fmt: skip
def test_service_is_refused(server: Server, query: str) -> None:
    status, _, body = get(server, query)
    assert status == 400 and b"SERVICE" in body


def test_from_only_selects_graphs_in_the_store(server: Server) -> None:
    status, _, body = get(server, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    status, _, body = get(
        server,
        "SELECT * FROM <https://w3id.org/maalgraph/id/graph/ontology> WHERE { ?s ?p ?o } LIMIT 1",
    )
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1


def test_updates_are_refused_on_a_read_only_endpoint(server: Server) -> None:
    for body in (b"update=LOAD+%3Cfile%3A%2F%2F%2Fetc%2Fpasswd%3E", b"update=CLEAR+ALL"):
        status, _, _ = fetch(
            server.sparql, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status in (400, 403)
    status, _, _ = fetch(
        server.sparql,
        data=b"CLEAR ALL",
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer x"},
    )
    assert status == 403
    body = get(server, "ASK { ?s a <https://w3id.org/maalgraph/def#Goal> }")[2]
    assert json.loads(body) == {"head": {}, "boolean": True}


def test_huge_request_is_413(server: Server) -> None:
    # the declared length is refused before the body is read
    connection = httpclient.HTTPConnection(server.url.removeprefix("http://"), timeout=30)
    connection.putrequest("POST", "/sparql")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(17 * 1024 * 1024))
    connection.endheaders(b"query=ASK%7B%7D")
    response = connection.getresponse()
    assert response.status == 413 and b"limit" in response.read()
    connection.close()


def test_slow_query_times_out_while_others_are_answered(server: Server) -> None:
    outcome: dict[str, int] = {}

    def slow() -> None:
        outcome["status"] = get(server, QUERY_OF_DEATH)[0]

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    status, _, _ = fetch(f"{server.url}/health")
    assert status == 200 and time.monotonic() - started < 1.0
    assert get(server, GOALS)[0] == 200  # the second worker is free
    thread.join(30)
    assert outcome["status"] == 503
    assert get(server, GOALS)[0] == 200  # the killed worker has been replaced


def test_cors_for_configured_origin(server: Server) -> None:
    _, headers, _ = fetch(
        f"{server.sparql}?query=ASK%7B%7D", headers={"Origin": "https://intra.example"}
    )
    assert headers.get("access-control-allow-origin") == "https://intra.example"
    _, headers, _ = fetch(
        f"{server.sparql}?query=ASK%7B%7D", headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in headers


# ---------------------------------------------------------------------------- questions


def test_api_ask_returns_the_cli_json(server: Server) -> None:
    question = "Hvilke mål afhænger af Blå Kors?"
    status, _, body = fetch(f"{server.url}/api/ask?" + urllib.parse.urlencode({"q": question}))
    cli = subprocess.run([sys.executable, "-m", "maalgraph", "ask", "--json", question],
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert status == 200
    assert json.loads(body) == json.loads(cli.stdout)
    assert json.loads(body)["rows"][0]["mål"] == "3.1"


def test_api_ask_not_understood_is_422_with_help(server: Server) -> None:
    status, _, body = fetch(
        f"{server.url}/api/ask?" + urllib.parse.urlencode({"q": "Hvad koster en pizza i Rom?"})
    )
    assert status == 422 and json.loads(body)["understood"] is False


def test_api_ask_refuses_an_overlong_question(server: Server) -> None:
    status, _, _ = fetch(f"{server.url}/api/ask?" + urllib.parse.urlencode({"q": "mål " * 400}))
    assert status == 422


def test_openapi_describes_ask(server: Server) -> None:
    status, _, body = fetch(f"{server.url}/openapi.json")
    assert status == 200 and "/api/ask" in json.loads(body)["paths"]


def test_health(server: Server) -> None:
    status, _, body = fetch(f"{server.url}/health")
    assert status == 200 and json.loads(body)["workers_alive"] == 2


def test_serve_refuses_updates_without_token(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "maalgraph", "serve", "--allow-update"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0 and "--token" in result.stderr
