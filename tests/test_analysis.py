"""Network analysis: a small synthetic network with answers worked out by hand, and the seeds."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from maalgraph import MaalGraph, QueryError
from maalgraph.analysis import (
    Impact,
    build_network,
    impact,
    measurement_trends,
    rank_entities,
    shared_entities,
    unsupported_goals,
    verdict_changes,
)
from maalgraph.analysis.rankings import _bipartite_betweenness, dependency_graph

# Focus area 1 holds goals 1-3, focus area 2 goals 4-6.
#   g1 → p1, g1 → p3, g4 → p3            (p3 is shared by both focus areas)
#   g2 → j1, g4 → j1, j1 works with p2   (p2 matters only through the project)
#   g3 → j3, j3 works with j2, j2 works with p5   (three steps: p5 ← j2 ← j3 ← g3)
#   g5 → u1;  g6 names nothing
NODES = [("fa1", "focus_area"), ("fa2", "focus_area"), ("p1", "partner"), ("p2", "partner"), ("p3", "partner"),
         ("p5", "partner"), ("u1", "unit"), ("j1", "project"), ("j2", "project"), ("j3", "project")] + [
         (f"g{i}", "goal") for i in range(1, 7)]  # fmt: skip
EDGES = [("g1", "in_focus_area", "fa1"), ("g2", "in_focus_area", "fa1"), ("g3", "in_focus_area", "fa1"),
         ("g4", "in_focus_area", "fa2"), ("g5", "in_focus_area", "fa2"), ("g6", "in_focus_area", "fa2"),
         ("g1", "depends_on", "p1"), ("g1", "depends_on", "p3"), ("g4", "depends_on", "p3"),
         ("g2", "depends_on", "j1"), ("g4", "depends_on", "j1"), ("j1", "works_with", "p2"),
         ("g3", "depends_on", "j3"), ("j3", "works_with", "j2"), ("j2", "works_with", "p5"),
         ("g5", "depends_on", "u1")]  # fmt: skip


@pytest.fixture(scope="module")
def network() -> nx.MultiDiGraph:
    nodes = [
        {"node": n, "type": t, "label": n.upper(), "verdict": "opfyldt" if t == "goal" else None}
        for n, t in NODES
    ]
    edges = [
        {"from": a, "relation": r, "to": b, "source": f"p/{a}-{b}", "sourceSection": "Ad 1"}
        for a, r, b in EDGES
    ]
    # a second paragraph for one edge: the network keeps the first by IRI
    edges.append(
        {
            "from": "g1",
            "relation": "depends_on",
            "to": "p1",
            "source": "p/0-first",
            "sourceSection": "Mål 1",
        }
    )
    return build_network(nodes, edges)


def test_network_is_typed_with_one_edge_per_relation(network: nx.MultiDiGraph) -> None:
    assert network.number_of_nodes() == 16 and network.number_of_edges() == len(EDGES)
    assert network.nodes["j1"]["type"] == "project" and network.nodes["g1"]["verdict"] == "opfyldt"
    assert network.get_edge_data("g1", "p1", key="depends_on") == {
        "relation": "depends_on",
        "source": "p/0-first",
        "section": "Mål 1",
    }


def test_impact_through_a_project(network: nx.MultiDiGraph) -> None:
    found = impact(network, ["p2"])
    assert [p.path for p in found.paths] == [("p2", "j1", "g2"), ("p2", "j1", "g4")]
    assert [p.via for p in found.paths] == [("J1",), ("J1",)]
    assert [(s.focus_area, s.affected, s.total) for s in found.focus_areas] == [
        ("fa1", 1, 3),
        ("fa2", 1, 3),
    ]
    assert found.paths[0].source == "p/g2-j1"  # the paragraph naming the first step


def test_impact_over_three_steps_and_of_several(network: nx.MultiDiGraph) -> None:
    assert [p.path for p in impact(network, ["p5"]).paths] == [("p5", "j2", "j3", "g3")]
    assert (
        impact(network, ["p5"], max_steps=3).paths
        and impact(network, ["p5"], max_steps=2).paths == []
    )
    both = impact(network, ["p1", "p3"])
    assert both.goals == ["g1", "g4"]
    assert [(s.focus_area, s.affected, s.total) for s in both.focus_areas] == [
        ("fa1", 1, 3),
        ("fa2", 1, 3),
    ]
    with pytest.raises(KeyError, match="nowhere"):
        impact(network, ["nowhere"])


def test_rankings(network: nx.MultiDiGraph) -> None:
    ranks = {r.entity: r for r in rank_entities(network)}
    assert {e: (r.goals, r.focus_areas) for e, r in ranks.items()} == {
        "j1": (2, 2), "p2": (2, 2), "p3": (2, 2), "p1": (1, 1), "u1": (1, 1), "j3": (1, 1), "j2": (1, 1), "p5": (1, 1),
    }  # fmt: skip
    # p3 alone joins g1 to the rest; j1 and p2 share the bridge between g2 and g4; p1 and u1
    # bridge nothing. Ties in goals and focus areas go to the better bridge, then the label.
    assert [r.entity for r in rank_entities(network)][:3] == ["p3", "j1", "p2"]
    assert ranks["p3"].betweenness > ranks["j1"].betweenness == ranks["p2"].betweenness > 0
    assert ranks["p1"].betweenness == ranks["u1"].betweenness == 0
    assert ranks["j1"].degree == round(2 / 6, 4)  # share of the six goals
    assert [r.entity for r in rank_entities(network, types=("partner",))] == [
        "p3",
        "p2",
        "p1",
        "p5",
    ]


def test_betweenness_equals_networkx_for_the_whole_graph(network: nx.MultiDiGraph) -> None:
    two_mode = dependency_graph(network)
    goals = {n for n, side in two_mode.nodes(data="bipartite") if side == 0}
    expected = bipartite.betweenness_centrality(two_mode, goals)
    assert _bipartite_betweenness(two_mode, goals) == pytest.approx(expected)
    rng = random.Random(7)
    for _ in range(40):  # random two-mode graphs, several components each
        graph = nx.Graph()
        goals = {f"g{i}" for i in range(rng.randint(2, 12))}
        entities = [f"e{i}" for i in range(rng.randint(2, 9))]
        graph.add_nodes_from([*goals, *entities])
        graph.add_edges_from(
            (g, e)
            for g in goals
            for e in rng.sample(entities, min(len(entities), rng.randint(0, 3)))
        )
        try:
            expected = bipartite.betweenness_centrality(graph, goals)
        except ZeroDivisionError:  # networkx cannot normalise a side of one node
            continue
        assert _bipartite_betweenness(graph, goals) == pytest.approx(expected)


def test_shared_and_unsupported(network: nx.MultiDiGraph) -> None:
    assert {s.entity: s.focus_areas for s in shared_entities(network)} == {
        "j1": ("FA1", "FA2"),
        "p2": ("FA1", "FA2"),
        "p3": ("FA1", "FA2"),
    }
    assert [g.goal for g in unsupported_goals(network)] == ["g6"]


def _goal(
    goal: str, year: int, text: str, verdict: str, municipality: str = "Vejle Kommune"
) -> dict[str, object]:
    return {
        "goal": goal,
        "year": year,
        "text": text,
        "verdictLabel": verdict,
        "municipalityLabel": municipality,
    }


def test_verdict_changes_match_goals_across_years() -> None:
    rows = [
        _goal(
            "a/1",
            2020,
            "Vejle Kommune skal i 2020 have færre unge på offentlig forsørgelse.",
            "opfyldt",
        ),
        _goal(
            "b/1",
            2021,
            "Vejle Kommune skal i 2021 have færre unge på offentlig forsørgelse.",
            "ikke opfyldt",
        ),
        _goal("a/2", 2020, "Flere ledige skal i job.", "delvist opfyldt"),
        _goal("b/2", 2021, "Flere ledige skal i job.", "delvist opfyldt"),
        _goal("b/3", 2021, "Et helt nyt mål om frivillighed.", "opfyldt"),
        _goal(
            "c/1", 2021, "Flere ledige skal i job.", "opfyldt", municipality="Aarhus Kommune"
        ),  # no earlier year
    ]
    changes = verdict_changes(rows)
    assert [
        (c.earlier_goal, c.later_goal, c.earlier_verdict, c.later_verdict) for c in changes
    ] == [("a/1", "b/1", "opfyldt", "ikke opfyldt")]


def test_measurement_series_merge_wordings_and_keep_one_value_per_period() -> None:
    def row(
        indicator: str, period: str, value: str, source: str, unit: str = "borgere"
    ) -> dict[str, object]:
        return {"areaLabel": "Herning Kommune", "indicator": indicator, "unit": unit, "period": period,
                "value": Decimal(value), "source": source}  # fmt: skip

    trends = measurement_trends([
        row("borgere startede som voksenlærling", "2019", "106", "doc20/p/1"),
        row("borgere som voksenlærling", "2020", "117", "doc20/p/2"),
        row("borgere som voksenlærling", "2020", "120", "doc21/p/1"),  # the same period again: first kept
        row("borgere i fleksjob", "2020", "1745", "doc20/p/3"),  # one period: no trend
        row("andel på forsørgelse", "2019", "10,4".replace(",", "."), "doc20/p/4", unit="procent"),
        row("andel på forsørgelse", "2020", "10.4", "doc20/p/5", unit="procent"),
    ])  # fmt: skip
    summary = [
        (t.indicator, [(p.period, p.value) for p in t.points], t.direction, t.change)
        for t in trends
    ]
    assert summary == [
        (
            "andel på forsørgelse",
            [("2019", Decimal("10.4")), ("2020", Decimal("10.4"))],
            "uændret",
            0,
        ),
        ("borgere som voksenlærling", [("2019", 106), ("2020", 117)], "stigende", 11),
    ]


# ---------------------------------------------------------------------------- the seeds


def test_seed_impact_of_blaa_kors_and_herningsholm(example: MaalGraph) -> None:
    blaa = example.impact("Blå Kors")
    assert {p.identifier for p in blaa.paths} == {"3.1"}
    assert set(blaa.labels) == {"Blå Kors Pensionat", "Blå Kors Varmestue"}
    (share,) = blaa.focus_areas
    assert share.label.startswith("Udsatte borgere") and (share.affected, share.total) == (1, 3)
    assert all(p.section == "Fokusområde 3, Ad 1" for p in blaa.paths)
    assert [p.identifier for p in example.impact("Herningsholm Erhvervsskole").paths] == ["4.2"]


def test_seed_impact_through_projects(example: MaalGraph) -> None:
    paths = {p.labels for p in example.impact("Jobcentret").paths}
    assert ("Jobcentret", "Projekt Småjob", "Mål 2.1") in paths and (
        "Jobcentret",
        "Mål 4.2",
    ) in paths


def test_seed_analysis_and_trends(example: MaalGraph) -> None:
    result = example.analyse(municipality="Herning")
    assert result.rankings[0].label == "Jobcentret" and result.rankings[0].focus_areas == 2
    assert [s.label for s in result.shared] == ["Jobcentret"]
    assert "Mål 1.2" in [g.label for g in result.unsupported]
    fleksjob = next(t for t in example.trends() if t.indicator == "borgere i fleksjob")
    assert [(p.period, p.value) for p in fleksjob.points] == [
        ("2019", 1648),
        ("2020", 1745),
    ] and fleksjob.direction == "stigende"
    assert example.verdict_changes() == []  # one year only


def test_network_of_a_year_or_municipality_that_has_none(example: MaalGraph) -> None:
    assert (
        example.to_networkx(year=2020).number_of_nodes()
        == example.to_networkx().number_of_nodes()
        > 40
    )
    assert example.to_networkx(year=1999).number_of_nodes() == 0


def test_unknown_names_are_errors_with_a_suggestion(example: MaalGraph) -> None:
    with pytest.raises(QueryError, match="nothing named 'Røde Kors'.*did you mean 'Blå Kors"):
        example.impact("Røde Kors")
    with pytest.raises(QueryError, match="at least one"):
        example.impact()


def test_verdict_changes_between_two_ingested_years(
    kg: MaalGraph, vejle: Path, tmp_path: Path
) -> None:
    """The next year's follow-up repeats the goals with the year changed; one verdict moved."""
    text = vejle.read_text(encoding="utf-8").replace("2021", "2022").replace("2020", "2021")
    later = tmp_path / "followup-vejle-2022.txt"
    later.write_text(
        text.replace("corona. Målet er ikke opfyldt.", "corona. Målet er opfyldt."),
        encoding="utf-8",
    )
    kg.ingest_many([vejle, later])
    changes = kg.verdict_changes(municipality="Vejle")
    assert [
        (c.earlier_year, c.earlier_verdict, c.later_year, c.later_verdict) for c in changes
    ] == [(2021, "ikke opfyldt", 2022, "opfyldt")]
    assert (
        "psykiske lidelser" in changes[0].text.casefold()
        or "psykiatri" in changes[0].text.casefold()
    )
    assert kg.verdict_changes(municipality="Vejle Kommune") == changes


# ---------------------------------------------------------------------------- scoped reads


@pytest.fixture(scope="module")
def places() -> MaalGraph:
    """Three municipalities over two years each (the question sets' store)."""
    from question_sets import question_store

    return question_store()


def whole_network_impact(
    kg: MaalGraph, iri: str, municipality: str | None, year: int | None
) -> Impact:
    """The impact as it was computed before it was read around the entity: on the network of
    its whole municipality (or of everything)."""
    network = kg.to_networkx(municipality=municipality, year=year)
    return impact(network, [iri]) if iri in network else Impact([iri], [])


def test_impact_read_around_an_entity_equals_the_whole_network(places: MaalGraph) -> None:
    """For every partner, unit and project, in every year and in all years: the same paths,
    paragraphs and focus-area shares as on its municipality's whole network."""
    years = sorted({int(str(r["year"])) for r in places.named("documents").rows if r.get("year")})
    entities = [
        e for e in places.entity_index.entities() if e.kind in ("partner", "unit", "project")
    ]
    checked = 0
    for e in entities:
        for year in [None, *years]:
            expected = whole_network_impact(places, e.iri, e.municipality, year)
            found = places.impact(e.iri, year=year)
            assert (found.paths, found.focus_areas) == (expected.paths, expected.focus_areas), (
                e,
                year,
            )
            checked += bool(found.paths)
    assert len(entities) > 30 and checked > 30  # the comparison is not between empty impacts


def test_analysis_of_one_municipality_equals_the_whole_store_restricted_to_it(
    places: MaalGraph,
) -> None:
    """Rankings (goals and focus areas at risk), shared partners and goals without any: the
    same for a municipality's own network as for the whole store's, restricted to it."""
    whole = places.analyse()
    labels = {
        str(r["municipality"]): str(r["municipalityLabel"])
        for r in places.named("documents").rows
        if r.get("municipality")
    }
    for municipality in labels:
        own = places.analyse(municipality=municipality)
        mine = {e.iri for e in places.entity_index.entities() if e.municipality == municipality}
        # the same counts (the order among equal counts follows betweenness, normalised by the
        # size of the graph it was computed on)
        assert sorted(
            (r.entity, r.goals, r.focus_areas) for r in own.rankings if r.entity in mine
        ) == sorted((r.entity, r.goals, r.focus_areas) for r in whole.rankings if r.entity in mine)
        assert [s for s in whole.shared if s.entity in mine] == own.shared
        goals = {g.goal for g in own.unsupported}
        assert goals and [g for g in whole.unsupported if g.goal in goals] == own.unsupported


def test_analysis_reads_only_what_rankings_need(places: MaalGraph) -> None:
    """The analysis of a scope, read without measurements and plans, equals the analysis of
    the scope's whole network."""
    years = sorted({int(str(r["year"])) for r in places.named("documents").rows if r.get("year")})
    municipalities = sorted({str(r["municipality"]) for r in places.named("documents").rows if r.get("municipality")})  # fmt: skip
    compared = []
    for municipality, year in [(None, None), *((m, None) for m in municipalities), (municipalities[0], years[-1])]:  # fmt: skip
        network = places.to_networkx(municipality=municipality, year=year)
        found = places.analyse(municipality=municipality, year=year)
        assert found.rankings == rank_entities(network)
        assert found.shared == shared_entities(network)
        assert found.unsupported == unsupported_goals(network)
        compared.append(bool(found.rankings and found.unsupported))
    assert all(compared[:1]) and sum(compared) > 1  # not a comparison of empty analyses


def test_analyses_are_remembered_until_the_store_changes(vejle: Path) -> None:
    """The same analysis and impact again come from the cache; an ingest drops them."""
    from question_sets import DOCUMENTS

    kg = MaalGraph.memory()
    kg.ingest(vejle)
    first = kg.analyse()
    partner = first.rankings[0].entity
    before = kg.impact(partner)
    assert kg.analyse() is first and kg.impact(partner) is before
    kg.ingest_many([d for d in DOCUMENTS if d != vejle][:3])
    again = kg.analyse()
    assert {r.entity for r in again.rankings} > {r.entity for r in first.rankings}
    assert kg.impact(partner) is not before
