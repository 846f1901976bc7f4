"""Read meaning into a parsed document: municipality, verdicts, names, plans, measurements.

Runs the shared spaCy pipeline over every paragraph once (``nlp.pipe``) and fills the
model in place. Works on documents it has never seen: nothing here names a municipality,
partner or project.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc

from ..model import AgendaItem, EntityKind, FollowUp, Mention, Paragraph, Warning_
from ..nlp import danish
from .followup import ASSESSMENT_PREFIX as _AD_PREFIX
from .gazetteer import Gazetteer
from .measures import find_measurements
from .names import Candidate, find_candidates, settle
from .verdicts import find_verdict, verdict_of_text

_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][a-zæøå]+(?:[- ][A-ZÆØÅ][a-zæøå]+)?) Kommunes?\b")
UNKNOWN_MUNICIPALITY = "Ukendt kommune"


def detect_municipality(texts: list[str]) -> str | None:
    """The municipality a document is about: the most frequent 'X Kommune'.

    >>> detect_municipality(["Herning Kommune har …", "i Herning Kommunes regi", "Ikast-Brande Kommune"])
    'Herning Kommune'
    """
    counts = Counter(m.group(1) for text in texts for m in _MUNICIPALITY.finditer(text))
    counts.pop("Den", None)
    return f"{counts.most_common(1)[0][0]} Kommune" if counts else None


def plan_name(text: str) -> str:
    """The plan a 'Veje til målet' field points to.

    >>> plan_name("Er beskrevet i Social- og Beskæftigelsesplanen 2020")
    'Social- og Beskæftigelsesplanen 2020'
    """
    match = re.search(
        r"(?:beskrevet|fremgår|findes|står|uddybet)\s+(?:i|af)\s+(?:den\s+)?(?P<name>.+?)\.?\s*$",
        text,
        re.I,
    )
    if match:
        return match.group("name").strip()
    match = re.search(
        r"(?P<name>(?:[A-ZÆØÅ][\w-]*\s+(?:og\s+)?)*[\w-]*(?:planen|plan|strategien|strategi|"
        r"politikken|politik)\b(?:\s+\d{4}(?:[-–]\d{2,4})?)?)",
        text,
    )
    return match.group("name").strip() if match else text.strip().rstrip(".")


class Extractor:
    """Fills a parsed document with mentions, verdicts and measurements."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or Gazetteer.load()
        self.nlp = danish()

    def followup(self, doc: FollowUp) -> FollowUp:
        municipality = detect_municipality([p.text for p in doc.paragraphs])
        if municipality is None:
            doc.warnings.append(Warning_(None, "no municipality ('X Kommune') named in the text"))
        doc.municipality = municipality or UNKNOWN_MUNICIPALITY
        docs = self._mentions(doc.paragraphs, doc.municipality)
        plans = set()
        for area in doc.focus_areas:
            if area.plan is not None:
                area.plan = plan_name(area.plan)
                plans.add(area.plan)
        for paragraph in doc.paragraphs:
            for mention in paragraph.mentions:
                if mention.kind is EntityKind.PLAN:
                    # "Psykiatriplanen" in the text is the "Psykiatriplanen 2021" of the pathway
                    mention.label = next(
                        (p for p in sorted(plans) if p.startswith(mention.label)), mention.label
                    )
        for area in doc.focus_areas:
            for goal in area.goals:
                if goal.assessment is None:
                    continue
                texts = [_AD_PREFIX.sub("", p.text) for p in goal.assessment.paragraphs]
                found = find_verdict(self.nlp("\n".join(texts)))
                if found is None:
                    doc.warnings.append(
                        Warning_(
                            goal.assessment.paragraphs[0].line,
                            f"no verdict (opfyldt / delvist / ikke opfyldt) found for goal "
                            f"{area.number}.{goal.number}",
                        )
                    )
                else:
                    a = goal.assessment
                    a.verdict, a.verdict_phrase = found
                    a.verdict_paragraph = next(
                        (p for p in reversed(a.paragraphs) if found[1][:40] in p.text),
                        a.paragraphs[-1],
                    )
                for paragraph in goal.assessment.paragraphs:
                    self._measure(paragraph, docs[paragraph.position], doc.year, doc.municipality)
        return doc

    def agenda(self, item: AgendaItem) -> AgendaItem:
        item.municipality = detect_municipality([p.text for p in item.paragraphs])
        for section in item.summary_sections:
            for bullet in section.bullets:
                found = verdict_of_text(bullet.verdict_text) if bullet.verdict_text else None
                bullet.verdict = found[0] if found else None
        return item

    def _mentions(self, paragraphs: list[Paragraph], municipality: str) -> dict[int, Doc]:
        """Fill each paragraph's mentions; returns the spaCy doc of each paragraph (text
        after any "Ad N:" prefix) by position, so later steps need not parse it again."""
        short = {municipality.removesuffix(" Kommune")} if municipality else set()
        texts = [_AD_PREFIX.sub("", p.text) for p in paragraphs]
        offsets = [len(p.text) - len(t) for p, t in zip(paragraphs, texts, strict=True)]
        found: list[tuple[int, Candidate]] = []
        docs: dict[int, Doc] = {}
        for index, doc in enumerate(self.nlp.pipe(texts)):
            docs[paragraphs[index].position] = doc
            found.extend((index, c) for c in find_candidates(doc, self.gazetteer, short))
        kept = {id(c) for c in settle([c for _, c in found])}
        for index, candidate in found:
            if id(candidate) in kept:
                label = candidate.label
                if candidate.kind is EntityKind.AREA and label.removesuffix("s") in short | {
                    municipality + "s"
                }:
                    label = municipality
                elif candidate.kind is EntityKind.AREA and label.endswith("Kommunes"):
                    label = label.removesuffix("s")
                paragraphs[index].mentions.append(
                    Mention(
                        label, candidate.kind, candidate.start + offsets[index], candidate.surface
                    )
                )
        return docs

    def _measure(self, paragraph: Paragraph, doc: Doc, year: int | None, municipality: str) -> None:
        prefix = len(paragraph.text) - len(doc.text)
        areas = [
            (m.start - prefix, len(m.surface), m.label)
            for m in paragraph.mentions
            if m.kind is EntityKind.AREA and m.start >= prefix
        ]
        paragraph.measurements.extend(find_measurements(doc, year, municipality, areas))
