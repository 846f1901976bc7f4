"""Meaning read from text: verdicts, names and their kinds, measurements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maalgraph.ingest.extract import detect_municipality, plan_name
from maalgraph.ingest.gazetteer import Gazetteer
from maalgraph.ingest.measures import find_measurements
from maalgraph.ingest.names import find_candidates, settle
from maalgraph.ingest.verdicts import verdict_of_text
from maalgraph.model import EntityKind, Verdict
from maalgraph.nlp import danish


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Målet er opfyldt.", Verdict.MET),
        ("Med den samlede indsats vurderes målet således at være opfyldt.", Verdict.MET),
        ("Målet vurderes på denne baggrund at være opfyldt.", Verdict.MET),
        ("Målet er nået.", Verdict.MET),
        ("Det vurderes derfor, at målet er delvist opfyldt.", Verdict.PARTLY_MET),
        ("Målet er delvis opfyldt.", Verdict.PARTLY_MET),
        ("Målet er ikke helt opfyldt.", Verdict.PARTLY_MET),
        ("Målet er således ikke opfyldt, men resultatet er tilfredsstillende.", Verdict.NOT_MET),
        ("Vi vurderer, at målet ikke er blevet indfriet.", Verdict.NOT_MET),
        ("Opfyldt i 2019. I 2020 er målet ikke opfyldt.", Verdict.NOT_MET),
        ("Der arbejdes for at nå målet.", None),
        ("Ingen vurdering endnu.", None),
    ],
)
def test_verdicts(text: str, verdict: Verdict | None) -> None:
    found = verdict_of_text(text)
    assert (found[0] if found else None) is verdict


def names(text: str, municipality: str = "Odense") -> set[tuple[str, EntityKind]]:
    doc = danish()(text)
    return {
        (c.label, c.kind) for c in settle(find_candidates(doc, Gazetteer.load(), {municipality}))
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Indsatsen sker i samarbejde med Kirkens Korshær og Odense Boldklub.",
         {("Kirkens Korshær", EntityKind.PARTNER), ("Odense Boldklub", EntityKind.PARTNER)}),
        ("Kommunen deltager i projektet Vejen til Job sammen med Børn & Unge.",
         {("Vejen til Job", EntityKind.PROJECT), ("Børn & Unge", EntityKind.UNIT)}),
        ("Det sker i Projekt Ny Start og i Madprojektet.",
         {("Projekt Ny Start", EntityKind.PROJECT), ("Madprojektet", EntityKind.PROJECT)}),
        ("Forløbet 'Stærk i Job' drives af Borgerservice.",
         {("Stærk i Job", EntityKind.PROJECT), ("Borgerservice", EntityKind.UNIT)}),
        ("I 2021 havde Odense Kommune flere i job end Region Syddanmark.",
         {("Odense Kommune", EntityKind.AREA), ("Region Syddanmark", EntityKind.AREA)}),
        ("Samarbejdet med Blaa Kors er styrket af HR-konsulenter i januar.",
         {("Blå Kors", EntityKind.PARTNER)}),
        ("Koordinerende sagsbehandler og STAR-finansierede projekter.", set()),
    ],
)  # fmt: skip
def test_names(text: str, expected: set) -> None:
    assert names(text) == expected


def test_sentence_initial_word_needs_support() -> None:
    assert names("Ungevejledningen hjælper. Hjælpen gives af Ungevejledningen.") == {
        ("Ungevejledningen", EntityKind.UNIT)}  # fmt: skip
    assert names("Foredrag holdes ofte. Det er godt.") == set()


def measure(text: str) -> list[tuple]:
    doc = danish()(text)
    areas = []
    for name in ("Aarhus Kommune", "Region Midtjylland"):
        if name in text:
            areas.append((text.index(name), len(name), name))
    return [
        (m.value, m.unit, m.period, m.area)
        for m in find_measurements(doc, 2022, "Aarhus Kommune", areas)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fra 2021 til 2022 steg antallet af borgere i fleksjob fra 2.048 til 2.145.",
         [(2048, "borgere", "2021", "Aarhus Kommune"), (2145, "borgere", "2022", "Aarhus Kommune")]),
        ("I 2022 havde Aarhus Kommune 7,5 % ledige, mens Region Midtjylland havde 8,1 %.",
         [(Decimal("7.5"), "procent", "2022", "Aarhus Kommune"), (Decimal("8.1"), "procent", "2022", "Region Midtjylland")]),
        ("I 2022 blev der afsluttet 310 forløb, mens der i 2021 blev afsluttet 290 forløb.",
         [(310, "forløb", "2022", "Aarhus Kommune"), (290, "forløb", "2021", "Aarhus Kommune")]),
        ("Fra marts 2021 til juni 2022 var der 88 henvendelser.",
         [(88, "henvendelser", "2021-03/2022-06", "Aarhus Kommune")]),
        ("Der er afholdt 4 kurser for 30 deltagere.",
         [(4, "kurser", "2022", "Aarhus Kommune"), (30, "deltagere", "2022", "Aarhus Kommune")]),
        ("17 elever over 25 år i de næste 6 måneder, med 1-2 tovholdere; det 3. møde.",
         [(17, "elever", "2022", "Aarhus Kommune")]),
        ("1 person fra hvert af de 7 jobcentre deltager.", []),
    ],
)  # fmt: skip
def test_measurements(text: str, expected: list) -> None:
    assert measure(text) == expected


def test_municipality_and_plan() -> None:
    assert (
        detect_municipality(["Vejle Kommune og Vejle Kommunes borgere, Fredericia Kommune"])
        == "Vejle Kommune"
    )
    assert detect_municipality(["Ingen kommune nævnt"]) is None
    assert plan_name("Fremgår af Ældrepolitikken 2021-2024") == "Ældrepolitikken 2021-2024"
    assert plan_name("Jf. Beskæftigelsesplanen 2022") == "Beskæftigelsesplanen 2022"
