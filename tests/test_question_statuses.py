"""The question layer on documents of other layouts and formats: statuses read with the
document reader's own words (progress, no verdict, trends) and answered from the ontology's
concepts, target / result / baseline values told apart, sources that say where a paragraph
stands in a Word file, a PDF or a web page, agenda items of other portals, and questions about
what the graph does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from maalgraph import MaalGraph
from maalgraph.cli import main
from maalgraph.lang import load_jsonl, load_toml
from maalgraph.question.statuses import STATUSES

CORPUS = Path(__file__).parent / "data" / "corpus"
FILES = [
    CORPUS / name
    for name in (
        "nordhavn-indikatorer-2023.md",  # baselines, results, targets, trends in a table
        "skovlund-budgetopfoelgning-2023.txt",  # not started, forecast verdicts, targets
        "vesterlund-boerne-og-skoleudvalget-2024-03-05-punkt-12.html",  # "I gang", an agenda item
        "lyngbjerg-effektregnskab-2022.pdf",  # a narrative report over two PDF pages
        "egeskov-maalopfoelgning-2021.docx",  # forms in Word tables
        "hedeby-kvalitetsrapport-2022.html",  # a saved web page with navigation and partners
    )
]


@pytest.fixture(scope="module")
def kg() -> MaalGraph:
    graph = MaalGraph.memory()
    graph.ingest_many(FILES)
    graph.store.read_only = True
    return graph


def statuses_in(kg: MaalGraph, question: str) -> list[str]:
    """The status labels the question layer reads in a question."""
    mentions, _ = kg.answerer.understand(question)
    return [str(v.value) for v in mentions.verdicts]


def texts(answer) -> str:  # type: ignore[no-untyped-def]
    return " | ".join(" ".join(str(v) for v in r.values()) for r in answer.rows).casefold()


# ---------------------------------------------------------------------------- one vocabulary


def test_status_words_are_the_readers(kg: MaalGraph) -> None:
    """A status value the reader knows (goals.toml) is a status word of questions too, and the
    question layer's own file repeats none of the reader's words."""
    cells = load_toml("da", "goals")["status_cells"]
    assert (
        statuses_in(kg, "Hvilke mål er igangværende?") == ["IN_PROGRESS"]
        and "igangværende" in cells["IN_PROGRESS"]
    )
    assert statuses_in(kg, "Hvilke budgetnoter er afsluttet?") == ["COMPLETED"]
    assert statuses_in(kg, "Hvilke mål har ingen vurdering?") == ["NO_VERDICT"]
    assert statuses_in(kg, "Hvor er udviklingen negativ?") == ["TREND_NEGATIVE"]
    assert statuses_in(kg, "Hvilke mål har en positiv udvikling?") == ["TREND_POSITIVE"]
    assert "IN_PROGRESS" not in statuses_in(kg, "Hvilke mål er ikke påbegyndt?")
    assert (
        statuses_in(kg, "Hvilke mål afhænger af blå kors?") == []
    )  # a cell colour, no status here
    reader = {w.casefold() for words in cells.values() for w in words}
    own = [
        w
        for e in load_jsonl("da", "questions/verdicts")
        if e["label"] in STATUSES
        for w in e.get("lower", [])
    ]
    assert not reader & set(own), "a status word belongs in one file: lang/da/goals.toml"


def test_every_status_is_a_concept_of_the_ontology(kg: MaalGraph) -> None:
    labels = {r["s"]: r["l"] for r in kg.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?s ?l WHERE { "
        "?s skos:prefLabel ?l FILTER(lang(?l) = 'da') }").rows}  # fmt: skip
    assert {s.label: labels.get(s.iri) for s in STATUSES.values()} == {
        s.label: s.da for s in STATUSES.values()
    }
    assert STATUSES["NO_VERDICT"].iri.endswith("#UdenVurdering")  # maal:IkkeVurderet is deprecated


# ---------------------------------------------------------------------------- statuses


@pytest.mark.parametrize(
    ("question", "must", "must_not"),
    [
        ("Hvilke mål er i gang?", ["erhvervsuddannelse"], ["skatepark", "dygtige"]),
        ("Hvilke mål er ikke påbegyndt?", ["skatepark"], ["erhvervsuddannelse"]),
        (
            "Hvilke mål har ingen vurdering?",
            ["skatepark", "erhvervsuddannelse"],
            ["dygtige", "elbiler"],
        ),
        ("Hvilke mål har en negativ udvikling?", ["affald"], ["elbiler"]),
        (
            "Hvilke indikatorer i Nordhavn går i den rigtige retning?",
            ["elbiler", "co2"],
            ["affald"],
        ),
    ],
)
def test_statuses_are_answered_from_the_graph(
    kg: MaalGraph, question: str, must: list[str], must_not: list[str]
) -> None:
    answer = kg.ask(question)
    assert answer.intent == "list_goals" and answer.rows, answer.answer
    found = texts(answer)
    assert all(m in found for m in must) and not any(m in found for m in must_not), found
    assert answer.sources and all(s["municipality"] for s in answer.sources)


def test_a_status_answer_restates_the_status(kg: MaalGraph) -> None:
    assert kg.ask("Hvor mange mål er i gang?").answer.startswith("1 mål er i gang")
    assert kg.ask("Hvilke mål har en negativ udvikling?").answer == (
        "1 mål i Nordhavn Kommune i 2023 har en negativ udvikling."
    )
    assert "ingen vurdering" not in kg.ask("Hvilke mål er uden vurdering?").reading  # as asked
    assert "«uden vurdering»" in kg.ask("Hvilke mål er uden vurdering?").reading


def test_yes_no_on_progress(kg: MaalGraph) -> None:
    answer = kg.ask("Er skateparken ved stranden påbegyndt?")
    assert answer.answer.startswith("Nej, mål 1.3 (Skovlund Kommune, 2023) er ikke startet")
    assert kg.ask("Er målet om erhvervsuddannelse i gang?").answer.startswith("Ja, ")


def test_a_status_is_asked_of_goals_not_of_a_list_of_things(kg: MaalGraph) -> None:
    answer = kg.ask("Hvilke initiativer er endnu ikke startet?")
    assert answer.intent == "list_goals" and "skatepark" in texts(answer) and len(answer.rows) == 1
    assert answer.reading == "Mål, der ikke er startet."
    named = kg.ask("Er Ny skatepark ved stranden færdig?")  # an initiative is also a project
    assert named.answer.startswith("Nej. Ny skatepark ved stranden indgår i 1 mål")
    assert "ikke startet (uden vurdering)" in named.answer


def test_why_without_a_verdict_gives_the_assessment(kg: MaalGraph) -> None:
    answer = kg.ask("Hvorfor er målet om skateparken ikke vurderet?")
    assert answer.intent == "why" and "afventer lokalplanen" in answer.answer


# ---------------------------------------------------------------------------- roles


def test_target_result_and_baseline_are_told_apart(kg: MaalGraph) -> None:
    target = kg.ask("Hvad var målet for kortere ventetid på pladser i dagtilbud?")
    assert (
        "målet var 30 dage" in target.answer.casefold()
        and "resultatet blev 38 dage" in target.answer
    )
    assert target.answer.startswith(
        "For «kortere ventetid på pladser i dagtilbud» i Lyngbjerg Kommune"
    )
    baseline = kg.ask("Hvad var udgangspunktet for andelen af elbiler?")
    assert baseline.answer.startswith("For «elbiler» i Nordhavn Kommune: udgangspunktet var 12")
    assert baseline.rows[0]["rolle"] == "baseline" and baseline.rows[0]["værdi"] == "12"
    assert "målet var 60 procent (2025)" in baseline.answer
    values = kg.ask("Hvad er målværdien for affald til genanvendelse?")
    assert values.answer.startswith(
        "For «affald til genanvendelse» i Nordhavn Kommune: målet var 55"
    )


def test_a_result_is_not_read_as_the_target(kg: MaalGraph) -> None:
    answer = kg.ask("Hvor lang var sagsbehandlingstiden på byggesager i Skovlund?")
    assert answer.answer.startswith("Målt: 41 dage") and "Målet var 40 dage" in answer.answer
    assert {r["rolle"] for r in answer.rows} == {"resultat", "målværdi"}


def test_a_series_keeps_the_target_apart(kg: MaalGraph) -> None:
    answer = kg.ask("Hvordan har andelen af elbiler i Nordhavn udviklet sig?")
    assert "12 (2019) → 31 (2022) → 44 (2023)" in answer.answer
    assert "Målet var 60 procent (2025)" in answer.answer


def test_measurement_listings_leave_targets_out_unless_asked(kg: MaalGraph) -> None:
    measured = kg.ask("Hvilke målinger har vi fra Nordhavn?")
    assert {r["rolle"] for r in measured.rows} == {"baseline", "resultat"}
    assert "Desuden 3 målværdier" in measured.answer
    targets = kg.ask("Hvilke målværdier har Nordhavn?")
    assert {r["rolle"] for r in targets.rows} == {"målværdi"} and len(targets.rows) == 3


# ---------------------------------------------------------------------------- sources


def test_sources_say_where_in_every_format(kg: MaalGraph) -> None:
    pdf = kg.ask("Hvilke mål er opfyldt i Lyngbjerg?").sources
    assert (
        pdf[0]["label"].startswith("Lyngbjerg Kommune: Effektregnskab 2022, ")
        and pdf[0]["locator"] == "side 1"
    )
    assert pdf[0]["label"].endswith("(side 1)") and pdf[0]["format"] == "pdf"
    docx = kg.ask("Hvilke mål er delvist opfyldt i Egeskov?").sources
    assert (
        docx[0]["locator"].startswith("tabel 1, række")
        and docx[0]["municipality"] == "Egeskov Kommune"
    )
    html = kg.ask("Hvilke mål er ikke opfyldt i Hedeby?").sources
    assert (
        html[0]["label"].startswith("Hedeby Kommune: Kvalitetsrapport 2022")
        and "linje" in html[0]["locator"]
    )


# ---------------------------------------------------------------------------- agenda items


def test_an_agenda_item_is_found_by_its_title(kg: MaalGraph) -> None:
    answer = kg.ask("Blev opfølgningen på skolepolitikken godkendt?")
    assert answer.intent == "committee" and answer.answer.startswith("Ja, Børne- og Skoleudvalget")
    assert answer.reading.startswith(
        "Udvalgets behandling af dagsordenspunktet «Opfølgning på skolepolitikkens"
    )
    assert (
        kg.ask("Hvad er sagsnummeret på punktet om skolepolitikken?").answer
        == "Sagsnummeret er 17.01.00-A00-3-23."
    )


# ---------------------------------------------------------------------------- out of scope


@pytest.mark.parametrize(
    "question", ["Hvor ligger Hedeby Fysioterapi?", "Hvad er telefonnummeret til Sygehus Sønderland?",
                 "Hvornår har Hedeby Fysioterapi åbent?", "Hvor holder Sygehus Sønderland til?"],
)  # fmt: skip
def test_what_the_graph_does_not_hold_gets_no_answer_about_the_partner(
    kg: MaalGraph, question: str
) -> None:
    answer = kg.ask(question)
    assert not answer.understood and not answer.rows and not answer.sources
    assert "rummer ikke adresser, åbningstider eller kontaktoplysninger" in answer.answer
    assert "Hvilke mål afhænger af" in answer.answer  # how to ask about it instead


def test_the_cli_shows_roles_and_locators(tmp_path: Path) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", str(store), "ingest", str(FILES[3])]).exit_code == 0
    result = runner.invoke(
        main, ["--store", str(store), "ask", "Hvad var målet for kortere ventetid?"]
    )
    assert result.exit_code == 0 and "rolle" in result.output
    assert "Lyngbjerg Kommune: Effektregnskab 2022" in result.output and "(side 1)" in result.output
