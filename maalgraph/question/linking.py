"""Find the graph's own names and texts in a question.

:class:`NameIndex` finds names word by word on folded text: a whole name or alias, a distinctive
part of one ("Knudmosen" → "Ungdomscenter Knudmosen", "Blå Kors" → both Blå Kors
organisations), or a misspelt word corrected to the closest word of a name (rapidfuzz, C++; at
1M triples a linear scan of every label cost 0.5 s a question). :class:`EntityIndex` is the
index of partners, units, projects, plans and committees that the rest of maalgraph links names
with. :class:`TextIndex` finds goal texts, focus-area titles and indicators by the (rare) word
stems they share with a question, compounds included ("rekruttering" in
"Rekrutteringsindsatsen"). Indexes are built once from rows read from the store and are only
read afterwards, so threads share them.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from ..lang import load_toml
from ..nlp import fold, stem
from ..terms import is_iri
from .tokens import content_words, folded_words

T = TypeVar("T")
FUZZY_WORD = 85  # rapidfuzz ratio (0–100) for a misspelt word of a name
FUZZY_STEM = 88  # … of a topic word
SUGGEST_MIN = 55
CONNECTORS = frozenset({"i", "paa", "til", "af", "om", "&", "og", "for", "den", "det", "de", "med"})
GENERIC_SHARE = 0.02  # a word in this share of all names (and in 5 or more) tells none apart


class NameIndex(Generic[T]):
    """Names (with their payloads) by their folded words: whole, by distinctive parts, fuzzily."""

    def __init__(self, names: Iterable[tuple[str, T]]):
        # payloads in insertion order, kept as dict keys (a set that keeps its order): the
        # same label names one thing in each of many municipalities
        exact: dict[tuple[str, ...], dict[T, None]] = defaultdict(dict)
        keys: dict[str, tuple[str, ...]] = {}
        proper: set[str] = set()
        for name, payload in names:
            key = keys.get(name)
            if key is None:
                key = keys[name] = folded_words(name)
                written = name.split()
                # words written with a capital inside a name ("Knudmosen", "Mølle"): proper
                # names, matched even in lower case; "Opkvalificering" opens a name, a noun
                proper.update(
                    fold(w)
                    for i, w in enumerate(written)
                    if (i > 0 or len(written) == 1) and w[:1].isupper()
                )
            if key:
                exact[key][payload] = None
        self.proper = frozenset(proper)
        self.exact: dict[tuple[str, ...], list[T]] = {k: list(v) for k, v in exact.items()}
        counts = Counter(w for key in self.exact for w in set(key))
        generic = max(5, GENERIC_SHARE * len(self.exact))
        self.generic = frozenset(w for w, c in counts.items() if c >= generic)
        parts: dict[tuple[str, ...], dict[T, None]] = defaultdict(dict)
        for key, payloads in self.exact.items():
            for start in range(len(key)):
                for end in range(start + 1, len(key) + 1):
                    part = key[start:end]
                    if part != key and self._distinctive(part):
                        parts[part].update(dict.fromkeys(payloads))
        self.parts: dict[tuple[str, ...], list[T]] = {k: list(v) for k, v in parts.items()}
        self.words = frozenset(counts)
        self._fuzzy_words = sorted(w for w in self.words if len(w) >= 4 and w.isalpha())
        self.longest = max((len(k) for k in self.exact), default=0)

    def _distinctive(self, part: tuple[str, ...]) -> bool:
        """A part names something when it starts and ends with a word that is no connector and
        holds a word that few names share."""
        return (
            part[0] not in CONNECTORS
            and part[-1] not in CONNECTORS
            and any(len(w) >= 3 and w not in CONNECTORS and w not in self.generic for w in part)
        )

    def lookup(self, key: tuple[str, ...]) -> tuple[list[T], str] | None:
        """The payloads a run of folded words names: ("exact" | "part")."""
        if key in self.exact:
            return self.exact[key], "exact"
        if key in self.parts:
            return self.parts[key], "part"
        return None

    def correct(self, word: str) -> tuple[str, float] | None:
        """The word of a name closest to a misspelt one, with its similarity (0–1)."""
        if len(word) < 5 or word in self.words:
            return None
        found = process.extractOne(
            word, self._fuzzy_words, scorer=fuzz.ratio, score_cutoff=FUZZY_WORD
        )
        return (str(found[0]), float(found[1]) / 100) if found else None

    def suggest(self, words: Sequence[str]) -> T | None:
        """The closest name to an unknown phrase, for "Mente du …?"."""
        key = " ".join(words)
        keys = list(self.exact)
        found = process.extractOne(
            key, [" ".join(k) for k in keys], scorer=fuzz.ratio, score_cutoff=SUGGEST_MIN
        )
        if found:
            return self.exact[keys[found[2]]][0]
        # "Røde Kors" when only "Blå Kors …" exists: share a distinctive word
        shared = [k for k in keys if {w for w in words if len(w) >= 4} & set(k)]
        return self.exact[sorted(shared, key=len)[0]][0] if shared else None


@dataclass(frozen=True)
class Name:
    """A name or alias of the graph and the kind of thing it names (the things themselves are
    looked up by name when a question uses it: a name 40 municipalities share is one name)."""

    label: str
    kind: str


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


Lookup = Callable[..., Sequence[Mapping[str, object]]]


class EntityIndex:
    """The names and aliases of named things (distinct rows of the ``names`` query), searchable
    by phrase; the things a name stands for, and a thing by IRI, are looked up when asked
    (``entities_named``, a few ms at any scale) and remembered. At 1M triples reading every
    thing's labels up front cost 0.15–0.45 s; the distinct names are a tenth of the rows."""

    def __init__(self, names: Callable[[], Iterable[Mapping[str, object]]], lookup: Lookup):
        """``names()`` reads the rows of ``names`` (when a phrase is first linked: a thing looked
        up by IRI needs none of them); ``lookup(**values)`` runs ``entities_named`` with the
        values bound (label or entity)."""
        self._names = names
        self._name_index: NameIndex[Name] | None = None
        self._lookup = lookup
        # remembered look-ups; written under the GIL one key at a time, so threads may share them
        self._by_label: dict[str, list[Entity]] = {}
        self._by_iri: dict[str, Entity | None] = {}

    @property
    def names(self) -> NameIndex[Name]:
        """The names and aliases, by their words (read once, on first use)."""
        index = self._name_index
        if index is None:
            rows = sorted(self._names(), key=lambda r: (str(r["label"]), str(r["kind"])))
            index = self._name_index = NameIndex(
                (str(r["label"]), Name(str(r["label"]), str(r["kind"]))) for r in rows
            )  # in a fixed order; two threads may build it at once, and either copy will do
        return index

    @staticmethod
    def _entity(row: Mapping[str, object]) -> Entity:
        municipality = str(row["municipality"]) if row.get("municipality") else None
        return Entity(str(row["entity"]), str(row["name"]), str(row["kind"]), municipality)

    def named(self, label: str) -> list[Entity]:
        """The things with this name or alias, in IRI order."""
        found = self._by_label.get(label)
        if found is None:
            found = sorted(
                {self._entity(r) for r in self._lookup(label=label)}, key=lambda e: e.iri
            )
            self._by_label[label] = found
            for entity in found:
                self._by_iri.setdefault(entity.iri, entity)
        return found

    def entities(self) -> list[Entity]:
        """Every named thing, in IRI order (reads them all: for tools, not for questions)."""
        return sorted({self._entity(r) for r in self._lookup()}, key=lambda e: e.iri)

    def get(self, iri: str) -> Entity | None:
        """The named thing with this IRI, if there is one (None for what is no IRI)."""
        if not is_iri(iri):
            return None
        if iri not in self._by_iri:
            self.get_many([iri])
        return self._by_iri.get(iri)

    def get_many(self, iris: Iterable[str]) -> dict[str, Entity]:
        """The named things among ``iris``, by IRI (one look-up for those not yet known)."""
        wanted = sorted(iri for iri in set(iris) if is_iri(iri))
        unknown = [iri for iri in wanted if iri not in self._by_iri]
        if unknown:
            found = {e.iri: e for e in map(self._entity, self._lookup(entity=unknown))}
            for iri in unknown:
                self._by_iri[iri] = found.get(iri)
        return {iri: e for iri in wanted if (e := self._by_iri.get(iri)) is not None}

    def _things(self, names: Iterable[Name]) -> list[Entity]:
        """The things of these names (each of the name's kind), in the names' order."""
        out: dict[Entity, None] = {}
        for name in names:
            out.update(dict.fromkeys(e for e in self.named(name.label) if e.kind == name.kind))
        return list(out)

    def link(self, phrase: str) -> list[Link]:
        """Entities a phrase names: whole name, a distinctive part of one, or a close spelling
        (each misspelt word corrected to the closest word of a name)."""
        key = folded_words(phrase)
        if not key:
            return []
        found = self.names.lookup(key)
        score = 1.0
        if found is None:
            corrected = [self.names.correct(w) for w in key]
            if not any(corrected):
                return []
            key = tuple(c[0] if c else w for w, c in zip(key, corrected, strict=True))
            score = min(c[1] if c else 1.0 for c in corrected)
            found = self.names.lookup(key)
            if found is None:
                return []
        names, how = found
        score *= 1.0 if how == "exact" else 0.9
        return [Link(phrase, e, round(score, 2)) for e in self._things(names)]

    def link_within(self, phrase: str) -> list[Link]:
        """Whole names inside a longer phrase ("Sundhed & Ældre betydning"), longest first.
        Only whole names count here, so "Røde Kors" never yields "Kors"-something."""
        words = phrase.split()
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                part = " ".join(words[start : start + size])
                key = folded_words(part)
                if key in self.names.exact:
                    return [Link(part, e, 0.95) for e in self._things(self.names.exact[key])]
        return []

    def suggest(self, phrase: str) -> str | None:
        """The closest known name (the preferred name of what it names), for 'Mente du …?'."""
        found = self.names.suggest(folded_words(phrase))
        if found is None:
            return None
        things = self._things([found])
        return things[0].label if things else found.label


@functools.cache
def verbal_noun_endings() -> tuple[str, ...]:
    """Stem endings of nouns made of verbs ("rygning"), from ``lang/da/questions/topics.toml``."""
    return tuple(load_toml("da", "questions/topics")["verbal_noun_endings"])


def _prefixed(ordered: list[str], prefix: str, most: int = 50) -> list[str]:
    """The strings of a sorted list that start with ``prefix`` (at most ``most``)."""
    at = bisect.bisect_left(ordered, prefix)
    out = []
    for s in ordered[at : at + most]:
        if not s.startswith(prefix):
            break
        out.append(s)
    return out


def cached_stem(cache: dict[str, str], word: str) -> str:
    """The stem of a word, computed once per cache (a build's; never shared while written)."""
    found = cache.get(word)
    if found is None:
        found = cache[word] = stem(word)
    return found


@dataclass(frozen=True)
class Hit:
    """A text of the graph that a question's topic words name, and how well (0–1)."""

    text: str
    score: float
    matched: frozenset[int]  # which of the question's topic words it matched


class TextIndex:
    """Texts (goal texts, focus-area titles, indicators) found by the word stems they share
    with a question, weighted by how rare each stem is (idf)."""

    def __init__(self, texts: Iterable[str], stems_of: dict[str, str] | None = None):
        self.texts = sorted(set(texts))
        # a cache while building (the same words recur in every text): stemming is slow
        stems_of = {} if stems_of is None else stems_of
        self.stems: list[frozenset[str]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        lower: set[str] = set()
        for index, text in enumerate(self.texts):
            words = content_words(text)
            stems = frozenset(cached_stem(stems_of, w) for w, _ in words)
            lower.update(cached_stem(stems_of, w) for w, in_lower_case in words if in_lower_case)
            self.stems.append(stems)
            for s in stems:
                postings[s].append(index)
        self.postings = dict(postings)
        self.lower_stems = frozenset(lower)  # of words the texts write in lower case
        n = max(len(self.texts), 1)
        self.idf = {s: math.log(1 + n / len(p)) for s, p in self.postings.items()}
        self.max_idf = math.log(1 + n)
        self.mean_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 1.0
        self.sorted_stems = sorted(self.postings)
        self.reversed_stems = sorted(s[::-1] for s in self.postings)

    def expand(self, q: str) -> list[tuple[str, float]]:
        """The vocabulary stems a question stem may stand for, with a weight: itself (1),
        compounds it opens (0.85: "rekruttering" → "rekrutteringsindsats") or closes (0.7),
        a shorter stem it extends (0.8), the verb of a noun made of it ("rygning" → "ryg",
        and compounds that verb closes: "dagligryg"), or a close spelling (fuzzy)."""
        out: dict[str, float] = {}
        if q in self.postings:
            out[q] = 1.0
        if len(q) >= 4:
            for s in self.opening(q):
                out.setdefault(s, 0.85)
        if len(q) >= 5:
            for cut in range(len(q) - 1, 4, -1):
                if q[:cut] in self.postings:
                    out.setdefault(q[:cut], 0.8)
                    break
            for s in self.closing(q):
                out.setdefault(s, 0.7)
        if not out and len(q) >= 5:
            found = process.extractOne(
                q, self.sorted_stems, scorer=fuzz.ratio, score_cutoff=FUZZY_STEM
            )
            if found:
                out[str(found[0])] = 0.75 * float(found[1]) / 100
        for ending in verbal_noun_endings():
            root = q.removesuffix(ending)
            if root == q or len(root) < 3:
                continue
            # a noun made of a verb ("rygning", "tilmelding") names what its root names, less
            # surely than its own spelling: the root (0.6) or compounds it closes (0.5:
            # "dagligrygere")
            if root in self.postings:
                out.setdefault(root, 0.6)
            for s in self.closing(root):
                out.setdefault(s, 0.5)
        return sorted(out.items())

    def opening(self, start: str) -> list[str]:
        """The vocabulary's stems that open with ``start`` (at most 50, in order)."""
        return _prefixed(self.sorted_stems, start)

    def closing(self, end: str) -> list[str]:
        """The vocabulary's stems that close with ``end`` (at most 50)."""
        return [s[::-1] for s in _prefixed(self.reversed_stems, end[::-1])]

    def search(self, query: Sequence[str], floor: float = 0.3, limit: int = 20) -> list[Hit]:
        """The texts named by the question stems ``query``, best first."""
        if not query or not self.texts:
            return []
        expansions = [self.expand(q) for q in query]
        # a word none of these texts use counts half an average word: it may be aimed at
        # another kind of text ("demensrådgivningen" in "hvor mange henvendelser fik …")
        unknown = 0.5 * self.mean_idf
        weights = [
            max((self.idf[s] for s, w in e if w >= 0.99), default=None)
            or max((self.idf[s] for s, _ in e), default=unknown)
            for e in expansions
        ]
        total = sum(weights)
        scores: dict[int, float] = defaultdict(float)
        bests = []
        for expansion, weight in zip(expansions, weights, strict=True):
            best: dict[int, float] = {}
            for s, w in expansion:
                for index in self.postings[s]:
                    if w > best.get(index, 0.0):
                        best[index] = w
            for index, w in best.items():
                scores[index] += w * weight
            bests.append(best)
        kept = [i for i, s in scores.items() if s >= floor * total]
        ranked = heapq.nsmallest(
            limit,
            kept,
            key=lambda i: (-round(scores[i] / total, 3), len(self.texts[i]), self.texts[i]),
        )
        return [
            Hit(
                self.texts[i],
                round(scores[i] / total, 3),
                frozenset(q for q, b in enumerate(bests) if i in b),
            )
            for i in ranked
        ]
