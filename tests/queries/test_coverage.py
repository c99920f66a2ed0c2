"""True territorial coverage: PART_OF never crosses to a sibling département through an EPCI.

The graph is tests/coverage_fixtures.py (Aix-Marseille-Provence spans the Bouches-du-Rhône,
the Var and the Vaucluse; the Grand Avignon spans the Vaucluse in PACA and the Gard in
Occitanie). A commune is covered by programmes on itself, its EPCI, its own département,
its région and FR; an EPCI spanning several départements is covered only partly by a
programme on one of them.
"""

import pytest

from queries import connectors, gaps, programmes_of_territory
from queries.elements import list_organisations, territory_detail
from queries.explore import stats
from queries.export import territory_contents
from tests.coverage_fixtures import AMP, GRAND_AVIGNON


def programme_ids(answer):
    return sorted({p.id for g in answer.groups for p in g.programmes})


def partial_rows(answer):
    return [(p.programme.id, p.territory.id, p.communes_covered, p.communes_total)
            for p in answer.partial]


# --- a commune of an EPCI spanning several départements ----------------------------------


def test_programmes_of_marseille_stop_at_its_own_departement(provence):
    answer = programmes_of_territory(provence, "13055")
    assert [t.id for t in answer.scope] == [
        "commune:13055", "departement:13", AMP, "region:93", "FR"]
    # the Var and the Vaucluse programmes reach the EPCI, not Marseille
    assert programme_ids(answer) == ["programme:bdr", "programme:metropole",
                                     "programme:national", "programme:paca"]
    assert answer.total == 4
    assert answer.partial == []


def test_programmes_of_avignon_stay_in_its_region(provence):
    answer = programmes_of_territory(provence, "84007")
    assert [t.id for t in answer.scope] == [
        "commune:84007", "departement:84", GRAND_AVIGNON, "region:93", "FR"]
    # not the Gard nor Occitanie, which the Grand Avignon touches through Les Angles
    assert programme_ids(answer) == ["programme:national", "programme:paca",
                                     "programme:vaucluse"]


def test_gaps_of_marseille_are_not_filled_by_the_var(provence):
    answer = gaps(provence, "13055")
    # emploi: only the Var programme addresses it
    assert (answer.needs_considered, answer.covered) == (3, 2)
    assert [(g.id, g.expressed_by, g.partial) for g in answer.gaps] == [
        ("need:emploi", 1, [])]
    every = gaps(provence, "13055", scope="all")
    assert every.covered == 3
    assert [g.id for g in every.gaps] == ["need:emploi", "need:mobilite"]


def test_connectors_in_the_var_are_not_in_marseille(provence):
    page = connectors(provence, "programme:var", "83")
    assert [c.organisation.id for c in page.items] == ["org:toulon-asso"]
    # Marseille is in the Bouches-du-Rhône, and in PACA
    assert [c.organisation.id for c in connectors(provence, "programme:bdr", "13").items] == [
        "org:marseille-asso"]
    page = connectors(provence, "programme:var", "region:93")
    assert [c.organisation.id for c in page.items] == [
        "org:marseille-asso", "org:toulon-asso"]
    (path,) = page.items[0].paths
    assert [n.id for n in path.nodes] == [
        "programme:var", "org:marseille-asso", "commune:13055", "departement:13", "region:93"]


def test_an_organisation_in_marseille_is_not_in_the_var(provence):
    var = list_organisations(provence, territory="83")
    # the EPCI's own organisation is active in the whole EPCI, hence in part of the Var
    assert [o.id for o in var.items] == ["org:toulon-asso", "org:zacharie", "org:metropole"]
    assert [o.id for o in list_organisations(provence, territory="13").items] == [
        "org:marseille-asso", "org:metropole"]
    assert territory_detail(provence, "83").organisations == 3
    by_departement = {c.territory.id: c.organisations
                      for c in stats(provence).organisations_by_departement}
    assert by_departement == {"departement:13": 1, "departement:83": 2,
                              "departement:84": 1, "departement:30": 1}


def test_parents_of_marseille(provence):
    detail = territory_detail(provence, "13055")
    assert [p.id for p in detail.parents] == ["departement:13", AMP, "region:93", "FR"]
    assert detail.programmes == 4 and detail.programmes_partial == 0


def test_contents_of_the_var(provence):
    contents = territory_contents(provence, "83")
    assert {o.id for o in contents.organisations} == {
        "org:toulon-asso", "org:zacharie", "org:metropole"}
    assert contents.total == 3
    # on the Var, above it, or on the EPCI that overlaps it
    assert sorted(p.id for p in contents.programmes) == [
        "programme:metropole", "programme:national", "programme:paca", "programme:var"]
    # the centre of its communes: Toulon and Saint-Zacharie, not Marseille or Aix
    assert contents.territory.lat == pytest.approx((43.11969 + 43.3859) / 2)
    assert contents.outline == []  # two communes: too few to outline (Marseille left out)

    marseille = territory_contents(provence, "13055")
    assert "programme:var" not in {p.id for p in marseille.programmes}


# --- the EPCI itself ---------------------------------------------------------------------


def test_programmes_of_aix_marseille_provence(provence):
    answer = programmes_of_territory(provence, AMP)
    # its départements hold only part of it: not in the scope; PACA holds all of it
    assert [t.id for t in answer.scope] == [AMP, "region:93", "FR"]
    assert programme_ids(answer) == ["programme:metropole", "programme:national",
                                     "programme:paca"]
    assert answer.total == 3
    # 4 communes here: Marseille and Aix (13), Saint-Zacharie (83), Pertuis (84)
    assert partial_rows(answer) == [
        ("programme:bdr", "departement:13", 2, 4),
        ("programme:var", "departement:83", 1, 4),
        ("programme:vaucluse", "departement:84", 1, 4),
    ]
    var = answer.partial[1]
    assert (var.programme.name, var.programme.phase) == ("Var solidaire", "urgence")
    assert var.territory.name == "Var"
    assert [n.id for n in var.needs] == ["need:emploi"]
    detail = territory_detail(provence, AMP)
    assert (detail.programmes, detail.programmes_partial) == (3, 3)


def test_gaps_of_aix_marseille_provence_ignore_partial_programmes(provence):
    answer = gaps(provence, AMP)
    # expressed by Marseille (emploi, numerique, benevolat) and Saint-Zacharie (mobilite)
    assert (answer.needs_considered, answer.covered) == (4, 1)
    gap = {g.id: [(p.programme.id, p.territory.id, p.communes_covered, p.communes_total)
                  for p in g.partial] for g in answer.gaps}
    assert gap == {
        "need:emploi": [("programme:var", "departement:83", 1, 4)],
        "need:mobilite": [("programme:vaucluse", "departement:84", 1, 4)],
        "need:numerique": [("programme:bdr", "departement:13", 2, 4)],
    }


def test_programmes_of_an_epci_spanning_two_regions(provence):
    answer = programmes_of_territory(provence, GRAND_AVIGNON)
    assert [t.id for t in answer.scope] == [GRAND_AVIGNON, "FR"]
    assert programme_ids(answer) == ["programme:national"]
    # 3 communes here: Avignon and Caumont (84, PACA), Les Angles (30, Occitanie)
    assert partial_rows(answer) == [
        ("programme:paca", "region:93", 2, 3),
        ("programme:vaucluse", "departement:84", 2, 3),
        ("programme:gard", "departement:30", 1, 3),
        ("programme:occitanie", "region:76", 1, 3),
    ]
    holes = gaps(provence, GRAND_AVIGNON)
    # mobilite (Avignon), tresorerie (Les Angles): each answered in one région only
    assert (holes.needs_considered, holes.covered) == (2, 0)
    assert {g.id: [p.programme.id for p in g.partial] for g in holes.gaps} == {
        "need:mobilite": ["programme:vaucluse", "programme:gard"],
        "need:tresorerie": ["programme:paca", "programme:occitanie"],
    }


def test_connectors_of_an_epci_spanning_two_regions(provence):
    # Les Angles is in the Grand Avignon: its organisation connects the Gard programme there
    page = connectors(provence, "programme:gard", GRAND_AVIGNON)
    assert [c.organisation.id for c in page.items] == ["org:angles-asso"]
    assert [n.id for n in page.items[0].paths[0].nodes] == [
        "programme:gard", "org:angles-asso", "commune:30011", GRAND_AVIGNON]
    # but Avignon is not in Occitanie
    assert connectors(provence, "programme:gard", "region:76").total == 1
    assert list_organisations(provence, territory="region:76").total == 1
