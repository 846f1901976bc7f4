"""Example questions made from what the graph holds (its busiest partner and project), so the
help text and the web page suggest questions that work on any municipality's documents."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api import MaalGraph

MAAL = "https://w3id.org/maalgraph/def#"
GENERAL = ["Hvilke mål er ikke opfyldt?", "Hvor mange mål er opfyldt?", "Hvilke fokusområder har delvist opfyldte mål?",
           "Hvilket udvalg behandlede opfølgningen?"]  # fmt: skip


def example_questions(kg: MaalGraph) -> list[str]:
    """Questions about the partner and the project most goals depend on, then general ones."""

    def busiest(kind: str) -> str | None:
        rows = [r for r in kg.named("entities", type=kind).rows if int(str(r["goals"])) > 0]
        return (
            str(max(rows, key=lambda r: (int(str(r["goals"])), str(r["label"])))["label"])
            if rows
            else None
        )

    partner, project = busiest(MAAL + "Partner"), busiest(MAAL + "Project")
    out = [f"Hvilke mål afhænger af {partner}?"] if partner else []
    out += [f"Hvilke mål understøtter {project}?"] if project else []
    out += [f"Hvad sker der hvis {partner or project} stopper?"] if partner or project else []
    return out + GENERAL
