"""The Danish question layer: question → meaning (named query + bound values) → answer."""

from __future__ import annotations

from .answer import Answer, QuestionAnswerer

__all__ = ["Answer", "QuestionAnswerer"]
