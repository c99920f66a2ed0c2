"""The outline of a territory from the points of its communes (viz/outline.py): true to the
shape (a notch stays a notch, an island its own part), every commune inside, fitted."""

from __future__ import annotations

import math

import pytest

from viz.outline import point_in_rings, territory_outline


def grid(columns, rows, step=10.0, skip=lambda x, y: False):
    return [(x * step, y * step) for x in range(columns) for y in range(rows)
            if not skip(x, y)]


def bounds(rings):
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def test_an_l_shaped_territory_keeps_its_notch():
    # 30 x 30 communes, the top-right quarter empty: an L, not a square
    points = grid(30, 30, skip=lambda x, y: x >= 15 and y >= 15)
    rings = territory_outline(points)
    assert len(rings) == 1
    assert all(point_in_rings(x, y, rings) for x, y in points)
    # the middle of the empty quarter is outside (a convex hull would hold it)
    assert not point_in_rings(225.0, 225.0, rings)
    # fitted: about half a commune past the outermost points, no more
    left, top, right, bottom = bounds(rings)
    assert -10.0 < left < 0.0 and -10.0 < top < 0.0
    assert 290.0 < right < 300.0 and 290.0 < bottom < 300.0


def test_an_island_is_its_own_part():
    mainland = grid(20, 20)
    island = [(400.0 + x, 100.0 + y) for x, y in grid(4, 4)]
    rings = territory_outline(mainland + island)
    assert len(rings) == 2
    assert all(point_in_rings(x, y, rings) for x, y in mainland + island)
    assert not point_in_rings(300.0, 100.0, rings)  # the sea between them


def test_an_enclave_is_a_hole():
    # a ring of communes 60 wide around an empty square 100 wide (the enclave of another
    # territory, like the Enclave des Papes in the Drôme)
    points = grid(26, 26, skip=lambda x, y: 8 <= x < 18 and 8 <= y < 18)
    rings = territory_outline(points)
    assert len(rings) == 2
    assert not point_in_rings(125.0, 125.0, rings)
    assert all(point_in_rings(x, y, rings) for x, y in points)


def test_sparse_and_dense_parts_stay_one_territory():
    # communes every 10 in the plain, every 40 in the mountains next to it
    plain = grid(20, 20)
    mountains = [(200.0 + x, y) for x, y in grid(6, 6, step=40.0)]
    rings = territory_outline(plain + mountains)
    assert len(rings) == 1
    assert all(point_in_rings(x, y, rings) for x, y in plain + mountains)


def test_few_communes_give_a_rounded_hull_and_too_few_none():
    coast = [(100 * math.cos(a / 10), 70 * math.sin(a / 10)) for a in range(0, 63, 3)]
    rings = territory_outline(coast)
    assert len(rings) == 1
    assert point_in_rings(0.0, 0.0, rings)  # the island's mountains, between the coasts
    assert territory_outline([(0.0, 0.0), (1.0, 1.0)]) == []
    assert territory_outline([(0.0, 0.0), (1.0, 1.0), (2.0, 2.0)]) == []  # a line


@pytest.mark.parametrize("ring, inside, outside", [
    ([(0, 0), (10, 0), (10, 10), (0, 10)], (5, 5), (15, 5)),
    ([(0, 0), (10, 0), (5, 10)], (5, 3), (1, 9)),
])
def test_point_in_rings(ring, inside, outside):
    assert point_in_rings(*inside, [ring])
    assert not point_in_rings(*outside, [ring])


def test_valleys_closer_than_the_reach_are_one_land():
    # two valleys of villages 10 apart, 60 from each other (a massif without a village)
    west = grid(6, 12)
    east = [(110.0 + x, y) for x, y in grid(6, 12)]
    assert len(territory_outline(west + east)) == 2
    rings = territory_outline(west + east, reach=70.0)
    assert len(rings) == 1 and point_in_rings(80.0, 55.0, rings)
