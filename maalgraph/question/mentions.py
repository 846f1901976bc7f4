"""Step 1 of understanding: every mention of the question language and of the graph's lexicon
in a question.

- cue and verdict words (the spaCy matcher of :mod:`.vocabulary`): what is asked;
- years ("2020", "2019-2020");
- names of the graph (partners, units, projects, plans, committees), municipalities and
  regions (also those the graph holds nothing about) and case officers, each whole, by a
  distinctive part, or misspelt (:mod:`.linking`);
- unknown names: capitalised or unknown words that name nothing in the graph;
- the topic: the remaining words, matched to goal texts, focus-area titles and indicators.

A word is read as (part of) a name only when it looks like one: capitalised inside the
question, or no word of the question language or of the graph's own texts. So an unlisted verb
("Hvilke mål hjælper Knudmosen med?") never becomes part of a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..nlp import stem
from .lexicon import Lexicon
from .linking import Hit, NameIndex
from .tokens import Token, as_doc, clean, tokenize, years_in
from .vocabulary import VERDICT_PRIORITY, VERDICTS, Vocabulary

HOW_RANK = {"exact": 3, "part": 2, "fuzzy": 1}
KIND_RANK = {"entity": 3, "place": 2, "person": 1}


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
class Topic:
    """The words left over: what the question is about, with the texts they name."""

    tokens: tuple[int, ...]
    words: tuple[str, ...]
    hits: dict[str, tuple[Hit, ...]]  # by kind: goal, focus_area, indicator

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def explained(self, hit: Hit) -> set[int]:
        """The question tokens a hit accounts for."""
        return {self.tokens[i] for i in hit.matched}


@dataclass(frozen=True)
class Mentions:
    text: str
    tokens: tuple[Token, ...]
    cues: tuple[Mention, ...] = ()
    verdicts: tuple[Mention, ...] = ()
    years: tuple[Mention, ...] = ()
    places: tuple[Mention, ...] = ()
    entities: tuple[Mention, ...] = ()
    people: tuple[Mention, ...] = ()
    unknown: tuple[Mention, ...] = ()
    topic: Topic | None = None
    units: dict[tuple[str, int], float] = field(default_factory=dict)  # what there is to explain

    @property
    def cue_labels(self) -> frozenset[str]:
        return frozenset(m.label for m in self.cues)

    def cue(self, label: str) -> list[Mention]:
        return [m for m in self.cues if m.label == label]


def find_mentions(question: str, vocab: Vocabulary, lexicon: Lexicon) -> Mentions:
    """Every mention in a question (see the module docstring)."""
    text = clean(question)
    tokens = tokenize(text, lambda w: lexicon.stems.get(w) or vocab.stems.get(w) or stem(w))
    if not tokens:
        return Mentions(text, ())
    found = vocab.match(as_doc(tokens, text))
    verdicts = _verdicts([f for f in found if f[0] in VERDICTS])
    cues = _longest([f for f in found if f[0] not in VERDICTS], verdicts)

    def common(t: Token) -> bool:
        return vocab.is_common(t.lower) or lexicon.is_known_word(t.stem)

    name_like = [
        t.is_word and (not common(t) or (t.is_cap and t.i > 0)) or t.text == "&" for t in tokens
    ]
    # capitalised words side by side inside a question are one name, whatever they mean
    # alone ("Røde Kors" is no red verdict)
    in_caps = {
        t.i
        for t in tokens
        if t.is_cap
        and t.i > 0
        and any(
            0 < j < len(tokens) and tokens[j].is_cap and tokens[j].is_word
            for j in (t.i - 1, t.i + 1)
        )
    }
    verdicts = [v for v in verdicts if not set(v.span) <= in_caps]
    cues = [c for c in cues if not set(c.span) <= in_caps or c.label == "YESNO"]
    years = [
        Mention("year", t.text, t.i, t.i + 1, value=y)
        for t in tokens
        if not t.is_word
        for y in years_in(t.text)
    ]
    # a whole name wins over the cue or verdict words in it ("Røde Kors", "Plads til forskel");
    # a verdict phrase around a name stays ("klarede Vejle ikke")
    names = _names(
        tokens, name_like, lexicon, {i for y in years for i in y.span}, [*cues, *verdicts]
    )
    named = {i for m in names for i in m.span}
    cues = [c for c in cues if not set(c.span) <= named]
    verdicts = [v for v in verdicts if not set(v.span) <= named]
    covered = named | {i for m in (*cues, *verdicts, *years) for i in m.span}
    topic_tokens = [t for t in tokens if t.is_content and t.i not in covered and len(t.lower) > 1]
    topic = None
    if topic_tokens:
        stems = [t.stem for t in topic_tokens]
        topic = Topic(
            tuple(t.i for t in topic_tokens),
            tuple(t.text for t in topic_tokens),
            {
                "goal": tuple(lexicon.goals.search(stems)),
                "focus_area": tuple(lexicon.focus_areas.search(stems)),
                "indicator": tuple(lexicon.indicators.search(stems)),
            },
        )
    # a lower-case word the graph's texts know (a compound of them) is a topic, not a name
    topical = (
        {
            i
            for hits in (topic.hits.values() if topic else ())
            for h in hits
            for i in topic.explained(h)
        }
        if topic
        else set()
    )
    unknown = [
        u
        for u in _unknown(tokens, name_like, covered, lexicon)
        if u.score >= 1.0 or not set(u.span) & topical
    ]
    cues += _counted(tokens, cues, verdicts, topic)
    units: dict[tuple[str, int], float] = {}
    for m in (*cues, *verdicts, *years, *names, *unknown):
        if m.label != "FILLER":
            units[(m.kind if m.kind != "cue" else "cue:" + m.label, m.start)] = 1.0
    for t in topic_tokens:
        if not any(t.i in u.span for u in unknown):
            units[("topic", t.i)] = 1.0
    return Mentions(
        text=text,
        tokens=tuple(tokens),
        cues=tuple(cues),
        verdicts=tuple(verdicts),
        years=tuple(years),
        places=tuple(m for m in names if m.kind == "place"),
        entities=tuple(m for m in names if m.kind == "entity"),
        people=tuple(m for m in names if m.kind == "person"),
        unknown=tuple(unknown),
        topic=topic,
        units=units,
    )


CLASS_NOUNS = (
    "GOAL",
    "FOCUS_AREA",
    "PARTNER",
    "PROJECT",
    "UNIT",
    "MEASUREMENT",
    "DOCUMENT",
    "MUNICIPALITY_NOUN",
)


def _counted(
    tokens: list[Token], cues: list[Mention], verdicts: list[Mention], topic: Topic | None
) -> list[Mention]:
    """COUNT_TOPIC when "hvor mange" / "antallet af" is followed by a topic word ("hvor mange
    borgere …"): a measured number is asked, not how many goals or partners there are."""
    if topic is None:
        return []
    out = []
    starts = {m.start: m for m in (*cues, *verdicts)}
    for c in cues:
        if c.label != "COUNT":
            continue
        i = c.end
        while i < len(tokens) and (
            tokens[i].is_stop and i not in starts or i in starts and starts[i].kind == "verdict"
        ):
            i = starts[i].end if i in starts else i + 1
        nxt = starts.get(i)
        if i in topic.tokens and not (nxt and nxt.label in CLASS_NOUNS):
            out.append(Mention("cue", "COUNT_TOPIC", c.start, c.end))
    return out


def _verdicts(found: list[tuple[str, int, int]]) -> list[Mention]:
    """Verdict spans; overlapping ones are one verdict, the most specific of them ("kun
    delvist" + "delvist opfyldt" + "opfyldt" is PARTLY_MET, "ikke" … "opfyldt" NOT_MET)."""
    groups: list[list[tuple[str, int, int]]] = []
    for f in sorted(found, key=lambda f: (f[1], f[2])):
        if groups and f[1] < max(g[2] for g in groups[-1]):
            groups[-1].append(f)
        else:
            groups.append([f])
    out = []
    for group in groups:
        label = max(group, key=lambda f: (VERDICT_PRIORITY[f[0]], f[2] - f[1]))[0]
        start, end = min(f[1] for f in group), max(f[2] for f in group)
        out.append(Mention("verdict", label, start, end, value=label))
    return out


def _longest(found: list[tuple[str, int, int]], blocked: list[Mention]) -> list[Mention]:
    """Cue spans, the longer first where they overlap each other or a verdict (the form of a
    yes/no question is no word of its own: "Nåede" is both YESNO and a verdict)."""
    taken = {i for m in blocked for i in m.span}
    chosen: list[Mention] = []
    for label, start, end in sorted(found, key=lambda f: (-(f[2] - f[1]), f[1], f[0])):
        span = set(range(start, end))
        if label == "YESNO":
            chosen.append(Mention("cue", label, start, end))
            continue
        if span & taken:
            continue
        overlaps = any(not (end <= m.start or start >= m.end) for m in chosen)
        # the same words may carry two cues of the same extent, never overlapping ones
        if overlaps and not any((m.start, m.end) == (start, end) for m in chosen):
            continue
        chosen.append(Mention("cue", label, start, end))
    return sorted(chosen, key=lambda m: (m.start, m.label))


@dataclass(frozen=True)
class _Candidate:
    kind: str
    start: int
    end: int
    how: str
    score: float
    values: tuple[Any, ...]
    rank: int  # exact (3) or part (2) of a name, also after a spelling was corrected


def _names(
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
        ("entity", lexicon.entities.names),
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
    longest = max(lexicon.entities.names.longest, lexicon.places.longest, lexicon.people.longest)
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
                    if kind == "entity":
                        values = [v for v in values if v.kind != "area"]
                        if not values:
                            continue
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
        used.update(range(c.start, c.end))
        written = " ".join(t.text for t in tokens[c.start : c.end])
        value: Any = c.values if c.kind == "entity" else c.values[0]
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
    if not all(
        name_like[t.i] or t.lower in ("i", "og", "for", "til", "af", "om", "&") for t in span
    ):
        return False
    if not any(name_like[t.i] and t.is_word for t in span):
        return False
    if len(span) == 1 and not span[0].is_cap and span[0].folded not in proper:
        return False
    before, after = span[0].i - 1, span[-1].i + 1
    return not (before >= 0 and name_like[before] and tokens[before].is_cap) and not (
        after < len(tokens) and name_like[after] and tokens[after].is_cap
    )


def _unknown(
    tokens: list[Token], name_like: list[bool], covered: set[int], lexicon: Lexicon
) -> list[Mention]:
    """Runs of name-like words that name nothing in the graph, with the closest known name.
    A run is written all with capitals ("Røde Kors") or all without ("asdf qwerty")."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for t in tokens:
        inner = t.lower in ("i", "og", "for", "til", "af", "om", "&") and current
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
        while run and run[-1].lower in ("i", "og", "for", "til", "af", "om", "&"):
            run = run[:-1]
        if not run:
            continue
        written = " ".join(t.text for t in run)
        suggestion = lexicon.entities.suggest(written)
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
