"""Who is calling: an API key (header `Authorization: Bearer …` or `X-API-Key`; a `?key=` in
the URL is refused by `service.http.middleware.QueryString`) and the role it carries. Writes
always need a key with the right role; reads are open only when the service is bound to
loopback and no key was ever made (the demo without keys: revoking every key closes reads)."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request

from service import keys
from service.memories import Memories
from service.settings import Settings
from tm import TranslationMemory
from tm.errors import Forbidden, TMError


class Unauthorized(TMError):
    """No key, or an unknown or revoked one."""


# The dependencies below are `async def` although they do not await: FastAPI then runs them
# on the event loop instead of sending each to a worker thread (they take microseconds; the
# thread hops cost more). Only the route itself runs in a worker thread.


async def open_memory(request: Request) -> AsyncIterator[TranslationMemory]:
    """A TM over a pooled connection for this request (sharing the app's index), given back
    after it (see `service.memories`)."""
    memories: Memories = request.app.state.memories
    with memories.lent() as memory:
        yield memory


Memory = Annotated[TranslationMemory, Depends(open_memory)]


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.headers.get("x-api-key") or None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def caller_key(request: Request, memory: Memory) -> keys.Key | None:
    """The presented key's record; an unknown key is refused even where reads are open."""
    secret = presented_key(request)
    if secret is None:
        return None
    key = keys.identify(memory.db, secret)
    if key is None:
        raise Unauthorized.said("error/key-unknown")
    return key


CallerKey = Annotated[keys.Key | None, Depends(caller_key)]


async def caller_role(key: CallerKey) -> str | None:
    """The role of the presented key (None without one)."""
    return key.role if key else None


Role = Annotated[str | None, Depends(caller_role)]


async def reader(request: Request, memory: Memory, role: Role) -> str | None:
    """Allow a read: any valid key, or no key where reads are open."""
    settings: Settings = request.app.state.settings
    if role is None and not (is_loopback(settings.host) and not keys.ever_made(memory.db)):
        raise Unauthorized.said("error/key-needed")
    return role


def require(needed: str) -> Callable[..., Awaitable[str]]:
    """A dependency that lets through keys with at least the `needed` role."""

    async def check(role: Role) -> str:
        if role is None:
            raise Unauthorized.said("error/role-needed", needed=needed)
        if not keys.allows(role, needed):
            raise Forbidden.said("error/role-short", needed=needed, role=role)
        return role

    return check


def signer(needed: str) -> Callable[..., Awaitable[str]]:
    """A dependency that lets through keys with at least the `needed` role and gives the
    key's name: the author a write records (set by the server, never by the request; issue 19:
    a role says nobody, and a body's `author` could say anybody)."""
    check = require(needed)

    async def name(key: CallerKey) -> str:
        role = await check(key.role if key else None)
        return key.name if key and key.name else role

    return name


Reader = Annotated[str | None, Depends(reader)]
Translator = Annotated[str, Depends(require("translator"))]
Maintainer = Annotated[str, Depends(require("maintainer"))]
Admin = Annotated[str, Depends(require("admin"))]
TranslatorName = Annotated[str, Depends(signer("translator"))]
MaintainerName = Annotated[str, Depends(signer("maintainer"))]
