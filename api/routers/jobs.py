"""GET /jobs/{id}: a job's progress, then its result or its error (api/jobs.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from api.errors import NotFound
from api.jobs import JobView, runner
from api.openapi import responses

router = APIRouter(tags=["jobs"])

EXAMPLE = {
    "id": "k3Jx0w1mQpZs8bTe", "kind": "brokers", "state": "running",
    "progress": {"step": "betweenness", "done": 64, "total": 200},
    "created": "2026-12-02T10:15:03.120000Z", "started": "2026-12-02T10:15:03.121000Z",
    "finished": None, "result": None, "error": None,
    "result_url": "/analytics/brokers?top=20",
}


@router.get("/jobs/{job_id}", response_model=JobView,
            responses=responses(EXAMPLE, 404, deadline=False))
async def job(request: Request,
              job_id: Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
              ) -> JobView:
    """A job that a route started (a 202 answer's `Location`): `state` is `queued`,
    `running`, `done` (with `result`: the answer the route would have given) or `failed`
    (with `error`: the error the route would have given); `progress` says where the work
    is. Jobs are kept an hour after they end, in the API process (a restart forgets them:
    ask the route again). Needs no database: answers at once."""
    found = runner(request).get(job_id)
    if found is None:
        raise NotFound(f"no job {job_id!r}: it ended more than an hour ago, the API "
                       "restarted, or it never existed; ask the route again")
    return found.view()
