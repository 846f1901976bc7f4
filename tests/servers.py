"""Real servers for the tests: ``maalgraph serve`` and Oxigraph server on free 127.0.0.1 ports.

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
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path


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
