"""Connectors, programmes of a territory, partners near, gaps — on the hand-made graph
(tests/queries/conftest.py says what it holds and why each answer is what it is)."""

from datetime import UTC, datetime

import pytest

from queries import (
    InvalidParameter,
    NotFoundError,
    connectors,
    gaps,
    partners_near,
    programmes_of_territory,
    resolve_territory_param,
)


def test_resolve_territory(graph):
    assert resolve_territory_param(graph, "59").id == "departement:59"
    assert resolve_territory_param(graph, "59512").id == "commune:59512"
    assert resolve_territory_param(graph, "200093201").id == "epci:200093201"
    assert resolve_territory_param(graph, "region:32").name == "Hauts-de-France"
    assert resolve_territory_param(graph, "FR").level == "country"
    assert resolve_territory_param(graph, "ÎLE-de-france").id == "region:11"
    # a name shared by a commune and a département: the commune
    assert resolve_territory_param(graph, "Paris").id == "commune:75056"
    with pytest.raises(NotFoundError):
        resolve_territory_param(graph, "99999")
    with pytest.raises(InvalidParameter):
        resolve_territory_param(graph, " ")


@pytest.fixture
def more_territories(graph):
    """The hand-made graph, plus Bousignies (59100) and the Gers: real codes that read
    two ways."""
    from tests.territory_fixtures import create_territories

    create_territories(graph, ["commune:59100", "departement:32"])
    graph.execute_query("MATCH (b:Territory {id: 'commune:59100'}), "
                        "(d:Territory {id: 'departement:59'}) CREATE (b)-[:PART_OF]->(d)")
    return graph


def test_resolve_a_default_reading_keeps_the_others(more_territories):
    g = more_territories
    bousignies = resolve_territory_param(g, "59100")
    assert (bousignies.id, bousignies.name, bousignies.population) == (
        "commune:59100", "Bousignies", 339)
    assert [(m.id, m.via) for m in bousignies.also_matches] == [
        ("commune:59512", "postal_code")]
    gers = resolve_territory_param(g, "32")
    assert gers.id == "departement:32" and [m.id for m in gers.also_matches] == ["region:32"]
    assert resolve_territory_param(g, "Roubaix").also_matches == []
    # the answers carry them at their top level
    programmes = programmes_of_territory(g, "59100")
    assert programmes.territory.id == "commune:59100"
    assert [m.id for m in programmes.territory.also_matches] == ["commune:59512"]
    assert [t.id for t in programmes.scope] == ["commune:59100", "departement:59",
                                               "region:32", "FR"]
    assert [m.id for m in gaps(g, "32").territory.also_matches] == ["region:32"]
    assert [m.id for m in connectors(g, "programme:national", "59100").territory
            .also_matches] == ["commune:59512"]


def test_resolve_arrondissements_and_former_communes_with_a_notice(graph):
    paris = resolve_territory_param(graph, "75111")
    assert paris.id == "commune:75056" and "Paris" in paris.notice
    assert resolve_territory_param(graph, "Paris 11e").id == "commune:75056"


def test_resolve_refuses_what_it_cannot_read(graph):
    from queries.errors import AmbiguousTerritory, TerritoryNotLoaded, UnknownTerritory

    with pytest.raises(AmbiguousTerritory) as ambiguous:
        resolve_territory_param(graph, "Saint-Denis")
    assert {c.id for c in ambiguous.value.reading.candidates} >= {"commune:93066",
                                                                 "commune:97411"}
    with pytest.raises(UnknownTerritory) as unknown:
        resolve_territory_param(graph, "Roubaiz")
    assert [s.name for s in unknown.value.reading.suggestions][0] == "Roubaix"
    with pytest.raises(UnknownTerritory, match="collectivité d'outre-mer"):
        resolve_territory_param(graph, "975")
    # read, but not in this graph: say how to load the territories
    with pytest.raises(TerritoryNotLoaded, match="alliance-graph load territories"):
        resolve_territory_param(graph, "Saint-Denis (93)")


def test_existence_is_cached_and_cleared(graph):
    from graph.cache import clear_caches

    assert resolve_territory_param(graph, "Roubaix").name == "Roubaix"
    graph.execute_query("MATCH (t:Territory {id: 'commune:59512'}) SET t.name = 'Renamed'")
    assert resolve_territory_param(graph, "59512").name == "Roubaix"  # cached by id
    clear_caches()  # what every write through the product ends with
    assert resolve_territory_param(graph, "59512").name == "Renamed"


def test_partners_near_reads_the_commune_with_the_parser(more_territories):
    from queries.errors import AmbiguousTerritory

    g = more_territories
    page = partners_near(g, commune="Roubaix", radius_km=5)
    assert page.centre.commune.id == "commune:59512"
    page = partners_near(g, commune="59100", radius_km=50)
    assert page.centre.commune.id == "commune:59100"
    assert [m.id for m in page.centre.commune.also_matches] == ["commune:59512"]
    assert page.total > 0
    with pytest.raises(AmbiguousTerritory):
        partners_near(g, commune="Saint-Denis")
    with pytest.raises(InvalidParameter, match="not a commune"):
        partners_near(g, commune="59")


def test_connectors_of_a_national_programme_in_a_departement(graph):
    page = connectors(graph, "programme:national", "59")
    assert page.total == 2
    assert [c.organisation.id for c in page.items] == [
        "org:roubaix-asso", "org:dunkerque-entreprise"]  # by name
    asso = page.items[0]
    assert asso.relations == ["RELAYS"]
    assert asso.organisation.roles == ["catalyst"]
    assert [t.id for t in asso.territories] == ["commune:59512"]
    (path,) = asso.paths
    # the shortest proof: Roubaix is directly PART_OF the département
    assert [n.id for n in path.nodes] == [
        "programme:national", "org:roubaix-asso", "commune:59512", "departement:59"]
    assert [r.type for r in path.relationships] == ["RELAYS", "LOCATED_IN", "PART_OF"]
    assert path.length == 3


def test_connectors_active_in_the_territory_itself(graph):
    page = connectors(graph, "programme:regional", "departement:59")
    assert [c.organisation.id for c in page.items] == ["org:nord-dept", "org:lille-fondation"]
    nord = page.items[0]
    assert nord.relations == ["CARRIES"]
    assert [n.id for n in nord.paths[0].nodes] == [
        "programme:regional", "org:nord-dept", "departement:59"]
    assert [r.type for r in nord.paths[0].relationships] == ["CARRIES", "ACTIVE_IN"]


def test_connectors_are_inside_the_territory_not_above_it(graph):
    # the département's organisation is active above Roubaix, Lille is beside it
    assert connectors(graph, "programme:regional", "59512").total == 0
    page = connectors(graph, "programme:regional", "region:32", limit=1, offset=1)
    assert page.total == 2 and [c.organisation.id for c in page.items] == ["org:lille-fondation"]


def test_connectors_not_found(graph):
    with pytest.raises(NotFoundError, match="programme"):
        connectors(graph, "programme:nope", "59")
    with pytest.raises(NotFoundError, match="territory"):
        connectors(graph, "programme:national", "98765")


def test_programmes_of_a_commune(graph):
    answer = programmes_of_territory(graph, "59512")
    assert [t.id for t in answer.scope] == [
        "commune:59512", "departement:59", "epci:200093201", "region:32", "FR"]
    assert answer.total == 3
    groups = [(g.phase, g.need.id if g.need else None, [p.id for p in g.programmes])
              for g in answer.groups]
    assert groups == [
        ("urgence", "need:emploi", ["programme:roubaix"]),
        ("urgence", "need:numerique", ["programme:regional"]),
        ("urgence", "need:tresorerie", ["programme:regional"]),
        ("relance", "need:tresorerie", ["programme:national"]),
    ]
    assert answer.groups[3].programmes[0].covers[0].id == "FR"


def test_programmes_of_a_departement_do_not_include_those_of_its_communes(graph):
    answer = programmes_of_territory(graph, "75")
    assert answer.total == 1
    assert [p.id for g in answer.groups for p in g.programmes] == ["programme:national"]


def test_partners_near_roubaix(graph):
    page = partners_near(graph, commune="59512", radius_km=30)
    # the tiers-lieu's own location (Roubaix) wins over its commune (Paris); the
    # département's organisation is at the centre of the Nord's communes, ~24 km away
    assert [i.organisation.id for i in page.items] == [
        "org:roubaix-asso", "org:tiers-lieu", "org:lille-fondation", "org:nord-dept"]
    assert page.total == 4
    assert page.items[0].distance_km == 0
    assert 0.5 < page.items[1].distance_km < 1.0
    assert 10 < page.items[2].distance_km < 12
    assert page.centre.commune.id == "commune:59512"
    links = {(link.type, link.node.id) for link in page.items[0].connects_to}
    assert links == {("RELAYS", "programme:national"), ("EXPRESSES", "need:numerique"),
                     ("EXPRESSES", "need:benevolat")}


def test_partners_near_filters(graph):
    def ids(**kw):
        return [i.organisation.id for i in partners_near(graph, commune="59512", **kw).items]

    assert ids(role="catalyst") == ["org:roubaix-asso", "org:tiers-lieu"]
    assert ids(role="tête de pont") == ["org:lille-fondation"]
    assert ids(kind="fondation") == ["org:lille-fondation"]
    # expresses the need, or funds a programme addressing it
    assert ids(need="need:numerique") == [
        "org:roubaix-asso", "org:lille-fondation", "org:nord-dept"]
    assert ids(need="need:emploi") == ["org:lille-fondation"]
    assert ids(radius_km=5) == ["org:roubaix-asso", "org:tiers-lieu"]
    page = partners_near(graph, commune="59512", limit=1, offset=1)
    assert page.total == 4 and [i.organisation.id for i in page.items] == ["org:tiers-lieu"]


def test_partners_near_a_point(graph):
    page = partners_near(graph, lat=50.6292, lon=3.0573, radius_km=1)
    assert [i.organisation.id for i in page.items] == ["org:lille-fondation"]
    assert page.centre.commune is None
    nobody = partners_near(graph, lat=47.0, lon=-5.0, radius_km=5)  # at sea
    assert (nobody.total, nobody.items) == (0, [])


def test_partners_near_commune_by_code_id_or_name(graph):
    # a code or an id is read by the query itself; a name goes through the resolver
    pages = [partners_near(graph, commune=c, radius_km=30)
             for c in ("59512", "commune:59512", "Roubaix")]
    assert len({p.model_dump_json() for p in pages}) == 1
    assert pages[0].centre.latitude == 50.6942 and pages[0].centre.commune.name == "Roubaix"


def test_partners_near_bad_parameters(graph):
    with pytest.raises(InvalidParameter):
        partners_near(graph, commune="59512", radius_km=0)
    with pytest.raises(InvalidParameter):
        partners_near(graph, commune="59512", role="president")
    with pytest.raises(InvalidParameter):
        partners_near(graph, lat=50.0)
    with pytest.raises(InvalidParameter):
        partners_near(graph, commune="59", radius_km=10)
    with pytest.raises(NotFoundError):
        partners_near(graph, commune="59999")


def test_partners_near_uses_the_point_indexes(graph):
    from neo4j.spatial import WGS84Point

    from queries.library import load_query

    # from a point, and from a commune whose location the query reads itself; now and as
    # of a past time (graph/as_of.py): the rule of when a fact exists is a filter on what
    # the indexes find, never a reason to scan
    for centre in ({"point": WGS84Point((3.1746, 50.6942)), "commune_id": None},
                   {"point": None, "commune_id": "commune:59512"},
                   {"point": None, "commune_id": "commune:59512",
                    "as_of": datetime(2026, 1, 1, tzinfo=UTC)}):
        centre = {"as_of": None, **centre}
        records, summary, _ = graph.execute_query(
            "PROFILE " + load_query("partners_near"), **centre, radius_m=30000.0,
            need=None, kind=None, role=None, limit=50, offset=0, links=10)
        assert records[0]["total"] == 4
        plan = summary.profile["args"]["string-representation"]
        # organisations without lat/lon carry their commune's location; those with none
        # (placed at query time) are reached from the communes of the radius
        assert "POINT INDEX o:Organisation(location)" in plan
        assert "POINT INDEX c:Commune(location)" in plan
        assert "NodeByLabelScan" not in plan and "AllNodesScan" not in plan


def test_gaps_of_a_commune(graph):
    answer = gaps(graph, "59512")
    assert answer.needs_considered == 2 and answer.covered == 1
    assert [(g.id, g.expressed_by) for g in answer.gaps] == [("need:benevolat", 1)]


def test_gaps_where_nothing_is_expressed(graph):
    # the Paris organisations express no need
    answer = gaps(graph, "75056")
    assert (answer.needs_considered, answer.covered, answer.gaps) == (0, 0, [])


def test_gaps_of_a_departement(graph):
    answer = gaps(graph, "59")
    # the Roubaix programme covers the commune, not the département: emploi is a gap
    assert answer.needs_considered == 5 and answer.covered == 2
    assert [g.id for g in answer.gaps] == ["need:benevolat", "need:emploi", "need:mobilite"]


def test_gaps_all_needs(graph):
    answer = gaps(graph, "75", scope="all")
    assert answer.needs_considered == 5 and answer.covered == 1
    assert [g.id for g in answer.gaps] == [
        "need:benevolat", "need:emploi", "need:numerique", "need:mobilite"]
    assert all(g.expressed_by == 0 for g in answer.gaps)
    with pytest.raises(InvalidParameter):
        gaps(graph, "75", scope="some")
