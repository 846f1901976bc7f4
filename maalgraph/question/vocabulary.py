"""The question layer's language data, loaded once: cue words and verdict words into one spaCy
``Matcher``, the families of questions, and the Danish municipalities.

Everything here is data under ``maalgraph/lang/da/questions/`` (see docs/questions.md for the
formats). A question is matched on a ``Doc`` whose ``LEMMA`` is each word's matching key, its Snowball stem
(:func:`maalgraph.nlp.stem`) or, for words under five letters, the word itself; so one entry
("afhænger") covers every inflection. Phrases go into spaCy ``PhraseMatcher`` objects (hash
look-ups), the few real patterns into a ``Matcher``. The vocabulary
is built once per process, under a lock, and only read afterwards: threads share it safely.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..lang import load_jsonl, load_toml
from ..nlp import danish_vocab, stem
from .tokens import stop_words

LANGUAGE = "da"
VERDICTS = ("MET", "PARTLY_MET", "NOT_MET", "IN_PROGRESS", "NOT_ASSESSED")
# where verdict spans overlap, the longest wins, then this order (as in the document reader)
VERDICT_PRIORITY = {"PARTLY_MET": 4, "NOT_MET": 3, "IN_PROGRESS": 2, "NOT_ASSESSED": 2, "MET": 1}
DERIVED_CUES = ("COUNT_TOPIC",)  # cues the mention finder derives from others (mentions.py)
SLOTS = ("entity", "topic", "person", "class", "verdict", "municipality", "year", "area")
TOPIC_KINDS = ("goal", "focus_area", "indicator")


@dataclass(frozen=True)
class Family:
    """One kind of question (a row of ``families.toml``)."""

    name: str
    da: str  # how the answer says what it understood
    handler: str
    needs: tuple[str, ...] = ()
    takes: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()  # which texts a topic may name
    trigger: tuple[str, ...] = ()  # one of these cues or slots must be present
    requires: tuple[str, ...] = ()  # all of these cues or slots must be present
    cues: dict[str, float] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # handler settings


@dataclass(frozen=True)
class Vocabulary:
    """Cue and verdict words (phrase matchers on the matching key and on the lower case, and a
    Matcher for the patterns), the families, the known municipalities."""

    by_key: PhraseMatcher  # "words": on each word's matching key (the stem, see match_key)
    by_lower: PhraseMatcher  # "lower": on the exact lower-case form
    patterns: Matcher  # "pattern": spaCy Matcher patterns
    labels: frozenset[str]  # every cue label
    cue_stems: frozenset[str]  # stems of every cue and verdict word: known words, never names
    stems: dict[str, str]  # the stems of the cue words, read-only (stemming costs ~0.1 ms a word)
    families: tuple[Family, ...]
    municipalities: tuple[str, ...]  # every Danish municipality, without "Kommune"
    regions: tuple[str, ...]
    finance_stems: frozenset[str]  # words that say who pays (for "hvem finansierer …")

    def is_common(self, word: str) -> bool:
        """A word of the question language (stop word or cue word), never part of a name."""
        lower = word.casefold()
        return (
            lower in stop_words()
            or self.stems.get(lower, lower) in self.cue_stems
            or stem(lower) in self.cue_stems
        )

    def match(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(label, start, end) of every cue and verdict phrase in a question's doc."""
        strings = doc.vocab.strings
        return [
            (strings[match_id], start, end)
            for matcher in (self.by_key, self.by_lower, self.patterns)
            for match_id, start, end in matcher(doc)
        ]


STEM_MIN = 5  # shorter words are matched as written: the stem of "dem" is also that of "demens"


def match_key(lower: str, stemmer: Callable[[str], str] = stem) -> str:
    """What a word is matched on: its stem, or itself when short ("dem" is no "demens")."""
    return stemmer(lower) if len(lower) >= STEM_MIN and lower[:1].isalpha() else lower


def _phrase(vocab: Vocab, phrase: str, exact: bool) -> Doc:
    words = phrase.casefold().split()
    keys = words if exact else [match_key(w) for w in words]
    return Doc(vocab, words=words, lemmas=keys)


def _entries(name: str) -> list[tuple[str, list[str], list[str], list[Any], list[str]]]:
    """(label, words, lower, pattern, all words) for every line of one cue file."""
    out = []
    for number, entry in enumerate(load_jsonl(LANGUAGE, f"questions/{name}"), start=1):
        label = entry.get("label")
        if not isinstance(label, str):
            raise ValueError(f"questions/{name}.jsonl entry {number} has no 'label'")
        words, lower = list(entry.get("words", [])), list(entry.get("lower", []))
        pattern = [entry["pattern"]] if "pattern" in entry else []
        if not (words or lower or pattern):
            raise ValueError(f"questions/{name}.jsonl entry {number} ({label}) has no words")
        every = words + lower
        for token in entry.get("pattern", []):
            for value in token.values():
                if isinstance(value, dict):
                    every += [str(v) for v in value.get("IN", [])]
        out.append((label, words, lower, pattern, every))
    return out


def _families() -> tuple[Family, ...]:
    data = load_toml(LANGUAGE, "questions/families")
    families = []
    for name, spec in data.items():
        if not isinstance(spec, dict) or "handler" not in spec or "da" not in spec:
            raise ValueError(f"questions/families.toml: [{name}] needs 'handler' and 'da'")
        for key in ("needs", "takes"):
            unknown = set(spec.get(key, ())) - set(SLOTS)
            if unknown:
                raise ValueError(
                    f"questions/families.toml: [{name}] {key} has unknown slots {unknown}"
                )
        families.append(
            Family(
                name=name,
                da=spec["da"],
                handler=spec["handler"],
                needs=tuple(spec.get("needs", ())),
                takes=tuple(spec.get("takes", ())),
                topic=tuple(spec.get("topic", ())),
                trigger=tuple(spec.get("trigger", ())),
                requires=tuple(spec.get("requires", ())),
                cues={k: float(v) for k, v in spec.get("cues", {}).items()},
                options=dict(spec.get("options", {})),
            )
        )
    return tuple(families)


_lock = threading.Lock()
_vocabulary: Vocabulary | None = None


def vocabulary() -> Vocabulary:
    """The question vocabulary (built once per process, under a lock)."""
    global _vocabulary
    if _vocabulary is None:
        with _lock:
            if _vocabulary is None:
                _vocabulary = _build()
    return _vocabulary


def _build() -> Vocabulary:
    vocab = danish_vocab()
    by_key, by_lower = PhraseMatcher(vocab, attr="LEMMA"), PhraseMatcher(vocab, attr="LOWER")
    patterns = Matcher(vocab)
    labels: set[str] = set()
    stems: dict[str, str] = {}
    finance: set[str] = set()
    for name in ("cues", "verdicts"):
        for label, words, lower, pattern, every in _entries(name):
            if name == "verdicts" and label not in VERDICTS:
                raise ValueError(f"questions/verdicts.jsonl: unknown verdict {label!r}")
            if words:
                by_key.add(label, [_phrase(vocab, w, False) for w in words])
            if lower:
                by_lower.add(label, [_phrase(vocab, w, True) for w in lower])
            if pattern:
                patterns.add(label, pattern)
            labels.add(label)
            for phrase in every:
                for w in phrase.casefold().split():
                    if w not in stems:
                        stems[w] = stem(w)
            if label == "FINANCE":
                finance.update(stems[w] for p in every for w in p.casefold().split())
    places = load_toml(LANGUAGE, "questions/municipalities")
    families = _families()
    for family in families:
        unknown = (
            {*family.trigger, *family.requires, *family.cues}
            - labels
            - set(SLOTS)
            - set(DERIVED_CUES)
        )
        if unknown:
            raise ValueError(
                f"questions/families.toml: [{family.name}] names unknown cues {unknown}"
            )
    return Vocabulary(
        by_key=by_key,
        by_lower=by_lower,
        patterns=patterns,
        labels=frozenset(labels),
        cue_stems=frozenset(stems.values()),
        stems=stems,
        families=families,
        municipalities=tuple(places["municipalities"]),
        regions=tuple(places["regions"]),
        finance_stems=frozenset(finance),
    )
