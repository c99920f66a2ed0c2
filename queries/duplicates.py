"""Probable duplicate organisations, scored and explained in French, for the stewards.

Every organisation alive is read once (``duplicate_candidates.cypher``); pairs are then
found by **blocking** — only organisations sharing a key are compared, so 100k
organisations never make 5·10⁹ pairs:

- the same SIREN, the same RNA number (certain: score 1);
- the same words once normalised and sorted (``fondation_de_lille`` and ``Lille
  Fondation`` → ``fondation lille``);
- a word in common, or a word in common in the same commune — a word shared by more
  than :data:`MAX_BLOCK` organisations says nothing and makes no block
  (« association »), except within a commune where fewer share it.

Each pair is then **scored**, 0 to 1:

- the same SIREN or RNA: 1 (two different SIRENs, or RNAs, are two organisations: never
  proposed, as the importer's rule has it, loaders/resolve.py);
- otherwise ``0.75 × names + 0.1 × commune + 0.1 × kind`` (at most 0.95), where *names*
  is the similarity of the two names' words (:func:`name_similarity`: each word weighted
  by its rarity among all organisations and matched to the nearest word of the other
  name with rapidfuzz, « Lile » and « Lille »; a word of each name that the other lacks
  costs), so that « Fondation Roubaix » and « Fondation Lille » — one common word, and a
  common one — score low; *commune* and *kind* are 1 when the same, 0 when different, ½
  when one is unknown.

A steward's « pas un doublon » (``(:DuplicateDecision)``, bookkeeping:
loaders/duplicate_decisions.py) takes the pair out for good. The answer is kept per
database and version of the graph (:func:`queries.projection.graph_fingerprint`: any
write, a merge or a decision, computes it again).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from neo4j import Driver
from pydantic import BaseModel, Field

from graph.cache import ExpiringCache
from graph.element_names import name_key
from graph.french import kind_fr
from queries._run import check_page, read
from queries.errors import InvalidParameter
from queries.models import Page

#: the default lowest score proposed
MIN_SCORE = 0.75
#: a word (or a word in a commune) shared by more organisations makes no block
MAX_BLOCK = 50
#: a pair of a name block is scored when rapidfuzz's ``token_set_ratio`` of the two names'
#: sorted words reaches this (every pair proposed in a 100k-organisation test graph had
#: 100; a typo in each of two words still scores 93)
PREFILTER = 85
#: two words match when their Levenshtein similarity (rapidfuzz) reaches this
#: (« lile » / « lille »: 0.8; « réemploi » / « emploi »: 0.75)
WORD_MATCH = 0.8
#: the weights of the score of a pair without a common identifier
NAME_WEIGHT, COMMUNE_WEIGHT, KIND_WEIGHT = 0.75, 0.1, 0.1
#: small words that never tell two organisations apart
STOPWORDS = frozenset(("a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la",
                       "le", "les", "par", "pour", "sur", "un", "une"))


class DuplicateSide(BaseModel):
    """One organisation of a pair, with what was compared."""

    id: str = Field(examples=["org:fondation-de-lille"])
    name: str | None = Field(None, examples=["Fondation de Lille"])
    kind: str | None = Field(None, examples=["fondation"])
    siren: str | None = None
    rna: str | None = None
    commune: str | None = Field(None, description="Its commune's id.",
                                examples=["commune:59350"])
    commune_name: str | None = Field(None, examples=["Lille"])


class DuplicatePair(BaseModel):
    """Two organisations that may be one, how sure, and why (in French)."""

    a: DuplicateSide
    b: DuplicateSide
    score: float = Field(ge=0, le=1, description="1: the same SIREN or RNA; otherwise "
                                                 "names, commune and kind (at most 0.95).")
    certain: bool = Field(description="The same SIREN or RNA number.")
    name_similarity: float = Field(ge=0, le=1, description="The names' words, weighted by "
                                                           "rarity.")
    reasons: list[str] = Field(description="Each reason, in French.")
    explanation: str = Field(description="The reasons in one French sentence.", examples=[
        "même SIREN 123456789 ; noms proches (92 %) : « Fondation de Lille » / « Fondation "
        "Lille » ; même commune : Lille ; même type : fondation"])


class DuplicatesPage(Page):
    """Probable duplicates, best first."""

    min_score: float
    items: list[DuplicatePair]


# --- pure: blocking and scoring ----------------------------------------------------------


@dataclass
class _Org:
    """An organisation as compared: its words, each word's weight, their sum."""

    side: DuplicateSide | None
    words: tuple[str, ...]
    weights: tuple[float, ...] = ()
    total: float = 0.0
    word_set: frozenset[str] = frozenset()

    def weigh(self, weights: dict[str, float]) -> _Org:
        self.weights = tuple(weights.get(w, 1.0) for w in self.words)
        self.total = sum(self.weights)
        self.word_set = frozenset(self.words)
        return self


def words_of(name: str, key: str | None = None) -> tuple[str, ...]:
    """The words of a name that tell organisations apart: normalised (``key``: its
    :func:`~graph.element_names.name_key` already made), without small words.

    >>> words_of("Fondation de l'Île-de-France")
    ('fondation', 'ile', 'france')
    """
    return tuple(w for w in (key or name_key(name)).split("_") if w and w not in STOPWORDS)


def _blocks(orgs: list[_Org]) -> Iterable[tuple[str, list[int]]]:
    """The groups of organisations compared with one another: the kind of key they
    share, and their indexes in ``orgs`` (ascending)."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, org in enumerate(orgs):
        side = org.side
        if side.siren:
            blocks[("siren", side.siren)].append(i)
        if side.rna:
            blocks[("rna", side.rna)].append(i)
        if org.words:
            blocks[("sorted", " ".join(sorted(org.words)))].append(i)
        for word in set(org.words):
            blocks[("word", word)].append(i)
            if side.commune:
                blocks[("commune", side.commune, word)].append(i)
    for key, members in blocks.items():
        if len(members) > 1 and (key[0] in ("siren", "rna") or len(members) <= MAX_BLOCK):
            yield key[0], members


def _weights(orgs: list[_Org]) -> dict[str, float]:
    """Each word's weight: the rarer among all organisations, the heavier (smoothed idf)."""
    df = Counter(w for org in orgs for w in set(org.words))
    n = len(orgs)
    return {w: math.log((n + 1) / (count + 0.5)) for w, count in df.items()}


def name_similarity(a: tuple[str, ...], b: tuple[str, ...],
                    weights: dict[str, float]) -> float:
    """How alike two names' words are, 0 to 1.

    Each word's weight (its rarity) counts as far as it matches the nearest word of the
    other name (Levenshtein similarity 0.8 at least: « lile » and « lille », not
    « réemploi » and « emploi »). When *each* name has a word the other lacks — a
    substitution, « Secours populaire » / « Secours catholique » — the smaller share of
    such words is taken off: one name holding more words than the other (« Caisse des
    dépôts et consignations ») is not penalised.

    >>> w = {"fondation": 0.2, "lille": 1.0, "roubaix": 1.0, "lile": 1.0}
    >>> name_similarity(("fondation", "lille"), ("lille", "fondation"), w)
    1.0
    >>> round(name_similarity(("fondation", "lille"), ("fondation", "lile"), w), 2)
    0.83
    >>> name_similarity(("fondation", "roubaix"), ("fondation", "lille"), w)
    0.0
    """
    return _names(_Org(None, a).weigh(weights), _Org(None, b).weigh(weights))


def _names(a: _Org, b: _Org) -> float:
    """:func:`name_similarity` of two weighed organisations (the pairs' inner loop)."""
    if not a.total or not b.total:
        return 0.0
    if a.word_set == b.word_set:
        return 1.0
    # the words both have count whole; only the others are compared, each with the other
    # name's words it lacks (a name differs from the other by a word or two)
    only_a = [i for i, w in enumerate(a.words) if w not in b.word_set]
    only_b = [j for j, w in enumerate(b.words) if w not in a.word_set]
    got = a.total + b.total
    missing = []  # per name: the share of its weight that matches no word of the other
    for mine, theirs, own, other in ((a, b, only_a, only_b), (b, a, only_b, only_a)):
        lacking = 0.0
        for i in own:
            word, weight = mine.words[i], mine.weights[i]
            best = max((word_similarity(word, theirs.words[j]) for j in other), default=0.0)
            if best >= WORD_MATCH:
                got -= weight * (1 - best)
            else:
                got -= weight
                lacking += weight
        missing.append(lacking / mine.total)
    return max(0.0, got / (a.total + b.total) - min(missing))


@lru_cache(maxsize=262_144)
def word_similarity(a: str, b: str) -> float:
    """rapidfuzz's normalised Levenshtein similarity of two words (kept: the same words
    meet again and again).

    >>> word_similarity("lile", "lille"), word_similarity("reemploi", "emploi")
    (0.8, 0.75)
    """
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.normalized_similarity(a, b)


def _agreement(x: str | None, y: str | None) -> float:
    if x is None or y is None:
        return 0.5
    return 1.0 if x == y else 0.0


def score_pair(a: _Org, b: _Org) -> tuple[float, bool, float] | None:
    """The pair's score, whether it is certain (a common SIREN or RNA) and its names'
    similarity; None for two organisations that cannot be one (two different SIRENs, or
    RNAs)."""
    sa, sb = a.side, b.side
    if (sa.siren and sb.siren and sa.siren != sb.siren) or (
            sa.rna and sb.rna and sa.rna != sb.rna):
        return None
    certain = bool((sa.siren and sa.siren == sb.siren) or (sa.rna and sa.rna == sb.rna))
    names = _names(a, b)
    if certain:
        return 1.0, True, names
    score = (NAME_WEIGHT * names + COMMUNE_WEIGHT * _agreement(sa.commune, sb.commune)
             + KIND_WEIGHT * _agreement(sa.kind, sb.kind))
    return score, False, names


def explain(a: DuplicateSide, b: DuplicateSide, score: float, certain: bool,
            names: float) -> DuplicatePair:
    """The pair with its reasons in French (« même SIREN … ; noms proches (92 %) : … »)."""
    reasons = []
    if a.siren and a.siren == b.siren:
        reasons.append(f"même SIREN {a.siren}")
    if a.rna and a.rna == b.rna:
        reasons.append(f"même RNA {a.rna}")
    shown = f"« {a.name} » / « {b.name} »"
    if name_key(a.name or "") == name_key(b.name or ""):
        reasons.append(f"même nom : « {a.name} »" if a.name == b.name
                       else f"même nom à l'écriture près : {shown}")
    elif names == 1:
        reasons.append(f"mêmes mots dans le nom : {shown}")
    elif names >= 0.5:
        reasons.append(f"noms proches ({round(names * 100)} %) : {shown}")
    else:
        reasons.append(f"noms différents ({round(names * 100)} %) : {shown}")
    commune = _agreement(a.commune, b.commune)
    if commune == 1:
        reasons.append(f"même commune : {a.commune_name or a.commune}")
    elif commune == 0:
        reasons.append(f"communes différentes : {a.commune_name or a.commune} / "
                       f"{b.commune_name or b.commune}")
    kind = _agreement(a.kind, b.kind)
    if kind == 1:
        reasons.append(f"même type : {kind_fr(a.kind).lower()}")
    elif kind == 0:
        reasons.append(f"types différents : {kind_fr(a.kind).lower()} / "
                       f"{kind_fr(b.kind).lower()}")
    return DuplicatePair(a=a, b=b, score=round(score, 3), certain=certain,
                         name_similarity=round(names, 3), reasons=reasons,
                         explanation=" ; ".join(reasons))


def find_pairs(sides: Iterable[DuplicateSide], *, min_score: float = MIN_SCORE,
               dismissed: Iterable[tuple[str, str]] = (),
               keys: dict[str, str] | None = None) -> list[DuplicatePair]:
    """Every pair scoring ``min_score`` or more, best first (then by names), but those
    a steward dismissed (pure: no database). ``keys``: id → the ``name_key`` the graph
    stores, when known (saves normalising every name again)."""
    keys = keys or {}
    orgs = [_Org(s, words_of(s.name or "", keys.get(s.id)))
            for s in sorted(sides, key=lambda s: s.id)]
    weights = _weights(orgs)
    for org in orgs:
        org.weigh(weights)
    skip = {tuple(sorted(pair)) for pair in dismissed}
    found = {}
    for i, j in _candidates(orgs):
        if (i, j) in found:
            continue
        scored = score_pair(orgs[i], orgs[j])
        if scored is not None and scored[0] >= min_score and (
                orgs[i].side.id, orgs[j].side.id) not in skip:
            found[(i, j)] = scored
    pairs = [explain(orgs[i].side, orgs[j].side, *scored)
             for (i, j), scored in found.items()]
    pairs.sort(key=lambda p: (-p.score, name_key(p.a.name or ""), p.a.id, p.b.id))
    return pairs


def _candidates(orgs: list[_Org]) -> Iterable[tuple[int, int]]:
    """The pairs worth scoring (``i < j``; a pair may come more than once): every pair of
    an identifier's block, and the pairs of a name block whose sorted words are close
    enough (rapidfuzz's ``token_set_ratio`` :data:`PREFILTER` or more, computed in C a
    whole block at a time; one name's words within the other's score 100)."""
    from rapidfuzz import fuzz, process

    texts = [" ".join(sorted(org.words)) for org in orgs]
    for key, members in _blocks(orgs):
        if key in ("siren", "rna"):
            yield from ((i, j) for x, i in enumerate(members) for j in members[x + 1:])
            continue
        if len(members) == 2:
            i, j = members
            if fuzz.token_set_ratio(texts[i], texts[j]) >= PREFILTER:
                yield i, j
            continue
        block = [texts[i] for i in members]
        scores = process.cdist(block, block, scorer=fuzz.token_set_ratio,
                               score_cutoff=PREFILTER, dtype="uint8")
        for x, y in zip(*scores.nonzero(), strict=True):
            if x < y:
                yield members[x], members[y]


# --- the read -----------------------------------------------------------------------------

#: the pairs of a graph's version and a minimum score
_kept: ExpiringCache[list[DuplicatePair]] = ExpiringCache("duplicate pairs", seconds=None,
                                                          size=8)


def duplicates(driver: Driver, *, min_score: float = MIN_SCORE, limit: int = 50,
               offset: int = 0, database: str = "neo4j") -> DuplicatesPage:
    """The probable duplicate organisations, best first, one page.

    Parameters
    ----------
    min_score
        The lowest score proposed, 0 to 1 (default 0.75).
    limit, offset
        The page (the caller caps ``limit``).

    Raises
    ------
    InvalidParameter
        A score outside 0–1, or a negative page.
    """
    check_page(limit, offset)
    if not 0 <= min_score <= 1:
        raise InvalidParameter(f"min_score is between 0 and 1, not {min_score}")
    from queries.projection import graph_fingerprint

    key = (database, graph_fingerprint(driver, database=database), min_score)
    pairs, _ = _kept.get_or_compute(key, lambda: _pairs(driver, min_score, database))
    return DuplicatesPage(total=len(pairs), limit=limit, offset=offset, min_score=min_score,
                          items=pairs[offset:offset + limit])


def _pairs(driver: Driver, min_score: float, database: str) -> list[DuplicatePair]:
    rows = read(driver, "duplicate_candidates", database=database)
    keys = {row["id"]: row.pop("name_key") for row in rows}
    dismissed = [(r["a"], r["b"]) for r in read(driver, "duplicate_decisions",
                                                database=database)]
    return find_pairs([DuplicateSide(**row) for row in rows], min_score=min_score,
                      dismissed=dismissed, keys=keys)
