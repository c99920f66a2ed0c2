"""GET /organisations/{id}/suggestions on the API's fixture graph (tests/api/conftest.py).

For the Association Lilloise Numérique within 250 km: the Médiateur (État, placed nowhere:
proximity 0.25) and Le RAMEAU (association, Paris, 204 km: 0.25^(204/250) ≈ 0.32) share the
space « espace-1 » with her (3 members): 1.03 × 0.25 × 1.5 ≈ 0.39 across worlds against
1.03 × 0.32 ≈ 0.33; the Fondation Roubaix (11 km) shares nothing: 0.3 × 0.25^(11/250) ≈
0.28. Within 30 km Le RAMEAU is out; the Médiateur, placed nowhere and sharing a space,
stays.
"""


def test_suggestions_by_id_and_name(client):
    answer = client.get("/organisations/org:assoc-lille/suggestions",
                        params={"radius_km": 250})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [i["organisation"]["id"] for i in body["items"]] == [
        "org:mediateur", "org:le-rameau", "org:fondation-roubaix"]
    first = body["items"][0]
    assert first["worlds"] == ["associatif", "public"]
    assert first["parts"]["complementarity"] == 1.5
    assert first["explanation"].startswith("participent à l'espace de dialogue")
    assert "association + État (mondes associatif et public)" in first["explanation"]
    by_name = client.get("/organisations/Association Lilloise Numérique/suggestions",
                         params={"radius_km": 250, "limit": 1})
    assert by_name.json()["items"] == body["items"][:1] and by_name.json()["total"] == 3
    near = client.get("/organisations/org:assoc-lille/suggestions").json()
    assert [i["organisation"]["id"] for i in near["items"]] == [
        "org:mediateur", "org:fondation-roubaix"]
    assert "distance inconnue" in near["items"][0]["explanation"]


def test_suggestion_errors(client):
    assert client.get("/organisations/org:nobody/suggestions").status_code == 404
    assert client.get("/organisations/org:assoc-lille/suggestions",
                      params={"radius_km": 0}).status_code == 422
    assert client.get("/organisations/org:assoc-lille/suggestions",
                      params={"radius_km": 301}).status_code == 422


def test_a_steward_marks_a_pair(graph, make_client):
    from pydantic import SecretStr

    client = make_client(api_key=SecretStr("test-key"))
    key = {"X-API-Key": "test-key"}
    url = "/organisations/org:assoc-lille/suggestions/Médiateur des entreprises/mark"
    # the stewards' key is required
    assert client.put(url, json={"verdict": "en_contact"}).status_code == 401
    answer = client.put(url, json={"verdict": "en_contact", "by": "Camille"}, headers=key)
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == "mark:org:assoc-lille|org:mediateur"
    body = client.get("/organisations/org:assoc-lille/suggestions").json()
    assert [i["organisation"]["id"] for i in body["items"]] == ["org:fondation-roubaix"]
    assert [(m["organisation"]["id"], m["verdict"], m["by"]) for m in body["marked"]] == [
        ("org:mediateur", "en_contact", "Camille")]
    # an unknown verdict, an unknown organisation, a pair with itself
    assert client.put(url, json={"verdict": "peut-être"}, headers=key).status_code == 422
    assert client.put("/organisations/org:nobody/suggestions/org:mediateur/mark",
                      json={"verdict": "en_contact"}, headers=key).status_code == 404
    same = client.put("/organisations/org:assoc-lille/suggestions/Association Lilloise "
                      "Numérique/mark", json={"verdict": "pas_pertinent"}, headers=key)
    assert same.status_code == 409 and same.json()["error"]["code"] == "same_organisation"
    # removed, the pair is suggested again
    removed = client.delete(url, headers=key)
    assert removed.status_code == 200 and removed.json() == {"removed": True}
    assert client.delete(url, headers=key).json() == {"removed": False}
    body = client.get("/organisations/org:assoc-lille/suggestions").json()
    assert body["marked"] == [] and body["items"][0]["organisation"]["id"] == "org:mediateur"


def test_alliances_of_a_territory(client):
    # the API's graph: around Inclusion numérique in the Nord, the Association Lilloise
    # expresses it and the Fondation Roubaix operates the plan that addresses it; no
    # public actor: the answer says so rather than inventing a coalition
    answer = client.get("/territories/59/alliances", params={"need": "Inclusion numérique"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["needs"][0]["id"] == "need:inclusion-numerique"
    assert body["items"] == [] and body["missing"] == [
        "une collectivité ou un service de l'État"]
    assert client.get("/territories/59/alliances").status_code == 400
    assert client.get("/territories/59/alliances",
                      params={"need": "need:nothing-like-it"}).status_code == 404
