"""Document ingestion: read → detect format → parse structure → extract meaning.

Nothing in this package talks to a store; :class:`maalgraph.MaalGraph` writes the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import IngestError
from ..model import AgendaItem, FollowUp
from .agenda import looks_like_agenda, parse_agenda
from .extract import Extractor
from .followup import looks_like_followup, parse_followup
from .reading import DEFAULT_MAX_BYTES, SourceText, read_source


@dataclass
class ParsedDocument:
    source: SourceText
    kind: str  # "follow-up" | "agenda-item"
    model: FollowUp | AgendaItem

    @property
    def warnings(self) -> list[str]:
        return [str(w) for w in self.model.warnings]


def parse_document(
    path: str | Path, extractor: Extractor, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedDocument:
    """Read and understand one document, or raise :class:`IngestError` naming what is wrong."""
    source = read_source(path, max_bytes=max_bytes)
    if looks_like_followup(source.text):
        return ParsedDocument(source, "follow-up", extractor.followup(parse_followup(source)))
    if looks_like_agenda(source.text):
        return ParsedDocument(source, "agenda-item", extractor.agenda(parse_agenda(source)))
    raise IngestError(
        "unknown document format: expected a goal follow-up (lines 'Fokusområde<TAB>…' and "
        "'Mål<TAB>…') or a committee agenda item ('Udvalg: …', 'Beslutning')",
        path=source.path,
    )


__all__ = ["Extractor", "ParsedDocument", "parse_document"]
