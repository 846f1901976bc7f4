"""``maalgraph serve`` against a hostile client, live: no SSRF (SERVICE, LOAD, also through
``--endpoint``), no stalls from large requests, no crash from deep nesting, a memory cap per
query. Every server and listener here is started by the test, on 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from attacks import EVIL, LOAD_UPDATES, SERVICE_QUERIES
from servers import Server, maalgraph_server, oxigraph_server

from maalgraph import MaalGraph

TOKEN = "s3cret-token"
# the ways of writing SERVICE that Oxigraph itself reads as SERVICE
OXIGRAPH_READS = ["plain", "comment ended by CR", "no word boundary", "SILENT glued",
                  "escaped quote in a name", "escaped backslash ends a string"]  # fmt: skip
GOALS = "SELECT ?g WHERE { ?g a <https://w3id.org/maalgraph/def#Goal> }"
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i"


@dataclass
class Listener:
    """An HTTP server on 127.0.0.1 that records every request and answers with a secret."""

    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture()
def listener() -> Iterator[Listener]:
    recorded: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            recorded.append(f"{self.command} {self.path}")
            body = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"SECRET"}}]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(f"http://127.0.0.1:{server.server_address[1]}/x", recorded)
    finally:
        server.shutdown()
        server.server_close()


def aimed(text: str, listener: Listener) -> str:
    return text.replace(EVIL, listener.url)


def send(
    url: str,
    body: bytes | None = None,
    content_type: str | None = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, bytes]:
    sent = dict(headers or {})
    if content_type:
        sent["Content-Type"] = content_type
    if token:
        sent["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def query(server: Server, text: str) -> tuple[int, bytes]:
    return send(server.sparql, text.encode(), "application/sparql-query")


def update(server: Server, text: str) -> tuple[int, bytes]:
    return send(server.sparql, text.encode(), "application/sparql-update", token=TOKEN)


def health(server: Server) -> dict[str, object]:
    status, body = send(f"{server.url}/health")
    assert status == 200
    result: dict[str, object] = json.loads(body)
    return result


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("security")
    with maalgraph_server(tmp, "--allow-update", "--timeout", "10", "--workers", "2",
                          env={"MAALGRAPH_TOKEN": TOKEN}) as s:  # fmt: skip
        yield s


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An endpoint whose queries may take 256 MB beyond their worker's data."""
    with maalgraph_server(tmp_path_factory.mktemp("capped"), "--timeout", "10", "--query-memory", "256") as s:  # fmt: skip
        yield s


# ---------------------------------------------------------------------------- 1. SSRF


@pytest.mark.parametrize("name", OXIGRAPH_READS)
def test_the_engine_alone_would_call_the_listener(name: str, listener: Listener) -> None:
    """The attacks are real: pyoxigraph, unguarded, sends each of them to the listener."""
    attack = aimed(SERVICE_QUERIES[name], listener)
    # the listener's answer may not fit the query: it was called all the same
    with contextlib.suppress(OSError, RuntimeError, SyntaxError):
        list(ox.Store().query(attack, use_default_graph_as_union=True))
    assert listener.requests


def test_the_endpoint_refuses_every_service_and_nothing_is_sent(
    server: Server, listener: Listener
) -> None:
    for name, text in SERVICE_QUERIES.items():
        attack = aimed(text, listener)
        for status, body in (
            query(server, attack),
            send(f"{server.sparql}?" + urllib.parse.urlencode({"query": attack})),
        ):
            assert status == 400 and b"SERVICE" in body and b"SECRET" not in body, name
    for name, text in LOAD_UPDATES.items():
        status, body = update(server, aimed(text, listener))
        assert status == 400 and (b"LOAD" in body or b"SERVICE" in body), name
    status, body = send(f"{server.url}/sparql-editor?" + urllib.parse.urlencode(
        {"query": aimed(SERVICE_QUERIES["comment ended by CR"], listener)}))  # fmt: skip
    assert status == 200 and b"SERVICE" in body
    assert listener.requests == []


def test_workers_and_server_cannot_open_a_network_socket(server: Server) -> None:
    assert health(server)["network"] == "denied"


def test_the_sandbox_stops_the_engine_whatever_the_query_says(listener: Listener) -> None:
    """Defence in depth: in a process under the workers' seccomp filter, a SERVICE that got
    past every check fails without a packet sent."""
    code = textwrap.dedent(
        """
        import sys, pyoxigraph as ox
        from maalgraph.server.sandbox import deny_network
        assert deny_network()
        try:
            list(ox.Store().query(sys.argv[1]))
        except OSError as exc:
            print(type(exc).__name__)
        """
    )
    attack = aimed(SERVICE_QUERIES["plain"], listener)
    child = subprocess.run([sys.executable, "-c", code, attack], capture_output=True, text=True, timeout=60)  # fmt: skip
    assert child.stdout.strip() == "PermissionError", child.stderr
    assert listener.requests == []


@pytest.fixture(scope="module")
def in_front_of_oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("endpoint")
    with MaalGraph.open(tmp / "data") as kg:
        kg.ingest(Path(__file__).parent / "data" / "followup-vejle-2021.txt")
    with oxigraph_server(tmp / "data") as oxigraph, maalgraph_server(tmp, options=["--endpoint", f"{oxigraph.url}/query"]) as s:  # fmt: skip
        yield s


def test_in_front_of_oxigraph_nothing_is_sent_either(
    in_front_of_oxigraph: Server, listener: Listener
) -> None:
    server = in_front_of_oxigraph
    assert query(server, GOALS)[0] == 200
    for name, text in SERVICE_QUERIES.items():
        status, body = query(server, aimed(text, listener))
        assert status == 400 and b"SERVICE" in body, name
    for text in (f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
                 f"SELECT * FROM\rNAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):  # fmt: skip
        status, body = query(server, text)
        assert status == 400 and b"FROM" in body
    status, body = send(f"{server.sparql}?" + urllib.parse.urlencode({"query": GOALS, "default-graph-uri": listener.url}))  # fmt: skip
    assert status == 400 and b"not a graph of the store" in body
    assert listener.requests == []


# ---------------------------------------------------------------------------- 2. stalls


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return (
        int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
        / 1024
    )


def _health_while(server: Server, attack: threading.Thread) -> float:
    """The slowest /health answer while ``attack`` runs (and at least half a second)."""
    slowest = 0.0
    attack.start()
    started = time.monotonic()
    while attack.is_alive() or time.monotonic() - started < 0.5:
        before = time.monotonic()
        health(server)
        slowest = max(slowest, time.monotonic() - before)
        time.sleep(0.02)
    attack.join()
    return slowest


def test_large_bodies_and_headers_neither_stall_nor_stay_in_memory(server: Server) -> None:
    statuses: list[int] = []
    braces = b"{" * (4 * 1024 * 1024)

    def attack() -> None:
        for _ in range(3):
            statuses.append(query(server, braces.decode())[0])
            statuses.append(send(server.sparql, braces, "application/sparql-update")[0])  # no token
            statuses.append(
                send(server.sparql, braces, "application/sparql-update", token="wrong")[0]
            )

    before = _rss_mb(server.process.pid)
    slowest = _health_while(server, threading.Thread(target=attack))
    assert statuses == [400, 401, 403] * 3
    assert slowest < 0.5
    assert _rss_mb(server.process.pid) - before < 150

    # an 8 MB Accept header: refused as the head grows, the event loop never reads it
    connection = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=30)
    try:
        connection.putrequest("GET", "/sparql?query=ASK%7B%7D")
        connection.putheader("Accept", "a" * (8 * 1024 * 1024))
        connection.endheaders()
        assert connection.getresponse().status == 431
    except (ConnectionError, BrokenPipeError):
        pass  # closed while we were still sending: refused all the same
    finally:
        connection.close()
    assert send(server.sparql + "?query=ASK%7B%7D", headers={"Accept": "a" * 100_000})[0] == 431
    assert send(server.sparql + "?query=ASK%7B%7D")[0] == 200


# ---------------------------------------------------------------------------- 3. nesting


def test_deep_nesting_is_refused_and_kills_nothing(server: Server) -> None:
    for text in ("SELECT * WHERE " + "{ " * 10_000 + "} " * 10_000,
                 "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"):  # fmt: skip
        status, body = query(server, text)
        assert status == 400 and b"the limit is 64" in body
    status, body = update(
        server, "INSERT { ?s ?p ?o } WHERE " + "{ " * 10_000 + "?s ?p ?o " + "} " * 10_000
    )
    assert status == 400 and b"the limit is 64" in body
    assert server.process.poll() is None and health(server)["workers_alive"] == 2
    assert query(server, GOALS)[0] == 200


# ---------------------------------------------------------------------------- 4. memory


def test_a_query_over_its_memory_cap_gets_503_and_its_worker_is_replaced(capped: Server) -> None:
    started = time.monotonic()
    status, body = query(capped, CROSS_PRODUCT)
    assert status == 503 and b"memory" in body
    assert time.monotonic() - started < 10  # the cap, not the timeout, stopped it
    assert health(capped)["workers_alive"] == 2
    assert query(capped, GOALS)[0] == 200


def test_worker_memory_stays_under_the_cap(capped: Server) -> None:
    """Each worker's address space (so its resident memory) stays within its data and the
    256 MB a query may use, whatever the query."""
    query(capped, CROSS_PRODUCT)
    workers = _descendants(capped.process.pid)
    capped_workers = 0
    for pid in workers:
        with open(f"/proc/{pid}/limits", encoding="ascii") as limits:
            line = next(x for x in limits if x.startswith("Max address space"))
        if line.split()[3] != "unlimited":  # the fork server has no cap; the workers do
            capped_workers += 1
            assert _rss_mb(pid) < int(line.split()[3]) / 1024 / 1024
    assert capped_workers == 2


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        for task in Path(f"/proc/{current}/task").iterdir():
            children = [int(c) for c in (task / "children").read_text().split()]
            found += children
            pending += children
    return found


def test_the_token_is_not_in_the_process_list(server: Server) -> None:
    assert TOKEN not in Path(f"/proc/{server.process.pid}/cmdline").read_text(errors="replace")
    assert os.environ.get("MAALGRAPH_TOKEN") != TOKEN  # given to the server only
