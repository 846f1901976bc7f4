"""The question sets of tests/questions/ and the stores they are asked on, judged the way
``shared/eval/check.py`` judges ``maalgraph ask --json`` (shared by the tests and
benchmarks/questions.py).

- ``three``: three municipalities over two years each: the bundled Herning 2020 documents,
  Vejle 2021 (tests/data) and the follow-ups and agenda items of tests/data/questions/ (Herning
  2021, Vejle 2022, Randers 2021 and 2022);
- ``formats``: those, and the documents of other layouts and formats (txt, md, html, docx,
  pdf) of the shared dev corpus (``shared/corpus-dev`` beside the clone) and of our own
  (tests/data/corpus): twenty municipalities in one store;
- ``seeds``: the bundled corpus alone (the shared dev questions' store).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from maalgraph import MaalGraph
from maalgraph.resources import corpus_files

HERE = Path(__file__).parent
SETS = HERE / "questions"
SHARED = HERE.resolve().parents[1] / "shared" / "corpus-dev"  # shared/ beside the clone
FORMATS = (".txt", ".md", ".html", ".docx", ".pdf")
DOCUMENTS = [
    *corpus_files(),
    HERE / "data" / "followup-vejle-2021.txt",
    HERE / "data" / "agenda-vejle-2022.txt",
    *sorted((HERE / "data" / "questions").glob("*.txt")),
]
OTHER_LAYOUTS = [
    p
    for folder in (SHARED, HERE / "data" / "corpus")
    for p in sorted(folder.glob("*.*"))
    if p.suffix in FORMATS
]
# the store each set is asked on; the formats sets need the shared dev corpus beside the clone
# (as test_layouts and test_formats do)
SET_STORES = {
    "questions-dev": "three",
    "questions-heldout": "three",
    "questions-heldout-2": "three",
    "seeds-rephrased": "seeds",
    **({"formats-dev": "formats", "formats-heldout": "formats"} if SHARED.is_dir() else {}),
}


def question_set(name: str) -> list[dict[str, Any]]:
    """One set: [{"id", "q", "kind", "expect" | "value" | "text" …}]."""
    return json.loads((SETS / f"{name}.json").read_text(encoding="utf-8"))


def question_store(name: str = "three") -> MaalGraph:
    """The documents of one store (``three`` or ``formats``), in memory, read-only."""
    kg = MaalGraph.memory()
    kg.ingest_many(DOCUMENTS + (OTHER_LAYOUTS if name == "formats" else []))
    kg.store.read_only = True
    return kg


def _fold(value: object) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().casefold()


_NUM = re.compile(r"(?<![\w.,])-?\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d])|(?<![\w.,])-?\d+(?:[.,]\d+)?")


def _numbers(text: str) -> list[float]:
    out = []
    for m in _NUM.finditer(text):
        t = m.group(0)
        if re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
            t = t.replace(".", "").replace(",", ".")
        else:
            t = t.replace(",", ".")
        out.append(float(t))
    return out


def judge(item: dict[str, Any], answer: dict[str, Any]) -> str | None:
    """None when the answer is right, else why not (check.py's rules)."""
    rows = answer.get("rows") or []
    texts = [_fold(" | ".join("" if v is None else str(v) for v in r.values())) for r in rows]
    said = _fold(answer.get("answer") or "")
    kind = item["kind"]
    if kind == "unknown":
        return None if not answer.get("understood") and not rows else "expected 'not understood'"
    if kind == "none":
        if rows:
            return f"expected no rows, got {len(rows)}: {texts[:2]}"
        return None if said else "no rows but an empty answer"
    if not answer.get("understood"):
        return "not understood"
    if kind == "list":
        if not rows:
            return "no rows"
        flat = [x for e in item.get("expect", []) for x in (e if isinstance(e, list) else [e])]
        for e in item.get("expect", []):
            group = [_fold(x) for x in (e if isinstance(e, list) else [e])]
            if not any(all(g in t for g in group) for t in texts):
                return f"missing: {e}"
        ok = [_fold(x) for x in flat + item.get("also_ok", [])]
        for t in texts:
            if not any(o in t for o in ok):
                return f"unexpected row: {t[:160]}"
        for f in item.get("forbid", []):
            if any(_fold(f) in t for t in texts):
                return f"forbidden phrase in rows: {f}"
        return None
    hay = " | ".join([*texts, said])
    if kind == "value":
        found = _numbers(hay)
        missing = [v for v in item["value"] if not any(abs(x - float(v)) < 1e-6 for x in found)]
        return f"values {missing} not in the answer: {said[:200]}" if missing else None
    if kind == "text":
        return (
            None
            if any(_fold(t) in hay for t in item["text"])
            else f"none of {item['text']} in: {hay[:200]}"
        )
    return f"unknown kind {kind}"
