"""The quad builder: every document of the test corpora gives the same quads as before the
builder made pyoxigraph terms directly (digests in ``data/golden/quads.json``, taken from the
rdflib builder of main at 193eda3, split into the document's graph and the registry as
``MaalGraph._ingest_one`` did; updated for main's deliberate changes since: ``maal:valueText``
and indicator phrases that end on a whole phrase); the rdflib view says the same; the registry split holds.

Regenerate the digests after a deliberate change of the graphs:
``.venv/bin/python tests/test_triples.py --update``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from maalgraph import MaalGraph
from maalgraph.terms import to_oxigraph

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "data" / "golden" / "quads.json"
CORPORA = {
    "maalgraph/corpus": ROOT / "maalgraph" / "corpus",
    "tests/data": ROOT / "tests" / "data",
    "tests/data/corpus": ROOT / "tests" / "data" / "corpus",
    "shared/corpus-dev": ROOT.parent / "shared" / "corpus-dev",
}
SUFFIXES = (".txt", ".md", ".html", ".docx", ".pdf")


def corpus_documents() -> dict[str, Path]:
    out = {}
    for label, folder in CORPORA.items():
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in SUFFIXES and path.name != "dev-questions.txt":
                    out[f"{label}/{path.name}"] = path
    return out


def digest(lines: list[str]) -> dict[str, object]:
    text = "\n".join(sorted(lines))
    return {"quads": len(lines), "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}


@pytest.fixture(scope="module")
def builder() -> MaalGraph:
    return MaalGraph.memory()


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, object]]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", sorted(corpus_documents()))
def test_same_quads_as_before(builder: MaalGraph, golden: dict[str, object], name: str) -> None:
    if name not in golden:
        pytest.fail(f"{name} has no golden digest: run tests/test_triples.py --update")
    quads = builder.build_quads(builder.parse(corpus_documents()[name]))
    assert digest([str(q) for q in quads.quads]) == golden[name]


def test_every_golden_document_is_checked(golden: dict[str, object]) -> None:
    present = set(corpus_documents())
    assert {n for n in golden if not n.startswith("shared/")} <= present


def test_the_rdflib_view_holds_the_same_facts(builder: MaalGraph, seeds: dict[str, Path]) -> None:
    parsed = builder.parse(seeds["followup"])
    quads = builder.build_quads(parsed)
    graph = builder.build(parsed)
    assert len(graph) == len(quads)
    as_quads = {ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in graph}  # type: ignore[misc]
    assert as_quads == {ox.Triple(q.subject, q.predicate, q.object) for q in quads.quads}


def test_each_fact_in_one_graph(builder: MaalGraph, seeds: dict[str, Path]) -> None:
    """The document's own facts in its graph; facts about shared things (not pointing into
    the document) in the registry; nothing twice."""
    quads = builder.build_quads(builder.parse(seeds["agenda"]))
    own, registry = ox.NamedNode(quads.graph), ox.NamedNode(builder.iris.registry())
    assert {q.graph_name for q in quads.quads} == {own, registry}
    triples = [(q.subject, q.predicate, q.object) for q in quads.quads]
    assert len(set(triples)) == len(triples)
    assert quads.nquads().decode().splitlines() == [f"{q} ." for q in quads.quads]
    for q in quads.quads:
        shared = builder.iris.is_shared(q.subject.value)  # type: ignore[union-attr]
        points_in = isinstance(q.object, ox.NamedNode) and q.object.value.startswith(
            builder.iris("agenda", "")
        )
        assert (q.graph_name == registry) == (shared and not points_in), q


def _update() -> None:
    kg = MaalGraph.memory()
    out = {}
    for name, path in corpus_documents().items():
        out[name] = digest([str(q) for q in kg.build_quads(kg.parse(path)).quads])
    GOLDEN.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} digests to {GOLDEN}")


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    _update()
