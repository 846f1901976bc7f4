"""Every layout of the shared dev corpus and of our own corpus (tests/data/corpus), scored as
../shared/eval/extract_check.py scores it: each document ingested into a fresh store and read
back through the named queries goals, entities, measurements, documents, committee_handling."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from maalgraph import MaalGraph

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
OWN = Path(__file__).parent / "data" / "corpus"


def cases() -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for folder in (DEV, OWN):
        truth = folder / "truth.json"
        if truth.is_file():
            out += [
                (folder / d["file"], d)
                for d in json.loads(truth.read_text(encoding="utf-8"))["docs"]
            ]
    return out


CASES = cases()


def fold(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def verdict_of(row: dict[str, Any]) -> str:
    """As extract_check.py reads a verdict."""
    v = fold(row.get("verdict", "")).rsplit("#", 1)[-1] + " " + fold(row.get("verdictLabel", ""))
    if "delvist" in v or "delvis" in v:
        return "delvist"
    if "ikke" in v:
        return "ikke_opfyldt"
    return "opfyldt" if "opfyldt" in v else "none"


@pytest.mark.parametrize(("path", "truth"), CASES, ids=[p.name for p, _ in CASES])
def test_document_facts(kg: MaalGraph, path: Path, truth: dict[str, Any]) -> None:
    kg.ingest(path)
    goals = kg.named("goals").rows
    matched = set()
    for goal in truth["goals"]:
        hits = [
            i for i, r in enumerate(goals) if any(fold(k) in fold(r["text"]) for k in goal["any"])
        ]
        assert hits, f"goal missing: {goal['any'][0]}"
        matched.update(hits)
        assert goal["verdict"] in [verdict_of(goals[i]) for i in hits], goal["any"][0]
    assert len(matched) == len(goals), "a goal was read that the document does not state"
    values = {float(r["value"]) for r in kg.named("measurements").rows}
    assert [n for n in truth["numbers"] if not any(abs(v - n) < 1e-6 for v in values)] == []
    labels = [fold(r["label"]) for r in kg.named("entities").rows]
    for names in truth.get("partners", []) + truth.get("projects", []):
        assert any(fold(n) in label for n in names for label in labels), names[0]
    for name in truth.get("forbid", []):
        assert not any(fold(name) in label for label in labels), f"must not be an entity: {name}"
    documents = kg.named("documents").rows
    assert any(fold(truth["municipality"]) in fold(r.get("municipalityLabel")) for r in documents)
    assert str(truth["year"]) in {str(r.get("year")) for r in documents}
    if committee := truth.get("committee"):
        rows = [
            fold(" ".join(str(v) for v in r.values())) for r in kg.named("committee_handling").rows
        ]
        assert any(
            fold(committee["name"]) in row
            and committee["date"] in row
            and fold(committee.get("decision", "")) in row
            for row in rows
        )


def test_both_corpora_are_here() -> None:
    assert len([p for p, _ in CASES if p.parent == OWN]) >= 8
    assert len([p for p, _ in CASES if p.parent == DEV]) == 6
