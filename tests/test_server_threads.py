"""Threaded workers (``--worker-threads``): one worker process answers several queries at once
over its one copy of the data; a query past its time retires that process without failing the
queries it still runs, a killed process is replaced, and an update reaches the new copy."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import Server, maalgraph_server
from servers import http_body as fetch

TOKEN = "s3cret-token"
GRAPH = "http://example.org/threads"
GOALS = """PREFIX maal: <https://w3id.org/maalgraph/def#>
SELECT (COUNT(*) AS ?n) WHERE { ?goal a maal:Goal }"""
# a cross product with an aggregate: it runs for hours, and nothing comes out before the end
QUERY_OF_DEATH = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# wants gigabytes for its sort
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i"


def query(server: Server, text: str) -> tuple[int, bytes]:
    return fetch(f"{server.sparql}?" + urllib.parse.urlencode({"query": text}),
                 headers={"Accept": "application/sparql-results+json"})  # fmt: skip


def goals(server: Server) -> int:
    status, body = query(server, GOALS)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def health(server: Server) -> dict[str, object]:
    status, body = fetch(f"{server.url}/health")
    assert status == 200
    return json.loads(body)  # type: ignore[no-any-return]


def workers(server: Server) -> set[int]:
    """The query worker processes: the children of the fork server, the server's child."""

    def children(pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
        return found

    found = set()
    for child in children(server.process.pid):
        if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
            found |= set(children(child))
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("threads")
    with maalgraph_server(tmp, "--timeout", "2", "--workers", "1", "--worker-threads", "3") as s:
        yield s


def test_one_process_answers_several_queries_at_once(server: Server) -> None:
    expected = goals(server)
    assert health(server)["worker_threads"] == 3 and len(workers(server)) == 1
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(goals(server))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [expected] * 6 and len(workers(server)) == 1


def test_a_query_past_its_time_retires_its_process_and_the_others_carry_on(server: Server) -> None:
    expected = goals(server)
    (before,) = workers(server)
    outcome: dict[str, int] = {}

    def slow() -> None:
        outcome["status"] = query(server, QUERY_OF_DEATH)[0]

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    assert goals(server) == expected  # answered by the same process while it runs
    thread.join(30)
    assert outcome["status"] == 503
    assert goals(server) == expected  # a fresh process took its place at once
    deadline = time.monotonic() + 10
    while before in workers(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert before not in workers(server) and len(workers(server)) == 1


def test_a_killed_worker_is_replaced_and_answers_from_its_copy(server: Server) -> None:
    expected = goals(server)
    (before,) = workers(server)
    os.kill(before, signal.SIGKILL)
    time.sleep(0.2)
    statuses = [query(server, GOALS)[0] for _ in range(2)]  # the first may find it dead: 503
    assert statuses[-1] == 200 and set(statuses) <= {200, 503}
    assert goals(server) == expected and health(server)["workers_alive"] == 1
    assert before not in workers(server)


def test_an_update_reaches_the_threaded_workers_as_a_new_snapshot(tmp_path: Path) -> None:
    with maalgraph_server(tmp_path, "--allow-update", "--token", TOKEN, "--workers", "1",
                          "--worker-threads", "2", options=["--store", str(tmp_path / "store")]) as s:  # fmt: skip
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
        generation = health(s)["snapshot"]
        status, body = query(s, count)
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"
        update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://ex/a> <http://ex/b> 'c' }} }}".encode()
        headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
        assert fetch(s.sparql, data=update, headers=headers)[0] == 204
        assert health(s)["snapshot"] == generation + 1  # type: ignore[operator]
        for _ in range(3):  # every thread of the worker reads the new copy
            status, body = query(s, count)
            assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "1"


def test_a_query_over_the_shared_memory_cap_ends_its_process_which_is_replaced(
    tmp_path: Path,
) -> None:
    """The cap is the process's (two queries' worth here), so the sandbox holds as before."""
    with maalgraph_server(tmp_path, "--timeout", "10", "--query-memory", "256", "--workers", "1",
                          "--worker-threads", "2") as s:  # fmt: skip
        assert health(s)["network"] == "denied"
        expected = goals(s)
        started = time.monotonic()
        status, body = query(s, CROSS_PRODUCT)
        assert status == 503 and b"memory" in body
        assert time.monotonic() - started < 10  # the cap, not the timeout, stopped it
        assert goals(s) == expected and health(s)["workers_alive"] == 1
