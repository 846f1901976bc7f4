"""maalgraph: a knowledge graph of Danish municipal goal follow-ups (målopfølgning).

>>> from maalgraph import MaalGraph
>>> kg = MaalGraph.example()          # the bundled corpus, read-only, in memory
>>> kg.stats()["mål"]
12
"""

from __future__ import annotations

from .api import IngestReport, MaalGraph
from .errors import (
    IngestError,
    MaalgraphError,
    QueryError,
    QuestionError,
    StoreError,
    ValidationError,
)
from .model import Verdict
from .results import QueryResult, Term

__version__ = "0.1.0"

__all__ = [
    "IngestError",
    "IngestReport",
    "MaalGraph",
    "MaalgraphError",
    "QueryError",
    "QueryResult",
    "QuestionError",
    "StoreError",
    "Term",
    "ValidationError",
    "Verdict",
    "__version__",
]
