"""Tests of exactnet.reals: real root isolation and Arb ball enclosures.

Independent routes:

* roots: sympy, exactly.  ``Poly.count_roots(a, b)`` counts the distinct real roots
  in [a, b] by Sturm sequences in exact rational arithmetic, so "exactly one root of
  p in (a, b), and it is the i-th" is decided without any floating point: the
  i-th root lies in (a, b) iff p(a), p(b) != 0, count_roots(a, b) == 1 and
  count_roots(-oo, a) == i.  Rational roots are compared with sympy's exact
  ``Rational`` roots.
* enclosures: mpmath's interval arithmetic (``mpmath.iv``) at 60 digits.  Its
  intervals are rigorous too, so the true value lies in both enclosures and the
  two must intersect; with the Arb enclosure narrower than 10^-60, that says the
  two agree to 60 digits, without any tolerance.  The mpmath interval ends are read
  back as exact rationals from their raw (sign, mantissa, exponent) form.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mpmath import iv

from exactnet.exceptions import InvalidArgument
from exactnet.numbers import Q, q
from exactnet.polynomial import Polynomial
from exactnet.reals import enclose, enclose_error, factor, isolate_irreducible, real_roots
from exactnet.targets import parse_target

X = sympy.Symbol("x")
SETTINGS = settings(max_examples=60, deadline=None)


# -- helpers ---------------------------------------------------------------------------------


def spoly(coeffs: tuple[int, ...] | list[Any]) -> sympy.Poly:
    """A sympy polynomial from coefficients of x^0, x^1, ... (exact)."""
    return sympy.Poly([sympy.Rational(str(c)) for c in reversed(coeffs)], X)


def srat(x: Q) -> sympy.Rational:
    return sympy.Rational(int(x.numerator), int(x.denominator))


def exact_poly(coeffs: list[int]) -> Polynomial:
    return Polynomial.from_coeffs(coeffs)


def is_rational(r: object) -> bool:
    return isinstance(r, Q)


def check_isolation(p: Polynomial, roots: list[Any], first_index: int = 0) -> None:
    """Each entry is the (first_index + i)-th distinct real root of p, decided exactly with sympy."""
    sp = spoly(p.integer_coeffs()).sqf_part()
    for i, r in enumerate(roots, start=first_index):
        if is_rational(r):
            assert sp.eval(srat(r)) == 0
            assert sp.count_roots(None, srat(r)) == i + 1  # r itself and the i roots below it
        else:
            poly, a, b = r
            assert isinstance(a, Q) and isinstance(b, Q) and a < b
            A, B = srat(a), srat(b)
            assert sp.eval(A) != 0 and sp.eval(B) != 0
            assert sp.count_roots(A, B) == 1
            assert sp.count_roots(None, A) == i
            # the reported polynomial: irreducible, primitive, positive leading coefficient, a
            # factor of p, with exactly one root in (a, b) -- so that root is the same one
            g = spoly(poly)
            assert len(poly) >= 3 and poly[-1] > 0 and g.is_irreducible
            assert sympy.gcd_list([sympy.Integer(c) for c in poly]) == 1
            assert spoly(p.integer_coeffs()).rem(g).is_zero
            assert g.count_roots(A, B) == 1 and g.eval(A) != 0 and g.eval(B) != 0


# -- strategies --------------------------------------------------------------------------------

random_integer_polys = st.lists(st.integers(-9, 9), min_size=2, max_size=7).filter(
    lambda cs: any(cs[1:])
)


@st.composite
def planted_polys(draw: Any) -> list[int]:
    """Products of rational linear factors and integer quadratics, with repeats (degree <= 6)."""
    p = sympy.Poly(draw(st.integers(1, 3)), X)
    deg = 0
    while deg < draw(st.integers(1, 6)):
        if draw(st.booleans()) or deg == 5:
            f = sympy.Poly(draw(st.integers(1, 4)) * X - draw(st.integers(-6, 6)), X)
        else:
            f = sympy.Poly(X**2 + draw(st.integers(-4, 4)) * X + draw(st.integers(-5, 5)), X)
        k = draw(st.integers(1, 2))
        if deg + k * f.degree() > 6:
            k = 1
        if deg + f.degree() > 6:
            break
        p, deg = p * f**k, deg + k * f.degree()
    assume(deg >= 1)
    return [int(c) for c in reversed(p.all_coeffs())]


integer_polys = st.one_of(random_integer_polys, planted_polys())
ends = st.fractions(min_value=-5, max_value=5, max_denominator=6).map(q)


# -- real_roots --------------------------------------------------------------------------------


@SETTINGS
@given(integer_polys)
def test_real_roots_against_sympy(cs: list[int]) -> None:
    p = exact_poly(cs)
    roots = real_roots(p)
    sp = spoly(cs)
    assert len(roots) == sp.sqf_part().count_roots()
    check_isolation(p, roots)
    # the rational ones are exactly sympy's rational roots
    assert [r for r in roots if is_rational(r)] == [
        Q(int(r.p), int(r.q)) for r in sorted(set(sympy.real_roots(sp))) if r.is_Rational
    ]


@SETTINGS
@given(integer_polys, ends, ends)
def test_real_roots_filtered_to_an_interval(cs: list[int], u: Q, w: Q) -> None:
    lo, hi = min(u, w), max(u, w)
    p = exact_poly(cs)
    roots = real_roots(p, lo, hi)
    sp = spoly(cs).sqf_part()
    assert len(roots) == sp.count_roots(srat(lo), srat(hi))  # closed interval, exact
    below = sp.count_roots(None, srat(lo)) - (1 if sp.eval(srat(lo)) == 0 else 0)
    check_isolation(p, roots, first_index=below)
    for r in roots:
        if is_rational(r):
            assert lo <= r <= hi
        else:
            assert lo < r[1] < r[2] < hi


@SETTINGS
@given(ends, st.fractions(min_value=Fraction(1, 6), max_value=4, max_denominator=6).map(q), st.sampled_from([-2, 3, -7]))
def test_roots_exactly_at_the_ends_are_kept(lo: Q, width: Q, k: int) -> None:
    # (x - lo)(x - hi)(x^2 + k): the ends are roots; x^2 - 2, x^2 - 3 add irrational ones
    hi = lo + width
    p = Polynomial.from_coeffs([-lo, 1]) * Polynomial.from_coeffs([-hi, 1]) * Polynomial.from_coeffs([k, 0, 1])
    roots = real_roots(p, lo, hi)
    assert roots[0] == lo and roots[-1] == hi
    check_isolation(p, roots, first_index=spoly(p.integer_coeffs()).count_roots(None, srat(lo)) - 1)
    assert real_roots(p, lo, lo) == [lo]
    assert real_roots(p, hi, hi) == [hi]


def test_real_roots_by_hand() -> None:
    # x^3 - x/2 = x (x^2 - 1/2): roots -1/sqrt2, 0, 1/sqrt2 (2x^2 - 1 = 0)
    p = Polynomial.from_coeffs([0, "-1/2", 0, 1])
    neg, zero, pos = real_roots(p)
    assert zero == 0 and neg[0] == pos[0] == (-1, 0, 2)
    assert neg[2] < 0 < pos[1]
    assert 2 * pos[1] ** 2 < 1 < 2 * pos[2] ** 2  # 1/sqrt2 in (a, b)
    assert real_roots(p, Q(0), Q(1))[0] == 0
    assert real_roots(p, Q(1, 100), Q(1, 2)) == []  # 1/sqrt2 ~ 0.707 is beyond 1/2
    # (x - 1)^3 (x + 1/2)^2: repeated rational roots reported once
    assert real_roots(Polynomial.from_coeffs([-1, 1]) ** 3 * Polynomial.from_coeffs(["1/2", 1]) ** 2) == [Q(-1, 2), Q(1)]
    assert real_roots(Polynomial.from_coeffs([1, 0, 1])) == []  # x^2 + 1
    assert real_roots(Polynomial.from_coeffs([5])) == []
    # a degenerate interval at an irrational point holds no root
    assert real_roots(Polynomial.from_coeffs([-2, 0, 1]), Q(1), Q(1)) == []


def test_zero_polynomial_is_refused() -> None:
    with pytest.raises(InvalidArgument):
        real_roots(Polynomial(()))


# -- factor and isolate_irreducible ----------------------------------------------------------


def test_factor_by_hand() -> None:
    # x^4 - 1 = (x - 1)(x + 1)(x^2 + 1); (x - 1)^2 (2x^2 - 1) * 3/4 has primitive form (x - 1)^2 (2x^2 - 1)
    assert factor(Polynomial.from_coeffs([-1, 0, 0, 0, 1])) == [((-1, 1), 1), ((1, 1), 1), ((1, 0, 1), 1)]
    p = (Polynomial.from_coeffs([-1, 1]) ** 2 * Polynomial.from_coeffs([-1, 0, 2])).scale("3/4")
    assert factor(p) == [((-1, 1), 2), ((-1, 0, 2), 1)]
    assert factor(Polynomial.from_coeffs([7])) == []


@SETTINGS
@given(integer_polys)
def test_factor_against_sympy(cs: list[int]) -> None:
    p = exact_poly(cs)
    got = factor(p)
    # the product of the factors is p's primitive integer form
    prod = Polynomial.from_coeffs([1])
    for f, m in got:
        prod = prod * Polynomial.from_coeffs(list(f)) ** m
    assert prod.coeffs == Polynomial.from_coeffs(list(p.integer_coeffs())).coeffs
    # and they are sympy's irreducible factors (normalised to a positive leading coefficient)
    _, facs = sympy.factor_list(spoly(cs))
    expected = set()
    for f, m in facs:
        c = [int(v) for v in reversed(f.all_coeffs())]
        expected.add((tuple(c) if c[-1] > 0 else tuple(-v for v in c), m))
    assert set(got) == expected


@SETTINGS
@given(st.lists(st.integers(-9, 9), min_size=3, max_size=7))
def test_isolate_irreducible_against_sympy(cs: list[int]) -> None:
    assume(cs[-1] > 0)
    g = spoly(cs)
    assume(g.degree() >= 2 and g.is_irreducible and sympy.gcd_list([sympy.Integer(c) for c in cs]) == 1)
    ivs = isolate_irreducible(tuple(cs))
    assert len(ivs) == g.count_roots()
    for i, (a, b) in enumerate(ivs):
        A, B = srat(a), srat(b)
        assert a < b and g.eval(A) != 0 and g.eval(B) != 0
        assert g.count_roots(A, B) == 1 and g.count_roots(None, A) == i
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(ivs, ivs[1:]))


def test_isolate_irreducible_by_hand() -> None:
    # x^2 - 2: -sqrt2 and sqrt2; a sign change of x^2 - 2 across each interval
    (a1, b1), (a2, b2) = isolate_irreducible((-2, 0, 1))
    assert b1 < 0 < a2
    assert a1**2 > 2 > b1**2 and a2**2 < 2 < b2**2
    assert isolate_irreducible((1, 0, 1)) == []  # x^2 + 1
    ((a, b),) = isolate_irreducible((-2, 0, 0, 1))  # cube root of 2
    assert a**3 < 2 < b**3


# -- enclosures ------------------------------------------------------------------------------

# (formula for exactnet, the same function written for mpmath.iv: an independent route)
FORMULAS: list[tuple[str, Callable[[Any], Any]]] = [
    ("sin(x)", lambda x: iv.sin(x)),
    ("cos(x^2 - 1)", lambda x: iv.cos(x**2 - 1)),
    ("exp(-x^2)", lambda x: iv.exp(-(x**2))),
    ("log(1 + x^2)", lambda x: iv.log(1 + x**2)),
    ("sqrt(2 + x^2)", lambda x: iv.sqrt(2 + x**2)),
    ("sin(exp(x)) + cos(x)/3", lambda x: iv.sin(iv.exp(x)) + iv.cos(x) / 3),
    ("exp(sin(pi*x))", lambda x: iv.exp(iv.sin(iv.pi * x))),
    ("sqrt(1 + exp(x)) * log(2 + cos(x))", lambda x: iv.sqrt(1 + iv.exp(x)) * iv.log(2 + iv.cos(x))),
    ("x^3 / (1 + exp(x)) - 1/(2 + sin(x))^2", lambda x: x**3 / (1 + iv.exp(x)) - 1 / (2 + iv.sin(x)) ** 2),
    ("cos(sqrt(3 + x)) * exp(x/2)", lambda x: iv.cos(iv.sqrt(3 + x)) * iv.exp(x / 2)),
]

formula_index = st.integers(0, len(FORMULAS) - 1)
arguments = st.fractions(min_value=-2, max_value=2, max_denominator=60).map(q)


def _exact(t: tuple[int, Any, int, int]) -> Q:
    """An mpmath raw float (sign, mantissa, exponent, bitcount) as an exact rational."""
    sign, man, exp, bc = t
    assert man != 0 or bc == 0, f"not a finite number: {t}"
    v = Q(int(man) * 2**exp) if exp >= 0 else Q(int(man), 2**-exp)
    return -v if sign else v


def iv_enclosure(f: Callable[[Any], Any], x: Q) -> tuple[Q, Q]:
    """Rigorous rational bounds on f(x) from mpmath.iv at 60 digits (ends read exactly)."""
    old = iv.dps
    iv.dps = 60
    try:
        v = f(iv.mpf(int(x.numerator)) / iv.mpf(int(x.denominator)))
        a, b = v._mpi_
        return _exact(a), _exact(b)
    finally:
        iv.dps = old


def meets(a: tuple[Q, Q], b: tuple[Q, Q]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


@SETTINGS
@given(formula_index, arguments)
def test_enclose_agrees_with_mpmath_intervals(k: int, x: Q) -> None:
    text, f = FORMULAS[k]
    got = enclose(parse_target(text).expr, x)
    assert got is not None
    lo, hi = got
    assert lo <= hi and hi - lo <= Q(1, 10**60)
    assert meets(got, iv_enclosure(f, x))


@SETTINGS
@given(
    formula_index,
    arguments,
    st.sampled_from([Q(1, 1000), Q(1, 64), Q(1, 10), Q(1, 4)]),
    st.fractions(-2, 2, max_denominator=5).map(q),
    st.fractions(-2, 2, max_denominator=5).map(q),
)
def test_enclose_error_contains_every_sample(k: int, a: Q, width: Q, s: Q, c: Q) -> None:
    text, f = FORMULAS[k]
    b = a + width
    got = enclose_error(parse_target(text).expr, s, c, a, b)
    assert got is not None
    lo, hi = got
    assert lo <= hi
    for j in range(9):
        t = a + width * Q(j, 8)
        e_lo, e_hi = iv_enclosure(f, t)
        # e(t) = s t + c - f(t) lies in [s t + c - e_hi, s t + c - e_lo] and, by the claim, in [lo, hi]
        assert meets((lo, hi), (s * t + c - e_hi, s * t + c - e_lo))
    # a point interval agrees with the point enclosure
    p = enclose_error(parse_target(text).expr, s, c, a, a)
    v = enclose(parse_target(text).expr, a)
    assert p is not None and v is not None
    assert meets(p, (s * a + c - v[1], s * a + c - v[0]))


@pytest.mark.parametrize(
    "text, x, value",
    [
        # exact values by hand: sin(pi/6) = 1/2, cos(pi/3) = 1/2, sqrt(9/4) = 3/2,
        # log(exp(2/3)) = 2/3, exp(0) = 1, sin(0) = 0, (sqrt(x))^2 = x at 5/7
        ("sin(pi*x)", Q(1, 6), Q(1, 2)),
        ("cos(pi*x)", Q(1, 3), Q(1, 2)),
        ("sqrt(x)", Q(9, 4), Q(3, 2)),
        ("log(exp(x))", Q(2, 3), Q(2, 3)),
        ("exp(x)", Q(0), Q(1)),
        ("sin(x)", Q(0), Q(0)),
        ("sqrt(x)^2", Q(5, 7), Q(5, 7)),
    ],
)
def test_enclose_contains_exact_values(text: str, x: Q, value: Q) -> None:
    got = enclose(parse_target(text).expr, x)
    assert got is not None
    assert got[0] <= value <= got[1]
    assert got[1] - got[0] <= Q(1, 10**60)


def test_enclose_error_by_hand() -> None:
    # e = x - x^2 on [0, 1] has range [0, 1/4]: the enclosure contains it
    a, b = enclose_error(parse_target("x^2").expr, Q(1), Q(0), Q(0), Q(1))  # type: ignore[misc]
    assert a <= 0 and b >= Q(1, 4)
    # e = 1 - sin(x) on [0, 1/2] has range [1 - sin(1/2), 1]; sin t >= t - t^3/6 gives
    # sin(1/2) >= 23/48, so the range contains [25/48, 1]
    a, b = enclose_error(parse_target("sin(x)").expr, Q(0), Q(1), Q(0), Q(1, 2))  # type: ignore[misc]
    assert a <= Q(25, 48) and b >= 1 and b - a < Q(6, 10)


@pytest.mark.parametrize(
    "text, x", [("log(x)", Q(0)), ("sqrt(x - 1)", Q(0)), ("1/x", Q(0)), ("log(x - 1)", Q(1, 2))]
)
def test_enclose_undefined_points_give_none(text: str, x: Q) -> None:
    assert enclose(parse_target(text).expr, x) is None


def test_enclose_error_over_a_singularity_gives_none() -> None:
    # log of a ball reaching below 0 is not finite: no bound
    assert enclose_error(parse_target("log(x)").expr, Q(0), Q(0), Q(-1), Q(1)) is None


def test_enclose_error_over_a_pole_gives_none() -> None:
    assert enclose_error(parse_target("1/x").expr, Q(1), Q(0), Q(-1, 2), Q(1)) is None


@pytest.mark.parametrize("text", ["abs(x - 1/3)", "max(x, 1 - x)"])
def test_enclose_refuses_piecewise_expressions(text: str) -> None:
    with pytest.raises(InvalidArgument):
        enclose(parse_target(text).expr, Q(0))
