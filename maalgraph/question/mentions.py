"""Step 1 of understanding: every mention of the question language and of the graph's lexicon
in a question.

- cue and status words (the matchers of :mod:`.vocabulary`): what is asked;
- years ("2020", "2019-2020");
- names of the graph (partners, units, projects, plans, committees), municipalities and
  regions (also those the graph holds nothing about) and case officers, each whole, by a
  distinctive part, or misspelt, and unknown capitalised names (:mod:`.names`);
- the topic: the remaining words, matched to goal texts, focus-area titles and indicators;
- derived cues: a count of a measured topic ("hvor mange borgere …": COUNT_TOPIC).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..nlp import stem
from .lexicon import Lexicon
from .linking import Hit
from .names import Mention, find_names, find_unknown
from .statuses import priority
from .tokens import Token, clean, tokenize, years_in
from .vocabulary import VERDICTS, Vocabulary


@dataclass(frozen=True)
class Topic:
    """The words left over: what the question is about, with the texts they name."""

    tokens: tuple[int, ...]
    words: tuple[str, ...]
    hits: dict[str, tuple[Hit, ...]]  # by kind: goal, focus_area, indicator, item
    phrase: str = ""  # as the question writes it, when its words stand together

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def said(self) -> str:
        """The topic as the question says it ("ventetid på pladser i dagtilbud"), for answers."""
        return self.phrase or self.text

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
    found = vocab.match(tokens)
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
    names = find_names(
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
            phrase=_phrase(text, tokens, topic_tokens, covered),
            hits={
                "goal": tuple(lexicon.goals.search(stems)),
                "focus_area": tuple(lexicon.focus_areas.search(stems)),
                "indicator": tuple(lexicon.indicators.search(stems)),
                "item": tuple(lexicon.items.search(stems)),
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
        for u in find_unknown(tokens, name_like, covered, lexicon)
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


def _phrase(text: str, tokens: list[Token], topic: list[Token], covered: set[int]) -> str:
    """The topic words with the small words between them, as written ("ventetid på pladser i
    dagtilbud"), when nothing else the question says stands between them."""
    first, last = topic[0].i, topic[-1].i
    between = tokens[first : last + 1]
    if any(t.i in covered or not (t.is_word or t.text == "-") for t in between):
        return ""
    return text[tokens[first].start : tokens[last].start + len(tokens[last].text)]


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
        label = max(group, key=lambda f: (priority(f[0]), f[2] - f[1]))[0]
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
