"""A territorial catalyst reaches the « Pistes d'alliance » from her commune's page, on the
data ``make run`` loads (tests/journeys/conftest.py).

She asks around Roubaix (30 km), follows the page's « Pistes d'alliance » to the
coalitions, which ask for a need: she picks « Apprendre à faire alliance ». The curated
dataset is thin (nobody expresses a need), and the page says precisely what is missing
rather than inventing a coalition. Back on her commune's page, she opens the pistes of Le
RAMEAU (active on all of France, hence on Roubaix): each piste with its reasons, and the
picture of the first one, where the suggested link is dashed and the legend says « piste
suggérée ».
"""

from __future__ import annotations

import pytest

from tests.journeys.conftest import settled_picture

pytestmark = pytest.mark.browser

NEED = "Apprendre à faire alliance"

#: what the picture's viewer drew: the suggested edge dashed, the others solid
EDGES = """() => window.__vizNetwork.body.data.edges.get().map(e => ({
  from: e.from, to: e.to, dashed: !!e.dashes}))"""


#: the answers of the walk, asked once before it: on a freshly loaded graph the first
#: answer warms Neo4j's caches, which on a busy machine takes longer than a click waits
WARM = ("/catalyseurs?commune=commune%3A59512&rayon=30",
        "/viz/territory/commune:59512?radius_km=30",
        "/pistes?organisation=org%3Ale-rameau&rayon=30",
        "/viz/suggestion/org:le-rameau/org:mouvement-des-entreprises-de-france?radius_km=30")


def test_catalyst_reaches_the_pistes_and_sees_the_dashed_link(user):
    for path in WARM:
        user.page.request.get(user.base + path, timeout=120_000)
    user.open("/catalyseurs")
    user.type_and_pick("commune", "Roub", "Roubaix (Nord, 59)")
    user.page.locator("#rayon").fill("30")
    user.submit("Chercher")
    pistes = user.section("Pistes d'alliance")
    assert "Coalitions possibles autour de Roubaix (choisissez ensuite un besoin" in pistes
    assert "Pistes de Le RAMEAU" in pistes and "Pistes de Fondation de Lille" in pistes
    user.check("roubaix")

    # the coalitions: the page asks for a need, she picks one; none on this data, and the
    # page says why
    user.follow("Coalitions possibles autour de Roubaix")
    assert "choisissez un besoin ou un programme" in user.check("coalitions-besoin")
    assert user.page.locator("#territoire").input_value() == "Roubaix"
    user.page.locator("#besoin").select_option(value="need:apprendre-a-faire-alliance")
    user.submit("Voir les coalitions")
    text = user.check("coalitions")
    assert f"pour le besoin « {NEED} »" in text
    assert ("Aucune coalition possible sur le territoire de Roubaix pour ce besoin : aucune "
            "association, entreprise ou fondation située ou active sur le territoire de "
            "Roubaix n'exprime ce besoin ni n'agit sur un programme qui y répond") in text

    # back to her commune, then the pistes of an organisation acting on it
    user.page.go_back(wait_until="load")
    user.page.go_back(wait_until="load")
    user.follow("Pistes de Le RAMEAU")
    text = user.check("pistes-le-rameau", picture="drawn")
    assert "Les pistes de Le RAMEAU" in text
    assert "Piste d'alliance : Mouvement des entreprises de France" in text
    first = user.section("Piste d'alliance : Mouvement des entreprises de France")
    assert "agit sur le territoire" in first and "Qui peut les présenter" in first
    assert "Piste d'alliance : Le RAMEAU et Mouvement des entreprises de France" in (
        user.picture_text)
    assert "piste suggérée" in user.picture_text and "lien existant" in user.picture_text

    # the picture: the suggested link dashed between the two, the existing ones solid
    frame = user.page.locator("main iframe").first.element_handle().content_frame()
    state = settled_picture(frame)
    ids = [n["id"] for n in state["nodes"]]
    edges = frame.evaluate(EDGES)
    dashed = [(ids[e["from"]], ids[e["to"]]) for e in edges if e["dashed"]]
    assert dashed == [("org:le-rameau", "org:mouvement-des-entreprises-de-france")], edges
    assert any(not e["dashed"] for e in edges)
    assert [n["label"] for n in state["nodes"] if not n["inside"]] == []
