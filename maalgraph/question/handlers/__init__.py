"""The handlers that answer each family of questions (``handler`` in families.toml)."""

from __future__ import annotations

from . import entities, goals, measures, meetings
from .base import HANDLERS, Context, Result

__all__ = ["HANDLERS", "Context", "Result", "entities", "goals", "measures", "meetings"]
