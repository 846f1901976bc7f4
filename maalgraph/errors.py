"""The one exception hierarchy of maalgraph.

::

    MaalgraphError
    ├── IngestError      a document could not be read or understood (file, line, problem)
    ├── QueryError       a SPARQL query or named query is malformed or misused
    ├── QuestionError    a Danish question could not be turned into a query
    ├── ValidationError  an ingested graph does not conform to the SHACL shapes
    └── StoreError       the store cannot be opened or written (read-only, locked, missing)
        └── StoreTimeout an external SPARQL server did not answer in time

An error is one English sentence naming the value and the fix, kept as a template and its
values apart (``template``, ``details``; an IngestError also ``path`` and ``line``): ``str()``
gives the English sentence for developers and logs, and the command line and the web page
phrase the same error in Danish from the message catalogue at the edge
(:func:`maalgraph.i18n.error_text`).

>>> error = QueryError("no named query {name!r}", name="golas")
>>> str(error), error.template, error.details
("no named query 'golas'", 'no named query {name!r}', {'name': 'golas'})
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .i18n import N_


class MaalgraphError(Exception):
    """Root of every error maalgraph raises on purpose.

    ``template`` is an English message id of the catalogue with ``{named}`` placeholders
    (literal braces doubled); ``details`` are the values that fill them: what was wrong,
    where, and whatever the fix needs."""

    def __init__(self, template: str, /, **details: Any):
        self.template = template
        self.details = details
        super().__init__(template.format(**details) if details else template)


class IngestError(MaalgraphError):
    """A document could not be ingested; nothing of it was stored."""

    def __init__(
        self,
        template: str,
        /,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        **details: Any,
    ):
        super().__init__(template, **details)
        self.path = str(path) if path is not None else None
        self.line = line
        self.problem = super().__str__()

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        return where + self.problem


class QueryError(MaalgraphError):
    """A SPARQL query is malformed, unknown, or called with wrong parameters."""


class QuestionError(MaalgraphError):
    """A question could not be processed at all (not the same as 'not understood')."""


class ValidationError(MaalgraphError):
    """A graph does not conform to the SHACL shapes."""

    def __init__(self, template: str, /, report: str = "", **details: Any):
        self.report = report
        super().__init__(template, **details)


class StoreError(MaalgraphError):
    """The store cannot be opened or written."""


class StoreTimeout(StoreError):
    """An external SPARQL server did not answer within the time allowed."""


_POSITION = re.compile(r"error at (\d+):(\d+): ")


def malformed_sparql(message: str, text: str = "", *, update: bool = False) -> QueryError:
    """A SPARQL parser's complaint (``error at LINE:COLUMN: …``) as a QueryError naming the
    line, the column and the text there; the parser's own words stay in ``reason`` (they are
    English, and long: the English message keeps their first line).

    >>> error = malformed_sparql("error at 1:1: expected CONSTRUCT", "SELEC * WHERE {}")
    >>> print(error)
    malformed SPARQL query at line 1, column 1 (near 'SELEC * WHERE {}'): expected CONSTRUCT
    """
    reason = message.strip().split("\n", 1)[0]
    match = _POSITION.match(reason)
    if match is None:
        template = (
            N_("malformed SPARQL update: {reason}")
            if update
            else N_("malformed SPARQL query: {reason}")
        )
        return QueryError(template, reason=reason[:240])
    line, column = int(match.group(1)), int(match.group(2))
    lines = text.splitlines() or [""]
    text_line = lines[min(line, len(lines)) - 1]
    near = text_line[max(column - 1, 0) :][:30].strip() or text_line[-30:].strip()
    template = (
        N_("malformed SPARQL update at line {line}, column {column} (near {near!r}): {reason}")
        if update
        else N_("malformed SPARQL query at line {line}, column {column} (near {near!r}): {reason}")
    )
    return QueryError(
        template, line=line, column=column, near=near, reason=reason[match.end() :][:240]
    )


__all__ = [
    "IngestError",
    "MaalgraphError",
    "QueryError",
    "QuestionError",
    "StoreError",
    "StoreTimeout",
    "ValidationError",
    "malformed_sparql",
]
