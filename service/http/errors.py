"""Domain errors → HTTP status codes, in one table; validation errors made safe to send; no
server path in a message."""

from __future__ import annotations

import errno
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from service.http.auth import Unauthorized
from service.http.jobs import public
from tm import messages
from tm.errors import (
    Busy,
    Conflict,
    DiskFull,
    Forbidden,
    InvalidInput,
    NotFound,
    TMError,
    TooLarge,
)


class PreconditionFailed(TMError):
    """`If-Match` names a version that is no longer current (someone else edited first)."""


class PreconditionRequired(TMError):
    """An edit without `If-Match`: the client must say which version it read."""


RETRY_AFTER_S = 5
"""What a 503 from a busy TM asks the client to wait (an import's transaction may be long)."""
FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
"""The errors of a write that found no room."""

STATUS: dict[type[TMError], int] = {
    Unauthorized: 401,
    PreconditionFailed: 412,
    PreconditionRequired: 428,
    TooLarge: 413,
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Busy: 503,
    DiskFull: 507,
    TMError: 400,
}


def status_of(error: TMError) -> int:
    return next(code for kind, code in STATUS.items() if isinstance(error, kind))


def _safe(value: Any) -> Any:
    """Strings with lone surrogates escaped and numbers JSON has no word for (NaN, Infinity,
    1e309 read as infinity) as text, so the error itself can be sent as JSON."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: _safe(item) for key, item in value.items()}
    return value


def asked(request: Request) -> str:
    """The language the request asks its messages in (`Accept-Language`, `tm.messages`)."""
    return messages.language(request.headers.get("accept-language"))


def said(item: Any, language: str) -> Any:
    """A validation error item with its `msg` in `language` when the catalogue has its type
    (`invalid/<pydantic type>`); a check of ours (`value_error`) keeps its own words."""
    key = f"invalid/{item.get('type')}"
    if language == "en" or not messages.known(key):
        return item
    try:
        return item | {"msg": messages.say(key, language, **(item.get("ctx") or {}))}
    except (KeyError, IndexError):  # a context the template does not expect
        return item


def install(app: FastAPI) -> None:
    """Answer every `TMError` with its status and a `detail` message."""

    async def domain(request: Request, error: Exception) -> JSONResponse:
        if not isinstance(error, TMError):  # pragma: no cover - registered for TMError only
            raise error
        detail = _safe(public(error.text(asked(request))))  # never a server path
        body = {"detail": detail} | ({"code": error.key} if error.key else {})
        # A writer that waited its bounded time behind an import: the client may try again.
        headers = {"Retry-After": str(RETRY_AFTER_S)} if isinstance(error, Busy) else None
        return JSONResponse(body, status_code=status_of(error), headers=headers)

    async def validation(request: Request, error: Exception) -> JSONResponse:
        if not isinstance(error, RequestValidationError):  # pragma: no cover
            raise error
        items = [said(item, asked(request)) for item in error.errors()]
        return JSONResponse({"detail": _safe(jsonable_encoder(items))}, status_code=422)

    async def overflow(request: Request, error: Exception) -> JSONResponse:
        # A number in a request that SQLite's 64-bit integers cannot hold (an id in a list):
        # the request's fault, whichever route let it through.
        detail = messages.say("error/number-too-large", asked(request), error=error)
        return JSONResponse({"detail": detail, "code": "error/number-too-large"}, status_code=422)

    async def disk(_request: Request, error: Exception) -> JSONResponse:
        # A download or upload written to a full disk (the TM's own writes are DiskFull).
        if not (isinstance(error, OSError) and error.errno in FULL):
            raise error
        return JSONResponse(
            {"detail": "disk is full: nothing was written, the service needs space"},
            status_code=507,
        )

    app.add_exception_handler(TMError, domain)
    app.add_exception_handler(OSError, disk)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(OverflowError, overflow)
    _document_422(app)


def _document_422(app: FastAPI) -> None:
    """Say in the OpenAPI description what a 422 carries: FastAPI documents only its list of
    validation errors, but a refused input (`InvalidInput`) is a 422 whose `detail` is the
    message (a client, or a contract test, reading the description would call it wrong)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        found = schema.get("components", {}).get("schemas", {}).get("HTTPValidationError")
        if found and "detail" in found.get("properties", {}):
            listed = {k: v for k, v in found["properties"]["detail"].items() if k != "title"}
            found["properties"]["detail"] = {
                "title": "Detail",
                "anyOf": [listed, {"type": "string"}],
                "description": "The validation errors, or the reason the input was refused",
            }
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
