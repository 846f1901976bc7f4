"""Vocabulary namespaces and the minting of data IRIs.

The ontology namespace is fixed (it names the vocabulary); the base under which data
IRIs are minted is configurable, so several installations can publish without clashes.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .terms import is_iri

if TYPE_CHECKING:
    from rdflib import Namespace

DEFAULT_BASE = "https://w3id.org/maalgraph/id/"

# prefix → namespace IRI; plain strings, so that naming a term costs no rdflib import (0.2 s)
PREFIXES: dict[str, str] = {
    "maal": "https://w3id.org/maalgraph/def#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#",
    "cpov": "http://data.europa.eu/m8g/",
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
_RDFLIB_NAMESPACES = ("MAAL", "QB", "CPOV", "BESLUIT", "SCHEMA", "FOAF")
_made: dict[str, Namespace] = {}


def __getattr__(name: str) -> Namespace:
    """``MAAL``, ``QB`` … as rdflib ``Namespace`` objects, made when first imported (by the
    code that builds rdflib graphs: the links, validation)."""
    if name not in _RDFLIB_NAMESPACES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name not in _made:
        from rdflib import Namespace

        _made[name] = Namespace(PREFIXES[name.lower()])
    return _made[name]


class Vocabulary:
    """The IRIs of one namespace as pyoxigraph terms, made once each (``OX_MAAL.Goal``): the
    quad builder names the same few dozen terms a thousand times per document.

    >>> OX_MAAL.Goal.value
    'https://w3id.org/maalgraph/def#Goal'
    """

    def __init__(self, namespace: str):
        self._namespace = namespace
        self._terms: dict[str, ox.NamedNode] = {}

    def __getattr__(self, local: str) -> ox.NamedNode:
        if local.startswith("_"):
            raise AttributeError(local)
        term = self._terms.get(local)
        if term is None:
            term = self._terms[local] = ox.NamedNode(self._namespace + local)
        return term


OX_MAAL, OX_QB, OX_BESLUIT, OX_SCHEMA = (
    Vocabulary(PREFIXES[p]) for p in ("maal", "qb", "besluit", "schema")
)
OX_RDF, OX_SKOS, OX_DCTERMS, OX_PROV, OX_ORG, OX_XSD = (
    Vocabulary(PREFIXES[p]) for p in ("rdf", "skos", "dcterms", "prov", "org", "xsd")
)


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

    @functools.cached_property
    def _shared_prefixes(self) -> tuple[str, ...]:
        return tuple(self(kind, "") for kind in SHARED_KINDS)

    def is_shared(self, iri: str) -> bool:
        """True for nodes that are not one document's own (see :meth:`registry`)."""
        return iri.startswith(self._shared_prefixes)

    def is_shared_fact(self, subject: str, obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> bool:
        """A fact for the registry: about a shared thing, and not pointing into one document
        (a meeting handling this agenda item is this document's fact).

        >>> iris = IriMinter()
        >>> area = iris("area", "vejle")
        >>> iris.is_shared_fact(area, ox.Literal("Vejle")), iris.is_shared_fact(area, ox.NamedNode(iris("doc", "x")))
        (True, False)
        """
        if not subject.startswith(self._shared_prefixes):
            return False
        if isinstance(obj, ox.NamedNode):
            value = obj.value
            return not value.startswith(self.base) or value.startswith(self._shared_prefixes)
        return True

    def municipality(self, name: str) -> str:
        return self("kommune", slug(name))

    def scoped(self, municipality: str, kind: str, label: str) -> str:
        """Partners, units, projects and plans are scoped by municipality: the same
        'Jobcentret' in two municipalities is two different units."""
        return self("kommune", slug(municipality), kind, slug(label))
