"""Document ingestion: file → reader → blocks → layout reader → typed model.

::

    read_blocks (readers/: txt, md, html, docx, pdf)  → BlockDocument (blocks with locators)
    read_layout (layout.py, vocabulary in lang/da)    → Layout (paragraphs, goals, agenda)
    Extractor   (extract.py: verdicts, names, numbers) → FollowUp and/or AgendaItem

Nothing in this package talks to a store; :class:`maalgraph.MaalGraph` writes the result
(through :mod:`maalgraph.triples`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..model import AgendaItem, FollowUp, Paragraph, Warning_
from .blocks import BlockDocument
from .extract import Extractor
from .readers import read_blocks
from .reading import DEFAULT_MAX_BYTES

MAX_WARNINGS = 25  # per kind; the rest are counted, not listed


@dataclass
class ParsedDocument:
    """One document read: where it came from, what it is, and its typed model."""

    source: BlockDocument
    kind: str  # "follow-up" | "agenda-item" | "document"
    title: str
    municipality: str | None
    year: int | None
    paragraphs: list[Paragraph]
    report: FollowUp | None = None
    agenda: AgendaItem | None = None
    notes: list[Warning_] = field(default_factory=list)

    @property
    def model(self) -> FollowUp | AgendaItem | None:
        return self.agenda if self.kind == "agenda-item" else self.report

    @property
    def warnings(self) -> list[str]:
        """The warnings, at most :data:`MAX_WARNINGS` of each kind and a count of the rest."""
        return cap_warnings([*self.source.warnings, *(str(w) for w in self.notes)])


def cap_warnings(warnings: list[str], limit: int = MAX_WARNINGS) -> list[str]:
    """Keep the first ``limit`` warnings of each kind (same text without its place and
    numbers) and summarise the rest: 50,000 unclosed tags make one line, not 50,000.

    >>> cap_warnings([f"linje {n}: <p> er ikke lukket" for n in range(1, 5)], limit=2)
    ['linje 1: <p> er ikke lukket', 'linje 2: <p> er ikke lukket', '… og 2 advarsler mere af samme slags: <p> er ikke lukket']
    """
    kept: list[str] = []
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for warning in warnings:
        message = warning.split(": ", 1)[-1]
        kind = re.sub(r"\d+", "#", message)
        counts[kind] += 1
        if counts[kind] <= limit:
            kept.append(warning)
        else:
            examples.setdefault(kind, message)
    for kind, message in examples.items():
        kept.append(f"… og {counts[kind] - limit} advarsler mere af samme slags: {message}")
    return kept


def parse_document(
    path: str | Path, extractor: Extractor, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedDocument:
    """Read and understand one document, or raise :class:`IngestError` naming what is wrong."""
    source = read_blocks(path, max_bytes=max_bytes)
    layout, report, item = extractor.read(source)
    if item is not None:
        kind = "agenda-item"
    elif report is not None:
        kind = "follow-up"
    else:
        kind = "document"
    municipality = report.municipality if report else (item.municipality if item else None)
    if municipality is None and report is None and item is None:
        from .scope import detect_municipality

        municipality = detect_municipality(
            [p.text for p in layout.paragraphs], title=layout.title, file_name=source.path.name
        )
    year = report.year if report and report.year else (item.year if item else None)
    return ParsedDocument(
        source=source,
        kind=kind,
        title=layout.title,
        municipality=municipality,
        year=year,
        paragraphs=layout.paragraphs,
        report=report,
        agenda=item,
        notes=layout.warnings,
    )


__all__ = ["Extractor", "ParsedDocument", "cap_warnings", "parse_document"]
