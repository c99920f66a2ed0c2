"""Pagination: the ``PageDep`` dependency and the generic ``Page[T]`` response model.

A ``limit`` above ``ALLIANCE_MAX_PAGE_SIZE`` is **refused with a 422**, not silently
capped: a client that asked for 1,000 rows and got 200 without noticing would draw wrong
conclusions; the error says the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from api.openapi import SETTING_MAXIMUM

T = TypeVar("T")

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class PageParams:
    """A validated page request."""

    limit: int
    offset: int


async def _page_params(
    request: Request,
    limit: Annotated[int, Query(ge=1, description="Items per page (at most "
                                "ALLIANCE_MAX_PAGE_SIZE, 200 by default).",
                                # the schema's maximum is the setting (api/openapi.py)
                                json_schema_extra={SETTING_MAXIMUM: "max_page_size"},
                                )] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=10_000_000,
                                 description="Items to skip.")] = 0,
) -> PageParams:
    # async: it only reads app.state, so it needs no thread-pool hop
    maximum = request.app.state.settings.max_page_size
    if limit > maximum:
        raise RequestValidationError([{
            "type": "less_than_equal",
            "loc": ("query", "limit"),
            "msg": f"Input should be less than or equal to {maximum}",
            "input": limit,
        }])
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total count, and the page asked for."""

    items: list[T]
    total: int = Field(description="Items in the whole list, not just this page.")
    limit: int
    offset: int
