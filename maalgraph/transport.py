"""One HTTP transport for every call maalgraph makes to an external SPARQL server (queries
and updates, from :class:`maalgraph.remote.RemoteStore` and the endpoint's remote engine), on
one ``httpx.Client`` (connections are reused), with the credentials, the timeouts and the
translation of failures in one place.

Failures become maalgraph's own errors by HTTP status and by httpx exception type, never by
message text::

    400                       QueryError    the server refused the query or update
    401, 403                  StoreError    wrong or missing token / user and password
    408, 504, httpx timeouts  StoreTimeout  no answer in time
    anything else             StoreError    unreachable, wrong URL, server failure …

The table :data:`TRANSPORT_ERRORS` maps each httpx exception class; a test checks that it
names every class httpx has.
"""

from __future__ import annotations

import base64
from collections.abc import Generator, Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from .errors import MaalgraphError, QueryError, StoreError, StoreTimeout
from .i18n import N_

FORM = "application/x-www-form-urlencoded"

# httpx exception class → (maalgraph error class, message); {url}, {timeout} and {detail}
# are filled in. Base classes come after their subclasses and catch what a later httpx adds.
TRANSPORT_ERRORS: dict[type[Exception], tuple[type[StoreError], str]] = {
    httpx.ConnectTimeout: (StoreTimeout, N_("cannot reach the SPARQL server at {url}: no connection within {timeout} s")),
    httpx.ReadTimeout: (StoreTimeout, N_("the SPARQL server at {url} did not answer within {timeout} s")),
    httpx.WriteTimeout: (StoreTimeout, N_("the request to the SPARQL server at {url} could not be sent within {timeout} s")),
    httpx.PoolTimeout: (StoreTimeout, N_("no free connection to the SPARQL server at {url} within {timeout} s")),
    httpx.TimeoutException: (StoreTimeout, N_("the SPARQL server at {url} did not answer within {timeout} s")),
    httpx.ConnectError: (StoreError, N_("cannot reach the SPARQL server at {url} ({detail}); check the URL and that the server runs")),
    httpx.ReadError: (StoreError, N_("the connection to the SPARQL server at {url} broke while reading its answer ({detail})")),
    httpx.WriteError: (StoreError, N_("the connection to the SPARQL server at {url} broke while sending the request ({detail})")),
    httpx.CloseError: (StoreError, N_("the connection to the SPARQL server at {url} did not close cleanly ({detail})")),
    httpx.NetworkError: (StoreError, N_("cannot reach the SPARQL server at {url} ({detail})")),
    httpx.RemoteProtocolError: (StoreError, N_("the SPARQL server at {url} broke the HTTP protocol ({detail})")),
    httpx.LocalProtocolError: (StoreError, N_("the request to the SPARQL server at {url} is not valid HTTP ({detail})")),
    httpx.ProtocolError: (StoreError, N_("HTTP protocol error with the SPARQL server at {url} ({detail})")),
    httpx.ProxyError: (StoreError, N_("the proxy to the SPARQL server at {url} failed ({detail}); check HTTP(S)_PROXY")),
    httpx.UnsupportedProtocol: (StoreError, N_("{url} is not an http:// or https:// URL")),
    httpx.TransportError: (StoreError, N_("cannot reach the SPARQL server at {url} ({detail})")),
    httpx.DecodingError: (StoreError, N_("the SPARQL server at {url} sent an answer that cannot be decoded ({detail})")),
    httpx.TooManyRedirects: (StoreError, N_("the SPARQL server at {url} redirects too often; give its final URL")),
    httpx.RequestError: (StoreError, N_("the request to the SPARQL server at {url} failed ({detail})")),
    httpx.InvalidURL: (StoreError, N_("{url} is not a valid URL ({detail})")),
}  # fmt: skip


def translate(exc: Exception, url: str, timeout: float) -> StoreError:
    """The maalgraph error for an httpx exception, found by its class (the most specific
    entry of :data:`TRANSPORT_ERRORS` in the exception's class hierarchy)."""
    for cls in type(exc).__mro__:
        if cls in TRANSPORT_ERRORS:
            error, message = TRANSPORT_ERRORS[cls]
            detail = str(exc) or type(exc).__name__
            return error(message, url=url, timeout=f"{timeout:g}", detail=detail[:200])
    raise TypeError(f"not an httpx error: {exc!r}")


WHAT = (N_("query"), N_("update"))  # what a request sends, named in its errors


def status_error(response: httpx.Response, url: str, what: str) -> MaalgraphError:
    """The maalgraph error for an HTTP error status, with the start of the server's message;
    ``what`` is "query" or "update" (a message id of the catalogue)."""
    status = response.status_code
    detail = " ".join(response.text.split())[:400] or response.reason_phrase
    values = {"url": url, "what": N_(what), "status": status, "detail": detail}
    if status == 400:
        return QueryError(N_("the SPARQL server at {url} refused the {what}: {detail}"), **values)
    if status in (401, 403):
        return StoreError(
            N_(
                "the SPARQL server at {url} refused the credentials ({status}) for the {what}; "
                "check the token, or the user and password"
            ),
            **values,
        )
    if status == 404:
        return StoreError(N_("no SPARQL endpoint at {url} (404); check the URL"), **values)
    if status in (408, 504):
        return StoreTimeout(
            N_("the SPARQL server at {url} gave up on the {what} ({status}): {detail}"), **values
        )
    if status == 413:
        return StoreError(
            N_(
                "the SPARQL server at {url} refused the {what} as too large (413); raise its "
                "request size limit"
            ),
            **values,
        )
    if status >= 500:
        return StoreError(
            N_("the SPARQL server at {url} failed on the {what} (HTTP {status}): {detail}"),
            **values,
        )
    return StoreError(
        N_("the SPARQL server at {url} answered HTTP {status} to the {what}: {detail}"), **values
    )


class PasswordAuth(httpx.Auth):
    """A user and password for the scheme the server asks for: Digest (Virtuoso's
    ``/sparql-auth``) or Basic (Fuseki, GraphDB, a proxy). The first request learns which."""

    requires_request_body = True  # a challenged request is sent again

    def __init__(self, user: str, password: str):
        self._digest = httpx.DigestAuth(user, password)
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self._basic = f"Basic {token}"
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "basic":
            request.headers["Authorization"] = self._basic
            yield request
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        response = yield request
        challenge = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if response.status_code != 401 or challenge not in ("basic", "digest"):
            return
        self._scheme = challenge
        yield from self.auth_flow(request)


class Transport:
    """The HTTP side of one connection to a SPARQL server.

    >>> with Transport(token="s3cret", timeout=5) as t:
    ...     t.client.headers["authorization"], t.timeout
    ('Bearer s3cret', 5.0)
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
    ):
        if token and user is not None:
            raise StoreError(N_("give either a token or a user and password, not both"))
        self.timeout = float(timeout)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        auth = PasswordAuth(user, password or "") if user is not None else None
        self.client = httpx.Client(
            headers=headers,
            auth=auth,
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
            follow_redirects=True,
            trust_env=True,
        )

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def query(
        self,
        url: str,
        text: str,
        *,
        accept: str,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
        timeout: float | None = None,
    ) -> httpx.Response:
        """POST a query (SPARQL 1.1 Protocol, form-encoded); the read response."""
        form = [("query", text)]
        form += [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs]
        return self.send("POST", url, "query", data=form, accept=accept, timeout=timeout)

    def update(self, url: str, text: str, *, what: str = "update") -> None:
        """POST an update (SPARQL 1.1 Protocol, form-encoded)."""
        self.send("POST", url, what, data=[("update", text)], accept="*/*")

    def send(
        self,
        method: str,
        url: str,
        what: str,
        *,
        accept: str,
        data: list[tuple[str, str]] | None = None,
        params: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        """One request; an error status or a transport failure becomes a maalgraph error."""
        seconds = self.timeout if timeout is None else timeout
        options: dict[str, Any] = {"headers": {"Accept": accept}, "params": params}
        if data is not None:
            options["content"] = urlencode(data).encode("ascii")
            options["headers"]["Content-Type"] = FORM
        if timeout is not None:
            options["timeout"] = httpx.Timeout(seconds, connect=min(seconds, 10.0))
        try:
            response = self.client.request(method, url, **options)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise translate(exc, url, seconds) from exc
        if response.status_code >= 400:
            raise status_error(response, url, what)
        return response
