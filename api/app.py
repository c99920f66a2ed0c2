"""The FastAPI app factory: one driver for the app's life, routers, the error table."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api import openapi
from api.analytics_jobs import AnalyticsRefresher
from api.as_of import AS_OF
from api.as_of import RESPONSES as AS_OF_RESPONSES
from api.errors import install_error_handlers
from api.jobs import JobRunner
from api.middleware import BodySizeLimit, RequestDeadline, SecurityHeaders
from api.pages import router as pages_router
from api.routers import (
    analytics,
    changes,
    connectors,
    console,
    dialogue_spaces,
    docs,
    duplicates,
    elements,
    health,
    imports,
    jobs,
    organisations,
    partners,
    paths,
    programmes,
    search,
    stats,
    suggestion_marks,
    territories,
    territory_suggest,
)
from api.routers.viz import router as viz_router
from api.warm_up import start_warm_up
from graph import driver as driver_mod
from graph.deadline import DatabaseGuard
from graph.settings import Settings, get_settings
from graph.territory_table import get_table

_heap_frozen = False


def _freeze_startup_heap() -> None:
    """Move what the first start built (modules, routes, schemas) out of the collector's
    sight: they live as long as the process, and a full collection then takes ~0.1 ms
    instead of ~25 ms landing on some request. Once per process, so apps built later
    (tests build one each) stay collectable."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API. The driver opens in ``lifespan`` and closes with the app."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The sync routes' worker threads (anyio's pool for this event loop): requests past
        # them wait in order for one, never fail (settings.api_threads says why the count).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.api_threads
        owned = not driver_mod.has_driver()
        app.state.driver = driver_mod.get_driver(settings)
        app.state.database = driver_mod.get_database()
        # the threads, the bound and the breaker of every call a request makes to Neo4j
        app.state.guard = DatabaseGuard(app.state.driver, app.state.database,
                                        driver_mod.driver_uri(settings),
                                        max_calls=settings.db_max_calls,
                                        probe_timeout=settings.probe_timeout)
        # long work (analytics, imports, full exports) as jobs, and the analytics computed
        # in the background after each load (api/jobs.py, api/analytics_jobs.py)
        app.state.jobs = JobRunner(settings.job_workers)
        app.state.refresher = AnalyticsRefresher(app, settings.analytics_refresh)
        # The territory reference table (about a second to read) before the first request
        # needs it, and before the freeze so its objects leave the collector's sight too.
        get_table()
        _freeze_startup_heap()
        app.state.refresher.start()
        if settings.warm_up:  # the first visitor must not pay for the plans' compilation
            start_warm_up(app.state.driver, app.state.database)
        try:
            yield
        finally:
            app.state.refresher.stop()
            app.state.jobs.close()
            app.state.guard.close()
            # Close the driver at shutdown, unless someone else (a test session) owns it.
            pool = getattr(app.state, "console_pool", None)
            if pool is not None:
                pool.close()
            if owned:
                driver_mod.close_driver(app.state.driver)

    app = FastAPI(
        title="Alliance Graph",
        version="0.1.0",
        description="Which organisations connect which programmes to which territories.",
        lifespan=lifespan,
        docs_url=None,  # served by api/routers/docs.py without a CDN
        redoc_url=None,
    )
    # Settings are known before the lifespan runs: dependencies read them from here.
    app.state.settings = settings
    install_error_handlers(app)

    # Middleware: the last added is the outermost. The body limit sits inside CORS so that
    # a refused upload still carries the CORS headers a browser needs to read the 413.
    # innermost: the deadline covers the route and its dependencies, nothing else
    app.add_middleware(RequestDeadline, seconds=settings.request_deadline)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:  # CORS is off unless origins are configured
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    app.add_middleware(SecurityHeaders)

    # One router per resource; add a line here to serve a new one. The routers that ask
    # questions take ?as_of= (api/as_of.py): every route of theirs, pages and pictures too.
    def ask(router) -> None:
        app.include_router(router, dependencies=[AS_OF], responses=AS_OF_RESPONSES)

    app.include_router(health.router)
    ask(search.router)
    ask(organisations.router)
    ask(programmes.router)
    # a steward's marks on suggestions: bookkeeping, not questions (no as_of)
    app.include_router(suggestion_marks.router)
    # before the territories router: /territories/{code} would take "suggest" for a code
    app.include_router(territory_suggest.router)  # the reference in memory: no question
    ask(territories.router)
    ask(connectors.router)
    ask(partners.router)
    ask(elements.router)
    ask(paths.router)
    ask(dialogue_spaces.router)
    ask(analytics.router)
    ask(stats.router)
    app.include_router(imports.router)
    app.include_router(changes.router)
    app.include_router(duplicates.router)
    app.include_router(jobs.router)
    app.include_router(console.router)
    app.include_router(docs.router)
    ask(viz_router)
    ask(pages_router)  # HTML pages last: the JSON routes win any clash
    # the OpenAPI document, completed with what only the settings know (api/openapi.py)
    openapi.install(app, settings)
    return app
