"""Territory nodes the test fixtures share, written from one table.

Fixtures pick the territories they need by id (:func:`create_territories`); each gets its
level label, ``Territory``, code, name, ``name_key``, level and population, communes a
WGS-84 ``location``, and ``PART_OF`` links to those of its parents that were picked too.
Ids follow the project conventions (``FR``, ``region:32``, ``departement:59``,
``epci:<siren>``, ``commune:<insee>``).
"""

from __future__ import annotations

from neo4j import Driver
from neo4j.spatial import WGS84Point

from graph.vocabulary import LEVEL_LABELS, check_label, normalise_token

# id: (name, population, (latitude, longitude) or None, parents)
TERRITORY_TABLE: dict[str, tuple[str, int, tuple[float, float] | None, tuple[str, ...]]] = {
    "FR": ("France", 68_000_000, None, ()),
    "region:11": ("Île-de-France", 12_000_000, None, ("FR",)),
    "region:32": ("Hauts-de-France", 6_000_000, None, ("FR",)),
    "region:76": ("Occitanie", 6_000_000, None, ("FR",)),
    "region:84": ("Auvergne-Rhône-Alpes", 8_000_000, None, ("FR",)),
    "region:93": ("Provence-Alpes-Côte d'Azur", 5_218_960, None, ("FR",)),
    "region:94": ("Corse", 355_000, None, ("FR",)),
    "departement:01": ("Ain", 680_000, None, ("region:84",)),
    "departement:11": ("Aude", 380_000, None, ("region:76",)),
    "departement:13": ("Bouches-du-Rhône", 2_087_658, None, ("region:93",)),
    "departement:2A": ("Corse-du-Sud", 168_000, None, ("region:94",)),
    "departement:30": ("Gard", 770_940, None, ("region:76",)),
    "departement:32": ("Gers", 190_000, None, ("region:76",)),
    "departement:59": ("Nord", 2_600_000, None, ("region:32",)),
    "departement:62": ("Pas-de-Calais", 1_460_000, None, ("region:32",)),
    "departement:74": ("Haute-Savoie", 861_000, None, ("region:84",)),
    "departement:75": ("Paris", 2_100_000, None, ("region:11",)),
    "departement:83": ("Var", 1_119_307, None, ("region:93",)),
    "departement:84": ("Vaucluse", 572_056, None, ("region:93",)),
    "departement:93": ("Seine-Saint-Denis", 1_600_000, None, ("region:11",)),
    "departement:974": ("La Réunion", 860_000, None, ("region:04",)),
    "epci:200093201": ("Métropole Européenne de Lille", 1_100_000, None,
                       ("departement:59",)),
    "epci:200054807": ("Métropole d'Aix-Marseille-Provence", 1_939_077, None,
                       ("departement:13", "departement:83", "departement:84")),
    "epci:248400251": ("CA du Grand Avignon (COGA)", 199_932, None,
                       ("departement:30", "departement:84")),
    "commune:11339": ("Saint-Denis", 523, (43.3603, 2.2203), ("departement:11",)),
    "commune:30247": ("Saint-Denis", 296, (44.2343, 4.2519), ("departement:30",)),
    "commune:59350": ("Lille", 236_000, (50.6292, 3.0573),
                      ("epci:200093201", "departement:59")),
    "commune:59512": ("Roubaix", 98_000, (50.6942, 3.1746),
                      ("epci:200093201", "departement:59")),
    "commune:59599": ("Tourcoing", 98_000, (50.7239, 3.1612),
                      ("epci:200093201", "departement:59")),
    "commune:01053": ("Bourg-en-Bresse", 42_000, (46.2052, 5.2255), ("departement:01",)),
    "commune:2A004": ("Ajaccio", 76_000, (41.9192, 8.7386), ("departement:2A",)),
    "commune:59100": ("Bousignies", 339, (50.4343, 3.3445), ("departement:59",)),
    "commune:59183": ("Dunkerque", 86_000, (51.0343, 2.3768), ("departement:59",)),
    "commune:13055": ("Marseille", 886_040, (43.2976, 5.36943),
                      ("epci:200054807", "departement:13")),
    "commune:13001": ("Aix-en-Provence", 149_695, (43.52994, 5.44765),
                      ("epci:200054807", "departement:13")),
    "commune:83120": ("Saint-Zacharie", 5_879, (43.3859, 5.70703),
                      ("epci:200054807", "departement:83")),
    "commune:84089": ("Pertuis", 19_548, (43.6914, 5.50156),
                      ("epci:200054807", "departement:84")),
    "commune:83137": ("Toulon", 179_116, (43.11969, 5.93276),
                      ("epci:248300543", "departement:83")),
    "commune:84007": ("Avignon", 92_188, (43.94929, 4.80559),
                      ("epci:248400251", "departement:84")),
    "commune:84034": ("Caumont-sur-Durance", 5_667, (43.89287, 4.94456),
                      ("epci:248400251", "departement:84")),
    "commune:30011": ("Les Angles", 8_908, (43.9548, 4.77426),
                      ("epci:248400251", "departement:30")),
    "commune:62041": ("Arras", 41_000, (50.2910, 2.7775), ("departement:62",)),
    "commune:74010": ("Annecy", 132_000, (45.9055, 6.1229), ("departement:74",)),
    "commune:75056": ("Paris", 2_100_000, (48.8566, 2.3522), ("departement:75",)),
    "commune:93066": ("Saint-Denis", 113_000, (48.9362, 2.3574), ("departement:93",)),
    "commune:97411": ("Saint-Denis", 153_000, (-20.8821, 55.4507), ("departement:974",)),
}


def _level(territory_id: str) -> str:
    return "country" if territory_id == "FR" else territory_id.split(":", 1)[0]


def create_territories(driver: Driver, ids: list[str] | tuple[str, ...],
                       database: str = "neo4j") -> None:
    """Write the territories ``ids`` of :data:`TERRITORY_TABLE` and their PART_OF links."""
    chosen = set(ids)
    with driver.session(database=database) as session:
        for level, label in LEVEL_LABELS.items():
            rows = []
            for tid in ids:
                if _level(tid) != level:
                    continue
                name, population, location, _ = TERRITORY_TABLE[tid]
                props = {"id": tid, "code": tid.split(":", 1)[-1], "name": name,
                         "name_key": normalise_token(name), "level": level,
                         "population": population}
                if location is not None:
                    props["location"] = WGS84Point((location[1], location[0]))
                rows.append(props)
            if rows:
                session.run(f"UNWIND $rows AS row CREATE (t:Territory:{check_label(label)}) "
                            "SET t = row", rows=rows).consume()
        links = [{"a": tid, "b": parent} for tid in ids
                 for parent in TERRITORY_TABLE[tid][3] if parent in chosen]
        session.run("UNWIND $links AS link MATCH (a:Territory {id: link.a}), "
                    "(b:Territory {id: link.b}) CREATE (a)-[:PART_OF]->(b)",
                    links=links).consume()
