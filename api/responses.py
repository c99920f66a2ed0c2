"""JSON responses written straight from the models the questions return.

A route that returns a pydantic model has FastAPI validate it again against
``response_model`` and encode it through ``jsonable_encoder``: for a page of 50 partners
with 10 links each that was ~5 ms, more than the query. The questions already return
validated models of exactly the declared type, so the routes hand back
:func:`json_response` (pydantic's Rust serialiser, one pass) and keep ``response_model=``
for the OpenAPI schema only. Errors are raised as before and keep the error body shape.
"""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    """The model as ``application/json``, serialised once by pydantic.

    Parameters
    ----------
    model
        A validated model of the route's ``response_model`` type (not a subclass with
        more fields: nothing filters them out here).
    status_code
        The HTTP status.

    Returns
    -------
    Response
        The same body FastAPI would have written, without validating the model again.
    """
    return Response(content=model.model_dump_json(), media_type="application/json",
                    status_code=status_code)
