"""Entity linking from the graph itself: names, aliases and goal/focus-area topics.

Everything is read from the store (``labels``, ``goals``, ``focus_areas`` queries), so a
newly ingested municipality is understood without code changes. Matching is on folded
text (case, missing diacritics), whole label or a contiguous part of one ("Blå Kors" →
the Blå Kors organisations, "Knudmosen"), or close spelling ("Erhvervskole"). A phrase
that matches nothing is reported as unknown, with the closest label as a suggestion.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass

from ..nlp import fold, stem

FUZZY_MIN = 0.86
SUGGEST_MIN = 0.55


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    kind: str  # partner | unit | project | plan | area | committee
    municipality: str | None = None  # partners, units, projects and plans belong to one


@dataclass(frozen=True)
class Link:
    phrase: str  # as written in the question
    entity: Entity
    score: float


def tokens(text: str) -> list[str]:
    return re.findall(r"[\wæøå&-]+", fold(text))


class EntityIndex:
    """Labels and aliases of named things, searchable by phrase."""

    def __init__(self, rows: list[dict[str, object]]):
        self.by_label: dict[str, list[Entity]] = {}
        seen: dict[str, Entity] = {}
        for row in sorted(rows, key=lambda r: (str(r["entity"]), str(r["label"]))):  # a fixed order
            iri = str(row["entity"])
            municipality = str(row["municipality"]) if row.get("municipality") else None
            entity = seen.setdefault(
                iri, Entity(iri, str(row["name"]), str(row["kind"]), municipality)
            )
            key = " ".join(tokens(str(row["label"])))
            if entity not in self.by_label.setdefault(key, []):
                self.by_label[key].append(entity)
        self.keys = list(self.by_label)
        self.by_iri = seen

    def entities(self) -> list[Entity]:
        """Every named thing, in IRI order."""
        return sorted(self.by_iri.values(), key=lambda e: e.iri)

    def get(self, iri: str) -> Entity | None:
        """The named thing with this IRI, if there is one."""
        return self.by_iri.get(iri)

    def link(self, phrase: str) -> list[Link]:
        """Entities a phrase names: exact, part of a label, or a close spelling."""
        words = tokens(phrase)
        if not words:
            return []
        key = " ".join(words)
        if key in self.by_label:
            return [Link(phrase, e, 1.0) for e in self.by_label[key]]
        part = [k for k in self.keys if re.search(rf"(?:^| ){re.escape(key)}(?: |$)", k)]
        if part and any(len(w) >= 4 for w in words):
            return [Link(phrase, e, 0.9) for k in part for e in self.by_label[k]]
        scored = sorted(
            ((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in self.keys), reverse=True
        )
        if scored and scored[0][0] >= FUZZY_MIN:
            best = scored[0][0]
            return [
                Link(phrase, e, round(s, 2))
                for s, k in scored
                if s >= best - 0.02
                for e in self.by_label[k]
            ]
        return []

    def link_within(self, phrase: str) -> list[Link]:
        """Exact labels inside a longer phrase ("Sundhed & Ældre betydning"), longest first.
        Only whole labels count here, so "Røde Kors" never yields "Kors"-something."""
        words = phrase.split()
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                part = " ".join(words[start : start + size])
                key = " ".join(tokens(part))
                if key in self.by_label:
                    return [Link(part, e, 0.95) for e in self.by_label[key]]
        return []

    def suggest(self, phrase: str) -> str | None:
        """The closest known label, for 'Mente du …?'."""
        key = " ".join(tokens(phrase))
        scored = max(
            ((difflib.SequenceMatcher(None, key, k).ratio(), k) for k in self.keys), default=None
        )
        if scored and scored[0] >= SUGGEST_MIN:
            return self.by_label[scored[1]][0].label
        # "Røde Kors" when only "Blå Kors …" exists: share a distinctive word
        shared = [
            k for k in self.keys if set(w for w in tokens(phrase) if len(w) >= 4) & set(k.split())
        ]
        return self.by_label[sorted(shared, key=len)[0]][0].label if shared else None


@dataclass(frozen=True)
class Topic:
    iri: str
    text: str
    stems: frozenset[str]


class TopicIndex:
    """Goals or focus areas found by what they are about ("målet om sygefravær")."""

    def __init__(self, items: list[tuple[str, str]]):
        self.items = [Topic(iri, text, frozenset(self._stems(text))) for iri, text in items]
        counts: Counter[str] = Counter()
        for item in self.items:
            counts.update(item.stems)
        n = max(len(self.items), 1)
        self.idf = {s: math.log(1 + n / c) for s, c in counts.items()}

    @staticmethod
    def _stems(text: str) -> list[str]:
        return [stem(w) for w in tokens(text) if len(w) > 2]

    def best(self, words: str) -> tuple[Topic, float] | None:
        """The item whose text shares the most (rare) words with the topic words."""
        query = [s for s in self._stems(words)]
        if not query:
            return None
        scored = []
        for item in self.items:
            score = 0.0
            for s in query:
                if s in item.stems:
                    score += self.idf.get(s, 0.0)
                elif len(s) >= 5 and any(t.startswith(s[:5]) for t in item.stems):
                    score += 0.6 * max(
                        (self.idf.get(t, 0.0) for t in item.stems if t.startswith(s[:5])), default=0
                    )
            scored.append((score, item))
        score, item = max(scored, key=lambda x: x[0])
        total = sum(self.idf.get(s, 1.0) for s in query) or 1.0
        return (item, round(score / total, 2)) if score > 0 else None
