"""The analyst's journey (/analystes, /espaces, /chemin, the fiches) on the data ``make run``
loads, walked in Chromium through the forms, their suggestions and the links.

What the curated dataset holds (data/curated, read from the seed documents), and so what
each answer must contain:

- France Relance is carried by the Gouvernement alone (document 003), which is active in
  FR: no organisation of the programme is in the Nord or in the Hauts-de-France, one
  covers them from France, with the proof path France Relance → Gouvernement → France →
  Hauts-de-France (→ Nord);
- nobody expresses a need: the gaps block says there is nothing to compare;
- the organisations are linked by partnerships, programmes, dialogue spaces, events and
  deliverables: a few are on the shortest paths between others (Le RAMEAU most), the
  others score zero; Louvain finds groups, and elements linked to nothing are alone;
- the démarche has four dialogue spaces whose documents give 21, 12, 5 and 7 members and
  name few of them ("Articulation des ingénieries nationales & territoriales": 21, one named
  — the catalyseurs territoriaux —, two deliverables, four sessions, no relay);
- the Caisse des Dépôts and Le RAMEAU co-organised the 4e séminaire (``PARTNERS_WITH``,
  document 002): a path of one link.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

NO_NEED_HERE = "Aucun besoin exprimé ici : rien à comparer"
ARTICULATION = "Articulation des ingénieries nationales & territoriales"


def choose_programme(user, name: str) -> None:
    """Pick the programme whose label (as the list shows it) contains ``name``."""
    options = user.page.locator("#programme option")
    labels = options.all_inner_texts()
    matching = [n for n, label in enumerate(labels) if name in label]
    assert len(matching) == 1, labels
    user.page.locator("#programme").select_option(index=matching[0])


def assert_connectors_cover_from_france(user, territory: str, proof: str) -> None:
    connectors = user.section("Organisations qui relient le programme au territoire")
    # the Gouvernement, the programme's one carrier, is national: none inside, one above
    assert ("Aucune organisation liée au programme n'est implantée ou active dans ce "
            "territoire ni dans un territoire qu'il contient ; 1 organisation le couvre "
            "depuis un territoire plus large") in connectors, connectors
    covering = user.section("Organisations qui couvrent le territoire depuis un territoire")
    assert "Gouvernement" in covering and "porte" in covering, covering
    assert "France (pays)" in covering, covering
    assert proof in covering, (proof, covering)
    gaps = user.section("Besoins sans programme dans ce territoire")
    assert NO_NEED_HERE in gaps, gaps
    assert "Aucun trou" not in gaps


def test_analyst_programme_by_territory(user):
    """France Relance × the Nord, then × the Hauts-de-France, then the carrier's fiche."""
    user.open("/")
    user.check("accueil")
    user.follow("Analyser le réseau", exact=False)
    choose_programme(user, "France Relance")
    assert user.type_and_pick("territoire", "Nord", "Nord (département, 59)",
                              shot="suggestions") == "Nord"
    user.check("formulaire")
    user.submit("Analyser")

    text = user.check("france-relance-nord", picture="drawn")
    assert ("Territoire : Nord (département, code 59) · programme : France Relance."
            in text), text
    # the picture draws what the page lists: the Gouvernement, covering from France
    assert "1 organisation le couvre depuis un territoire plus large" in user.picture_text
    assert "Aucune organisation ne relie" not in user.picture_text
    assert_connectors_cover_from_france(
        user, "Nord", "France Relance → Gouvernement → France → Hauts-de-France → Nord")

    # the same programme, a région: the form keeps the programme
    assert user.type_and_pick("territoire", "Hauts-de", "Hauts-de-France (région)") == (
        "Hauts-de-France")
    user.submit("Analyser")
    text = user.check("france-relance-hauts-de-france", picture="drawn")
    assert ("Territoire : Hauts-de-France (région, code 32) · programme : France Relance."
            in text), text
    covering = user.section("Organisations qui couvrent le territoire depuis un territoire")
    assert "France Relance → Gouvernement → France → Hauts-de-France" in covering
    assert "→ Nord" not in covering
    assert_connectors_cover_from_france(
        user, "Hauts-de-France", "France Relance → Gouvernement → France → Hauts-de-France")

    # the carrier's fiche, from its link in the answer
    user.follow("Gouvernement")
    text = user.check("fiche-gouvernement", picture="drawn")
    assert user.page.locator("main h1").inner_text() == "Gouvernement"
    neighbours = user.section("Voisinage")
    assert "France Relance" in neighbours and "France" in neighbours, neighbours



def test_analyst_link_written_by_hand_names_the_programme(user):
    """A report links ``/analystes?programme=France Relance&territoire=Nord``: the page reads
    the programme's name as the API does, and shows it chosen in the list."""
    user.open("/analystes?programme=france%20relance&territoire=Nord")
    text = user.check("lien-par-nom")
    assert "programme : France Relance." in text, text
    selected = user.page.locator("#programme option:checked").inner_text()
    assert "France Relance" in selected, selected
    assert_connectors_cover_from_france(
        user, "Nord", "France Relance → Gouvernement → France → Hauts-de-France → Nord")

def test_analyst_brokers_and_communities(user):
    """The brokers (zero scores hidden and counted) and the communities (singletons folded
    into one "Isolés" line) show without a question."""
    user.open("/analystes")
    user.check("ponts-et-communautes")
    brokers = user.section("Les organisations qui font le pont")
    # Le RAMEAU links the démarche, the partners of the séminaire and the Fonds i: first,
    # before the Caisse des Dépôts (the Fonds i and the Cercle « Investisseur sociétal »)
    scores = re.findall(r"\b\d,\d{3}\b", brokers)
    assert scores, brokers
    assert scores == sorted(scores, reverse=True), scores
    assert "0,000" not in scores, ("a score shown as 0,000 while zero scores are said to "
                                   "be hidden", brokers)
    assert "Le RAMEAU" in brokers and "Caisse des Dépôts" in brokers, brokers
    assert brokers.index("Le RAMEAU") < brokers.index("Caisse des Dépôts"), brokers
    hidden = re.search(r"(\d+) organisations à score nul masquées", brokers)
    assert hidden and int(hidden.group(1)) > 0, brokers

    communities = user.section("Les communautés")
    assert "modularité" in communities
    assert "Isolés" in communities, communities
    # the Fonds i and its carriers and operators form one group
    assert "Fonds i" in communities


def test_analyst_dialogue_spaces(user):
    """The four dialogue spaces of the démarche with their declared and named members,
    then one of them in full."""
    user.open("/analystes")
    user.follow("Espaces", within="nav")
    text = user.check("espaces")
    assert user.page.locator("main h1").inner_text() == "Les espaces de dialogue"
    assert "Les 4 espaces de dialogue de la démarche" in user.headings()
    assert "Membres : 51 déclarés" in user.section("Démarche collective")
    declared = {ARTICULATION: "21 déclarés, 1 nommé",
                "« Jouer collectif » entre investisseurs sociétaux": "12 déclarés, aucun nommé",
                "Croiser la diversité des regards sur « l'après »": "5 déclarés, aucun nommé",
                "Comparer les besoins et solutions entre acteurs d'intérêt général et PME":
                    "7 déclarés, aucun nommé"}
    for name, members in declared.items():
        assert members in user.section(name), (name, user.section(name))
    assert "Catalyseurs territoriaux" in user.section(ARTICULATION)

    # one space in full, from its card's title
    user.follow(ARTICULATION)
    text = user.check("espace-articulation")
    assert user.page.locator("main h1").inner_text() == ARTICULATION
    assert "Membres : 21 déclarés, 1 nommé." in text
    assert "Les documents donnent le nombre de membres sans tous les nommer." in text
    assert "Catalyseurs territoriaux" in user.section("Membres nommés")
    events = user.section("Événements")
    assert "10e session : bilan d'un an de crise" in events and "16 mars 2021" in events
    assert "Présentation du bilan d'un an de l'espace inter-ingénieries" in user.section(
        "Livrables")
    # no relay recorded: said so
    assert ("Aucune organisation n'est enregistrée comme relais des travaux de cet espace."
            in user.section("Relais"))


def test_analyst_path_between_two_organisations_by_name(user):
    """Le RAMEAU → Caisse des Dépôts, both typed and taken from the suggestions; then the
    Caisse des Dépôts' fiche from its link in the path."""
    user.open("/analystes")
    user.follow("Chemins", within="nav")
    assert user.type_and_pick("de", "Le RAM", "Le RAMEAU") == "Le RAMEAU"
    assert user.type_and_pick("a", "Caisse", "Caisse des Dépôts",
                              shot="suggestions") == "Caisse des Dépôts"
    user.check("formulaire")
    user.submit("Chercher")
    text = user.check("le-rameau-caisse-des-depots")
    assert "Chemins entre Le RAMEAU et Caisse des Dépôts" in user.headings()
    paths = user.section("Chemins entre Le RAMEAU et Caisse des Dépôts")
    assert "Le plus court chemin compte 1 lien." in paths, paths
    assert "Le RAMEAU ← partenaire de — Caisse des Dépôts" in paths, paths

    user.follow("Caisse des Dépôts")
    text = user.check("fiche-caisse-des-depots", picture="drawn")
    assert user.page.locator("main h1").inner_text() == "Caisse des Dépôts"
    neighbours = user.section("Voisinage")
    for name in ("Fonds i", "Le RAMEAU", "Cercle « Investisseur sociétal »", "France"):
        assert name in neighbours, (name, neighbours)
    assert text
