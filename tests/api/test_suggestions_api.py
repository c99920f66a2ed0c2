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
