"""Content negotiation for the SPARQL endpoint: a pure ``Accept`` parser and the format tables.

>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_FORMATS).key
'xml'
>>> negotiate("text/html", GRAPH_FORMATS) is None
True
>>> negotiate(None, GRAPH_FORMATS).media_type
'text/turtle'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """A serialisation the endpoint can send: its short name, media type and accepted aliases."""

    key: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        text = self.media_type.startswith("text/") or self.key in (
            "json",
            "xml",
            "jsonld",
            "rdfxml",
            "ntriples",
        )
        return f"{self.media_type}; charset=utf-8" if text else self.media_type

    def names(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format(
        "turtle",
        "text/turtle",
        ("application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3"),
    ),
    Format("ntriples", "application/n-triples", ("text/plain",)),
    Format("jsonld", "application/ld+json", ("application/json",)),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml")),
)
_SHORT_NAMES = {
    "ttl": "turtle", "n3": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml",
    "rdf+xml": "rdfxml", "srj": "json", "srx": "xml",
}  # fmt: skip


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> int:
        """How specifically this range matches a media type: 2 exact, 1 type/*, 0 */*, -1 not."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped, q defaults to 1.

    >>> parse_accept("text/*;q=0.3, application/json")
    [MediaRange(type='text', subtype='*', q=0.3), MediaRange(type='application', subtype='json', q=1.0)]
    """
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        kind = pieces[0].lower()
        if kind == "*":
            kind = "*/*"
        main, sep, sub = kind.partition("/")
        if not sep or not main or not sub:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q))
    return ranges


def negotiate(accept: str | None, offered: Sequence[Format]) -> Format | None:
    """The offered format the client prefers most (ties: the server's order); None if the
    client accepts none of them. No header, or an empty one, accepts anything."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, int, Format] | None = None
    for position, fmt in enumerate(offered):
        q = _quality(ranges, fmt)
        if q > 0 and (best is None or q > best[0]):
            best = (q, position, fmt)
    return best[2] if best else None


def _quality(ranges: list[MediaRange], fmt: Format) -> float:
    """The q the client gives a format: from its most specific matching range (RFC 9110)."""
    quality = 0.0
    for index, name in enumerate(fmt.names()):
        best_specificity = -1
        q = 0.0
        for r in ranges:
            s = r.matches(name)
            if s > best_specificity:
                best_specificity, q = s, r.q
        if best_specificity >= 0:
            # an alias is worth a little less than the format's own media type
            quality = max(quality, q - (0.001 if index else 0.0))
    return quality


def by_name(name: str, offered: Sequence[Format]) -> Format | None:
    """The format a ``format=`` parameter names: a short name (json, ttl …) or a media type."""
    wanted = name.strip().lower()
    wanted = _SHORT_NAMES.get(wanted, wanted)
    for fmt in offered:
        if wanted == fmt.key or wanted in fmt.names():
            return fmt
    return None
