"""PDF with a text layer, read with pdfplumber (pdfminer.six underneath).

Text lines are laid out as a text file would be: a wider vertical gap is a blank line, the
left indent becomes leading spaces, and each line keeps its font size relative to the body
text and whether it is bold — so the line reader finds headings, fields, list items and
paragraphs as in a ``.txt`` file. Ruled tables become table rows. Running headers and
footers (the same line at the top or bottom of most pages) are dropped. A PDF with no text
at all is a scan: it needs OCR first.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import PdfminerException

from ...errors import IngestError
from ...i18n import N_
from ..blocks import Block, BlockKind, Locator
from ..reading import RawFile
from .lines import Line, LineReader, is_form

_CID_BULLET = re.compile(r"^\s*\(cid:\d+\)\s*")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().casefold())


def read_pdf(raw: RawFile) -> tuple[list[Block], int, str | None]:
    """Blocks, page count and the document's title property."""
    try:
        pdf = pdfplumber.open(io.BytesIO(raw.data))
    except (PdfminerException, PDFSyntaxError, ValueError, TypeError) as exc:
        raise IngestError(
            N_(
                "not a readable PDF ({reason}); open and save it again, or export it from its "
                "source program"
            ),
            path=raw.path,
            reason=type(exc).__name__,
        ) from exc
    with pdf:
        try:
            pages = _pages(pdf)
        except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
            raise IngestError(
                N_("the PDF cannot be read ({reason})"),
                path=raw.path,
                reason=f"{type(exc).__name__}: {exc}",
            ) from exc
        title = pdf.metadata.get("Title") if isinstance(pdf.metadata, dict) else None
        page_count = len(pdf.pages)
    if not any(lines for lines, _ in pages):
        raise IngestError(
            N_(
                "the PDF has no text layer (it is a scanned image); it needs OCR before "
                "maalgraph can read it, e.g. ocrmypdf IN.pdf OUT.pdf"
            ),
            path=raw.path,
        )
    return _blocks(pages), page_count, str(title) if title else None


PageLines = list[dict[str, Any]]
PageTables = list[tuple[float, list[list[str]]]]


def _pages(pdf: PDF) -> list[tuple[PageLines, PageTables]]:
    out = []
    for page in pdf.pages:
        tables: PageTables = []
        boxes = []
        if page.rects or page.lines:  # only ruled tables; text-only pages skip the search
            for table in page.find_tables():
                rows = [[" ".join((c or "").split()) for c in row] for row in table.extract()]
                rows = [r for r in rows if any(r)]
                if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                    tables.append((table.bbox[1], rows))
                    boxes.append(table.bbox)
        lines = []
        for line in page.extract_text_lines(strip=True, return_chars=True):
            mid_x = (line["x0"] + line["x1"]) / 2
            mid_y = (line["top"] + line["bottom"]) / 2
            if any(b[0] <= mid_x <= b[2] and b[1] <= mid_y <= b[3] for b in boxes):
                continue
            chars = line.get("chars") or []
            sizes = [round(c.get("size", 0), 1) for c in chars if c.get("text", " ").strip()]
            bold = sum(1 for c in chars if _BOLD.search(c.get("fontname", "")))
            # a glyph without a Unicode mapping: at the start of a line it is a bullet
            text = re.sub(r"\(cid:\d+\)", "", _CID_BULLET.sub("• ", line["text"])).strip()
            if not text:
                continue
            lines.append(
                {
                    "text": text,
                    "x0": line["x0"],
                    "top": line["top"],
                    "bottom": line["bottom"],
                    "size": Counter(sizes).most_common(1)[0][0] if sizes else 0.0,
                    "bold": bool(chars) and bold >= 0.8 * len(chars),
                    "chars": len(sizes),
                }
            )
        out.append((lines, tables))
    return out


def _running_lines(pages: list[tuple[PageLines, PageTables]]) -> set[str]:
    """Texts that head or foot most pages: page numbers, document names."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines, _ in pages:
        ends = {_norm(line["text"]) for line in lines[:2] + lines[-2:]}
        counts.update(ends)
    least = len(pages) if len(pages) <= 3 else max(3, len(pages) // 2)
    return {text for text, n in counts.items() if n >= least}


def _blocks(pages: list[tuple[PageLines, PageTables]]) -> list[Block]:
    running = _running_lines(pages)
    sizes: Counter[float] = Counter()
    for lines, _ in pages:
        for line in lines:
            if _norm(line["text"]) not in running:  # page numbers are set small
                sizes[line["size"]] += line["chars"]
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    margin = min((line["x0"] for lines, _ in pages for line in lines), default=0.0)
    reader = LineReader()
    previous_text = ""
    previous_size = 0.0
    out: list[Line] = []
    for page_number, (lines, tables) in enumerate(pages, start=1):
        kept = [line for line in lines if _norm(line["text"]) not in running]
        events: list[tuple[float, int, Any]] = [(line["top"], 0, line) for line in kept]
        events += [(top, 1, rows) for top, rows in tables]
        events.sort(key=lambda e: (e[0], e[1]))
        last_bottom: float | None = None
        last_height = 0.0
        line_number = 0
        first_on_page = True
        for _, kind, item in events:
            if kind == 1:
                reader.read(out)
                out.clear()
                _add_table(reader, item, page_number)
                last_bottom = None
                continue
            line_number += 1
            height = max(1.0, item["bottom"] - item["top"])
            if first_on_page:
                joins = (
                    previous_text
                    and not re.search(r"[.!?:]$", previous_text)
                    and item["text"][:1].islower()
                )
                if not joins:
                    out.append(Line("", Locator(page=page_number)))
                first_on_page = False
            elif last_bottom is not None and item["top"] - last_bottom > 0.6 * max(
                height, last_height
            ):
                out.append(Line("", Locator(page=page_number)))
            relative = item["size"] / body if body else 0.0
            if out and (relative >= 1.15 or previous_size >= 1.15) and relative != previous_size:
                out.append(Line("", Locator(page=page_number)))  # a heading is a group of its own
            indent = " " * max(0, round((item["x0"] - margin) / 4))
            out.append(
                Line(
                    indent + item["text"],
                    Locator(page=page_number, line=line_number),
                    size=relative,
                    bold=item["bold"],
                )
            )
            previous_size = relative
            last_bottom, last_height = item["bottom"], height
            previous_text = item["text"]
    reader.read(out)
    return reader.blocks


def _add_table(reader: LineReader, rows: list[list[str]], page: int) -> None:
    reader.tables += 1
    number = reader.tables
    headers = tuple(rows[0])
    if is_form([tuple(r) for r in rows]):
        for i, (label, value) in enumerate(rows, start=1):
            reader.blocks.append(
                Block(BlockKind.FIELD, value, Locator(page=page, table=number, row=i), label=label)
            )
        return
    for i, cells in enumerate(rows[1:], start=1):
        reader.blocks.append(
            Block(
                BlockKind.TABLE_ROW,
                " | ".join(c for c in cells if c),
                Locator(page=page, table=number, row=i),
                cells=tuple(cells),
                headers=headers,
            )
        )
