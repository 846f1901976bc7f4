"""The Danish question layer on the bundled corpus and small stores: every family in several
wordings, the failures the question layer was rebuilt for (issue 13), sources, unknown names,
hostile questions, threads and the CLI."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from maalgraph import MaalGraph
from maalgraph.cli import main
from maalgraph.resources import corpus_files

DATA = Path(__file__).parent / "data"


def texts(answer) -> str:
    return " | ".join(" ".join(str(v) for v in r.values()) for r in answer.rows).casefold()


@pytest.fixture(scope="module")
def two() -> MaalGraph:
    """Two municipalities, two years: Herning 2020 (bundled) and Vejle 2021."""
    kg = MaalGraph.memory()
    kg.ingest_many(
        [*corpus_files(), DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"]
    )
    return kg


@pytest.mark.parametrize(
    ("question", "intent", "must", "must_not"),
    [
        ("Hvilke mål afhænger af Blå Kors?", "goals_of_entity", ["initiativer der fremmer"], ["komplekse"]),
        ("hvilke mål er den blå mølle med i", "goals_of_entity", ["initiativer der fremmer"], []),
        ("Hvilke mål understøtter projektet Ung i Uddannelse?", "goals_of_entity", ["med den rette støtte"], []),
        ("Hvilke mål samarbejder vi med Herningsholm Erhvervskole om?", "goals_of_entity", ["opkvalificere"], []),
        ("Hvilke mål afhænger af Blaa Kors", "goals_of_entity", ["initiativer der fremmer"], []),
        ("Hvilke mål er Knudmosen med i?", "goals_of_entity", ["komplekse problemstillinger"], []),
        ("Hvilke mål har Sundhed & Ældre betydning for?", "goals_of_entity", ["opkvalificere"], []),
        ("Hvilke partnere indgår i fokusområdet om udsatte borgere?", "entities_of_topic", ["blå kors pensionat"], ["herningsholm"]),
        ("Hvilke projekter hører til målet om sygefravær?", "entities_of_topic", ["sammen om fastholdelse"], ["ung i uddannelse"]),
        ("Hvilke samarbejdspartnere er der i fokusområdet om borgere på kanten?", "entities_of_topic", ["drift & service"], []),
        ("Hvilke mål er ikke opfyldt?", "list_goals", ["parate til job"], ["styrket erhvervsindsats"]),
        ("Hvilke mål blev delvist opfyldt?", "list_goals", ["samspil med lokale", "arbejdspladsrettede"], ["parate"]),
        ("hvilke mål er delvis opfyldt i fokusområdet om rekruttering", "list_goals", ["opkvalificere"], ["samspil"]),
        ("Hvilke fokusområder har delvist opfyldte mål?", "list_focus_areas", ["borgere på kanten"], ["udsatte"]),
        ("Er målet om sygefravær opfyldt?", "goal_status", ["delvist opfyldt"], []),
        ("Hvad er status på målet om fleksjob?", "goal_status", ["borgere på kanten", "opfyldt"], ["delvist"]),
        ("Hvad sker der hvis Blå Kors stopper?", "impact", ["initiativer der fremmer"], []),
        ("Hvad hvis Projekt Småjob ophører?", "impact", ["samspil med lokale"], []),
        ("Hvilke fokusområder er der?", "list_focus_areas", ["udsatte borgere", "rekrutterings"], []),
        ("Vis alle projekter", "list_entities", ["rengøringsprojektet"], ["herningsholm"]),
        ("Vis alle partnere", "list_entities", ["herningsholm", "drift & service"], ["rengøringsprojektet"]),
        ("Hvilke mål nævner ingen samarbejdspartnere?", "goals_without", ["fleksjob"], ["blå kors"]),
        ("Hvem arbejder Projekt Småjob sammen med?", "partners_of_entity", ["drift & service"], []),
        ("Hvad står der om Den Blå Mølle?", "about_entity", ["den blå mølle"], []),
        ("Hvor mange borgere var i fleksjob i 2019?", "measurement", ["1.648 borgere 2019"], ["1.745 borgere"]),
        ("Hvordan har antallet af borgere i fleksjob udviklet sig?", "series", ["1648", "1745"], []),
    ],
)  # fmt: skip
def test_families_on_seeds(
    example: MaalGraph, question: str, intent: str, must: list, must_not: list
) -> None:
    answer = example.ask(question)
    assert answer.understood and answer.intent == intent, (answer.intent, answer.answer)
    rows = texts(answer)
    for phrase in must:
        assert phrase in rows, f"{phrase!r} not in {rows[:300]}"
    for phrase in must_not:
        assert phrase not in rows
    assert answer.answer and answer.reading


@pytest.mark.parametrize(
    ("question", "value"),
    [("Hvor mange mål er opfyldt?", "8"), ("Hvor mange mål er der i alt?", "12"),
     ("Hvor mange fokusområder er der?", "4"), ("Hvor mange fokusområder har delvist opfyldte mål?", "2"),
     ("Hvor mange borgere var i fleksjob i 2019?", "1.648"), ("Hvor mange forløb blev afsluttet i 2020?", "406"),
     ("Hvor stor en andel af de unge var på forsørgelse i Region Midtjylland?", "10,4"),
     ("Hvad var andelen af unge på offentlig forsørgelse i Herning i 2020?", "10,0 procent (2020, Herning Kommune"),
     ("Hvilket udvalg behandlede opfølgningen?", "Beskæftigelsesudvalget"),
     ("Hvornår blev målopfølgningen behandlet?", "2021-03-16"), ("Hvad blev besluttet?", "Godkendt"),
     ("Hvad er sagsnummeret?", "15.00.00-A00-8-19"), ("Blev opfølgningen godkendt?", "Ja"),
     ("Hvem er Karin Pinnerup Klyve?", "sagsbehandler"),
     ("Hvilken plan beskriver vejene til målet?", "Social- og Beskæftigelsesplanen 2020")],
)  # fmt: skip
def test_values_and_committee(example: MaalGraph, question: str, value: str) -> None:
    answer = example.ask(question)
    assert answer.understood
    assert value in answer.answer, answer.answer


# ---------------------------------------------------------------- the failures of issue 13


def test_an_unlisted_verb_is_no_part_of_a_name(example: MaalGraph) -> None:
    answer = example.ask("Hvilke mål hjælper Knudmosen med?")
    assert [e["label"] for e in answer.entities] == ["Ungdomscenter Knudmosen"]
    assert "komplekse problemstillinger" in texts(answer)


def test_a_verdict_said_with_other_verbs(example: MaalGraph) -> None:
    answer = example.ask("Hvilke mål lykkedes det ikke at nå?")
    assert {r["mål"] for r in answer.rows} == {"1.2"} and "ikke opfyldt" in answer.answer


def test_a_typo_and_a_verb(example: MaalGraph) -> None:
    answer = example.ask("Hvad sker der hvis Herningholm stopper?")
    assert answer.intent == "impact"
    assert [e["label"] for e in answer.entities] == ["Herningsholm Erhvervsskole"]
    assert "Herning Kommune" not in answer.answer and "opkvalificere" in texts(answer)


def test_status_of_a_topic(example: MaalGraph) -> None:
    answer = example.ask("Hvad er status på ungeindsatsen?")
    assert answer.intent == "goal_status"
    assert {r["mål"] for r in answer.rows} == {"1.1", "1.4"}  # the goals about the ungeindsats
    assert {r["vurdering"] for r in answer.rows} == {"opfyldt"}


def test_which_measurements(example: MaalGraph) -> None:
    answer = example.ask("Hvilke målinger har vi?")
    assert answer.intent == "list_measurements" and len(answer.rows) == 14


def test_a_measured_indicator_names_its_goal(example: MaalGraph) -> None:
    answer = example.ask("Er målet om voksenlærlinge nået?")
    assert answer.intent == "goal_status"
    assert [r["mål"] for r in answer.rows] == ["4.2"]
    assert answer.answer.startswith("Nej,") and "delvist opfyldt" in answer.answer


def test_why_gives_the_reason_and_the_measurements(example: MaalGraph) -> None:
    answer = example.ask("Hvorfor blev målet om rekruttering kun delvist opfyldt?")
    assert answer.intent == "why"
    assert {r["mål"] for r in answer.rows} == {"4.2", "4.3"}  # not every partly met goal
    assert "Begrundelsen" in answer.answer and "resultatet er over forventet" in answer.answer
    assert "117 borgere" in answer.answer  # a measurement behind the verdict
    assert {s["section"] for s in answer.sources} >= {"Fokusområde 4, Ad 2", "Fokusområde 4, Ad 3"}


def test_partners_on_a_topic_keep_the_topic(example: MaalGraph) -> None:
    answer = example.ask("Hvilke organisationer arbejder vi sammen med om fleksjob?")
    assert answer.intent == "entities_of_topic"
    assert answer.rows == []  # the goal about fleksjob names no partner: never all 14
    assert "Mål 2.2" in answer.answer and "fleksjob" in answer.answer


def test_a_municipality_without_data(example: MaalGraph) -> None:
    answer = example.ask("Hvilke mål er opfyldt i Odder Kommune?")
    assert answer.understood and answer.rows == []
    assert "ingen data om Odder Kommune" in answer.answer and "Herning Kommune" in answer.answer


def test_a_count_in_one_municipality_counts_only_it(two: MaalGraph) -> None:
    assert (
        "1 mål er opfyldt i Vejle Kommune" in two.ask("Hvor mange mål er opfyldt i Vejle?").answer
    )
    both = two.ask("Hvor mange mål er opfyldt?")
    assert "9 mål er opfyldt" in both.answer and "8 i Herning Kommune (2020)" in both.answer
    assert {s["municipality"] for s in both.sources} == {"Herning Kommune", "Vejle Kommune"}


def test_measurements_by_topic_not_by_year(two: MaalGraph) -> None:
    answer = two.ask("Hvor mange ældre deltog i aktiviteter i 2021?")
    assert {r["værdi"] for r in answer.rows} == {"412"}  # Danish notation, as the document wrote it
    assert "Herning" not in answer.answer


def test_answers_restate_the_question_and_never_contradict_themselves(example: MaalGraph) -> None:
    about = example.ask("Hvad står der om Den Blå Mølle?")
    assert "kender ikke" not in about.answer and "ingen" not in about.answer.casefold()
    count = example.ask("Hvor mange mål er delvist opfyldt?")
    assert count.answer == "3 mål er delvist opfyldt i Herning Kommune i 2020."
    assert len(count.rows) == 3 and len(count.sources) == 3  # the counted goals, with sources


def test_sources_name_municipality_document_and_paragraph(example: MaalGraph) -> None:
    answer = example.ask("Hvilke mål afhænger af Blå Kors?")
    labels = [s["label"] for s in answer.sources]
    assert labels == ["Herning Kommune: Målopfølgning for budget 2020, Fokusområde 3, Ad 1"]
    assert "Blå Kors Varmestue" in answer.sources[0]["text"]


def test_understood_in_danish_words(example: MaalGraph) -> None:
    answer = example.ask("Hvilke mål blev ikke opfyldt i 2020?")
    assert answer.reading == "Mål med vurderingen «ikke opfyldt» (år: 2020)."
    result = CliRunner().invoke(main, ["ask", "Hvilke mål er ikke opfyldt?"])
    assert "Sådan forstod jeg spørgsmålet: Mål med vurderingen «ikke opfyldt»." in result.output
    assert "list_goals" not in result.output


# ---------------------------------------------------------------- names, bad input, threads


def test_alias_links_to_the_preferred_name(example: MaalGraph) -> None:
    answer = example.ask("Hvilke mål afhænger af Jobcenteret?")  # gazetteer alias of Jobcentret
    assert {e["label"] for e in answer.entities} == {"Jobcentret"}
    assert {r["mål"] for r in answer.rows} == {"2.1", "4.2"}


@pytest.mark.parametrize(
    "question", ["Hvilke mål afhænger af Røde Kors?", "Hvad sker der hvis Røde Kors stopper?"]
)
def test_unknown_entity_is_not_mapped_to_another(example: MaalGraph, question: str) -> None:
    answer = example.ask(question)
    assert answer.rows == []
    assert "Jeg kender ikke «Røde Kors»" in answer.answer and "Mente du «Blå Kors" in answer.answer
    assert "resultater" not in answer.answer


@pytest.mark.parametrize(
    "question",
    ["Hvad bliver vejret i morgen?", "asdf qwerty", "", "?!", "Hvem vandt fodboldkampen?",
     "} ; DROP ALL ; {", 'Hvilke mål " } INSERT DATA { <a> <b> <c> } #', "SELECT * WHERE { ?s ?p ?o }",
     "x" * 10_000, "Hvad\x00 koster\x1b[31m kaffe"],
)  # fmt: skip
def test_out_of_scope_and_hostile(example: MaalGraph, question: str) -> None:
    before = example.export("nq")
    answer = example.ask(question)
    assert answer.rows == [] and answer.answer
    assert not answer.understood or answer.intent is not None
    assert example.export("nq") == before
    if answer.sparql:
        assert "INSERT" not in answer.sparql and "DROP" not in answer.sparql


def test_control_characters_and_escapes_are_dropped(example: MaalGraph) -> None:
    answer = example.ask("Hvilke\x00 mål\x1b[31m er ikke opfyldt?")
    assert {r["mål"] for r in answer.rows} == {"1.2"}


def test_user_words_become_bound_values_only(example: MaalGraph) -> None:
    answer = example.ask('Hvor mange borgere var i "fleksjob" } DROP ALL { i 2020?')
    assert "DROP" not in (answer.sparql or "") and "1.745" in answer.answer


def test_second_municipality_without_code_changes() -> None:
    kg = MaalGraph.memory()
    kg.ingest_many([DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"])
    assert "øge antallet af ældre" in texts(kg.ask("Hvilke mål afhænger af Ældre Sagen?"))
    assert "ensomhed" in texts(kg.ask("Hvilke mål understøtter Ven i Vejle?"))
    assert "psykiske lidelser" in texts(kg.ask("Hvilke mål er ikke opfyldt?"))
    assert "412" in kg.ask("Hvor mange ældre deltog i aktiviteter i 2021?").answer
    assert "Social- og Seniorudvalget" in kg.ask("Hvilket udvalg behandlede opfølgningen?").answer
    assert "Ældrepolitikken 2021-2024" in kg.ask("Hvilken plan beskriver vejene til målet?").answer
    assert kg.ask("Hvilke mål afhænger af Blå Kors?").rows == []
    help_text = kg.ask("asdf qwerty").answer  # its examples name this graph's own partners
    assert "Blå Kors" not in help_text and "«Hvilke mål afhænger af Ældre Sagen?»" in help_text


def test_threads_get_the_answers_of_one_thread() -> None:
    kg = MaalGraph.example()  # a fresh graph: its lexicon is built under the threads' race
    questions = (DATA / "dev-questions.txt").read_text(encoding="utf-8").splitlines()
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(lambda q: kg.ask(q).to_dict(), questions * 2))
    alone = [MaalGraph.example().ask(q).to_dict() for q in questions] * 2
    assert parallel == alone


def test_cli_json_lines_from_stdin() -> None:
    result = CliRunner().invoke(
        main, ["ask", "--json"], input="Hvilke mål er ikke opfyldt?\nasdf\n"
    )
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["understood"] for line in lines] == [True, False]
    first = lines[0]
    assert set(first) >= {"question", "understood", "intent", "entities", "sparql", "columns",
                          "rows", "answer", "sources", "reading"}  # fmt: skip
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
    assert "network_edges" not in answer.sparql and "maal:dependsOn" in answer.sparql


def test_impact_of_a_name_many_municipalities_share(tmp_path: Path) -> None:
    """Walking every municipality's network takes seconds each at scale: the answer says what
    depends on the name directly, and how to ask for one municipality."""
    template = (DATA / "followup-vejle-2021.txt").read_text(encoding="utf-8")
    paths = []
    for town in ("Vejle", "Skive", "Varde", "Struer"):
        path = tmp_path / f"followup-{town.lower()}-2021.txt"
        path.write_text(template.replace("Vejle", town), encoding="utf-8")
        paths.append(path)
    kg = MaalGraph.memory()
    kg.ingest_many(paths)
    answer = kg.ask("Hvad sker der hvis Ældre Sagen stopper?")
    assert answer.intent == "impact" and len(answer.rows) == 4
    assert "Ældre Sagen findes i 4 kommuner" in answer.answer and "stopper i" in answer.answer
    one = kg.ask("Hvad sker der hvis Ældre Sagen stopper i Skive?")
    assert "berøres 1 mål" in one.answer and all("forklaring" in r for r in one.rows)
