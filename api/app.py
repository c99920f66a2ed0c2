"""The FastAPI app factory: one driver for the app's life, routers, the error table."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.errors import install_error_handlers
from api.routers import health
from graph import driver as driver_mod
from graph.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API. The driver opens in ``lifespan`` and closes with the app."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = not driver_mod.has_driver()
        app.state.settings = settings
        app.state.driver = driver_mod.get_driver(settings)
        app.state.database = driver_mod.get_database()
        try:
            yield
        finally:
            # Close the driver at shutdown, unless someone else (a test session) owns it.
            if owned:
                driver_mod.close_driver()

    app = FastAPI(
        title="Alliance Graph",
        version="0.1.0",
        description="Which organisations connect which programmes to which territories.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(health.router)
    return app
