"""Updates on the endpoint: only with --allow-update and the bearer token, all or nothing, and a
server killed in the middle of an update leaves a store with the whole update or none of it."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Server, maalgraph_server

from maalgraph import MaalGraph

TOKEN = "s3cret-token"
GRAPH = "http://example.org/bulk"


def post(
    server: Server, body: bytes, content_type: str, token: str | None = TOKEN, timeout: float = 120
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(server.sparql, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def count(server: Server, graph: str = GRAPH) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    status, _, body = post(server, query.encode(), "application/sparql-query", token=None)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    with maalgraph_server(
        tmp_path, "--allow-update", "--token", TOKEN, options=["--store", str(tmp_path / "store")]
    ) as s:
        yield s


def test_update_needs_the_token(server: Server) -> None:
    update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://ex/a> <http://ex/b> 'c' }} }}".encode()
    status, headers, _ = post(server, update, "application/sparql-update", token=None)
    assert status == 401 and headers["www-authenticate"] == "Bearer"
    assert post(server, update, "application/sparql-update", token="wrong")[0] == 403
    assert count(server) == 0
    assert post(server, update, "application/sparql-update")[0] == 204
    assert count(server) == 1  # the workers see the update at once


def test_failed_update_changes_nothing(server: Server) -> None:
    good = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://ex/a> <http://ex/b> 'c' }} }}"
    assert post(server, good.encode(), "application/sparql-update")[0] == 204
    broken = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://ex/x> <http://ex/y> 'z' }} }} ; INSERT DATA {{ oops"
    status, _, body = post(server, broken.encode(), "application/sparql-update")
    assert status == 400 and b"malformed" in body
    assert count(server) == 1


def test_questions_see_updates(server: Server, tmp_path: Path) -> None:
    ask = f"{server.url}/api/ask?" + urllib.parse.urlencode({"q": "Hvor mange mål er der?"})
    with urllib.request.urlopen(ask, timeout=30) as response:
        before = json.loads(response.read())
    assert before["answer"].startswith("Der er 0 mål")  # an empty store
    update = (
        "PREFIX maal: <https://w3id.org/maalgraph/def#> "
        f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://ex/goal> a maal:Goal ; maal:focusArea <http://ex/fa> ; "
        "maal:verdict maal:Opfyldt . <http://ex/fa> maal:inReport <http://ex/r> . "
        "<http://ex/r> maal:municipality <http://ex/m> ; maal:year 2020 . } }"
    )
    assert post(server, update.encode(), "application/sparql-update")[0] == 204
    with urllib.request.urlopen(ask, timeout=30) as response:
        assert json.loads(response.read())["answer"].startswith("Der er 1 mål")


def bulk_update(triples: int) -> bytes:
    body = "\n".join(f'<http://ex/s{i}> <http://ex/p> "value {i}" .' for i in range(triples))
    return f"INSERT DATA {{ GRAPH <{GRAPH}> {{\n{body}\n}} }}".encode()


def timed_update(tmp: Path, update: bytes, kill_after: float | None) -> tuple[float, int | None]:
    """Send the update to a fresh server; kill it after ``kill_after`` seconds (None: let it
    finish). Returns the seconds until the answer or the kill, and the status if one came."""
    tmp.mkdir(exist_ok=True)
    outcome: dict[str, int] = {}
    with maalgraph_server(tmp, "--allow-update", "--token", TOKEN, "--max-request-mb", "64",
                          options=["--store", str(tmp / "store")]) as server:  # fmt: skip

        def send() -> None:
            with contextlib.suppress(OSError):  # the server is killed while we wait
                outcome["status"] = post(server, update, "application/sparql-update", timeout=120)[
                    0
                ]

        sender = threading.Thread(target=send)
        started = time.monotonic()
        sender.start()
        sender.join(kill_after)
        elapsed = time.monotonic() - started
        if kill_after is not None:
            server.kill()
        sender.join(120)
    return elapsed, outcome.get("status") if kill_after is None or elapsed < kill_after else None


@pytest.mark.slow
def test_kill_during_update_keeps_all_or_nothing(tmp_path: Path) -> None:
    triples = 100_000
    update = bulk_update(triples)
    duration, status = timed_update(tmp_path / "whole", update, None)
    assert status == 204
    with MaalGraph.open(tmp_path / "whole" / "store", read_only=True) as kg:
        assert kg.store.graph_size(GRAPH) == triples
    for fraction in (0.3, 0.6, 0.9):
        run = tmp_path / f"killed-{fraction}"
        _, answered = timed_update(run, update, duration * fraction)
        with MaalGraph.open(run / "store", read_only=True) as kg:
            size = kg.store.graph_size(GRAPH)
        print(
            f"\nkilled {fraction:.0%} into a {duration:.2f} s update of {triples} triples "
            f"({'after' if answered else 'before'} the answer): the store holds {size}"
        )
        assert size in (0, triples)
