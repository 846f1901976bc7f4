"""Query worker processes: each holds a read-only copy of the store and runs one job at a time
(or, with threads, several at once over that one copy).

Every job a client sends (check a query or update, run a query, write its result) runs
here, never in the server process: a worker cannot open a network socket and its memory is
capped (:mod:`maalgraph.server.sandbox`). A query that runs past the timeout cannot be
interrupted inside the engine, so its worker is killed and replaced; a worker that dies (over
its memory cap, or a crash in the engine) is replaced too. The other workers, the event loop
and ``/health`` carry on. Workers are forked from a small fork server (``multiprocessing``
"forkserver"), so a replacement starts in milliseconds without the parent's threads or open
store. With ``--worker-threads`` a worker runs several jobs at once in threads (the server's
side of that is in :mod:`maalgraph.server.pool`).
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from . import sandbox
from .jobs import JobResult, QueryJob, UpdateJob, run_query_job, run_update_check

__all__ = [
    "Job",
    "JobResult",
    "QueryJob",
    "QueryTimeout",
    "Snapshot",
    "UpdateJob",
    "Worker",
    "WorkerLost",
]

log = logging.getLogger("maalgraph.server")

Job = QueryJob | UpdateJob


@dataclass(frozen=True)
class Snapshot:
    """Where workers find the data: an on-disk store opened read-only, an N-Quads file each
    worker loads into memory, or none (workers that only check requests)."""

    generation: int
    kind: str  # "rocksdb" | "nquads" | "none"
    path: str = ""


class QueryTimeout(Exception):
    """The query ran longer than the endpoint allows; its worker was replaced."""


class WorkerLost(Exception):
    """A worker process died (over its memory cap, killed, crashed) while running a job."""

    def __init__(self, message: str, exitcode: int | None):
        super().__init__(message)
        self.exitcode = exitcode


# ---------------------------------------------------------------------------- in the worker


def _open(snapshot: Snapshot) -> ox.Store | None:
    if snapshot.kind == "none":
        return None
    if snapshot.kind == "rocksdb":
        return ox.Store.read_only(snapshot.path)
    store = ox.Store()
    store.bulk_load(path=snapshot.path, format=ox.RdfFormat.N_QUADS)
    return store


def _run(store: ox.Store | None, job: Job) -> JobResult:
    if isinstance(job, UpdateJob):
        return run_update_check(job)
    return run_query_job(store, job)


def worker_main(conn: Connection, snapshot: Snapshot, query_memory: int, threads: int = 1) -> None:
    """The worker's loop: (job, snapshot) in, JobResult out; ends when the parent goes away.
    The first message out says whether the network is denied."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    sandboxed = sandbox.deny_network() and sandbox.network_denied()
    store = _open(snapshot)
    if threads > 1:
        _threaded_main(conn, snapshot, store, query_memory, threads, sandboxed)
        return
    sandbox.cap_memory(query_memory)
    conn.send(("ready", sandboxed))
    for job, wanted in _messages(conn):
        if wanted != snapshot:
            store = None  # the old copy goes before the new one comes, under no cap meanwhile
            sandbox.lift_memory_cap()
            snapshot, store = wanted, _open(wanted)
            sandbox.cap_memory(query_memory)
        conn.send(_run(store, job))


def _threaded_main(
    conn: Connection,
    snapshot: Snapshot,
    store: ox.Store | None,
    query_memory: int,
    threads: int,
    sandboxed: bool,
) -> None:
    """``threads`` jobs at once over this process's one copy of the data: (id, job, snapshot)
    in, (id, JobResult) out. The threads start before the memory cap is set (their stacks and
    allocator arenas are part of what the process holds) and inherit the network filter."""
    jobs: queue.SimpleQueue[tuple[int, Job, Snapshot] | None] = queue.SimpleQueue()
    current: list[Any] = [snapshot, store]
    switching, sending = threading.Lock(), threading.Lock()

    def store_for(wanted: Snapshot) -> ox.Store | None:
        with switching:
            if wanted != current[0]:
                current[1] = None  # jobs still reading the old copy keep it until they end
                sandbox.lift_memory_cap()
                current[:] = [wanted, _open(wanted)]
                sandbox.cap_memory(query_memory * threads)
            return current[1]  # type: ignore[no-any-return]

    def serve() -> None:
        while (message := jobs.get()) is not None:
            ident, job, wanted = message
            try:
                result = _run(store_for(wanted), job)
            except Exception:  # noqa: BLE001  (the engine's own errors are handled in _run)
                log.exception("a query job failed in its worker")
                result = JobResult(error="failed", status=500, message=_JOB_FAILED)
            with sending:
                conn.send((ident, result))

    before = threading.stack_size(sandbox.WORKER_STACK_BYTES)  # as the main thread's
    pool = [threading.Thread(target=serve, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    threading.stack_size(before)
    sandbox.cap_memory(query_memory * threads)
    conn.send(("ready", sandboxed))
    for message in _messages(conn):
        jobs.put(message)


def _messages(conn: Connection) -> Iterator[Any]:
    """What the server sends, until it sends None or the pipe closes (the server is gone)."""
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        yield message


_JOB_FAILED = "the query failed in the engine (forespørgslen mislykkedes)"


# ---------------------------------------------------------------------------- in the server


def worker_context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    # rdflib's SPARQL grammar takes half a second to build: once, in the fork server
    ctx.set_forkserver_preload(["maalgraph.server.worker", "rdflib.plugins.sparql.parser"])
    return ctx


def start_worker(ctx: Any, snapshot: Snapshot, start_timeout: float, query_memory: int,
                 threads: int = 1) -> tuple[Any, Connection, bool]:  # fmt: skip
    """A worker process, the pipe to it, and whether it runs without network; once it has
    said it is ready (WorkerLost, the process gone, when it does not within ``start_timeout``)."""
    parent, child = ctx.Pipe()
    process = ctx.Process(
        target=worker_main, args=(child, snapshot, query_memory, threads), daemon=True
    )
    process.start()
    child.close()
    try:
        ready = parent.recv() if parent.poll(start_timeout) else None
    except (EOFError, OSError):
        ready = None
    if not (isinstance(ready, tuple) and ready[0] == "ready"):
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
        raise WorkerLost(
            f"a query worker did not start within {start_timeout:.0f} s", process.exitcode
        )
    return process, parent, bool(ready[1])


class Worker:
    """One worker process and the pipe to it; used by one request at a time."""

    def __init__(self, ctx: Any, snapshot: Snapshot, start_timeout: float, query_memory: int):
        self._ctx = ctx
        self._start_timeout = start_timeout
        self._query_memory = query_memory
        self.snapshot = snapshot
        self.sandboxed = False
        self._start()

    def _start(self) -> None:
        self.process, self.conn, self.sandboxed = start_worker(
            self._ctx, self.snapshot, self._start_timeout, self._query_memory
        )

    def restart(self) -> None:
        self.stop()
        self._start()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def run(self, job: Job, snapshot: Snapshot, timeout: float) -> JobResult:
        """Blocking: send the job, wait at most ``timeout`` seconds, replace the worker if it
        is late or dies."""
        try:
            self.conn.send((job, snapshot))
            if self.conn.poll(timeout):
                result: JobResult = self.conn.recv()
                self.snapshot = snapshot
                return result
        except (EOFError, OSError) as exc:
            self.process.join(5)
            exitcode = self.process.exitcode
            self.snapshot = snapshot
            self.restart()
            raise WorkerLost(
                f"the query worker stopped (exit code {exitcode}); it has been replaced", exitcode
            ) from exc
        self.snapshot = snapshot
        self.restart()
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
