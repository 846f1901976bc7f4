"""The command line as a user runs it: exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from servers import maalgraph_server

from maalgraph.cli import main

MAAL = "https://w3id.org/maalgraph/def#"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env or {}, catch_exceptions=False)


def test_ingest_needs_a_store(seeds) -> None:
    result = run("ingest", str(seeds["followup"]))
    assert result.exit_code == 1
    assert "--store" in result.output


def test_ingest_stats_and_reingest(tmp_path: Path, seeds) -> None:
    store = str(tmp_path / "s")
    first = run("--store", store, "ingest", str(seeds["followup"]), str(seeds["agenda"]))
    assert first.exit_code == 0, first.output
    assert "2 indlæst, 0 fejlede" in first.output
    assert "udelader et fokusområde" in first.output
    assert "lageret har nu 2 dokumenter og 12 mål." in first.output
    again = run("--store", store, "ingest", str(seeds["followup"]))
    assert "lageret har nu 2 dokumenter og 12 mål." in again.output and "erstattet" in again.output
    stats = run("stats", env={"MAALGRAPH_STORE": store})
    assert stats.exit_code == 0 and "fokusområder         4" in stats.output


def test_an_empty_store_counts_nothing(tmp_path: Path) -> None:
    """Not the ontology's quads: documents, goals, partners … all none."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00")
    store = str(tmp_path / "s")
    assert (
        "lageret har nu 0 dokumenter og 0 mål." in run("--store", store, "ingest", str(bad)).output
    )
    stats = run("--store", store, "stats")
    rows = [line.split() for line in stats.output.splitlines()[2:] if line.strip()]
    assert stats.exit_code == 0 and len(rows) >= 8
    assert {row[-1] for row in rows} == {"0"} and [r[0] for r in rows[:3]] == [
        "dokumenter",
        "fokusområder",
        "mål",
    ]


def test_bad_file_fails_with_its_name(tmp_path: Path, seeds) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    result = run("--store", str(tmp_path / "s"), "ingest", str(bad), str(seeds["followup"]))
    assert result.exit_code == 1
    assert f"{bad}, linje" not in result.output and f"{bad}: filen er binær" in result.output
    assert "1 indlæst, 1 fejlede" in result.output


def test_sparql_formats() -> None:
    as_json = json.loads(
        run("sparql", "goals", "-p", f"verdict={MAAL}IkkeOpfyldt", "--format", "json").output
    )
    (row,) = as_json["results"]["bindings"]
    assert row["id"]["value"] == "1.2"
    rows = list(csv.reader(io.StringIO(run("sparql", "goal_count", "--format", "csv").output)))
    assert rows == [["count"], ["12"]]
    tsv = run(
        "sparql",
        "SELECT ?n WHERE { ?g <https://w3id.org/maalgraph/def#number> ?n } LIMIT 1",
        "--format",
        "tsv",
    )
    assert tsv.output.startswith('?n\n"') and "XMLSchema#integer" in tsv.output
    table = run("sparql", "goal_count")
    assert "count" in table.output and "12" in table.output


def test_sparql_from_file_and_errors(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("ASK { ?g a <https://w3id.org/maalgraph/def#Goal> }", encoding="utf-8")
    assert run("sparql", f"@{query}").output.strip() == "ja"
    broken = run("sparql", "SELECT ?x WHERE { ?x ?y }")
    assert broken.exit_code == 1 and "syntaksfejl i linje 1, kolonne" in broken.output
    missing = run("sparql", "goals_depending_on")
    assert missing.exit_code == 1 and "kræver parameteren entity" in missing.output
    assert run("sparql", "@/nonexistent.rq").exit_code == 1


def test_validate_and_export(tmp_path: Path) -> None:
    result = run("validate")
    assert result.exit_code == 0 and "2 af 2 grafer overholder" in result.output
    out = tmp_path / "kg.trig"
    assert run("export", "--format", "trig", "-o", str(out)).exit_code == 0
    assert len(list(ox.parse(path=out, format=ox.RdfFormat.TRIG))) > 1000


def test_turtle_and_trig_export_use_the_project_prefixes(tmp_path: Path) -> None:
    for fmt in ("ttl", "trig"):
        text = run("export", "--format", fmt).output
        assert "@prefix maal: <https://w3id.org/maalgraph/def#> ." in text
        assert " maal:Goal" in text and "<https://w3id.org/maalgraph/def#Goal>" not in text
        data = ox.parse(
            text.encode(), format=ox.RdfFormat.TURTLE if fmt == "ttl" else ox.RdfFormat.TRIG
        )
        assert len(list(data)) > 1000


def test_prefixed_names_in_parameters() -> None:
    """The form that ``maalgraph queries`` prints works as a parameter value."""
    full = json.loads(
        run("sparql", "goals", "-p", f"verdict={MAAL}IkkeOpfyldt", "--format", "json").output
    )
    for value in ("maal:IkkeOpfyldt", f"<{MAAL}IkkeOpfyldt>"):
        result = run("sparql", "goals", "-p", f"verdict={value}", "--format", "json")
        assert result.exit_code == 0 and json.loads(result.output) == full
    assert len(full["results"]["bindings"]) == 1
    partly = run("sparql", "goals", "-p", "verdict=maal:DelvistOpfyldt", "--format", "csv")
    assert len(partly.output.splitlines()) == 1 + 3
    assert "verdict" in run("queries").output and "maal:IkkeOpfyldt" in run("queries").output


def test_an_unknown_prefix_is_a_clear_error() -> None:
    result = run("sparql", "goals", "-p", "verdict=mal:IkkeOpfyldt")
    assert result.exit_code == 1
    assert "ukendt præfiks «mal»" in result.output and "maal" in result.output
    assert "er ikke en absolut IRI" in run("sparql", "goals", "-p", "verdict=IkkeOpfyldt").output


def test_queries_listing() -> None:
    result = run("queries")
    assert "goals_depending_on(entity:iri)" in result.output


def test_impact_command(tmp_path: Path) -> None:
    result = run("impact", "Blå Kors")
    assert result.exit_code == 0, result.output
    assert "er 1 mål i 1 fokusområde(r) i fare" in result.output
    assert "Blå Kors Varmestue → Mål 3.1" in result.output and "1 af 3 mål (33 %)" in result.output
    # one row per goal, named by its number and text; both partners explain it
    rows = [
        line for line in result.output.splitlines() if line.startswith("Mål 3.1: Der iværksættes")
    ]
    assert len(rows) == 1 and "Blå Kors Pensionat → Mål 3.1" in rows[0]
    data = json.loads(run("impact", "Jobcentret", "--json").output)
    assert {tuple(p["labels"]) for p in data["paths"]} >= {
        ("Jobcentret", "Projekt Småjob", "Mål 2.1")
    }
    assert data["goals"] and all(p["source"].startswith("https://") for p in data["paths"])
    unknown = run("impact", "Røde Kors")
    assert unknown.exit_code == 1 and "mente du" in unknown.output


def test_analyse_and_trends_commands() -> None:
    result = run("analyse", "--top", "3")
    assert result.exit_code == 0, result.output
    table = result.output.split("\n\n")[1].splitlines()
    assert table[2].startswith("Jobcentret") and len(table) == 5  # header, rule, three rows
    assert (
        "Delt på tværs af fokusområder" in result.output
        and "Mål 1.2 (ikke opfyldt)" in result.output
    )
    data = json.loads(run("analyse", "--json", "--municipality", "Herning Kommune").output)
    assert data["rankings"][0]["label"] == "Jobcentret" and data["rankings"][0]["degree"] > 0
    trends = run("trends")
    assert (
        "2019: 1.648 → 2020: 1.745" in trends.output and "stigende (+97, +5,9 %)" in trends.output
    )
    assert json.loads(run("trends", "--json").output)["verdict_changes"] == []


def test_network_command(tmp_path: Path) -> None:
    result = run("network", "--out", str(tmp_path / "net.svg"), "--around", "Herningsholm")
    assert result.exit_code == 0 and (tmp_path / "net.svg").stat().st_size > 1000
    result = run(
        "network",
        "--out",
        str(tmp_path / "net"),
        "--format",
        "graphml",
        "--focus-area",
        "udsatte borgere",
    )
    assert result.exit_code == 0 and (tmp_path / "net.graphml").exists(), result.output
    wrong = run("network", "--out", str(tmp_path / "net.svg"), "--municipality", "Atlantis")
    assert wrong.exit_code == 1 and "Atlantis" in wrong.output


def test_serve_prints_the_page_and_the_endpoint(tmp_path: Path) -> None:
    with maalgraph_server(tmp_path) as server:
        pass
    log = server.log.read_text(encoding="utf-8")
    assert f"siden på {server.url}/ og SPARQL-endpointet på {server.url}/sparql" in log


HEAVY = ("spacy", "rdflib", "pyoxigraph", "networkx", "matplotlib", "fastapi", "httpx", "pyshacl")


def loaded_by(*args: str) -> list[str]:
    """The heavy libraries a command imports, run in a fresh interpreter."""
    code = (
        "import sys\nfrom maalgraph.cli import main\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        f"print('loaded:', *[m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stderr.rsplit("loaded:", 1)[1].split()


def test_the_command_line_loads_only_what_a_command_needs(example: object) -> None:
    """--help and --version load none of the heavy libraries; stats on the bundled corpus
    (cached: the example fixture built it) needs the store, not the reader or the analysis."""
    assert loaded_by("--help") == [] and loaded_by("--version") == []
    assert loaded_by("queries") == ["pyoxigraph"]
    assert loaded_by("stats") == ["pyoxigraph"]  # rdflib only where rdflib graphs are built


def test_a_question_on_the_bundled_corpus_loads_neither_spacy_nor_the_reader(
    example: object,
) -> None:
    """``ask`` matches the question's words without spaCy (maalgraph/question/matcher.py),
    names statuses without the document reader, and builds no rdflib graph: spaCy's import
    alone took most of a second, rdflib's 0.2 s."""
    assert loaded_by("ask", "Hvilke mål er ikke opfyldt, og hvem afhænger de af?") == ["pyoxigraph"]
    code = (
        "import sys\nfrom maalgraph.cli import main\n"
        "try:\n    main(['ask', 'Hvilke mål afhænger af Blå Kors?'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('maalgraph.ingest')), file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "[]"
