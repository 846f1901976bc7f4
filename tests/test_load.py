"""Load and faults: 8 concurrent clients mixing good queries, malformed queries and a
query-of-death against a live endpoint, in a bounded loop (MAALGRAPH_LOAD_SECONDS, default 60)."""

from __future__ import annotations

import os
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator

import pytest
from servers import Server, maalgraph_server

from maalgraph import MaalGraph
from maalgraph.queries import get_query

SECONDS = float(os.environ.get("MAALGRAPH_LOAD_SECONDS", "60"))
CLIENTS = 8
QUERY_OF_DEATH = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MALFORMED = [
    "SELECT * WHERE { ?s ?p }",
    "ASK {",
    'SELECT ?x WHERE { ?x <http://a> "unterminated }',
    "CONSTRUCT",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with maalgraph_server(tmp_path_factory.mktemp("load"), "--workers", "3", "--timeout", "2") as s:
        yield s


def good_queries(example: MaalGraph) -> list[str]:
    """Every named query that needs no parameter, and the dependency queries for each partner."""
    texts = [get_query(name).render({}) for name in example.named_queries()
             if not any(not p.optional for p in get_query(name).parameters)]  # fmt: skip
    for row in example.named("entities").rows[:5]:
        texts.append(get_query("impact").render({"entity": row["entity"]}))
    return texts


def status_of(server: Server, query: str) -> int:
    url = f"{server.sparql}?" + urllib.parse.urlencode({"query": query})
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_mixed_load_with_a_query_of_death(server: Server, example: MaalGraph) -> None:
    good = good_queries(example)
    outcomes: dict[str, Counter[int]] = {
        "good": Counter(),
        "malformed": Counter(),
        "death": Counter(),
    }
    health: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            roll = rng.random()
            kind, query = ("death", QUERY_OF_DEATH) if roll < 0.03 else \
                ("malformed", rng.choice(MALFORMED)) if roll < 0.2 else ("good", rng.choice(good))  # fmt: skip
            status = status_of(server, query)
            with lock:
                outcomes[kind][status] += 1

    def watch_health() -> None:
        while time.monotonic() < deadline:
            started = time.monotonic()
            with urllib.request.urlopen(f"{server.url}/health", timeout=5) as response:
                response.read()
            health.append(time.monotonic() - started)
            time.sleep(0.2)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    threads.append(threading.Thread(target=watch_health))
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 120)
    print(f"\n{SECONDS:.0f} s, {CLIENTS} clients: " + ", ".join(f"{k} {dict(v)}" for k, v in outcomes.items())
          + f"; /health max {max(health) * 1000:.0f} ms over {len(health)} checks")  # fmt: skip
    assert outcomes["good"] and set(outcomes["good"]) == {200}, outcomes["good"]
    assert set(outcomes["malformed"]) == {400}
    assert outcomes["death"] and set(outcomes["death"]) == {503}
    assert max(health) < 1.0
    assert server.process.poll() is None
    assert status_of(server, good[0]) == 200
