"""The ``serve`` command: the web page, the SPARQL endpoint and /api/ask in one process."""

from __future__ import annotations

import click

from .base import Context, friendly_errors, main, pass_context


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update (needs --token).")
@click.option(
    "--token", envvar="MAALGRAPH_TOKEN", help="Bearer token for updates. Env: MAALGRAPH_TOKEN."
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    help="Seconds a query may run before it is stopped.",
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    help="Rows (or triples) a result may have; more are cut off.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Query worker processes.",
)
@click.option(
    "--worker-memory",
    default=1024,
    show_default=True,
    type=click.IntRange(0),
    metavar="MB",
    help="Each worker keeps the data in memory (faster) when it needs at most MB; 0: always read from disk.",
)
@click.option(
    "--max-request-mb", default=16.0, show_default=True, help="Largest request body accepted."
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Allow browser requests from ORIGIN (repeat; '*' for any).",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
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
    """Serve the graph: the Danish web page at /, SPARQL 1.1 Protocol at /sparql, /api/ask, /health."""
    import uvicorn

    from ..api import MaalGraph
    from ..namespaces import DEFAULT_BASE
    from ..server import Settings, create_app

    if allow_update and not token:
        raise click.UsageError("--allow-update needs --token (or MAALGRAPH_TOKEN)")
    if allow_update and not ctx.writable and not ctx.endpoint:
        kg = MaalGraph.example(
            writable=True, base_iri=ctx.base or DEFAULT_BASE, gazetteer=ctx.gazetteer
        )
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
    url = f"http://{host}:{port}"
    click.echo(f"maalgraph: siden på {url}/ og SPARQL-endpointet på {url}/sparql", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level)
