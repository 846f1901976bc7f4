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
    graph = sparql_text(ox.NamedNode(graph_iri))
    parts = [f"DROP SILENT GRAPH {graph}"]
    blocks = []
    blank = False
    for target, content in ((graph_iri, triples), *((add_to,) if add_to else ())):
        lines = []
        for triple in content:
            terms = [to_oxigraph(t) for t in triple]
            blank = blank or any(isinstance(t, ox.BlankNode) for t in terms)
            lines.append(" ".join(map(str, terms)))
        if lines:
            body = " .\n".join(lines)
            blocks.append(f"GRAPH {sparql_text(ox.NamedNode(target))} {{\n{body} .\n}}")
    if blocks:
        data = "\n".join(blocks)
        parts.append(
            f"INSERT {{\n{data}\n}} WHERE {{}}" if blank else f"INSERT DATA {{\n{data}\n}}"
        )
    return " ;\n".join(parts)
