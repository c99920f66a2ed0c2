"""The vocabulary resolves French and English words and guards labels and types."""

import pytest

from graph import vocabulary as v


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Organisation", "Organisation"),
        ("organisation", "Organisation"),
        ("Besoin", "Need"),
        ("Programme de relance", "Programme"),
        ("programme d'urgence", "Programme"),
        ("Espace de dialogue", "DialogueSpace"),
        ("Livrable", "Deliverable"),
        ("Étude", "Study"),
        ("Événement", "Event"),
        ("unknown thing", None),
    ],
)
def test_resolve_label(text, label):
    assert v.resolve_label(text) == label


@pytest.mark.parametrize(
    ("text", "rel"),
    [("finance", "FUNDS"), ("FUNDS", "FUNDS"), ("Porteur", "CARRIES"), ("co-pilote", "COPILOTS"),
     ("répond à", "ADDRESSES"), ("partenaire", "PARTNERS_WITH"), ("likes", None)],
)
def test_resolve_relationship(text, rel):
    assert v.resolve_relationship(text) == rel


def test_kinds_roles_phases():
    assert v.resolve_kind("Collectivité") == "collectivite"
    assert v.resolve_kind("Tête de réseau") == "tete_de_reseau"
    assert v.resolve_role("catalyseur territorial") == "catalyst"
    assert v.resolve_role("Tête de pont") == "relay"
    assert v.resolve_phase("Urgence") == "urgence"
    assert v.phase_from_type("Programme de relance") == "relance"
    assert v.phase_from_type("Programme") is None


def test_every_kind_has_a_french_or_english_alias():
    for kind in v.ORGANISATION_KINDS:
        assert v.KIND_ALIASES.get(kind), kind


def test_relationship_endpoints():
    assert v.relationship_allows("FUNDS", {"Organisation"}, {"Programme"})
    assert not v.relationship_allows("FUNDS", {"Programme"}, {"Organisation"})
    assert v.relationship_allows("COVERS", {"Programme"}, {"Territory", "Commune"})
    # symmetric: either way round
    assert v.relationship_allows("PARTNERS_WITH", {"Organisation", "Relay"}, {"Organisation"})


def test_labels_for_includes_parents():
    assert v.labels_for("Commune") == ("Commune", "Territory")
    assert v.labels_for("Catalyst") == ("Catalyst", "Organisation")


def test_guards_reject_anything_outside_the_vocabulary():
    with pytest.raises(ValueError):
        v.check_label("Organisation) DETACH DELETE (n")
    with pytest.raises(ValueError):
        v.check_relationship("FUNDS]->() DELETE x //")
    assert v.check_label("Need") == "Need"


def test_normalise_token():
    assert v.normalise_token("  Tête-de-Pont ") == "tete_de_pont"
    assert v.normalise_token("Programme d’urgence") == "programme_d_urgence"


def test_every_label_fact_lives_on_its_spec():
    from graph.vocabulary import (
        ELEMENT_TYPES,
        FRENCH_NAMES,
        FRENCH_PLURALS,
        ID_PREFIXES,
        KIND_FR,
        LABELS,
        LEVEL_LABELS,
        LEVELS,
        REL_FR,
        RELATIONSHIPS,
        TERRITORY_LEVELS,
    )

    assert set(FRENCH_NAMES) == set(FRENCH_PLURALS) == {s.name for s in LABELS}
    assert set(ID_PREFIXES) == set(ELEMENT_TYPES)
    assert len(set(ID_PREFIXES.values())) == len(ID_PREFIXES)  # no two labels share one
    assert LEVELS == ("country", "region", "departement", "epci", "commune")
    assert tuple(LEVEL_LABELS.values()) == TERRITORY_LEVELS
    assert all(level in KIND_FR for level in LEVELS)
    assert set(REL_FR) == {r.name for r in RELATIONSHIPS}
    assert all(out and inward for out, inward in REL_FR.values())
    assert REL_FR["CARRIES"] == ("porte", "porté par")
    assert FRENCH_PLURALS["Need"] == "Besoins"
