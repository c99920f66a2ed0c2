"""GET /health: is the API up, and can it reach Neo4j?"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import DriverDep
from api.errors import DatabaseUnavailable, ErrorBody

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    neo4j: str
    version: str | None = None


@router.get("/health", response_model=Health, responses={503: {"model": ErrorBody}})
def health(driver: DriverDep) -> Health:
    """200 with the Neo4j version when the database answers; 503 otherwise."""
    try:
        driver.verify_connectivity()
        info = driver.get_server_info()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        raise DatabaseUnavailable(f"Neo4j is not reachable: {exc}") from exc
    return Health(status="ok", neo4j="reachable", version=info.agent)
