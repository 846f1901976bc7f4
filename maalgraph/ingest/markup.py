"""Split field values into paragraphs: ``<p>`` HTML, or plain text with bullets and *emphasis*."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_P_BLOCK = re.compile(r"<(p|li)\b[^>]*>(.*?)(?:</\1\s*>|(?=<(?:p|li)\b)|$)", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_BULLET = re.compile(r"^\s*(?:[-•*–▪·]|\d{1,2}[.)])\s+")
_EMPHASIS = re.compile(r"(\*{1,2}|_)(?=\S)(.+?)(?<=\S)\1")
_SPACE = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class RawParagraph:
    line: int
    text: str
    is_list_item: bool = False


def clean(text: str) -> str:
    """Remove markup, unescape entities and fold whitespace.

    >>> clean("<b>Målet</b> er  *delvis* opfyldt &amp; mere")
    'Målet er delvis opfyldt & mere'
    """
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _EMPHASIS.sub(r"\2", text)
    return _SPACE.sub(" ", text).strip()


def split_paragraphs(lines: list[tuple[int, str]]) -> tuple[list[RawParagraph], list[str]]:
    """Paragraphs of a field value given as (line number, text) pairs; also problems found.

    ``<p>``/``<li>`` elements become paragraphs; plain text splits on blank lines, and each
    bullet line is a paragraph of its own.
    """
    problems: list[str] = []
    joined = "\n".join(text for _, text in lines)
    if re.search(r"<(p|li)\b", joined, re.I):
        return _split_html(lines, problems), problems
    return _split_plain(lines), problems


def _split_html(lines: list[tuple[int, str]], problems: list[str]) -> list[RawParagraph]:
    out: list[RawParagraph] = []
    for number, text in lines:
        for match in _P_BLOCK.finditer(text):
            body = clean(match.group(2))
            if not match.group(0).lower().rstrip().endswith(f"</{match.group(1).lower()}>"):
                problems.append(f"line {number}: <{match.group(1)}> is not closed")
            if body:
                out.append(RawParagraph(number, body, match.group(1).lower() == "li"))
        outside = clean(_P_BLOCK.sub(" ", text))
        if outside:
            out.append(RawParagraph(number, outside))
    return out


def _split_plain(lines: list[tuple[int, str]]) -> list[RawParagraph]:
    out: list[RawParagraph] = []
    current: list[str] = []
    start = 0

    def flush() -> None:
        nonlocal current
        text = clean(" ".join(current))
        if text:
            out.append(RawParagraph(start, text))
        current = []

    for number, text in lines:
        if not text.strip():
            flush()
        elif _BULLET.match(text):
            flush()
            body = clean(_BULLET.sub("", text, count=1))
            if body:
                out.append(RawParagraph(number, body, True))
        else:
            if not current:
                start = number
            current.append(text)
    flush()
    return out
