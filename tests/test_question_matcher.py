"""The compiled question matcher (maalgraph/question/matcher.py) against spaCy, its reference.

spaCy's ``PhraseMatcher`` (on ``NORM`` and on ``LOWER``) and ``Matcher`` are built from the same
word-file entries as the vocabulary, and run on a ``Doc`` of the same words with the lemma
table's lemmas; both must give the same (label, start, end) matches, duplicates included, on
every question of the project's question sets and on generated word sequences. The mention
finder reads nothing else of the matches, and its choice among overlapping ones does not
depend on their order (tested here too), so it understands a question as it did with spaCy.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.lang.da import Danish
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab, create_vocab

from maalgraph import lang
from maalgraph.nlp import lemma_table
from maalgraph.question import vocabulary as vocabulary_module
from maalgraph.question.matcher import PatternError, compile_pattern
from maalgraph.question.mentions import _longest, _verdicts
from maalgraph.question.tokens import Token, tokenize
from maalgraph.question.vocabulary import (
    Vocabulary,
    cue_entries,
    match_key,
    status_entries,
    vocabulary,
)

HERE = Path(__file__).parent
SHARED_QUESTIONS = HERE.resolve().parents[1] / "shared" / "eval" / "dev-questions.json"


class SpacyReference:
    """The question vocabulary's matchers as spaCy builds them (the way the question layer
    matched before it compiled them)."""

    def __init__(self) -> None:
        self.vocab: Vocab = create_vocab("da", Danish.Defaults)
        self.by_key = PhraseMatcher(self.vocab, attr="NORM")
        self.by_lower = PhraseMatcher(self.vocab, attr="LOWER")
        self.patterns = Matcher(self.vocab)
        for e in [*cue_entries(), *status_entries()]:
            if e.words:
                self.by_key.add(e.label, [self._phrase(w, exact=False) for w in e.words])
            if e.lower:
                self.by_lower.add(e.label, [self._phrase(w, exact=True) for w in e.lower])
            if e.pattern:
                self.patterns.add(e.label, [e.pattern])

    def _phrase(self, phrase: str, exact: bool) -> Doc:
        words = phrase.casefold().split()
        doc = Doc(self.vocab, words=words)
        if not exact:
            for token, word in zip(doc, words, strict=True):
                token.norm_ = match_key(word)
        return doc

    def match(self, tokens: list[Token]) -> list[tuple[str, int, int]]:
        table = lemma_table()
        doc = Doc(
            self.vocab,
            words=[t.text for t in tokens],
            lemmas=[table.get(t.lower) or t.lower for t in tokens],
            sent_starts=[i == 0 for i in range(len(tokens))],
        )
        for token, t in zip(doc, tokens, strict=True):
            token.norm_ = t.key
        strings = self.vocab.strings
        return [
            (strings[match_id], start, end)
            for matcher in (self.by_key, self.by_lower, self.patterns)
            for match_id, start, end in matcher(doc)
        ]


REFERENCE = SpacyReference()


def _questions() -> list[str]:
    out = [
        item["q"]
        for path in sorted((HERE / "questions").glob("*.json"))
        for item in json.loads(path.read_text(encoding="utf-8"))
    ]
    out += (HERE / "data" / "dev-questions.txt").read_text(encoding="utf-8").splitlines()
    if SHARED_QUESTIONS.is_file():
        out += [item["q"] for item in json.loads(SHARED_QUESTIONS.read_text(encoding="utf-8"))]
    return [q for q in out if q.strip()]


def _same(vocab: Vocabulary, reference: SpacyReference, text: str) -> None:
    tokens = tokenize(text)
    if tokens:
        assert Counter(vocab.match(tokens)) == Counter(reference.match(tokens)), text


def test_every_question_of_the_question_sets() -> None:
    questions = _questions()
    assert len(questions) > 400
    vocab = vocabulary()
    matched = 0
    for question in questions:
        _same(vocab, REFERENCE, question)
        matched += bool(vocab.match(tokenize(question)))
    assert matched > 0.9 * len(questions)  # the comparison is not between empty lists


def _alphabet() -> list[str]:
    """Words the patterns and phrases name, forms of the lemmas they test, and others."""
    words: set[str] = set()
    for e in [*cue_entries(), *status_entries()]:
        for phrase in e.every:
            words.update(phrase.split())
        for token in e.pattern:
            for value in token.values():
                if isinstance(value, str) and value.strip():
                    words.add(value)
                elif isinstance(value, dict):
                    words.update(str(v) for vs in value.values() for v in vs)
    words.update(vocabulary().lemmas)
    words.update(["Vejle", "Blå", "Kors", "2020", "1.745", ",", "?", "-", "&", "!", "(", "x2"])
    return sorted(w for w in words if w.strip())


ALPHABET = _alphabet()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(ALPHABET), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_generated_word_sequences(words: list[tuple[str, bool]]) -> None:
    text = " ".join(w.capitalize() if cap else w for w, cap in words)
    _same(vocabulary(), REFERENCE, text)


@given(st.randoms(use_true_random=False))
def test_the_mention_finder_does_not_depend_on_the_order_of_matches(rnd: random.Random) -> None:
    vocab = vocabulary()
    for question in ("Hvilke mål er ikke blevet opfyldt i 2020?", "Nåede Vejle ikke målene?",
                     "Hvor er udviklingen gået i den rigtige retning?",
                     "Hvilke mål blev kun delvist opfyldt?"):  # fmt: skip
        found = vocab.match(tokenize(question))
        shuffled = rnd.sample(found, len(found))
        assert _verdicts(shuffled) == _verdicts(found)
        assert _longest(shuffled, _verdicts(found)) == _longest(found, _verdicts(found))


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ([{"POS": "VERB"}], "does not support the attribute 'POS'"),
        ([{"LOWER": "ikke", "OP": "!"}], "does not support the operator '!'"),
        ([{"LOWER": {"REGEX": "^ik"}}], "only a string, IN or NOT_IN"),
        ([{"LOWER": {"IN": "ikke"}}], "IN takes a list of strings"),
        ([{"IS_ALPHA": 1}], "IS_ALPHA takes true or false"),
        ([], "a non-empty list of tokens"),
    ],
)
def test_what_is_not_translated_is_refused(pattern: list, message: str) -> None:
    with pytest.raises(PatternError, match=message):
        compile_pattern(pattern, "x.jsonl:3")


def test_a_pattern_it_cannot_translate_is_named_by_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path(lang.__file__).parent
    for name in ("questions/cues.jsonl", "questions/verdicts.jsonl", "questions/families.toml",
                 "questions/municipalities.toml", "verdicts.jsonl", "goals.toml"):  # fmt: skip
        (tmp_path / "da" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "da" / name).write_text((real / "da" / name).read_text(encoding="utf-8"))
    cues = tmp_path / "da" / "questions" / "cues.jsonl"
    lines = cues.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '{"label": "WHY", "pattern": [{"LOWER": "hvorfor"}, {"POS": "VERB"}]}')
    cues.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(lang, "_LANG", tmp_path)
    monkeypatch.setattr(vocabulary_module, "_vocabulary", None)
    lang.load_jsonl.cache_clear()
    lang.load_toml.cache_clear()
    try:
        with pytest.raises(PatternError, match=r"questions/cues\.jsonl:3 \(WHY\): .*'POS'"):
            vocabulary()
    finally:
        lang.load_jsonl.cache_clear()
        lang.load_toml.cache_clear()
