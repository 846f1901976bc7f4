"""Find measured outcomes in assessment text: value, unit, period, area, role and what was measured.

Handles the ways follow-ups report numbers: "I 2020 havde Herning Kommune 10,0% unge …,
mens Region Midtjylland havde 10,4% …"; "… fra 1648 til 1745" after "Fra 2019 til 2020";
"406 forløb …, mens der i 2019 blev afsluttet 408 forløb"; "fra oktober 2019 til
december 2020 … 226 henvendelser". Years, ordinals ("3."), ranges ("1-2"), ages and
durations ("25 år", "6 måneder") and determiner-led counts ("de 7 jobcentre") are not
outcomes. A value's role — result, target ("ambitionen om 82 %", "mindst 40"), baseline
("Baseline 2018: 74,2 %") — comes from the words before it. Units, role words, area words and
what to skip are data: ``maalgraph/lang/da/measures.toml``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..lang import load_toml
from ..model import Measurement, Role
from .lexicon import lexicon

_NUMBER = re.compile(r"^[-−]?(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)$")
_YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d)$")
CLAUSE_BREAKS = {",", ";", ":", "mens", "hvor", "hvilket", "men", "og", "mod", "|"}
QUANTITY_NOUNS = ("antal", "antallet", "andel", "andelen", "niveau", "niveauet", "tal", "tallet")
# a duration after one of these is a measured value ("ventetiden var 38 dage", "højst 4 uger")
MEASURED_DURATION = {"var", "er", "blev", "være", "til", "fra", "højst", "mindst", "maksimalt",
                     "på", "nu", "gennemsnit", "gennemsnitligt", "faldt", "steg", "ca.", "cirka"}  # fmt: skip
_VERBS = {
    "nået",
    "opfyldt",
    "indfriet",
    "er",
    "var",
    "blev",
    "har",
    "havde",
    "steg",
    "faldt",
    "skal",
}
_NOT_UNITS = {"i", "til", "og", "end", "mod", "fra", "på", "af", "for", "med", "om", "ved", "er",
              "var", "blev", "som", "der", "at", "|", "siden", "over", "under", "efter", "før",
              "året", "år", "sidste", "forrige", "samme"}  # fmt: skip


@functools.cache
def _data() -> dict[str, Any]:
    return load_toml("da", "measures")


def _units() -> dict[str, str]:
    return dict(_data()["units"])


DURATIONS = frozenset(_data()["skip"]["durations"])
DETERMINERS = frozenset(_data()["skip"]["before"])
PERCENT = frozenset(k for k, v in _units().items() if v in ("procent", "procentpoint"))
PERCENT_UNITS = frozenset({"procent", "procentpoint"})
# units that say how something is measured, not what: "38 dage", "64 point" name no indicator
MEASURE_UNITS = frozenset(_units().values()) | DURATIONS


def parse_number(text: str) -> Decimal:
    """Danish number notation to Decimal.

    >>> parse_number("1.745"), parse_number("10,4"), parse_number("406"), parse_number("-6,2")
    (Decimal('1745'), Decimal('10.4'), Decimal('406'), Decimal('-6.2'))
    """
    return Decimal(text.replace(".", "").replace(",", ".").replace("−", "-"))


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
            months = [lexicon().months[t.lower_] for t in window if t.lower_ in lexicon().months]
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
    # a phrase cut by the window ends on a whole phrase, not on a preposition or on the word
    # that opens a relative clause ('… med bopæl i Herning Kommune som')
    while words and words[-1].lower_ in ("i", "på", "af", "for", "til", "med", "om", "ved", "som",
                                         "der", "og", "eller", "samt", "at"):  # fmt: skip
        words.pop()
    units = _units()
    if (
        not words
        or not words[0].is_alpha
        and words[0].text not in PERCENT
        and words[0].lower_ not in units
    ):
        return None
    if words[0].text in PERCENT or words[0].lower_ in PERCENT:
        phrase = " ".join(t.text for t in words[1:]).strip()
        return units.get(words[0].lower_, "procent"), phrase or "andel"
    if words[0].lower_ in units and words[0].lower_ not in ("personer",):
        rest = words[1:]
        if rest and rest[0].lower_ in ("kr.", "kr", "kroner"):
            rest = rest[1:]
        return units[words[0].lower_], " ".join(t.text for t in rest).strip() or units[
            words[0].lower_
        ]
    if words[0].lower_ in _NOT_UNITS:
        return None
    unit_index = 0
    # skip adjectives/participles before the noun: 'registrerede henvendelser'
    while (
        unit_index + 1 < len(words)
        and words[unit_index].lower_.endswith(("ede", "ende", "ige", "iske", "te"))
        and words[unit_index + 1].is_alpha
        and words[unit_index + 1].lower_ not in _VERBS
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
    doc: Doc,
    default_year: int | None,
    municipality: str,
    areas: list[tuple[int, int, str]],
    *,
    indicator: str = "",
    targets_only: bool = False,
) -> list[Measurement]:
    """Measurements in a doc; ``areas`` are (offset, length, area name) mentions in it.

    ``indicator`` names what is measured when the clause does not (a goal's text);
    ``targets_only`` keeps targets only (for a goal's own text, which states no results).
    """
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
            if prev is not None and (
                prev.lower_ in DETERMINERS or prev.text in ("-", "–", "§", "/")
            ):
                continue
            if nxt is not None and (
                nxt.text in (".", "-", "–", "/") and token.i + 2 < sentence.end
            ):
                continue
            duration = nxt is not None and nxt.lower_ in DURATIONS
            if duration and (prev is None or prev.lower_ not in MEASURED_DURATION):
                continue  # "over 25 år", "i 2 år": an age or a span, not a result
            if nxt is not None and nxt.lower_.startswith("-"):
                continue
            if any(t.lower_ in ("hver", "hvert") for t in doc[token.i + 1 : token.i + 5]):
                continue  # "1 person fra hvert af de 7 jobcentre" is a rule, not an outcome
            role = _role(doc, token.i, sentence)
            if targets_only and role is not Role.TARGET:
                continue
            found = _indicator_after(doc, token.i, sentence)
            if duration and nxt is not None:  # "Ventetiden var 38 dage"
                found = (nxt.lower_, indicator or nxt.lower_)
            if pair and token.i == pair[0] and (found is None or found[0] not in PERCENT_UNITS):
                found = _indicator_after(doc, pair[1], sentence) or found  # "fra 61 til 64 point"
            before = _indicator_before(doc, sentence)
            if before and (pair and token.i in pair or found is None or _only_place(found[1])):
                found = (found[0] if found and found[0] in PERCENT_UNITS else before[0], before[1])
            if found is None and sentence_found:
                found = sentence_found[-1]  # "412 ældre …, mens der i 2020 deltog 380."
            if found is None and indicator:
                found = ("antal", indicator)
            if found is None:
                continue
            sentence_found.append(found)
            unit, what = found
            if indicator and (what in ("andel", "") or (what == unit and unit in MEASURE_UNITS)):
                what = indicator  # "406 forløb" says what was counted; "38 dage" does not
            clause = doc[
                _clause_start(doc, token.i, sentence) : _clause_end(doc, token.i, sentence)
            ]
            period_text, year = _period_for(token, sentence, period, pair, default_year)
            if period_text is None:
                continue
            area = next(
                (a.name for a in reversed(area_tokens) if clause.start <= a.token < token.i),
                None,
            )
            out.append(
                Measurement(
                    value=parse_number(token.text),
                    unit=unit,
                    period=period_text,
                    year=year,
                    area=area or _area_word(clause) or municipality,
                    indicator=what,
                    context=clause.text.strip(" ,;:"),
                    role=role,
                    text=token.text,
                )
            )
    return out


def _role(doc: Doc, index: int, sentence: Span) -> Role:
    """Target or baseline when a cue word stands shortly before the value in its clause, or
    when the text opens with a role label ("Baseline 2018: 74,2 %")."""
    roles = _data()["roles"]
    start = _clause_start(doc, index, sentence)
    window = [t.lower_ for t in doc[max(start, index - int(roles["window"])) : index]]
    first = sentence[0].lower_ if len(sentence) else ""
    if any(w in roles["baseline"] for w in window) or first in roles["baseline_labels"]:
        return Role.BASELINE
    if first in roles["actual_labels"]:
        return Role.ACTUAL
    if any(w in roles["target"] for w in window) or first in roles["target_labels"]:
        return Role.TARGET
    return Role.ACTUAL


def _area_word(clause: Span) -> str | None:
    text = clause.text.casefold()
    for word, area in sorted(_data()["areas"].items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{re.escape(word)}\b", text):
            return str(area)
    return None


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
    doc = sentence.doc
    # "16,3 % i 2019": a year right after the value, after "i", is its period
    for t in doc[token.i + 1 : min(token.i + 5, sentence.end)]:
        if _is_year(t) and doc[t.i - 1].lower_ in (
            "i",
            "pr.",
            "per",
            "ultimo",
            "primo",
            "udgangen",
        ):
            return t.text, int(t.text)
        if _is_number(t):
            break
    before = [t for t in years if t.i < token.i]
    # a year after the value counts when it dates it ("… i 2019"), not when it is a base
    # of comparison ("i forhold til 2019", "siden 2019")
    end = _clause_end(doc, token.i, sentence)
    after = [t for t in years if token.i < t.i < end and doc[t.i - 1].lower_ == "i"]
    chosen_year = before[-1] if before else after[0] if after else None
    if chosen_year is not None:
        return chosen_year.text, int(chosen_year.text)
    if default_year is not None:
        return str(default_year), default_year
    return None, None


def disagreement(verdict_met: bool | None, goal_text: str, found: list[Measurement]) -> str | None:
    """A stated verdict that the goal's own target and result contradict, in Danish, or None.

    The direction (is lower better?) comes from the target's clause ("højst 350") or the goal's
    words ("Færre …"); the result compared is the latest actual value in the target's unit.

    >>> t = Measurement(Decimal(30), "dage", "2022", 2022, "X", "", "målet var højst 30 dage", Role.TARGET)
    >>> a = Measurement(Decimal(38), "dage", "2022", 2022, "X", "", "ventetiden var 38 dage")
    >>> disagreement(True, "Kortere ventetid", [t, a])
    'vurderingen siger opfyldt, men resultatet 38 dage er ikke bedre end målet 30 dage'
    """
    if verdict_met is None:
        return None
    targets = [m for m in found if m.role is Role.TARGET]
    if not targets:
        return None
    target = targets[-1]
    actuals = [m for m in found if m.role is Role.ACTUAL and m.unit == target.unit]
    if not actuals:
        return None
    actual = max(actuals, key=lambda m: (m.year or 0, found.index(m)))
    words = _data()["direction"]
    text = f"{target.context} {goal_text}".casefold().split()
    lower = any(w in text for w in words["lower"])
    higher = any(w in text for w in words["higher"])
    if lower == higher:
        return None  # the direction is not stated: no check
    met = actual.value <= target.value if lower else actual.value >= target.value
    if met == verdict_met:
        return None
    value = f"{actual.value} {actual.unit}".replace(".", ",")
    goal = f"{target.value} {target.unit}".replace(".", ",")
    if verdict_met:
        return f"vurderingen siger opfyldt, men resultatet {value} er ikke bedre end målet {goal}"
    return f"vurderingen siger ikke opfyldt, men resultatet {value} når målet {goal}"
