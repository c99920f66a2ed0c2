"""The stewards' routes about duplicate organisations (all require the API key):
GET /duplicates lists the probable duplicates, scored and explained (queries/duplicates.py);
POST /duplicates/merge folds one into the other and POST /merges/{id}/undo gives it back
(loaders/merge.py); POST /duplicates/dismiss says a pair is not one
(loaders/duplicate_decisions.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import DatabaseDep, DriverDep
from api.errors import Conflict, NotFound
from api.jobs import AsyncParam, answer_or_accepted, runner
from api.openapi import ACCEPTED, responses
from api.pagination import PageDep
from api.responses import json_response
from api.security import ApiKeyDep
from loaders.duplicate_decisions import dismiss
from loaders.merge import MergeError, MergeNotFound, merge, undo_merge
from queries.duplicates import MIN_SCORE, DuplicatesPage, duplicates
from queries.projection import graph_fingerprint

router = APIRouter(tags=["duplicates"])

#: the longest id or operator label a body takes
TEXT_MAX = 200
OrganisationId = Annotated[str, Field(min_length=1, max_length=TEXT_MAX,
                                      examples=["org:fondation-de-lille"])]
By = Annotated[str | None, Field(None, min_length=1, max_length=100,
                                 description="Who decides, kept in the record.")]
MergeId = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^mrg-[0-9a-z-]+$",
                              description="A merge's id, `mrg-…`.")]

LIST_EXAMPLE = {
    "total": 1, "limit": 50, "offset": 0, "min_score": 0.75,
    "items": [{
        "a": {"id": "org:fondation-de-lille", "name": "Fondation de Lille",
              "kind": "fondation", "siren": "123456789", "rna": None,
              "commune": "commune:59350", "commune_name": "Lille"},
        "b": {"id": "org:fondation-lille", "name": "Fondation Lille", "kind": "fondation",
              "siren": "123456789", "rna": None, "commune": "commune:59350",
              "commune_name": "Lille"},
        "score": 1.0, "certain": True, "name_similarity": 1.0,
        "reasons": ["même SIREN 123456789",
                    "mêmes mots dans le nom : « Fondation de Lille » / « Fondation Lille »",
                    "même commune : Lille", "même type : fondation"],
        "explanation": "même SIREN 123456789 ; mêmes mots dans le nom : « Fondation de "
                       "Lille » / « Fondation Lille » ; même commune : Lille ; même type : "
                       "fondation"}],
}


def _refusals(*statuses: int, example: dict | None = None) -> dict[int | str, dict]:
    """The routes' errors, with what a 404 and a 409 mean here."""
    out = responses(example, 401, 403, *statuses)
    if 400 in statuses:
        out[400]["description"] = "The body is not JSON."
    if 404 in statuses:
        out[404]["description"] = "No organisation (or no merge) has that id."
    if 409 in statuses:
        out[409]["description"] = (
            "`conflict`: the same organisation twice, one retired or merged already, a "
            "merge undone already, or whose kept organisation was merged since (undo that "
            "one first).")
    return out


def _answer_error(exc: MergeError) -> Exception:
    """The API's error for a refused merge, undo or decision (message in English)."""
    return NotFound(str(exc)) if isinstance(exc, MergeNotFound) else Conflict(str(exc))


@router.get("/duplicates", response_model=DuplicatesPage,
            responses={**_refusals(example=LIST_EXAMPLE), **ACCEPTED})
def list_duplicates(
    _: ApiKeyDep,
    request: Request,
    driver: DriverDep,
    database: DatabaseDep,
    page: PageDep,
    min_score: Annotated[float, Query(ge=0, le=1, description="The lowest score proposed "
                                      "(1: the same SIREN or RNA).")] = MIN_SCORE,
    as_job: AsyncParam = False,
) -> Response:
    """Probable duplicate organisations, best first: pairs found by the same SIREN or RNA,
    names close once normalised, the same commune and kind, each with a score (0–1) and
    why, in French. Pairs a steward dismissed are left out. Requires `X-API-Key`.

    Computed in a job on a large graph (seconds at 100k organisations), then kept until
    the graph changes: a 200 when it ends within `ALLIANCE_JOB_WAIT` seconds, else a
    **202** with the job (`GET /jobs/{id}`); with `async=true`, the 202 at once."""
    # the graph's version keys the job: a merge or a decision since is a new computation
    version = graph_fingerprint(driver, database=database)
    jobs = runner(request)
    key = ("duplicates", version, min_score, page.limit, page.offset)
    job = jobs.job(jobs.task("duplicates", key, lambda: duplicates(
        driver, min_score=min_score, limit=page.limit, offset=page.offset,
        database=database)))
    return answer_or_accepted(request, job, json_response, at_once=as_job)


class MergeRequest(BaseModel):
    """Which organisation stays and which one is folded into it."""

    keep: OrganisationId
    other: OrganisationId = Field(examples=["org:fondation-lille"])
    by: By = None


class MergeAnswer(BaseModel):
    """What a merge did; its id undoes it (`POST /merges/{id}/undo`)."""

    id: str = Field(examples=["mrg-20261203-061502-3fa9"])
    keep: str
    other: str
    keep_name: str | None = None
    other_name: str | None = None
    at: dt.datetime
    by: str | None = None
    moved: int = Field(description="Relationships moved onto the kept organisation.")
    combined: int = Field(description="Relationships both had: one kept, datasets joined.")
    dropped: int = Field(description="Relationships between the two, removed.")
    aliases_added: list[str] = Field(description="Spellings the kept organisation got.")
    labels_added: list[str] = Field(description="Role labels it got (Relay, Catalyst).")
    summary: str = Field(description="What was done, in French.")


@router.post("/duplicates/merge", response_model=MergeAnswer,
             responses=_refusals(400, 404, 409))
def merge_duplicates(_: ApiKeyDep, request: Request, body: MergeRequest, driver: DriverDep,
                     database: DatabaseDep) -> Response:
    """Fold organisation `other` into `keep`: every relationship moves to `keep` (never a
    second copy of one it has), `other`'s names become `keep`'s aliases (later loads
    naming `other` write to `keep`), `other` stays, retired and marked merged (its URL
    answers 301 to `keep`). Recorded (who, when, which ids) and undone by `POST
    /merges/{id}/undo`. Requires `X-API-Key`."""
    try:
        done = merge(driver, body.keep, body.other, by=body.by, database=database)
    except MergeError as exc:
        raise _answer_error(exc) from exc
    request.app.state.refresher.poke()  # the graph changed: its analytics, again
    return json_response(MergeAnswer(**done.__dict__, summary=done.summary_fr()))


class UndoneAnswer(BaseModel):
    """What undoing a merge gave back."""

    id: str
    keep: str
    other: str
    relationships: int = Field(description="Relationships of `other` written back.")


@router.post("/merges/{merge_id}/undo", response_model=UndoneAnswer,
             responses=_refusals(404, 409))
def undo(_: ApiKeyDep, request: Request, merge_id: MergeId, driver: DriverDep,
         database: DatabaseDep,
         by: Annotated[str | None, Query(min_length=1, max_length=100,
                                         description="Who undoes it.")] = None) -> Response:
    """Give back the facts as they were before the merge: `other` alive with its
    relationships, `keep` without what it received. Requires `X-API-Key`."""
    try:
        done = undo_merge(driver, merge_id, by=by, database=database)
    except MergeError as exc:
        raise _answer_error(exc) from exc
    request.app.state.refresher.poke()
    return json_response(UndoneAnswer(**done.__dict__))


class DismissRequest(BaseModel):
    """Two organisations a steward says are not duplicates."""

    a: OrganisationId
    b: OrganisationId = Field(examples=["org:fondation-roubaix"])
    by: By = None


class DismissAnswer(BaseModel):
    """The pair, never proposed again."""

    a: str
    b: str
    at: dt.datetime
    by: str | None = None
    new: bool = Field(description="False: the pair had been dismissed already.")


@router.post("/duplicates/dismiss", response_model=DismissAnswer,
             responses=_refusals(400, 404, 409))
def dismiss_pair(_: ApiKeyDep, body: DismissRequest, driver: DriverDep,
                 database: DatabaseDep) -> Response:
    """Say « pas un doublon »: `GET /duplicates` never proposes the pair again. Requires
    `X-API-Key`."""
    try:
        done = dismiss(driver, body.a, body.b, by=body.by, database=database)
    except MergeError as exc:
        raise _answer_error(exc) from exc
    return json_response(DismissAnswer(**done.__dict__))

