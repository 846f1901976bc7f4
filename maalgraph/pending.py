"""The durable mark that the graphs derived from several documents may lag behind the
documents (see the invariant in :mod:`maalgraph.links`). Kept apart from the links, and
importing rdflib only to write the mark: opening a store to ask a question needs neither.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .backend import Store
    from .namespaces import IriMinter


class PendingMark:
    """The durable mark that the derived graphs may lag behind the documents: one triple,
    ``<…/graph/derived/> prov:invalidatedAtTime "…"``, in the graph ``<…/graph/status>``."""

    def __init__(self, store: Store, iris: IriMinter):
        self.store = store
        self.graph = iris("graph", "status")
        self.subject = iris.derived()

    def is_set(self) -> bool:
        return self.store.graph_size(self.graph) > 0

    def set(self) -> None:
        """Before documents change; flushed, so that it is on disk before they are."""
        from rdflib import Literal, URIRef
        from rdflib.namespace import PROV, XSD

        now = Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime)
        fact = (URIRef(self.subject), PROV.invalidatedAtTime, now)
        self.store.replace_graph(self.graph, [fact])
        self.store.flush()

    def clear(self) -> None:
        """After every derived graph is rebuilt."""
        self.store.drop_graph(self.graph)
        self.store.flush()
