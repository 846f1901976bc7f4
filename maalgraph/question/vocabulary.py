"""The question layer's language data, loaded once: cue words and status words into spaCy
matchers, the families of questions, and the Danish municipalities.

Status words (verdicts, progress, no verdict, trends) are the document reader's, read from
``maalgraph/lang/da/verdicts.jsonl`` (prose patterns) and ``goals.toml`` ``[status_cells]``
(status values), with the few only questions use from ``lang/da/questions/verdicts.jsonl``;
cue words, families and municipalities are ``lang/da/questions/`` data (see docs/questions.md
for the formats). A question is matched on a ``Doc`` whose ``LEMMA`` is each word's dictionary
lemma (as in the reader, so its patterns apply) and whose ``NORM`` is its matching key: its
Snowball stem (:func:`maalgraph.nlp.stem`) or, for words under five letters, the word itself;
so one cue entry ("afhænger") covers every inflection. Phrases go into spaCy ``PhraseMatcher``
objects (hash look-ups), patterns into a ``Matcher``. The vocabulary is built once per process,
under a lock, and only read afterwards: threads share it safely.
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
from .statuses import STATUSES
from .tokens import stop_words

LANGUAGE = "da"
VERDICTS = tuple(STATUSES)  # every status a question can name (verdicts, progress, trends)
NOT_A_STATUS = "NOT_A_STATUS"  # status-cell values that mean something else in a question
DERIVED_CUES = ("COUNT_TOPIC",)  # cues the mention finder derives from others (mentions.py)
SLOTS = ("entity", "topic", "person", "class", "verdict", "municipality", "year", "area")
STATUS_KINDS = ("verdict", "progress", "trend")
TOPIC_KINDS = ("goal", "focus_area", "indicator", "item")  # item: an agenda item's title


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
    status: tuple[str, ...] = STATUS_KINDS  # which kinds of status it can filter by
    options: dict[str, Any] = field(default_factory=dict)  # handler settings


@dataclass(frozen=True)
class Vocabulary:
    """Cue and verdict words (phrase matchers on the matching key and on the lower case, and a
    Matcher for the patterns), the families, the known municipalities."""

    by_key: PhraseMatcher  # "words": on each word's matching key (NORM: the stem, see match_key)
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
    doc = Doc(vocab, words=words)
    if not exact:
        for token, word in zip(doc, words, strict=True):
            token.norm_ = match_key(word)
    return doc


Entry = tuple[str, list[str], list[str], list[Any], list[str]]


def _entry(label: object, entry: dict[str, Any], where: str) -> Entry:
    """(label, words, lower, pattern, all words) of one line of a word file."""
    if not isinstance(label, str):
        raise ValueError(f"{where} has no 'label'")
    words, lower = list(entry.get("words", [])), list(entry.get("lower", []))
    pattern = [entry["pattern"]] if "pattern" in entry else []
    if not (words or lower or pattern):
        raise ValueError(f"{where} ({label}) has no words")
    every = words + lower
    for token in entry.get("pattern", []):
        for value in token.values():
            if isinstance(value, dict):
                every += [str(v) for v in value.get("IN", [])]
    return label, words, lower, pattern, every


def _entries(name: str) -> list[Entry]:
    """The lines of one word file of the question layer (``questions/<name>.jsonl``)."""
    return [
        _entry(e.get("label"), e, f"questions/{name}.jsonl entry {number}")
        for number, e in enumerate(load_jsonl(LANGUAGE, f"questions/{name}"), start=1)
    ]


def _status_entries() -> list[Entry]:
    """Status words: the reader's patterns and status values, and the question layer's own.
    A status value is read as written ("i gang", "grøn"), when it is made of words and means
    no other thing in a question (NOT_A_STATUS)."""
    own = _entries("verdicts")
    ignored = {w for label, _, lower, _, _ in own if label == NOT_A_STATUS for w in lower}
    out = [e for e in own if e[0] != NOT_A_STATUS]
    for number, e in enumerate(load_jsonl(LANGUAGE, "verdicts"), start=1):
        out.append(_entry(e.get("label"), e, f"verdicts.jsonl entry {number}"))
    for label, values in load_toml(LANGUAGE, "goals")["status_cells"].items():
        words = [
            v.casefold()
            for v in values
            if v.casefold() not in ignored and all(w.isalpha() for w in v.split())
        ]
        if words:
            out.append((label, [], words, [], words))
    return out


def _families() -> tuple[Family, ...]:
    data = dict(load_toml(LANGUAGE, "questions/families"))
    defaults = data.pop("defaults", {})  # cue weights every family has, unless it says otherwise
    families = []
    for name, spec in data.items():
        if not isinstance(spec, dict) or "handler" not in spec or "da" not in spec:
            raise ValueError(f"questions/families.toml: [{name}] needs 'handler' and 'da'")
        for key, known in (("needs", SLOTS), ("takes", SLOTS), ("topic", TOPIC_KINDS), ("status", STATUS_KINDS)):  # fmt: skip
            unknown = set(spec.get(key, ())) - set(known)
            if unknown:
                raise ValueError(f"questions/families.toml: [{name}] {key} has unknown {unknown}")
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
                cues={
                    k: float(v)
                    for k, v in {**defaults.get("cues", {}), **spec.get("cues", {})}.items()
                },
                status=tuple(spec.get("status", STATUS_KINDS)),
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
    by_key, by_lower = PhraseMatcher(vocab, attr="NORM"), PhraseMatcher(vocab, attr="LOWER")
    patterns = Matcher(vocab)
    labels: set[str] = set()
    stems: dict[str, str] = {}
    finance: set[str] = set()
    for name, entries in (("cues", _entries("cues")), ("verdicts", _status_entries())):
        for label, words, lower, pattern, every in entries:
            if name == "verdicts" and label not in VERDICTS:
                raise ValueError(f"status words: unknown status {label!r} (known: {VERDICTS})")
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
