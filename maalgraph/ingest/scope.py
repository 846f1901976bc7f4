"""What a document is about: its municipality, the year it follows up, the meeting date.

The follow-up year is read from the title, then from phrases such as "Opfølgningen for
2022", then from the years the text reports on — never from a vision's horizon ("Strandby
2030", "frem mod 2025") nor from the meeting date (an item in February 2023 follows up 2022).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..lang import load_toml
from ..nlp import fold
from .lexicon import lexicon

_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_PLACE = r"([A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøåé]+)?)"
UNKNOWN_MUNICIPALITY = "Ukendt kommune"


@functools.cache
def _data() -> dict[str, Any]:
    return load_toml("da", "document")


@functools.cache
def _cue_patterns() -> list[re.Pattern[str]]:
    return [
        re.compile(r"\b" + re.escape(cue).replace(re.escape("{name}"), _PLACE) + r"\b")
        for cue in _data()["municipality"]["cues"]
    ]


@functools.cache
def _known() -> dict[str, str]:
    return {fold(n): n for n in load_toml("da", "municipalities")["names"]}


def detect_municipality(texts: list[str], *, title: str = "", file_name: str = "") -> str | None:
    """The municipality a document is about, as "X Kommune".

    The most frequent "X Kommune" (or "X Rådhus", "Byrådet i X" …; the title counts
    double); else a Danish municipality named in the text; else a word of the file name
    that the text also uses as a name.

    >>> detect_municipality(["Herning Kommune har …", "i Herning Kommunes regi", "Ikast-Brande Kommune"])
    'Herning Kommune'
    >>> detect_municipality(["Sted: Åby Rådhus"])
    'Åby Kommune'
    >>> detect_municipality(["Visionen for Strandby."], file_name="strandby-maalepunkter-2022.txt")
    'Strandby Kommune'
    """
    counts: Counter[str] = Counter()
    for weight, text in [(2, title)] + [(1, t) for t in texts]:
        for pattern in _cue_patterns():
            for match in pattern.finditer(text):
                name = match.group(1)
                if name not in ("Den", "Det", "De", "Hver", "Anden", "Enhver", "Hele"):
                    counts[name] += weight
    if counts:
        return f"{counts.most_common(1)[0][0]} Kommune"
    known = _known()
    for weight, text in [(2, title)] + [(1, t) for t in texts]:
        for word in re.findall(r"\b[A-ZÆØÅ][\wæøå-]+", text):
            if fold(word) in known:
                counts[known[fold(word)]] += weight
    if counts:
        return f"{counts.most_common(1)[0][0]} Kommune"
    words = {
        fold(w): w for text in texts + [title] for w in re.findall(r"\b[A-ZÆØÅ][a-zæøå]+", text)
    }
    for part in re.split(r"[^a-zæøå]+", Path(file_name).stem.casefold()):
        if len(part) >= 3 and fold(part) in words:
            return f"{words[fold(part)]} Kommune"
    return None


def _candidate_years(text: str) -> list[int]:
    """Years in a text that are not horizons or parts of a quoted name."""
    horizon = tuple(_data()["year"]["horizon"])
    out = []
    quoted = [m.span() for m in re.finditer(r"[\"“”»«'‘’][^\"“”»«'‘’]{1,80}[\"“”»«'‘’]", text)]
    for match in _YEAR.finditer(text):
        if any(a <= match.start() < b for a, b in quoted):
            continue
        before = text[max(0, match.start() - 25) : match.start()].casefold().split()
        if before and (before[-1] in horizon or " ".join(before[-2:]) in horizon):
            continue
        out.append(int(match.group(1)))
    return out


def detect_year(title: str, texts: list[str], *, meeting: dt.date | None = None) -> int | None:
    """The year a follow-up covers.

    >>> detect_year("Effektregnskab 2022", [])
    2022
    >>> detect_year('Sådan følger vi op på visionen "Strandby 2030"', ["Opfølgningen for 2022 viser følgende."])
    2022
    >>> detect_year("Referat", ["Status for 2022 og mål for 2023"], meeting=dt.date(2023, 2, 14))
    2022
    """
    years = _candidate_years(title)
    if years:
        return years[0]
    cues = [c for c in _data()["year"]["cues"] if c != "for"]
    pattern = re.compile(
        r"\b(?:"
        + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
        + r")\s+(?:(?:på|af|for|i)\s+)?(?:\w+\s+){0,3}?(19[5-9]\d|20\d\d)\b",
        re.I,
    )
    for text in texts[:12]:
        for match in pattern.finditer(text):
            year = int(match.group(1))
            if meeting is None or year <= meeting.year:
                return year
    counts: Counter[int] = Counter()
    for text in texts:
        counts.update(y for y in _candidate_years(text) if meeting is None or y < meeting.year)
    if counts:
        top = max(counts.values())
        return max(y for y, n in counts.items() if n == top)
    return None


def file_year(file_name: str) -> int | None:
    match = _YEAR.search(Path(file_name).stem)
    return int(match.group(1)) if match else None


def parse_date(text: str) -> dt.date | None:
    """Danish or ISO date.

    >>> parse_date("tirsdag den 16. marts 2021"), parse_date("2021-03-16"), parse_date("16.03.2021")
    (datetime.date(2021, 3, 16), datetime.date(2021, 3, 16), datetime.date(2021, 3, 16))
    """
    text = text.casefold()
    months = lexicon().months
    try:
        if m := re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(r"(\d{1,2})\.\s*([a-zæøå]+)\.?\s+(\d{4})", text)
        if m and m.group(2) in months:
            return dt.date(int(m.group(3)), months[m.group(2)], int(m.group(1)))
        if m := re.search(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})", text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None
