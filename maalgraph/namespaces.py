"""Vocabulary namespaces and the minting of data IRIs.

The ontology namespace is fixed (it names the vocabulary); the base under which data
IRIs are minted is configurable, so several installations can publish without clashes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from .terms import is_iri

MAAL = Namespace("https://w3id.org/maalgraph/def#")
QB = Namespace("http://purl.org/linked-data/cube#")
CPOV = Namespace("http://data.europa.eu/m8g/")
BESLUIT = Namespace("http://data.vlaanderen.be/ns/besluit#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

DEFAULT_BASE = "https://w3id.org/maalgraph/id/"

PREFIXES: dict[str, str] = {
    "maal": str(MAAL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "qb": str(QB),
    "cpov": str(CPOV),
    "besluit": str(BESLUIT),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
}


def slug(text: str) -> str:
    """A lowercase ASCII slug for IRIs; Danish letters are transliterated, not dropped.

    >>> slug("Blå Kors Varmestue")
    'blaa-kors-varmestue'
    >>> slug("Sundhed & Ældre")
    'sundhed-og-aeldre'
    """
    text = text.casefold().replace("&", " og ")
    for src, dst in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(src, dst)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


# one copy of each fact about these, in the registry graph: Oxigraph's union default graph
# repeats a triple once per graph that holds it, and joins over repeated triples explode
SHARED_KINDS = ("kommune", "area", "servicearea")


@dataclass(frozen=True)
class IriMinter:
    """Mints stable data IRIs under one base, so re-ingesting yields the same nodes."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not (is_iri(self.base) and re.match(r"^https?://.+[/#]$", self.base)):
            raise ValueError(f"base IRI {self.base!r} must be an http(s) IRI ending in '/' or '#'")

    def __call__(self, *parts: str | int) -> str:
        return self.base + "/".join(str(p) for p in parts)

    def graph(self, doc_id: str) -> str:
        return self("graph", doc_id)

    def registry(self) -> str:
        """The graph of things several documents describe: municipalities, partners, units,
        projects, plans, committees, areas and service areas."""
        return self("graph", "registry")

    def derived(self, *parts: str) -> str:
        """Graphs maalgraph derives from several documents and rebuilds itself: the links of
        one agenda item (``derived("links", doc_id)``) and the projects' partners of one
        municipality (``derived("partners", slug)``). ``derived()`` is their common prefix."""
        return self("graph", "derived", *parts) + ("" if parts else "/")

    def is_shared(self, iri: str) -> bool:
        """True for nodes that are not one document's own (see :meth:`registry`)."""
        return iri.startswith(tuple(self(kind, "") for kind in SHARED_KINDS))

    def municipality(self, name: str) -> str:
        return self("kommune", slug(name))

    def scoped(self, municipality: str, kind: str, label: str) -> str:
        """Partners, units, projects and plans are scoped by municipality: the same
        'Jobcentret' in two municipalities is two different units."""
        return self("kommune", slug(municipality), kind, slug(label))
