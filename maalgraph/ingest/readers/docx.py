"""Word documents (``.docx``) with python-docx: paragraphs and tables in document order.

Heading styles ("Heading 2", "Overskrift 2", "Title") give heading levels; list styles and
numbering give list items; a short paragraph set in bold is a heading; "Label<TAB>value" and
"Label: value" paragraphs are fields. Locators count paragraphs, tables and rows.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from ...errors import IngestError
from ..blocks import Block, BlockKind, Locator
from ..markup import fold_space
from ..reading import RawFile
from .lines import field_parts

_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)", re.I)


def _style_name(paragraph: DocxParagraph) -> str:
    try:
        return paragraph.style.name if paragraph.style is not None and paragraph.style.name else ""
    except (KeyError, ValueError):
        return ""


def _is_list(paragraph: DocxParagraph, style: str) -> bool:
    ppr = paragraph._p.pPr
    return bool(re.search(r"list|liste|punkt|bullet|opstilling", style, re.I)) or (
        ppr is not None and ppr.numPr is not None
    )


def _all_bold(paragraph: DocxParagraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def read_docx(raw: RawFile) -> tuple[list[Block], str | None]:
    try:
        document = docx.Document(io.BytesIO(raw.data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(
            f"not a readable Word document ({exc}); open and save it again in Word or LibreOffice",
            path=raw.path,
        ) from exc
    blocks: list[Block] = []
    number = tables = 0
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            tables += 1
            blocks.extend(_table(part, tables))
            continue
        number += 1
        raw_text = part.text.replace("\r", "\n")
        lines = [line for line in raw_text.split("\n")]
        text = fold_space(" ".join(lines)) if "\t" not in raw_text else raw_text.strip()
        if not text.strip():
            continue
        locator = Locator(paragraph=number)
        style = _style_name(part)
        heading = _HEADING_STYLE.match(style)
        if heading or style.casefold() in ("title", "titel"):
            level = int(heading.group(1)) if heading else 1
            blocks.append(Block(BlockKind.HEADING, fold_space(text), locator, level=level))
        elif _is_list(part, style):
            head, note = fold_space(lines[0]), fold_space(" ".join(lines[1:]))
            if not note or not re.search(r"[.!?]$", head):
                head, note = fold_space(" ".join(lines)), ""
            level = 1
            ilvl = part._p.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
            if ilvl and str(ilvl[0]).isdigit():
                level = int(str(ilvl[0])) + 1
            blocks.append(Block(BlockKind.LIST_ITEM, head, locator, level=level, note=note))
        elif (parts := field_parts(text)) is not None:
            blocks.append(Block(BlockKind.FIELD, fold_space(parts[1]), locator, label=parts[0]))
        elif _all_bold(part) and len(text.split()) <= 15 and not re.search(r"[.:;,]$", text):
            blocks.append(Block(BlockKind.HEADING, fold_space(text), locator, level=2))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, fold_space(text), locator))
    title = document.core_properties.title or None
    return blocks, title


def _table(table: Table, number: int) -> list[Block]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats
                continue
            seen.add(id(cell._tc))
            cells.append(fold_space(cell.text))
        rows.append(tuple(cells))
    if not rows:
        return []
    if len(rows[0]) == 2 and all(len(r) == 2 for r in rows) and not _looks_like_header(rows[0]):
        # a two-column table of labels and values: a form, read as fields
        return [
            Block(BlockKind.FIELD, value, Locator(table=number, row=i), label=label)
            for i, (label, value) in enumerate(rows, start=1)
            if label or value
        ]
    headers, body = rows[0], rows[1:]
    return [
        Block(
            BlockKind.TABLE_ROW,
            " | ".join(c for c in cells if c),
            Locator(table=number, row=i),
            cells=cells,
            headers=headers,
        )
        for i, cells in enumerate(body, start=1)
        if any(cells)
    ]


def _looks_like_header(row: tuple[str, ...]) -> bool:
    """'Mål | Status' heads a table; 'Fokusområde | Unge i job' is a form's first field."""
    return all(len(c.split()) <= 3 for c in row) and not any(c.endswith(".") for c in row)
