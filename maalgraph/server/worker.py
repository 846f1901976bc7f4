"""Query worker processes: each holds a read-only copy of the store and runs one job at a time.

Every job a client sends (check a query or update, run a query, write its result) runs
here, never in the server process: a worker cannot open a network socket and its memory is
capped (:mod:`maalgraph.server.sandbox`). A query that runs past the timeout cannot be
interrupted inside the engine, so its worker is killed and replaced; a worker that dies (over
its memory cap, or a crash in the engine) is replaced too. The other workers, the event loop
and ``/health`` carry on. Workers are forked from a small fork server (``multiprocessing``
"forkserver"), so a replacement starts in milliseconds without the parent's threads or open
store.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from . import sandbox
from .jobs import JobResult, QueryJob, UpdateJob, run_query_job, run_update_check

__all__ = ["JobResult", "QueryJob", "Snapshot", "UpdateJob", "WorkerLost", "WorkerPool"]

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


def worker_main(conn: Connection, snapshot: Snapshot, query_memory: int) -> None:
    """The worker's loop: (job, snapshot) in, JobResult out; ends when the parent goes away.
    The first message out says whether the network is denied."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which stops us
    sandboxed = sandbox.deny_network() and sandbox.network_denied()
    store = _open(snapshot)
    sandbox.cap_memory(query_memory)
    conn.send(("ready", sandboxed))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, wanted = message
        if wanted != snapshot:
            store = None  # the old copy goes before the new one comes, under no cap meanwhile
            sandbox.lift_memory_cap()
            snapshot, store = wanted, _open(wanted)
            sandbox.cap_memory(query_memory)
        conn.send(_run(store, job))


# ---------------------------------------------------------------------------- in the server


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    # rdflib's SPARQL grammar takes half a second to build: once, in the fork server
    ctx.set_forkserver_preload(["maalgraph.server.worker", "rdflib.plugins.sparql.parser"])
    return ctx


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
        parent, child = self._ctx.Pipe()
        self.process = self._ctx.Process(
            target=worker_main, args=(child, self.snapshot, self._query_memory), daemon=True
        )
        self.process.start()
        child.close()
        self.conn: Connection = parent
        try:
            ready = parent.recv() if parent.poll(self._start_timeout) else None
        except (EOFError, OSError):
            ready = None
        if not (isinstance(ready, tuple) and ready[0] == "ready"):
            self.stop()
            raise WorkerLost(
                f"a query worker did not start within {self._start_timeout:.0f} s",
                self.process.exitcode,
            )
        self.sandboxed = bool(ready[1])

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


class WorkerPool:
    """A fixed number of workers; requests wait for a free one without blocking the event loop."""

    def __init__(
        self,
        size: int,
        snapshot: Snapshot,
        *,
        query_memory: int = 0,
        start_timeout: float = 300.0,
    ):
        self.size = size
        self.snapshot = snapshot
        self.query_memory = query_memory
        self._ctx = _context()
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="maalgraph-query")
        self._workers = [
            Worker(self._ctx, snapshot, start_timeout, query_memory) for _ in range(size)
        ]
        self._idle: asyncio.Queue[Worker] | None = None
        self._lock = threading.Lock()

    def alive(self) -> int:
        return sum(w.process.is_alive() for w in self._workers)

    def sandboxed(self) -> bool:
        """Whether every worker runs without network."""
        return all(w.sandboxed for w in self._workers)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    async def run(self, job: Job, timeout: float) -> JobResult:
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
