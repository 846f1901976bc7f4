"""Time the Danish question layer on the bundled corpus.

Prints, per question and overall, the median time to *understand* a question (spaCy,
intent rules, entity linking — everything but running the query) and the median
end-to-end time of ``MaalGraph.ask`` (understanding, queries, sources, phrasing).
Run: .venv/bin/python benchmarks/questions.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from timing import median_ms

from maalgraph import MaalGraph
from maalgraph.question import QuestionAnswerer

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev-questions.json"
FALLBACK = [
    "Hvilke mål afhænger af Blå Kors?", "Hvilke mål er ikke opfyldt?", "Hvor mange mål er opfyldt?",
    "Hvad er status på målet om fleksjob?", "Hvor mange borgere var i fleksjob i 2020?",
    "Hvilket udvalg behandlede opfølgningen?", "Hvad sker der hvis Blå Kors stopper?", "asdf qwerty",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    questions = (
        [q["q"] for q in json.loads(DEV.read_text(encoding="utf-8"))] if DEV.exists() else FALLBACK
    )
    start = time.perf_counter()
    kg = MaalGraph.example()
    answerer = QuestionAnswerer(kg)
    print(f"setup (ingest bundled corpus + indexes): {(time.perf_counter() - start) * 1000:.0f} ms")
    for q in questions:  # warm-up
        answerer.ask(q)
    understand, end_to_end = [], []
    for q in questions:
        understand.append(median_ms(lambda q=q: answerer.understander.understand(q), args.repeat))
        end_to_end.append(median_ms(lambda q=q: answerer.ask(q), max(args.repeat // 5, 3)))
    width = max(len(q) for q in questions)
    print(f"{'question':<{width}}  understand ms  end-to-end ms")
    for q, u, e in zip(questions, understand, end_to_end, strict=True):
        print(f"{q:<{width}}  {u:13.2f}  {e:13.2f}")
    u, e = statistics.median(understand), statistics.median(end_to_end)
    print(f"\nmedian over {len(questions)} questions: understand {u:.2f} ms (target ≤ 5 ms), "
          f"end-to-end {e:.2f} ms; querying and phrasing take {e / u:.1f}× the understanding time")  # fmt: skip


if __name__ == "__main__":
    main()
