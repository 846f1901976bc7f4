"""Query results as bytes in the negotiated format, cut at the endpoint's row limit.

Runs inside the query worker processes, so it imports only pyoxigraph and maalgraph's
light modules.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..output import to_csv, to_sparql_json, to_tsv
from ..results import QueryResult, Term
from ..terms import from_oxigraph

GRAPH_SYNTAX = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
RESULTS_SYNTAX = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
# the fewest bytes a result row takes in each syntax: a shorter body has fewer rows
_MIN_ROW_BYTES = {"json": 2, "xml": 17, "csv": 2, "tsv": 1}


def count_rows(body: bytes, key: str, *, more_than: int) -> int:
    """The rows of a serialized SELECT result; exact when the body could hold more than
    ``more_than`` rows, else a lower bound (0) that saves parsing it.

    >>> body = ox.Store().query("SELECT ?x { VALUES ?x { 1 2 3 } }").serialize(format=ox.QueryResultsFormat.JSON)
    >>> count_rows(body, "json", more_than=2), count_rows(body, "json", more_than=1000)
    (3, 0)
    """
    if len(body) <= _MIN_ROW_BYTES[key] * more_than:
        return 0
    if key == "csv":  # lossy, so pyoxigraph cannot read it back; a header line, then rows
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
    parsed = ox.parse_query_results(body, format=RESULTS_SYNTAX[key])
    return 1 if isinstance(parsed, ox.QueryBoolean) else sum(1 for _ in parsed)


def solutions_result(solutions: ox.QuerySolutions, max_rows: int) -> tuple[QueryResult, bool]:
    """At most ``max_rows`` rows of a SELECT result, and whether there were more."""
    columns = [v.value for v in solutions.variables]
    rows: list[dict[str, Term]] = []
    for solution in solutions:
        if len(rows) == max_rows:
            return QueryResult(columns=columns, terms=rows), True
        row = {}
        for name in columns:
            value = solution[name]
            if value is not None:
                row[name] = from_oxigraph(value)
        rows.append(row)
    return QueryResult(columns=columns, terms=rows), False


def results_bytes(result: QueryResult, key: str) -> bytes:
    """A SELECT or ASK result as SPARQL 1.1 JSON, XML, CSV or TSV."""
    if key == "xml":
        return to_sparql_xml(result).encode("utf-8")
    return {"json": to_sparql_json, "csv": to_csv, "tsv": to_tsv}[key](result).encode("utf-8")


def triples_bytes(triples: Iterable[ox.Triple], key: str, max_rows: int) -> tuple[bytes, bool]:
    """At most ``max_rows`` triples of a CONSTRUCT/DESCRIBE result in an RDF syntax."""
    kept: list[ox.Triple] = []
    truncated = False
    for triple in triples:
        if len(kept) == max_rows:
            truncated = True
            break
        kept.append(triple)
    return ox.serialize(kept, format=GRAPH_SYNTAX[key]) or b"", truncated


def to_sparql_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format (second edition)."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{SPARQL_RESULTS_NS}">']
    if result.boolean is not None:
        out += [
            "<head/>",
            f"<boolean>{'true' if result.boolean else 'false'}</boolean>",
            "</sparql>",
        ]
        return "\n".join(out) + "\n"
    out.append(
        "<head>" + "".join(f"<variable name={quoteattr(c)}/>" for c in result.columns) + "</head>"
    )
    out.append("<results>")
    for row in result.terms:
        cells = "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in row.items()
        )
        out.append(f"<result>{cells}</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _xml_term(term: Term) -> str:
    if term.kind == "iri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype and term.datatype != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"
