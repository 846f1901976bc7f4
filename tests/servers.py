"""Real servers for the tests: ``maalgraph serve``, Oxigraph server and Virtuoso on free
127.0.0.1 ports.

Each is a child process, started and waited for here, and stopped (killed if it must be)
when the test is done.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maalgraph import MaalGraph


def http(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
    timeout: float = 60,
) -> tuple[int, dict[str, str], bytes]:
    """One request to a test server: status, headers and body, error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def http_body(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """:func:`http` without the response headers."""
    status, _, body = http(url, data=data, headers=headers)
    return status, body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return f"{self.url}/sparql"

    def kill(self) -> None:
        """SIGKILL the server and its process group (its query workers too)."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server at {url} did not start:\n{log.read_text()[-3000:]}")


@contextmanager
def maalgraph_server(
    tmp: Path, *args: str, options: Sequence[str] = (), env: dict[str, str] | None = None
) -> Iterator[Server]:
    """``maalgraph [options] serve [args]`` on a free port."""
    port = free_port()
    log = tmp / f"maalgraph-{port}.log"
    command = [
        sys.executable,
        "-m",
        "maalgraph",
        *options,
        "serve",
        "--port",
        str(port),
        "--log-level",
        "warning",
        *args,
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, **(env or {})})  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait(f"{server.url}/health", process, log)
        yield server
    finally:
        server.stop()


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise RuntimeError("the Oxigraph server is not installed: pip install oxigraph")
    return found


@contextmanager
def oxigraph_server(location: Path, *, union: bool = True) -> Iterator[Server]:
    """Oxigraph server (``pip install oxigraph``) on a free port, data in ``location``."""
    port = free_port()
    log = location.parent / f"oxigraph-{port}.log"
    command = [
        oxigraph_binary(),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if union:
        command.append("--union-default-graph")
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait(f"{server.url}/query?query=ASK%7B%7D", process, log)
        yield server
    finally:
        server.stop()


# Virtuoso open source (Debian: virtuoso-opensource-7-bin), a database of its own in a temporary
# folder. Its SPARQL endpoint takes updates only from users with SPARQL_UPDATE: maalgraph writes
# through /sparql-auth with Digest authentication as the database administrator.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""
VIRTUOSO_USER = ("dba", "dba")  # a fresh database's administrator, on 127.0.0.1 only


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        raise RuntimeError(
            "Virtuoso is not installed: make test installs it "
            "(apt-get install virtuoso-opensource-7-bin)"
        )
    return found


@contextmanager
def virtuoso_server(location: Path) -> Iterator[Server]:
    """Virtuoso on free 127.0.0.1 ports (SQL and HTTP), its database in ``location``."""
    location.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(dir=location, sql_port=sql_port, http_port=http_port),
        encoding="utf-8",
    )
    log = location / "virtuoso-console.log"
    command = [virtuoso_binary(), "+configfile", str(ini), "+foreground"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=location
        )
    server = Server(f"http://127.0.0.1:{http_port}", process, log)
    try:
        _wait(f"{server.url}/sparql?query=ASK%7B%7D", process, log)
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------------- remote stores

REMOTE_BACKENDS = ["oxigraph", "virtuoso"]  # every external server maalgraph claims to run on


@dataclass
class Backend:
    """An external SPARQL server started for the tests, and how maalgraph reaches it."""

    name: str
    server: Server
    query_url: str
    update_url: str
    credentials: dict[str, str] = field(default_factory=dict)  # MaalGraph.connect keywords

    def cli(self, *, writable: bool = False) -> list[str]:
        """``python -m maalgraph`` with the options that reach the server (see :attr:`env`)."""
        options = ["--endpoint", self.query_url]
        if writable:
            options += ["--update-endpoint", self.update_url]
            if "user" in self.credentials:
                options += ["--endpoint-user", self.credentials["user"]]
        return [sys.executable, "-m", "maalgraph", *options]

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "MAALGRAPH_ENDPOINT_PASSWORD": self.credentials.get("password", "")}

    def connect(self, *, writable: bool = False) -> MaalGraph:
        from maalgraph import MaalGraph

        if not writable:
            return MaalGraph.connect(self.query_url)
        return MaalGraph.connect(self.query_url, self.update_url, **self.credentials)


@contextmanager
def remote_backend(name: str, location: Path) -> Iterator[Backend]:
    """Oxigraph server or Virtuoso, empty, on free ports."""
    if name == "oxigraph":
        with oxigraph_server(location) as server:
            yield Backend(name, server, f"{server.url}/query", f"{server.url}/update")
    elif name == "virtuoso":
        user, password = VIRTUOSO_USER
        with virtuoso_server(location) as server:
            yield Backend(name, server, f"{server.url}/sparql", f"{server.url}/sparql-auth",
                          {"user": user, "password": password})  # fmt: skip
    else:
        raise ValueError(f"no test server {name!r}")
