"""Read meaning into a document's layout: municipality and year, verdicts and statuses, names,
plans and measurements — and build the typed model (a follow-up report, an agenda item, or
both) that :mod:`maalgraph.triples` writes.

Runs the shared spaCy pipeline over every paragraph once (``nlp.pipe``). Works on documents
it has never seen: nothing here names a municipality, partner or project.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import (
    AgendaItem,
    Assessment,
    EntityKind,
    FollowUp,
    Goal,
    Mention,
    Paragraph,
    Progress,
    Role,
    Verdict,
    Warning_,
)
from ..nlp import danish, stem
from .blocks import BlockDocument
from .gazetteer import Gazetteer
from .layout import Layout, read_layout
from .lexicon import lexicon
from .measures import disagreement, find_measurements
from .names import Candidate, find_candidates, settle
from .scope import UNKNOWN_MUNICIPALITY, detect_municipality, detect_year, file_year, parse_date
from .verdicts import TREND_VERDICT, Statement, read_statement

_CELL_VERDICT = {"MET": Verdict.MET, "PARTLY_MET": Verdict.PARTLY_MET, "NOT_MET": Verdict.NOT_MET}
_CELL_PROGRESS = {"IN_PROGRESS": Progress.IN_PROGRESS, "COMPLETED": Progress.COMPLETED,
                  "NOT_STARTED": Progress.NOT_STARTED}  # fmt: skip


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
    """Reads a document's blocks into the typed model."""

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or Gazetteer.load()
        self.nlp = danish()
        self.lex = lexicon()

    def judge(self, texts: list[str]) -> bool:
        """Whether a text states a verdict, a status or a trend about a goal."""
        text = "\n".join(texts)
        if len(text) > 20_000:
            text = text[:20_000]
        return read_statement(self.nlp(text), strict=True).says_anything

    def read(self, source: BlockDocument) -> tuple[Layout, FollowUp | None, AgendaItem | None]:
        layout = read_layout(source, self.judge)
        texts = [p.text for p in layout.paragraphs]
        municipality = detect_municipality(texts, title=layout.title, file_name=source.path.name)
        if municipality is None:
            layout.warnings.append(Warning_(None, "fandt ingen kommune ('X Kommune') i teksten"))
        agenda = layout.agenda
        meeting = parse_date(agenda.date_text or "") if agenda is not None else None
        if agenda is not None and meeting is None:
            layout.warnings.append(
                Warning_(
                    None, f"mødedatoen {agenda.date_text or ''!r} mangler eller kan ikke læses"
                )
            )
        year = detect_year(layout.title, texts, meeting=meeting) or file_year(source.path.name)
        if year is None and meeting is not None:
            year = meeting.year
        docs = self._mentions(layout.paragraphs, municipality or UNKNOWN_MUNICIPALITY)
        legend = layout.legend
        plans = set()
        for area in layout.focus_areas:
            if area.plan is not None:
                area.plan = plan_name(area.plan)
                plans.add(area.plan)
        for paragraph in layout.paragraphs:
            for mention in paragraph.mentions:
                if mention.kind is EntityKind.PLAN:
                    # "Psykiatriplanen" in the text is the "Psykiatriplanen 2021" of the pathway
                    mention.label = next(
                        (p for p in sorted(plans) if p.startswith(mention.label)), mention.label
                    )
        for area in layout.focus_areas:
            for goal in area.goals:
                self._assess(goal, area.number, legend, layout)
            shared: dict[int, list[Goal]] = {}
            for goal in area.goals:
                self._measure_goal(goal, docs, year, municipality or UNKNOWN_MUNICIPALITY)
                for p in goal.assessment.paragraphs if goal.assessment else []:
                    shared.setdefault(p.position, []).append(goal)
            for goal in area.goals:
                self._check_numbers(goal, area.number, layout)
            for goals in shared.values():
                if len(goals) > 1:
                    first = goals[0].assessment
                    _share(goals, first.paragraphs if first is not None else [])
        report = None
        if (layout.focus_areas or agenda is None) and not layout.goals:
            layout.warnings.append(Warning_(None, "fandt ingen mål i dokumentet"))
        if layout.focus_areas:
            if year is None:
                layout.warnings.append(Warning_(None, "fandt intet år, som opfølgningen gælder"))
            report = FollowUp(
                title=layout.title,
                year=year or 0,
                municipality=municipality or UNKNOWN_MUNICIPALITY,
                focus_areas=layout.focus_areas,
                paragraphs=layout.paragraphs,
                warnings=layout.warnings,
            )
        item = self._agenda(layout, municipality, year, meeting) if agenda is not None else None
        return layout, report, item

    # ------------------------------------------------------------------ verdicts

    def _assess(self, goal: Goal, area: int, legend: dict[str, str], layout: Layout) -> None:
        a = goal.assessment
        if a is None:
            return
        cell = None
        if a.status_text:
            text = a.status_text.strip().rstrip(".").casefold()
            cell = legend.get(text) or self.lex.status_cell(a.status_text)
            if cell in _CELL_VERDICT:
                a.verdict, a.verdict_phrase = _CELL_VERDICT[cell], a.status_text
            elif cell in _CELL_PROGRESS:
                a.progress = _CELL_PROGRESS[cell]
            elif cell == "NO_VERDICT":
                a.no_verdict_phrase = a.status_text
        texts = [self.lex.assessment_prefix.sub("", p.text) for p in a.paragraphs]
        statement = read_statement(self.nlp("\n".join(texts)[:50_000]))
        if a.verdict is None and cell is None:
            if statement.verdict is not None and statement.phrase is not None:
                a.verdict, a.verdict_phrase = statement.verdict, statement.phrase
                a.verdict_paragraph = next(
                    (p for p in reversed(a.paragraphs) if statement.phrase[:40] in p.text),
                    a.paragraphs[-1],
                )
            elif statement.trend in TREND_VERDICT and statement.no_verdict is None:
                a.verdict, a.verdict_phrase = TREND_VERDICT[statement.trend], statement.trend_phrase
                a.verdict_paragraph = next(
                    (p for p in a.paragraphs if (statement.trend_phrase or "")[:40] in p.text),
                    a.paragraphs[-1],
                )
            elif a.joint_verdict is not None:
                joint = read_statement(self.nlp(a.joint_verdict.text), strict=True)
                if joint.verdict is not None:
                    a.verdict, a.verdict_phrase = joint.verdict, joint.phrase
                    a.verdict_paragraph = a.joint_verdict
                    a.paragraphs.append(a.joint_verdict)
        a.trend = a.trend or statement.trend
        if a.verdict is None:  # "afsluttet 406 forløb" beside a verdict is no progress status
            a.progress = a.progress or statement.progress
        if a.no_verdict_phrase is None and a.verdict is None:
            a.no_verdict_phrase = statement.no_verdict
        if a.progress is not None and a.verdict is None:
            goal.initiative = True
        if a.verdict is None and a.no_verdict_phrase is None and a.progress is None:
            layout.warnings.append(
                Warning_(
                    a.paragraphs[0].line if a.paragraphs else None,
                    f"fandt ingen vurdering (opfyldt / delvist / ikke opfyldt) af mål {area}.{goal.number}",
                    a.paragraphs[0].locator if a.paragraphs else None,
                )
            )

    def _check_numbers(self, goal: Goal, area: int, layout: Layout) -> None:
        """A verdict that the goal's target and result contradict is reported, not changed."""
        a = goal.assessment
        if a is None or a.verdict not in (Verdict.MET, Verdict.NOT_MET):
            return
        found = [m for p in [*a.paragraphs, goal.paragraph] for m in p.measurements]
        problem = disagreement(a.verdict is Verdict.MET, goal.text, found)
        if problem is not None:
            a.disagreement = problem
            where = a.verdict_paragraph or goal.paragraph
            layout.warnings.append(
                Warning_(where.line, f"mål {area}.{goal.number}: {problem}", where.locator)
            )

    # ------------------------------------------------------------------ names

    def _mentions(self, paragraphs: list[Paragraph], municipality: str) -> dict[int, Doc]:
        """Fill each paragraph's mentions; returns the spaCy doc of each paragraph (text
        after any "Ad N:" prefix) by position, so later steps need not parse it again."""
        short = {municipality.removesuffix(" Kommune")} if municipality else set()
        prefix = self.lex.assessment_prefix
        # " | " between table cells reads as a sentence break (same length: offsets stay)
        texts = [prefix.sub("", p.text).replace(" | ", " . ") for p in paragraphs]
        offsets = [len(p.text) - len(t) for p, t in zip(paragraphs, texts, strict=True)]
        found: list[tuple[int, Candidate]] = []
        docs: dict[int, Doc] = {}
        for index, doc in enumerate(self.nlp.pipe(texts)):
            docs[paragraphs[index].position] = doc
            if paragraphs[index].names:
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

    # ------------------------------------------------------------------ numbers

    def _measure_goal(
        self, goal: Goal, docs: dict[int, Doc], year: int | None, municipality: str
    ) -> None:
        a = goal.assessment
        body = a.paragraphs if a is not None else []
        indicator = goal.text[:120]
        # the goal's own text states targets, not results ("unge under 25" is no result)
        only_goal = goal.statement is None or goal.statement.strip() == goal.paragraph.text.strip()
        for paragraph in body:
            if paragraph.measurements or paragraph.position not in docs:
                continue  # a paragraph shared by goals (a joint verdict) is measured once
            targets = paragraph is goal.paragraph and only_goal
            self._measure(
                paragraph, docs[paragraph.position], year, municipality, indicator, targets
            )
        if all(p is not goal.paragraph for p in body) and goal.paragraph.position in docs:
            self._measure(
                goal.paragraph, docs[goal.paragraph.position], year, municipality, indicator, True
            )

    def _measure(
        self, paragraph: Paragraph, doc: Doc, year: int | None, municipality: str,
        indicator: str, targets_only: bool,
    ) -> None:  # fmt: skip
        if paragraph.cells:
            # a table row: each cell under its header ("Baseline 2019: 62 %", "2023: 66 %")
            for header, cell in paragraph.cells:
                if not cell or not any(c.isdigit() for c in cell):
                    continue
                goal_cell = (
                    cell.strip() == indicator.strip()
                )  # the goal's own cell states targets only
                text = cell if goal_cell or not header else f"{header}: {cell}"
                found = find_measurements(self.nlp(text), year, municipality, [], indicator=indicator,
                                          targets_only=targets_only or goal_cell)  # fmt: skip
                paragraph.measurements.extend(found)
            return
        prefix = len(paragraph.text) - len(doc.text)
        areas = [
            (m.start - prefix, len(m.surface), m.label)
            for m in paragraph.mentions
            if m.kind is EntityKind.AREA and m.start >= prefix
        ]
        found = find_measurements(
            doc, year, municipality, areas, indicator=indicator, targets_only=targets_only
        )
        paragraph.measurements.extend(m for m in found if not targets_only or m.role is Role.TARGET)

    # ------------------------------------------------------------------ agenda items

    def _agenda(
        self, layout: Layout, municipality: str | None, year: int | None, meeting: object
    ) -> AgendaItem:
        draft = layout.agenda
        assert draft is not None and draft.title_paragraph is not None

        def text_of(kind: str) -> tuple[str | None, Paragraph | None]:
            paragraphs = draft.sections.get(kind, [])
            if not paragraphs:
                return None, None
            return "\n\n".join(p.text for p in paragraphs), paragraphs[0]

        summary, _ = text_of("summary")
        recommendation, _ = text_of("recommendation")
        decision, decision_paragraph = text_of("decision")
        if decision is None:
            layout.warnings.append(
                Warning_(None, "dagsordenspunktet har ingen beslutning ('Beslutning')")
            )
        if draft.committee is None:
            layout.warnings.append(Warning_(None, "fandt intet udvalg ('Udvalg: …')"))
        for section in draft.summary_sections:
            for bullet in section.bullets:
                found = read_statement(self.nlp(bullet.verdict_text or bullet.goal_text))
                bullet.verdict = found.verdict
        attachments = [p.text for p in draft.sections.get("attachments", [])]
        return AgendaItem(
            committee=draft.committee or "Ukendt udvalg",
            meeting_date=meeting,  # type: ignore[arg-type]
            meeting_place=draft.place,
            number=draft.number,
            title=draft.title or layout.title,
            case_number=draft.case_number,
            case_officer=draft.case_officer,
            summary=summary,
            recommendation=recommendation,
            decision=decision,
            decision_paragraph=decision_paragraph,
            attachments=attachments,
            summary_sections=draft.summary_sections,
            year=year,
            municipality=municipality,
            paragraphs=layout.paragraphs,
            title_paragraph=draft.title_paragraph,
            warnings=layout.warnings,
        )


def _share(goals: list[Goal], paragraphs: list[Paragraph]) -> None:
    """A paragraph after a list of goals reports numbers for several of them: each number goes
    to the goal whose words its clause shares most ("Andelen af dagligrygere …" → "Færre
    borgere skal ryge dagligt"); a number that matches none is left with no goal."""
    numbers = {g.number for g in goals}
    words = {g.number: _stems(g.text) for g in goals}
    for paragraph in paragraphs:
        for m in paragraph.measurements:
            if m.about in numbers:
                continue
            clause = re.findall(r"[a-zæøå]+", (m.context + " " + m.indicator).casefold())
            scores = sorted(
                ((sum(1 for w in words[n] if any(w in c for c in clause)), n) for n in numbers),
                reverse=True,
            )
            best, number = scores[0]
            m.about = number if best > 0 and (len(scores) == 1 or scores[1][0] < best) else 0


def _stems(text: str) -> set[str]:
    """Content-word stems of a goal ("Færre borgere skal ryge dagligt" → {"ryg", "dag"})."""
    return {stem(w) for w in re.findall(r"[a-zæøå]{3,}", text.casefold())} - _COMMON


_COMMON = {stem(w) for w in ("skal", "flere", "færre", "andelen", "antallet", "borgere", "mindst",
                             "være", "have", "blive", "eller", "ved", "med", "som", "der", "det")}  # fmt: skip


__all__ = ["Assessment", "Extractor", "Statement", "plan_name"]
