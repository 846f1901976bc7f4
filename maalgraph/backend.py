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
from .terms import sparql_text

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

    def drop_graph(self, graph_iri: str) -> None: ...

    def update(self, sparql: str, base_iri: str | None = None) -> None: ...

    def flush(self) -> None: ...

    def optimize(self) -> None: ...

    def close(self) -> None: ...


def replace_graph_update(
    graph_iri: str, triples: Triples, add_to: tuple[str, Triples] | None = None
) -> str:
    """One SPARQL Update that replaces a named graph and (optionally) adds triples to another
    graph: servers apply it as one transaction, so it happens wholly or not at all."""
    graph = sparql_text(ox.NamedNode(graph_iri))
    parts = [f"DROP SILENT GRAPH {graph}"]
    blocks = []
    for target, content in ((graph_iri, triples), *((add_to,) if add_to else ())):
        body = " .\n".join(" ".join(sparql_text(t) for t in triple) for triple in content)
        if body:
            blocks.append(f"GRAPH {sparql_text(ox.NamedNode(target))} {{\n{body} .\n}}")
    if blocks:
        parts.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(parts)
