"""Property-based: mutated seeds either parse or raise maalgraph's own error type."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maalgraph import MaalgraphError
from maalgraph.ingest import Extractor, parse_document
from maalgraph.resources import corpus_files

SEEDS = [p.read_text(encoding="utf-8") for p in corpus_files()]
EXTRACTOR = Extractor()


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["drop", "dup", "cut", "insert", "swap", "tabs"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "insert":
            lines.insert(i, draw(st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)))
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i].replace("\t", " ")
    return "\n".join(lines)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=mutated())
def test_mutated_documents(tmp_path_factory, text: str) -> None:
    path: Path = tmp_path_factory.mktemp("m") / "doc.txt"
    path.write_text(text, encoding="utf-8")
    try:
        parsed = parse_document(path, EXTRACTOR)
    except MaalgraphError:
        return
    assert parsed.kind in ("follow-up", "agenda-item", "document")
