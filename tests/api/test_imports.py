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
    assert error["message"].startswith("1 fichier rejeté : rien n'en a été écrit. Bilan : "
                                       "1 fichier (1 rejeté), 1 erreur.")
    (f,) = error["detail"]["files"]
    assert f["status"] == "rejected"
    assert f["summary"] == "rejeté : 1 ligne lue ; 1 erreur ; rien n'a été écrit."
    (err,) = f["errors"]
    assert (err["file"], err["row"], err["column"], err["value"], err["code"]) == (
        "bad.csv", 2, "type", "Besoinn", "unknown_type")
    assert err["message"].startswith("bad.csv, ligne 2, colonne « type » : « Besoinn » n'est "
                                     "pas un type connu. Types acceptés : organisation, ")
    assert err["message"].endswith("Vouliez-vous dire « besoin » ?")
    assert err["reason_en"].startswith('"Besoinn" is not a known type (expected one of: ')
    assert graph_checksum(graph) == before


def test_french_names_are_accepted_and_listed(keyed, graph):
    elements = ("type,nom,catégorie,source\nOrganisation,Asso Française,Association,api-test\n"
                "Programme de relance,Fonds Français,,api-test\n")
    links = "de,à,relation,source\nAsso Française,Fonds Français,opère,api-test\n"
    response = _post(keyed, [("elements.csv", elements.encode()),
                             ("liens.csv", links.encode())])
    assert response.status_code == 200, response.text
    assert response.json()["summary"] == "2 fichiers (2 chargés), aucune erreur."
    with graph.session() as session:
        rels = session.run("MATCH (:Organisation {id: 'org:asso-francaise'})-[r]->"
                           "(:Programme {id: 'programme:fonds-francais'}) "
                           "RETURN collect(type(r)) AS t").single()["t"]
    assert rels == ["OPERATES"]
    bad = "de,à,relation\nAsso Française,Fonds Français,opèrre\n"
    error = _post(keyed, [("liens.csv", bad.encode())]).json()["error"]
    (err,) = error["detail"]["files"][0]["errors"]
    assert err["code"] == "unknown_relationship"
    assert "Liens acceptés : porte, finance, opère" in err["reason"]
    assert "Vouliez-vous dire « opère » ?" in err["reason"]


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
    assert response.json()["error"]["message"] == ("les imports sont désactivés : définissez "
                                                   "ALLIANCE_API_KEY")


def test_other_file_types_and_names(keyed, graph):
    response = _post(keyed, [("notes.txt", b"hello")])
    assert response.status_code == 422
    assert response.json()["error"]["message"] == ("notes.txt : seuls les classeurs .xlsx et "
                                                   "les fichiers .csv sont acceptés")
    # A path in the file name is reduced to its base name.
    response = _post(keyed, [("../../etc/elements.csv", ELEMENTS.encode())], dry_run=True)
    assert response.status_code == 200
    assert response.json()["files"][0]["file"] == "elements.csv"


def test_upload_over_the_body_limit_is_413(make_client, graph):
    client = make_client(api_key=SecretStr(API_KEY), max_body_bytes=1000)
    response = _post(client, [("big.csv", b"type,name\n" + b"Organisation,x\n" * 200)])
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert response.json()["error"]["message"].startswith("la requête dépasse 1\u202f000 octets")


# --- the history of the inventory: GET /imports, GET /imports/{id}, undo -----------------

V1 = ("id,type,name,kind,territory,source\n"
      "org:hist-a,Organisation,Hist A,association,59512,api-test\n"
      "org:hist-b,Organisation,Hist B,entreprise,59512,api-test\n")
V2 = ("id,type,name,kind,territory,source\n"
      "org:hist-a,Organisation,Hist A,fondation,59512,api-test\n")


def _alive(driver, node_id):
    with driver.session() as session:
        return session.run("MATCH (n {id: $id}) RETURN n.retired_at IS NULL",
                           id=node_id).single()[0]


def test_loads_are_listed_shown_again_and_a_replacement_undone(keyed, graph):
    first = _post(keyed, [("inventaire.csv", V1.encode())], replace_dataset="inventaire",
                  by="Camille")
    assert first.status_code == 200, first.text
    dry = _post(keyed, [("inventaire.csv", V2.encode())], replace_dataset="inventaire",
                dry_run=True)
    assert dry.json()["changes"]["summary"] == ("−1 organisation, 1 élément modifié (type), "
                                                "−1 lien")
    assert dry.json()["import_id"] is None
    second = _post(keyed, [("inventaire.csv", V2.encode())], replace_dataset="inventaire")
    assert second.json()["changes"]["elements_retired"] == 1
    assert _alive(graph, "org:hist-b") is False

    listed = keyed.get("/imports", headers={"X-API-Key": API_KEY}).json()
    ids = [second.json()["import_id"], first.json()["import_id"]]
    assert [i["id"] for i in listed["items"]][:2] == ids
    assert listed["items"][1]["by"] == "Camille"
    assert listed["items"][0]["counts"]["elements_retired"] == 1
    one = keyed.get(f"/imports/{ids[0]}", headers={"X-API-Key": API_KEY}).json()
    assert one["report"]["changes"]["summary"] == second.json()["changes"]["summary"]
    assert one["files"] == ["inventaire.csv"] and len(one["sha256"][0]) == 64

    window = keyed.get("/changes", params={"since": ids[0]}).json()
    retired = [c for c in window["items"] if c["change"] == "retired" and c["what"] == "element"]
    assert [c["id"] for c in retired] == ["org:hist-b"]
    assert window["counts"]["element changed"] == 1
    assert keyed.get("/changes", params={"since": "hier"}).status_code == 400
    assert keyed.get("/changes", params={"until": "imp-nothing"}).status_code == 404

    undone = keyed.post(f"/imports/{ids[0]}/undo", headers={"X-API-Key": API_KEY})
    assert undone.json()["elements"] == 1 and _alive(graph, "org:hist-b") is True

    assert keyed.get("/imports").status_code == 401
    assert keyed.get("/imports/imp-nothing-here",
                     headers={"X-API-Key": API_KEY}).status_code == 404
    conflict = _post(keyed, [("inventaire.csv", V2.encode())], replace_dataset="inventaire",
                     skip_invalid=True)
    assert conflict.status_code == 422
