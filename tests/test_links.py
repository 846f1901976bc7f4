"""Links between documents, rebuilt incrementally: only what a changed document can affect."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_triples import corpus_documents

from maalgraph import MaalGraph
from maalgraph.links import MATCH_THRESHOLD, DocumentScope, LinkInputs, plan
from maalgraph.matching import normalise, pair_by_text, similarity

DATA = Path(__file__).parent / "data"
MAAL = "https://w3id.org/maalgraph/def#"
APPROVES = f"SELECT ?item ?report WHERE {{ ?item <{MAAL}approves> ?report }}"


def derived(kg: MaalGraph) -> dict[str, set[tuple[str, ...]]]:
    """Every derived graph's triples, as text."""
    return {
        g: {tuple(str(t) for t in triple) for triple in kg.store.graph_as_rdflib(g)}
        for g in kg.store.graphs()
        if g.startswith(kg.iris.derived())
    }


@pytest.fixture()
def vejle_2022(tmp_path: Path) -> Path:
    path = tmp_path / "followup-vejle-2022.txt"
    path.write_text(
        (DATA / "followup-vejle-2021.txt").read_text(encoding="utf-8").replace("2021", "2022"),
        encoding="utf-8",
    )
    return path


def test_agenda_item_ingested_before_its_follow_up(kg: MaalGraph) -> None:
    kg.ingest(DATA / "agenda-vejle-2022.txt")
    assert kg.query(APPROVES).rows == []
    kg.ingest(DATA / "followup-vejle-2021.txt")
    assert [r["report"] for r in kg.query(APPROVES).rows] == [
        kg.iris("report", "followup-vejle-2021")
    ]


def test_the_item_approves_the_report_of_its_own_year(kg: MaalGraph, tmp_path: Path) -> None:
    """Two years of one municipality share their goal texts; the item's year decides (the
    2020 report would win the tie on text alone: it comes first)."""
    earlier = tmp_path / "followup-vejle-2020.txt"
    earlier.write_text(
        (DATA / "followup-vejle-2021.txt").read_text(encoding="utf-8").replace("2021", "2020"),
        encoding="utf-8",
    )
    kg.ingest_many([earlier, DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"])
    assert [r["report"] for r in kg.query(APPROVES).rows] == [
        kg.iris("report", "followup-vejle-2021")
    ]


def test_incremental_relinking_equals_a_full_rebuild(
    kg: MaalGraph, seeds: dict, vejle_2022: Path
) -> None:
    steps = [
        lambda: kg.ingest(DATA / "agenda-vejle-2022.txt"),
        lambda: kg.ingest(seeds["followup"]),
        lambda: kg.ingest(DATA / "followup-vejle-2021.txt"),
        lambda: kg.ingest_many([seeds["agenda"], vejle_2022]),
        lambda: kg.remove("followup-vejle-2021"),
        lambda: kg.ingest(DATA / "followup-vejle-2021.txt"),
        lambda: kg.remove("agenda-vejle-2022"),
        lambda: kg.remove("maalopfoelgning-2020"),
    ]
    for number, step in enumerate(steps, start=1):
        step()
        incremental = derived(kg)
        kg.relink()
        assert derived(kg) == incremental, f"after step {number}"


def test_an_unrelated_ingest_relinks_nothing_else(
    kg: MaalGraph, seeds: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    kg.ingest_many([DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"])
    calls: list[tuple[str, dict[str, object]]] = []
    written: list[str] = []
    named, replace_graph = kg.named, kg.store.replace_graph

    def recording(name: str, **params: object) -> object:
        calls.append((name, params))
        return named(name, **params)

    def recording_write(graph: str, *args: object, **kwargs: object) -> None:
        written.append(graph)
        replace_graph(graph, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kg, "named", recording)
    monkeypatch.setattr(kg.store, "replace_graph", recording_write)
    kg.ingest(seeds["followup"])  # Herning's follow-up: no agenda item of Vejle can approve it
    # what relinking reads of the new document comes with it: no query of the store
    assert not [c for c in calls if c[0] in ("summary_statements", "goals", "project_partners")]
    derived_written = [g for g in written if g.startswith(kg.iris.derived())]
    assert derived_written == [kg.iris.derived("partners", "herning-kommune")]


def test_a_replaced_document_is_relinked_from_the_store(
    kg: MaalGraph, seeds: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replacement may withdraw facts: the partners of its municipality are read again."""
    kg.ingest_many([DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"])
    calls: list[tuple[str, dict[str, object]]] = []
    named = kg.named

    def recording(name: str, **params: object) -> object:
        calls.append((name, params))
        return named(name, **params)

    monkeypatch.setattr(kg, "named", recording)
    kg.ingest(DATA / "followup-vejle-2021.txt")
    assert [c[1] for c in calls if c[0] == "project_partners"] == [
        {"municipality": kg.iris("area", "vejle-kommune")}
    ]


def test_removal_drops_what_was_derived(kg: MaalGraph) -> None:
    kg.ingest_many([DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"])
    assert set(derived(kg)) == {
        kg.iris.derived("links", "agenda-vejle-2022"),
        kg.iris.derived("partners", "vejle-kommune"),
    }
    kg.remove("followup-vejle-2021")
    assert kg.query(APPROVES).rows == []
    assert kg.store.graph_size(kg.iris.derived("partners", "vejle-kommune")) == 0
    kg.remove("agenda-vejle-2022")
    assert derived(kg) == {}


def test_an_item_without_municipality_or_year_could_approve_any_report() -> None:
    report = DocumentScope("g/r", "d/r", "follow-up", "area/vejle", 2021)
    vague = DocumentScope("g/v", "d/v", "agenda-item", None, None)
    other_year = DocumentScope("g/o", "d/o", "agenda-item", "area/vejle", 2020)
    todo = plan([report, vague, other_year], [report])
    assert [i.doc_id for i in todo.agenda_items] == ["v"]
    assert todo.municipalities == ["area/vejle"]
    assert [i.doc_id for i in plan([report, vague, other_year], None).agenda_items] == ["v", "o"]


def _exhaustive_pairs(statements: list[dict], goals: list[dict]) -> list[tuple[int, int]]:
    """Every statement against every unused goal, scored in full (no cut-off): what
    pair_by_text must equal."""
    pairs, used = [], set()
    for statement in statements:
        text = normalise(statement["text"])
        scored = [
            (similarity(text, normalise(g["text"])), i)
            for i, g in enumerate(goals)
            if i not in used
        ]
        if scored and max(scored)[0] >= MATCH_THRESHOLD:
            used.add(max(scored)[1])
            pairs.append((statement["id"], goals[max(scored)[1]]["id"]))
    return pairs


# a small vocabulary makes ties and near-threshold scores common
phrases = st.lists(
    st.sampled_from(["unge", "i job", "ledige", "fleksjob", "skal", "flere", "færre", "."]),
    min_size=1,
    max_size=8,
).map(" ".join)


@settings(max_examples=1000, deadline=None)
@example(["unge flere fleksjob i job flere"], ["unge fleksjob flere flere i job flere"])
@example(["flere i job", "flere i job"], ["flere i job", "flere i job ."])  # ties
@example(["unge unge unge unge unge unge"], ["unge unge unge unge unge unge unge unge"] * 2)
@given(st.lists(phrases, max_size=8), st.lists(phrases, max_size=8))
def test_pairing_skips_only_what_cannot_win(
    statement_texts: list[str], goal_texts: list[str]
) -> None:
    statements = [{"text": t, "id": i} for i, t in enumerate(statement_texts)]
    goals = [{"text": t, "id": i} for i, t in enumerate(goal_texts)]
    assert [
        (s["id"], g["id"]) for s, g in pair_by_text(statements, goals, MATCH_THRESHOLD)
    ] == _exhaustive_pairs(statements, goals)


def _distinct(rows: list, columns: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {tuple(str(r.get(c)) for c in columns) for r in rows}


GOAL_COLUMNS = (
    "goal",
    "text",
    "verdict",
    "focusArea",
    "report",
    "reportTitle",
    "municipality",
    "year",
)
STATEMENT_COLUMNS = ("statement", "text", "verdict", "item", "itemTitle")


@pytest.mark.parametrize("name", sorted(corpus_documents()))
def test_link_inputs_read_from_the_facts_equal_the_queries(name: str) -> None:
    """What relinking reads of a document from its facts (in the worker) is what the named
    queries read of it in a store: the incremental relinking of a batch rests on it."""
    kg = MaalGraph.memory()
    quads = kg.build_quads(kg.parse(corpus_documents()[name]))
    inputs = LinkInputs.from_facts(quads.triples)
    kg.store.load_nquads(quads.nquads())
    (scope,) = [DocumentScope.from_row(r) for r in kg.named("documents").rows]
    assert _distinct(inputs.goals, GOAL_COLUMNS) == _distinct(kg.named("goals").rows, GOAL_COLUMNS)
    for municipality, year in {(scope.municipality, scope.year), (scope.municipality, None)}:
        assert _distinct(inputs.goals_of(municipality, year), GOAL_COLUMNS) == _distinct(
            kg.named("goals", municipality=municipality, year=year).rows, GOAL_COLUMNS
        )
    assert _distinct(inputs.statements, STATEMENT_COLUMNS) == _distinct(
        kg.named("summary_statements", document=scope.document).rows, STATEMENT_COLUMNS
    )
    places = {str(r["municipality"]) for r in kg.named("municipalities").rows} | set(
        inputs.partners
    )
    for place in places:
        stored = {(str(r["project"]), str(r["organisation"]))
                  for r in kg.named("project_partners", municipality=place).rows}  # fmt: skip
        assert inputs.partners.get(place, set()) == stored, place
    assert inputs.goals or inputs.statements or scope.kind not in ("follow-up", "agenda-item")
