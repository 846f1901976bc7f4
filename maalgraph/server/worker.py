"""Query worker processes: each holds a read-only copy of the store and runs one query at a time.

A query that runs past the timeout cannot be interrupted inside the engine, so its worker
process is killed and replaced; the other workers, the event loop and ``/health`` carry on.
Workers are forked from a small fork server (``multiprocessing`` "forkserver"), so a
replacement starts in milliseconds without the parent's threads or open store.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from ..results import QueryResult
from ..sparqltext import query_form, top_level_limit, with_limit
from .serialize import RESULTS_SYNTAX, count_rows, results_bytes, solutions_result, triples_bytes

log = logging.getLogger("maalgraph.server")


@dataclass(frozen=True)
class Snapshot:
    """Where workers find the data: an on-disk store opened read-only, or an N-Quads file
    each worker loads into memory."""

    generation: int
    kind: str  # "rocksdb" | "nquads"
    path: str


@dataclass(frozen=True)
class QueryJob:
    query: str
    format_key: str  # a key of RESULT_FORMATS or GRAPH_FORMATS, chosen beforehand
    default_graphs: tuple[str, ...] | None = None  # None: the query's own (FROM) or the union
    named_graphs: tuple[str, ...] | None = None
    union: bool = True  # no FROM and no protocol dataset: the default graph is the union
    base_iri: str | None = None
    max_rows: int = 10_000


@dataclass(frozen=True)
class JobResult:
    body: bytes = b""
    truncated: bool = False
    error: str | None = None  # "syntax" | "failed"
    message: str = ""


class QueryTimeout(Exception):
    """The query ran longer than the endpoint allows; its worker was replaced."""


class WorkerLost(Exception):
    """A worker process died (out of memory, killed) while running a query."""


# ---------------------------------------------------------------------------- in the worker


def _open(snapshot: Snapshot) -> ox.Store:
    if snapshot.kind == "rocksdb":
        return ox.Store.read_only(snapshot.path)
    store = ox.Store()
    store.bulk_load(path=snapshot.path, format=ox.RdfFormat.N_QUADS)
    return store


def run_job(store: ox.Store, job: QueryJob) -> JobResult:
    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.union:
        options["use_default_graph_as_union"] = True
    elif job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        if query_form(job.query) == "SELECT":
            return _select(store, job, options)
        result = store.query(job.query, **options)
        if isinstance(result, ox.QueryBoolean):
            return JobResult(results_bytes(QueryResult(boolean=bool(result)), job.format_key))
        if isinstance(result, ox.QueryTriples):
            body, truncated = triples_bytes(result, job.format_key, job.max_rows)
            return JobResult(body, truncated)
        rows, truncated = solutions_result(result, job.max_rows)
        return JobResult(results_bytes(rows, job.format_key), truncated)
    except SyntaxError as exc:
        return JobResult(error="syntax", message=short_syntax_error(str(exc)))
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return JobResult(error="failed", message=str(exc))


def _select(store: ox.Store, job: QueryJob, options: dict[str, Any]) -> JobResult:
    """A SELECT result serialized by the engine itself (several times faster than building
    it in Python), cut at ``max_rows``: the query runs with a top-level LIMIT of one row
    more, and only a result that has that extra row is built again, cut, in Python."""
    syntax = RESULTS_SYNTAX[job.format_key]
    if (own := top_level_limit(job.query)) is not None and own <= job.max_rows:
        return JobResult(_solutions(store, job.query, options).serialize(format=syntax) or b"")
    try:
        limited = _solutions(store, with_limit(job.query, job.max_rows + 1), options)
    except SyntaxError:  # the query itself is malformed: raised below, with its own positions
        rows, truncated = solutions_result(_solutions(store, job.query, options), job.max_rows)
        return JobResult(results_bytes(rows, job.format_key), truncated)
    body = limited.serialize(format=syntax) or b""
    if count_rows(body, job.format_key, more_than=job.max_rows) <= job.max_rows:
        return JobResult(body)
    rows, _ = solutions_result(_solutions(store, job.query, options), job.max_rows)
    return JobResult(results_bytes(rows, job.format_key), truncated=True)


def _solutions(store: ox.Store, query: str, options: dict[str, Any]) -> ox.QuerySolutions:
    result = store.query(query, **options)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected a SELECT query, got {type(result).__name__}")
    return result


def short_syntax_error(message: str) -> str:
    """The parser's message with its position, without the long list of expected characters."""
    first = message.split("\n", 1)[0]
    return first if len(first) <= 240 else first[:240] + " …"


def worker_main(conn: Connection, snapshot: Snapshot) -> None:
    """The worker's loop: (job, snapshot) in, JobResult out; ends when the parent goes away."""
    store = _open(snapshot)
    conn.send("ready")
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, wanted = message
        if wanted != snapshot:
            snapshot, store = wanted, _open(wanted)
        conn.send(run_job(store, job))


# ---------------------------------------------------------------------------- in the server


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["maalgraph.server.worker"])
    return ctx


class Worker:
    """One worker process and the pipe to it; used by one request at a time."""

    def __init__(self, ctx: Any, snapshot: Snapshot, start_timeout: float):
        self._ctx = ctx
        self._start_timeout = start_timeout
        self.snapshot = snapshot
        self._start()

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self.process = self._ctx.Process(
            target=worker_main, args=(child, self.snapshot), daemon=True
        )
        self.process.start()
        child.close()
        self.conn: Connection = parent
        if not parent.poll(self._start_timeout) or parent.recv() != "ready":
            self.stop()
            raise WorkerLost(f"a query worker did not start within {self._start_timeout:.0f} s")

    def restart(self) -> None:
        self.stop()
        self._start()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def run(self, job: QueryJob, snapshot: Snapshot, timeout: float) -> JobResult:
        """Blocking: send the job, wait at most ``timeout`` seconds, replace the worker if late."""
        try:
            self.conn.send((job, snapshot))
            if self.conn.poll(timeout):
                result: JobResult = self.conn.recv()
                self.snapshot = snapshot
                return result
        except (EOFError, OSError) as exc:
            self.snapshot = snapshot
            self.restart()
            raise WorkerLost(
                "the query worker stopped unexpectedly; it has been restarted"
            ) from exc
        self.snapshot = snapshot
        self.restart()
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")


class WorkerPool:
    """A fixed number of workers; requests wait for a free one without blocking the event loop."""

    def __init__(self, size: int, snapshot: Snapshot, *, start_timeout: float = 300.0):
        self.size = size
        self.snapshot = snapshot
        self._ctx = _context()
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="maalgraph-query")
        self._workers = [Worker(self._ctx, snapshot, start_timeout) for _ in range(size)]
        self._idle: asyncio.Queue[Worker] | None = None
        self._lock = threading.Lock()

    def alive(self) -> int:
        return sum(w.process.is_alive() for w in self._workers)

    async def run(self, job: QueryJob, timeout: float) -> JobResult:
        if self._idle is None:
            self._idle = asyncio.Queue()
            for worker in self._workers:
                self._idle.put_nowait(worker)
        worker = await self._idle.get()
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._threads, worker.run, job, self.snapshot, timeout
            )
        finally:
            self._idle.put_nowait(worker)

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._threads.shutdown(wait=False, cancel_futures=True)
