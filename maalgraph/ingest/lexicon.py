"""The document-reading vocabulary, loaded once from ``maalgraph/lang/da/`` (data, not code).

:class:`Lexicon` answers the layout reader's questions — is this label a goal label, is this
heading an agenda section, which verdict does this status cell state — from the TOML and
JSON Lines files; a municipality's own template words are added there.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ..lang import load_jsonl, load_toml
from ..nlp import fold


class Role(str, Enum):
    """What a label or heading is, for the layout reader."""

    SERVICE_AREA = "service_area"
    FOCUS_AREA = "focus_area"
    GOAL = "goal"
    STATUS = "status"
    PATHWAY = "pathway"
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NO_NAMES = "no_names"


_LABEL_REST = re.compile(
    r"^\s*(?:nr\.?\s*)?(?:\d{1,3}(?:\.\d{1,3})*[a-z]?|[ivx]{1,4}|[a-h])?\.?\s*(?:(?:for|i)\s+)?"
    r"(?:budget\s*)?(?:(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?)?\s*[:.–-]?\s*$",
    re.I,
)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold().rstrip(":").strip())


@dataclass(frozen=True)
class Lexicon:
    labels: dict[str, Role]
    agenda_header: dict[str, str]  # label → committee | date | place | case | officer
    committee_suffixes: tuple[str, ...]
    sections: dict[str, str]  # agenda heading → summary | presentation | recommendation | …
    assessment_prefix: re.Pattern[str]
    goal_subjects: tuple[str, ...]
    list_intro: frozenset[str]
    summary_cues: tuple[str, ...]
    not_goal_headings: frozenset[str]
    status_cells: dict[str, str]  # folded cell text → MET | PARTLY_MET | … | NO_VERDICT
    colours: frozenset[str]
    outcomes: tuple[tuple[str, str], ...]
    months: dict[str, int]

    def role(self, label: str) -> Role | None:
        """The role of a field label or heading text, e.g. "Årsmål 2021" → GOAL.

        >>> lexicon().role("Status på opfyldelse af mål"), lexicon().role("Mål 1.1")
        (<Role.STATUS: 'status'>, <Role.GOAL: 'goal'>)
        >>> lexicon().role("Ad 1") is None, lexicon().role("Målet er opfyldt.") is None
        (True, True)
        >>> lexicon().role("Politisk målsætning")
        <Role.GOAL: 'goal'>
        """
        key = _key(label)
        if key in self.labels:
            return self.labels[key]
        for word in sorted(self.labels, key=len, reverse=True):
            if key.startswith(word) and _LABEL_REST.match(key[len(word) :]):
                return self.labels[word]
        words = key.split()
        if 2 <= len(words) <= 3 and words[-1] in self.labels and words[0].isalpha():
            # "Politisk målsætning", "Overordnet mål": an adjective before a label word
            role = self.labels[words[-1]]
            return role if role in (Role.GOAL, Role.FOCUS_AREA, Role.STATUS) else None
        return None

    def section(self, heading: str) -> str | None:
        """The agenda section a heading opens ("Beslutning" → decision), if it is one."""
        key = _key(heading)
        if key in self.sections:
            return self.sections[key]
        words = key.split()
        if words and words[0] in ("beslutning", "indstilling") and len(words) <= 8:
            # "Beslutning i Social- og Sundhedsudvalget den 14.02.2023"
            return self.sections[words[0]]
        return None

    def header(self, label: str) -> str | None:
        return self.agenda_header.get(_key(label).rstrip("."), self.agenda_header.get(_key(label)))

    def is_committee(self, text: str) -> bool:
        """'Social- og Sundhedsudvalget', 'Byrådet': the name of a political committee."""
        words = text.strip().split()
        return (
            0 < len(words) <= 8
            and text.strip()[0].isupper()
            and words[-1].casefold().endswith(self.committee_suffixes)
            and not text.rstrip().endswith(".")
        )

    def status_cell(self, text: str) -> str | None:
        """What a status value alone says: 'Delvist opfyldt' → PARTLY_MET, 'Grøn' → MET."""
        return self.status_cells.get(fold(text.strip().rstrip(".!")).strip())


@functools.cache
def lexicon() -> Lexicon:
    fields = load_toml("da", "fields")
    goals = load_toml("da", "goals")
    agenda = load_toml("da", "agenda")
    labels: dict[str, Role] = {}
    for name, words in fields["labels"].items():
        if isinstance(words, list):
            for word in words:
                labels.setdefault(_key(word), Role(name))
    header = {
        _key(word): name
        for name in ("committee", "date", "place", "case", "officer")
        for word in fields["agenda"][name]
    }
    sections = {
        _key(w): kind for kind, words in fields["agenda"]["sections"].items() for w in words
    }
    cells = {fold(w): verdict for verdict, words in goals["status_cells"].items() for w in words}
    return Lexicon(
        labels=labels,
        agenda_header=header,
        committee_suffixes=tuple(fields["agenda"]["committee_suffixes"]),
        sections=sections,
        assessment_prefix=re.compile(fields["labels"]["assessment_prefix"], re.I),
        goal_subjects=tuple(goals["subjects"]),
        list_intro=frozenset(goals["list_intro"]),
        summary_cues=tuple(goals["summary_cues"]),
        not_goal_headings=frozenset(goals["not_goal_headings"]),
        status_cells=cells,
        colours=frozenset(goals["colours"]["words"]),
        outcomes=tuple((p, o) for p, o in agenda["outcomes"]["phrases"]),
        months={k: int(v) for k, v in agenda["months"].items()},
    )


def verdict_patterns() -> list[tuple[str, list[dict[str, Any]]]]:
    """The Matcher patterns of ``verdicts.jsonl`` as (label, pattern)."""
    return [(str(e["label"]), list(e["pattern"])) for e in load_jsonl("da", "verdicts")]
