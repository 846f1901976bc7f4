"""Step 2 of understanding: the candidate readings a question's mentions allow, ranked.

A reading is one family of questions (``families.toml``) with its slots filled: the named
things, the topic texts, the verdict, the municipalities, years and regions. Each family that
the mentions allow is a candidate; it scores

    2 × coverage + Σ weights of the cues present + how well its names and topic matched,

where *coverage* is the share of the question's mentions (cue words, names, years, topic
words …) the reading uses. So a reading that leaves a name, a municipality or a topic word
unexplained loses to one that uses it, and "Hvilke organisationer arbejder vi sammen med om
fleksjob?" reads as the partners of the goal about fleksjob, not all organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

from .lexicon import Municipality
from .linking import Hit, Link
from .mentions import Mentions
from .names import Mention
from .statuses import STATUSES
from .vocabulary import Family, Vocabulary

MIN_COVERAGE = 0.5
MIN_SCORE = 1.5
CLASSES = ("PARTNER", "PROJECT", "UNIT")
TOPIC_CUES = {
    "focus_area": ("FOCUS_AREA",),
    "goal": ("GOAL", "TARGET"),
    "indicator": ("MEASUREMENT", "QUANTITY", "COUNT"),
    "item": ("COMMITTEE", "DECISION", "APPROVAL", "AGENDA_ITEM", "RECOMMENDATION", "CASE"),
}


@dataclass(frozen=True)
class Reading:
    """One way to read a question: a family and the values of its slots."""

    family: Family
    mentions: Mentions
    score: float
    coverage: float
    links: tuple[Link, ...] = ()
    unknown: Mention | None = None  # a name the graph does not know, read as the entity
    topic_kind: str | None = None
    hits: tuple[Hit, ...] = ()
    verdicts: tuple[str, ...] = ()
    municipalities: tuple[Municipality, ...] = ()  # asked for (also without data)
    regions: tuple[Municipality, ...] = ()
    years: tuple[int, ...] = ()
    classes: tuple[str, ...] = ()
    person: str | None = None
    used: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    @property
    def name(self) -> str:
        return self.family.name

    @property
    def verdict(self) -> str | None:
        return self.verdicts[-1] if self.verdicts else None

    @property
    def cues(self) -> frozenset[str]:
        return self.mentions.cue_labels

    def has(self, *labels: str) -> bool:
        return bool(self.cues & set(labels))

    @property
    def missing_data(self) -> list[Municipality]:
        """Municipalities asked about that the graph holds nothing about."""
        return [m for m in self.municipalities if not m.has_data]


def candidates(mentions: Mentions, vocab: Vocabulary) -> list[Reading]:
    """Every reading the mentions allow, best first (only those good enough to answer)."""
    out = []
    for family in vocab.families:
        out.extend(_readings_of(family, mentions))
    # a name the graph does not know is only answered "Jeg kender ikke …" when the question is
    # about nothing else ("Hvad koster en pizza i Rom?" is no question about «Rom»)
    good = [
        r
        for r in out
        if r.coverage >= (1.0 if r.unknown is not None else MIN_COVERAGE) and r.score >= MIN_SCORE
    ]
    order = {f.name: i for i, f in enumerate(vocab.families)}
    return sorted(good, key=lambda r: (-r.score, order[r.family.name]))


def _readings_of(family: Family, m: Mentions) -> list[Reading]:
    cues = m.cue_labels
    filled = _slots_present(m)
    present = cues | filled
    if family.trigger and not present & set(family.trigger):
        return []
    if not set(family.requires) <= present:
        return []
    slots = set(family.needs) | set(family.takes)
    classes = tuple(c for c in CLASSES if c in cues)
    if not classes and "WHO" in cues and "who" in family.options:
        classes = (str(family.options["who"]),)  # "Hvem samarbejder vi med om …": partners
    if "class" in family.needs and not classes:
        return []
    strong = any(family.cues.get(c, 0) >= 1 for c in cues)
    entity_options: list[tuple[tuple[Link, ...], Mention | None]] = [((), None)]
    if "entity" in slots:
        kinds = family.options.get("entity_kinds")  # the committee: committees and units
        links = tuple(
            lk for e in m.entities for lk in _links(e) if not kinds or lk.entity.kind in kinds
        )
        options: list[tuple[tuple[Link, ...], Mention | None]] = []
        if links:
            options.append((links, None))
        elif strong and "entity" in family.needs:
            # a capitalised name the graph does not know: answered "Jeg kender ikke …"
            options += [((), u) for u in m.unknown if u.score >= 1.0]
        if "entity" in family.needs:
            if not options:
                return []
            entity_options = options
        elif options:
            entity_options = options
    topic_options: list[tuple[str | None, tuple[Hit, ...]]] = [(None, ())]
    if "topic" in slots and m.topic is not None:
        found = [(kind, m.topic.hits[kind]) for kind in family.topic if m.topic.hits.get(kind)]
        if "topic" in family.needs:
            topic_options = list(found)
        else:
            topic_options += found
    if "topic" in family.needs and not (m.topic and any(k for k, _ in topic_options)):
        return []
    person = m.people[0] if m.people else None
    if "person" in family.needs and person is None:
        return []
    # the statuses this family can filter by ("Hvilke mål har en negativ udvikling?" is no
    # question about verdicts that changed)
    statuses = [v for v in m.verdicts if STATUSES[str(v.value)].kind in family.status]
    if "verdict" in family.needs and not statuses:
        return []
    out = []
    for (links, unknown), (kind, hits) in product(entity_options, topic_options):
        used: set[tuple[str, int]] = set()
        for c in m.cues:
            if family.cues.get(c.label, 0) > 0 or (c.label in CLASSES and "class" in slots):
                used.add(("cue:" + c.label, c.start))
        if links:
            used |= {
                ("entity", e.start) for e in m.entities if e.label in {lk.phrase for lk in links}
            }
        if unknown is not None:
            used.add(("unknown", unknown.start))
        if kind is not None and m.topic is not None:
            best = hits[0]
            used |= {("topic", i) for i in m.topic.explained(best)}
        if "verdict" in slots:
            used |= {("verdict", v.start) for v in statuses}
        if "year" in slots:
            used |= {("year", y.start) for y in m.years}
        places = [p for p in m.places if not p.value.region]
        regions = [p for p in m.places if p.value.region]
        if "municipality" in slots:
            used |= {("place", p.start) for p in places}
        if "area" in slots:
            used |= {("place", p.start) for p in (*places, *regions)}
        if person is not None and "person" in slots:
            used.add(("person", person.start))
        total = sum(m.units.values()) or 1.0
        coverage = sum(w for key, w in m.units.items() if key in used) / total
        # the weights of the cues present, and of the slots the question fills ("verdict = -2"
        # for a family that can say nothing about a status)
        score = 2 * coverage + sum(family.cues.get(c, 0.0) for c in cues | filled)
        if links:
            score += sum(lk.score for lk in links) / len(links)
        elif m.entities:
            score -= 1.0  # a name of the graph is what a question is about: leaving it out is bad
        if unknown is not None:
            score += 0.2
        if kind is not None:
            score += hits[0].score + (0.3 if cues & set(TOPIC_CUES[kind]) else 0.0)
        if person is not None and "person" in slots:
            score += 1.0
        out.append(
            Reading(
                family=family,
                mentions=m,
                score=round(score, 3),
                coverage=round(coverage, 3),
                links=links,
                unknown=unknown,
                topic_kind=kind,
                hits=hits,
                verdicts=tuple(str(v.value) for v in statuses) if "verdict" in slots else (),
                municipalities=tuple(p.value for p in places) if "municipality" in slots else (),
                regions=tuple(p.value for p in regions) if "area" in slots else (),
                years=tuple(sorted({int(y.value) for y in m.years})) if "year" in slots else (),
                classes=classes if "class" in slots else (),
                person=str(person.value) if person is not None and "person" in slots else None,
                used=frozenset(used),
            )
        )
    return out


def _slots_present(m: Mentions) -> set[str]:
    found = {
        "verdict": bool(m.verdicts),  # any status: a family filters by the kinds it takes
        "entity": bool(m.entities),
        "person": bool(m.people),
        "municipality": any(not p.value.region for p in m.places),
        "area": bool(m.places),
        "year": bool(m.years),
        "topic": bool(m.topic and any(m.topic.hits.values())),
    }
    return {slot for slot, there in found.items() if there}


def top(hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """The best hits: those within 2 % of the best (ties: "ungeindsatsen" names two goals)."""
    return tuple(h for h in hits if h.score >= hits[0].score * 0.98) if hits else ()


def _links(mention: Mention) -> list[Link]:
    return [Link(mention.label, e, round(mention.score, 2)) for e in mention.value]
