"""Tests of exactnet.pwl: extraction agrees with exact evaluation; PWL algebra laws."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net, tent_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Interval, q
from exactnet.pwl import PiecewiseLinear, to_pwl, to_pwl_segment

small = st.integers(-8, 8)


@st.composite
def one_d_nets(draw: st.DrawFn) -> Network:
    widths = [1] + draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)) + [1]
    W = [
        [[Fraction(draw(small), draw(st.sampled_from([1, 2, 3, 4]))) for _ in range(a)] for _ in range(b)]
        for a, b in zip(widths, widths[1:])
    ]
    B = [[Fraction(draw(small), draw(st.sampled_from([1, 2, 5]))) for _ in range(b)] for b in widths[1:]]
    return Network.from_layers(W, B)


@settings(max_examples=60, deadline=None)
@given(one_d_nets(), st.fractions(-2, 2, max_denominator=50))
def test_to_pwl_equals_evaluate(net: Network, x: Fraction) -> None:
    f = to_pwl(net, Interval(-2, 2))
    assert f(x) == evaluate(net, x)[0]
    assert f.canonical()(x) == evaluate(net, x)[0]
    assert f.canonical().pieces <= f.pieces


def test_tent_pieces_by_hand() -> None:
    # g(x) = 2x on [0,1/2], 2 - 2x on [1/2,1]: breakpoints 0, 1/2, 1; values 0, 1, 0
    f = to_pwl(tent_net(), Interval(0, 1)).canonical()
    assert f.xs == (0, q("1/2"), 1) and f.ys == (0, 1, 0)
    assert f.slopes == (2, -2)


def test_sawtooth_has_2_to_the_s_pieces() -> None:
    # g_s has 2^(s-1) teeth on [0,1], each two pieces: 2^s pieces, slopes +-2^s
    for s in range(1, 7):
        f = to_pwl(sawtooth_net(s), Interval(0, 1)).canonical()
        assert f.pieces == 2**s
        assert set(f.slopes) == {q(2**s), q(-(2**s))}


def test_square_net_is_the_interpolant() -> None:
    # f_m interpolates x^2 at k/2^m and is linear in between: breakpoints exactly the grid
    m = 5
    f = to_pwl(square_net(m), Interval(0, 1)).canonical()
    assert f.xs == tuple(q(k) / 2**m for k in range(2**m + 1))
    assert f.ys == tuple((q(k) / 2**m) ** 2 for k in range(2**m + 1))


def test_segment_in_two_dimensions() -> None:
    # relu(x1 - x2) on the segment (0,1) -> (1,0): t -> relu(2t - 1), kink at t = 1/2
    N = Network.from_layers([[[1, -1]]], [[0]], ["relu"])
    f = to_pwl_segment(N, [0, 1], [1, 0]).canonical()
    assert f.xs == (0, q("1/2"), 1) and f.ys == (0, 0, 1)
    with pytest.raises(InvalidArgument):
        to_pwl_segment(N, [0], [1])
    with pytest.raises(InvalidArgument):
        to_pwl(N, Interval(0, 1))


pwl_points = st.lists(
    st.tuples(st.fractions(0, 1, max_denominator=16), st.fractions(-3, 3, max_denominator=16)),
    min_size=2,
    max_size=6,
    unique_by=lambda t: t[0],
)


def _on01(pts: list[tuple[Fraction, Fraction]]) -> PiecewiseLinear:
    d = dict(pts)
    d.setdefault(Fraction(0), Fraction(0))
    d.setdefault(Fraction(1), Fraction(0))
    return PiecewiseLinear.from_points(list(d.items()))


@settings(max_examples=60, deadline=None)
@given(pwl_points, pwl_points, st.fractions(0, 1, max_denominator=40), st.fractions(-3, 3, max_denominator=7))
def test_algebra_is_pointwise(a, b, x, c) -> None:
    f, g = _on01(a), _on01(b)
    fx, gx = f(x), g(x)
    assert (f + g)(x) == fx + gx
    assert (f - g)(x) == fx - gx
    assert f.scale(c, 1)(x) == c * fx + 1
    assert f.maximum(g)(x) == max(fx, gx)
    assert f.minimum(g)(x) == min(fx, gx)
    assert f.relu()(x) == max(fx, 0)
    assert (f + g).equals(g + f)
    assert f.canonical().equals(f)


@settings(max_examples=40, deadline=None)
@given(pwl_points, st.fractions(0, 1, max_denominator=40))
def test_compose_and_restrict(a, x) -> None:
    f = _on01(a)
    tent = PiecewiseLinear.from_points([(0, 0), (Fraction(1, 2), 1), (1, 0)])
    # tent maps [0,1] into [0,1], so f o tent is defined on [0,1]
    assert f.compose(tent)(x) == f(tent(x))
    half = f.restrict(Interval(0, "1/2"))
    if x <= Fraction(1, 2):
        assert half(x) == f(x)


def test_errors() -> None:
    with pytest.raises(InvalidArgument):
        PiecewiseLinear((q(1), q(0)), (q(0), q(0)))
    f = PiecewiseLinear.from_points([(0, 0), (1, 1)])
    with pytest.raises(InvalidArgument):
        f(2)
    with pytest.raises(InvalidArgument):
        f + PiecewiseLinear.from_points([(0, 0), (2, 1)])
