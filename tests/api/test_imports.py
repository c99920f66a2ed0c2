"""POST /imports: the API key (constant-time compare), uploads, dry runs, rejected files."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from tests.api.conftest import API_KEY, graph_checksum

ELEMENTS = ("id,type,name,kind,roles,territory,source\n"
            "org:import-test,Organisation,Import Test,association,catalyseur,59512,api-test\n"
            ",Besoin,Besoin importé,numerique,,,api-test\n")
CONNECTIONS = "from,to,type,source\nImport Test,Besoin importé,exprime,api-test\n"
BAD = "type,name\nBesoinn,Mauvais\n"


@pytest.fixture
def keyed(make_client, graph):
    return make_client(api_key=SecretStr(API_KEY))


def _post(client, files, key=API_KEY, **params):
    headers = {"X-API-Key": key} if key is not None else {}
    return client.post("/imports", files=[("files", f) for f in files], headers=headers,
                       params=params)


def _count(driver, node_id):
    with driver.session() as session:
        return session.run("MATCH (n {id: $id}) RETURN count(n)", id=node_id).single()[0]


def test_pair_of_csv_files_loads_and_reports(keyed, graph):
    response = _post(keyed, [("elements.csv", ELEMENTS.encode()),
                             ("connections.csv", CONNECTIONS.encode())])
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["ok"] is True
    assert [f["status"] for f in report["files"]] == ["loaded", "loaded"]
    assert report["files"][0]["elements_written"] == 2
    assert _count(graph, "org:import-test") == 1
    again = _post(keyed, [("elements.csv", ELEMENTS.encode()),
                          ("connections.csv", CONNECTIONS.encode())])
    assert again.status_code == 200
    assert _count(graph, "org:import-test") == 1


def test_dry_run_writes_nothing(keyed, graph):
    before = graph_checksum(graph)
    response = _post(keyed, [("elements.csv", ELEMENTS.encode())], dry_run=True)
    assert response.status_code == 200
    assert response.json()["files"][0]["status"] == "validated"
    assert graph_checksum(graph) == before


def test_rejected_file_is_422_with_the_report(keyed, graph):
    before = graph_checksum(graph)
    response = _post(keyed, [("bad.csv", BAD.encode())])
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unprocessable"
    assert error["detail"]["files"][0]["status"] == "rejected"
    assert error["detail"]["files"][0]["errors"][0]["row"] == 2
    assert graph_checksum(graph) == before


def test_skip_invalid_loads_the_good_rows(keyed, graph):
    text = "type,name,source\nOrganisation,Bonne Asso,api-test\nBesoinn,Mauvais,api-test\n"
    response = _post(keyed, [("mixed.csv", text.encode())], skip_invalid=True)
    assert response.status_code == 200, response.text
    assert response.json()["files"][0]["status"] == "partial"
    assert response.json()["files"][0]["rows_rejected"] == 1
    with graph.session() as session:
        names = session.run("MATCH (n) WHERE n.source = 'api-test' "
                            "RETURN collect(n.name) AS names").single()["names"]
    assert names == ["Bonne Asso"]
    assert _count(graph, "org:bonne-asso") == 1


@pytest.mark.parametrize("key", [None, "", "wrong", API_KEY[:-1], API_KEY + "x",
                                 API_KEY.upper()])
def test_wrong_or_missing_key_is_401_and_writes_nothing(keyed, graph, key):
    before = graph_checksum(graph)
    response = _post(keyed, [("elements.csv", ELEMENTS.encode())], key=key)
    assert response.status_code == 401
    assert graph_checksum(graph) == before


def test_imports_disabled_without_a_key(make_client, graph):
    client = make_client(api_key=None)
    response = _post(client, [("elements.csv", ELEMENTS.encode())])
    assert response.status_code == 403
    assert "ALLIANCE_API_KEY" in response.json()["error"]["message"]


def test_other_file_types_and_names(keyed, graph):
    response = _post(keyed, [("notes.txt", b"hello")])
    assert response.status_code == 422
    # A path in the file name is reduced to its base name.
    response = _post(keyed, [("../../etc/elements.csv", ELEMENTS.encode())], dry_run=True)
    assert response.status_code == 200
    assert response.json()["files"][0]["file"] == "elements.csv"


def test_upload_over_the_body_limit_is_413(make_client, graph):
    client = make_client(api_key=SecretStr(API_KEY), max_body_bytes=1000)
    response = _post(client, [("big.csv", b"type,name\n" + b"Organisation,x\n" * 200)])
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
