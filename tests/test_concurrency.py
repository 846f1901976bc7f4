"""The question path under concurrency: the dev questions asked from 8 threads at once, and by
8 concurrent clients of ``/api/ask``, give exactly the answers they give when asked alone.

Whatever the question layer looks like inside, these hold: they compare whole answers."""

from __future__ import annotations

import json
import random
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from servers import Server, maalgraph_server

from maalgraph import MaalGraph

DATA = Path(__file__).parent / "data"
# the same 42 questions as the shared eval's dev-questions.json
QUESTIONS = (DATA / "dev-questions.txt").read_text(encoding="utf-8").splitlines()
THREADS = 8


def _canonical(answer: dict[str, object]) -> str:
    return json.dumps(answer, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def alone() -> dict[str, str]:
    """Each question asked alone, one after the other, on a graph of its own."""
    kg = MaalGraph.example()
    return {q: _canonical(kg.ask(q).to_dict()) for q in QUESTIONS}


def _in_threads(ask: Callable[[str], str], rounds: int) -> list[tuple[str, str]]:
    """Every thread asks every question ``rounds`` times, each in its own order, all
    starting together; returns (question, answer or error) for each asking."""
    start = threading.Barrier(THREADS)

    def client(seed: int) -> list[tuple[str, str]]:
        order = QUESTIONS * rounds
        random.Random(seed).shuffle(order)
        start.wait()
        out = []
        for question in order:
            try:
                out.append((question, ask(question)))
            except Exception as exc:  # noqa: BLE001  (an error is a wrong answer here)
                out.append((question, f"error: {exc!r}"))
        return out

    with ThreadPoolExecutor(THREADS) as pool:
        return [pair for part in pool.map(client, range(THREADS)) for pair in part]


@pytest.fixture()
def frequent_switches() -> Iterator[None]:
    """Threads switch every microsecond instead of every 5 ms: races show at once."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@pytest.mark.usefixtures("frequent_switches")
def test_eight_threads_get_the_answers_of_one(alone: dict[str, str]) -> None:
    kg = MaalGraph.example()  # fresh: the indexes are built while the threads ask
    answers = _in_threads(lambda q: _canonical(kg.ask(q).to_dict()), rounds=2)
    wrong = [(q, got[:160]) for q, got in answers if got != alone[q]]
    assert len(answers) == THREADS * 2 * len(QUESTIONS)
    assert wrong == []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with maalgraph_server(tmp_path_factory.mktemp("concurrency")) as s:
        yield s


def test_eight_clients_of_api_ask_get_the_answers_of_one(
    server: Server, alone: dict[str, str]
) -> None:
    def ask(question: str) -> str:
        url = f"{server.url}/api/ask?" + urllib.parse.urlencode({"q": question})
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return _canonical(json.loads(response.read()))
        except urllib.error.HTTPError as exc:  # 422: not understood, with the same JSON
            return _canonical(json.loads(exc.read()))

    answers = _in_threads(ask, rounds=1)
    wrong = [(q, got[:160]) for q, got in answers if got != alone[q]]
    assert len(answers) == THREADS * len(QUESTIONS)
    assert wrong == []
