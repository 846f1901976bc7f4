"""Typed model of what a document says, between parsing and triples.

Parsing fills these dataclasses from text; extraction adds mentions, verdicts and
measurements; :mod:`maalgraph.triples` turns them into RDF. Nothing here touches a store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


@dataclass(frozen=True)
class Locator:
    """Where a block stands in its file; every part is 1-based and optional.

    >>> Locator(page=3, table=1, row=2).describe()
    'side 3, tabel 1, række 2'
    >>> Locator(line=12).describe()
    'linje 12'
    """

    line: int | None = None
    page: int | None = None
    paragraph: int | None = None  # formats without lines (DOCX): the paragraph's number
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def describe(self) -> str:
        """In Danish, as a policy officer reads a source reference."""
        parts = []
        if self.page is not None:
            parts.append(f"side {self.page}")
        if self.paragraph is not None:
            parts.append(f"afsnit {self.paragraph}")
        if self.table is not None:
            parts.append(f"tabel {self.table}")
        if self.row is not None:
            parts.append(f"række {self.row}")
        if self.cell is not None:
            parts.append(f"celle {self.cell}")
        if self.line is not None and self.page is None:
            parts.append(f"linje {self.line}")
        return ", ".join(parts)


class Verdict(str, Enum):
    """Whether a goal was met, as the assessment says."""

    MET = "opfyldt"
    PARTLY_MET = "delvist opfyldt"
    NOT_MET = "ikke opfyldt"


class Progress(str, Enum):
    """How far an initiative has come; not a verdict on the goal."""

    IN_PROGRESS = "i gang"
    COMPLETED = "afsluttet"
    NOT_STARTED = "ikke startet"


class Trend(str, Enum):
    """The development a text states ("Udviklingen siden baseline er positiv")."""

    POSITIVE = "positiv"
    NEGATIVE = "negativ"
    FLAT = "uændret"


class Role(str, Enum):
    """What a measured value is: the result, the target set, or the starting point."""

    ACTUAL = "actual"
    TARGET = "target"
    BASELINE = "baseline"


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
    locator: Locator | None = None

    def __str__(self) -> str:
        where = self.locator.describe() if self.locator else ""
        if not where and self.line:
            where = f"linje {self.line}"
        return f"{where}: {self.message}" if where else self.message


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
    role: Role = Role.ACTUAL
    about: int | None = (
        None  # in a paragraph shared by several goals: the goal (its number) it is about
    )
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
    locator: Locator | None = None  # page, line, table, row, cell in the source file
    kind: str = "paragraph"  # the block it was read from: heading, field, list-item …
    names: bool = True  # False: its names are people or data sources ("Ansvarlig: …")
    cells: tuple[tuple[str, str], ...] = ()  # a table row: (header, cell) pairs


@dataclass
class Assessment:
    """'Ad N': the status paragraphs about goal N, and the verdict read from them."""

    number: int
    paragraphs: list[Paragraph]
    verdict: Verdict | None = None
    verdict_phrase: str | None = None
    verdict_paragraph: Paragraph | None = None
    status_text: str | None = None  # a status field or cell as written ("Grøn", "I gang")
    progress: Progress | None = None
    trend: Trend | None = None
    no_verdict_phrase: str | None = None  # "Derfor kan udviklingen ikke vurderes."
    joint_verdict: Paragraph | None = None  # "Målene er i al væsentlighed nået." after a list
    disagreement: str | None = None  # the verdict contradicts the goal's own target and result

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass
class Goal:
    number: int
    paragraph: Paragraph
    assessment: Assessment | None = None
    statement: str | None = None  # the goal when its paragraph says more (a list item, a row)
    initiative: bool = False  # a budget note or initiative with a progress status: also a project

    @property
    def text(self) -> str:
        return self.statement or self.paragraph.text


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
