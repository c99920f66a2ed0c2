"""The fixed vocabulary of the graph, kept as data.

Every label, organisation kind, role and relationship type that Alliance Graph knows is
declared here once, with its French aliases. The schema (constraints, indexes), the
loaders (header and value resolution, endpoint checks) and the queries all read from
these tables, so a label can never be spelled two ways, and a relationship can only join
the labels listed for it. Nothing here is built from user input: user text is mapped
*onto* these names through :func:`resolve_label`, :func:`resolve_relationship` and
friends, which return ``None`` for anything unknown. They accept the code, every alias and
the French name the pages show (``Besoin``, ``Espace de dialogue``, ``Collectivité``,
``porte``, ``répond au besoin``), case, accents and punctuation ignored; a French name
shared by two meanings is refused when this module loads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


def normalise_token(text: str) -> str:
    """Fold a user-written word for lookup: no accents, lower case, ``_`` for separators.

    ``"Programme de relance"`` → ``"programme_de_relance"``; ``"Tête de pont"`` →
    ``"tete_de_pont"``.
    """
    if text.isascii():  # NFKD leaves ASCII as it is, and it has no combining marks
        return _SEPARATORS.sub("_", text.lower()).strip("_")
    # the common accents go in one regex pass; anything else non-ASCII, char by char
    stripped = _ACCENTS.sub("", unicodedata.normalize("NFKD", text))
    if not stripped.isascii():
        stripped = "".join(c for c in stripped if not unicodedata.combining(c))
    return _SEPARATORS.sub("_", stripped.casefold()).strip("_")


_SEPARATORS = re.compile(r"[^a-z0-9]+")
#: the combining marks of the Combining Diacritical Marks block (what French accents become)
_ACCENTS = re.compile("[" + "".join(chr(c) for c in range(0x300, 0x370)
                                    if unicodedata.combining(chr(c))) + "]")


@dataclass(frozen=True)
class KindSpec:
    """A value of a kind-like property (an organisation kind, a programme phase, a role, a
    territory level): the stored token, its French name, and what users write for it."""

    value: str
    french: str
    aliases: tuple[str, ...] = ()
    #: its colour in the pictures and legends (organisation kinds, phases)
    colour: str = ""


@dataclass(frozen=True)
class LabelSpec:
    """A node label and every fact about it: the one place to change when adding a label."""

    name: str
    #: French name, singular and plural (pages, picture legends, import reports)
    french: str
    french_plural: str
    aliases: tuple[str, ...] = ()
    #: property that the interchange column ``kind`` fills for this label, if any
    kind_property: str | None = None
    #: allowed values of that property (empty: free text)
    kinds: tuple[str, ...] = ()
    #: labels that a node of this label also carries (``Commune`` is a ``Territory``)
    parents: tuple[str, ...] = ()
    #: a user creates nodes of this label through the interchange format; its ids then
    #: start with ``id_prefix:`` (``org:le-rameau``)
    id_prefix: str | None = None
    #: gets a uniqueness constraint on ``id``
    keyed: bool = True
    #: its ``name`` goes into the full-text index
    named: bool = False
    #: for a territory level label, the level token (``commune``), top down in LABELS
    level: str | None = None
    #: how the pictures draw it: fill colour and vis-network shape
    colour: str = "#7F7F7F"
    shape: str = "dot"
    description: str = ""

    @property
    def element(self) -> bool:
        """Whether users create nodes of this label in imported files."""
        return self.id_prefix is not None


@dataclass(frozen=True)
class RelSpec:
    """A relationship type: the labels it may join (from → to) and how French reads it."""

    name: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    #: read from the start node and from the end node ("porte", "porté par")
    french_out: str = ""
    french_in: str = ""
    #: a symmetric relationship is stored once, whichever way round it is written
    symmetric: bool = False
    description: str = ""


ORGANISATION_KIND_SPECS: tuple[KindSpec, ...] = (
    KindSpec("association", "Association",
             ("asso", "associations", "association_loi_1901", "ess"), colour="#0072B2"),
    KindSpec("entreprise", "Entreprise",
             ("company", "business", "entreprises", "pme", "tpe", "societe"), colour="#E69F00"),
    KindSpec("collectivite", "Collectivité",
             ("collectivite_territoriale", "collectivites", "local_authority", "commune",
              "mairie", "departement", "region", "epci"), colour="#009E73"),
    KindSpec("etat", "État",
             ("state", "government", "administration", "ministere", "service_de_l_etat"),
             colour="#56B4E9"),
    KindSpec("fondation", "Fondation", ("foundation", "fondations", "fonds_de_dotation"),
             colour="#CC79A7"),
    KindSpec("investisseur", "Investisseur",
             ("investor", "financeur", "funder", "investisseur_societal"), colour="#D55E00"),
    KindSpec("tete_de_reseau", "Tête de réseau",
             ("network", "network_head", "federation", "reseau",
              "tete_de_reseau_associative"), colour="#7E57C2"),
    KindSpec("recherche", "Recherche",
             ("research", "laboratoire", "universite", "lab", "academique"), colour="#8C6D31"),
    KindSpec("autre", "Autre", ("other", "divers"), colour="#7F7F7F"),
)

PHASE_SPECS: tuple[KindSpec, ...] = (
    KindSpec("urgence", "Urgence", ("emergency", "urgent", "plan_d_urgence"), colour="#C62828"),
    KindSpec("relance", "Relance", ("recovery", "plan_de_relance", "relaunch"), colour="#2E7D32"),
    # neither urgence nor relance: a lasting funding programme (Fonds i, Fonds ODD 17)
    KindSpec("structurel", "Structurel",
             ("structural", "fonds", "financement_structurel", "programme_structurel",
              "structurelle"), colour="#1565C0"),
)

#: roles an organisation can hold, each an extra label (``ROLES``)
ROLE_SPECS: tuple[KindSpec, ...] = (
    KindSpec("relay", "Tête de pont", ("relais", "tete_de_pont", "tetes_de_pont", "relai",
                                       "relays")),
    KindSpec("catalyst", "Catalyseur",
             ("catalyseur", "catalyseur_territorial", "catalyseurs",
              "catalyseurs_territoriaux", "catalysts")),
)

ORGANISATION_KINDS: tuple[str, ...] = tuple(k.value for k in ORGANISATION_KIND_SPECS)

#: the world each organisation kind belongs to, for the alliance suggestions
#: (queries/suggestion_score.py): the documents' alliances join associations and
#: foundations (associatif), companies and investors (économique) and local authorities
#: and State services (public); networks, research bodies and the others stand between
#: them (intermédiaire). A pair across worlds is what an alliance is made of.
WORLD_BY_KIND: dict[str, str] = {
    "association": "associatif", "fondation": "associatif",
    "entreprise": "economique", "investisseur": "economique",
    "collectivite": "public", "etat": "public",
    "tete_de_reseau": "intermediaire", "recherche": "intermediaire", "autre": "intermediaire",
}
#: the worlds in French, as the explanations write them
WORLD_FR: dict[str, str] = {"associatif": "associatif", "economique": "économique",
                            "public": "public", "intermediaire": "intermédiaire"}
PROGRAMME_PHASES: tuple[str, ...] = tuple(k.value for k in PHASE_SPECS)
#: aliases of organisation kinds (normalised tokens → kind)
KIND_ALIASES: dict[str, tuple[str, ...]] = {k.value: k.aliases for k in ORGANISATION_KIND_SPECS}
PHASE_ALIASES: dict[str, tuple[str, ...]] = {k.value: k.aliases for k in PHASE_SPECS}
ROLE_ALIASES: dict[str, tuple[str, ...]] = {k.value: k.aliases for k in ROLE_SPECS}

_T = ("Territory",)

LABELS: tuple[LabelSpec, ...] = (
    LabelSpec(
        "Organisation", "Organisation", "Organisations",
        ("organisation", "organization", "org", "acteur", "structure", "organisme"),
        kind_property="kind", kinds=ORGANISATION_KINDS, id_prefix="org", named=True,
        description="An association, company, local authority, state service, foundation…",
              colour="#5C6BC0", shape="dot",
    ),
    LabelSpec("Relay", "Tête de pont", "Têtes de pont", ("relay", "relais", "tete_de_pont"),
              parents=("Organisation",),
              description="Role label: a reference relay (tête de pont)."),
    LabelSpec("Catalyst", "Catalyseur territorial", "Catalyseurs territoriaux",
              ("catalyst", "catalyseur", "catalyseur_territorial"), parents=("Organisation",),
              description="Role label: a territorial catalyst."),
    LabelSpec(
        "Programme", "Programme", "Programmes",
        ("programme", "program", "dispositif", "plan", "programme_d_urgence",
         "programme_de_relance", "plan_d_urgence", "plan_de_relance", "emergency_programme",
         "recovery_programme"),
        kind_property="phase", kinds=PROGRAMME_PHASES, id_prefix="programme", named=True,
        description="An emergency (urgence) or recovery (relance) programme.",
              colour="#43A047", shape="diamond",
    ),
    LabelSpec("Need", "Besoin", "Besoins", ("need", "besoin", "besoins", "needs"),
              kind_property="category", id_prefix="need", named=True,
              description="A need (besoin) of general-interest actors.",
              colour="#F9A825", shape="triangle"),
    LabelSpec(
        "DialogueSpace", "Espace de dialogue", "Espaces de dialogue",
        ("dialogue_space", "dialoguespace", "espace_de_dialogue", "espace", "espace_de_travail"),
        id_prefix="space", named=True,
        description="A dialogue space where organisations discuss the inventory.",
              colour="#00838F", shape="square",
    ),
    LabelSpec("Deliverable", "Livrable", "Livrables",
              ("deliverable", "livrable", "publication", "rapport", "report"),
              id_prefix="deliverable", named=True,
              description="Something a dialogue space or the démarche produced.",
              colour="#6D4C41", shape="triangleDown"),
    LabelSpec("Study", "Étude", "Études", ("study", "etude", "enquete", "survey", "barometre"),
              id_prefix="study", named=True, description="A study that identifies needs.",
              colour="#8E24AA", shape="star"),
    LabelSpec("Event", "Événement", "Événements",
              ("event", "evenement", "session", "rencontre", "reunion", "seminaire"),
              id_prefix="event", named=True, description="A session, meeting or seminar.",
              colour="#EC407A", shape="star"),
    LabelSpec("Person", "Personne", "Personnes", ("person", "personne", "people"),
              id_prefix="person", named=True,
              description="Someone public documents name in a public role.",
              colour="#546E7A", shape="dot"),
    LabelSpec("Territory", "Territoire", "Territoires", ("territory", "territoire"), named=True,
              description="Any territory: country, région, département, EPCI, commune.",
              colour="#9E9E9E", shape="hexagon"),
    # The territory levels, top down: their order is the PART_OF order.
    LabelSpec("Country", "Pays", "Pays", ("country", "pays", "national"), parents=_T,
              level="country", colour="#9E9E9E", shape="hexagon"),
    LabelSpec("Region", "Région", "Régions", ("region",), parents=_T, level="region",
              colour="#9E9E9E", shape="hexagon"),
    LabelSpec("Departement", "Département", "Départements", ("departement", "department"),
              parents=_T, level="departement", colour="#A1887F", shape="hexagon"),
    LabelSpec("Epci", "Intercommunalité (EPCI)", "Intercommunalités (EPCI)",
              ("epci", "intercommunalite", "interco"), parents=_T, level="epci",
              colour="#BCAAA4", shape="hexagon"),
    LabelSpec("Commune", "Commune", "Communes", ("commune", "municipality", "ville", "town"),
              parents=_T, level="commune", colour="#BDBDBD", shape="hexagon"),
)

LABELS_BY_NAME: dict[str, LabelSpec] = {spec.name: spec for spec in LABELS}

#: how the pages and picture legends name each label, in French (every label has one)
FRENCH_NAMES: dict[str, str] = {spec.name: spec.french for spec in LABELS}
FRENCH_PLURALS: dict[str, str] = {spec.name: spec.french_plural for spec in LABELS}
#: the labels whose nodes a user can create through the interchange format
ELEMENT_TYPES: tuple[str, ...] = tuple(spec.name for spec in LABELS if spec.element)
#: id prefix of each element label (``org:le-rameau``)
ID_PREFIXES: dict[str, str] = {spec.name: spec.id_prefix for spec in LABELS
                               if spec.id_prefix is not None}
#: labels that get a uniqueness constraint on ``id`` (every concrete label)
KEYED_LABELS: tuple[str, ...] = tuple(spec.name for spec in LABELS if spec.keyed)
#: labels whose ``name`` goes into the full-text index
NAMED_LABELS: tuple[str, ...] = tuple(spec.name for spec in LABELS if spec.named)
#: territory level labels, top down
TERRITORY_LEVELS: tuple[str, ...] = tuple(spec.name for spec in LABELS if spec.level)
#: territory level token → its label (``commune`` → ``Commune``), top down
LEVEL_LABELS: dict[str, str] = {spec.level: spec.name for spec in LABELS if spec.level}
#: territory level tokens, top down (``country`` … ``commune``)
LEVELS: tuple[str, ...] = tuple(LEVEL_LABELS)
#: roles an organisation can hold → the extra label
ROLES: dict[str, str] = {"relay": "Relay", "catalyst": "Catalyst"}
#: picture colours of organisation kinds and programme phases
KIND_COLOURS: dict[str, str] = {k.value: k.colour for k in ORGANISATION_KIND_SPECS}
PHASE_COLOURS: dict[str, str] = {k.value: k.colour for k in PHASE_SPECS}

#: French names of the tokens stored in kind-like properties: organisation kinds,
#: programme phases, roles and territory levels
KIND_FR: dict[str, str] = {
    **{k.value: k.french for k in (*ORGANISATION_KIND_SPECS, *PHASE_SPECS, *ROLE_SPECS)},
    "country": "Pays", "region": "Région", "departement": "Département",
    "epci": "Intercommunalité", "commune": "Commune", "unknown": "non indiquée",
}

#: French names of node properties, as the pages show them
PROPERTY_FR: dict[str, str] = {
    "id": "Identifiant", "name": "Nom", "kind": "Type", "phase": "Phase",
    "category": "Catégorie", "description": "Description", "url": "Site web",
    "tags": "Mots-clés", "start": "Début", "end": "Fin", "count": "Effectif déclaré",
    "siren": "SIREN", "rna": "RNA", "source": "Source", "code": "Code INSEE",
    "level": "Niveau", "population": "Population",
    "location": "Position (latitude, longitude)", "location_from": "Position tirée de",
    "role": "Rôle", "volet": "Volet", "aliases": "Autres noms",
}

#: what a territory's ``code`` is, by level: an EPCI's is its SIREN, not an INSEE code
CODE_FR: dict[str, str] = {
    "country": "Code du pays", "region": "Code INSEE de la région",
    "departement": "Code du département", "epci": "SIREN", "commune": "Code INSEE",
}

_ORG = ("Organisation",)
_TERR = ("Territory",)

RELATIONSHIPS: tuple[RelSpec, ...] = (
    RelSpec("CARRIES", _ORG, ("Programme",), ("porte", "porteur", "carries", "carry", "pilote"),
            "porte", "porté par", description="The organisation carries (porte) the programme."),
    RelSpec("FUNDS", _ORG, ("Programme",), ("finance", "financeur", "funds", "fund", "funder"),
            "finance", "financé par"),
    RelSpec("OPERATES", _ORG, ("Programme",),
            ("opere", "operateur", "operates", "operate", "met_en_oeuvre", "gere"),
            "opère", "opéré par"),
    RelSpec("RELAYS", _ORG, ("Programme", "Deliverable"),
            ("relaie", "relais", "relays", "relay", "diffuse"), "relaie", "relayé par"),
    RelSpec("ADDRESSES", ("Programme",), ("Need",),
            ("repond_a", "repond", "addresses", "address", "traite"),
            "répond au besoin", "besoin traité par"),
    RelSpec("EXPRESSES", _ORG, ("Need",), ("exprime", "expresses", "express", "a_besoin"),
            "exprime le besoin", "besoin exprimé par"),
    RelSpec("IDENTIFIES", ("Study",), ("Need",), ("identifie", "identifies", "identify"),
            "identifie", "identifié par"),
    RelSpec("PARTICIPATES_IN", _ORG, ("DialogueSpace",),
            ("participe_a", "participe", "participates_in", "participant", "membre_de_l_espace"),
            "participe à", "a pour participant"),
    # A person co-pilots in a public role (the Députée co-piloting the rapport ministériel).
    RelSpec("COPILOTS", ("Organisation", "Person"),
            ("DialogueSpace", "Programme", "Deliverable", "Study", "Event"),
            ("copilote", "co_pilote", "copilots", "copilot", "co_pilot"),
            "copilote", "copiloté par"),
    RelSpec("PRODUCED", ("DialogueSpace", "Organisation", "Study"), ("Deliverable", "Study"),
            ("a_produit", "produit", "produced", "produce", "publie"), "a produit", "produit par"),
    RelSpec("MEMBER_OF", _ORG, _ORG,
            ("membre_de", "est_membre_de", "member_of", "adherent", "adhere_a"),
            "membre de", "a pour membre"),
    RelSpec("PARTNERS_WITH", _ORG, _ORG,
            ("partenaire", "partenaire_de", "est_partenaire_de", "partners_with", "partner",
             "partenariat"),
            "partenaire de", "partenaire de", symmetric=True),
    RelSpec("LEADS", ("Person",), _ORG, ("dirige", "leads", "lead", "preside", "president_de"),
            "dirige", "dirigé par"),
    RelSpec("SPOKE_AT", ("Organisation", "Person"), ("Event",),
            ("intervient_a", "intervenant", "spoke_at", "speaker"),
            "intervient à", "a pour intervenant"),
    RelSpec("HELD", ("DialogueSpace", "Organisation"), ("Event",),
            ("a_tenu", "organise", "held", "hold"), "a tenu", "tenu par"),
    RelSpec("LOCATED_IN", _ORG, ("Commune",),
            ("situe_a", "est_situe_a", "siege", "located_in", "located", "localise_a"),
            "situé à", "siège de"),
    RelSpec("ACTIVE_IN", _ORG, _TERR,
            ("actif_dans", "est_actif_dans", "active_dans", "est_active_dans", "active_in",
             "intervient_sur", "agit_sur"),
            "actif dans", "territoire d'action de"),
    RelSpec("COVERS", ("Programme",), _TERR, ("couvre", "covers", "cover", "perimetre"),
            "couvre", "couvert par"),
    RelSpec("PART_OF", _TERR, _TERR, ("fait_partie_de", "part_of", "appartient_a"),
            "fait partie de", "contient"),
)

RELATIONSHIPS_BY_NAME: dict[str, RelSpec] = {spec.name: spec for spec in RELATIONSHIPS}
#: relationship types read from their start node (``out``) and from their end node (``in``)
REL_FR: dict[str, tuple[str, str]] = {r.name: (r.french_out, r.french_in) for r in RELATIONSHIPS}


@dataclass
class _Index:
    labels: dict[str, str] = field(default_factory=dict)
    relationships: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    phases: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    #: French readings from the end node ("porté par") → the relationship they reverse
    reversed: dict[str, str] = field(default_factory=dict)


def _add(table: dict[str, str], key: str, value: str) -> None:
    token = normalise_token(key)
    existing = table.get(token)
    if existing is not None and existing != value:
        raise ValueError(f"vocabulary alias {key!r} maps to both {existing} and {value}")
    table[token] = value


def _build_index() -> _Index:
    """Index every name and alias once; a clash between two meanings is a bug here."""
    index = _Index()
    for spec in LABELS:
        # the code, the aliases, and the French names the pages show (singular, plural)
        for alias in (spec.name, *spec.aliases, spec.french, spec.french_plural):
            _add(index.labels, alias, spec.name)
        for parent in spec.parents:
            if parent not in LABELS_BY_NAME:
                raise ValueError(f"label {spec.name} has unknown parent {parent}")
    for rel in RELATIONSHIPS:
        # the code, the aliases, and the French reading from the start node ("porte")
        for alias in (rel.name, *rel.aliases, rel.french_out):
            _add(index.relationships, alias, rel.name)
        if not rel.symmetric:  # "porté par", "est porté par" read the other way round
            _add(index.reversed, rel.french_in, rel.name)
            if rel.french_in.endswith(" par"):
                _add(index.reversed, "est " + rel.french_in, rel.name)
        for label in (*rel.sources, *rel.targets):
            if label not in LABELS_BY_NAME:
                raise ValueError(f"relationship {rel.name} names unknown label {label}")
    for table, specs in ((index.kinds, ORGANISATION_KIND_SPECS), (index.phases, PHASE_SPECS),
                         (index.roles, ROLE_SPECS)):
        for kind in specs:
            for alias in (kind.value, *kind.aliases, kind.french):
                _add(table, alias, kind.value)
    for token, rel in index.reversed.items():
        if token in index.relationships:
            raise ValueError(f"{rel}'s reverse reading {token!r} is also a relationship name")
    for label in KEYED_LABELS + NAMED_LABELS + ELEMENT_TYPES:
        if label not in LABELS_BY_NAME:
            raise ValueError(f"unknown label {label} in a label list")
    for spec in LABELS:
        if not spec.french or not spec.french_plural:
            raise ValueError(f"label {spec.name} needs its French names")
    for rel in RELATIONSHIPS:
        if not rel.french_out or not rel.french_in:
            raise ValueError(f"relationship {rel.name} needs its French readings")
    if set(WORLD_BY_KIND) != set(ORGANISATION_KINDS) or not set(WORLD_BY_KIND.values()) <= set(
            WORLD_FR):
        raise ValueError("every organisation kind needs a world in WORLD_BY_KIND")
    for level in LEVELS:
        if level not in KIND_FR:
            raise ValueError(f"territory level {level} needs a French name in KIND_FR")
    return index


_INDEX = _build_index()


def resolve_label(text: str) -> str | None:
    """Map a user-written type (``"Besoin"``, ``"Programme de relance"``) to a label."""
    return _INDEX.labels.get(normalise_token(text))


def resolve_relationship(text: str) -> str | None:
    """Map a user-written connection type (``"finance"``, ``"FUNDS"``, ``"est partenaire
    de"``) to a type."""
    return _INDEX.relationships.get(normalise_token(text))


def reversed_relationship(text: str) -> str | None:
    """The type whose reading from its end node is ``text`` (``"porté par"`` → CARRIES):
    such a cell names the relationship the other way round."""
    return _INDEX.reversed.get(normalise_token(text))


def vocabulary_tokens(table: str) -> dict[str, str]:
    """Every accepted spelling, folded, of one table (``labels``, ``relationships``,
    ``kinds``, ``phases``, ``roles``) → what it means: for near-miss suggestions."""
    return dict(getattr(_INDEX, table))


def resolve_kind(text: str) -> str | None:
    """Map a user-written organisation kind (``"Collectivité"``) to a kind."""
    return _INDEX.kinds.get(normalise_token(text))


def resolve_phase(text: str) -> str | None:
    """Map ``"Urgence"``, ``"emergency"``, ``"plan de relance"`` to a programme phase."""
    return _INDEX.phases.get(normalise_token(text))


def resolve_role(text: str) -> str | None:
    """Map ``"catalyseur"``, ``"tête de pont"`` to a role (``catalyst``, ``relay``)."""
    return _INDEX.roles.get(normalise_token(text))


def phase_from_type(text: str) -> str | None:
    """The phase a type cell implies: ``"Programme de relance"`` → ``"relance"``."""
    token = normalise_token(text)
    for phase in PROGRAMME_PHASES:
        if phase in token:
            return phase
    if "emergency" in token:
        return "urgence"
    if "recovery" in token:
        return "relance"
    return None


def labels_for(label: str) -> tuple[str, ...]:
    """All labels a node of ``label`` carries: itself and its parents."""
    spec = LABELS_BY_NAME[label]
    out = [spec.name]
    for parent in spec.parents:
        out.extend(labels_for(parent))
    return tuple(dict.fromkeys(out))


def relationship_allows(rel: str, source_labels: set[str], target_labels: set[str]) -> bool:
    """Whether ``rel`` may join a node carrying ``source_labels`` to one with ``target_labels``."""
    spec = RELATIONSHIPS_BY_NAME[rel]
    ok = bool(set(spec.sources) & source_labels) and bool(set(spec.targets) & target_labels)
    if not ok and spec.symmetric:
        ok = bool(set(spec.sources) & target_labels) and bool(set(spec.targets) & source_labels)
    return ok


def check_label(label: str) -> str:
    """Return ``label`` if it is in the vocabulary, else raise: guards Cypher built with labels."""
    if label not in LABELS_BY_NAME:
        raise ValueError(f"{label!r} is not a label of the vocabulary")
    return label


def check_relationship(rel: str) -> str:
    """Return ``rel`` if it is in the vocabulary, else raise: guards Cypher built with types."""
    if rel not in RELATIONSHIPS_BY_NAME:
        raise ValueError(f"{rel!r} is not a relationship type of the vocabulary")
    return rel
