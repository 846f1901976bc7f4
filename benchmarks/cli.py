"""How fast the command line starts and answers, against ``python -c "import rdflib"`` as the
floor, all measured in the same run (the commands take turns, so a busy machine slows each
alike), and how long the Danish lemma table takes to load in three forms.

Targets (issue 14): ``--help``/``--version`` at most 0.3 s; ``stats`` and ``ask`` on the bundled
corpus at most 1 s, from the on-disk cache (the first run builds it: shown as "cold"). spaCy's
import is timed for comparison: ``ask`` matches its words without it (docs/questions.md).
Run: .venv/bin/python benchmarks/cli.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_ms

from maalgraph.lang import data_file

PYTHON = sys.executable
SCRIPT = str(Path(PYTHON).with_name("maalgraph"))
QUESTION = "Hvilke mål afhænger af Blå Kors?"

COMMANDS = {
    "python (nothing)": [PYTHON, "-c", "pass"],
    'python -c "import rdflib" (floor)': [PYTHON, "-c", "import rdflib"],
    'python -c "import spacy" (no command pays it now)': [PYTHON, "-c", "import spacy"],
    "maalgraph --version": [SCRIPT, "--version"],
    "maalgraph --help": [SCRIPT, "--help"],
    "maalgraph stats": [SCRIPT, "stats"],
    f'maalgraph ask "{QUESTION}"': [SCRIPT, "ask", QUESTION],
}
TARGETS = {"maalgraph --version": 0.3, "maalgraph --help": 0.3, "maalgraph stats": 1.0,
           f'maalgraph ask "{QUESTION}"': 1.0}  # fmt: skip


def wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


def commands(repeat: int, env: dict[str, str]) -> None:
    for command in COMMANDS.values():  # warm-up: the file cache, and the corpus cache built
        wall(command, env)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(repeat):
        for name, command in COMMANDS.items():
            times[name].append(wall(command, env))
    floor = statistics.median(times['python -c "import rdflib" (floor)'])
    print(f"load average {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    print(f"{'command':<58} {'median s':>8} {'min s':>6} {'× floor':>8} {'target':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        target = f"≤ {TARGETS[name]:.1f}" if name in TARGETS else ""
        print(f"{name:<58} {median:8.2f} {min(values):6.2f} {median / floor:7.1f}× {target:>7}")


def cold(env: dict[str, str]) -> None:
    """The first ``stats`` after a change: the corpus is ingested and the cache written."""
    folder = tempfile.mkdtemp(prefix="maalgraph-bench-cache-")
    try:
        seconds = wall([SCRIPT, "stats"], {**env, "MAALGRAPH_CACHE_DIR": folder})
        print(f"{'maalgraph stats, cold (builds the cache)':<58} {seconds:8.2f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def lemma_table(repeat: int) -> None:
    """The lemma table as shipped (sorted lines, bisection), as a dict, and as a spaCy Table."""
    from spacy.lookups import Table

    from maalgraph.nlp import LemmaTable

    path = data_file("da", "lemma_lookup.tsv.gz")

    def lines() -> list[str]:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return f.read().splitlines()

    def as_dict() -> dict[str, str]:
        return dict(line.split("\t", 1) for line in lines())

    entries = as_dict()
    timings = {
        "sorted lines + bisection (shipped)": median_ms(LemmaTable.load, repeat),
        "dict": median_ms(as_dict, repeat),
        "spaCy Table.from_dict (the dict given)": median_ms(lambda: Table.from_dict(entries), 3),
    }
    print(f"\nlemma table, {len(entries):,} forms: load time")
    for name, ms in timings.items():
        print(f"  {name:<40} {ms:8.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAALGRAPH_")}
    env["MAALGRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="maalgraph-bench-cache-")
    try:
        commands(args.repeat, env)
        cold(env)
    finally:
        shutil.rmtree(env["MAALGRAPH_CACHE_DIR"], ignore_errors=True)
    lemma_table(args.repeat)


if __name__ == "__main__":
    main()
