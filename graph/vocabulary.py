"""The fixed vocabulary of the graph, kept as data.

Every label, organisation kind, role and relationship type that Alliance Graph knows is
declared here once, with its French aliases. The schema (constraints, indexes), the
loaders (header and value resolution, endpoint checks) and the queries all read from
these tables, so a label can never be spelled two ways, and a relationship can only join
the labels listed for it. Nothing here is built from user input: user text is mapped
*onto* these names through :func:`resolve_label`, :func:`resolve_relationship` and
friends, which return ``None`` for anything unknown.
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
class LabelSpec:
    """A node label: its name in the graph, French aliases, and what ``kind`` means."""

    name: str
    aliases: tuple[str, ...] = ()
    #: property that the interchange column ``kind`` fills for this label, if any
    kind_property: str | None = None
    #: allowed values of that property (empty: free text)
    kinds: tuple[str, ...] = ()
    #: labels that a node of this label also carries (``Commune`` is a ``Territory``)
    parents: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class RelSpec:
    """A relationship type and the labels it may join (from → to)."""

    name: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    #: a symmetric relationship is stored once, whichever way round it is written
    symmetric: bool = False
    description: str = ""


ORGANISATION_KINDS: tuple[str, ...] = (
    "association",
    "entreprise",
    "collectivite",
    "etat",
    "fondation",
    "investisseur",
    "tete_de_reseau",
    "recherche",
    "autre",
)

PROGRAMME_PHASES: tuple[str, ...] = ("urgence", "relance")

#: aliases of organisation kinds (normalised tokens → kind)
KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "association": ("asso", "associations", "association_loi_1901", "ess"),
    "entreprise": ("company", "business", "entreprises", "pme", "tpe", "societe"),
    "collectivite": (
        "collectivite_territoriale",
        "collectivites",
        "local_authority",
        "commune",
        "mairie",
        "departement",
        "region",
        "epci",
    ),
    "etat": ("state", "government", "administration", "ministere", "service_de_l_etat"),
    "fondation": ("foundation", "fondations", "fonds_de_dotation"),
    "investisseur": ("investor", "financeur", "funder", "investisseur_societal"),
    "tete_de_reseau": (
        "network",
        "network_head",
        "federation",
        "reseau",
        "tete_de_reseau_associative",
    ),
    "recherche": ("research", "laboratoire", "universite", "lab", "academique"),
    "autre": ("other", "divers"),
}

PHASE_ALIASES: dict[str, tuple[str, ...]] = {
    "urgence": ("emergency", "urgent", "plan_d_urgence"),
    "relance": ("recovery", "plan_de_relance", "relaunch"),
}

#: roles an organisation can hold, each an extra label
ROLES: dict[str, str] = {"relay": "Relay", "catalyst": "Catalyst"}
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "relay": ("relais", "tete_de_pont", "tetes_de_pont", "relai", "relays"),
    "catalyst": (
        "catalyseur",
        "catalyseur_territorial",
        "catalyseurs",
        "catalyseurs_territoriaux",
        "catalysts",
    ),
}

TERRITORY_LEVELS: tuple[str, ...] = ("Country", "Region", "Departement", "Epci", "Commune")

LABELS: tuple[LabelSpec, ...] = (
    LabelSpec(
        "Organisation",
        ("organisation", "organization", "org", "acteur", "structure", "organisme"),
        kind_property="kind",
        kinds=ORGANISATION_KINDS,
        description="An association, company, local authority, state service, foundation…",
    ),
    LabelSpec("Relay", ("relay", "relais", "tete_de_pont"), parents=("Organisation",),
              description="Role label: a reference relay (tête de pont)."),
    LabelSpec("Catalyst", ("catalyst", "catalyseur", "catalyseur_territorial"),
              parents=("Organisation",),
              description="Role label: a territorial catalyst."),
    LabelSpec(
        "Programme",
        (
            "programme",
            "program",
            "dispositif",
            "plan",
            "programme_d_urgence",
            "programme_de_relance",
            "plan_d_urgence",
            "plan_de_relance",
            "emergency_programme",
            "recovery_programme",
        ),
        kind_property="phase",
        kinds=PROGRAMME_PHASES,
        description="An emergency (urgence) or recovery (relance) programme.",
    ),
    LabelSpec("Need", ("need", "besoin", "besoins", "needs"), kind_property="category",
              description="A need (besoin) of general-interest actors."),
    LabelSpec(
        "DialogueSpace",
        ("dialogue_space", "dialoguespace", "espace_de_dialogue", "espace", "espace_de_travail"),
        description="A dialogue space where organisations discuss the inventory.",
    ),
    LabelSpec("Deliverable", ("deliverable", "livrable", "publication", "rapport", "report"),
              description="Something a dialogue space or the démarche produced."),
    LabelSpec("Study", ("study", "etude", "enquete", "survey", "barometre"),
              description="A study that identifies needs."),
    LabelSpec("Event", ("event", "evenement", "session", "rencontre", "reunion", "seminaire"),
              description="A session, meeting or seminar."),
    LabelSpec("Person", ("person", "personne", "people"),
              description="Someone public documents name in a public role."),
    LabelSpec("Territory", ("territory", "territoire"),
              description="Any territory: country, région, département, EPCI, commune."),
    LabelSpec("Country", ("country", "pays", "national"), parents=("Territory",)),
    LabelSpec("Region", ("region",), parents=("Territory",)),
    LabelSpec("Departement", ("departement", "department"), parents=("Territory",)),
    LabelSpec("Epci", ("epci", "intercommunalite", "interco"), parents=("Territory",)),
    LabelSpec("Commune", ("commune", "municipality", "ville", "town"), parents=("Territory",)),
)

LABELS_BY_NAME: dict[str, LabelSpec] = {spec.name: spec for spec in LABELS}

#: how the pages and picture legends name each label, in French (every label has one)
FRENCH_NAMES: dict[str, str] = {
    "Organisation": "Organisation",
    "Programme": "Programme",
    "Need": "Besoin",
    "DialogueSpace": "Espace de dialogue",
    "Deliverable": "Livrable",
    "Study": "Étude",
    "Event": "Événement",
    "Person": "Personne",
    "Territory": "Territoire",
    "Country": "Pays",
    "Region": "Région",
    "Departement": "Département",
    "Epci": "Intercommunalité (EPCI)",
    "Commune": "Commune",
    "Relay": "Tête de pont",
    "Catalyst": "Catalyseur territorial",
}

#: the labels whose nodes a user can create through the interchange format
ELEMENT_TYPES: tuple[str, ...] = (
    "Organisation",
    "Programme",
    "Need",
    "DialogueSpace",
    "Deliverable",
    "Study",
    "Event",
    "Person",
)

#: labels that get a uniqueness constraint on ``id`` (every concrete label)
KEYED_LABELS: tuple[str, ...] = (
    "Organisation",
    "Programme",
    "Need",
    "DialogueSpace",
    "Deliverable",
    "Study",
    "Event",
    "Person",
    "Territory",
    "Relay",
    "Catalyst",
    "Country",
    "Region",
    "Departement",
    "Epci",
    "Commune",
)

#: labels whose ``name`` goes into the full-text index
NAMED_LABELS: tuple[str, ...] = (
    "Organisation",
    "Programme",
    "Need",
    "DialogueSpace",
    "Deliverable",
    "Study",
    "Event",
    "Person",
    "Territory",
)

_ORG = ("Organisation",)
_TERR = ("Territory",)

RELATIONSHIPS: tuple[RelSpec, ...] = (
    RelSpec("CARRIES", _ORG, ("Programme",), ("porte", "porteur", "carries", "carry", "pilote"),
            description="The organisation carries (porte) the programme."),
    RelSpec("FUNDS", _ORG, ("Programme",), ("finance", "financeur", "funds", "fund", "funder")),
    RelSpec("OPERATES", _ORG, ("Programme",),
            ("opere", "operateur", "operates", "operate", "met_en_oeuvre", "gere")),
    RelSpec("RELAYS", _ORG, ("Programme", "Deliverable"),
            ("relaie", "relais", "relays", "relay", "diffuse")),
    RelSpec("ADDRESSES", ("Programme",), ("Need",),
            ("repond_a", "repond", "addresses", "address", "traite")),
    RelSpec("EXPRESSES", _ORG, ("Need",), ("exprime", "expresses", "express", "a_besoin")),
    RelSpec("IDENTIFIES", ("Study",), ("Need",), ("identifie", "identifies", "identify")),
    RelSpec("PARTICIPATES_IN", _ORG, ("DialogueSpace",),
            ("participe_a", "participe", "participates_in", "participant", "membre_de_l_espace")),
    # A person co-pilots in a public role (the Députée co-piloting the rapport ministériel).
    RelSpec("COPILOTS", ("Organisation", "Person"),
            ("DialogueSpace", "Programme", "Deliverable", "Study", "Event"),
            ("copilote", "co_pilote", "copilots", "copilot", "co_pilot")),
    RelSpec("PRODUCED", ("DialogueSpace", "Organisation", "Study"), ("Deliverable", "Study"),
            ("a_produit", "produit", "produced", "produce", "publie")),
    RelSpec("MEMBER_OF", _ORG, _ORG, ("membre_de", "member_of", "adherent", "adhere_a")),
    RelSpec("PARTNERS_WITH", _ORG, _ORG,
            ("partenaire", "partenaire_de", "partners_with", "partner", "partenariat"),
            symmetric=True),
    RelSpec("LEADS", ("Person",), _ORG, ("dirige", "leads", "lead", "preside", "president_de")),
    RelSpec("SPOKE_AT", ("Organisation", "Person"), ("Event",),
            ("intervient_a", "intervenant", "spoke_at", "speaker")),
    RelSpec("HELD", ("DialogueSpace", "Organisation"), ("Event",),
            ("a_tenu", "organise", "held", "hold")),
    RelSpec("LOCATED_IN", _ORG, ("Commune",),
            ("situe_a", "siege", "located_in", "located", "localise_a")),
    RelSpec("ACTIVE_IN", _ORG, _TERR, ("actif_dans", "active_in", "intervient_sur", "agit_sur")),
    RelSpec("COVERS", ("Programme",), _TERR, ("couvre", "covers", "cover", "perimetre")),
    RelSpec("PART_OF", _TERR, _TERR, ("fait_partie_de", "part_of", "appartient_a")),
)

RELATIONSHIPS_BY_NAME: dict[str, RelSpec] = {spec.name: spec for spec in RELATIONSHIPS}


@dataclass
class _Index:
    labels: dict[str, str] = field(default_factory=dict)
    relationships: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    phases: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)


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
        _add(index.labels, spec.name, spec.name)
        for alias in spec.aliases:
            _add(index.labels, alias, spec.name)
        for parent in spec.parents:
            if parent not in LABELS_BY_NAME:
                raise ValueError(f"label {spec.name} has unknown parent {parent}")
    for rel in RELATIONSHIPS:
        _add(index.relationships, rel.name, rel.name)
        for alias in rel.aliases:
            _add(index.relationships, alias, rel.name)
        for label in (*rel.sources, *rel.targets):
            if label not in LABELS_BY_NAME:
                raise ValueError(f"relationship {rel.name} names unknown label {label}")
    for kind in ORGANISATION_KINDS:
        _add(index.kinds, kind, kind)
        for alias in KIND_ALIASES.get(kind, ()):
            _add(index.kinds, alias, kind)
    for phase in PROGRAMME_PHASES:
        _add(index.phases, phase, phase)
        for alias in PHASE_ALIASES.get(phase, ()):
            _add(index.phases, alias, phase)
    for role in ROLES:
        _add(index.roles, role, role)
        for alias in ROLE_ALIASES.get(role, ()):
            _add(index.roles, alias, role)
    for label in KEYED_LABELS + NAMED_LABELS + ELEMENT_TYPES:
        if label not in LABELS_BY_NAME:
            raise ValueError(f"unknown label {label} in a label list")
    if set(FRENCH_NAMES) != set(LABELS_BY_NAME):
        raise ValueError("FRENCH_NAMES must name every label, and only labels: "
                         f"{sorted(set(FRENCH_NAMES) ^ set(LABELS_BY_NAME))}")
    return index


_INDEX = _build_index()


def resolve_label(text: str) -> str | None:
    """Map a user-written type (``"Besoin"``, ``"Programme de relance"``) to a label."""
    return _INDEX.labels.get(normalise_token(text))


def resolve_relationship(text: str) -> str | None:
    """Map a user-written connection type (``"finance"``, ``"FUNDS"``) to a type."""
    return _INDEX.relationships.get(normalise_token(text))


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
