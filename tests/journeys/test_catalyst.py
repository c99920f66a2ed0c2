"""The territorial catalyst's journey (/catalyseurs) on the data ``make run`` loads.

Three places, typed in the form through its suggestions as a person would: a big city
(Roubaix, 20 km), a rural commune with nothing recorded around it (Gavarnie-Gèdre, in the
Pyrenees) and an overseas commune whose name four communes share (Saint-Denis de La
Réunion). Each step reads what the page shows: the partners within the radius or the
French reason there are none, the organisations "actifs sur votre territoire", the
programmes, the gaps block, and the picture, which draws what the page lists. What the
curated dataset holds (data/curated, read from the seed documents) and therefore what each
answer must contain:

- one organisation placed near the Nord: the Fondation de Lille, ``ACTIVE_IN`` the commune
  of Lille (about 10 km from Roubaix), so placed at that commune;
- Le RAMEAU is ``LOCATED_IN`` Vincennes (Val-de-Marne), 600 km from the Pyrenees;
- eight national actors ``ACTIVE_IN`` FR (Le RAMEAU, Médiateur des entreprises,
  Gouvernement, Caisse des Dépôts, DJEPVA, the two ministries, MEDEF): active on every
  commune's territory, overseas included;
- two programmes ``COVERS`` FR: France Relance (relance) and Fonds i (structurel);
- three needs, none ``EXPRESSES``-ed by anyone and none ``ADDRESSES``-ed by a programme:
  the gaps block says there is nothing expressed to compare, and "tous les besoins" lists
  the three.
"""

from __future__ import annotations

import pytest

from tests.journeys.conftest import settled_picture

pytestmark = pytest.mark.browser

#: the national actors of the curated data (ACTIVE_IN FR), by the name the pages show
NATIONAL = ("Caisse des Dépôts", "Gouvernement", "Le RAMEAU", "Médiateur des entreprises",
            "DJEPVA")
#: the needs of the curated data, none with a programme
NEEDS = ("Apprendre à faire alliance", "« Jouer collectif » pour sortir de la crise",
         "Articulation des ingénieries publiques & privées")
NO_NEED_HERE = "Aucun besoin exprimé ici : rien à comparer"


def ask_around(user, typed: str, option: str, radius: str, *, from_home: bool = False) -> str:
    """To the catalyst's answer: the page (through the home page's link if ``from_home``),
    type the commune, take the suggestion, set the radius, send. Returns what the box holds
    once the suggestion is taken."""
    if from_home:
        user.open("/")
        user.check("accueil")
        user.follow("Trouver des partenaires près de chez moi", exact=False)
    else:
        user.open("/catalyseurs")
    assert user.page.locator("main h1").inner_text() == "Trouver des partenaires près de chez moi"
    value = user.type_and_pick("commune", typed, option, shot="suggestions")
    user.page.locator("#rayon").fill(radius)
    user.check("formulaire")
    user.submit("Chercher")
    return value


def assert_programmes_and_no_expressed_need(user) -> None:
    # France Relance and Fonds i cover FR, hence every commune
    headings = user.headings()
    assert "Programmes de relance (1)" in headings, headings
    assert any(h.startswith("Programmes structurels") and h.endswith("(1)")
               for h in headings), headings
    programmes = user.main_text().split("Programmes qui couvrent votre territoire", 1)[1]
    assert "France Relance" in programmes and "Fonds i" in programmes
    # nobody expresses a need in the curated data: say there is nothing to compare, never
    # "aucun trou" (which would read as good news)
    gaps = user.section("Besoins sans programme")
    assert NO_NEED_HERE in gaps, gaps
    assert "Aucun trou" not in gaps


def assert_picture_lists(user, near: set[str]) -> None:
    """The frame's picture, settled: the commune, the organisations within the radius on
    the map, the eight national actors and the two national programmes aside, captioned;
    every node whole inside the frame's drawing area."""
    frame = user.page.locator("main iframe").first.element_handle().content_frame()
    picture = settled_picture(frame)
    on_map = {n["id"] for n in picture["nodes"] if not n["aside"]}
    aside = {n["id"] for n in picture["nodes"] if n["aside"]}
    assert len(on_map - near) == 1 and near <= on_map, on_map  # the commune and near
    assert len(aside) == 10, aside
    assert picture["captions"] == ["8 organisations actives dans toute la France",
                                   "2 programmes couvrant toute la France"]
    assert [n["label"] for n in picture["nodes"] if not n["inside"]] == []
    assert picture["backdrop"]  # the circle of the radius in the frame too
    # the page does not invite to drag nodes of an empty frame: this one is drawn
    assert "Le réseau est interactif" in user.section("L'image du territoire")


def assert_national_actors_are_active_here(user) -> None:
    active = user.section("Actifs sur votre territoire")
    for name in NATIONAL:
        assert name in active, (name, active)
    assert "France" in active  # the territory each acts on


def test_catalyst_big_city(user):
    """Roubaix, 20 km: the Fondation de Lille within the radius, then the national actors;
    the gaps block explains itself; "tous les besoins" lists the three needs."""
    assert ask_around(user, "Roub", "Roubaix (Nord, 59)", "20", from_home=True) == (
        "Roubaix (59)")
    # the picture draws what the page lists: Roubaix with the Fondation de Lille within
    # the 20 km, the national actors and programmes aside, every node in the frame
    text = user.check("roubaix-20-km", picture="drawn")
    assert "Autour de Roubaix (20 km)" in user.picture_text
    assert_picture_lists(user, near={"org:fondation-de-lille"})
    assert "Autour de Roubaix (Nord, 59, code INSEE 59512), dans un rayon de 20,0 km." in text

    # the Fondation de Lille acts in Lille, about 10 km away: within 20 km, and the page
    # says it was placed by the commune it acts in
    near = user.section("Partenaires près de vous")
    assert "Fondation de Lille" in near, near
    assert "km" in near and "placée à la commune où elle agit" in near, near
    assert "Aucune organisation enregistrée dans ce rayon" not in near
    assert_national_actors_are_active_here(user)
    assert "Fondation de Lille" not in user.section("Actifs sur votre territoire")
    assert_programmes_and_no_expressed_need(user)

    # the link of the gaps block: every need without a programme
    user.follow("Voir tous les besoins sans programme")
    user.check("roubaix-tous-les-besoins")
    gaps = user.section("Besoins sans programme")
    assert "0 besoin couvert sur 3 examinés." in gaps, gaps
    for need in NEEDS:
        assert need in gaps, (need, gaps)

    # a partner's fiche, from its link
    user.follow("Fondation de Lille")
    text = user.check("fiche-fondation-de-lille", picture="drawn")
    assert user.page.locator("main h1").inner_text() == "Fondation de Lille"
    assert "Lille" in user.section("Voisinage")


def test_catalyst_rural_commune(user):
    """Gavarnie-Gèdre (Hautes-Pyrénées, 340 inhabitants), 30 km: nothing recorded within
    the radius, said in French with what to do; the national actors act on its territory."""
    assert ask_around(user, "Gavarnie", "Gavarnie-Gèdre", "30") == "Gavarnie-Gèdre (65)"
    # nothing within 30 km, said in the picture; what acts on France is drawn aside
    text = user.check("gavarnie-30-km", picture="drawn")
    assert ("Aucune organisation enregistrée à moins de 30 km de Gavarnie-Gèdre."
            in user.picture_text)
    assert_picture_lists(user, near=set())
    assert ("Autour de Gavarnie-Gèdre (Hautes-Pyrénées, 65, code INSEE 65192), dans un rayon "
            "de 30,0 km.") in text
    near = user.section("Partenaires près de vous")
    assert "Aucune organisation enregistrée dans ce rayon." in near, near
    assert "Essayez un rayon plus grand" in near
    assert "voyez ci-dessous les organisations actives sur votre territoire" in near
    assert_national_actors_are_active_here(user)
    assert_programmes_and_no_expressed_need(user)


def test_catalyst_overseas_commune(user):
    """Saint-Denis de La Réunion, 30 km: "Saint-Denis" names four communes; the suggestions
    say which is which, the user takes La Réunion's. Nothing within 30 km (the nearest
    recorded organisation is in metropolitan France); the national actors and programmes
    cover the overseas départements too (974 ⊂ région 04 ⊂ FR)."""
    value = ask_around(user, "Saint-Denis", "Saint-Denis (La Réunion, 974)", "30")
    assert value == "Saint-Denis (974)"
    text = user.check("saint-denis-reunion-30-km", picture="drawn")
    assert "Autour de Saint-Denis (30 km)" in user.picture_text
    assert ("Aucune organisation enregistrée à moins de 30 km de Saint-Denis."
            in user.picture_text)
    assert_picture_lists(user, near=set())
    assert ("Autour de Saint-Denis (La Réunion, 974, code INSEE 97411), dans un rayon de "
            "30,0 km.") in text
    near = user.section("Partenaires près de vous")
    assert "Aucune organisation enregistrée dans ce rayon." in near, near
    assert_national_actors_are_active_here(user)
    assert_programmes_and_no_expressed_need(user)
