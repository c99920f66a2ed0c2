"""The « Pistes d'alliance » on the shipped data (tests/shipped_fixtures.py, as `make run`
loads it): the examples the page gives answer, and where the curated dataset is thin (no
organisation expresses a need) the page says precisely what is missing."""

from __future__ import annotations

from tests.pages.test_examples import FormText, examples_in
from tests.pages.test_pistes import text_of


def test_the_pages_examples_answer(shipped_client):
    form = FormText()
    form.feed(shipped_client.get("/pistes").text)
    organisations = examples_in(form.hints["organisation"])
    assert organisations == ["Le RAMEAU"]
    for name in organisations:
        page = shipped_client.get("/pistes", params={"organisation": name})
        assert page.status_code == 200 and '<ol class="pistes">' in page.text, name
    territories = examples_in(form.hints["territoire"])
    assert "Roubaix" in territories
    for name in territories:
        page = shipped_client.get("/pistes", params={
            "territoire": name, "besoin": "Apprendre à faire alliance"})
        assert page.status_code == 200, name


def test_thin_data_says_what_is_missing(shipped_client):
    page = shipped_client.get("/pistes", params={"territoire": "commune:59512",
                                                 "besoin": "need:apprendre-a-faire-alliance",
                                                 "rayon": "30"})
    text = text_of(page.text)
    assert ("Aucune coalition possible sur le territoire de Roubaix pour ce besoin : aucune "
            "association, entreprise ou fondation située ou active sur le territoire de "
            "Roubaix n'exprime ce besoin ni n'agit sur un programme qui y répond.") in text
    assert "Aucun programme répondant à ce besoin ne couvre ce territoire" in text
    # the Fondation de Lille shares nothing with anyone near
    lille = text_of(shipped_client.get("/pistes", params={
        "organisation": "org:fondation-de-lille", "rayon": "30"}).text)
    assert "Aucune piste d'alliance pour Fondation de Lille dans un rayon de 30 km" in lille
    assert "active sur Lille" in lille


def test_le_rameau_has_pistes_with_plural_counts(shipped_client):
    text = text_of(shipped_client.get("/pistes", params={"organisation": "Le RAMEAU"}).text)
    assert "8 pistes dans un rayon de 30 km, la plus prometteuse d'abord" in text
    assert "Piste d'alliance : Mouvement des entreprises de France" in text
    assert "1 pistes" not in text and "0 pistes" not in text
