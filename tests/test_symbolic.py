"""Tests of exactnet.symbolic: Piecewise forms written by hand, round trips, an independent
route through Max(0, .), and size formulas checked and proved (issue 6, part 4)."""

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.certificate import Verdict
from exactnet.compose import sequential
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net, tent_net
from exactnet.exceptions import InvalidArgument
from exactnet.metrics import metrics
from exactnet.network import Network
from exactnet.numbers import Interval, Q
from exactnet.pwl import PiecewiseLinear, to_pwl
from exactnet.symbolic import (
    certify_size_formula,
    from_sympy,
    network_expression,
    sawtooth_size_formulas,
    square_size_formulas,
    to_sympy,
)
from tests.strategies import layered_networks

x = sympy.Symbol("x")
R = sympy.Rational


def test_three_pieces_by_hand() -> None:
    # up with slope 2 to (1, 2), flat to (2, 2), down with slope -2 to (3, 0): on [2, 3] the
    # line through (2, 2) and (3, 0) is 6 - 2x
    f = PiecewiseLinear.from_points([(0, 0), (1, 2), (2, 2), (3, 0)])
    expected = sympy.Piecewise(
        (2 * x, (x >= 0) & (x <= 1)),
        (sympy.Integer(2), (x >= 1) & (x <= 2)),
        (6 - 2 * x, (x >= 2) & (x <= 3)),
    )
    assert to_sympy(f) == expected
    assert to_sympy(f).subs(x, R(5, 2)) == 1
    assert from_sympy(expected).equals(f)


def test_network_to_sympy_by_hand() -> None:
    # relu(x) - relu(x - 1) on [-1, 2]: 0, then x, then 1 (a clipped ramp)
    net = Network.from_layers([[[1], [1]], [[1, -1]]], [[0, -1], [0]], ["relu", "identity"])
    expected = sympy.Piecewise(
        (sympy.Integer(0), (x >= -1) & (x <= 0)),
        (x, (x >= 0) & (x <= 1)),
        (sympy.Integer(1), (x >= 1) & (x <= 2)),
    )
    assert to_sympy(net, Interval(-1, 2)) == expected
    # collinear pieces are merged: g_1 = tent on [0, 1/4] is the single piece 2x
    assert to_sympy(tent_net(), Interval(0, "1/4")) == sympy.Piecewise((2 * x, (x >= 0) & (x <= R(1, 4))))
    with pytest.raises(InvalidArgument, match="needs an interval"):
        to_sympy(net)


def test_network_expression_by_hand() -> None:
    # tent_net is 2 relu(x) - 4 relu(x - 1/2) (Yarotsky 2017, eq. (3))
    (e,) = network_expression(tent_net())
    assert e == 2 * sympy.Max(0, x) - 4 * sympy.Max(0, x - R(1, 2))
    with pytest.raises(InvalidArgument, match="max_neurons"):
        network_expression(sawtooth_net(10), max_neurons=8)


@pytest.mark.parametrize(
    "net, interval",
    [(tent_net(), Interval(-1, 2)), (sawtooth_net(2), Interval(0, 1)), (square_net(2), Interval(0, 1))],
)
def test_max_expression_route_agrees_with_pwl(net: Network, interval: Interval) -> None:
    # an independent route (small nets: piecewise_fold of nested Max grows fast; g_3 takes ~20 s):
    # the formula with Max(0, .), rewritten by sympy as a Piecewise and
    # read back, against the exact PWL extraction
    (e,) = network_expression(net)
    assert from_sympy(e, interval).equals(to_pwl(net, interval).canonical())


@settings(max_examples=25, deadline=None)
@given(layered_networks(inputs=1, outputs=1, max_depth=2, max_width=3))
def test_max_route_on_random_networks(net: Network) -> None:
    (e,) = network_expression(net)
    I = Interval(-2, 3)
    assert from_sympy(e, I).equals(to_pwl(net, I).canonical())


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fractions(-4, 4, max_denominator=8), min_size=2, max_size=7, unique=True),
       st.data())
def test_round_trip(xs, data) -> None:
    pts = [(Q(v.numerator, v.denominator), Q(data.draw(st.integers(-5, 5)), 3)) for v in sorted(xs)]
    f = PiecewiseLinear.from_points(pts)
    assert from_sympy(to_sympy(f)).equals(f.canonical())


@pytest.mark.parametrize(
    "expr, interval, message",
    [
        (x**2, Interval(0, 1), "not linear"),
        (sympy.sqrt(2) * x, Interval(0, 1), "not a rational"),
        (sympy.Piecewise((0, x < 1), (1, True)), Interval(0, 2), "jumps at x = 1"),
        (sympy.Piecewise((x, (x >= 0) & (x <= 1))), Interval(0, 2), "no piece"),
        (sympy.Piecewise((sympy.sin(x), x <= 1), (1, True)), Interval(0, 2), "not linear"),
        (x + sympy.Symbol("y"), Interval(0, 1), "several variables"),
        (x + 1, None, "give an interval"),
    ],
)
def test_refusals(expr, interval, message) -> None:
    with pytest.raises(InvalidArgument, match=message):
        from_sympy(expr, interval)
    with pytest.raises(InvalidArgument, match="sympy expression"):
        from_sympy("x + 1", Interval(0, 1))  # raw text is never sympified


def test_size_formulas_by_hand() -> None:
    # sawtooth_net(2) counted by hand: x -> h1 (2 edges), h1 -> h2 (4), h2 -> y (2) = 8 weights,
    # 2 nonzero biases (-1/2 twice), 5 neurons, 3 affine layers
    s = sympy.Symbol("s")
    f = sawtooth_size_formulas(s)
    assert [f[k].subs(s, 2) for k in ("weights", "biases_nonzero", "neurons", "depth")] == [8, 2, 5, 3]
    # square_net(2) by hand: x->y, x->a1, x->b1, a1,b1 -> a2,b2 (4), a1,b1,a2,b2 -> y (4) = 11;
    # distinct weights {1, -1/2, 2, -4, -1/8, 1/4} = 6
    m = sympy.Symbol("m")
    g = square_size_formulas(m)
    assert g["weights"].subs(m, 2) == 11 and g["distinct_weights"].subs(m, 2) == 6
    assert g["distinct_weights"].subs(m, 1) == 2  # {1, -1/2}


def test_size_formulas_match_counts() -> None:
    s, m = sympy.Symbol("s"), sympy.Symbol("m")
    for p in range(1, 7):
        ms, mq = metrics(sawtooth_net(p)).as_dict(), metrics(square_net(p)).as_dict()
        assert all(ms[k] == v.subs(s, p) for k, v in sawtooth_size_formulas(s).items())
        assert all(mq[k] == v.subs(m, p) for k, v in square_size_formulas(m).items())


def test_certify_size_formula_proves_for_all() -> None:
    m = sympy.Symbol("m")
    c = certify_size_formula(square_net, square_size_formulas(m), parameter=m, params=range(1, 6), claim="f_m")
    assert c.verdict is Verdict.HOLDS
    assert set(c.details["for_all"]) >= {"weights", "depth", "neurons", "weights_with_biases"}
    assert set(c.details["range_only"]) == {"width", "distinct_weights", "distinct_weights_with_biases"}
    # each level of f_m adds two ReLUs and six weights (4 from the previous level, 2 into y)
    assert c.details["block"]["contribution"]["weights"] == 6
    assert "same block" in c.details["assumption"]


def test_wrong_formula_violated_at_first_parameter() -> None:
    # 4s + 1 weights is wrong at once (g_1 has 4); 4s + (s-1)(s-2) is right at s = 1, 2 and first
    # wrong at s = 3, where it says 12 + 2 = 14 and g_3 has 12 (by hand: 2 + 4 + 4 + 2)
    s = sympy.Symbol("s")
    c = certify_size_formula(sawtooth_net, {"weights": 4 * s + 1}, parameter=s, params=range(1, 5), claim="bad")
    assert c.verdict is Verdict.VIOLATED and c.witness == (Q(1), Q(4)) and c.value == 5
    c = certify_size_formula(sawtooth_net, {"weights": 4 * s + (s - 1) * (s - 2)}, parameter=s,
                             params=range(1, 5), claim="bad")
    assert c.verdict is Verdict.VIOLATED and c.witness == (Q(3), Q(12)) and c.value == 14


def test_formula_right_on_the_range_wrong_beyond() -> None:
    # 4s + (s-1)(s-2)(s-3) equals 4s for s = 1, 2, 3 but not at s = 4 (16 + 6 = 22); the step
    # identity fails, and the counterexample is confirmed by building sawtooth_net(4): 16 weights
    s = sympy.Symbol("s")
    c = certify_size_formula(sawtooth_net, {"weights": 4 * s + (s - 1) * (s - 2) * (s - 3)}, parameter=s,
                             params=range(1, 4), claim="bad")
    assert c.verdict is Verdict.VIOLATED and c.witness == (Q(4), Q(16)) and c.value == 22


def test_changing_block_is_not_extrapolated() -> None:
    # hidden layers of widths 1, 2, 1, 2, ...: the block alternates, so no induction is claimed
    def zigzag(p: int) -> Network:
        widths = [1 if l % 2 == 0 else 2 for l in range(p)]
        Ws, prev = [], 1
        for w in widths + [1]:
            Ws.append([[1] * prev for _ in range(w)])
            prev = w
        return Network.from_layers(Ws, [[0] * len(r) for r in Ws], ["relu"] * p + ["identity"])

    p = sympy.Symbol("p")
    neurons = p + sympy.floor(p / 2) + 1  # by hand: p layers, every second one of width 2, + output
    c = certify_size_formula(zigzag, {"neurons": neurons}, parameter=p, params=range(1, 6), claim="zigzag")
    assert c.verdict is Verdict.UNKNOWN and "differs" in c.details["reason"]


def test_block_of_a_composition() -> None:
    # g_(s+1) = sequential(g_s, tent): the output folds into the next level, so each step
    # removes the old output's two in-edges and adds 4 + 2 edges: +4 weights (by hand)
    s = sympy.Symbol("s")

    def builder(k: int) -> Network:
        return sawtooth_net(k) if k == 1 else sequential(builder(k - 1), tent_net())

    c = certify_size_formula(builder, {"weights": 4 * s}, parameter=s, params=range(1, 5), claim="g_s")
    assert c.verdict is Verdict.HOLDS and c.details["block"]["contribution"]["weights"] == 4
