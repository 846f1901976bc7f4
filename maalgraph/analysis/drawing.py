"""Pictures of the goal–partner network (SVG or PNG, with matplotlib) and exports for Gephi
and yEd (GraphML, GEXF).

The picture is layered, left to right: focus areas, goals, projects, partners and units.
Goals sit under their focus area; every other column is ordered by the mean height of what it
is tied to (the barycentre rule), which keeps lines short and crossings few. Nothing is
random, so the same network always gives the same picture. Colours and shapes tell the type,
goals are coloured by verdict and named by number and the start of their text, focus areas
by their whole title (wrapped), and the legend, in Danish, explains what is drawn: the
types and verdicts present and the two kinds of line.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from statistics import mean

import networkx as nx

from ..errors import QueryError
from ..i18n import N_, _
from ..wording import goal_name
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
STYLE = {  # node type → (colour, marker, name in the legend)
    "focus_area": ("#1f4e99", "s", N_("Focus area")),
    "project": ("#7b3fa0", "D", N_("Project")),
    "partner": ("#00838f", "^", N_("Partner")),
    "unit": ("#5d6d7e", "h", N_("Internal unit")),
}
LINES = {  # edge key → (line style, legend text)
    "depends_on": ("-", N_("depends on")),
    "works_with": ("--", N_("works with")),
}
FOCUS_AREA_WRAP = 34  # characters per line of a focus area's title (never cut)
GOAL_WIDTH = 34  # characters of a goal's number and text
LINE_ROWS = 0.36  # the height of a line of a label, in rows
LEGEND_COLUMNS = 6
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
    rows.update(_focus_area_rows(graph, areas, rows, centre))
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
            N_("cannot draw to {file}: use a .svg or .png file (or export .graphml/.gexf)"),
            file=target.name,
        )
    if graph.number_of_nodes() == 0:
        raise QueryError(
            N_("there is nothing to draw: the network is empty (ingest a follow-up first)")
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
                      linestyle=LINES.get(key, LINES["depends_on"])[0])  # fmt: skip
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
        axes.set_xlim(-1.25, 4.0)
        top, bottom = max(y for _, y in positions.values()), min(y for _, y in positions.values())
        axes.set_ylim(bottom - 0.8, top + 0.8)
        axes.axis("off")
        figure.suptitle(title or _("Goal network: focus areas, goals, projects and partners"), fontsize=11,
                        x=0.01, y=1 - 0.08 / size[1], ha="left", va="top")  # fmt: skip
        legend = _legend(graph, Line2D)
        columns = min(len(legend), LEGEND_COLUMNS)
        rows = -(-len(legend) // columns)
        # title and legend keep a strip of their own: no node under them
        header = (0.53 + 0.22 * rows) / size[1]
        figure.legend(handles=legend, loc="upper left", bbox_to_anchor=(0.01, 1 - 0.32 / size[1]),
                      fontsize=8, frameon=False, ncol=columns, handletextpad=0.3, columnspacing=1.2)  # fmt: skip
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
        raise QueryError(
            N_("cannot export {file} as {format!r}: use graphml or gexf"),
            file=target.name,
            format=fmt,
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(exportable(graph), target)
    return target


def _focus_area_rows(
    graph: Network, areas: Sequence[str], rows: dict[str, float], centre: float
) -> dict[str, float]:
    """Each focus area beside the middle of its goals, moved down where needed so that its
    whole title (several lines) keeps clear of the one above."""
    ordered = sorted(
        areas,
        key=lambda a: (
            _mean(rows, related(graph, a, "in_focus_area", incoming=True)),
            natural_key(a),
        ),
    )
    wanted = {a: _mean(rows, related(graph, a, "in_focus_area", incoming=True)) for a in ordered}
    if any(w == float("inf") for w in wanted.values()):
        return _column(ordered, centre)
    lines = {a: _label(graph.nodes[a]).count("\n") + 1 for a in ordered}
    placed: dict[str, float] = {}
    previous: str | None = None
    for area in ordered:
        row = wanted[area]
        if previous is not None:
            gap = (lines[previous] + lines[area]) * LINE_ROWS / 2 + 0.2
            row = max(row, placed[previous] + max(gap, 1.0))
        placed[area] = row
        previous = area
    return placed


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


def _legend(graph: Network, line: type) -> list[object]:
    """The legend of what is drawn: the types present, the verdicts of the goals present,
    and the kinds of line present."""
    types = {str(d["type"]) for _node, d in graph.nodes(data=True)}
    verdicts = {
        str(d.get("verdict") or "ikke vurderet")
        for _node, d in graph.nodes(data=True)
        if d["type"] == "goal"
    }
    keys = {key for _u, _v, key in graph.edges(keys=True)}
    legend = [line([], [], marker=m, color="none", markerfacecolor=c, markersize=8, label=_(n))
              for kind, (c, m, n) in STYLE.items() if kind in types]  # fmt: skip
    legend += [line([], [], marker="o", color="none", markerfacecolor=c, markersize=8,
                    label=_("Goal: {verdict}", verdict=v))
               for v, c in VERDICT_COLOURS.items() if v in verdicts]  # fmt: skip
    legend += [line([], [], color="#8a939c", linewidth=1.2, linestyle=style, label=_(text))
               for key, (style, text) in LINES.items() if key in keys]  # fmt: skip
    return legend


def _label(data: dict[str, object]) -> str:
    """A focus area by its whole title (wrapped), a goal by number and the start of its text,
    anything else by its name, shortened."""
    label = " ".join(str(data["label"]).split())
    if data["type"] == "focus_area":
        return textwrap.fill(label, width=FOCUS_AREA_WRAP)
    if data["type"] == "goal" and data.get("identifier"):
        return goal_name(data["identifier"], data.get("text", ""), GOAL_WIDTH)
    return textwrap.shorten(label, width=34, placeholder="…")
