"""The Danish question layer: question → mentions → ranked readings → sourced answer.

The answerer loads spaCy; it is imported on first use, so that the name index
(:mod:`maalgraph.question.linking`, used by the network analysis) costs no spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .answer import Answer, QuestionAnswerer

__all__ = ["Answer", "QuestionAnswerer"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import answer

        return getattr(answer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
