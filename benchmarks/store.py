"""Named queries on maalgraph's store (pyoxigraph) versus rdflib's in-memory Dataset.

The bundled corpus is copied K times under distinct IRIs (as if K municipalities had the
same follow-up) to reach the requested size; every named query then runs on both stores
with the same bound parameters, and the median times and their ratio are printed.
Run: .venv/bin/python benchmarks/store.py [--triples 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pyoxigraph as ox
import rdflib
from timing import median_ms

from maalgraph import MaalGraph
from maalgraph.namespaces import DEFAULT_BASE
from maalgraph.queries import load_queries

MAAL = "https://w3id.org/maalgraph/def#"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
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

    print(f"\n{'named query':<24} {'pyoxigraph ms':>14} {'rdflib ms':>10} {'ratio':>7}")
    ratios = []
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
        ox_ms = median_ms(lambda t=text_q: oxi.store.query(t), args.repeat)
        rdf_ms = median_ms(lambda t=text_q: list(rdf.query(t)), max(1, args.repeat // 2))
        ratios.append(rdf_ms / ox_ms)
        print(f"{name:<24} {ox_ms:14.1f} {rdf_ms:10.1f} {rdf_ms / ox_ms:6.1f}×")
    print(f"\nmedian speed-up of pyoxigraph over rdflib in-memory: {statistics.median(ratios):.1f}× "
          f"(min {min(ratios):.1f}×, max {max(ratios):.1f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
