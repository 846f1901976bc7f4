"""Inline markup in text: ``<p>``/``<li>`` fragments inside a text file's field values, entities,
*emphasis* and ``**strong**`` — read with lxml's HTML parser, never with regular expressions
(an attribute value such as ``class="a>b"`` or a comment would leak text otherwise)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

_TAG_HINT = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|<!--")
_EMPHASIS = re.compile(r"(\*{1,2}|__?)(?=\S)(.+?)(?<=\S)\1")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f]+")
_PARAGRAPH_TAGS = {"p", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}


@dataclass(frozen=True)
class Fragment:
    """A paragraph found in a piece of markup."""

    text: str
    is_list_item: bool = False


def fold_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def strip_emphasis(text: str) -> str:
    """Markdown-style emphasis markers removed.

    >>> strip_emphasis("Målet er *delvis* opfyldt, **ikke** _helt_")
    'Målet er delvis opfyldt, ikke helt'
    """
    return _EMPHASIS.sub(r"\2", text)


def element_text(element: lxml.html.HtmlElement) -> str:
    """The visible text of an element (comments, scripts and styles left out), spaces folded."""
    parts: list[str] = []

    def walk(node: lxml.html.HtmlElement) -> None:
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "template"):
            if node.tail:
                parts.append(node.tail)
            return
        block = node.tag in _PARAGRAPH_TAGS or node.tag in (
            "br",
            "td",
            "th",
            "ul",
            "ol",
            "dt",
            "dd",
        )
        if block:
            parts.append(" ")  # "<p>a</p><p>b</p>" reads "a b", not "ab"
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append(" ")
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    return fold_space("".join(parts))


def clean(text: str) -> str:
    """Markup removed, entities unescaped, emphasis and whitespace folded.

    >>> clean("<b>Målet</b> er  *delvis* opfyldt &amp; mere")
    'Målet er delvis opfyldt & mere'
    >>> clean('<p class="a>b">Tekst</p><!-- skjult -->')
    'Tekst'
    """
    if _TAG_HINT.search(text):
        return " ".join(f.text for f in fragments(text))
    return fold_space(strip_emphasis(html.unescape(text)))


def fragments(markup: str) -> list[Fragment]:
    """The paragraphs of an HTML fragment: each ``<p>``/``<li>`` one, loose text one more.

    >>> [f.text for f in fragments("<p>A &amp; B</p> <p>C")]
    ['A & B', 'C']
    >>> fragments("<ul><li>punkt</li></ul>")
    [Fragment(text='punkt', is_list_item=True)]
    """
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return [Fragment(fold_space(html.unescape(re.sub(r"<[^>]*>", " ", markup))))]
    out: list[Fragment] = []
    loose: list[str] = []

    def flush() -> None:
        text = fold_space(strip_emphasis(" ".join(loose)))
        if text:
            out.append(Fragment(text))
        loose.clear()

    def walk(node: lxml.html.HtmlElement) -> None:
        if node.text:
            loose.append(node.text)
        for child in node:
            if not isinstance(child.tag, str):  # a comment or processing instruction
                if child.tail:
                    loose.append(child.tail)
                continue
            if child.tag in _PARAGRAPH_TAGS and not child.xpath(
                ".//p|.//li|.//div|.//tr|.//blockquote"
            ):
                flush()
                text = strip_emphasis(element_text(child))
                if text:
                    out.append(Fragment(text, child.tag == "li"))
            elif child.tag in _PARAGRAPH_TAGS or child.tag in ("ul", "ol", "table", "tbody"):
                flush()
                walk(child)
                flush()
            elif child.tag not in ("script", "style", "template"):
                if child.tag == "br":
                    loose.append(" ")
                walk_inline(child)
            if child.tail:
                loose.append(child.tail)

    def walk_inline(node: lxml.html.HtmlElement) -> None:
        loose.append(element_text(node))

    walk(root)
    flush()
    return out


def unclosed_paragraphs(markup: str) -> int:
    """How many ``<p>`` elements are opened and not closed (a sign of a truncated export)."""
    opened = len(re.findall(r"<p[\s>]", markup, re.I))
    closed = len(re.findall(r"</p\s*>", markup, re.I))
    return max(0, opened - closed)
