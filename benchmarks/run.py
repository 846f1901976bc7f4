"""The scale benchmark: synthetic follow-ups through the real ingest, then every named query on
four engines and the endpoint under 8 concurrent clients, at about 10k, 100k and 1M triples.

Side by side, in one run per scale:
- ingest throughput (documents/s, triples/s) of ``MaalGraph.ingest_many`` into the default store;
- the median time of every named query on maalgraph's default store (``MaalGraph.named``), on
  pyoxigraph used directly on the same store, on rdflib in memory, and through Oxigraph server
  over HTTP (``MaalGraph.connect``);
- requests/s, p50/p99 latency and CPU time per request of 8 clients against ``maalgraph serve``
  and Oxigraph server, and the peak memory of each server measured the same way: the PSS of its
  whole process tree, sampled during the load (shared pages counted once, not once per process);
- peak memory of the other engines (VmHWM of one process);
- the networkx analysis: one municipality's network, an impact, its rankings, the whole store's
  network;
- the cost of adding one more follow-up and agenda item to the full store (with relinking);
- then the ingest benchmark (benchmarks/ingest.py, --ingest-documents): documents/s against
  the targets of issue 15 and pyoxigraph's bulk_load of the same quads.

Run: .venv/bin/python benchmarks/run.py --scale 100k   (10k, 100k, 1M or all)
The tables are printed and written to docs/scale.md (one section per scale).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import multiprocessing
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ingest as ingest_benchmark
import pyoxigraph as ox
import synthetic
from targets import (
    SERVE_MEMORY,
    Row,
    ingest_rows,
    median_or_none,
    question_timings,
    render,
    scale_rows,
)
from timing import timed

from maalgraph import MaalGraph, StoreTimeout
from maalgraph.queries import get_query, load_queries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from servers import Server, maalgraph_server, oxigraph_server  # noqa: E402

SCALES = {
    "10k": 10_000,
    "100k": 100_000,
    "1M": 1_000_000,
    "10M": 10_000_000,
}  # 10M: where the machine allows
MAAL = "https://w3id.org/maalgraph/def#"
CLIENTS = 8
WORKERS = 4
# how maalgraph serve is run under the load: (workers, threads each) × data in memory or on disk
ENDPOINT_MODES = {
    "in memory": (WORKERS, 1, "4096"),
    "on disk": (WORKERS, 1, "0"),
    "in memory, threads": (1, WORKERS, "4096"),
    "on disk, threads": (1, WORKERS, "0"),
}


# ---------------------------------------------------------------------------- helpers


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    return tree_peak_mb(os.getpid(), descendants=False)


def tree_peak_mb(pid: int, descendants: bool = True) -> float:
    """Peak resident memory (VmHWM) of a process and (by default) all its descendants, summed.
    Right for one process; over a tree it counts the pages that forked processes share once
    per process (see tree_pss_mb)."""
    total = 0.0
    for current in process_tree(pid) if descendants else [pid]:
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
        except (OSError, AttributeError):
            continue
    return total


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree_pss_mb(pid: int) -> float:
    """The memory a process tree holds now, each shared page divided among the processes that
    share it (PSS, /proc/PID/smaps_rollup), summed: what the tree costs the machine, however
    it is split into processes and threads."""
    total = 0
    for current in process_tree(pid):
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        if found := re.search(r"^Pss:\s+(\d+)", rollup, re.MULTILINE):
            total += int(found.group(1))
    return total / 1024


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) that the live processes of a tree have used."""
    total = 0.0
    for current in process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def settle(pid: int, most_s: float = 120.0) -> float:
    """Wait until a server tree has been idle for a second (maalgraph serve builds the
    question layer's indexes after it starts answering): the load then meets a server in its
    steady state, not its start. Returns the seconds waited."""
    start = time.monotonic()
    before = tree_cpu_s(pid)
    while time.monotonic() - start < most_s:
        time.sleep(1.0)
        now = tree_cpu_s(pid)
        if now - before < 0.2:
            break
        before = now
    return time.monotonic() - start


PICK_REPORTS = """PREFIX maal: <https://w3id.org/maalgraph/def#>
SELECT ?municipality ?year ?report ?focusArea ?goal WHERE {
  ?report a maal:FollowUpReport ; maal:municipality ?municipality ; maal:year ?year ; maal:hasFocusArea ?focusArea .
  ?goal maal:focusArea ?focusArea ; maal:number 1 .
}"""
PICK_AGENDAS = """PREFIX maal: <https://w3id.org/maalgraph/def#>
SELECT ?municipality ?year ?agenda WHERE {
  ?agenda maal:documentKind "agenda-item" ; maal:municipality ?municipality ; maal:year ?year .
}"""


def pick_of(kg: MaalGraph) -> dict[str, object]:
    """The latest year's first municipality and focus area with a goal number 1, and the first
    agenda item (by IRI) of the same municipality and year. The two reads are joined here: as
    one query the engine took minutes at 10M triples, each read alone takes seconds."""
    agendas: dict[tuple[str, str], object] = {}
    for r in sorted(kg.query(PICK_AGENDAS).rows, key=lambda r: str(r["agenda"]), reverse=True):
        agendas[(str(r["municipality"]), str(r["year"]))] = r["agenda"]  # the first by IRI
    found = [{**r, "agenda": agendas[key]} for r in kg.query(PICK_REPORTS).rows
             if (key := (str(r["municipality"]), str(r["year"]))) in agendas]  # fmt: skip
    return min(
        found, key=lambda r: (-int(str(r["year"])), str(r["municipality"]), str(r["focusArea"]))
    )


def parameters(kg: MaalGraph) -> dict[str, dict[str, object]]:
    """Bound values as maalgraph binds them: the question layer one municipality and year, one
    of its focus areas and goals, the partner most goals depend on, its first paragraph; the
    linking after an ingest one municipality (its projects' partners) and one agenda item; the
    network analysis one municipality.
    Queries without parameters (stats, documents, names …) read everything."""
    pick = pick_of(kg)
    partners = kg.named("entities", type=MAAL + "Partner", municipality=pick["municipality"]).rows
    partner = max(partners, key=lambda r: int(str(r["goals"])))
    depending = kg.named("goals_depending_on", entity=partner["entity"]).rows
    place = {"municipality": pick["municipality"], "year": pick["year"]}
    params: dict[str, dict[str, object]] = {
        "entities": {"municipality": pick["municipality"]},
        "entities_of_goals": {"focusArea": pick["focusArea"]},
        "focus_area_count": place,
        "focus_areas": place,
        "focus_areas_by_verdict": {"verdict": MAAL + "Opfyldt", "year": pick["year"]},
        "goal_count": place,
        "goals": place,
        "goal_status": {"goal": pick["goal"]},
        "goal_paragraphs": {"goal": pick["goal"]},
        "decisions": {"report": pick["report"]},
        "goals_depending_on": {"entity": partner["entity"]},
        "impact": {"entity": partner["entity"]},
        "measurements": {"goal": pick["goal"]},
        "paragraph": {"paragraph": depending[0]["source"]},
        "plans": {"focusArea": pick["focusArea"]},
        "project_partners": {"municipality": pick["municipality"]},
        # the web page's network: one municipality and year
        "network_nodes": place,
        "network_edges": place,
        "summary_statements": {"document": pick["agenda"]},
        # the question layer's lookups by text (the texts are the graph's own)
        "goals_by_text": {
            "text": str(kg.named("goal_status", goal=pick["goal"]).rows[0]["text"]),
            **place,
        },
        "indicator_values": {
            "indicator": str(kg.named("measurements", goal=pick["goal"]).rows[0]["indicator"])
            if kg.named("measurements", goal=pick["goal"]).rows
            else "borgere i fleksjob",
            "municipality": pick["municipality"],
        },
        "entity_mentions": {"entity": partner["entity"]},
        "entities_named": {"label": str(partner["label"])},
        # the impact's walk: the edges into one partner
        "dependency_edges": {"to": partner["entity"]},
        # the SPARQL editor's names of a result's IRIs: a verdict, a goal, a focus area, a partner
        "names_of": {"iri": [MAAL + "Opfyldt", pick["goal"], pick["focusArea"], partner["entity"]]},
        "goal_dependency_kinds": place,
        # a status the question layer reads this way: a progress, a trend or no verdict (a
        # verdict is read with goals); the synthetic store states none, so this is the look-up
        "goals_by_status": {"status": MAAL + "UdenVurdering", **place},
        # the names of the things a page shows (here the municipality's partners), bound as a list
        "labels": {"entity": [r["entity"] for r in partners][:200]},
        # a question without a municipality: the goals with one verdict, counted per municipality
        "goal_count_by_municipality": {"verdict": MAAL + "Opfyldt"},
        # a list of partners without a municipality: partners and internal units, counted
        "entity_count_by_municipality": {
            "type": [MAAL + "Partner", "http://www.w3.org/ns/org#OrganizationalUnit"]
        },
        # a question naming a partner but no municipality: the things its name stands for
        "goals_depending_count_by_municipality": {
            "entity": [
                r["entity"] for r in kg.named("entities_named", label=str(partner["label"])).rows
            ][:25]
        },
    }
    for (
        query
    ) in load_queries().values():  # a query without a value for a required parameter cannot run
        missing = [
            p.name
            for p in query.parameters
            if not p.optional and p.name not in params.get(query.name, {})
        ]
        if missing:
            raise SystemExit(
                f"benchmarks/run.py: named query {query.name} needs {', '.join(missing)} in parameters()"
            )
    return params


def fmt_ms(values: list[float] | None) -> str:
    if not values:
        return "–"
    return f"{statistics.median(values):.1f}"


# ---------------------------------------------------------------------------- stages


def ingest(target: int, work: Path, fixture: bool = False) -> dict[str, Any]:
    """Generate enough synthetic follow-ups and agenda items for ``target`` triples and ingest
    them (parse, extraction, validation, one transaction per document, then the linking), or
    with ``fixture`` build the same store fast (benchmarks/ingest.py: one bulk_load)."""
    docs = work / "docs"
    docs.mkdir(parents=True)
    # 40 municipalities × 15 years hold about 1.6M triples; beyond, more municipalities
    generated = synthetic.documents(municipalities=max(40, target // 25_000), years=15)
    paths: list[Path] = []
    per_char = 0.0
    chars = 0
    for name, text in generated:
        (docs / name).write_text(text, encoding="utf-8")
        paths.append(docs / name)
        chars += len(text)
        if len(paths) == 2:  # one follow-up and its agenda item: triples per character of text
            with MaalGraph.memory() as probe:
                per_char = sum(len(probe.build(probe.parse(p))) for p in paths) / chars
        if per_char and chars * per_char >= target and len(paths) % 2 == 0:
            break
    store = work / "store"
    if fixture:
        steps = ingest_benchmark.fixture(paths, store)
        with MaalGraph.open(store, read_only=True) as kg:
            quads = len(kg.store)
            kg.store.dump_nquads(work / "dump.nq")
        return {"documents": len(paths), "triples": quads, "quads": quads, "seconds": None, "fixture": steps,
                "peak_mb": peak_mb(), "store": store, "dump": work / "dump.nq"}  # fmt: skip
    start = time.perf_counter()
    with MaalGraph.open(store) as kg:
        reports = kg.ingest_many(paths)
        seconds = time.perf_counter() - start
        quads = len(kg.store)
        triples = sum(r.triples for r in reports)
        kg.store.dump_nquads(work / "dump.nq")
    return {"documents": len(paths), "triples": triples, "quads": quads, "seconds": seconds,
            "peak_mb": peak_mb(), "store": store, "dump": work / "dump.nq"}  # fmt: skip


def _count(result: object) -> int:
    """The rows of a pyoxigraph result, each of its values read (as a caller reads them)."""
    if isinstance(result, ox.QueryBoolean):
        return 1
    variables = result.variables if isinstance(result, ox.QuerySolutions) else []
    return sum(1 for s in result for _ in [[s[v] for v in variables]])  # type: ignore[attr-defined]


def _one_query(
    kg: MaalGraph, name: str, engine: str, values: dict[str, object]
) -> Callable[[], int]:
    """One named query as one engine runs it: MaalGraph.named, or its text on pyoxigraph."""
    if engine == "maalgraph":
        return lambda: len(kg.named(name, **values))
    text = get_query(name).render(values)
    return lambda: _count(kg.store._store.query(text, use_default_graph_as_union=True))


def _timing_child(store: str, params: dict[str, dict[str, object]], conn: Any) -> None:
    """Times the named queries the parent sends, one engine at a time, and says when the
    warm-up run is done: the parent stops this process when a run passes the budget (a
    pyoxigraph query cannot be interrupted from Python)."""
    with MaalGraph.open(store, read_only=True) as kg:
        conn.send("ready")
        while (task := conn.recv()) is not None:
            name, engine, budget_s = task
            run = _one_query(kg, name, engine, params.get(name, {}))
            rows: list[int] = []

            def reported(run: Callable[[], int] = run, rows: list[int] = rows) -> None:
                rows.append(run())
                if len(rows) == 1:
                    conn.send("warm")

            times = timed(reported, budget_s)
            conn.send((times, rows[-1]))
    conn.send(peak_mb())


class QueryTimer:
    """Named queries timed in a child process with a budget per query: a query whose first
    run passes the budget is stopped, with its process, and reported as past the budget
    (as rdflib's are); the next query gets a fresh process."""

    def __init__(self, store: Path, params: dict[str, dict[str, object]]) -> None:
        self.store, self.params = store, params
        self.peak_mb = 0.0
        self._start()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_timing_child, args=(str(self.store), self.params, child))
        self.process.start()
        if self.conn.recv() != "ready":
            raise SystemExit("benchmarks/run.py: the query timing process did not start")

    def time(
        self, name: str, engine: str, budget_s: float
    ) -> tuple[list[float] | None, int | None]:
        """The times (ms) of one named query on one engine and its rows, or (None, None)
        when its first run passes ``budget_s``. Later runs are bounded by ``timed``."""
        self.conn.send((name, engine, budget_s))
        if (
            self.conn.poll(budget_s)
            and self.conn.recv() == "warm"
            and self.conn.poll(budget_s + 60)
        ):
            times, rows = self.conn.recv()
            return times, rows
        self.process.kill()
        self.process.join()
        self._start()
        return None, None

    def close(self) -> None:
        self.conn.send(None)
        self.peak_mb = self.conn.recv()
        self.process.join()


def embedded_queries(
    store: Path, params: dict[str, dict[str, object]], budget_s: float
) -> tuple[dict[str, dict[str, list[float] | None]], dict[str, int], float]:
    """Every named query through MaalGraph.named and through pyoxigraph directly, each within
    the budget; with the rows of each and the peak memory of the process that ran them."""
    results: dict[str, dict[str, list[float] | None]] = {}
    rows: dict[str, int] = {}
    timer = QueryTimer(store, params)
    try:
        for name in sorted(load_queries()):
            results[name] = {}
            for engine in ("maalgraph", "pyoxigraph"):
                start = time.perf_counter()
                results[name][engine], count = timer.time(name, engine, budget_s)
                if count is not None and engine == "maalgraph":
                    rows[name] = count
                took = time.perf_counter() - start
                past = "" if results[name][engine] else f" (past the {budget_s:.0f} s budget)"
                print(f"     {name} on {engine}: {took:.1f} s{past}", flush=True)
    finally:
        timer.close()
    return results, rows, timer.peak_mb


def analysis_timings(kg: MaalGraph, params: dict[str, dict[str, object]]) -> dict[str, Any]:
    """The networkx analysis: one municipality's network, an impact, the rankings, and the
    whole store's network (what `maalgraph analyse` without --municipality reads)."""
    municipality = str(params["network_nodes"]["municipality"])
    partner = str(params["impact"]["entity"])
    network = kg.to_networkx(municipality=municipality)
    whole = kg.to_networkx()

    def afresh(func: Callable[[], object]) -> Callable[[], object]:
        return lambda: (kg.__dict__.pop("_analysis_cache", None), func())  # not from the cache

    return {
        "network_ms": statistics.median(timed(lambda: kg.to_networkx(municipality=municipality), 60)),
        "nodes": network.number_of_nodes(), "edges": network.number_of_edges(),
        "impact_ms": statistics.median(timed(afresh(lambda: kg.impact(partner)), 60)),
        "analyse_ms": statistics.median(timed(afresh(lambda: kg.analyse(municipality=municipality)), 60)),
        "whole_ms": statistics.median(timed(lambda: kg.to_networkx(), 120)),
        "whole_nodes": whole.number_of_nodes(), "whole_edges": whole.number_of_edges(),
    }  # fmt: skip


class Budget(Exception):
    pass


def _rdflib_child(dump: str, texts: dict[str, str], budget_s: float, out: Any) -> None:
    import rdflib

    start = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    load = time.perf_counter() - start

    def alarm(*_: object) -> None:
        raise Budget

    signal.signal(signal.SIGALRM, alarm)
    times: dict[str, list[float] | None] = {}
    for name, text in texts.items():
        signal.setitimer(signal.ITIMER_REAL, budget_s)
        try:
            times[name] = timed(lambda text=text: list(dataset.query(text)), budget_s)
        except Budget:
            times[name] = None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    out.send({"load_s": load, "times": times, "peak_mb": peak_mb()})


def rdflib_queries(
    dump: Path, params: dict[str, dict[str, object]], budget_s: float
) -> dict[str, Any]:
    """rdflib in memory, in a child process so that its memory is measured on its own."""
    texts = {name: get_query(name).render(params.get(name, {})) for name in sorted(load_queries())}
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_rdflib_child, args=(str(dump), texts, budget_s, child))
    process.start()
    result: dict[str, Any] = parent.recv()
    process.join()
    return result


def remote_queries(
    server: Server, params: dict[str, dict[str, object]], budget_s: float
) -> dict[str, list[float] | None]:
    """Every named query through MaalGraph.connect; None for a query the server does not
    answer within the budget (the client's timeout)."""
    kg = MaalGraph.connect(f"{server.url}/query", timeout=budget_s)
    times: dict[str, list[float] | None] = {}
    for name in sorted(load_queries()):
        try:
            times[name] = timed(lambda name=name: kg.named(name, **params.get(name, {})), budget_s)
        except StoreTimeout:
            times[name] = None
    return times


def load(url: str, texts: list[str], seconds: float, server: int) -> dict[str, float]:
    """8 clients with keep-alive connections, each cycling through the queries, against the
    server whose process is ``server``: its peak memory (PSS of its process tree, sampled
    every 0.25 s) and the CPU time its tree used per request are measured meanwhile. On this
    shared machine requests/s depend on how much CPU the other jobs leave; CPU per request
    does much less."""
    settle(server)
    peak = [tree_pss_mb(server)]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(0.25):
            peak[0] = max(peak[0], tree_pss_mb(server))

    sampler = threading.Thread(target=sample)
    sampler.start()
    cpu_before = tree_cpu_s(server)
    try:
        measured = _load(url, texts, seconds)
    finally:
        sampling.set()
        sampler.join()
    measured["cpu_ms"] = (tree_cpu_s(server) - cpu_before) * 1000 / max(1, measured["requests"])
    measured["pss_mb"] = max(peak[0], tree_pss_mb(server))
    return measured


def _load(url: str, texts: list[str], seconds: float) -> dict[str, float]:
    host = url.removeprefix("http://").split("/", 1)[0]
    path = "/" + url.removeprefix("http://").split("/", 1)[1]
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, timeout=120)
        i = offset
        mine: list[float] = []
        while time.monotonic() < deadline:
            body = urllib.parse.urlencode({"query": texts[i % len(texts)]})
            start = time.perf_counter()
            connection.request("POST", path, body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})  # fmt: skip
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                with lock:
                    errors += 1
            i += 1
        with lock:
            latencies.extend(mine)
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n * 3,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "errors": errors,
    }


# ---------------------------------------------------------------------------- one scale


def reused(store: Path, work: Path, dump: bool) -> dict[str, Any]:
    """A store built by an earlier run (``--store``): its size, and (``dump``) its quads
    dumped for the other engines; nothing about its ingest."""
    with MaalGraph.open(store, read_only=True) as kg:
        documents = len(kg.named("documents").rows)
        quads = len(kg.store)
        if dump:
            kg.store.dump_nquads(work / "dump.nq")
    return {"documents": documents, "triples": quads, "quads": quads, "seconds": None,
            "peak_mb": peak_mb(), "store": store, "dump": work / "dump.nq"}  # fmt: skip


# the parts of a scale's run, in the order they run (--parts): the named queries on maalgraph
# and pyoxigraph, the networkx analysis, the question layer, rdflib in memory, the named
# queries on Oxigraph server over HTTP, the 8-client load on Oxigraph server and maalgraph
# serve, one more document added to the store
PARTS = ("queries", "analysis", "questions", "rdflib", "http", "endpoint", "one-more")


def run_scale(
    label: str,
    target: int,
    seconds: float,
    store: Path | None = None,
    fixture: bool = False,
    parts: tuple[str, ...] = PARTS,
) -> tuple[str, list[Row], dict[str, Any]]:
    """One scale's section, and its rows of the targets table with the figures that explain
    them (the ingest's rows are added by main); only the ``parts`` asked are measured."""
    work = Path(tempfile.mkdtemp(prefix=f"maalgraph-bench-{label}-"))
    budget = 30.0 if target < 1_000_000 else 20.0
    load_start = os.getloadavg()
    started = time.monotonic()
    served = {"rdflib", "http", "endpoint"} & set(parts)  # the other engines read a dump
    try:
        if store is None:
            print(
                f"\n== {label}: generating and {'building' if fixture else 'ingesting'} …",
                flush=True,
            )
            ing = ingest(target, work, fixture)
            took = ing["fixture"]["total"] if fixture else ing["seconds"]
            print(
                f"   {ing['documents']} documents, {ing['triples']:,} triples in {took:.1f} s",
                flush=True,
            )
        else:
            print(f"\n== {label}: the store {store} …", flush=True)
            ing = reused(store, work, dump=bool(served))
        ing["load_start"] = load_start
        with MaalGraph.open(ing["store"], read_only=True) as kg:
            params = parameters(kg)
            embedded = rows = analysis = asked = None
            memory: dict[str, float | None] = {}
            if "queries" in parts:
                print("   named queries: maalgraph and pyoxigraph …", flush=True)
                embedded, rows, memory["named queries (their timing process)"] = embedded_queries(
                    ing["store"], params, budget
                )
            if "analysis" in parts:
                print("   the networkx analysis …", flush=True)
                analysis = analysis_timings(kg, params)
            if "questions" in parts:
                print("   the question layer …", flush=True)
                asked = question_timings(kg, params, ing["store"])
        memory["the run's maalgraph process (store, analysis, questions)"] = peak_mb()
        rdf: dict[str, Any] = {"load_s": None, "times": {}, "peak_mb": None}
        if "rdflib" in parts:
            print("   named queries: rdflib in memory …", flush=True)
            rdf = rdflib_queries(ing["dump"], params, budget)
            memory["rdflib in memory"] = rdf["peak_mb"]
        texts = [get_query(n).render(params.get(n, {})) for n in sorted(load_queries())]
        remote = oxi_load = loads = None
        if {"http", "endpoint"} & set(parts):
            print("   Oxigraph server: named queries and load …", flush=True)
            oxi_dir = work / "oxigraph"
            subprocess.run([synthetic_oxigraph(), "load", "--location", str(oxi_dir), "--file", str(ing["dump"])],
                           check=True, capture_output=True)  # fmt: skip
            with oxigraph_server(oxi_dir) as oxi:
                if "http" in parts:
                    remote = remote_queries(oxi, params, budget)
                if "endpoint" in parts:
                    oxi_load = load(f"{oxi.url}/query", texts, seconds, oxi.process.pid)
                    memory["Oxigraph server"] = oxi_load["pss_mb"]
        if "endpoint" in parts:
            print("   load: maalgraph serve …", flush=True)
            loads = {}
            for mode, (workers, threads, cap) in ENDPOINT_MODES.items():
                with maalgraph_server(work, "--max-rows", "10000000", "--timeout", "120", "--workers", str(workers),
                                      "--worker-threads", str(threads), "--worker-memory", cap,
                                      options=["--store", str(ing["store"])]) as mg:  # fmt: skip
                    loads[mode] = load(mg.sparql, texts, seconds, mg.process.pid)
            memory |= {key: loads[mode]["pss_mb"] for mode, (key, _) in SERVE_MEMORY.items()}
        extra = None
        if store is None and "one-more" in parts:  # a reused store is left as it was
            print("   one more follow-up and agenda item …", flush=True)
            extra = one_more(ing["store"], work)
        measured = {k: v for k, v in memory.items() if v is not None}
        run = {"parts": parts, "budget": budget, "minutes": (time.monotonic() - started) / 60}
        text = report(
            label, ing, embedded, analysis, rdf, remote, rows, loads, oxi_load, extra, measured, run
        )
        return (text, *scale_rows(asked, embedded, loads, oxi_load, measured, WORKERS))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def one_more(store: Path, work: Path) -> dict[str, float]:
    """Seconds to add one follow-up and then its agenda item to the full store: parsing,
    extraction, validation, writing, and relinking what the new document can affect."""
    docs = work / "more"
    docs.mkdir()
    times = {}
    with MaalGraph.open(store) as kg:
        for kind, text in (
            ("follow-up", synthetic.followup("Vejle", 2099, 1)),
            ("agenda item", synthetic.agenda("Vejle", 2099, 1)),
        ):
            path = docs / f"{kind.replace(' ', '-')}-vejle-2099.txt"
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            kg.ingest(path)
            times[kind] = time.perf_counter() - start
    return times


def synthetic_oxigraph() -> str:
    from servers import oxigraph_binary

    return oxigraph_binary()


def report(label: str, ing: dict[str, Any], embedded: dict[str, dict[str, list[float] | None]] | None,
           analysis: dict[str, Any] | None, rdf: dict[str, Any], remote: dict[str, list[float] | None] | None,
           rows: dict[str, int] | None, loads: dict[str, dict[str, float]] | None, oxi_load: dict[str, float] | None,
           extra: dict[str, float] | None, memory: dict[str, float], run: dict[str, Any]) -> str:  # fmt: skip
    """A scale's section: what each part run measured, and which parts were not run."""
    parts, budget = run["parts"], run["budget"]
    if "fixture" in ing:
        ingested = (f"A store of {ing['documents']} synthetic documents built as a benchmark fixture (worker processes "
                    "read them as the ingest does, one `bulk_load` of their quads, relinking as after an ingest: the "
                    "store the ingest gives, without its transaction per document) in "
                    + ", ".join(f"{k} {v:.0f} s" for k, v in ing["fixture"].items())
                    + "; the ingest's speed is measured in the ingest section.")  # fmt: skip
    elif ing["seconds"] is None:
        ingested = (f"A store of {ing['documents']} synthetic documents built by an earlier run (`--store`); its "
                    "ingest is measured in the ingest section.")  # fmt: skip
    else:
        ingested = (
        f"Ingest: {ing['documents']} synthetic documents ({ing['documents'] // 2} follow-ups, each with the agenda item "
        f"that approves it) in {ing['seconds']:.1f} s = {ing['documents'] / ing['seconds']:.1f} documents/s, "
        f"{ing['triples'] / ing['seconds']:,.0f} triples/s (parse, spaCy extraction, SHACL validation, one transaction "
        f"per document, linking, compaction)."
        + (f" Adding one more follow-up to the full store took {extra['follow-up']:.2f} s, its agenda item "
           f"{extra['agenda item']:.2f} s (each with the relinking it causes)." if extra else "")
        )  # fmt: skip
    rdflib_load = (
        f" rdflib took {rdf['load_s']:.1f} s to load the same data."
        if rdf["load_s"]
        else " rdflib was not run (`--no-rdflib` or `--parts`)."
    )
    skipped = [p for p in PARTS if p not in parts]
    lines = [
        f"### {label}: {ing['triples']:,} triples ({ing['quads']:,} quads with the ontology and links)",
        "",
        ingested + rdflib_load,
        "",
        f"Machine load (1, 5, 15 min) at the start of the run {', '.join(f'{x:.1f}' for x in ing['load_start'])}, "
        f"at the end {', '.join(f'{x:.1f}' for x in os.getloadavg())}, on {os.cpu_count()} cores (other jobs share the machine). "
        f"The measurements took {run['minutes']:.1f} min."
        + (f" Parts run: {', '.join(parts)}; not run (`--parts`): {', '.join(skipped)}." if skipped else ""),
        "",
    ]  # fmt: skip
    names = sorted(load_queries())
    past = f"> {budget:.0f} s"

    def cell(times: list[float] | None, measured: bool) -> str:
        return fmt_ms(times) if times else past if measured else "not run"

    if {"queries", "rdflib", "http"} & set(parts):
        lines += [
        "Median ms per named query (lower is better); ratios against maalgraph's default store; "
        f"a query whose first run passes the {budget:.0f} s budget is stopped and shown as «{past}»:",
        "",
        "Parameters are bound as maalgraph binds them: the question layer one municipality and year, one focus area, goal "
        "or partner; the relinking after an ingest one municipality (project_partners) and one agenda item "
        "(summary_statements); the web page's network one municipality and year (network_nodes, network_edges; "
        "a municipality's network of all its years is among the whole-graph reads of the targets table); the "
        "labels of the things a page shows (labels: the municipality's partners, bound as a list; all labels "
        "unbound are in the targets table); a question without a municipality one verdict "
        "(goal_count_by_municipality). Queries without parameters read the whole graph.",
        "",
        "| named query | rows | maalgraph | pyoxigraph direct | maalgraph ÷ pyoxigraph | rdflib | rdflib ÷ maalgraph | Oxigraph server (HTTP) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]  # fmt: skip
        ratios_direct, ratios_rdflib, ratios_http = [], [], []
        for name in names:
            times = (embedded or {}).get(name, {})
            mg, direct = (
                median_or_none(times.get("maalgraph")),
                median_or_none(times.get("pyoxigraph")),
            )
            rdf_times = rdf["times"].get(name)
            ratio_direct = f"{mg / direct:.2f}" if mg and direct else "–"
            if mg and direct:
                ratios_direct.append(mg / direct)
            ratio_cell = "–"
            if mg and (http := median_or_none((remote or {}).get(name))):
                ratios_http.append(http / mg)
            if rdf_times and mg:
                ratios_rdflib.append(statistics.median(rdf_times) / mg)
                ratio_cell = f"{statistics.median(rdf_times) / mg:.0f}×"
            rdf_cell = cell(rdf_times, bool(rdf["load_s"]))
            lines.append(
                f"| {name} | {(rows or {}).get(name, '–')} | {cell(times.get('maalgraph'), embedded is not None)} "
                f"| {cell(times.get('pyoxigraph'), embedded is not None)} | {ratio_direct} | {rdf_cell} | {ratio_cell} "
                f"| {cell((remote or {}).get(name), remote is not None)} |"
            )
        if embedded is not None:
            medians = {
                n: m for n in names if (m := median_or_none(embedded[n]["maalgraph"])) is not None
            }
            slowest = sorted(medians, key=medians.__getitem__, reverse=True)[:3]
            over = [
                n
                for n in names
                if embedded[n]["maalgraph"] is None or embedded[n]["pyoxigraph"] is None
            ]
            lines += [
                "",
                (f"maalgraph ÷ pyoxigraph: median {statistics.median(ratios_direct):.2f}, max {max(ratios_direct):.2f} "
                 f"({len(ratios_direct)} of {len(names)} queries measured on both). " if ratios_direct else "")
                + (f"rdflib ÷ maalgraph: median {statistics.median(ratios_rdflib):.0f}×, min {min(ratios_rdflib):.0f}× "
                   f"({len(ratios_rdflib)} of {len(names)} queries finished within the budget). " if ratios_rdflib else "")
                + (f"Oxigraph server (HTTP) ÷ maalgraph: median {statistics.median(ratios_http):.2f}, min "
                   f"{min(ratios_http):.2f} ({len(ratios_http)} of {len(names)} queries measured on both). " if ratios_http else "")
                + "Slowest named queries on maalgraph: " + ", ".join(f"{n} {medians[n]:,.0f} ms" for n in slowest)
                + (f"; past the {budget:.0f} s budget: {', '.join(over)}." if over else "."),
                "",
                targets(embedded, rdf),
            ]  # fmt: skip
        lines.append("")
    if analysis is not None:
        lines += [
            f"Network analysis (networkx): one municipality's network ({analysis['nodes']:,} nodes, "
            f"{analysis['edges']:,} edges) in {analysis['network_ms']:.0f} ms; the impact of one partner "
            f"{analysis['impact_ms']:.0f} ms; rankings, shared partners and unsupported goals of one municipality "
            f"{analysis['analyse_ms']:.0f} ms; the whole store's network ({analysis['whole_nodes']:,} nodes, "
            f"{analysis['whole_edges']:,} edges) {analysis['whole_ms'] / 1000:.1f} s.",
            "",
        ]
    if loads is not None and oxi_load is not None:
        lines += [
        f"Endpoint, {CLIENTS} concurrent clients cycling through the {len(names)} named queries (maalgraph serve "
        f"with {WORKERS} worker processes, or one worker process running {WORKERS} queries at once in threads "
        "over its one copy of the data; by default each keeps the data in memory when it fits --worker-memory, "
        "here shown both ways):",
        "",
        "| server | requests | requests/s | p50 ms | p99 ms | errors | CPU ms per request | peak PSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]  # fmt: skip
        servers = (("maalgraph serve, workers in memory", loads["in memory"]),
                   ("maalgraph serve, workers on disk (--worker-memory 0)", loads["on disk"]),
                   (f"maalgraph serve, one worker × {WORKERS} threads in memory (--workers 1 --worker-threads {WORKERS})",
                    loads["in memory, threads"]),
                   (f"maalgraph serve, one worker × {WORKERS} threads on disk", loads["on disk, threads"]),
                   ("Oxigraph server", oxi_load))  # fmt: skip
        for server, m in servers:
            lines.append(
                f"| {server} | {m['requests']} | {m['rps']:.1f} | {m['p50']:.1f} | {m['p99']:.1f} | {m['errors']} "
                f"| {m['cpu_ms']:.1f} | {m['pss_mb']:,.0f} |"
            )
        lines += ["", f"maalgraph serve ÷ Oxigraph server throughput: {loads['in memory']['rps'] / oxi_load['rps']:.2f} "
                  f"(workers on disk: {loads['on disk']['rps'] / oxi_load['rps']:.2f}; one worker × {WORKERS} threads in "
                  f"memory {loads['in memory, threads']['rps'] / oxi_load['rps']:.2f}, on disk "
                  f"{loads['on disk, threads']['rps'] / oxi_load['rps']:.2f}).", ""]  # fmt: skip
    lines += ["Peak memory (MB; the servers: PSS of the whole process tree, sampled during the load, the same "
              "way for each; the others: VmHWM of one process): " + ", ".join(f"{k} {v:,.0f}" for k, v in memory.items()) + ".", ""]  # fmt: skip
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    return text


def targets(embedded: dict[str, dict[str, list[float] | None]], rdf: dict[str, Any]) -> str:
    """How many named queries meet each target of the issue at this scale (a query past the
    budget meets none)."""
    medians = {n: median_or_none(t["maalgraph"]) for n, t in embedded.items()}
    direct = {n: median_or_none(t["pyoxigraph"]) for n, t in embedded.items()}
    within = [n for n, m in medians.items() if m is not None and (d := direct[n]) is not None
              and (m <= 1.3 * d or m - d < 0.2)]  # fmt: skip
    faster = [
        n
        for n, m in medians.items()
        if m is not None
        and (not rdf["times"].get(n) or statistics.median(rdf["times"][n]) >= 10 * m)
    ]
    fast = [n for n, m in medians.items() if m is not None and m < 200]
    slow = ", ".join(
        f"{n} {medians[n]:.0f} ms" if medians[n] is not None else f"{n} past the budget"
        for n in sorted(medians, key=lambda n: medians[n] or float("inf"), reverse=True)
        if n not in fast
    )
    return (
        f"Targets: within 1.3× of pyoxigraph (or < 0.2 ms apart): {len(within)}/{len(medians)}; "
        f"≥ 10× faster than rdflib (or rdflib past its budget): {len(faster)}/{len(medians)}; "
        f"under 200 ms: {len(fast)}/{len(medians)}" + (f" (slower: {slow})." if slow else ".")
    )


def write_docs(sections: dict[str, str]) -> None:
    path = ROOT / "docs" / "scale.md"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    for label, text in sections.items():
        start, end = f"<!-- scale:{label} -->", f"<!-- /scale:{label} -->"
        block = f"{start}\n{text}\n{end}"
        if start in current:
            current = re.sub(
                re.escape(start) + r".*?" + re.escape(end),
                lambda _, block=block: block,
                current,
                flags=re.S,
            )
        else:
            current = current.rstrip() + "\n\n" + block + "\n"
    header = (f"_Last run: {dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else ''}._")  # fmt: skip
    # the whole line: the header itself holds underscores (x86_64)
    current = (
        re.sub(r"^_Last run: .*$", lambda _: header, current, flags=re.M)
        if "_Last run:" in current
        else current
    )
    path.write_text(current, encoding="utf-8")
    print(f"\nwrote {path}")


def write_summary(table: str) -> None:
    """The 1M targets table and its explanations, also in docs/benchmarks.md (between markers),
    so that the summary there is the report's."""
    path = ROOT / "docs" / "benchmarks.md"
    start, end = "<!-- targets:issue-15 -->", "<!-- /targets:issue-15 -->"
    block = (f"{start}\n_From `make bench SCALE=1M` of {dt.date.today()} (the 1M section of [scale.md](scale.md), with the "
             f"machine's load during the run)._\n{table}\n{end}")  # fmt: skip
    current = path.read_text(encoding="utf-8")
    if start not in current:
        raise SystemExit(f"benchmarks/run.py: {path} lacks the markers {start} … {end}")
    current = re.sub(
        re.escape(start) + r".*?" + re.escape(end), lambda _: block, current, flags=re.S
    )
    path.write_text(current, encoding="utf-8")
    print(f"wrote {path}")


def parts_of(value: str) -> tuple[str, ...]:
    """``--parts queries,http``: the parts named, in the order they run."""
    asked = {p.strip() for p in value.split(",") if p.strip()}
    if unknown := asked - set(PARTS):
        raise argparse.ArgumentTypeError(
            f"unknown part {', '.join(sorted(unknown))}; the parts are {', '.join(PARTS)}"
        )
    return tuple(p for p in PARTS if p in asked)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=[*SCALES, "all"], default="100k")
    parser.add_argument(
        "--load-seconds", type=float, default=15.0, help="how long each server is loaded"
    )
    parser.add_argument(
        "--no-docs", action="store_true", help="print only; leave docs/scale.md alone"
    )
    parser.add_argument(
        "--ingest-documents",
        type=int,
        default=2000,
        help="documents of the ingest benchmark (benchmarks/ingest.py, its own section); 0: skip",
    )
    parser.add_argument(
        "--store",
        type=Path,
        help="measure this store (built by an earlier run) instead of ingesting",
    )
    parser.add_argument(
        "--no-rdflib", action="store_true", help="leave out rdflib in memory (minutes at 1M)"
    )
    parser.add_argument(
        "--build",
        choices=["ingest", "fixture"],
        help="how the store is built: ingest (each document in its transaction; the default "
        "up to 1M) or fixture (the same store in one bulk_load; the default at 10M)",
    )
    parser.add_argument(
        "--parts",
        type=parts_of,
        default=PARTS,
        help=f"the parts to measure, comma-separated (default: all, {','.join(PARTS)}); the "
        "targets of the parts not run are shown as not measured in this run",
    )
    args = parser.parse_args()
    parts = tuple(p for p in args.parts if not (args.no_rdflib and p == "rdflib"))
    labels = ["10k", "100k", "1M"] if args.scale == "all" else [args.scale]
    scales = {label: run_scale(label, SCALES[label], args.load_seconds, args.store,
                               (args.build or ("fixture" if SCALES[label] > 1_000_000 else "ingest")) == "fixture",
                               parts)
              for label in labels}  # fmt: skip
    ingested = ingest_benchmark.benchmark(args.ingest_documents) if args.ingest_documents else None
    ingest_figures = ingested.figures() if ingested else None
    sections, tables = {}, {}
    for label, (text, rows, figures) in scales.items():
        table = render(ingest_rows(ingest_figures) + rows, {**(ingest_figures or {}), **figures})
        print(f"\n== {label}: the targets of issue 15", flush=True)
        print("\n".join(table), flush=True)
        sections[label] = text + "\n" + "\n".join(table)
        tables[label] = "\n".join(table)
    if not args.no_docs:
        write_docs(sections)
        # the issue's scale, every part measured (rdflib aside): its table is docs/benchmarks.md's summary too
        if "1M" in tables and set(PARTS) - {"rdflib"} <= set(parts):
            write_summary(tables["1M"])
        if ingested:
            ingest_benchmark.write_docs(ingested.text)


if __name__ == "__main__":
    main()
