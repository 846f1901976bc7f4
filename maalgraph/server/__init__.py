"""``maalgraph serve``: a SPARQL 1.1 endpoint with Danish questions, in one process."""

from __future__ import annotations

from .app import Settings, create_app

__all__ = ["Settings", "create_app"]
