"""How partnerships form in the synthetic ecosystem: the settings of :mod:`loaders.generate`.

Organisations arrive one by one; each draws a number of partners (``draws``) among those
already there. For each partner, a scope is drawn (``scopes``: same EPCI, département,
région or anywhere), then ``candidates`` organisations inside it, in proportion to their
degree + 1 plus a head start for catalysts and relays (``hub_head_start``: preferential
attachment, so hubs attract). The candidate kept is the one of highest *affinity ×
proximity*, the nearest on a tie:

- affinity = 1 + ``shared_need`` × needs both express + ``shared_programme`` × programmes
  both carry, fund, operate or relay + ``same_space`` when both sit in one dialogue space +
  ``cross_world`` when their worlds differ (associatif, économique, public;
  :data:`graph.vocabulary.WORLD_BY_KIND`; half of it with an intermediary);
- proximity = ``exp(-km / distance_km)``, or 1 when ``distance_km`` is None (then the
  affinity decides and distance only breaks ties: with every affinity weight at 0, the
  nearest candidate wins, which is the generator before these settings existed).

With probability ``introduction``, a partner after the first is sought instead among the
partners of one the organisation already has — a relay or catalyst among them when there
is one — who introduces them (triadic closure). ``spaces_per_departement`` dialogue
spaces gather ``space_members`` organisations of each département.

:data:`DEFAULT` reproduces the files generated before these settings, byte for byte for a
given seed (every other benchmark uses them): with the new factors off, no extra random
number is drawn. :data:`PRESETS` names the settings the suggestions' benchmark
(bench/suggest.py) evaluates on.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: Partner scope: same EPCI, département, région, or anywhere (weights).
PARTNER_SCOPES = (("epci", 0.30), ("departement", 0.30), ("region", 0.20), ("country", 0.20))
#: Number of partners an arriving organisation draws (value, weight): mean 1.25.
PARTNER_DRAWS = ((0, 30), (1, 35), (2, 20), (3, 10), (5, 5))
#: Extra entries in the preferential-attachment lists: catalysts and relays start as hubs.
HUB_HEAD_START = (("catalyst", 8), ("relay", 15))


@dataclass(frozen=True)
class PartnershipModel:
    """Every setting of how partnerships form (see the module's docstring)."""

    #: distance, coarse: where a partner is sought — same EPCI, département, région or
    #: anywhere, with these weights
    scopes: tuple[tuple[str, float], ...] = PARTNER_SCOPES
    #: distance, fine, and how much the other factors can weigh: candidates drawn per
    #: partner, the best kept (more candidates, a stronger preference)
    candidates: int = 3
    #: distance inside the scope: the proximity factor's length (km); None: the nearest
    #: wins among candidates of equal affinity (today's generator)
    distance_km: float | None = None
    #: how many partners an arriving organisation draws (value, weight)
    draws: tuple[tuple[int, int], ...] = PARTNER_DRAWS
    #: hubs: extra entries in the preferential-attachment lists by role (catalysts and
    #: relays start with partners' worth of popularity)
    hub_head_start: tuple[tuple[str, int], ...] = HUB_HEAD_START
    #: shared needs: affinity added per need both organisations express (two actors
    #: facing the same need ally, the documents' "besoins communs")
    shared_need: float = 0.0
    #: shared programmes: affinity added per programme both carry, fund, operate or relay
    #: (they already work on the same answer)
    shared_programme: float = 0.0
    #: dialogue spaces: how many each département gets (0: none are generated)
    spaces_per_departement: int = 0
    #: dialogue spaces: members of each, drawn among the département's organisations
    #: (smallest, largest: the four spaces of the documents had 5 to 21)
    space_members: tuple[int, int] = (5, 21)
    #: dialogue spaces: affinity added when both sit in one (they meet at the same table)
    same_space: float = 0.0
    #: cross-world pairs: affinity added when the worlds differ (association + company +
    #: local authority: the alliances the documents describe); half with an intermediary
    cross_world: float = 0.0
    #: introductions: the probability that a partner after the first is found through a
    #: partner the organisation already has (a relay or catalyst first), who knows both
    introduction: float = 0.0

    @property
    def affinity_on(self) -> bool:
        """Whether anything but distance and hubs chooses among candidates."""
        return bool(self.shared_need or self.shared_programme or self.same_space
                    or self.cross_world)


#: today's generator: closeness and hubs only
DEFAULT = PartnershipModel()

#: distance matters little: partners sought anywhere half the time, a 300 km proximity
#: length; worlds, needs and introductions weigh instead
FAR = replace(
    DEFAULT,
    scopes=(("epci", 0.10), ("departement", 0.15), ("region", 0.25), ("country", 0.50)),
    candidates=6, distance_km=300.0, shared_need=1.0, shared_programme=1.0,
    spaces_per_departement=2, same_space=1.0, cross_world=1.5, introduction=0.3)

#: shared needs and introductions dominate: many candidates (two random organisations
#: share a need about one time in twenty), the affinity of a shared need, programme or
#: space far above distance (100 km), half the later partners introduced
NEEDS = replace(
    DEFAULT,
    candidates=24, distance_km=100.0, shared_need=4.0, shared_programme=4.0,
    spaces_per_departement=2, same_space=3.0, cross_world=0.5, introduction=0.5)

#: the settings by name (``alliance-graph generate --model NAME``)
PRESETS: dict[str, PartnershipModel] = {"default": DEFAULT, "far": FAR, "needs": NEEDS}


def preset(name: str) -> PartnershipModel:
    """The preset called ``name``.

    Raises
    ------
    ValueError
        An unknown name (the message lists the known ones).
    """
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown partnership model {name!r}; "
                         f"known: {', '.join(PRESETS)}") from None
