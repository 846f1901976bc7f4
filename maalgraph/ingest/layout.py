"""The layout reader: one reader for every layout, over the block model.

It walks the blocks once and recognises the shapes goals come in, using only the vocabulary
of ``maalgraph/lang/da`` (never a municipality's name):

- label–value templates: a goal label ("Mål", "Målsætning", "Effektmål", "Målepunkt",
  "Budgetnote 3") opens a goal group; further paragraphs of the value are further goals;
  a status label ("Status", "Status på opfyldelse af mål", "STATUS") and the prose after it
  are the assessment, split by "Ad N" when the group has several goals;
- headed reports: a heading whose section states a verdict, a status or a trend about a goal
  ("Ambitionen … er dermed ikke indfriet") is a goal, its section the assessment;
- lists of goals: items after an introduction that names goals ("Status på de tre mål:") or
  items that each state a verdict; a verdict after the list may speak for all of them;
- tables with a goal column and a status column (colours or words);
- agenda items of any portal: header fields, a numbered item, sections (Indstilling,
  Problemstilling, Løsning, Beslutning …) and, where the item restates another document
  ("et resumé af målopfølgningen"), its summary bullets.

It only finds structure; :mod:`maalgraph.ingest.extract` reads verdicts, names and numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Assessment, FocusArea, Goal, Paragraph, Progress, Warning_
from .agenda import AgendaDraft, AgendaReader, is_agenda
from .blocks import Block, BlockDocument, BlockKind
from .lexicon import Lexicon, Role, lexicon
from .readers.lines import field_parts

Judge = Callable[[list[str]], bool]  # does this text state a verdict, status or trend on a goal?

_NUMBERING = re.compile(r"^\s*\(?\d{1,2}(?:\.\d{1,2})*[.)]\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9])")
_STRUCTURAL = {Role.SERVICE_AREA, Role.FOCUS_AREA, Role.GOAL, Role.STATUS, Role.PATHWAY}


def first_sentence(text: str) -> tuple[str, str]:
    """A list item's goal and the rest ("… under 15 %. Andelen var 14,1 % …").

    >>> first_sentence("Færre skal ryge. Andelen var 14,1 % i 2022. Målet er nået.")
    ('Færre skal ryge.', 'Andelen var 14,1 % i 2022. Målet er nået.')
    """
    parts = [p for p in _SENTENCE.split(text.strip(), maxsplit=1) if p]
    # "ca. 15 pct." and "bl.a." end in a period without ending the sentence
    while len(parts) == 2 and re.search(
        r"\b(?:ca|bl\.a|pct|mio|mia|kr|nr|jf|f\.eks|fx|mv|inkl)\.$", parts[0], re.I
    ):
        more = [p for p in _SENTENCE.split(parts[1], maxsplit=1) if p]
        parts = [parts[0] + " " + more[0], *more[1:]]
    return parts[0], (parts[1] if len(parts) > 1 else "")


@dataclass
class _Goal:
    paragraph: Paragraph
    statement: str | None
    body: list[Paragraph] = field(default_factory=list)
    status: list[tuple[str, Paragraph]] = field(default_factory=list)
    progress: Progress | None = None
    heading_level: int = 0


@dataclass
class _Focus:
    number: int
    title: str
    paragraph: Paragraph
    service: tuple[str | None, str | None] = (None, None)
    plan: str | None = None
    plan_paragraph: Paragraph | None = None
    goals: list[Goal] = field(default_factory=list)
    unassigned: list[Paragraph] = field(default_factory=list)
    explicit: bool = False
    level: int = 0


@dataclass
class _Group:
    kind: str  # field | heading | pending | list | table
    level: int = 0
    goals: list[_Goal] = field(default_factory=list)
    body: list[Paragraph] = field(default_factory=list)
    heading: Paragraph | None = None
    after: Paragraph | None = None  # the paragraph right after a list of goals
    last_role: Role | None = None
    focus: _Focus | None = None


@dataclass
class Layout:
    """The structure of one document: paragraphs, focus areas with goals, agenda item."""

    title: str
    title_paragraph: Paragraph | None
    paragraphs: list[Paragraph]
    focus_areas: list[FocusArea]
    agenda: AgendaDraft | None
    legend: dict[str, str]  # colour word → status-cell meaning, from the document's legend
    warnings: list[Warning_]

    @property
    def goals(self) -> list[Goal]:
        return [g for fa in self.focus_areas for g in fa.goals]


class LayoutReader:
    def __init__(self, doc: BlockDocument, judge: Judge, lex: Lexicon | None = None):
        self.doc = doc
        self.judge = judge
        self.lex = lex or lexicon()
        self.paragraphs: list[Paragraph] = []
        self.warnings: list[Warning_] = []
        self.focus_areas: list[_Focus] = []
        self.focus: _Focus | None = None
        self.implicit: _Focus | None = None
        self.group: _Group | None = None
        self.headings: list[tuple[int, Paragraph]] = []  # open generic headings (level, para)
        self.pending_service: tuple[str | None, str | None] = (None, None)
        self.list_intro = False
        self.agenda: AgendaReader | None = None
        self.title = ""
        self.title_paragraph: Paragraph | None = None
        self.title_block: Block | None = None
        self.next_block: Block | None = None
        self.blocks: list[Block] = list(doc.blocks)

    # ------------------------------------------------------------------ entry

    def read(self) -> Layout:
        blocks = self.blocks = [self._as_field(b) for b in self.doc.blocks]
        self.title_block = self._title_block()
        if is_agenda(blocks, self.lex):
            self.agenda = AgendaReader(self.lex, self.paragraph, blocks)
        for index, block in enumerate(blocks):
            self.next_block = blocks[index + 1] if index + 1 < len(blocks) else None
            if self.agenda is not None and self.agenda.in_header and self.agenda.header(block):
                continue
            self.feed(block)
        self._close_group()
        if self.agenda is not None:
            self.title = self.agenda.finish(self.title or self.doc.path.stem, self.title_block)
        if not self.title:
            self.title = self.doc.title_hint or self.doc.path.stem
            self.warn(None, "dokumentet har ingen titel; filnavnet bruges")
        focus_areas = [self._focus_area(f) for f in self.focus_areas if f.explicit or f.goals]
        return Layout(
            self.title,
            self.title_paragraph,
            self.paragraphs,
            focus_areas,
            self.agenda.draft if self.agenda is not None else None,
            self._legend(),
            self.warnings,
        )

    def _as_field(self, block: Block) -> Block:
        """'Udvalg: Børne- og Skoleudvalget' set as a heading is the agenda's header field."""
        parts = field_parts(block.text) if block.kind is BlockKind.HEADING else None
        if parts is not None and self.lex.header(parts[0]) is not None:
            return Block(BlockKind.FIELD, parts[1], block.locator, label=parts[0])
        return block

    def warn(self, block: Block | Paragraph | None, message: str) -> None:
        locator = block.locator if block is not None else None
        line = locator.line if locator is not None else None
        self.warnings.append(Warning_(line, message, locator))

    # ------------------------------------------------------------------ paragraphs

    def paragraph(self, block: Block, text: str | None = None, section: str = "") -> Paragraph:
        p = Paragraph(
            position=len(self.paragraphs) + 1,
            line=block.locator.line or block.locator.paragraph or len(self.paragraphs) + 1,
            text=text if text is not None else block.full_text,
            section=section or self._section_name(),
            locator=block.locator,
            kind=block.kind.value,
            cells=tuple(zip(block.headers, block.cells, strict=False)) if block.headers else (),
        )
        self.paragraphs.append(p)
        return p

    def _section_name(self) -> str:
        if self.agenda is not None and self.agenda.section_kind is not None:
            return self.agenda.section_title
        if self.headings:
            return self.headings[-1][1].text[:80]
        if self.focus is not None:
            return f"Fokusområde {self.focus.number}"
        return "Indledning"

    def _title_block(self) -> Block | None:
        for block in self.blocks[:4]:
            if block.kind is BlockKind.HEADING:
                return block
        short = [
            b
            for b in self.blocks[:3]
            if b.kind is BlockKind.PARAGRAPH
            and len(b.text.split()) <= 15
            and not b.text.rstrip().endswith((".", ":"))
        ]
        # "Skovlund Kommune" / "Budgetopfølgning 2023 – …": the line with a year names the document
        dated = [b for b in short if re.search(r"\b(?:19|20)\d\d\b", b.text)]
        chosen = dated or short
        return chosen[0] if chosen else None

    # ------------------------------------------------------------------ the walk

    def feed(self, block: Block) -> None:
        if block is self.title_block and self.agenda is None:
            self.title = block.text.strip()
            self.title_paragraph = self.paragraph(block, self.title, "Titel")
            self.title_paragraph.names = False  # a title names the document, not partners
            return
        if self.agenda is not None:
            if self.agenda.opens_section(block):
                self._close_group()
                first = self.agenda.open_section(block)
                self.headings = []
                if first is not None:
                    self.feed(first)
                return
            if self.agenda.keeps(block) or (
                self.agenda.summary_mode and self.agenda.summary(block, self._item_goal)
            ):
                return
        role, value = self._role(block)
        if block.part > 0 and self.group is not None:
            self._continuation(block)
            return
        if role is Role.SERVICE_AREA:
            self._close_group()
            code, name = _service_area(value)
            self.pending_service = (code, name)
            self.paragraph(block, value, "Serviceområde").names = False  # a name of a category
            return
        if role is Role.FOCUS_AREA:
            self._close_group()
            self._open_focus(block, value)
            return
        if role is Role.GOAL:
            self._close_group()
            self._open_goals(block, value)
            return
        if role is Role.PATHWAY and self.group is not None:
            focus = self._group_focus()
            p = self.paragraph(
                block, value or block.full_text, f"Fokusområde {focus.number}, Veje til målet"
            )
            if value:
                focus.plan, focus.plan_paragraph = value, p
            else:
                self.warn(block, f"feltet '{block.label or block.text}' har ingen værdi")
            self.group.last_role = Role.PATHWAY
            return
        if role is Role.STATUS and self.group is not None:
            self._status(block, value)
            return
        if (
            role in (Role.COMPLETED, Role.IN_PROGRESS)
            and self.group is not None
            and self.group.goals
        ):
            goal = self.group.goals[-1]
            goal.progress = Progress.COMPLETED if role is Role.COMPLETED else Progress.IN_PROGRESS
            goal.body.append(self.paragraph(block))
            return
        if block.kind is BlockKind.HEADING and role is None:
            self._heading(block)
            return
        if block.kind is BlockKind.TABLE_ROW and self._table_row(block):
            return
        if block.kind is BlockKind.LIST_ITEM and self._list_item(block):
            return
        self._loose(block, role)

    def _role(self, block: Block) -> tuple[Role | None, str]:
        if block.kind is BlockKind.FIELD:
            return self.lex.role(block.label), block.text
        if block.kind is BlockKind.HEADING:
            parts = field_parts(block.text)
            if parts is not None and (role := self.lex.role(parts[0])) is not None:
                return role, parts[1]
            role = self.lex.role(block.text)
            if role in (Role.STATUS, Role.GOAL, Role.FOCUS_AREA):
                return role, ""
        return None, ""

    # ------------------------------------------------------------------ focus areas

    def _open_focus(self, block: Block, title: str) -> None:
        number = len(self.focus_areas) + 1
        if not title:
            self.warn(block, f"feltet '{block.label or block.text}' har ingen værdi")
            title = f"Fokusområde {number} (uden titel)"
        focus = _Focus(number, title, self.paragraph(block, title, f"Fokusområde {number}"),
                       service=self.pending_service, explicit=True, level=block.level)  # fmt: skip
        self.pending_service = (None, None)
        self.focus_areas.append(focus)
        self.focus = focus
        self.headings = [h for h in self.headings if block.level and h[0] < block.level]

    def _group_focus(self) -> _Focus:
        """The focus area a group's goals belong to: the open one, a heading above the group,
        or (for documents without focus areas) one named after the document."""
        group = self.group
        if group is not None and group.focus is not None:
            return group.focus
        focus = self.focus
        level = group.level if group is not None else 0
        above = [h for h in self.headings if level == 0 or h[0] < level]
        if above and (
            focus is None or not focus.explicit or (focus.level and above[-1][0] > focus.level)
        ):
            paragraph = above[-1][1]
            existing = next((f for f in self.focus_areas if f.paragraph is paragraph), None)
            if existing is None:
                existing = _Focus(
                    len(self.focus_areas) + 1, paragraph.text, paragraph, level=above[-1][0]
                )
                paragraph.section = f"Fokusområde {existing.number}"
                self.focus_areas.append(existing)
            focus = existing
        if focus is None:
            if self.implicit is None:
                draft = self.agenda.draft if self.agenda is not None else None
                title = (draft.title if draft and draft.title else self.title) or self.doc.path.stem
                anchor = self.title_paragraph or (draft.title_paragraph if draft else None)
                if anchor is None:
                    anchor = self.paragraphs[0] if self.paragraphs else None
                assert anchor is not None
                self.implicit = _Focus(len(self.focus_areas) + 1, title, anchor)
                self.focus_areas.append(self.implicit)
            focus = self.implicit
        if group is not None:
            group.focus = focus
        return focus

    # ------------------------------------------------------------------ goal groups

    def _open_goals(self, block: Block, value: str) -> None:
        kind = "heading" if block.kind is BlockKind.HEADING else "field"
        following = self.next_block
        if not value and following is not None and following.kind is BlockKind.LIST_ITEM:
            # "Mål:" / "Politikkens mål:" over a list: the items are the goals
            self.paragraph(block)
            self.list_intro = True
            return
        self.group = _Group(
            kind, level=block.level if kind == "heading" else 0, last_role=Role.GOAL
        )
        if not value:
            p = self.paragraph(block)
            self.group.body.append(p)
            if block.kind is BlockKind.FIELD:
                self.warn(block, f"feltet '{block.label}' har ingen værdi")
            return
        text = _NUMBERING.sub("", value)
        p = self.paragraph(block, text)
        self.group.goals.append(
            _Goal(p, None if kind == "field" else text, heading_level=block.level)
        )

    def _continuation(self, block: Block) -> None:
        group = self.group
        assert group is not None
        if group.last_role is Role.GOAL and group.kind == "field":
            text = _NUMBERING.sub("", block.text)
            group.goals.append(_Goal(self.paragraph(block, text), None))
        elif group.last_role is Role.PATHWAY:
            focus = self._group_focus()
            p = self.paragraph(
                block, block.full_text, f"Fokusområde {focus.number}, Veje til målet"
            )
            if focus.plan is not None:
                focus.plan += " " + block.text
            else:
                focus.plan, focus.plan_paragraph = block.text, p
        else:
            group.body.append(self.paragraph(block))

    def _status(self, block: Block, value: str) -> None:
        group = self.group
        assert group is not None
        group.last_role = Role.STATUS
        if not value:
            if block.kind is BlockKind.FIELD and not group.goals:
                self.warn(block, f"feltet '{block.label}' har ingen værdi")
            self.paragraph(block).names = False
            return
        p = self.paragraph(block, value if block.kind is BlockKind.FIELD else block.full_text)
        if len(value.split()) <= 8 and group.goals and group.kind != "field":
            group.goals[-1].status.append((value, p))
        elif len(value.split()) <= 8 and len(group.goals) == 1:
            group.goals[0].status.append((value, p))
        group.body.append(p)

    def _heading(self, block: Block) -> None:
        group = self.group
        if (
            group is not None
            and group.kind in ("heading", "pending")
            and block.level > group.level > 0
        ):
            group.body.append(self.paragraph(block))  # a sub-heading inside a goal's section
            return
        self._close_group()
        self.headings = [h for h in self.headings if h[0] < block.level]
        p = self.paragraph(block, block.text, block.text[:80])
        self.headings.append((block.level, p))
        if (
            self.focus is not None
            and self.focus.explicit
            and block.level
            and self.focus.level
            and block.level <= self.focus.level
        ):
            self.focus = None
        self.group = _Group("pending", level=block.level, heading=p)

    def _table_row(self, block: Block) -> bool:
        headers = [self.lex.role(h) if h else None for h in block.headers]
        if Role.GOAL not in headers:
            return False
        goal_col = headers.index(Role.GOAL)
        if self.group is None or self.group.kind != "table":
            self._close_group()
            self.group = _Group("table")
        goal_text = block.cells[goal_col] if goal_col < len(block.cells) else ""
        if not goal_text:
            self.group.body.append(self.paragraph(block))
            return True
        if (
            not any(c for i, c in enumerate(block.cells) if i != goal_col)
            and len(goal_text.split()) <= 8
        ):
            # a row with only a short first cell heads the rows below: a focus area
            self._close_group()
            self._open_focus(block, goal_text)
            self.group = _Group("table")
            return True
        p = self.paragraph(block)
        goal = _Goal(p, goal_text, body=[p])
        status_cols = [
            i for i, r in enumerate(headers) if r is Role.STATUS and i < len(block.cells)
        ]
        cell = next(
            (
                block.cells[i]
                for i in status_cols
                if self.lex.status_cell(block.cells[i]) or self._is_colour(block.cells[i])
            ),
            None,
        )
        if cell is None and status_cols and len(block.cells[status_cols[0]].split()) <= 8:
            cell = block.cells[status_cols[0]]
        if cell:
            goal.status.append((cell, p))
        self.group.goals.append(goal)
        return True

    def _is_colour(self, text: str) -> bool:
        return text.strip().casefold().rstrip(".") in self.lex.colours

    def _list_item(self, block: Block) -> bool:
        group = self.group
        in_list = group is not None and group.kind == "list"
        if in_list and group is not None and group.last_role in (Role.STATUS, Role.PATHWAY):
            return False  # bullets in a status text
        if not (in_list or self.list_intro):
            if group is not None and group.kind != "pending":
                return False
            if not self.judge([block.full_text]):
                return False
        if not in_list:
            self._close_group()
            self.group = _Group("list", level=block.level)
        assert self.group is not None
        self.list_intro = False
        statement = self._item_goal(block)
        p = self.paragraph(block)
        self.group.goals.append(_Goal(p, statement, body=[p]))
        return True

    def _item_goal(self, block: Block) -> str:
        """The goal a list item states: its first sentence when the rest (or the line below)
        states a result ("… under 15 %. Andelen var 14,1 %. Målet er nået."), else all of it."""
        first, remainder = first_sentence(block.text)
        rest = " ".join(x for x in (remainder, block.note) if x)
        return first if rest and self.judge([rest]) else block.text

    def _loose(self, block: Block, role: Role | None) -> None:
        group = self.group
        p = self.paragraph(block, block.full_text)  # "Ad 2: …" too (a field to the line reader)
        if role is Role.NO_NAMES or (
            block.kind is BlockKind.FIELD and self.lex.role(block.label) is Role.NO_NAMES
        ):
            p.names = False
        if (
            group is not None
            and group.kind == "list"
            and group.last_role not in (Role.STATUS, Role.PATHWAY)
        ):
            group.after = p
            self._close_group()
            group = None
        if self.agenda is not None and self.agenda.summary_cue(p.text):
            self._close_group()
            self.agenda.summary_mode = True
            return
        label_only = block.kind is BlockKind.FIELD and not block.text  # "Byrådets mål for 2022:"
        self.list_intro = self._introduces_goals(p.text + (":" if label_only else ""))
        if group is not None:
            group.body.append(p)
        elif self.focus is not None:
            self.focus.unassigned.append(p)

    def _introduces_goals(self, text: str) -> bool:
        """'Status på de tre mål for 2022:' introduces a list of goals."""
        if not text.rstrip().endswith(":"):
            return False
        words = set(re.findall(r"[a-zæøå]+", text.casefold()))
        return bool(words & self.lex.list_intro)

    # ------------------------------------------------------------------ closing a group

    def _close_group(self) -> None:
        group, self.group = self.group, None
        self.list_intro = False if group is not None and group.kind == "list" else self.list_intro
        if group is None:
            return
        if group.kind == "pending":
            heading = group.heading
            texts = [p.text for p in group.body]
            summing_up = (
                heading is not None
                and re.sub(r"^[\d.\s]+", "", heading.text.casefold()).strip(" :.")
                in self.lex.not_goal_headings
            )
            if heading is not None and group.body and not summing_up and self.judge(texts):
                self.group = group
                focus = self._group_focus()
                self.group = None
                goal = _Goal(heading, self._headed_goal(heading.text, texts), body=list(group.body))
                self._place([goal], focus, group)
            elif self.focus is not None:
                self.focus.unassigned.extend(group.body)
            return
        if not group.goals and not group.body and group.kind == "table":
            return  # a table that held no goal rows
        self.group = group
        focus = self._group_focus()
        self.group = None
        template = any(self.lex.assessment_prefix.match(p.text) for p in group.body)
        if group.kind == "list" and template and len(group.goals) > 1:
            self._split_by_number(group, focus)  # "Mål:" over a list, then "Ad N" paragraphs
            return
        if group.kind in ("list", "table"):
            if len(group.goals) == 1 and group.body:
                group.goals[0].body += group.body
                group.body = []
            self._place(group.goals, focus, group)
            if group.after is not None:
                focus.unassigned.append(group.after)
            focus.unassigned.extend(group.body)
            return
        if not group.goals:
            self.warn(
                group.body[0] if group.body else None,
                f"fokusområde {focus.number} ('{focus.title[:40]}') har ingen mål",
            )
            focus.unassigned.extend(group.body)
            return
        if len(group.goals) == 1:
            group.goals[0].body = group.goals[0].body + group.body
            self._place(group.goals, focus, group)
            return
        self._split_by_number(group, focus)

    def _headed_goal(self, heading: str, texts: list[str]) -> str:
        """A heading that names a goal, with the sentence of its section that states the
        ambition when there is one ("Flere unge i uddannelse: Byrådet har en ambition om …")."""
        for text in texts[:3]:
            for sentence in _SENTENCE.split(text):
                words = sentence.casefold().split()
                states_goal = any(w.startswith(("ambition", "målsætning")) for w in words) or (
                    "skal" in words and any(w.startswith("mål") for w in words)
                )
                if states_goal and len(words) <= 40 and not self.judge([sentence]):
                    return f"{heading.rstrip(' :.')}: {sentence.strip()}"
        return heading

    def _split_by_number(self, group: _Group, focus: _Focus) -> None:
        """Several goals share one status text: 'Ad N' paragraphs belong to goal N."""
        by_number: dict[int, list[Paragraph]] = {}
        current: int | None = None
        loose: list[Paragraph] = []
        for p in group.body:
            match = self.lex.assessment_prefix.match(p.text)
            if match and p.kind != "list-item":
                n = int(match.group("n"))
                if n in by_number and by_number[n] and current != n:
                    self.warn(p, f"'Ad {n}' står to gange i fokusområde {focus.number}")
                current = n
                by_number.setdefault(n, [])
            if current is None:
                loose.append(p)
            else:
                by_number[current].append(p)
        goals = group.goals
        if loose and not by_number:
            self.warn(
                loose[0],
                f"statusteksten i fokusområde {focus.number} er ikke delt op i 'Ad N'; den gemmes, men knyttes ikke til et mål",
            )
        for n, paragraphs in sorted(by_number.items()):
            if 1 <= n <= len(goals):
                goals[n - 1].body.extend(paragraphs)
            else:
                self.warn(paragraphs[0] if paragraphs else None,
                          f"'Ad {n}' i fokusområde {focus.number} hører ikke til noget mål "
                          f"(fokusområdet har {len(goals)} mål); vurderingen knyttes ikke til et mål")  # fmt: skip
                loose.extend(paragraphs)
        self._place(goals, focus, group)
        focus.unassigned.extend(loose)
        for offset, goal in enumerate(goals, start=1):
            if not goal.body and (by_number or loose):
                number = len(focus.goals) - len(goals) + offset
                self.warn(
                    goal.paragraph,
                    f"mål {focus.number}.{number} har ingen vurdering ('Ad {offset}')",
                )

    def _place(self, goals: list[_Goal], focus: _Focus, group: _Group) -> None:
        prefix_numbers = (
            group.kind in ("field", "list")
            and len(goals) > 1
            and any(self.lex.assessment_prefix.match(p.text) for p in group.body)
            or (group.kind == "field" and len(goals) > 1)
        )
        for offset, draft in enumerate(goals, start=1):
            number = len(focus.goals) + 1
            draft.paragraph.section = f"Fokusområde {focus.number}, Mål {number}"
            body = [p for p in draft.body if p is not draft.paragraph]
            for p in body:
                match = self.lex.assessment_prefix.match(p.text)
                k = (
                    int(match.group("n"))
                    if (match and prefix_numbers)
                    else (offset if prefix_numbers else number)
                )
                p.section = f"Fokusområde {focus.number}, Ad {k}"
            assessment = None
            if draft.body or draft.status or draft.progress:
                assessment = Assessment(
                    number if not prefix_numbers else offset, list(draft.body) or [draft.paragraph]
                )
                if draft.status:
                    assessment.status_text = draft.status[-1][0]
                    assessment.verdict_paragraph = draft.status[-1][1]
                assessment.progress = draft.progress
                if group.after is not None and group.kind == "list":
                    assessment.joint_verdict = group.after
            goal = Goal(number, draft.paragraph, assessment, statement=draft.statement)
            focus.goals.append(goal)

    # ------------------------------------------------------------------ results

    def _focus_area(self, focus: _Focus) -> FocusArea:
        if not focus.goals and focus.explicit:
            self.warn(
                focus.paragraph, f"fokusområde {focus.number} ('{focus.title[:40]}') har ingen mål"
            )
        return FocusArea(
            number=focus.number,
            title=focus.title,
            title_paragraph=focus.paragraph,
            service_area_code=focus.service[0],
            service_area_name=focus.service[1],
            goals=focus.goals,
            plan=focus.plan,
            plan_paragraph=focus.plan_paragraph,
            unassigned=focus.unassigned,
        )

    def _legend(self) -> dict[str, str]:
        """'grøn (opfyldt), gul (delvist opfyldt) og rød (ikke opfyldt)' or 'grøn = opfyldt'."""
        legend: dict[str, str] = {}
        colours = "|".join(sorted(self.lex.colours, key=len, reverse=True))
        pattern = re.compile(
            rf"\b({colours})\w*\s*(?:\(([^)]{{3,40}})\)|[=:–-]\s*([a-zæøå ]{{3,30}}))", re.I
        )
        for p in self.paragraphs:
            for match in pattern.finditer(p.text):
                meaning = (match.group(2) or match.group(3) or "").strip()
                verdict = self.lex.status_cell(meaning)
                if verdict is not None:
                    legend[match.group(1).casefold()] = verdict
        return legend


def _service_area(text: str) -> tuple[str | None, str | None]:
    """'17 Forsørgelse og Beskæftigelse' → ('17', 'Forsørgelse og Beskæftigelse')."""
    match = re.match(r"^(\d{1,3})\s*[-–.:]?\s*(.*)$", text.strip())
    if match:
        return match.group(1), match.group(2) or None
    return None, text.strip() or None


def read_layout(doc: BlockDocument, judge: Judge) -> Layout:
    """The structure of a document read into blocks."""
    layout = LayoutReader(doc, judge).read()
    return layout


__all__ = ["AgendaDraft", "Judge", "Layout", "LayoutReader", "first_sentence", "read_layout"]
