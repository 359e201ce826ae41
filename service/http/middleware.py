"""Request hygiene at the ASGI level: body size limit (413), load shedding (503), query strings
(422 for invalid UTF-8, 400 for an API key in the URL) and the security headers of every
answer."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from service.pipelines import EVALUATION_MAX_BYTES
from service.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


EVALUATE = 2 * EVALUATION_MAX_BYTES + 64 * 1024
"""The largest body `/evaluate` reads: its two files and the form around them."""


class TooLarge(Exception):
    pass


async def _refuse(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuse request bodies larger than `limit` bytes (or the smaller limit `paths` gives a
    path) with 413, declared or streamed.

    A streamed (chunked) body is cut off where it passes the limit; whatever the app then
    answers (FastAPI makes a 400 of a body it could not read) is replaced by the 413.
    """

    def __init__(self, app: App, *, limit: int, paths: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.paths = paths or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = min(self.limit, self.paths.get(scope.get("path", ""), self.limit))
        detail = f"request body over {limit} bytes"
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, 413, detail, [])
            return
        seen = 0
        started = exceeded = False

        async def limited() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if exceeded:  # the app's own answer to a body it never got whole
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _refuse(send, 413, detail, [])
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except TooLarge:
            if not started:
                await _refuse(send, 413, detail, [])


class Shedding:
    """Answer 503 (with Retry-After) instead of queueing when `limit` requests are in flight."""

    def __init__(self, app: App, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await _refuse(send, 503, "overloaded: retry shortly", [(b"retry-after", b"1")])
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


def query_problem(query: bytes) -> tuple[int, str] | None:
    """Why a query string is refused (status, reason), or None: a parameter that is not
    UTF-8 once percent-decoded (422: it would be read with U+FFFD in place of the bytes), or
    an API key in the URL (400: URLs end up in logs, histories and Referer headers)."""
    for number, part in enumerate(query.split(b"&"), start=1):
        name, _, value = part.partition(b"=")
        try:
            for piece in (name, value):
                unquote_to_bytes(piece.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as error:
            return 422, f"query parameter {number} is not valid UTF-8 ({error.reason})"
        if unquote_to_bytes(name) == b"key":
            return 400, (
                "an API key in the URL is refused (URLs end up in logs): send it in the "
                "'Authorization: Bearer <key>' or 'X-API-Key' header"
            )
    return None


class QueryString:
    """Refuse a query string `query_problem` finds fault with, before any route runs."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        problem = query_problem(query) if query else None
        if problem is not None:
            await _refuse(send, *problem, [])
            return
        await self.app(scope, receive, send)


# The web page loads only its own scripts and styles, and talks only to this service.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The /docs and /redoc pages load Swagger UI and ReDoc from this service (the fastapi-offline
# package's copies, `service.http.app`) and start them with an inline script (allowed by its
# hash, worked out from the page itself); Swagger UI sets inline styles.
DOCS = ("/docs", "/docs/oauth2-redirect", "/redoc")
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src blob:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
_FIXED = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY")]


def script_hashes(page: bytes) -> str:
    """CSP sources for the inline scripts of an HTML page (`'sha256-…'` each)."""
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(page)
    )


class SecurityHeaders:
    """`X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and a Content-Security-Policy
    on every answer (`POLICY`; the API docs pages get `DOCS_POLICY`)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path") in DOCS:
            await self._docs(scope, receive, send)
            return

        async def headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    *_FIXED,
                    (b"content-security-policy", POLICY.encode()),
                ]
            await send(message)

        await self.app(scope, receive, headed)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A docs page is small: held whole to hash its inline scripts into the policy."""
        start: Message = {}
        body: list[bytes] = []

        async def held(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            page = b"".join(body)
            policy = DOCS_POLICY.format(hashes=script_hashes(page))
            start["headers"] = [
                *start.get("headers", []),
                *_FIXED,
                (b"content-security-policy", policy.encode()),
            ]
            await send(start)
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, held)


def install(app: FastAPI, settings: Settings) -> None:
    """Every request goes, from the outside in: security headers (on every answer, refusals
    included), the Host check (400), load shedding (503), the query string check, the body
    limit (413), and CORS where origins are configured."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["*"],
            allow_headers=["*"],
        )
    # /evaluate reads two files of EVALUATION_MAX_BYTES at most: a larger body is refused
    # before it is read (parsing a 21 MB form held the event loop, and /health, 140 ms).
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, paths={"/evaluate": EVALUATE})
    app.add_middleware(QueryString)
    app.add_middleware(Shedding, limit=settings.max_in_flight)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.hosts(), www_redirect=False)
    app.add_middleware(SecurityHeaders)
