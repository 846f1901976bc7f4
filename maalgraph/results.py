"""Typed query results, independent of the store that produced them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

XSD = "http://www.w3.org/2001/XMLSchema#"

Value = str | int | Decimal | float | bool | dt.date | None


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
            if local in (
                "integer",
                "int",
                "long",
                "short",
                "nonNegativeInteger",
                "positiveInteger",
            ):
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


@dataclass
class QueryResult:
    """The answer of a SELECT (columns and rows), ASK (boolean) or CONSTRUCT (triples) query."""

    columns: list[str] = field(default_factory=list)
    terms: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] | None = None

    @property
    def rows(self) -> list[dict[str, Value]]:
        """Rows as plain Python values; unbound columns are left out of a row."""
        return [{k: t.to_python() for k, t in row.items()} for row in self.terms]

    def __len__(self) -> int:
        return len(self.terms)

    def column(self, name: str) -> list[Value]:
        return [row.get(name) for row in self.rows]
