"""An external SPARQL 1.1 server as maalgraph's store (Oxigraph server, Fuseki, GraphDB, …).

Queries go through SPARQLWrapper; a document graph is replaced with one SPARQL Update
request (``DROP SILENT GRAPH`` + ``INSERT DATA``), which servers with transactional updates
apply all or nothing. The server must show the union of its named graphs as the default
graph; :meth:`RemoteStore.check_union_default_graph` tells when it does not.
"""

from __future__ import annotations

import json
import urllib.error
from typing import Any

import pyoxigraph as ox
import rdflib
from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
)

from .backend import Triples, replace_graph_update
from .errors import QueryError, StoreError
from .results import QueryResult, Term
from .sparqltext import query_form
from .store import EXPORT_FORMATS, from_oxigraph


def _term(binding: dict[str, str]) -> Term:
    kind = binding["type"]
    if kind == "uri":
        return Term("iri", binding["value"])
    if kind == "bnode":
        return Term("bnode", binding["value"])
    language = binding.get("xml:lang")
    datatype = (
        None if language else binding.get("datatype", "http://www.w3.org/2001/XMLSchema#string")
    )
    return Term("literal", binding["value"], datatype, language)


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
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.read_only = update_url is None
        self.timeout = timeout
        self._token = token
        self._credentials = (user, password) if user is not None else None

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r}, update_url={self.update_url!r})"

    # ------------------------------------------------------------------ transport

    def _client(self, url: str) -> SPARQLWrapper:
        client = SPARQLWrapper(url)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(True)  # no format=/output= parameters: plain content negotiation
        client.setTimeout(int(self.timeout))
        if self._token:
            client.addCustomHttpHeader("Authorization", f"Bearer {self._token}")
        if self._credentials:
            client.setCredentials(*self._credentials)
        return client

    def _send(self, client: SPARQLWrapper, what: str) -> Any:
        try:
            return client.query()
        except QueryBadFormed as exc:
            raise QueryError(
                f"the SPARQL server at {client.endpoint} refused the {what}: {_detail(exc)}"
            ) from exc
        except Unauthorized as exc:
            raise StoreError(
                f"the SPARQL server at {client.endpoint} refused the credentials (401); check the token"
            ) from exc
        except EndPointNotFound as exc:
            raise StoreError(
                f"no SPARQL endpoint at {client.endpoint} (404); check the URL"
            ) from exc
        except EndPointInternalError as exc:
            raise StoreError(
                f"the SPARQL server at {client.endpoint} failed on the {what}: {_detail(exc)}"
            ) from exc
        except SPARQLWrapperException as exc:
            raise StoreError(
                f"the SPARQL server at {client.endpoint} refused the {what}: {_detail(exc)}"
            ) from exc
        except urllib.error.HTTPError as exc:
            raise StoreError(
                f"the SPARQL server at {client.endpoint} answered HTTP {exc.code} to the {what}"
            ) from exc
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(
                f"cannot reach the SPARQL server at {client.endpoint} ({reason})"
            ) from exc

    # ------------------------------------------------------------------ reading

    def query(self, sparql: str) -> QueryResult:
        form = query_form(sparql)
        if form is None:
            raise QueryError(
                "not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); updates go through ingest"
            )
        client = self._client(self.query_url)
        client.setQuery(sparql)
        client.queryType = form  # our lexer, not SPARQLWrapper's regular expression
        if form in ("SELECT", "ASK"):
            client.setReturnFormat(JSON)
            response = self._send(client, "query")
            try:
                data = json.loads(response.response.read().decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise StoreError(
                    f"the SPARQL server at {self.query_url} sent malformed JSON results ({exc})"
                ) from exc
            if "boolean" in data:
                return QueryResult(boolean=bool(data["boolean"]))
            columns = list(data["head"].get("vars", []))
            rows = [{k: _term(v) for k, v in b.items()} for b in data["results"]["bindings"]]
            return QueryResult(columns=columns, terms=rows)
        client.setReturnFormat(TURTLE)
        response = self._send(client, "query")
        media_type = (
            response.response.headers.get("Content-Type", "text/turtle").split(";")[0].strip()
        )
        rdf_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
        try:
            parsed = list(ox.parse(response.response.read(), format=rdf_format))
        except SyntaxError as exc:
            raise StoreError(
                f"the SPARQL server at {self.query_url} sent malformed RDF ({exc})"
            ) from exc
        return QueryResult(
            triples=[
                (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
                for t in parsed
            ]
        )

    def _count(self, sparql: str) -> int:
        rows = self.query(sparql).terms
        return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0

    def graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(r["g"].value for r in result.terms if r.get("g") and r["g"].kind == "iri")

    def __len__(self) -> int:
        return self._count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")

    def graph_size(self, graph_iri: str) -> int:
        return self._count(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph_iri)} {{ ?s ?p ?o }} }}"
        )

    def _quads(self, graph_iri: str | None = None) -> list[ox.Quad]:
        graph = str(ox.NamedNode(graph_iri)) if graph_iri else "?g"
        result = self.query(f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        quads = []
        for row in result.terms:
            g = row.get("g")
            quads.append(ox.Quad(
                _to_ox(row["s"]), _to_ox(row["p"]), _to_ox(row["o"]),  # type: ignore[arg-type]
                ox.NamedNode(g.value) if g is not None else ox.NamedNode(graph_iri or ""),
            ))  # fmt: skip
        return quads

    def dump(self, fmt: str) -> bytes:
        rdf_format = EXPORT_FORMATS[fmt][0]
        quads = self._quads()
        if not rdf_format.supports_datasets:
            quads = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
        return ox.serialize(quads, format=rdf_format) or b""

    def rdflib_dataset(self) -> rdflib.Dataset:
        """A copy of the server's data as an rdflib Dataset (its default graph is the union)."""
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(data=self.dump("nq").decode("utf-8"), format="nquads")
        return dataset

    def graph_as_rdflib(self, graph_iri: str) -> rdflib.Graph:
        g = rdflib.Graph()
        data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in self._quads(graph_iri)],
                            format=ox.RdfFormat.N_TRIPLES)  # fmt: skip
        if data:
            g.parse(data=data.decode("utf-8"), format="nt")
        return g

    def check_union_default_graph(self) -> None:
        """Raise StoreError when the server's default graph does not show its named graphs."""
        sample = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1").terms
        if not sample:
            return
        s, p, o = (_to_ox(sample[0][k]) for k in ("s", "p", "o"))
        if not self.query(f"ASK {{ {s} {p} {o} }}").boolean:
            raise StoreError(
                f"the SPARQL server at {self.query_url} does not show its named graphs in the "
                "default graph; start it with the union default graph on (Oxigraph: "
                "--union-default-graph, Fuseki: tdb2:unionDefaultGraph true; see docs/remote.md)"
            )

    # ------------------------------------------------------------------ writing

    def _update(self, update: str, what: str) -> None:
        if self.read_only or self.update_url is None:
            raise StoreError(
                f"the SPARQL server at {self.query_url} is connected read-only; give an update "
                "URL (--update-endpoint or MaalGraph.connect(update_url=...)) to change it"
            )
        client = self._client(self.update_url)
        client.setQuery(update)
        client.queryType = "INSERT"
        response = self._send(client, what)
        response.response.read()

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Send a SPARQL Update; ``base_iri`` becomes a leading BASE declaration."""
        text = f"BASE {ox.NamedNode(base_iri)}\n{sparql}" if base_iri else sparql
        self._update(text, "update")

    def replace_graph(
        self, graph_iri: str, triples: Triples, *, add_to: tuple[str, Triples] | None = None
    ) -> None:
        """Replace a named graph (and add ``add_to`` triples to another) in one update request:
        all of it or nothing on servers with transactional updates."""
        self._update(
            replace_graph_update(graph_iri, triples, add_to), f"update of graph {graph_iri}"
        )

    def drop_graph(self, graph_iri: str) -> None:
        self._update(
            f"DROP SILENT GRAPH {ox.NamedNode(graph_iri)}", f"removal of graph {graph_iri}"
        )

    def optimize(self) -> None:
        """The server manages its own storage."""

    def flush(self) -> None:
        """Nothing to do: each update request is complete when the server answers."""

    def close(self) -> None:
        """Nothing to do: every request opens its own connection."""


def _to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype) if term.datatype else None)


def _detail(exc: SPARQLWrapperException) -> str:
    text = str(exc)
    return text.split("Response:", 1)[-1].strip()[:400] if "Response:" in text else text[:400]
