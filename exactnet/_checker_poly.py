"""Polynomials over Fraction, Sturm sequences and real algebraic numbers, for the checker.

This module is part of the independent certificate checker (:mod:`exactnet.checker`):
it uses ``fractions.Fraction`` and plain integers only, and imports nothing from
exactnet's main computation.

A polynomial is a list of ``Fraction`` coefficients, constant term first, without
trailing zeros (the zero polynomial is ``[]``).  A real algebraic number is an
:class:`Alg`: a square-free polynomial with integer coefficients and an open
interval with rational ends holding exactly one of its roots, the ends not roots.
A number (:data:`Num`) is a ``Fraction`` or an ``Alg``; :func:`cmp_num` and
:func:`cmp_value` compare them exactly: isolating intervals are refined until
they separate, and equality is decided with polynomial gcds (Sturm counts of the
gcd on the isolating interval), never with a tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence, Union

__all__ = [
    "Poly",
    "Alg",
    "Num",
    "trim",
    "padd",
    "psub",
    "pmul",
    "pscale",
    "pderiv",
    "pdivmod",
    "pgcd",
    "peval",
    "ppow",
    "sqfree",
    "primitive",
    "sign_at",
    "Sturm",
    "count_roots",
    "isolate",
    "make_alg",
    "enclose",
    "refine",
    "cmp_num",
    "prange",
    "ratio_range",
    "cmp_value",
    "show_num",
    "show_q",
    "show_poly",
]

Poly = list[Fraction]

_ZERO = Fraction(0)
_ONE = Fraction(1)

# a comparison refines isolating intervals at most this often before giving up
# (it cannot happen for correct arithmetic: after the exact equality test, two
# different numbers separate after finitely many bisections)
_MAX_REFINE = 4000


class Undecided(Exception):
    """An exact comparison did not finish within the refinement limit (a checker bug)."""


def trim(p: Sequence[Fraction]) -> Poly:
    """Drop trailing zero coefficients.

    Examples
    --------
    >>> trim([Fraction(1), Fraction(0)])
    [Fraction(1, 1)]
    """
    q = list(p)
    while q and q[-1] == 0:
        q.pop()
    return q


def padd(p: Poly, q: Poly) -> Poly:
    """p + q."""
    n = max(len(p), len(q))
    return trim([(p[i] if i < len(p) else _ZERO) + (q[i] if i < len(q) else _ZERO) for i in range(n)])


def psub(p: Poly, q: Poly) -> Poly:
    """p - q."""
    n = max(len(p), len(q))
    return trim([(p[i] if i < len(p) else _ZERO) - (q[i] if i < len(q) else _ZERO) for i in range(n)])


def pmul(p: Poly, q: Poly) -> Poly:
    """p * q.

    Examples
    --------
    >>> pmul([Fraction(-1), Fraction(1)], [Fraction(1), Fraction(1)]) == [-1, 0, 1]
    True
    """
    if not p or not q:
        return []
    out = [_ZERO] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return trim(out)


def pscale(p: Poly, c: Fraction) -> Poly:
    """c * p."""
    return trim([c * a for a in p])


def pderiv(p: Poly) -> Poly:
    """The derivative p'."""
    return trim([i * p[i] for i in range(1, len(p))])


def ppow(p: Poly, n: int) -> Poly:
    """p^n for n >= 0."""
    out: Poly = [_ONE]
    for _ in range(n):
        out = pmul(out, p)
    return out


def pdivmod(p: Poly, d: Poly) -> tuple[Poly, Poly]:
    """Quotient and remainder of p by d (d nonzero).

    Examples
    --------
    >>> q, r = pdivmod([Fraction(-1), Fraction(0), Fraction(1)], [Fraction(-1), Fraction(1)])
    >>> q == [1, 1], r
    (True, [])
    """
    if not d:
        raise ZeroDivisionError("polynomial division by zero")
    r = list(p)
    if len(r) < len(d):
        return [], trim(r)
    q = [_ZERO] * (len(r) - len(d) + 1)
    lead = d[-1]
    for k in range(len(r) - len(d), -1, -1):
        c = r[k + len(d) - 1] / lead
        q[k] = c
        if c:
            for j, b in enumerate(d):
                r[k + j] -= c * b
    return trim(q), trim(r[: len(d) - 1])


def pgcd(p: Poly, q: Poly) -> Poly:
    """The monic gcd of p and q ([] if both are zero).

    Examples
    --------
    >>> pgcd([Fraction(-1), Fraction(0), Fraction(1)], [Fraction(2), Fraction(2)]) == [1, 1]
    True
    """
    a, b = trim(p), trim(q)
    while b:
        a, b = b, pdivmod(a, b)[1]
        b = _monic(b) if b else b
    return _monic(a) if a else []


def _monic(p: Poly) -> Poly:
    lead = p[-1]
    return [a / lead for a in p]


def peval(p: Poly, x: Fraction) -> Fraction:
    """p(x), exactly (Horner)."""
    acc = _ZERO
    for a in reversed(p):
        acc = acc * x + a
    return acc


def sqfree(p: Poly) -> Poly:
    """The square-free part p / gcd(p, p') (same distinct roots, all simple)."""
    p = trim(p)
    if len(p) <= 2:
        return p
    g = pgcd(p, pderiv(p))
    return pdivmod(p, g)[0] if len(g) > 1 else p


def primitive(p: Poly) -> list[int]:
    """p times a positive rational, with coprime integer coefficients (signs kept).

    Examples
    --------
    >>> primitive([Fraction(-1, 6), Fraction(0), Fraction(9)])
    [-1, 0, 54]
    """
    if not p:
        return []
    den = 1
    for a in p:
        den = den * a.denominator // math.gcd(den, a.denominator)
    ints = [int(a * den) for a in p]
    g = 0
    for v in ints:
        g = math.gcd(g, v)
    return [v // g for v in ints]


def sign_at(p: Sequence[int], x: Fraction) -> int:
    """The sign of the integer polynomial p at the rational x (homogenised, exact)."""
    num, den = x.numerator, x.denominator
    # Horner on (num, den): v_n = a_n; v_k = v_{k+1} num + a_k den^(n-k); sign of v_0
    n = len(p) - 1
    if n < 0:
        return 0
    acc = p[n]
    dpow = 1
    for k in range(n - 1, -1, -1):
        dpow *= den
        acc = acc * num + p[k] * dpow
    return (acc > 0) - (acc < 0)


class Sturm:
    """The Sturm sequence of a square-free polynomial p of degree >= 1.

    ``count(a, b)`` is the number of roots of p in the open interval (a, b) when
    neither end is a root.

    Examples
    --------
    >>> s = Sturm([Fraction(-1), Fraction(0), Fraction(54)])
    >>> s.count(Fraction(0), Fraction(1)), s.count(Fraction(-1), Fraction(1))
    (1, 2)
    """

    __slots__ = ("seq",)

    def __init__(self, p: Poly) -> None:
        a, b = trim(p), pderiv(trim(p))
        seq = [primitive(a), primitive(b)]
        while b:
            r = pdivmod(a, b)[1]
            if not r:
                break
            a, b = b, [-c for c in r]
            # a positive factor keeps the signs: the integer primitive part
            b = [Fraction(v) for v in primitive(b)]
            seq.append(primitive(b))
        self.seq = seq

    def variations(self, x: Fraction) -> int:
        """Sign changes of the sequence at x (zeros dropped)."""
        count, last = 0, 0
        for p in self.seq:
            s = sign_at(p, x)
            if s:
                if last and s != last:
                    count += 1
                last = s
        return count

    def count(self, a: Fraction, b: Fraction) -> int:
        """Roots in the open interval (a, b); neither end may be a root."""
        return self.variations(a) - self.variations(b)


def count_roots(p: Poly, a: Fraction, b: Fraction) -> int:
    """The number of distinct roots of p in the open interval (a, b), a < b.

    Ends that are roots are not counted.

    Examples
    --------
    >>> count_roots([Fraction(0), Fraction(-1), Fraction(0), Fraction(1)], Fraction(-1), Fraction(1))
    1
    """
    p = sqfree(p)
    if len(p) <= 1:
        return 0
    for end in (a, b):
        if peval(p, end) == 0:
            p = pdivmod(p, [-end, _ONE])[0]
    if len(p) <= 1:
        return 0
    return Sturm(p).count(a, b)


@dataclass(frozen=True, slots=True)
class Alg:
    """A real algebraic number: the one root of `poly` in the open interval (lo, hi).

    `poly` has integer coefficients (constant first) and no repeated roots; it
    is not zero at `lo` or `hi`; `slo` is its sign at `lo` (the sign at `hi` is
    the opposite, as the root is simple).

    Examples
    --------
    >>> r = make_alg([-1, 0, 54], Fraction(1, 8), Fraction(1, 7))
    >>> print(show_num(r))
    0.136082763487954...
    """

    poly: tuple[int, ...]
    lo: Fraction
    hi: Fraction
    slo: int


Num = Union[Fraction, Alg]


def make_alg(poly: Sequence[int | Fraction], lo: Fraction, hi: Fraction) -> Num:
    """The root of `poly` isolated in (lo, hi), as a Fraction when it is rational and found.

    Raises
    ------
    ValueError
        If lo >= hi, an end is a root, or (lo, hi) does not hold exactly one root.
    """
    p = trim([Fraction(c) for c in poly])
    if len(p) < 2:
        raise ValueError("the polynomial is constant: it has no isolated root")
    if lo >= hi:
        raise ValueError(f"the interval [{lo}, {hi}] is empty (lo must be < hi)")
    for end in (lo, hi):
        if peval(p, end) == 0:
            raise ValueError(f"the interval end {end} is a root (ends must not be roots)")
    sp = sqfree(p)
    n = Sturm(sp).count(lo, hi)
    if n != 1:
        raise ValueError(f"the interval ({lo}, {hi}) holds {n} roots (it must isolate exactly one)")
    if len(sp) == 2:
        return -sp[0] / sp[1]
    ip = _positive_lead(primitive(sp))
    return Alg(tuple(ip), lo, hi, sign_at(ip, lo))


def _positive_lead(p: list[int]) -> list[int]:
    return [-c for c in p] if p and p[-1] < 0 else p


def enclose(x: Num) -> tuple[Fraction, Fraction]:
    """Rational bounds lo <= x <= hi (lo = hi for a Fraction)."""
    if isinstance(x, Fraction):
        return x, x
    return x.lo, x.hi


def refine(x: Num) -> Num:
    """Halve the isolating interval (a Fraction stays itself; a root hit exactly becomes one)."""
    if isinstance(x, Fraction):
        return x
    mid = (x.lo + x.hi) / 2
    s = sign_at(x.poly, mid)
    if s == 0:
        return mid
    if s == x.slo:
        return Alg(x.poly, mid, x.hi, x.slo)
    return Alg(x.poly, x.lo, mid, x.slo)


def _refine_to(x: Num, width: Fraction) -> Num:
    n = 0
    while isinstance(x, Alg) and x.hi - x.lo > width:
        x = refine(x)
        n += 1
        if n > _MAX_REFINE:  # pragma: no cover - cannot happen
            raise Undecided("refinement did not converge")
    return x


def _cmp_rat_alg(q: Fraction, a: Alg) -> int:
    """The sign of q - a, exactly."""
    if q <= a.lo:
        return -1
    if q >= a.hi:
        return 1
    s = sign_at(a.poly, q)
    if s == 0:
        return 0  # q is a root in (lo, hi): the root
    # the root lies between lo and q iff the sign changed between them
    return 1 if s != a.slo else -1


def cmp_num(x: Num, y: Num) -> int:
    """The sign of x - y, exactly.

    Examples
    --------
    >>> r = make_alg([-1, 0, 54], Fraction(1, 8), Fraction(1, 7))
    >>> cmp_num(r, Fraction(1, 8)), cmp_num(Fraction(1, 7), r), cmp_num(r, r)
    (1, 1, 0)
    """
    if isinstance(x, Fraction) and isinstance(y, Fraction):
        return (x > y) - (x < y)
    if isinstance(x, Fraction):
        assert isinstance(y, Alg)
        return _cmp_rat_alg(x, y)
    if isinstance(y, Fraction):
        return -_cmp_rat_alg(y, x)
    tested = False
    for n in range(_MAX_REFINE):
        if isinstance(x, Fraction) or isinstance(y, Fraction):
            return cmp_num(x, y)
        if x.hi <= y.lo:
            return -1
        if y.hi <= x.lo:
            return 1
        if not tested and n >= 2:
            tested = True
            # equal iff a common root lies in both intervals (their intersection)
            g = pgcd([Fraction(c) for c in x.poly], [Fraction(c) for c in y.poly])
            if len(g) > 1 and count_roots(g, max(x.lo, y.lo), min(x.hi, y.hi)) == 1:
                return 0
        if x.hi - x.lo >= y.hi - y.lo:
            x = refine(x)
        else:
            y = refine(y)
    raise Undecided("comparison of two algebraic numbers did not finish")  # pragma: no cover


def _taylor(p: Poly, m: Fraction) -> Poly:
    """Coefficients of p(m + t) in t."""
    c = list(p)
    n = len(c)
    for i in range(n - 1):
        for j in range(n - 2, i - 1, -1):
            c[j] += m * c[j + 1]
    return c


def prange(p: Poly, lo: Fraction, hi: Fraction) -> tuple[Fraction, Fraction]:
    """Rational bounds of p on [lo, hi]: the centred (Taylor) form at the midpoint.

    Even powers of t = x - m lie in [0, h^k], odd ones in [-h^k, h^k].

    Examples
    --------
    >>> prange([Fraction(0), Fraction(0), Fraction(-1)], Fraction(-1), Fraction(1))
    (Fraction(-1, 1), Fraction(0, 1))
    """
    if not p:
        return _ZERO, _ZERO
    m = (lo + hi) / 2
    h = (hi - lo) / 2
    c = _taylor(p, m) if len(p) > 1 else p
    low = high = c[0]
    hk = _ONE
    for k in range(1, len(c)):
        hk *= h
        t = c[k] * hk
        if k % 2 == 0:
            if t > 0:
                high += t
            else:
                low += t
        else:
            high += abs(t)
            low -= abs(t)
    return low, high


def ratio_range(
    a: Poly, q: Poly, lo: Fraction, hi: Fraction
) -> tuple[Fraction, Fraction] | None:
    """Rational bounds of a/q on [lo, hi], or None when the bounds of q contain 0."""
    al, ah = prange(a, lo, hi)
    if len(q) == 1:
        c = q[0]
        return (al / c, ah / c) if c > 0 else (ah / c, al / c)
    ql, qh = prange(q, lo, hi)
    if ql <= 0 <= qh:
        return None
    cands = (al / ql, al / qh, ah / ql, ah / qh)
    return min(cands), max(cands)


def _compose_values(pv: Sequence[int], a: Poly, q: Poly) -> Poly:
    """q^k pv(a/q) for pv of degree k: zero at x with q(x) != 0 iff pv(a(x)/q(x)) = 0."""
    k = len(pv) - 1
    out: Poly = []
    apow: Poly = [_ONE]
    qpows = [[_ONE]]
    for _ in range(k):
        qpows.append(pmul(qpows[-1], q))
    for i, c in enumerate(pv):
        if c:
            out = padd(out, pscale(pmul(apow, qpows[k - i]), Fraction(c)))
        apow = pmul(apow, a)
    return out


def cmp_value(a: Poly, q: Poly, r: Num, v: Num) -> int:
    """The sign of a(r)/q(r) - v, exactly; q has no root near r.

    `r` is the point (a Fraction or an :class:`Alg`), `v` the value.  The
    isolating intervals of r and v are refined until the enclosure of a/q over
    r's interval separates from v's; one exact equality test (gcd of r's
    polynomial with q^k pv(a/q), or with a - v q for a rational v) stops the
    refinement when the two are equal.

    Examples
    --------
    The error x/2 - x^3 at x = 1/sqrt(6) equals sqrt(6)/18, the root of 54 v^2 - 1
    in (1/8, 1/7):

    >>> F = Fraction
    >>> r = make_alg([-1, 0, 6], F(2, 5), F(1, 2))
    >>> v = make_alg([-1, 0, 54], F(1, 8), F(1, 7))
    >>> e = [F(0), F(1, 2), F(0), F(-1)]
    >>> cmp_value(e, [F(1)], r, v), cmp_value(e, [F(1)], r, F(1, 8))
    (0, 1)
    """
    if isinstance(r, Fraction):
        qr = peval(q, r)
        return cmp_num(peval(a, r) / qr, v)
    tested = False
    for n in range(_MAX_REFINE):
        if isinstance(r, Fraction):
            return cmp_value(a, q, r, v)
        bounds = ratio_range(a, q, r.lo, r.hi)
        vl, vh = enclose(v)
        if bounds is not None:
            el, eh = bounds
            if eh < vl:
                return -1
            if el > vh:
                return 1
            if not tested and n >= 2:
                tested = True
                if _equal_at(a, q, r, v):
                    return 0
            if isinstance(v, Alg) and vh - vl > eh - el:
                v = refine(v)
                continue
        r = refine(r)
    raise Undecided("an exact comparison did not finish")  # pragma: no cover


def _equal_at(a: Poly, q: Poly, r: Alg, v: Num) -> bool:
    """Whether a(r)/q(r) == v, decided with gcds (exact)."""
    rp = [Fraction(c) for c in r.poly]
    if isinstance(v, Fraction):
        h = psub(a, pscale(q, v))
        if not h:
            return True
        g = pgcd(h, rp)
        return len(g) > 1 and count_roots(g, r.lo, r.hi) == 1
    h = _compose_values(v.poly, a, q)
    if h:
        g = pgcd(h, rp)
        if len(g) <= 1 or count_roots(g, r.lo, r.hi) != 1:
            return False
    # a(r)/q(r) is a root of v's polynomial; it is v iff it lies in v's interval
    for _ in range(_MAX_REFINE):
        if isinstance(r, Fraction):
            return cmp_num(peval(a, r) / peval(q, r), v) == 0
        bounds = ratio_range(a, q, r.lo, r.hi)
        if bounds is not None:
            el, eh = bounds
            if v.lo < el and eh < v.hi:
                return True
            if eh <= v.lo or el >= v.hi:
                return False
        r = refine(r)
    raise Undecided("an exact equality test did not finish")  # pragma: no cover


def isolate(p: Poly, lo: Fraction, hi: Fraction) -> list[Num]:
    """The distinct real roots of p in the open interval (lo, hi), in increasing order.

    Linear factors found exactly (degree 1, a rational quadratic, or a bisection
    point that is a root) give Fractions; the others are isolated as :class:`Alg`.

    Examples
    --------
    >>> F = Fraction
    >>> [show_num(x) for x in isolate([F(1, 2), F(0), F(-3)], F(0), F(1))]
    ['0.408248290463863...']
    >>> isolate([F(-1, 4), F(0), F(1)], F(-1), F(1))
    [Fraction(-1, 2), Fraction(1, 2)]
    """
    p = sqfree(p)
    found: list[Num] = []
    if len(p) <= 1 or lo >= hi:
        return []
    if len(p) == 2:
        x = -p[0] / p[1]
        return [x] if lo < x < hi else []
    if len(p) == 3:
        c, b, a = p
        disc = b * b - 4 * a * c
        if disc < 0:
            return []
        rn, rd = math.isqrt(disc.numerator), math.isqrt(disc.denominator)
        if rn * rn == disc.numerator and rd * rd == disc.denominator:
            root = Fraction(rn, rd)
            xs = sorted({(-b - root) / (2 * a), (-b + root) / (2 * a)})
            return [x for x in xs if lo < x < hi]
    for end in (lo, hi):
        if peval(p, end) == 0:
            p = pdivmod(p, [-end, _ONE])[0]
    if len(p) <= 1:
        return []
    if len(p) == 2:
        x = -p[0] / p[1]
        return [x] if lo < x < hi else []
    sturm = Sturm(p)
    ip = _positive_lead(primitive(p))
    stack = [(lo, hi, sturm.count(lo, hi))]
    while stack:
        a, b, k = stack.pop()
        if k == 0:
            continue
        if k == 1:
            found.append(Alg(tuple(ip), a, b, sign_at(ip, a)))
            continue
        mid = (a + b) / 2
        if sign_at(ip, mid) == 0:
            found.append(mid)
            rest = pdivmod(p, [-mid, _ONE])[0]
            found.extend(isolate(rest, a, mid))
            found.extend(isolate(rest, mid, b))
            continue
        stack.append((a, mid, sturm.count(a, mid)))
        stack.append((mid, b, sturm.count(mid, b)))
    return sorted(found, key=lambda x: enclose(x)[0])


def show_num(x: Num, digits: int = 15) -> str:
    """A decimal for people (truncated toward zero, with ``...`` when not exact).

    Examples
    --------
    >>> show_num(Fraction(1, 64)), show_num(Fraction(1, 3), 5)
    ('0.015625', '0.33333...')
    """
    if isinstance(x, Alg):
        # refine until the enclosure fixes the displayed digits (or is tiny)
        x = _refine_to(x, Fraction(1, 10 ** (digits + 3)) * max(_ONE, abs(x.lo)))
    lo, hi = enclose(x)
    value = lo if isinstance(x, Fraction) else (lo + hi) / 2
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = value.numerator // value.denominator
    frac = value - whole
    scaled = frac * 10**digits
    digs = scaled.numerator // scaled.denominator
    exact = isinstance(x, Fraction) and scaled.denominator == 1
    text = f"{digs:0{digits}d}"
    if exact:
        text = text.rstrip("0")
        return f"{sign}{whole}" + (f".{text}" if text else "")
    return f"{sign}{whole}.{text}..."


def show_q(x: Fraction) -> str:
    """A rational for people: p/q, or its exact decimal when that has 10 to 80 digits,
    or a decimal marked ≈ when p/q would be longer than 60 characters.

    Examples
    --------
    >>> show_q(Fraction(1, 64)), show_q(Fraction(1585290151921, 10**13))
    ('1/64', '0.1585290151921')
    """
    d = x.denominator
    twos = (d & -d).bit_length() - 1
    rest, fives = d >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    k = max(twos, fives)
    if rest == 1 and 10 <= k <= 80:
        n = abs(x.numerator) * (10**k // d)
        sign = "-" if x < 0 else ""
        return f"{sign}{n // 10**k}.{n % 10**k:0{k}d}"
    text = str(x)
    return text if len(text) <= 60 else f"≈ {show_num(x, 34)}"


def show_poly(p: Sequence[int | Fraction], var: str = "x") -> str:
    """A polynomial for people, highest degree first.

    Examples
    --------
    >>> show_poly([-1, 0, 54], "v")
    '54v^2 - 1'
    """
    terms: list[str] = []
    for k in range(len(p) - 1, -1, -1):
        c = Fraction(p[k])
        if c == 0:
            continue
        mag = abs(c)
        body = "" if (mag == 1 and k > 0) else str(mag)
        if k >= 1:
            body += var + (f"^{k}" if k > 1 else "")
        sign = "-" if c < 0 else "+"
        terms.append(("-" if sign == "-" else "") + body if not terms else f" {sign} {body}")
    return "".join(terms) if terms else "0"
