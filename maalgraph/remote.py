"""An external SPARQL 1.1 server as maalgraph's store (tested: Oxigraph server and Virtuoso).

Requests go through :mod:`maalgraph.transport` (httpx, one connection pool); results are read
with pyoxigraph's parsers. A document graph is replaced with one SPARQL Update request
(``DROP SILENT GRAPH`` + ``INSERT DATA``), which servers with transactional updates apply
all or nothing. The server must show the union of its named graphs as the default graph;
:meth:`RemoteStore.check_union_default_graph` tells when it does not.

Only the graphs under ``graph_prefix`` (maalgraph's own, when connected through
:meth:`maalgraph.MaalGraph.connect`) are this store's: a server's system graphs and other
applications' data are neither listed, counted nor exported.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .backend import Triples, replace_graph_update
from .errors import QueryError, StoreError
from .i18n import N_
from .results import QueryResult
from .sparqltext import query_form
from .store import EXPORT_FORMATS
from .terms import Term, from_oxigraph, sparql_text, to_oxigraph
from .transport import Transport

if TYPE_CHECKING:
    import httpx
    import rdflib

RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")  # what pyoxigraph takes as a label


class RemoteStore:
    """A store behind a SPARQL 1.1 query endpoint (and, to write, an update endpoint)."""

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        graph_prefix: str | None = None,
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.read_only = update_url is None
        self.graph_prefix = graph_prefix
        self.transport = Transport(token=token, user=user, password=password, timeout=timeout)

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, update_url={self.update_url!r})"

    # ------------------------------------------------------------------ reading

    def query(self, sparql: str) -> QueryResult:
        form = query_form(sparql)
        if form is None:
            raise QueryError(
                N_(
                    "not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); updates go through ingest"
                )
            )
        if form in ("SELECT", "ASK"):
            response = self.transport.query(self.query_url, sparql, accept=RESULTS_JSON)
            return self._solutions(response, ask=form == "ASK")
        response = self.transport.query(self.query_url, sparql, accept=RDF_ACCEPT)
        media_type = response.headers.get("content-type", "text/turtle").split(";")[0].strip()
        try:
            parsed = list(
                ox.parse(
                    response.content,
                    format=ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE,
                )
            )
        except SyntaxError as exc:
            raise StoreError(
                N_("the SPARQL server at {url} sent malformed RDF ({reason})"),
                url=self.query_url,
                reason=str(exc),
            ) from exc
        return QueryResult(
            triples=[
                (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
                for t in parsed
            ]
        )

    def _solutions(self, response: httpx.Response, *, ask: bool) -> QueryResult:
        media_type = response.headers.get("content-type", RESULTS_JSON).split(";")[0].strip()
        syntax = ox.QueryResultsFormat.from_media_type(media_type) or ox.QueryResultsFormat.JSON
        body = response.content
        if syntax == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
            body = _portable_blank_nodes(body)
        try:
            parsed = ox.parse_query_results(body, format=syntax)
            if isinstance(parsed, ox.QueryBoolean):
                return QueryResult(boolean=bool(parsed))
            columns = [v.value for v in parsed.variables]
            rows = [
                {name: from_oxigraph(value) for name, value in zip(columns, solution, strict=True)
                 if value is not None}
                for solution in parsed
            ]  # fmt: skip
        except (SyntaxError, ValueError) as exc:
            raise StoreError(
                N_("the SPARQL server at {url} sent malformed query results ({reason})"),
                url=self.query_url,
                reason=str(exc),
            ) from exc
        if ask:
            # Virtuoso 7 answers ASK with one row holding 1 or 0 instead of a boolean
            values = [t.value for row in rows for t in row.values()]
            return QueryResult(boolean=bool(values) and values[0] not in ("0", "false"))
        return QueryResult(columns=columns, terms=rows)

    def _in_scope(self, variable: str) -> str:
        """A FILTER keeping the graphs under the store's prefix (nothing without one)."""
        if self.graph_prefix is None:
            return ""
        prefix = sparql_text(ox.Literal(self.graph_prefix))
        return f"FILTER(STRSTARTS(STR({variable}), {prefix}))"

    def _count(self, sparql: str) -> int:
        rows = self.query(sparql).terms
        return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0

    def graphs(self) -> list[str]:
        # the graphs holding triples (Virtuoso does not answer GRAPH ?g { } as the standard says)
        result = self.query(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._in_scope('?g')} }}"
        )
        return sorted(r["g"].value for r in result.terms if r.get("g") and r["g"].kind == "iri")

    def __len__(self) -> int:
        return self._count(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._in_scope('?g')} }}"
        )

    def graph_size(self, graph_iri: str) -> int:
        graph = sparql_text(ox.NamedNode(graph_iri))
        return self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")

    def _quads(self, graph_iri: str | None = None) -> list[ox.Quad]:
        if graph_iri is None:
            text = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._in_scope('?g')} }}"
        else:
            graph = sparql_text(ox.NamedNode(graph_iri))
            text = f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        quads = []
        for row in self.query(text).terms:
            g = row.get("g") or Term("iri", graph_iri or "")
            quads.append(ox.Quad(
                _node(row["s"]), ox.NamedNode(row["p"].value), to_oxigraph(row["o"]),
                ox.NamedNode(g.value),
            ))  # fmt: skip
        return quads

    def dump(self, fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
        rdf_format = EXPORT_FORMATS[fmt][0]
        quads = self._quads()
        if not rdf_format.supports_datasets:
            quads = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
        return ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b""

    def rdflib_dataset(self) -> rdflib.Dataset:
        """A copy of the server's data as an rdflib Dataset (its default graph is the union)."""
        import rdflib

        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data=self.dump("nq").decode("utf-8"), format="nquads")
        return dataset

    def graph_as_rdflib(self, graph_iri: str) -> rdflib.Graph:
        import rdflib

        g = rdflib.Graph()
        data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in self._quads(graph_iri)],
                            format=ox.RdfFormat.N_TRIPLES)  # fmt: skip
        if data:
            g.parse(data=data.decode("utf-8"), format="nt")
        return g

    def check_union_default_graph(self) -> None:
        """Raise StoreError when the server's default graph does not show its named graphs."""
        sample = self.query(
            f"SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._in_scope('?g')} }} LIMIT 1"
        ).terms
        if not sample:
            return
        s, p, o = (sparql_text(sample[0][k]) for k in ("s", "p", "o"))
        if not self.query(f"ASK {{ {s} {p} {o} }}").boolean:
            raise StoreError(
                N_(
                    "the SPARQL server at {url} does not show its named graphs in the default "
                    "graph; start it with the union default graph on (Oxigraph: "
                    "--union-default-graph; see docs/remote.md)"
                ),
                url=self.query_url,
            )

    # ------------------------------------------------------------------ writing

    def _update(self, update: str, what: str) -> None:
        if self.read_only or self.update_url is None:
            raise StoreError(
                N_(
                    "the SPARQL server at {url} is connected read-only; give an update URL "
                    "(--update-endpoint or MaalGraph.connect(update_url=...)) to change it"
                ),
                url=self.query_url,
            )
        self.transport.update(self.update_url, update, what=what)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Send a SPARQL Update; ``base_iri`` becomes a leading BASE declaration."""
        text = f"BASE {sparql_text(ox.NamedNode(base_iri))}\n{sparql}" if base_iri else sparql
        self._update(text, "update")

    def replace_graph(
        self, graph_iri: str, triples: Triples, *, add_to: tuple[str, Triples] | None = None
    ) -> None:
        """Replace a named graph (and add ``add_to`` triples to another) in one update request:
        all of it or nothing on servers with transactional updates."""
        self._update(replace_graph_update(graph_iri, triples, add_to), "update")

    def drop_graph(self, graph_iri: str) -> None:
        self._update(f"DROP SILENT GRAPH {sparql_text(ox.NamedNode(graph_iri))}", "update")

    def optimize(self) -> None:
        """The server manages its own storage."""

    def flush(self) -> None:
        """Nothing to do: each update request is complete when the server answers."""

    def close(self) -> None:
        """Close the connections to the server."""
        self.transport.close()


def _node(term: Term) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(term.value) if term.kind == "bnode" else ox.NamedNode(term.value)


def _portable_blank_nodes(body: bytes) -> bytes:
    """SPARQL JSON results with every blank node label made a valid one, the same label for
    the same node: Virtuoso labels them ``nodeID://b10006``, which pyoxigraph refuses."""
    try:
        data = json.loads(body)
        for row in data["results"]["bindings"]:
            for value in row.values():
                if value.get("type") == "bnode" and not _BNODE_LABEL.fullmatch(value["value"]):
                    value["value"] = "x" + value["value"].encode("utf-8").hex()
    except (ValueError, KeyError, TypeError, AttributeError):
        return body  # not results with bindings: pyoxigraph says what is wrong
    return json.dumps(data).encode("utf-8")
