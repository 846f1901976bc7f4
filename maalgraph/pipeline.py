"""From a file to what the store takes: read, extract, build the quads, check the shapes.

One document at a time in this process (:class:`Pipeline`), or many files in worker
processes (:func:`prepare_many`): parsing and extraction are most of an ingest and one
process uses one core. Workers never touch the store: they return each document's quads as
N-Quads, and :class:`maalgraph.MaalGraph` writes them in the parent, in input order, one
transaction per document. A worker that fails on a document reports that document's error;
a worker that dies (killed, out of memory) fails the documents it was reading, and a new
pool reads the rest.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import IngestError, ValidationError
from .i18n import N_

if TYPE_CHECKING:
    from .ingest import Extractor
    from .links import LinkInputs
    from .shapes import ShapeCheck
    from .triples import QuadBuilder

# fewer files than this are read in this process: starting a worker (Python, spaCy and the
# vocabulary) costs about as much as reading ten follow-ups
PARALLEL_FROM = 12
MAX_WORKERS = 8


@dataclass
class Prepared:
    """One document read, built and checked: ready to be written in one transaction."""

    path: Path
    document_id: str
    kind: str
    graph: str
    nquads: bytes  # its own facts in ``graph``, facts about shared things in the registry
    triples: int
    warnings: list[str] = field(default_factory=list)
    links: LinkInputs | None = None  # what relinking reads of it, so the writer need not query


@dataclass(frozen=True)
class Settings:
    """What a worker process needs to read documents as this process would."""

    base_iri: str
    gazetteer: str | None
    max_bytes: int


class Pipeline:
    """Read, extract, build and check one document (nothing is stored)."""

    def __init__(self, extractor: Extractor, builder: QuadBuilder, shapes: ShapeCheck):
        self.extractor = extractor
        self.builder = builder
        self.shapes = shapes

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        from .ingest import Extractor
        from .ingest.gazetteer import Gazetteer
        from .namespaces import IriMinter
        from .shapes import ShapeCheck
        from .triples import QuadBuilder

        gazetteer = Gazetteer.load(settings.gazetteer)
        return cls(
            Extractor(gazetteer), QuadBuilder(IriMinter(settings.base_iri), gazetteer),
            ShapeCheck.load(),
        )  # fmt: skip

    def prepare(self, path: str | Path, max_bytes: int) -> Prepared:
        """The document's quads, or IngestError / ValidationError naming what is wrong."""
        from .ingest import parse_document
        from .links import LinkInputs
        from .triples import document_id

        parsed = parse_document(path, self.extractor, max_bytes=max_bytes)
        quads = self.builder.document(parsed)
        report = self.shapes.check(quads.triples)
        if not report.conforms:
            raise ValidationError(
                N_(
                    "{path}: the extracted graph violates {violations} SHACL constraints; "
                    "nothing was stored (details in the report)"
                ),
                report.text(),
                path=str(parsed.source.path),
                violations=report.violations,
            )
        return Prepared(
            path=parsed.source.path, document_id=document_id(parsed.source.path),
            kind=parsed.kind, graph=quads.graph, nquads=quads.nquads(), triples=len(quads),
            warnings=parsed.warnings, links=LinkInputs.from_facts(quads.triples),
        )  # fmt: skip


def default_workers(files: int) -> int:
    """Worker processes for ``files`` files: none for a few, else one per core (at most 8)."""
    cores = os.cpu_count() or 1
    if files < PARALLEL_FROM or cores < 2:
        return 0
    return min(cores, MAX_WORKERS, files)


# ---------------------------------------------------------------------- worker processes

_pipeline: Pipeline | None = None


def _start_worker(settings: Settings) -> None:
    global _pipeline
    _exit_with_parent()
    _pipeline = Pipeline.from_settings(settings)
    _pipeline.extractor.judge(["Målet er opfyldt."])  # spaCy's lookups now, not in a document


def _exit_with_parent() -> None:
    """A worker whose parent died (kill -9) stops: nobody will ask it for anything again."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="maalgraph-parent-watch", daemon=True).start()


def _prepare_in_worker(path: str, max_bytes: int) -> Prepared:
    assert _pipeline is not None, "worker started without its pipeline"
    return _pipeline.prepare(path, max_bytes)


def _ready() -> bool:
    return _pipeline is not None


def prepare_many(
    paths: Iterable[Path], settings: Settings, workers: int
) -> Iterator[tuple[Path, Prepared | Exception]]:
    """Each path with its prepared document or its error, in input order, read by ``workers``
    processes (a few documents ahead of the one being written). When the workers cannot
    start at all, the documents are read in this process instead."""
    todo = deque(paths)
    context = multiprocessing.get_context("forkserver")
    window = 3 * workers  # documents in flight: enough to keep the workers busy, bounded memory
    while todo:
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                   initargs=(settings,))  # fmt: skip
        try:
            started = all(f.result() for f in [pool.submit(_ready) for _ in range(workers)])
        except BrokenProcessPool:
            started = False
        if not started:
            pool.shutdown(wait=True, cancel_futures=True)
            yield from _prepare_here(todo, settings)
            return
        pending: deque[tuple[Path, Future[Prepared]]] = deque()
        broken = False
        try:
            while todo or pending:
                while todo and len(pending) < window and not broken:
                    path = todo.popleft()
                    pending.append(
                        (path, pool.submit(_prepare_in_worker, str(path), settings.max_bytes))
                    )
                if not pending:
                    break
                path, future = pending.popleft()
                try:
                    outcome: Prepared | Exception = future.result()
                except BrokenProcessPool as exc:
                    broken = True  # the documents in flight fail; a new pool reads the rest
                    outcome = IngestError(
                        N_(
                            "the process reading this document stopped unexpectedly "
                            "({reason}); nothing of it was stored — ingest it again"
                        ),
                        path=path,
                        reason=str(exc) or N_("killed or out of memory"),
                    )
                except Exception as exc:  # the document's own error, raised in the worker
                    outcome = exc
                yield path, outcome
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _prepare_here(
    paths: Iterable[Path], settings: Settings
) -> Iterator[tuple[Path, Prepared | Exception]]:
    pipeline = Pipeline.from_settings(settings)
    for path in paths:
        try:
            outcome: Prepared | Exception = pipeline.prepare(path, settings.max_bytes)
        except Exception as exc:
            outcome = exc
        yield path, outcome
