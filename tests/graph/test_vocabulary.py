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


# --- French names: what the pages show is what the loaders accept ---------------------------


def _spellings(name: str) -> list[str]:
    """A French name as people may type it: any case, no accents, odd punctuation."""
    bare = name.translate(str.maketrans("éèêëàâîïôöûùüçÉÈÊÀÂÎÔÛÇ", "eeeeaaiioouuucEEEAAIOUC"))
    return [name, name.upper(), name.lower(), bare, f"  {bare.lower()}. ",
            name.replace(" ", "-"), name.replace(" ", "_"), f"« {name} »"]


@pytest.mark.parametrize("spec", v.LABELS, ids=lambda s: s.name)
def test_every_label_is_accepted_by_its_french_names(spec):
    for name in (spec.french, spec.french_plural):
        for text in _spellings(name):
            assert v.resolve_label(text) == spec.name, text


@pytest.mark.parametrize("rel", v.RELATIONSHIPS, ids=lambda r: r.name)
def test_every_relationship_is_accepted_by_its_code_and_french_reading(rel):
    for text in (rel.name, rel.name.lower(), *_spellings(rel.french_out)):
        assert v.resolve_relationship(text) == rel.name, text


@pytest.mark.parametrize(("specs", "resolve"), [
    (v.ORGANISATION_KIND_SPECS, v.resolve_kind),
    (v.PHASE_SPECS, v.resolve_phase),
    (v.ROLE_SPECS, v.resolve_role),
], ids=["kinds", "phases", "roles"])
def test_every_kind_phase_and_role_is_accepted_by_its_french_name(specs, resolve):
    for spec in specs:
        for text in (spec.value, *_spellings(spec.french)):
            assert resolve(text) == spec.value, text


@pytest.mark.parametrize(("text", "expected"), [
    ("Besoin", "Need"), ("Organisation", "Organisation"), ("Espace de dialogue", "DialogueSpace"),
    ("espace-de-dialogue", "DialogueSpace"), ("ÉTUDE", "Study"), ("Personne", "Person"),
])
def test_types_named_in_french(text, expected):
    assert v.resolve_label(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("porte", "CARRIES"), ("Porte", "CARRIES"), ("finance", "FUNDS"), ("opère", "OPERATES"),
    ("opere", "OPERATES"), ("OPERATES", "OPERATES"), ("est partenaire de", "PARTNERS_WITH"),
    ("Est partenaire de", "PARTNERS_WITH"), ("partenaire de", "PARTNERS_WITH"),
    ("répond au besoin", "ADDRESSES"), ("exprime le besoin", "EXPRESSES"),
    ("est membre de", "MEMBER_OF"), ("est situé à", "LOCATED_IN"), ("a produit", "PRODUCED"),
])
def test_relationships_named_in_french(text, expected):
    assert v.resolve_relationship(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Association", "association"), ("Collectivité", "collectivite"),
    ("collectivite", "collectivite"), ("Entreprise", "entreprise"), ("État", "etat"),
    ("Tête de réseau", "tete_de_reseau"),
])
def test_kinds_named_in_french(text, expected):
    assert v.resolve_kind(text) == expected


def test_readings_from_the_end_node_are_known_and_never_a_forward_name():
    assert v.reversed_relationship("porté par") == "CARRIES"
    assert v.reversed_relationship("est financé par") == "FUNDS"
    assert v.reversed_relationship("porte") is None
    assert v.resolve_relationship("porté par") is None
    # a symmetric relationship reads the same both ways: no reverse reading
    assert v.reversed_relationship("partenaire de") is None


def _folded(names):
    return [v.normalise_token(n) for n in names]


@pytest.mark.parametrize(("what", "names"), [
    ("labels", [s.french for s in v.LABELS]),
    ("label plurals", [s.french_plural for s in v.LABELS]),
    ("relationships", [r.french_out for r in v.RELATIONSHIPS]),
    ("relationships read backwards", [r.french_in for r in v.RELATIONSHIPS if not r.symmetric]),
    ("organisation kinds", [k.french for k in v.ORGANISATION_KIND_SPECS]),
    ("phases", [k.french for k in v.PHASE_SPECS]),
    ("roles", [k.french for k in v.ROLE_SPECS]),
])
def test_no_two_meanings_share_a_french_name(what, names):
    folded = _folded(names)
    doubles = {n for n in folded if folded.count(n) > 1}
    assert not doubles, f"{what}: {doubles} name two meanings"


def test_a_type_cell_never_reads_a_kind_as_another_label():
    # a type cell tries labels first, then organisation kinds: a kind's French name that
    # were also a label's name would silently become that label
    for kind in v.ORGANISATION_KIND_SPECS:
        assert v.resolve_label(kind.french) is None, kind.french
    # a role's French name is its role label, which the loaders read as that role
    for role in v.ROLE_SPECS:
        assert v.resolve_label(role.french) == v.ROLES[role.value], role.french


def test_a_french_name_given_to_two_meanings_stops_the_vocabulary():
    table: dict[str, str] = {}
    v._add(table, "Besoin", "Need")
    v._add(table, "besoin", "Need")  # the same meaning twice is fine
    with pytest.raises(ValueError, match="maps to both"):
        v._add(table, "BESOIN", "Programme")


def test_every_kind_has_a_world():
    assert set(v.WORLD_BY_KIND) == set(v.ORGANISATION_KINDS)
    assert v.WORLD_BY_KIND["association"] == v.WORLD_BY_KIND["fondation"] == "associatif"
    assert v.WORLD_BY_KIND["entreprise"] == v.WORLD_BY_KIND["investisseur"] == "economique"
    assert v.WORLD_BY_KIND["collectivite"] == v.WORLD_BY_KIND["etat"] == "public"
    assert {v.WORLD_BY_KIND[k] for k in ("tete_de_reseau", "recherche", "autre")} == {
        "intermediaire"}
