"""Render query results for people (tables) and programs (SPARQL JSON, CSV, TSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyoxigraph loads with the first result, not with the command line
    from .results import QueryResult
    from .terms import Term

FORMATS = ("table", "json", "csv", "tsv")


def render_table(
    columns: Sequence[str], rows: Sequence[Sequence[str]], max_width: int | Sequence[int] = 60
) -> str:
    """A plain-text table; long cells are cut with '…' (``max_width``: for every column, or
    one per column).

    >>> print(render_table(["a", "bb"], [["1", "x"], ["22", "yyy"]]))
    a   bb
    --  ---
    1   x
    22  yyy
    """

    widths_allowed = [max_width] * len(columns) if isinstance(max_width, int) else list(max_width)

    def cut(text: str, width: int) -> str:
        text = " ".join(str(text).split())
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cut(c, w) for c, w in zip(row, widths_allowed, strict=True)] for row in rows]
    widths = [max([len(col)] + [len(r[i]) for r in cells]) for i, col in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def _plain(term: Term | None) -> str:
    return "" if term is None else term.value


def _ntriples(term: Term | None) -> str:
    from .terms import sparql_text

    return "" if term is None else sparql_text(term)


def _json_term(term: Term) -> dict[str, str]:
    from .terms import XSD_STRING

    kind = {"iri": "uri", "bnode": "bnode", "literal": "literal"}[term.kind]
    out = {"type": kind, "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD_STRING:
        out["datatype"] = term.datatype
    return out


def to_sparql_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [{k: _json_term(t) for k, t in row.items()} for row in result.terms]
    return json.dumps(
        {"head": {"vars": result.columns}, "results": {"bindings": bindings}}, ensure_ascii=False
    )


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV (plain values)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return out.getvalue()
    writer.writerow(result.columns)
    for row in result.terms:
        writer.writerow([_plain(row.get(c)) for c in result.columns])
    return out.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV (terms in N-Triples syntax)."""
    if result.boolean is not None:
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(_ntriples(row.get(c)) for c in result.columns) for row in result.terms]
    return "\n".join(lines) + "\n"


def to_table(result: QueryResult) -> str:
    if result.boolean is not None:
        return "ja" if result.boolean else "nej"
    if result.triples is not None:
        return "\n".join(" ".join(_ntriples(t) for t in triple) + " ." for triple in result.triples)
    rows = [[_plain(row.get(c)) for c in result.columns] for row in result.terms]
    return render_table(result.columns, rows) + f"\n({len(rows)} rækker)"


def render(result: QueryResult, fmt: str) -> str:
    if result.triples is not None and fmt != "table":
        return (
            "\n".join(" ".join(_ntriples(t) for t in triple) + " ." for triple in result.triples)
            + "\n"
        )
    return {"table": to_table, "json": to_sparql_json, "csv": to_csv, "tsv": to_tsv}[fmt](result)
