"""The checker's own maximisation of the error of N against a target, piece by piece.

Part of the independent certificate checker (:mod:`exactnet.checker`).  On a
piece [a, b] the network is the chord ``s x + c`` (checked before), so the error
is g = s x + c - f, and the side's error is g ("above"), -g ("below") or
max(g, -g) ("abs").

- polynomial and rational targets (:func:`check_exact`): a cheap rational bound
  (the centred form) skips the pieces that cannot reach the claimed value; on the
  others the candidates are the ends and the real roots of the numerator of the
  derivative, isolated by Sturm sequences, compared with the value exactly;
- piecewise-linear targets (:func:`check_pwl`): the error is piecewise linear, so
  its maximum is at a breakpoint of N or a kink of the target, all exact;
- transcendental targets (:func:`check_enclosure`): branch and bound over
  ``mpmath.iv`` intervals with a mean-value form (and monotonicity) to show the
  sup <= the enclosure's upper end.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from mpmath.ctx_iv import MPIntervalContext

from exactnet._checker_formula import (
    Expr,
    Target,
    Undefined,
    eval_exact,
    eval_interval,
    exact_at,
    pwl_breakpoints,
)
from exactnet._checker_poly import (
    Alg,
    Num,
    Poly,
    cmp_num,
    cmp_value,
    enclose,
    isolate,
    pderiv,
    peval,
    pmul,
    pscale,
    psub,
    ratio_range,
    refine,
    show_num,
    show_poly,
    show_q,
)

__all__ = [
    "SIDE_LABEL",
    "Outcome",
    "chords",
    "poles",
    "check_exact",
    "check_pwl",
    "Intervals",
    "check_enclosure",
    "point_error",
]

SIDE_LABEL = {"abs": "|N - f|", "above": "N - f", "below": "f - N"}
SIGNS = {"abs": (1, -1), "above": (1,), "below": (-1,)}


@dataclass
class Outcome:
    """Problems found, and what was verified (for the report)."""

    problems: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    attained_at: str | None = None
    best: Fraction | None = None  # enclosures: a point's error is at least this


def chords(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> list[tuple[Fraction, Fraction]]:
    """(slope, intercept) of N on each piece [xs[i], xs[i+1]] (N is affine there)."""
    out = []
    for i in range(len(xs) - 1):
        s = (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i])
        out.append((s, ys[i] - s * xs[i]))
    return out


def _show_point(r: Num) -> str:
    if isinstance(r, Fraction):
        return f"x = {r}"
    return f"x ≈ {show_num(r)} (the root of {show_poly(r.poly)} in ({r.lo}, {r.hi}))"


def _show_value(a: Poly, q: Poly, r: Num) -> str:
    if isinstance(r, Fraction):
        return str(peval(a, r) / peval(q, r))
    for _ in range(200):
        b = ratio_range(a, q, r.lo, r.hi) if isinstance(r, Alg) else None
        if b is not None and b[1] - b[0] < Fraction(1, 10**20) * max(1, abs(b[0])):
            return f"≈ {show_num((b[0] + b[1]) / 2)}"
        r = refine(r)
        if isinstance(r, Fraction):
            return str(peval(a, r) / peval(q, r))
    return "≈ ?"  # pragma: no cover


def _show_target_value(v: Num) -> str:
    if isinstance(v, Fraction):
        return str(v)
    return f"≈ {show_num(v)} (the root of {show_poly(v.poly, 'v')} in ({v.lo}, {v.hi}))"


def poles(target: Target, lo: Fraction, hi: Fraction) -> list[str]:
    """Problems: a divisor of a rational target with a zero on [lo, hi]."""
    out = []
    for d in target.divisors:
        p = list(d)
        for end in (lo, hi):
            if peval(p, end) == 0:
                out.append(f"the target {target.text!r} is undefined at x = {end} (it divides by {show_poly(p)})")
                break
        else:
            if lo < hi:
                roots = isolate(p, lo, hi)
                if roots:
                    out.append(
                        f"the target {target.text!r} is undefined at {_show_point(roots[0])} in the domain "
                        f"(it divides by {show_poly(p)})"
                    )
    return out


def check_exact(
    target: Target,
    xs: Sequence[Fraction],
    ys: Sequence[Fraction],
    side: str,
    upper: Num,
    lower: Num,
) -> Outcome:
    """Show sup of the side's error <= upper, and >= lower at some point (exact).

    With ``upper is lower`` (the value), this shows the sup equals it.  A piece
    is skipped when a rational bound of the error over it is below `lower` and
    <= `upper` (or <= `upper` once the lower bound is attained); on the other
    pieces every candidate (ends and critical points) is compared exactly.
    """
    out = Outcome()
    label = SIDE_LABEL[side]
    signs = SIGNS[side]
    num, den = target.num, target.den
    same = upper is lower
    shown_upper, shown_lower = _show_target_value(upper), _show_target_value(lower)
    # narrow the value's isolating interval once, so most comparisons are cheap
    for _ in range(80):
        if not isinstance(upper, Alg):
            break
        upper = refine(upper)
    if same:
        lower = upper
    attained: str | None = None
    skipped = exact = 0
    if len(xs) == 1:
        x = xs[0]
        g = ys[0] - peval(num, x) / peval(den, x)
        for sgn in signs:
            v = sgn * g
            if cmp_num(v, upper) > 0:
                out.problems.append(f"{label} at x = {x} is {v} > the value {shown_upper}")
                return out
            if cmp_num(v, lower) >= 0:
                attained = f"x = {x}"
        exact = 1
    fast = _IntegerPoly(num) if target.kind == "polynomial" else None
    for i in range(len(xs) - 1):
        a, b, ya, yb = xs[i], xs[i + 1], ys[i], ys[i + 1]
        base: Poly | None = None
        if fast is not None:
            bounds: tuple[Fraction, Fraction] | None = fast.error_bounds(a, b, ya, yb)
        else:
            s = (yb - ya) / (b - a)
            base = psub(pmul([ya - s * a, s], den), num)  # numerator of g = (s x + c) - num/den
            bounds = ratio_range(base, den, a, b)
        need = []
        for sgn in signs:
            if bounds is not None:
                ub = bounds[1] if sgn == 1 else -bounds[0]
                if cmp_num(ub, upper) <= 0 and (attained is not None or cmp_num(ub, lower) < 0):
                    continue
            need.append(sgn)
        if not need:
            skipped += 1
            continue
        exact += 1
        if base is None:
            s = (yb - ya) / (b - a)
            base = psub(pmul([ya - s * a, s], den), num)
        # roots of the numerator of g' = (base/den)' = (base' den - base den') / den^2
        d = psub(pmul(pderiv(base), den), pmul(base, pderiv(den)))
        crit = isolate(d, a, b)
        for sgn in need:
            A = base if sgn == 1 else pscale(base, Fraction(-1))
            for r in [a, *crit, b]:
                up = cmp_value(A, den, r, upper)
                if up > 0:
                    out.problems.append(
                        f"piece {i} [{a}, {b}]: {label} at {_show_point(r)} is "
                        f"{_show_value(A, den, r)} > the value {shown_upper}"
                    )
                    return _finish(out, target, xs, ys, side)
                low = up if same else cmp_value(A, den, r, lower)
                if low >= 0 and attained is None:
                    attained = f"{_show_point(r)} (piece {i})"
    if attained is None:
        out.problems.append(
            f"no point of the domain attains the value {shown_lower}: "
            f"{label} stays below it"
        )
        return _finish(out, target, xs, ys, side)
    if out.problems:
        return out
    out.attained_at = attained
    n = len(xs) - 1
    out.checks.append(
        f"value: {label} maximised exactly on {exact} of {n} piece{'s' if n != 1 else ''} "
        "(ends and Sturm-isolated critical points, compared exactly); on the other "
        f"{skipped} a rational centred-form bound is <= the value"
    )
    return out


class _IntegerPoly:
    """Bounds of g = chord - f on a piece for a polynomial f, in integer arithmetic.

    With m = M/D and h = H/D the midpoint and half-width of [a, b], and f = sum
    phi_j x^j / F, the integer polynomial T(t) = sum_j phi_j D^(n-j) (M + H t)^j
    equals F D^n f(m + h t); the chord is (ya + yb)/2 + (yb - ya)/2 t.  For t in
    [-1, 1] the bound is the centred form: even powers in [0, 1], odd ones in [-1, 1].
    """

    def __init__(self, f: Poly) -> None:
        den = 1
        for c in f:
            den = math.lcm(den, c.denominator)
        self.phi = [int(c * den) for c in f] or [0]
        self.den = den

    def error_bounds(self, a: Fraction, b: Fraction, ya: Fraction, yb: Fraction) -> tuple[Fraction, Fraction]:
        """Rational lo <= g(x) <= hi for x in [a, b]."""
        phi = self.phi
        n = len(phi) - 1
        D = 2 * math.lcm(a.denominator, b.denominator)
        A, B = a.numerator * (D // a.denominator), b.numerator * (D // b.denominator)
        M, H = (A + B) // 2, (B - A) // 2  # A and B are even
        T = [phi[n]]
        dp = 1
        for j in range(n - 1, -1, -1):
            dp *= D
            new = [0] * (len(T) + 1)
            for k, c in enumerate(T):
                new[k] += c * M
                new[k + 1] += c * H
            new[0] += phi[j] * dp
            T = new
        Dy = 2 * math.lcm(ya.denominator, yb.denominator)
        Ya, Yb = ya.numerator * (Dy // ya.denominator), yb.numerator * (Dy // yb.denominator)
        sf = self.den * dp
        G = [-t * Dy for t in T] + [0] * max(0, 2 - len(T))
        G[0] += (Ya + Yb) // 2 * sf
        G[1] += (Yb - Ya) // 2 * sf
        hi = lo = G[0]
        for k in range(1, len(G)):
            c = G[k]
            if k % 2:
                hi += abs(c)
                lo -= abs(c)
            elif c > 0:
                hi += c
            else:
                lo += c
        S = Dy * sf
        return Fraction(lo, S), Fraction(hi, S)


def _finish(out: Outcome, target: Target, xs: Sequence[Fraction], ys: Sequence[Fraction], side: str) -> Outcome:
    """Add the approximate true sup to a rejection (display only)."""
    if len(xs) > 200_001:
        return out
    best: tuple[Fraction, str] | None = None
    num, den = target.num, target.den
    for i, (s, c) in enumerate(chords(xs, ys)):
        a, b = xs[i], xs[i + 1]
        base = psub(pmul([c, s], den), num)
        d = psub(pmul(pderiv(base), den), pmul(base, pderiv(den)))
        for r in [a, *isolate(d, a, b), b]:
            for sgn in SIGNS[side]:
                A = base if sgn == 1 else pscale(base, Fraction(-1))
                rr = r
                for _ in range(60):
                    rr = refine(rr)
                lo_, hi_ = enclose(rr)
                bnd = ratio_range(A, den, lo_, hi_) if lo_ < hi_ else (peval(A, lo_) / peval(den, lo_),) * 2
                if bnd is not None and (best is None or bnd[1] > best[0]):
                    best = (bnd[1], f"{_show_point(r)} (piece {i})")
    if best is not None:
        out.problems.append(f"the sup of {SIDE_LABEL[side]} is ≈ {show_num(best[0])}, at {best[1]}")
    return out


def check_pwl(
    target: Target,
    xs: Sequence[Fraction],
    ys: Sequence[Fraction],
    side: str,
    upper: Num,
    lower: Num,
) -> Outcome:
    """The same for a piecewise-linear target: the error is PWL, so its extrema lie
    at the breakpoints of N and the kinks of the target, all rational and exact."""
    out = Outcome()
    label = SIDE_LABEL[side]
    lo, hi = xs[0], xs[-1]
    kinks = pwl_breakpoints(target.tree, lo, hi)
    points = sorted(set(xs) | set(kinks))
    pieces = chords(xs, ys)
    best: tuple[Fraction, Fraction] | None = None
    attained: str | None = None
    for x in points:
        k = bisect.bisect_left(xs, x)
        if k < len(xs) and xs[k] == x:
            n = ys[k]
        else:
            s, c = pieces[k - 1]
            n = s * x + c
        g = n - eval_exact(target.tree, x)
        for sgn in SIGNS[side]:
            v = sgn * g
            if best is None or v > best[0]:
                best = (v, x)
            if cmp_num(v, upper) > 0:
                out.problems.append(f"{label} at x = {x} is {v} > the value {_show_target_value(upper)}")
                out.problems.append(f"the sup of {label} is {_pwl_max(target, xs, ys, points, side)}")
                return out
            if attained is None and cmp_num(v, lower) >= 0:
                attained = f"x = {x}"
    if attained is None:
        assert best is not None
        out.problems.append(
            f"no point attains the value {_show_target_value(lower)}: the sup of {label} is "
            f"{best[0]}, at x = {best[1]}"
        )
        return out
    out.attained_at = attained
    out.checks.append(
        f"the error is piecewise linear: exact values at {len(points)} points "
        f"({len(xs)} breakpoints of N, {len(kinks)} breakpoints of the target)"
    )
    return out


def _pwl_max(target: Target, xs: Sequence[Fraction], ys: Sequence[Fraction], points: list[Fraction], side: str) -> str:
    pieces = chords(xs, ys)
    best: tuple[Fraction, Fraction] | None = None
    for x in points:
        k = bisect.bisect_left(xs, x)
        n = ys[k] if k < len(xs) and xs[k] == x else pieces[k - 1][0] * x + pieces[k - 1][1]
        g = n - eval_exact(target.tree, x)
        for sgn in SIGNS[side]:
            if best is None or sgn * g > best[0]:
                best = (sgn * g, x)
    assert best is not None
    return f"{best[0]}, at x = {best[1]}"


# ---------------------------------------------------------------- interval arithmetic


class Intervals:
    """A private ``mpmath.iv`` context at a fixed precision (no global state touched).

    Examples
    --------
    >>> I = Intervals(200)
    >>> lo, hi = I.ends(I.frac(Fraction(1, 3)))
    >>> lo < Fraction(1, 3) < hi, hi - lo < Fraction(1, 2**190)
    (True, True)
    """

    def __init__(self, prec: int) -> None:
        self.ctx = MPIntervalContext()
        self.ctx.prec = prec
        self.prec = prec

    def frac(self, x: Fraction) -> Any:
        """An interval enclosing the rational x."""
        if x.denominator == 1:
            return self.ctx.mpf(x.numerator)
        return self.ctx.mpf(x.numerator) / self.ctx.mpf(x.denominator)

    def hull(self, a: Any, b: Any) -> Any:
        """The interval from a's lower end to b's upper end."""
        return self.ctx.mpf([a.a, b.b])

    @staticmethod
    def _exact(raw: tuple[int, int, int, int]) -> Fraction | None:
        sign, man, exp, _ = raw
        if man == 0:
            return Fraction(0) if exp == 0 else None  # 0, or inf / nan
        v = Fraction(int(man) * 2**exp) if exp >= 0 else Fraction(int(man), 2 ** (-exp))
        return -v if sign else v

    def ends(self, v: Any) -> tuple[Fraction | None, Fraction | None]:
        """The exact rational ends of an interval (None for an infinite end)."""
        a, b = v._mpi_
        return self._exact(a), self._exact(b)


def _g(tree: Expr, I: Intervals, s: Any, c: Any, x: Any, dx: Any) -> tuple[Any, Any]:
    """g = s x + c - f over intervals, with its derivative when dx is not None."""
    f, df = eval_interval(tree, I.ctx, x, dx, I.frac)
    g = s * x + c - f
    return g, (s - df if dx is not None else None)


def _gpoint(tree: Expr, I: Intervals, s: Any, c: Any, x: Fraction) -> tuple[Fraction | None, Fraction | None]:
    X = I.frac(x)
    return I.ends(_g(tree, I, s, c, X, None)[0])


def _upper(tree: Expr, I: Intervals, s: Any, c: Any, l: Fraction, u: Fraction, signs: tuple[int, ...]) -> tuple[Fraction | None, tuple[Fraction, Fraction | None] | None]:
    """A rigorous upper bound of max over signs of sgn * g on [l, u] (None: unbounded),
    and the lower bound of the side's error at a point of [l, u] (for evidence)."""
    X = I.hull(I.frac(l), I.frac(u))
    one = I.ctx.mpf(1)
    try:
        G, dG = _g(tree, I, s, c, X, one)
    except Undefined:
        dG = None
        try:
            G, _ = _g(tree, I, s, c, X, None)
        except Undefined:
            return None, None
    glo, ghi = I.ends(G)
    point: tuple[Fraction, Fraction | None] | None = None
    if dG is not None:
        dlo, dhi = I.ends(dG)
        try:
            if (dlo is not None and dlo > 0) or (dhi is not None and dhi < 0):
                # monotone on [l, u]: the extremes are at the ends
                al, ah = _gpoint(tree, I, s, c, l)
                bl, bh = _gpoint(tree, I, s, c, u)
                mlo = None if al is None or bl is None else min(al, bl)
                mhi = None if ah is None or bh is None else max(ah, bh)
                la, lb = _side_low(al, ah, signs), _side_low(bl, bh, signs)
                point = (l, la) if la is not None and (lb is None or la > lb) else (u, lb)
            else:
                m = (l + u) / 2
                M = I.frac(m)
                Gm, _ = _g(tree, I, s, c, M, None)
                mv = Gm + dG * (X - M)
                mlo, mhi = I.ends(mv)
                ml, mh = I.ends(Gm)
                point = (m, _side_low(ml, mh, signs))
        except Undefined:
            mlo = mhi = None
        if mlo is not None and (glo is None or mlo > glo):
            glo = mlo
        if mhi is not None and (ghi is None or mhi < ghi):
            ghi = mhi
    ub: Fraction | None = Fraction(-10**9)
    for sg in signs:
        end = ghi if sg == 1 else (None if glo is None else -glo)
        if end is None:
            return None, point
        assert ub is not None
        ub = max(ub, end)
    return ub, point


def _side_low(lo: Fraction | None, hi: Fraction | None, signs: tuple[int, ...]) -> Fraction | None:
    """A lower bound of max over signs of sgn * g, from bounds lo <= g <= hi."""
    best: Fraction | None = None
    for sg in signs:
        v = lo if sg == 1 else (None if hi is None else -hi)
        if v is not None and (best is None or v > best):
            best = v
    return best


def check_enclosure(
    target: Target,
    xs: Sequence[Fraction],
    ys: Sequence[Fraction],
    side: str,
    hi: Fraction,
    *,
    prec: int = 200,
    max_subdivisions: int = 100_000,
) -> Outcome:
    """Show sup of the side's error <= hi by branch and bound over ``mpmath.iv``.

    Each piece is bounded by the mean-value form g(m) + g'(I)(I - m) (or, where
    g' has a constant sign, by the values at the ends), intersected with the plain
    interval value; a piece whose bound exceeds `hi` is halved, up to
    `max_subdivisions` halvings in all.  ``best`` of the outcome is the best lower
    bound of the side's error found at a point (evidence for the enclosure's lower end).
    """
    out = Outcome()
    label = SIDE_LABEL[side]
    signs = SIGNS[side]
    I = Intervals(prec)
    tree = target.tree
    best: Fraction | None = None
    zero = I.ctx.mpf(0)
    # the target must be defined at every breakpoint (log 0, 1/0 are found here)
    for x in xs:
        try:
            _gpoint(tree, I, zero, zero, x)
        except Undefined as exc:
            out.problems.append(f"the target {target.text!r} is undefined at x = {x} in the domain ({exc})")
            return out
    if len(xs) == 1:
        low, high = point_error(target, xs[0], ys[0], side, prec=prec)
        if high is None or high > hi:
            out.problems.append(f"could not confirm {label} at x = {xs[0]} <= {show_q(hi)}")
        out.best = low
        return out
    halvings = 0
    for i, (s, c) in enumerate(chords(xs, ys)):
        S, C = I.frac(s), I.frac(c)
        stack = [(xs[i], xs[i + 1])]
        while stack:
            l, u = stack.pop()
            ub, point = _upper(tree, I, S, C, l, u, signs)
            if point is not None and point[1] is not None:
                if best is None or point[1] > best:
                    best = point[1]
                if point[1] > hi:
                    out.problems.append(
                        f"piece {i} [{xs[i]}, {xs[i + 1]}]: {label} at x = {point[0]} is at least "
                        f"{show_num(point[1], 30)} > the enclosure's upper end {show_q(hi)}"
                    )
                    out.best = best
                    return out
            if ub is not None and ub <= hi:
                continue
            if halvings >= max_subdivisions:
                where = f"near x ≈ {show_num((l + u) / 2)}"
                bound = "unbounded" if ub is None else f"≈ {show_num(ub, 30)}"
                out.problems.append(
                    f"could not confirm sup of {label} <= {show_q(hi)} within {max_subdivisions} subdivisions "
                    f"(piece {i} [{xs[i]}, {xs[i + 1]}], {where}: bound {bound})"
                )
                out.best = best
                return out
            halvings += 1
            m = (l + u) / 2
            stack.append((m, u))
            stack.append((l, m))
    out.checks.append(
        f"sup of {label} <= {show_q(hi)}: branch and bound over {len(xs) - 1} pieces with mpmath.iv at "
        f"{prec} bits (mean-value form), {halvings} halvings"
    )
    out.best = best
    return out


def point_error(
    target: Target, x: Fraction, n: Fraction, side: str, *, prec: int = 200
) -> tuple[Fraction | None, Fraction | None]:
    """Rigorous bounds (lo, hi) of the side's error at the rational x, with N(x) = n.

    Raises
    ------
    Undefined
        If the target is not defined at x.

    Examples
    --------
    >>> from exactnet._checker_formula import classify
    >>> lo, hi = point_error(classify("sin(x)"), Fraction(1), Fraction(1), "abs")
    >>> print(show_num(lo, 18), show_num(hi, 18))  # 1 - sin(1) = 0.15852901519210349334...
    0.158529015192103493... 0.158529015192103493...
    """
    I = Intervals(prec)
    zero = I.ctx.mpf(0)
    glo, ghi = _gpoint(target.tree, I, zero, I.frac(n), x)
    fx = exact_at(target.tree, x)
    if fx is not None:  # exp(0), sin(0), sqrt(1/4)...: the error is exact
        glo = ghi = n - fx
    if glo is None or ghi is None:
        return None, None
    if side == "above":
        return glo, ghi
    if side == "below":
        return -ghi, -glo
    hi = max(abs(glo), abs(ghi))
    lo = Fraction(0) if glo <= 0 <= ghi else min(abs(glo), abs(ghi))
    return lo, hi
