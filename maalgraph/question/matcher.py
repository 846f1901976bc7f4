"""Cue and status words found in a question without spaCy: spaCy's matcher semantics, compiled.

The word files are written for spaCy's ``PhraseMatcher`` and ``Matcher`` (the document reader
runs them with spaCy), but importing spaCy costs a one-line ``maalgraph ask`` most of a second.
The question layer needs only what those files use, so it compiles them:

- phrases ("words", "lower") become a dict from a tuple of word keys to labels;
- each ``Matcher`` pattern becomes a Python regular expression over the question's words,
  each word encoded as one record: ``\\x1d`` flags ``\\x1f`` lower case ``\\x1f`` lemma ``\\x1e``
  (flags: ``A``/``a`` alphabetic, ``P``/``p`` punctuation, ``S``/``s`` starts the sentence;
  control characters never occur in a cleaned question, see :func:`.tokens.clean`).

The supported token attributes are exactly those the data files use: ``LOWER`` and ``LEMMA``
(a string, or ``IN`` / ``NOT_IN`` lists), ``IS_ALPHA``, ``IS_PUNCT``, ``IS_SENT_START`` and the
operators ``?``, ``*``, ``+`` and ``{m,n}``. Anything else is refused when the file is loaded,
with the file and line, rather than silently matched differently.

The results are spaCy's: every (label, start, end) the pattern accepts, overlapping ones too,
each once, none empty. ``tests/test_question_matcher.py`` runs spaCy's matchers beside these on
every question of the project's question sets and on generated word sequences.

>>> rx = compile_pattern([{"LOWER": "ikke"}, {"LOWER": {"IN": ["opfyldt", "nået"]}}], "x:1")
>>> words = [Word("ikke", "ikke", "", True, False, True), Word("nået", "nået", "nå", True, False, False)]
>>> find_spans(rx, *encode(words))
[(0, 2)]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

FLAGS = {"IS_ALPHA": 0, "IS_PUNCT": 1, "IS_SENT_START": 2}
TEXTS = {"LOWER": "\x1f", "LEMMA": "\x1e"}  # each field with the character that ends it
QUANTIFIER = re.compile(r"\{(?:\d+|\d+,\d*|,\d+)\}")
OPERATORS = {"?", "*", "+"}
START = "\x1d"


class PatternError(ValueError):
    """A pattern uses what the question matcher does not translate (named by file and line)."""


@dataclass(frozen=True)
class Word:
    """What a pattern can test of one word of a question (spaCy's attribute of the same name)."""

    lower: str  # LOWER: str.lower() of the word, as spaCy's lexemes have it
    key: str  # NORM: the matching key of phrases ("words")
    lemma: str  # LEMMA: the lemma when a pattern names it, else "" (see Vocabulary.lemmas)
    is_alpha: bool
    is_punct: bool
    is_sent_start: bool


def is_punct(text: str) -> bool:
    """spaCy's ``IS_PUNCT``: every character is punctuation (Unicode category P*)."""
    return all(unicodedata.category(c).startswith("P") for c in text)


def encode(words: list[Word]) -> tuple[str, list[int]]:
    """The words as one string the compiled patterns run over, and where each word starts
    (one more: the end)."""
    records = [
        START
        + ("A" if w.is_alpha else "a")
        + ("P" if w.is_punct else "p")
        + ("S" if w.is_sent_start else "s")
        + "\x1f"
        + w.lower
        + "\x1f"
        + w.lemma
        + "\x1e"
        for w in words
    ]
    starts = [0]
    for record in records:
        starts.append(starts[-1] + len(record))
    return "".join(records), starts


def _value(value: object, end: str, where: str) -> str:
    """A LOWER or LEMMA condition: the regular expression of the field (without its end)."""
    if isinstance(value, str):
        return re.escape(value)
    if not isinstance(value, dict) or not value or set(value) - {"IN", "NOT_IN"}:
        raise PatternError(f"{where}: only a string, IN or NOT_IN is supported, not {value!r}")
    for op, words in value.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise PatternError(f"{where}: {op} takes a list of strings, not {words!r}")
    either = {op: "|".join(re.escape(w) for w in words) for op, words in value.items()}
    excluded = f"(?!(?:{either['NOT_IN']}){end})" if value.get("NOT_IN") else ""
    if "IN" not in value:
        return excluded + f"[^{end}]*"
    return excluded + (f"(?:{either['IN']})" if value["IN"] else "(?!)")


def _token(spec: object, where: str) -> str:
    if not isinstance(spec, dict):
        raise PatternError(f"{where}: a pattern token is an object, not {spec!r}")
    flags = ["[Aa]", "[Pp]", "[Ss]"]
    fields = {name: f"[^{end}]*" for name, end in TEXTS.items()}
    for name, value in spec.items():
        if name == "OP":
            continue
        if name in FLAGS:
            if not isinstance(value, bool):
                raise PatternError(f"{where}: {name} takes true or false, not {value!r}")
            flags[FLAGS[name]] = "APS"[FLAGS[name]] if value else "aps"[FLAGS[name]]
        elif name in TEXTS:
            fields[name] = _value(value, TEXTS[name], f"{where} ({name})")
        else:
            raise PatternError(
                f"{where}: the question matcher does not support the attribute {name!r} "
                f"(supported: {', '.join([*TEXTS, *FLAGS, 'OP'])})"
            )
    body = START + "".join(flags) + "\x1f" + fields["LOWER"] + "\x1f" + fields["LEMMA"] + "\x1e"
    op = spec.get("OP")
    if op is None:
        return f"(?:{body})"
    if op in OPERATORS or isinstance(op, str) and QUANTIFIER.fullmatch(op):
        return f"(?:{body}){op}"
    raise PatternError(f"{where}: the question matcher does not support the operator {op!r}")


def compile_pattern(pattern: object, where: str) -> re.Pattern[str]:
    """A spaCy ``Matcher`` pattern as a regular expression over :func:`encode` d words."""
    if not isinstance(pattern, list) or not pattern:
        raise PatternError(f"{where}: a pattern is a non-empty list of tokens")
    return re.compile("".join(_token(spec, where) for spec in pattern))


def lemmas_named(pattern: list[Any]) -> set[str]:
    """Every lemma a pattern tests (only these need a word's lemma at question time)."""
    out: set[str] = set()
    for spec in pattern:
        value = spec.get("LEMMA") if isinstance(spec, dict) else None
        if isinstance(value, str):
            out.add(value)
        elif isinstance(value, dict):
            out.update(str(w) for words in value.values() for w in words)
    return out


def find_spans(pattern: re.Pattern[str], encoded: str, starts: list[int]) -> list[tuple[int, int]]:
    """Every (start, end) of words the pattern accepts, as spaCy's ``Matcher`` returns them:
    all of them, overlapping ones too, none empty."""
    count = len(starts) - 1
    spans = []
    for i in range(count):
        if pattern.match(encoded, starts[i]) is None:
            continue
        spans += [
            (i, j)
            for j in range(i + 1, count + 1)
            if pattern.fullmatch(encoded, starts[i], starts[j]) is not None
        ]
    return spans


class PhraseTable:
    """Phrases as spaCy's ``PhraseMatcher`` finds them: every occurrence of every phrase,
    overlapping ones too, one match per label, phrase and place."""

    def __init__(self) -> None:
        self._labels: dict[tuple[str, ...], set[str]] = {}
        self._lengths: set[int] = set()

    def add(self, label: str, phrase: tuple[str, ...]) -> None:
        self._labels.setdefault(phrase, set()).add(label)
        self._lengths.add(len(phrase))

    def find(self, keys: list[str]) -> list[tuple[str, int, int]]:
        found = []
        for start in range(len(keys)):
            for length in self._lengths:
                labels = self._labels.get(tuple(keys[start : start + length]))
                if labels and start + length <= len(keys):
                    found += [(label, start, start + length) for label in labels]
        return found
