"""Pairing texts that say the same thing in slightly different words: a summary bullet and the
goal it restates, one year's goal and the next year's. Similarity is rapidfuzz's ratio (the
normalised Indel similarity: twice the longest common subsequence over the total length)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from rapidfuzz.fuzz import ratio

R = TypeVar("R", bound=Mapping[str, Any])


def normalise(text: str) -> str:
    """Case and punctuation folded away.

    >>> normalise("Målet er opfyldt!  (2020)")
    'målet er opfyldt 2020'
    """
    return re.sub(r"\W+", " ", text.casefold()).strip()


def similarity(a: str, b: str) -> float:
    """How alike two normalised texts are, from 0 to 1.

    >>> round(similarity("flere i job", "flere i job 2020"), 3), similarity("a", "b")
    (0.815, 0.0)
    """
    return ratio(a, b) / 100


def pair_by_text(
    left: Sequence[R], right: Sequence[R], threshold: float, key: str = "text"
) -> list[tuple[R, R]]:
    """Each row of ``left`` with its most similar unused row of ``right`` (the
    :func:`similarity` of the normalised ``key`` texts, at least ``threshold``), greedily in
    ``left``'s order; ties go to the later row. Every pair is scored in full: rapidfuzz takes
    microseconds, and a score cut-off would round ties differently.

    >>> pair_by_text([{"text": "Flere i job"}], [{"text": "Færre på kanten"}, {"text": "flere i job."}], 0.8)
    [({'text': 'Flere i job'}, {'text': 'flere i job.'})]
    """
    pairs = []
    used: set[int] = set()
    texts = [normalise(str(r[key])) for r in right]
    for row in left:
        text = normalise(str(row[key]))
        best, index = threshold, -1
        for i, other in enumerate(texts):
            if i not in used and (score := similarity(text, other)) >= best:
                best, index = score, i
        if index >= 0:
            used.add(index)
            pairs.append((row, right[index]))
    return pairs
