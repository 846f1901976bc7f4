"""Where the endpoint's operations run: worker processes over the embedded store, or the
external SPARQL server that maalgraph is connected to. Either way every operation is first
checked in a worker (:mod:`maalgraph.server.checks`); the server process never parses it."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from ..api import MaalGraph
from ..errors import QueryError, StoreTimeout
from ..remote import RemoteStore
from ..store import OxigraphStore
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS
from .pool import WorkerPool
from .worker import JobResult, QueryJob, QueryTimeout, Snapshot, UpdateJob

MEDIA_TYPES = {f.key: f.media_type for f in (*RESULT_FORMATS, *GRAPH_FORMATS)}
# the server applies an update in a thread with this much stack: more than the worker that
# parsed it first had (8 MB), so an update that parsed there cannot overflow here
UPDATE_STACK_BYTES = 64 * 1024 * 1024


class Engine(Protocol):
    kg: MaalGraph
    pool: WorkerPool

    async def query(self, job: QueryJob, timeout: float) -> JobResult: ...

    async def update(self, job: UpdateJob, base_iri: str | None, timeout: float) -> JobResult: ...

    def health(self) -> dict[str, object]: ...

    def close(self) -> None: ...


# What one quad costs in an in-memory Oxigraph store, with room to spare (measured: about
# 350 bytes at 1M quads, including the strings).
BYTES_PER_QUAD = 400

T = TypeVar("T")


def _with_big_stack(function: Callable[[], T]) -> T:
    """Run ``function`` in a new thread with UPDATE_STACK_BYTES of stack; blocking."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as exc:  # noqa: BLE001  (re-raised in the caller's thread)
            outcome["error"] = exc

    with _STACK_SIZE:
        before = threading.stack_size(UPDATE_STACK_BYTES)
        try:
            thread = threading.Thread(target=run, name="maalgraph-update")
            thread.start()
        finally:
            threading.stack_size(before)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


_STACK_SIZE = threading.Lock()


class EmbeddedEngine:
    """Queries in a pool of worker processes reading a snapshot of the store; updates
    checked in a worker, applied in the server process, followed by a fresh snapshot.

    Each worker keeps the data in memory when it fits ``memory_per_worker`` bytes: lookups
    in memory are several times faster than in the on-disk store. Otherwise workers read the
    on-disk store (or a consistent backup of it). A query may take ``query_memory`` bytes
    more than that (0: no cap)."""

    def __init__(
        self,
        kg: MaalGraph,
        *,
        workers: int = 2,
        memory_per_worker: int = 1024 * 1024 * 1024,
        query_memory: int = 0,
        threads: int = 1,
    ):
        if not isinstance(kg.store, OxigraphStore):
            raise TypeError("EmbeddedEngine needs maalgraph's embedded store")
        self.kg = kg
        self.store: OxigraphStore = kg.store
        self.memory_per_worker = memory_per_worker
        self._tmp = Path(tempfile.mkdtemp(prefix="maalgraph-serve-"))
        self._generation = 0
        self._write_lock = threading.Lock()
        self.pool = WorkerPool(
            max(1, workers), self._snapshot(), query_memory=query_memory, threads=threads
        )

    def _snapshot(self) -> Snapshot:
        """A copy the workers can read while the server writes: an N-Quads dump they load
        into memory when it fits, else the on-disk store itself when nobody writes it, or a
        consistent backup of it."""
        self._generation += 1
        target = self._tmp / f"snapshot-{self._generation}"
        if self.store.path is None or len(self.store) * BYTES_PER_QUAD <= self.memory_per_worker:
            path = target.with_suffix(".nq")
            self.store.dump_nquads(path)
            return Snapshot(self._generation, "nquads", str(path))
        if self.store.read_only:
            return Snapshot(self._generation, "rocksdb", str(self.store.path))
        self.store.flush()
        self.store.backup(target)
        return Snapshot(self._generation, "rocksdb", str(target))

    async def query(self, job: QueryJob, timeout: float) -> JobResult:
        return await self.pool.run(job, timeout)

    async def update(self, job: UpdateJob, base_iri: str | None, timeout: float) -> JobResult:
        checked = await self.pool.run(job, timeout)
        if checked.error is None:
            await asyncio.to_thread(self._update, checked.text, base_iri)
        return checked

    def _update(self, text: str, base_iri: str | None) -> None:
        with self._write_lock:
            _with_big_stack(lambda: self.kg.update(text, base_iri=base_iri))
            old = self.pool.snapshot
            self.pool.snapshot = self._snapshot()
            if old.path.startswith(str(self._tmp)):
                # workers still reading it switch at their next query; remove it after that
                cleanup = threading.Timer(
                    600, shutil.rmtree, args=(old.path,), kwargs={"ignore_errors": True}
                )
                cleanup.daemon = True
                cleanup.start()

    def health(self) -> dict[str, object]:
        snapshot = self.pool.snapshot
        return {"workers": self.pool.size, "workers_alive": self.pool.alive(), "snapshot": snapshot.generation,
                "in_memory": snapshot.kind == "nquads", "worker_threads": self.pool.threads}  # fmt: skip

    def close(self) -> None:
        self.pool.close()
        shutil.rmtree(self._tmp, ignore_errors=True)


class RemoteEngine:
    """Operations checked in local workers (which hold no data), then forwarded to the
    external SPARQL server; its own limits apply."""

    def __init__(self, kg: MaalGraph, *, workers: int = 2, query_memory: int = 0):
        if not isinstance(kg.store, RemoteStore):
            raise TypeError("RemoteEngine needs a store connected with MaalGraph.connect")
        self.kg = kg
        self.store: RemoteStore = kg.store
        self.pool = WorkerPool(max(1, workers), Snapshot(0, "none"), query_memory=query_memory)

    async def query(self, job: QueryJob, timeout: float) -> JobResult:
        checked = await self.pool.run(job, timeout)
        if checked.error is not None:
            return checked
        return await asyncio.to_thread(self._query, job, checked.format_key, timeout)

    def _query(self, job: QueryJob, format_key: str, timeout: float) -> JobResult:
        """The query passed on as it came, in the negotiated format (the same transport as
        the store's own queries: one connection pool, the same credentials)."""
        fmt = next(f for f in (*RESULT_FORMATS, *GRAPH_FORMATS) if f.key == format_key)
        try:
            response = self.store.transport.query(
                self.store.query_url, job.query, accept=MEDIA_TYPES[format_key],
                default_graphs=job.default_graphs or (), named_graphs=job.named_graphs or (),
                timeout=timeout,
            )  # fmt: skip
        except QueryError as exc:
            return JobResult(error="syntax", status=400, message=str(exc)[:500])
        except StoreTimeout as exc:
            raise QueryTimeout(f"the SPARQL server did not answer within {timeout:g} s") from exc
        return JobResult(response.content, fmt.content_type)

    async def update(self, job: UpdateJob, base_iri: str | None, timeout: float) -> JobResult:
        checked = await self.pool.run(job, timeout)
        if checked.error is None:
            await asyncio.to_thread(self.kg.update, checked.text, base_iri=base_iri)
        return checked

    def health(self) -> dict[str, object]:
        return {"backend": self.store.query_url, "workers": self.pool.size,
                "workers_alive": self.pool.alive()}  # fmt: skip

    def close(self) -> None:
        self.pool.close()
        self.kg.close()
