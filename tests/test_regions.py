"""Tests of exactnet.regions: exact linear regions on boxes (issue 7).

The network values are checked against ``strategies.fraction_eval`` (an
independent Fraction evaluator), the volumes against the box's volume, and the
small examples against regions worked out by hand.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from exactnet.constructions.ding2019 import product_net
from exactnet.evaluate import activation_pattern
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Box, Interval, Q, parse_box
from exactnet.regions import Region, linear_regions, locate, total_volume
from tests.strategies import dag_networks, fraction_eval, layered_networks, to_fraction


def _box_of(sides: list[tuple[Fraction, Fraction]]) -> Box:
    return Box([Interval(Q(a.numerator, a.denominator), Q(b.numerator, b.denominator)) for a, b in sides])


@st.composite
def boxes(draw, d: int) -> Box:  # type: ignore[no-untyped-def]
    sides = []
    for _ in range(d):
        lo = draw(st.fractions(-2, 2, max_denominator=4))
        w = draw(st.fractions(Fraction(1, 4), 3, max_denominator=4))
        sides.append((lo, lo + w))
    return _box_of(sides)


@st.composite
def point_in_box(draw, box: Box) -> tuple[Q, ...]:  # type: ignore[no-untyped-def]
    out = []
    for s in box.sides:
        den = draw(st.integers(1, 17))
        k = draw(st.integers(0, den))
        out.append(s.lo + (s.hi - s.lo) * Q(k, den))
    return tuple(out)


def _fr(p: tuple[Q, ...]) -> tuple[Fraction, ...]:
    return tuple(to_fraction(v) for v in p)


def _check_region(net: Network, r: Region) -> None:
    d = r.dim
    pts = list(r.vertices) + [r.interior_point]
    for p in pts:
        # the affine map is the network at every vertex and at the interior point
        assert tuple(to_fraction(v) for v in r(p)) == fraction_eval(net, _fr(p))
        assert r.contains(p)
    inner = r.interior_point
    assert all(sum(a * x for a, x in zip(row, inner)) < bb for row, bb in zip(r.A, r.b))
    # every facet inequality is tight on >= d vertices, every vertex on >= d facets
    for row, bb in zip(r.A, r.b):
        assert sum(1 for v in r.vertices if sum(a * x for a, x in zip(row, v)) == bb) >= d
    for v in r.vertices:
        assert sum(1 for row, bb in zip(r.A, r.b) if sum(a * x for a, x in zip(row, v)) == bb) >= d
    # the pattern is the one at the interior point
    assert dict(r.pattern) == {k: v for k, v in activation_pattern(net, inner).items()}


# -- hand-derived examples ---------------------------------------------------------------


def test_diagonal_split_by_hand() -> None:
    # relu(x - y) on [0, 1]^2: the diagonal cuts the square into two triangles of area 1/2;
    # below the diagonal (x > y) the map is x - y, above it 0
    net = Network.from_layers([[[1, -1]], [[1]]], [[0], [0]])
    rs = linear_regions(net, parse_box("0,1x0,1"))
    assert [r.pattern for r in rs] == [(("h1_1", False),), (("h1_1", True),)]
    assert [r.volume for r in rs] == [Q(1, 2), Q(1, 2)]
    assert set(rs[0].vertices) == {(Q(0), Q(0)), (Q(1), Q(1)), (Q(0), Q(1))}
    assert rs[1].weights == ((Q(1), Q(-1)),) and rs[1].offsets == (Q(0),)
    assert rs[0].weights == ((Q(0), Q(0)),)
    # the H-representation: 3 facets each (two box sides and the diagonal)
    assert sorted(zip(rs[1].A, rs[1].b)) == sorted(
        [((Q(-1), Q(1)), Q(0)), ((Q(0), Q(-1)), Q(0)), ((Q(1), Q(0)), Q(1))]
    )


def test_l1_norm_quadrants_by_hand() -> None:
    # |x| + |y| on [-1, 2] x [-1, 1]: quadrants of areas 1*1, 2*1, 1*1, 2*1
    net = Network.from_layers(
        [[[1, 0], [-1, 0], [0, 1], [0, -1]], [[1, 1, 1, 1]]], [[0, 0, 0, 0], [0]]
    )
    rs = linear_regions(net, parse_box("-1,2x-1,1"))
    assert sorted(r.volume for r in rs) == [1, 1, 2, 2]
    assert total_volume(rs) == 6
    for r in rs:
        _check_region(net, r)


def test_3d_simplex_by_hand() -> None:
    # relu(x + y + z - 1) on [0, 1]^3: the corner simplex x + y + z <= 1 has volume 1/6
    net = Network.from_layers([[[1, 1, 1]], [[1]]], [[-1], [0]])
    rs = linear_regions(net, parse_box("0,1x0,1x0,1"))
    assert [r.volume for r in rs] == [Q(1, 6), Q(5, 6)]
    assert len(rs[0].vertices) == 4 and len(rs[1].vertices) == 7
    assert len(rs[0].A) == 4 and len(rs[1].A) == 7  # 3 + 1 and 6 + 1 facets
    for r in rs:
        _check_region(net, r)


def test_plane_through_a_vertex_does_not_split() -> None:
    # relu(x + y) on [0, 1]^2 is >= 0 everywhere, zero only at the corner (0, 0): one region
    net = Network.from_layers([[[1, 1]], [[1]]], [[0], [0]])
    (r,) = linear_regions(net, parse_box("0,1x0,1"))
    assert r.pattern == (("h1_1", True),) and r.volume == 1 and len(r.vertices) == 4


def test_constant_neuron_and_dead_neuron() -> None:
    # a neuron with zero weights: active iff its bias > 0, never a split
    net = Network.from_layers([[[0, 0], [0, 0]], [[1, 1]]], [["1/2", "-1"], [0]])
    (r,) = linear_regions(net, parse_box("0,1x0,1"))
    assert r.pattern == (("h1_1", True), ("h1_2", False)) and r(0, 0) == (Q(1, 2),)


def test_product_net_counts_and_tiling() -> None:
    # Ding et al.'s product net x'(x, y) (three squarings); the volumes tile [-1, 1]^2
    B = parse_box("-1,1x-1,1")
    for r in (1, 2):
        net = product_net(r)
        rs = linear_regions(net, B)
        assert total_volume(rs) == 4
        assert len({r.pattern for r in rs}) == len(rs)
        for reg in rs[:10]:
            _check_region(net, reg)


def test_errors() -> None:
    net = Network.from_layers([[[1, -1]], [[1]]], [[0], [0]])
    with pytest.raises(InvalidArgument, match="dimension 3"):
        linear_regions(net, parse_box("0,1x0,1x0,1"))
    with pytest.raises(InvalidArgument, match="single point"):
        linear_regions(net, parse_box("0,1x1,1"))
    rs = linear_regions(net, parse_box("0,1x0,1"))
    with pytest.raises(InvalidArgument, match="no region"):
        locate(rs, 2, 0)


# -- properties ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_point_value_is_the_region_map_2d(data: st.DataObject) -> None:
    net = data.draw(st.one_of(layered_networks(inputs=2, max_width=4), dag_networks(inputs=2)))
    box = data.draw(boxes(2))
    rs = linear_regions(net, box)
    assert total_volume(rs) == box.volume
    for _ in range(5):
        p = data.draw(point_in_box(box))
        r = locate(rs, p)
        assert tuple(to_fraction(v) for v in r(p)) == fraction_eval(net, _fr(p))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_regions_are_valid_and_tile_2d(data: st.DataObject) -> None:
    net = data.draw(layered_networks(inputs=2, max_width=4, max_depth=3))
    box = data.draw(boxes(2))
    rs = linear_regions(net, box)
    assert total_volume(rs) == box.volume
    assert len({r.pattern for r in rs}) == len(rs)
    for r in rs:
        assert r.volume > 0
        _check_region(net, r)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_regions_are_valid_and_tile_3d(data: st.DataObject) -> None:
    net = data.draw(st.one_of(layered_networks(inputs=3, max_width=3), dag_networks(inputs=3)))
    box = data.draw(boxes(3))
    rs = linear_regions(net, box)
    assert total_volume(rs) == box.volume
    for r in rs:
        _check_region(net, r)
    for _ in range(3):
        p = data.draw(point_in_box(box))
        assert tuple(to_fraction(v) for v in locate(rs, p)(p)) == fraction_eval(net, _fr(p))


def test_grid_patterns_are_regions() -> None:
    # every activation pattern met on a grid is the pattern of a region containing the point
    # (an independent route: exactnet.evaluate.activation_pattern at 21 x 21 exact points)
    net = Network.from_layers(
        [[[1, "-1/2"], ["1/4", 1], [-1, 1]], [[1, -1, "1/2"], [1, 1, 1]], [[1, -1]]],
        [["1/8", "-1/4", 0], [0, "-1/2"], [0]],
    )
    rs = linear_regions(net, parse_box("-1,1x-1,1"))
    for i, j in product(range(21), repeat=2):
        p = (Q(i - 10, 10), Q(j - 10, 10))
        pat = activation_pattern(net, p)
        holders = [r for r in rs if r.contains(p)]
        assert holders
        strict = [r for r in holders if all(sum(a * x for a, x in zip(row, p)) < bb for row, bb in zip(r.A, r.b))]
        if strict:  # an interior point: its own pattern is the region's
            assert dict(strict[0].pattern) == pat


def test_adjacent_regions_agree_on_shared_faces() -> None:
    # two regions sharing d affinely independent vertices share a facet; N is continuous, so
    # their affine maps must agree there (checked at the shared vertices, with each map alone)
    net = Network.from_layers(
        [[[1, "-1/2"], ["1/4", 1], [-1, 1]], [[1, -1, "1/2"], [1, 1, 1]], [[1, -1]]],
        [["1/8", "-1/4", 0], [0, "-1/2"], [0]],
    )
    rs = linear_regions(net, parse_box("-1,1x-1,1"))
    shared_facets = 0
    for i, r in enumerate(rs):
        for s in rs[i + 1 :]:
            common = set(r.vertices) & set(s.vertices)
            if len(common) >= 2:
                shared_facets += 1
                for v in common:
                    assert r(v) == s(v)
    assert shared_facets >= len(rs) - 1  # the adjacency graph of a tiling is connected


def test_four_dimensions() -> None:
    # relu(x1 + x2 + x3 + x4 - 1) on [0, 1]^4: the corner simplex has volume 1/4! = 1/24
    net = Network.from_layers([[[1, 1, 1, 1]], [[1]]], [[-1], [0]])
    rs = linear_regions(net, parse_box("0,1x0,1x0,1x0,1"))
    assert [r.volume for r in rs] == [Q(1, 24), Q(23, 24)]
    for r in rs:
        _check_region(net, r)
