"""RDF terms in one place: maalgraph's own :class:`Term` (what queries return), conversion
from and to pyoxigraph and rdflib, the SPARQL/N-Triples text of a term, parameter values
as terms, prefixed names, and the one IRI check (pyoxigraph's RFC 3987 parser).

Every other module converts terms through these functions: a term has one text and one
meaning whichever store produced it.

>>> sparql_text(parameter_term("maal:IkkeOpfyldt", "iri"))
'<https://w3id.org/maalgraph/def#IkkeOpfyldt>'
>>> sparql_text(parameter_term("3,5", "decimal"))
'"3.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
>>> from_oxigraph(ox.Literal("Blå Kors", language="da"))
Term(kind='literal', value='Blå Kors', datatype=None, language='da')
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import QueryError
from .i18n import N_, Msg

if TYPE_CHECKING:
    import rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
Value = str | int | Decimal | float | bool | dt.date | None

# URI schemes taken as full IRIs when written bare; anything else before a colon must be one
# of the project's prefixes (or a full IRI in angle brackets), so that a typing error in a
# prefix is an error instead of an IRI that matches nothing
KNOWN_SCHEMES = frozenset(
    ("http", "https", "urn", "mailto", "tag", "file", "ftp", "data", "did", "info", "doi")
)
VALUE = N_("value")  # what a value is called in an error, when it is no parameter's
NOT_AN_IRI = N_("{what}: {value!r} is not an absolute IRI ({reason})")
NOT_A_NUMBER = N_("{what}: {value!r} is not a number")
CANNOT_BIND = N_("{what}: cannot bind {value}: only IRIs and literals can be bound")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:(.*)", re.S)
_INTEGER_TYPES = ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                  "positiveInteger", "negativeInteger", "nonPositiveInteger")  # fmt: skip


@dataclass(frozen=True)
class Term:
    """An RDF term as returned by a query: its kind, lexical value and datatype/language."""

    kind: str  # "iri" | "literal" | "bnode"
    value: str
    datatype: str | None = None
    language: str | None = None

    def to_python(self) -> Value:
        """IRIs and strings as str, numbers as int/Decimal, dates as date, booleans as bool."""
        if self.kind != "literal" or self.datatype is None:
            return self.value
        local = self.datatype.removeprefix(XSD)
        try:
            if local in _INTEGER_TYPES:
                return int(self.value)
            if local == "decimal":
                return Decimal(self.value)
            if local in ("double", "float"):
                return float(self.value)
            if local == "boolean":
                return self.value in ("true", "1")
            if local == "date":
                return dt.date.fromisoformat(self.value)
        except (ValueError, InvalidOperation):
            return self.value
        return self.value


# ---------------------------------------------------------------------- IRIs


def is_iri(text: str) -> bool:
    """True for an absolute IRI (RFC 3987, as pyoxigraph parses it).

    >>> is_iri("https://w3id.org/maalgraph/def#Opfyldt"), is_iri("Opfyldt"), is_iri("http://x/a b")
    (True, False, False)
    """
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def iri(text: str, what: str = VALUE) -> ox.NamedNode:
    """``text`` as an IRI term, or a QueryError naming ``what`` and the problem."""
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise QueryError(NOT_AN_IRI, what=what, value=text[:80], reason=str(exc)) from None


def expand(text: str, prefixes: Mapping[str, str] | None = None, what: str = VALUE) -> str:
    """A prefixed name (``maal:IkkeOpfyldt``) as the full IRI, with maalgraph's prefixes;
    ``<…>`` and full IRIs of the common schemes (http, https, urn …) as they are. An unknown
    prefix is a QueryError that lists the known ones.

    >>> expand("maal:Opfyldt"), expand("<urn:x:1>"), expand("http://example.org/a")
    ('https://w3id.org/maalgraph/def#Opfyldt', 'urn:x:1', 'http://example.org/a')
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if prefixes is None:
        from .namespaces import PREFIXES

        prefixes = PREFIXES
    match = _PREFIXED.fullmatch(text)
    if match is None:
        return text  # no colon: iri() says what is wrong with it
    prefix, local = match.group(1) or "", match.group(2)
    if prefix in prefixes:
        return prefixes[prefix] + local
    if prefix.lower() in KNOWN_SCHEMES:
        return text
    raise QueryError(
        N_(
            "{what}: unknown prefix {prefix!r} in {value!r}; known prefixes: {known} (or write "
            "the full IRI in angle brackets <…>)"
        ),
        what=what,
        prefix=prefix,
        value=text[:80],
        known=", ".join(sorted(prefixes)),
    )


# ---------------------------------------------------------------------- conversions


def from_oxigraph(term: object) -> Term:
    """A pyoxigraph term as a :class:`Term`."""
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Term("literal", term.value, None, term.language)
        return Term("literal", term.value, term.datatype.value)
    raise TypeError(f"unexpected term {term!r}")


def to_oxigraph(term: object) -> OxTerm:
    """A :class:`Term`, an rdflib term or a pyoxigraph term as a pyoxigraph term (whose
    ``str()`` is its escaped N-Triples/SPARQL text)."""
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    if isinstance(term, Term):
        if term.kind == "iri":
            return ox.NamedNode(term.value)
        if term.kind == "bnode":
            return ox.BlankNode(term.value)
        if term.language:
            return ox.Literal(term.value, language=term.language)
        datatype = term.datatype if term.datatype not in (None, RDF_LANG_STRING) else None
        return ox.Literal(term.value, datatype=ox.NamedNode(datatype) if datatype else None)
    rdflib = sys.modules.get("rdflib")  # an rdflib term means rdflib is loaded already
    if rdflib is not None:
        if isinstance(term, rdflib.URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, rdflib.BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, rdflib.Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term: Term | OxTerm) -> rdflib.term.Identifier:
    """A :class:`Term` or pyoxigraph term as an rdflib term."""
    import rdflib

    if not isinstance(term, Term):
        term = from_oxigraph(term)
    if term.kind == "iri":
        return rdflib.URIRef(term.value)
    if term.kind == "bnode":
        return rdflib.BNode(term.value)
    datatype = None if term.language or term.datatype == XSD_STRING else term.datatype
    return rdflib.Literal(term.value, lang=term.language, datatype=datatype)


def sparql_text(term: object) -> str:
    """A term as SPARQL/N-Triples text, escaped by pyoxigraph (never pasted raw).

    >>> sparql_text(Term("literal", 'a "b"\\n', language="da"))
    '"a \\\\"b\\\\"\\\\n"@da'
    """
    return str(to_oxigraph(term))


def parameter_term(value: object, kind: str, name: str = VALUE) -> ox.NamedNode | ox.Literal:
    """A parameter value as a term of the declared ``kind`` (iri, string, integer, decimal);
    an IRI may be a prefixed name. A QueryError names the parameter and the problem."""
    if not isinstance(value, (str, int, float, Decimal)):
        term = to_oxigraph(value)
        if isinstance(term, ox.BlankNode):
            raise QueryError(CANNOT_BIND, what=name, value=repr(value))
        return term
    text = str(value)
    what = name if isinstance(name, Msg) else f"parameter {name}"
    if kind == "iri":
        return iri(expand(text, what=what), what)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", text.strip()):
            raise QueryError(N_("{what}: {value!r} is not an integer"), what=what, value=text[:80])
        return ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "decimal":
        try:
            number = Decimal(text.strip().replace(",", "."))
        except InvalidOperation:
            raise QueryError(NOT_A_NUMBER, what=what, value=text[:80]) from None
        if not number.is_finite():
            raise QueryError(NOT_A_NUMBER, what=what, value=text[:80])
        return ox.Literal(format(number, "f"), datatype=ox.NamedNode(XSD + "decimal"))
    return ox.Literal(text)


def binding_term(value: Any) -> ox.NamedNode | ox.Literal:
    """A value bound to a query variable: an RDF term as it is, anything else a plain literal."""
    try:
        term = to_oxigraph(value)
    except TypeError:
        return ox.Literal(str(value))
    if isinstance(term, ox.BlankNode):
        raise QueryError(CANNOT_BIND, what=VALUE, value=repr(value))
    return term
