"""The ``maalgraph`` command line: thin wrappers over :class:`maalgraph.MaalGraph`, one module
per kind of work. Library errors become one-line messages (exit 1) at this edge."""

from __future__ import annotations

from . import analysis, documents, querying, serving  # noqa: F401  (registers the commands)
from .base import main

__all__ = ["main"]
