"""POST /cypher bounds the size of its answer, not only its row count
(``ALLIANCE_CONSOLE_MAX_BYTES``)."""

from __future__ import annotations

from api.console import json_size, to_json


def _post(client, query: str, **parameters):
    return client.post("/cypher", json={"query": query, "parameters": parameters})


def test_one_huge_string_is_refused_with_the_default_limit(client):
    # 9,000 × 100 = 900,000 characters, six times: 5.4 million characters in one value of
    # one row, built within the guard's bounds (a query's text, a 64 KiB parameter, one
    # replace() of at most 100 characters a row)
    query = ("WITH replace('" + "x" * 9000 + "', 'x', '" + "y" * 100 + "') AS s "
             "RETURN s + s + s + s + s + s AS big")
    response = _post(client, query)
    assert response.status_code == 400, response.text[:300]
    error = response.json()["error"]
    assert error["code"] == "result_too_large"
    assert "ALLIANCE_CONSOLE_MAX_BYTES" in error["message"]
    assert error["detail"] == {"max_bytes": 5 * 1024 * 1024, "rows_read": 1}


def test_one_huge_list_is_refused_with_the_default_limit(client):
    response = _post(client, "RETURN [x IN range(1, 100000) | '" + "x" * 60 + "'] AS big")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "result_too_large"


def test_parameters_are_bounded(client):
    response = _post(client, "RETURN $s AS s", s="x" * 70_000)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "query_rejected" and "parameters" in error["message"]


def test_the_limit_counts_the_serialised_rows(make_client, graph):
    client = make_client(console_max_bytes=1000)
    # each row {"s":"<90 x>"} is 98 bytes of JSON, plus a comma: 9 rows fit, 11 do not
    row = {"s": "x" * 90}
    assert json_size(to_json(row)) == 98
    fits = _post(client, "UNWIND range(1, 9) AS i RETURN $s AS s", s="x" * 90)
    assert fits.status_code == 200, fits.text
    assert fits.json()["row_count"] == 9
    over = _post(client, "UNWIND range(1, 11) AS i RETURN $s AS s", s="x" * 90)
    assert over.status_code == 400
    assert over.json()["error"]["detail"]["rows_read"] == 11
    # accents count in UTF-8 bytes, as the answer sends them
    accents = _post(client, "RETURN $s AS s", s="é" * 600)
    assert accents.status_code == 400


def test_the_row_cap_still_truncates_below_the_size_limit(make_client, graph):
    client = make_client(console_max_rows=3, console_max_bytes=10_000)
    body = _post(client, "UNWIND range(1, 100) AS i RETURN i").json()
    assert body["row_count"] == 3 and body["truncated"] is True
