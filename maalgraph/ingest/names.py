"""Find the named partners, units, projects, plans and areas a paragraph mentions.

Danish capitalises proper names and not common nouns, so a run of capitalised words in
the middle of a sentence ("Ungdomscenter Knudmosen", "Den Blå Mølle", "Sundhed & Ældre",
"Ung i Uddannelse") is a name. Sentence-initial words are names only when they are
multi-word or seen mid-sentence elsewhere in the document. Quoted and parenthesised
names are taken whole. The kind follows from the name's head word and its context; the
gazetteer overrides both. Nothing here knows any particular municipality's names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.lang.da.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..lang import load_toml
from ..model import EntityKind
from ..nlp import danish, fold
from .gazetteer import Gazetteer
from .lexicon import lexicon

_NAMES = load_toml("da", "names")
CONNECTORS = frozenset(_NAMES["connectors"])
QUOTES = {"'": "'", '"': '"', "“": "”", "”": "”", "‘": "’", "»": "«", "«": "»", "„": "“"}
NOT_NAMES = frozenset(_NAMES["not_names"])
PROJECT_WORDS = tuple(_NAMES["project_words"])
UNIT_SUFFIXES = tuple(_NAMES["unit_suffixes"])
ORG_HEADS = tuple(_NAMES["org_heads"])
PLAN_RE = re.compile(rf"({'|'.join(map(re.escape, _NAMES['plan_suffixes']))})$", re.I)
PARTIES = frozenset(fold(p) for p in _NAMES["parties"])
PARTY_WORDS = frozenset(_NAMES["party_words"])
PERSON_ROLES = frozenset(_NAMES["person_roles"])
FIRST_NAMES = frozenset(_NAMES["first_names"])
PLACE_WORDS = tuple(_NAMES["place_words"])
COMMITTEES = lexicon().committee_suffixes  # a committee is the municipality's own body


def is_person_or_party(span: Span) -> bool:
    """People and political parties are never partners: "borgmester Jens Hansen",
    "Karin Pinnerup Klyve", "Socialdemokratiet", "Forligspartierne".

    >>> from maalgraph.nlp import danish
    >>> doc = danish()("Det siger borgmester Jens Hansen og Socialdemokratiet.")
    >>> is_person_or_party(doc[3:5]), is_person_or_party(doc[6:7])
    (True, True)
    """
    words = span.text.split()
    if fold(span.text) in PARTIES or fold(span.text.removesuffix("s")) in PARTIES:
        return True
    if any(w.casefold() in PARTY_WORDS or w.casefold().endswith("partierne") for w in words):
        return True
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if before in PERSON_ROLES or (
        span.start > 1 and doc[span.start - 2].lower_ in PERSON_ROLES and before in (",", ":")
    ):
        return True
    if words[0].casefold() in PERSON_ROLES:
        return True  # "Sagsbehandleren Mette Hansen", "Borgmester Jens Hansen"
    return len(words) >= 2 and words[0] in FIRST_NAMES and all(w[:1].isupper() for w in words)


def _all_caps(span: Span) -> bool:
    """'DROP ALL', 'SERVICE': shouted words, SPARQL keywords, headings in capitals — no name."""
    return all(t.text.isupper() and len(t.text) > 1 for t in span if t.is_alpha) and any(
        t.is_alpha for t in span
    )


@dataclass(frozen=True)
class Candidate:
    label: str
    kind: EntityKind
    start: int  # character offset in the doc text
    surface: str
    sentence: int  # index of the sentence in the doc
    sure: bool  # False for a lone sentence-initial word, kept only if seen elsewhere


def _is_cap(token: object) -> bool:
    text = token.text  # type: ignore[attr-defined]
    if re.fullmatch(r"\d{1,2}[A-ZÆØÅ]{1,3}", text):
        return True  # "3F"
    return bool(text[:1].isupper()) and not text[:1].isdigit() and any(c.isalpha() for c in text)


def _is_acronym(text: str) -> bool:
    return len(text) <= 5 and text.isupper()


def _common_compound(text: str) -> bool:
    """'STAR-finansieret', 'HR-konsulenter', 'Corona-situationen': an acronym or name
    prefixed to a common word is no name, unless the word names a project or scheme."""
    head, _, tail = text.partition("-")
    return bool(tail) and tail.islower() and not tail.endswith(PROJECT_WORDS)


def classify(label: str, doc: Doc, start: int, municipalities: set[str]) -> EntityKind:
    """The kind of a name from its words and the word before it."""
    words = label.split()
    last = words[-1].casefold()
    before = doc[start - 1].lower_ if start > 0 else ""
    if (
        last in ("kommune", "kommunes")
        or words[0] in ("Region", "Regions")
        or label.removesuffix("s") in municipalities
    ):
        return EntityKind.AREA
    if PLAN_RE.search(last):
        return EntityKind.PLAN
    if (
        words[0].casefold() in ("projekt", "projektet")
        or last.endswith(PROJECT_WORDS)
        or before.endswith(PROJECT_WORDS)
    ):
        return EntityKind.PROJECT
    if "&" in words or last.endswith(UNIT_SUFFIXES) or last.endswith(COMMITTEES):
        return EntityKind.UNIT
    if len(words) == 1 and re.search(r"[a-zæøå](en|et)$", label) and not before.endswith(ORG_HEADS):
        return EntityKind.UNIT  # a definite common noun used as a name: "Ungevejledningen"
    return EntityKind.PARTNER


def _wrapped(
    doc: Doc, consumed: set[int], municipalities: set[str]
) -> Iterable[tuple[Span, EntityKind]]:
    """Quoted names ('Sammen om fastholdelse') and parenthesised ones ((Plads til forskel))."""
    i = 0
    while i < len(doc):
        opener = doc[i].text
        closer = QUOTES.get(opener) or (")" if opener == "(" else None)
        if closer is None:
            i += 1
            continue
        j = i + 1
        while j < len(doc) and j - i <= 9 and doc[j].text != closer:
            j += 1
        if j < len(doc) and doc[j].text == closer and j > i + 1:
            inner = doc[i + 1 : j]
            quoted_speech = any(t.text in (",", ".", "!", "?", ":") for t in inner)
            if (
                _is_cap(inner[0])
                and not quoted_speech
                and not (len(inner) == 1 and _is_acronym(inner.text))
            ):
                consumed.update(range(i, j + 1))
                if opener == "(":
                    head = doc[i - 1].lower_ if i > 0 else ""
                    kind = EntityKind.PARTNER if head.endswith(ORG_HEADS) else EntityKind.PROJECT
                else:
                    kind = classify(inner.text, doc, i + 1, municipalities)
                    before = doc[i - 1].lower_ if i > 0 else ""
                    if PLAN_RE.search(before):
                        kind = EntityKind.PLAN  # visionen "Strandby 2030", politikken "…"
                    elif kind is EntityKind.PARTNER:
                        kind = EntityKind.PROJECT  # a quoted name is an initiative's title
                yield inner, kind
                i = j + 1
                continue
        i += 1


def _runs(sentence: Span, consumed: set[int]) -> Iterable[tuple[int, int]]:
    """Runs of capitalised tokens, joined by connectors such as 'i', 'på', '&'."""
    doc = sentence.doc
    i = sentence.start
    while i < sentence.end:
        if i in consumed or not _is_cap(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < sentence.end and j not in consumed:
            if _is_cap(doc[j]):
                j += 1
            elif (
                doc[j].lower_ in CONNECTORS
                and j + 1 < sentence.end
                and _is_cap(doc[j + 1])
                and (doc[j].lower_ != "og" or doc[j - 1].text.endswith("-"))
            ):
                j += 2
            else:
                break
        yield i, j
        i = j


def _opens_name(doc: Doc, start: int) -> bool:
    """Whether a sentence-initial capitalised word belongs to the name after it: not a
    function word (except articles, as in "Den Blå Mølle") and not joined by a connector."""
    word = doc[start].lower_
    if word in STOP_WORDS and word not in ("den", "det", "de"):
        return False
    if doc[start].text.endswith("-") and doc[start + 1].lower_ in ("og", "eller"):
        return True  # "Social- og Sundhedsforvaltningen"
    return _is_cap(doc[start + 1]) or doc[start + 1].text == "&"


_MATCHERS: dict[int, tuple[Gazetteer, PhraseMatcher]] = {}


def _known(doc: Doc, gazetteer: Gazetteer) -> list[Span]:
    """Multi-word gazetteer names in a doc, by a PhraseMatcher built once per gazetteer; only
    those that start with a capital as written (so "børn og unge" in prose is no unit)."""
    cached = _MATCHERS.get(id(gazetteer))
    if cached is None or cached[0] is not gazetteer:
        matcher = PhraseMatcher(doc.vocab, attr="LOWER")
        names = [n for n in gazetteer.names() if len(n.split()) > 1]
        matcher.add("KNOWN", [danish().make_doc(n) for n in names])
        cached = _MATCHERS[id(gazetteer)] = (gazetteer, matcher)
    spans = [doc[start:end] for _, start, end in cached[1](doc)]
    # a longer name around it wins ("Blå Kors Pensionat" is not "Blå Kors")
    return [
        s
        for s in filter_spans(spans)
        if s[0].text[:1].isupper()
        and not (s.end < len(doc) and _is_cap(doc[s.end]))
        and not (s.start > s.sent.start and _is_cap(doc[s.start - 1]))
    ]


def find_candidates(doc: Doc, gazetteer: Gazetteer, municipalities: set[str]) -> list[Candidate]:
    """Every name candidate in a doc; unsure ones are settled by :func:`settle`."""
    consumed: set[int] = set()
    sentences = list(doc.sents)
    sentence_of = {t.i: n for n, s in enumerate(sentences) for t in s}
    out: list[Candidate] = []

    def emit(span: Span, kind: EntityKind, sure: bool) -> None:
        entry = gazetteer.lookup(span.text)
        label = entry.label if entry else span.text
        kind = entry.kind if entry else kind
        sure = sure or entry is not None
        out.append(
            Candidate(label, kind, span.start_char, span.text, sentence_of[span.start], sure)
        )

    for span in _known(doc, gazetteer):
        # names the gazetteer lists, as written ("Teknik og Miljø", "Blå Kors Danmark"), first
        if not consumed.intersection(range(span.start, span.end)):
            consumed.update(range(span.start, span.end))
            emit(span, EntityKind.PARTNER, True)
    for span, kind in _wrapped(doc, consumed, municipalities):
        if gazetteer.lookup(span.text) is None and (_all_caps(span) or is_person_or_party(span)):
            continue
        emit(span, kind, True)
    for sentence in sentences:
        first = next((t.i for t in sentence if not (t.is_punct or t.is_space)), sentence.start)
        # a word after a colon opens a clause as a sentence does ("Mål 1.1: Alle børn …")
        opens = {first} | {t.i + 1 for t in sentence if t.text in (":", "–", "|")}
        for start, end in _runs(sentence, consumed):
            if start in opens and end - start > 1 and not _opens_name(doc, start):
                opens.discard(start)
                # "I Projekt Småjob …", "Samarbejdet med Psykiatrisk Center …": the capitalised
                # sentence opener is an ordinary word; the name (if any) starts after it.
                start += 1
                while start < end and not _is_cap(doc[start]):
                    start += 1
                if start >= end:
                    continue
            head = doc[start].lower_
            if end - start > 1 and head in PROJECT_WORDS and head.endswith(("et", "en")):
                # "Projektet Nye Rammer", "Indsatsen Fremtidens Faglærte": the name follows
                emit(doc[start + 1 : end], EntityKind.PROJECT, True)
                continue
            span = doc[start:end]
            text = span.text
            if text.casefold() in NOT_NAMES or any(t.like_num for t in span):
                continue
            if gazetteer.lookup(text) is None and (
                _all_caps(span) or is_person_or_party(span) or text.casefold().endswith(PLACE_WORDS)
            ):
                continue
            if len(span) == 1 and (_is_acronym(text) or _common_compound(text)):
                if gazetteer.lookup(text):
                    emit(span, EntityKind.PARTNER, True)
                continue
            initial = start in opens
            if initial and len(span) == 1 and text.casefold() in STOP_WORDS:
                continue
            kind = classify(text, doc, start, municipalities)
            emit(span, kind, not initial or len(span) > 1)
    return out


def settle(candidates: list[Candidate]) -> list[Candidate]:
    """Keep sure candidates, and unsure ones whose label was seen as a sure name too."""
    sure = {c.label for c in candidates if c.sure}
    return [c for c in candidates if c.sure or c.label in sure]
