"""Meaning read from text: verdicts, names and their kinds, measurements."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maalgraph.ingest.extract import plan_name
from maalgraph.ingest.gazetteer import Gazetteer
from maalgraph.ingest.measures import find_measurements
from maalgraph.ingest.names import find_candidates, settle
from maalgraph.ingest.scope import detect_municipality, detect_year
from maalgraph.ingest.verdicts import read_statement, verdict_of_text
from maalgraph.model import EntityKind, Progress, Role, Trend, Verdict
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
        (
            "Ambitionen for 2022 på 88,0 % er dermed ikke indfriet, men udviklingen går i den rigtige retning.",
            Verdict.NOT_MET,
        ),
        ("Dermed er årets ambition om højst 350 langtidsledige nået.", Verdict.MET),
        ("Budgetnoten er dermed opfyldt.", Verdict.MET),
        ("Målene er i al væsentlighed nået.", Verdict.MET),
        ("Målet forventes at blive opfyldt.", Verdict.MET),
        ("Målet er næsten nået.", Verdict.PARTLY_MET),
        ("Målet er ikke fuldt ud opfyldt.", Verdict.PARTLY_MET),
        ("Det er ikke lykkedes at nå målet.", Verdict.NOT_MET),
        ("Målet om færre ledige er ikke nået i 2022.", Verdict.NOT_MET),
        ("Målet forventes ikke at blive nået.", Verdict.NOT_MET),
        ("Målet er ikke i tilstrækkelig grad opfyldt.", Verdict.NOT_MET),
        ("Målet er ikke kun nået, men overgået.", Verdict.MET),
        ("Målet er ikke i fuld grad opfyldt.", Verdict.PARTLY_MET),
        ("Derfor kan udviklingen ikke vurderes.", None),
        ("Anlægget er påbegyndt og forventes færdigt i 2023.", None),
    ],
)
def test_verdicts(text: str, verdict: Verdict | None) -> None:
    found = verdict_of_text(text)
    assert (found[0] if found else None) is verdict


@pytest.mark.parametrize(
    ("text", "no_verdict", "progress", "trend"),
    [
        ("Derfor kan udviklingen ikke vurderes.", True, None, None),
        ("Det er ikke muligt at vurdere målet endnu.", True, None, None),
        ("Anlægget er påbegyndt og forventes færdigt i 2023.", False, Progress.IN_PROGRESS, None),
        ("Projektet er afsluttet.", False, Progress.COMPLETED, None),
        ("Udviklingen siden baseline er positiv.", False, None, Trend.POSITIVE),
        ("Udviklingen siden baseline er negativ.", False, None, Trend.NEGATIVE),
        ("Målet er nået.", False, None, None),
    ],
)
def test_statuses_and_trends(
    text: str, no_verdict: bool, progress: Progress | None, trend: Trend | None
) -> None:
    """Statuses and trends are read, never turned into a verdict here."""
    statement = read_statement(danish()(text))
    assert (statement.no_verdict is not None, statement.progress, statement.trend) == (
        no_verdict, progress, trend)  # fmt: skip
    if no_verdict or progress:
        assert statement.verdict is None


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
        ("Det siger borgmester Peter Rahbæk Juel, og det gør Socialdemokratiet også.", set()),
        ("Sagsbehandleren Mette Frederiksen Hansen hjælper Dansk Folkeparti og Røde Kors.",
         {("Røde Kors", EntityKind.PARTNER)}),
        ("Forligspartierne og DROP ALL SERVICE ønsker det.", set()),
        ("Mål 1.1: Alle børn skal trives hos PPR Odense.", {("PPR Odense", EntityKind.PARTNER)}),
        ("Sagen behandles i Social- og Sundhedsudvalget.", {("Social- og Sundhedsudvalget", EntityKind.UNIT)}),
        ("Teknik og Miljø samarbejder med Vejle Forsyning og Socialstyrelsen om børn og unge.",
         {("Teknik og Miljø", EntityKind.UNIT), ("Vejle Forsyning", EntityKind.PARTNER), ("Socialstyrelsen", EntityKind.UNIT)}),
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
        ("Andelen var 14,1 % i 2022 mod 16,3 % i 2019.",
         [(Decimal("14.1"), "procent", "2022", "Aarhus Kommune"), (Decimal("16.3"), "procent", "2019", "Aarhus Kommune")]),
        ("Der er afsat 8,5 mio. kr. og 12 % af puljen.",
         [(Decimal("8.5"), "mio. kr.", "2022", "Aarhus Kommune"), (12, "procent", "2022", "Aarhus Kommune")]),
        ("Tryghedsindekset steg fra 61 til 64 point.",
         [(61, "point", "2022", "Aarhus Kommune"), (64, "point", "2022", "Aarhus Kommune")]),
        ("Udledningen ændrede sig med -6,2 % i 2022.", [(Decimal("-6.2"), "procent", "2022", "Aarhus Kommune")]),
        ("Ledigheden var 4,1 %, mens landsgennemsnittet var 4,5 %.",
         [(Decimal("4.1"), "procent", "2022", "Aarhus Kommune"), (Decimal("4.5"), "procent", "2022", "Hele landet")]),
    ],
)  # fmt: skip
def test_measurements(text: str, expected: list) -> None:
    assert measure(text) == expected


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("Byrådet har en ambition om, at mindst 90 % skal have en uddannelse. Andelen er 87,9 %.",
         [Role.TARGET, Role.ACTUAL]),
        ("Målet om 65 point er delvist opfyldt; indekset er 64 point.", [Role.TARGET, Role.ACTUAL]),
        ("Baseline 2018: 74,2 %", [Role.BASELINE]),
        ("Opfølgning 2022: 76,3 %", [Role.ACTUAL]),
        ("Kommunen skal have højst 350 langtidsledige, og der var 298.", [Role.TARGET, Role.ACTUAL]),
        ("Udgangspunktet var 18 % og nu er andelen 21 %, mod målsætningen på 25 %.",
         [Role.BASELINE, Role.ACTUAL, Role.TARGET]),
    ],
)  # fmt: skip
def test_measurement_roles(text: str, roles: list[Role]) -> None:
    """A target is never read as a result, nor a baseline as a target."""
    found = find_measurements(danish()(text), 2022, "Aarhus Kommune", [])
    assert [m.role for m in found] == roles


def test_municipality_and_plan() -> None:
    assert (
        detect_municipality(["Vejle Kommune og Vejle Kommunes borgere, Fredericia Kommune"])
        == "Vejle Kommune"
    )
    assert detect_municipality(["Ingen kommune nævnt"]) is None
    assert detect_municipality(["Byrådet i Solbjerg har vedtaget"]) == "Solbjerg Kommune"
    assert detect_municipality(["Status fra Esbjerg og omegn"]) == "Esbjerg Kommune"  # a known name
    assert plan_name("Fremgår af Ældrepolitikken 2021-2024") == "Ældrepolitikken 2021-2024"
    assert plan_name("Jf. Beskæftigelsesplanen 2022") == "Beskæftigelsesplanen 2022"


@pytest.mark.parametrize(
    ("title", "texts", "meeting", "year"),
    [
        ("Målopfølgning 2021: Kultur og Fritid", [], None, 2021),
        ('Sådan følger vi op på visionen "Solby 2030"', ["Opfølgningen for 2022 viser følgende."], None, 2022),
        ("Status på sundhedspolitikkens mål 2022", [], (2023, 2, 14), 2022),
        ("Referat", ["Status for 2022 og ambitioner frem mod 2025."], (2023, 2, 14), 2022),
        ("Strategi frem mod 2030", ["I 2021 steg tallet, og i 2021 faldt det i 2020."], None, 2021),
    ],
)  # fmt: skip
def test_follow_up_year(title: str, texts: list[str], meeting: tuple | None, year: int) -> None:
    """The year followed up, not a vision's horizon nor the meeting's year."""
    import datetime as dt

    assert detect_year(title, texts, meeting=dt.date(*meeting) if meeting else None) == year
