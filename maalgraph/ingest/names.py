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
from spacy.tokens import Doc, Span

from ..model import EntityKind
from .gazetteer import Gazetteer

CONNECTORS = {"i", "på", "for", "til", "af", "om", "&", "og"}
QUOTES = {"'": "'", '"': '"', "“": "”", "”": "”", "‘": "’", "»": "«", "«": "»", "„": "“"}
MONTHS_AND_DAYS = {
    "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
    "oktober", "november", "december", "mandag", "tirsdag", "onsdag", "torsdag", "fredag",
    "lørdag", "søndag",
}  # fmt: skip
NOT_NAMES = MONTHS_AND_DAYS | {"covid-19", "covid", "corona", "danmark", "ad"}
PROJECT_WORDS = ("projekt", "projektet", "ordning", "ordningen", "program", "programmet",
                 "indsats", "indsatsen", "initiativ", "initiativet", "kampagne", "kampagnen",
                 "forsøg", "forsøget", "pulje", "puljen", "tilbud", "tilbuddet")  # fmt: skip
UNIT_SUFFIXES = ("afdelingen", "afdeling", "forvaltningen", "forvaltning", "sekretariatet",
                 "centret", "centeret", "enheden", "teamet", "kontoret", "vejledningen",
                 "staben", "tjenesten", "servicen")  # fmt: skip
ORG_HEADS = ("forening", "foreninger", "organisation", "organisationer", "virksomhed",
             "virksomheder", "skole", "skoler", "partner", "partnere")  # fmt: skip
PLAN_RE = re.compile(r"(plan|planen|strategi|strategien|politik|politikken)$", re.I)


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
    if "&" in words or last.endswith(UNIT_SUFFIXES):
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
            if _is_cap(inner[0]) and not (len(inner) == 1 and _is_acronym(inner.text)):
                consumed.update(range(i, j + 1))
                if opener == "(":
                    head = doc[i - 1].lower_ if i > 0 else ""
                    kind = EntityKind.PARTNER if head.endswith(ORG_HEADS) else EntityKind.PROJECT
                else:
                    kind = classify(inner.text, doc, i + 1, municipalities)
                    if kind is EntityKind.PARTNER:
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
    return _is_cap(doc[start + 1]) or doc[start + 1].text == "&"


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

    for span, kind in _wrapped(doc, consumed, municipalities):
        emit(span, kind, True)
    for sentence in sentences:
        first = next((t.i for t in sentence if not (t.is_punct or t.is_space)), sentence.start)
        for start, end in _runs(sentence, consumed):
            if start == first and end - start > 1 and not _opens_name(doc, start):
                # "I Projekt Småjob …", "Samarbejdet med Psykiatrisk Center …": the capitalised
                # sentence opener is an ordinary word; the name (if any) starts after it.
                start += 1
                while start < end and not _is_cap(doc[start]):
                    start += 1
                first = -1
                if start >= end:
                    continue
            span = doc[start:end]
            text = span.text
            if text.casefold() in NOT_NAMES or any(c.isdigit() for c in text):
                continue
            if len(span) == 1 and (_is_acronym(text) or _common_compound(text)):
                if gazetteer.lookup(text):
                    emit(span, EntityKind.PARTNER, True)
                continue
            initial = start == first
            if initial and len(span) == 1 and text.casefold() in STOP_WORDS:
                continue
            kind = classify(text, doc, start, municipalities)
            emit(span, kind, not initial or len(span) > 1)
    return out


def settle(candidates: list[Candidate]) -> list[Candidate]:
    """Keep sure candidates, and unsure ones whose label was seen as a sure name too."""
    sure = {c.label for c in candidates if c.sure}
    return [c for c in candidates if c.sure or c.label in sure]
