"""The embedded store writes a document in one transaction: a new document is loaded, a
stored one replaced, the registry added to; a write that fails leaves the store unchanged."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from maalgraph import StoreError
from maalgraph.store import OxigraphStore

GRAPH, REGISTRY, OTHER = "urn:x:graph:doc", "urn:x:graph:registry", "urn:x:graph:other"


def nquads(*rows: tuple[str, str, str]) -> bytes:
    """(subject, object text, graph) rows as N-Quads."""
    quads = [
        ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:x:p"), ox.Literal(o), ox.NamedNode(g))
        for s, o, g in rows
    ]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def content(store: OxigraphStore) -> set[str]:
    return {str(q) for q in store._store}


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> OxigraphStore:
    made = OxigraphStore(tmp_path / "store" if request.param == "disk" else None)
    made.write_document(OTHER, nquads(("urn:x:o", "other", OTHER)))
    return made


def test_a_new_document_is_written_with_its_registry_facts(store: OxigraphStore) -> None:
    replaced = store.write_document(
        GRAPH, nquads(("urn:x:a", "1", GRAPH), ("urn:x:shared", "s", REGISTRY))
    )
    assert not replaced
    assert (
        store.graph_size(GRAPH) == 1
        and store.graph_size(REGISTRY) == 1
        and store.graph_size(OTHER) == 1
    )


def test_a_stored_document_is_replaced_whole(store: OxigraphStore) -> None:
    store.write_document(
        GRAPH, nquads(("urn:x:a", "1", GRAPH), ("urn:x:b", "2", GRAPH), ("urn:x:s", "s", REGISTRY))
    )
    replaced = store.write_document(
        GRAPH, nquads(("urn:x:a", "new", GRAPH), ("urn:x:t", "t", REGISTRY))
    )
    assert replaced
    graph = {
        str(q.object) for q in store._store.quads_for_pattern(None, None, None, ox.NamedNode(GRAPH))
    }
    assert graph == {'"new"'}  # nothing of the old version is left
    assert store.graph_size(REGISTRY) == 2 and store.graph_size(OTHER) == 1  # added to; untouched


@pytest.mark.parametrize("stored_before", [False, True])
def test_a_failing_write_leaves_the_store_unchanged(
    store: OxigraphStore, stored_before: bool
) -> None:
    if stored_before:
        store.write_document(GRAPH, nquads(("urn:x:a", "old", GRAPH)))
    before = content(store)
    # a document whose quads break off in the middle: nothing of it may be written
    broken = nquads(
        *((f"urn:x:n{i}", str(i), GRAPH) for i in range(500)), ("urn:x:s", "s", REGISTRY)
    )
    broken = broken[: len(broken) // 2] + b"<not a quad\n" + broken[len(broken) // 2 :]
    with pytest.raises(StoreError, match="unchanged"):
        store.write_document(GRAPH, broken)
    assert content(store) == before


def test_a_read_only_store_refuses_to_write(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "store").close()
    with pytest.raises(StoreError, match="read-only"):
        OxigraphStore(tmp_path / "store", read_only=True).write_document(
            GRAPH, nquads(("urn:x:a", "1", GRAPH))
        )
