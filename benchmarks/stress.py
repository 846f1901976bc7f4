"""The stress run: ``maalgraph serve`` under load while a hostile client attacks it.

Starts ``maalgraph serve`` (the bundled corpus, updates on, a token from a file) and an HTTP
listener that stands for "another server", both on 127.0.0.1. First every good request is
answered once, alone: those answers are the reference. Then, for ``--seconds``:

- ``--clients`` clients (8) cycle through the named queries (POST /sparql) and the dev
  questions (GET /api/ask); every answer is compared with the reference;
- one client sends the attacks of issue 11 over and over: SERVICE and LOAD in every spelling
  (aimed at the listener), 4 MB of ``{``, updates without or with a wrong token, an 8 MB
  ``Accept`` header, 10,000-deep nesting, a query that wants gigabytes, one that runs for
  hours, ``%FF``;
- a prober asks ``/health`` every 50 ms;
- a sampler reads the resident memory of the server and its workers every half second.

It prints good requests, errors and changed answers, p50/p95 latency, ``/health`` p95, memory
over time against each worker's cap, and the attacks refused, and checks the targets: 0
errors and 0 changed answers, ``/health`` p95 < 100 ms, worker memory within its cap, every
attack refused or cut off and nothing sent to the listener. Exit status 1 if one is missed.

Run: make stress   (or .venv/bin/python benchmarks/stress.py --seconds 60)
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from maalgraph.queries import load_queries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from attacks import EVIL, LOAD_UPDATES, SERVICE_QUERIES  # noqa: E402
from servers import Server, maalgraph_server  # noqa: E402

TOKEN = "stress-token"
QUESTIONS = (ROOT / "tests" / "data" / "dev-questions.txt").read_text(encoding="utf-8").splitlines()
CROSS_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i"
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HEALTH_P95_MS = 100.0


# ---------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Good:
    """A request a policy officer's tool would send, and how to compare its answers."""

    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


def good_requests() -> list[Good]:
    form = (("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/sparql-results+json"))  # fmt: skip
    out = [
        Good(f"query {q.name}", "POST", "/sparql", urllib.parse.urlencode({"query": q.render({})}).encode(), form)
        for q in sorted(load_queries().values(), key=lambda q: q.name)
        if all(p.optional for p in q.parameters)
    ]  # fmt: skip
    out += [
        Good(f"ask {q}", "GET", "/api/ask?" + urllib.parse.urlencode({"q": q})) for q in QUESTIONS
    ]
    return out


def canonical(request: Good, status: int, body: bytes) -> str:
    """An answer in a form that does not depend on row order (a query without ORDER BY may
    list its rows in any order)."""
    data = json.loads(body)
    if request.path == "/sparql":
        bindings = data.get("results", {}).get("bindings", [])
        data["results"] = sorted(json.dumps(b, sort_keys=True) for b in bindings)
    return f"{status} {json.dumps(data, sort_keys=True)}"


def call(connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, bytes]:  # fmt: skip
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


# ---------------------------------------------------------------------------- attacks


@dataclass(frozen=True)
class Attack:
    name: str
    send: Callable[[str], int | None]  # status, or None when the server cut the connection
    refused: tuple[int, ...]  # the statuses that mean "refused"


def _raw(base: str, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> int | None:  # fmt: skip
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=120)
    try:
        return call(connection, method, path, body, headers)[0]
    except (ConnectionError, http.client.HTTPException, OSError):
        return None
    finally:
        connection.close()


def attacks(listener: str) -> list[Attack]:
    def query(text: str) -> Callable[[str], int | None]:
        body = text.replace(EVIL, listener).encode()
        return lambda base: _raw(
            base, "POST", "/sparql", body, {"Content-Type": "application/sparql-query"}
        )

    def update(text: str, token: str | None = TOKEN) -> Callable[[str], int | None]:
        body = text.replace(EVIL, listener).encode()
        headers = {"Content-Type": "application/sparql-update"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return lambda base: _raw(base, "POST", "/sparql", body, headers)

    braces = "{" * (4 * 1024 * 1024)
    out = [
        Attack(f"SERVICE: {name}", query(text), (400,)) for name, text in SERVICE_QUERIES.items()
    ]
    out += [Attack(f"update: {name}", update(text), (400,)) for name, text in LOAD_UPDATES.items()]
    out += [
        Attack("4 MB of { as a query", query(braces), (400,)),
        Attack("4 MB update, no token", update(braces, token=None), (401,)),
        Attack("4 MB update, wrong token", update(braces, token="wrong"), (403,)),
        Attack("8 MB Accept header", lambda base: _raw(base, "GET", "/sparql?query=ASK%7B%7D",
                                                        headers={"Accept": "a" * (8 * 1024 * 1024)}), (431,)),
        Attack("10,000 nested { } query", query("SELECT * WHERE " + "{ " * 10_000 + "} " * 10_000), (400,)),
        Attack("10,000 nested ( ) query", query("ASK { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"), (400,)),
        Attack("10,000 nested update", update("INSERT { ?s ?p ?o } WHERE " + "{ " * 10_000 + "?s ?p ?o " + "} " * 10_000), (400,)),
        Attack("query wanting gigabytes", query(CROSS_PRODUCT), (503,)),
        Attack("query running for hours", query(FOREVER), (503,)),
        Attack("%FF in the query string", lambda base: _raw(base, "GET", "/sparql?query=ASK%7B%7D%FF"), (400,)),
        Attack("%FF in /api/ask", lambda base: _raw(base, "GET", "/api/ask?q=m%E5l"), (400,)),
    ]  # fmt: skip
    return out


class Listener:
    """'Another server' on 127.0.0.1: records whatever reaches it."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/x"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------- memory


def descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                children = [int(c) for c in (task / "children").read_text().split()]
                found += children
                pending += children
        except OSError:
            continue
    return found


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def cap_mb(pid: int) -> float | None:
    """The process's address-space cap (RLIMIT_AS, soft), None if it has none."""
    try:
        for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
            if line.startswith("Max address space"):
                soft = line.split()[3]
                return None if soft == "unlimited" else int(soft) / 1024 / 1024
    except OSError:
        pass
    return None


@dataclass
class Memory:
    samples: list[tuple[float, float, float]] = field(
        default_factory=list
    )  # (s, server, workers max)
    over_cap: list[str] = field(default_factory=list)
    caps: set[float] = field(default_factory=set)

    def sample(self, server_pid: int, elapsed: float) -> None:
        server = rss_mb(server_pid) or 0.0
        worst = 0.0
        for pid in descendants(server_pid):
            rss, cap = rss_mb(pid), cap_mb(pid)
            if rss is None or cap is None:  # the fork server has no cap; workers do
                continue
            self.caps.add(round(cap))
            worst = max(worst, rss)
            if rss > cap:
                self.over_cap.append(f"worker {pid}: {rss:.0f} MB > cap {cap:.0f} MB")
        self.samples.append((elapsed, server, worst))


# ---------------------------------------------------------------------------- the run


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--query-memory", type=int, default=256, metavar="MB")
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()

    listener = Listener()
    with tempfile.TemporaryDirectory(prefix="maalgraph-stress-") as tmp:
        token_file = Path(tmp) / "token"
        token_file.write_text(TOKEN, encoding="utf-8")
        options = ["--allow-update", "--token-file", str(token_file), "--workers", str(args.workers),
                   "--query-memory", str(args.query_memory), "--timeout", str(args.timeout)]  # fmt: skip
        with maalgraph_server(Path(tmp), *options) as server:
            code = run(server, listener, args)
    listener.close()
    return code


def run(server: Server, listener: Listener, args: argparse.Namespace) -> int:
    host = server.url.removeprefix("http://")
    requests = good_requests()
    reference: dict[str, str] = {}
    connection = http.client.HTTPConnection(host, timeout=120)
    for request in requests:  # alone, one after the other
        status, body = call(
            connection, request.method, request.path, request.body, dict(request.headers)
        )
        reference[request.name] = canonical(request, status, body)
    connection.close()
    print(f"reference: {len(requests)} good requests answered alone "
          f"({sum(r.startswith('query') for r in reference)} named queries, {len(QUESTIONS)} questions)")  # fmt: skip

    deadline = time.monotonic() + args.seconds
    started = time.monotonic()
    lock = threading.Lock()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    health_ms: list[float] = []
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    memory = Memory()

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(host, timeout=120)
        i = offset
        while time.monotonic() < deadline:
            request = requests[i % len(requests)]
            i += 1
            before = time.perf_counter()
            try:
                status, body = call(
                    connection, request.method, request.path, request.body, dict(request.headers)
                )
                answer = canonical(request, status, body)
            except (OSError, http.client.HTTPException, ValueError) as exc:
                connection.close()
                connection = http.client.HTTPConnection(host, timeout=120)
                with lock:
                    errors[f"{request.name}: {type(exc).__name__}"] += 1
                continue
            elapsed = (time.perf_counter() - before) * 1000
            kind = "query" if request.path == "/sparql" else "ask"
            with lock:
                latencies[kind].append(elapsed)
                if status >= 500:
                    errors[f"{request.name}: {status}"] += 1
                elif answer != reference[request.name]:
                    changed[request.name] += 1
        connection.close()

    def attacker() -> None:
        todo = attacks(listener.url)
        i = 0
        while time.monotonic() < deadline:
            attack = todo[i % len(todo)]
            i += 1
            status = attack.send(server.url)
            verdict = (
                "refused"
                if status in attack.refused
                else "cut off"
                if status is None
                else f"answered {status}"
            )
            with lock:
                outcomes[attack.name][verdict] += 1

    def prober() -> None:
        connection = http.client.HTTPConnection(host, timeout=120)
        while time.monotonic() < deadline:
            before = time.perf_counter()
            status, _ = call(connection, "GET", "/health")
            with lock:
                health_ms.append(
                    (time.perf_counter() - before) * 1000 if status == 200 else float("inf")
                )
            time.sleep(0.05)
        connection.close()

    def sampler() -> None:
        while time.monotonic() < deadline:
            memory.sample(server.process.pid, time.monotonic() - started)
            time.sleep(0.5)

    threads = [threading.Thread(target=client, args=(n * 7,)) for n in range(args.clients)]
    threads += [threading.Thread(target=f) for f in (attacker, prober, sampler)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    alive = server.process.poll() is None
    return report(
        args, seconds, latencies, errors, changed, health_ms, outcomes, memory, listener, alive
    )


def report(args: argparse.Namespace, seconds: float, latencies: dict[str, list[float]],
           errors: Counter[str], changed: Counter[str], health_ms: list[float],
           outcomes: dict[str, Counter[str]], memory: Memory, listener: Listener, alive: bool) -> int:  # fmt: skip
    good = sum(len(v) for v in latencies.values()) + sum(errors.values())
    print(f"\n{args.clients} clients for {seconds:.0f} s, {args.workers} workers, "
          f"--query-memory {args.query_memory} MB, --timeout {args.timeout:g} s\n")  # fmt: skip
    print("| good requests | count | per second | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for kind, label in (
        ("query", "named queries (POST /sparql)"),
        ("ask", "questions (GET /api/ask)"),
    ):
        values = latencies[kind]
        print(f"| {label} | {len(values)} | {len(values) / seconds:.1f} | "
              f"{statistics.median(values) if values else float('nan'):.1f} | {percentile(values, 95):.1f} |")  # fmt: skip
    print(f"\nerrors on good requests: {sum(errors.values())}"
          + (f" ({', '.join(f'{k} ×{v}' for k, v in errors.most_common(5))})" if errors else ""))  # fmt: skip
    print(f"changed answers: {sum(changed.values())}"
          + (f" ({', '.join(f'{k} ×{v}' for k, v in changed.most_common(5))})" if changed else ""))  # fmt: skip
    health_p95 = percentile(health_ms, 95)
    print(f"/health: {len(health_ms)} probes, p50 {statistics.median(health_ms):.1f} ms, "
          f"p95 {health_p95:.1f} ms, max {max(health_ms):.1f} ms")  # fmt: skip

    print("\n| attack | sent | refused | cut off | answered otherwise |")
    print("|---|---:|---:|---:|---:|")
    missed = []
    for name, counts in outcomes.items():
        other = sum(v for k, v in counts.items() if k.startswith("answered"))
        if other:
            missed.append(f"{name}: {dict(counts)}")
        print(
            f"| {name} | {sum(counts.values())} | {counts['refused']} | {counts['cut off']} | {other} |"
        )
    print(f"\nrequests that reached the listener (another server): {len(listener.hits)}")

    print("\nresident memory, MB (server process; largest worker; worker cap "
          f"{', '.join(f'{c:.0f}' for c in sorted(memory.caps)) or 'none'}):")  # fmt: skip
    step = max(1, len(memory.samples) // 12)
    print("| s | server | largest worker |")
    print("|---:|---:|---:|")
    for at, server_mb, worker_mb in memory.samples[::step]:
        print(f"| {at:.0f} | {server_mb:.0f} | {worker_mb:.0f} |")
    peak_server = max((s for _, s, _ in memory.samples), default=0.0)
    peak_worker = max((w for _, _, w in memory.samples), default=0.0)
    print(f"peak: server {peak_server:.0f} MB, worker {peak_worker:.0f} MB")

    targets = [
        ("0 errors on good requests", not errors),
        ("0 changed answers", not changed),
        (f"/health p95 < {HEALTH_P95_MS:.0f} ms", health_p95 < HEALTH_P95_MS),
        ("worker memory within its cap", not memory.over_cap and bool(memory.caps)),
        ("every attack refused or cut off", not missed and bool(outcomes)),
        ("nothing reached another server", not listener.hits),
        ("the server is still up", alive),
    ]
    print("\n| target | met |")
    print("|---|---|")
    for name, met in targets:
        print(f"| {name} | {'yes' if met else 'NO'} |")
    for line in missed + memory.over_cap[:5]:
        print("  " + line)
    print(f"\n{good} good requests, {sum(sum(c.values()) for c in outcomes.values())} attacks")
    return 0 if all(met for _, met in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
