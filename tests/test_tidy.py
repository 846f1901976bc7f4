"""Tidy answers: no duplicate rows or sources anywhere a person reads (every page of the
bundled corpus, the command line's tables, the answers), goals named with their text, and
numbers in Danish notation with the decimals the document wrote."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from servers import Server, maalgraph_server
from surfaces import Page, crawl

from maalgraph import MaalGraph
from maalgraph.cli import main

STARTS = ["/", "/overblik", "/netvaerk", "/?q=Hvilke+mål+afhænger+af+Jobcentret%3F"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Page]]:
    server: Server
    with maalgraph_server(tmp_path_factory.mktemp("tidy"), "--workers", "1") as server:
        yield list(crawl(server.url, STARTS))


def _text(element: object) -> str:
    return " ".join(" ".join(element.itertext()).split())  # type: ignore[attr-defined]


def duplicates(items: list[str]) -> list[str]:
    return [item for item, n in Counter(items).items() if n > 1 and item]


def test_no_page_of_the_bundled_corpus_repeats_a_row_an_item_or_a_source(
    pages: list[Page],
) -> None:
    kinds = {kind for p in pages for kind in ("/goal/", "/fa/", "/partner/", "/unit/",
                                              "/project/") if kind in p.url}  # fmt: skip
    assert len(pages) > 30 and len(kinds) == 5, kinds  # every kind of page is walked
    for page in pages:
        for table in page.tree.xpath("//table"):
            rows = [_text(tr) for tr in table.xpath(".//tbody/tr")]
            assert duplicates(rows) == [], page.url
        for listing in page.tree.xpath("//ul|//ol"):
            items = [_text(li) for li in listing.xpath("./li")]
            assert duplicates(items) == [], page.url


def test_goals_are_named_with_their_text_on_every_page(pages: list[Page]) -> None:
    """A link to a goal names more than its number: its text, or at least its text on hover."""
    links = [a for p in pages for a in p.tree.xpath("//a[contains(@href, '/goal/')]")]
    assert links
    for a in links:
        row = a.xpath("ancestor::*[self::li or self::tr or self::p or self::dd][1]")
        beside = _text(row[0]) if row else _text(a)
        assert len(beside) > len("Mål 1.1") + 10 or a.get("title"), _text(a)


def test_numbers_keep_the_form_the_document_wrote(pages: list[Page]) -> None:
    goal = next(p for p in pages if p.url.endswith("/goal/1.1"))
    values = [_text(td) for td in goal.tree.xpath("//td[@class='num']")]
    assert "10,0" in values and "10,4" in values  # 10,0 % stays 10,0, not 10
    flex = next(p for p in pages if p.url.endswith("/goal/2.2"))
    assert {"1.648", "1.745"} <= {_text(td) for td in flex.tree.xpath("//td[@class='num']")}


@pytest.mark.parametrize(
    "args",
    [["impact", "Blå Kors"], ["impact", "Jobcentret"], ["impact", "Blå Kors", "Jobcentret"],
     ["analyse"], ["trends"]],
    ids=" ".join,
)  # fmt: skip
def test_no_table_of_the_command_line_repeats_a_row(args: list[str]) -> None:
    output = CliRunner().invoke(main, args, catch_exceptions=False).output
    lines = [line for line in output.splitlines() if line.strip() and not set(line) <= {"-", " "}]
    assert duplicates(lines) == [], output


def test_impact_names_each_goal_once_with_its_text(example: MaalGraph) -> None:
    output = CliRunner().invoke(main, ["impact", "Jobcentret"], catch_exceptions=False).output
    goals = re.findall(r"^Mål (\d+\.\d+): \S+", output, re.M)
    assert goals and len(goals) == len(set(goals)) == len(example.impact("Jobcentret").goals)


QUESTIONS = [
    "Hvilke mål afhænger af Blå Kors?", "Hvilke mål afhænger af Jobcentret?",
    "Hvad står på spil, hvis Jobcentret stopper?", "Hvilke mål er ikke opfyldt?",
    "Hvor mange borgere var i fleksjob i 2019?", "Hvem samarbejder Projekt Småjob med?",
    "Hvad var andelen af unge på offentlig forsørgelse i Herning i 2020?",
]  # fmt: skip


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_answer_repeats_a_row_or_a_source(example: MaalGraph, question: str) -> None:
    answer = example.ask(question)
    assert answer.understood and answer.rows, question
    assert duplicates([repr(sorted(r.items())) for r in answer.rows]) == []
    assert duplicates([s["label"] + str(s["line"]) for s in answer.sources]) == []


def test_answers_write_numbers_the_danish_way(example: MaalGraph) -> None:
    answer = example.ask("Hvad var andelen af unge på offentlig forsørgelse i Herning i 2020?")
    assert "10,0 procent" in answer.answer
    flex = example.ask("Hvor mange borgere var i fleksjob i 2019?")
    assert "1.648" in flex.answer + str(flex.rows)
