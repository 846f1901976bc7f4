"""The one HTTP transport: every httpx failure and HTTP error status becomes maalgraph's own
error, by type and status; credentials and the connection pool, against real servers on
127.0.0.1 started here."""

from __future__ import annotations

import base64
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from servers import free_port, maalgraph_server

from maalgraph import MaalGraph, MaalgraphError, QueryError, StoreError, StoreTimeout
from maalgraph.remote import RemoteStore
from maalgraph.resources import corpus_files
from maalgraph.transport import TRANSPORT_ERRORS, Transport, status_error, translate


def _subclasses(cls: type[Exception]) -> set[type[Exception]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


# what a request can raise (HTTPStatusError is never raised: statuses are read, not raised)
RAISED = sorted(
    ({httpx.RequestError, httpx.InvalidURL} | _subclasses(httpx.RequestError)) - {httpx.HTTPStatusError},
    key=lambda c: c.__name__,
)  # fmt: skip


def test_every_httpx_request_error_is_in_the_table() -> None:
    assert len(RAISED) >= 19
    assert [c.__name__ for c in RAISED if c not in TRANSPORT_ERRORS] == []


@pytest.mark.parametrize("cls", RAISED, ids=lambda c: c.__name__)
def test_every_httpx_request_error_maps(cls: type[Exception]) -> None:
    exc = cls("boom")
    error = translate(exc, "http://127.0.0.1:1/sparql", 2.5)
    assert isinstance(error, StoreError)
    assert isinstance(error, StoreTimeout) == issubclass(cls, httpx.TimeoutException)
    assert "http://127.0.0.1:1/sparql" in str(error)


def test_an_unknown_exception_is_not_mapped_silently() -> None:
    with pytest.raises(TypeError):
        translate(ValueError("x"), "http://x/", 1)


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (400, QueryError, "refused the query"),
        (401, StoreError, "refused the credentials"),
        (403, StoreError, "refused the credentials"),
        (404, StoreError, "check the URL"),
        (408, StoreTimeout, "gave up"),
        (413, StoreError, "too large"),
        (500, StoreError, "failed on the query"),
        (502, StoreError, "failed on the query"),
        (504, StoreTimeout, "gave up"),
        (418, StoreError, "HTTP 418"),
    ],
)
def test_statuses_map(status: int, error: type[MaalgraphError], words: str) -> None:
    response = httpx.Response(status, text="the server's own words")
    found = status_error(response, "http://127.0.0.1:1/sparql", "query")
    assert type(found) is error and words in str(found)
    if status in (400, 500):
        assert "the server's own words" in str(found)


# ---------------------------------------------------------------------------- real failures


def test_nothing_listening_is_cannot_reach() -> None:
    with Transport(timeout=5) as t, pytest.raises(StoreError, match="cannot reach"):
        t.query(f"http://127.0.0.1:{free_port()}/sparql", "ASK {}", accept="*/*")


@pytest.fixture()
def silent_port() -> Iterator[int]:
    """A socket that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_no_answer_in_time_is_a_store_timeout(silent_port: int) -> None:
    with (
        Transport(timeout=0.5) as t,
        pytest.raises(StoreTimeout, match="did not answer within 0.5 s"),
    ):
        t.query(f"http://127.0.0.1:{silent_port}/sparql", "ASK {}", accept="*/*")


def test_a_request_timeout_overrides_the_default(silent_port: int) -> None:
    with Transport(timeout=60) as t, pytest.raises(StoreTimeout, match="within 0.3 s"):
        t.query(f"http://127.0.0.1:{silent_port}/sparql", "ASK {}", accept="*/*", timeout=0.3)


@pytest.mark.parametrize(
    ("url", "words"),
    [("ftp://127.0.0.1/sparql", "not an http"), ("http://[::1/sparql", "not a valid URL")],
)
def test_bad_urls(url: str, words: str) -> None:
    with Transport(timeout=1) as t, pytest.raises(StoreError, match=words):
        t.query(url, "ASK {}", accept="*/*")


# ---------------------------------------------------------------------------- a small HTTP server


class Recorder(BaseHTTPRequestHandler):
    """Answers every SPARQL request with an empty result and records who asked how."""

    protocol_version = "HTTP/1.1"  # keep-alive: one connection may carry many requests
    seen: list[tuple[int, str | None, str]] = []
    password = "geheim"

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode()
        auth = self.headers.get("Authorization")
        self.seen.append((self.client_address[1], auth, body))
        expected = "Basic " + base64.b64encode(f"ole:{self.password}".encode()).decode()
        if self.path == "/private" and auth != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
            {"n": {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def recorder() -> Iterator[str]:
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_one_connection_for_many_queries(recorder: str) -> None:
    store = RemoteStore(f"{recorder}/sparql")
    counts = [store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows for _ in range(5)]
    store.close()
    assert counts == [[{"n": 7}]] * 5
    assert len({port for port, _, _ in Recorder.seen}) == 1
    assert all("query=SELECT" in body for _, _, body in Recorder.seen)


def test_basic_credentials_after_the_challenge(recorder: str) -> None:
    store = RemoteStore(f"{recorder}/private", user="ole", password="geheim")
    assert store.query("SELECT ?n {}").rows == [{"n": 7}]
    assert store.query("SELECT ?n {}").rows == [{"n": 7}]
    assert [auth is not None for _, auth, _ in Recorder.seen] == [False, True, True]  # learnt once
    with pytest.raises(StoreError, match="refused the credentials"):
        RemoteStore(f"{recorder}/private", user="ole", password="forkert").query("SELECT ?n {}")


def test_token_and_password_are_exclusive() -> None:
    with pytest.raises(StoreError, match="either a token"):
        Transport(token="t", user="u", password="p")


# ---------------------------------------------------------------------------- bearer token


def test_bearer_token_against_maalgraph_serve(tmp_path: Path) -> None:
    """maalgraph's own endpoint, as an external store that takes updates with a token."""
    options = ["--allow-update", "--token", "rigtig"]
    with maalgraph_server(
        tmp_path, *options, options=["--store", str(tmp_path / "store")]
    ) as server:
        with MaalGraph.connect(server.sparql, server.sparql, token="rigtig") as kg:
            kg.ingest(corpus_files()[1])
            assert kg.named("goal_count").rows == [{"count": 12}]
        with pytest.raises(StoreError, match="refused the credentials"):
            MaalGraph.connect(server.sparql, server.sparql, token="forkert").update(
                "DROP SILENT GRAPH <urn:x:nothing>"
            )
