"""Word documents (``.docx``) with python-docx: paragraphs and tables in document order.

Heading styles ("Heading 2", "Overskrift 2", "Title") give heading levels; list styles and
numbering give list items; a short paragraph set in bold is a heading; "Label<TAB>value" and
"Label: value" paragraphs are fields. Locators count paragraphs, tables and rows.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ...errors import IngestError
from ...i18n import N_
from ..blocks import Block, BlockKind, Locator
from ..markup import fold_space
from ..reading import RawFile
from .colours import colour_name
from .lines import field_parts, is_form

_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)", re.I)


def _content(document: DocxDocument) -> Iterator[DocxParagraph | Table]:
    """Paragraphs and tables in document order, also inside content controls (``w:sdt``),
    where municipal templates keep their fields."""

    def walk(element: etree._Element) -> Iterator[DocxParagraph | Table]:
        for child in element.iterchildren():
            if isinstance(child, CT_P):
                yield DocxParagraph(child, document._body)
            elif isinstance(child, CT_Tbl):
                yield Table(child, document._body)
            elif child.tag == qn("w:sdt"):
                for content in child.iterchildren(qn("w:sdtContent")):
                    yield from walk(content)

    yield from walk(document.element.body)


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
            N_(
                "not a readable Word document ({reason}); open and save it again in Word or "
                "LibreOffice"
            ),
            path=raw.path,
            reason=str(exc),
        ) from exc
    blocks: list[Block] = []
    number = tables = 0
    for part in _content(document):
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


def _cell_text(cell: _Cell) -> str:
    """A cell's text; an empty cell shaded green, yellow or red says its colour."""
    text = fold_space(cell.text)
    if not text:
        fill = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")
        return colour_name(str(fill[0])) or "" if fill else ""
    return text


def _cell_paragraphs(cell: _Cell) -> list[str]:
    return [fold_space(p.text) for p in cell.paragraphs if p.text.strip()]


def _table(table: Table, number: int) -> list[Block]:
    rows: list[list[_Cell]] = []
    for row in table.rows:
        cells: list[_Cell] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats
                continue
            seen.add(id(cell._tc))
            cells.append(cell)
        rows.append(cells)
    if not rows:
        return []
    texts = [tuple(_cell_text(c) for c in r) for r in rows]
    if is_form(texts):
        # a two-column table of labels and values: a form, read as fields; a value of several
        # paragraphs gives one block per paragraph
        out: list[Block] = []
        for i, (label_cell, value_cell) in enumerate(rows, start=1):
            label = fold_space(label_cell.text).rstrip(":")
            values = _cell_paragraphs(value_cell) or [""]
            locator = Locator(table=number, row=i)
            out.append(Block(BlockKind.FIELD, values[0], locator, label=label))
            out += [
                Block(BlockKind.PARAGRAPH, v, locator, part=n) for n, v in enumerate(values[1:], 1)
            ]
        return out
    headers, body = texts[0], texts[1:]
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
