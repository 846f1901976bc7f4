"""The block model every reader produces, whatever the file format.

A document is a flat sequence of blocks — heading (with level), label–value field,
paragraph, list item, table row (with its header cells) — each with a :class:`Locator`
saying where it stands (page, line, table, row, cell). The layout reader works on blocks
only, so a new format needs a reader and nothing else, and provenance reads the same for
every format: "side 3, tabel 1, række 2".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ..model import Locator


class BlockKind(str, Enum):
    HEADING = "heading"
    FIELD = "field"  # "Status: Opfyldt", "Mål<TAB>…": a label and its value
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    TABLE_ROW = "table-row"


@dataclass(frozen=True)
class Block:
    """One unit of a document's text with its place."""

    kind: BlockKind
    text: str  # FIELD: the value; TABLE_ROW: the cells joined by " | "
    locator: Locator
    level: int = 0  # HEADING: 1 = title … 6; LIST_ITEM: nesting depth from 1
    label: str = ""  # FIELD: the label as written ("Status")
    cells: tuple[str, ...] = ()  # TABLE_ROW: the row's cells
    headers: tuple[str, ...] = ()  # TABLE_ROW: the header cells of its table
    note: str = ""  # LIST_ITEM: an indented line below the item ("  Målet er opfyldt.")
    part: int = 0  # > 0: the n-th further paragraph of the field value before it

    @property
    def full_text(self) -> str:
        """The text as a reader sees it: a field with its label, an item with its note."""
        if self.kind is BlockKind.FIELD:
            return f"{self.label}: {self.text}" if self.text else self.label
        if self.note:
            return f"{self.text} {self.note}"
        return self.text


@dataclass
class BlockDocument:
    """What a reader makes of one file."""

    path: Path
    format: str  # "txt", "md", "html", "docx", "pdf"
    sha256: str
    blocks: list[Block]
    pages: int | None = None  # PDF page count (other formats: None)
    title_hint: str | None = None  # <title>, document properties
    warnings: list[str] = field(default_factory=list)


__all__ = ["Block", "BlockDocument", "BlockKind", "Locator"]
