"""Shared fixtures: the bundled seeds, fresh stores, and the example graph (built once)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from maalgraph import MaalGraph
from maalgraph.resources import corpus_files

DATA = Path(__file__).parent / "data"

# the bundled corpus's cache (see maalgraph.bundled) in a folder of this test run, shared by the
# command lines the tests start, and not in the user's own cache
os.environ["MAALGRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="maalgraph-test-cache-")


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    files = corpus_files()
    return {
        "followup": next(p for p in files if p.name.startswith("maalopfoelgning")),
        "agenda": next(p for p in files if "udvalget" in p.name),
    }


@pytest.fixture(scope="session")
def example() -> MaalGraph:
    """The bundled corpus, read-only (shared: tests must not change it)."""
    return MaalGraph.example()


@pytest.fixture()
def kg(tmp_path: Path) -> MaalGraph:
    """A fresh persistent store per test."""
    graph = MaalGraph.open(tmp_path / "store")
    yield graph
    graph.close()


@pytest.fixture()
def vejle() -> Path:
    return DATA / "followup-vejle-2021.txt"
