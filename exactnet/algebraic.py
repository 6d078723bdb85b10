"""Exact real algebraic numbers: a minimal polynomial and an isolating interval.

Sup errors against polynomial and rational targets are attained at roots of
polynomials, so they are algebraic numbers.  An :class:`AlgebraicNumber` is an
irreducible primitive integer polynomial with a positive leading coefficient,
of degree >= 2, and a rational interval (lo, hi) that contains exactly one of
its real roots, neither end being a root (an irrational number is never equal
to a rational end).  Rational numbers stay ``Q``; :data:`Real` is either.

Equality is exact: two algebraic numbers are equal iff they have the same
minimal polynomial and are the same root of it (same index among its real
roots, found with :func:`exactnet.reals.isolate_irreducible`).  Order is
decided by refining intervals until they separate, which always happens for
unequal numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from exactnet.exceptions import InvalidArgument
from exactnet.numbers import ONE, ZERO, Q, q
from exactnet.polynomial import Polynomial
from exactnet.reals import factor, isolate_irreducible


def _gcd(a: int, b: int) -> int:
    from math import gcd

    return gcd(a, b)


def _roots_inside(poly: tuple[int, ...], lo: Q, hi: Q) -> int:
    """The number of real roots of an irreducible integer polynomial in (lo, hi), exactly.

    The roots are irrational (degree >= 2, irreducible), so neither end is a
    root; each isolating interval is bisected until it lies inside or outside.
    """
    P = Polynomial.from_coeffs(list(poly))
    count = 0
    for a, b in isolate_irreducible(poly):
        while True:
            if b <= lo or a >= hi:
                break
            if lo <= a and b <= hi:
                count += 1
                break
            m = (a + b) / 2
            a, b = (a, m) if (P(a) > 0) != (P(m) > 0) else (m, b)
    return count

__all__ = [
    "AlgebraicNumber",
    "Real",
    "Enclosure",
    "bounds",
    "compare",
    "decimal",
    "evaluate_at",
    "real_to_json",
    "real_from_json",
]


@dataclass(frozen=True, slots=True, eq=False)
class AlgebraicNumber:
    """An irrational real algebraic number.

    Attributes
    ----------
    poly : tuple of int
        Its minimal polynomial over Z (primitive, leading coefficient > 0,
        degree >= 2), coefficients from the constant term up.
    lo, hi : Q
        An isolating interval: exactly one real root of `poly` in (lo, hi).

    Examples
    --------
    The sup of |x/2 - x^3| on [0, 1] is sqrt(6)/18, the root of 54 v^2 - 1 near 0.136:

    >>> v = AlgebraicNumber((-1, 0, 54), Q(1, 8), Q(1, 7))
    >>> print(decimal(v))
    0.136082763487954338788738004150
    >>> compare(v, Q(136, 1000)), compare(v, v), v == AlgebraicNumber((-1, 0, 54), Q(13, 100), Q(14, 100))
    (1, 0, True)
    """

    poly: tuple[int, ...]
    lo: Q
    hi: Q

    def __post_init__(self) -> None:
        poly = tuple(int(c) for c in self.poly)
        lo, hi = q(self.lo), q(self.hi)
        object.__setattr__(self, "poly", poly)
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)
        where = f"(got {poly} on ({lo}, {hi}))"
        if len(poly) < 3 or poly[-1] <= 0 or not lo < hi:
            raise InvalidArgument(
                "an algebraic number needs a polynomial of degree >= 2 with a positive leading "
                f"coefficient and an interval lo < hi {where}"
            )
        g = 0
        for c in poly:
            g = _gcd(g, c)
        if g != 1:
            raise InvalidArgument(f"the polynomial of an algebraic number must be primitive {where}")
        facs = factor(Polynomial.from_coeffs(list(poly)))
        if len(facs) != 1 or facs[0][1] != 1 or len(facs[0][0]) != len(poly):
            raise InvalidArgument(f"the polynomial of an algebraic number must be irreducible over Q {where}")
        if _roots_inside(poly, lo, hi) != 1:
            raise InvalidArgument(f"the interval must contain exactly one real root of the polynomial {where}")

    @classmethod
    def _trusted(cls, poly: tuple[int, ...], lo: Q, hi: Q) -> "AlgebraicNumber":
        """Skip validation: for intervals derived from a validated number (refinement)."""
        me = object.__new__(cls)
        object.__setattr__(me, "poly", poly)
        object.__setattr__(me, "lo", lo)
        object.__setattr__(me, "hi", hi)
        return me

    @property
    def polynomial(self) -> Polynomial:
        return Polynomial.from_coeffs(list(self.poly))

    def refined(self, width: Q) -> "AlgebraicNumber":
        """The same number with an isolating interval of width <= `width` (bisection)."""
        P = self.polynomial
        a, b = self.lo, self.hi
        sa = P(a) > 0
        while b - a > width:
            m = (a + b) / 2
            sm = P(m) > 0
            if sm == sa:
                a = m
            else:
                b = m
        return AlgebraicNumber._trusted(self.poly, a, b)

    def simplified(self) -> "AlgebraicNumber":
        """The same number with the shortest decimal isolating interval (for people).

        Examples
        --------
        >>> r = AlgebraicNumber((-2, 0, 1), Q(141421356, 10**8), Q(141421357, 10**8))
        >>> print(r.simplified().lo, r.simplified().hi)
        1 2
        """
        ivs = isolate_irreducible(self.poly)
        me = self
        while True:
            hits = [i for i, (a, b) in enumerate(ivs) if a < me.hi and me.lo < b]
            if len(hits) == 1:
                break
            me = me.refined((me.hi - me.lo) / 4)
        others = [iv for i, iv in enumerate(ivs) if i != hits[0]]
        k = 0
        while True:
            scale = 10**k
            a = Q(int(me.lo * scale) - (1 if me.lo < 0 else 0), scale)
            a = a if a <= me.lo else a - Q(1, scale)
            b = a + Q(1, scale)
            while b < me.hi:
                b += Q(1, scale)
            if all(d < a or c > b for c, d in others):
                return AlgebraicNumber._trusted(self.poly, a, b)
            k += 1

    def index(self) -> int:
        """Which real root of `poly` this is (0 = the smallest)."""
        ivs = isolate_irreducible(self.poly)
        me = self
        while True:
            hits = [i for i, (a, b) in enumerate(ivs) if a < me.hi and me.lo < b]
            if len(hits) == 1:
                return hits[0]
            me = me.refined((me.hi - me.lo) / 4)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AlgebraicNumber):
            return self.poly == other.poly and self.index() == other.index()
        if isinstance(other, Q):
            return False  # irrational
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.poly, self.index()))

    def __str__(self) -> str:
        return f"root of {self.polynomial_text()} in ({self.lo}, {self.hi}) ≈ {decimal(self, 20)}"

    def polynomial_text(self, var: str = "x") -> str:
        return str(self.polynomial).replace("x", var)


Real = Union[Q, AlgebraicNumber]
"""An exact real: a rational ``Q`` or an irrational :class:`AlgebraicNumber`."""


@dataclass(frozen=True, slots=True)
class Enclosure:
    """A rigorous enclosure lo <= v <= hi of a real v known only through bounds.

    Examples
    --------
    >>> e = Enclosure(Q(1, 3), Q(1, 2))
    >>> print(e, e.width)
    [1/3, 1/2] 1/6
    """

    lo: Q
    hi: Q

    def __post_init__(self) -> None:
        if not self.lo <= self.hi:
            raise InvalidArgument(f"an enclosure needs lo <= hi (got [{self.lo}, {self.hi}])")

    @property
    def width(self) -> Q:
        return self.hi - self.lo

    def __str__(self) -> str:
        return f"[{self.lo}, {self.hi}]"


def bounds(x: Real, width: Q | None = None) -> tuple[Q, Q]:
    """Rational lo <= x <= hi, of width <= `width` when given."""
    if isinstance(x, AlgebraicNumber):
        y = x.refined(width) if width is not None else x
        return y.lo, y.hi
    return x, x


def compare(a: Real, b: Real) -> int:
    """-1, 0 or 1 as a < b, a == b, a > b (exact).

    Examples
    --------
    >>> r = AlgebraicNumber((-2, 0, 1), Q(1), Q(2))       # sqrt 2
    >>> compare(r, Q(141421, 100000)), compare(Q(3, 2), r)
    (1, 1)
    """
    if isinstance(a, Q) and isinstance(b, Q):
        return (a > b) - (a < b)
    if a == b:
        return 0
    while True:
        alo, ahi = bounds(a)
        blo, bhi = bounds(b)
        if ahi < blo:
            return -1
        if bhi < alo:
            return 1
        if isinstance(a, AlgebraicNumber):
            a = a.refined((ahi - alo) / 16)
        if isinstance(b, AlgebraicNumber):
            b = b.refined((bhi - blo) / 16)


def decimal(x: Real, digits: int = 30) -> str:
    """The decimal expansion truncated toward zero after `digits` digits (exact).

    Examples
    --------
    >>> decimal(Q(-2, 3), 5), decimal(AlgebraicNumber((-2, 0, 1), Q(1), Q(2)), 10)
    ('-0.66666', '1.4142135623')
    """
    scale = 10**digits
    if isinstance(x, Q):
        n = int(abs(x) * scale)
        neg = x < 0 and n != 0 or x < 0
    else:
        y = x
        while True:
            lo, hi = y.lo, y.hi
            if (lo > 0 or hi < 0) and int(abs(lo) * scale) == int(abs(hi) * scale):
                break
            y = y.refined((hi - lo) / 1024)
        n = int(abs(lo) * scale)
        neg = hi < 0
    whole, frac = divmod(n, scale)
    sign = "-" if neg else ""
    return f"{sign}{whole}.{frac:0{digits}d}" if digits else f"{sign}{whole}"


def _mat_nullvector(rows: list[list[Q]]) -> list[Q] | None:
    """A nonzero vector v with sum_i v_i rows[i] = 0 (rows as vectors), or None."""
    n = len(rows)
    if not rows:
        return None
    m = len(rows[0])
    # columns: coordinates; unknowns: v_0..v_{n-1}; solve A v = 0 with A[j][i] = rows[i][j]
    A = [[rows[i][j] for i in range(n)] for j in range(m)]
    pivots: list[int] = []
    r = 0
    for col in range(n):
        piv = next((k for k in range(r, m) if A[k][col] != 0), None)
        if piv is None:
            continue
        A[r], A[piv] = A[piv], A[r]
        inv = ONE / A[r][col]
        A[r] = [v * inv for v in A[r]]
        for k in range(m):
            if k != r and A[k][col] != 0:
                f = A[k][col]
                A[k] = [u - f * v for u, v in zip(A[k], A[r])]
        pivots.append(col)
        r += 1
        if r == m:
            break
    free = [c for c in range(n) if c not in pivots]
    if not free:
        return None
    f = free[0]
    v = [ZERO] * n
    v[f] = ONE
    for row, col in enumerate(pivots):
        v[col] = -A[row][f]
    return v


def _inverse_mod(a: Polynomial, g: Polynomial) -> Polynomial:
    """a^-1 mod g (g irreducible, a not divisible by g): extended Euclid."""
    r0, r1 = g, a % g
    s0, s1 = Polynomial(()), Polynomial((ONE,))
    while not r1.is_zero:
        qt, rem = r0.divmod(r1)
        r0, r1 = r1, rem
        s0, s1 = s1, s0 - qt * s1
    if r0.degree != 0:
        raise InvalidArgument("the denominator vanishes at this algebraic number")
    return (s0.scale(ONE / r0.coeffs[0])) % g


def evaluate_at(r: Real, num: Polynomial, den: Polynomial | None = None) -> Real:
    """The exact value num(r)/den(r) at a real algebraic r.

    The value lies in the field Q(r) = Q[x]/(g), g the minimal polynomial of r;
    its minimal polynomial is the first linear dependency among its powers
    1, v, v^2, ... (as vectors in the power basis), and its root is identified
    by refining r until the interval enclosure of num/den over r's interval
    meets exactly one isolating interval of that polynomial.

    Examples
    --------
    At r = 1/sqrt(6) (root of 6x^2 - 1), x/2 - x^3 = sqrt(6)/18, the root of 54 v^2 - 1:

    >>> r = AlgebraicNumber((-1, 0, 6), Q(2, 5), Q(1, 2))
    >>> v = evaluate_at(r, Polynomial.from_coeffs([0, "1/2", 0, -1]))
    >>> print(v.poly, decimal(v))
    (-1, 0, 54) 0.136082763487954338788738004150
    """
    den = den if den is not None else Polynomial((ONE,))
    if isinstance(r, Q):
        d = den(r)
        if d == 0:
            raise InvalidArgument(f"the denominator vanishes at {r}")
        return num(r) / d
    g = r.polynomial
    alpha = (num * _inverse_mod(den, g)) % g
    deg = g.degree
    if alpha.degree <= 0:
        return alpha.coeffs[0] if alpha.coeffs else ZERO
    powers: list[list[Q]] = []
    cur = Polynomial((ONE,))
    null: list[Q] | None = None
    for _ in range(deg + 1):
        powers.append(list(cur.coeffs) + [ZERO] * (deg - len(cur.coeffs)))
        null = _mat_nullvector(powers)
        if null is not None:
            break
        cur = (cur * alpha) % g
    assert null is not None, "degree bound of the field violated: a bug"
    m = Polynomial.from_coeffs(null)
    if m.degree == 1:
        return -m.coeffs[0] / m.coeffs[1]
    mint = m.integer_coeffs()
    ivs = isolate_irreducible(mint)
    y = r
    while True:
        nlo, nhi = num.range_on(y.lo, y.hi)
        dlo, dhi = den.range_on(y.lo, y.hi)
        if dlo > 0 or dhi < 0:
            quots = [u / w for u in (nlo, nhi) for w in (dlo, dhi)]
            vlo, vhi = min(quots), max(quots)
            hits = [(a, b) for a, b in ivs if a <= vhi and vlo <= b]
            if len(hits) == 1:
                return AlgebraicNumber(mint, *hits[0]).simplified()
        y = y.refined((y.hi - y.lo) / 64)


def real_to_json(x: "Real | Enclosure") -> Any:
    """``"p/q"`` for a rational, the certificate-file object for an algebraic number or enclosure."""
    if isinstance(x, Enclosure):
        return {"enclosure": [str(x.lo), str(x.hi)]}
    if isinstance(x, AlgebraicNumber):
        return {
            "algebraic": {"poly": [str(c) for c in x.poly], "interval": [str(x.lo), str(x.hi)]},
            "decimal": decimal(x),
        }
    return str(x)


def real_from_json(d: Any) -> "Real | Enclosure":
    """Inverse of :func:`real_to_json` (the decimal is ignored)."""
    if isinstance(d, dict) and "enclosure" in d:
        lo, hi = (q(v) for v in d["enclosure"])
        return Enclosure(lo, hi)
    if isinstance(d, dict) and "algebraic" in d:
        a = d["algebraic"]
        poly = tuple(int(c) for c in a["poly"])
        lo, hi = (q(v) for v in a["interval"])
        return AlgebraicNumber(poly, lo, hi)
    return q(d)
