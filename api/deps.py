"""`Annotated` dependency aliases shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from neo4j import Driver

from graph.settings import Settings


def _driver(request: Request) -> Driver:
    return request.app.state.driver


def _settings(request: Request) -> Settings:
    return request.app.state.settings


DriverDep = Annotated[Driver, Depends(_driver)]
SettingsDep = Annotated[Settings, Depends(_settings)]


def _database(request: Request) -> str:
    return request.app.state.database


#: the database name the queries run against (``neo4j`` on Community)
DatabaseDep = Annotated[str, Depends(_database)]
