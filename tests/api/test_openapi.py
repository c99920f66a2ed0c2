"""What the OpenAPI document learns from the settings and from api/openapi.py, without a
database (the fuzzing of tests/api/test_schema_fuzz.py checks the rest against the app)."""

from __future__ import annotations

from api.app import create_app
from api.openapi import SETTING_MAXIMUM
from graph.settings import get_settings


def _schema(**overrides) -> dict:
    return create_app(get_settings().model_copy(update=overrides)).openapi()


def _parameters(schema: dict, name: str):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == name:
                    yield f"{method.upper()} {path}", parameter["schema"]


def test_page_limit_maximum_is_the_setting():
    schema = _schema(max_page_size=37)
    limits = dict(_parameters(schema, "limit"))
    paged = {op: s for op, s in limits.items() if "ALLIANCE_MAX_PAGE_SIZE" in
             s.get("description", "")}
    assert {"GET /search", "GET /organisations", "GET /programmes", "GET /connectors",
            "GET /partners/near", "GET /elements/{element_id}/neighbourhood",
            "GET /analytics/communities"} <= set(paged)
    assert all(s["maximum"] == 37 and s["minimum"] == 1 for s in paged.values())
    # every limit has a maximum, and no placeholder is left in the document
    assert all("maximum" in s for s in limits.values())
    assert SETTING_MAXIMUM not in str(schema)


def test_closed_lists_are_enums():
    schema = _schema()
    roles = dict(_parameters(schema, "role"))
    assert roles and all({"relay", "catalyst", "catalyseur"} <= set(s["enum"])
                         for s in roles.values())
    phase = dict(_parameters(schema, "phase"))["GET /programmes"]
    assert {"urgence", "relance", "structurel", "emergency"} <= set(phase["enum"])
    kinds = dict(_parameters(schema, "kind"))
    assert all({"association", "etat", "fondation"} <= set(s["enum"]) for s in kinds.values())
    label = dict(_parameters(schema, "label"))["GET /search"]
    assert {"Organisation", "Need", "besoin"} <= set(label["items"]["enum"])


def test_console_security_follows_its_access():
    def security(access: str):
        return _schema(console_access=access)["paths"]["/cypher"]["post"]["security"]

    assert security("open") == [{}, {"APIKeyHeader": []}]  # the key is optional
    assert security("key") == [{"APIKeyHeader": []}]
    assert security("off") == [{}]  # nothing unlocks it: a 403 for everyone


def test_pictures_document_json_errors_and_their_french_page():
    operation = _schema()["paths"]["/viz/territory/{code}"]["get"]
    for status in ("400", "404", "409", "422"):
        content = operation["responses"][status]["content"]
        assert content["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorBody"}
        assert content["text/html"]["schema"] == {"type": "string"}
    assert set(operation["responses"]["300"]["content"]) == {"text/html"}
    export = _schema()["paths"]["/export/graph.{fmt}"]["get"]["responses"]["200"]["content"]
    assert {"application/graphml+xml", "application/gexf+xml", "application/json",
            "text/csv; charset=utf-8"} == set(export)


def test_the_suggestion_picture_routes_are_documented_like_the_others():
    paths = _schema()["paths"]
    page = paths["/viz/suggestion/{organisation_id}/{other_id}"]["get"]["responses"]
    for status in ("400", "404", "409", "422"):
        assert set(page[status]["content"]) == {"application/json", "text/html"}, status
    files = paths["/viz/suggestion/{organisation_id}/{other_id}.{fmt}"]["get"]["responses"]
    assert {"image/png", "image/svg+xml"} <= set(files["200"]["content"])
    assert "/viz/suggestion/{organisation_id}/{other_id}/embed" in paths
    assert "/export/suggestion/{organisation_id}/{other_id}.{fmt}" in paths
