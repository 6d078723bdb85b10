"""exactnet.constructions.yarotsky2017: the tent map, the sawtooth g_s and f_m.

D. Yarotsky, "Error bounds for approximations with deep ReLU networks",
Neural Networks 94 (2017), arXiv:1610.01145, Section 3.1.  Every expected value
is derived by hand or computed with Fraction arithmetic written here.
"""

from __future__ import annotations

from fractions import Fraction

import gmpy2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.constructions.yarotsky2017 import sawtooth_net, square_error, square_net, tent_net
from exactnet.evaluate import evaluate, evaluate_batch
from exactnet.exceptions import InvalidArgument
from exactnet.metrics import depth, width
from exactnet.numbers import Q

from tests.strategies import fraction_eval, to_fraction, to_q

SETTINGS = settings(max_examples=40, deadline=None)

unit_points = st.one_of(
    st.fractions(min_value=0, max_value=1, max_denominator=1000),
    st.integers(0, 2**12).map(lambda k: Fraction(k, 2**12)),
)


def tent(x: Fraction) -> Fraction:
    """g(x) = 2 relu(x) - 4 relu(x - 1/2), Yarotsky's eq. (3) without the relu(x - 1) term."""
    return 2 * max(x, Fraction(0)) - 4 * max(x - Fraction(1, 2), Fraction(0))


def value(net, x: Fraction) -> Fraction:  # type: ignore[no-untyped-def]
    (y,) = evaluate(net, to_q(x))
    assert type(y) is Q
    return to_fraction(y)


# -- the tent map ------------------------------------------------------------------


def test_tent_values() -> None:
    g = tent_net()
    # on [0, 1/2] g = 2x, on [1/2, 1] g = 2(1 - x); for x > 1 it keeps falling (2x - 4x + 2)
    table = {
        Fraction(0): Fraction(0),
        Fraction(1, 4): Fraction(1, 2),
        Fraction(1, 2): Fraction(1),
        Fraction(3, 4): Fraction(1, 2),
        Fraction(1): Fraction(0),
        Fraction(1, 3): Fraction(2, 3),
        Fraction(3, 2): Fraction(-1),  # 3 - 4
        Fraction(-1): Fraction(0),
    }
    for x, y in table.items():
        assert value(g, x) == y


def test_tent_metadata_and_shape() -> None:
    g = tent_net()
    assert g.inputs == ("x",) and g.outputs == ("y",)
    assert g.metadata["construction"] == "tent"
    assert "Yarotsky 2017" in g.metadata["paper"] and "1610.01145" in g.metadata["paper"]
    assert (depth(g), width(g), len(g.neurons)) == (2, 2, 3)


# -- the sawtooth g_s --------------------------------------------------------------


@pytest.mark.parametrize("s", range(1, 9))
def test_sawtooth_at_grid_points_is_k_mod_2(s: int) -> None:
    n = 2**s
    values = evaluate_batch(sawtooth_net(s), [Q(k, n) for k in range(n + 1)])
    assert [v for (v,) in values] == [k % 2 for k in range(n + 1)]


@pytest.mark.parametrize("s", range(1, 7))
def test_sawtooth_midpoints_are_one_half(s: int) -> None:
    # g_s is linear between neighbouring grid points, where it goes 0 -> 1 or 1 -> 0
    n = 2**s
    mids = [Q(2 * j + 1, 2 * n) for j in range(n)]
    assert all(v == Q(1, 2) for (v,) in evaluate_batch(sawtooth_net(s), mids))


@given(st.integers(1, 7), unit_points)
@SETTINGS
def test_sawtooth_is_the_tent_map_iterated(s: int, x: Fraction) -> None:
    expected = x
    for _ in range(s):
        expected = tent(expected)
    assert value(sawtooth_net(s), x) == expected
    # the same, read off the teeth: on [k/2^s, (k+1)/2^s] g_s rises 0 -> 1 (k even)
    # or falls 1 -> 0 (k odd) with slope +-2^s
    n = 2**s
    k = min(int(x * n), n - 1)
    t = (x - Fraction(k, n)) * n  # in [0, 1]
    assert expected == (t if k % 2 == 0 else 1 - t)


@pytest.mark.parametrize("s", [1, 2, 5])
def test_sawtooth_metadata_and_shape(s: int) -> None:
    g = sawtooth_net(s)
    assert g.metadata["construction"] == "sawtooth" and g.metadata["s"] == s
    assert "Lemma 2" in g.metadata["paper"] and "1610.01145" in g.metadata["paper"]
    # s tents, each identity output folded into the next: depth s + 1, 2s + 1 neurons
    assert (depth(g), width(g), len(g.neurons)) == (s + 1, 2, 2 * s + 1)
    assert g.inputs == ("x",) and g.outputs == ("y",)


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", None])
def test_sawtooth_needs_a_positive_integer(bad: object) -> None:
    with pytest.raises(InvalidArgument, match="sawtooth_net needs an integer s >= 1"):
        sawtooth_net(bad)  # type: ignore[arg-type]


# -- f_m -----------------------------------------------------------------------------


@pytest.mark.parametrize("m", range(1, 8))
def test_square_net_at_grid_points_is_x_squared(m: int) -> None:
    n = 2**m
    values = evaluate_batch(square_net(m), [Q(k, n) for k in range(n + 1)])
    assert [v for (v,) in values] == [Q(k * k, n * n) for k in range(n + 1)]


def test_square_net_small_cases_by_hand() -> None:
    # f_1 = x - g/4: f_1(1/4) = 1/4 - (1/2)/4 = 1/8, the chord of x^2 over [0, 1/2]
    # (through (0, 0) and (1/2, 1/4), slope 1/2) at 1/4
    assert value(square_net(1), Fraction(1, 4)) == Fraction(1, 8)
    # f_2 at 1/8: chord over [0, 1/4] (slope 1/4) gives 1/32; g_1(1/8) = 1/4,
    # g_2(1/8) = 1/2: 1/8 - (1/4)/4 - (1/2)/16 = 1/8 - 1/16 - 1/32 = 1/32
    assert value(square_net(2), Fraction(1, 8)) == Fraction(1, 32)


@given(st.integers(1, 7), unit_points)
@SETTINGS
def test_square_net_between_grid_points_is_the_chord(m: int, x: Fraction) -> None:
    # the chord of x^2 through (a, a^2) and (b, b^2) is a^2 + (a + b)(x - a)
    # (slope (b^2 - a^2)/(b - a) = a + b), with a = k/2^m <= x <= b = a + 2^-m
    n = 2**m
    k = min(int(x * n), n - 1)
    a, b = Fraction(k, n), Fraction(k + 1, n)
    chord = a * a + (a + b) * (x - a)
    assert value(square_net(m), x) == chord
    # and chord - x^2 = (x - a)(b - x) lies in [0, (b - a)^2 / 4] = [0, 2^(-2m-2)]
    assert 0 <= chord - x * x <= to_fraction(square_error(m))


@given(st.integers(1, 6), unit_points)
@SETTINGS
def test_square_net_is_x_minus_the_weighted_sawtooths(m: int, x: Fraction) -> None:
    # f_m = x - sum_{s=1..m} g_s / 4^s, with g_s from the sawtooth networks
    expected = x - sum((value(sawtooth_net(s), x) / 4**s for s in range(1, m + 1)), Fraction(0))
    assert value(square_net(m), x) == expected


@pytest.mark.parametrize("m", [1, 2, 5])
def test_square_net_error_is_attained_at_midpoints(m: int) -> None:
    # at the midpoint of [a, b], chord - x^2 = (h/2)^2 with h = 2^-m: 2^(-2m-2)
    n = 2**m
    for k in range(n):
        mid = Fraction(2 * k + 1, 2 * n)
        assert value(square_net(m), mid) - mid * mid == Fraction(1, 4 ** (m + 1))


@pytest.mark.parametrize("m, expected", [(1, Q(1, 16)), (2, Q(1, 64)), (3, Q(1, 256)), (10, Q(1, 2**22))])
def test_square_error(m: int, expected: Q) -> None:
    assert square_error(m) == expected and type(square_error(m)) is Q


@pytest.mark.parametrize("m", [1, 3])
def test_square_net_metadata_and_shape(m: int) -> None:
    f = square_net(m)
    assert f.metadata["construction"] == "square" and f.metadata["m"] == m
    assert "Proposition 2" in f.metadata["paper"] and "1610.01145" in f.metadata["paper"]
    # a chain of m ReLU pairs and one output with skip connections: depth m + 1
    assert (depth(f), width(f), len(f.neurons)) == (m + 1, 2, 2 * m + 1)
    assert f.weight("x", "y") == Q(1)  # the skip connection carrying x
    assert f.weight(f"a{m}", "y") == Q(-2, 4**m) and f.weight(f"b{m}", "y") == Q(4, 4**m)


@pytest.mark.parametrize("bad", [0, -2, 2.0, "3"])
def test_square_net_needs_a_positive_integer(bad: object) -> None:
    with pytest.raises(InvalidArgument, match="square_net needs an integer m >= 1"):
        square_net(bad)  # type: ignore[arg-type]


# -- the zoo is exact ---------------------------------------------------------------

ZOO = [tent_net(), sawtooth_net(1), sawtooth_net(4), square_net(1), square_net(4)]


@pytest.mark.parametrize(
    "net", ZOO, ids=lambda n: f"{n.metadata['construction']}{n.metadata.get('s', n.metadata.get('m', ''))}"
)
def test_zoo_numbers_are_mpq_never_float_or_mpfr(net) -> None:  # type: ignore[no-untyped-def]
    for _, _, w in net.edges():
        assert type(w) is Q
    for n in net.neurons:
        assert type(net.bias(n)) is Q
    for x in [Q(0), Q(1, 3), Q(-5, 7), Q(3, 2)]:
        for y in evaluate(net, x):
            assert type(y) is Q and not isinstance(y, (float, type(gmpy2.mpfr(0))))
        # and the evaluator agrees with a Fraction walk of the graph
        assert tuple(to_fraction(y) for y in evaluate(net, x)) == fraction_eval(net, [x])
