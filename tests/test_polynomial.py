"""Tests of exactnet.polynomial: the algebra of Polynomial over Q.

Arithmetic laws are hypothesis properties over random rational coefficient lists
(``st.fractions`` with bounded denominators, converted with ``exactnet.numbers.q``);
evaluation, derivatives and integrals are also checked on hand-worked examples.
"""

from __future__ import annotations

import signal
from fractions import Fraction
from math import gcd
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exactnet.exceptions import InexactInputError, InvalidArgument
from exactnet.numbers import Q, q
from exactnet.polynomial import Polynomial

SETTINGS = settings(max_examples=60, deadline=None)

coefficient = st.fractions(min_value=-5, max_value=5, max_denominator=7)


def poly_from(cs: list[Fraction]) -> Polynomial:
    return Polynomial.from_coeffs([q(c) for c in cs])


def polys(max_degree: int = 5, *, nonzero: bool = False) -> st.SearchStrategy[Polynomial]:
    """Random polynomials of degree <= max_degree (the zero polynomial included unless nonzero)."""
    s = st.lists(coefficient, max_size=max_degree + 1).map(poly_from)
    return s.filter(lambda p: not p.is_zero) if nonzero else s


points = st.fractions(min_value=-6, max_value=6, max_denominator=9).map(q)


def P(*cs: Any) -> Polynomial:
    """Coefficients from the constant term up."""
    return Polynomial.from_coeffs(list(cs))


ONE_POLY = P(1)


# -- construction and representation ---------------------------------------------------


def test_trailing_zeros_are_dropped_and_zero_has_degree_minus_one() -> None:
    assert P(1, 2, 0, 0).coeffs == (Q(1), Q(2))
    assert P(0, 0).coeffs == () and P().is_zero and P(0).degree == -1
    assert P(0, 0).lead == 0
    assert P(3, "1/2").degree == 1 and P(3, "1/2").lead == Q(1, 2)
    assert Polynomial.x() == P(0, 1) and Polynomial.constant("2/3") == P("2/3")


def test_floats_are_refused() -> None:
    with pytest.raises(InexactInputError):
        P(1, 0.5)
    with pytest.raises(InexactInputError):
        P(1, 1)(0.5)


@pytest.mark.parametrize(
    "cs, text",
    [
        ((), "0"),
        ((5,), "5"),
        ((0, 1), "x"),
        ((0, -1), "-x"),
        ((-1, 0, 1), "x^2 - 1"),
        ((0, "-1/2", 0, 1), "x^3 - 1/2*x"),
        (("1/3", -2, 0, -1), "-x^3 - 2*x + 1/3"),
    ],
)
def test_str(cs: tuple[Any, ...], text: str) -> None:
    assert str(P(*cs)) == text


def test_evaluation_by_hand() -> None:
    # 2x^3 - x + 1/2 at x = -1/2: 2(-1/8) + 1/2 + 1/2 = 3/4
    assert P("1/2", -1, 0, 2)(Q(-1, 2)) == Q(3, 4)
    assert P("1/2", -1, 0, 2)("-1/2") == Q(3, 4)
    assert P()(Q(7)) == 0
    assert isinstance(P("1/3", 2)(Q(1, 5)), Q)


# -- ring laws ----------------------------------------------------------------------------


@SETTINGS
@given(polys(), polys(), points)
def test_ring_operations_agree_with_evaluation(p: Polynomial, r: Polynomial, x: Q) -> None:
    assert (p * r)(x) == p(x) * r(x)
    assert (p + r)(x) == p(x) + r(x)
    assert (p - r)(x) == p(x) - r(x)
    assert (-p)(x) == -p(x)
    assert p.compose(r)(x) == p(r(x))


@SETTINGS
@given(polys(), polys(), polys())
def test_ring_laws(a: Polynomial, b: Polynomial, c: Polynomial) -> None:
    assert a * b == b * a and a + b == b + a
    assert (a * b) * c == a * (b * c)
    assert a * (b + c) == a * b + a * c
    assert (a - a).is_zero
    if not a.is_zero and not b.is_zero:
        assert (a * b).degree == a.degree + b.degree


@SETTINGS
@given(polys(3), st.integers(0, 4), points, coefficient)
def test_power_and_scale(p: Polynomial, n: int, x: Q, c: Fraction) -> None:
    assert (p**n)(x) == p(x) ** n
    assert p.scale(q(c))(x) == q(c) * p(x)


def test_negative_power_is_refused() -> None:
    # p ** -1 is not a polynomial; it must be refused at once.  (An alarm guards the
    # test so that an endless loop shows up as a failure, not a hang.)
    with _time_limit(1):
        with pytest.raises(InvalidArgument):
            Polynomial.x() ** -1


# -- division ------------------------------------------------------------------------------


@SETTINGS
@given(polys(6), polys(4, nonzero=True))
def test_divmod_identity(p: Polynomial, d: Polynomial) -> None:
    qt, r = p.divmod(d)
    assert qt * d + r == p
    assert r.degree < d.degree
    assert p % d == r


def test_divmod_by_hand() -> None:
    # x^3 - 2x + 5 = (x^2 + 2x + 2)(x - 2) + 9  (long division: x^2, 2x, 2; remainder 5 + 4 = 9)
    qt, r = P(5, -2, 0, 1).divmod(P(-2, 1))
    assert (qt, r) == (P(2, 2, 1), P(9))
    # deg p < deg d: quotient 0, remainder p
    assert P(1, 1).divmod(P(0, 0, 3)) == (P(), P(1, 1))
    # by a constant: exact scaling, remainder 0
    assert P(1, 2, 3).divmod(P("1/2")) == (P(2, 4, 6), P())


def test_division_by_zero_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        P(1, 1).divmod(P())
    with pytest.raises(InvalidArgument):
        P(1, 1) % P(0)


# -- gcd and squarefree --------------------------------------------------------------------


@SETTINGS
@given(polys(4), polys(4))
def test_gcd_divides_both_and_is_monic(a: Polynomial, b: Polynomial) -> None:
    g = a.gcd(b)
    if a.is_zero and b.is_zero:
        assert g.is_zero
        return
    assert g.lead == 1
    assert (a % g).is_zero and (b % g).is_zero


@SETTINGS
@given(polys(3), polys(3), polys(3, nonzero=True))
def test_gcd_is_greatest(a: Polynomial, b: Polynomial, c: Polynomial) -> None:
    # every common factor c of a c and b c divides their gcd
    assume(not a.is_zero or not b.is_zero)
    g = (a * c).gcd(b * c)
    assert (g % c).is_zero


def test_gcd_by_hand() -> None:
    # (x - 1)(x + 2) and (x - 1)(x - 3): gcd x - 1; scaled inputs give the same monic gcd
    assert P(-2, 1, 1).scale(3).gcd(P(3, -4, 1).scale("-1/2")) == P(-1, 1)
    assert P(1, 1).gcd(P(2, 1)) == ONE_POLY  # coprime
    assert P().gcd(P(4, 2)) == P(2, 1)


@SETTINGS
@given(polys(3, nonzero=True), polys(2, nonzero=True), st.integers(1, 3))
def test_squarefree_has_simple_roots(a: Polynomial, b: Polynomial, k: int) -> None:
    p = a * b**k
    assume(p.degree >= 1)
    s = p.squarefree()
    assert s.lead == 1
    assert s.gcd(s.derivative()) == ONE_POLY  # no repeated root
    assert (p % s).is_zero  # every root of s is a root of p
    assert ((s ** p.degree) % p).is_zero  # every root of p is a root of s


def test_squarefree_by_hand() -> None:
    # 2 (x - 1)^3 (x + 1)^2 -> (x - 1)(x + 1) = x^2 - 1
    p = P(-1, 1) ** 3 * P(1, 1) ** 2
    assert p.scale(2).squarefree() == P(-1, 0, 1)
    assert P(5).squarefree() == ONE_POLY


# -- calculus ---------------------------------------------------------------------------------


def test_calculus_by_hand() -> None:
    p = P(5, -2, 3)  # 3x^2 - 2x + 5
    assert p.derivative() == P(-2, 6)
    assert p.antiderivative() == P(0, 5, -1, 1)  # x^3 - x^2 + 5x
    # integral over [0, 2]: 8 - 4 + 10 = 14; over [-1, 1]: the odd part cancels, 2 (1 + 5) = 12
    assert p.integrate(Q(0), Q(2)) == 14
    assert p.integrate(Q(-1), Q(1)) == 12
    # x^3 over [0, 1/2]: (1/2)^4 / 4 = 1/64
    assert P(0, 0, 0, 1).integrate(Q(0), Q(1, 2)) == Q(1, 64)
    assert P(7).derivative() == P() and P().antiderivative() == P()
    assert P("1/2").antiderivative() == P(0, "1/2")


@SETTINGS
@given(polys(), polys(), points, points, points)
def test_calculus_laws(p: Polynomial, r: Polynomial, a: Q, b: Q, c: Q) -> None:
    assert p.antiderivative().derivative() == p
    assert p.antiderivative()(0) == 0
    assert (p * r).derivative() == p.derivative() * r + p * r.derivative()
    assert p.integrate(a, b) + p.integrate(b, c) == p.integrate(a, c)
    assert p.integrate(a, a) == 0
    assert p.integrate(a, b) == -p.integrate(b, a)


@SETTINGS
@given(polys(4), points)
def test_integral_term_by_term(p: Polynomial, b: Q) -> None:
    # an independent route: integral_0^b x^k dx = b^(k+1)/(k+1), summed term by term
    expected = sum((c * b ** (k + 1) / (k + 1) for k, c in enumerate(p.coeffs)), Q(0))
    assert p.integrate(Q(0), b) == expected


# -- interval evaluation -------------------------------------------------------------------


@SETTINGS
@given(polys(), points, points, st.integers(0, 12))
def test_range_on_contains_every_value(p: Polynomial, u: Q, w: Q, k: int) -> None:
    lo, hi = min(u, w), max(u, w)
    x = lo + (hi - lo) * Q(k, 12)
    a, b = p.range_on(lo, hi)
    assert a <= p(x) <= b


@SETTINGS
@given(polys(), points)
def test_range_on_a_point_is_the_value(p: Polynomial, x: Q) -> None:
    assert p.range_on(x, x) == (p(x), p(x))


def test_range_on_by_hand() -> None:
    # x^2 on [-1, 2]: Horner gives x * [-1, 2] = [-2, 4] (not the true range [0, 4]; only containment is promised)
    assert P(0, 0, 1).range_on(Q(-1), Q(2)) == (Q(-2), Q(4))
    # 3x - 1 on [1/3, 1]: affine, so exact: [0, 2]
    assert P(-1, 3).range_on(Q(1, 3), Q(1)) == (Q(0), Q(2))


# -- integer form -----------------------------------------------------------------------------


@SETTINGS
@given(polys())
def test_integer_coeffs_primitive_positive_proportional(p: Polynomial) -> None:
    ints = p.integer_coeffs()
    if p.is_zero:
        assert ints == ()
        return
    assert all(type(c) is int for c in ints)
    assert len(ints) == len(p.coeffs)
    g = 0
    for c in ints:
        g = gcd(g, c)
    assert g == 1
    assert ints[-1] > 0
    # proportional: ints = t p with t = ints[-1] / lead(p)
    t = Q(ints[-1]) / p.lead
    assert Polynomial.from_coeffs(list(ints)) == p.scale(t)


def test_integer_coeffs_by_hand() -> None:
    # -(x^2/2 - 1/3) = -(3x^2 - 2)/6 -> 3x^2 - 2
    assert P("1/3", 0, "-1/2").integer_coeffs() == (-2, 0, 3)
    assert P(4, 6).integer_coeffs() == (2, 3)
    assert P("-7/3").integer_coeffs() == (1,)


# -- helpers -----------------------------------------------------------------------------------


class _Timeout(Exception):
    pass


class _time_limit:
    """Raise _Timeout in the block after `seconds` (SIGALRM; Unix)."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        def handler(signum: int, frame: Any) -> None:
            raise _Timeout(f"no answer within {self.seconds} s")

        self.old = signal.signal(signal.SIGALRM, handler)
        signal.alarm(self.seconds)

    def __exit__(self, *exc: Any) -> None:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.old)
