"""HTML (``.html``/``.htm``): saved web pages and agenda-portal pages, read with lxml.

Navigation, page headers and footers, scripts, forms and cookie banners are dropped; the
page's ``<main>`` (or ``<article>``) is read when it has one. Headings, paragraphs, list
items, definition lists (as fields) and tables (rows with their header cells) become blocks,
each with the source line lxml reports.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from ..blocks import Block, BlockKind, Locator
from ..markup import element_text
from .colours import colour_name, colour_of_style
from .lines import field_parts, is_form

_DROP_TAGS = ("nav", "header", "footer", "script", "style", "noscript", "template", "form",
              "aside", "button", "select", "svg", "iframe", "object")  # fmt: skip
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navigation|navbar|menu|breadcrumbs?|footer|header|cookie|banner|"
    r"skip|sidebar|share|social|print)(?:$|[\s_-])",
    re.I,
)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "body", "blockquote", "ul", "ol", "li",
               "table", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figure",
               "figcaption", "address", "center", "tr", "td", "th", "thead", "tbody", "tfoot"}  # fmt: skip


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    """A cell's text; an empty cell coloured green, yellow or red says its colour."""
    text = element_text(cell)
    if text:
        return text
    marked = [cell, *cell.iterdescendants()]
    for element in marked:
        if isinstance(element.tag, str):
            name = colour_of_style(element.get("style"), element.get("class")) or colour_name(
                element.get("bgcolor")
            )
            if name:
                return name
    return ""


def _all_strong(element: lxml.html.HtmlElement, text: str) -> bool:
    """A short paragraph set wholly in bold is a heading."""
    strong = [c for c in element if isinstance(c.tag, str) and c.tag in ("strong", "b")]
    if len(strong) != 1 or (element.text or "").strip() or (strong[0].tail or "").strip():
        return False
    words = text.split()
    return 0 < len(words) <= 12 and not re.search(r"[.:;,]$", text)


def _is_chrome(element: lxml.html.HtmlElement) -> bool:
    if element.tag in _DROP_TAGS:
        return True
    role = (element.get("role") or "").casefold()
    if role in ("navigation", "banner", "contentinfo", "search", "complementary"):
        return True
    if element.tag in ("div", "section", "ul", "span", "p"):
        marks = f"{element.get('id') or ''} {element.get('class') or ''}"
        # a "page-header" that holds the page's title is content, not chrome
        return bool(_CHROME.search(marks)) and element.find(".//h1") is None
    return False


def _has_block_children(element: lxml.html.HtmlElement) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in element)


class _HtmlReader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.tables = 0
        self.depth = 0

    def add(
        self, kind: BlockKind, text: str, element: lxml.html.HtmlElement, **extra: object
    ) -> None:
        if text or (kind is BlockKind.FIELD and extra.get("label")):
            locator = Locator(line=element.sourceline)
            self.blocks.append(Block(kind, text, locator, **extra))  # type: ignore[arg-type]

    def paragraph(self, element: lxml.html.HtmlElement, text: str) -> None:
        if _all_strong(element, text):
            self.add(BlockKind.HEADING, text, element, level=4)  # "<p><b>Beslutning</b></p>"
            return
        parts = field_parts(text)
        strong = (
            element.find(".//strong")
            if element.find(".//strong") is not None
            else element.find(".//b")
        )
        if parts is None and strong is not None and element.text is None:
            label = element_text(strong).rstrip(":").strip()
            rest = text[len(element_text(strong)) :].lstrip(" :")
            if label and rest and len(label.split()) <= 6 and text.startswith(label):
                parts = (label, rest)
        if parts:
            self.add(BlockKind.FIELD, parts[1], element, label=parts[0])
        else:
            self.add(BlockKind.PARAGRAPH, text, element)

    def walk(self, element: lxml.html.HtmlElement) -> None:
        for child in element:
            if not isinstance(child.tag, str) or _is_chrome(child):
                continue
            tag = child.tag
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.add(BlockKind.HEADING, element_text(child), child, level=int(tag[1]))
            elif tag in ("ul", "ol"):
                self.depth += 1
                self.walk(child)
                self.depth -= 1
            elif tag == "li":
                self.item(child)
            elif tag == "table":
                self.table(child)
            elif tag == "dl":
                self.definitions(child)
            elif tag in ("p", "div", "section", "article", "main", "blockquote", "figure", "center",
                         "address", "pre", "figcaption", "span", "font", "td", "th", "tbody", "tr"):  # fmt: skip
                if _has_block_children(child):
                    self.loose_text(child)
                    self.walk(child)
                else:
                    self.paragraph(child, element_text(child))
            elif tag not in ("br", "hr", "img", "head", "title", "meta", "link"):
                text = element_text(child)
                if text:
                    self.paragraph(child, text)

    def loose_text(self, element: lxml.html.HtmlElement) -> None:
        """Text directly inside a container that also holds blocks: '<div>Intro<p>…</p></div>'."""
        text = (element.text or "").strip()
        if text:
            self.paragraph(element, " ".join(text.split()))

    def item(self, element: lxml.html.HtmlElement) -> None:
        nested = [c for c in element if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
        for n in nested:
            element.remove(n)
        # a line break inside an item separates the item from its note ("…<br>Målet er opfyldt.")
        text, note = element_text(element), ""
        breaks = element.findall(".//br")
        if breaks:
            head = lxml.html.fromstring(
                lxml.html.tostring(element, encoding="unicode").split("<br", 1)[0] + "</li>"
            )
            first = element_text(head)
            if first and first != text and re.search(r"[.!?]$", first):
                text, note = first, text[len(first) :].strip()
        self.add(BlockKind.LIST_ITEM, text, element, level=max(1, self.depth), note=note)
        self.depth += 1
        for n in nested:
            self.walk(
                lxml.html.fragment_fromstring(
                    lxml.html.tostring(n, encoding="unicode"), create_parent="div"
                )
            )
        self.depth -= 1

    def definitions(self, element: lxml.html.HtmlElement) -> None:
        label = ""
        for child in element:
            if child.tag == "dt":
                label = element_text(child).rstrip(":")
            elif child.tag == "dd" and label:
                self.add(BlockKind.FIELD, element_text(child), child, label=label)

    def table(self, element: lxml.html.HtmlElement) -> None:
        self.tables += 1
        number = self.tables
        rows = [
            [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            for tr in element.iter("tr")
        ]
        texts = [tuple(element_text(c) for c in r) for r in rows if r]
        if is_form(texts):  # <tr><th>Mål</th><td>…</td></tr>: a form of label–value fields
            for i, (tr_cells, (label, _)) in enumerate(
                zip([r for r in rows if r], texts, strict=True), 1
            ):
                value_cell = tr_cells[1]
                blocks_in = [
                    c for c in value_cell if isinstance(c.tag, str) and c.tag in ("p", "div", "li")
                ]
                values = [t for t in (element_text(c) for c in blocks_in) if t] or [
                    element_text(value_cell)
                ]
                locator = Locator(line=tr_cells[0].sourceline, table=number, row=i)
                self.blocks.append(
                    Block(BlockKind.FIELD, values[0], locator, label=label.rstrip(":"))
                )
                for n, value in enumerate(values[1:], start=1):
                    self.blocks.append(Block(BlockKind.PARAGRAPH, value, locator, part=n))
            return
        headers: tuple[str, ...] = ()
        row_number = 0
        for tr in element.iter("tr"):
            if tr.getparent() is not None and any(
                a.tag == "table" and a is not element for a in tr.iterancestors("table")
            ):
                continue  # a row of a nested table
            cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            row = tuple(_cell_text(c) for c in cells)
            if not any(row):
                continue
            in_head = tr.getparent() is not None and tr.getparent().tag == "thead"
            if in_head or (not headers and row_number == 0 and all(c.tag == "th" for c in cells)):
                headers = row
                continue
            row_number += 1
            self.blocks.append(
                Block(
                    BlockKind.TABLE_ROW,
                    " | ".join(t for t in row if t),
                    Locator(line=tr.sourceline, table=number, row=row_number),
                    cells=row,
                    headers=headers,
                )
            )


def read_html(text: str) -> tuple[list[Block], str | None]:
    """Blocks of a page and its ``<title>``."""
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return [], None
    title_element = root.find(".//title")
    title = element_text(title_element) if title_element is not None else None
    for comment in list(root.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        parent = comment.getparent()
        if parent is not None:  # keep the text after a comment, drop the comment
            tail = comment.tail or ""
            previous = comment.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
            parent.remove(comment)
    body = root.find("body")
    if body is None:
        body = root
    main = body.find(".//main")
    if main is None:
        articles = body.findall(".//article")
        main = articles[0] if len(articles) == 1 else None
    reader = _HtmlReader()
    reader.walk(main if main is not None else body)
    return reader.blocks, title
