"""The ingest benchmark: synthetic follow-ups and agenda items (benchmarks/synthetic.py, 10
budget years per municipality) through ``MaalGraph.ingest_many`` into an on-disk store, side by
side with pyoxigraph's ``Store.bulk_load`` of the same quads on disk, in the same run.

It prints, and writes to the ingest section of docs/scale.md (unless --no-docs):
- the time of each phase per document (reading and extraction, building the quads, the shape
  check, N-Quads, what relinking reads of the document, the write in one transaction)
  measured in this process on a sample;
- the whole ingest: documents/s, triples/s, its first and second half, the worker processes,
  the time spent writing, relinking and compacting;
- the ratio to ``bulk_load`` of the store's quads (an N-Quads dump) into an empty store;
- 20,000 documents (a national archive: 98 municipalities × ~20 service areas × 10 years)
  extrapolated from the second half's rate;
- the targets of issue 15 with the measured values (benchmarks/targets.py).

Run: .venv/bin/python benchmarks/ingest.py --documents 2000 [--workers N] [--no-docs]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import synthetic
import targets

from maalgraph import IngestReport, MaalGraph
from maalgraph.pipeline import default_workers

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = 20_000  # documents of a national archive
# the limits of issue 15's ingest targets (benchmarks/targets.toml)
TARGET_RATE = float(targets.TARGETS["ingest_rate"]["limit"])  # documents/s
TARGET_RATIO = float(targets.TARGETS["ingest_ratio"]["limit"])  # × bulk_load
TARGET_ARCHIVE_S = 60 * float(targets.TARGETS["ingest_archive"]["limit"])  # minutes


def generate(folder: Path, documents: int) -> list[Path]:
    """``documents`` synthetic files: each municipality's follow-up and agenda item for ten years."""
    folder.mkdir(parents=True)
    municipalities = max(1, -(-documents // 20))
    paths = []
    for name, text in synthetic.documents(municipalities=municipalities, years=10):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        if len(paths) == documents:
            break
    return paths


def phases(paths: list[Path], store: Path) -> tuple[dict[str, float], dict[str, float]]:
    """Milliseconds per document of each phase, in this process, on ``paths``: wall time, and
    CPU time (this process's threads: RocksDB's too), which other load on the machine does not
    inflate."""
    from maalgraph.links import LinkInputs
    from maalgraph.pipeline import Pipeline
    from maalgraph.shapes import ShapeCheck

    keys = ("read and extract", "build quads", "shape check", "N-Quads", "link inputs", "write")
    times: dict[str, list[float]] = {k: [] for k in keys}
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    with MaalGraph.open(store) as kg:
        pipeline = Pipeline(kg.extractor, kg._quad_builder, ShapeCheck.load())
        kg.parse(paths[0])  # spaCy loaded before the clock runs
        from maalgraph.ingest import parse_document

        for path in paths:
            marks = [(time.perf_counter(), time.process_time())]
            parsed = parse_document(path, pipeline.extractor)
            marks.append((time.perf_counter(), time.process_time()))
            quads = pipeline.builder.document(parsed)
            marks.append((time.perf_counter(), time.process_time()))
            assert pipeline.shapes.check(quads.triples).conforms
            marks.append((time.perf_counter(), time.process_time()))
            data = quads.nquads()
            marks.append((time.perf_counter(), time.process_time()))
            LinkInputs.from_facts(quads.triples)
            marks.append((time.perf_counter(), time.process_time()))
            kg.store.write_document(quads.graph, data)
            marks.append((time.perf_counter(), time.process_time()))
            for key, (a, b) in zip(keys, zip(marks, marks[1:], strict=False), strict=True):
                times[key].append((b[0] - a[0]) * 1000)
                cpu[key].append((b[1] - a[1]) * 1000)
    return ({k: statistics.mean(v) for k, v in times.items()},
            {k: statistics.mean(v) for k, v in cpu.items()})  # fmt: skip


@dataclass
class Run:
    documents: int
    workers: int
    seconds: float
    triples: int
    quads: int
    failed: int
    write_s: float
    write_cpu_s: float  # CPU time of this process while writing (RocksDB's threads included)
    relink_s: float
    halves: tuple[float, float]  # documents/s in the first and second half
    load: tuple[float, float] = (0.0, 0.0)  # the machine's 1-minute load average before, after
    peak_writes: list[float] = field(default_factory=list)


def ingest(paths: list[Path], store: Path, workers: int | None) -> Run:
    """The whole ingest, timed as a user waits for it (worker start-up, linking, compaction)."""
    done: list[float] = []
    failed = 0

    def on_done(_: Path, outcome: IngestReport | Exception) -> None:
        nonlocal failed
        done.append(time.perf_counter())
        failed += isinstance(outcome, Exception)

    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with MaalGraph.open(store) as kg:
        write, writing = kg.store.write_document, [0.0, 0.0]

        def timed_write(graph: str, nquads: bytes) -> bool:
            t, cpu = time.perf_counter(), time.process_time()
            try:
                return write(graph, nquads)
            finally:
                writing[0] += time.perf_counter() - t
                writing[1] += time.process_time() - cpu

        relink, relinking = kg._relink, [0.0]

        def timed_relink(*args: object) -> list[str]:
            t = time.perf_counter()
            try:
                return relink(*args)  # type: ignore[arg-type]
            finally:
                relinking[0] += time.perf_counter() - t

        kg.store.write_document = timed_write  # type: ignore[method-assign]
        kg._relink = timed_relink  # type: ignore[method-assign]
        chosen = default_workers(len(paths)) if workers is None else workers
        reports = kg.ingest_many(paths, workers=chosen, on_done=on_done)
        seconds = time.perf_counter() - start
        quads = len(kg.store)
    half = len(done) // 2
    first = half / (done[half - 1] - start) if half else 0.0
    second = (len(done) - half) / (done[-1] - done[half - 1]) if len(done) > half + 1 else first
    return Run(len(paths), chosen, seconds, sum(r.triples for r in reports), quads, failed,
               writing[0], writing[1], relinking[0], (first, second), (load_before, os.getloadavg()[0]))  # fmt: skip


def fixture(paths: list[Path], store: Path, workers: int | None = None) -> dict[str, float]:
    """A benchmark store of ``paths`` built fast: the documents read, built and checked by
    worker processes as the ingest reads them (``maalgraph.pipeline``), their quads written
    with one ``Store.bulk_load``, then the links relinked from what the workers read, as the
    ingest relinks a batch of new documents. The content equals what ``ingest_many`` writes
    (tests/test_benchmark_targets.py checks it on a small scale); the per-document
    transactions, which a fixture does not need, are left out. Seconds of each step."""
    from maalgraph.ingest.reading import DEFAULT_MAX_BYTES
    from maalgraph.links import Batch
    from maalgraph.pipeline import Settings, prepare_many

    times: dict[str, float] = {}
    start = time.perf_counter()
    with MaalGraph.open(store) as kg:
        known = {}
        nquads = store.parent / f"{store.name}-documents.nq"
        with nquads.open("wb") as out:
            chosen = default_workers(len(paths)) if workers is None else workers
            settings = Settings(kg.iris.base, None, DEFAULT_MAX_BYTES)
            for path, document in prepare_many(paths, settings, chosen):
                if isinstance(document, Exception):
                    raise document
                if document.graph in known or document.links is None:
                    raise SystemExit(f"benchmarks/ingest.py: {path} cannot be bulk loaded")
                known[document.graph] = document.links
                out.write(document.nquads)
        times["read, extract, build and check"] = time.perf_counter() - start
        mark = time.perf_counter()
        kg._pending.set()  # as the ingest marks a change of documents until it is relinked
        kg.store._store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        times["bulk_load"] = time.perf_counter() - mark
        mark = time.perf_counter()
        scopes = kg._document_scopes()
        kg._relink(list(scopes.values()), scopes, Batch(known, frozenset(known)))
        kg.store.optimize()
        kg._pending.clear()
        times["relink and compact"] = time.perf_counter() - mark
        nquads.unlink()
    times["total"] = time.perf_counter() - start
    return times


def bulk_load(store: Path, work: Path) -> float:
    """Seconds for pyoxigraph's bulk_load of the ingested store's quads into an empty store on
    disk (from an N-Quads file, as a bulk load is fed)."""
    dump = work / "dump.nq"
    with MaalGraph.open(store, read_only=True) as kg:
        kg.store.dump_nquads(dump)
    target = work / "bulk"
    start = time.perf_counter()
    loaded = ox.Store(str(target))
    loaded.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    loaded.flush()
    seconds = time.perf_counter() - start
    del loaded
    return seconds


@dataclass
class Measured:
    """What one ingest benchmark measured: the whole run, bulk_load of the same quads, and the
    phases per document on a sample (wall and CPU ms)."""

    run: Run
    bulk_s: float
    wall: dict[str, float]
    cpu: dict[str, float]
    sample: int
    text: str = ""

    def figures(self) -> dict[str, Any]:
        """The figures the report and the targets table (benchmarks/targets.py) use."""
        run, docs = self.run, self.run.documents
        archive_s = (
            run.seconds + (ARCHIVE - docs) / run.halves[1] if docs < ARCHIVE else run.seconds
        )
        relink_ms = run.relink_s * 1000 / docs
        cpu_ms = sum(self.cpu.values()) + relink_ms
        cores = os.cpu_count() or 1
        # the two stages run side by side: the writer (this process) and the workers
        writer_ms = (run.write_s + run.relink_s) * 1000 / docs
        workers_ms = sum(v for k, v in self.wall.items() if k != "write") / max(run.workers, 1)
        return {
            "slower_ms": max(writer_ms, workers_ms), "faster_ms": min(writer_ms, workers_ms),
            "bottleneck": "the writer (a transaction per document, then relinking)" if writer_ms >= workers_ms
            else "the workers (reading, extraction, quads, shape check)",
            "documents": docs, "seconds": run.seconds, "rate": docs / run.seconds,
            "triples": run.triples, "quads": run.quads, "second_half": run.halves[1],
            "bulk_s": self.bulk_s, "ratio": run.seconds / self.bulk_s,
            "bulk_ms": self.bulk_s * 1000 / docs, "bulk_rate": docs / self.bulk_s,
            "archive_min": archive_s / 60, "bulk_archive_min": ARCHIVE * self.bulk_s / docs / 60,
            "archive_rate": ARCHIVE / TARGET_ARCHIVE_S,
            "write_ms": run.write_s * 1000 / docs, "write_cpu_ms": run.write_cpu_s * 1000 / docs,
            "write_share": run.write_s / run.seconds, "write_vs_bulk": run.write_s / self.bulk_s,
            "sample_write_ms": self.wall["write"], "extract_ms": self.wall["read and extract"],
            "check_ms": self.wall["shape check"],
            "build_ms": sum(v for k, v in self.wall.items() if k not in ("read and extract", "shape check", "write")),
            "relink_ms": relink_ms, "cpu_ms": cpu_ms, "cores": cores, "cpu_bound": 1000 * cores / cpu_ms,
            "load_before": run.load[0], "load_after": run.load[1],
            # the writer's time per document at the target rate (it is the serial part), and
            # the whole ingest's time per document at 3× bulk_load
            "rate_write_budget_ms": 1000 / TARGET_RATE, "ratio_budget_ms": TARGET_RATIO * self.bulk_s * 1000 / docs,
        }  # fmt: skip


def report(m: Measured) -> str:
    run, f, wall, cpu = m.run, m.figures(), m.wall, m.cpu
    lines = [
        f"Ingest of {run.documents:,} synthetic documents ({run.documents // 2:,} follow-ups, each with the agenda item "
        f"that approves it) into an on-disk store, {run.workers} worker processes reading while the main process "
        f"writes, on {f['cores']:.0f} cores: {run.seconds:.1f} s = **{f['rate']:.1f} documents/s**, "
        f"{run.triples / run.seconds:,.0f} triples/s ({run.triples:,} triples; {run.quads:,} quads with the "
        f"ontology and the derived graphs; {run.failed} failed). First half {run.halves[0]:.1f} documents/s, second "
        f"half {run.halves[1]:.1f}. The main process spent {run.write_s:.1f} s writing (one transaction per "
        f"document; {run.write_cpu_s:.1f} s of CPU) and {run.relink_s:.1f} s relinking. The machine's load average (1 minute) was "
        f"{run.load[0]:.1f} before and {run.load[1]:.1f} after, on {f['cores']:.0f} cores.",
        "",
        f"pyoxigraph `Store.bulk_load` of the same quads (N-Quads dump) into an empty on-disk store: {m.bulk_s:.1f} s "
        f"({f['bulk_ms']:.1f} ms per document); **ingest ÷ bulk_load = {f['ratio']:.1f}×**; the writing alone "
        f"{f['write_vs_bulk']:.1f}× bulk_load.",
        "",
        f"20,000 documents extrapolated (the second half's rate after the first {run.documents:,}): "
        f"**{f['archive_min']:.1f} min**.",
        "",
        f"Per document, in one process (mean of {m.sample} documents; ms; CPU time counts this process's "
        "threads, RocksDB's included, and is what other load on the machine does not inflate):",
        "",
        "| phase | wall ms | CPU ms |",
        "|---|---:|---:|",
        *(f"| {k} | {wall[k]:.1f} | {cpu[k]:.1f} |" for k in wall),
        f"| relinking (the whole run's wall time per document, in both totals) | {f['relink_ms']:.1f} | – |",
        f"| total | {sum(wall.values()) + f['relink_ms']:.1f} | {f['cpu_ms']:.1f} |",
        "",
        f"With {f['cores']:.0f} cores doing nothing else, that CPU time bounds the ingest at "
        f"**{f['cpu_bound']:.0f} documents/s**. Its targets are in the targets table of the scale "
        "section of the same run.",
    ]  # fmt: skip
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    return text


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "scale.md"
    current = path.read_text(encoding="utf-8")
    start, end = "<!-- ingest:figures -->", "<!-- /ingest:figures -->"
    block = f"{start}\n{text}\n{end}"
    if start in current:
        current = re.sub(
            re.escape(start) + r".*?" + re.escape(end), lambda _: block, current, flags=re.S
        )
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")
    print(f"\nwrote {path}")


def benchmark(documents: int, workers: int | None = None, sample: int = 60) -> Measured:
    """The whole benchmark in a scratch folder: its figures and its report (also printed)."""
    work = Path(tempfile.mkdtemp(prefix="maalgraph-bench-ingest-"))
    try:
        paths = generate(work / "docs", documents)
        print(f"\n== ingest: {len(paths)} documents generated; phases on {sample} …", flush=True)
        phase_ms = phases(paths[:sample], work / "sample")
        print(
            f"   ingest with {workers if workers is not None else 'default'} workers …", flush=True
        )
        run = ingest(paths, work / "store", workers)
        print(
            f"   {run.documents / run.seconds:.1f} documents/s; bulk_load of the same quads …",
            flush=True,
        )
        bulk_s = bulk_load(work / "store", work)
        measured = Measured(run, bulk_s, *phase_ms, sample=min(sample, len(paths)))
        measured.text = report(measured)
        return measured
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    parser.add_argument("--sample", type=int, default=60, help="documents timed phase by phase")
    parser.add_argument(
        "--no-docs", action="store_true", help="print only; leave docs/scale.md alone"
    )
    args = parser.parse_args()
    measured = benchmark(args.documents, args.workers, args.sample)
    print("\n".join(targets.render(targets.ingest_rows(measured.figures()), measured.figures())))
    if not args.no_docs:
        write_docs(measured.text)


if __name__ == "__main__":
    main()
