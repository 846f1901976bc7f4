"""The scale benchmark's targets of issue 15 (all but ingest, which has its own section): the
question layer at scale (the first question in a fresh process, ``ask`` over many questions,
impact, rankings, whole-graph reads) and the table of every target with its measured value,
its ratio against pyoxigraph or Oxigraph server measured in the same run, and whether it holds.
Used by benchmarks/run.py."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomllib
from timing import timed

from maalgraph import MaalGraph
from maalgraph.queries import get_query

# what MaalGraph.analyse reads: goals, focus areas, partners, units, projects and their edges
ANALYSIS_READS = (("network_nodes", ["focus_area", "goal", "partner", "unit", "project"]),
                  ("network_edges", ["in_focus_area", "depends_on", "works_with"]))  # fmt: skip


def direct(kg: MaalGraph, name: str, **values: object) -> int:
    """A named query on the store's pyoxigraph Store used directly (its rows counted)."""
    text = get_query(name).render(values)
    return sum(1 for _ in kg.store._store.query(text, use_default_graph_as_union=True))


FIRST_QUESTION = """
import sys, time
start = time.perf_counter()
from maalgraph import MaalGraph
from maalgraph.question.vocabulary import vocabulary
vocabulary()  # the question vocabulary: once per process, whatever the store
tools = time.perf_counter()
kg = MaalGraph.open(sys.argv[1], read_only=True)
opened = time.perf_counter()
kg.answerer.lexicon  # the names and texts of this store
indexed = time.perf_counter()
kg.ask(sys.argv[2])
asked = time.perf_counter()
print(tools - start, opened - tools, indexed - opened, asked - indexed)
"""


def first_question(store: Path, question: str, runs: int = 3) -> dict[str, float]:
    """The first question in a fresh process that opens the store (as a new command or server
    does), median of ``runs``: the process's language tools, opening, the store's index
    build, the question itself (ms)."""
    parts = [[float(x) * 1000 for x in subprocess.run(
        [sys.executable, "-c", FIRST_QUESTION, str(store), question],
        capture_output=True, text=True, check=True).stdout.split()] for _ in range(runs)]  # fmt: skip
    tools, opened, index, ask = (statistics.median(p[i] for p in parts) for i in range(4))
    return {"tools": tools, "open": opened, "index": index, "ask": ask}


PAGE = 200  # rows: an answer that fits a page (an unscoped listing at 1M has 10,000)


@dataclass(frozen=True)
class Asked:
    """One question of the run: its family (the intent it was read as), its time end to end,
    the rows it shows and, for an answer paged over many municipalities, all its rows."""

    question: str
    family: str
    ms: float
    rows: int
    total: int | None = None
    store_ms: float = 0.0  # of ``ms``, the time in the store (pyoxigraph and its rows)


def question_timings(
    kg: MaalGraph, params: dict[str, dict[str, object]], store: Path
) -> dict[str, Any]:
    """The question layer at this scale: the first question, then ``ask`` end to end over the
    question sets' questions and questions made from the store's own names (some misspelt),
    each asked once after a warm-up pass; the impact question and the rankings of one
    municipality, computed afresh (not from the cache)."""
    import questions
    from question_sets import SET_STORES, question_set

    asked = [str(i["q"]) for name in SET_STORES for i in question_set(name)]
    asked = list(dict.fromkeys(asked + questions.own_questions(kg)))
    partner = kg.entity_index.get(str(params["impact"]["entity"]))
    municipality = str(params["network_nodes"]["municipality"])
    place = next(str(r["municipalityLabel"]) for r in kg.named("municipalities").rows
                 if str(r["municipality"]) == municipality)  # fmt: skip
    impact_q = f"Hvad sker der hvis {partner.label if partner else ''} stopper i {place}?"
    first = first_question(store, impact_q)
    for q in asked:
        kg.ask(q)
    in_store = [0.0]
    store_query = kg.store.query

    def counted(sparql: str) -> Any:  # the time spent in the store: pyoxigraph and its rows
        start = time.perf_counter()
        try:
            return store_query(sparql)
        finally:
            in_store[0] += (time.perf_counter() - start) * 1000

    kg.store.query = counted  # type: ignore[method-assign]
    times, engine, paged = [], [], []
    each: list[Asked] = []
    for q in asked:
        in_store[0] = 0.0
        start = time.perf_counter()
        answer = kg.ask(q)
        times.append((time.perf_counter() - start) * 1000)
        engine.append(in_store[0])
        rows = len(answer.rows)
        each.append(
            Asked(q, answer.intent or "not understood", times[-1], rows, answer.total, in_store[0])
        )
        if rows <= PAGE:
            paged.append(times[-1])
    kg.store.query = store_query  # type: ignore[method-assign]
    times.sort()
    engine.sort()
    paged.sort()

    def fresh(func: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            kg.__dict__.pop("_analysis_cache", None)  # computed afresh each time
            return func()

        return run

    return {
        "first": first, "questions": len(times), "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, int(0.95 * len(times)))], "max": times[-1],
        "paged": len(paged), "paged_p95": paged[min(len(paged) - 1, int(0.95 * len(paged)))],
        "engine_p50": statistics.median(engine), "engine_p95": engine[min(len(engine) - 1, int(0.95 * len(engine)))],
        "impact_q": impact_q, "asked": each,
        "impact_ms": statistics.median(timed(fresh(lambda: kg.impact(str(params["impact"]["entity"]))), 60)),
        "impact_ask_ms": statistics.median(timed(fresh(lambda: kg.ask(impact_q)), 60)),
        "rankings_ms": statistics.median(timed(fresh(lambda: kg.analyse(municipality=municipality)), 60)),
        # what the rankings read (analyse), on pyoxigraph directly: the engine's share
        "rankings_engine_ms": statistics.median(timed(lambda: [direct(kg, name, municipality=municipality, kind=kinds)
                                                               for name, kinds in ANALYSIS_READS], 60)),
        "whole": whole_reads(kg, municipality),
    }  # fmt: skip


def whole_reads(kg: MaalGraph, municipality: str) -> dict[str, tuple[float, float, str]]:
    """The reads that were whole-graph reads, as their callers read them, each with the whole
    read measured beside it: labels of the things a page shows (bound as a list) and of one
    name, every name (``names``, read once per store for the question layer), and one
    municipality's network of all its years read year by year (a page per year, as the web
    page reads it): maalgraph ms, pyoxigraph ms, and a note with the whole read's figure."""

    def both(name: str, **values: object) -> tuple[float, float]:
        return (statistics.median(timed(lambda: kg.named(name, **values), 30)),
                statistics.median(timed(lambda: direct(kg, name, **values), 30)))  # fmt: skip

    shown = [str(r["entity"]) for r in kg.named("entities", municipality=municipality).rows][:PAGE]
    some = next(str(r["label"]) for r in kg.named("labels", entity=shown[:1]).rows)
    whole_labels = both("labels")
    years = sorted({int(str(r["year"])) for r in kg.named("municipalities").rows
                    if str(r["municipality"]) == municipality and r.get("year") is not None})  # fmt: skip
    out: dict[str, tuple[float, float, str]] = {
        f"labels of the {len(shown)} things a page shows": (*both("labels", entity=shown),
            f"all labels unbound: {whole_labels[0]:.0f} ms, pyoxigraph {whole_labels[1]:.0f} ms"),
        "labels of one name": (*both("labels", label=some), ""),
        "names": (*both("names"), ""),
        "network_nodes of one municipality, all years": (*both("network_nodes", municipality=municipality), ""),
    }  # fmt: skip
    for name in ("network_nodes", "network_edges"):
        pages = [both(name, municipality=municipality, year=y) for y in years]
        whole = both(name, municipality=municipality)
        out[f"{name} of one municipality, all years, a year at a time (slowest of {len(years)})"] = (
            max(p[0] for p in pages), max(p[1] for p in pages),
            f"all {len(years)} years: {sum(p[0] for p in pages):.0f} ms in all; in one read "
            f"{whole[0]:.0f} ms, pyoxigraph {whole[1]:.0f} ms")  # fmt: skip
    return out


# ---------------------------------------------------------------------------- the targets table

# every target of issue 15 with its limit, and why a miss is missed and what it would take
# (templates filled with the run's figures): data, in one place
TARGETS: dict[str, dict[str, Any]] = tomllib.loads(
    Path(__file__).with_name("targets.toml").read_text(encoding="utf-8")
)
INGEST_KEYS = ("ingest_rate", "ingest_ratio", "ingest_archive")
# each endpoint mode of the load run: its peak-memory key and the name of its figures
SERVE_MEMORY = {"in memory": ("maalgraph serve, workers in memory (server + workers)", "memory"),
                "on disk": ("maalgraph serve, workers on disk", "disk"),
                "in memory, threads": ("maalgraph serve, one worker × 4 threads in memory", "memory_threads"),
                "on disk, threads": ("maalgraph serve, one worker × 4 threads on disk", "disk_threads")}  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One line of the targets table: the value in the unit of the target's limit (None: not
    measured in this run), how it is shown, and the reference measured in the same run."""

    key: str
    value: float | None
    measured: str
    reference: str
    case: str = ""  # which case of the target (a server mode, one read)

    @property
    def holds(self) -> bool | None:
        if self.value is None:
            return None
        limit, better = TARGETS[self.key]["limit"], TARGETS[self.key]["better"]
        return bool(self.value <= limit if better == "lower" else self.value >= limit)

    @property
    def label(self) -> str:
        return str(TARGETS[self.key]["target"]) + (f": {self.case}" if self.case else "")


def ingest_rows(f: dict[str, Any] | None) -> list[Row]:
    """The ingest targets from the ingest benchmark's figures (benchmarks/ingest.py)."""
    if f is None:
        return [
            Row(k, None, "not measured in this run (--ingest-documents 0)", "–")
            for k in INGEST_KEYS
        ]
    return [
        Row("ingest_rate", f["rate"], f"{f['rate']:.1f} documents/s ({f['documents']:,.0f} documents)",
            f"bulk_load of the same quads: {f['bulk_rate']:,.0f} documents/s ({f['rate'] / f['bulk_rate']:.2f}×)"),
        Row("ingest_ratio", f["ratio"], f"{f['ratio']:.1f}× ({f['seconds']:.0f} s)",
            f"bulk_load of the same {f['quads']:,.0f} quads into an empty on-disk store: {f['bulk_s']:.1f} s"),
        Row("ingest_archive", f["archive_min"], f"{f['archive_min']:.1f} min (extrapolated)",
            f"bulk_load at its rate: {f['bulk_archive_min']:.1f} min ({f['archive_min'] / f['bulk_archive_min']:.1f}×)"),
    ]  # fmt: skip


def slowest_share(asked: list[Asked], share: float = 0.05) -> list[Asked]:
    """The slowest ``share`` of the questions (at least one), slowest first."""
    return sorted(asked, key=lambda a: a.ms, reverse=True)[: max(1, round(len(asked) * share))]


def families(asked: list[Asked], most: int = 5) -> str:
    """The families of the slowest 5 % of the questions: how many of them, their median time,
    their largest answer and the slowest question of each."""
    groups: dict[str, list[Asked]] = {}
    for a in slowest_share(asked):
        groups.setdefault(a.family, []).append(a)
    parts = [
        f"{family} ×{len(items)} (median {statistics.median(a.ms for a in items):,.0f} ms, up to "
        f"{max(a.total or a.rows for a in items):,} rows; «{max(items, key=lambda a: a.ms).question}»)"
        for family, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:most]
    ]
    return "; ".join(parts) + (
        f"; {len(groups) - most} more families" if len(groups) > most else ""
    )


def not_measured(key: str, part: str) -> list[Row]:
    """The row of a target whose part was not run (``--parts``): shown, never judged."""
    return [Row(key, None, f"not measured in this run (--parts without {part})", "–")]


def median_or_none(times: list[float] | None) -> float | None:
    """The median of a query's times; None for a query stopped past the budget."""
    return statistics.median(times) if times else None


def scale_rows(q: dict[str, Any] | None, embedded: dict[str, dict[str, list[float] | None]] | None,
               loads: dict[str, dict[str, float]] | None, oxi_load: dict[str, float] | None,
               memory: dict[str, float], workers: int) -> tuple[list[Row], dict[str, Any]]:  # fmt: skip
    """The targets of a scale's run (all but ingest), and the figures their explanations use.
    What a part not run would give (None: the question layer ``q``, the named queries
    ``embedded``, the endpoint's ``loads``) is a row not measured; a named query stopped past
    the budget (its times None) misses the 200 ms target."""
    figures: dict[str, Any] = {"workers": workers}
    med: dict[str, float] = {}
    direct: dict[str, float] = {}
    past: list[str] = []
    if embedded is not None:
        for n, t in embedded.items():
            mine, engine = median_or_none(t["maalgraph"]), median_or_none(t["pyoxigraph"])
            if mine is None:
                past.append(n)
            else:
                med[n] = mine
            if engine is not None:
                direct[n] = engine
        slow_queries = [n for n in sorted(med, key=med.__getitem__, reverse=True) if med[n] > 200]
        figures |= {
            "slow_queries": ", ".join(
                [f"{n} {med[n]:.0f} ms ({med[n] / direct[n]:.2f}× pyoxigraph)" if n in direct else f"{n} {med[n]:.0f} ms"
                 for n in slow_queries] + [f"{n} past the budget" for n in past]),
            "slow_query_engine": min((direct[n] / med[n] for n in slow_queries if n in direct), default=1.0),
            "named_ratio": statistics.median(med[n] / direct[n] for n in med if n in direct),
        }  # fmt: skip
    rows: list[Row] = []
    if q is None:
        rows += [
            r
            for k in ("first_question", "ask_p95", "ask_p95_paged", "impact")
            for r in not_measured(k, "questions")
        ]
    else:
        first = q["first"]
        first_ms = first["index"] + first["ask"]
        asked: list[Asked] = q["asked"]
        paged = [a for a in asked if a.rows <= PAGE]
        figures |= {
            "tools_ms": first["tools"], "index_ms": first["index"], "first_ask_ms": first["ask"],
            "questions": q["questions"], "slow_count": sum(a.ms > 150 for a in asked),
            "tail_families": families(asked), "paged_tail_families": families(paged),
            "tail_store_share": sum(a.store_ms for a in slowest_share(asked)) / max(sum(a.ms for a in slowest_share(asked)), 0.1),
            "impact_ms": q["impact_ms"], "rankings_ms": q["rankings_ms"], "rankings_engine_ms": q["rankings_engine_ms"],
        }  # fmt: skip
        impact_reference = (f"the named query impact on pyoxigraph {direct['impact']:.0f} ms: {q['impact_ms'] / direct['impact']:.2f}×"
                            if "impact" in direct else "the named query impact on pyoxigraph: not measured in this run")  # fmt: skip
        if "impact" in direct:
            figures["impact_engine_ms"] = direct["impact"]
        rows += [
            Row("first_question", first_ms, f"{first_ms:.0f} ms (index {first['index']:.0f}, question {first['ask']:.0f})",
                f"{first_ms / 500:.2f}× the target; the question layer's imports and vocabulary before it: {first['tools']:.0f} ms"),
            Row("ask_p95", q["p95"], f"p95 {q['p95']:.0f} ms over {q['questions']} questions (p50 {q['p50']:.0f}, max {q['max']:.0f})",
                f"its time in the store (pyoxigraph and its rows), p95 {q['engine_p95']:.0f} ms: {q['p95'] / max(q['engine_p95'], 0.1):.2f}×"),
            Row("ask_p95_paged", q["paged_p95"], f"p95 {q['paged_p95']:.0f} ms over {q['paged']} questions",
                f"{q['paged_p95'] / 150:.2f}× the target", case=f"answers of ≤ {PAGE} rows"),
            Row("impact", q["impact_ms"], f"{q['impact_ms']:.0f} ms (as a question, «{q['impact_q']}»: {q['impact_ask_ms']:.0f} ms)",
                impact_reference),
        ]  # fmt: skip
    if embedded is None:
        rows += not_measured("named_queries", "queries")
    elif past:
        rows.append(Row("named_queries", float("inf"), f"{sum(v <= 200 for v in med.values())}/{len(embedded)} hold; "
                        f"past the budget: {', '.join(past)}", "stopped at the budget, as rdflib's queries are"))  # fmt: skip
    else:
        slowest = max(med, key=med.__getitem__)
        rows.append(Row("named_queries", med[slowest], f"{sum(v <= 200 for v in med.values())}/{len(med)} hold; slowest {slowest} {med[slowest]:.0f} ms",
                        f"the same query on pyoxigraph {direct[slowest]:.0f} ms: {med[slowest] / direct[slowest]:.2f}×"))  # fmt: skip
    if q is None:
        rows += not_measured("rankings", "questions") + not_measured("whole_read", "questions")
    else:
        slow_reads = [k for k, (mine, _, _) in q["whole"].items() if mine > 200]
        figures |= {"slow_reads": ", ".join(f"{k} {q['whole'][k][0]:.0f} ms" for k in slow_reads),
                    "slow_read_engine": min((q["whole"][k][1] / q["whole"][k][0] for k in slow_reads), default=1.0)}  # fmt: skip
        rows.append(Row("rankings", q["rankings_ms"], f"{q['rankings_ms']:.0f} ms (`MaalGraph.analyse`, all its years)",
                        f"pyoxigraph reading its network {q['rankings_engine_ms']:.0f} ms: {q['rankings_ms'] / q['rankings_engine_ms']:.2f}×"))  # fmt: skip
        for label, (mine, engine, note) in q["whole"].items():
            rows.append(Row("whole_read", mine, f"{mine:.0f} ms",
                            f"pyoxigraph {engine:.0f} ms: {mine / engine:.2f}×" + (f"; {note}" if note else ""), case=label))  # fmt: skip
    if loads is None or oxi_load is None:
        endpoint = not_measured("endpoint_rps", "endpoint") + not_measured(
            "endpoint_memory", "endpoint"
        )
        return rows + endpoint, figures
    oxi_mb = memory["Oxigraph server"]
    figures |= {"rps_oxigraph": oxi_load["rps"], "p50_oxigraph": oxi_load["p50"],
                "mb_oxigraph": oxi_mb, "mb_budget": 2 * oxi_mb}  # fmt: skip
    for mode, (key, where) in SERVE_MEMORY.items():
        rps, mb = loads[mode]["rps"], memory[key]
        figures.update({f"rps_{where}": rps, f"rps_{where}_ratio": rps / oxi_load["rps"], f"p50_{where}": loads[mode]["p50"],
                        f"mb_{where}": mb, f"mb_{where}_ratio": mb / oxi_mb})  # fmt: skip
        rows += [
            Row("endpoint_rps", rps / oxi_load["rps"], f"{rps:.0f} requests/s ({rps / oxi_load['rps']:.2f}×)",
                f"Oxigraph server {oxi_load['rps']:.0f} requests/s", case=f"workers {mode}"),
            Row("endpoint_memory", mb / oxi_mb, f"{mb:,.0f} MB ({mb / oxi_mb:.1f}×)",
                f"Oxigraph server {oxi_mb:,.0f} MB", case=f"workers {mode}"),
        ]  # fmt: skip
    return rows, figures


HOLDS = {True: "yes", False: "**no**", None: "–"}


def render(rows: list[Row], figures: dict[str, Any]) -> list[str]:
    """The targets table and, for each target missed, why and what it would take (from
    targets.toml, filled with this run's figures)."""
    measured = [r for r in rows if r.holds is not None]
    missed = list(dict.fromkeys(r.key for r in rows if r.holds is False))
    out = ["", "Targets of issue 15, measured in this run (each against a reference measured in the same run):", "",
           "| target | measured | reference (same run) and ratio | holds |", "|---|---|---|---|"]  # fmt: skip
    out += [f"| {r.label} | {r.measured} | {r.reference} | {HOLDS[r.holds]} |" for r in rows]
    out += ["", f"{sum(bool(r.holds) for r in measured)} of {len(measured)} measured rows hold; "
            f"targets missed: {len(missed)} of {len(dict.fromkeys(r.key for r in measured))}."]  # fmt: skip
    if missed:
        out += [
            "",
            "Why each missed target is missed, from this run's figures, and what it would take:",
            "",
        ]
        for key in missed:
            spec = TARGETS[key]
            try:
                out.append(f"- **{spec['target']}.** Why: {spec['why'].format_map(figures)}. "
                           f"It would take: {spec['takes'].format_map(figures)}.")  # fmt: skip
            except KeyError as missing:  # its explanation needs a figure of a part not run
                out.append(f"- **{spec['target']}.** Why: not explained in this run (the figure "
                           f"{missing} comes from a part not run, `--parts`).")  # fmt: skip
    return [*out, ""]
