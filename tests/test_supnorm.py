"""Tests of exactnet.supnorm: exact sup errors, witnesses, honest UNKNOWN."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.algebraic import AlgebraicNumber
from exactnet.certificate import Verdict
from exactnet.constructions.yarotsky2017 import square_net
from exactnet.evaluate import evaluate
from exactnet.network import Network
from exactnet.numbers import Interval, q
from exactnet.supnorm import certify_sup_error, sup_error
from exactnet.targets import parse_target


def test_f_m_against_x_squared() -> None:
    # Yarotsky Prop. 2: sup = 2^(-2m-2), attained in the middle of the first cell, 2^(-m-1)
    for m in range(1, 7):
        c = certify_sup_error(square_net(m), parse_target("x^2"), Interval(0, 1))
        assert c.verdict is Verdict.HOLDS
        assert c.value == q(1) / 2 ** (2 * m + 2)
        assert c.witness == (q(1) / 2 ** (m + 1),)


def test_violation_has_exact_witness() -> None:
    c = certify_sup_error(square_net(2), parse_target("x^2"), Interval(0, 1), "1/65")
    assert c.verdict is Verdict.VIOLATED
    (x,) = c.witness
    assert abs(evaluate(square_net(2), x)[0] - x * x) == q("1/64")


def test_planted_maximum() -> None:
    # N(x) = x on [0,1] against x^2: error x - x^2 peaks at x = 1/2 with value 1/4
    N = Network.from_layers([[[1]]], [[0]], ["identity"])
    r = sup_error(N, parse_target("x^2"), Interval(0, 1))
    v, x = r.value, r.witness
    assert (v, x) == (q("1/4"), q("1/2"))


def test_irrational_maximiser_is_exact() -> None:
    # N(x) = x/2 against x^3: e = x/2 - x^3, e' = 1/2 - 3x^2 = 0 at x = 1/sqrt(6), where
    # e = 1/(2 sqrt 6) - 1/(6 sqrt 6) = 1/(3 sqrt 6) = sqrt(6)/18; v^2 = 6/324 = 1/54, so
    # 54 v^2 - 1 = 0.  On [0, 4/5] the other end gives |e(4/5)| = |2/5 - 64/125| = 14/125
    # = 0.112 < 0.136, so the abs sup is the interior one too.
    N = Network.from_layers([[["1/2"]]], [[0]], ["identity"])
    for interval, side in ((Interval(0, 1), "above"), (Interval(0, q("4/5")), "abs")):
        c = certify_sup_error(N, parse_target("x^3"), interval, "1", side=side)
        assert c.verdict is Verdict.HOLDS
        assert c.value == AlgebraicNumber((-1, 0, 54), q(0), q(1))
        assert c.witness == (AlgebraicNumber((-1, 0, 6), q(0), q(1)),)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.fractions(0, 1, max_denominator=97))
def test_sup_bounds_every_point(m: int, x: Fraction) -> None:
    N = square_net(m)
    r = sup_error(N, parse_target("x^2 - x/3"), Interval(0, 1))
    v, at = r.value, r.witness
    p = parse_target("x^2 - x/3")
    assert abs(evaluate(N, x)[0] - p(x)) <= v
    assert abs(evaluate(N, at)[0] - p(at)) == v
