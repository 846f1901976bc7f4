"""Every named query: loads, declares its parameters, and answers right on a tiny graph (and,
for statuses, roles and locators, on three small documents of other layouts), on every backend."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from servers import REMOTE_BACKENDS, remote_backend

from maalgraph import MaalGraph, QueryError
from maalgraph.queries import inject_values, load_queries, parse_query_file

MAAL = "https://w3id.org/maalgraph/def#"
DATA = Path(__file__).parent / "data"
VEJLE = "https://w3id.org/maalgraph/id/area/vejle-kommune"


@pytest.fixture(scope="module", params=["embedded", *REMOTE_BACKENDS])
def tiny(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MaalGraph]:
    """Two small documents, in the embedded store and on every external server."""
    files = [DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"]
    yield from graph_of(files, request.param, tmp_path_factory)


def graph_of(
    files: list[Path], backend_name: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MaalGraph]:
    """The files ingested into the embedded store or into a fresh external server."""
    if backend_name == "embedded":
        kg = MaalGraph.memory()
        kg.ingest_many(files)
        yield kg
        return
    with (
        remote_backend(backend_name, tmp_path_factory.mktemp(backend_name)) as backend,
        backend.connect(writable=True) as kg,
    ):
        kg.ingest_many(files)
        yield kg


# a table with baselines, results, targets and trends (md), budget notes with progress and no
# verdict (txt), another portal's agenda item with a status "I gang" (html)
STATUS_FILES = [
    DATA / "corpus" / name
    for name in ("nordhavn-indikatorer-2023.md", "skovlund-budgetopfoelgning-2023.txt",
                 "vesterlund-boerne-og-skoleudvalget-2024-03-05-punkt-12.html")
]  # fmt: skip


@pytest.fixture(scope="module", params=["embedded", *REMOTE_BACKENDS])
def statuses(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MaalGraph]:
    """The three documents of STATUS_FILES, in the embedded store and on every external server."""
    yield from graph_of(STATUS_FILES, request.param, tmp_path_factory)


def label(kg: MaalGraph, node: object) -> str:
    return next(str(r["label"]) for r in kg.named("network_nodes").rows if r["node"] == node)


def goal(kg: MaalGraph, identifier: str) -> str:
    return next(str(r["goal"]) for r in kg.named("goals").rows if r["id"] == identifier)


def focus_areas(kg: MaalGraph) -> list[str]:
    return sorted({str(r["focusArea"]) for r in kg.named("goals").rows})


def entity(kg: MaalGraph, label: str) -> str:
    return next(r["entity"] for r in kg.named("labels", label=label).rows)


def rows_of(rows: Iterable[Mapping[str, object]]) -> list[tuple[tuple[str, str], ...]]:
    """Rows as sorted tuples of their values, to compare two reads."""
    return sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)


GOLDEN = {
    "stats": lambda kg: {r["metric"]: r["count"] for r in kg.named("stats").rows}
    == {"dokumenter": 2, "fokusområder": 2, "mål": 3, "mål opfyldt": 1, "mål delvist opfyldt": 1,
        "mål ikke opfyldt": 1, "samarbejdspartnere": 4, "interne enheder": 1, "projekter": 2,
        "målinger": 4, "udvalgsbeslutninger": 1},
    "documents": lambda kg: sorted((r["kind"], r["municipality"], r["year"]) for r in kg.named("documents").rows)
    == [("agenda-item", VEJLE, 2021), ("follow-up", VEJLE, 2021)],
    "focus_areas": lambda kg: [(r["number"], r["goals"], r["year"]) for r in kg.named("focus_areas").rows]
    == [(1, 2, 2021), (2, 1, 2021)],
    "focus_area_count": lambda kg: kg.named("focus_area_count", year=2021).rows == [{"count": 2}]
    and kg.named("focus_area_count", year=2020).rows == [{"count": 0}],
    "goals": lambda kg: [r["id"] for r in kg.named("goals", verdict=MAAL + "DelvistOpfyldt").rows] == ["1.2"],
    "goal_count": lambda kg: kg.named("goal_count").rows == [{"count": 3}]
    and kg.named("goal_count", verdict=MAAL + "Opfyldt").rows == [{"count": 1}],
    "focus_areas_by_verdict": lambda kg: [r["title"] for r in kg.named("focus_areas_by_verdict", verdict=MAAL + "IkkeOpfyldt").rows]
    == ["Borgere med psykiske lidelser skal have et sammenhængende forløb"],
    "goals_depending_on": lambda kg: [(r["id"], r["sourceSection"]) for r in kg.named("goals_depending_on", entity=entity(kg, "Ældre Sagen")).rows]
    == [("1.1", "Fokusområde 1, Ad 1")],
    "impact": lambda kg: {(r["id"], r.get("viaLabel")) for r in kg.named("impact", entity=entity(kg, "Ældre Sagen")).rows}
    == {("1.1", None), ("1.1", "Projekt Aktiv Hverdag")},
    "entities": lambda kg: {r["label"] for r in kg.named("entities", type=MAAL + "Project").rows}
    == {"Projekt Aktiv Hverdag", "Ven i Vejle"},
    "entities_of_goals": lambda kg: {r["label"] for r in kg.named("entities_of_goals", goal=next(
        r["goal"] for r in kg.named("goals").rows if r["id"] == "1.2")).rows} == {"Røde Kors", "Ven i Vejle"},
    "goal_status": lambda kg: (lambda r: (r["verdictLabel"], r["verdictPhrase"]))(kg.named("goal_status", goal=next(
        r["goal"] for r in kg.named("goals").rows if r["id"] == "2.1")).rows[0]) == ("ikke opfyldt", "Målet er ikke opfyldt."),
    "measurements": lambda kg: sorted(r["value"] for r in kg.named("measurements", year=2021).rows)
    == [Decimal("8.5"), Decimal("9.1"), 412]
    and len(kg.named("measurements", municipality=VEJLE).rows) == 4
    and kg.named("measurements", municipality=VEJLE.replace("vejle", "herning")).rows == [],
    "network_nodes": lambda kg: Counter(r["type"] for r in kg.named("network_nodes", municipality=VEJLE, year=2021).rows)
    == {"goal": 3, "focus_area": 2, "measurement": 4, "partner": 4, "project": 2, "unit": 1, "plan": 2}
    and kg.named("network_nodes", year=2020).rows == []
    # only some kinds, only some focus areas (several values bound at once)
    and Counter(r["type"] for r in kg.named("network_nodes", kind=["goal", "project"]).rows) == {"goal": 3, "project": 2}
    and Counter(r["type"] for r in kg.named("network_nodes", focusArea=focus_areas(kg)[:1], kind=["focus_area", "goal"]).rows)
    == {"focus_area": 1, "goal": 2},
    "network_edges": lambda kg: sorted((label(kg, r["from"]), r["relation"], label(kg, r["to"]))
                                       for r in kg.named("network_edges").rows if r["relation"] in ("depends_on", "works_with"))
    == [("Mål 1.1", "depends_on", "Projekt Aktiv Hverdag"), ("Mål 1.1", "depends_on", "Vejle Idrætsforening"),
        ("Mål 1.1", "depends_on", "Ældre Sagen"), ("Mål 1.2", "depends_on", "Røde Kors"), ("Mål 1.2", "depends_on", "Ven i Vejle"),
        ("Mål 2.1", "depends_on", "Jobcentret"), ("Mål 2.1", "depends_on", "Psykiatrisk Center Vejle"),
        ("Projekt Aktiv Hverdag", "works_with", "Vejle Idrætsforening"), ("Projekt Aktiv Hverdag", "works_with", "Ældre Sagen"),
        ("Ven i Vejle", "works_with", "Røde Kors")]
    and Counter(r["relation"] for r in kg.named("network_edges", kind="in_focus_area").rows) == {"in_focus_area": 3}
    and {r["relation"] for r in kg.named("network_edges", focusArea=focus_areas(kg)[1:], kind=["depends_on", "pathway"]).rows}
    == {"depends_on", "pathway"},
    # the depends_on and works_with rows of network_edges into the nodes bound, and the goal's focus area
    "dependency_edges": lambda kg: sorted((r["relation"], str(r.get("focusArea", ""))[-4:]) for r in kg.named(
        "dependency_edges", to=[entity(kg, "Ældre Sagen"), entity(kg, "Røde Kors")]).rows)
    == [("depends_on", "fa/1"), ("depends_on", "fa/1"), ("works_with", ""), ("works_with", "")]
    and {(r["from"], r["relation"], r["to"], r["source"]) for r in kg.named("dependency_edges", to=entity(kg, "Ældre Sagen")).rows}
    == {(r["from"], r["relation"], r["to"], r["source"]) for r in kg.named("network_edges").rows
        if r["to"] == entity(kg, "Ældre Sagen") and r["relation"] in ("depends_on", "works_with")}
    and kg.named("dependency_edges", to=entity(kg, "Ældre Sagen"), year=2020).rows == [],
    "committee_handling": lambda kg: [(r["committeeLabel"], r["date"], r["outcomeLabel"], r["reportTitle"])
                                      for r in kg.named("committee_handling").rows]
    == [("Social- og Seniorudvalget", dt.date(2022, 3, 8), "taget til efterretning", "Målopfølgning 2021 – Social og Sundhed")],
    "plans": lambda kg: {r["label"] for r in kg.named("plans").rows} == {"Ældrepolitikken 2021-2024", "Psykiatriplanen 2021"},
    "inconsistencies": lambda kg: sorted(r["text"][:40] for r in kg.named("inconsistencies").rows)
    == ["resuméet i «Målopfølgning 2021» siger «o", "resuméet i «Målopfølgning 2021» udelader"],
    "names_of": lambda kg: {(r["iri"], r["name"]) for r in kg.named("names_of", iri=[MAAL + "Opfyldt", VEJLE]).rows}
    >= {(MAAL + "Opfyldt", "opfyldt"), (MAAL + "Opfyldt", "met"), (VEJLE, "Vejle Kommune")}
    and kg.named("names_of", iri=MAAL + "Nothing").rows == [],
    "labels": lambda kg: {"Blaa Kors", "Vejle Idrætsforening"} - {r["label"] for r in kg.named("labels").rows} == {"Blaa Kors"}
    # bound to the things a page shows, or to one name: the same rows as the whole read's
    and rows_of(kg.named("labels", entity=[entity(kg, "Ældre Sagen"), entity(kg, "Røde Kors")]).rows)
    == rows_of(r for r in kg.named("labels").rows if r["entity"] in (entity(kg, "Ældre Sagen"), entity(kg, "Røde Kors")))
    and [r["entity"] for r in kg.named("labels", label="Røde Kors").rows] == [entity(kg, "Røde Kors")],
    "goals_depending_count_by_municipality": lambda kg: [(r["municipalityLabel"], int(r["count"])) for r in kg.named(
        "goals_depending_count_by_municipality", entity=[entity(kg, "Ældre Sagen"), entity(kg, "Røde Kors")]).rows]
    == [("Vejle Kommune", len({r["goal"] for r in kg.named(
        "goals_depending_on", entity=[entity(kg, "Ældre Sagen"), entity(kg, "Røde Kors")]).rows}))] == [("Vejle Kommune", 2)]
    and kg.named("goals_depending_count_by_municipality", entity=entity(kg, "Røde Kors"), verdict=MAAL + "Opfyldt").rows == []
    and kg.named("goals_depending_count_by_municipality", entity=entity(kg, "Ældre Sagen"), year=2020).rows == [],
    "goal_count_by_municipality": lambda kg: [(r["municipalityLabel"], int(r["count"]))
                                              for r in kg.named("goal_count_by_municipality").rows] == [("Vejle Kommune", 3)]
    and [int(r["count"]) for r in kg.named("goal_count_by_municipality", verdict=MAAL + "IkkeOpfyldt").rows]
    == [len({r["goal"] for r in kg.named("goals", verdict=MAAL + "IkkeOpfyldt").rows})] == [1]
    and kg.named("goal_count_by_municipality", year=[2020, 2022]).rows == [],
    # every goal's verdict, text, year and municipality: those of the goals query
    "goal_verdicts": lambda kg: sorted((r["goal"], r["text"], r["verdictLabel"], r["year"], r["municipalityLabel"])
                                       for r in kg.named("goal_verdicts").rows)
    == sorted({(r["goal"], r["text"], r["verdictLabel"], r["year"], r["municipalityLabel"]) for r in kg.named("goals").rows})
    and len(kg.named("goal_verdicts").rows) == 3 and kg.named("goal_verdicts", municipality=VEJLE).rows
    and kg.named("goal_verdicts", municipality=MAAL + "Nowhere").rows == [],
    "focus_area_count_by_municipality": lambda kg: [(r["municipalityLabel"], int(r["count"]))
                                                    for r in kg.named("focus_area_count_by_municipality").rows]
    == [("Vejle Kommune", len(kg.named("focus_areas").rows))] == [("Vejle Kommune", 2)]
    and kg.named("focus_area_count_by_municipality", year=[2020, 2022]).rows == [],
    # the counts beside a first page: each the number of the rows (things, plans) its listing has
    "entity_count_by_municipality": lambda kg: [(r["municipalityLabel"], int(r["count"])) for r in kg.named(
        "entity_count_by_municipality", type=[MAAL + "Partner", "http://www.w3.org/ns/org#OrganizationalUnit"]).rows]
    == [("Vejle Kommune", len(kg.named("entities", type=MAAL + "Partner").rows)
         + len(kg.named("entities", type="http://www.w3.org/ns/org#OrganizationalUnit").rows))] == [("Vejle Kommune", 5)]
    and [int(r["count"]) for r in kg.named("entity_count_by_municipality", type=MAAL + "Project").rows] == [2],
    "plan_count_by_municipality": lambda kg: [(r["municipalityLabel"], int(r["count"]))
                                              for r in kg.named("plan_count_by_municipality").rows]
    == [("Vejle Kommune", len({r["plan"] for r in kg.named("plans").rows}))] == [("Vejle Kommune", 2)]
    and len(kg.named("plans", municipality=VEJLE).rows) == len(kg.named("plans").rows) > 0,
    "paragraph": lambda kg: kg.named("paragraph", paragraph=kg.named("goals").rows[0]["source"]).rows[0]["line"] == 8
    # several at once, each row naming its paragraph
    and sorted((str(r["paragraph"]), r["line"]) for r in kg.named("paragraph", paragraph=[g["source"] for g in kg.named("goals").rows[:2]]).rows)
    == sorted((str(g["source"]), kg.named("paragraph", paragraph=g["source"]).rows[0]["line"]) for g in kg.named("goals").rows[:2]),
    "project_partners": lambda kg: {(r["project"], r["organisation"]) for r in kg.named("project_partners").rows}
    == {(entity(kg, "Projekt Aktiv Hverdag"), entity(kg, "Ældre Sagen")),
        (entity(kg, "Projekt Aktiv Hverdag"), entity(kg, "Vejle Idrætsforening")),
        (entity(kg, "Ven i Vejle"), entity(kg, "Røde Kors"))}
    == {(r["project"], r["organisation"]) for r in kg.named("project_partners", municipality=VEJLE).rows}
    and kg.named("project_partners", municipality=VEJLE.replace("vejle", "herning")).rows == [],
    "goal_paragraphs": lambda kg: [(r["role"], r["section"], r["line"]) for r in kg.named("goal_paragraphs", goal=goal(kg, "1.2")).rows]
    == [("mål", "Fokusområde 1, Mål 2", 6), ("vurdering", "Fokusområde 1, Ad 2", 10)],
    "decisions": lambda kg: [(r["committeeLabel"], r["date"], r["decision"], r["outcomeLabel"])
                             for r in kg.named("decisions", report=next(r["report"] for r in kg.named("goals").rows)).rows]
    == [("Social- og Seniorudvalget", dt.date(2022, 3, 8), "Taget til efterretning.", "taget til efterretning")],
    "summary_statements": lambda kg: [(r["text"], r["verdict"]) for r in kg.named(
        "summary_statements", document=next(r["document"] for r in kg.named("documents").rows if r["kind"] == "agenda-item")).rows]
    == [("Vejle Kommune vil øge antallet af ældre i frivillige fællesskaber.", MAAL + "Opfyldt"),
        ("Færre ældre skal opleve ensomhed.", MAAL + "Opfyldt")],
    # the question layer's (issue 13): its lexicon, and goals and values looked up by text
    "goal_texts": lambda kg: sorted(r["text"][:20] for r in kg.named("goal_texts").rows)
    == ["Færre ældre skal opl", "Psykiatrien og Jobce", "Vejle Kommune vil øg"],
    "focus_area_titles": lambda kg: len(kg.named("focus_area_titles").rows) == 2,
    "agenda_item_titles": lambda kg: kg.named("agenda_item_titles").rows == [{"title": "Målopfølgning 2021"}],
    "indicators": lambda kg: {r["indicator"] for r in kg.named("indicators").rows}
    == {"ensomme ældre", "ældre i aktiviteter i Projekt Aktiv Hverdag"},
    "case_officers": lambda kg: kg.named("case_officers").rows == [{"caseOfficer": "Jens Hansen"}],
    "municipalities": lambda kg: {(r["municipalityLabel"], r["year"], r["kind"]) for r in kg.named("municipalities").rows}
    == {("Vejle Kommune", 2021, "follow-up"), ("Vejle Kommune", 2021, "agenda-item")},
    "goals_by_text": lambda kg: [(r["id"], r["verdictLabel"], r["year"]) for r in kg.named(
        "goals_by_text", text="Færre ældre skal opleve ensomhed.").rows] == [("1.2", "delvist opfyldt", 2021)]
    and len(kg.named("goals_by_text", focusAreaTitle="Flere ældre skal leve et aktivt liv").rows) == 2
    and kg.named("goals_by_text", text="Færre ældre skal opleve ensomhed.", year=2020).rows == [],
    "indicator_values": lambda kg: sorted((r["value"], r["period"], r["id"]) for r in kg.named(
        "indicator_values", indicator="ældre i aktiviteter i Projekt Aktiv Hverdag").rows)
    == [(380, "2020", "1.1"), (412, "2021", "1.1")]
    and kg.named("indicator_values", indicator="ensomme ældre", area=VEJLE).rows[0]["value"] == Decimal("8.5"),
    "entity_mentions": lambda kg: [(r["section"], r["municipalityLabel"]) for r in kg.named(
        "entity_mentions", entity=entity(kg, "Røde Kors")).rows] == [("Fokusområde 1, Ad 2", "Vejle Kommune")],
    "names": lambda kg: {("Jobcentret", "unit"), ("Jobcenteret", "unit"), ("Vejle Kommune", "area")}
    <= {(r["label"], r["kind"]) for r in kg.named("names").rows},
    "entities_named": lambda kg: [(r["name"], r["kind"], r["municipality"]) for r in kg.named("entities_named", label="Jobcenteret").rows]
    == [("Jobcentret", "unit", VEJLE)] and kg.named("entities_named", label="Mål 1.1").rows == []
    and [r["name"] for r in kg.named("entities_named", entity=[entity(kg, "Røde Kors"), goal(kg, "1.1")]).rows] == ["Røde Kors"],
    "goal_dependency_kinds": lambda kg: sorted((r["id"], r["partners"], r["units"], r["projects"])
                                               for r in kg.named("goal_dependency_kinds", year=2021).rows)
    == [("1.1", 2, 0, 1), ("1.2", 1, 0, 1), ("2.1", 1, 1, 0)] and kg.named("goal_dependency_kinds", year=2020).rows == [],
}  # fmt: skip


def ids(kg: MaalGraph, name: str, **params: object) -> list[tuple[str, str]]:
    """(municipality, goal identifier) of the goals a query returns."""
    return [
        (str(r["municipalityLabel"]).split()[0], str(r["id"]))
        for r in kg.named(name, **params).rows
    ]


def goal_of(kg: MaalGraph, municipality: str, identifier: str) -> str:
    return next(str(r["goal"]) for r in kg.named("goals").rows
                if r["id"] == identifier and r["municipalityLabel"].startswith(municipality))  # fmt: skip


def roles(rows: list[dict]) -> list[tuple[object, str]]:
    return sorted((r["value"], r["roleLabel"]) for r in rows)


NORDHAVN = "https://w3id.org/maalgraph/id/area/nordhavn-kommune"
# the statuses of the reader (progress, no verdict, trends), the role of each value, locators
STATUS_GOLDEN = {
    "goals_by_status": lambda kg: ids(kg, "goals_by_status", status=MAAL + "IGang") == [("Vesterlund", "1.4")]
    and ids(kg, "goals_by_status", status=MAAL + "IkkeStartet") == [("Skovlund", "1.3")]
    and ids(kg, "goals_by_status", status=MAAL + "UdenVurdering") == [("Skovlund", "1.3"), ("Vesterlund", "1.4")]
    and ids(kg, "goals_by_status", status=MAAL + "NegativUdvikling") == [("Nordhavn", "1.3")]
    and ids(kg, "goals_by_status", status=MAAL + "PositivUdvikling", year=2023, municipality=NORDHAVN)
    == [("Nordhavn", "1.1"), ("Nordhavn", "1.2")]
    and ids(kg, "goals_by_status", status=MAAL + "IGang", year=2022) == []
    and {r["statusLabel"] for r in kg.named("goals_by_status", status=MAAL + "IGang").rows} == {"i gang"},
    "goal_status": lambda kg: [(r["verdictLabel"], r.get("progressLabel"), r.get("trendLabel"))
                               for g in (goal_of(kg, "Vesterlund", "1.4"), goal_of(kg, "Nordhavn", "1.3"))
                               for r in kg.named("goal_status", goal=g).rows]
    == [("uden vurdering", "i gang", None), ("ikke opfyldt", None, "negativ udvikling")],
    "measurements": lambda kg: roles(kg.named("measurements", goal=goal_of(kg, "Nordhavn", "1.2")).rows)
    == [(12, "baseline"), (31, "resultat"), (44, "resultat"), (60, "målværdi")],
    "indicator_values": lambda kg: roles(kg.named("indicator_values", indicator="Andel elbiler i kommunens flåde").rows)
    == [(12, "baseline"), (31, "resultat"), (44, "resultat"), (60, "målværdi")],
    # by municipality, role and year: the rows of the measurements query, counted
    "measurement_count_by_municipality": lambda kg: sorted(
        (r["municipalityLabel"].split()[0], r["role"].split("#")[-1], r["year"], int(r["count"]))
        for r in kg.named("measurement_count_by_municipality").rows)
    == sorted((m, role, year, n) for (m, role, year), n in Counter(
        (r["municipalityLabel"].split()[0], r["role"].split("#")[-1], r["year"]) for r in (
            {**m, "municipalityLabel": label} for label, iri in municipalities(kg)
            for m in kg.named("measurements", municipality=iri).rows)).items())
    == [("Nordhavn", "Baseline", 2019, 3), ("Nordhavn", "Maalvaerdi", 2025, 3), ("Nordhavn", "Resultat", 2022, 3),
        ("Nordhavn", "Resultat", 2023, 3), ("Skovlund", "Maalvaerdi", 2023, 2), ("Skovlund", "Resultat", 2023, 3),
        ("Vesterlund", "Maalvaerdi", 2023, 1), ("Vesterlund", "Resultat", 2023, 6)]
    and [int(r["count"]) for r in kg.named("measurement_count_by_municipality", year=[2019, 2025]).rows] == [3, 3],
    "paragraph": lambda kg: (lambda p: (p["locator"], p["fileFormat"], p["municipalityLabel"]))(kg.named(
        "paragraph", paragraph=kg.named("goals_by_status", status=MAAL + "NegativUdvikling").rows[0]["source"]).rows[0])
    == ("tabel 1, række 3, linje 9", "md", "Nordhavn Kommune"),
}  # fmt: skip


def municipalities(kg: MaalGraph) -> list[tuple[str, str]]:
    """(name, IRI) of the store's municipalities."""
    return sorted(
        {
            (str(r["municipalityLabel"]), str(r["municipality"]))
            for r in kg.named("municipalities").rows
        }
    )


def test_every_named_query_has_a_golden_test() -> None:
    assert set(load_queries()) == set(GOLDEN) | set(STATUS_GOLDEN)


def test_every_named_query_says_in_danish_what_it_answers() -> None:
    """The web page's SPARQL editor lists them for Danish readers."""
    missing = [q.name for q in load_queries().values() if not q.title_da]
    assert not missing, f"add a '# @da …' line to: {', '.join(missing)}"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden(tiny: MaalGraph, name: str) -> None:
    assert GOLDEN[name](tiny)


@pytest.mark.parametrize("name", sorted(STATUS_GOLDEN))
def test_golden_statuses_roles_and_locators(statuses: MaalGraph, name: str) -> None:
    assert STATUS_GOLDEN[name](statuses)


def test_hostile_values_are_bound_not_pasted(tiny: MaalGraph) -> None:
    before = tiny.export("nq")
    for hostile in [
        '" } ; DROP ALL ; #',
        "x' } INSERT DATA { <a> <b> <c> }",
        "\\u0022 }",
        "a\nb\x00",
    ]:
        assert tiny.query("SELECT ?x WHERE { BIND(?v AS ?x) }", {"v": hostile}).rows == [
            {"x": hostile}
        ]
    assert tiny.export("nq") == before


@pytest.mark.parametrize(
    ("params", "message"),
    [({"verdict": "not an iri"}, "not an absolute IRI"), ({"verdict": "http://x> } DROP ALL"}, "not an absolute IRI"),
     ({"year": "2020; DROP"}, "not an integer"), ({"colour": "red"}, "has no parameter colour")],
)  # fmt: skip
def test_bad_parameters(tiny: MaalGraph, params: dict, message: str) -> None:
    name = "goals"
    with pytest.raises(QueryError, match=message):
        tiny.named(name, **params)


def test_required_parameter_and_unknown_query(tiny: MaalGraph) -> None:
    with pytest.raises(QueryError, match="needs the parameter entity"):
        tiny.named("impact")
    with pytest.raises(QueryError, match="no named query"):
        tiny.named("drop_everything")


def test_malformed_query_reports_position(tiny: MaalGraph) -> None:
    with pytest.raises(QueryError, match=r"line 1, column \d+|at 1:\d+|line 1:") as error:
        tiny.query("SELECT ?x WHERE { ?x ?y }")
    if "refused" not in str(error.value):  # our parser's position, not an external server's
        assert error.value.details["line"] == 1 and error.value.details["near"]


def test_query_files_are_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("# Broken.\nSELECT ?x WHERE { ?x }", encoding="utf-8")
    with pytest.raises(QueryError, match="malformed"):
        parse_query_file(broken)
    unused = tmp_path / "unused.rq"
    unused.write_text(
        "# Unused param.\n# @param thing iri: a thing\nSELECT ?x WHERE { ?x ?p ?o }",
        encoding="utf-8",
    )
    with pytest.raises(QueryError, match="never uses"):
        parse_query_file(unused)


def test_values_go_into_the_outer_where() -> None:
    import rdflib

    text = '# a WHERE { in a comment\nSELECT ?n WHERE { { SELECT ?x WHERE { ?x ?p "WHERE {" } } }'
    out = inject_values(text, {"x": rdflib.URIRef("http://e/x")})
    assert out.index("VALUES ?x") < out.index("SELECT ?x")
