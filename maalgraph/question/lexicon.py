"""The graph's own lexicon: every name, municipality, year, goal text, focus-area title,
indicator, agenda-item title and case officer a question can mention, read from the store once.

Built from a few whole-graph reads that stay small at any scale: the *distinct* texts of goals,
focus areas and indicators (at 1M triples 1,310 goal texts for 11,480 goals), the labels, the
municipalities with their years, the case officers. The goals themselves are looked up by text
when a question is answered (``goals_by_text``). Nothing here is written after the build.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .linking import Entity, Name, NameIndex, TextIndex
from .vocabulary import Vocabulary

NAMED_KINDS = ("partner", "unit", "project", "plan", "committee")


@dataclass(frozen=True)
class Municipality:
    """A municipality (or region) a question can be scoped to; ``iri`` is None when the graph
    holds nothing about it."""

    label: str  # "Herning Kommune", "Region Midtjylland"
    iri: str | None
    years: tuple[int, ...] = ()
    region: bool = False

    @property
    def has_data(self) -> bool:
        return self.iri is not None and not self.region


@dataclass(frozen=True)
class Lexicon:
    names: NameIndex[Name]  # of partners, units, projects, plans, areas and committees
    places: NameIndex[Municipality]  # municipalities (with or without data) and regions
    people: NameIndex[str]  # case officers
    goals: TextIndex
    focus_areas: TextIndex
    indicators: TextIndex
    items: TextIndex  # agenda items' titles
    municipalities: tuple[Municipality, ...]  # those the graph has documents about
    years: tuple[int, ...]
    text_stems: frozenset[str]  # stems of words written in lower case in the graph's texts
    stems: dict[str, str]  # every word of those texts with its stem (stemming is slow)
    lookup: Callable[[str], list[Entity]] = field(default=lambda label: [], compare=False)
    build_ms: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def is_known_word(self, token_stem: str) -> bool:
        """A word the graph's own texts use in lower case: a topic word, not a name."""
        return token_stem in self.text_stems

    def municipality(self, iri: str) -> Municipality | None:
        return next((m for m in self.municipalities if m.iri == iri), None)


def build_lexicon(named: Callable[..., Sequence[Mapping[str, Any]]], vocab: Vocabulary) -> Lexicon:
    """Read the lexicon with ``named(query_name, **bound values) -> rows``."""
    timings: dict[str, float] = {}

    def rows(name: str) -> Sequence[Mapping[str, Any]]:
        start = time.perf_counter()
        out = named(name)
        timings[name] = (time.perf_counter() - start) * 1000
        return out

    start = time.perf_counter()

    def lookup(label: str) -> list[Entity]:
        """The things with this name or alias (a look-up of the bound name, ~2 ms at 1M)."""
        return sorted(
            {
                Entity(
                    str(r["entity"]),
                    str(r["name"]),
                    str(r["kind"]),
                    str(r["municipality"]) if r.get("municipality") else None,
                )  # fmt: skip
                for r in named("entities_named", label=label)
            },
            key=lambda e: e.iri,
        )

    # in a fixed order, so that ties (a suggestion, a close spelling) fall alike on every engine
    names = sorted(
        {Name(str(r["label"]), str(r["kind"])) for r in rows("names")},
        key=lambda n: (n.label, n.kind),
    )
    years_of: dict[tuple[str, str], set[int]] = defaultdict(set)
    for r in rows("municipalities"):
        years = years_of[(str(r["municipality"]), str(r["municipalityLabel"]))]
        if r.get("year") is not None:
            years.add(int(str(r["year"])))
    municipalities = tuple(
        Municipality(label, iri, tuple(sorted(years)))
        for (iri, label), years in sorted(years_of.items(), key=lambda kv: kv[0][1])
    )
    places: list[tuple[str, Municipality]] = []
    for m in municipalities:
        places += [(m.label, m), (m.label.removesuffix(" Kommune"), m)]
    known = {m.label for m in municipalities}
    for name in vocab.municipalities:
        if f"{name} Kommune" not in known:
            place = Municipality(f"{name} Kommune", None)
            places += [(place.label, place), (name, place)]
    areas = {n.label for n in names if n.kind == "area"}
    for name in sorted(set(vocab.regions) | {a for a in areas if a.startswith("Region ")}):
        iri = (
            next((e.iri for e in lookup(name) if e.kind == "area"), None) if name in areas else None
        )
        places.append((name, Municipality(name, iri, region=True)))
    goal_texts = [str(r["text"]) for r in rows("goal_texts")]
    titles = [str(r["title"]) for r in rows("focus_area_titles")]
    indicators = [str(r["indicator"]) for r in rows("indicators")]
    item_titles = [str(r["title"]) for r in rows("agenda_item_titles")]
    officers = sorted({str(r["caseOfficer"]) for r in rows("case_officers")})
    stems_of: dict[str, str] = {}  # filled while indexing, only read afterwards
    goals, focus_areas = TextIndex(goal_texts, stems_of), TextIndex(titles, stems_of)
    indicator_index = TextIndex(indicators, stems_of)
    items = TextIndex(item_titles, stems_of)
    text_stems = (
        goals.lower_stems
        | focus_areas.lower_stems
        | indicator_index.lower_stems
        | items.lower_stems
    )
    lexicon = Lexicon(
        names=NameIndex((n.label, n) for n in names if n.kind != "area"),
        places=NameIndex(places),
        people=NameIndex((o, o) for o in officers),
        goals=goals,
        focus_areas=focus_areas,
        indicators=indicator_index,
        items=items,
        municipalities=municipalities,
        years=tuple(sorted({y for m in municipalities for y in m.years})),
        text_stems=text_stems,
        stems=stems_of,
        lookup=lookup,
        build_ms=(time.perf_counter() - start) * 1000,
        timings=timings,
    )
    return lexicon
