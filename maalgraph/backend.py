"""What :class:`maalgraph.MaalGraph` needs from a store, whichever engine holds the data.

Two implementations: :class:`maalgraph.store.OxigraphStore` (embedded) and
:class:`maalgraph.remote.RemoteStore` (any SPARQL 1.1 server). Both expose the union of all
named graphs as the default graph, and replace one document's named graph in one request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import pyoxigraph as ox
import rdflib

from .results import QueryResult

Triples = Iterable[tuple[rdflib.term.Node, ...]]


class Store(Protocol):
    read_only: bool

    def query(self, sparql: str) -> QueryResult: ...

    def graphs(self) -> list[str]: ...

    def __len__(self) -> int: ...

    def graph_size(self, graph_iri: str) -> int: ...

    def dump(self, fmt: str) -> bytes: ...

    def rdflib_dataset(self) -> rdflib.Dataset: ...

    def graph_as_rdflib(self, graph_iri: str) -> rdflib.Graph: ...

    def replace_graph(
        self, graph_iri: str, triples: Triples, *, add_to: tuple[str, Triples] | None = None
    ) -> None: ...

    def drop_graph(self, graph_iri: str) -> None: ...

    def update(self, sparql: str, base_iri: str | None = None) -> None: ...

    def flush(self) -> None: ...

    def optimize(self) -> None: ...

    def close(self) -> None: ...


def to_oxigraph(term: rdflib.term.Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """An rdflib term as a pyoxigraph term (whose str() is escaped N-Triples syntax)."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


def replace_graph_update(
    graph_iri: str, triples: Triples, add_to: tuple[str, Triples] | None = None
) -> str:
    """One SPARQL Update that replaces a named graph and (optionally) adds triples to another
    graph: servers apply it as one transaction, so it happens wholly or not at all."""
    graph = str(ox.NamedNode(graph_iri))
    parts = [f"DROP SILENT GRAPH {graph}"]
    blocks = []
    for target, content in ((graph_iri, triples), *((add_to,) if add_to else ())):
        body = " .\n".join(" ".join(str(to_oxigraph(t)) for t in triple) for triple in content)
        if body:
            blocks.append(f"GRAPH {ox.NamedNode(target)} {{\n{body} .\n}}")
    if blocks:
        parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(parts)
