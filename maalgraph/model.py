"""Typed model of what a document says, between parsing and triples.

Parsing fills these dataclasses from text; extraction adds mentions, verdicts and
measurements; :mod:`maalgraph.triples` turns them into RDF. Nothing here touches a store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


class Verdict(str, Enum):
    """Whether a goal was met, as the assessment says."""

    MET = "opfyldt"
    PARTLY_MET = "delvist opfyldt"
    NOT_MET = "ikke opfyldt"


class EntityKind(str, Enum):
    """What a named thing in the text is."""

    PARTNER = "partner"  # an organisation outside the municipality
    UNIT = "unit"  # a unit of the municipality itself
    PROJECT = "project"  # a named project, initiative or offer
    PLAN = "plan"
    AREA = "area"  # a municipality or region


@dataclass(frozen=True)
class Warning_:
    """Something odd in a document that did not stop it from being ingested."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class Mention:
    """A named thing found in a paragraph."""

    label: str  # canonical name ("Herning Kommune")
    kind: EntityKind
    start: int = 0  # character offset in the paragraph text
    surface: str = ""  # as written ("Herning")


@dataclass
class Measurement:
    """A measured outcome: value and unit, for an area and a period, and what was measured."""

    value: Decimal
    unit: str
    period: str  # "2020" or "2019-10/2020-12"
    year: int | None  # the last year the period touches
    area: str  # "Herning Kommune", "Region Midtjylland"
    indicator: str  # "borgere i fleksjob"
    context: str  # the clause it stands in
    text: str = ""  # the number as the document wrote it ("10,0"): shown as written


@dataclass
class Paragraph:
    """One paragraph or list item of a source document: the unit of provenance."""

    position: int  # 1-based order in the document
    line: int  # 1-based line of the source file
    text: str
    section: str  # "Fokusområde 3, Ad 1"
    mentions: list[Mention] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)


@dataclass
class Assessment:
    """'Ad N': the status paragraphs about goal N, and the verdict read from them."""

    number: int
    paragraphs: list[Paragraph]
    verdict: Verdict | None = None
    verdict_phrase: str | None = None
    verdict_paragraph: Paragraph | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass
class Goal:
    number: int
    paragraph: Paragraph
    assessment: Assessment | None = None

    @property
    def text(self) -> str:
        return self.paragraph.text


@dataclass
class FocusArea:
    number: int
    title: str
    title_paragraph: Paragraph
    service_area_code: str | None
    service_area_name: str | None
    goals: list[Goal] = field(default_factory=list)
    plan: str | None = None
    plan_paragraph: Paragraph | None = None
    unassigned: list[Paragraph] = field(default_factory=list)  # status text not tied to a goal


@dataclass
class FollowUp:
    """A goal follow-up document (målopfølgning)."""

    title: str
    year: int
    municipality: str
    focus_areas: list[FocusArea]
    paragraphs: list[Paragraph]
    warnings: list[Warning_] = field(default_factory=list)


@dataclass
class SummaryBullet:
    """One bullet of an agenda item's summary: a goal restated with its verdict."""

    paragraph: Paragraph
    goal_text: str
    verdict_text: str
    verdict: Verdict | None = None


@dataclass
class SummarySection:
    title: str
    paragraph: Paragraph
    bullets: list[SummaryBullet] = field(default_factory=list)


@dataclass
class AgendaItem:
    """A committee agenda item (dagsordenspunkt) with its decision."""

    committee: str
    meeting_date: dt.date | None
    meeting_place: str | None
    number: int | None
    title: str
    case_number: str | None
    case_officer: str | None
    summary: str | None
    recommendation: str | None
    decision: str | None
    decision_paragraph: Paragraph | None
    attachments: list[str]
    summary_sections: list[SummarySection]
    year: int | None  # the follow-up year the item is about, when it says so
    municipality: str | None
    paragraphs: list[Paragraph]
    title_paragraph: Paragraph
    warnings: list[Warning_] = field(default_factory=list)


Document = FollowUp | AgendaItem
