"""What is at risk if a partner, unit or project stops: the goals that depend on it, directly
or through the projects it works on, each with the path that explains why.

A loss spreads backwards along the dependency relations: a goal depends on a project, the
project works with a partner; if the partner stops, the project and so the goal are at risk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .network import DEPENDENCY, Network, focus_area_of, related

MAX_STEPS = 4  # partner ← project ← project ← goal: longer chains do not occur in follow-ups


@dataclass(frozen=True)
class ImpactPath:
    """One way a goal depends on the stopped entity."""

    goal: str
    goal_label: str
    identifier: str  # the goal's number, "3.1"
    text: str
    verdict: str
    focus_area: str | None
    focus_area_label: str
    path: tuple[str, ...]  # node IRIs: the entity, any projects in between, the goal
    labels: tuple[str, ...]  # their labels
    source: str  # the paragraph of the goal (or its assessment) naming the next step
    section: str

    @property
    def via(self) -> tuple[str, ...]:
        """The labels of the projects between the entity and the goal."""
        return self.labels[1:-1]


@dataclass(frozen=True)
class FocusAreaShare:
    """How much of a focus area is at risk."""

    focus_area: str
    label: str
    affected: int
    total: int

    @property
    def share(self) -> float:
        return self.affected / self.total if self.total else 0.0


@dataclass(frozen=True)
class GoalAtRisk:
    """One goal at risk with every way it depends on what stops (a person reads one row
    per goal: two partners of one goal are two explanations, not two goals)."""

    goal: str
    identifier: str
    text: str
    verdict: str
    focus_area: str | None
    focus_area_label: str
    explanations: tuple[tuple[str, ...], ...]  # the labels of each path
    sections: tuple[str, ...]  # the sections of the paragraphs saying so, each once


@dataclass
class Impact:
    entities: list[str]
    labels: list[str]
    paths: list[ImpactPath] = field(default_factory=list)
    focus_areas: list[FocusAreaShare] = field(default_factory=list)

    def by_goal(self) -> list[GoalAtRisk]:
        """The paths grouped by goal, in the order of the paths."""
        grouped: dict[str, list[ImpactPath]] = {}
        for path in self.paths:
            grouped.setdefault(path.goal, []).append(path)
        return [
            GoalAtRisk(
                first.goal, first.identifier, first.text, first.verdict, first.focus_area,
                first.focus_area_label,
                tuple(dict.fromkeys(p.labels for p in paths)),
                tuple(dict.fromkeys(p.section for p in paths if p.section)),
            )
            for first, paths in ((paths[0], paths) for paths in grouped.values())
        ]  # fmt: skip

    @property
    def goals(self) -> list[str]:
        """The goals at risk, each once."""
        return sorted({p.goal for p in self.paths})


def impact(graph: Network, entities: Sequence[str], *, max_steps: int = MAX_STEPS) -> Impact:
    """The goals and focus areas at risk if all of ``entities`` stop (nodes of ``graph``),
    along paths of at most ``max_steps`` steps (partner → project → goal is two)."""
    missing = [e for e in entities if e not in graph]
    if missing:
        raise KeyError(f"not in the network: {', '.join(missing)}")
    result = Impact(list(entities), [str(graph.nodes[e]["label"]) for e in entities])
    for entity in entities:
        for path in paths_to_goals(graph, entity, max_steps):
            result.paths.append(_explain(graph, path))
    result.paths.sort(
        key=lambda p: (p.focus_area_label, p.goal_label, p.goal, len(p.path), p.labels)
    )
    result.focus_areas = _shares(graph, result.paths)
    return result


def paths_to_goals(graph: Network, start: str, max_steps: int) -> list[tuple[str, ...]]:
    """Every simple path from ``start`` back along the dependency relations to a goal."""
    found = []
    stack: list[tuple[str, ...]] = [(start,)]
    while stack:
        path = stack.pop()
        for relation in DEPENDENCY:
            for before in related(graph, path[-1], relation, incoming=True):
                if before in path:
                    continue
                longer = (*path, before)
                if graph.nodes[before]["type"] == "goal":
                    found.append(longer)
                elif len(longer) <= max_steps:
                    stack.append(longer)
    return sorted(found)


def _explain(graph: Network, path: tuple[str, ...]) -> ImpactPath:
    goal, step = path[-1], path[-2]
    edge = graph.get_edge_data(goal, step, key="depends_on") or {}
    area = focus_area_of(graph, goal)
    node = graph.nodes[goal]
    return ImpactPath(
        goal=goal,
        goal_label=str(node["label"]),
        identifier=str(node.get("identifier", "")),
        text=str(node.get("text", "")),
        verdict=str(node.get("verdict", "")),
        focus_area=area,
        focus_area_label=str(graph.nodes[area]["label"]) if area else "",
        path=path,
        labels=tuple(str(graph.nodes[n]["label"]) for n in path),
        source=str(edge.get("source", "")),
        section=str(edge.get("section", "")),
    )


def _shares(graph: Network, paths: list[ImpactPath]) -> list[FocusAreaShare]:
    affected: dict[str, set[str]] = defaultdict(set)
    for p in paths:
        if p.focus_area:
            affected[p.focus_area].add(p.goal)
    shares = [
        FocusAreaShare(
            area,
            str(graph.nodes[area]["label"]),
            len(goals),
            len(related(graph, area, "in_focus_area", incoming=True)),
        )
        for area, goals in affected.items()
    ]
    return sorted(shares, key=lambda s: (-s.share, s.label))
