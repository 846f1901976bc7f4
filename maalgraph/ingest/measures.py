"""Find measured outcomes in assessment text: value, unit, period, area and what was measured.

Handles the ways follow-ups report numbers: "I 2020 havde Herning Kommune 10,0% unge …,
mens Region Midtjylland havde 10,4% …"; "… fra 1648 til 1745" after "Fra 2019 til 2020";
"406 forløb …, mens der i 2019 blev afsluttet 408 forløb"; "fra oktober 2019 til
december 2020 … 226 henvendelser". Years, ordinals ("3."), ranges ("1-2"), ages and
durations ("25 år", "6 måneder") and determiner-led counts ("de 7 jobcentre") are not
outcomes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from spacy.tokens import Doc, Span, Token

from ..model import Measurement
from .agenda import MONTHS

_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)$")
_YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d)$")
DURATIONS = {"år", "års", "måned", "måneder", "uge", "uger", "dag", "dage", "time", "timer",
             "minutter", "kvartal", "kvartaler", "gange"}  # fmt: skip
DETERMINERS = {"de", "det", "den", "hvert", "hver", "nr", "nr.", "ad", "kl", "kl.", "pkt", "pkt."}
CLAUSE_BREAKS = {",", ";", ":", "mens", "hvor", "hvilket", "men", "og"}
PERCENT = {"%", "procent", "pct", "pct.", "procentpoint"}
QUANTITY_NOUNS = ("antal", "antallet", "andel", "andelen", "niveau", "niveauet", "tal", "tallet")


def parse_number(text: str) -> Decimal:
    """Danish number notation to Decimal.

    >>> parse_number("1.745"), parse_number("10,4"), parse_number("406")
    (Decimal('1745'), Decimal('10.4'), Decimal('406'))
    """
    return Decimal(text.replace(".", "").replace(",", "."))


@dataclass(frozen=True)
class _Area:
    name: str
    token: int


def _is_number(token: Token) -> bool:
    return bool(_NUMBER.match(token.text)) and not _YEAR.match(token.text)


def _is_year(token: Token) -> bool:
    return bool(_YEAR.match(token.text))


def _year_span(sentence: Span) -> tuple[str, int] | None:
    """'fra [måned] 2019 til [måned] 2020' as ('2019-10/2020-12', 2020) or ('2019/2020', 2020)."""
    tokens = list(sentence)
    for i, token in enumerate(tokens):
        if token.lower_ != "fra":
            continue
        window = tokens[i + 1 : i + 8]
        years = [t for t in window if _is_year(t)]
        if len(years) >= 2 and any(t.lower_ == "til" for t in window):
            months = [MONTHS.get(t.lower_) for t in window if t.lower_ in MONTHS]
            y1, y2 = years[0].text, years[1].text
            if len(months) == 2:
                return f"{y1}-{months[0]:02d}/{y2}-{months[1]:02d}", int(y2)
            return f"{y1}/{y2}", int(y2)
    return None


def _value_pair(sentence: Span) -> tuple[int, int] | None:
    """Token indexes of N1 and N2 in 'fra N1 til N2'."""
    tokens = list(sentence)
    for i in range(len(tokens) - 3):
        if (
            tokens[i].lower_ == "fra"
            and _is_number(tokens[i + 1])
            and tokens[i + 2].lower_ == "til"
            and _is_number(tokens[i + 3])
        ):
            return tokens[i + 1].i, tokens[i + 3].i
    return None


def _clause_start(doc: Doc, index: int, sentence: Span) -> int:
    i = index - 1
    while i > sentence.start and doc[i].lower_ not in CLAUSE_BREAKS:
        i -= 1
    return i if doc[i].lower_ in CLAUSE_BREAKS else sentence.start


def _clause_end(doc: Doc, index: int, sentence: Span) -> int:
    i = index + 1
    while i < sentence.end and doc[i].lower_ not in CLAUSE_BREAKS - {"og"}:
        i += 1
    return i


def _indicator_after(doc: Doc, index: int, sentence: Span) -> tuple[str, str] | None:
    """Unit and indicator phrase right after a number: '406 forløb', '226 registrerede henvendelser'."""
    end = _clause_end(doc, index, sentence)
    words = [
        t for t in doc[index + 1 : min(end, index + 11)] if not t.is_punct or t.text in ("&", "%")
    ]
    while words and words[-1].lower_ in ("i", "på", "af", "for", "til", "med", "om", "ved"):
        words.pop()
    if not words or not words[0].is_alpha and words[0].text not in PERCENT:
        return None
    if words[0].text in PERCENT or words[0].lower_ in PERCENT:
        phrase = " ".join(t.text for t in words[1:]).strip()
        return "procent", phrase or "andel"
    unit_index = 0
    # skip adjectives/participles before the noun: 'registrerede henvendelser'
    while (
        unit_index + 1 < len(words)
        and words[unit_index].lower_.endswith(("ede", "ende", "ige", "iske", "te"))
        and words[unit_index + 1].is_alpha
    ):
        unit_index += 1
    unit = words[unit_index].lower_
    if unit in DURATIONS:
        return None
    return unit, " ".join(t.text for t in words).strip()


def _only_place(phrase: str) -> bool:
    """'i Vejle Kommune', 'andel', '': says where, not what."""
    words = phrase.split()
    return (
        not words
        or phrase == "andel"
        or words[0] in ("i", "på", "for")
        and words[1:2] != []
        and words[1][:1].isupper()
    )


def _indicator_before(doc: Doc, sentence: Span) -> tuple[str, str] | None:
    """'… stigning i antallet af borgere i fleksjob fra 1648 til 1745' -> ('borgere', phrase)."""
    tokens = list(sentence)
    for i, token in enumerate(tokens):
        if token.lower_ in QUANTITY_NOUNS and i + 1 < len(tokens) and tokens[i + 1].lower_ == "af":
            words = []
            for t in tokens[i + 2 :]:
                if t.lower_ in ("fra", "til", ",", ".", "er", "var", "blev") or _is_number(t):
                    break
                words.append(t)
            if words:
                return words[0].lower_, " ".join(t.text for t in words)
    return None


def find_measurements(
    doc: Doc, default_year: int | None, municipality: str, areas: list[tuple[int, int, str]]
) -> list[Measurement]:
    """Measurements in a doc; ``areas`` are (offset, length, area name) mentions in it."""
    out: list[Measurement] = []
    area_tokens = []
    for offset, length, name in areas:
        span = doc.char_span(offset, offset + length, alignment_mode="expand")
        if span is not None:
            area_tokens.append(_Area(name, span.start))
    for sentence in doc.sents:
        period = _year_span(sentence)
        pair = _value_pair(sentence)
        sentence_found: list[tuple[str, str]] = []
        for token in sentence:
            if not _is_number(token):
                continue
            prev = doc[token.i - 1] if token.i > sentence.start else None
            nxt = doc[token.i + 1] if token.i + 1 < sentence.end else None
            if prev is not None and (prev.lower_ in DETERMINERS or prev.text in ("-", "–", "§")):
                continue
            if nxt is not None and (nxt.text in (".", "-", "–") and token.i + 2 < sentence.end):
                continue
            if nxt is not None and nxt.lower_ in DURATIONS:
                continue
            if any(t.lower_ in ("hver", "hvert") for t in doc[token.i + 1 : token.i + 5]):
                continue  # "1 person fra hvert af de 7 jobcentre" is a rule, not an outcome
            found = _indicator_after(doc, token.i, sentence)
            before = _indicator_before(doc, sentence)
            if before and (pair and token.i in pair or found is None or _only_place(found[1])):
                found = (found[0] if found and found[0] == "procent" else before[0], before[1])
            if found is None and sentence_found:
                found = sentence_found[-1]  # "412 ældre …, mens der i 2020 deltog 380."
            if found is None:
                continue
            sentence_found.append(found)
            unit, indicator = found
            clause = doc[
                _clause_start(doc, token.i, sentence) : _clause_end(doc, token.i, sentence)
            ]
            period_text, year = _period_for(token, sentence, period, pair, default_year)
            if period_text is None:
                continue
            area = next(
                (a.name for a in reversed(area_tokens) if clause.start <= a.token < token.i),
                municipality,
            )
            out.append(
                Measurement(
                    value=parse_number(token.text),
                    unit=unit,
                    period=period_text,
                    year=year,
                    area=area,
                    indicator=indicator,
                    context=clause.text.strip(" ,;:"),
                    text=token.text,
                )
            )
    return out


def _period_for(
    token: Token,
    sentence: Span,
    period: tuple[str, int] | None,
    pair: tuple[int, int] | None,
    default_year: int | None,
) -> tuple[str | None, int | None]:
    years = [t for t in sentence if _is_year(t)]
    if pair and token.i in pair and len(years) >= 2:
        chosen = years[0] if token.i == pair[0] else years[1]
        return chosen.text, int(chosen.text)
    if period and any(t.lower_ == "fra" and t.i < token.i for t in sentence):
        return period
    before = [t for t in years if t.i < token.i]
    after = [t for t in years if t.i > token.i]
    chosen_year = before[-1] if before else after[0] if after else None
    if chosen_year is not None:
        return chosen_year.text, int(chosen_year.text)
    if default_year is not None:
        return str(default_year), default_year
    return None, None
