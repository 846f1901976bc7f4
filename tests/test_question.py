"""The Danish question layer: every family, several phrasings, on the seeds and on a
second document with other names; linking edge cases; unknown and hostile questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from maalgraph import MaalGraph
from maalgraph.cli import main

DATA = Path(__file__).parent / "data"


def texts(answer) -> str:
    return " | ".join(" ".join(str(v) for v in r.values()) for r in answer.rows).casefold()


@pytest.mark.parametrize(
    ("question", "intent", "must", "must_not"),
    [
        # 1. goals depending on a partner or project
        (
            "Hvilke mål afhænger af Blå Kors?",
            "goals_depending_on",
            ["initiativer der fremmer"],
            ["komplekse"],
        ),
        (
            "hvilke mål er den blå mølle med i",
            "goals_depending_on",
            ["initiativer der fremmer"],
            [],
        ),
        (
            "Hvilke mål understøtter projektet Ung i Uddannelse?",
            "goals_depending_on",
            ["med den rette støtte"],
            [],
        ),
        (
            "Hvilke mål samarbejder vi med Herningsholm Erhvervskole om?",
            "goals_depending_on",
            ["opkvalificere"],
            [],
        ),
        ("Hvilke mål afhænger af Blaa Kors", "goals_depending_on", ["initiativer der fremmer"], []),
        (
            "Hvilke mål er Knudmosen med i?",
            "goals_depending_on",
            ["komplekse problemstillinger"],
            [],
        ),
        (
            "Hvilke mål har Sundhed & Ældre betydning for?",
            "goals_depending_on",
            ["opkvalificere"],
            [],
        ),
        # 2. partners / projects of a focus area or goal
        (
            "Hvilke partnere indgår i fokusområdet om udsatte borgere?",
            "entities_of_goals",
            ["blå kors pensionat"],
            ["herningsholm"],
        ),
        (
            "Hvilke projekter hører til målet om sygefravær?",
            "entities_of_goals",
            ["sammen om fastholdelse"],
            ["ung i uddannelse"],
        ),
        (
            "Hvilke samarbejdspartnere er der i fokusområdet om borgere på kanten?",
            "entities_of_goals",
            ["drift & service"],
            [],
        ),
        # 3. by verdict
        (
            "Hvilke mål er ikke opfyldt?",
            "goals_by_verdict",
            ["parate til job"],
            ["styrket erhvervsindsats"],
        ),
        (
            "Hvilke mål blev delvist opfyldt?",
            "goals_by_verdict",
            ["samspil med lokale", "arbejdspladsrettede"],
            ["parate"],
        ),
        (
            "hvilke mål er delvis opfyldt i fokusområdet om rekruttering",
            "goals_by_verdict",
            ["opkvalificere"],
            ["samspil"],
        ),
        (
            "Hvilke fokusområder har delvist opfyldte mål?",
            "focus_areas_by_verdict",
            ["borgere på kanten"],
            ["udsatte"],
        ),
        # 5. status of one goal
        ("Er målet om sygefravær opfyldt?", "goal_status", ["delvist opfyldt"], []),
        (
            "Hvad er status på målet om fleksjob?",
            "goal_status",
            ["borgere på kanten", "opfyldt"],
            ["delvist"],
        ),
        # 9. impact
        ("Hvad sker der hvis Blå Kors stopper?", "impact", ["initiativer der fremmer"], []),
        ("Hvad hvis Projekt Småjob ophører?", "impact", ["samspil med lokale"], []),
        # 10. listings
        (
            "Hvilke fokusområder er der?",
            "list_focus_areas",
            ["udsatte borgere", "rekrutterings"],
            [],
        ),
        ("Vis alle projekter", "list_entities", ["rengøringsprojektet"], ["herningsholm"]),
        (
            "Vis alle partnere",
            "list_entities",
            ["herningsholm", "drift & service"],
            ["rengøringsprojektet"],
        ),
    ],
)
def test_families_on_seeds(
    example: MaalGraph, question: str, intent: str, must: list, must_not: list
) -> None:
    answer = example.ask(question)
    assert answer.understood and answer.intent == intent
    rows = texts(answer)
    for phrase in must:
        assert phrase in rows, f"{phrase!r} not in {rows[:300]}"
    for phrase in must_not:
        assert phrase not in rows
    assert answer.answer


@pytest.mark.parametrize(
    ("question", "value"),
    [("Hvor mange mål er opfyldt?", "8"), ("Hvor mange mål er der i alt?", "12"),
     ("Hvor mange fokusområder er der?", "4"), ("Hvor mange fokusområder har delvist opfyldte mål?", "2"),
     ("Hvor mange borgere var i fleksjob i 2019?", "1648"), ("Hvor mange forløb blev afsluttet i 2020?", "406"),
     ("Hvor stor en andel af de unge var på forsørgelse i Region Midtjylland?", "10,4"),
     ("Hvad var andelen af unge på offentlig forsørgelse i Herning i 2020?", "10 procent (2020, Herning Kommune"),
     ("Hvilket udvalg behandlede opfølgningen?", "Beskæftigelsesudvalget"),
     ("Hvornår blev målopfølgningen behandlet?", "2021-03-16"), ("Hvad blev besluttet?", "Godkendt"),
     ("Hvad er sagsnummeret?", "15.00.00-A00-8-19"),
     ("Hvilken plan beskriver vejene til målet?", "Social- og Beskæftigelsesplanen 2020")],
)  # fmt: skip
def test_values_and_committee(example: MaalGraph, question: str, value: str) -> None:
    answer = example.ask(question)
    assert answer.understood
    assert value in answer.answer, answer.answer


def test_alias_links_to_the_preferred_name(example: MaalGraph) -> None:
    answer = example.ask("Hvilke mål afhænger af Jobcenteret?")  # gazetteer alias of Jobcentret
    assert {e["label"] for e in answer.entities} == {"Jobcentret"}
    assert {r["mål"] for r in answer.rows} == {"2.1", "4.2"}


def test_sources_name_document_and_paragraph(example: MaalGraph) -> None:
    answer = example.ask("Hvilke mål afhænger af Blå Kors?")
    labels = [s["label"] for s in answer.sources]
    assert labels == ["Målopfølgning for budget 2020, Fokusområde 3, Ad 1"]
    assert "Blå Kors Varmestue" in answer.sources[0]["text"]


@pytest.mark.parametrize(
    "question", ["Hvilke mål afhænger af Røde Kors?", "Hvad sker der hvis Røde Kors stopper?"]
)
def test_unknown_entity_is_not_mapped_to_another(example: MaalGraph, question: str) -> None:
    answer = example.ask(question)
    assert answer.rows == []
    assert "Jeg kender ikke «Røde Kors»" in answer.answer and "Mente du «Blå Kors" in answer.answer


@pytest.mark.parametrize(
    "question",
    ["Hvad bliver vejret i morgen?", "asdf qwerty", "", "?!", "Hvem vandt fodboldkampen?",
     "} ; DROP ALL ; {", 'Hvilke mål " } INSERT DATA { <a> <b> <c> } #', "SELECT * WHERE { ?s ?p ?o }",
     "x" * 10_000, "Hvilke\x00 mål\x1b[31m"],
)  # fmt: skip
def test_out_of_scope_and_hostile(example: MaalGraph, question: str) -> None:
    before = example.export("nq")
    answer = example.ask(question)
    assert answer.rows == [] and answer.answer
    assert not answer.understood or answer.intent is not None
    assert example.export("nq") == before
    if answer.sparql:
        assert "INSERT" not in answer.sparql and "DROP" not in answer.sparql


def test_second_municipality_without_code_changes(tmp_path: Path) -> None:
    kg = MaalGraph.memory()
    kg.ingest_many([DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"])
    assert "øge antallet af ældre" in texts(kg.ask("Hvilke mål afhænger af Ældre Sagen?"))
    assert "ensomhed" in texts(kg.ask("Hvilke mål understøtter Ven i Vejle?"))
    assert "psykiske lidelser" in texts(kg.ask("Hvilke mål er ikke opfyldt?"))
    assert "412" in kg.ask("Hvor mange ældre deltog i aktiviteter i 2021?").answer
    assert "Social- og Seniorudvalget" in kg.ask("Hvilket udvalg behandlede opfølgningen?").answer
    assert "Ældrepolitikken 2021-2024" in kg.ask("Hvilken plan beskriver vejene til målet?").answer
    assert kg.ask("Hvilke mål afhænger af Blå Kors?").rows == []
    help_text = kg.ask(
        "asdf qwerty"
    ).answer  # its examples name this graph's own partners, and work
    assert "Blå Kors" not in help_text and "«Hvilke mål afhænger af Ældre Sagen?»" in help_text
    assert kg.ask("Hvilke mål afhænger af Ældre Sagen?").rows


def test_cli_json_lines_from_stdin() -> None:
    result = CliRunner().invoke(
        main, ["ask", "--json"], input="Hvilke mål er ikke opfyldt?\nasdf\n"
    )
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["understood"] for line in lines] == [True, False]
    first = lines[0]
    assert set(first) >= {
        "question",
        "understood",
        "intent",
        "entities",
        "sparql",
        "columns",
        "rows",
        "answer",
        "sources",
    }
    assert "parate til job" in first["rows"][0]["måltekst"] and "VALUES ?verdict" in first["sparql"]


def test_impact_question_explains_paths_and_shares(example: MaalGraph) -> None:
    """'Hvad sker der hvis X stopper?' comes from the network analysis: each row says how the
    goal depends on X (through which project), with the share of its focus area and a source."""
    answer = example.ask("Hvad sker der hvis Jobcentret lukker?")
    assert answer.intent == "impact"
    paths = {r["forklaring"] for r in answer.rows}
    assert {
        "Jobcentret → Mål 2.1",
        "Jobcentret → Projekt Småjob → Mål 2.1",
        "Jobcentret → Mål 4.2",
    } <= paths
    assert {r.get("via projekt") for r in answer.rows} >= {"Projekt Småjob", None}
    assert {r["andel af fokusområdet"] for r in answer.rows} == {"1 af 2 mål", "1 af 3 mål"}
    assert "berøres 2 mål i 2 fokusområde(r)" in answer.answer
    assert {s["section"] for s in answer.sources} >= {"Fokusområde 2, Ad 1", "Fokusområde 4, Ad 2"}
    assert (
        "network_edges" not in answer.sparql and "maal:dependsOn" in answer.sparql
    )  # the SPARQL behind it
