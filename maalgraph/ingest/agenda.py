"""Agenda items of any portal, for the layout reader: the header (committee, meeting date and
place, the numbered item, case number), the sections (Indstilling, Problemstilling, Løsning,
Beslutning …, from ``lang/da/fields.toml``), and a summary that restates another document's
goals ("I det følgende gives et resumé af målopfølgningen:")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Paragraph, SummaryBullet, SummarySection
from .blocks import Block, BlockKind
from .lexicon import Lexicon

_ITEM = re.compile(r"^\s*(?P<n>\d{1,3})\.\s+(?P<title>\S.*)$")
_CASE = re.compile(r"sagsnr\.?\s*:?\s*(?P<case>[\w.\-/]+)", re.I)
_OFFICER = re.compile(r"sagsbehandler\s*:\s*(?P<officer>[^\t:]+?)\s*$", re.I)
HEADER = "Mødeoplysninger"

MakeParagraph = Callable[[Block, "str | None", str], Paragraph]


@dataclass
class AgendaDraft:
    """What the layout reader found of a committee agenda item."""

    committee: str | None = None
    date_text: str | None = None
    place: str | None = None
    number: int | None = None
    title: str | None = None
    title_paragraph: Paragraph | None = None
    case_number: str | None = None
    case_officer: str | None = None
    sections: dict[str, list[Paragraph]] = field(default_factory=dict)  # kind → paragraphs
    summary_sections: list[SummarySection] = field(default_factory=list)


def section_title(block: Block) -> str | None:
    """The text that may name a section: a heading, or a field's label ("Beslutning i
    Økonomiudvalget den 12-03-2024: Godkendt." opens the decision and holds it)."""
    if block.kind is BlockKind.HEADING:
        return block.text
    if block.kind is BlockKind.FIELD:
        return block.label
    return None


def is_agenda(blocks: list[Block], lex: Lexicon) -> bool:
    """A committee near the top and a decision or recommendation section."""
    committee = any(
        (b.kind is BlockKind.FIELD and lex.header(b.label) == "committee")
        or (b.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) and lex.is_committee(b.text))
        for b in blocks[:12]
    )
    kinds = {lex.section(section_title(b) or "") for b in blocks}
    return committee and bool(kinds & {"decision", "recommendation"})


class AgendaReader:
    """The agenda item's part of the layout reader's walk, asked block by block."""

    def __init__(self, lex: Lexicon, paragraph: MakeParagraph, blocks: list[Block]):
        self.lex = lex
        self.paragraph = paragraph
        self.blocks = blocks
        self.draft = AgendaDraft()
        self.section_kind: str | None = None  # the section we are in (None: the header)
        self.section_title = ""
        self.summary_mode = False  # in a summary restating another document

    @property
    def in_header(self) -> bool:
        return self.section_kind is None

    def header(self, block: Block) -> bool:
        """Header lines before the first section: committee, date, place, item, case."""
        draft = self.draft
        if self.opens_section(block):
            return False
        text = block.full_text
        if block.kind is BlockKind.FIELD and (kind := self.lex.header(block.label)):
            if kind == "committee" and not draft.committee:
                draft.committee = block.text
            elif kind == "date" and not draft.date_text:
                draft.date_text = block.text
            elif kind == "place" and not draft.place:
                draft.place = block.text
            elif kind == "officer" and not draft.case_officer:
                draft.case_officer = block.text
            self._case(text)
            self.paragraph(block, None, HEADER).names = False
            return True
        if self._case(text):
            self.paragraph(block, None, HEADER).names = False
            return True
        if draft.committee is None and self.lex.is_committee(block.text):
            draft.committee = block.text.strip()
            self.paragraph(block, None, HEADER)
            return True
        item = _ITEM.match(block.text)
        if block.kind is BlockKind.HEADING and item and draft.number is None:
            draft.number, draft.title = int(item.group("n")), item.group("title").strip()
            draft.title_paragraph = self.paragraph(block, draft.title, "Dagsordenspunkt")
            return True
        if (
            block.kind is BlockKind.HEADING
            and draft.title is None
            and block is not self.blocks[0]
            and len(self.blocks) > 3
            and not re.fullmatch(r"dagsorden\w*", block.text.casefold())
        ):
            draft.title = block.text.strip()
            draft.title_paragraph = self.paragraph(block, draft.title, "Dagsordenspunkt")
            return True
        self.paragraph(block, None, HEADER).names = False
        return True

    def _case(self, text: str) -> bool:
        found = False
        if (m := _CASE.search(text)) and not self.draft.case_number:
            self.draft.case_number = m.group("case").rstrip(".")
            found = True
        if (m := _OFFICER.search(text)) and not self.draft.case_officer:
            self.draft.case_officer = m.group("officer").strip()
            found = True
        return found

    def opens_section(self, block: Block) -> bool:
        title = section_title(block)
        return title is not None and self.lex.section(title) is not None

    def open_section(self, block: Block) -> Block | None:
        """Enter the section a block names; a field's value is returned as its first block."""
        title = section_title(block)
        kind = self.lex.section(title or "")
        assert title is not None and kind is not None
        self.section_kind, self.section_title = kind, title.strip()
        self.draft.sections.setdefault(kind, [])
        self.summary_mode = False
        if block.kind is BlockKind.FIELD and block.text:
            return Block(BlockKind.PARAGRAPH, block.text, block.locator)
        return None

    def keeps(self, block: Block) -> bool:
        """Blocks of sections that hold no goals (Indstilling, Beslutning, Økonomi, Bilag …)
        are kept as the section's text."""
        if self.section_kind in (None, "summary", "presentation"):
            return False
        self.draft.sections[str(self.section_kind)].append(self.paragraph(block, None, ""))
        return True

    def summary_cue(self, text: str) -> bool:
        """'I det følgende gives et resumé af målopfølgningen for 2020:'"""
        folded = text.casefold()
        return (
            self.section_kind in ("summary", "presentation")
            and any(cue in folded for cue in self.lex.summary_cues)
            and bool(re.search(r"mål|opfølgning|status", folded))
        )

    def summary(self, block: Block, item_goal: Callable[[Block], str]) -> bool:
        """In an item that restates another document: headings and bullets."""
        sections = self.draft.summary_sections
        if block.kind is BlockKind.HEADING:
            text = block.text.strip()
            sections.append(SummarySection(text, self.paragraph(block, text, "Resumé")))
            return True
        if block.kind is BlockKind.LIST_ITEM and sections:
            section = sections[-1]
            goal = item_goal(block)
            full = block.full_text
            verdict = full[len(goal) :].strip() if full.startswith(goal) else ""
            p = self.paragraph(block, full, f"Resumé: {section.title[:60]}")
            section.bullets.append(SummaryBullet(p, goal, verdict))
            return True
        return False

    def finish(self, title: str, title_block: Block | None) -> str:
        """The item's title (the document's, when it has no numbered item)."""
        draft = self.draft
        if draft.title is None:
            draft.title = title
        if draft.title_paragraph is None:
            block = title_block or self.blocks[0]
            draft.title_paragraph = self.paragraph(block, draft.title, "Dagsordenspunkt")
        return draft.title
