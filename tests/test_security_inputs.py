"""Smaller hostile inputs to ``maalgraph serve``: each gets a clear 4xx, never a 500, a silent
replacement or an ignored parameter; the update token is never blank and need not be in ps."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Server, maalgraph_server
from servers import http_body as get

GOALS = "SELECT ?g WHERE { ?g a <https://w3id.org/maalgraph/def#Goal> }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with maalgraph_server(tmp_path_factory.mktemp("inputs")) as s:
        yield s


@pytest.mark.parametrize("path", ["/overblik", "/netvaerk", "/netvaerk.svg"])
@pytest.mark.parametrize("year", ["²", "٣", "20²0", "99999999999999999999", "-1", "2020"])
def test_a_year_that_is_no_year_shows_the_latest(server: Server, path: str, year: str) -> None:
    status, _ = get(f"{server.url}{path}?" + urllib.parse.urlencode({"aar": year}))
    assert status == 200


def test_an_unknown_format_is_406(server: Server) -> None:
    status, body = get(
        f"{server.sparql}?" + urllib.parse.urlencode({"query": GOALS, "format": "nonsense"})
    )
    assert status == 406 and b"nonsense" in body and b"text/csv" in body
    status, _ = get(f"{server.sparql}?" + urllib.parse.urlencode({"query": GOALS, "format": "csv"}))
    assert status == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/sparql?query=ASK%7B%7D%FF", None),
        ("/sparql?query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fg%2F%FE", None),
        ("/api/ask?q=Hvilke%20m%E5l", None),  # Latin-1, not UTF-8
        ("/?q=Bl%E5%20Kors", None),
        ("/id/kommune/%FF", None),
        ("/sparql", b"query=ASK%20%7B%7D%FF"),
    ],
)
def test_escapes_that_are_not_utf8_are_400(server: Server, path: str, data: bytes | None) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
    status, body = get(server.url + path, data, headers)
    assert status == 400 and b"UTF-8" in body


def test_limit_that_is_not_an_integer_is_a_syntax_error(server: Server) -> None:
    status, body = get(
        f"{server.sparql}?" + urllib.parse.urlencode({"query": GOALS + " LIMIT 1e10"})
    )
    assert (
        status == 400
        and body.startswith(b"malformed SPARQL query")
        and b"invalid literal" not in body
    )


def _serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "maalgraph", "serve", "--port", "0", *args],
                          capture_output=True, text=True, timeout=60, env=env)  # fmt: skip


@pytest.mark.parametrize("blank", ["   ", "\t\n"])
def test_a_blank_token_is_refused(blank: str, tmp_path: Path) -> None:
    result = _serve("--allow-update", "--token", blank)
    assert result.returncode != 0 and "token" in result.stderr.lower()
    token_file = tmp_path / "token"
    token_file.write_text(blank + "\n", encoding="utf-8")
    result = _serve("--allow-update", "--token-file", str(token_file))
    assert result.returncode != 0 and "token" in result.stderr.lower()


def test_the_token_from_a_file_is_used_and_not_shown(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("file-token-42\n", encoding="utf-8")
    with maalgraph_server(tmp_path, "--allow-update", "--token-file", str(token_file)) as server:
        assert "file-token-42" not in Path(f"/proc/{server.process.pid}/cmdline").read_text()
        update = b"INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/b> 'c' } }"
        headers = {"Content-Type": "application/sparql-update"}
        status, _ = get(server.sparql, update, {**headers, "Authorization": "Bearer file-token-42"})
        assert status == 204
        status, _ = get(server.sparql, update, {**headers, "Authorization": "Bearer  "})
        assert status == 401
