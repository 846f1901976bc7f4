"""What :class:`maalgraph.MaalGraph` needs from a store, whichever engine holds the data.

Two implementations: :class:`maalgraph.store.OxigraphStore` (embedded) and
:class:`maalgraph.remote.RemoteStore` (any SPARQL 1.1 server). Both expose the union of all
named graphs as the default graph, and replace one document's named graph in one request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import rdflib

from .results import QueryResult


class Store(Protocol):
    read_only: bool

    def query(self, sparql: str) -> QueryResult: ...

    def graphs(self) -> list[str]: ...

    def __len__(self) -> int: ...

    def graph_size(self, graph_iri: str) -> int: ...

    def dump(self, fmt: str) -> bytes: ...

    def rdflib_dataset(self) -> rdflib.Dataset: ...

    def graph_as_rdflib(self, graph_iri: str) -> rdflib.Graph: ...

    def replace_graph(self, graph_iri: str, triples: Iterable[tuple[rdflib.term.Node, ...]]) -> None: ...

    def drop_graph(self, graph_iri: str) -> None: ...

    def update(self, sparql: str, base_iri: str | None = None) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...
