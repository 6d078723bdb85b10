"""Tests of exactnet.algebraic: real algebraic numbers, their order, decimals and JSON.

Expected values come from elsewhere: square and cube roots of rationals are built
by hand (d x^2 - n, d x^3 - n, with integer-root intervals); their order against
rationals follows from comparing squares (cubes) exactly; decimals come from
Python's ``decimal`` module; minimal polynomials of values from
``sympy.minimal_polynomial`` or, for a + b sqrt(r), from (v - a)^2 = b^2 r.
"""

from __future__ import annotations

import decimal as pydecimal
import json
from fractions import Fraction
from functools import cmp_to_key
from math import gcd, isqrt
from typing import Any

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from exactnet.algebraic import (
    AlgebraicNumber,
    Enclosure,
    bounds,
    compare,
    decimal,
    evaluate_at,
    real_from_json,
    real_to_json,
)
from exactnet.exceptions import InexactInputError, InvalidArgument
from exactnet.numbers import Q, q
from exactnet.polynomial import Polynomial

SETTINGS = settings(max_examples=50, deadline=None)
X = sympy.Symbol("x")


# -- numbers built by hand ------------------------------------------------------------------


def icbrt(n: int) -> int:
    """floor(n^(1/3)) for n >= 0 (integer bisection)."""
    lo, hi = 0, 1
    while hi**3 <= n:
        hi *= 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if mid**3 <= n else (lo, mid)
    return lo


def sqrt_of(n: int, d: int, sign: int = 1) -> AlgebraicNumber:
    """sign * sqrt(n/d) (n/d > 0 in lowest terms, not a square): a root of d x^2 - n.

    sqrt(n/d) = sqrt(n d)/d and k = isqrt(n d) < sqrt(n d) < k + 1, so (k/d, (k+1)/d)
    isolates it (the other root is negative).
    """
    assert gcd(n, d) == 1 and isqrt(n * d) ** 2 != n * d
    k = isqrt(n * d)
    lo, hi = Q(k, d), Q(k + 1, d)
    return AlgebraicNumber((-n, 0, d), lo, hi) if sign > 0 else AlgebraicNumber((-n, 0, d), -hi, -lo)


def cbrt_of(n: int, d: int) -> AlgebraicNumber:
    """(n/d)^(1/3) (n, d > 0 coprime, not both cubes): the real root of d x^3 - n.

    (n/d)^(1/3) = (n d^2)^(1/3) / d and k = icbrt(n d^2) < (n d^2)^(1/3) < k + 1.
    """
    assert gcd(n, d) == 1 and icbrt(n * d * d) ** 3 != n * d * d
    k = icbrt(n * d * d)
    return AlgebraicNumber((-n, 0, 0, d), Q(k, d), Q(k + 1, d))


SQRT2 = sqrt_of(2, 1)


@st.composite
def non_squares(draw: Any) -> tuple[int, int]:
    n, d = draw(st.integers(1, 200)), draw(st.integers(1, 50))
    g = gcd(n, d)
    n, d = n // g, d // g
    assume(isqrt(n * d) ** 2 != n * d)
    return n, d


@st.composite
def non_cubes(draw: Any) -> tuple[int, int]:
    n, d = draw(st.integers(1, 200)), draw(st.integers(1, 30))
    g = gcd(n, d)
    n, d = n // g, d // g
    assume(icbrt(n * d * d) ** 3 != n * d * d)
    return n, d


positive_rationals = st.fractions(min_value=Fraction(1, 60), max_value=20, max_denominator=60)


def sign(v: Any) -> int:
    return (v > 0) - (v < 0)


# -- equality, order, hash --------------------------------------------------------------------


def test_same_number_different_intervals_is_equal() -> None:
    # sqrt 2 in (1, 2), (7/5, 3/2) and (1.41, 1.42): 1.41^2 = 1.9881 < 2 < 2.0164 = 1.42^2
    a = AlgebraicNumber((-2, 0, 1), Q(1), Q(2))
    b = AlgebraicNumber((-2, 0, 1), Q(7, 5), Q(3, 2))
    c = AlgebraicNumber((-2, 0, 1), Q(141, 100), Q(142, 100))
    assert a == b == c and hash(a) == hash(b) == hash(c)
    assert compare(a, c) == 0 and len({a, b, c}) == 1


def test_conjugates_differ() -> None:
    plus, minus = sqrt_of(2, 1), sqrt_of(2, 1, sign=-1)
    assert plus != minus and minus != plus
    assert compare(minus, plus) == -1 and compare(plus, minus) == 1
    assert len({plus, minus}) == 2
    assert (plus.index(), minus.index()) == (1, 0)
    # roots of different polynomials: sqrt 2 < sqrt 3
    assert compare(SQRT2, sqrt_of(3, 1)) == -1 and SQRT2 != sqrt_of(3, 1)


def test_algebraic_is_never_equal_to_a_rational() -> None:
    assert SQRT2 != Q(2) and not (SQRT2 == Q(7, 5))
    # 7/5 < sqrt 2 < 71/50: 49/25 = 1.96 < 2 < 2.0164 = 5041/2500
    assert compare(SQRT2, Q(7, 5)) == 1 and compare(Q(7, 5), SQRT2) == -1
    assert compare(SQRT2, Q(71, 50)) == -1 and compare(Q(71, 50), SQRT2) == 1


@SETTINGS
@given(non_squares(), positive_rationals, st.sampled_from([1, -1]))
def test_square_root_order_against_rationals(nd: tuple[int, int], r: Fraction, sg: int) -> None:
    # for s = sqrt(n/d) > 0 and r > 0: s < r iff n/d < r^2
    n, d = nd
    s = sqrt_of(n, d, sg)
    rq = q(r)
    expected = sign(Fraction(n, d) - r * r) if sg > 0 else -1
    assert compare(s, rq) == expected and compare(rq, s) == -expected
    if sg < 0:
        assert compare(s, -rq) == sign(r * r - Fraction(n, d))


@SETTINGS
@given(non_squares(), non_squares())
def test_square_roots_compare_by_their_squares(a: tuple[int, int], b: tuple[int, int]) -> None:
    x, y = sqrt_of(*a), sqrt_of(*b)
    expected = sign(Fraction(*a) - Fraction(*b))
    assert compare(x, y) == expected
    assert (x == y) == (expected == 0)
    if expected == 0:
        assert hash(x) == hash(y)


@SETTINGS
@given(non_cubes(), positive_rationals)
def test_cube_root_order_against_rationals(nd: tuple[int, int], r: Fraction) -> None:
    n, d = nd
    assert compare(cbrt_of(n, d), q(r)) == sign(Fraction(n, d) - r**3)


def test_sorting_a_mixed_list() -> None:
    # sqrt(1/2) ~ 0.707 < 1 < cbrt 2 ~ 1.26 < sqrt 2 ~ 1.414 < 3/2 < sqrt 3 ~ 1.732
    items = [Q(3, 2), sqrt_of(3, 1), Q(1), SQRT2, cbrt_of(2, 1), sqrt_of(1, 2)]
    got = sorted(items, key=cmp_to_key(compare))
    assert got == [sqrt_of(1, 2), Q(1), cbrt_of(2, 1), SQRT2, Q(3, 2), sqrt_of(3, 1)]


def test_refined_simplified_bounds() -> None:
    r = SQRT2.refined(Q(1, 1000))
    assert r == SQRT2 and r.hi - r.lo <= Q(1, 1000)
    assert r.lo**2 < 2 < r.hi**2
    # the shortest decimal interval isolating sqrt 2 from -sqrt 2 is (1, 2)
    s = AlgebraicNumber((-2, 0, 1), Q(141421356, 10**8), Q(141421357, 10**8)).simplified()
    assert (s.lo, s.hi) == (Q(1), Q(2))
    lo, hi = bounds(SQRT2, Q(1, 10**6))
    assert hi - lo <= Q(1, 10**6) and lo**2 < 2 < hi**2
    assert bounds(Q(3, 7)) == (Q(3, 7), Q(3, 7))


def test_str() -> None:
    # sqrt 2 = 1.41421356237309504880 1688... (Decimal(2).sqrt() at 50 digits; 20 kept, truncated)
    assert str(SQRT2) == "root of x^2 - 2 in (1, 2) ≈ 1.41421356237309504880"


# -- decimals -------------------------------------------------------------------------------


def _truncated(v: pydecimal.Decimal, digits: int) -> str:
    """The decimal module's value truncated toward zero to `digits` places, checked to be
    far enough from a truncation boundary that the 100-digit rounding cannot matter."""
    t = v.quantize(pydecimal.Decimal(1).scaleb(-digits), rounding=pydecimal.ROUND_DOWN)
    rest = abs(v - t).scaleb(digits)  # the dropped part, in units of the last kept digit
    assert pydecimal.Decimal("1e-30") < rest < 1 - pydecimal.Decimal("1e-30")
    return format(t, "f")


@SETTINGS
@given(non_squares(), st.sampled_from([1, -1]))
def test_decimal_of_square_roots(nd: tuple[int, int], sg: int) -> None:
    n, d = nd
    with pydecimal.localcontext() as ctx:
        ctx.prec = 100
        v = (pydecimal.Decimal(n) / pydecimal.Decimal(d)).sqrt()
        expected = _truncated(v if sg > 0 else -v, 60)
    assert decimal(sqrt_of(n, d, sg), 60) == expected


@SETTINGS
@given(non_cubes())
def test_decimal_of_cube_roots(nd: tuple[int, int]) -> None:
    n, d = nd
    with pydecimal.localcontext() as ctx:
        ctx.prec = 100
        v = (pydecimal.Decimal(n) / pydecimal.Decimal(d)) ** (pydecimal.Decimal(1) / 3)
        expected = _truncated(v, 60)
    assert decimal(cbrt_of(n, d), 60) == expected


@SETTINGS
@given(st.fractions(min_value=-50, max_value=50, max_denominator=97), st.integers(0, 40))
def test_decimal_of_rationals(r: Fraction, digits: int) -> None:
    with pydecimal.localcontext() as ctx:
        ctx.prec = 200  # a rational of denominator <= 97 has no run of 100 nines: truncation is safe
        v = pydecimal.Decimal(r.numerator) / pydecimal.Decimal(r.denominator)
        t = v.quantize(pydecimal.Decimal(1).scaleb(-digits), rounding=pydecimal.ROUND_DOWN)
    # Decimal keeps the sign of a negative number truncated to zero: "-0.000", as exactnet does
    assert decimal(q(r), digits) == format(t, "f")


def test_decimal_by_hand() -> None:
    assert decimal(Q(-2, 3), 5) == "-0.66666"
    assert decimal(SQRT2, 10) == "1.4142135623"
    assert decimal(sqrt_of(2, 1, -1), 3) == "-1.414"
    assert decimal(Q(7, 2), 0) == "3"
    # sqrt(6)/18 = 0.13608276348795433878873800415032... (Decimal(6).sqrt() / 18 at 50 digits)
    assert decimal(AlgebraicNumber((-1, 0, 54), Q(1, 8), Q(1, 7))) == "0.136082763487954338788738004150"


# -- evaluate_at --------------------------------------------------------------------------------


def P(*cs: Any) -> Polynomial:
    return Polynomial.from_coeffs(list(cs))


def test_evaluate_at_sqrt2_plus_square() -> None:
    # r = sqrt 2, r^2 + r = 2 + sqrt 2: (v - 2)^2 = 2, v^2 - 4v + 2 = 0; 3 < v < 4
    v = evaluate_at(SQRT2, P(0, 1, 1))
    assert v == AlgebraicNumber((2, -4, 1), Q(3), Q(4))


def _sympy_expected(expr: Any) -> Any:
    """The exact value of a sympy expression as a Q or an AlgebraicNumber, via sympy."""
    m = sympy.Poly(sympy.minimal_polynomial(expr, X), X)
    if m.degree() == 1:
        c1, c0 = m.all_coeffs()
        return Q(int(-c0.p * c1.q), int(c0.q * c1.p))
    ints = [int(c) for c in reversed(m.clear_denoms()[1].primitive()[1].all_coeffs())]
    if ints[-1] < 0:
        ints = [-c for c in ints]
    approx = sympy.N(expr, 60)  # used only to pick which isolating interval holds the value
    hits = [(a, b) for (a, b), _ in m.intervals() if a < approx < b]
    assert len(hits) == 1
    a, b = hits[0]
    return AlgebraicNumber(tuple(ints), Q(int(a.p), int(a.q)), Q(int(b.p), int(b.q)))


S2, C2 = sympy.sqrt(2), sympy.cbrt(2)
PLASTIC = sympy.CRootOf(X**3 - X - 1, 0)


@pytest.mark.parametrize(
    "r, num, den, expr",
    [
        (SQRT2, P(0, 1, 1), None, S2**2 + S2),
        (SQRT2, P(-1, "1/2"), P(1, 1), (S2 / 2 - 1) / (S2 + 1)),
        (sqrt_of(2, 1, -1), P(3, 0, 0, 1), None, 3 - 2 * S2),  # (-sqrt2)^3 + 3
        (cbrt_of(2, 1), P(1, 0, 1), None, C2**2 + 1),
        (cbrt_of(2, 1), P(0, 1), P(1, 0, 0, 1), C2 / 3),  # cbrt2 / (1 + 2)
        (AlgebraicNumber((-1, -1, 0, 1), Q(1), Q(2)), P(0, 0, 1), None, PLASTIC**2),
        (AlgebraicNumber((-1, 0, 6), Q(2, 5), Q(1, 2)), P(0, "1/2", 0, -1), None, (1 / sympy.sqrt(6)) / 2 - (1 / sympy.sqrt(6)) ** 3),
        (AlgebraicNumber((-1, -1, 1), Q(1), Q(2)), P(0, -1, 1), None, sympy.Integer(1)),  # phi^2 - phi = 1
        (SQRT2, P(0, 0, "3/4"), None, sympy.Rational(3, 2)),
    ],
)
def test_evaluate_at_against_sympy_minimal_polynomial(r: AlgebraicNumber, num: Polynomial, den: Polynomial | None, expr: Any) -> None:
    got = evaluate_at(r, num, den)
    expected = _sympy_expected(expr)
    assert type(got) is type(expected)
    assert got == expected
    if isinstance(got, AlgebraicNumber):
        assert compare(got, expected) == 0


@SETTINGS
@given(non_squares(), st.lists(st.fractions(-4, 4, max_denominator=6), max_size=4))
def test_evaluate_at_square_roots(nd: tuple[int, int], cs: list[Fraction]) -> None:
    # num(s) with s^2 = t = n/d splits as A + B s, A = sum_even c_k t^(k/2), B = sum_odd c_k t^((k-1)/2);
    # if B != 0 it is the root of (v - A)^2 - B^2 t on the side of A given by the sign of B
    n, d = nd
    t = Fraction(n, d)
    A = sum((c * t ** (k // 2) for k, c in enumerate(cs) if k % 2 == 0), Fraction(0))
    B = sum((c * t ** (k // 2) for k, c in enumerate(cs) if k % 2 == 1), Fraction(0))
    got = evaluate_at(sqrt_of(n, d), Polynomial.from_coeffs([q(c) for c in cs]))
    if B == 0:
        assert got == q(A)
        return
    assert isinstance(got, AlgebraicNumber)
    expected = Polynomial.from_coeffs([q(A * A - B * B * t), q(-2 * A), 1])
    assert got.poly == expected.integer_coeffs()
    assert compare(got, q(A)) == sign(B)


def test_evaluate_at_a_rational_point() -> None:
    # (x^2 + 1)/(x - 1) at 1/2: (5/4)/(-1/2) = -5/2
    assert evaluate_at(Q(1, 2), P(1, 0, 1), P(-1, 1)) == Q(-5, 2)
    with pytest.raises(InvalidArgument):
        evaluate_at(Q(1), P(1), P(-1, 1))


def test_evaluate_at_a_root_of_the_denominator_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        evaluate_at(SQRT2, P(1), P(-2, 0, 1))  # 1/(x^2 - 2) at sqrt 2


# -- JSON ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x",
    [Q(0), Q(-7, 3), Q(5), SQRT2, sqrt_of(3, 7, -1), cbrt_of(5, 2), Enclosure(Q(1, 3), Q(1, 2)), Enclosure(Q(2), Q(2))],
    ids=str,
)
def test_json_round_trip(x: Any) -> None:
    d = real_to_json(x)
    back = real_from_json(json.loads(json.dumps(d)))
    assert back == x and type(back) is type(x)
    if isinstance(x, AlgebraicNumber):
        assert (back.poly, back.lo, back.hi) == (x.poly, x.lo, x.hi)


def test_json_fields_follow_the_certificate_format() -> None:
    # docs/certificate.md: rationals "p/q" in lowest terms; algebraic {"algebraic": {"poly", "interval"},
    # "decimal": 30 digits truncated}; enclosure {"enclosure": [lo, hi]}.  sqrt(6)/18 (the root of
    # 54 v^2 - 1 in (1/8, 1/7)) = 0.13608276348795433878873800415032... (Decimal(6).sqrt() / 18)
    assert real_to_json(Q(-6, 4)) == "-3/2" and real_to_json(Q(4)) == "4"
    v = AlgebraicNumber((-1, 0, 54), Q(1, 8), Q(1, 7))
    assert real_to_json(v) == {
        "algebraic": {"poly": ["-1", "0", "54"], "interval": ["1/8", "1/7"]},
        "decimal": "0.136082763487954338788738004150",
    }
    assert real_to_json(Enclosure(Q(1, 3), Q(1, 2))) == {"enclosure": ["1/3", "1/2"]}


def test_json_decimal_is_not_read_back() -> None:
    d = {"algebraic": {"poly": ["-2", "0", "1"], "interval": ["1", "2"]}, "decimal": "9.99"}
    assert real_from_json(d) == SQRT2
    assert real_from_json("0.125") == Q(1, 8) and real_from_json("-3/6") == Q(-1, 2)


def test_json_refuses_floats() -> None:
    with pytest.raises(InexactInputError):
        real_from_json(0.5)


# -- invalid constructions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "poly, lo, hi",
    [
        ((-2, 1), Q(1), Q(3)),  # degree 1: a rational, not an AlgebraicNumber
        ((5,), Q(0), Q(1)),
        ((2, 0, -1), Q(1), Q(2)),  # negative leading coefficient
        ((-2, 0, 0), Q(1), Q(2)),  # leading coefficient 0
        ((-2, 0, 1), Q(2), Q(1)),  # lo > hi
        ((-2, 0, 1), Q(3, 2), Q(3, 2)),  # lo == hi
    ],
)
def test_invalid_constructions_are_refused(poly: tuple[int, ...], lo: Q, hi: Q) -> None:
    with pytest.raises(InvalidArgument):
        AlgebraicNumber(poly, lo, hi)


def test_invalid_enclosure_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        Enclosure(Q(1), Q(0))


@pytest.mark.parametrize(
    "poly, lo, hi",
    [
        ((-2, 0, 1), Q(3), Q(4)),  # no root of x^2 - 2 in (3, 4): 9 > 2
        ((-2, 0, 1), Q(-2), Q(2)),  # both roots +-sqrt 2 in (-2, 2)
        ((-2, 0, 2), Q(1, 2), Q(3, 2)),  # 2x^2 - 2 = 2(x - 1)(x + 1): the root 1 is rational
        ((-4, 0, 2), Q(1), Q(2)),  # 2x^2 - 4 is not primitive (it is 2 (x^2 - 2))
        ((-2, 0, 1), Q(1), Q(141421356, 10**8)),  # 1.41421356^2 < 2: sqrt 2 is beyond hi
    ],
    ids=["no-root", "two-roots", "reducible", "not-primitive", "root-outside"],
)
def test_non_isolating_constructions_are_refused(poly: tuple[int, ...], lo: Q, hi: Q) -> None:
    with pytest.raises(InvalidArgument):
        AlgebraicNumber(poly, lo, hi)


def test_integer_interval_ends_work() -> None:
    r = AlgebraicNumber((-2, 0, 1), 1, 2)  # type: ignore[arg-type]
    assert compare(r, Q(3, 2)) == -1
