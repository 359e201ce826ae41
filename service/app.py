"""The HTTP service: `create_app(settings)` builds a FastAPI app over one TM database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from service import errors
from service.schemas import EditOut, Health, LookupRequest, LookupResponse, MatchOut, PenaltyOut
from service.settings import Settings
from tm import Match, TranslationMemory
from tm.index import Index


def create_app(settings: Settings) -> FastAPI:
    """An app serving the TM at `settings.db` (created and migrated at start-up)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        TranslationMemory.open(settings.db).close()
        yield

    app = FastAPI(
        title="tm",
        version="0.1.0",
        lifespan=lifespan,
        description="French→English translation memory",
    )
    app.state.settings = settings
    app.state.index = Index()  # one in-memory index shared by every request's connection
    errors.install(app)

    @app.get("/health", response_model=Health)
    def health(memory: Annotated[TranslationMemory, Depends(open_memory)]) -> Health:
        return Health(status="ok", segments=memory.count())

    @app.post("/lookup", response_model=LookupResponse)
    def lookup(
        body: LookupRequest, memory: Annotated[TranslationMemory, Depends(open_memory)]
    ) -> LookupResponse:
        found = memory.lookup(
            body.text,
            limit=body.limit,
            threshold=body.threshold,
            context_prev=body.context_prev,
            context_next=body.context_next,
        )
        return LookupResponse(query=body.text, matches=[match_out(m) for m in found])

    return app


def open_memory(request: Request) -> Iterator[TranslationMemory]:
    """A connection for this request, closed after it."""
    settings: Settings = request.app.state.settings
    memory = TranslationMemory.open(settings.db, index=request.app.state.index)
    try:
        yield memory
    finally:
        memory.close()


def match_out(match: Match) -> MatchOut:
    return MatchOut(
        id=match.id,
        source=match.source,
        target=match.target,
        adapted_target=match.adapted_target,
        score=match.score,
        band=match.band,
        origin=match.origin,
        document=match.document,
        created=match.created,
        changed=match.changed,
        quality=match.quality,
        penalties=[
            PenaltyOut(code=p.code, points=p.points, detail=p.detail) for p in match.penalties
        ],
        edits=[EditOut(**asdict(edit)) for edit in match.edits],
        notes=list(match.notes),
    )
