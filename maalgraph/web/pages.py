"""The web page for policy staff, served by ``maalgraph serve`` beside ``/sparql``: Spørg,
Overblik, a page per goal, focus area, partner, unit and project, Netværk and a SPARQL editor.

Pages are rendered on the server (Jinja2, autoescaped) and work without JavaScript; every
asset is shipped in the package and a Content-Security-Policy forbids loading anything from
elsewhere. Links are stable: an answer is ``/?q=…``, a thing of the graph ``/id/…`` (its IRI
after the base), so a page can be bookmarked and shared.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import urllib.parse
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from ..errors import MaalgraphError
from ..i18n import _, error_text, ngettext
from ..numbers import number, percent
from ..wording import goal_name, kind_name
from . import views

if TYPE_CHECKING:
    from ..api import MaalGraph
    from ..server.worker import JobResult

HERE = Path(__file__).parent
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")  # fmt: skip
VERDICT_CLASS = {
    "opfyldt": "met",
    "delvist opfyldt": "partly",
    "ikke opfyldt": "not",
    "ikke vurderet": "none",
    "uden vurdering": "none",  # the label of maal:UdenVurdering (no verdict stated)
}
PICTURES = 32  # network pictures kept in memory (per content generation)
PICTURE_WIDTH = 1100  # pixels: about the page's width, so the labels keep their size

RunQuery = Callable[[str], Awaitable["JobResult"]]


class SecurityHeaders(BaseHTTPMiddleware):
    """Nothing from other sites, no framing, no guessing of content types."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith(("text/html", "image/svg")):
            response.headers["Content-Security-Policy"] = CSP
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def add_pages(app: FastAPI, kg: MaalGraph, run_query: RunQuery) -> None:
    """Mount the pages and their assets on ``app``."""
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(
        page=lambda iri: page_url(kg, iri),
        _=_,
        ngettext=ngettext,
        goal_name=goal_name,
        kind_name=kind_name,
    )
    templates.env.filters.update(number=number, percent=percent)
    templates.env.filters["verdict_class"] = lambda v: VERDICT_CLASS.get(str(v), "none")
    templates.env.filters["q"] = lambda text: urllib.parse.quote_plus(str(text))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(SecurityHeaders)
    pictures: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
    cached_examples: dict[int, list[str]] = {}

    def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, template, context, status_code=status)

    async def examples() -> list[str]:
        if kg.generation not in cached_examples:
            cached_examples.clear()
            cached_examples[kg.generation] = await asyncio.to_thread(views.examples, kg)
        return cached_examples[kg.generation]

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def ask(request: Request, q: str = "") -> HTMLResponse:
        question = q.strip()[:1000]
        answer = await asyncio.to_thread(kg.ask, question) if question else None
        suggestions = [{"label": s["suggestion"], "q": question.replace(s["phrase"], s["suggestion"])}
                       for s in (answer.suggestions if answer else [])]  # fmt: skip
        return render(request, "ask.html", nav="spoerg", q=question, answer=answer, suggestions=suggestions,
                      examples=await examples())  # fmt: skip

    @app.get("/overblik", response_class=HTMLResponse, include_in_schema=False)
    async def overview(request: Request, kommune: str = "", aar: str = "") -> HTMLResponse:
        where = await asyncio.to_thread(views.scope, kg, kommune or None, aar or None)
        areas = await asyncio.to_thread(views.overview, kg, where)
        return render(
            request,
            "overview.html",
            nav="overblik",
            scope=where,
            areas=areas,
            totals=views.verdict_counts(areas),
        )

    @app.get("/netvaerk", response_class=HTMLResponse, include_in_schema=False)
    async def network(
        request: Request,
        kommune: str = "",
        aar: str = "",
        fokusomraade: str = "",
        omkring: str = "",
    ) -> HTMLResponse:
        where = await asyncio.to_thread(views.scope, kg, kommune or None, aar or None)
        areas = await asyncio.to_thread(views.focus_areas_for_network, kg, where)
        around = kg.entity_index.get(omkring)
        chosen = fokusomraade if any(iri == fokusomraade for iri, _ in areas) else ""
        text = await asyncio.to_thread(
            views.network_text, kg, where, chosen or None, around.iri if around else None
        )
        params = urllib.parse.urlencode({k: v for k, v in (("kommune", where.municipality), ("aar", where.year),
                                          ("fokusomraade", chosen), ("omkring", around.iri if around else "")) if v})  # fmt: skip
        return render(request, "network.html", nav="netvaerk", scope=where, areas=areas, chosen=chosen,
                      around=around, picture=f"/netvaerk.svg?{params}", export=f"/netvaerk.graphml?{params}", goals=text)  # fmt: skip

    @app.get("/netvaerk.{fmt}", include_in_schema=False)
    async def network_file(
        fmt: str, kommune: str = "", aar: str = "", fokusomraade: str = "", omkring: str = ""
    ) -> Response:
        media = {
            "svg": "image/svg+xml",
            "png": "image/png",
            "graphml": "application/graphml+xml",
            "gexf": "application/gexf+xml",
        }
        if fmt not in media:
            return Response(status_code=404)
        where = await asyncio.to_thread(views.scope, kg, kommune or None, aar or None)
        key = (kg.generation, fmt, where.municipality, where.year, fokusomraade, omkring)
        if key not in pictures:
            try:
                pictures[key] = await asyncio.to_thread(
                    _draw, kg, where, fokusomraade, omkring, fmt
                )
            except MaalgraphError as exc:
                return Response(error_text(exc), status_code=404, media_type="text/plain")
            while len(pictures) > PICTURES:
                pictures.popitem(last=False)
        headers = {"Cache-Control": "no-cache"}
        if fmt in ("graphml", "gexf"):
            headers["Content-Disposition"] = f'attachment; filename="netvaerk.{fmt}"'
        return Response(pictures[key], media_type=media[fmt], headers=headers)

    @app.get("/sparql-editor", response_class=HTMLResponse, include_in_schema=False)
    async def editor(request: Request, query: str = "", eksempel: str = "") -> HTMLResponse:
        named = views.named_examples()
        example = next((q for q in named if q["name"] == eksempel), None)
        text = example["text"] if example and not query else query or views.example_query()
        result: dict[str, Any] | None = None
        if query.strip():
            outcome = await run_query(query)
            result = _table(outcome, query)
            iris = [c["iri"] for row in result.get("rows", []) for c in row if c.get("iri")]
            if iris:
                found = await asyncio.to_thread(views.names, kg, iris)
                for row in result["rows"]:
                    for cell in row:
                        if cell.get("iri") in found:
                            cell["text"] = found[cell["iri"]]
        download = (
            "/sparql?" + urllib.parse.urlencode({"query": query, "format": "csv"})
            if result and not result.get("error")
            else None
        )
        return render(
            request,
            "sparql.html",
            nav="sparql",
            named=named,
            chosen=eksempel,
            text=text,
            result=result,
            download=download,
        )

    @app.get("/id/{path:path}", response_class=HTMLResponse, include_in_schema=False)
    async def thing(request: Request, path: str) -> HTMLResponse:
        iri = kg.iris.base + path
        for finder, template in (
            (views.goal, "goal.html"),
            (views.entity, "entity.html"),
            (views.focus_area, "focus_area.html"),
        ):
            try:
                found = await asyncio.to_thread(finder, kg, iri)
            except MaalgraphError:  # not an IRI at all (spaces, <, > …): nothing has it
                break
            if found:
                return render(request, template, nav="", **{"iri": iri, **found})
        return render(request, "not_found.html", status=404, nav="", iri=iri)


def page_url(kg: MaalGraph, iri: object) -> str | None:
    """The page of a thing in the graph: its IRI after the base, under /id/."""
    text = str(iri or "")
    return "/id/" + text[len(kg.iris.base) :] if text.startswith(kg.iris.base) else None


def _draw(kg: MaalGraph, where: views.Scope, focus_area: str, around: str, fmt: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"netvaerk.{fmt}"
        kg.draw_network(path, municipality=where.municipality, year=where.year, focus_area=focus_area or None,
                        around=around or None, width=PICTURE_WIDTH)  # fmt: skip
        return path.read_bytes()


def _table(outcome: JobResult, query: str) -> dict[str, Any]:
    """A SELECT/ASK result (SPARQL JSON) as a table of cells (``text``, and ``iri`` for an
    IRI, whose name the page shows), or the error in Danish."""
    if outcome.error:
        return {"error": _job_error(outcome, query), "detail": outcome.message}
    data = json.loads(outcome.body)
    if "boolean" in data:
        answer = _("yes") if data["boolean"] else _("no")
        return {
            "columns": [_("answer")],
            "rows": [[{"text": answer}]],
            "truncated": outcome.truncated,
        }
    columns = data["head"]["vars"]
    rows = [[_cell(b.get(c)) for c in columns] for b in data["results"]["bindings"]]
    return {"columns": columns, "rows": rows, "truncated": outcome.truncated}


def _cell(value: dict[str, str] | None) -> dict[str, str]:
    if value is None:
        return {"text": ""}
    if value.get("type") == "uri":
        return {"text": value["value"], "iri": value["value"]}
    return {"text": value.get("value", "")}


def _job_error(outcome: JobResult, query: str) -> str:
    """Why the editor's query did not run, in Danish: where a syntax error is, or what kind
    of limit stopped it (the server's own message stays beside it as the detail)."""
    from ..errors import malformed_sparql

    if outcome.error == "syntax":
        error = malformed_sparql(outcome.message.partition(": ")[2] or outcome.message, query)
        if "line" in error.details:
            text = error_text(error)
            return text[:1].upper() + text[1:] + "."
        return _("The query has a syntax error.")
    if outcome.status in (408, 503, 504):
        return _("The query was stopped: it took too long or needed too much memory.")
    if outcome.status == 406:
        return _(
            "The editor shows the answers of SELECT and ASK; fetch other queries from /sparql."
        )
    if outcome.status in (400, 403, 413):
        return _(
            "The query was refused: it is too large, or uses what the endpoint does not allow (SERVICE, LOAD, updates)."
        )
    return _("The query could not be run.")
