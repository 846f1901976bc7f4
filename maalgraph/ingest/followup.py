"""Parse goal follow-up documents (målopfølgning) into the typed model.

The format: a title line, then one block per focus area of label–value fields
(``Serviceområde``, ``Fokusområde``, ``Mål``, ``Veje til målet``, ``Status på opfyldelse
af mål``), separated by a tab (or a colon). Values are ``<p>`` paragraphs or plain text
that may run over the following lines. Status paragraphs open with "Ad N:" for goal N.
This module only finds structure; :mod:`maalgraph.ingest.extract` reads meaning.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from ..errors import IngestError
from ..model import Assessment, FocusArea, FollowUp, Goal, Paragraph, Warning_
from .markup import RawParagraph, split_paragraphs
from .reading import SourceText


class Field(Enum):
    SERVICE_AREA = "Serviceområde"
    FOCUS_AREA = "Fokusområde"
    GOALS = "Mål"
    PATHWAY = "Veje til målet"
    STATUS = "Status på opfyldelse af mål"


_FIELD_LINE = re.compile(r"^\s*(?P<label>[^\t:<]{2,60}?)\s*(?:\t+|:[ \t]*|[ ]{2,})(?P<value>.*)$")
# "Ad 3:", "Ad. 3)", "Mål 3 –": opens the assessment of goal 3 (also stripped before NLP)
ASSESSMENT_PREFIX = re.compile(r"^\s*(?:ad|mål)\.?\s*(?P<n>\d{1,2})\s*[:.)–-]\s*", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def field_of(label: str) -> Field | None:
    """Which field a label names, tolerating the small variations between municipalities.

    >>> field_of("Status på opfyldelse af mål")
    <Field.STATUS: 'Status på opfyldelse af mål'>
    >>> field_of("Veje til målet") is Field.PATHWAY, field_of("Ad 1") is None
    (True, True)
    """
    key = re.sub(r"\s+", " ", label.strip().casefold())
    if key in ("serviceområde", "serviceomraade", "politikområde"):
        return Field.SERVICE_AREA
    if key in ("fokusområde", "fokusomraade", "indsatsområde", "fokus- og indsatsområde"):
        return Field.FOCUS_AREA
    if key in ("mål", "maal", "årsmål", "målsætning", "mål for året") or re.fullmatch(
        r"(?:års)?mål (?:for )?(?:budget ?)?\d{4}", key
    ):
        return Field.GOALS
    if key.startswith(("veje til mål", "vejen til mål", "veje til at nå", "handlinger")):
        return Field.PATHWAY
    if key.startswith(("status", "målopfyldelse", "opfølgning på mål", "opfyldelse af mål")):
        return Field.STATUS
    return None


@dataclass
class _Block:
    start_line: int
    values: dict[Field, list[tuple[int, str]]] = field(default_factory=dict)
    label_lines: dict[Field, int] = field(default_factory=dict)


def looks_like_followup(text: str) -> bool:
    """True when the text has the labelled fields of a goal follow-up."""
    found = set()
    for line in text.split("\n")[:5000]:
        match = _FIELD_LINE.match(line)
        if match and (kind := field_of(match.group("label"))) is not None:
            found.add(kind)
    return Field.FOCUS_AREA in found and Field.GOALS in found


def parse_followup(source: SourceText) -> FollowUp:
    """Parse a follow-up; raises :class:`IngestError` when no focus area can be found."""
    title, title_line, blocks = _blocks(source)
    if not blocks:
        raise IngestError(
            "no goal follow-up blocks found (expected lines such as 'Fokusområde<TAB>…' and "
            "'Mål<TAB>…')",
            path=source.path,
        )
    builder = _Builder(source)
    title_paragraph = builder.paragraph(title_line, title, "Titel") if title else None
    focus_areas = [builder.focus_area(i, block) for i, block in enumerate(blocks, start=1)]
    if title_paragraph is None:
        builder.warn(None, "the document has no title line; using the file name")
        title = source.path.stem
    year = _report_year(source, title)
    if year is None:
        raise IngestError(
            "cannot tell which year the follow-up covers: no year in the title or the text",
            path=source.path,
            line=title_line or None,
        )
    if not _YEAR.search(title):
        builder.warn(
            title_line or None,
            f"no year in the title; using {year}, the most frequent year in the text",
        )
    return FollowUp(
        title=title,
        year=year,
        municipality="",
        focus_areas=focus_areas,
        paragraphs=builder.paragraphs,
        warnings=builder.warnings,
    )


def _report_year(source: SourceText, title: str) -> int | None:
    """The year in the title, or else the most frequent year in the text."""
    if match := _YEAR.search(title):
        return int(match.group(1))
    years = Counter(_YEAR.findall(source.text))
    return int(years.most_common(1)[0][0]) if years else None


def _blocks(source: SourceText) -> tuple[str, int, list[_Block]]:
    title, title_line = "", 0
    blocks: list[_Block] = []
    current: _Block | None = None
    active: Field | None = None
    for number, line in enumerate(source.lines, start=1):
        match = _FIELD_LINE.match(line)
        kind = field_of(match.group("label")) if match else None
        head = kind in (Field.SERVICE_AREA, Field.FOCUS_AREA)
        if match and kind is not None and (current is None or head or kind not in current.values):
            if (
                current is None
                or (kind is Field.SERVICE_AREA and current.values)
                or (head and kind in current.values)
            ):
                current = _Block(number)
                blocks.append(current)
            active = kind
            current.label_lines[kind] = number
            current.values[kind] = [(number, match.group("value"))]
            continue
        if current is None:
            if line.strip() and not title:
                title, title_line = line.strip(), number
            continue
        if (
            active is Field.PATHWAY
            and ASSESSMENT_PREFIX.match(line)
            and Field.STATUS not in current.values
        ):
            # A known variant: the "Status på opfyldelse af mål" label is missing and the
            # "Ad N:" paragraphs follow the pathway directly.
            active = Field.STATUS
            current.label_lines[Field.STATUS] = number
            current.values[Field.STATUS] = []
        if active is not None:
            current.values[active].append((number, line))
    return title, title_line, blocks


class _Builder:
    """Turns raw blocks into numbered paragraphs, goals and assessments, collecting warnings."""

    def __init__(self, source: SourceText):
        self.source = source
        self.paragraphs: list[Paragraph] = []
        self.warnings: list[Warning_] = []

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Warning_(line, message))

    def paragraph(self, line: int, text: str, section: str) -> Paragraph:
        p = Paragraph(position=len(self.paragraphs) + 1, line=line, text=text, section=section)
        self.paragraphs.append(p)
        return p

    def raw(self, block: _Block, kind: Field) -> list[RawParagraph]:
        lines = block.values.get(kind, [])
        paragraphs, problems = split_paragraphs(lines)
        for problem in problems:
            self.warn(None, problem)
        if kind in block.values and not paragraphs:
            self.warn(block.label_lines[kind], f"field '{kind.value}' has no value")
        return paragraphs

    def focus_area(self, number: int, block: _Block) -> FocusArea:
        section = f"Fokusområde {number}"
        code, name = self._service_area(block)
        titles = self.raw(block, Field.FOCUS_AREA)
        if Field.FOCUS_AREA not in block.values:
            self.warn(block.start_line, f"block {number} has no 'Fokusområde' field")
        title_text = " ".join(p.text for p in titles) or f"Fokusområde {number} (uden titel)"
        title_line = titles[0].line if titles else block.start_line
        area = FocusArea(
            number=number,
            title=title_text,
            title_paragraph=self.paragraph(title_line, title_text, section),
            service_area_code=code,
            service_area_name=name,
        )
        for i, raw in enumerate(self.raw(block, Field.GOALS), start=1):
            text = re.sub(r"^\s*\d{1,2}[.)]\s+", "", raw.text)
            area.goals.append(Goal(i, self.paragraph(raw.line, text, f"{section}, Mål {i}")))
        if not area.goals:
            self.warn(block.start_line, f"focus area {number} ({title_text[:40]!r}) has no goals")
        pathway = self.raw(block, Field.PATHWAY)
        if pathway:
            text = " ".join(p.text for p in pathway)
            area.plan = text
            area.plan_paragraph = self.paragraph(
                pathway[0].line, text, f"{section}, Veje til målet"
            )
        self._assessments(area, block, section)
        return area

    def _service_area(self, block: _Block) -> tuple[str | None, str | None]:
        raw = self.raw(block, Field.SERVICE_AREA)
        if not raw:
            return None, None
        text = raw[0].text
        match = re.match(r"^(\d{1,3})\s*[-–.:]?\s*(.*)$", text)
        return (match.group(1), match.group(2) or None) if match else (None, text)

    def _assessments(self, area: FocusArea, block: _Block, section: str) -> None:
        status = self.raw(block, Field.STATUS)
        if Field.STATUS not in block.values:
            self.warn(block.start_line, f"focus area {area.number} has no status section")
        by_number: dict[int, Assessment] = {}
        current: Assessment | None = None
        for raw in status:
            match = ASSESSMENT_PREFIX.match(raw.text)
            if match and not raw.is_list_item:
                n = int(match.group("n"))
                if n in by_number:
                    self.warn(raw.line, f"'Ad {n}' appears twice in focus area {area.number}")
                    current = by_number[n]
                else:
                    current = by_number[n] = Assessment(n, [])
            label = f"{section}, Ad {current.number}" if current else f"{section}, Status"
            paragraph = self.paragraph(raw.line, raw.text, label)
            if current is None:
                area.unassigned.append(paragraph)
            else:
                current.paragraphs.append(paragraph)
        if not by_number and area.unassigned and len(area.goals) == 1:
            by_number[1] = Assessment(1, area.unassigned)
            area.unassigned = []
        elif area.unassigned and len(area.goals) > 1:
            self.warn(
                area.unassigned[0].line,
                f"status text of focus area {area.number} is not split into 'Ad N' parts; "
                "it is kept but tied to no goal",
            )
        goals = {g.number: g for g in area.goals}
        for n, assessment in sorted(by_number.items()):
            if n in goals:
                goals[n].assessment = assessment
            else:
                line = assessment.paragraphs[0].line if assessment.paragraphs else None
                self.warn(
                    line,
                    f"'Ad {n}' in focus area {area.number} has no goal {n} "
                    f"(the focus area has {len(goals)} goals); the assessment is tied to no goal",
                )
                area.unassigned.extend(assessment.paragraphs)
        for goal in area.goals:
            if goal.assessment is None and (by_number or area.unassigned):
                self.warn(
                    goal.paragraph.line,
                    f"goal {area.number}.{goal.number} has no assessment ('Ad {goal.number}')",
                )
