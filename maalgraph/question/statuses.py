"""The statuses a question can ask about — verdicts, progress and trends — as the document
reader names them and the graph stores them.

The labels are those of the reader's shared vocabulary (``lang/da/verdicts.jsonl``,
``goals.toml`` ``[status_cells]``): MET, PARTLY_MET, NOT_MET, NO_VERDICT, IN_PROGRESS,
COMPLETED, NOT_STARTED, TREND_POSITIVE, TREND_NEGATIVE, TREND_FLAT. Each stands for one concept
of the ontology, taken from the tables the graph is written with (:mod:`maalgraph.concepts`), so
a question about "i gang" and a budget note whose status is "I gang" meet at ``maal:IGang``.

>>> STATUSES["IN_PROGRESS"].iri.rsplit("#", 1)[-1], STATUSES["IN_PROGRESS"].predicate
('IGang', 'er i gang')
>>> STATUSES["TREND_NEGATIVE"].predicate, STATUSES["NO_VERDICT"].da, STATUSES["NOT_STARTED"].clause
('har en negativ udvikling', 'uden vurdering', 'ikke er startet')
"""

from __future__ import annotations

from dataclasses import dataclass

from ..concepts import NO_VERDICT, PROGRESS_IRI, TREND_IRI, VERDICT_IRI, VERDICT_WORDS
from ..model import Progress, Trend, Verdict


@dataclass(frozen=True)
class Status:
    """One status: its vocabulary label, what it is, its concept and its Danish words."""

    label: str
    kind: str  # verdict | progress | trend
    iri: str
    da: str  # "opfyldt", "uden vurdering", "i gang", "negativ udvikling"

    @property
    def predicate(self) -> str:
        """How an answer says a goal has it: 'er i gang', 'har en negativ udvikling'."""
        return f"har en {self.da}" if self.kind == "trend" else f"er {self.da}"

    @property
    def clause(self) -> str:
        """The same in a subordinate clause ("mål, der ikke er startet"): negation first."""
        if self.kind != "trend" and self.da.startswith("ikke "):
            return f"ikke er {self.da.removeprefix('ikke ')}"
        return self.predicate


def _statuses() -> dict[str, Status]:
    out = {v.name: Status(v.name, "verdict", VERDICT_IRI[v].value, v.value) for v in Verdict}
    out["NO_VERDICT"] = Status(
        "NO_VERDICT", "verdict", NO_VERDICT.value, VERDICT_WORDS[NO_VERDICT.value]
    )
    for p in Progress:
        out[p.name] = Status(p.name, "progress", PROGRESS_IRI[p].value, p.value)
    for t in Trend:
        out[f"TREND_{t.name}"] = Status(
            f"TREND_{t.name}", "trend", TREND_IRI[t].value, f"{t.value} udvikling"
        )
    return out


STATUSES = _statuses()
STATUS_LABELS = tuple(STATUSES)  # every status a question can name, in this order
BY_IRI = {s.iri: s for s in STATUSES.values()}
# where status phrases of a question overlap, the longest wins, then the most specific
# ("kun delvist opfyldt" is PARTLY_MET, "ikke påbegyndt" NOT_STARTED, as in the reader)
PRIORITY = {"PARTLY_MET": 4, "NOT_MET": 3, "NOT_STARTED": 3, "MET": 1}


def priority(label: str) -> int:
    return PRIORITY.get(label, 2)
