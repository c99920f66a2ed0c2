"""`Annotated` dependency aliases shared by the routers.

The dependencies are ``async def``: they only read ``app.state``, and FastAPI runs a
plain ``def`` dependency in the thread pool — a thread hop each, per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from neo4j import Driver

from graph.settings import Settings


async def _driver(request: Request) -> Driver:
    return request.app.state.driver


async def _settings(request: Request) -> Settings:
    return request.app.state.settings


DriverDep = Annotated[Driver, Depends(_driver)]
SettingsDep = Annotated[Settings, Depends(_settings)]


async def _database(request: Request) -> str:
    return request.app.state.database


#: the database name the queries run against (``neo4j`` on Community)
DatabaseDep = Annotated[str, Depends(_database)]
