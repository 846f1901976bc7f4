"""Turn a Danish question into a meaning: an intent (a named query) and bound parameters.

Rules over the tokens and lemmas of the shared spaCy pipeline decide the intent; names
are linked through :class:`EntityIndex` and topics through :class:`TopicIndex`. User words
only ever become parameter *values* (IRIs of linked things, integers); no SPARQL text is
built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.lang.da.stop_words import STOP_WORDS

from ..ingest.verdicts import find_verdict
from ..model import Verdict
from ..nlp import danish
from .linking import EntityIndex, Link, TopicIndex

MAAL = "https://w3id.org/maalgraph/def#"
VERDICT_IRI = {Verdict.MET: MAAL + "Opfyldt", Verdict.PARTLY_MET: MAAL + "DelvistOpfyldt",
               Verdict.NOT_MET: MAAL + "IkkeOpfyldt"}  # fmt: skip
MAX_QUESTION = 500

# Words that say what is asked, never part of a name.
VOCABULARY = {
    "hvilke", "hvilket", "hvilken", "hvad", "hvem", "hvor", "hvornår", "hvordan", "hvis", "vis",
    "list", "alle", "mål", "målet", "målene", "målsætning", "afhænger", "afhænge", "afhængig",
    "med", "samarbejder", "samarbejde", "samarbejdet", "understøtter", "understøtte", "støtter",
    "hører", "handler", "bidrager", "bidrage", "indgår", "involveret", "deltager", "knyttet",
    "projekt", "projektet", "projekter", "projekterne", "partner", "partnere", "partnerne",
    "samarbejdspartner", "samarbejdspartnere", "fokusområde", "fokusområdet", "fokusområder",
    "fokusområderne", "opfyldt", "opfyldte", "delvist", "delvis", "ikke", "sker", "stopper",
    "ophører", "lukker", "forsvinder", "udgår", "status", "der", "er", "var", "blev",
    "vi", "os", "til", "af", "om", "i", "på", "under", "ved", "hos", "for", "sammen",
}  # fmt: skip
IMPACT = re.compile(
    r"\b(sker der|hvad hvis|på spil|konsekvens\w*|stopper|ophører|lukker|forsvinder|udgår|mister)\b"
)
COMMITTEE = {"udvalg", "udvalget", "behandlede", "behandlet", "behandle", "besluttet", "beslutning",
             "beslutningen", "besluttede", "sagsnummer", "sagsnummeret", "sagsnr", "indstilling",
             "indstillingen", "indstillede", "møde", "mødet", "mødedato", "sagsbehandler",
             "sagsbehandleren", "godkendte", "godkendelse"}  # fmt: skip
COUNTABLE = {"mål": "goal_count", "målene": "goal_count", "fokusområder": "focus_area_count",
             "fokusområde": "focus_area_count", "fokusområderne": "focus_area_count"}  # fmt: skip
ENTITY_TYPES = {
    "partner": "partner", "partnere": "partner", "partnerne": "partner", "samarbejdspartner": "partner",
    "samarbejdspartnere": "partner", "samarbejdspartnerne": "partner", "aktører": "partner",
    "organisationer": "partner", "projekt": "project", "projekter": "project", "projekterne": "project",
    "indsatser": "project", "initiativer": "project", "enheder": "unit", "afdelinger": "unit",
}  # fmt: skip
TYPE_IRIS = {"partner": [MAAL + "Partner", "http://www.w3.org/ns/org#OrganizationalUnit"],
             "project": [MAAL + "Project"], "unit": ["http://www.w3.org/ns/org#OrganizationalUnit"]}  # fmt: skip


@dataclass
class Meaning:
    """What a question asks: the intent, its query calls, the linked entities."""

    intent: str | None
    calls: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    topic: tuple[str, str, float] | None = None  # (iri, text, score)
    unknown: list[tuple[str, str | None]] = field(default_factory=list)  # (phrase, suggestion)
    detail: str | None = None  # which aspect: "date", "committee", "decision", …

    @property
    def understood(self) -> bool:
        return self.intent is not None


def _year(text: str) -> int | None:
    match = re.search(r"\b(19[5-9]\d|20\d\d)\b", text)
    return int(match.group(1)) if match else None


def _topic_words(words: list[str], anchor: set[str]) -> str | None:
    """The words after 'målet om' / 'fokusområdet om' (up to a verdict word or the end)."""
    for i, w in enumerate(words):
        if w in anchor:
            rest = words[i + 1 :]
            if not rest or rest[0] not in ("om", "for", "vedrørende", "omkring"):
                continue  # "Hvilket mål hører Projekt Småjob til?" names no topic
            rest = rest[1:]
            out = []
            for r in rest:
                if r in ("opfyldt", "opfyldte", "delvist", "delvis", "ikke", "nået", "?"):
                    break
                out.append(r)
            text = " ".join(w for w in out if w not in ("er", "blev", "var"))
            if text.strip():
                return text
    return None


class Understander:
    """Question → :class:`Meaning`, using indexes built from the store's content."""

    def __init__(self, entities: EntityIndex, goals: TopicIndex, focus_areas: TopicIndex):
        self.entities = entities
        self.goals = goals
        self.focus_areas = focus_areas
        self.nlp = danish()

    def understand(self, question: str) -> Meaning:
        question = re.sub(r"[\x00-\x1f\x7f]", " ", question)[:MAX_QUESTION]
        doc = self.nlp(question)
        words = [t.lower_ for t in doc if not t.is_space]
        text = " ".join(words)
        lemmas = {t.lemma_ for t in doc} | set(words)
        year = _year(question)
        verdict = find_verdict(doc)
        spans = self._name_spans(doc)

        if not any(w.isalpha() and len(w) > 1 for w in words):
            return Meaning(None)
        if IMPACT.search(text):
            return self._with_entities("impact", spans)
        if "plan" in lemmas or "planen" in words or any(w.endswith("planen") for w in words):
            return Meaning("plans", [("plans", {})])
        if lemmas & COMMITTEE or ("hvornår" in words and "mål" not in lemmas):
            return Meaning(
                "committee", [("committee_handling", {})], detail=self._committee_detail(words)
            )
        quantity = any(w.startswith(("andel", "procent", "antal")) for w in words)
        if (
            "hvor" in words
            and ("mange" in words or "stor" in words or "meget" in words)
            or quantity
        ):
            counted = next((COUNTABLE[w] for w in words[words.index("hvor") + 2 :][:2] if w in COUNTABLE), None) \
                if "hvor" in words else None  # fmt: skip
            if counted:
                return self._count(counted, verdict, year, words)
            return self._measurement(question, year)
        goal_topic = _topic_words(words, {"målet", "målene", "mål"})
        area_topic = _topic_words(words, {"fokusområdet", "fokusområde", "fokusområderne"})
        asked_type = next((ENTITY_TYPES[w] for w in words if w in ENTITY_TYPES), None)
        if (
            "status" in words
            or words[:2] in (["er", "målet"], ["blev", "målet"])
            or "hvordan" in words
        ) and goal_topic:
            return self._goal_status(goal_topic)
        if asked_type and (goal_topic or area_topic):
            # "Hvilke projekter hører til målet om sygefravær?": the topic names a goal, even
            # when a word of it also occurs in a unit's name.
            return self._entities_of(asked_type, goal_topic, area_topic)
        if verdict is not None or "opfyldte" in words or "opfyldt" in words:
            return self._by_verdict(verdict, year, words, area_topic)
        if ("mål" in lemmas or "målene" in words) and spans:
            return self._with_entities("goals_depending_on", spans)
        listing = self._listing(words, asked_type, year)
        if listing is not None:
            return listing
        if spans:
            linked = [link for span in spans for link in self.entities.link(span)]
            if linked:
                return self._with_entities("goals_depending_on", spans)
        return Meaning(None)

    # ------------------------------------------------------------------ pieces

    def _name_spans(self, doc) -> list[str]:  # type: ignore[no-untyped-def]
        """Maximal runs of words that are not question vocabulary: candidate names."""
        spans: list[list[str]] = []
        current: list[str] = []
        for token in doc:
            word = token.lower_
            inner = word in ("i", "på", "til", "af", "om", "&", "og", "for") and current
            content = (
                (token.is_alpha or "&" in word or "-" in word)
                and word not in VOCABULARY
                and (word not in STOP_WORDS or token.text[:1].isupper())
                and not re.fullmatch(r"\d{4}", word)
            )
            if content or (inner and word not in ("og",)):
                current.append(token.text)
            else:
                if current:
                    spans.append(current)
                current = []
        if current:
            spans.append(current)
        out = []
        for span in spans:
            while span and span[-1].lower() in ("i", "på", "til", "af", "om", "&", "for"):
                span = span[:-1]
            if span and not (len(span) == 1 and span[0].lower() in STOP_WORDS):
                out.append(" ".join(span))
        return out

    def _with_entities(self, intent: str, spans: list[str]) -> Meaning:
        meaning = Meaning(intent)
        for span in spans:
            links = self.entities.link(span) or self.entities.link_within(span)
            links = [lk for lk in links if lk.entity.kind in ("partner", "unit", "project")]
            if links:
                meaning.links.extend(links)
            else:
                meaning.unknown.append((span, self.entities.suggest(span)))
        query = "impact" if intent == "impact" else "goals_depending_on"
        meaning.calls = [(query, {"entity": lk.entity.iri}) for lk in meaning.links]
        if not meaning.links and not meaning.unknown:
            return Meaning(None)
        return meaning

    def _committee_detail(self, words: list[str]) -> str:
        joined = " ".join(words)
        for detail, pattern in (
            ("case", r"sagsn"), ("recommendation", r"indstill"), ("officer", r"sagsbehandler"),
            ("date", r"hvornår|dato"), ("place", r"hvor blev|hvor holdt|mødested"),
            ("decision", r"beslut|godkend"), ("committee", r"udvalg|hvem"),
        ):  # fmt: skip
            if re.search(pattern, joined):
                return detail
        return "committee"

    def _count(
        self, query: str, verdict: tuple[Verdict, str] | None, year: int | None, words: list[str]
    ) -> Meaning:
        params: dict[str, object] = {}
        if verdict:
            params["verdict"] = VERDICT_IRI[verdict[0]]
        if year:
            params["year"] = year
        if verdict and query == "focus_area_count":
            # "Hvor mange fokusområder har delvist opfyldte mål?": count the matching areas
            return Meaning("count", [("focus_areas_by_verdict", params)], detail=query)
        return Meaning("count", [(query, params)], detail=query)

    def _measurement(self, question: str, year: int | None) -> Meaning:
        params: dict[str, object] = {"year": year} if year else {}
        return Meaning("measurement", [("measurements", params)], detail=question)

    def _goal_status(self, topic: str) -> Meaning:
        found = self.goals.best(topic)
        if found is None:
            return Meaning("goal_status", unknown=[(topic, None)])
        item, score = found
        return Meaning(
            "goal_status", [("goal_status", {"goal": item.iri})], topic=(item.iri, item.text, score)
        )

    def _entities_of(self, asked: str, goal_topic: str | None, area_topic: str | None) -> Meaning:
        index, topic, param = (
            (self.focus_areas, area_topic, "focusArea")
            if area_topic
            else (self.goals, goal_topic, "goal")
        )
        found = index.best(topic or "")
        if found is None:
            return Meaning("entities_of_goals", unknown=[(topic or "", None)])
        item, score = found
        calls: list[tuple[str, dict[str, object]]] = [
            ("entities_of_goals", {param: item.iri, "type": t}) for t in TYPE_IRIS[asked]
        ]
        return Meaning("entities_of_goals", calls, topic=(item.iri, item.text, score), detail=asked)

    def _by_verdict(
        self,
        verdict: tuple[Verdict, str] | None,
        year: int | None,
        words: list[str],
        area_topic: str | None,
    ) -> Meaning:
        chosen = verdict[0] if verdict else Verdict.MET
        params: dict[str, object] = {"verdict": VERDICT_IRI[chosen]}
        if year:
            params["year"] = year
        subject = next(
            (w for w in words if w in ("mål", "målene", "fokusområder", "fokusområderne")), "mål"
        )
        if (
            subject.startswith("fokusområde")
            and words.index(subject) < len(words) - 1
            and "mål" in words[words.index(subject) :]
        ):
            return Meaning(
                "focus_areas_by_verdict", [("focus_areas_by_verdict", params)], detail=chosen.value
            )
        meaning = Meaning("goals_by_verdict", [("goals", params)], detail=chosen.value)
        if area_topic:
            found = self.focus_areas.best(area_topic)
            if found:
                item, score = found
                meaning.calls = [("goals", {**params, "focusArea": item.iri})]
                meaning.topic = (item.iri, item.text, score)
        return meaning

    def _listing(
        self, words: list[str], asked_type: str | None, year: int | None
    ) -> Meaning | None:
        if not ({"hvilke", "vis", "list", "alle", "hvad", "find"} & set(words)):
            return None
        by_year: dict[str, object] = {"year": year} if year else {}
        if any(w.startswith("fokusområde") for w in words):
            return Meaning("list_focus_areas", [("focus_areas", by_year)])
        if asked_type:
            return Meaning(
                "list_entities",
                [("entities", {"type": t}) for t in TYPE_IRIS[asked_type]],
                detail=asked_type,
            )
        if "mål" in words or "målene" in words:
            return Meaning("list_goals", [("goals", by_year)])
        return None
