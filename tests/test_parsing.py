"""Document structure: the layout reader on the seeds' layouts and their variants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from maalgraph.ingest import Extractor, parse_document
from maalgraph.ingest.layout import first_sentence
from maalgraph.ingest.lexicon import Role, lexicon
from maalgraph.ingest.markup import fragments
from maalgraph.ingest.scope import parse_date

EXTRACTOR = Extractor()


def parse(path: Path):  # type: ignore[no-untyped-def]
    return parse_document(path, EXTRACTOR)


def test_followup_structure(seeds) -> None:
    doc = parse(seeds["followup"])
    report = doc.report
    assert doc.kind == "follow-up" and report is not None
    assert report.title == "Målopfølgning for budget 2020" and report.year == 2020
    assert [len(a.goals) for a in report.focus_areas] == [4, 2, 3, 3]
    assert {a.service_area_code for a in report.focus_areas} == {"17"}
    assert all(g.assessment is not None for a in report.focus_areas for g in a.goals)
    assert doc.warnings == []


def test_missing_status_label_variant(seeds) -> None:
    """The fourth block has no 'Status på opfyldelse af mål' label; its Ad N follow anyway."""
    area = parse(seeds["followup"]).report.focus_areas[3]
    sections = [p.section for g in area.goals for p in g.assessment.paragraphs]
    assert sections.count("Fokusområde 4, Ad 1") == 9  # text, 7 bullets, closing paragraph
    bullets = [p.text for p in area.goals[0].assessment.paragraphs[1:8]]
    assert bullets[0] == "Regnskabsanalyse" and bullets[-1] == "Akademikere"
    emphasised = area.goals[2].assessment.paragraphs[1].text
    assert emphasised.startswith("Forebyggelsesteamet blev") and "*" not in emphasised


@pytest.mark.parametrize(
    ("label", "role"),
    [("Serviceområde", Role.SERVICE_AREA), ("fokusområde", Role.FOCUS_AREA), ("Mål", Role.GOAL),
     ("Årsmål 2021", Role.GOAL), ("Mål 1.1", Role.GOAL), ("Budgetnote 3", Role.GOAL),
     ("Målepunkt", Role.GOAL), ("Effektmål", Role.GOAL), ("Indsatsområde", Role.FOCUS_AREA),
     ("Veje til målet", Role.PATHWAY), ("Status på opfyldelse af mål", Role.STATUS),
     ("STATUS", Role.STATUS), ("Ansvarlig", Role.NO_NAMES), ("Kilde", Role.NO_NAMES),
     ("Afsluttet", Role.COMPLETED), ("Ad 1", None), ("Målet er opfyldt.", None)],
)  # fmt: skip
def test_field_labels(label: str, role: Role | None) -> None:
    assert lexicon().role(label) is role


def test_colon_separated_fields(tmp_path) -> None:
    path = tmp_path / "colon.txt"
    path.write_text(
        "Opfølgning 2023\n\nFokusområde: Sundhed\nMål: Flere borgere skal være røgfri.\n"
        "Status: Ad 1: Målet er opfyldt.\n",
        encoding="utf-8",
    )
    doc = parse(path).report
    assert doc.year == 2023
    assert doc.focus_areas[0].title == "Sundhed"
    assert doc.focus_areas[0].goals[0].assessment.paragraphs[0].text == "Ad 1: Målet er opfyldt."


def test_html_fragments_and_plain_paragraphs() -> None:
    assert [f.text for f in fragments("<p>A &amp; B</p> <p>C")] == ["A & B", "C"]
    # a real parser: markup in attribute values and comments never leak into the text
    assert [f.text for f in fragments('<p class="a>b">Tekst</p><!-- <p>skjult</p> -->')] == [
        "Tekst"
    ]


def test_agenda_item(seeds) -> None:
    item = parse(seeds["agenda"]).agenda
    assert (item.committee, item.meeting_date, item.meeting_place) == (
        "Beskæftigelsesudvalget", dt.date(2021, 3, 16), "Holdes på Teams")  # fmt: skip
    assert (item.number, item.case_number, item.case_officer) == (
        23,
        "15.00.00-A00-8-19",
        "Karin Pinnerup Klyve",
    )
    assert item.decision == "Godkendt."
    assert item.attachments == ["Opfølgning fokusområder og årsmål"]
    assert "godkender opfølgningen" in item.recommendation
    assert [len(s.bullets) for s in item.summary_sections] == [4, 2, 3, 0]
    assert item.summary_sections[0].bullets[1].verdict_text.startswith("Målet er ikke opfyldt")


def test_agenda_item_with_goals_of_its_own(tmp_path) -> None:
    """Another portal's layout: committee line, 'Møde:', sections Indstilling … Beslutning,
    and the goals in a list under 'Løsning'; the follow-up year is not the meeting year."""
    path = tmp_path / "punkt.txt"
    path.write_text(
        "Kultur- og Fritidsudvalget\nMøde: 02.03.2022 kl. 16:00\n\n4. Status på målene for 2021\n\n"
        "Indstilling\n\nForvaltningen indstiller,\n\n  1. at status godkendes.\n\n"
        "Løsning\n\nStatus på målene:\n\n  • Flere skal bruge biblioteket. Målet er nået.\n"
        "  • Flere skal gå til idræt. Målet er ikke nået.\n\nBeslutning\n\nTiltrådt.\n",
        encoding="utf-8",
    )
    doc = parse(path)
    assert doc.kind == "agenda-item" and doc.year == 2021
    goals = [g for fa in doc.report.focus_areas for g in fa.goals]
    assert [(g.text, g.assessment.verdict.value) for g in goals] == [
        ("Flere skal bruge biblioteket.", "opfyldt"),
        ("Flere skal gå til idræt.", "ikke opfyldt"),
    ]
    assert doc.agenda.meeting_date == dt.date(2022, 3, 2) and doc.agenda.decision == "Tiltrådt."


def test_list_with_one_joint_verdict(tmp_path) -> None:
    path = tmp_path / "liste.md"
    path.write_text(
        "# Årsrapport 2022\n\nByrådets mål for 2022:\n\n- Flere unge i job\n- Færre på kontanthjælp\n\n"
        "Målene er i al væsentlighed nået.\n",
        encoding="utf-8",
    )
    goals = [g for fa in parse(path).report.focus_areas for g in fa.goals]
    assert [(g.text, g.assessment.verdict.value) for g in goals] == [
        ("Flere unge i job", "opfyldt"), ("Færre på kontanthjælp", "opfyldt")]  # fmt: skip


def test_headings_without_a_verdict_are_no_goals(tmp_path) -> None:
    path = tmp_path / "beretning.txt"
    path.write_text(
        "Årsberetning 2022\n\nIndledning\n\nKommunen har haft et godt år.\n\n"
        "Økonomi\n\nBudgettet er overholdt, og kravene er opfyldt.\n",
        encoding="utf-8",
    )
    doc = parse(path)
    assert doc.kind == "document" and doc.report is None
    assert any("fandt ingen mål" in w for w in doc.warnings)


def test_first_sentence() -> None:
    assert first_sentence("Ca. 15 pct. skal ryge. Målet er nået.") == (
        "Ca. 15 pct. skal ryge.",
        "Målet er nået.",
    )


@pytest.mark.parametrize(
    ("text", "date"),
    [("16. marts 2021", dt.date(2021, 3, 16)), ("tirsdag den 2. februar 2021", dt.date(2021, 2, 2)),
     ("2021-03-16", dt.date(2021, 3, 16)), ("16-03-2021", dt.date(2021, 3, 16)), ("i morgen", None),
     ("31. februar 2021", None), ("14.02.2023 kl. 15:30", dt.date(2023, 2, 14))],
)  # fmt: skip
def test_dates(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date


def test_a_tally_of_goals_is_no_goal(tmp_path) -> None:
    """'Af de 12 mål er 8 opfyldt …' under 'Sammenfatning' sums up; only the goals count."""
    path = tmp_path / "rapport.txt"
    path.write_text(
        "Målopfølgning 2023\n\nSammenfatning\n\nAf de 3 mål er 2 opfyldt og 1 ikke opfyldt.\n\n"
        "Flere i job\n\nBeskæftigelsen steg. Målet er opfyldt.\n\n"
        "Færre på kontanthjælp\n\nAntallet steg. Målet er ikke opfyldt.\n",
        encoding="utf-8",
    )
    goals = [g for fa in parse(path).report.focus_areas for g in fa.goals]
    assert [(g.text, g.assessment.verdict.value) for g in goals] == [
        ("Flere i job", "opfyldt"), ("Færre på kontanthjælp", "ikke opfyldt")]  # fmt: skip


def test_table_rows_that_head_rows_are_focus_areas(tmp_path) -> None:
    path = tmp_path / "tabel.md"
    path.write_text(
        "# Målopfølgning 2023\n\n| Mål | Status |\n|---|---|\n| Børn og unge | |\n"
        "| Flere børn trives | Opfyldt |\n| Ældre | |\n| Færre ensomme ældre | Ikke opfyldt |\n",
        encoding="utf-8",
    )
    areas = parse(path).report.focus_areas
    assert [(a.title, [g.text for g in a.goals]) for a in areas] == [
        ("Børn og unge", ["Flere børn trives"]), ("Ældre", ["Færre ensomme ældre"])]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "text"),
    [("punkt.html", "<html><body><p>Kultur- og Fritidsudvalget</p><p>Mødedato: 1. marts 2023</p>"
      "<h2>3. Status på mål 2022</h2><p><strong>Indstilling</strong></p><p>Forvaltningen indstiller, at status godkendes.</p>"
      "<p><strong>Beslutning</strong></p><p>Godkendt.</p></body></html>"),
     ("punkt.md", "Kultur- og Fritidsudvalget\n\nMødedato: 1. marts 2023\n\n## 3. Status på mål 2022\n\n"
      "**Indstilling**\n\nForvaltningen indstiller, at status godkendes.\n\n**Beslutning**\n\nGodkendt.\n")],
)  # fmt: skip
def test_bold_paragraphs_are_section_headings(tmp_path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = parse(path)
    assert doc.kind == "agenda-item" and doc.agenda.decision == "Godkendt."
    assert doc.agenda.committee == "Kultur- og Fritidsudvalget" and doc.year == 2022
