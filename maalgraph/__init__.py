"""maalgraph: a knowledge graph of Danish municipal goal follow-ups (målopfølgning).

>>> from maalgraph import MaalGraph
>>> kg = MaalGraph.example()          # the bundled corpus, read-only, in memory
>>> kg.stats()["mål"]
12
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import (
    IngestError,
    MaalgraphError,
    QueryError,
    QuestionError,
    StoreError,
    StoreTimeout,
    ValidationError,
)

__version__ = "0.1.0"

# loaded with the first use, so that ``import maalgraph`` (and the command line) start fast
_WHERE = {
    "IngestReport": "api",
    "MaalGraph": "api",
    "Verdict": "model",
    "QueryResult": "results",
    "Term": "terms",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from .api import IngestReport, MaalGraph
    from .model import Verdict
    from .results import QueryResult
    from .terms import Term

__all__ = [
    "IngestError",
    "IngestReport",
    "MaalGraph",
    "MaalgraphError",
    "QueryError",
    "QueryResult",
    "QuestionError",
    "StoreError",
    "StoreTimeout",
    "Term",
    "ValidationError",
    "Verdict",
    "__version__",
]
