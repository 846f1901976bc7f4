"""Pictures of the goal–partner network (SVG or PNG, with matplotlib) and exports for Gephi
and yEd (GraphML, GEXF).

The picture is layered, left to right: focus areas, goals, projects, partners and units.
Goals sit under their focus area; every other column is ordered by the mean height of what it
is tied to (the barycentre rule), which keeps lines short and crossings few. Nothing is
random, so the same network always gives the same picture. Colours and shapes tell the type,
goals are coloured by verdict, and the legend is in Danish.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from statistics import mean

import networkx as nx

from ..errors import QueryError
from . import EXPORT_FORMATS, PICTURE_FORMATS
from .impact import impact
from .network import Network, exportable, natural_key, nodes_of, related

COLUMNS = {"focus_area": 0, "goal": 1, "project": 2, "partner": 3, "unit": 3}
VERDICT_COLOURS = {
    "opfyldt": "#2e7d32",
    "delvist opfyldt": "#f2a900",
    "ikke opfyldt": "#c62828",
    "ikke vurderet": "#9e9e9e",
}
STYLE = {  # node type → (colour, marker, Danish name)
    "focus_area": ("#1f4e99", "s", "Fokusområde"),
    "project": ("#7b3fa0", "D", "Projekt"),
    "partner": ("#00838f", "^", "Samarbejdspartner"),
    "unit": ("#5d6d7e", "h", "Intern enhed"),
}
ROW_INCHES = 0.34
DPI = 100


def goal_partner_view(graph: Network) -> Network:
    """Focus areas, goals, projects, partners and units, and the ties between them."""
    keep = nodes_of(graph, *COLUMNS)
    return graph.subgraph(keep).copy()


def focus_area_view(graph: Network, focus_area: str) -> Network:
    """One focus area, its goals and everything they depend on."""
    goals = related(graph, focus_area, "in_focus_area", incoming=True)
    keep = {focus_area, *goals}
    for goal in goals:
        for entity in related(graph, goal, "depends_on"):
            keep.add(entity)
            keep.update(related(graph, entity, "works_with"))
    return goal_partner_view(graph.subgraph(keep))


def around_view(graph: Network, entities: Sequence[str]) -> Network:
    """The entities, the goals at risk if they stop, the projects in between and the goals'
    focus areas."""
    found = impact(graph, entities)
    keep = set(entities)
    for path in found.paths:
        keep.update(path.path)
        if path.focus_area:
            keep.add(path.focus_area)
    return goal_partner_view(graph.subgraph(keep))


def layout(graph: Network) -> dict[str, tuple[float, float]]:
    """Column by type, row by the barycentre rule; deterministic."""
    areas = sorted(nodes_of(graph, "focus_area"), key=natural_key)
    goal_order: list[str] = []
    for area in areas:
        goal_order += sorted(related(graph, area, "in_focus_area", incoming=True), key=natural_key)
    goal_order += sorted(
        (g for g in nodes_of(graph, "goal") if g not in goal_order), key=natural_key
    )
    rows = {goal: float(i) for i, goal in enumerate(goal_order)}
    centre = (len(goal_order) - 1) / 2
    rows.update(
        _column(
            sorted(
                areas,
                key=lambda a: (
                    _mean(rows, related(graph, a, "in_focus_area", incoming=True)),
                    natural_key(a),
                ),
            ),
            centre,
        )
    )
    by_barycentre = lambda n: (_mean(rows, _neighbours(graph, n)), str(graph.nodes[n]["label"]), n)  # noqa: E731
    rows.update(_column(sorted(nodes_of(graph, "project"), key=by_barycentre), centre))
    rows.update(_column(sorted(nodes_of(graph, "partner", "unit"), key=by_barycentre), centre))
    return {node: (float(COLUMNS[graph.nodes[node]["type"]]), -rows[node]) for node in rows}


def draw(graph: Network, path: str | Path, *, title: str | None = None,
         width: int | None = None, height: int | None = None) -> Path:  # fmt: skip
    """Draw ``graph`` (see the views above) to an SVG or PNG file, by its extension. Without
    ``width``/``height`` (pixels), the picture is as tall as its longest column needs."""
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    target = Path(path)
    fmt = target.suffix.lstrip(".").lower()
    if fmt not in PICTURE_FORMATS:
        raise QueryError(
            f"cannot draw to {target.name}: use a .svg or .png file (or export .graphml/.gexf)"
        )
    if graph.number_of_nodes() == 0:
        raise QueryError(
            "there is nothing to draw: the network is empty (ingest a follow-up first)"
        )
    positions = layout(graph)
    tallest = max(
        sum(1 for x, _ in positions.values() if x == column) for column in set(COLUMNS.values())
    )
    size = (
        (width or 1500) / DPI,
        (height or max(500, int((tallest * ROW_INCHES + 1.4) * DPI))) / DPI,
    )
    plt.rcParams["svg.hashsalt"] = "maalgraph"  # the same ids on every run
    plt.rcParams["svg.fonttype"] = "none"  # labels stay text: searchable, selectable, small
    figure, axes = plt.subplots(figsize=size, dpi=DPI)
    try:
        for u, v, key in sorted(graph.edges(keys=True)):
            (x1, y1), (x2, y2) = positions[u], positions[v]
            axes.plot([x1, x2], [y1, y2], color="#b0b7bf", linewidth=0.8, zorder=1,
                      linestyle="--" if key == "works_with" else "-")  # fmt: skip
        for node in sorted(positions):
            data = graph.nodes[node]
            x, y = positions[node]
            colour, marker = _look(data)
            axes.scatter(
                [x],
                [y],
                s=90,
                c=colour,
                marker=marker,
                edgecolors="white",
                linewidths=0.8,
                zorder=2,
            )
            right = data["type"] != "focus_area"
            axes.annotate(_label(data), (x, y), xytext=(8 if right else -8, 0), textcoords="offset points",
                          ha="left" if right else "right", va="center", fontsize=8, zorder=3,
                          bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})  # fmt: skip
        axes.set_xlim(-1.15, 4.0)
        top, bottom = max(y for _, y in positions.values()), min(y for _, y in positions.values())
        axes.set_ylim(bottom - 0.8, top + 0.8)
        axes.axis("off")
        figure.suptitle(title or "Målnetværk: fokusområder, mål, projekter og samarbejdspartnere", fontsize=11,
                        x=0.01, y=1 - 0.08 / size[1], ha="left", va="top")  # fmt: skip
        legend = [
            Line2D([], [], marker=m, color="none", markerfacecolor=c, markersize=8, label=n)
            for c, m, n in STYLE.values()
        ]
        legend += [Line2D([], [], marker="o", color="none", markerfacecolor=c, markersize=8, label=f"Mål: {v}")
                   for v, c in VERDICT_COLOURS.items()]  # fmt: skip
        header = 0.75 / size[1]  # title and legend keep a strip of their own: no node under them
        figure.legend(handles=legend, loc="upper left", bbox_to_anchor=(0.01, 1 - 0.32 / size[1]),
                      fontsize=8, frameon=False, ncol=len(legend), handletextpad=0.3, columnspacing=1.2)  # fmt: skip
        figure.subplots_adjust(left=0.01, right=0.99, top=1 - header, bottom=0.01)
        target.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(
            target,
            format=fmt,
            dpi=DPI,
            metadata={"Date": None} if fmt == "svg" else {"Software": None},
        )
    finally:
        plt.close(figure)
    return target


def export(graph: Network, path: str | Path, fmt: str | None = None) -> Path:
    """The network as GraphML or GEXF (by ``fmt`` or the file's extension), for Gephi or yEd."""
    target = Path(path)
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise QueryError(f"cannot export {target.name} as {fmt!r}: use graphml or gexf")
    target.parent.mkdir(parents=True, exist_ok=True)
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(exportable(graph), target)
    return target


def _column(ordered: Sequence[str], centre: float) -> dict[str, float]:
    """A column's nodes one row apart, centred on the goals' column."""
    start = centre - (len(ordered) - 1) / 2
    return {node: start + i for i, node in enumerate(ordered)}


def _neighbours(graph: Network, node: str) -> list[str]:
    return sorted(set(graph.predecessors(node)) | set(graph.successors(node)))


def _mean(rows: dict[str, float], nodes: Iterable[str]) -> float:
    placed = [rows[n] for n in nodes if n in rows]
    return mean(placed) if placed else float("inf")


def _look(data: dict[str, object]) -> tuple[str, str]:
    if data["type"] == "goal":
        return VERDICT_COLOURS.get(
            str(data.get("verdict", "")), VERDICT_COLOURS["ikke vurderet"]
        ), "o"
    colour, marker, _ = STYLE[str(data["type"])]
    return colour, marker


def _label(data: dict[str, object]) -> str:
    label = str(data["label"])
    width = 44 if data["type"] == "focus_area" else 34
    return textwrap.shorten(label, width=width, placeholder="…")
