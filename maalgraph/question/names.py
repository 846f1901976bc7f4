"""Names in a question: the graph's names, municipalities and case officers found whole, by
a distinctive part, in the genitive or misspelt; and the capitalised names the graph does not
know. Used by :mod:`.mentions`.

A word is read as (part of) a name only when it looks like one: capitalised inside the
question, or no word of the question language or of the graph's own texts. So an unlisted verb
("Hvilke mål hjælper Knudmosen med?") never becomes part of a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .lexicon import Lexicon
from .linking import NameIndex
from .tokens import Token, folded_words

HOW_RANK = {"exact": 3, "part": 2, "fuzzy": 1}
KIND_RANK = {"entity": 3, "place": 2, "person": 1}
CONNECTING = ("i", "og", "for", "til", "af", "om", "&")


@dataclass(frozen=True)
class Mention:
    """A span of the question (tokens ``start`` to ``end``) that says one thing."""

    kind: str  # cue | verdict | year | place | entity | person | unknown
    label: str  # the cue or verdict label; the name as written for names
    start: int
    end: int
    score: float = 1.0
    value: Any = None  # links, a Municipality, a year, a person's name, a suggestion
    how: str = "exact"  # exact | part | fuzzy

    @property
    def span(self) -> range:
        return range(self.start, self.end)


@dataclass(frozen=True)
class _Candidate:
    kind: str
    start: int
    end: int
    how: str
    score: float
    values: tuple[Any, ...]
    rank: int  # exact (3) or part (2) of a name, also after a spelling was corrected


def find_names(
    tokens: list[Token],
    name_like: list[bool],
    lexicon: Lexicon,
    taken: set[int],
    cues: list[Mention],
) -> list[Mention]:
    """Names of the graph, municipalities and people, non-overlapping, longest and surest first.
    A name may cover cue or verdict words only when it is a whole name of several words, or
    written with capitals."""
    indexes: list[tuple[str, NameIndex[Any]]] = [
        ("entity", lexicon.names),
        ("place", lexicon.places),
        ("person", lexicon.people),
    ]
    cue_at = {i for c in cues for i in c.span}
    corrected: dict[int, tuple[str, float]] = {}
    for t in tokens:
        if t.is_word and name_like[t.i]:
            for _, index in indexes:
                bare = t.folded[:-1] if len(t.folded) > 4 and t.folded.endswith("s") else ""
                # the genitive of a name ("Vejles", "Hernings"), else the closest spelling
                fix = (bare, 0.97) if bare in index.words else index.correct(t.folded)
                if fix and fix[1] > corrected.get(t.i, ("", 0.0))[1]:
                    corrected[t.i] = fix
    candidates: list[_Candidate] = []
    n = len(tokens)
    longest = max(lexicon.names.longest, lexicon.places.longest, lexicon.people.longest)
    for start in range(n):
        for end in range(min(n, start + longest), start, -1):
            span = tokens[start:end]
            if any(t.i in taken for t in span) or not all(t.is_word or t.text == "&" for t in span):
                continue
            plain = tuple(t.folded for t in span)
            fixed = tuple(corrected.get(t.i, (t.folded, 1.0))[0] for t in span)
            fix_score = min(corrected.get(t.i, ("", 1.0))[1] for t in span)
            for kind, index in indexes:
                for key, fuzzy in ((plain, False), (fixed, True)):
                    if fuzzy and key == plain:
                        continue
                    found = index.lookup(key)
                    if found is None:
                        continue
                    values, how = found
                    rank = HOW_RANK[how]
                    how = "fuzzy" if fuzzy else how
                    if not _admissible(span, how, name_like, cue_at, tokens, index.proper):
                        continue
                    over_cue = any(t.i in cue_at for t in span)
                    if over_cue and not (how == "exact" and (len(span) > 1 or span[0].is_cap)):
                        continue
                    score = {"exact": 1.0, "part": 0.9, "fuzzy": 0.85 * fix_score}[how]
                    candidates.append(_Candidate(kind, start, end, how, score, tuple(values), rank))
                    break
    chosen: list[Mention] = []
    used: set[int] = set()
    for c in sorted(
        candidates,
        key=lambda c: (-(c.end - c.start), -c.rank, -HOW_RANK[c.how], -KIND_RANK[c.kind], c.start),
    ):
        if used & set(range(c.start, c.end)):
            continue
        value: Any = c.values[0]
        if c.kind == "entity":  # the things with these names (each name looked up once)
            things = {
                e for name in c.values for e in lexicon.lookup(name.label) if e.kind != "area"
            }
            value = tuple(sorted(things, key=lambda e: e.iri))
            if not value:
                continue
        used.update(range(c.start, c.end))
        written = " ".join(t.text for t in tokens[c.start : c.end])
        chosen.append(Mention(c.kind, written, c.start, c.end, c.score, value, c.how))
    return sorted(chosen, key=lambda m: m.start)


def _admissible(
    span: list[Token],
    how: str,
    name_like: list[bool],
    cue_at: set[int],
    tokens: list[Token],
    proper: frozenset[str],
) -> bool:
    """Whether a run of words may be read as the name it matches.

    A whole name of several words always counts ("den blå mølle"); a name of one word only when
    the word looks like a name. A part of a name or a misspelt name must look like a name
    throughout and cover the whole run of name-like words it stands in, so "Røde Kors" never
    becomes "Blå Kors …" through "Kors". A single lower-case word stands for a name only when
    the name writes it as a proper name ("knudmosen", not "opkvalificering").
    """
    if how == "exact":
        if len(span) > 1:
            return True
        only = span[0]
        return name_like[only.i] and not (only.i in cue_at and not only.is_cap)
    if not all(name_like[t.i] or t.lower in CONNECTING for t in span):
        return False
    if not any(name_like[t.i] and t.is_word for t in span):
        return False
    if len(span) == 1 and not span[0].is_cap and span[0].folded not in proper:
        return False
    before, after = span[0].i - 1, span[-1].i + 1
    return not (before >= 0 and name_like[before] and tokens[before].is_cap) and not (
        after < len(tokens) and name_like[after] and tokens[after].is_cap
    )


def find_unknown(
    tokens: list[Token], name_like: list[bool], covered: set[int], lexicon: Lexicon
) -> list[Mention]:
    """Runs of name-like words that name nothing in the graph, with the closest known name.
    A run is written all with capitals ("Røde Kors") or all without ("asdf qwerty")."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for t in tokens:
        inner = t.lower in CONNECTING and current
        same_case = not current or inner or t.is_cap == next(c.is_cap for c in current if c.is_word)
        if t.i not in covered and (name_like[t.i] and t.is_word or inner) and same_case:
            current.append(t)
        elif t.i not in covered and name_like[t.i] and t.is_word:
            runs.append(current)
            current = [t]
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    out = []
    for run in runs:
        while run and run[-1].lower in CONNECTING:
            run = run[:-1]
        if not run:
            continue
        written = " ".join(t.text for t in run)
        closest = lexicon.names.suggest(folded_words(written))
        suggestion = closest.label if closest else None
        capitalised = any(t.is_cap and t.i > 0 for t in run) or (
            run[0].i == 0 and run[0].is_cap and len(run) > 1
        )
        out.append(
            Mention(
                "unknown",
                written,
                run[0].i,
                run[-1].i + 1,
                score=1.0 if capitalised else 0.5,
                value=suggestion,
            )
        )
    return out
