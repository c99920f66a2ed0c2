"""loaders.partition: rows cut into parts that share no node (pure, no Neo4j).

Tiny graphs whose split is known by hand, then the invariants on a random graph.
"""

from __future__ import annotations

import random

from loaders.partition import split_disjoint


def _check(ends, split):
    """Every row exactly once; within a round no node in two parts."""
    seen = [i for parts in split.rounds for part in parts for i in part] + split.rest
    assert sorted(seen) == list(range(len(ends)))
    for parts in split.rounds:
        owners = {}
        for p, part in enumerate(parts):
            for i in part:
                for key in ends[i]:
                    assert owners.setdefault(key, p) == p, f"{key} in two parts"


def test_two_stars_and_a_bridge():
    ends = [("a", 1), ("a", 2), ("b", 3), ("b", 4), ("a", "b")]
    split = split_disjoint(ends, min_rows=1)
    _check(ends, split)
    assert sorted(map(sorted, split.rounds[0])) == [[0, 1], [2, 3]]
    assert split.rest == [4]  # the bridge joins the two parts: written alone, after


def test_the_rows_left_over_are_split_again():
    # a 4-cycle a-b-c-d-a: any 2-colouring of nodes leaves some edges crossing
    ends = [("a", "b"), ("c", "d"), ("a", "c"), ("b", "d"), ("e", "f"), ("g", "h")]
    split = split_disjoint(ends, rounds=3, min_rows=1)
    _check(ends, split)
    assert split.parallel_rows + len(split.rest) == len(ends)
    assert len(split.rounds) >= 1


def test_one_hub_cannot_be_split():
    # every row touches the hub: one part would hold everything, so nothing runs at once
    ends = [("hub", i) for i in range(100)]
    split = split_disjoint(ends, min_rows=1)
    assert split.rounds == [] and split.rest == list(range(100))


def test_one_writer_or_few_rows_write_everything_alone():
    ends = [(i, i + 1000) for i in range(50)]
    assert split_disjoint(ends, parts=1, min_rows=1).rest == list(range(50))
    assert split_disjoint(ends, parts=2, min_rows=51).rest == list(range(50))


def test_node_rows_split_evenly():
    ends = [(f"org:{i}",) for i in range(1000)]
    split = split_disjoint(ends, min_rows=1)
    _check(ends, split)
    assert [len(p) for p in split.rounds[0]] == [500, 500] and split.rest == []


def test_three_parts():
    ends = [(f"c{i % 30}", f"o{i}") for i in range(3000)]  # 30 communes, one org each row
    split = split_disjoint(ends, parts=3, min_rows=1)
    _check(ends, split)
    assert [len(p) for p in split.rounds[0]] == [1000, 1000, 1000] and split.rest == []


def test_a_random_graph_keeps_the_invariants():
    rng = random.Random(7)
    hubs = [f"h{i}" for i in range(20)]
    ends = []
    for i in range(5000):
        a = rng.choice(hubs) if rng.random() < 0.3 else f"n{rng.randrange(3000)}"
        b = f"n{rng.randrange(3000)}"
        if a != b:
            ends.append((a, b))
    split = split_disjoint(ends, min_rows=100)
    _check(ends, split)
    # most rows run two at a time
    assert split.parallel_rows > len(ends) // 2
