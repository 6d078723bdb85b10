"""Sup-norm certification: the exact max of |N - f| (or N - f, or f - N) on an interval.

N is a one-input network, made exact piecewise linear by :func:`exactnet.pwl.to_pwl`;
on each piece [a, b] it is s x + c, and the error e = s x + c - f is

* for polynomial and rational f = P/D: a rational function whose largest value
  is at a or b or at a root of the numerator of e' inside (a, b).  The roots are
  isolated exactly (:mod:`exactnet.reals`), so the sup is an exact rational or
  algebraic number (:mod:`exactnet.algebraic`) with an exact maximiser.  A
  piece whose end values plus the interpolation remainder (b - a)^2/8 max|f''|
  cannot beat the best value found is skipped without root isolation;
* for continuous PWL f: piecewise linear, so the sup is at a breakpoint of
  N - f, an exact rational;
* for transcendental f: bounded by Arb ball arithmetic in a branch and bound
  (mean-value forms on sub-intervals, a priority queue on the upper bound)
  until the enclosure [lo, hi] of the sup has hi - lo <= tol (10^-30 by default);
  lo is attained (up to the enclosure) at a rational witness.

:func:`certify` wraps all of it in a :class:`~exactnet.certificate.Certificate`
in the file format of ``docs/certificate.md``, which the independent checker
:mod:`exactnet.checker` re-validates.  :func:`lp_error` gives exact L1 and L2
errors for polynomial targets.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field
from typing import Callable, Union

from exactnet.algebraic import AlgebraicNumber, Enclosure, Real, bounds, compare, evaluate_at
from exactnet.certificate import Certificate, Verdict
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import ZERO, Box, Interval, Q, QLike, library_versions, q
from exactnet.polynomial import Polynomial
from exactnet.pwl import PiecewiseLinear, to_pwl
from exactnet.reals import DEFAULT_PREC, enclose, enclose_error, real_roots
from exactnet.targets import Target, as_target

__all__ = [
    "SupError",
    "sup_error",
    "certify",
    "certify_equal",
    "certify_sup_error",
    "enclosure_certificate",
    "LpError",
    "lp_error",
    "SIDES",
]

SIDES = ("abs", "above", "below")
Progress = Callable[[int, int], None]
DEFAULT_TOL = Q(1, 10**30)
_UNBOUNDED = Q(10) ** 100  # the upper bound given to a box where Arb returns no finite ball


@dataclass(frozen=True, slots=True)
class SupError:
    """The sup of the side's error, with where it is attained.

    Attributes
    ----------
    value : Real or Enclosure
        Exact (rational or algebraic) for polynomial, rational and PWL targets;
        a rigorous enclosure for transcendental ones.
    witness : Real
        A maximiser (exact); for an enclosure, a rational point whose error is
        at least ``value.lo``.
    pwl : PiecewiseLinear
        N on the interval, canonical (collinear pieces merged).
    pieces_raw : int
        Pieces before merging.
    method : str
    stats : dict
        Counts (pieces analysed exactly, boxes of the branch and bound, ...).
    """

    value: Union[Real, Enclosure]
    witness: Real
    pwl: PiecewiseLinear
    pieces_raw: int
    method: str
    stats: dict = field(default_factory=dict)


def _side_signs(side: str) -> tuple[int, ...]:
    if side not in SIDES:
        raise InvalidArgument(f"side={side!r} must be one of {', '.join(SIDES)}")
    return {"abs": (1, -1), "above": (1,), "below": (-1,)}[side]


def sup_error(
    net: Network,
    target: "Target | Polynomial | str",
    interval: Interval,
    *,
    side: str = "abs",
    tol: QLike = DEFAULT_TOL,
    prec: int = DEFAULT_PREC,
    max_boxes: int = 2_000_000,
    progress: Progress | None = None,
) -> SupError:
    """The sup over the interval of |N - f| (side "abs"), N - f ("above") or f - N ("below").

    Parameters
    ----------
    net : Network
        One input, one output.
    target : Target, Polynomial or formula string
    interval : Interval
    side : {"abs", "above", "below"}
    tol : rational
        Width of the enclosure for transcendental targets (ignored otherwise).
    prec : int
        Arb working precision in bits (transcendental targets).
    max_boxes : int
        Branch-and-bound budget; beyond it the enclosure found so far is
        returned with ``stats["complete"] = False``.
    progress : callable(done, total), optional
        Called now and then; the CLI draws a progress bar with it.

    Examples
    --------
    Yarotsky's f_2 against x^2 on [0, 1]: 2^(-2*2-2) = 1/64, at the first midpoint.

    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> r = sup_error(square_net(2), "x^2", Interval(0, 1))
    >>> print(r.value, r.witness, r.pwl.pieces)
    1/64 1/8 4

    N(x) = x/2 against x^3 on [0, 1]: N - f = x/2 - x^3 peaks at 1/sqrt(6)
    with the value sqrt(6)/18, a root of 54 v^2 - 1; |N - f| is largest at
    x = 1, where f - N = 1/2:

    >>> half = Network.from_layers([[["1/2"]]], [[0]], ["identity"])
    >>> r = sup_error(half, "x^3", Interval(0, 1), side="above")
    >>> print(r.value.poly, r.witness.poly, r.value)
    (-1, 0, 54) (-1, 0, 6) root of 54*x^2 - 1 in (0, 1) ≈ 0.13608276348795433878
    >>> print(sup_error(half, "x^3", Interval(0, 1)).value)
    1/2
    """
    if len(net.inputs) != 1 or len(net.outputs) != 1:
        raise InvalidArgument(
            f"sup-norm error needs a network with one input and one output "
            f"(this one has {len(net.inputs)} and {len(net.outputs)})"
        )
    f = as_target(target)
    if not f.is_univariate:
        raise InvalidArgument(
            f"target {f.text!r} uses {', '.join(f.variables)}: on an interval the target is a "
            "function of x (give a Box for several inputs, see exactnet.supbox)"
        )
    signs = _side_signs(side)
    raw = to_pwl(net, interval)
    pwl = raw.canonical()
    if f.kind in ("polynomial", "rational"):
        value, at, stats = _sup_rational(pwl, f, signs, progress)
        method = "pwl + exact piece maxima (root isolation)"
    elif f.kind == "pwl":
        value, at, stats = _sup_pwl(pwl, f, signs)
        method = "pwl - pwl, exact breakpoints"
    else:
        value, at, stats = _sup_transcendental(pwl, f, signs, q(tol), prec, max_boxes, progress)
        method = f"pwl + Arb ball branch and bound ({prec} bits)"
    return SupError(value, at, pwl, raw.pieces, method, stats)


# -- polynomial and rational targets ----------------------------------------------------


def _pieces(f: PiecewiseLinear) -> list[tuple[Q, Q, Q, Q]]:
    """(a, b, s, c) with N = s x + c on [a, b]."""
    out = []
    for i, s in enumerate(f.slopes):
        a = f.xs[i]
        out.append((a, f.xs[i + 1], s, f.ys[i] - s * a))
    return out


def _check_poles(D: Polynomial, f: Target, lo: Q, hi: Q) -> None:
    if D.degree > 0:
        poles = real_roots(D, lo, hi)
        if poles:
            p = poles[0]
            where = str(p) if isinstance(p, Q) else f"≈ {AlgebraicNumber(*p)}"
            raise InvalidArgument(
                f"target {f.text!r} has a pole at x = {where} in the domain [{lo}, {hi}]"
            )


def _second_derivative_bound(P: Polynomial, D: Polynomial, lo: Q, hi: Q) -> Q | None:
    """M with |f''| <= M on [lo, hi] for f = P/D, or None if interval arithmetic cannot tell."""
    if D.degree == 0:
        a, b = P.derivative().derivative().range_on(lo, hi)
        return max(abs(a), abs(b))
    P1, D1 = P.derivative(), D.derivative()
    P2, D2 = P1.derivative(), D1.derivative()
    # f'' = ((P'' D - P D'') D - 2 D' (P' D - P D')) / D^3
    N2 = (P2 * D - P * D2) * D - (D1 * (P1 * D - P * D1)).scale(2)
    nlo, nhi = N2.range_on(lo, hi)
    dlo, dhi = (D * D * D).range_on(lo, hi)
    if dlo <= 0 <= dhi:
        return None
    return max(abs(nlo), abs(nhi)) / min(abs(dlo), abs(dhi))


def _sup_rational(
    pwl: PiecewiseLinear, f: Target, signs: tuple[int, ...], progress: Progress | None
) -> tuple[Real, Real, dict]:
    P, D = f.numerator, f.denominator
    lo, hi = pwl.xs[0], pwl.xs[-1]
    _check_poles(D, f, lo, hi)
    poly = D.degree == 0
    # exact errors at the breakpoints: the starting best value
    errs = [y - f(x) for x, y in zip(pwl.xs, pwl.ys)]
    best: Real = Q(-1) if signs == (1, -1) else None  # type: ignore[assignment]
    best_at: Real = pwl.xs[0]
    for x, e in zip(pwl.xs, errs):
        for sg in signs:
            v = sg * e
            if best is None or v > best:
                best, best_at = v, x
    M2 = _second_derivative_bound(P, D, lo, hi)
    P1 = P.derivative()
    quadratic = poly and P.degree <= 2
    p1 = P.coeffs[1] if len(P.coeffs) > 1 else ZERO
    p2 = P.coeffs[2] if len(P.coeffs) > 2 else ZERO
    analysed = skipped = 0
    n = pwl.pieces
    for i, (a, b, s, c) in enumerate(_pieces(pwl)):
        if progress is not None and i % 65536 == 0:
            progress(i, n)
        ea, eb = errs[i], errs[i + 1]
        if M2 is not None and isinstance(best, Q):
            h = b - a
            reach = max(sg * e for sg in signs for e in (ea, eb)) + h * h * M2 / 8
            if reach <= best:
                skipped += 1
                continue
        analysed += 1
        if quadratic:
            # e' = s - p1 - 2 p2 x vanishes at one rational point (if p2 != 0)
            if p2 == 0:
                continue
            xs = (s - p1) / (2 * p2)
            if a < xs < b:
                e = s * xs + c - P(xs)
                for sg in signs:
                    v = sg * e
                    if compare(v, best) > 0:
                        best, best_at = v, xs
            continue
        L = Polynomial.from_coeffs([c, s])
        E = L * D - P
        crit = (E.derivative() * D - E * D.derivative()) if not poly else Polynomial.from_coeffs([s]) - P1
        if crit.is_zero:
            continue  # e is constant on the piece: its ends already count
        for root in real_roots(crit, a, b):
            r: Real = root if isinstance(root, Q) else AlgebraicNumber(*root)
            if isinstance(r, Q) and not a < r < b:
                continue
            for sg in signs:
                better = _beats(r, E.scale(sg), D, best)
                if better is not None:
                    best, best_at = better, r
    if progress is not None:
        progress(n, n)
    if isinstance(best_at, AlgebraicNumber):
        best_at = best_at.simplified()
    return best, best_at, {"pieces_analysed": analysed, "pieces_skipped": skipped}


def _beats(r: Real, E: Polynomial, D: Polynomial, best: Real) -> Real | None:
    """The exact value E(r)/D(r) if it is larger than best, else None."""
    if isinstance(r, Q):
        v = E(r) / D(r)
        return v if compare(v, best) > 0 else None
    blo, bhi = bounds(best)
    y = r
    for _ in range(4):
        nlo, nhi = E.range_on(y.lo, y.hi)
        dlo, dhi = D.range_on(y.lo, y.hi)
        if dlo > 0 or dhi < 0:
            quots = [u / w for u in (nlo, nhi) for w in (dlo, dhi)]
            if max(quots) < blo:
                return None
            if min(quots) > bhi:
                break
        y = y.refined((y.hi - y.lo) / 2**20)
    v = evaluate_at(r, E, D)
    return v if compare(v, best) > 0 else None


# -- piecewise-linear targets --------------------------------------------------------


def _sup_pwl(pwl: PiecewiseLinear, f: Target, signs: tuple[int, ...]) -> tuple[Real, Real, dict]:
    g = pwl - f.to_pwl(pwl.domain)
    best: Q | None = None
    at = g.xs[0]
    for x, y in zip(g.xs, g.ys):
        for sg in signs:
            if best is None or sg * y > best:
                best, at = sg * y, x
    assert best is not None
    return best, at, {"breakpoints_of_difference": len(g.xs)}


# -- transcendental targets -----------------------------------------------------------


def _side_upper(lo: Q, hi: Q, signs: tuple[int, ...]) -> Q:
    return max(hi if sg > 0 else -lo for sg in signs)


def _side_lower(lo: Q, hi: Q, signs: tuple[int, ...]) -> Q:
    return max(lo if sg > 0 else -hi for sg in signs)


def _domain_checks(f: Target, lo: Q, hi: Q) -> frozenset:
    """Prove sqrt and log arguments that are rational functions >= 0 (> 0) on [lo, hi].

    Returns the sqrt calls so proven (their balls may be clipped at 0).  An
    argument that is negative somewhere (zero, for log) is a user's mistake.
    Other arguments are left to Arb: a ball that is not finite makes the
    verdict UNKNOWN, never a wrong value.
    """
    from exactnet.targets import Add, Call, Div, Mul, Pow, _ratfun

    proven = set()

    def walk(e) -> None:
        if isinstance(e, Call):
            for a in e.args:
                walk(a)
            if e.name in ("sqrt", "log"):
                r = _ratfun(e.args[0])
                if r is None:
                    return
                P, D = r
                _check_poles(D, Target("argument", e.args[0], "rational"), lo, hi)
                roots: list[Real] = []
                if not P.is_zero:
                    roots = [rt if isinstance(rt, Q) else AlgebraicNumber(*rt) for rt in real_roots(P, lo, hi)]
                # P/D keeps its sign between consecutive roots of P: test one point in each gap
                marks: list[Real] = [lo, *roots, hi]
                tests = [t for t in (lo, hi) if P.is_zero or P(t) != 0]
                tests += [_between(u, w) for u, w in zip(marks, marks[1:]) if compare(u, w) < 0]
                negative = P.is_zero is False and any(P(t) / D(t) < 0 for t in tests)
                if e.name == "log" and (P.is_zero or roots or negative):
                    raise InvalidArgument(
                        f"target {f.text!r}: the argument of log is not > 0 on the whole domain [{lo}, {hi}]"
                    )
                if e.name == "sqrt" and negative:
                    raise InvalidArgument(
                        f"target {f.text!r}: the argument of sqrt is negative somewhere in [{lo}, {hi}]"
                    )
                if e.name == "sqrt":
                    proven.add(e)
        elif isinstance(e, (Add, Mul, Div)):
            walk(e.a)
            walk(e.b)
        elif isinstance(e, Pow):
            walk(e.base)

    walk(f.expr)
    return frozenset(proven)


def _sup_transcendental(
    pwl: PiecewiseLinear,
    f: Target,
    signs: tuple[int, ...],
    tol: Q,
    prec: int,
    max_boxes: int,
    progress: Progress | None,
) -> tuple[Enclosure, Q, dict]:
    expr = f.expr
    nonneg = _domain_checks(f, pwl.xs[0], pwl.xs[-1])
    best_lo: Q | None = None
    best_at = pwl.xs[0]

    def point(x: Q, s: Q, c: Q) -> None:
        nonlocal best_lo, best_at
        v = enclose(expr, x, prec=prec, nonneg=nonneg)
        if v is None:
            return
        elo, ehi = s * x + c - v[1], s * x + c - v[0]
        low = _side_lower(elo, ehi, signs)
        if best_lo is None or low > best_lo:
            best_lo, best_at = low, x

    heap: list[tuple[Q, int, Q, Q, Q, Q]] = []
    unbounded = 0
    counter = 0

    def push(a: Q, b: Q, s: Q, c: Q) -> None:
        nonlocal counter, unbounded
        eb = enclose_error(expr, s, c, a, b, prec=prec, nonneg=nonneg)
        counter += 1
        if eb is None:
            unbounded += 1
            heap_up = None
        else:
            heap_up = _side_upper(eb[0], eb[1], signs)
        heapq.heappush(heap, (-(heap_up if heap_up is not None else _UNBOUNDED), counter, a, b, s, c))

    pieces = _pieces(pwl) if pwl.pieces else [(pwl.xs[0], pwl.xs[0], ZERO, pwl.ys[0])]
    for a, b, s, c in pieces:
        point(a, s, c)
        point(b, s, c)
        push(a, b, s, c)
    boxes = len(pieces)
    complete = True
    while True:
        negu, _, a, b, s, c = heap[0]
        upper = -negu
        if best_lo is not None and upper - best_lo <= tol:
            break
        if boxes >= max_boxes or b - a < Q(1, 2**(prec - 8)):
            complete = False
            break
        heapq.heappop(heap)
        m = (a + b) / 2
        point(m, s, c)
        push(a, m, s, c)
        push(m, b, s, c)
        boxes += 2
        if progress is not None and boxes % 4096 == 0:
            progress(boxes, max_boxes)
    upper = -heap[0][0]
    lower = best_lo if best_lo is not None else upper
    stats = {"boxes": boxes, "complete": complete, "tolerance": str(tol), "precision_bits": prec}
    if upper >= _UNBOUNDED:
        # Arb could not bound the target on a tiny box: it is undefined or unbounded there
        a = heap[0][2]
        stats["unbounded_near"] = str(a)
        upper = max(lower, ZERO)
        lower = min(lower, ZERO)
    return Enclosure(lower, upper), best_at, stats


# -- certificates ---------------------------------------------------------------------


def _claim_text(f: Target, interval: Interval, side: str, eps: Q | None) -> str:
    body = {"abs": f"|N(x) - ({f.text})|", "above": f"N(x) - ({f.text})", "below": f"({f.text}) - N(x)"}[side]
    return f"sup over {interval} of {body}" + (f" <= {eps}" if eps is not None else "")


def certify(
    net: Network,
    target: "Target | Polynomial | str",
    domain: "Interval | Box",
    eps: QLike | None = None,
    *,
    side: str = "abs",
    tol: QLike = DEFAULT_TOL,
    prec: int = DEFAULT_PREC,
    max_boxes: int = 2_000_000,
    progress: Progress | None = None,
) -> Certificate:
    """Certify ``sup_{x in domain} |N(x) - f(x)| <= eps`` (or compute the sup if eps is None).

    Returns HOLDS with the exact sup (or its enclosure) as value and a
    maximiser as witness; VIOLATED with an exact witness whose error exceeds
    eps (re-confirmed by exact evaluation of the network); UNKNOWN when an
    enclosure straddles eps or the branch and bound ran out of budget.  The
    certificate carries the problem (network, target, domain, side, eps) and
    N's canonical breakpoints, so ``exactnet check-certificate`` can
    re-validate it.  A :class:`~exactnet.numbers.Box` domain (several inputs)
    is handed to :func:`exactnet.supbox.certify_box`.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> c = certify(square_net(3), "x^2", Interval(0, 1), "1/256")
    >>> print(c.verdict.value, c.value, c.witness[0])
    holds 1/256 1/16
    >>> c = certify(square_net(3), "x^2", Interval(0, 1), "1/257")
    >>> print(c.verdict.value, c.witness[0])
    violated 1/16
    """
    from exactnet.io.json import to_dict

    if isinstance(domain, Box):  # several inputs: the regions route (issue 7)
        from exactnet.supbox import certify_box

        return certify_box(net, target, domain, eps, side=side, tol=tol, max_cells=max_boxes, progress=progress)
    f = as_target(target)
    bound = None if eps is None else q(eps)
    if bound is not None and bound < 0 and side == "abs":
        raise InvalidArgument(f"eps={bound} must be >= 0")
    claim = _claim_text(f, domain, side, bound)
    start = time.perf_counter()
    r = sup_error(net, f, domain, side=side, tol=tol, prec=prec, max_boxes=max_boxes, progress=progress)
    details: dict = {
        "problem": {
            "kind": "sup-error-1d",
            "network": to_dict(net),
            "target": f.text,
            "domain": [str(domain.lo), str(domain.hi)],
            "side": side,
            "eps": None if bound is None else str(bound),
        },
        "pieces": {"xs": [str(x) for x in r.pwl.xs], "ys": [str(y) for y in r.pwl.ys]},
        "pieces_raw": r.pieces_raw,
        "pieces_canonical": r.pwl.pieces,
        "target_kind": f.kind,
        "value_label": f"at x = {_short_real(r.witness)}",
        **{k: v for k, v in r.stats.items()},
        "seconds": round(time.perf_counter() - start, 6),
        "versions": library_versions(),
    }
    witness = (r.witness,)
    if isinstance(r.value, Enclosure):
        unbounded = r.stats.get("unbounded_near")
        return enclosure_certificate(
            claim, r.value, witness, bound, r.method, details,
            unbounded_near=None if unbounded is None else f"x = {unbounded}",
            stopped_after=None if r.stats.get("complete", True) else f"{r.stats['boxes']} boxes",
        )
    # exact: re-confirm a rational witness with the reference evaluator
    if isinstance(r.witness, Q) and f.is_exact:
        e = evaluate(net, r.witness)[0] - f(r.witness)
        assert max(sg * e for sg in _side_signs(side)) == r.value, (
            "PWL extraction and exact evaluation disagree: a bug in exactnet"
        )
    if bound is None or compare(r.value, bound) <= 0:
        return Certificate(claim, Verdict.HOLDS, r.value, witness, r.method, details)
    return Certificate(claim, Verdict.VIOLATED, r.value, witness, r.method, details)


def certify_equal(net: Network, other: "Network | Target | str", domain: Interval) -> Certificate:
    """Certify N = G on an interval by exact PWL extraction (G a network or a formula in x).

    For a network or a piecewise-linear formula G, N - G is piecewise linear and
    N = G iff it vanishes at every breakpoint; a violation is witnessed by the
    first breakpoint where it does not.  For any other formula, N = G iff the
    exact sup of |N - G| is 0.

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import tent_net
    >>> print(certify_equal(tent_net(), "2*relu(x) - 4*relu(x - 1/2)", Interval(0, 1)).verdict.value)
    holds
    >>> c = certify_equal(tent_net(), "min(2*x, 1)", Interval(0, 1))
    >>> print(c.verdict.value, c.witness[0], c.value)
    violated 1 1
    """
    start = time.perf_counter()
    f = to_pwl(net, domain).canonical()
    if isinstance(other, Network):
        g = to_pwl(other, domain).canonical()
        name = "G"
    else:
        t = as_target(other)
        name = t.text
        if t.kind != "pwl" and not (t.kind == "polynomial" and t.numerator.degree <= 1):
            c = certify(net, t, domain, 0)
            return Certificate(
                f"N(x) = {name} on {domain}", c.verdict, c.value, c.witness,
                "exact sup of |N - G| (PWL route)", {"pieces": f.pieces},
            )
        g = t.to_pwl(domain)
    diff = (f - g).canonical()
    bad = [(x, y) for x, y in zip(diff.xs, diff.ys) if y != 0]
    claim = f"N(x) = {name} on {domain}"
    details = {"pieces": f.pieces, "seconds": round(time.perf_counter() - start, 6)}
    if not bad:
        return Certificate(claim, Verdict.HOLDS, None, None, "exact PWL extraction", details)
    x, y = bad[0]
    return Certificate(claim, Verdict.VIOLATED, abs(y), (x,), "exact PWL extraction", details)


def enclosure_certificate(
    claim: str,
    enc: Enclosure,
    witness: tuple[Real, ...],
    bound: Q | None,
    method: str,
    details: dict,
    *,
    unbounded_near: str | None = None,
    stopped_after: str | None = None,
) -> Certificate:
    """The verdict of a sup known only as an enclosure [lo, hi] (transcendental targets).

    VIOLATED when lo > eps; HOLDS when hi <= eps, or with no eps when the
    enclosure reached its tolerance; UNKNOWN, with the reason in the details,
    when eps lies inside the enclosure, when the branch and bound stopped early
    (`stopped_after` says after what) or when the target could not be bounded
    (`unbounded_near` says where).  Shared by 1-D :func:`certify` and
    :func:`exactnet.supbox.certify_box`; `details` is completed in place.

    Examples
    --------
    >>> e = Enclosure(q("1/3"), q("1/2"))
    >>> [enclosure_certificate("c", e, (q(0),), q(b), "bb", {}).verdict.value for b in ("1/4", "2/5", 1)]
    ['violated', 'unknown', 'holds']
    """
    if unbounded_near is not None:
        details["reason"] = (
            f"the target could not be bounded near {unbounded_near} "
            "(is it defined and finite on the whole domain?)"
        )
        return Certificate(claim, Verdict.UNKNOWN, None, None, method, details)
    if stopped_after is not None:
        details["reason"] = (
            f"the branch and bound stopped after {stopped_after} with the enclosure "
            f"[{enc.lo}, {enc.hi}] wider than the tolerance"
        )
    if bound is not None and enc.lo > bound:
        return Certificate(claim, Verdict.VIOLATED, enc, witness, method, details)
    if bound is not None and enc.hi > bound:
        details.setdefault("reason", f"the enclosure [{enc.lo}, {enc.hi}] contains eps = {bound}")
        return Certificate(claim, Verdict.UNKNOWN, enc, witness, method, details)
    if "reason" in details and bound is None:
        return Certificate(claim, Verdict.UNKNOWN, enc, witness, method, details)
    return Certificate(claim, Verdict.HOLDS, enc, witness, method, details)


def _short_real(x: Real) -> str:
    if isinstance(x, AlgebraicNumber):
        return f"root of {x.polynomial_text()} in ({x.lo}, {x.hi})"
    return str(x)


def certify_sup_error(
    net: Network, target: "Target | Polynomial | str", interval: Interval, eps: QLike | None = None, **options
) -> Certificate:
    """The same as :func:`certify` (the name used before certify existed).

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> print(certify_sup_error(square_net(1), "x^2", Interval(0, 1)).value)
    1/16
    """
    return certify(net, target, interval, eps, **options)


# -- L1 and L2 errors -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LpError:
    """An exact L^p error (p = 1 or 2) of N against a polynomial on an interval.

    Attributes
    ----------
    p : int
    value : Real or None
        The exact value when it is rational or a single algebraic number
        (L2 is sqrt of a rational; L1 is rational when every sign change of
        N - f is rational).
    rational_part : Q
    algebraic_terms : tuple of (int, AlgebraicNumber)
        For L1 with irrational sign changes: value = rational_part + sum of
        sign * term, exactly.
    enclosure : Enclosure
        Of width <= 10^-30, for display.
    """

    p: int
    value: Real | None
    rational_part: Q
    algebraic_terms: tuple[tuple[int, AlgebraicNumber], ...]
    enclosure: Enclosure


def lp_error(net: Network, target: "Target | Polynomial | str", interval: Interval, p: int) -> LpError:
    """The exact L1 or L2 error (integral of |N - f| or its square, to the power 1/p).

    Examples
    --------
    f_1 against x^2 on [0, 1]: N - f = x/2 - x^2 on [0, 1/2] and (3x - 1)/2 - x^2 on
    [1/2, 1]; the squares integrate to 1/960 on each half, so L2 = sqrt(1/480).

    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> r = lp_error(square_net(1), "x^2", Interval(0, 1), 2)
    >>> print(r.value.poly)
    (-1, 0, 480)
    >>> print(lp_error(square_net(1), "x^2", Interval(0, 1), 1).value)
    1/24
    """
    if p not in (1, 2):
        raise InvalidArgument(f"p={p} must be 1 or 2")
    f = as_target(target)
    if f.kind != "polynomial":
        raise InvalidArgument(f"L{p} errors are exact for polynomial targets; {f.text!r} is {f.kind}")
    P = f.polynomial
    pwl = to_pwl(net, interval).canonical()
    if p == 2:
        total = ZERO
        for a, b, s, c in _pieces(pwl):
            e = Polynomial.from_coeffs([c, s]) - P
            total += (e * e).integrate(a, b)
        v = _sqrt(total)
        lo, hi = bounds(v, DEFAULT_TOL)
        return LpError(2, v, total, (), Enclosure(lo, hi))
    rational = ZERO
    terms: list[tuple[int, AlgebraicNumber]] = []
    for a, b, s, c in _pieces(pwl):
        e = Polynomial.from_coeffs([c, s]) - P
        if e.is_zero:
            continue
        F = e.antiderivative()
        cuts: list[Real] = [a]
        for root in real_roots(e, a, b):
            r = root if isinstance(root, Q) else AlgebraicNumber(*root)
            if isinstance(r, Q) and not a < r < b:
                continue
            cuts.append(r)
        cuts.append(b)
        for u, w in zip(cuts, cuts[1:]):
            # the sign of e on (u, w) is the sign at any interior rational point
            mid = _between(u, w)
            sg = 1 if e(mid) > 0 else -1
            for point, weight in ((w, sg), (u, -sg)):
                val = evaluate_at(point, F)
                if isinstance(val, Q):
                    rational += weight * val
                else:
                    terms.append((weight, val))
    lo = hi = rational
    for weight, t in terms:
        tlo, thi = bounds(t, DEFAULT_TOL / (len(terms) + 1))
        lo, hi = (lo + weight * tlo, hi + weight * thi) if weight > 0 else (lo + weight * thi, hi + weight * tlo)
    value: Real | None = rational if not terms else None
    return LpError(1, value, rational, tuple(terms), Enclosure(lo, hi))


def _between(u: Real, w: Real) -> Q:
    """A rational strictly between u < w."""
    ulo, uhi = bounds(u)
    wlo, whi = bounds(w)
    while uhi >= wlo:
        if isinstance(u, AlgebraicNumber):
            u = u.refined((uhi - ulo) / 4)
        if isinstance(w, AlgebraicNumber):
            w = w.refined((whi - wlo) / 4)
        ulo, uhi = bounds(u)
        wlo, whi = bounds(w)
    return (uhi + wlo) / 2


def _sqrt(r: Q) -> Real:
    """The exact square root of a non-negative rational."""
    from math import isqrt

    n, d = int(r.numerator), int(r.denominator)
    sn, sd = isqrt(n), isqrt(d)
    if sn * sn == n and sd * sd == d:
        return Q(sn, sd)
    # sqrt(n/d) = sqrt(n d)/d is the positive root of d^2 v^2 - n d, i.e. of d v^2 - n
    poly = Polynomial.from_coeffs([-n, 0, d]).integer_coeffs()
    k = isqrt(n * d)
    return AlgebraicNumber(poly, Q(k, d), Q(k + 1, d)).simplified()
