"""Read the verdict of a goal assessment: opfyldt, delvist opfyldt or ikke opfyldt.

Patterns over lemmas (spaCy ``Matcher``), so "opfyldt", "opfyldte", "nået" and "indfriet"
all count, with "delvis/delvist", "ikke (helt/fuldt)" and auxiliaries in between. The
conclusion is the last sentence that speaks of the goal ("målet"), so "Målet er således
ikke opfyldt, men … tilfredsstillende" reads as ikke opfyldt.
"""

from __future__ import annotations

import functools
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..model import Verdict
from ..nlp import danish

# Participles only: "for at nå målet" (to reach the goal) is no verdict.
_MET = {"LOWER": {"IN": ["opfyldt", "opfyldte", "opfyldes", "nået", "indfriet", "realiseret"]}}
_AUX = {"LEMMA": {"IN": ["være", "blive", "have"]}, "OP": "*"}
_ADV = {
    "LOWER": {"IN": ["således", "derfor", "dermed", "hermed", "også", "samlet", "set"]},
    "OP": "*",
}
_PATTERNS: dict[Verdict, list[list[dict[str, Any]]]] = {
    Verdict.PARTLY_MET: [
        [{"LEMMA": {"IN": ["delvis", "delvist"]}}, _AUX, _MET],
        [{"LOWER": "ikke"}, _AUX, {"LOWER": {"IN": ["helt", "fuldt", "fuldstændig", "fuldstændigt"]}},
         {"LOWER": "ud", "OP": "?"}, _AUX, _MET],
        [{"LOWER": {"IN": ["næsten", "overvejende"]}}, _AUX, _MET],
    ],
    Verdict.NOT_MET: [
        [{"LOWER": {"IN": ["ikke", "ej"]}}, _ADV, _AUX, _MET],
        [{"LOWER": {"IN": ["uopfyldt", "uopfyldte"]}}],
    ],
    Verdict.MET: [
        [_MET],
        [{"LOWER": "fuldt"}, {"LOWER": "ud"}, _MET],
    ],
}  # fmt: skip
_PRIORITY = {Verdict.PARTLY_MET: 3, Verdict.NOT_MET: 2, Verdict.MET: 1}


@functools.lru_cache(maxsize=1)
def _matcher() -> Matcher:
    matcher = Matcher(danish().vocab)
    for verdict, patterns in _PATTERNS.items():
        matcher.add(verdict.name, patterns, greedy="LONGEST")
    return matcher


def _speaks_of_goal(sentence: Span) -> bool:
    return any(
        t.lemma_ in ("mål", "målsætning", "målet") or t.lower_.startswith("mål") for t in sentence
    )


def find_verdict(doc: Doc) -> tuple[Verdict, str] | None:
    """The verdict stated in a text and the sentence stating it, or None.

    >>> from maalgraph.nlp import danish
    >>> find_verdict(danish()("Målet er således ikke opfyldt, men resultatet er fint."))[0]
    <Verdict.NOT_MET: 'ikke opfyldt'>
    >>> find_verdict(danish()("Det vurderes, at målet er delvist opfyldt."))[0]
    <Verdict.PARTLY_MET: 'delvist opfyldt'>
    """
    matcher = _matcher()
    spans = []
    for match_id, start, end in matcher(doc):
        span = Span(doc, start, end, label=match_id)
        spans.append(span)
    if not spans:
        return None
    # Longest span wins where they overlap ("ikke opfyldt" over "opfyldt").
    spans = filter_spans(spans)
    about_goal = [s for s in spans if _speaks_of_goal(s.sent)]
    chosen_sentence = (about_goal or spans)[-1].sent
    in_sentence = [s for s in spans if s.sent == chosen_sentence]
    best = max(in_sentence, key=lambda s: (_PRIORITY[Verdict[s.label_]], -s.start))
    return Verdict[best.label_], chosen_sentence.text.strip()


def verdict_of_text(text: str) -> tuple[Verdict, str] | None:
    """Convenience wrapper: run the pipeline on plain text."""
    return find_verdict(danish()(text))
