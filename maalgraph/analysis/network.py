"""The goal network as a typed :class:`networkx.MultiDiGraph`, built from two named queries.

Nodes are IRIs with a ``type`` (one of :data:`NODE_TYPES`), a ``label`` and, where they
apply, ``identifier`` (a goal's "3.1"), ``text``, ``verdict``, ``year`` and ``municipality``. Edges point the way the
dependency reads (goal → partner it depends on, project → partner it works with, goal →
focus area, measurement → goal, focus area → plan), are keyed by their ``relation`` (one of
:data:`RELATIONS`) and carry the ``source`` paragraph that says so and its ``section``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import networkx as nx

NODE_TYPES = ("focus_area", "goal", "partner", "unit", "project", "plan", "measurement")
RELATIONS = {
    "in_focus_area": "mål i fokusområde",
    "depends_on": "afhænger af",
    "works_with": "samarbejder med",
    "pathway": "vej til målet",
    "measures": "måling af",
}
DEPENDENCY = ("depends_on", "works_with")  # the relations along which a loss spreads
ENTITY_TYPES = ("partner", "unit", "project")

Row = Mapping[str, Any]
Network: TypeAlias = "nx.MultiDiGraph[str]"  # nodes are IRIs


def build_network(nodes: Iterable[Row], edges: Iterable[Row]) -> Network:
    """The network from rows of ``network_nodes`` and ``network_edges``. Nodes and edges are
    added in IRI order and each edge keeps its first paragraph by IRI, so the same store
    always gives the same graph (and the same pictures)."""
    graph: Network = nx.MultiDiGraph()
    for row in sorted(nodes, key=lambda r: str(r["node"])):
        node = str(row["node"])
        attributes: dict[str, Any] = {"type": str(row["type"]), "label": str(row["label"])}
        for column, name in (("identifier", "identifier"), ("text", "text"), ("verdict", "verdict"),
                             ("municipalityLabel", "municipality")):  # fmt: skip
            if row.get(column) is not None:
                attributes[name] = str(row[column])
        if row.get("year") is not None and attributes["type"] not in ENTITY_TYPES + ("plan",):
            attributes["year"] = int(str(row["year"]))
        if node in graph:  # a named thing reached from several reports: one node
            graph.nodes[node].update(
                {k: v for k, v in attributes.items() if k not in graph.nodes[node]}
            )
        else:
            graph.add_node(node, **attributes)
    first: dict[tuple[str, str, str], Row] = {}
    for row in edges:
        key = (str(row["from"]), str(row["relation"]), str(row["to"]))
        if key not in first or str(row["source"]) < str(first[key]["source"]):
            first[key] = row
    for (source_node, relation, target), row in sorted(first.items()):
        if source_node in graph and target in graph:
            graph.add_edge(source_node, target, key=relation, relation=relation,
                           source=str(row["source"]), section=str(row.get("sourceSection") or ""))  # fmt: skip
    return graph


def natural_key(iri: str) -> list[object]:
    """IRI order with numbers compared as numbers (…/fa/2 before …/fa/10).

    >>> sorted(["r/fa/10", "r/fa/2"], key=natural_key)
    ['r/fa/2', 'r/fa/10']
    """
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", iri)]


def nodes_of(graph: Network, *types: str) -> list[str]:
    """The nodes of the given types, in IRI order."""
    return sorted(n for n, data in graph.nodes(data=True) if data["type"] in types)


def related(graph: Network, node: str, relation: str, *, incoming: bool = False) -> list[str]:
    """The nodes ``node`` points to along ``relation`` (or that point to it), in IRI order."""
    edges = graph.in_edges(node, keys=True) if incoming else graph.out_edges(node, keys=True)
    return sorted({(u if incoming else v) for u, v, key in edges if key == relation})


def focus_area_of(graph: Network, goal: str) -> str | None:
    areas = related(graph, goal, "in_focus_area")
    return areas[0] if areas else None


def exportable(graph: Network) -> Network:
    """A copy whose attributes GraphML and GEXF can write (strings and numbers, no None)."""
    out: Network = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        out.add_node(node, **{k: v for k, v in data.items() if isinstance(v, (str, int, float))})
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(
            u,
            v,
            key=key,
            **{k: val for k, val in data.items() if isinstance(val, (str, int, float))},
        )
    return out
