"""Typed query results, independent of the store that produced them (terms: :mod:`maalgraph.terms`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .terms import Term, Value


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


__all__ = ["QueryResult", "Term", "Value"]
