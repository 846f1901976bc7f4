"""The question layer's language data, loaded once: cue words and status words compiled into
matchers, the families of questions, and the Danish municipalities.

Status words (verdicts, progress, no verdict, trends) are the document reader's, read from
``maalgraph/lang/da/verdicts.jsonl`` (prose patterns) and ``goals.toml`` ``[status_cells]``
(status values), with the few only questions use from ``lang/da/questions/verdicts.jsonl``;
cue words, families and municipalities are ``lang/da/questions/`` data (see docs/questions.md
for the formats). The files are spaCy's formats (``PhraseMatcher`` phrases on ``NORM`` and
``LOWER``, ``Matcher`` patterns), compiled for questions without importing spaCy
(:mod:`.matcher`, checked against spaCy by the tests). A question's word is matched on its
``LEMMA``, the dictionary lemma (as in the reader, so its patterns apply), and on its ``NORM``,
its matching key: its Snowball stem (:func:`maalgraph.nlp.stem`) or, for words under five
letters, the word itself; so one cue entry ("afhænger") covers every inflection. The
vocabulary is built once per process, under a lock, and only read afterwards: threads share
it safely.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..lang import load_toml, numbered_jsonl
from ..nlp import lemma_forms, stem
from .matcher import PhraseTable, Word, compile_pattern, encode, find_spans, is_punct, lemmas_named
from .statuses import STATUS_LABELS
from .tokens import Token, stop_words

LANGUAGE = "da"
VERDICTS = STATUS_LABELS  # every status a question can name (verdicts, progress, trends)
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
    """Cue and verdict words (phrases on the matching key and on the lower case, and the
    patterns), the families, the known municipalities."""

    by_key: PhraseTable  # "words": on each word's matching key (NORM: the stem, see match_key)
    by_lower: PhraseTable  # "lower": on the exact lower-case form
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # "pattern": (label, compiled pattern)
    lemmas: dict[str, str]  # form → lemma, for the lemmas the patterns name (nlp.lemma_forms)
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

    def words(self, tokens: Sequence[Token]) -> list[Word]:
        """What the patterns test of each word; the first starts the sentence (yes/no
        questions open with a verb)."""
        return [
            Word(
                lower=t.text.lower(),
                key=t.key,
                lemma=self.lemmas.get(t.lower, ""),
                is_alpha=t.text.isalpha(),
                is_punct=is_punct(t.text),
                is_sent_start=i == 0,
            )
            for i, t in enumerate(tokens)
        ]

    def match(self, tokens: Sequence[Token]) -> list[tuple[str, int, int]]:
        """(label, start, end) of every cue and verdict phrase in a question, sorted; what
        spaCy's three matchers would find (a span two of them find is there twice)."""
        words = self.words(tokens)
        found = self.by_key.find([w.key for w in words])
        found += self.by_lower.find([w.lower for w in words])
        encoded, starts = encode(words)
        found += {  # once per label, as spaCy's Matcher: a label's patterns are one rule
            (label, i, j)
            for label, pattern in self.patterns
            for i, j in find_spans(pattern, encoded, starts)
        }
        return sorted(found, key=lambda f: (f[1], f[2], f[0]))


STEM_MIN = 5  # shorter words are matched as written: the stem of "dem" is also that of "demens"


def match_key(lower: str, stemmer: Callable[[str], str] = stem) -> str:
    """What a word is matched on: its stem, or itself when short ("dem" is no "demens")."""
    return stemmer(lower) if len(lower) >= STEM_MIN and lower[:1].isalpha() else lower


def phrase_keys(phrase: str, exact: bool) -> tuple[str, ...]:
    """A phrase as the keys its words are matched on: the lower case, or the matching key."""
    words = phrase.casefold().split()
    return tuple(words if exact else (match_key(w) for w in words))


@dataclass(frozen=True)
class Entry:
    """One line of a word file: a label with phrases or a pattern."""

    label: str
    words: list[str]  # phrases matched on the matching key
    lower: list[str]  # phrases matched on the lower case
    pattern: list[Any]  # a spaCy Matcher pattern, or []
    where: str  # file and line, for errors

    @property
    def every(self) -> list[str]:
        """Every word the entry names (its phrases and the IN lists of its pattern)."""
        out = self.words + self.lower
        for token in self.pattern:
            for value in token.values():
                if isinstance(value, dict):
                    out += [str(v) for v in value.get("IN", [])]
        return out


def _entry(entry: dict[str, Any], where: str) -> Entry:
    label = entry.get("label")
    if not isinstance(label, str):
        raise ValueError(f"{where} has no 'label'")
    words, lower = list(entry.get("words", [])), list(entry.get("lower", []))
    pattern = entry.get("pattern", [])
    if not (words or lower or pattern):
        raise ValueError(f"{where} ({label}) has no words")
    if not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern):
        raise ValueError(f"{where} ({label}): a pattern is a list of token objects")
    return Entry(label, words, lower, pattern, where)


def _entries(name: str) -> list[Entry]:
    """The lines of one word file (``<name>.jsonl``), each named by file and line."""
    return [_entry(e, f"{name}.jsonl:{line}") for line, e in numbered_jsonl(LANGUAGE, name)]


def cue_entries() -> list[Entry]:
    """The cue words (``questions/cues.jsonl``)."""
    return _entries("questions/cues")


def status_entries() -> list[Entry]:
    """Status words: the reader's patterns and status values, and the question layer's own.
    A status value is read as written ("i gang", "grøn"), when it is made of words and means
    no other thing in a question (NOT_A_STATUS)."""
    own = _entries("questions/verdicts")
    ignored = {w for e in own if e.label == NOT_A_STATUS for w in e.lower}
    out = [e for e in own if e.label != NOT_A_STATUS] + _entries("verdicts")
    for label, values in load_toml(LANGUAGE, "goals")["status_cells"].items():
        words = [
            v.casefold()
            for v in values
            if v.casefold() not in ignored and all(w.isalpha() for w in v.split())
        ]
        if words:
            out.append(Entry(label, [], words, [], "goals.toml [status_cells]"))
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
    by_key, by_lower = PhraseTable(), PhraseTable()
    patterns: list[tuple[str, re.Pattern[str]]] = []
    named: set[str] = set()  # lemmas the patterns name
    labels: set[str] = set()
    stems: dict[str, str] = {}
    finance: set[str] = set()
    for name, entries in (("cues", cue_entries()), ("verdicts", status_entries())):
        for e in entries:
            if name == "verdicts" and e.label not in VERDICTS:
                raise ValueError(f"{e.where}: unknown status {e.label!r} (known: {VERDICTS})")
            for phrase in e.words:
                by_key.add(e.label, phrase_keys(phrase, exact=False))
            for phrase in e.lower:
                by_lower.add(e.label, phrase_keys(phrase, exact=True))
            if e.pattern:
                patterns.append((e.label, compile_pattern(e.pattern, f"{e.where} ({e.label})")))
                named |= lemmas_named(e.pattern)
            labels.add(e.label)
            every = e.every
            for phrase in every:
                for w in phrase.casefold().split():
                    if w not in stems:
                        stems[w] = stem(w)
            if e.label == "FINANCE":
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
        patterns=tuple(patterns),
        lemmas=lemma_forms(frozenset(named)),
        labels=frozenset(labels),
        cue_stems=frozenset(stems.values()),
        stems=stems,
        families=families,
        municipalities=tuple(places["municipalities"]),
        regions=tuple(places["regions"]),
        finance_stems=frozenset(finance),
    )
