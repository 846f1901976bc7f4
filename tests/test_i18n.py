"""One language per surface: everything the command line and the web page show a person is
Danish, from the one message catalogue (maalgraph/locale/da/LC_MESSAGES/maalgraph.po)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from servers import Server, maalgraph_server
from surfaces import crawl, english_words

from maalgraph.cli import main
from maalgraph.i18n import LOCALE_DIR, catalogue
from maalgraph.queries import load_queries

ROOT = Path(__file__).resolve().parents[1]
PO = LOCALE_DIR / "da" / "LC_MESSAGES" / "maalgraph.po"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
ERRORS = {"MaalgraphError", "IngestError", "QueryError", "QuestionError", "ValidationError",
          "StoreError", "StoreTimeout", "ClickException", "UsageError", "BadParameter"}  # fmt: skip


def messages() -> list:
    with PO.open("rb") as file:
        return [m for m in read_po(file) if m.id]


def extracted(tmp_path: Path) -> set[object]:
    """The message ids in the code, the templates and the named queries, as Babel finds them."""
    pot = tmp_path / "maalgraph.pot"
    subprocess.run(
        [Path(sys.executable).with_name("pybabel"), "-q", "extract", "-F", "pyproject.toml",
         "-k", "N_", "-k", "_", "-k", "ngettext:1,2", "-o", pot, "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as file:
        return {m.id for m in read_po(file) if m.id}


def test_the_catalogue_translates_every_message_of_the_code(tmp_path: Path) -> None:
    in_po = {m.id: m for m in messages()}
    in_code = extracted(tmp_path)
    assert in_code - set(in_po) == set(), "new messages: run make messages and translate them"
    assert set(in_po) - in_code == set(), "messages no longer used: run make messages"
    for m in in_po.values():
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        assert all(strings) and "fuzzy" not in m.flags, f"untranslated: {m.id!r}"


def test_translations_keep_to_the_placeholders_of_their_message() -> None:
    for m in messages():
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        names = {n for text in ids for n in PLACEHOLDER.findall(text)}
        if not any(names):  # shown as it is ("{ }, ( ) and [ ]"): no placeholders
            continue
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= names | {"n"}, (m.id, text)
            text.format(**dict.fromkeys(names | {"n"}, "x"))


def test_the_compiled_catalogue_is_the_po_file() -> None:
    """The .mo the package reads says what the .po says (make compiles it when it changes)."""
    compiled = catalogue()
    for m in messages():
        if isinstance(m.id, str):
            assert compiled.gettext(m.id) == m.string, m.id
        else:
            assert compiled.ngettext(m.id[0], m.id[1], 1) == m.string[0]
            assert compiled.ngettext(m.id[0], m.id[1], 2) == m.string[1]


def test_errors_and_command_line_messages_come_from_the_catalogue() -> None:
    """No library error or command line message is an f-string or a bare literal: each is a
    catalogue message (N_ for errors, translated at the edge; _ at the command line)."""
    found = []
    for path in sorted((ROOT / "maalgraph").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in ERRORS and isinstance(first, (ast.JoinedStr, ast.Constant, ast.BinOp)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


def test_click_speaks_danish() -> None:
    import click.core

    for module in [m for name, m in sys.modules.items() if name.startswith("click.")]:
        if hasattr(module, "_"):
            assert module._ == catalogue().gettext, module.__name__
    assert click.core._("Show this message and exit.") == "Vis denne hjælp og afslut."


# --------------------------------------------------------------------- the command line

COMMAND_LINES = [
    ["stats"], ["queries"], ["validate"], ["analyse"], ["trends"], ["formats"],
    ["impact", "Blå Kors"], ["impact", "Jobcentret"], ["impact", "Foo Bar"], ["impact"],
    ["ask", "Hvilke mål er ikke opfyldt?"], ["ask", "Hvilke mål afhænger af Blå Kors?"],
    ["ask", "Hvad skete der med antallet af borgere i fleksjob?"], ["ask", "Hvordan er vejret?"],
    ["sparql", "goals", "-p", "verdict=mal:IkkeOpfyldt"], ["sparql", "goals", "-p", "verdict=IkkeOpfyldt"],
    ["sparql", "goals", "-p", "year=tyve"], ["sparql", "goals", "-p", "hvad=1"], ["sparql", "goals", "-p", "x"],
    ["sparql", "goals_depending_on"], ["sparql", "nosuchquery", "-p", "a=b"], ["sparql", "SELEC * WHERE {}"],
    ["sparql", "@/nonexistent.rq"], ["sparql", "goal_count"], ["sparql", "goals", "--format", "xml"],
    ["network", "--out", "/tmp/x.txt"], ["network", "--out", "/tmp/x.svg", "--around", "Ingen Sådan"],
    ["network", "--out", "/tmp/x.svg", "--focus-area", "rumfart"], ["analyse", "--top", "nul"],
    ["analyse", "--municipality", "Atlantis"], ["ingest", "x.txt"], ["nosuchcommand"],
    ["--store", "/nonexistent/store", "stats"], ["--endpoint", "http://127.0.0.1:9/q", "--store", "s", "stats"],
    ["serve", "--allow-update"], ["export", "--format", "rdfxml"],
]  # fmt: skip


# names, not prose: the commands, the named queries and their parameters
COMMANDS = sorted(main.commands) + [  # type: ignore[attr-defined]
    word for q in load_queries().values() for word in (q.name, *(p.name for p in q.parameters))
]


def say(args: list[str], env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, args, env=env or {}, catch_exceptions=False)
    return result.output


@pytest.mark.parametrize("command", ["", *sorted(main.commands)])  # type: ignore[attr-defined]
def test_every_help_is_danish(command: str) -> None:
    text = say([command, "--help"] if command else ["--help"])
    assert english_words(text, allowed=COMMANDS) == [], text


@pytest.mark.parametrize("args", COMMAND_LINES, ids=" ".join)
def test_answers_and_errors_of_the_command_line_are_danish(args: list[str]) -> None:
    text = say(args)
    assert text.strip()
    assert english_words(text, allowed=[*args, *COMMANDS]) == [], text


def test_ingest_messages_are_danish(tmp_path: Path, seeds: dict[str, Path]) -> None:
    """The table, the warnings, the inconsistencies and the errors of reading documents."""
    binary, empty, old = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.doc"
    binary.write_bytes(b"\x00\x01\x02")
    empty.write_text("  \n", encoding="utf-8")
    old.write_bytes(b"\xd0\xcf\x11\xe0 old word")
    files = [seeds["followup"], seeds["agenda"], binary, empty, old, tmp_path / "missing.txt"]
    text = say(["--store", str(tmp_path / "s"), "ingest", *map(str, files)])
    assert "indlæst" in text and "filen er binær" in text and "filen er tom" in text
    assert english_words(text, allowed=["old word"]) == [], text


# --------------------------------------------------------------------- the web page


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with maalgraph_server(tmp_path_factory.mktemp("i18n"), "--workers", "1") as s:
        yield s


WEB_STARTS = [
    "/", "/?q=Hvilke+mål+er+ikke+opfyldt%3F", "/?q=Hvilke+mål+afhænger+af+Blå+Kors%3F",
    "/?q=Hvordan+er+vejret%3F", "/?q=Hvor+mange+mål+har+Atlantis+Kommune%3F", "/overblik",
    "/netvaerk", "/netvaerk?omkring=Jobcentret", "/sparql-editor", "/sparql-editor?eksempel=goals",
    "/sparql-editor?query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D+LIMIT+5",
    "/sparql-editor?query=SELEC+*", "/sparql-editor?query=INSERT+DATA+%7B%7D",
    "/sparql-editor?query=SELECT+*+WHERE+%7B+SERVICE+%3Chttp%3A%2F%2Fexample.org%2F%3E+%7B%7D+%7D",
    "/id/ingen/saadan/ting", "/id/%3C%3E",
]  # fmt: skip


def test_every_page_of_the_bundled_corpus_is_danish(server: Server) -> None:
    pages = list(crawl(server.url, WEB_STARTS))
    assert len(pages) > 30 and any(p.url.startswith("/id/") and p.status == 200 for p in pages)
    for page in pages:
        assert page.status in (200, 404), page.url
        assert english_words(page.text, allowed=[page.url]) == [], page.url
