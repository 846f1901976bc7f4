"""The one exception hierarchy of maalgraph.

::

    MaalgraphError
    ├── IngestError      a document could not be read or understood (file, line, problem)
    ├── QueryError       a SPARQL query or named query is malformed or misused
    ├── QuestionError    a Danish question could not be turned into a query
    ├── ValidationError  an ingested graph does not conform to the SHACL shapes
    └── StoreError       the store cannot be opened or written (read-only, locked, missing)
        └── StoreTimeout an external SPARQL server did not answer in time

The CLI and the HTTP layer translate these into messages and status codes at the edge;
library code raises them with one sentence that names the value and the fix.
"""

from __future__ import annotations

from pathlib import Path


class MaalgraphError(Exception):
    """Root of every error maalgraph raises on purpose."""


class IngestError(MaalgraphError):
    """A document could not be ingested; nothing of it was stored."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.problem = message
        where = ""
        if self.path is not None:
            where = self.path + (f":{line}" if line is not None else "") + ": "
        super().__init__(where + message)

    def __reduce__(self) -> tuple[object, ...]:
        # whole across processes (documents are read in worker processes): place and problem
        return (_ingest_error, (type(self), self.problem, self.path, self.line))


def _ingest_error(
    cls: type[IngestError], problem: str, path: str | None, line: int | None
) -> IngestError:
    return cls(problem, path=path, line=line)


class QueryError(MaalgraphError):
    """A SPARQL query is malformed, unknown, or called with wrong parameters."""


class QuestionError(MaalgraphError):
    """A question could not be processed at all (not the same as 'not understood')."""


class ValidationError(MaalgraphError):
    """A graph does not conform to the SHACL shapes."""

    def __init__(self, message: str, report: str = ""):
        self.report = report
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.report))


class StoreError(MaalgraphError):
    """The store cannot be opened or written."""


class StoreTimeout(StoreError):
    """An external SPARQL server did not answer within the time allowed."""


__all__ = [
    "IngestError",
    "MaalgraphError",
    "QueryError",
    "QuestionError",
    "StoreError",
    "StoreTimeout",
    "ValidationError",
]
