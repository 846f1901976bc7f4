"""The HTTP application: SPARQL 1.1 Protocol at ``/sparql``, ``/health`` and ``/api/ask``.

Library and protocol errors become HTTP statuses here, at the edge: 400 bad request or
query (or one the endpoint refuses: SERVICE, LOAD, too long, too deeply nested), 401/403
updates without the right token, 406 no acceptable format, 413 too large, 415 unreadable
body, 422 question not understood, 431 headers too large, 503 timeout or out of memory, 500
with details only in the log. The event loop only moves bytes: every SPARQL text is read in a
worker process (:mod:`maalgraph.server.worker`).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from fastapi import FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from ..api import MaalGraph
from ..errors import MaalgraphError, QueryError, StoreError
from ..i18n import N_, error_text
from ..remote import RemoteStore
from ..web.pages import add_pages
from . import sandbox
from .checks import Limits, too_long
from .description import FORMATS, SD, service_description
from .engine import EmbeddedEngine, Engine, RemoteEngine
from .httplimits import StrictEscapes
from .jobs import OUT_OF_MEMORY
from .negotiation import GRAPH_FORMATS, negotiate
from .protocol import Operation, ProtocolError, check_graph_iris, parse_request, query_params
from .serialize import GRAPH_SYNTAX
from .worker import JobResult, QueryJob, QueryTimeout, UpdateJob, WorkerLost

log = logging.getLogger("maalgraph.server")

# a form body larger than this is decoded in a thread, not on the event loop
INLINE_BODY_BYTES = 64 * 1024
MB = 1024 * 1024


@dataclass
class Settings:
    """How the endpoint behaves; every field has a ``maalgraph serve`` option."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 16 * MB
    max_query_chars: int = 100_000
    max_depth: int = 64
    workers: int = 2
    worker_threads: int = 1  # jobs each worker runs at once over its one copy of the data
    memory_per_worker_mb: int = (
        1024  # in-memory copy per worker when the data fits; 0: read from disk
    )
    query_memory_mb: int = 1024  # what one query may take beyond its worker's data; 0: no cap
    allow_update: bool = False
    token: str | None = None
    cors_origins: list[str] = field(default_factory=list)
    max_question_chars: int = 1000

    def limits(self, *, remote: bool) -> Limits:
        return Limits(max_chars=self.max_query_chars, max_depth=self.max_depth, remote=remote)

    def update_limits(self, *, remote: bool) -> Limits:
        """An update may be as long as a request body (bulk INSERT DATA); nesting as a query."""
        chars = max(self.max_query_chars, self.max_request_bytes)
        return Limits(max_chars=chars, max_depth=self.max_depth, remote=remote)


def _error(status: int, message: str, **headers: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def create_app(kg: MaalGraph, settings: Settings | None = None) -> FastAPI:
    """The endpoint over ``kg``; worker processes start with the application and stop with it."""
    settings = settings or Settings()
    if settings.allow_update and not (settings.token or "").strip():
        raise StoreError(
            N_(
                "updates need a token that is not empty: give --token-file, MAALGRAPH_TOKEN or "
                "--token with --allow-update"
            )
        )
    remote = isinstance(kg.store, RemoteStore)
    state: dict[str, Engine] = {}
    network: dict[str, str] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine: Engine
        query_memory = settings.query_memory_mb * MB
        if remote:
            engine = await asyncio.to_thread(
                RemoteEngine, kg, workers=settings.workers, query_memory=query_memory
            )
        else:
            engine = await asyncio.to_thread(
                EmbeddedEngine,
                kg,
                workers=settings.workers,
                memory_per_worker=settings.memory_per_worker_mb * MB,
                query_memory=query_memory,
                threads=settings.worker_threads,
            )
        # with --endpoint the server process must reach the external server; else maalgraph
        # serve has denied it the network (an update runs here)
        isolated = engine.pool.sandboxed() and (remote or sandbox.network_denied())
        if not isolated:
            log.warning("SERVICE and LOAD are refused by parsing only: no seccomp sandbox here")
        network["network"] = "denied" if isolated else "not denied"
        state["engine"] = engine
        # the drawing library before the first request: imported from two threads at once
        # (a picture and the warm-up) it fails with "partially initialized module"
        await asyncio.to_thread(_import_drawing)
        warming = asyncio.create_task(
            asyncio.to_thread(_warm_up, kg)
        )  # the server answers meanwhile
        try:
            yield
        finally:
            await warming
            engine.close()

    app = FastAPI(
        title="maalgraph",
        summary="SPARQL 1.1 endpoint and Danish questions over municipal goal follow-ups",
        version=_version(),
        lifespan=lifespan,
        docs_url=None,  # Swagger UI loads from a CDN; the OpenAPI document is at /openapi.json
        redoc_url=None,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept", "Authorization"],
        )
    app.add_middleware(StrictEscapes)

    async def read_body(request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > settings.max_request_bytes:
            raise ProtocolError(
                413,
                f"the request body has {declared} bytes; the limit is {settings.max_request_bytes}",
            )
        chunks = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > settings.max_request_bytes:
                raise ProtocolError(
                    413, f"the request body is over the limit of {settings.max_request_bytes} bytes"
                )
            chunks.append(chunk)
        return b"".join(chunks)

    @app.api_route("/sparql", methods=["GET", "POST"], include_in_schema=False)
    async def sparql(request: Request) -> Response:
        try:
            body = await read_body(request) if request.method == "POST" else b""
            arguments = (
                request.method,
                query_params(request.scope.get("query_string", b"")),
                request.headers.get("content-type"),
                body,
            )
            if len(body) > INLINE_BODY_BYTES:
                operation = await asyncio.to_thread(parse_request, *arguments)
            else:
                operation = parse_request(*arguments)
            endpoint = str(request.url).split("?", 1)[0]
            if operation.kind == "description":
                return describe(endpoint, request)
            if operation.kind == "update":
                return await update(operation, endpoint, request)
            return await query(operation, endpoint, request)
        except ProtocolError as exc:
            headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
            return _error(exc.status, exc.message, **headers)

    def describe(endpoint: str, request: Request) -> Response:
        fmt = negotiate(request.headers.get("accept"), GRAPH_FORMATS)
        if fmt is None:
            raise ProtocolError(406, _not_acceptable())
        triples = service_description(endpoint, updates=settings.allow_update)
        body = ox.serialize(
            triples, format=GRAPH_SYNTAX[fmt.key], prefixes={"sd": SD, "formats": FORMATS}
        )
        return Response(body, media_type=fmt.content_type)

    async def query(operation: Operation, endpoint: str, request: Request) -> Response:
        if len(operation.text) > settings.max_query_chars:  # not worth sending to a worker
            return _error(400, too_long(len(operation.text), settings.max_query_chars))
        check_graph_iris(operation)
        if remote and (operation.default_graphs or operation.named_graphs):
            await _only_graphs_of_the_store(operation.default_graphs + operation.named_graphs)
        dataset = bool(operation.default_graphs or operation.named_graphs)
        job = QueryJob(
            query=operation.text,
            accept=request.headers.get("accept"),
            formats=tuple(operation.formats),
            default_graphs=tuple(operation.default_graphs) if dataset else None,
            named_graphs=tuple(operation.named_graphs) if operation.named_graphs else None,
            base_iri=endpoint,
            max_rows=settings.max_rows,
            limits=settings.limits(remote=remote),
        )
        result = await run(lambda: state["engine"].query(job, settings.timeout))
        if isinstance(result, Response):
            return result
        if result.error:
            return _error(result.status, result.message)
        headers = {"Vary": "Accept"}
        if result.truncated:
            headers["Maalgraph-Truncated"] = str(settings.max_rows)
        return Response(result.body, media_type=result.media_type, headers=headers)

    async def _only_graphs_of_the_store(iris: list[str]) -> None:
        known = set(await asyncio.to_thread(kg.store.graphs))
        if unknown := [iri for iri in iris if iri not in known]:
            raise ProtocolError(
                400,
                f"{unknown[0][:80]!r} is not a graph of the store; in front of an external "
                "SPARQL server only its own graphs can be selected",
            )

    async def run(call: Any) -> JobResult | Response:
        """A job's result, or the response for a worker that ran out of time or memory."""
        try:
            result: JobResult = await call()
        except QueryTimeout as exc:
            return _error(503, str(exc), **{"Retry-After": "1"})
        except WorkerLost as exc:
            log.error("a query worker died (exit code %s): over its memory cap, or a crash",
                      exc.exitcode)  # fmt: skip
            return _error(503, OUT_OF_MEMORY, **{"Retry-After": "1"})
        except StoreError as exc:
            log.error("backend failed: %s", exc)
            return _error(502, str(exc))
        return result

    async def run_for_page(text: str) -> JobResult:
        """A query from the web page's SPARQL editor: the endpoint's own rules (no SERVICE,
        no LOAD, no updates) and limits (time, rows, memory); SELECT and ASK, as SPARQL JSON."""
        job = QueryJob(query=text, formats=("json",), forms=("SELECT", "ASK"),
                       base_iri="http://localhost/sparql", max_rows=settings.max_rows,
                       limits=settings.limits(remote=remote))  # fmt: skip
        if not text.strip():
            return JobResult(error="failed", message="forespørgslen er tom")
        try:
            return await state["engine"].query(job, settings.timeout)
        except QueryTimeout:
            return JobResult(
                error="failed",
                message=f"forespørgslen tog mere end {settings.timeout:g} sekunder og blev stoppet",
            )
        except WorkerLost:
            return JobResult(
                error="failed", message="forespørgslen brugte for meget hukommelse og blev stoppet"
            )
        except StoreError as exc:
            log.error("query for the web page failed: %s", exc)
            return JobResult(
                error="failed", message="forespørgslen kunne ikke gennemføres; se serverens log"
            )

    add_pages(app, kg, run_for_page)

    async def update(operation: Operation, endpoint: str, request: Request) -> Response:
        # the token first: nothing of an update is read before it is known to be allowed
        if not settings.allow_update:
            raise ProtocolError(
                403,
                "this endpoint is read-only; start it with --allow-update and a token to accept updates",
            )
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise ProtocolError(401, "updates need an 'Authorization: Bearer <token>' header")
        expected = (settings.token or "").strip().encode()
        if not secrets.compare_digest(given.strip().encode(), expected):
            raise ProtocolError(403, "the token is not valid for updates")
        job = UpdateJob(operation.text, tuple(operation.using), tuple(operation.using_named),
                        settings.update_limits(remote=remote), base_iri=endpoint)  # fmt: skip
        try:
            result = await state["engine"].update(job, endpoint, settings.timeout)
        except QueryTimeout as exc:
            return _error(503, str(exc), **{"Retry-After": "1"})
        except WorkerLost as exc:
            log.error("a query worker died checking an update (exit code %s)", exc.exitcode)
            return _error(503, OUT_OF_MEMORY, **{"Retry-After": "1"})
        except QueryError as exc:
            return _error(400, str(exc))
        except StoreError as exc:
            log.error("update failed: %s", exc)
            return _error(500, "the update failed and nothing was changed; see the server log")
        if result.error:
            return _error(result.status, result.message)
        return Response(status_code=204)

    @app.get("/health", summary="Liveness: answers at once, even while queries run")
    async def health() -> dict[str, Any]:
        engine = state.get("engine")
        return {"status": "ok", **(engine.health() if engine else {}), **network}

    @app.get(
        "/api/ask",
        summary="Answer a Danish question",
        description="The same JSON as `maalgraph ask --json`: answer sentence, rows, sources, "
        "intent and linked entities. 422 when the question is not understood (the body then "
        "says why and suggests names).",
    )
    async def api_ask(
        q: str = Query(
            ..., description="The question in Danish", max_length=settings.max_question_chars
        ),
    ) -> JSONResponse:
        try:
            answer = await asyncio.to_thread(kg.ask, q)
        except MaalgraphError as exc:
            return JSONResponse({"error": error_text(exc)}, status_code=400)
        return JSONResponse(answer.to_dict(), status_code=200 if answer.understood else 422)

    return app


def _import_drawing() -> None:
    import matplotlib.pyplot  # noqa: F401  (about a second, once)


def _warm_up(kg: MaalGraph) -> None:
    """Build the question layer's indexes in the background at start, not on the first
    visitor's request. A failure here is the first visitor's to see."""
    try:
        kg.ask("Hvilke mål er opfyldt?")
    except Exception:  # noqa: BLE001  (it will fail again, visibly, where it is used)
        log.exception("warming up failed")


def _not_acceptable() -> str:
    return "none of the accepted media types can be sent; available: " + ", ".join(
        f.media_type for f in GRAPH_FORMATS
    )


def _version() -> str:
    from .. import __version__

    return __version__
