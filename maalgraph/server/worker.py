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
import itertools
import logging
import multiprocessing
import queue
import signal
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from . import sandbox
from .jobs import JobResult, QueryJob, UpdateJob, run_query_job, run_update_check

__all__ = [
    "JobResult",
    "QueryJob",
    "Snapshot",
    "ThreadedWorker",
    "UpdateJob",
    "WorkerLost",
    "WorkerPool",
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
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        jobs.put(message)


_JOB_FAILED = "the query failed in the engine (forespørgslen mislykkedes)"


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


class _Running:
    """A threaded worker process as the server sees it: jobs sent with an id, answers
    matched to them by a reader thread. Once retired it takes no new jobs and is killed when
    the jobs it still runs have ended or been given up."""

    def __init__(self, ctx: Any, snapshot: Snapshot, start_timeout: float, query_memory: int,
                 threads: int):  # fmt: skip
        parent, child = ctx.Pipe()
        self.process = ctx.Process(
            target=worker_main, args=(child, snapshot, query_memory, threads), daemon=True
        )
        self.process.start()
        child.close()
        self.conn: Connection = parent
        self._pending: dict[int, Future[JobResult]] = {}
        self._lock = threading.Lock()
        self._retired = False
        try:
            ready = parent.recv() if parent.poll(start_timeout) else None
        except (EOFError, OSError):
            ready = None
        if not (isinstance(ready, tuple) and ready[0] == "ready"):
            self.kill()
            raise WorkerLost(
                f"a query worker did not start within {start_timeout:.0f} s", self.process.exitcode
            )
        self.sandboxed = bool(ready[1])
        threading.Thread(target=self._read, daemon=True, name="maalgraph-worker-reader").start()

    def submit(self, ident: int, job: Job, snapshot: Snapshot) -> Future[JobResult]:
        future: Future[JobResult] = Future()
        with self._lock:
            self._pending[ident] = future
            try:
                self.conn.send((ident, job, snapshot))
            except (EOFError, OSError):
                del self._pending[ident]
                raise
        return future

    def forget(self, ident: int) -> None:
        """Give up waiting for a job (past its time)."""
        with self._lock:
            self._pending.pop(ident, None)
            done = self._retired and not self._pending
        if done:
            self.kill()

    def retire(self) -> None:
        with self._lock:
            self._retired = True
            done = not self._pending
        if done:
            self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()

    def _read(self) -> None:
        while True:
            try:
                ident, result = self.conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._pending.pop(ident, None)
                done = self._retired and not self._pending
            if future is not None:
                future.set_result(result)
            if done:
                self.kill()
        self.process.join(5)
        with self._lock:
            lost, self._pending = list(self._pending.values()), {}
        exitcode = self.process.exitcode
        for future in lost:
            future.set_exception(WorkerLost(
                f"the query worker stopped (exit code {exitcode}); it has been replaced", exitcode
            ))  # fmt: skip
        self.conn.close()


class ThreadedWorker:
    """One worker process running up to ``threads`` jobs at once over one copy of the data
    (one in-memory store, or one RocksDB cache), as Oxigraph server does in one process.
    Its guarantees differ from a one-job worker's in one way: a query past its time cannot be
    stopped inside the process, so the process is retired (it takes no new job and is killed
    once its other jobs have ended, or run past their own time) and a fresh one takes new
    jobs at once; a crash, or a query over the process's memory cap (``threads`` × the
    memory one query may take), ends every job the process was running (each answered 503)."""

    def __init__(self, ctx: Any, snapshot: Snapshot, start_timeout: float, query_memory: int,
                 threads: int):  # fmt: skip
        self._ctx, self._start_timeout = ctx, start_timeout
        self._query_memory, self._threads = query_memory, threads
        self.snapshot = snapshot
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._running = self._start()
        self._retired: list[_Running] = []

    def _start(self) -> _Running:
        return _Running(self._ctx, self.snapshot, self._start_timeout, self._query_memory,
                        self._threads)  # fmt: skip

    @property
    def process(self) -> Any:
        return self._running.process

    @property
    def sandboxed(self) -> bool:
        return self._running.sandboxed

    def _replace(self, old: _Running) -> None:
        """A fresh process in place of ``old``, unless another job has replaced it already."""
        with self._lock:
            if self._running is old:
                self._retired = [r for r in self._retired if r.process.is_alive()] + [old]
                self._running = self._start()
        old.retire()

    def run(self, job: Job, snapshot: Snapshot, timeout: float) -> JobResult:
        """Blocking: send the job, wait at most ``timeout`` seconds for its answer."""
        with self._lock:
            running, ident = self._running, next(self._ids)
        self.snapshot = snapshot
        try:
            future = running.submit(ident, job, snapshot)
        except (EOFError, OSError) as exc:
            self._replace(running)
            raise WorkerLost(
                "the query worker had stopped; it has been replaced", running.process.exitcode
            ) from exc
        try:
            return future.result(timeout)
        except FutureTimeout:
            running.forget(ident)
            self._replace(running)
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped") from None
        except WorkerLost:
            self._replace(running)
            raise

    def stop(self) -> None:
        for running in (*self._retired, self._running):
            running.kill()
            running.process.join(5)


class WorkerPool:
    """A fixed number of workers; requests wait for a free one without blocking the event loop.
    With ``threads`` > 1 each worker process runs that many jobs at once over one copy of the
    data (:class:`ThreadedWorker`)."""

    def __init__(
        self,
        size: int,
        snapshot: Snapshot,
        *,
        query_memory: int = 0,
        start_timeout: float = 300.0,
        threads: int = 1,
    ):
        self.size = size
        self.threads = max(1, threads)
        self.snapshot = snapshot
        self.query_memory = query_memory
        self._ctx = _context()
        self._threads = ThreadPoolExecutor(
            max_workers=size * self.threads, thread_name_prefix="maalgraph-query"
        )
        self._workers: list[Worker | ThreadedWorker] = [
            ThreadedWorker(self._ctx, snapshot, start_timeout, query_memory, self.threads)
            if self.threads > 1
            else Worker(self._ctx, snapshot, start_timeout, query_memory)
            for _ in range(size)
        ]
        self._idle: asyncio.Queue[Worker | ThreadedWorker] | None = None
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
            for _ in range(self.threads):  # a threaded worker: one place per thread
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
