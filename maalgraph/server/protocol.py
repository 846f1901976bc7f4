"""SPARQL 1.1 Protocol requests: from HTTP method, parameters and body to one operation.

Pure functions, so each rule of the protocol is tested without a server. The body is
decoded once, as UTF-8, and so are percent-escapes (``%FF`` is refused, not replaced);
anything the protocol forbids becomes a :class:`ProtocolError` carrying the HTTP status and
a message that names the fault. The SPARQL text itself is not read here: that is done in the
query workers (:mod:`maalgraph.server.checks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from ..terms import is_iri

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Operation:
    """A query or an update, with its protocol dataset; ``text`` is None for a service description."""

    kind: str  # "query" | "update" | "description"
    text: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)  # format= / output= / results= values
    using: list[str] = field(default_factory=list)  # an update's using-graph-uri
    using_named: list[str] = field(default_factory=list)  # … and using-named-graph-uri


def query_params(raw: bytes | str) -> list[tuple[str, str]]:
    """A query string's (or form body's) parameters; an escape that is not UTF-8 (``%FF``)
    is a 400, not a replacement character.

    >>> query_params(b"q=Bl%C3%A5+Kors&x=")
    [('q', 'Blå Kors'), ('x', '')]
    """
    text = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    try:
        return parse_qsl(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            400,
            f"a percent-escape in the request is not UTF-8 ({exc.object[exc.start : exc.end]!r})",
        ) from None


def _one(params: Sequence[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise ProtocolError(
            400, f"the request has {len(values)} '{name}' parameters; send exactly one"
        )
    return values[0] if values else None


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = None
    for p in parts[1:]:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the {what} is not valid UTF-8 (byte {exc.start})") from None


def parse_request(
    method: str,
    url_params: Sequence[tuple[str, str]],
    content_type: str | None,
    body: bytes,
) -> Operation:
    """The operation an HTTP request asks for, following SPARQL 1.1 Protocol §2."""
    method = method.upper()
    if method == "GET":
        if _one(url_params, "update") is not None:
            raise ProtocolError(400, "SPARQL updates must be sent with POST, not GET")
        query = _one(url_params, "query")
        if query is None:
            return Operation("description")
        return _query(query, url_params)
    if method != "POST":
        raise ProtocolError(405, f"the SPARQL endpoint accepts GET and POST, not {method}")
    media_type, charset = _media_type(content_type)
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(415, f"the request body must be UTF-8, not {charset}")
    if media_type == FORM:
        form = query_params(_decode(body, "form body"))
        params = [*url_params, *form]
        query, update = _one(form, "query"), _one(form, "update")
        if query is not None and update is not None:
            raise ProtocolError(
                400, "the request has both 'query' and 'update'; send one operation"
            )
        if query is not None:
            return _query(query, params)
        if update is not None:
            return _update(update, params)
        raise ProtocolError(400, "the form has neither a 'query' nor an 'update' parameter")
    if media_type == QUERY:
        return _query(_decode(body, "query"), url_params)
    if media_type == UPDATE:
        return _update(_decode(body, "update"), url_params)
    shown = media_type or "no Content-Type"
    raise ProtocolError(
        415,
        f"cannot read a POST body of {shown}; use {FORM}, {QUERY} or {UPDATE}",
    )


def _query(text: str, params: Sequence[tuple[str, str]]) -> Operation:
    if not text.strip():
        raise ProtocolError(400, "the query is empty")
    return Operation(
        "query",
        text,
        [v for k, v in params if k == "default-graph-uri"],
        [v for k, v in params if k == "named-graph-uri"],
        [v for k, v in params if k in ("format", "output", "results")],
    )


def _update(text: str, params: Sequence[tuple[str, str]]) -> Operation:
    if not text.strip():
        raise ProtocolError(400, "the update is empty")
    using = [v for k, v in params if k == "using-graph-uri"]
    using_named = [v for k, v in params if k == "using-named-graph-uri"]
    for iri in using + using_named:
        if not is_iri(iri):
            raise ProtocolError(400, f"{iri[:80]!r} is not an absolute IRI")
    return Operation("update", text, using=using, using_named=using_named)


def check_graph_iris(operation: Operation) -> None:
    """Protocol dataset IRIs must be absolute IRIs (they are passed to the engine as terms)."""
    for iri in operation.default_graphs + operation.named_graphs:
        if not is_iri(iri):
            raise ProtocolError(400, f"{iri[:80]!r} is not an absolute IRI")
