"""Response bodies in the negotiated format, all written by pyoxigraph's own serializers.

SELECT and ASK results by ``QuerySolutions.serialize`` / ``QueryBoolean.serialize``,
CONSTRUCT and DESCRIBE results by ``pyoxigraph.serialize``: one writer per format, so a result
has the same bytes whether or not it was cut at the row limit. Runs inside the query worker
processes, so it imports only pyoxigraph.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pyoxigraph as ox

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


def triples_bytes(triples: Iterable[ox.Triple], key: str, max_rows: int) -> tuple[bytes, bool]:
    """At most ``max_rows`` triples of a CONSTRUCT/DESCRIBE result in an RDF syntax, and
    whether there were more."""
    kept: list[ox.Triple] = []
    truncated = False
    for triple in triples:
        if len(kept) == max_rows:
            truncated = True
            break
        kept.append(triple)
    return ox.serialize(kept, format=GRAPH_SYNTAX[key]) or b"", truncated
