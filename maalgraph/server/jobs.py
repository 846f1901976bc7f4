"""What a query worker does with one job: check it, run it, and write the response body.

Runs inside the worker processes (:mod:`maalgraph.server.worker`), which cannot reach the
network and whose memory is capped; so it imports only pyoxigraph and maalgraph's light
modules (rdflib's SPARQL parser is preloaded by the fork server).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..sparqltext import QUERY_FORMS, is_update, top_level_limit, with_limit
from .checks import (
    Checked,
    Limits,
    Refused,
    check_query,
    check_update,
    engine_syntax_error,
    short_syntax_error,
)
from .negotiation import GRAPH_FORMATS, RESULT_FORMATS, Format, by_name, negotiate
from .serialize import RESULTS_SYNTAX, count_rows, triples_bytes

BOOLEAN_FORMATS = tuple(f for f in RESULT_FORMATS if f.key in ("json", "xml", "csv", "tsv"))


@dataclass(frozen=True)
class QueryJob:
    query: str
    accept: str | None = None  # the Accept header
    formats: tuple[str, ...] = ()  # format= / output= values: they win over Accept
    forms: tuple[str, ...] = QUERY_FORMS  # the query forms this caller takes
    default_graphs: tuple[str, ...] | None = None  # None: the query's own (FROM) or the union
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    max_rows: int = 10_000
    limits: Limits = field(default_factory=Limits)
    run: bool = True  # False: check and choose the format only (an external server runs it)


@dataclass(frozen=True)
class UpdateJob:
    update: str
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    base_iri: str | None = None


@dataclass(frozen=True)
class JobResult:
    """A response body, or the status and message of a refusal or failure."""

    body: bytes = b""
    media_type: str = ""
    truncated: bool = False
    error: str | None = None  # "syntax" (malformed) | "refused" | "failed"
    status: int = 200
    message: str = ""
    text: str = ""  # the operation as it may run (an update with USING; a checked query)
    format_key: str = ""
    own_dataset: bool = False


def _error(status: int, kind: str, message: str) -> JobResult:
    return JobResult(error=kind, status=status, message=message)


def _refusal(exc: Refused) -> JobResult:
    kind = "syntax" if exc.message.startswith("malformed") else "refused"
    return _error(exc.status, kind, exc.message)


def _malformed(kind: str, message: str) -> JobResult:
    return _error(400, "syntax", f"malformed SPARQL {kind}: {short_syntax_error(message)}")


def run_update_check(job: UpdateJob) -> JobResult:
    """An update checked, and (embedded) parsed by the engine here, where its parser's stack
    is smaller than the server's: an update that passes cannot overflow it there."""
    try:
        checked = check_update(job.update, job.limits, job.using, job.using_named, job.base_iri)
    except Refused as exc:
        return _refusal(exc)
    if not job.limits.remote and (
        error := engine_syntax_error(checked.text, "update", job.base_iri)
    ):
        return _malformed("update", error)
    return JobResult(text=checked.text)


# Clients send the same queries again and again: a worker remembers the checks of the last
# 256 it passed, if short (at most 256 × 16 K characters); a refusal is not remembered
CACHED_CHARS = 16 * 1024
_check_query_cached = functools.lru_cache(maxsize=256)(check_query)


def run_query_job(store: ox.Store | None, job: QueryJob) -> JobResult:
    try:
        if len(job.query) <= CACHED_CHARS:
            checked = _check_query_cached(job.query, job.limits, job.base_iri)
        else:
            checked = check_query(job.query, job.limits, job.base_iri)
    except Refused as exc:
        return _refusal(exc)
    if checked.form is None and is_update(job.query):
        return _error(400, "failed", _AN_UPDATE)
    if not job.run or store is None:
        fmt = _choose(job, checked.form)
        if isinstance(fmt, JobResult):
            return fmt
        return JobResult(text=checked.text, format_key=fmt.key, media_type=fmt.content_type,
                         own_dataset=checked.own_dataset)  # fmt: skip
    try:
        return _run(store, job, checked)
    except SyntaxError as exc:
        return _malformed("query", str(exc))
    except MemoryError:
        return _error(503, "failed", OUT_OF_MEMORY)
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return _error(400, "failed", f"the query failed: {_first_line(str(exc))}")


OUT_OF_MEMORY = (
    "the query needed more memory than a query may use here and was stopped "
    "(forespørgslen brugte mere hukommelse, end en forespørgsel må her)"
)
_AN_UPDATE = (
    "this is an update, not a query: send it as 'update' with POST "
    "(det er en opdatering, ikke en forespørgsel)"
)


def _options(job: QueryJob, checked: Checked) -> dict[str, Any]:
    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif not checked.own_dataset:
        options["use_default_graph_as_union"] = True
    return options


def _run(store: ox.Store, job: QueryJob, checked: Checked) -> JobResult:
    options = _options(job, checked)
    limited = checked.form == "SELECT" and not _own_limit_fits(job)
    text = with_limit(job.query, job.max_rows + 1) if limited else job.query
    try:
        result = store.query(text, **options)
    except SyntaxError:
        if not limited:
            raise
        store.query(job.query, **options)  # its own syntax error, with its own positions
        return _error(400, "failed", _NO_ROW_LIMIT)
    fmt = _choose(job, _form_of(result))
    if isinstance(fmt, JobResult):
        return fmt
    if isinstance(result, ox.QueryBoolean):
        return JobResult(result.serialize(format=RESULTS_SYNTAX[fmt.key]) or b"", fmt.content_type)
    if isinstance(result, ox.QueryTriples):
        body, truncated = triples_bytes(result, fmt.key, job.max_rows)
        return JobResult(body, fmt.content_type, truncated)
    body = result.serialize(format=RESULTS_SYNTAX[fmt.key]) or b""
    if count_rows(body, fmt.key, more_than=job.max_rows) <= job.max_rows:
        return JobResult(body, fmt.content_type)
    if not limited:  # the lexer did not see a SELECT that the engine did: no LIMIT to set
        return _error(400, "failed", _NO_ROW_LIMIT)
    cut = store.query(with_limit(job.query, job.max_rows), **options)
    if not isinstance(cut, ox.QuerySolutions):
        return _error(400, "failed", _NO_ROW_LIMIT)
    return JobResult(cut.serialize(format=RESULTS_SYNTAX[fmt.key]) or b"", fmt.content_type, True)


_NO_ROW_LIMIT = (
    "the endpoint could not apply its row limit to this query; write its LIMIT as a plain "
    "number after its last group"
)


def _own_limit_fits(job: QueryJob) -> bool:
    own = top_level_limit(job.query)
    return own is not None and own <= job.max_rows


def _form_of(result: object) -> str:
    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    if isinstance(result, ox.QueryTriples):
        return "CONSTRUCT"
    return "SELECT"


def _choose(job: QueryJob, form: str | None) -> Format | JobResult:
    """The format to send: a format= name if one is given (406 if none of them is offered),
    else by Accept; or the refusal of a query form this caller does not take."""
    if form is None:
        return _error(400, "failed", _NO_FORM)
    if form not in job.forms and not (form == "CONSTRUCT" and "DESCRIBE" in job.forms):
        return _error(400, "failed", _FORMS_ONLY.format(forms=" og ".join(job.forms)))
    offered = {"SELECT": RESULT_FORMATS, "ASK": BOOLEAN_FORMATS}.get(form, GRAPH_FORMATS)
    if job.formats:
        named = [f for f in (by_name(name, offered) for name in job.formats) if f is not None]
        if named:
            return named[0]
        return _error(406, "failed", _not_acceptable(offered, given=job.formats))
    fmt = negotiate(job.accept, offered)
    return fmt if fmt is not None else _error(406, "failed", _not_acceptable(offered))


_FORMS_ONLY = "editoren viser svar på {forms}; andre forespørgsler hentes fra /sparql"
_NO_FORM = "the query's form (SELECT, CONSTRUCT, ASK or DESCRIBE) could not be found"


def _not_acceptable(offered: tuple[Format, ...], given: tuple[str, ...] = ()) -> str:
    asked = f"format={', '.join(n[:40] for n in given[:5])} is not offered; " if given else ""
    return (
        asked
        + "none of the accepted media types can be sent; available: "
        + ", ".join(f.media_type for f in offered)
    )


def _first_line(message: str) -> str:
    return message.strip().split("\n", 1)[0][:500]
