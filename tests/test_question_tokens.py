"""The words of a question: the stop words are spaCy's (a copy, so that a question is read
without importing spaCy)."""

from __future__ import annotations

from spacy.lang.da.stop_words import STOP_WORDS

from maalgraph.question.tokens import stop_words, tokenize


def test_the_stop_words_are_spacys() -> None:
    assert stop_words() == frozenset(STOP_WORDS)


def test_stop_words_mark_the_tokens() -> None:
    tokens = tokenize("Hvilke mål afhænger af Blå Kors?")
    assert [t.text for t in tokens if t.is_stop] == ["Hvilke", "af"]
