"""A derived fact never disagrees with its documents, even after kill -9 in the middle of an
ingest; ``validate`` reports a derived graph that no longer says what the documents say."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from maalgraph import MaalGraph

DATA = Path(__file__).parent / "data"
ITEM = DATA / "agenda-vejle-2022.txt"
REPORT = DATA / "followup-vejle-2021.txt"

# Ingest in a child process that SIGKILLs itself around its n-th write of a derived graph:
# the documents are on disk by then, the graphs derived from them are not (all) written.
CRASHING_INGEST = textwrap.dedent(
    """
    import os, signal, sys
    from maalgraph import MaalGraph

    store, kill_at, *files = sys.argv[1:]
    kg = MaalGraph.open(store)
    write = kg.store.replace_graph
    seen = 0

    def replace_graph(graph, triples, **options):
        global seen
        if graph.startswith(kg.iris.derived()):
            if seen == int(kill_at):
                os.kill(os.getpid(), signal.SIGKILL)
            seen += 1
        write(graph, triples, **options)

    kg.store.replace_graph = replace_graph
    kg.ingest_many(files)
    """
)


def derived(kg: MaalGraph) -> dict[str, set[tuple[str, ...]]]:
    """Every non-empty derived graph's triples, as text."""
    out = {
        g: {tuple(str(t) for t in triple) for triple in kg.store.graph_as_rdflib(g)}
        for g in kg.store.graphs()
        if g.startswith(kg.iris.derived())
    }
    return {g: triples for g, triples in out.items() if triples}


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[str, ...]]]:
    """The derived graphs of the item and the report, ingested without a crash."""
    with MaalGraph.open(tmp_path_factory.mktemp("reference") / "store") as kg:
        kg.ingest_many([ITEM, REPORT])
        return derived(kg)


def crashed_store(tmp_path: Path, kill_at: int) -> Path:
    """A store with the agenda item, then an ingest of its follow-up killed while relinking."""
    path = tmp_path / "store"
    with MaalGraph.open(path) as kg:
        kg.ingest(ITEM)  # no follow-up yet: nothing to link
    child = subprocess.run([sys.executable, "-c", CRASHING_INGEST, str(path), str(kill_at), str(REPORT)],
                           capture_output=True, text=True, timeout=300)  # fmt: skip
    assert child.returncode == -9, child.stderr  # it really died there
    return path


@pytest.mark.parametrize("kill_at", [0, 1])  # before the first derived write, after it
@pytest.mark.parametrize("read_only", [False, True])
def test_killed_ingest_leaves_no_stale_derived_fact(
    tmp_path: Path, expected: dict[str, set[tuple[str, ...]]], kill_at: int, read_only: bool
) -> None:
    path = crashed_store(tmp_path, kill_at)
    with MaalGraph.open(path, read_only=read_only) as kg:
        assert kg.documents() and len(kg.documents()) == 2  # both documents were stored
        assert derived(kg) == expected
        assert all(r.conforms for r in kg.validate())


@contextmanager
def held_by_another_process(path: Path) -> Iterator[None]:
    """The store opened for writing by another process (as a running ingest would)."""
    code = "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); print('open', flush=True); sys.stdin.read()"
    child = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        yield
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(30)


def test_validate_reports_an_interrupted_derivation_it_cannot_repair(tmp_path: Path) -> None:
    path = crashed_store(tmp_path, 0)
    with held_by_another_process(path), MaalGraph.open(path, read_only=True) as kg:
        stale = {r.graph: r for r in kg.validate() if not r.conforms}
    assert kg.iris("graph", "status") in stale  # the mark of the interrupted change
    links = stale[kg.iris.derived("links", "agenda-vejle-2022")]
    assert links.violations > 0 and "forældet" in links.report


def test_validate_reports_a_derived_graph_its_documents_no_longer_support(
    kg: MaalGraph,
) -> None:
    kg.ingest_many([ITEM, REPORT])
    assert all(r.conforms for r in kg.validate())
    # the follow-up's goals change behind maalgraph's back (a SPARQL update, another tool)
    kg.update(
        f"DELETE {{ GRAPH ?g {{ ?goal <https://w3id.org/maalgraph/def#text> ?t }} }} "
        f"WHERE {{ GRAPH ?g {{ ?goal <https://w3id.org/maalgraph/def#text> ?t }} "
        f"FILTER(?g = <{kg.iris.graph('followup-vejle-2021')}>) }}"
    )
    stale = [r for r in kg.validate() if not r.conforms]
    assert [r.graph for r in stale if r.graph.startswith(kg.iris.derived())] == [
        kg.iris.derived("links", "agenda-vejle-2022")
    ]
    kg.relink()
    assert all(r.conforms for r in kg.validate() if r.graph.startswith(kg.iris.derived()))
