"""Link agenda items to the follow-ups they approve, and summary bullets to goals.

Runs after every ingest over the whole store, because either document may arrive first.
The links (and the inconsistencies found) live in one derived graph that is rebuilt
from scratch each time, so it never holds stale links.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from .namespaces import MAAL
from .results import QueryResult

MATCH_THRESHOLD = 0.75
VERDICT_WORDS = {
    str(MAAL.Opfyldt): "opfyldt",
    str(MAAL.DelvistOpfyldt): "delvist opfyldt",
    str(MAAL.IkkeOpfyldt): "ikke opfyldt",
    str(MAAL.IkkeVurderet): "ikke vurderet",
}


Row = dict[str, Any]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


@dataclass
class Links:
    graph: Graph = field(default_factory=Graph)
    warnings: list[str] = field(default_factory=list)


def prune_registry_update(registry: str, links: str) -> str:
    """The update that drops registry facts about things no document uses any more (after a
    document is removed or changed). A thing is in use when a document graph names it, or
    names a registry thing that refers to it (a meeting's committee, a unit's municipality);
    maalgraph's registry is never deeper than that. The IRIs are maalgraph's own graph names."""
    reg, lnk = URIRef(registry).n3(), URIRef(links).n3()
    used = "GRAPH ?g {{ {{ ?x ?q {0} }} UNION {{ {0} ?q ?y }} }} FILTER(?g != {1} && ?g != {2})"
    return (
        f"DELETE {{ GRAPH {reg} {{ ?thing ?p ?o }} }} WHERE {{\n"
        f"  GRAPH {reg} {{ ?thing ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ {used.format('?thing', reg, lnk)} }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH {reg} {{ ?parent ?r ?thing }} {used.format('?parent', reg, lnk)} }}\n"
        "}"
    )


def build_links(candidates: QueryResult, graph_iri: str) -> Links:
    """Match each agenda item's summary statements to the goals of the best-fitting report."""
    summaries: dict[str, list[Row]] = defaultdict(list)
    goals: dict[str, list[Row]] = defaultdict(list)
    titles: dict[str, str] = {}
    for row in candidates.rows:
        owner = str(row["owner"])
        titles[owner] = str(row["ownerTitle"])
        (summaries if row["kind"] == "summary" else goals)[owner].append(row)
    out = Links()
    for item, statements in summaries.items():
        best_report: str | None = None
        best_pairs: list[tuple[Row, Row]] = []
        for report, report_goals in goals.items():
            pairs = _pair(statements, report_goals)
            if len(pairs) > len(best_pairs):
                best_report, best_pairs = report, pairs
        if best_report is None:
            out.warnings.append(f"agenda item {titles[item]!r}: no ingested follow-up matches its summary")
            continue
        out.graph.add((URIRef(item), MAAL.approves, URIRef(best_report)))
        for statement, goal in best_pairs:
            out.graph.add((URIRef(str(statement["node"])), MAAL.restates, URIRef(str(goal["node"]))))
            said, found = statement.get("verdict"), goal.get("verdict")
            if said and found and said != found:
                _inconsistency(
                    out, graph_iri, str(goal["node"]),
                    f"the summary of {titles[item]!r} says {VERDICT_WORDS.get(str(said))!r} "
                    f"but the follow-up says {VERDICT_WORDS.get(str(found))!r} for the goal "
                    f"{str(goal['text'])[:60]!r}",
                )  # fmt: skip
        matched_goals = {str(g["node"]) for _, g in best_pairs}
        by_area: dict[str, list[Row]] = defaultdict(list)
        for goal in goals[best_report]:
            by_area[str(goal["focusArea"])].append(goal)
        for area, area_goals in by_area.items():
            area_goals.sort(key=lambda g: str(g["node"]))
            if not any(str(g["node"]) in matched_goals for g in area_goals):
                _inconsistency(
                    out, graph_iri, area,
                    f"the summary of {titles[item]!r} omits a focus area of "
                    f"{titles[best_report]!r} with {len(area_goals)} goals "
                    f"(first goal: {str(area_goals[0]['text'])[:60]!r})",
                )  # fmt: skip
        for statement in statements:
            if all(statement is not s for s, _ in best_pairs):
                _inconsistency(
                    out, graph_iri, str(statement["node"]),
                    f"a summary bullet of {titles[item]!r} restates no goal of "
                    f"{titles[best_report]!r}: {str(statement['text'])[:60]!r}",
                )  # fmt: skip
    return out


def _pair(statements: list[Row], goals: list[Row]) -> list[tuple[Row, Row]]:
    pairs = []
    used: set[int] = set()
    for statement in statements:
        text = _norm(str(statement["text"]))
        scored = [
            (difflib.SequenceMatcher(None, text, _norm(str(g["text"]))).ratio(), i)
            for i, g in enumerate(goals)
            if i not in used
        ]
        if scored:
            score, index = max(scored)
            if score >= MATCH_THRESHOLD:
                used.add(index)
                pairs.append((statement, goals[index]))
    return pairs


def _inconsistency(out: Links, graph_iri: str, concerns: str, message: str) -> None:
    node = URIRef(f"{graph_iri}/inconsistency/{len(out.warnings) + 1}")
    out.graph.add((node, RDF.type, MAAL.Inconsistency))
    out.graph.add((node, MAAL.text, Literal(message)))
    out.graph.add((node, MAAL.concerns, URIRef(concerns)))
    out.warnings.append(message)
