"""The scale benchmark's targets table (benchmarks/targets.py, benchmarks/targets.toml): every
target of issue 15 gets a row, holds is judged against the limit in the data, and each missed
target is explained from the run's figures. Figures here are made up; no timing is asserted."""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import ingest  # noqa: E402
import targets  # noqa: E402
from targets import Asked, Row  # noqa: E402

PHASES = ("read and extract", "build quads", "shape check", "N-Quads", "link inputs", "write")


def ingest_figures(seconds: float = 300.0) -> dict[str, float]:
    run = ingest.Run(documents=2000, workers=2, seconds=seconds, triples=2_900_000,
                     quads=2_860_000, failed=0, write_s=250.0, write_cpu_s=120.0, relink_s=14.0,
                     halves=(8.0, 7.0), load=(2.5, 3.5))  # fmt: skip
    wall = dict(zip(PHASES, (40.0, 5.6, 3.8, 1.7, 0.9, 25.0), strict=True))
    return ingest.Measured(run, 38.5, wall, wall, sample=60).figures()


def scale(fast: bool) -> tuple[list[Row], dict[str, Any]]:
    """A scale's rows: every target held (``fast``) or every target missed."""
    k = 0.1 if fast else 10.0
    asked = [Asked(f"Hvilke mål {i}?", "goals" if i % 2 else "measurement", k * (20 + i), i, None, k * 10)
             for i in range(100)]  # fmt: skip
    q = {
        "first": {"tools": 1000.0, "open": 5.0, "index": k * 40, "ask": k * 20},
        "asked": asked, "questions": 100, "p50": k * 70, "p95": k * 115, "max": k * 119,
        "paged": 100, "paged_p95": k * 115, "engine_p95": k * 100, "impact_q": "Hvad sker der hvis X stopper?",
        "impact_ms": k * 100, "impact_ask_ms": k * 120, "rankings_ms": k * 150, "rankings_engine_ms": k * 40,
        "whole": {"names": (k * 100, k * 90, ""), "labels of one name": (k * 30, k * 30, "all 2 ms")},
    }  # fmt: skip
    embedded = {n: {"maalgraph": [k * 25], "pyoxigraph": [k * 24]} for n in ("impact", "goals")}
    loads = {
        mode: {"rps": (40 - i) / k, "p50": (9 + i) * k}
        for i, mode in enumerate(targets.SERVE_MEMORY)
    }
    memory = {
        "Oxigraph server": 300.0,
        **{key: 300.0 * k for key, _ in targets.SERVE_MEMORY.values()},
    }
    return targets.scale_rows(q, embedded, loads, {"rps": 35.0, "p50": 10.0}, memory, workers=4)


def test_every_target_of_the_data_has_a_row() -> None:
    rows, _ = scale(fast=True)
    keys = {r.key for r in targets.ingest_rows(ingest_figures()) + rows}
    assert keys == set(targets.TARGETS)


@pytest.mark.parametrize("fast", [True, False])
def test_holds_follows_the_limits_of_the_data(fast: bool) -> None:
    rows, _ = scale(fast)
    assert [r.holds for r in rows] == [fast] * len(rows)


def test_ingest_rows_judge_the_ingest_figures() -> None:
    slow = {r.key: r.holds for r in targets.ingest_rows(ingest_figures(seconds=300.0))}
    fast = {r.key: r.holds for r in targets.ingest_rows(ingest_figures(seconds=60.0))}
    assert slow == dict.fromkeys(targets.INGEST_KEYS, False)
    assert fast == {"ingest_rate": True, "ingest_ratio": True, "ingest_archive": False}


def test_every_explanation_is_filled_from_the_run() -> None:
    """Each template names only figures the row builders give; each missed target is
    explained once, with the run's numbers in it; a target that holds is not."""
    rows, figures = scale(fast=False)
    figures = {**ingest_figures(), **figures}
    fields = {
        name
        for spec in targets.TARGETS.values()
        for template in (spec["why"], spec["takes"])
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }
    assert fields <= set(figures)
    text = "\n".join(targets.render(targets.ingest_rows(ingest_figures()) + rows, figures))
    for spec in targets.TARGETS.values():
        assert text.count(f"- **{spec['target']}.** Why: ") == 1
    assert "measurement ×" in text  # the slow tail's families, from the questions asked
    assert "125 ms per document" in text  # the writing: 250 s over 2,000 documents

    held, held_figures = scale(fast=True)
    assert "Why: " not in "\n".join(targets.render(held, held_figures))


def test_a_target_not_measured_is_shown_as_such() -> None:
    rows = targets.ingest_rows(None)
    assert [r.holds for r in rows] == [None] * 3
    text = "\n".join(targets.render(rows, {}))
    assert re.search(r"\| not measured in this run .* \| – \|", text)
    assert "Why: " not in text


def quads(store: Path) -> list[str]:
    """A store's quads, sorted, with blank node labels (the ontology's, each store its own)
    left out."""
    from maalgraph import MaalGraph

    with MaalGraph.open(store, read_only=True) as kg:
        kg.store.dump_nquads(store.parent / f"{store.name}.nq")
    lines = (store.parent / f"{store.name}.nq").read_text(encoding="utf-8").splitlines()
    return sorted(re.sub(r"_:\w+", "_:b", line) for line in lines)


def test_the_fast_fixture_holds_what_the_ingest_writes(tmp_path: Path) -> None:
    """The 10M fixture's fast build (worker processes, one bulk_load, relinking the batch)
    gives the store the ingest gives, documents, registry and links alike."""
    from maalgraph import MaalGraph

    paths = ingest.generate(tmp_path / "docs", 12)
    with MaalGraph.open(tmp_path / "ingested") as kg:
        kg.ingest_many(paths)
    ingest.fixture(paths, tmp_path / "fixture", workers=1)
    ingested = quads(tmp_path / "ingested")
    assert any("/derived/" in q for q in ingested)  # the links are there to compare
    assert quads(tmp_path / "fixture") == ingested


def test_parts_not_run_give_rows_not_measured() -> None:
    """A run of some parts only (``--parts``): every target still has a row; those of the
    parts not run are shown as not measured, never judged or explained."""
    rows, figures = targets.scale_rows(None, None, None, None, {}, workers=4)
    assert {r.key for r in rows} == set(targets.TARGETS) - set(targets.INGEST_KEYS)
    assert [r.holds for r in rows] == [None] * len(rows)
    assert all(r.measured.startswith("not measured in this run (--parts without ") for r in rows)
    text = "\n".join(targets.render(rows, figures))
    assert "Why: " not in text
    assert "0 of 0 measured rows hold" in text


def test_named_queries_alone_are_judged_alone() -> None:
    """Only the named queries run: their row is judged, a query stopped past the budget
    misses it, and the rows of the other parts are not measured."""
    embedded: dict[str, dict[str, list[float] | None]] = {
        "goals": {"maalgraph": [12.0], "pyoxigraph": [11.0]},
        "names": {"maalgraph": None, "pyoxigraph": None},
    }
    rows, figures = targets.scale_rows(None, embedded, None, None, {}, workers=4)
    judged = {r.key: r.holds for r in rows if r.holds is not None}
    assert judged == {"named_queries": False}
    text = "\n".join(targets.render(rows, figures))
    assert "past the budget: names" in text
    assert text.count("Why: ") == 1

    embedded["names"] = {"maalgraph": [30.0], "pyoxigraph": [29.0]}
    rows, _ = targets.scale_rows(None, embedded, None, None, {}, workers=4)
    assert {r.key: r.holds for r in rows if r.holds is not None} == {"named_queries": True}


def test_an_explanation_needing_a_part_not_run_says_so() -> None:
    """The endpoint measured without the named queries: its explanation names the figure
    it lacks instead of failing."""
    rows, figures = targets.scale_rows(None, None, *_slow_endpoint(), workers=4)
    assert {r.key for r in rows if r.holds is False} == {"endpoint_rps", "endpoint_memory"}
    text = "\n".join(targets.render(rows, figures))
    assert "not explained in this run (the figure 'named_ratio' comes from a part not run" in text
    assert (
        "- **endpoint, 8 clients: peak memory ≤ 2× Oxigraph server's.** Why: worker processes"
        in text
    )


def _slow_endpoint() -> tuple[dict[str, dict[str, float]], dict[str, float], dict[str, float]]:
    loads = {mode: {"rps": 4.0, "p50": 90.0} for mode in targets.SERVE_MEMORY}
    memory = {"Oxigraph server": 300.0, **{key: 3000.0 for key, _ in targets.SERVE_MEMORY.values()}}
    return loads, {"rps": 35.0, "p50": 10.0}, memory


def test_parts_are_named_after_the_run_and_run_in_its_order() -> None:
    import argparse

    import run

    assert run.parts_of("http, queries") == ("queries", "http")
    with pytest.raises(
        argparse.ArgumentTypeError, match="unknown part ingest; the parts are queries"
    ):
        run.parts_of("queries,ingest")


def test_a_named_query_past_the_budget_is_stopped_and_the_next_runs(tmp_path: Path) -> None:
    """The scale benchmark's per-query budget: a query whose first run passes it is stopped
    with its process and reported as past the budget (None), and the next query is timed in
    a fresh process."""
    import run

    from maalgraph import MaalGraph

    with MaalGraph.open(tmp_path / "store") as kg:
        kg.ingest_many(ingest.generate(tmp_path / "docs", 2))
    timer = run.QueryTimer(tmp_path / "store", {})
    try:
        first = timer.process
        assert timer.time("documents", "pyoxigraph", budget_s=1e-6) == (None, None)
        assert not first.is_alive()
        times, rows = timer.time("documents", "maalgraph", budget_s=30)
        assert times and rows == 2
    finally:
        timer.close()
    assert timer.peak_mb > 0
