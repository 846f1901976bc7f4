"""The ``maalgraph`` command line: thin wrappers over :class:`maalgraph.MaalGraph`.

Library errors become one-line messages (exit 1) here, at the edge.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .api import IngestReport, MaalGraph
from .errors import MaalgraphError, ValidationError
from .namespaces import DEFAULT_BASE
from .output import FORMATS, render, render_table
from .queries import load_queries

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Turn library errors into a clear message and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            if exc.report:
                click.echo(exc.report, err=True)
            raise click.ClickException(str(exc)) from exc
        except MaalgraphError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


class Context:
    def __init__(
        self,
        store: str | None,
        base: str | None,
        gazetteer: str | None,
        endpoint: str | None = None,
        update_endpoint: str | None = None,
        endpoint_token: str | None = None,
    ):
        if store and endpoint:
            raise click.UsageError("use either --store or --endpoint, not both")
        if update_endpoint and not endpoint:
            raise click.UsageError("--update-endpoint needs --endpoint (the query URL) too")
        self.store_path = store
        self.base = base
        self.gazetteer = gazetteer
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint
        self.endpoint_token = endpoint_token
        self._kg: MaalGraph | None = None

    @property
    def writable(self) -> bool:
        return bool(self.store_path or self.update_endpoint)

    def graph(self, *, read_only: bool = False) -> MaalGraph:
        if self._kg is None:
            if self.endpoint:
                self._kg = MaalGraph.connect(
                    self.endpoint,
                    None if read_only else self.update_endpoint,
                    token=self.endpoint_token,
                    base_iri=self.base,
                    gazetteer=self.gazetteer,
                )
            else:
                self._kg = MaalGraph.open(
                    self.store_path, read_only=read_only, base_iri=self.base, gazetteer=self.gazetteer
                )
        return self._kg

    def close(self) -> None:
        if self._kg is not None:
            self._kg.close()


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--store",
    envvar="MAALGRAPH_STORE",
    type=click.Path(file_okay=False),
    help="Persistent store folder (created if missing). Without it: the bundled example "
    "corpus, read-only. Env: MAALGRAPH_STORE.",
)
@click.option("--base", envvar="MAALGRAPH_BASE", help="Base IRI for minted data IRIs. Env: MAALGRAPH_BASE.")
@click.option(
    "--gazetteer",
    envvar="MAALGRAPH_GAZETTEER",
    type=click.Path(dir_okay=False, exists=True),
    help="Extra gazetteer (TSV: label, kind, aliases). Env: MAALGRAPH_GAZETTEER.",
)
@click.option(
    "--endpoint",
    envvar="MAALGRAPH_ENDPOINT",
    metavar="URL",
    help="Use an external SPARQL 1.1 server (its query URL) as the store. Env: MAALGRAPH_ENDPOINT.",
)
@click.option(
    "--update-endpoint",
    envvar="MAALGRAPH_UPDATE_ENDPOINT",
    metavar="URL",
    help="The external server's SPARQL Update URL (needed to ingest). Env: MAALGRAPH_UPDATE_ENDPOINT.",
)
@click.option(
    "--endpoint-token",
    envvar="MAALGRAPH_ENDPOINT_TOKEN",
    metavar="TOKEN",
    help="Bearer token sent to the external server. Env: MAALGRAPH_ENDPOINT_TOKEN.",
)
@click.version_option(package_name="maalgraph")
@click.pass_context
def main(
    ctx: click.Context,
    store: str | None,
    base: str | None,
    gazetteer: str | None,
    endpoint: str | None,
    update_endpoint: str | None,
    endpoint_token: str | None,
) -> None:
    """maalgraph: a knowledge graph of Danish municipal goal follow-ups."""
    ctx.obj = Context(store, base, gazetteer, endpoint, update_endpoint, endpoint_token)
    ctx.call_on_close(ctx.obj.close)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--max-mb", default=10.0, show_default=True, help="Refuse files larger than this.")
@pass_context
@friendly_errors
def ingest(ctx: Context, files: tuple[str, ...], max_mb: float) -> None:
    """Ingest goal follow-ups and committee agenda items (one named graph each)."""
    if not ctx.writable:
        raise click.ClickException(
            "ingest needs a persistent store: use --store PATH (or set MAALGRAPH_STORE), or "
            "--endpoint with --update-endpoint; without them maalgraph serves the bundled "
            "example corpus read-only"
        )
    kg = ctx.graph()
    failures: list[tuple[Path, Exception]] = []
    reports: list[IngestReport] = []

    def done(path: Path, outcome: IngestReport | Exception) -> None:
        if isinstance(outcome, IngestReport):
            reports.append(outcome)
        else:
            if not isinstance(outcome, MaalgraphError):
                raise outcome
            failures.append((path, outcome))

    max_bytes = int(max_mb * 1024 * 1024)
    if len(files) > 1:
        with click.progressbar(files, label="Indlæser", file=sys.stderr) as bar:
            kg.ingest_many(bar, max_bytes=max_bytes, on_done=done)
    else:
        kg.ingest_many(files, max_bytes=max_bytes, on_done=done)
    if reports:
        rows = [[r.path.name, r.kind, str(r.triples), "erstattet" if r.replaced else "ny", str(len(r.warnings))]
                for r in reports]  # fmt: skip
        click.echo(render_table(["fil", "type", "tripler", "status", "advarsler"], rows))
    for report in reports:
        for warning in report.warnings:
            click.echo(f"advarsel: {report.path.name}: {warning}", err=True)
    for _, error in failures:
        click.echo(f"fejl: {error}", err=True)
    _show_inconsistencies(kg, err=True)
    click.echo(f"{len(reports)} indlæst, {len(failures)} fejlede; lageret har nu {len(kg.store)} quads.")
    if failures:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Parameter of a named query.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_context
@friendly_errors
def sparql(ctx: Context, query: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a SPARQL query: QUERY text, @FILE.rq, or the NAME of a named query."""
    values: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="-p")
        values[name.strip()] = value
    kg = ctx.graph(read_only=True)
    if query.startswith("@"):
        path = Path(query[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from exc
        result = kg.query(text, values)
    elif query in load_queries():
        result = kg.named(query, **values)
    else:
        if values:
            raise click.ClickException("-p parameters are for named queries; bind them in your query text")
        result = kg.query(query)
    text = render(result, fmt)
    click.echo(text, nl=not text.endswith("\n"))


@main.command("queries")
def list_queries() -> None:
    """List the named queries and their parameters."""
    for query in load_queries().values():
        params = ", ".join(f"{p.name}:{p.type}{'?' if p.optional else ''}" for p in query.parameters)
        click.echo(f"{query.name}({params})\n    {query.description}")


@main.command()
@click.option("--shapes", type=click.Path(dir_okay=False, exists=True), help="Other SHACL shapes to check against.")
@pass_context
@friendly_errors
def validate(ctx: Context, shapes: str | None) -> None:
    """Check every document graph against the SHACL shapes."""
    import rdflib

    kg = ctx.graph(read_only=True)
    shapes_graph = rdflib.Graph().parse(shapes, format="turtle") if shapes else None
    results = kg.validate(shapes_graph)
    rows = [[r.graph, "ja" if r.conforms else "nej", str(r.violations)] for r in results]
    click.echo(render_table(["graf", "overholder", "brud"], rows, max_width=90))
    for r in results:
        if not r.conforms:
            click.echo(r.report, err=True)
    bad = sum(not r.conforms for r in results)
    click.echo(f"{len(results) - bad} af {len(results)} grafer overholder formerne (SHACL).")
    if bad:
        sys.exit(1)


@main.command()
@pass_context
@friendly_errors
def stats(ctx: Context) -> None:
    """Counts: focus areas, goals per verdict, partners, projects, measurements."""
    kg = ctx.graph(read_only=True)
    click.echo(render_table(["hvad", "antal"], [[k, str(v)] for k, v in kg.stats().items()]))
    _show_inconsistencies(kg, err=False)


SHOWN_INCONSISTENCIES = 10


def _show_inconsistencies(kg: MaalGraph, *, err: bool) -> None:
    """The first few inconsistencies linking found, and how to see the rest."""
    found = kg.inconsistencies()
    for warning in found[:SHOWN_INCONSISTENCIES]:
        click.echo(f"uoverensstemmelse: {warning}", err=err)
    if len(found) > SHOWN_INCONSISTENCIES:
        click.echo(f"… og {len(found) - SHOWN_INCONSISTENCIES} uoverensstemmelser mere: maalgraph sparql inconsistencies", err=err)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["ttl", "trig", "nq", "nt", "jsonld"]), default="trig", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file instead of stdout.")
@pass_context
@friendly_errors
def export(ctx: Context, fmt: str, output: str | None) -> None:
    """Export the whole graph (ttl and nt merge the named graphs)."""
    data = ctx.graph(read_only=True).export(fmt)
    if output:
        Path(output).write_bytes(data)
        click.echo(f"skrev {len(data)} bytes til {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question (JSON Lines).")
@click.option("--sparql", "show_sparql", is_flag=True, help="Show the SPARQL query that was run.")
@pass_context
@friendly_errors
def ask(ctx: Context, question: str | None, as_json: bool, show_sparql: bool) -> None:
    """Answer a Danish question; without QUESTION, read one question per line from stdin."""
    import json

    kg = ctx.graph(read_only=True)
    questions = [question] if question is not None else (line.rstrip("\n") for line in sys.stdin)
    for q in questions:
        if not q.strip():
            continue
        answer = kg.ask(q)
        if as_json:
            click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, default=str))
            continue
        click.echo(answer.answer)
        if answer.rows:
            click.echo(render_table(answer.columns, [[str(r.get(c, "")) for c in answer.columns] for r in answer.rows]))
        if answer.sources:
            click.echo("\nKilder:")
            for source in answer.sources:
                click.echo(f"  • {source['label']}")
        if answer.understood:
            click.echo(f"\nSådan forstod jeg spørgsmålet: {answer.intent}")
            for e in answer.entities:
                click.echo(f"  • «{e['text']}» → {e['label']} ({e['kind']}, {e['score']})")
        if show_sparql and answer.sparql:
            click.echo("\n" + answer.sparql)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (needs --token).")
@click.option("--token", envvar="MAALGRAPH_TOKEN", help="Bearer token for updates. Env: MAALGRAPH_TOKEN.")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, help="Rows (or triples) a result may have; more are cut off.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Query worker processes.")
@click.option("--worker-memory", default=1024, show_default=True, type=click.IntRange(0), metavar="MB",
              help="Each worker keeps the data in memory (faster) when it needs at most MB; 0: always read from disk.")
@click.option("--max-request-mb", default=16.0, show_default=True, help="Largest request body accepted.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN", help="Allow browser requests from ORIGIN (repeat; '*' for any).")
@click.option("--log-level", default="info", show_default=True, type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@pass_context
@friendly_errors
def serve(
    ctx: Context,
    host: str,
    port: int,
    allow_update: bool,
    token: str | None,
    timeout: float,
    max_rows: int,
    workers: int,
    worker_memory: int,
    max_request_mb: float,
    cors_origins: tuple[str, ...],
    log_level: str,
) -> None:
    """Serve the graph: SPARQL 1.1 Protocol at /sparql, /api/ask, /health."""
    import uvicorn

    from .server import Settings, create_app

    if allow_update and not token:
        raise click.UsageError("--allow-update needs --token (or MAALGRAPH_TOKEN)")
    if allow_update and not ctx.writable and not ctx.endpoint:
        kg = MaalGraph.example(writable=True, base_iri=ctx.base or DEFAULT_BASE, gazetteer=ctx.gazetteer)
    else:
        kg = ctx.graph(read_only=not allow_update)
    settings = Settings(
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=int(max_request_mb * 1024 * 1024),
        workers=workers,
        memory_per_worker_mb=worker_memory,
        allow_update=allow_update,
        token=token,
        cors_origins=list(cors_origins),
    )
    app = create_app(kg, settings)
    click.echo(f"maalgraph: SPARQL endpoint at http://{host}:{port}/sparql", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level)
