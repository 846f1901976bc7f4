"""Format invariance: the seeds, the shared dev corpus and our own corpus, converted inside the
test to DOCX, PDF, HTML and Markdown with real writers (tests/writers.py), give the same goals,
verdicts, names, numbers, municipality and year as the original file."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from writers import WRITERS

from maalgraph.ingest import Extractor, ParsedDocument, parse_document
from maalgraph.ingest.readers import read_blocks
from maalgraph.resources import corpus_files

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"  # shared/ beside the clone
OWN = Path(__file__).parent / "data" / "corpus"
EXTRACTOR = Extractor()


def sources() -> list[Path]:
    found = list(corpus_files())
    for folder in (DEV, OWN):
        if (folder / "truth.json").is_file():
            truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
            found += [folder / d["file"] for d in truth["docs"]]
    return found


def facts(parsed: ParsedDocument) -> dict[str, object]:
    """What must not depend on the format."""
    goals = []
    values: list[Decimal] = []
    if parsed.report is not None:
        for area in parsed.report.focus_areas:
            for goal in area.goals:
                a = goal.assessment
                goals.append(
                    (" ".join(goal.text.split()), a.verdict.value if a and a.verdict else None)
                )
                for p in a.paragraphs if a else []:
                    values += [m.value for m in p.measurements]
    names = {m.label for p in parsed.paragraphs for m in p.mentions}
    statements = []
    if parsed.agenda is not None:
        statements = [
            (" ".join(b.goal_text.split()), b.verdict)
            for s in parsed.agenda.summary_sections
            for b in s.bullets
        ]
    return {
        "kind": parsed.kind,
        "municipality": parsed.municipality,
        "year": parsed.year,
        "goals": goals,
        "numbers": sorted(set(values)),
        "names": names,
        "summary": statements,
        "decision": parsed.agenda.decision if parsed.agenda else None,
        "committee": parsed.agenda.committee if parsed.agenda else None,
    }


SOURCES = sources()


@pytest.fixture(scope="module")
def originals() -> dict[str, dict[str, object]]:
    return {p.name: facts(parse_document(p, EXTRACTOR)) for p in SOURCES}


CASES = [(p, fmt) for p in SOURCES for fmt in sorted(WRITERS) if p.suffix != f".{fmt}"]


@pytest.mark.parametrize(("source", "fmt"), CASES, ids=[f"{p.name}-{f}" for p, f in CASES])
def test_same_facts_in_every_format(
    source: Path, fmt: str, originals: dict[str, dict[str, object]], tmp_path: Path
) -> None:
    blocks = read_blocks(source).blocks
    converted = WRITERS[fmt](blocks, tmp_path / f"{source.stem}.{fmt}")
    got = facts(parse_document(converted, EXTRACTOR))
    want = originals[source.name]
    assert got["goals"] == want["goals"]
    assert got["numbers"] == want["numbers"]
    assert got["names"] == want["names"]
    for key in ("kind", "municipality", "year", "summary", "decision", "committee"):
        assert got[key] == want[key], key


def test_every_format_is_covered() -> None:
    """The originals are in txt, md, html, docx and pdf; each is converted to the others."""
    assert {p.suffix for p in SOURCES} >= {".txt", ".md", ".html", ".docx", ".pdf"}
    assert len(SOURCES) >= 2 + 6 + 9
