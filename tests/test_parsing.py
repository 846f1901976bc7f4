"""Document structure: follow-up blocks and agenda items, including the layout variants."""

from __future__ import annotations

import datetime as dt

import pytest

from maalgraph.ingest.agenda import parse_agenda, parse_date
from maalgraph.ingest.followup import Field, field_of, parse_followup
from maalgraph.ingest.markup import split_paragraphs
from maalgraph.ingest.reading import read_source


def test_followup_structure(seeds) -> None:
    doc = parse_followup(read_source(seeds["followup"]))
    assert doc.title == "Målopfølgning for budget 2020" and doc.year == 2020
    assert [len(a.goals) for a in doc.focus_areas] == [4, 2, 3, 3]
    assert {a.service_area_code for a in doc.focus_areas} == {"17"}
    assert all(g.assessment is not None for a in doc.focus_areas for g in a.goals)
    assert doc.warnings == []


def test_missing_status_label_variant(seeds) -> None:
    """The fourth block has no 'Status på opfyldelse af mål' label; its Ad N follow anyway."""
    area = parse_followup(read_source(seeds["followup"])).focus_areas[3]
    sections = [p.section for g in area.goals for p in g.assessment.paragraphs]
    assert sections.count("Fokusområde 4, Ad 1") == 9  # text, 7 bullets, closing paragraph
    bullets = [p.text for p in area.goals[0].assessment.paragraphs[1:8]]
    assert bullets[0] == "Regnskabsanalyse" and bullets[-1] == "Akademikere"
    emphasised = area.goals[2].assessment.paragraphs[1].text
    assert emphasised.startswith("Forebyggelsesteamet blev") and "*" not in emphasised


@pytest.mark.parametrize(
    ("label", "field"),
    [("Serviceområde", Field.SERVICE_AREA), ("fokusområde", Field.FOCUS_AREA), ("Mål", Field.GOALS),
     ("Årsmål 2021", Field.GOALS), ("Veje til målet", Field.PATHWAY),
     ("Status på opfyldelse af mål", Field.STATUS), ("Status", Field.STATUS), ("Ad 1", None),
     ("Målet er opfyldt.", None)],
)  # fmt: skip
def test_field_labels(label: str, field: Field | None) -> None:
    assert field_of(label) is field


def test_colon_separated_fields(tmp_path) -> None:
    path = tmp_path / "colon.txt"
    path.write_text(
        "Opfølgning 2023\n\nFokusområde: Sundhed\nMål: Flere borgere skal være røgfri.\n"
        "Status: Ad 1: Målet er opfyldt.\n",
        encoding="utf-8",
    )
    doc = parse_followup(read_source(path))
    assert doc.year == 2023
    assert doc.focus_areas[0].title == "Sundhed"
    assert doc.focus_areas[0].goals[0].assessment.paragraphs[0].text == "Ad 1: Målet er opfyldt."


def test_html_and_plain_paragraphs() -> None:
    paragraphs, problems = split_paragraphs([(1, "<p>A &amp; B</p> <p>C")])
    assert [p.text for p in paragraphs] == ["A & B", "C"] and problems == [
        "line 1: <p> is not closed"
    ]
    plain, _ = split_paragraphs(
        [(1, "Først"), (2, "fortsat"), (3, ""), (4, "- punkt *et*"), (5, "• to")]
    )
    assert [(p.text, p.is_list_item) for p in plain] == [
        ("Først fortsat", False),
        ("punkt et", True),
        ("to", True),
    ]


def test_agenda_item(seeds) -> None:
    item = parse_agenda(read_source(seeds["agenda"]))
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


@pytest.mark.parametrize(
    ("text", "date"),
    [("16. marts 2021", dt.date(2021, 3, 16)), ("tirsdag den 2. februar 2021", dt.date(2021, 2, 2)),
     ("2021-03-16", dt.date(2021, 3, 16)), ("16-03-2021", dt.date(2021, 3, 16)), ("i morgen", None),
     ("31. februar 2021", None)],
)  # fmt: skip
def test_dates(text: str, date: dt.date | None) -> None:
    assert parse_date(text) == date
