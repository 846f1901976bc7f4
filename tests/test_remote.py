"""An external SPARQL server as the store: real servers on 127.0.0.1 (Oxigraph server and
Virtuoso open source), fed and queried through ``MaalGraph.connect`` / ``--endpoint``, give the
same answers as the embedded store: every named query, the network analysis, every dev
question."""

from __future__ import annotations

import json
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import REMOTE_BACKENDS, Backend, maalgraph_server, oxigraph_server, remote_backend

from maalgraph import MaalGraph, MaalgraphError, QueryError, StoreError
from maalgraph.resources import corpus_files
from maalgraph.results import QueryResult

DATA = Path(__file__).parent / "data"
MAAL = "https://w3id.org/maalgraph/def#"


@pytest.fixture(scope="module", params=REMOTE_BACKENDS)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """The server with the bundled corpus ingested through the CLI."""
    with remote_backend(request.param, tmp_path_factory.mktemp(request.param) / "data") as found:
        result = subprocess.run(
            [*found.cli(writable=True), "ingest", *map(str, corpus_files())],
            capture_output=True, text=True, timeout=300, env=found.env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "2 indlæst, 0 fejlede" in result.stdout
        yield found


@pytest.fixture(scope="module")
def remote(backend: Backend) -> Iterator[MaalGraph]:
    kg = backend.connect()
    yield kg
    kg.close()


def canonical(result: QueryResult) -> object:
    if result.boolean is not None:
        return result.boolean
    if result.triples is not None:
        return sorted(result.triples, key=repr)
    return result.columns, sorted((tuple(sorted(row.items())) for row in result.terms), key=repr)


def parameters(example: MaalGraph) -> dict[str, dict[str, object]]:
    """Values from the example corpus for every named query with required parameters."""
    goal = example.named("goals").rows[0]
    partner = next(r for r in example.named("entities").rows if "Blå Kors" in str(r["label"]))
    paragraph = example.named("goals_depending_on", entity=partner["entity"]).rows[0]["source"]
    return {
        "goal_status": {"goal": goal["goal"]},
        "goal_paragraphs": {"goal": goal["goal"]},
        "decisions": {"report": goal["report"]},
        "goals_depending_on": {"entity": partner["entity"]},
        "goals_depending_count_by_municipality": {"entity": partner["entity"]},
        "entity_count_by_municipality": {"type": [MAAL + "Partner", MAAL + "Project"]},
        "impact": {"entity": partner["entity"]},
        "focus_areas_by_verdict": {"verdict": MAAL + "Opfyldt"},
        "paragraph": {"paragraph": paragraph},
        "goals": {"verdict": MAAL + "DelvistOpfyldt", "year": 2020},
        "entity_mentions": {"entity": partner["entity"]},
        "indicator_values": {"indicator": "borgere i fleksjob"},
        "goals_by_text": {"text": goal["text"]},
        "entities_named": {"label": "Jobcenteret"},
        "goals_by_status": {"status": MAAL + "DelvistOpfyldt"},
        "dependency_edges": {"to": [partner["entity"], paragraph]},
        "names_of": {"iri": [MAAL + "Opfyldt", goal["goal"], goal["focusArea"], partner["entity"]]},
    }


def test_named_queries_give_the_same_answers(remote: MaalGraph, example: MaalGraph) -> None:
    params = parameters(example)
    for name in example.named_queries():
        embedded = example.named(name, **params.get(name, {}))
        over_http = remote.named(name, **params.get(name, {}))
        assert canonical(over_http) == canonical(embedded), name
        if name in (
            "goals",
            "stats",
            "goals_depending_on",
            "decisions",
            "goal_paragraphs",
            "network_edges",
            "names_of",
            "goals_depending_count_by_municipality",
            "goal_count_by_municipality",
            "entity_count_by_municipality",
            "plan_count_by_municipality",
            "measurement_count_by_municipality",
            "goal_verdicts",
            "focus_area_count_by_municipality",
        ):
            assert len(embedded) > 0, name  # the comparison is not between two empty results


def test_network_analysis_is_the_same(remote: MaalGraph, example: MaalGraph) -> None:
    here, there = example.to_networkx(), remote.to_networkx()
    assert dict(there.nodes(data=True)) == dict(here.nodes(data=True))
    assert sorted(there.edges(keys=True, data=True)) == sorted(here.edges(keys=True, data=True))
    assert remote.impact("Blå Kors") == example.impact("Blå Kors")
    assert remote.impact("Jobcentret", year=2020) == example.impact("Jobcentret", year=2020)
    assert remote.analyse() == example.analyse()
    # the reads scoped to a municipality and year, and to a few kinds of things
    here_2020 = example.analyse(municipality="Herning Kommune", year=2020)
    assert remote.analyse(municipality="Herning Kommune", year=2020) == here_2020
    assert here_2020.rankings and here_2020 != example.analyse(year=1999)


def test_dev_questions_give_the_same_answers(remote: MaalGraph, example: MaalGraph) -> None:
    questions = (DATA / "dev-questions.txt").read_text(encoding="utf-8").splitlines()
    assert len(questions) >= 40
    for question in questions:
        assert remote.ask(question).to_dict() == example.ask(question).to_dict(), question


def test_cli_ask_sparql_and_stats_over_the_endpoint(backend: Backend) -> None:
    base = backend.cli()
    count = subprocess.run(
        [*base, "sparql", "goal_count", "--format", "csv"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert count.splitlines() == ["count", "12"]
    stats = subprocess.run([*base, "stats"], capture_output=True, text=True, check=True).stdout
    assert "mål opfyldt" in stats and " 8" in stats
    answer = subprocess.run([*base, "ask", "--json", "Hvilke mål afhænger af Herningsholm Erhvervsskole?"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert json.loads(answer)["rows"][0]["mål"] == "4.2"


def test_named_graphs_are_kept(remote: MaalGraph, example: MaalGraph) -> None:
    assert remote.store.graphs() == example.store.graphs()  # not the server's own graphs
    for graph in example.store.graphs():
        assert remote.store.graph_size(graph) == example.store.graph_size(graph)


def test_reingest_replaces_the_document_graph(backend: Backend, example: MaalGraph) -> None:
    with backend.connect(writable=True) as kg:
        before = len(kg.store)
        report = kg.ingest(corpus_files()[0])
        assert report.replaced and len(kg.store) == before
        assert kg.stats() == example.stats()


def test_read_only_connection_refuses_ingest(remote: MaalGraph) -> None:
    with pytest.raises(StoreError, match="read-only"):
        remote.ingest(corpus_files()[0])


def test_serve_over_the_external_server(
    backend: Backend, example: MaalGraph, tmp_path: Path
) -> None:
    query = "SELECT ?id WHERE { ?g a <https://w3id.org/maalgraph/def#Goal> ; <http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id"
    with maalgraph_server(tmp_path, options=["--endpoint", backend.query_url]) as proxy:
        response = httpx.post(proxy.sparql, data={"query": query},
                              headers={"Accept": "application/sparql-results+json"}, timeout=30)  # fmt: skip
        ids = [b["id"]["value"] for b in response.json()["results"]["bindings"]]
        url = f"{proxy.url}/api/ask?" + urllib.parse.urlencode(
            {"q": "Hvor mange mål blev opfyldt?"}
        )
        with urllib.request.urlopen(url, timeout=30) as response:
            answer = json.loads(response.read())
    assert ids == [str(r["id"]) for r in example.query(query).rows] and len(ids) == 12
    assert answer == example.ask("Hvor mange mål blev opfyldt?").to_dict()


def test_server_without_union_default_graph_is_explained(tmp_path: Path) -> None:
    with (
        oxigraph_server(tmp_path / "plain", union=False) as server,
        pytest.raises(StoreError, match="union"),
    ):
        MaalGraph.connect(f"{server.url}/query", f"{server.url}/update")


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        MaalGraph.connect("http://127.0.0.1:9/query").stats()


@pytest.mark.parametrize("backend", ["virtuoso"], indirect=True)
def test_wrong_password_is_refused_clearly(backend: Backend) -> None:
    kg = MaalGraph.connect(backend.query_url, backend.update_url, user="dba", password="wrong")
    with kg, pytest.raises(StoreError, match="refused the credentials"):
        kg.update("DROP SILENT GRAPH <urn:maalgraph:nothing>")


def test_a_malformed_query_is_a_query_error(remote: MaalGraph) -> None:
    """The server's refusal (400) comes back as QueryError with the server's own message."""
    with pytest.raises(QueryError, match="refused the query"):
        remote.query("SELECT ?x WHERE { ?x ?p }")


CORPUS = sorted(
    p for p in (DATA / "corpus").iterdir() if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf")
)


def _quads(kg: MaalGraph, graph: str) -> set[str]:
    return {str(t) for t in kg.store.graph_as_rdflib(graph)}


@pytest.mark.parametrize("name", REMOTE_BACKENDS)
def test_documents_written_over_http_are_the_embedded_ones(name: str, tmp_path: Path) -> None:
    """Every format of the test corpus, read by worker processes and written as one update
    request per document: the server then holds the graphs the embedded store holds (Oxigraph,
    quad for quad) and answers every named query without parameters the same; a replaced
    document and a failed replacement behave alike on both."""
    embedded = MaalGraph.memory()
    embedded.ingest_many(CORPUS)
    with (
        remote_backend(name, tmp_path / "data") as backend,
        backend.connect(writable=True) as remote,
    ):
        reports = remote.ingest_many(CORPUS, workers=2)
        assert len(reports) == len(CORPUS) and not any(r.replaced for r in reports)
        assert remote.store.graphs() == embedded.store.graphs()
        for graph in embedded.store.graphs():
            if name == "oxigraph" and not graph.endswith("/ontology"):  # (its blank nodes)
                assert _quads(remote, graph) == _quads(embedded, graph), graph
            assert remote.store.graph_size(graph) == embedded.store.graph_size(graph), graph
        for query in ("stats", "documents", "goals", "labels", "inconsistencies"):
            assert canonical(remote.named(query)) == canonical(embedded.named(query)), query
        again = CORPUS[0]
        assert remote.ingest(again).replaced and embedded.ingest(again).replaced
        broken = tmp_path / "broken" / again.name
        broken.parent.mkdir()
        broken.write_bytes(b"\x00" * 64)
        before = _quads(remote, remote.iris.graph(again.stem))
        with pytest.raises(MaalgraphError):
            remote.ingest(broken)
        assert _quads(remote, remote.iris.graph(again.stem)) == before
        assert canonical(remote.named("stats")) == canonical(embedded.named("stats"))
