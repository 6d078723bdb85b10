"""Exact sup-norm error sup_{x in I} |N(x) - p(x)| of a one-input network against a polynomial.

On every piece [a, b] of N (from :func:`exactnet.pwl.to_pwl`) the error
e(x) = s x + c - p(x) is a polynomial; its largest |e| is attained at a or b
or at a zero of e' inside (a, b).  When every such zero is rational (always
for targets of degree <= 2, whose e' is linear) the sup is an exact rational
with an exact maximiser.  Irrational critical points (targets of degree >= 3)
are not yet handled: the verdict is then UNKNOWN with that reason, never a
guess.
"""

from __future__ import annotations

import time

from exactnet.certificate import Certificate, Verdict
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Interval, Q, QLike, library_versions, q
from exactnet.pwl import PiecewiseLinear, to_pwl
from exactnet.targets import Polynomial

__all__ = ["sup_error", "certify_sup_error"]


class _Irrational(Exception):
    pass


def _piece_max(s: Q, c: Q, p: Polynomial, a: Q, b: Q) -> tuple[Q, Q]:
    """(max |e|, argmax) of e(x) = s x + c - p(x) on [a, b]."""
    e = Polynomial.from_coeffs([c, s]) - p
    cands = [a, b]
    d = e.derivative()
    if d.degree == 1:
        root = -d.coeffs[0] / d.coeffs[1]
        if a < root < b:
            cands.append(root)
    elif d.degree >= 2:
        # rational roots only are handled exactly here: test whether e' has any
        # sign change or zero inside (a, b) that is not at a rational we can name
        raise _Irrational
    best, at = Q(-1), a
    for x in cands:
        v = abs(e(x))
        if v > best:
            best, at = v, x
    return best, at


def sup_error(net: Network, target: Polynomial, interval: Interval) -> tuple[Q, Q, PiecewiseLinear]:
    """The exact sup of |N - p| on the interval, a maximiser, and N's PWL function.

    Raises
    ------
    _Irrational
        (internal) when a critical point may be irrational; :func:`certify_sup_error`
        turns it into an UNKNOWN verdict.

    Examples
    --------
    Yarotsky's f_2 against x^2 on [0, 1]: 2^(-2*2-2) = 1/64, at the first midpoint.

    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> from exactnet.targets import parse_target
    >>> v, x, _ = sup_error(square_net(2), parse_target("x^2"), Interval(0, 1))
    >>> print(v, x)
    1/64 1/8
    """
    f = to_pwl(net, interval).canonical()
    best, at = Q(-1), f.xs[0]
    for i, s in enumerate(f.slopes):
        a, b = f.xs[i], f.xs[i + 1]
        c = f.ys[i] - s * a
        v, x = _piece_max(s, c, target, a, b)
        if v > best:
            best, at = v, x
    if f.pieces == 0:
        best, at = abs(f.ys[0] - target(f.xs[0])), f.xs[0]
    return best, at, f


def certify_sup_error(
    net: Network, target: Polynomial, interval: Interval, eps: QLike | None = None
) -> Certificate:
    """Certify ``sup_{x in I} |N(x) - p(x)| <= eps`` (or just compute it if eps is None).

    Returns HOLDS with the exact sup as value and a maximiser as witness;
    VIOLATED with the maximiser (re-confirmed by exact evaluation); UNKNOWN when
    the maximisers may be irrational (targets of degree >= 3, not yet handled).

    Examples
    --------
    >>> from exactnet.constructions.yarotsky2017 import square_net
    >>> from exactnet.targets import parse_target
    >>> c = certify_sup_error(square_net(3), parse_target("x^2"), Interval(0, 1), "1/256")
    >>> print(c.verdict.value, c.value, c.witness[0])
    holds 1/256 1/16
    """
    if len(net.inputs) != 1 or len(net.outputs) != 1:
        raise InvalidArgument("sup-norm error needs a network with one input and one output")
    bound = None if eps is None else q(eps)
    if bound is not None and bound < 0:
        raise InvalidArgument(f"eps={bound} must be >= 0")
    claim = f"sup over {interval} of |N(x) - ({target})|" + (f" <= {bound}" if bound is not None else "")
    start = time.perf_counter()
    try:
        value, at, f = sup_error(net, target, interval)
    except _Irrational:
        return Certificate(
            claim,
            Verdict.UNKNOWN,
            None,
            None,
            "pwl + exact piece maxima",
            {"reason": "the error has irrational critical points (target degree >= 3); "
             "exact algebraic maximisers are not implemented yet"},
        )
    # independent re-confirmation of the witness with the reference evaluator
    confirmed = abs(evaluate(net, at)[0] - target(at))
    assert confirmed == value, "PWL extraction and exact evaluation disagree: a bug in exactnet"
    details = {
        "pieces": f.pieces,
        "value_label": f"sup |N - f| at x = {at}",
        "seconds": round(time.perf_counter() - start, 6),
        "versions": library_versions(),
    }
    if bound is None or value <= bound:
        return Certificate(claim, Verdict.HOLDS, value, (at,), "pwl + exact piece maxima", details)
    return Certificate(claim, Verdict.VIOLATED, value, (at,), "pwl + exact piece maxima", details)
