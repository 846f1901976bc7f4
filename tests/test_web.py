"""The web page, end to end: a real ``maalgraph serve`` on 127.0.0.1 driven by a real headless
Chromium (Debian's, through Playwright) as a policy officer would use it: with the mouse, with
the keyboard only, on a narrow screen."""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium
from playwright.sync_api import Browser, Page, expect
from servers import Server, maalgraph_server

BLAA_KORS = "Hvilke mål afhænger af Blå Kors?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with maalgraph_server(tmp_path_factory.mktemp("web"), "--workers", "1") as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture()
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, accept_downloads=True, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def ask(page: Page, question: str) -> None:
    page.goto("/")
    page.get_by_label("Skriv dit spørgsmål på dansk").fill(question)
    page.get_by_role("button", name="Spørg").click()
    expect(page.get_by_role("heading", name="Svar")).to_be_visible()


def test_ask_shows_the_goal_and_its_source(page: Page) -> None:
    ask(page, BLAA_KORS)
    expect(page.locator(".answer")).to_contain_text("1 mål afhænger af Blå Kors")
    table = page.get_by_role("region", name="Resultater")
    expect(table).to_contain_text("initiativer der fremmer samarbejdet")
    expect(table.locator(".badge")).to_have_text("opfyldt")
    source = page.locator("ul.sources details").first
    expect(source.locator("summary")).to_contain_text(
        "Målopfølgning for budget 2020, Fokusområde 3, Ad 1"
    )
    expect(source.locator("blockquote")).to_be_hidden()  # the paragraph text only on demand
    source.locator("summary").click()
    expect(source.locator("blockquote")).to_contain_text(
        "Blå Kors Varmestue har, som den eneste samarbejdspartner"
    )
    expect(page.get_by_role("heading", name="Sådan forstod jeg spørgsmålet")).to_be_visible()
    page.get_by_text("Vis SPARQL-forespørgslen").click()
    expect(page.locator("details.sparql pre")).to_contain_text("maal:dependsOn")
    assert "/?q=" in page.url  # the answer has a link of its own


def test_out_of_scope_question_gets_help_and_examples(page: Page) -> None:
    ask(page, "Hvad bliver vejret i morgen?")
    expect(page.locator(".answer.help")).to_contain_text("Det forstod jeg ikke")
    examples = page.get_by_role("heading", name="Prøv fx").locator("xpath=..").get_by_role("link")
    assert examples.count() >= 4
    examples.first.click()  # an example made from this graph's own names: it is understood
    expect(page.locator(".answer")).not_to_have_class(re.compile(r"\bhelp\b"))
    expect(page.get_by_role("region", name="Resultater")).to_be_visible()


def test_unknown_name_suggests_a_known_one(page: Page) -> None:
    ask(page, "Hvilke mål afhænger af Røde Kors?")
    expect(page.locator(".answer")).to_contain_text("Jeg kender ikke «Røde Kors»")
    page.locator(".suggest").get_by_role("link", name="Blå Kors Pensionat").click()
    expect(page.get_by_label("Skriv dit spørgsmål på dansk")).to_have_value(
        "Hvilke mål afhænger af Blå Kors Pensionat?"
    )
    expect(page.get_by_role("region", name="Resultater")).to_contain_text("3.1")


def test_partner_page_from_an_answer(page: Page) -> None:
    ask(page, "Hvad sker der hvis Blå Kors stopper?")
    page.locator("ul.understood").get_by_role("link", name="Blå Kors Varmestue").click()
    expect(page).to_have_url(
        re.compile(r"/id/kommune/herning-kommune/partner/blaa-kors-varmestue$")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Blå Kors Varmestue")
    expect(page.get_by_role("region", name="Mål", exact=True)).to_contain_text(
        "initiativer der fremmer samarbejdet"
    )
    stops = page.get_by_role("heading", name="Hvis Blå Kors Varmestue stopper").locator("xpath=..")
    expect(stops).to_contain_text("Blå Kors Varmestue → Mål 3.1")
    expect(stops).to_contain_text("1 af 3 mål (33 %)")
    # the goal named by its number and text (the whole text on hover), on to its own page
    page.get_by_role("link", name=re.compile(r"^Mål 3\.1: Der iværksættes")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mål 3.1")
    expect(
        page.get_by_role("heading", name="Udvalgets beslutning").locator(
            "xpath=following-sibling::p[1]"
        )
    ).to_contain_text("Godkendt")


def test_overview_and_goal_page(page: Page) -> None:
    page.goto("/overblik")
    expect(page.locator("section.area")).to_have_count(4)
    expect(page.locator(".lead")).to_contain_text("Herning Kommune, 2020")
    page.get_by_role("link", name="Mål 4.2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mål 4.2")
    expect(page.locator(".badge").first).to_have_text("delvist opfyldt")
    expect(page.get_by_role("link", name="Herningsholm Erhvervsskole")).to_be_visible()
    page.get_by_role("link", name="Herningsholm Erhvervsskole").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Herningsholm Erhvervsskole")


def test_sparql_query_and_csv_download(page: Page, tmp_path: Path) -> None:
    page.goto("/sparql-editor")
    page.get_by_label("Eksempel").select_option("goals")
    page.get_by_role("button", name="Indsæt eksempel").click()
    expect(page.get_by_label("Forespørgsel")).to_contain_text("SELECT DISTINCT ?goal")
    page.get_by_role("button", name="Kør forespørgsel").click()
    expect(page.get_by_role("heading", name="Resultat")).to_be_visible()
    expect(page.get_by_role("region", name="Resultat").locator("tbody tr")).to_have_count(12)
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som CSV").click()
    saved = tmp_path / "resultat.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert len(rows) == 12 and {r["verdictLabel"] for r in rows} == {
        "opfyldt",
        "delvist opfyldt",
        "ikke opfyldt",
    }


def test_broken_and_forbidden_queries_are_explained(page: Page) -> None:
    page.goto("/sparql-editor")
    for query, message in (("SELECT ?x WHERE { ?x ", "Forespørgslen har en syntaksfejl i linje 1"),
                           ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", "SERVICE"),
                           ("INSERT DATA { <http://a> <http://b> <http://c> }", "opdateringer")):  # fmt: skip
        page.get_by_label("Forespørgsel").fill(query)
        page.get_by_role("button", name="Kør forespørgsel").click()
        expect(page.get_by_role("alert")).to_contain_text(message)


def test_network_page(page: Page) -> None:
    page.goto("/netvaerk")
    picture = page.get_by_role("img")
    expect(picture).to_be_visible()
    assert page.evaluate("() => document.querySelector('figure.network img').naturalWidth") > 500
    area = (
        page.get_by_label("Fokusområde")
        .locator("option", has_text="Udsatte borgere")
        .get_attribute("value")
    )
    page.get_by_label("Fokusområde").select_option(area)
    page.get_by_role("button", name="Vis").click()
    assert "fokusomraade=" in str(picture.get_attribute("src"))
    page.get_by_text("Netværket som tekst").click()
    text = page.locator("details.astext")
    expect(text).to_contain_text("Mål 3.1")
    expect(text).not_to_contain_text("Mål 1.1")  # only the chosen focus area


def test_keyboard_only_through_the_ask_page(page: Page) -> None:
    """No mouse: skip link, the question, the answer, a source, a linked partner."""
    page.goto("/?q=" + urllib.request.quote(BLAA_KORS))  # an answer page: nothing has focus yet
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Spring til indhold")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "indhold"
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_id("q")
    page.keyboard.press("Control+A")
    page.keyboard.type("Hvad sker der hvis Blå Kors stopper?")
    page.keyboard.press("Enter")
    expect(page.locator(".answer")).to_contain_text("Hvis Blå Kors")
    seen: list[str] = []
    for _ in range(40):  # tab forward to the first source and open it
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "() => document.activeElement.tagName + ':' + document.activeElement.textContent.trim().slice(0, 40)"
            )
        )
        assert (
            page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
        ), seen[-1]
        if seen[-1].startswith("SUMMARY:") and "Målopfølgning" in seen[-1]:
            break
    else:
        pytest.fail(f"no source reached by Tab: {seen}")
    page.keyboard.press("Enter")
    expect(page.locator("ul.sources details").first.locator("blockquote")).to_be_visible()
    for _ in range(20):  # on to a linked partner, and open its page
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Blå Kors Varmestue":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Blå Kors Varmestue")


@pytest.mark.parametrize("path", ["/", "/?q=" + urllib.request.quote(BLAA_KORS), "/overblik", "/netvaerk",
                                  "/sparql-editor?eksempel=goals", "/id/kommune/herning-kommune/unit/jobcentret"])  # fmt: skip
def test_narrow_screen_needs_no_sideways_scrolling(
    browser: Browser, server: Server, path: str
) -> None:
    context = browser.new_context(
        base_url=server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto(path)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        path
    )
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_visible()
    context.close()


def test_nothing_is_loaded_from_elsewhere(page: Page, server: Server) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in (
        "/",
        "/?q=" + urllib.request.quote(BLAA_KORS),
        "/overblik",
        "/netvaerk",
        "/sparql-editor",
    ):
        response = page.goto(path)
        assert (
            response is not None
            and "default-src 'self'" in response.headers["content-security-policy"]
        )
    assert requested and all(url.startswith(server.url) for url in requested), [
        u for u in requested if not u.startswith(server.url)
    ]


def test_hostile_input_is_shown_as_text(page: Page) -> None:
    page.goto("/?q=" + urllib.request.quote("<script>document.title='x'</script> Blå Kors"))
    assert page.title() != "x"
    expect(page.get_by_label("Skriv dit spørgsmål på dansk")).to_have_value(
        "<script>document.title='x'</script> Blå Kors"
    )
    page.goto("/id/nothing/<b>here</b>")
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    expect(page.locator("main code")).to_contain_text("<b>here</b>")
