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
- the targets of issue 15 with the measured values.

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

import pyoxigraph as ox
import synthetic

from maalgraph import IngestReport, MaalGraph
from maalgraph.pipeline import default_workers

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = 20_000  # documents of a national archive
TARGET_RATE, TARGET_RATIO, TARGET_ARCHIVE_S = 20.0, 3.0, 20 * 60


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


def report(
    run: Run, bulk_s: float, phase_ms: tuple[dict[str, float], dict[str, float]], sample: int
) -> str:
    wall, cpu = phase_ms
    rate = run.documents / run.seconds
    ratio = run.seconds / bulk_s
    archive_s = (
        run.seconds + (ARCHIVE - run.documents) / run.halves[1]
        if run.documents < ARCHIVE
        else run.seconds
    )
    cores = os.cpu_count() or 1
    linking = (run.relink_s * 1000) / run.documents
    cpu_total = sum(cpu.values()) + linking
    bound = 1000 * cores / cpu_total  # documents/s if every core did only this
    lines = [
        f"Ingest of {run.documents:,} synthetic documents ({run.documents // 2:,} follow-ups, each with the agenda item "
        f"that approves it) into an on-disk store, {run.workers} worker processes reading while the main process "
        f"writes, on {os.cpu_count()} cores: {run.seconds:.1f} s = **{rate:.1f} documents/s**, "
        f"{run.triples / run.seconds:,.0f} triples/s ({run.triples:,} triples; {run.quads:,} quads with the "
        f"ontology and the derived graphs; {run.failed} failed). First half {run.halves[0]:.1f} documents/s, second "
        f"half {run.halves[1]:.1f}. The main process spent {run.write_s:.1f} s writing (one transaction per "
        f"document; {run.write_cpu_s:.1f} s of CPU) and {run.relink_s:.1f} s relinking. The machine's load average (1 minute) was "
        f"{run.load[0]:.1f} before and {run.load[1]:.1f} after, on {cores} cores.",
        "",
        f"pyoxigraph `Store.bulk_load` of the same quads (N-Quads dump) into an empty on-disk store: {bulk_s:.1f} s; "
        f"**ingest ÷ bulk_load = {ratio:.1f}×**.",
        "",
        f"20,000 documents extrapolated (the second half's rate after the first {run.documents:,}): "
        f"**{archive_s / 60:.1f} min**.",
        "",
        f"Per document, in one process (mean of {sample} documents; ms; CPU time counts this process's "
        "threads, RocksDB's included, and is what other load on the machine does not inflate):",
        "",
        "| phase | wall ms | CPU ms |",
        "|---|---:|---:|",
        *(f"| {k} | {wall[k]:.1f} | {cpu[k]:.1f} |" for k in wall),
        f"| relinking (the whole run's wall time per document, in both totals) | {linking:.1f} | – |",
        f"| total | {sum(wall.values()) + linking:.1f} | {cpu_total:.1f} |",
        "",
        f"With {cores} cores doing nothing else, that CPU time bounds the ingest at **{bound:.0f} documents/s**.",
        "",
        f"Targets: ≥ {TARGET_RATE:.0f} documents/s: {rate:.1f} ({'holds' if rate >= TARGET_RATE else 'missed'}); "
        f"≤ {TARGET_RATIO:.0f}× bulk_load: {ratio:.1f}× ({'holds' if ratio <= TARGET_RATIO else 'missed'}); "
        f"20,000 documents < 20 min: {archive_s / 60:.1f} min "
        f"({'holds' if archive_s < TARGET_ARCHIVE_S else 'missed'}).",
    ]
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


def benchmark(documents: int, workers: int | None = None, sample: int = 60) -> str:
    """The whole benchmark in a scratch folder: the report's text (also printed)."""
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
        return report(run, bulk_s, phase_ms, min(sample, len(paths)))
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
    text = benchmark(args.documents, args.workers, args.sample)
    if not args.no_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
