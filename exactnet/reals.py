"""Rigorous real arithmetic: real root isolation and ball enclosures (python-flint).

This is the only module that imports python-flint.  Two services:

* :func:`real_roots` isolates the real roots of a polynomial with rational
  coefficients: it factors the primitive integer polynomial over Z (FLINT),
  returns rational roots exactly, and isolates the roots of each irreducible
  factor of degree >= 2 with Arb's ``arb_fmpz_poly_complex_roots``, whose
  enclosures are guaranteed disjoint and whose real roots have an exactly zero
  imaginary part.  Such roots are irrational, so the rational ends of their
  isolating intervals are never roots.
* :func:`enclose` and :func:`enclose_error` give rigorous rational enclosures
  of a target expression (see :mod:`exactnet.targets`) at a point or over an
  interval, with Arb ball arithmetic at a chosen precision; over an interval,
  the mean-value form f(m) + f'(I)(I - m) is intersected with the direct
  interval extension.

Why Arb: it is maintained, rigorous (every result is a ball that contains the
true value), supports exp, log, sin, cos, sqrt and Taylor series of them
(for derivatives), and its balls have exact dyadic midpoints and radii, so
converting an enclosure to rational bounds loses nothing.  Floats never
appear: Arb's midpoints and radii are read as (mantissa, exponent) integers.
"""

from __future__ import annotations

from typing import Sequence

import flint

from exactnet.exceptions import InvalidArgument
from exactnet.numbers import Q
from exactnet.polynomial import Polynomial
from exactnet.targets import Add, Call, Div, Expr, Mul, Num, Pi, Pow, Var

__all__ = ["RootInterval", "real_roots", "isolate_irreducible", "factor", "enclose", "enclose_error", "DEFAULT_PREC"]

DEFAULT_PREC = 256

RootInterval = tuple[tuple[int, ...], Q, Q]
"""An irrational real root: (irreducible integer polynomial, lo, hi), exactly one root in (lo, hi)."""


def _dyadic(m: "flint.arf | flint.arb") -> Q:
    man, exp = m.man_exp()
    man, exp = int(man), int(exp)
    return Q(man * 2**exp) if exp >= 0 else Q(man, 2**-exp)


def _bounds(a: "flint.arb") -> tuple[Q, Q]:
    """Exact rational lower and upper bounds of a finite ball."""
    mid, rad = _dyadic(a.mid()), _dyadic(a.rad())
    return mid - rad, mid + rad


def _ball(x: Q) -> "flint.arb":
    return flint.arb(flint.fmpq(int(x.numerator), int(x.denominator)))


def _ball_on(lo: Q, hi: Q) -> "flint.arb":
    return _ball(lo).union(_ball(hi)) if lo != hi else _ball(lo)


def factor(p: Polynomial) -> list[tuple[tuple[int, ...], int]]:
    """The irreducible factors over Z of p's primitive integer form, with multiplicities.

    Examples
    --------
    >>> factor(Polynomial.from_coeffs([0, "-1/2", 0, 1]))      # x^3 - x/2 = x (2x^2 - 1) / 2
    [((0, 1), 1), ((-1, 0, 2), 1)]
    """
    if p.degree <= 0:
        return []
    _, facs = flint.fmpz_poly(list(p.integer_coeffs())).factor()
    out = []
    for f, mult in facs:
        c = tuple(int(v) for v in f.coeffs())
        if c[-1] < 0:
            c = tuple(-v for v in c)
        out.append((c, int(mult)))
    out.sort(key=lambda t: (len(t[0]), t[0]))
    return out


def isolate_irreducible(poly: Sequence[int], *, prec: int = 64) -> list[tuple[Q, Q]]:
    """Isolating intervals (ascending) of the real roots of an irreducible integer polynomial of degree >= 2.

    Examples
    --------
    >>> [a < 0 < b for a, b in isolate_irreducible((-1, 0, 6))]
    [False, False]
    """
    roots = flint.fmpz_poly(list(poly)).complex_roots()
    out = []
    for z, _ in roots:
        if z.imag.is_zero():
            lo, hi = _bounds(z.real)
            assert lo < hi, "an irrational root cannot have a zero-radius ball"
            out.append((lo, hi))
    out.sort()
    return out


def real_roots(p: Polynomial, lo: Q | None = None, hi: Q | None = None) -> list[Q | RootInterval]:
    """The distinct real roots of p (optionally only those in [lo, hi]), ascending.

    A rational root is returned as a ``Q``; an irrational one as
    (irreducible integer polynomial, a, b) with exactly that root in (a, b),
    where, when [lo, hi] is given, a and b lie inside (lo, hi) unless the
    root's interval had to be kept (it is then refined until it does).

    Examples
    --------
    Roots of 6x^3 - x = x (6x^2 - 1): 0 and -+1/sqrt(6).

    >>> rs = real_roots(Polynomial.from_coeffs([0, -1, 0, 6]), Q(0), Q(1))
    >>> print(rs[0]); poly, a, b = rs[1]; print(poly, 6 * a * a - 1 < 0 < 6 * b * b - 1)
    0
    (-1, 0, 6) True
    """
    if p.is_zero:
        raise InvalidArgument("the zero polynomial has every number as a root")
    found: list[tuple[Q, Q | RootInterval]] = []
    for poly, _ in factor(p):
        if len(poly) == 2:
            r = Q(-poly[0], poly[1])
            if (lo is None or r >= lo) and (hi is None or r <= hi):
                found.append((r, r))
            continue
        P = Polynomial.from_coeffs(list(poly))
        for a, b in isolate_irreducible(poly):
            while True:
                if (lo is not None and b <= lo) or (hi is not None and a >= hi):
                    break  # entirely outside
                inside = (lo is None or a > lo) and (hi is None or b < hi)
                if inside:
                    found.append((a, (poly, a, b)))
                    break
                a, b = _bisect(P, a, b)
    found.sort(key=lambda t: t[0])
    return [r for _, r in found]


def _bisect(P: Polynomial, a: Q, b: Q) -> tuple[Q, Q]:
    """Halve an isolating interval of an irrational root of P (ends never roots)."""
    m = (a + b) / 2
    sa, sm = P(a) > 0, P(m) > 0
    return (a, m) if sa != sm else (m, b)


# -- enclosures of target expressions --------------------------------------------------


def _eval(
    e: Expr, x: "flint.arb | flint.arb_series", nonneg: frozenset = frozenset()
) -> "flint.arb | flint.arb_series":
    if isinstance(e, Var):
        return x
    if isinstance(e, Num):
        v = _ball(e.value)
        return v if isinstance(x, flint.arb) else flint.arb_series([v], prec=x.prec)
    if isinstance(e, Pi):
        v = flint.arb.pi()
        return v if isinstance(x, flint.arb) else flint.arb_series([v], prec=x.prec)
    if isinstance(e, Add):
        a, b = _eval(e.a, x, nonneg), _eval(e.b, x, nonneg)
        return a + b if e.sign > 0 else a - b
    if isinstance(e, Mul):
        return _eval(e.a, x, nonneg) * _eval(e.b, x, nonneg)
    if isinstance(e, Div):
        return _eval(e.a, x, nonneg) / _eval(e.b, x, nonneg)
    if isinstance(e, Pow):
        b = _eval(e.base, x, nonneg)
        out = b if e.n else b * 0 + 1
        for _ in range(abs(e.n) - 1):
            out = out * b
        return 1 / out if e.n < 0 else out
    if isinstance(e, Call):
        if e.name not in ("exp", "log", "sin", "cos", "sqrt"):
            raise InvalidArgument(
                f"no ball enclosure for {e.name}() (piecewise-linear targets are handled exactly)"
            )
        (a,) = (_eval(v, x, nonneg) for v in e.args)
        if e.name == "sqrt" and e in nonneg and isinstance(a, flint.arb) and a.is_finite():
            # the argument is proven >= 0 on the domain: drop the part of the ball below 0
            # sqrt is increasing, so sqrt([0, up]) = [0, sqrt(up)]
            up = a.upper()
            if a.lower() <= 0 and up >= 0:
                return flint.arb(0).union(flint.arb(up).sqrt())
        return getattr(a, e.name)()
    raise InvalidArgument(f"no ball enclosure for {e!r} (piecewise functions are handled exactly)")


def _finite(a: "flint.arb") -> bool:
    return bool(a.is_finite())


def enclose(expr: Expr, x: Q, *, prec: int = DEFAULT_PREC, nonneg: frozenset = frozenset()) -> tuple[Q, Q] | None:
    """Rational bounds [lo, hi] containing expr(x), or None if Arb cannot bound it (e.g. log 0).

    Examples
    --------
    >>> from exactnet.targets import parse_target
    >>> lo, hi = enclose(parse_target("sin(x)").expr, Q(1))
    >>> print(int(lo * 10**30), int(hi * 10**30), hi - lo < Q(1, 10**70))
    841470984807896506652502321630 841470984807896506652502321630 True
    """
    with flint.ctx.workprec(prec):
        try:
            v = _eval(expr, _ball(x), nonneg)
        except InvalidArgument:
            raise
        except (ValueError, ZeroDivisionError):
            return None  # e.g. a division by a ball that contains 0
        return _bounds(v) if _finite(v) else None


def enclose_error(
    expr: Expr, s: Q, c: Q, lo: Q, hi: Q, *, prec: int = DEFAULT_PREC, nonneg: frozenset = frozenset()
) -> tuple[Q, Q] | None:
    """Rational bounds on e(x) = s x + c - f(x) for all x in [lo, hi], or None if unbounded.

    The mean-value form e(m) + e'([lo, hi]) [-w/2, w/2] (m the midpoint, w the
    width; e' from an Arb Taylor series) is intersected with the direct
    interval extension, which keeps it valid where f' is unbounded.
    `nonneg` lists the ``sqrt`` calls whose argument is proven >= 0 on the
    domain; their argument balls are clipped at 0 (sound only under that proof).

    Examples
    --------
    >>> from exactnet.targets import parse_target
    >>> a, b = enclose_error(parse_target("x^2").expr, Q(1), Q(0), Q(0), Q(1))
    >>> a <= 0 and b >= Q(1, 4)
    True
    """
    with flint.ctx.workprec(prec):
        sb, cb = _ball(s), _ball(c)
        best: tuple[Q, Q] | None = None
        iv = _ball_on(lo, hi)
        try:
            direct = sb * iv + cb - _eval(expr, iv, nonneg)
        except InvalidArgument:
            raise
        except (ValueError, ZeroDivisionError):
            return None  # a denominator's ball contains 0: no bound on this box (bisect it)
        if _finite(direct):
            best = _bounds(direct)
        if lo != hi:
            m = (lo + hi) / 2
            try:
                mid = sb * _ball(m) + cb - _eval(expr, _ball(m), nonneg)
                ser = _eval(expr, flint.arb_series([iv, 1], prec=2))
            except (ValueError, ZeroDivisionError):
                return best
            coeffs = ser.coeffs()
            d = sb - (coeffs[1] if len(coeffs) > 1 else flint.arb(0))
            half = _ball((hi - lo) / 2)
            mv = mid + d * half.union(-half)
            if _finite(mid) and _finite(d):
                a, b = _bounds(mv)
                best = (a, b) if best is None else (max(a, best[0]), min(b, best[1]))
        return best
