"""What the alliance suggestions answer (:mod:`queries.suggestions`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from queries.models import AskedTerritory, GraphPath, NodeRef, OrganisationRef, Page


class ScoreParts(BaseModel):
    """A suggestion's score, part by part: ``score = (base + shared + introduction) ×
    proximity × complementarity × popularity`` (weights: queries/suggestion_weights.py)."""

    base: float
    #: Adamic–Adar over the shared needs, programmes, spaces and organisations
    shared: float
    #: someone who knows both can introduce them
    introduction: float
    #: 1 next door, a quarter at the radius; 1 for an actor acting on the territory
    proximity: float
    #: across worlds (associatif, économique, public), with an intermediary, or alike
    complementarity: float
    #: 1 for an organisation linked to no other, more for one linked to many
    popularity: float = 1.0


class Suggestion(BaseModel):
    """A « piste d'alliance »: an organisation the asker has no relationship with yet, and
    why they could work together — a hypothesis, not a fact."""

    organisation: OrganisationRef
    score: float
    parts: ScoreParts
    #: None when either is placed nowhere
    distance_km: float | None = None
    #: it acts on a territory holding the asker (no distance penalty)
    acts_here: bool = False
    #: the asker's world and this one's (associatif, economique, public, intermediaire)
    worlds: list[str]
    #: what both are linked to: needs, programmes, dialogue spaces, organisations
    shared: list[NodeRef] = Field(default_factory=list)
    #: shared organisations that can introduce them (relay, catalyst, within the radius)
    introducers: list[OrganisationRef] = Field(default_factory=list)
    #: the reasons, in French
    explanation: str
    #: one path a shared node proves: asker → shared ← suggested
    paths: list[GraphPath] = Field(default_factory=list)


class SuggestionMark(BaseModel):
    """A steward's verdict on a pair: the pair is no longer suggested."""

    organisation: OrganisationRef
    #: ``en_contact`` (« déjà en contact ») or ``pas_pertinent`` (« pas pertinent »)
    verdict: str
    by: str | None = None
    #: when, ISO 8601 (UTC)
    at: str | None = None
    note: str | None = None


class SuggestionsPage(Page):
    """Alliance suggestions for one organisation, best first."""

    organisation: OrganisationRef
    radius_km: float
    items: list[Suggestion]
    #: the pairs stewards marked, left out of ``items``
    marked: list[SuggestionMark] = Field(default_factory=list)


class CoalitionPair(BaseModel):
    """Two members of a coalition: their pair's score and its reasons."""

    a: str
    b: str
    score: float
    explanation: str


class FundingProgramme(BaseModel):
    """A programme addressing the need that covers the territory (or one containing it)."""

    programme: NodeRef
    covers: NodeRef


class Coalition(BaseModel):
    """A « piste d'alliance » of three: an association, a company or a foundation, a public
    actor, no two of them linked yet; scored by its weakest pair."""

    members: list[OrganisationRef]
    worlds: list[str]
    score: float
    weakest: CoalitionPair
    pairs: list[CoalitionPair]
    #: an intermediary (network, research body, relay, catalyst) linked to two members or more
    convener: OrganisationRef | None = None
    #: the reasons, in French
    explanation: str


class AlliancesPage(Page):
    """Coalitions for a territory and a need (or a programme), best first."""

    territory: AskedTerritory
    needs: list[NodeRef]
    programme: NodeRef | None = None
    funding: list[FundingProgramme] = Field(default_factory=list)
    #: the seats nobody of the territory can take, in French (« une entreprise ou une
    #: fondation »): what the data lacks, rather than an invented coalition
    missing: list[str] = Field(default_factory=list)
    items: list[Coalition]
