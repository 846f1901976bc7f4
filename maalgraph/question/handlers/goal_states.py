"""How a goal's statuses read in an answer — its verdict with its progress and trend — and the
goals that have a status (any kind: ``goals_by_status``)."""

from __future__ import annotations

from ..readings import Reading
from ..statuses import STATUSES, Status
from .base import Context, Row, dedupe, goal_order, scopes

LIST_COLUMNS = ["id", "text", "verdictLabel", "focusAreaTitle", "municipalityLabel", "year"]
STATE_COLUMNS = ["id", "text", "statusLabel", "verdictLabel", "focusAreaTitle", "municipalityLabel", "year"]  # fmt: skip


def status_goals(reading: Reading, ctx: Context, status: Status) -> list[Row]:
    """The goals with a status (any kind) in the scope asked, in order."""
    rows: list[Row] = []
    for scope in scopes(reading):
        rows += ctx.run("goals_by_status", status=status.iri, **scope)
    return dedupe(sorted(rows, key=goal_order), "goal")


def statuses_of(row: Row) -> set[str]:
    """Every status a goal row names: its verdict, progress and trend (Danish labels)."""
    return {str(row[k]) for k in ("verdictLabel", "progressLabel", "trendLabel") if row.get(k)}


def status_words(row: Row) -> str:
    """A goal's status in words: 'delvist opfyldt', 'i gang (uden vurdering)', 'opfyldt og
    afsluttet', 'ikke opfyldt (positiv udvikling)'."""
    verdict = str(row.get("verdictLabel") or STATUSES["NO_VERDICT"].da)
    progress, trend = row.get("progressLabel"), row.get("trendLabel")
    if progress and verdict == STATUSES["NO_VERDICT"].da:
        text = f"{progress} ({verdict})"
    elif progress:
        text = f"{verdict} og {progress}"
    else:
        text = verdict
    return f"{text} ({trend})" if trend and "(" not in text else text


def columns_for(status: Status | None) -> list[str]:
    """A listing's columns: with the progress or trend asked about beside the verdict."""
    return STATE_COLUMNS if status is not None and status.kind != "verdict" else LIST_COLUMNS
