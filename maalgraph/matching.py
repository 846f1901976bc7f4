"""Pairing texts that say the same thing in slightly different words: a summary bullet and the
goal it restates, one year's goal and the next year's."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

R = TypeVar("R", bound=Mapping[str, Any])


def normalise(text: str) -> str:
    """Case and punctuation folded away.

    >>> normalise("Målet er opfyldt!  (2020)")
    'målet er opfyldt 2020'
    """
    return re.sub(r"\W+", " ", text.casefold()).strip()


def pair_by_text(
    left: Sequence[R], right: Sequence[R], threshold: float, key: str = "text"
) -> list[tuple[R, R]]:
    """Each row of ``left`` with its most similar unused row of ``right`` (difflib ratio of the
    normalised ``key`` texts, at least ``threshold``), greedily in ``left``'s order.
    difflib's cheap upper bounds skip the rows that cannot beat the best so far; the result is
    the same as comparing every pair in full (ties go to the later row).

    >>> pair_by_text([{"text": "Flere i job"}], [{"text": "Færre på kanten"}, {"text": "flere i job."}], 0.8)
    [({'text': 'Flere i job'}, {'text': 'flere i job.'})]
    """
    pairs = []
    used: set[int] = set()
    # one matcher per right-hand text: difflib indexes its second sequence once. (The order
    # matters: ratio(a, b) and ratio(b, a) can differ.)
    matchers = [difflib.SequenceMatcher(None, "", normalise(str(r[key]))) for r in right]
    for row in left:
        text = normalise(str(row[key]))
        best, index = -1.0, -1
        for i, matcher in enumerate(matchers):
            if i in used:
                continue
            matcher.set_seq1(text)
            floor = max(best, threshold)
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            score = matcher.ratio()
            if score >= best:
                best, index = score, i
        if index >= 0 and best >= threshold:
            used.add(index)
            pairs.append((row, right[index]))
    return pairs
