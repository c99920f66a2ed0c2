"""The territory reference parser on references as people write them (no database).

Each row: what a user typed, the status the parser must give, the id it takes (None when
it takes nothing) and ids that must be among the other readings (for ``default`` and
``ambiguous``) or the suggestions (for ``unknown``). The table is read from the committed
reference files of ``data/``, the same the product ships.
"""

from __future__ import annotations

import pytest

from graph.territory_reference import join_fr, parse_territory, suggest
from graph.territory_table import get_table, name_key

# The 18 codes that are both a département and a région: (code, département, région).
COLLISIONS = [
    ("01", "Ain", "Guadeloupe"), ("02", "Aisne", "Martinique"), ("03", "Allier", "Guyane"),
    ("04", "Alpes-de-Haute-Provence", "La Réunion"), ("06", "Alpes-Maritimes", "Mayotte"),
    ("11", "Aude", "Île-de-France"), ("24", "Dordogne", "Centre-Val de Loire"),
    ("27", "Eure", "Bourgogne-Franche-Comté"), ("28", "Eure-et-Loir", "Normandie"),
    ("32", "Gers", "Hauts-de-France"), ("44", "Loire-Atlantique", "Grand Est"),
    ("52", "Haute-Marne", "Pays de la Loire"), ("53", "Mayenne", "Bretagne"),
    ("75", "Paris", "Nouvelle-Aquitaine"), ("76", "Seine-Maritime", "Occitanie"),
    ("84", "Vaucluse", "Auvergne-Rhône-Alpes"),
    ("93", "Seine-Saint-Denis", "Provence-Alpes-Côte d'Azur"), ("94", "Val-de-Marne", "Corse"),
]

# (typed, status, taken id or None, ids among the other readings or the suggestions)
CASES: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    # ids and prefixed codes
    ("FR", "found", "FR", ()),
    ("region:32", "found", "region:32", ()),
    ("reg:32", "found", "region:32", ()),
    ("Region:93", "found", "region:93", ()),
    ("departement:59", "found", "departement:59", ()),
    ("dep:59", "found", "departement:59", ()),
    ("dept:2a", "found", "departement:2A", ()),
    ("dep:1", "found", "departement:01", ()),
    ("epci:200093201", "found", "epci:200093201", ()),
    ("commune:59512", "found", "commune:59512", ()),
    ("commune:75111", "found", "commune:75056", ()),  # an arrondissement, read as Paris
    ("region:99", "unknown", None, ()),
    ("dep:99", "unknown", None, ()),
    ("commune:00000", "unknown", None, ()),
    # national
    ("France", "found", "FR", ()),
    ("national", "found", "FR", ()),
    ("Nationale", "found", "FR", ()),
    ("France entière", "found", "FR", ()),
    ("fr", "found", "FR", ()),
    # département codes
    ("59", "found", "departement:59", ()),
    ("2A", "found", "departement:2A", ()),
    ("2b", "found", "departement:2B", ()),
    ("971", "found", "departement:971", ()),
    ("972", "found", "departement:972", ()),
    ("973", "found", "departement:973", ()),
    ("974", "found", "departement:974", ()),
    ("976", "found", "departement:976", ()),
    ("1", "default", "departement:01", ("region:01",)),
    ("20", "ambiguous", None, ("departement:2A", "departement:2B")),
    ("99", "unknown", None, ()),
    # collectivités d'outre-mer
    ("975", "uncovered", None, ()),
    ("977", "uncovered", None, ()),
    ("978", "uncovered", None, ()),
    ("986", "uncovered", None, ()),
    ("987", "uncovered", None, ()),
    ("988", "uncovered", None, ()),
    ("97502", "uncovered", None, ()),  # Saint-Pierre (Saint-Pierre-et-Miquelon)
    ("98735", "uncovered", None, ()),  # Papeete
    ("commune:97701", "uncovered", None, ()),
    ("Polynésie française", "uncovered", None, ()),
    ("Nouvelle-Calédonie", "uncovered", None, ()),
    ("Saint-Pierre-et-Miquelon", "uncovered", None, ()),
    ("Wallis-et-Futuna", "uncovered", None, ()),
    # INSEE commune codes, Corsica and overseas
    ("59512", "found", "commune:59512", ()),
    ("59350", "default", "commune:59350", ("commune:59527",)),  # Saint-André-lez-Lille
    ("2A004", "found", "commune:2A004", ()),
    ("2a004", "found", "commune:2A004", ()),
    ("2B033", "found", "commune:2B033", ()),
    ("97105", "found", "commune:97105", ()),
    ("97209", "found", "commune:97209", ()),
    ("97302", "found", "commune:97302", ()),
    ("97611", "found", "commune:97611", ()),
    ("1053", "found", "commune:01053", ()),  # a spreadsheet dropped the leading zero
    ("200093201", "found", "epci:200093201", ()),
    ("200054807", "found", "epci:200054807", ()),
    ("999999999", "unknown", None, ()),
    # postal codes that are other communes' INSEE codes: the INSEE code by default
    ("59100", "default", "commune:59100", ("commune:59512",)),
    ("59 100", "default", "commune:59100", ("commune:59512",)),
    ("13001", "default", "commune:13001", ("commune:13055",)),
    ("13008", "default", "commune:13008", ("commune:13055",)),
    ("69003", "default", "commune:69003", ("commune:69123",)),
    ("97411", "default", "commune:97411", ("commune:97415",)),
    # postal codes only
    ("59000", "found", "commune:59350", ()),
    ("75011", "found", "commune:75056", ()),
    ("75116", "found", "commune:75056", ()),
    ("69009", "default", "commune:69009", ("commune:69123",)),  # Anse by INSEE code
    ("69300", "found", "commune:69034", ()),  # Caluire-et-Cuire
    ("20000", "found", "commune:2A004", ()),
    ("97400", "found", "commune:97411", ()),
    ("01000", "ambiguous", None, ("commune:01053",)),  # Bourg-en-Bresse and Saint-Denis-lès-Bourg
    ("01220", "ambiguous", None, ("commune:01143",)),  # Divonne-les-Bains and more
    ("99999", "unknown", None, ()),
    # arrondissements
    ("75111", "found", "commune:75056", ()),
    ("75101", "found", "commune:75056", ()),
    ("69383", "found", "commune:69123", ()),
    ("13213", "found", "commune:13055", ()),
    ("Paris 11e", "found", "commune:75056", ()),
    ("Paris 11e arrondissement", "found", "commune:75056", ()),
    ("Paris 16", "found", "commune:75056", ()),
    ("Lyon 3e", "found", "commune:69123", ()),
    ("Marseille 1er", "found", "commune:13055", ()),
    # former communes
    ("Annecy-le-Vieux", "found", "commune:74010", ()),
    ("annecy le vieux", "found", "commune:74010", ()),
    ("74011", "found", "commune:74010", ()),  # Annecy-le-Vieux's INSEE code
    # names: accents, case, hyphens, Saint/St, articles
    ("Roubaix", "found", "commune:59512", ()),
    ("ROUBAIX", "found", "commune:59512", ()),
    ("Lille", "found", "commune:59350", ()),
    ("Marseille", "found", "commune:13055", ()),
    ("Lyon", "found", "commune:69123", ()),
    ("Paris", "found", "commune:75056", ()),  # the commune stands for the same département
    ("St-Etienne", "found", "commune:42218", ()),
    ("Saint Étienne", "found", "commune:42218", ()),
    ("st etienne", "found", "commune:42218", ()),
    ("Le Havre", "found", "commune:76351", ()),
    ("Havre", "found", "commune:76351", ()),
    ("L'Haÿ-les-Roses", "found", "commune:94038", ()),
    ("Hay les Roses", "found", "commune:94038", ()),
    ("Les Abymes", "found", "commune:97101", ()),
    ("EVRY COURCOURONNES", "found", "commune:91228", ()),
    ("Ajaccio", "found", "commune:2A004", ()),
    ("Cayenne", "found", "commune:97302", ()),
    ("Mamoudzou", "found", "commune:97611", ()),
    ("Nord", "found", "departement:59", ()),
    ("Corse-du-Sud", "found", "departement:2A", ()),
    ("Guadeloupe", "found", "departement:971", ()),  # région and département: one place
    ("Mayotte", "found", "departement:976", ()),
    ("hauts de france", "found", "region:32", ()),
    ("Hauts-de-France", "found", "region:32", ()),
    ("Île-de-France", "found", "region:11", ()),
    ("ile de france", "found", "region:11", ()),
    ("Corse", "found", "region:94", ()),
    ("Grand-Est", "found", "region:44", ()),
    ("Métropole Européenne de Lille", "found", "epci:200093201", ()),
    ("Métropole de Lyon", "found", "epci:200046977", ()),
    # nicknames and acronyms
    ("PACA", "found", "region:93", ()),
    ("Région Sud", "found", "region:93", ()),
    ("IDF", "found", "region:11", ()),
    ("AURA", "found", "region:84", ()),
    ("HDF", "found", "region:32", ()),
    ("MEL", "found", "epci:200093201", ()),
    ("Grand Lyon", "found", "epci:200046977", ()),
    ("AMP", "found", "epci:200054807", ()),
    # a département in brackets
    ("Saint-Denis (93)", "found", "commune:93066", ()),
    ("Saint-Denis (974)", "found", "commune:97411", ()),
    ("Saint-Denis(974)", "found", "commune:97411", ()),
    ("Saint-Denis (Réunion)", "found", "commune:97411", ()),
    ("Saint-Denis (La Réunion)", "found", "commune:97411", ()),
    ("Saint-Pierre (974)", "found", "commune:97416", ()),
    ("Ste-Marie (972)", "found", "commune:97228", ()),
    ("Nord (59)", "found", "departement:59", ()),
    ("Saint-Denis (59)", "unknown", None, ()),
    ("Roubaix (59512)", "found", "commune:59512", ()),  # what the old pages wrote
    ("Roubaix (59100)", "found", "commune:59512", ()),  # its postal code
    ("Saint-Denis (93066)", "found", "commune:93066", ()),
    ("Roubaix (59350)", "unknown", None, ()),  # Lille's code: not Roubaix
    ("pays:zz", "unknown", None, ()),
    ("pays:France", "found", "FR", ()),
    ("country:FR", "found", "FR", ()),
    # names with several readings
    ("Saint-Denis", "ambiguous", None,
     ("commune:93066", "commune:97411", "commune:11339", "commune:30247")),
    ("Saint-Pierre", "ambiguous", None, ("commune:97416", "commune:97225")),
    ("Sainte-Colombe", "ambiguous", None, ()),
    ("Saint-Barthélemy", "ambiguous", None, ()),  # communes; the COM is said not covered
    ("Vienne", "default", "departement:86", ("commune:38544",)),
    ("Mayenne", "default", "departement:53", ("commune:53147",)),
    ("La Réunion", "default", "departement:974", ("commune:47222",)),
    # typos: suggestions only
    ("Roubaiz", "unknown", None, ("commune:59512",)),
    ("Marseile", "unknown", None, ("commune:13055",)),
    ("Montpelier", "unknown", None, ("commune:34172",)),
    ("Toulouze", "unknown", None, ("commune:31555",)),
    ("Strasbour", "unknown", None, ("commune:67482",)),
    ("Lile", "unknown", None, ("commune:59350",)),
    ("Bordeau", "unknown", None, ("commune:33063",)),
    ("Rubaix", "unknown", None, ("commune:59512",)),
    # nothing usable
    ("", "empty", None, ()),
    ("   ", "empty", None, ()),
    ("xyzzy plugh", "unknown", None, ()),
]

CASES += [(code, "default", f"departement:{code}", (f"region:{code}",))
          for code, _, _ in COLLISIONS]


def test_the_table_has_a_hundred_references():
    assert len(CASES) >= 100
    assert len({c[0] for c in CASES}) == len(CASES), "a reference appears twice"


@pytest.mark.parametrize(("typed", "status", "taken", "among"), CASES,
                         ids=[c[0] or "<empty>" for c in CASES])
def test_reading(typed, status, taken, among):
    reading = parse_territory(typed)
    assert reading.status == status, reading.message
    assert (reading.taken.id if reading.taken else None) == taken
    if status == "unknown":
        ids = [s.id for s in reading.suggestions]
    else:
        ids = [c.id for c in reading.others]
    for expected in among:
        assert expected in ids, (typed, ids)
    # the taken reading, when there is one, is first among the candidates
    if reading.taken is not None:
        assert reading.candidates[0].id == reading.taken.id
    # every status has a sentence for people, except a plain single reading
    if status not in ("found",):
        assert reading.message_fr and reading.message


@pytest.mark.parametrize(("code", "departement", "region"), COLLISIONS)
def test_collisions_are_said(code, departement, region):
    reading = parse_territory(code)
    assert reading.taken.name == departement
    assert [o.name for o in reading.others] == [region]
    assert reading.question_fr == (f"{departement} (département {code}) ou {region} "
                                   f"(région {code}) ?")


def test_postal_code_question_names_both_readings():
    reading = parse_territory("59100")
    assert reading.question_fr == "Bousignies (code INSEE 59100) ou Roubaix (code postal 59100) ?"
    assert reading.kind == "code"
    assert reading.others[0].via == "postal_code"
    assert "Roubaix (code postal 59100)" in reading.message_fr


def test_ambiguous_name_lists_candidates_with_departement():
    reading = parse_territory("Saint-Denis")
    labels = [c.label for c in reading.candidates]
    assert "Saint-Denis (Seine-Saint-Denis, 93)" in labels
    assert "Saint-Denis (La Réunion, 974)" in labels
    assert "Précisez le département" in reading.message_fr
    # the most populous first
    pops = [c.population for c in reading.candidates]
    assert pops == sorted(pops, reverse=True)


def test_notices_for_arrondissements_and_former_communes():
    assert parse_territory("75111").message_fr.startswith(
        "Paris 11e arrondissement fait partie de la commune de Paris (75056)")
    former = parse_territory("Annecy-le-Vieux")
    assert former.taken.via == "former_name"
    assert "ancienne commune" in former.message_fr and "Annecy" in former.message_fr


def test_uncovered_says_collectivite_d_outre_mer():
    reading = parse_territory("975")
    assert "collectivité d'outre-mer non couverte par le référentiel" in reading.message_fr
    assert reading.suggestions == []


def test_unknown_suggests_three_nearest_names():
    reading = parse_territory("Roubaiz")
    assert len(reading.suggestions) == 3
    assert reading.suggestions[0].name == "Roubaix"
    assert "Vouliez-vous dire Roubaix (Nord, 59)" in reading.message_fr


@pytest.mark.parametrize(("typed", "first"), [
    ("roub", "commune:59512"),
    ("Roubaix", "commune:59512"),
    ("st-eti", "commune:42218"),
    ("saint ét", "commune:42218"),
    ("pac", "region:93"),
    ("591", None),
    ("59100", None),
    ("hauts", "region:32"),
    ("mars", "commune:42141"),  # the commune named exactly Mars, before Marseille
    ("marsei", "commune:13055"),
])
def test_suggest(typed, first):
    found = suggest(typed, limit=10)
    assert found, typed
    if first is not None:
        assert found[0].id == first, [c.id for c in found]
    if typed == "591":
        assert all(c.level == "commune" for c in found)
        assert any(c.id == "commune:59512" for c in suggest("5910", limit=50))
    if typed == "59100":
        assert {c.id for c in found} >= {"commune:59100", "commune:59512"}


def test_suggest_empty():
    assert suggest("") == []
    assert suggest("   ") == []


def test_name_key():
    assert name_key("St-Étienne") == name_key("saint etienne") == "saint etienne"
    assert name_key("Le Havre") == name_key("HAVRE") == "havre"
    assert name_key("L'Haÿ-les-Roses") == "hay les roses"
    assert name_key("Œuilly") == "oeuilly"
    assert name_key("Le") == "le"  # an article alone stays


def test_join_fr():
    assert join_fr(["a"]) == "a"
    assert join_fr(["a", "b"]) == "a ou b"
    assert join_fr(["a", "b", "c"], "et") == "a, b et c"


def test_table_counts_match_the_reference_file():
    table = get_table()
    levels = {}
    for t in table.by_id.values():
        levels[t.level] = levels.get(t.level, 0) + 1
    assert levels == {"country": 1, "region": 18, "departement": 101, "epci": 1255,
                      "commune": 34875}
    assert table.postal["59100"] == ("59512",)
    assert "975" in table.com


def test_suggestions_put_own_names_before_former_communes_and_say_why():
    """"rou": Rouen and Roubaix, never Le Havre first (it absorbed Rouelles); typed in
    full, the former commune answers with its reason in the label."""
    labels = [c.label for c in suggest("rou")]
    assert labels[:2] == ["Rouen (Seine-Maritime, 76)", "Roubaix (Nord, 59)"], labels
    assert not any("Havre" in label for label in labels), labels
    rouelles = [c.label for c in suggest("rouelles")]
    assert "Le Havre (Seine-Maritime, 76 ; ancienne commune : Rouelles)" in rouelles
