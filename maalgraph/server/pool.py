"""The pool of query workers: requests wait for a free place without blocking the event loop.

A place is a one-job worker (:class:`maalgraph.server.worker.Worker`), or one of the threads of
a :class:`ThreadedWorker`, a process that runs several jobs at once over its one copy of the
data (``maalgraph serve --worker-threads``).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from .worker import (
    Job,
    JobResult,
    QueryTimeout,
    Snapshot,
    Worker,
    WorkerLost,
    start_worker,
    worker_context,
)

__all__ = ["ThreadedWorker", "WorkerPool"]


class _Running:
    """A threaded worker process as the server sees it: jobs sent with an id, answers
    matched to them by a reader thread. Once retired it takes no new jobs and is killed when
    the jobs it still runs have ended or been given up."""

    def __init__(self, ctx: Any, snapshot: Snapshot, start_timeout: float, query_memory: int,
                 threads: int):  # fmt: skip
        self.process, self.conn, self.sandboxed = start_worker(
            ctx, snapshot, start_timeout, query_memory, threads
        )
        self._pending: dict[int, Future[JobResult]] = {}
        self._lock = threading.Lock()
        self._retired = False
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
        self._ctx = worker_context()
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
