"""The weights of the alliance suggestions' score, in one place.

The score of a pair (:func:`queries.suggestion_score.score_pair`) is::

    (base + shared + introduction) × proximity × complementarity × popularity

- ``shared``: Adamic–Adar over what both already touch — each shared need, programme,
  dialogue space or organisation ``x`` adds ``weight(label of x) / log(degree of x)``, so a
  need two organisations share counts more than one a thousand share;
- ``introduction``: someone who already knows both (a relay, a catalyst, or an
  organisation within the radius) can introduce them;
- ``proximity``: 1 next door, falling exponentially to :attr:`at_radius` at the radius the
  user chose; 1 too for an organisation acting on a territory that holds the asker
  (a national actor is no farther from Roubaix than a Roubaix one);
- ``complementarity``: higher across worlds (:data:`graph.vocabulary.WORLD_BY_KIND`);
- ``popularity``: ``1 + popularity × ln(1 + organisations the candidate is linked to)``.

bench/suggest.py measures the score against link-prediction baselines (bench/README.md,
"Suggestions"); the tuned weights say which figure moved them.

Change a weight here, and say why in its comment; docs/questions.md quotes them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SuggestionWeights:
    """Every number of the score. The default is :data:`WEIGHTS`."""

    #: a shared need: the inventory is built around needs; two actors facing the same
    #: need is the first reason an alliance forms (the documents' "besoins communs")
    need: float = 1.0
    #: a shared programme (carried, funded, operated, relayed or co-piloted by both):
    #: they already work on the same answer
    programme: float = 1.0
    #: a shared dialogue space: they already sit at the same table, a weaker sign than a
    #: common need because a space gathers actors of every topic
    space: float = 0.8
    #: a shared organisation (partner, member, network): someone they both know; the
    #: classic triadic closure of link prediction. 3 rather than 1 (bench/suggest.py,
    #: 100,000 organisations, preset ``far``: hits@10 0.119 → 0.126 on its own, the
    #: ``needs`` preset unchanged): a common partner is the strongest single sign of a
    #: future partnership once distance matters little
    organisation: float = 3.0
    #: what any placed pair starts with: with nothing in common yet, a nearby
    #: cross-world pair is still a hypothesis worth showing, ranked by distance and world
    base: float = 0.3
    #: added once when an introducer exists (a relay, a catalyst, or an organisation within
    #: the radius that already has a direct relationship with both): the "tête de pont"
    #: and catalyst roles exist to make such introductions
    introduction: float = 0.5
    #: the proximity factor at the radius (exponential decay: 1 at 0 km, 0.5 at half the
    #: radius, 0.25 at the radius): the user's radius says how far "near" reaches
    at_radius: float = 0.25
    #: the proximity factor when a distance cannot be known (an organisation placed
    #: nowhere): no better than the farthest placed one
    unknown_distance: float = 0.25
    #: a pair across two of the worlds associatif, économique, public: the alliances the
    #: documents describe (association + entreprise + collectivité)
    cross_world: float = 1.5
    #: a pair with one intermediary (a network, a research body): it convenes others
    with_intermediary: float = 1.2
    #: two of a kind (two associations, a foundation and an association)
    same_world: float = 1.0
    #: how much an organisation already linked to many counts: well-connected actors
    #: attract partners (preferential attachment; relays and catalysts exist to connect).
    #: A logarithm, so a hub of 100 partners weighs 2.4 times an isolated actor, not 100
    #: times. 0.3 (bench/suggest.py, 100,000 organisations, with ``organisation`` at 3):
    #: preset ``far`` hits@10 0.126 → 0.130, ``needs`` 0.346 → 0.342, ``default`` up too
    #: at 20,000; more (0.5, 1 in a line) costs ``needs`` more than it gives the others
    popularity: float = 0.3

    def label_weight(self, label: str) -> float:
        """The weight of a shared node of ``label`` (0 for a label that does not count)."""
        return {"Need": self.need, "Programme": self.programme,
                "DialogueSpace": self.space, "Organisation": self.organisation}.get(label, 0.0)


#: the weights the product uses
WEIGHTS = SuggestionWeights()
