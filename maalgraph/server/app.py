"""The HTTP application: SPARQL 1.1 Protocol at ``/sparql``, ``/health`` and ``/api/ask``.

Library and protocol errors become HTTP statuses here, at the edge: 400 bad request or
query, 401/403 updates without the right token, 406 no acceptable format, 413 too large,
415 unreadable body, 422 question not understood, 503 timeout, 500 with details only in
the log.
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
from ..remote import RemoteStore
from ..sparqltext import keywords, query_form
from ..web.pages import add_pages
from .description import FORMATS, SD, service_description
from .engine import EmbeddedEngine, Engine, RemoteEngine
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS, Format, by_name, negotiate
from .protocol import Operation, ProtocolError, check_graph_iris, parse_request
from .serialize import GRAPH_SYNTAX
from .worker import JobResult, QueryJob, QueryTimeout, WorkerLost

log = logging.getLogger("maalgraph.server")


@dataclass
class Settings:
    """How the endpoint behaves; every field has a ``maalgraph serve`` option."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 16 * 1024 * 1024
    workers: int = 2
    memory_per_worker_mb: int = (
        1024  # in-memory copy per worker when the data fits; 0: read from disk
    )
    allow_update: bool = False
    token: str | None = None
    cors_origins: list[str] = field(default_factory=list)
    max_question_chars: int = 1000


def _error(status: int, message: str, **headers: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def create_app(kg: MaalGraph, settings: Settings | None = None) -> FastAPI:
    """The endpoint over ``kg``; worker processes start with the application and stop with it."""
    settings = settings or Settings()
    if settings.allow_update and not settings.token:
        raise StoreError(
            "updates need a token: give --token (or MAALGRAPH_TOKEN) with --allow-update"
        )
    state: dict[str, Engine] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine: Engine
        if isinstance(kg.store, RemoteStore):
            engine = RemoteEngine(kg)
        else:
            engine = await asyncio.to_thread(
                EmbeddedEngine,
                kg,
                workers=settings.workers,
                memory_per_worker=settings.memory_per_worker_mb * 1024 * 1024,
            )
        state["engine"] = engine
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
            operation = parse_request(
                request.method,
                request.query_params.multi_items(),
                request.headers.get("content-type"),
                body,
            )
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
            raise ProtocolError(406, _not_acceptable(GRAPH_FORMATS))
        triples = service_description(endpoint, updates=settings.allow_update)
        body = ox.serialize(
            triples, format=GRAPH_SYNTAX[fmt.key], prefixes={"sd": SD, "formats": FORMATS}
        )
        return Response(body, media_type=fmt.content_type)

    async def query(operation: Operation, endpoint: str, request: Request) -> Response:
        check_graph_iris(operation)
        form = query_form(operation.text)
        offered = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
        if form == "ASK":
            offered = tuple(f for f in RESULT_FORMATS if f.key in ("json", "xml", "csv", "tsv"))
        named = [f for f in (by_name(name, offered) for name in operation.formats) if f is not None]
        fmt = named[0] if named else negotiate(request.headers.get("accept"), offered)
        if fmt is None:
            raise ProtocolError(406, _not_acceptable(offered))
        try:
            result = await state["engine"].query(
                _job(operation, fmt.key, endpoint), settings.timeout
            )
        except QueryTimeout as exc:
            return _error(503, str(exc), **{"Retry-After": "1"})
        except WorkerLost as exc:
            log.error("query worker lost: %s", exc)
            return _error(500, "the query could not be completed; see the server log")
        except StoreError as exc:
            log.error("backend failed: %s", exc)
            return _error(502, str(exc))
        if result.error == "syntax":
            return _error(400, f"malformed SPARQL query: {result.message}")
        if result.error:
            return _error(400, f"the query failed: {result.message}")
        headers = {"Vary": "Accept"}
        if result.truncated:
            headers["Maalgraph-Truncated"] = str(settings.max_rows)
        return Response(result.body, media_type=fmt.content_type, headers=headers)

    def _job(operation: Operation, format_key: str, endpoint: str) -> QueryJob:
        dataset = bool(operation.default_graphs or operation.named_graphs)
        return QueryJob(
            query=operation.text,
            format_key=format_key,
            default_graphs=tuple(operation.default_graphs) if dataset else None,
            named_graphs=tuple(operation.named_graphs) if operation.named_graphs else None,
            base_iri=endpoint,
            max_rows=settings.max_rows,
            union=not dataset and "FROM" not in keywords(operation.text),
        )

    async def run_for_page(text: str) -> JobResult:
        """A query from the web page's SPARQL editor: the endpoint's own rules (no SERVICE,
        no LOAD, no updates) and limits (time, rows); SELECT and ASK, as SPARQL JSON."""
        try:
            operation = parse_request("GET", [("query", text)], None, b"")
            check_graph_iris(operation)
        except ProtocolError as exc:
            return JobResult(error="failed", message=exc.message)
        if operation.kind != "query" or query_form(operation.text) not in ("SELECT", "ASK"):
            return JobResult(
                error="failed",
                message="editoren viser svar på SELECT og ASK; CONSTRUCT og DESCRIBE hentes fra /sparql",
            )
        try:
            return await state["engine"].query(
                _job(operation, "json", "http://localhost/sparql"), settings.timeout
            )
        except QueryTimeout:
            return JobResult(
                error="failed",
                message=f"forespørgslen tog mere end {settings.timeout:g} sekunder og blev stoppet",
            )
        except (WorkerLost, StoreError) as exc:
            log.error("query for the web page failed: %s", exc)
            return JobResult(
                error="failed", message="forespørgslen kunne ikke gennemføres; se serverens log"
            )

    add_pages(app, kg, run_for_page)

    async def update(operation: Operation, endpoint: str, request: Request) -> Response:
        if not settings.allow_update:
            raise ProtocolError(
                403,
                "this endpoint is read-only; start it with --allow-update and --token to accept updates",
            )
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not given:
            raise ProtocolError(401, "updates need an 'Authorization: Bearer <token>' header")
        if not secrets.compare_digest(given.strip().encode(), (settings.token or "").encode()):
            raise ProtocolError(403, "the token is not valid for updates")
        try:
            await state["engine"].update(operation.text, endpoint)
        except QueryError as exc:
            return _error(400, str(exc))
        except StoreError as exc:
            log.error("update failed: %s", exc)
            return _error(500, "the update failed and nothing was changed; see the server log")
        return Response(status_code=204)

    @app.get("/health", summary="Liveness: answers at once, even while queries run")
    async def health() -> dict[str, Any]:
        engine = state.get("engine")
        return {"status": "ok", **(engine.health() if engine else {})}

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
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(answer.to_dict(), status_code=200 if answer.understood else 422)

    return app


def _warm_up(kg: MaalGraph) -> None:
    """Build the question layer's indexes and load the drawing library in the background at
    start, not on the first visitor's request. A failure here is the first visitor's to see."""
    try:
        import matplotlib.pyplot  # noqa: F401  (about a second, once)

        kg.ask("Hvilke mål er opfyldt?")
    except Exception:  # noqa: BLE001  (it will fail again, visibly, where it is used)
        log.exception("warming up failed")


def _not_acceptable(offered: tuple[Format, ...]) -> str:
    return "none of the accepted media types can be sent; available: " + ", ".join(
        f.media_type for f in offered
    )


def _version() -> str:
    from .. import __version__

    return __version__
