"""Documents read in worker processes and written in this one: the same store as reading
them here, in input order; a document that fails (in a worker, or because its worker dies)
fails alone and leaves the store as it was; a writer killed with kill -9 in the middle of a
batch leaves every document whole or absent and no derived fact stale."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from maalgraph import IngestError, IngestReport, MaalGraph
from maalgraph.errors import ValidationError
from maalgraph.i18n import N_, error_text
from maalgraph.pipeline import default_workers

DATA = Path(__file__).parent / "data"
FILES = sorted(p for p in (DATA / "corpus").iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf")) + [
    DATA / "followup-vejle-2021.txt", DATA / "agenda-vejle-2022.txt"]  # fmt: skip
SKIP_GRAPHS = ("/graph/ontology", "/graph/status")  # the ontology's blank nodes; the mark


def graphs(kg: MaalGraph) -> dict[str, set[str]]:
    """Each graph's quads as text (the ontology and the pending mark left out)."""
    out: dict[str, set[str]] = {}
    for q in kg.store._store:  # type: ignore[attr-defined]
        name = q.graph_name.value  # type: ignore[union-attr]
        if not name.endswith(SKIP_GRAPHS):
            out.setdefault(name, set()).add(str(q))
    return out


def summary(report: IngestReport) -> tuple[object, ...]:
    return (
        report.path.name,
        report.kind,
        report.graph,
        report.triples,
        report.warnings,
        report.replaced,
    )


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, set[str]], list[tuple[object, ...]]]:
    """The files ingested in this process, one after the other."""
    with MaalGraph.open(tmp_path_factory.mktemp("reference") / "store") as kg:
        reports = kg.ingest_many(FILES, workers=0)
        return graphs(kg), [summary(r) for r in reports]


def test_workers_give_the_same_store_and_reports(
    tmp_path: Path, reference: tuple[dict[str, set[str]], list[tuple[object, ...]]]
) -> None:
    with MaalGraph.open(tmp_path / "store") as kg:
        reports = kg.ingest_many(FILES, workers=2)
        assert graphs(kg) == reference[0]
    assert [summary(r) for r in reports] == reference[1]  # in input order


def test_many_files_use_workers_on_several_cores() -> None:
    assert default_workers(3) == 0
    assert default_workers(1000) == (
        min(os.cpu_count() or 1, 8) if (os.cpu_count() or 1) > 1 else 0
    )


def test_a_failing_document_in_a_parallel_batch_fails_alone(
    tmp_path: Path, reference: tuple[dict[str, set[str]], list[tuple[object, ...]]]
) -> None:
    """The broken version of a stored document is reported in its place in the order, and its
    stored version is left as it was; the documents around it are written."""
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(DATA / "followup-vejle-2021.txt", tmp_path / "followup-vejle-2021.txt")
    (broken / "followup-vejle-2021.txt").write_bytes(b"\x00\x01 not a document \xff" * 10)
    with MaalGraph.open(tmp_path / "store") as kg:
        kg.ingest(tmp_path / "followup-vejle-2021.txt")
        stored = graphs(kg)[kg.iris.graph("followup-vejle-2021")]
        batch = [*FILES[:4], broken / "followup-vejle-2021.txt", *FILES[4:-2], FILES[-1]]
        seen: list[tuple[str, bool]] = []
        errors: list[Exception] = []

        def done(path: Path, outcome: IngestReport | Exception) -> None:
            seen.append((path.name, isinstance(outcome, Exception)))
            errors.extend([outcome] if isinstance(outcome, Exception) else [])

        kg.ingest_many(batch, workers=2, on_done=done)
        assert seen == [(p.name, p.parent == broken) for p in batch]
        # the worker's error arrives whole: its place, and its Danish phrasing at the edge
        (error,) = errors
        assert isinstance(error, IngestError) and error.path == str(batch[4])
        assert error_text(error).startswith(str(batch[4])) and error_text(error) != str(error)
        after = graphs(kg)
        assert after[kg.iris.graph("followup-vejle-2021")] == stored
        for path in batch:
            if path.parent != broken:
                graph = kg.iris.graph(path.stem.lower())
                assert after[graph] == reference[0][graph]
        assert all(r.conforms for r in kg.validate())


def test_errors_cross_processes_whole() -> None:
    """What a worker raises is pickled to the writer: template, values, place and report."""
    errors = [
        IngestError(N_("file is empty"), path="a/b.txt", line=3),
        ValidationError(
            N_(
                "{path}: the extracted graph violates {violations} SHACL constraints; "
                "nothing was stored (details in the report)"
            ),
            "the report",
            path="a/b.txt",
            violations=2,
        ),
    ]
    for error in errors:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and copy.args == error.args
        assert (str(copy), copy.template, copy.details) == (
            str(error),
            error.template,
            error.details,
        )
        assert vars(copy) == vars(error)
        assert error_text(copy) == error_text(error) != str(error)


def _children(pid: int) -> list[int]:
    return [
        int(c)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for c in (task / "children").read_text().split()
    ]


def _workers() -> list[int]:
    """The worker processes: the children of the forkserver this process started."""
    servers = [
        p
        for p in _children(os.getpid())
        if b"forkserver" in Path(f"/proc/{p}/cmdline").read_bytes()
    ]
    return [w for server in servers for w in _children(server)]


def test_a_worker_killed_in_a_batch_fails_only_the_documents_it_was_reading(
    tmp_path: Path, reference: tuple[dict[str, set[str]], list[tuple[object, ...]]]
) -> None:
    outcomes: dict[str, IngestReport | Exception] = {}
    killed: list[int] = []

    def done(path: Path, outcome: IngestReport | Exception) -> None:
        outcomes[path.name] = outcome
        if len(outcomes) == 2:  # the workers are busy with the next documents: kill them
            for pid in _workers():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    with MaalGraph.open(tmp_path / "store") as kg:
        kg.ingest_many(FILES, workers=2, on_done=done)
        failed = {n for n, o in outcomes.items() if isinstance(o, Exception)}
        assert killed and failed, "no worker was killed while reading"
        assert all(
            isinstance(outcomes[n], IngestError) and "stopped unexpectedly" in str(outcomes[n])
            for n in failed
        )
        assert len(outcomes) == len(FILES)
        stored = graphs(kg)
        for path in FILES:
            graph = kg.iris.graph(path.stem.lower())
            if path.name in failed:
                assert graph not in stored
            else:
                assert stored[graph] == reference[0][graph]
        assert all(r.conforms for r in kg.validate())


# the writer: ingests with two workers, and is killed (SIGKILL) after its n-th document write
# ("after") or at a moment during the batch ("timer", seconds)
KILLED_INGEST = textwrap.dedent(
    """
    import os, signal, sys, threading
    from pathlib import Path
    from maalgraph import MaalGraph

    def main():
        store, how, when, *files = sys.argv[1:]
        kg = MaalGraph.open(store)
        write = kg.store.write_document
        written = []

        def write_document(graph, nquads):
            replaced = write(graph, nquads)
            written.append(graph)
            if how == "after" and len(written) == int(when):
                os.kill(os.getpid(), signal.SIGKILL)
            return replaced

        kg.store.write_document = write_document
        if how == "timer":
            threading.Timer(float(when), os.kill, (os.getpid(), signal.SIGKILL)).start()
        kg.ingest_many(files, workers=2)
        os.kill(os.getpid(), signal.SIGKILL)  # the batch ended before the timer: die all the same

    if __name__ == "__main__":
        main()
    """
)


@pytest.mark.parametrize(("how", "when"), [("after", "3"), ("timer", "7.5")])
def test_a_writer_killed_in_a_parallel_batch_leaves_whole_documents(
    tmp_path: Path,
    reference: tuple[dict[str, set[str]], list[tuple[object, ...]]],
    how: str,
    when: str,
) -> None:
    script = tmp_path / "killed_ingest.py"
    script.write_text(KILLED_INGEST, encoding="utf-8")
    path = tmp_path / "store"
    child = subprocess.run([sys.executable, str(script), str(path), how, when, *map(str, FILES)],
                           capture_output=True, text=True, timeout=600)  # fmt: skip
    assert child.returncode == -9, child.stderr
    time.sleep(0.5)  # its worker processes see their parent gone and stop
    with MaalGraph.open(path, read_only=True) as kg:  # the interrupted change is finished here
        stored = graphs(kg)
        documents = [
            g
            for g in stored
            if "/graph/" in g and not g.endswith(("/registry",)) and "/derived/" not in g
        ]
        assert how != "after" or len(documents) == int(when)
        for graph in documents:
            assert stored[graph] == reference[0][graph], graph  # whole, as ingested without a kill
        assert all(r.conforms for r in kg.validate())  # no stale derived fact
