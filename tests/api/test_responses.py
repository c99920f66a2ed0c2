"""The JSON routes write the question's model once (api/responses.py): same body as the
model, same error shape, and the OpenAPI schema still names the response models."""

from __future__ import annotations

import queries as q
from api.responses import json_response
from queries.models import NearPage


def test_json_response_is_the_model_as_json(graph):
    page = q.partners_near(graph, commune="59512", radius_km=30)
    response = json_response(page)
    assert response.media_type == "application/json" and response.status_code == 200
    assert NearPage.model_validate_json(response.body) == page


def test_routes_answer_what_the_questions_return(client, graph):
    body = client.get("/partners/near", params={"commune": "59512", "radius_km": 30})
    assert body.headers["content-type"] == "application/json"
    expected = q.partners_near(graph, commune="59512", radius_km=30).model_dump(mode="json")
    assert body.json() == expected
    programmes = client.get("/territories/59512/programmes").json()
    assert programmes == q.programmes_of_territory(graph, "59512").model_dump(mode="json")


def test_errors_keep_their_shape_and_the_schema_its_models(client):
    error = client.get("/partners/near", params={"commune": "59999"})
    assert error.status_code == 404
    assert set(error.json()["error"]) == {"status", "code", "message", "detail"}
    schema = client.get("/openapi.json").json()
    ok = schema["paths"]["/partners/near"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/NearPage")
