"""Synthetic ecosystems: a France-wide alliance ecosystem of realistic shape, as interchange files.

``generate(territories, organisations=N, seed=S)`` builds the ecosystem in memory;
:func:`write_ecosystem` writes it as ``elements.csv`` and ``connections.csv`` (the
interchange format of docs/import.md, UTF-8, explicit ids everywhere so that the importer does no
name resolution). Same seed and same territories, same bytes: one ``random.Random(seed)``
drives every choice, everything is produced in a fixed order, and nothing depends on the
clock or on set iteration order.

The territories come from the territory reference file (``loaders.territories``): every
région, département, EPCI and commune with its population and the communes' coordinates.
The generator never reads Neo4j; the files load through the ordinary import path once the
territories are in the graph.

Shape, and why
--------------
Organisations (``org:synth-000001``…)
    Kinds in fixed shares, as exact counts (largest remainder), shuffled: 55 % association,
    20 % entreprise, 8 % collectivite, 3 % etat, 4 % fondation, 2 % investisseur,
    3 % tete_de_reseau, 2 % recherche, 3 % autre — associations dominate the
    general-interest field, companies and local authorities follow.
    Each is ``LOCATED_IN`` a commune drawn with probability proportional to its population
    (a city of 500,000 gets 1,000 times the organisations of a village of 500), with
    ``lat``/``lon`` at that commune, jittered by about a kilometre.
    Collectivités are the authorities themselves: régions first, then départements, EPCIs
    and communes by decreasing population, each ``ACTIVE_IN`` its own territory and located
    in its most populous commune.
Relays (role ``relay``)
    30 national relays (proportionally fewer below 1,000 organisations): têtes de réseau,
    most headquartered in the most populous communes (Paris first), ``ACTIVE_IN FR``, each
    ``RELAYS`` 5–20 programmes, national ones preferred.
Catalysts (role ``catalyst``)
    350 territorial catalysts (proportionally fewer below 10,000 organisations), spread by
    population: each département gets its share by largest remainder (at least one while
    there are enough), then an organisation of a fitting kind located there takes the role.
    ``ACTIVE_IN`` their département; they start with a head start in partnerships (hubs).
Programmes (``programme:synth-0001``…)
    ``max(20, N / 100)``; 40 % urgence, 60 % relance; coverage 15 % national, 25 % régional,
    35 % départemental, 25 % EPCI, the territory drawn by population (``COVERS``). One
    carrier (``CARRIES``: the authority of the covered territory half the time, else a state
    service, foundation, network or association located there), 0–3 funders (``FUNDS``:
    state, authorities, foundations, investors, companies), 0–2 operators (``OPERATES``:
    associations, networks, companies, research). Each ``ADDRESSES`` 1–4 needs; urgence
    programmes lean to treasury, health and solidarity, relance ones to digital, jobs, the
    local economy and cooperation. Dates in 2020–2022.
Needs (``need:…``)
    40 needs over 8 categories (the category goes in ``kind``), with skewed popularity.
    Associations express 1–3, authorities and companies fewer (``EXPRESSES``).
Partnerships (``PARTNERS_WITH``, stored once)
    Organisations arrive one by one and draw 0–5 partners (mean about 1.25) among those
    already there. Closeness: a partner is sought in the same EPCI (30 %), département
    (30 %), région (20 %) or anywhere (20 %); within that scope three candidates are drawn
    and the nearest kept (distance decay inside the scope as well). Popularity: candidates
    are drawn in proportion to degree + 1 (preferential attachment, Barabási–Albert style,
    from a list holding each organisation once plus once per partnership), so hubs attract.
    Every number of this, and the factors that are off by default (shared needs and
    programmes, dialogue spaces, cross-world pairs, introductions by a partner), are
    the settings of :mod:`loaders.partnership_model` (``generate(..., model=...)``); its
    default gives the files described here, byte for byte.
Membership (``MEMBER_OF``)
    About a quarter of associations join a tête de réseau, preferring popular ones in their
    région.

Measured at N=100,000 on the reference territories (seed 1): 101,040 elements, 339,681
connections; of the 127,419 partnerships 48 % stay within an EPCI, 66 % within a
département, 84 % within a région, median distance 16 km; mean degree 2.5, catalysts 6.8,
relays 96, largest hub 177. About 5 s to generate and write.
"""

from __future__ import annotations

import bisect
import csv
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from graph.vocabulary import LEVELS, ORGANISATION_KINDS, WORLD_BY_KIND
from loaders.partnership_model import DEFAULT as DEFAULT_MODEL
from loaders.partnership_model import PartnershipModel

ELEMENT_COLUMNS = ("id", "type", "name", "kind", "roles", "territory", "lat", "lon",
                   "description", "url", "tags", "start", "end", "source")
CONNECTION_COLUMNS = ("from", "to", "type", "role", "date", "source")
ELEMENTS_FILE = "elements.csv"
CONNECTIONS_FILE = "connections.csv"

#: Shares of organisation kinds (sum 1).
KIND_SHARES: dict[str, float] = {
    "association": 0.55,
    "entreprise": 0.20,
    "collectivite": 0.08,
    "etat": 0.03,
    "fondation": 0.04,
    "investisseur": 0.02,
    "tete_de_reseau": 0.03,
    "recherche": 0.02,
    "autre": 0.03,
}
assert set(KIND_SHARES) == set(ORGANISATION_KINDS)

CATALYSTS = 350
CATALYSTS_FULL_AT = 10_000
RELAYS = 30
RELAYS_FULL_AT = 1_000
PHASE_SHARES = {"urgence": 0.4, "relance": 0.6}
COVERAGE_SHARES = {"country": 0.15, "region": 0.25, "departement": 0.35, "epci": 0.25}
# How partnerships form: loaders/partnership_model.py (these names stay for readers).
PARTNER_SCOPES = DEFAULT_MODEL.scopes
PARTNER_DRAWS = DEFAULT_MODEL.draws
CANDIDATES_PER_DRAW = DEFAULT_MODEL.candidates
#: Extra entries in the preferential-attachment lists: catalysts and relays start as hubs.
HUB_HEAD_START = dict(DEFAULT_MODEL.hub_head_start)

#: 8 categories × 5 needs. Popularity decreases along each list.
NEEDS: dict[str, tuple[str, ...]] = {
    "financement": ("Trésorerie d'urgence", "Report des charges sociales et fiscales",
                    "Accès au prêt garanti", "Fonds propres pour rebondir",
                    "Diversification des ressources"),
    "ressources_humaines": ("Maintien de l'emploi salarié", "Mobilisation des bénévoles",
                            "Accompagnement de l'activité partielle", "Formation des équipes",
                            "Santé psychologique des équipes"),
    "numerique": ("Inclusion numérique des publics", "Outils de travail à distance",
                  "Équipement informatique", "Transformation numérique de l'activité",
                  "Cybersécurité"),
    "sanitaire": ("Masques et équipements de protection", "Protocoles sanitaires de reprise",
                  "Accès aux soins des plus fragiles", "Soutien psychologique",
                  "Prévention en santé"),
    "solidarite": ("Aide alimentaire", "Lutte contre l'isolement", "Hébergement d'urgence",
                   "Accompagnement des personnes âgées", "Soutien aux familles"),
    "education": ("Continuité pédagogique", "Décrochage scolaire", "Insertion des jeunes",
                  "Accès à la culture", "Vacances apprenantes"),
    "economie_locale": ("Soutien au commerce de proximité", "Circuits courts",
                        "Relocalisation de la production", "Tourisme local",
                        "Économie circulaire"),
    "cooperation": ("Coordination des acteurs du territoire", "Mise en relation besoins-solutions",
                    "Ingénierie de projet", "Mesure d'impact", "Gouvernance partagée"),
}
CATEGORY_WEIGHTS = {
    "urgence": {"financement": 5, "sanitaire": 4, "solidarite": 4, "ressources_humaines": 3,
                "numerique": 2, "education": 2, "economie_locale": 1, "cooperation": 1},
    "relance": {"financement": 3, "sanitaire": 1, "solidarite": 2, "ressources_humaines": 3,
                "numerique": 4, "education": 2, "economie_locale": 4, "cooperation": 4},
    "express": {"financement": 6, "sanitaire": 3, "solidarite": 3, "ressources_humaines": 4,
                "numerique": 3, "education": 2, "economie_locale": 2, "cooperation": 2},
}
#: How many needs an organisation of a kind expresses (value, weight).
EXPRESS_DRAWS = {
    "association": ((0, 25), (1, 40), (2, 25), (3, 10)),
    "entreprise": ((0, 60), (1, 35), (2, 5)),
    "collectivite": ((0, 40), (1, 40), (2, 20)),
    "autre": ((0, 70), (1, 30)),
}
MEMBER_SHARE = 0.25

CARRIER_KINDS = ("etat", "fondation", "tete_de_reseau", "association", "investisseur")
FUNDER_KINDS = ("etat", "collectivite", "fondation", "investisseur", "entreprise")
OPERATOR_KINDS = ("association", "tete_de_reseau", "entreprise", "recherche")
CATALYST_KINDS = ("association", "collectivite", "tete_de_reseau", "entreprise", "autre")

THEMES = ("solidarité", "insertion", "inclusion numérique", "aide alimentaire", "jeunesse",
          "culture", "sport pour tous", "transition écologique", "santé", "handicap",
          "économie sociale", "emploi", "éducation populaire", "logement", "mobilité",
          "seniors", "entrepreneuriat", "tiers-lieux", "agriculture durable", "réemploi")
ASSOCIATION_FORMS = ("Association", "Collectif", "Amicale", "Maison", "Atelier", "Comité",
                     "Réseau local", "Les Ami·es de la")
COMPANY_FORMS = ("SAS", "SARL", "SCOP", "SCIC", "Groupe", "Mutuelle", "Coopérative")
COMPANY_TRADES = ("Bâtiment", "Conseil", "Distribution", "Numérique", "Transports", "Industrie",
                  "Services", "Alimentation", "Énergie", "Assurances", "Imprimerie", "Textile")
STATE_FORMS = ("Préfecture", "DDETS", "Direction départementale des territoires",
               "Délégation régionale académique", "Agence régionale de santé")
FOUNDATION_FORMS = ("Fondation", "Fonds de dotation")
INVESTOR_FORMS = ("Fonds d'investissement solidaire", "France Active", "Business angels",
                  "Banque coopérative", "Capital-risque social")
NETWORK_FORMS = ("Fédération", "Union", "Réseau", "Mouvement", "Coordination")
RESEARCH_FORMS = ("Laboratoire", "Université", "Chaire", "Institut", "Observatoire")
OTHER_FORMS = ("Club", "Collectif citoyen", "Groupement", "Syndicat", "Ordre professionnel")

URGENCE_FORMS = ("Fonds d'urgence", "Plan de soutien", "Aide exceptionnelle",
                 "Dispositif de solidarité", "Cellule de crise")
RELANCE_FORMS = ("Programme de relance", "Plan de rebond", "Appel à projets",
                 "Fonds de relance", "Accélérateur")



# -- territories ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """A territory as the generator sees it, with its ancestors resolved."""

    id: str
    level: str
    name: str
    population: int
    lat: float | None = None
    lon: float | None = None
    region: str | None = None
    departement: str | None = None
    epci: str | None = None


def _get(record: Any, *names: str) -> Any:
    for name in names:
        value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
        if value not in (None, ""):
            return value
    return None


def _level_of(tid: str, level: Any) -> str:
    if level:
        return str(level).lower()
    return "country" if tid == "FR" else tid.split(":", 1)[0]


def places_from_records(records: Iterable[Any]) -> list[Place]:
    """Turn territory records (mappings or objects) into :class:`Place` objects.

    A record has ``id``, ``level`` (or an id prefix that says it), ``name``, ``population``,
    for communes ``lat``/``lon`` (or ``latitude``/``longitude``), and its parents: either
    ``region``/``departement``/``epci`` ids, or a ``parents``/``part_of`` list of ids.
    Ancestors missing on a record are taken from its parents.
    """
    raw: dict[str, dict[str, Any]] = {}
    for rec in records:
        tid = str(_get(rec, "id"))
        level = _level_of(tid, _get(rec, "level"))
        parents = list(_get(rec, "parents", "part_of") or [])
        for key in ("region", "departement", "epci", "parent"):
            value = _get(rec, key)
            if value:
                parents.extend(value if isinstance(value, list | tuple) else [value])
        lat, lon = _get(rec, "lat", "latitude"), _get(rec, "lon", "longitude")
        location = _get(rec, "location")
        if lat is None and location is not None:
            lat = _get(location, "latitude", "lat", "y")
            lon = _get(location, "longitude", "lon", "x")
        raw[tid] = {
            "id": tid,
            "level": level,
            "name": str(_get(rec, "name") or tid),
            "population": int(_get(rec, "population") or 0),
            "lat": float(lat) if lat is not None else None,
            "lon": float(lon) if lon is not None else None,
            "parents": [str(p) for p in parents],
        }

    def ancestor(tid: str, level: str, depth: int = 0) -> str | None:
        node = raw.get(tid)
        if node is None or depth > 5:
            return None
        for parent in node["parents"]:
            if _level_of(parent, raw.get(parent, {}).get("level")) == level:
                return parent
        for parent in node["parents"]:
            found = ancestor(parent, level, depth + 1)
            if found:
                return found
        return None

    places = []
    for tid, node in raw.items():
        places.append(Place(
            id=tid, level=node["level"], name=node["name"], population=node["population"],
            lat=node["lat"], lon=node["lon"],
            region=ancestor(tid, "region"), departement=ancestor(tid, "departement"),
            epci=ancestor(tid, "epci"),
        ))
    return places


def load_places(path: str | Path | None = None) -> list[Place]:
    """Read the territory reference file (``loaders.territories``) into places.

    Raises
    ------
    FileNotFoundError
        When the file (default ``TERRITORIES_FILE``) does not exist.
    """
    from loaders import territories

    path = Path(path) if path is not None else Path(territories.TERRITORIES_FILE)
    if not path.exists():
        raise FileNotFoundError(path)
    return places_from_records(territories.iter_territories(path))


# -- the ecosystem ---------------------------------------------------------------------------
@dataclass
class Ecosystem:
    """A generated ecosystem: interchange rows, in the order they are written."""

    organisations: int
    seed: int
    elements: list[dict[str, str]] = field(default_factory=list)
    connections: list[dict[str, str]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Counts by element type, kind, role and connection type."""
        types = Counter(e["type"] for e in self.elements)
        kinds = Counter(e["kind"] for e in self.elements if e["type"] == "Organisation")
        roles = Counter(e["roles"] for e in self.elements if e["roles"])
        phases = Counter(e["kind"] for e in self.elements if e["type"] == "Programme")
        rels = Counter(c["type"] for c in self.connections)
        return {
            "organisations": self.organisations,
            "seed": self.seed,
            "elements": len(self.elements),
            "connections": len(self.connections),
            "rows": len(self.elements) + len(self.connections),
            "element_types": dict(sorted(types.items())),
            "kinds": dict(sorted(kinds.items())),
            "roles": dict(sorted(roles.items())),
            "phases": dict(sorted(phases.items())),
            "connection_types": dict(sorted(rels.items())),
        }


def exact_counts(total: int, shares: Mapping[str, float]) -> dict[str, int]:
    """Split ``total`` by ``shares`` into integers summing to ``total`` (largest remainder)."""
    weight = sum(shares.values())
    raw = {k: total * v / weight for k, v in shares.items()}
    counts = {k: int(math.floor(x)) for k, x in raw.items()}
    left = total - sum(counts.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - counts[k]), list(shares).index(k)))[:left]:
        counts[k] += 1
    return counts


def target_catalysts(organisations: int) -> int:
    """350 catalysts from 10,000 organisations on; proportionally fewer below (at least 1)."""
    return max(1, min(CATALYSTS, round(CATALYSTS * organisations / CATALYSTS_FULL_AT)))


def target_relays(organisations: int) -> int:
    """30 relays from 1,000 organisations on; proportionally fewer below (at least 1)."""
    return max(1, min(RELAYS, round(RELAYS * organisations / RELAYS_FULL_AT)))


def target_programmes(organisations: int) -> int:
    return max(20, organisations // 100)


def _slug(text: str) -> str:
    from graph.vocabulary import normalise_token

    return normalise_token(text).replace("_", "-")


def _draw(rng: random.Random, table: tuple[tuple[int, int], ...]) -> int:
    values = [v for v, _ in table]
    return rng.choices(values, weights=[w for _, w in table])[0]


class _Sampler:
    """Draw items in proportion to fixed weights (cumulative table + bisect)."""

    def __init__(self, items: list[Any], weights: list[float]):
        self.items = items
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0.0

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)
                          if self.total else 0]


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    # Equirectangular approximation: plenty for ranking candidates by closeness.
    lat = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(lat)
    dy = math.radians(b[0] - a[0])
    return 6371.0 * math.hypot(dx, dy)


class _Builder:
    """Holds the state of one generation run; :func:`generate` drives it."""

    def __init__(self, places: list[Place], organisations: int, seed: int,
                 on_progress: Callable[[str, int, int], None] | None,
                 model: PartnershipModel = DEFAULT_MODEL):
        if organisations < 1:
            raise ValueError("organisations must be at least 1")
        self.model = model
        # Reproducibility, not secrecy: a seeded PRNG is the point.
        self.rng = random.Random(seed)  # noqa: S311
        self.n = organisations
        self.seed = seed
        self.on_progress = on_progress
        self.source = f"synthetic:seed-{seed}"
        # Keep only what we can place: communes with coordinates and a population.
        by_level: dict[str, list[Place]] = {lvl: [] for lvl in LEVELS}
        for p in sorted(places, key=lambda p: p.id):
            if p.level in by_level:
                by_level[p.level].append(p)
        self.by_id = {p.id: p for p in places}
        self.communes = [c for c in by_level["commune"]
                         if c.lat is not None and c.lon is not None and c.population > 0
                         and c.departement]
        if not self.communes:
            raise ValueError("no commune with coordinates, population and département to place "
                             "organisations in: check the territory file")
        self.by_level = by_level
        self.commune_sampler = _Sampler(self.communes, [c.population for c in self.communes])
        # Population of every scope, summed from communes when the file gives none.
        pop: Counter[str] = Counter()
        for c in self.communes:
            for scope in (c.region, c.departement, c.epci):
                if scope:
                    pop[scope] += c.population
        self.population = {lvl: {p.id: (p.population or pop[p.id]) for p in by_level[lvl]}
                           for lvl in ("region", "departement", "epci")}
        # Most populous commune of each scope: the seat of its authority.
        self.seat: dict[str, Place] = {}
        for c in sorted(self.communes, key=lambda c: (-c.population, c.id)):
            for scope in ("FR", c.region, c.departement, c.epci):
                if scope and scope not in self.seat:
                    self.seat[scope] = c
        self.elements: list[dict[str, str]] = []
        self.connections: list[dict[str, str]] = []
        self.connected: set[tuple[str, str, str]] = set()
        # Per organisation (index i): id, kind, commune, coordinates.
        self.org_ids: list[str] = []
        self.org_kind: list[str] = []
        self.org_commune: list[Place] = []
        self.org_xy: list[tuple[float, float]] = []
        self.org_roles: list[str] = []
        self.org_names: list[str] = []
        self.names_seen: Counter[str] = Counter()

    # -- output helpers --
    def element(self, **values: Any) -> None:
        row = {col: "" for col in ELEMENT_COLUMNS}
        row.update({k: "" if v is None else str(v) for k, v in values.items()})
        row["source"] = self.source
        self.elements.append(row)

    def connect(self, src: str, dst: str, rel: str, role: str = "", when: str = "") -> None:
        # One connection per (from, to, type): an authority that is also a catalyst is
        # ACTIVE_IN its département once.
        key = (src, dst, rel)
        if key in self.connected:
            return
        self.connected.add(key)
        self.connections.append({"from": src, "to": dst, "type": rel, "role": role,
                                 "date": when, "source": self.source})

    def unique_name(self, name: str) -> str:
        self.names_seen[name] += 1
        count = self.names_seen[name]
        return name if count == 1 else f"{name} ({count})"

    def progress(self, stage: str, done: int, total: int) -> None:
        if self.on_progress is not None:
            self.on_progress(stage, done, total)

    # -- organisations --
    def plan_kinds(self) -> list[str]:
        counts = exact_counts(self.n, KIND_SHARES)
        kinds = [k for k in KIND_SHARES for _ in range(counts[k])]
        self.rng.shuffle(kinds)
        return kinds

    def authorities(self, count: int) -> list[Place]:
        """Which territories the collectivités are: régions, départements, EPCIs, communes."""
        order: list[Place] = []
        for lvl in ("region", "departement", "epci", "commune"):
            pool = self.by_level[lvl] if lvl != "commune" else self.communes
            pool = [p for p in pool if p.id in self.seat or lvl == "commune"]
            order.extend(sorted(pool, key=lambda p: (-(p.population
                                                      or self.population.get(lvl, {}).get(p.id, 0)),
                                                     p.id)))
        return order[:count]

    def org_name(self, kind: str, commune: Place) -> str:
        r = self.rng
        where = commune.name
        dep = self.by_id.get(commune.departement or "")
        dep_name = dep.name if dep else where
        if kind == "association":
            return f"{r.choice(ASSOCIATION_FORMS)} {r.choice(THEMES)} de {where}"
        if kind == "entreprise":
            return f"{r.choice(COMPANY_FORMS)} {r.choice(COMPANY_TRADES)} {where}"
        if kind == "etat":
            return f"{r.choice(STATE_FORMS)} — {dep_name}"
        if kind == "fondation":
            return f"{r.choice(FOUNDATION_FORMS)} {r.choice(THEMES)} {where}"
        if kind == "investisseur":
            return f"{r.choice(INVESTOR_FORMS)} {dep_name}"
        if kind == "tete_de_reseau":
            return f"{r.choice(NETWORK_FORMS)} {r.choice(THEMES)} — {dep_name}"
        if kind == "collectivite":
            return f"Syndicat intercommunal {r.choice(THEMES)} de {where}"
        if kind == "recherche":
            return f"{r.choice(RESEARCH_FORMS)} {r.choice(THEMES)} {where}"
        return f"{r.choice(OTHER_FORMS)} {r.choice(THEMES)} {where}"

    def build_organisations(self) -> None:
        kinds = self.plan_kinds()
        n_auth = kinds.count("collectivite")
        authorities = iter(self.authorities(n_auth))
        n_relays = min(target_relays(self.n), kinds.count("tete_de_reseau"))
        big_communes = sorted(self.communes, key=lambda c: (-c.population, c.id))[:5]
        relays_left = n_relays
        step = max(1, self.n // 100)
        for i, kind in enumerate(kinds):
            oid = f"org:synth-{i + 1:06d}"
            role = ""
            authority: Place | None = None
            if kind == "collectivite":
                authority = next(authorities, None)
            if authority is not None:
                commune = self.seat.get(authority.id, authority)
                label = {"region": "Conseil régional — ", "departement": "Conseil départemental — ",
                         "epci": "", "commune": "Ville de "}[authority.level]
                name = f"{label}{authority.name}"
            elif kind == "tete_de_reseau" and relays_left > 0:
                role = "relay"
                relays_left -= 1
                # National networks sit mostly in the largest cities, Paris first.
                commune = (big_communes[min(int(self.rng.expovariate(1.2)), len(big_communes) - 1)]
                           if self.rng.random() < 0.8 else self.commune_sampler(self.rng))
                name = (f"{self.rng.choice(NETWORK_FORMS)} nationale "
                        f"{self.rng.choice(THEMES)}")
            else:
                commune = self.commune_sampler(self.rng)
                name = self.org_name(kind, commune)
            name = self.unique_name(name)
            lat = commune.lat + self.rng.uniform(-0.01, 0.01)
            lon = commune.lon + self.rng.uniform(-0.014, 0.014)
            self.org_ids.append(oid)
            self.org_kind.append(kind)
            self.org_commune.append(commune)
            self.org_xy.append((lat, lon))
            self.org_roles.append(role)
            self.org_names.append(name)
            self.connect(oid, commune.id, "LOCATED_IN")
            if authority is not None:
                self.connect(oid, authority.id, "ACTIVE_IN")
            if role == "relay":
                self.connect(oid, "FR", "ACTIVE_IN")
            if (i + 1) % step == 0:
                self.progress("organisations", i + 1, self.n)
        self.assign_catalysts()

    def assign_catalysts(self) -> None:
        wanted = target_catalysts(self.n)
        deps = self.by_level["departement"]
        dep_pop = {d.id: self.population["departement"].get(d.id, 0) for d in deps}
        deps = [d for d in deps if dep_pop[d.id] > 0]
        per_dep = exact_counts(wanted, {d.id: dep_pop[d.id] for d in deps}) if deps else {}
        if wanted >= len(deps):
            # Every département gets one when there are enough; the rest by population.
            rest = exact_counts(wanted - len(deps), {d.id: dep_pop[d.id] for d in deps})
            per_dep = {d: rest[d] + 1 for d in rest}
        candidates: dict[str, list[int]] = {}
        for i, kind in enumerate(self.org_kind):
            dep = self.org_commune[i].departement
            if kind in CATALYST_KINDS and not self.org_roles[i] and dep:
                candidates.setdefault(dep, []).append(i)
        chosen: list[int] = []
        spare = 0
        for dep_id in sorted(per_dep):
            pool = candidates.get(dep_id, [])
            take = min(per_dep[dep_id], len(pool))
            spare += per_dep[dep_id] - take
            chosen.extend(self.rng.sample(pool, take))
        if spare:  # small départements without candidates: take any fitting organisation
            taken = set(chosen)
            pool = [i for dep in sorted(candidates) for i in candidates[dep] if i not in taken]
            chosen.extend(self.rng.sample(pool, min(spare, len(pool))))
        for i in sorted(chosen):
            self.org_roles[i] = "catalyst"
            dep = self.org_commune[i].departement
            if dep:
                self.connect(self.org_ids[i], dep, "ACTIVE_IN")

    def emit_organisations(self) -> None:
        # Elements are written after roles are known (catalysts are chosen afterwards).
        for i, oid in enumerate(self.org_ids):
            lat, lon = self.org_xy[i]
            self.element(id=oid, type="Organisation", name=self.org_names[i],
                         kind=self.org_kind[i], roles=self.org_roles[i],
                         lat=f"{lat:.5f}", lon=f"{lon:.5f}")

    # -- needs --
    def build_needs(self) -> None:
        self.need_ids: dict[str, list[str]] = {}
        for category, names in NEEDS.items():
            ids = []
            for name in names:
                nid = f"need:{_slug(name)}"
                ids.append(nid)
                self.element(id=nid, type="Need", name=name, kind=category)
            self.need_ids[category] = ids
        rank_weights = [5, 4, 3, 2, 1]
        self.need_samplers = {}
        for use, cats in CATEGORY_WEIGHTS.items():
            items, weights = [], []
            for cat, w in cats.items():
                for nid, rw in zip(self.need_ids[cat], rank_weights, strict=True):
                    items.append(nid)
                    weights.append(w * rw)
            self.need_samplers[use] = _Sampler(items, weights)

    def draw_needs(self, use: str, k: int) -> list[str]:
        out: list[str] = []
        for _ in range(k * 4):
            if len(out) == k:
                break
            nid = self.need_samplers[use](self.rng)
            if nid not in out:
                out.append(nid)
        return out

    def build_expressions(self) -> None:
        self.org_needs: dict[int, set[str]] = {}
        for i, kind in enumerate(self.org_kind):
            table = EXPRESS_DRAWS.get(kind)
            if table is None:
                continue
            for nid in self.draw_needs("express", _draw(self.rng, table)):
                self.connect(self.org_ids[i], nid, "EXPRESSES")
                self.org_needs.setdefault(i, set()).add(nid)

    # -- programmes --
    def index_orgs(self) -> None:
        """Organisations by (scope, kind): who can carry, fund or operate where."""
        self.scoped: dict[tuple[str, str], list[int]] = {}
        self.authority_of: dict[str, int] = {}
        for i, kind in enumerate(self.org_kind):
            c = self.org_commune[i]
            for scope in ("FR", c.region, c.departement, c.epci):
                if scope:
                    self.scoped.setdefault((scope, kind), []).append(i)
        for conn in self.connections:
            if conn["type"] == "ACTIVE_IN":
                i = int(conn["from"].rsplit("-", 1)[1]) - 1
                if self.org_kind[i] == "collectivite":
                    self.authority_of.setdefault(conn["to"], i)

    def pick_org(self, scope: Place | None, kinds: tuple[str, ...]) -> int | None:
        """An organisation of one of ``kinds`` inside ``scope`` (widening to FR if none)."""
        r = self.rng
        scopes = ["FR"]
        if scope is not None and scope.id != "FR":
            scopes = [scope.id, *(s for s in (scope.departement, scope.region) if s), "FR"]
        for sid in scopes:
            pools = [self.scoped.get((sid, k), []) for k in kinds]
            total = sum(len(p) for p in pools)
            if total:
                j = r.randrange(total)
                for pool in pools:
                    if j < len(pool):
                        return pool[j]
                    j -= len(pool)
        return None

    def coverage_sampler(self, level: str) -> _Sampler | None:
        pool = self.by_level[level]
        pops = [self.population[level].get(p.id, 0) for p in pool]
        if not pool or not any(pops):
            return None
        return _Sampler(pool, pops)

    def build_programmes(self) -> None:
        r = self.rng
        count = target_programmes(self.n)
        phases = exact_counts(count, PHASE_SHARES)
        phase_list = [p for p in PHASE_SHARES for _ in range(phases[p])]
        r.shuffle(phase_list)
        levels = exact_counts(count, COVERAGE_SHARES)
        level_list = [lv for lv in COVERAGE_SHARES for _ in range(levels[lv])]
        r.shuffle(level_list)
        samplers = {lv: self.coverage_sampler(lv) for lv in ("region", "departement", "epci")}
        self.index_orgs()
        self.programme_ids: list[tuple[str, str]] = []  # (id, coverage level)
        for j in range(count):
            pid = f"programme:synth-{j + 1:04d}"
            phase, level = phase_list[j], level_list[j]
            sampler = samplers.get(level)
            scope = sampler(r) if sampler is not None else None
            if scope is None:
                level, scope_id, scope_name = "country", "FR", "France"
            else:
                scope_id, scope_name = scope.id, scope.name
            needs = self.draw_needs(phase, r.randint(1, 4))
            need_name = self.by_need_name(needs[0])
            forms = URGENCE_FORMS if phase == "urgence" else RELANCE_FORMS
            name = self.unique_name(f"{r.choice(forms)} — {need_name} — {scope_name}")
            if phase == "urgence":
                start = date(2020, 3, 16) + timedelta(days=r.randrange(120))
                end = start + timedelta(days=r.randrange(60, 300))
            else:
                start = date(2020, 9, 3) + timedelta(days=r.randrange(365))
                end = start + timedelta(days=r.randrange(180, 900))
            self.element(id=pid, type="Programme", name=name, kind=phase,
                         description=f"Programme {phase} ({level}) : {need_name}.",
                         url=f"https://example.org/programmes/{j + 1:04d}",
                         start=start.isoformat(), end=end.isoformat())
            self.programme_ids.append((pid, level))
            self.connect(pid, scope_id, "COVERS")
            for nid in needs:
                self.connect(pid, nid, "ADDRESSES")
            authority = self.authority_of.get(scope_id)
            if authority is not None and r.random() < 0.5:
                carrier = authority
            else:
                carrier = self.pick_org(scope, CARRIER_KINDS)
            if carrier is not None:
                self.connect(self.org_ids[carrier], pid, "CARRIES", role="porteur")
            partners = {carrier}
            for rel, kinds, k in (("FUNDS", FUNDER_KINDS, r.randint(0, 3)),
                                  ("OPERATES", OPERATOR_KINDS, r.randint(0, 2))):
                for _ in range(k):
                    i = self.pick_org(scope, kinds)
                    if i is not None and i not in partners:
                        partners.add(i)
                        self.connect(self.org_ids[i], pid, rel)
        self.build_relaying()

    def by_need_name(self, nid: str) -> str:
        for cat, ids in self.need_ids.items():
            if nid in ids:
                return NEEDS[cat][ids.index(nid)]
        return nid

    def build_relaying(self) -> None:
        r = self.rng
        weights = [{"country": 6, "region": 3, "departement": 1, "epci": 1}[lv]
                   for _, lv in self.programme_ids]
        sampler = _Sampler([pid for pid, _ in self.programme_ids], weights)
        for i, role in enumerate(self.org_roles):
            if role != "relay":
                continue
            chosen: list[str] = []
            for _ in range(r.randint(5, 20) * 3):
                pid = sampler(r)
                if pid not in chosen:
                    chosen.append(pid)
                if len(chosen) >= 20:
                    break
            for pid in chosen[: r.randint(5, 20)]:
                self.connect(self.org_ids[i], pid, "RELAYS")

    # -- dialogue spaces (only when the partnership model asks for them) --
    def build_spaces(self) -> None:
        """``spaces_per_departement`` dialogue spaces in each département, each gathering
        ``space_members`` of its organisations (``PARTICIPATES_IN``)."""
        self.org_spaces: dict[int, set[str]] = {}
        per_dep = self.model.spaces_per_departement
        if not per_dep:
            return  # no random number drawn: the default files stay as they were
        r = self.rng
        by_dep: dict[str, list[int]] = {}
        for i, c in enumerate(self.org_commune):
            if c.departement:
                by_dep.setdefault(c.departement, []).append(i)
        low, high = self.model.space_members
        for dep_id in sorted(by_dep):
            dep = self.by_id.get(dep_id)
            code = dep_id.split(":", 1)[-1].lower()
            for k in range(per_dep):
                sid = f"space:synth-{code}-{k + 1}"
                name = self.unique_name(f"Espace de dialogue {r.choice(THEMES)} — "
                                        f"{dep.name if dep else code}")
                self.element(id=sid, type="DialogueSpace", name=name)
                pool = by_dep[dep_id]
                for i in sorted(r.sample(pool, min(len(pool), r.randint(low, high)))):
                    self.connect(self.org_ids[i], sid, "PARTICIPATES_IN")
                    self.org_spaces.setdefault(i, set()).add(sid)

    # -- partnerships and membership --
    def org_programmes(self) -> dict[int, set[str]]:
        """The programmes each organisation carries, funds, operates or relays."""
        found: dict[int, set[str]] = {}
        for conn in self.connections:
            if conn["type"] in ("CARRIES", "FUNDS", "OPERATES", "RELAYS") \
                    and conn["to"].startswith("programme:"):
                i = int(conn["from"].rsplit("-", 1)[1]) - 1
                found.setdefault(i, set()).add(conn["to"])
        return found

    def preference(self, programmes: dict[int, set[str]]
                   ) -> Callable[[int, int, float], tuple[float, float]]:
        """The key a candidate is chosen by (highest wins): (affinity × proximity, -km).

        With the model's affinity weights at 0 and no proximity length, it is (1, -km):
        the nearest candidate, as before the model existed.
        """
        m = self.model
        needs, spaces, kinds = self.org_needs, getattr(self, "org_spaces", {}), self.org_kind
        empty: set[str] = set()

        def key(i: int, c: int, km: float) -> tuple[float, float]:
            value = 1.0
            if m.shared_need:
                value += m.shared_need * len(needs.get(i, empty) & needs.get(c, empty))
            if m.shared_programme:
                value += m.shared_programme * len(programmes.get(i, empty)
                                                  & programmes.get(c, empty))
            if m.same_space and spaces.get(i, empty) & spaces.get(c, empty):
                value += m.same_space
            if m.cross_world:
                wi = WORLD_BY_KIND.get(kinds[i], "intermediaire")
                wc = WORLD_BY_KIND.get(kinds[c], "intermediaire")
                if wi != wc:
                    value += m.cross_world / (2 if "intermediaire" in (wi, wc) else 1)
            if m.distance_km:
                value *= math.exp(-km / m.distance_km)
            return value, -km

        return key

    def introducer(self, mine: list[int]) -> int:
        """Who introduces the next partner: a relay or catalyst among the partners the
        organisation has, else one of them."""
        hubs = [p for p in mine if self.org_roles[p]]
        return hubs[0] if hubs else mine[self.rng.randrange(len(mine))]

    def build_partnerships(self) -> None:
        r = self.rng
        m = self.model
        # Preferential attachment lists: each organisation once, plus once per partnership.
        lists: dict[str, list[int]] = {}
        pairs: set[tuple[int, int]] = set()
        scope_weights = [w for _, w in m.scopes]
        scope_levels = [lv for lv, _ in m.scopes]
        draw_values = [v for v, _ in m.draws]
        draw_weights = [w for _, w in m.draws]
        head_start = dict(m.hub_head_start)
        key = self.preference(self.org_programmes() if m.shared_programme else {})
        # who knows whom, for introductions (kept only when they can happen)
        known: list[list[int]] = [[] for _ in range(self.n)] if m.introduction else []
        step = max(1, self.n // 100)
        for i in range(self.n):
            c = self.org_commune[i]
            keys = {"country": "FR", "region": c.region, "departement": c.departement,
                    "epci": c.epci}
            k = r.choices(draw_values, weights=draw_weights)[0]
            mine: list[int] = []
            for _ in range(k):
                level = r.choices(scope_levels, weights=scope_weights)[0]
                pool = lists.get(keys[level] or "FR") or lists.get("FR")
                if not pool:
                    break
                if m.introduction and mine and r.random() < m.introduction:
                    # introduced: sought among the partners of a partner it already has
                    introduced = [p for p in known[self.introducer(mine)] if p != i]
                    pool = introduced or pool
                best, best_key = None, None
                for _ in range(m.candidates):
                    cand = pool[r.randrange(len(pool))]
                    if cand == i:
                        continue
                    ck = key(i, cand, _distance_km(self.org_xy[i], self.org_xy[cand]))
                    if best_key is None or ck > best_key:
                        best, best_key = cand, ck
                if best is None:
                    continue
                pair = (min(i, best), max(i, best))
                if pair in pairs:
                    continue
                pairs.add(pair)
                mine.append(best)
                if known:
                    known[i].append(best)
                    known[best].append(i)
                self.connect(self.org_ids[pair[0]], self.org_ids[pair[1]], "PARTNERS_WITH")
                for node in pair:
                    self.attach(lists, node, 1)
            self.attach(lists, i, 1 + head_start.get(self.org_roles[i], 0))
            if (i + 1) % step == 0:
                self.progress("partnerships", i + 1, self.n)

    def attach(self, lists: dict[str, list[int]], node: int, times: int) -> None:
        c = self.org_commune[node]
        for scope in ("FR", c.region, c.departement, c.epci):
            if scope:
                lists.setdefault(scope, []).extend([node] * times)

    def build_membership(self) -> None:
        r = self.rng
        networks_by_region: dict[str, list[int]] = {}
        national: list[int] = []
        for i, kind in enumerate(self.org_kind):
            if kind == "tete_de_reseau":
                national.extend([i] * (1 + HUB_HEAD_START.get(self.org_roles[i], 0)))
                region = self.org_commune[i].region
                if region:
                    networks_by_region.setdefault(region, []).append(i)
        if not national:
            return
        for i, kind in enumerate(self.org_kind):
            if kind != "association" or r.random() >= MEMBER_SHARE:
                continue
            regional = networks_by_region.get(self.org_commune[i].region or "")
            pool = regional if regional and r.random() < 0.6 else national
            self.connect(self.org_ids[i], self.org_ids[pool[r.randrange(len(pool))]],
                         "MEMBER_OF")


def generate(
    places: Iterable[Place],
    organisations: int,
    seed: int = 0,
    on_progress: Callable[[str, int, int], None] | None = None,
    model: PartnershipModel = DEFAULT_MODEL,
) -> Ecosystem:
    """Generate a synthetic ecosystem of ``organisations`` organisations.

    Parameters
    ----------
    places
        Territories (:func:`load_places` or :func:`places_from_records`); organisations go in
        their communes, programmes cover their régions, départements and EPCIs.
    organisations
        Number of organisations (N). Programmes: ``max(20, N/100)``; needs: 40.
    seed
        Seed of the one random generator: same seed and places, same ecosystem.
    on_progress
        Called as ``on_progress(stage, done, total)`` during the long stages.
    model
        How partnerships form (:mod:`loaders.partnership_model`); the default gives the
        same files as before it existed.

    Returns
    -------
    Ecosystem
        Element and connection rows, in writing order.
    """
    b = _Builder(list(places), organisations, seed, on_progress, model)
    b.build_organisations()
    b.build_needs()
    b.build_programmes()
    b.build_expressions()
    b.build_spaces()
    b.build_partnerships()
    b.build_membership()
    # Organisations first among elements: the importer meets nodes before their links.
    needs_and_programmes = b.elements
    b.elements = []
    b.emit_organisations()
    b.elements.extend(needs_and_programmes)
    return Ecosystem(organisations, seed, b.elements, b.connections)


def write_ecosystem(eco: Ecosystem, directory: str | Path) -> tuple[Path, Path]:
    """Write ``elements.csv`` and ``connections.csv`` into ``directory`` (created if needed).

    UTF-8 without BOM, ``\\n`` line ends, a header row, rows in generation order: the bytes
    depend on the ecosystem only.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = (out / ELEMENTS_FILE, out / CONNECTIONS_FILE)
    for path, columns, rows in ((paths[0], ELEMENT_COLUMNS, eco.elements),
                                (paths[1], CONNECTION_COLUMNS, eco.connections)):
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return paths
