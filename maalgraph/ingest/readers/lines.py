"""Blocks from lines of text: the reader of ``.txt`` files, and of the text lines that the PDF
reader lays out. Paragraphs are runs of non-blank lines; a lone short line is a heading; a
line "Label<TAB>value" or "Label: value" is a field; bullets and "1." items are list items;
runs of lines with two or more tabs are table rows."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..blocks import Block, BlockKind, Locator
from ..markup import clean, fragments, unclosed_paragraphs

BULLET = re.compile(
    r"^(?P<indent>[ \t]*)(?P<mark>[-•*–▪·◦○●■□➢►✓\uf0b7\uf0a7]|\(?\d{1,2}[.)]|\(?[a-zæøå][.)])[ \t]+(?P<text>\S.*)$"
)
_FIELD = re.compile(
    r"^[ \t]*(?P<label>[^\t:<>|]{1,60}?)[ \t]*(?:(?P<tab>\t+)|:[ \t]+|:$|[ ]{3,})[ \t]*(?P<value>.*)$"
)
_MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_SENTENCE_END = re.compile(r"[.!?;:,]\s*$")
# a "label" that opens like a sentence is prose with a colon in it
_SENTENCE_OPENERS = {"det", "der", "den", "de", "vi", "i", "og", "men", "som", "hvis", "når", "at",
                     "en", "et", "man", "han", "hun", "hvor", "her", "så", "da", "med", "på"}  # fmt: skip
_TAGGED = re.compile(r"<\s*(?:p|li|ul|ol|div|br)\b", re.I)


@dataclass(frozen=True)
class Line:
    text: str
    locator: Locator  # of the line (line number, or page and line)
    size: float = 0.0  # font size relative to the body text (PDF), 1.0 = body, 0 = unknown
    bold: bool = False


def field_parts(text: str) -> tuple[str, str] | None:
    """(label, value) when a line is a label–value field.

    >>> field_parts("Status: Delvist opfyldt")
    ('Status', 'Delvist opfyldt')
    >>> field_parts("Mål\\t<p>Flere i job</p>")
    ('Mål', '<p>Flere i job</p>')
    >>> field_parts("Møde: 14.02.2023 kl. 15:30")
    ('Møde', '14.02.2023 kl. 15:30')
    >>> field_parts("Det drejer sig om bl.a.: Den Blå Mølle") is None
    True
    """
    match = _FIELD.match(text)
    if not match:
        return None
    label, value = match.group("label").strip(), match.group("value").strip()
    if not label or not label[0].isalpha():
        return None
    if match.group("tab"):
        return label, value
    words = label.split()
    if (
        not label[0].isupper()
        or words[0].casefold() in _SENTENCE_OPENERS
        or len(words) > (6 if value else 4)
        or re.search(r"[,;?!]|\.\s", label)
        or BULLET.match(text)
    ):
        return None
    return label, value


def is_form(rows: list[tuple[str, ...]]) -> bool:
    """A table of label–value rows ('Fokusområde | Færre hjemløse', 'Status | Målet er …'),
    not a table with a header row ('Mål | Status')."""
    if len(rows) < 2 or any(len(r) != 2 for r in rows):
        return False
    if not all(len(r[0].split()) <= 5 and not r[0].endswith(".") for r in rows):
        return False
    long_values = sum(1 for r in rows if len(r[1].split()) > 3 or r[1].endswith("."))
    if long_values * 2 >= len(rows):
        return True
    # short values ("Udvalg | Beskæftigelsesudvalget"): a form when the first column holds
    # labels alike; a header row ("Mål | Status") heads longer cells
    return max(len(r[0].split()) for r in rows[1:]) <= max(2, len(rows[0][0].split()))


def _table_cells(text: str) -> list[str] | None:
    if text.count("\t") < 2:
        return None
    cells = [c.strip() for c in text.strip("\n").split("\t")]
    while cells and not cells[0]:
        cells.pop(0)
    return cells if sum(1 for c in cells if c) >= 3 else None


def _header_line(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 6
        and not _SENTENCE_END.search(text)
        and not BULLET.match(text)
        and field_parts(text) is None
        and text.strip()[0].isupper()
    )


def _groups(lines: Sequence[Line]) -> Iterator[list[Line]]:
    group: list[Line] = []
    for line in lines:
        if line.text.strip():
            group.append(line)
        elif group:
            yield group
            group = []
    if group:
        yield group


def _is_heading_line(line: Line, alone: bool) -> bool:
    text = line.text.strip()
    words = text.split()
    if (
        not words
        or len(words) > 15
        or len(text) > 120
        or not (text[0].isupper() or text[0].isdigit())
    ):
        return False
    if line.size >= 1.15 and len(words) <= 20:
        return True
    if line.size and not line.bold:
        return False  # the font says body text (PDF): a short line is no heading
    if not alone:
        return line.bold and not _SENTENCE_END.search(text)
    if _SENTENCE_END.search(text) and not re.fullmatch(r"\d{1,3}\.", words[0]):
        return False
    if re.search(r"\s[·|•]\s", text):
        return False  # "Nordvig Kommune · Børne- og Ungeudvalget · april 2021": a byline
    return not re.fullmatch(r"[\d.,%\s]+", text)


def _heading_level(text: str, line: Line, first: bool) -> int:
    if first:
        return 1
    if line.size >= 1.6:
        return 1
    if line.size >= 1.3:
        return 2
    numbered = re.match(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s", text)
    if numbered:
        return min(6, 2 + numbered.group(1).count("."))
    return 2


class LineReader:
    """Turns lines into blocks; one instance per document (it counts tables)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.tables = 0
        self._seen_heading = False
        self.warnings: list[str] = []

    def read(self, lines: Sequence[Line]) -> list[Block]:
        for group in _groups(lines):
            self._group(group)
        return self.blocks

    def _emit(self, kind: BlockKind, text: str, locator: Locator, **extra: object) -> None:
        if text or kind is BlockKind.FIELD:
            self.blocks.append(Block(kind, text, locator, **extra))  # type: ignore[arg-type]

    def _heading(self, text: str, line: Line) -> None:
        md = _MD_HEADING.match(text)
        if md:
            level = len(md.group("hashes"))
            text = md.group("text")
        else:
            level = _heading_level(text, line, not self._seen_heading)
        self._seen_heading = True
        self._emit(BlockKind.HEADING, clean(text), line.locator, level=level)

    def _group(self, group: list[Line]) -> None:
        # a table: two or more consecutive lines of three or more tab-separated cells
        rows = [_table_cells(line.text) for line in group]
        if len(group) >= 2 and all(rows):
            self._table(group, [r for r in rows if r])
            return
        first = group[0].text.strip()
        previous = self.blocks[-1] if self.blocks else None
        indent = min(len(g.text) - len(g.text.lstrip()) for g in group)
        if (
            indent >= 4
            and previous is not None
            and (previous.kind is BlockKind.FIELD or previous.part)
            and not BULLET.match(group[0].text)
        ):
            # an indented paragraph under a field: a further paragraph of its value
            part = previous.part + 1
            text = clean(" ".join(g.text.strip() for g in group))
            self._emit(BlockKind.PARAGRAPH, text, group[0].locator, part=part)
            return
        if len(group) > 1 and group[0].size >= 1.15 and all(g.size == group[0].size for g in group):
            # a heading set in a large font over several lines (PDF)
            self._heading(" ".join(g.text.strip() for g in group), group[0])
            return
        opening = (
            not self.blocks
            and len(group) == 1
            and not group[0].size  # plain text; a PDF's fonts tell its title
            and not BULLET.match(group[0].text)
        )
        if opening and len(first.split()) <= 15 and not _SENTENCE_END.search(first):
            self._heading(first, group[0])  # the first line of a text alone: its title
            return
        if len(group) == 1 and group[0].size >= 1.15 and len(first.split()) <= 20:
            self._heading(first, group[0])  # a large font: a heading, colon or not
            return
        if len(group) == 1 and (_MD_HEADING.match(first) or (
            _is_heading_line(group[0], True) and not field_parts(group[0].text)
            and not (BULLET.match(group[0].text) and not re.match(r"^\s*\d{1,3}\.\s", group[0].text))
        )):  # fmt: skip
            self._heading(first, group[0])
            return
        paragraph: list[Line] = []
        item: tuple[Line, list[str], list[str], int] | None = None  # line, text, note, indent
        current_field: tuple[Line, str, list[tuple[Line, str]]] | None = None

        def flush() -> None:
            nonlocal paragraph, item, current_field
            if paragraph:
                self._emit(
                    BlockKind.PARAGRAPH,
                    clean(" ".join(p.text.strip() for p in paragraph)),
                    paragraph[0].locator,
                )
                paragraph = []
            if item is not None:
                line, text, note, indent = item
                self._emit(
                    BlockKind.LIST_ITEM,
                    clean(" ".join(text)),
                    line.locator,
                    level=1 + indent // 2,
                    note=clean(" ".join(note)),
                )
                item = None
            if current_field is not None:
                self._field(*current_field)
                current_field = None

        for index, line in enumerate(group):
            text = line.text
            bullet = BULLET.match(text)
            parts = None if bullet else field_parts(text)
            if (
                index == 0
                and len(group) > 1
                and not bullet
                and not parts
                and _is_heading_line(line, False)
            ):
                self._heading(text.strip(), line)
                continue
            if bullet and current_field is not None and text[:1] in " \t" and item is None:
                current_field[2].append((line, text.strip()))
                continue
            if bullet:
                flush()
                indent = len(bullet.group("indent").expandtabs(4))
                item = (line, [bullet.group("text")], [], indent)
                continue
            if parts and not (item is not None and text[:1].isspace()):
                flush()
                current_field = (line, parts[0], [(line, parts[1])] if parts[1] else [])
                continue
            if item is not None:
                line_, body, note, indent = item
                deeper = len(text) - len(text.lstrip()) > indent
                if deeper and (note or re.search(r"[.!?]\s*$", body[-1])):
                    note.append(text.strip())
                else:
                    body.append(text.strip())
                continue
            if current_field is not None:
                current_field[2].append((line, text.strip()))
                continue
            if (
                paragraph
                and not line.size
                and _header_line(paragraph[-1].text)
                and _header_line(text)
            ):
                # "Økonomiudvalget" / "Referat af ordinært møde": short lines of a header
                # block stand each on its own (prose wraps into longer lines)
                flush()
            paragraph.append(line)
        flush()

    def _field(self, line: Line, label: str, lines: list[tuple[Line, str]]) -> None:
        values = [text for _, text in lines]
        value = "\n".join(values)
        if unclosed := unclosed_paragraphs(value):
            where = line.locator.describe()
            self.warnings.append(f"{where}: {unclosed} <p> er ikke lukket (er teksten afkortet?)")
        if _TAGGED.search(value):
            found = fragments(value)
            first = found[0].text if found else ""
            self._emit(BlockKind.FIELD, first, line.locator, label=clean(label))
            for n, fragment in enumerate(found[1:], start=1):
                kind = BlockKind.LIST_ITEM if fragment.is_list_item else BlockKind.PARAGRAPH
                level = 1 if fragment.is_list_item else 0
                self._emit(kind, fragment.text, line.locator, level=level, part=n)
            return
        items = [v for v in values if BULLET.match(v)]
        if items and len(values) > 1:
            # "Mål<TAB>1. …" then "<TAB>2. …": the value is a list, one block per item
            self._emit(BlockKind.FIELD, clean(values[0]), line.locator, label=clean(label))
            for n, (own, v) in enumerate(lines[1:], start=1):
                bullet = BULLET.match(v)
                kind = BlockKind.LIST_ITEM if bullet else BlockKind.PARAGRAPH
                text = clean(bullet.group("text") if bullet else v)
                self._emit(kind, text, own.locator, level=1, part=n)
            return
        self._emit(BlockKind.FIELD, clean(" ".join(values)), line.locator, label=clean(label))

    def _table(self, group: list[Line], rows: list[list[str]]) -> None:
        self.tables += 1
        headers = tuple(clean(c) for c in rows[0])
        for number, (line, cells) in enumerate(zip(group[1:], rows[1:], strict=True), start=1):
            cleaned = tuple(clean(c) for c in cells)
            locator = Locator(
                line=line.locator.line, page=line.locator.page, table=self.tables, row=number
            )
            self._emit(
                BlockKind.TABLE_ROW,
                " | ".join(c for c in cleaned if c),
                locator,
                cells=cleaned,
                headers=headers,
            )


def text_lines(text: str) -> list[Line]:
    return [Line(t, Locator(line=n)) for n, t in enumerate(text.split("\n"), start=1)]
