"""The Danish question layer: how many questions it answers right, and how fast it understands.

Prints, in one run:
- the score of the shared dev questions (bundled corpus) and of each question set of
  tests/questions/ on its store (tests/question_sets.py: three municipalities over two years;
  twenty municipalities with the documents of other layouts and formats; the bundled
  corpus), judged as shared/eval/check.py judges them, against the target of 95 % a set;
- per store size (the largest question sets' store, and synthetic stores of about 10k and 1M triples
  built by benchmarks/run.py's ingest): the first question's index build (the names, the
  distinct texts; for the synthetic stores in a fresh process that opens the store, as a new
  server or command does, median of three), and the time to *understand* a question after warm-up (mentions and ranked readings,
  everything but running the queries), median and p95, with the end-to-end ``ask`` median for
  comparison. At the synthetic scales the questions are the question sets' plus questions made
  from the store's own names (some misspelt), so that names are found, not only missed.

Run: .venv/bin/python benchmarks/questions.py [--scales 10k,1M] [--work DIR] [--repeat N]
A synthetic store is built once under --work (1M triples take about five minutes) and reused.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from maalgraph import MaalGraph
from maalgraph.nlp import danish
from maalgraph.question.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from question_sets import SET_STORES, judge, question_set, question_store  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev-questions.json"
STORES = {
    "three": "three municipalities, two years each",
    "formats": "twenty municipalities, other layouts and formats",
    "seeds": "the bundled corpus",
}
SCALES = {"10k": 10_000, "1M": 1_000_000}
TARGET_MS, BUILD_TARGET_MS = 5.0, 500.0


def score(kg: MaalGraph, items: list[dict[str, object]]) -> tuple[int, list[str]]:
    failed = [f"{i['id']}: {i['q']} — {why}" for i in items
              if (why := judge(i, kg.ask(str(i["q"])).to_dict())) is not None]  # fmt: skip
    return len(items) - len(failed), failed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


FIRST_BUILD = """
import sys, time
from maalgraph import MaalGraph
from maalgraph.nlp import danish
from maalgraph.question.vocabulary import vocabulary
danish(), vocabulary()  # once per process, whatever the store
kg = MaalGraph.open(sys.argv[1], read_only=True)
start = time.perf_counter()
kg.answerer.lexicon
print((time.perf_counter() - start) * 1000)
"""


def first_build(store: Path, runs: int = 3) -> float:
    """The first question's index build, as a new server or command sees it: in a fresh
    process that opens the store (median of ``runs``, ms)."""
    times = [
        float(subprocess.run([sys.executable, "-c", FIRST_BUILD, str(store)], capture_output=True,
                             text=True, check=True).stdout.split()[-1])
        for _ in range(runs)
    ]  # fmt: skip
    return statistics.median(times)


def timings(kg: MaalGraph, questions: list[str], repeat: int) -> dict[str, float]:
    """Index build (in this process), then understanding and end-to-end times after warm-up (ms)."""
    start = time.perf_counter()
    answerer = kg.answerer
    answerer.lexicon  # noqa: B018 - the names and texts, read from the store
    build = (time.perf_counter() - start) * 1000
    for q in questions:
        answerer.understand(q)
    per_question = []
    for q in questions:
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            answerer.understand(q)
            runs.append((time.perf_counter() - t) * 1000)
        per_question.append(statistics.median(runs))
    asked = []
    for q in questions[:: max(1, len(questions) // 40)]:
        t = time.perf_counter()
        kg.ask(q)
        asked.append((time.perf_counter() - t) * 1000)
    return {"build": build, "median": statistics.median(per_question), "p95": percentile(per_question, 0.95),
            "max": max(per_question), "ask": statistics.median(asked), "n": len(questions)}  # fmt: skip


def own_questions(kg: MaalGraph, count: int = 60, seed: int = 13) -> list[str]:
    """Questions about a store's own partners, projects, municipalities and years, some with a
    letter dropped (a typo), in the families' usual wordings."""
    rng = random.Random(seed)
    entities = [e for e in kg.entity_index.entities() if e.kind in ("partner", "project", "unit")]
    scopes = [
        (str(r["municipalityLabel"]), r["year"])
        for r in kg.named("municipalities").rows
        if r.get("year")
    ]
    out = []
    for _ in range(count):
        name = rng.choice(entities).label
        if rng.random() < 0.3 and len(name) > 6:
            cut = rng.randrange(2, len(name) - 1)
            name = name[:cut] + name[cut + 1 :]
        place, year = rng.choice(scopes)
        out.append(rng.choice([
            f"Hvilke mål afhænger af {name}?", f"Hvad sker der hvis {name} stopper?",
            f"Hvilke mål hjælper {name} med i {year}?", f"Hvor mange mål er opfyldt i {place} i {year}?",
            f"Hvilke mål er ikke opfyldt i {place.removesuffix(' Kommune')}?",
            f"Hvor mange borgere var i fleksjob i {place} i {year}?", f"Hvad er status på målet om fleksjob i {year}?",
        ]))  # fmt: skip
    return out


def synthetic_store(label: str, work: Path) -> Path:
    """A synthetic store of about SCALES[label] triples under ``work`` (built once)."""
    store = work / label / "store"
    if not (store / "CURRENT").exists():
        import run  # benchmarks/run.py: the scale benchmark's ingest

        print(f"building the {label} store under {work / label} …", flush=True)
        (work / label).mkdir(parents=True, exist_ok=True)
        run.ingest(SCALES[label], work / label / "build")
        (work / label / "build" / "store").rename(store)
    return store


def report(label: str, t: dict[str, float], triples: int) -> None:
    ok = "ok" if t["median"] <= TARGET_MS else "MISSED"
    built = "ok" if t["build"] <= BUILD_TARGET_MS else "MISSED"
    again = f", {t['rebuild']:.0f} ms in a warm process" if "rebuild" in t else ""
    print(f"{label:>10} {triples:>10,} triples: index build {t['build']:7.0f} ms ({built}, target ≤ {BUILD_TARGET_MS:.0f}{again}); "
          f"understanding median {t['median']:.2f} ms ({ok}, target ≤ {TARGET_MS:.0f}), p95 {t['p95']:.2f}, "
          f"max {t['max']:.2f} ms over {t['n']:.0f} questions; ask end to end median {t['ask']:.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scales",
        default="10k,1M",
        help="synthetic store sizes, comma-separated (10k, 1M; '' for none)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/maalgraph-question-bench"))
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    start = time.perf_counter()
    danish()
    vocabulary()
    print(
        f"once per process: the spaCy pipeline and the question vocabulary {(time.perf_counter() - start) * 1000:.0f} ms\n"
    )

    dev = json.loads(DEV.read_text(encoding="utf-8")) if DEV.exists() else []
    example = MaalGraph.example()
    if dev:
        right, failed = score(example, dev)
        print(f"shared dev questions (bundled corpus): {right}/{len(dev)}")
        for f in failed:
            print("  FAIL", f)
    stores = {s: question_store(s) for s in set(SET_STORES.values()) - {"seeds"}}
    stores["seeds"] = example
    total_right = total = 0
    for name, where in SET_STORES.items():
        items = question_set(name)
        right, failed = score(stores[where], items)
        total_right, total = total_right + right, total + len(items)
        ok = "ok" if right >= 0.95 * len(items) else "MISSED"
        print(
            f"{name} ({STORES[where]}): {right}/{len(items)} ({100 * right / len(items):.1f} %, {ok})"
        )
        for f in failed:
            print("  FAIL", f)
    print(
        f"own question sets together: {total_right}/{total} ({100 * total_right / total:.1f} %, target ≥ 95 % each)\n"
    )

    asked = [str(i["q"]) for name in SET_STORES for i in question_set(name)] + [
        str(i["q"]) for i in dev
    ]
    asked = list(dict.fromkeys(asked))
    largest = question_store("formats" if "formats" in stores else "three")
    report("questions", timings(largest, asked, args.repeat), len(largest.store))
    for label in [s for s in args.scales.split(",") if s]:
        path = synthetic_store(label, args.work)
        built = first_build(path)
        kg = MaalGraph.open(path, read_only=True)
        questions = asked + own_questions(kg)
        measured = timings(kg, questions, args.repeat)
        report(label, {**measured, "build": built, "rebuild": measured["build"]}, len(kg.store))
        kg.close()


if __name__ == "__main__":
    main()
