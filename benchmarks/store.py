"""Named queries on maalgraph's store (pyoxigraph) versus rdflib's in-memory Dataset, and
through the two tested external servers (Oxigraph server, Virtuoso) over HTTP.

The bundled corpus is copied K times under distinct IRIs (as if K municipalities had the
same follow-up) to reach the requested size; every named query then runs on each store
with the same bound parameters, and the median times and their ratios are printed. The
servers are started on free 127.0.0.1 ports (as the tests start them) and fed the same quads.
Run: .venv/bin/python benchmarks/store.py [--triples 100000] [--repeat 5] [--no-servers]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox
import rdflib
from timing import median_ms

from maalgraph import MaalGraph
from maalgraph.namespaces import DEFAULT_BASE
from maalgraph.queries import load_queries

MAAL = "https://w3id.org/maalgraph/def#"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from servers import REMOTE_BACKENDS, remote_backend  # noqa: E402


def feed(kg: MaalGraph, quads: list[ox.Quad]) -> float:
    """Every graph written as maalgraph writes a document: one update request each."""
    start = time.perf_counter()
    graphs: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for q in quads:
        graphs[q.graph_name.value].append((q.subject, q.predicate, q.object))
    for graph, triples in graphs.items():
        kg.store.replace_graph(graph, triples)  # type: ignore[arg-type]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-servers", action="store_true", help="skip Oxigraph server and Virtuoso"
    )
    args = parser.parse_args()

    example = MaalGraph.example()
    data = example.export("nq").decode("utf-8")
    ontology_graph = f"<{DEFAULT_BASE}graph/ontology>"
    onto_lines = [line for line in data.splitlines() if line.endswith(f"{ontology_graph} .")]
    doc_lines = "\n".join(
        line for line in data.splitlines() if not line.endswith(f"{ontology_graph} .")
    )
    copies = max(1, args.triples // max(doc_lines.count("\n") + 1, 1))
    text = (
        "\n".join(onto_lines)
        + "\n"
        + "\n".join(
            doc_lines.replace(DEFAULT_BASE, f"{DEFAULT_BASE}copy{i}/") for i in range(copies)
        )
    )
    params = {  # bound values taken from the first copy
        "entity": next(
            r["entity"]
            for r in example.named("entities").rows
            if r["label"] == "Blå Kors Varmestue"
        ),
        "goal": example.named("goals").rows[0]["goal"],
        "report": example.named("goals").rows[0]["report"],
        "paragraph": example.named("goals").rows[0]["source"],
        "verdict": MAAL + "DelvistOpfyldt",
        "year": 2020,
        "indicator": "borgere i fleksjob",
        "label": "Blå Kors Varmestue",
    }
    params = {k: v.replace(DEFAULT_BASE, f"{DEFAULT_BASE}copy0/") if isinstance(v, str) and v.startswith(DEFAULT_BASE) else v
              for k, v in params.items()}  # fmt: skip

    start = time.perf_counter()
    oxi = MaalGraph.memory()
    oxi.store._store.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    ox_load = time.perf_counter() - start
    start = time.perf_counter()
    rdf = rdflib.Dataset(default_union=True)
    rdf.parse(data=text, format="nquads")
    rdf_load = time.perf_counter() - start
    print(f"{len(oxi.store):,} quads ({copies} copies of the corpus); load: pyoxigraph {ox_load:.2f} s, "
          f"rdflib {rdf_load:.2f} s")  # fmt: skip

    with ExitStack() as stack:
        remotes: dict[str, MaalGraph] = {}
        if not args.no_servers:
            quads = list(oxi.store._store)
            for name in REMOTE_BACKENDS:
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                backend = stack.enter_context(remote_backend(name, folder / "data"))
                kg = stack.enter_context(backend.connect(writable=True))
                print(f"load into {name} over HTTP (one update per graph): {feed(kg, quads):.1f} s")
                remotes[name] = kg
        compare(oxi, rdf, remotes, params, args.repeat)


def compare(
    oxi: MaalGraph, rdf: rdflib.Dataset, remotes: dict[str, MaalGraph], params: dict, repeat: int
) -> None:
    head = f"\n{'named query':<24} {'pyoxigraph ms':>14} {'rdflib ms':>10} {'ratio':>7}"
    print(head + "".join(f" {name + ' ms':>14} {'ratio':>7}" for name in remotes))
    ratios: dict[str, list[float]] = defaultdict(list)
    for name, query in sorted(load_queries().items()):
        bound = {
            p.name: params[p.name] for p in query.parameters if p.name in params and not p.optional
        }
        missing = [p.name for p in query.parameters if not p.optional and p.name not in params]
        if missing:
            raise SystemExit(
                f"named query {name} needs {', '.join(missing)}: add a value to params above"
            )
        text_q = query.render(bound)
        ox_ms = median_ms(lambda t=text_q: oxi.store.query(t), repeat)
        rdf_ms = median_ms(lambda t=text_q: list(rdf.query(t)), max(1, repeat // 2))
        ratios["rdflib"].append(rdf_ms / ox_ms)
        line = f"{name:<24} {ox_ms:14.1f} {rdf_ms:10.1f} {rdf_ms / ox_ms:6.1f}×"
        for server, kg in remotes.items():
            ms = median_ms(lambda t=text_q, kg=kg: kg.store.query(t), repeat)
            ratios[server].append(ms / ox_ms)
            line += f" {ms:14.1f} {ms / ox_ms:6.1f}×"
        print(line)
    for other, values in ratios.items():
        print(f"median time on {other} over the embedded pyoxigraph store: {statistics.median(values):.1f}× "
              f"(min {min(values):.1f}×, max {max(values):.1f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
