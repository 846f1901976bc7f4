"""A question without a municipality on a store of several municipalities, whose answer would
list more than a page of goals: the exact total and count per municipality, the first page in
the stated order, and a question that names a municipality as the way on. On a store of one
municipality the answer is the whole listing, as before."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from maalgraph import MaalGraph
from maalgraph.analysis.trends import verdict_changes
from maalgraph.question.handlers.base import PAGE
from maalgraph.question.handlers.goals import goal_order

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic  # noqa: E402


def follow_ups(tmp: Path, municipalities: int, years: int) -> list[Path]:
    """Synthetic follow-ups (no agenda items) of some municipalities and years."""
    paths = []
    for name, text in synthetic.documents(municipalities, years, agendas=False):
        path = tmp / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def store(tmp: Path, municipalities: int, years: int) -> MaalGraph:
    kg = MaalGraph.memory()
    kg.ingest_many(follow_ups(tmp, municipalities, years))
    return kg


@pytest.fixture(scope="module")
def several(tmp_path_factory: pytest.TempPathFactory) -> MaalGraph:
    return store(tmp_path_factory.mktemp("several"), municipalities=3, years=1)


@pytest.fixture(scope="module")
def one(tmp_path_factory: pytest.TempPathFactory) -> MaalGraph:
    return store(tmp_path_factory.mktemp("one"), municipalities=1, years=3)


def listing(kg: MaalGraph, verdict: str | None = None) -> list[dict[str, object]]:
    """Every goal the listing has (the whole-store goals query), one row per goal, in order."""
    seen: dict[str, dict[str, object]] = {}
    for row in sorted(kg.named("goals", verdict=verdict).rows, key=goal_order):
        seen.setdefault(str(row["goal"]), row)
    return list(seen.values())


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("Hvilke mål er der?", None),
        ("Hvilke mål er opfyldt?", "maal:Opfyldt"),
        ("Hvor mange mål er opfyldt?", "maal:Opfyldt"),
    ],
)
def test_a_long_answer_over_several_municipalities_is_counted_and_paged(
    several: MaalGraph, question: str, verdict: str | None
) -> None:
    goals = listing(several, verdict)
    per_municipality = Counter(str(r["municipalityLabel"]) for r in goals)
    assert len(per_municipality) == 3 and len(goals) > PAGE  # the premise: a long answer
    answer = several.ask(question)
    assert answer.total == len(goals)
    assert {c["municipality"]: c["count"] for c in answer.counts or []} == per_municipality
    assert [c["count"] for c in answer.counts or []] == sorted(
        per_municipality.values(), reverse=True
    )
    # the page: the first PAGE goals of the whole listing, in its order
    assert len(answer.rows) == PAGE
    assert [(r["mål"], r["kommune"], r["år"]) for r in answer.rows] == [
        (str(g["id"]), str(g["municipalityLabel"]), int(str(g["year"]))) for g in goals[:PAGE]
    ]
    most = min(per_municipality, key=lambda m: (-per_municipality[m], m))  # the query's order
    count = per_municipality[most]
    assert f"{len(goals):,}".replace(",", ".") + " mål i 3 kommuner" in answer.answer
    assert f"{most} ({count})" in answer.answer and f"de første {PAGE}" in answer.answer
    example = f"{question.rstrip('?')} i {most}?"
    assert f"«{example}»" in answer.answer
    # the question it invites is answered whole
    scoped = several.ask(example)
    assert scoped.total is None and scoped.counts is None
    assert len(scoped.rows) == count


def test_the_json_answer_keeps_its_fields_and_adds_the_total(several: MaalGraph) -> None:
    data = several.ask("Hvilke mål er der?").to_dict()
    assert {"question", "understood", "rows", "answer"} <= set(data)
    assert data["total"] > len(data["rows"]) == PAGE


def test_a_short_answer_over_several_municipalities_is_whole(several: MaalGraph) -> None:
    year_goals = listing(several)
    in_one = [g for g in year_goals if g["municipalityLabel"] == year_goals[0]["municipalityLabel"]]
    answer = several.ask(f"Hvilke mål er der i {in_one[0]['municipalityLabel']}?")
    assert answer.total is None and len(answer.rows) == len(in_one) < PAGE


def test_one_municipality_answers_the_whole_listing(one: MaalGraph) -> None:
    goals = listing(one)
    assert len(goals) > PAGE  # long, but one municipality: nothing to name
    answer = one.ask("Hvilke mål er der?")
    assert answer.total is None and answer.counts is None
    assert len(answer.rows) == len(goals)
    assert "Spørg om én kommune" not in answer.answer


def test_the_counts_follow_the_store(tmp_path: Path) -> None:
    """The counts are kept between questions, for as long as the store does not change."""
    first, *others = follow_ups(tmp_path, municipalities=3, years=1)
    kg = MaalGraph.memory()
    kg.ingest_many(others)
    before = kg.ask("Hvilke mål er der?")
    assert before.total == len(listing(kg)) and len(before.counts or []) == 2
    kg.ingest(first)
    after = kg.ask("Hvilke mål er der?")
    assert after.total == len(listing(kg)) > (before.total or 0) and len(after.counts or []) == 3


@pytest.fixture()
def small_page(monkeypatch: pytest.MonkeyPatch) -> int:
    """A page of 5 rows: the small store's partners have a dozen goals, a national one's hundreds."""
    return page_size(monkeypatch, 5)


def page_size(monkeypatch: pytest.MonkeyPatch, size: int) -> int:
    """Pages of ``size`` rows in every module of the question layer that pages."""
    from maalgraph.question.handlers import base, entities, goals, measures, meetings

    for module in (base, entities, goals, measures, meetings):
        if hasattr(module, "PAGE"):
            monkeypatch.setattr(module, "PAGE", size)
    return size


def test_the_goals_of_a_partner_in_several_municipalities_are_counted_and_paged(
    several: MaalGraph, small_page: int
) -> None:
    rows = several.named("entities", type="maal:Partner").rows
    by_name = Counter[str]()
    for r in rows:
        by_name[str(r["label"])] += int(str(r["goals"]))
    name = min(by_name, key=lambda n: (-by_name[n], n))
    things = [str(r["entity"]) for r in rows if r["label"] == name]
    goals: dict[str, dict[str, object]] = {}
    for r in sorted(several.named("goals_depending_on", entity=things).rows, key=goal_order):
        goals.setdefault(str(r["goal"]), r)
    per_municipality = Counter(str(r["municipalityLabel"]) for r in goals.values())
    assert len(per_municipality) > 1 and len(goals) > small_page  # the premise: a long answer
    answer = several.ask(f"Hvilke mål afhænger af {name}?")
    assert answer.total == len(goals)
    assert {c["municipality"]: c["count"] for c in answer.counts or []} == per_municipality
    first = list(goals.values())[:small_page]
    assert [(r["mål"], r["kommune"]) for r in answer.rows] == [
        (str(g["id"]), str(g["municipalityLabel"])) for g in first
    ]
    most = min(per_municipality, key=lambda m: (-per_municipality[m], m))  # the query's order
    assert f"afhænger af {name}" in answer.answer and f"i {most}?»" in answer.answer
    assert f"de første {small_page}" in answer.answer


def counted(rows: list[dict[str, object]]) -> Counter[str]:
    return Counter(str(r["municipalityLabel"]) for r in rows)


def assert_paged(answer: Any, rows: list[dict[str, object]], size: int, what: str) -> None:
    """The answer states the whole listing's total and count per municipality, most first,
    and shows its first ``size`` rows."""
    per_municipality = counted(rows)
    assert len(per_municipality) > 1 and len(rows) > size  # the premise: a long answer
    assert answer.total == len(rows)
    assert {c["municipality"]: c["count"] for c in answer.counts or []} == per_municipality
    assert [c["count"] for c in answer.counts or []] == sorted(
        per_municipality.values(), reverse=True
    )
    assert len(answer.rows) == size and f"de første {size}" in answer.answer
    assert f"{len(rows)} {what} i {len(per_municipality)} kommuner" in answer.answer


def test_a_list_of_partners_over_several_municipalities_is_counted_and_paged(
    several: MaalGraph,
) -> None:
    things: dict[str, dict[str, object]] = {}
    for kind in ("maal:Partner", "org:OrganizationalUnit"):
        for r in several.named("entities", type=kind).rows:
            things.setdefault(str(r["entity"]), r)
    listed = sorted(things.values(), key=lambda r: tuple(str(r[k]) for k in ("municipalityLabel", "typeLabel", "label", "entity")))  # fmt: skip
    for question in ("Hvilke samarbejdspartnere har vi?", "Hvor mange samarbejdspartnere er der?"):
        answer = several.ask(question)
        assert_paged(answer, listed, PAGE, "samarbejdspartnere")
        assert [(r["navn"], r["kommune"]) for r in answer.rows] == [
            (r["label"], r["municipalityLabel"]) for r in listed[:PAGE]
        ]


def test_a_list_of_measurements_over_several_municipalities_is_counted_and_paged(
    several: MaalGraph,
) -> None:
    places = {(str(r["municipalityLabel"]), str(r["municipality"])) for r in several.named("municipalities").rows}  # fmt: skip
    every = [
        {**m, "municipalityLabel": label}
        for label, iri in places
        for m in several.named("measurements", municipality=iri).rows
    ]
    results = sorted(
        (r for r in every if not str(r.get("role", "")).endswith("Maalvaerdi")),
        key=lambda r: (*goal_order(r), str(r["observation"])),
    )
    answer = several.ask("Hvilke målinger har vi?")
    assert_paged(answer, results, PAGE, "målinger")
    assert [(r["mål"], r["kommune"], r["hvad er målt"]) for r in answer.rows] == [
        (r["id"], r["municipalityLabel"], r["indicator"]) for r in results[:PAGE]
    ]
    # in one year: counted again, and the page from that year
    in_2018 = [r for r in results if r["year"] == 2018]
    if len(in_2018) > PAGE:
        assert several.ask("Hvilke målinger har vi fra 2018?").total == len(in_2018)


def test_a_list_of_plans_over_several_municipalities_is_counted_and_paged(
    several: MaalGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = page_size(monkeypatch, 2)  # three plans, one a municipality
    plans: dict[str, dict[str, object]] = {}
    for label, iri in {(str(r["municipalityLabel"]), str(r["municipality"])) for r in several.named("municipalities").rows}:  # fmt: skip
        for r in several.named("plans", municipality=iri).rows:
            plans.setdefault(str(r["plan"]), {**r, "municipalityLabel": label})
    listed = sorted(plans.values(), key=lambda r: tuple(str(r[k]) for k in ("municipalityLabel", "label", "plan")))  # fmt: skip
    answer = several.ask("Hvilken plan beskriver vejene til målene?")
    assert_paged(answer, listed, size, "planer")
    assert [(r["navn"], r["kommune"]) for r in answer.rows] == [
        (r["label"], r["municipalityLabel"]) for r in listed[:size]
    ]


def test_a_listing_that_fits_a_page_is_whole(several: MaalGraph) -> None:
    """Counted first, it is read from the municipalities that have rows, and given whole."""
    projects = several.named("entities", type="maal:Project").rows
    assert len(counted(projects)) > 1 and len(projects) <= PAGE
    answer = several.ask("Hvilke projekter er der?")
    assert answer.total is None and answer.counts is None
    assert sorted(r["navn"] for r in answer.rows) == sorted(str(r["label"]) for r in projects)
    assert several.ask("Hvilke målværdier er der?").answer == "Der er ingen målværdier."


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> MaalGraph:
    return store(tmp_path_factory.mktemp("two_years"), municipalities=3, years=2)


def test_verdict_changes_over_several_municipalities_are_counted_and_paged(
    two_years: MaalGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found once from every goal's verdict, the page's goals then read by IRI: the same
    changes as found from the whole goals listing."""
    changes = verdict_changes(two_years.named("goals").rows)
    rows = [{"municipalityLabel": c.municipality, "goal": c.later_goal} for c in changes]
    size = page_size(monkeypatch, 5)
    answer = two_years.ask("Hvilke mål har skiftet vurdering?")
    assert_paged(answer, rows, size, "mål")
    ids = {str(g["goal"]): str(g["id"]) for g in two_years.named("goals").rows}
    assert [(r["mål"], r["kommune"], r["nu"]) for r in answer.rows] == [
        (ids[c.later_goal], c.municipality, f"{c.later_verdict} ({c.later_year})")
        for c in changes[:size]
    ]
    # one kind of change, and the whole listing when it fits a page
    worse = [
        c for c in changes if (c.earlier_verdict, c.later_verdict) == ("opfyldt", "ikke opfyldt")
    ]
    assert 0 < len(worse) <= size
    fits = two_years.ask("Hvilke mål er gået fra opfyldt til ikke opfyldt?")
    assert fits.total is None and len(fits.rows) == len(worse)
    assert {r["mål"] for r in fits.rows} == {ids[c.later_goal] for c in worse}


def test_a_list_of_focus_areas_over_several_municipalities_is_counted_and_paged(
    several: MaalGraph, small_page: int
) -> None:
    areas = sorted(
        several.named("focus_areas").rows,
        key=lambda r: (str(r["municipalityLabel"]), int(str(r["year"])), int(str(r["number"]))),
    )
    for question in ("Hvilke fokusområder er der?", "Hvor mange fokusområder er der?"):
        answer = several.ask(question)
        assert_paged(answer, areas, small_page, "fokusområder")
        assert [r["kommune"] for r in answer.rows] == [
            r["municipalityLabel"] for r in areas[:small_page]
        ]
