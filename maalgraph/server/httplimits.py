"""Bounds on what a request may cost before the application sees it.

uvicorn's fast HTTP parser (httptools) keeps a request line and headers of any length in
memory, and the application would then read them on the event loop (an 8 MB ``Accept``
header stalled it for seconds). :func:`limited_httptools` counts the bytes of each request's
head as they arrive and answers 431 once they pass the limit. :class:`StrictEscapes` refuses
a path or query string whose percent-escapes are not UTF-8 (``%FF``) with 400, where
Starlette would silently replace them.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

DEFAULT_MAX_HEAD_BYTES = 64 * 1024


def limited_httptools(max_head_bytes: int = DEFAULT_MAX_HEAD_BYTES) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol, answering 431 to a request line and headers over
    ``max_head_bytes`` (memory stays within that and one read from the socket)."""

    class LimitedHttpTools(HttpToolsProtocol):
        _in_body = False  # between a request's headers and its end
        _moved = False  # a request's headers or body ended in the chunk being read
        _chunks_bytes = 0  # bytes read, in whole chunks, while in a request's head
        _head_size = 0  # the current request's URL and headers, as parsed
        _too_large = False

        def data_received(self, data: bytes) -> None:
            if self._too_large:
                return
            self._moved = False
            super().data_received(data)
            if self._too_large:
                self._refuse()
            elif self._moved:
                self._chunks_bytes = 0  # what follows in this chunk is bounded by the chunk
            elif not self._in_body:
                self._chunks_bytes += len(data)
                if self._chunks_bytes > max_head_bytes:
                    self._too_large = True
                    self._refuse()

        def on_message_begin(self) -> None:
            self._head_size = 0
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._head_size += len(url)
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._head_size += len(name) + len(value) + 4
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._moved = self._in_body = True
            if self._head_size > max_head_bytes:
                self._too_large = True  # the request never reaches the application
                return
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if not self._too_large:
                super().on_body(body)

        def on_message_complete(self) -> None:
            self._moved, self._in_body = True, False
            if not self._too_large:
                super().on_message_complete()

        def _refuse(self) -> None:
            message = (
                f"the request line and headers are over {max_head_bytes} bytes "
                f"(anmodningens hoved er over {max_head_bytes} bytes)\n"
            ).encode()
            if self.transport.is_closing():
                return
            self.transport.write(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                b"content-type: text/plain; charset=utf-8\r\n"
                b"content-length: " + str(len(message)).encode() + b"\r\n"
                b"connection: close\r\n\r\n" + message
            )
            self.transport.close()

    return LimitedHttpTools


class StrictEscapes:
    """ASGI middleware: 400 for percent-escapes in the path or query string that are not UTF-8."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (problem := _bad_escape(scope)):
            body = f"{problem} (procent-kodningen er ikke UTF-8)\n".encode()
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode())]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def _bad_escape(scope: dict[str, Any] | Scope) -> str | None:
    for where, raw in (
        ("path", scope.get("raw_path") or b""),
        ("query", scope.get("query_string") or b""),
    ):
        try:
            urllib.parse.unquote_to_bytes(raw.decode("latin-1").replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError as exc:
            return f"the {where} has a percent-escape that is not UTF-8 (byte {exc.start})"
    return None
