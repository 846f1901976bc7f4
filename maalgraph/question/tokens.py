"""Words of a question and of the graph's texts, cut the same way on both sides.

A question and a label are matched word by word on their *folded* form (case and æ/ø/å
folded, :func:`maalgraph.nlp.fold`); questions and texts are matched on Snowball stems
(:func:`maalgraph.nlp.stem`). One regular expression cuts both, so "Sundhed & Ældre",
"KUI-kontaktpersonordningen" and "Social- og Beskæftigelsesplanen" come out alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..lang import data_file
from ..nlp import fold, stem

# numbers with their separators ("1.745", "10,4", "2019-2020"), words with inner hyphens or
# apostrophes ("Social-og", "KUI-kontaktpersonordningen", "Rekrutterings-"), "&", punctuation
WORD = re.compile(r"\d+(?:[.,:/–-]\d+)*|[^\W\d_](?:[\w]|[-'’](?=\w))*-?|\d\w*|&|[^\w\s]")
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
MAX_QUESTION = 500  # characters; a question is never longer, a paste of a document is cut


@functools.cache
def stop_words() -> frozenset[str]:
    """spaCy's Danish stop words, from a copy in ``lang/da/stop_words.txt`` (a question is
    read without importing spaCy; a test checks the copy against spaCy's list)."""
    text = data_file("da", "stop_words.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.split("\n") if w and not w.startswith("#"))


@dataclass(frozen=True)
class Token:
    """One word of a question."""

    i: int
    text: str
    start: int  # character offset in the cleaned question
    lower: str
    folded: str
    stem: str
    key: str  # what cue words are matched on: the stem, or the word itself when short
    is_word: bool  # letters (not a number or punctuation)
    is_cap: bool  # written with a capital first letter
    is_stop: bool  # a Danish stop word

    @property
    def is_content(self) -> bool:
        """A word that carries meaning of its own (not a stop word, number or sign)."""
        return self.is_word and not self.is_stop


def clean(question: str) -> str:
    """Control characters and terminal escapes out, at most MAX_QUESTION characters."""
    question = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", " ", question)
    return re.sub(r"[\x00-\x1f\x7f]", " ", question)[:MAX_QUESTION].strip()


def tokenize(text: str, stemmer: Callable[[str], str] = stem) -> list[Token]:
    """The words of a (cleaned) question. In a question typed all in capitals (or every word
    capitalised) capitals say nothing about names."""
    found = [(m.start(), m.group().strip("-")) for m in WORD.finditer(text)]
    found = [(start, bare) for start, bare in found if bare]
    words = [bare for _, bare in found if bare[0].isalpha()]
    shouting = len(words) > 2 and sum(w[0].isupper() for w in words) > 0.6 * len(words)
    stops = stop_words()
    out: list[Token] = []
    for start, bare in found:
        lower = bare.casefold()
        is_word = bare[0].isalpha()
        out.append(
            Token(
                i=len(out),
                text=bare,
                start=start,
                lower=lower,
                folded=fold(bare),
                stem=stemmer(lower) if is_word else lower,
                key=stemmer(lower) if is_word and len(lower) >= 5 else lower,
                is_word=is_word,
                is_cap=bare[0].isupper() and not shouting,
                is_stop=lower in stops,
            )
        )
    return out


def folded_words(text: str) -> tuple[str, ...]:
    """A name as the folded words it is matched by.

    >>> folded_words("Blå Kors"), folded_words("Sundhed & Ældre")
    (('blaa', 'kors'), ('sundhed', '&', 'aeldre'))
    """
    out = []
    for m in WORD.finditer(text):
        bare = m.group().strip("-")
        if bare and (bare[0].isalnum() or bare == "&"):
            out.append(fold(bare))
    return tuple(out)


LETTERS = re.compile(r"[^\W\d_][\w'’-]*")


def content_words(text: str) -> list[tuple[str, bool]]:
    """The words of a text that carry meaning (no stop words, numbers or signs), lower-cased,
    each with whether it was written in lower case (a name is not).

    >>> content_words("Flere udsatte borgere i Herning")
    [('udsatte', True), ('borgere', True), ('herning', False)]
    """
    stops = stop_words()
    out = []
    for word in LETTERS.findall(text):
        bare = word.rstrip("-").casefold()
        if len(bare) > 2 and bare not in stops:
            out.append((bare, not word[0].isupper()))
    return out


def years_in(text: str) -> list[int]:
    """The years a token or phrase names ("2020", "2019-2020")."""
    return [int(y) for y in YEAR.findall(text)]
