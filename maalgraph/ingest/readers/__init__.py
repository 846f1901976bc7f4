"""The readers: one per file format, each turning a file into the same block model.

==========  =====================  =======================================================
format      suffixes               reader (library, licence)
==========  =====================  =======================================================
txt         .txt, .text, (other)   lines → blocks (maalgraph), charset-normalizer (MIT)
md          .md, .markdown         markdown-it-py (MIT)
html        .html, .htm, .xhtml    lxml (BSD-3-Clause)
docx        .docx                  python-docx (MIT)
pdf         .pdf                   pdfplumber (MIT) on pdfminer.six (MIT)
==========  =====================  =======================================================

The format is read from the file's first bytes when they say it (``%PDF``, a Word zip,
``<html``), else from its suffix. ``maalgraph formats`` prints this table.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from ...errors import IngestError
from ...i18n import N_
from ..blocks import Block, BlockDocument
from ..reading import (
    DEFAULT_MAX_BYTES,
    MAX_LINE_CHARS,
    MAX_PARAGRAPH_CHARS,
    RawFile,
    decode_text,
    read_file,
)


@dataclass(frozen=True)
class Format:
    """A file format maalgraph reads."""

    name: str
    suffixes: tuple[str, ...]
    description: str  # in Danish, for `maalgraph formats`
    library: str
    licence: str


FORMATS = (
    Format("txt", (".txt", ".text"), "tekst (UTF-8, cp1252, latin-1, UTF-16)", "charset-normalizer", "MIT"),
    Format("md", (".md", ".markdown"), "Markdown (overskrifter, lister, tabeller)", "markdown-it-py", "MIT"),
    Format("html", (".html", ".htm", ".xhtml"), "websider og dagsordenportaler (navigation og sidefod fjernes)", "lxml", "BSD-3-Clause"),
    Format("docx", (".docx",), "Word-dokumenter (typografier, lister, tabeller)", "python-docx", "MIT"),
    Format("pdf", (".pdf",), "PDF med tekstlag (scannede PDF'er skal have OCR først)", "pdfplumber / pdfminer.six", "MIT"),
)  # fmt: skip
_BY_SUFFIX = {suffix: f.name for f in FORMATS for suffix in f.suffixes}
_REFUSED_SUFFIXES = {
    ".doc": N_("cannot read old Word format (.doc); save it as .docx or PDF"),
    ".odt": N_("cannot read OpenDocument text (.odt); save it as .docx or PDF"),
    ".rtf": N_("cannot read RTF; save it as .docx or PDF"),
    ".xlsx": N_("cannot read a spreadsheet; maalgraph reads documents (txt, md, html, docx, pdf)"),
    ".xls": N_("cannot read a spreadsheet; maalgraph reads documents (txt, md, html, docx, pdf)"),
    ".pptx": N_("cannot read a presentation; save it as PDF"),
}


def detect_format(raw: RawFile) -> str:
    """The format of a file, from its content where that is clear, else from its suffix."""
    head = raw.data[:1024].lstrip()
    if raw.data.startswith(b"%PDF") or head.startswith(b"%PDF"):
        return "pdf"
    if raw.data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(raw.data)).namelist()
        except zipfile.BadZipFile:
            names = []
        if "word/document.xml" in names:
            return "docx"
        suffix = raw.path.suffix.casefold()
        problem = _REFUSED_SUFFIXES.get(suffix, N_("cannot read a zip archive, not a document"))
        raise IngestError(problem, path=raw.path)
    suffix = raw.path.suffix.casefold()
    if suffix in _REFUSED_SUFFIXES:
        raise IngestError(_REFUSED_SUFFIXES[suffix], path=raw.path)
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    sniff = head[:512].decode("latin-1").casefold()
    if re.match(r"(?:<\?xml[^>]*>\s*)?<!doctype html|<html", sniff):
        return "html"
    return "txt"


def read_blocks(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> BlockDocument:
    """Read any supported file into blocks, or raise :class:`IngestError` naming the problem."""
    raw = read_file(path, max_bytes=max_bytes)
    fmt = detect_format(raw)
    warnings: list[str] = []
    pages: int | None = None
    title: str | None = None
    if fmt == "pdf":
        from .pdf import read_pdf

        blocks, pages, title = read_pdf(raw)
    elif fmt == "docx":
        from .docx import read_docx

        blocks, title = read_docx(raw)
    else:
        text, warnings = decode_text(raw)
        if fmt == "txt":
            lengths = (len(line) for line in text.split("\n"))
            long_line = next((i for i, n in enumerate(lengths, 1) if n > MAX_LINE_CHARS), None)
            if long_line is not None:
                raise IngestError(
                    _TOO_LONG, path=raw.path, line=long_line, limit=MAX_PARAGRAPH_CHARS
                )
        blocks, title, found = _read_text(fmt, text)
        warnings += found
    _check_lengths(raw.path, blocks)
    if not blocks:
        raise IngestError(
            N_("no readable text found in the document; is it empty or an image?"), path=raw.path
        )
    return BlockDocument(raw.path, fmt, raw.sha256, blocks, pages, title, warnings)


def _read_text(fmt: str, text: str) -> tuple[list[Block], str | None, list[str]]:
    if fmt == "md":
        from .markdown import read_markdown

        return read_markdown(text), None, []
    if fmt == "html":
        from .html import read_html

        blocks, title = read_html(text)
        return blocks, title, []
    from .lines import LineReader, text_lines

    reader = LineReader()
    return reader.read(text_lines(text)), None, reader.warnings


_TOO_LONG = N_(
    "a paragraph of more than {limit} characters: maalgraph reads documents made of ordinary "
    "paragraphs; split the text into paragraphs (is it really a text document?)"
)
_TOO_LONG_AT = N_(
    "a paragraph of more than {limit} characters ({where}): maalgraph reads documents made of "
    "ordinary paragraphs; split the text into paragraphs (is it really a text document?)"
)


def _check_lengths(path: Path, blocks: list[Block]) -> None:
    for block in blocks:
        if len(block.full_text) > MAX_PARAGRAPH_CHARS:
            where = block.locator.describe()
            raise IngestError(
                _TOO_LONG_AT if where else _TOO_LONG,
                path=path,
                line=block.locator.line,
                limit=MAX_PARAGRAPH_CHARS,
                where=where,
            )


__all__ = ["FORMATS", "Format", "detect_format", "read_blocks"]
