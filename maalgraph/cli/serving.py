"""The ``serve`` command: the web page, the SPARQL endpoint and /api/ask in one process."""

from __future__ import annotations

import click

from ..i18n import _
from .base import Context, friendly_errors, main, pass_context


@main.command(
    help=_(
        "Serve the graph: the Danish web page at /, SPARQL 1.1 Protocol at /sparql, /api/ask, /health."
    )
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar=_("ADDRESS"),
    help=_("Address to listen on."),
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    metavar="PORT",
    help=_("Port to listen on (0: a free one)."),
)
@click.option("--allow-update", is_flag=True, help=_("Accept SPARQL Update (needs --token)."))
@click.option(
    "--token",
    envvar="MAALGRAPH_TOKEN",
    metavar="TOKEN",
    help=_(
        "Bearer token for updates. Env: MAALGRAPH_TOKEN (on the command line, other users "
        "see it in ps: prefer the variable or --token-file)."
    ),
)
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False),
    metavar=_("FILE"),
    help=_("Read the bearer token for updates from this file."),
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    metavar=_("SECONDS"),
    help=_("Seconds a query may run before it is stopped."),
)
@click.option(
    "--max-rows",
    default=10_000,
    show_default=True,
    metavar=_("NUMBER"),
    help=_("Rows (or triples) a result may have; more are cut off."),
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    metavar=_("NUMBER"),
    help=_("Query worker processes."),
)
@click.option(
    "--worker-threads",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    metavar=_("NUMBER"),
    help=_(
        "Queries each worker runs at once, in threads sharing its one copy of the data (less "
        "memory); a crash or a query over the memory cap then fails all of that worker's queries."
    ),
)
@click.option(
    "--worker-memory",
    default=1024,
    show_default=True,
    type=click.IntRange(0),
    metavar="MB",
    help=_(
        "Each worker keeps the data in memory (faster) when it needs at most MB; 0: always "
        "read from disk."
    ),
)
@click.option(
    "--query-memory",
    default=1024,
    show_default=True,
    type=click.IntRange(0),
    metavar="MB",
    help=_(
        "Memory one query may use in its worker beyond the data; past it the query is "
        "stopped (503) and the worker replaced. 0: no cap."
    ),
)
@click.option(
    "--max-request-mb",
    default=16.0,
    show_default=True,
    metavar="MB",
    help=_("Largest request body accepted."),
)
@click.option(
    "--max-query-chars",
    default=100_000,
    show_default=True,
    type=click.IntRange(1),
    metavar=_("CHARACTERS"),
    help=_("Longest query accepted (updates may be as long as a request body)."),
)
@click.option(
    "--max-depth",
    default=64,
    show_default=True,
    type=click.IntRange(1, 1000),
    metavar=_("LEVELS"),
    help=_("Deepest nesting of { }, ( ) and [ ] accepted in a query or update."),
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar=_("ORIGIN"),
    help=_("Allow browser requests from ORIGIN (repeat; '*' for any)."),
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    help=_("How much the server logs."),
)
@pass_context
@friendly_errors
def serve(
    ctx: Context,
    host: str,
    port: int,
    allow_update: bool,
    token: str | None,
    token_file: str | None,
    timeout: float,
    max_rows: int,
    workers: int,
    worker_threads: int,
    worker_memory: int,
    query_memory: int,
    max_request_mb: float,
    max_query_chars: int,
    max_depth: int,
    cors_origins: tuple[str, ...],
    log_level: str,
) -> None:
    import uvicorn

    from ..api import MaalGraph
    from ..namespaces import DEFAULT_BASE
    from ..server import Settings, create_app
    from ..server.httplimits import limited_httptools
    from ..server.sandbox import deny_network

    if token_file:
        with open(token_file, encoding="utf-8") as file:
            token = file.read()
    if token is not None and not token.strip():
        raise click.UsageError(_("the token is empty or only spaces; --token must not be blank"))
    if allow_update and not token:
        raise click.UsageError(
            _("--allow-update needs a token: --token-file, MAALGRAPH_TOKEN or --token")
        )
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
        max_query_chars=max_query_chars,
        max_depth=max_depth,
        workers=workers,
        worker_threads=worker_threads,
        memory_per_worker_mb=worker_memory,
        query_memory_mb=query_memory,
        allow_update=allow_update,
        token=token.strip() if token else None,
        cors_origins=list(cors_origins),
    )
    app = create_app(kg, settings)
    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, http=limited_httptools()
    )
    server = uvicorn.Server(config)
    listening = config.bind_socket()
    if not ctx.endpoint:
        # over the embedded store nothing in this process needs the network after this:
        # an update's LOAD or SERVICE cannot reach another server whatever it says
        deny_network(all_threads=True)
    url = f"http://{host}:{port}"
    click.echo(
        _("maalgraph: the page at {url}/ and the SPARQL endpoint at {url}/sparql", url=url),
        err=True,
    )
    server.run(sockets=[listening])
