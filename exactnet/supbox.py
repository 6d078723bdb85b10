"""Sup-norm certification on boxes: the max of |N - f| over a box of dimension d >= 2, with a witness.

N has d inputs and one output; :func:`exactnet.regions.linear_regions` splits the
box into polytopes on which N is affine, ``N(x) = w . x + c``, so the error
``e = w . x + c - f(x)`` is smooth on each region R and its largest value over R
is attained in the relative interior of some face of R (a vertex, an edge, ...,
R itself) at a point where the gradient of e along that face vanishes.

* Polynomial targets of degree <= 2 (``x*y``, ``x^2 + y^2``, any quadratic):
  the gradient of e is affine, so on a k-dimensional face ``x = x0 + M t`` the
  stationary points solve the k x k linear system
  ``M^T H M t = M^T (w - g - H x0)`` (p(x) = p0 + g . x + x^T H x / 2), exactly
  over Q.  When that system is singular, e is constant along a line of
  stationary points, which leaves the face; its value is then met on a lower
  face.  So the candidates (vertices and these solutions) contain a maximiser:
  the sup is an exact rational with a rational witness.  Regions are visited in
  the order of a rigorous upper bound (a second-order Taylor bound at the
  vertex average) and skipped when it cannot beat the best value found.
* Polynomials of degree >= 3 and transcendental targets (``sin(x*y)``,
  ``exp(-x^2 - y^2)``): a rigorous enclosure [lo, hi] of the sup, of width <=
  tol, by branch and bound over the regions.  A cell (a polytope, halved across
  its longest side with the exact splitting of :mod:`exactnet.regions`) is
  bounded by the mean-value form ``e(m) + grad e(B) . (x - m)``, whose maximum
  over the cell is taken at the cell's vertices, so cells on a region's
  boundary converge quadratically too; gradients come from exact symbolic
  differentiation of the formula, ranges from exact rational interval
  arithmetic for +, -, *, /, powers and from ``mpmath.iv`` (outward-rounded
  interval arithmetic, converted to rational bounds exactly) for exp, log, sin,
  cos, sqrt and pi.  lo is the exact (polynomial) or rigorously bounded error at
  a rational witness.  The one-variable Arb route of :mod:`exactnet.reals`
  evaluates formulas in x only, hence the interval arithmetic here.

:func:`certify_box` wraps it in a :class:`~exactnet.certificate.Certificate` of
kind ``sup-error-box`` (``docs/certificate.md``) that lists the regions, so that
the independent checker (:mod:`exactnet._checker_box`) can re-validate it.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field
from typing import Any, Union

from exactnet.algebraic import Enclosure, Real
from exactnet.certificate import Certificate, Verdict
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.network import Network
from exactnet.numbers import ONE, ZERO, Box, Q, QLike, library_versions, q
from exactnet.regions import Region, _affine_rank, _Cell, _split, linear_regions
# one sides rule, one progress type, one 'no finite range' bound for 1-D and boxes
from exactnet.supnorm import _UNBOUNDED, Progress, _side_signs, enclosure_certificate
from exactnet.targets import VARIABLES, Add, Call, Div, Expr, Mul, Num, Pi, Pow, Target, Var, as_target

__all__ = ["BoxSupError", "sup_error_box", "certify_box", "enclose_at", "DEFAULT_TOL_BOX"]

DEFAULT_TOL_BOX = Q(1, 10**20)
_Point = tuple[Q, ...]


@dataclass(frozen=True, slots=True)
class BoxSupError:
    """The sup of the side's error over a box, with where it is attained.

    Attributes
    ----------
    value : Q or Enclosure
        Exact for polynomial targets of degree <= 2; a rigorous enclosure otherwise.
    witness : tuple of Q
        A rational maximiser (exact value), or a rational point whose error is
        at least ``value.lo`` (enclosure).
    regions : tuple of Region
        The linear regions of N on the box.
    method : str
    stats : dict
    """

    value: Union[Real, Enclosure]
    witness: _Point
    regions: tuple[Region, ...]
    method: str
    stats: dict = field(default_factory=dict)


def _check(net: Network, f: Target, box: Box) -> None:
    d = box.dim
    if len(net.inputs) != d or len(net.outputs) != 1:
        raise InvalidArgument(
            f"box {box} has dimension {d}: the network needs {d} inputs and one output "
            f"(it has {len(net.inputs)} and {len(net.outputs)})"
        )
    extra = [v for v in f.variables if VARIABLES.index(v) >= d]
    if extra:
        raise InvalidArgument(
            f"target {f.text!r} uses {', '.join(extra)}, but box {box} has dimension {d} "
            f"(variables {', '.join(VARIABLES[:d])})"
        )
    if f.kind in ("pwl", "rational"):
        raise UnsupportedError(
            f"target {f.text!r} is {f.kind}: on boxes, polynomial and transcendental targets are supported"
        )


def sup_error_box(
    net: Network,
    target: "Target | str",
    box: Box,
    *,
    side: str = "abs",
    tol: QLike = DEFAULT_TOL_BOX,
    max_cells: int = 200_000,
    prec: int = 128,
    progress: Progress | None = None,
) -> BoxSupError:
    """The sup over the box of |N - f| ("abs"), N - f ("above") or f - N ("below").

    Parameters
    ----------
    net : Network
        d inputs (d = box.dim <= 3 for x, y, z), one output.
    target : Target or formula in x, y, z
        Polynomial or transcendental.
    box : Box
    side : {"abs", "above", "below"}
    tol : rational
        Enclosure width (degree >= 3 and transcendental targets).
    max_cells : int
        Branch-and-bound budget; beyond it the enclosure so far is returned
        with ``stats["complete"] = False``.
    prec : int
        Bits of the ``mpmath.iv`` intervals (transcendental targets).

    Examples
    --------
    Ding et al.'s product net x'(x, y) for r = 1 against xy on [-1, 1]^2: the
    exact error is 4 * 2^(-2(r+1)) = 1/4 at x = y = 1/2 (see
    ``product_error_exact``).

    >>> from exactnet.constructions.ding2019 import product_net
    >>> from exactnet.numbers import parse_box
    >>> r = sup_error_box(product_net(1), "x*y", parse_box("-1,1x-1,1"))
    >>> print(r.value, [str(c) for c in r.witness], len(r.regions))
    1/4 ['-1/2', '-1/2'] 8
    """
    f = as_target(target)
    _check(net, f, box)
    signs = _side_signs(side)
    regions = linear_regions(net, box)
    d = box.dim
    if f.kind == "polynomial":
        poly = f.multipolynomial(d)
        if max((sum(m) for m in poly), default=0) <= 2:
            value, at, stats = _sup_quadratic(regions, poly, d, signs, progress)
            # the reference evaluator re-confirms the value at the witness
            e = evaluate(net, at)[0] - f(*at)
            assert max(s * e for s in signs) == value, "regions and exact evaluation disagree: a bug"
            return BoxSupError(value, at, regions, "regions + exact face stationary points (linear systems)", stats)
    enc, at, stats = _sup_enclosure(regions, f, d, signs, q(tol), max_cells, prec, progress)
    kind = "exact rational" if f.kind == "polynomial" else f"mpmath.iv, {prec} bits"
    return BoxSupError(enc, at, regions, f"regions + branch and bound, mean-value form ({kind})", stats)


# -- quadratic targets: exact ----------------------------------------------------------


def _quadratic(poly: dict[tuple[int, ...], Q], d: int) -> tuple[Q, list[Q], list[list[Q]]]:
    """p = p0 + g . x + x^T H x / 2."""
    p0 = poly.get((0,) * d, ZERO)
    g = [ZERO] * d
    H = [[ZERO] * d for _ in range(d)]
    for m, c in poly.items():
        idx = [i for i, k in enumerate(m) for _ in range(k)]
        if len(idx) == 1:
            g[idx[0]] += c
        elif len(idx) == 2:
            i, j = idx
            if i == j:
                H[i][i] += 2 * c
            else:
                H[i][j] += c
                H[j][i] += c
    return p0, g, H


def _tight(r: Region) -> list[frozenset[int]]:
    return [
        frozenset(k for k, (a, b) in enumerate(zip(r.A, r.b)) if sum((u * v for u, v in zip(a, p)), ZERO) == b)
        for p in r.vertices
    ]


def _faces(r: Region) -> list[tuple[int, tuple[int, ...]]]:
    """Every face of dimension >= 1 as (dimension, vertex indices)."""
    tight = _tight(r)
    d = r.dim
    out: list[tuple[int, tuple[int, ...]]] = []
    seen: set[tuple[int, ...]] = set()

    def walk(S: tuple[int, ...], k: int) -> None:
        out.append((k, S))
        if k == 1:
            return
        for con in sorted(set().union(*(tight[i] for i in S))):
            sub = tuple(i for i in S if con in tight[i])
            if len(sub) == len(S) or len(sub) < k or sub in seen:
                continue
            if _affine_rank([r.vertices[i] for i in sub]) != k - 1:
                continue
            seen.add(sub)
            walk(sub, k - 1)

    walk(tuple(range(len(r.vertices))), d)
    return out


def _directions(points: list[_Point], k: int) -> list[_Point]:
    x0 = points[0]
    dirs: list[_Point] = []
    for p in points[1:]:
        v = tuple(a - b for a, b in zip(p, x0))
        if _affine_rank([tuple(ZERO for _ in v)] + dirs + [v]) == len(dirs) + 1:
            dirs.append(v)
            if len(dirs) == k:
                break
    return dirs


def _solve(M: list[list[Q]], rhs: list[Q]) -> list[Q] | None:
    """The unique solution of M t = rhs (exact Gauss-Jordan), or None if M is singular."""
    n = len(M)
    a = [list(row) + [r] for row, r in zip(M, rhs)]
    for col in range(n):
        piv = next((i for i in range(col, n) if a[i][col] != 0), None)
        if piv is None:
            return None
        a[col], a[piv] = a[piv], a[col]
        p = a[col][col]
        a[col] = [v / p for v in a[col]]
        for i in range(n):
            if i != col and a[i][col] != 0:
                fct = a[i][col]
                a[i] = [u - fct * v for u, v in zip(a[i], a[col])]
    return [a[i][n] for i in range(n)]


def _sup_quadratic(
    regions: tuple[Region, ...],
    poly: dict[tuple[int, ...], Q],
    d: int,
    signs: tuple[int, ...],
    progress: Progress | None,
) -> tuple[Q, _Point, dict]:
    p0, g, H = _quadratic(poly, d)

    def p(x: _Point) -> Q:
        s = p0
        for i in range(d):
            s += g[i] * x[i]
            for j in range(d):
                s += H[i][j] * x[i] * x[j] / 2
        return s

    def upper(r: Region, s: int) -> Q:
        # s e(x) = s e(m) + s grad e(m) . (x - m) - s (x - m)^T H (x - m) / 2, and
        # |(x - m)^T H (x - m)| <= sum |H_ij| R_i R_j with R_i = max |v_i - m_i| over vertices
        m = r.interior_point
        w, c = r.weights[0], r.offsets[0]
        em = sum((wi * xi for wi, xi in zip(w, m)), c) - p(m)
        grad = [w[i] - g[i] - sum((H[i][j] * m[j] for j in range(d)), ZERO) for i in range(d)]
        lin = max(s * sum((gi * (v[i] - m[i]) for i, gi in enumerate(grad)), ZERO) for v in r.vertices)
        R = [max(abs(v[i] - m[i]) for v in r.vertices) for i in range(d)]
        quad = sum((abs(H[i][j]) * R[i] * R[j] for i in range(d) for j in range(d)), ZERO) / 2
        return s * em + lin + quad

    order = sorted(
        ((max(upper(r, s) for s in signs), k) for k, r in enumerate(regions)), key=lambda t: (-t[0], t[1])
    )
    best: Q | None = None
    best_at: _Point = regions[0].vertices[0]
    analysed = skipped = 0
    curved = any(any(row) for row in H)
    for n, (ub, k) in enumerate(order):
        if progress is not None and n % 1024 == 0:
            progress(n, len(order))
        if best is not None and ub <= best:
            skipped += 1
            continue
        analysed += 1
        r = regions[k]
        w, c = r.weights[0], r.offsets[0]
        cands: list[_Point] = list(r.vertices)
        if curved:
            for dim, S in _faces(r):
                pts = [r.vertices[i] for i in S]
                x0 = pts[0]
                M = _directions(pts, dim)  # the face is x0 + sum t_k M[k]
                Hx0 = [sum((H[i][j] * x0[j] for j in range(d)), ZERO) for i in range(d)]
                rhs0 = [w[i] - g[i] - Hx0[i] for i in range(d)]
                HM = [[sum((H[i][j] * v[j] for j in range(d)), ZERO) for i in range(d)] for v in M]
                A = [[sum((u[i] * hv[i] for i in range(d)), ZERO) for hv in HM] for u in M]
                rhs = [sum((u[i] * rhs0[i] for i in range(d)), ZERO) for u in M]
                t = _solve(A, rhs)
                if t is None:
                    continue  # a line of stationary points leaves the face: lower faces hold its value
                x = tuple(x0[i] + sum((tk * v[i] for tk, v in zip(t, M)), ZERO) for i in range(d))
                if r.contains(x):
                    cands.append(x)
        for x in cands:
            e = sum((wi * xi for wi, xi in zip(w, x)), c) - p(x)
            for s in signs:
                if best is None or s * e > best or (s * e == best and x < best_at):
                    best, best_at = s * e, x
    if progress is not None:
        progress(len(order), len(order))
    assert best is not None
    return best, best_at, {"region_count": len(regions), "regions_analysed": analysed, "regions_skipped": skipped}


# -- degree >= 3 and transcendental targets: rigorous enclosures -----------------------------


def _diff(e: Expr, v: str) -> Expr:
    """The exact symbolic derivative d e / d v (no simplification beyond zeros)."""
    if isinstance(e, (Num, Pi)):
        return Num(ZERO)
    if isinstance(e, Var):
        return Num(ONE if e.name == v else ZERO)
    if isinstance(e, Add):
        return _add(_diff(e.a, v), _diff(e.b, v), e.sign)
    if isinstance(e, Mul):
        return _add(_mul(_diff(e.a, v), e.b), _mul(e.a, _diff(e.b, v)))
    if isinstance(e, Div):
        top = _add(_mul(_diff(e.a, v), e.b), _mul(e.a, _diff(e.b, v)), -1)
        return Div(top, Pow(e.b, 2)) if not _zero(top) else Num(ZERO)
    if isinstance(e, Pow):
        if e.n == 0:
            return Num(ZERO)
        return _mul(_mul(Num(Q(e.n)), Pow(e.base, e.n - 1)), _diff(e.base, v))
    if isinstance(e, Call):
        (a,) = e.args
        da = _diff(a, v)
        if _zero(da):
            return Num(ZERO)
        outer: Expr = {
            "exp": e,
            "log": Div(Num(ONE), a),
            "sin": Call("cos", (a,)),
            "cos": Mul(Num(-ONE), Call("sin", (a,))),
            "sqrt": Div(Num(Q(1, 2)), e),
        }[e.name]
        return _mul(outer, da)
    raise AssertionError(e)


def _zero(e: Expr) -> bool:
    return isinstance(e, Num) and e.value == 0


def _add(a: Expr, b: Expr, sign: int = 1) -> Expr:
    if _zero(b):
        return a
    if _zero(a) and sign > 0:
        return b
    return Add(a, b, sign)


def _mul(a: Expr, b: Expr) -> Expr:
    if _zero(a) or _zero(b):
        return Num(ZERO)
    if isinstance(a, Num) and a.value == 1:
        return b
    if isinstance(b, Num) and b.value == 1:
        return a
    return Mul(a, b)


class _Undefined(Exception):
    """The target has no bounded value on the box (a division by an interval containing 0, log of <= 0, ...)."""


class _Ranges:
    """Rigorous rational ranges of formulas over boxes.

    Exact interval arithmetic over Q for +, -, *, /, integer powers; an
    ``mpmath.iv`` context of its own (outward rounding; no global state) for
    pi and the transcendental functions, its ends converted to Q exactly.
    """

    def __init__(self, prec: int) -> None:
        from mpmath.ctx_iv import MPIntervalContext

        self.ctx = MPIntervalContext()
        self.ctx.prec = prec

    def _to_iv(self, lo: Q, hi: Q) -> Any:
        c = self.ctx
        a = c.mpf(int(lo.numerator)) / c.mpf(int(lo.denominator))
        b = a if lo == hi else c.mpf(int(hi.numerator)) / c.mpf(int(hi.denominator))
        return c.mpf([a.a, b.b])

    @staticmethod
    def _end(raw: tuple[int, int, int, int]) -> Q:
        sign, man, exp, _ = raw
        if man == 0:
            if exp != 0:
                raise _Undefined("an infinite or undefined interval end")
            return ZERO
        v = Q(int(man) * 2**exp) if exp >= 0 else Q(int(man), 2 ** (-exp))
        return -v if sign else v

    def _from_iv(self, v: Any) -> tuple[Q, Q]:
        a, b = v._mpi_
        return self._end(a), self._end(b)

    def range(self, e: Expr, box: list[tuple[Q, Q]]) -> tuple[Q, Q]:
        if isinstance(e, Num):
            return e.value, e.value
        if isinstance(e, Var):
            return box[VARIABLES.index(e.name)]
        if isinstance(e, Add):
            (a, b), (c, d) = self.range(e.a, box), self.range(e.b, box)
            return (a + c, b + d) if e.sign > 0 else (a - d, b - c)
        if isinstance(e, Mul):
            (a, b), (c, d) = self.range(e.a, box), self.range(e.b, box)
            ps = (a * c, a * d, b * c, b * d)
            return min(ps), max(ps)
        if isinstance(e, Div):
            (a, b), (c, d) = self.range(e.a, box), self.range(e.b, box)
            if c <= 0 <= d:
                raise _Undefined("a denominator's range contains 0")
            ps = (a / c, a / d, b / c, b / d)
            return min(ps), max(ps)
        if isinstance(e, Pow):
            a, b = self.range(e.base, box)
            n = e.n
            if n < 0:
                if a <= 0 <= b:
                    raise _Undefined("a negative power of a range containing 0")
                a, b = ONE / b, ONE / a
                n = -n
            if n % 2 == 0 and a < 0 < b:
                return ZERO, max(a**n, b**n)
            lo, hi = a**n, b**n
            return (min(lo, hi), max(lo, hi))
        if isinstance(e, Pi):
            return self._from_iv(self.ctx.pi)
        if isinstance(e, Call):
            lo, hi = self.range(e.args[0], box)
            if e.name in ("log",) and lo <= 0:
                raise _Undefined(f"log of a range reaching {lo}")
            if e.name == "sqrt" and lo < 0:
                raise _Undefined(f"sqrt of a range reaching {lo}")
            return self._from_iv(getattr(self.ctx, e.name)(self._to_iv(lo, hi)))
        raise AssertionError(e)


def enclose_at(target: "Target | str", point: "tuple[QLike, ...] | list[QLike]", *, prec: int = 128) -> tuple[Q, Q] | None:
    """Rational bounds lo <= f(point) <= hi of a formula in x, y, z, or None where f is undefined.

    Exact (lo == hi) for polynomial and rational targets; rigorous interval
    bounds (``mpmath.iv``, outward rounding) for transcendental ones.

    Examples
    --------
    >>> lo, hi = enclose_at("sin(x*y)", (1, "1/2"))
    >>> # sin(1/2) = 0.47942553860420300027328793521557...
    >>> print(Q(47942553860420300027, 10**20) < lo <= hi < Q(47942553860420300028, 10**20))
    True
    >>> print(*enclose_at("x*y - z", (2, 3, "1/2")))
    11/2 11/2
    """
    f = as_target(target)
    x = tuple(q(v) for v in point)
    if f.is_exact:
        try:
            v = f(*x)
        except InvalidArgument:
            return None
        return v, v
    try:
        return _Ranges(prec).range(f.expr, [(c, c) for c in x])
    except _Undefined:
        return None


def _sup_enclosure(
    regions: tuple[Region, ...],
    f: Target,
    d: int,
    signs: tuple[int, ...],
    tol: Q,
    max_cells: int,
    prec: int,
    progress: Progress | None,
) -> tuple[Enclosure, _Point, dict]:
    R = _Ranges(prec)
    grad = [_diff(f.expr, VARIABLES[i]) for i in range(d)]
    exact = f.kind == "polynomial"

    def f_point(x: _Point) -> tuple[Q, Q]:
        if exact:
            v = f(*x)
            return v, v
        return R.range(f.expr, [(c, c) for c in x])

    best: Q | None = None
    best_at: _Point = regions[0].vertices[0]
    Rows = list[tuple[tuple[Q, ...], Q]]
    heap: list[tuple[Q, int, _Cell, tuple[Q, ...], Q, Rows]] = []
    counter = 0
    cells = 0
    undefined_near: _Point | None = None

    def lower_at(x: _Point, w: tuple[Q, ...], c: Q) -> None:
        nonlocal best, best_at
        try:
            flo, fhi = f_point(x)
        except _Undefined:
            return
        n = sum((wi * xi for wi, xi in zip(w, x)), c)
        for s in signs:
            low = s * n - (fhi if s > 0 else -flo)  # s (n - f) >= this
            if best is None or low > best:
                best, best_at = low, x

    def bound(cell: _Cell, w: tuple[Q, ...], c: Q) -> Q | None:
        vs = cell.verts
        m = tuple(sum((v[j] for v in vs), ZERO) / len(vs) for j in range(d))
        B = [(min(v[j] for v in vs), max(v[j] for v in vs)) for j in range(d)]
        lower_at(m, w, c)
        try:
            flo, fhi = f_point(m)
            G = [R.range(gr, B) for gr in grad]
        except _Undefined:
            G = None
        out: Q | None = None
        for s in signs:
            cand: Q | None = None
            if G is not None:
                em = s * sum((wi * xi for wi, xi in zip(w, m)), c) - (flo if s > 0 else -fhi)
                # grad of s e over B: s (w_j - df/dx_j(B))
                best_v: Q | None = None
                for v in vs:
                    lin = ZERO
                    for j in range(d):
                        glo, ghi = (s * (w[j] - G[j][1]), s * (w[j] - G[j][0]))
                        if s < 0:
                            glo, ghi = ghi, glo
                        dv = v[j] - m[j]
                        lin += glo * dv if dv < 0 else ghi * dv
                    best_v = lin if best_v is None or lin > best_v else best_v
                assert best_v is not None
                cand = em + best_v
            try:
                Flo, Fhi = R.range(f.expr, B)
                direct = max(s * (sum((wi * xi for wi, xi in zip(w, v)), c)) for v in vs) - (Flo if s > 0 else -Fhi)
                cand = direct if cand is None else min(cand, direct)
            except _Undefined:
                pass
            if cand is None:
                return None
            out = cand if out is None else max(out, cand)
        return out

    for r in regions:
        w, c = r.weights[0], r.offsets[0]
        rows = [(a, b) for a, b in zip(r.A, r.b)]
        cell = _Cell(list(r.vertices), _tight(r), list(range(len(rows))), [], [])
        for v in r.vertices:
            lower_at(v, w, c)
        ub = bound(cell, w, c)
        cells += 1
        counter += 1
        heap.append((-(ub if ub is not None else _UNBOUNDED), counter, cell, w, c, rows))
    heapq.heapify(heap)
    complete = True
    top = ZERO
    while heap:
        neg, _, cell, w, c, rows = heapq.heappop(heap)
        top = -neg
        assert best is not None
        if top - best <= tol:
            heapq.heappush(heap, (neg, 0, cell, w, c, rows))
            break
        if cells >= max_cells:
            complete = False
            heapq.heappush(heap, (neg, 0, cell, w, c, rows))
            break
        if progress is not None and cells % 4096 == 0:
            progress(cells, max_cells)
        vs = cell.verts
        spans = [max(v[j] for v in vs) - min(v[j] for v in vs) for j in range(d)]
        j = max(range(d), key=lambda i: spans[i])
        mid = (max(v[j] for v in vs) + min(v[j] for v in vs)) / 2
        if spans[j] < Q(1, 2**200):
            complete = False
            undefined_near = tuple(vs[0])
            heapq.heappush(heap, (neg, 0, cell, w, c, rows))
            break
        h = (tuple(ONE if i == j else ZERO for i in range(d)), -mid)
        parts = _split(cell, h, rows, d)
        assert not isinstance(parts, bool), "the midpoint of a side splits the cell"
        for part in parts:
            ub = bound(part, w, c)
            cells += 1
            counter += 1
            heapq.heappush(heap, (-(ub if ub is not None else _UNBOUNDED), counter, part, w, c, rows))
    assert best is not None
    hi = max(-heap[0][0], best) if heap else best
    stats: dict[str, Any] = {"region_count": len(regions), "cells": cells, "complete": complete and hi - best <= tol}
    if undefined_near is not None:
        stats["unbounded_near"] = [str(v) for v in undefined_near]
    return Enclosure(best, hi), best_at, stats


# -- certificates ----------------------------------------------------------------------------


def _claim_text(f: Target, box: Box, side: str, eps: Q | None) -> str:
    names = ", ".join(VARIABLES[: box.dim])
    body = {
        "abs": f"|N({names}) - ({f.text})|",
        "above": f"N({names}) - ({f.text})",
        "below": f"({f.text}) - N({names})",
    }[side]
    return f"sup over {box} of {body}" + (f" <= {eps}" if eps is not None else "")


def _region_json(r: Region) -> dict[str, Any]:
    return {
        "vertices": [[str(c) for c in v] for v in r.vertices],
        "A": [[str(c) for c in row] for row in r.A],
        "b": [str(c) for c in r.b],
        "pattern": "".join("1" if p else "0" for _, p in r.pattern),
        "weights": [str(c) for c in r.weights[0]],
        "offset": str(r.offsets[0]),
    }


def certify_box(
    net: Network,
    target: "Target | str",
    box: Box,
    eps: QLike | None = None,
    *,
    side: str = "abs",
    tol: QLike = DEFAULT_TOL_BOX,
    max_cells: int = 200_000,
    prec: int = 128,
    progress: Progress | None = None,
) -> Certificate:
    """Certify ``sup_{x in box} |N(x) - f(x)| <= eps`` (or compute the sup if eps is None).

    HOLDS with the exact sup (or its enclosure) and a rational witness;
    VIOLATED with a rational witness whose exact error exceeds eps (the
    reference evaluator re-confirms it); UNKNOWN when an enclosure contains
    eps, or the branch and bound ran out of budget.  The certificate lists the
    problem and every region (vertices, H-representation, pattern, affine map)
    for ``exactnet check-certificate``.

    Examples
    --------
    >>> from exactnet.constructions.ding2019 import product_net
    >>> from exactnet.numbers import parse_box
    >>> c = certify_box(product_net(2), "x*y", parse_box("-1,1x-1,1"), "1/16")
    >>> print(c.verdict.value, c.value, [str(v) for v in c.witness])
    holds 1/16 ['-3/4', '-3/4']
    >>> print(certify_box(product_net(2), "x*y", parse_box("-1,1x-1,1"), "1/17").verdict.value)
    violated
    """
    from exactnet.io.json import to_dict

    f = as_target(target)
    bound = None if eps is None else q(eps)
    if bound is not None and bound < 0 and side == "abs":
        raise InvalidArgument(f"eps={bound} must be >= 0")
    start = time.perf_counter()
    r = sup_error_box(net, f, box, side=side, tol=tol, max_cells=max_cells, prec=prec, progress=progress)
    claim = _claim_text(f, box, side, bound)
    relus = [n for n, _ in r.regions[0].pattern]
    details: dict[str, Any] = {
        "problem": {
            "kind": "sup-error-box",
            "network": to_dict(net),
            "target": f.text,
            "box": [[str(s.lo), str(s.hi)] for s in box.sides],
            "side": side,
            "eps": None if bound is None else str(bound),
        },
        "relus": relus,
        "regions": [_region_json(reg) for reg in r.regions],
        "target_kind": f.kind,
        **r.stats,
        "seconds": round(time.perf_counter() - start, 6),
        "versions": library_versions(),
    }
    witness = tuple(r.witness)
    if isinstance(r.value, Enclosure):
        enc = r.value
        if bound is not None and enc.lo > bound and f.kind == "polynomial":
            # an exact error at the witness: re-confirm it
            e = evaluate(net, witness)[0] - f(*witness)
            assert max(s * e for s in _side_signs(side)) >= enc.lo
        unbounded = r.stats.get("unbounded_near")
        return enclosure_certificate(
            claim, enc, witness, bound, r.method, details,
            unbounded_near=None if unbounded is None else str(tuple(unbounded)),
            stopped_after=None if r.stats.get("complete", True) else f"{r.stats['cells']} cells",
        )
    assert isinstance(r.value, Q)
    if bound is None or r.value <= bound:
        return Certificate(claim, Verdict.HOLDS, r.value, witness, r.method, details)
    return Certificate(claim, Verdict.VIOLATED, r.value, witness, r.method, details)
