"""The bundled corpus is ingested once and cached on disk by content hash; a stale or damaged
cache is rebuilt, and processes starting together do not spoil it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from maalgraph import MaalGraph
from maalgraph.bundled import cache_dir, content_hash


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MAALGRAPH_CACHE_DIR", str(folder))
    return folder


def test_built_once_then_read_from_the_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = MaalGraph.example()
    files = list(cache.glob("example-*.nq"))
    assert len(files) == 1 and cache_dir() == cache

    def no_ingest(*args: object, **kwargs: object) -> None:
        raise AssertionError("the corpus was ingested again")

    monkeypatch.setattr(MaalGraph, "ingest_many", no_ingest)
    again = MaalGraph.example()
    assert again.stats() == first.stats() and again.read_only
    assert len(again.store) == len(first.store)
    assert again.inconsistencies() == first.inconsistencies()


def test_writable_example_from_the_cache(cache: Path) -> None:
    MaalGraph.example()
    kg = MaalGraph.example(writable=True)
    assert not kg.read_only
    kg.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    assert MaalGraph.example().named("goal_count").rows == [{"count": 12}]  # cache untouched


def test_other_settings_other_cache(cache: Path) -> None:
    MaalGraph.example()
    kg = MaalGraph.example(base_iri="https://data.example.dk/")
    (only,) = cache.glob("example-*.nq")  # the earlier version's cache is removed
    assert content_hash("https://data.example.dk/", None) in only.name
    assert all(
        str(r["goal"]).startswith("https://data.example.dk/") for r in kg.named("goals").rows
    )


@pytest.mark.parametrize("damage", ["truncate", "edit", "garbage"])
def test_damaged_cache_is_rebuilt(
    cache: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = MaalGraph.example()
    expected, size = first.stats(), len(first.store)
    (path,) = cache.glob("example-*.nq")
    data = path.read_bytes()
    path.write_bytes(
        {"truncate": data[: len(data) // 2], "edit": data.replace(b"Opfyldt", b"Xpfyldt", 1),
         "garbage": b"\x00\xff not n-quads"}[damage]
    )  # fmt: skip
    rebuilt = MaalGraph.example()
    assert rebuilt.stats() == expected and len(rebuilt.store) == size
    monkeypatch.setattr(MaalGraph, "ingest_many", None)  # the rebuilt cache is read as it is
    assert MaalGraph.example().stats() == expected


def test_unwritable_cache_falls_back_to_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MAALGRAPH_CACHE_DIR", str(blocker / "cache"))
    assert MaalGraph.example().stats()["mål"] == 12


def test_concurrent_first_runs(cache: Path) -> None:
    env = {**os.environ, "MAALGRAPH_CACHE_DIR": str(cache)}
    runs = [
        subprocess.Popen([sys.executable, "-m", "maalgraph", "stats"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]  # fmt: skip
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1 and b"12" in outputs[0][0]
    assert [p.name for p in cache.iterdir() if not p.name.startswith("example-")] == []
    (path,) = cache.glob("example-*.nq")
    assert path.read_bytes().startswith(b"# maalgraph example cache sha256=")
