"""What :class:`maalgraph.MaalGraph` needs from a store, whichever engine holds the data.

Two implementations: :class:`maalgraph.store.OxigraphStore` (embedded) and
:class:`maalgraph.remote.RemoteStore` (any SPARQL 1.1 server). Both expose the union of all
named graphs as the default graph, and replace one document's named graph in one request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from .results import QueryResult
from .terms import sparql_text, to_oxigraph

if TYPE_CHECKING:
    import rdflib

Triples = Iterable[tuple["rdflib.term.Node", ...]]


class Store(Protocol):
    read_only: bool

    def query(self, sparql: str) -> QueryResult: ...

    def graphs(self) -> list[str]: ...

    def __len__(self) -> int: ...

    def graph_size(self, graph_iri: str) -> int: ...

    def dump(self, fmt: str, prefixes: dict[str, str] | None = None) -> bytes: ...

    def rdflib_dataset(self) -> rdflib.Dataset: ...

    def graph_as_rdflib(self, graph_iri: str) -> rdflib.Graph: ...

    def replace_graph(
        self, graph_iri: str, triples: Triples, *, add_to: tuple[str, Triples] | None = None
    ) -> None: ...

    def write_document(self, graph_iri: str, nquads: bytes) -> bool: ...

    def drop_graph(self, graph_iri: str) -> None: ...

    def update(self, sparql: str, base_iri: str | None = None) -> None: ...

    def flush(self) -> None: ...

    def optimize(self) -> None: ...

    def close(self) -> None: ...


def replace_graph_update(
    graph_iri: str, triples: Triples, add_to: tuple[str, Triples] | None = None
) -> str:
    """One SPARQL Update that replaces a named graph and (optionally) adds triples to another
    graph: servers apply it as one transaction, so it happens wholly or not at all.

    Triples with blank nodes go in an ``INSERT { … } WHERE {}`` template (the same fresh
    nodes as ``INSERT DATA``, which Virtuoso refuses to hold blank nodes).

    >>> import rdflib
    >>> print(replace_graph_update("http://g/1", [(rdflib.BNode("b"), rdflib.URIRef("http://p"), rdflib.Literal(1))]))
    DROP SILENT GRAPH <http://g/1> ;
    INSERT {
    GRAPH <http://g/1> {
    _:b <http://p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
    }
    } WHERE {}
    """
    blocks = {}
    for target, content in ((graph_iri, triples), *((add_to,) if add_to else ())):
        terms = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in content]  # type: ignore[arg-type]
        blocks[target] = ox.serialize(terms, format=ox.RdfFormat.N_TRIPLES) or b""
    return _update(graph_iri, blocks)


def replace_document_update(graph_iri: str, nquads: bytes) -> str:
    """The update that replaces a document's graph with the quads of ``nquads`` in it and adds
    the others (facts about shared things) to their graphs, in one transaction.

    >>> quads = b'<http://s> <http://p> "a" <http://g/1> .\\n<http://s> <http://p> "b" <http://g/r> .\\n'
    >>> print(replace_document_update("http://g/1", quads))
    DROP SILENT GRAPH <http://g/1> ;
    INSERT DATA {
    GRAPH <http://g/1> {
    <http://s> <http://p> "a" .
    }
    GRAPH <http://g/r> {
    <http://s> <http://p> "b" .
    }
    }
    """
    by_graph: dict[str, list[ox.Triple]] = {graph_iri: []}
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        graph = q.graph_name
        if not isinstance(graph, ox.NamedNode):
            raise ValueError(f"document quads must be in named graphs, not {graph}")
        by_graph.setdefault(graph.value, []).append(ox.Triple(q.subject, q.predicate, q.object))
    blocks = {g: ox.serialize(t, format=ox.RdfFormat.N_TRIPLES) or b"" for g, t in by_graph.items()}
    return _update(graph_iri, blocks)


def _update(graph_iri: str, blocks: dict[str, bytes]) -> str:
    """DROP the graph, then insert each graph's N-Triples (escaped by pyoxigraph)."""
    parts = [f"DROP SILENT GRAPH {sparql_text(ox.NamedNode(graph_iri))}"]
    texts = [
        f"GRAPH {sparql_text(ox.NamedNode(g))} {{\n{body.decode('utf-8')}}}"
        for g, body in blocks.items() if body
    ]  # fmt: skip
    if texts:
        data = "\n".join(texts)
        # a blank node label (or its look-alike in a literal, which changes nothing)
        blank = any(b"_:" in body for body in blocks.values())
        parts.append(
            f"INSERT {{\n{data}\n}} WHERE {{}}" if blank else f"INSERT DATA {{\n{data}\n}}"
        )
    return " ;\n".join(parts)
