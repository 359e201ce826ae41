"""The HTTP service: `create_app(settings)` builds a FastAPI app over one TM database."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from glossaries import Glossary
from service import keys
from service.http import errors, jobs, middleware
from service.http.auth import CallerKey, Memory
from service.http.routes import admin as routes_admin
from service.http.routes import glossary as routes_glossary
from service.http.routes import mymemory as routes_mymemory
from service.http.routes import review as routes_review
from service.http.routes import translator as routes_translator
from service.http.schemas.translator import Caller, Health
from service.memories import Memories
from service.pipelines.annotate import Recognisers
from service.settings import Settings
from tm import TranslationMemory
from tm.lazy import module as lazy

if TYPE_CHECKING:
    from service.pipelines import evaluation
else:
    evaluation = lazy("service.pipelines.evaluation")  # its fork server, after the warm-up

STATIC = Path(__file__).parent / "static"
FAVICON = "/static/favicon.svg"


def from_environment() -> FastAPI:
    """The app for the TM the environment names (`TM_DB`…, `Settings.from_mapping`): what each
    worker process of `tm serve --workers N` runs."""
    return create_app(Settings.from_mapping(os.environ))


def _lifespan(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """What the app does at start-up (migrate, sweep old uploads, start the jobs, warm the
    index, then the evaluation's worker) and at shutdown."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with TranslationMemory.open(settings.db) as memory:
            keys.ensure_schema(memory.db)
            Glossary.open(memory.db)
        jobs.sweep()  # the uploads a crashed or killed server left
        app.state.jobs = jobs.Jobs(shared=settings.jobs_folder)
        warming = threading.Thread(target=_warm, args=(app.state.memories,), daemon=True)
        warming.start()
        try:
            yield
        finally:
            app.state.jobs.shutdown()
            warming.join(timeout=1)  # a daemon: never hold up the shutdown
            app.state.memories.close()

    return lifespan


def _warm(memories: Memories) -> None:
    """Open the lookup index (and read the lexicon), then start the evaluation's fork server:
    after, so that its interpreter (a process of its own, importing the scoring code) does not
    compete with the start-up for a CPU."""
    try:
        memories.warm()
    finally:
        evaluation.prepare()


def create_app(settings: Settings) -> FastAPI:
    """An app serving the TM at `settings.db` (created and migrated at start-up)."""
    # /docs and /redoc load Swagger UI and ReDoc from the fastapi-offline package, served
    # here under /static-offline-docs: they work without the internet and under the CSP
    app = FastAPIOffline(
        title="tm",
        version="0.1.0",
        lifespan=_lifespan(settings),
        description="French→English translation memory: lookup, glossary, quality.",
        favicon_url=FAVICON,
    )
    app.state.settings = settings
    app.state.recognisers = Recognisers()  # the glossary recogniser, rebuilt on change
    # One index shared by every request's connection, and the pool of connections.
    app.state.memories = Memories(
        settings.db, keep=settings.max_in_flight, busy_timeout_ms=settings.busy_timeout_ms
    )
    errors.install(app)
    middleware.install(app, settings)
    _service_routes(app)
    app.include_router(routes_translator.router)
    app.include_router(routes_mymemory.router)
    app.include_router(routes_glossary.router)
    app.include_router(routes_review.router)
    app.include_router(routes_admin.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _service_routes(app: FastAPI) -> None:
    """The service's own routes: health and readiness, who am I, the page and its icon."""

    @app.get("/health", response_model=Health, tags=["service"])
    def health(memory: Memory) -> Health:
        """Liveness: the process answers and reads its TM, from its start (the lookup index
        may still be loading: lookups then wait for it; `/ready` tells)."""
        return Health(status="ok", segments=memory.count())

    @app.get("/ready", response_model=Health, tags=["service"], responses={503: {"model": Health}})
    def ready(memory: Memory, response: Response) -> Health:
        """Readiness, for a load balancer: 200 once the start-up warm-up is done (the lookup
        index open, the lexicon read), 503 `warming up` before."""
        if not app.state.memories.warmed.is_set():
            response.status_code = 503
            return Health(status="warming up", segments=memory.count())
        return Health(status="ready", segments=memory.count())

    @app.get("/whoami", response_model=Caller, tags=["service"])
    def whoami(key: CallerKey) -> Caller:
        """The presented key's role and name (the web page shows the views that role allows);
        401 for an unknown or revoked key."""
        return Caller(role=key.role if key else None, name=key.name if key else None)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:  # where browsers look when a page names no icon
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")
