"""The acceptance facts of the bundled corpus, each with its source paragraph."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib

from maalgraph import IngestError, MaalGraph, StoreError

MAAL = "https://w3id.org/maalgraph/def#"


def test_counts(example: MaalGraph) -> None:
    stats = example.stats()
    assert stats["fokusområder"] == 4
    assert stats["mål"] == 12
    assert (stats["mål opfyldt"], stats["mål delvist opfyldt"], stats["mål ikke opfyldt"]) == (
        8,
        3,
        1,
    )
    service_areas = example.query(
        "SELECT DISTINCT ?n ?l WHERE { ?fa <https://w3id.org/maalgraph/def#serviceArea> ?s . "
        "?s <http://www.w3.org/2004/02/skos/core#notation> ?n ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
    ).rows
    assert service_areas == [{"n": "17", "l": "Forsørgelse og Beskæftigelse"}]


def test_verdicts_per_goal(example: MaalGraph) -> None:
    verdicts = {r["id"]: r["verdictLabel"] for r in example.named("goals").rows}
    assert [k for k, v in verdicts.items() if v == "delvist opfyldt"] == ["2.1", "4.2", "4.3"]
    assert [k for k, v in verdicts.items() if v == "ikke opfyldt"] == ["1.2"]
    assert sum(v == "opfyldt" for v in verdicts.values()) == 8


def test_every_goal_has_its_verdict_paragraph(example: MaalGraph) -> None:
    for row in example.named("goals").rows:
        source = example.named("paragraph", paragraph=row["source"]).rows[0]
        assert (
            source["section"]
            == f"Fokusområde {row['id'].split('.')[0]}, Ad {row['id'].split('.')[1]}"
        )
        assert "opfyldt" in source["text"].lower()


def test_committee_decision(example: MaalGraph) -> None:
    (row,) = example.named("committee_handling").rows
    assert row["committeeLabel"] == "Beskæftigelsesudvalget"
    assert row["date"] == dt.date(2021, 3, 16)
    assert row["itemNumber"] == 23
    assert row["caseNumber"] == "15.00.00-A00-8-19"
    assert row["decision"] == "Godkendt."
    assert row["outcomeLabel"] == "godkendt"
    assert row["reportTitle"] == "Målopfølgning for budget 2020"
    assert row["sourceSection"] == "Beslutning"


def test_partners_and_projects(example: MaalGraph) -> None:
    rows = example.named("entities").rows
    partners = {r["label"] for r in rows if r["typeLabel"] == "samarbejdspartner"}
    projects = {r["label"] for r in rows if r["typeLabel"] == "projekt"}
    assert {"Den Blå Mølle", "Blå Kors Pensionat", "Blå Kors Varmestue",
            "Herningsholm Erhvervsskole", "Ungdomscenter Knudmosen"} <= partners  # fmt: skip
    assert {
        "Ung i Uddannelse",
        "Projekt Småjob",
        "Rengøringsprojektet",
        "Sammen om fastholdelse",
    } <= projects
    assert "Herning Kommune" not in partners | projects


@pytest.mark.parametrize(
    ("entity", "goal"),
    [("Blå Kors Varmestue", "3.1"), ("Herningsholm Erhvervsskole", "4.2"),
     ("Ungdomscenter Knudmosen", "1.4"), ("Projekt Småjob", "2.1"), ("Sammen om fastholdelse", "4.3")],
)  # fmt: skip
def test_goal_depends_on_entity_with_source(example: MaalGraph, entity: str, goal: str) -> None:
    iri = next(r["entity"] for r in example.named("entities").rows if r["label"] == entity)
    rows = example.named("goals_depending_on", entity=iri).rows
    assert {r["id"] for r in rows} == {goal}
    for row in rows:
        text = example.named("paragraph", paragraph=row["source"]).rows[0]["text"]
        assert entity in text


@pytest.mark.parametrize(
    ("value", "year", "area", "words"),
    [
        (1648, 2019, "Herning Kommune", "fleksjob"),
        (1745, 2020, "Herning Kommune", "fleksjob"),
        (Decimal("10.0"), 2020, "Herning Kommune", "forsørgelse"),
        (Decimal("10.4"), 2020, "Region Midtjylland", "forsørgelse"),
        (406, 2020, "Herning Kommune", "forløb"),
        (408, 2019, "Herning Kommune", "forløb"),
        (117, 2020, "Herning Kommune", "voksenlærling"),
        (106, 2019, "Herning Kommune", "voksenlærling"),
    ],
)
def test_measurements(example: MaalGraph, value: Decimal, year: int, area: str, words: str) -> None:
    rows = [r for r in example.named("measurements", year=year).rows if r["value"] == value]
    assert rows, f"no measurement {value} in {year}"
    row = rows[0]
    assert row["areaLabel"] == area
    assert words in row["indicator"] + " " + row["context"]
    assert str(value).replace(".", ",").removesuffix(",0") in example.named(
        "paragraph", paragraph=row["source"]
    ).rows[0]["text"].replace(".", "")


def test_percent_unit_and_no_years_as_values(example: MaalGraph) -> None:
    rows = example.named("measurements").rows
    assert {r["unit"] for r in rows if r["value"] in (Decimal("10.0"), Decimal("10.4"))} == {
        "procent"
    }
    assert not [r for r in rows if r["value"] in (2019, 2020, 25)]


def test_summary_links_and_inconsistency(example: MaalGraph) -> None:
    restated = example.query(
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?s <https://w3id.org/maalgraph/def#restates> ?g }"
    ).rows
    assert restated == [{"n": 9}]
    warnings = example.inconsistencies()
    assert (
        len(warnings) == 1 and "udelader et fokusområde" in warnings[0] and "3 mål" in warnings[0]
    )


def test_reingest_keeps_triple_count(kg: MaalGraph, seeds: dict) -> None:
    kg.ingest_many(seeds.values())
    before = len(kg.store)
    report = kg.ingest(seeds["followup"])
    assert report.replaced
    assert len(kg.store) == before


def test_changed_document_replaces_its_graph(kg: MaalGraph, seeds: dict, tmp_path) -> None:
    copy = tmp_path / "maalopfoelgning-2020.txt"
    copy.write_text(seeds["followup"].read_text(encoding="utf-8"), encoding="utf-8")
    kg.ingest(copy)
    text = copy.read_text(encoding="utf-8").replace(
        "Målet er således ikke opfyldt", "Målet er opfyldt"
    )
    copy.write_text(text, encoding="utf-8")
    kg.ingest(copy)
    assert kg.named("goal_count", verdict=MAAL + "IkkeOpfyldt").rows == [{"count": 0}]
    assert kg.named("goal_count").rows == [{"count": 12}]


def test_failing_ingest_leaves_store_unchanged(kg: MaalGraph, seeds: dict, tmp_path) -> None:
    kg.ingest(seeds["followup"])
    before = kg.export("nq")
    bad = tmp_path / "maalopfoelgning-2020.txt"  # same document id, broken content
    bad.write_bytes(b"\xff\xfe garbage \x00\x01")
    with pytest.raises(IngestError) as info:
        kg.ingest(bad)
    assert str(bad) in str(info.value)
    assert kg.export("nq") == before


def test_persistent_store_reopens(tmp_path, seeds: dict) -> None:
    with MaalGraph.open(tmp_path / "s") as kg:
        kg.ingest_many(seeds.values())
        size = len(kg.store)
    with MaalGraph.open(tmp_path / "s", read_only=True) as again:
        assert len(again.store) == size
        assert again.stats()["mål"] == 12


def test_example_is_read_only(example: MaalGraph, seeds: dict) -> None:
    with pytest.raises(StoreError, match="--store"):
        example.ingest(seeds["followup"])


def test_updates_are_not_queries(example: MaalGraph) -> None:
    from maalgraph import QueryError

    with pytest.raises(QueryError):
        example.query("DROP ALL")


def test_rdflib_view(example: MaalGraph) -> None:
    import rdflib

    dataset = example.graph
    goals = set(dataset.subjects(rdflib.RDF.type, rdflib.URIRef(MAAL + "Goal")))
    assert len(goals) == 12


def test_export_formats_parse(example: MaalGraph) -> None:
    import rdflib

    for fmt, parser in (
        ("trig", "trig"),
        ("nq", "nquads"),
        ("ttl", "turtle"),
        ("jsonld", "json-ld"),
    ):
        data = example.export(fmt)
        graph = rdflib.Dataset() if parser in ("trig", "nquads", "json-ld") else rdflib.Graph()
        graph.parse(data=data.decode("utf-8"), format=parser)
        assert len(graph) > 0 or sum(1 for _ in graph.quads()) > 1000


def test_other_municipality(kg: MaalGraph, vejle) -> None:
    """A document with other names, other layout (plain text, numbered goals, no <p>)."""
    kg.ingest(vejle)
    goals = {r["id"]: r for r in kg.named("goals").rows}
    assert {k: v["verdictLabel"] for k, v in goals.items()} == {
        "1.1": "opfyldt", "1.2": "delvist opfyldt", "2.1": "ikke opfyldt"}  # fmt: skip
    assert {r["municipalityLabel"] for r in goals.values()} == {"Vejle Kommune"}
    entities = {(r["label"], r["typeLabel"]) for r in kg.named("entities").rows}
    assert {("Ældre Sagen", "samarbejdspartner"), ("Vejle Idrætsforening", "samarbejdspartner"),
            ("Røde Kors", "samarbejdspartner"), ("Psykiatrisk Center Vejle", "samarbejdspartner"),
            ("Projekt Aktiv Hverdag", "projekt"), ("Ven i Vejle", "projekt"),
            ("Jobcentret", "intern enhed"), ("Psykiatriplanen 2021", "plan")} <= entities  # fmt: skip
    values = {(r["value"], r["period"], r["areaLabel"]) for r in kg.named("measurements").rows}
    assert {(412, "2021", "Vejle Kommune"), (380, "2020", "Vejle Kommune"),
            (Decimal("8.5"), "2021", "Vejle Kommune"), (Decimal("9.1"), "2021", "Region Syddanmark")} <= values  # fmt: skip


def test_shared_facts_are_stored_once(kg: MaalGraph, vejle: Path, tmp_path: Path) -> None:
    """Two years of one municipality name the same partner: its description is in the
    registry once, so joins over the union default graph do not repeat it."""
    next_year = tmp_path / "followup-vejle-2022.txt"
    next_year.write_text(
        vejle.read_text(encoding="utf-8").replace("2021", "2022"), encoding="utf-8"
    )
    kg.ingest_many([vejle, next_year])
    partner = next(r["entity"] for r in kg.named("labels").rows if r["label"] == "Ældre Sagen")
    where = "WHERE { GRAPH ?g { ?e <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }"
    rows = kg.query(f"SELECT ?g {where}", {"e": rdflib.URIRef(str(partner))}).rows
    assert rows == [{"g": kg.iris.registry()}]
    assert len(kg.named("goals_depending_on", entity=partner).rows) == 2  # one goal per year


def test_removing_a_document_prunes_the_registry(kg: MaalGraph, vejle: Path) -> None:
    kg.ingest(vejle)
    assert kg.stats()["samarbejdspartnere"] > 0
    assert kg.remove(vejle.stem)
    assert kg.stats()["samarbejdspartnere"] == 0
    assert kg.store.graph_size(kg.iris.registry()) == 0
