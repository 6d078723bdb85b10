"""The bound-based optimal bit-width of Ding et al. (2019), Section 6 and Appendix B, decided rigorously.

Y. Ding, J. Liu, J. Xiong, Y. Shi, "On the universal approximability and
complexity bounds of quantized ReLU neural networks", ICLR 2019,
arXiv:1802.03646, Section 6 (eqs. (6), (7), Figure 1) and Appendix B
(eqs. (26), (27)).

The memory bound, with its lower-order terms and roundings dropped, is

    M(lambda) = theta_1 lambda log(lambda) theta_2^(lambda/(lambda-1)),
    theta_2 = log(3 n 2^d / eps)                                  (eq. (6))

(log = log_2, footnote 2).  Its derivative has the sign of

    M_s(lambda) = log(lambda) + 1/ln 2 - ln(theta_2) lambda log(lambda) / (lambda-1)^2

(eq. (26)), and lambda_opt = argmin M (eq. (7)).  Every value here is
transcendental, so signs and comparisons are decided with Arb ball
arithmetic (:func:`exactnet.reals.enclose` for ln at rational points) and
exact rational interval arithmetic on the resulting bounds; a sign that an
enclosure cannot separate from 0 at the highest precision tried is UNKNOWN,
never guessed.  This module makes the certificates of Section 6's claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from exactnet.algebraic import Enclosure
from exactnet.certificate import Certificate, Verdict
from exactnet.exceptions import InvalidArgument
from exactnet.numbers import Q, QLike, library_versions, q
from exactnet.reals import enclose
from exactnet.targets import parse_target

__all__ = [
    "theta2",
    "ms",
    "ms_derivative",
    "eq27",
    "lambda_star",
    "lambda_opt",
    "bit_width",
    "certify_unique_minimum",
    "certify_ms2_condition",
    "certify_eq27",
    "certify_bit_width_range",
]

_LOG = parse_target("log(x)").expr
_EXP = parse_target("exp(x)").expr
_PRECS = (128, 512, 2048)


@dataclass(frozen=True, slots=True)
class _I:
    """A closed rational interval, for rigorous arithmetic on Arb bounds."""

    lo: Q
    hi: Q

    def __add__(self, o: "_I") -> "_I":
        return _I(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: "_I") -> "_I":
        return _I(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: "_I") -> "_I":
        p = (self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi)
        return _I(min(p), max(p))

    def __truediv__(self, o: "_I") -> "_I":
        if o.lo <= 0 <= o.hi:
            raise InvalidArgument("interval division by an interval containing 0")
        return self * _I(1 / o.hi, 1 / o.lo)

    def sign(self) -> int:
        return 1 if self.lo > 0 else -1 if self.hi < 0 else 0


def _c(x: QLike) -> _I:
    v = q(x)
    return _I(v, v)


def _ln(x: _I, prec: int) -> _I:
    """ln on a positive rational interval (monotone: ln lo's lower bound, ln hi's upper)."""
    if x.lo <= 0:
        raise InvalidArgument(f"ln of [{x.lo}, {x.hi}] is undefined")
    a = enclose(_LOG, x.lo, prec=prec)
    b = a if x.hi == x.lo else enclose(_LOG, x.hi, prec=prec)
    assert a is not None and b is not None
    return _I(a[0], b[1])


def _exp(x: Q, prec: int) -> _I:
    e = enclose(_EXP, x, prec=prec)
    assert e is not None
    return _I(e[0], e[1])


def _check(d: int, n: int, eps: QLike) -> Q:
    e = q(eps)
    if not isinstance(d, int) or not isinstance(n, int) or d < 1 or n < 1:
        raise InvalidArgument(f"need integers d >= 1 and n >= 1, got {d=}, {n=}")
    if not 0 < e < 1:
        raise InvalidArgument(f"eps={e} must be in (0, 1)")
    return e


def _theta2(d: int, n: int, eps: Q, prec: int) -> _I:
    # log2(3 n 2^d / eps) = d + ln(3n/eps)/ln 2, so 2^d never has to be formed
    return _c(d) + _ln(_c(3 * n / eps), prec) / _ln(_c(2), prec)


def theta2(d: int, n: int, eps: QLike, *, prec: int = 128) -> Enclosure:
    """An enclosure of theta_2 = log_2(3 n 2^d / eps) (Appendix B).

    Examples
    --------
    >>> th = theta2(1, 1, "3/8")     # log2(3 * 2 * 8/3) = log2(16) = 4
    >>> th.lo <= 4 <= th.hi, th.width < Q(1, 10**30)
    (True, True)
    """
    t = _theta2(d, n, _check(d, n, eps), prec)
    return Enclosure(t.lo, t.hi)


def _ms(lam: _I, th: _I, prec: int) -> _I:
    ln2 = _ln(_c(2), prec)
    log_lam = _ln(lam, prec) / ln2
    one = _c(1)
    return log_lam + one / ln2 - _ln(th, prec) * lam * log_lam / ((lam - one) * (lam - one))


def ms(lam: QLike, d: int, n: int, eps: QLike, *, prec: int = 128) -> Enclosure:
    """An enclosure of M_s(lambda) (Appendix B), whose sign is that of dM/dlambda (eq. (26)).

    Examples
    --------
    M_s(2) = 1 + 1/ln 2 - 2 ln(theta_2); with theta_2 = 4: 2.4427 - 2.7726 < 0.

    >>> e = ms(2, 1, 1, "3/8")
    >>> e.hi < 0, e.lo > Q(-33, 100)
    (True, True)
    """
    e = _check(d, n, eps)
    lv = q(lam)
    if lv <= 1:
        raise InvalidArgument(f"lambda={lv} must be > 1")
    r = _ms(_c(lv), _theta2(d, n, e, prec), prec)
    return Enclosure(r.lo, r.hi)


def _dms(lam: _I, th: _I, prec: int) -> _I:
    """The true dM_s/dlambda = 1/(lambda ln 2) + ln(theta_2) ((lambda+1) log lambda - (lambda-1)/ln 2)/(lambda-1)^3."""
    ln2 = _ln(_c(2), prec)
    one = _c(1)
    log_lam = _ln(lam, prec) / ln2
    lm1 = lam - one
    return one / (lam * ln2) + _ln(th, prec) * ((lam + one) * log_lam - lm1 / ln2) / (lm1 * lm1 * lm1)


def ms_derivative(lo: QLike, hi: QLike, d: int, n: int, eps: QLike, *, prec: int = 128) -> Enclosure:
    """An enclosure of dM_s/dlambda over all lambda in [lo, hi] (lo > 1), from the derivative derived by hand.

    d/dlambda log_2(lambda) = 1/(lambda ln 2) and
    d/dlambda [lambda log_2 lambda / (lambda-1)^2]
    = -((lambda+1) log_2 lambda - (lambda-1)/ln 2) / (lambda-1)^3, so

        dM_s/dlambda = 1/(lambda ln 2)
                       + ln(theta_2) ((lambda+1) log_2 lambda - (lambda-1)/ln 2) / (lambda-1)^3.

    Examples
    --------
    >>> ms_derivative(2, 3, 1, 1, "1/4").lo > 0
    True
    """
    e = _check(d, n, eps)
    a, b = q(lo), q(hi)
    if not 1 < a <= b:
        raise InvalidArgument(f"need 1 < lo <= hi, got [{a}, {b}]")
    r = _dms(_I(a, b), _theta2(d, n, e, prec), prec)
    return Enclosure(r.lo, r.hi)


def eq27(lam: QLike, *, prec: int = 128) -> Enclosure:
    """The paper's eq. (27) as printed: 1/lambda + (1 - lambda + log lambda + lambda log lambda)/(lambda-1)^3.

    It does not depend on theta_2, while the derivative of M_s does.

    Examples
    --------
    >>> e = eq27(2)   # 1/2 + (1 - 2 + 1 + 2)/1 = 5/2 exactly (log_2 2 = 1)
    >>> e.lo <= Q(5, 2) <= e.hi
    True
    """
    lv = _c(lam)
    one = _c(1)
    log_lam = _ln(lv, prec) / _ln(_c(2), prec)
    lm1 = lv - one
    r = one / lv + (one - lv + log_lam + lv * log_lam) / (lm1 * lm1 * lm1)
    return Enclosure(r.lo, r.hi)


def _sign_ms(lam: Q, th_args: tuple[int, int, Q]) -> int:
    for prec in _PRECS:
        s = _ms(_c(lam), _theta2(*th_args, prec), prec).sign()
        if s:
            return s
    return 0


def lambda_star(d: int, n: int, eps: QLike, *, tol: QLike = Q(1, 2**40)) -> Enclosure:
    """An enclosure [lo, hi] (hi - lo <= tol) of the real zero of M_s on [2, inf).

    Bisection on exact rational midpoints with rigorously decided signs:
    M_s(lo) < 0 < M_s(hi) throughout.  Raises when M_s(2) >= 0 (then there is
    no zero in (2, inf): M_s is increasing, see :func:`certify_unique_minimum`).

    Examples
    --------
    MNIST's input size; the value 6.1407937... was also found with mpmath's
    findroot (a float cross-check, not a proof):

    >>> e = lambda_star(784, 1, "1/100", tol=Q(1, 2**20))
    >>> Q(614, 100) < e.lo < e.hi < Q(615, 100)
    True
    """
    e = _check(d, n, eps)
    args = (d, n, e)
    if _sign_ms(Q(2), args) >= 0:
        raise InvalidArgument(f"M_s(2) is not < 0 for {d=}, {n=}, eps={e}: no interior minimum")
    lo, hi = Q(2), Q(4)
    while _sign_ms(hi, args) < 0:
        lo, hi = hi, 2 * hi
    width = q(tol)
    while hi - lo > width:
        mid = (lo + hi) / 2
        s = _sign_ms(mid, args)
        if s == 0:
            raise InvalidArgument(f"cannot decide the sign of M_s({mid})")
        lo, hi = (mid, hi) if s < 0 else (lo, mid)
    return Enclosure(lo, hi)


def _m_over_theta1(lam: int, th: _I, prec: int) -> _I:
    """M(lambda)/theta_1 = lambda log2(lambda) theta_2^(lambda/(lambda-1)) = ... exp(lambda/(lambda-1) ln theta_2)."""
    ln2 = _ln(_c(2), prec)
    lt = _ln(th, prec) * _c(Q(lam, lam - 1))
    lo = enclose(_EXP, lt.lo, prec=prec)
    hi = enclose(_EXP, lt.hi, prec=prec)
    assert lo is not None and hi is not None
    return _c(lam) * (_ln(_c(lam), prec) / ln2) * _I(lo[0], hi[1])


def lambda_opt(d: int, n: int, eps: QLike) -> int:
    """The integer lambda >= 2 minimising M (M decreases before lambda* and increases after).

    It is floor(lambda*) or ceil(lambda*); the two values of M are compared
    with rigorous enclosures.

    Examples
    --------
    >>> lambda_opt(784, 1, "1/100")   # lambda* = 6.14...: M(6) < M(7)
    6
    """
    e = _check(d, n, eps)
    star = lambda_star(d, n, e)
    a = int(star.lo.numerator // star.lo.denominator)
    b = a + 1
    if a < 2:
        return 2
    for prec in _PRECS:
        th = _theta2(d, n, e, prec)
        s = (_m_over_theta1(a, th, prec) - _m_over_theta1(b, th, prec)).sign()
        if s:
            return a if s < 0 else b
    raise InvalidArgument(f"cannot separate M({a}) and M({b})")


def bit_width(d: int, n: int, eps: QLike, *, tol: QLike = Q(1, 2**30)) -> Enclosure:
    """An enclosure of the optimal bit-width log_2(lambda*) (the real minimiser).

    Examples
    --------
    >>> e = bit_width(3072, 1, "1/100")   # CIFAR-10's input size
    >>> 2 < e.lo < e.hi < 4
    True
    """
    star = lambda_star(d, n, eps, tol=tol)
    prec = 128
    ln2 = _ln(_c(2), prec)
    r = _ln(_I(star.lo, star.hi), prec) / ln2
    return Enclosure(r.lo, r.hi)


def certify_unique_minimum(d: int, n: int, eps: QLike, *, upto: int = 64, step: QLike = Q(1, 4)) -> Certificate:
    """Appendix B: M has one and only one local minimum on [2, inf) (eps < 1/2), on concrete (d, n, eps).

    Decided rigorously on [2, upto]: M_s(2) < 0, dM_s/dlambda > 0 on every
    sub-interval [a, a + step] (interval evaluation of the derivative derived
    by hand in :func:`ms_derivative`), and M_s(upto) > 0; hence M_s has exactly
    one zero lambda* in (2, upto), and dM/dlambda (of the sign of M_s) is < 0
    before it and > 0 after it on [2, upto].  Beyond `upto`, M_s stays positive
    because its derivative is positive for every lambda > 1 (1/(lambda ln 2) > 0
    and (lambda+1) ln lambda > lambda - 1): the analytic step, stated, not computed.
    The signs of M_s at the integers 2..upto are recorded (they must change once).

    Returns
    -------
    Certificate
        HOLDS with value the enclosure of lambda* and the integer lambda_opt in
        the details; VIOLATED with the failing lambda as witness; UNKNOWN when an
        enclosure cannot decide a sign.

    Examples
    --------
    >>> c = certify_unique_minimum(1, 1, "1/4", upto=16)
    >>> print(c.verdict.value, list(c.details["integer_signs"][:3]), c.details["lambda_opt"])
    holds ['-', '+', '+'] 2
    """
    e = _check(d, n, eps)
    args = (d, n, e)
    claim = f"M(lambda) has exactly one local minimum on [2, inf) for d={d}, n={n}, eps={e}"
    details: dict[str, object] = {"d": d, "n": n, "eps": str(e), "upto": upto, "versions": library_versions()}
    signs = [_sign_ms(Q(k), args) for k in range(2, upto + 1)]
    details["integer_signs"] = ["-" if s < 0 else "+" if s > 0 else "?" for s in signs]
    if 0 in signs:
        details["reason"] = "a sign of M_s at an integer could not be decided"
        return Certificate(claim, Verdict.UNKNOWN, None, None, "Arb interval arithmetic", details)
    if signs[0] > 0:
        return Certificate(claim, Verdict.VIOLATED, None, (Q(2),), "Arb interval arithmetic",
                           {**details, "reason": "M_s(2) > 0: the minimum is at the boundary lambda = 2"})
    if signs[-1] < 0:
        details["reason"] = f"M_s({upto}) < 0: the zero lies beyond upto"
        return Certificate(claim, Verdict.UNKNOWN, None, None, "Arb interval arithmetic", details)
    h = q(step)
    a = Q(2)
    while a < upto:
        b = min(a + h, Q(upto))
        s = 0
        for prec in _PRECS:
            s = _dms(_I(a, b), _theta2(*args, prec), prec).sign()
            if s:
                break
        if s < 0:
            return Certificate(claim, Verdict.VIOLATED, None, (a,), "Arb interval arithmetic",
                               {**details, "reason": f"dM_s/dlambda < 0 on [{a}, {b}]"})
        if s == 0:
            details["reason"] = f"the sign of dM_s/dlambda on [{a}, {b}] is not decided"
            return Certificate(claim, Verdict.UNKNOWN, None, None, "Arb interval arithmetic", details)
        a = b
    star = lambda_star(d, n, e)
    details["lambda_opt"] = lambda_opt(d, n, e)
    details["value_label"] = "enclosure of lambda* (the zero of M_s)"
    return Certificate(claim, Verdict.HOLDS, star, None, "Arb interval arithmetic", details)


def certify_ms2_condition() -> Certificate:
    """Appendix B: "M_s(2) = 1 + 1/ln 2 - 2 ln(theta_2) < 0 given eps < 1/2", for all n, d >= 1.

    M_s(2) < 0 iff theta_2 > theta* = exp((1 + 1/ln 2)/2) = 3.39...  For
    eps < 1/2 and n, d >= 1, 3 n 2^d / eps > 12, so theta_2 > log_2 12 = 3.58...;
    the claim for all parameters reduces to log_2 12 > theta*, decided here.
    The condition is loose: the exact one is 3 n 2^d / eps > 2^theta*, i.e.
    eps < 3 n 2^d / 2^theta* (= 0.5716... for n = d = 1).

    Examples
    --------
    >>> c = certify_ms2_condition()
    >>> print(c.verdict.value, c.details["eps_threshold_n1_d1"][:6])
    holds 0.5716
    """
    prec = 256
    ln2 = _ln(_c(2), prec)
    half = (_c(1) + _c(1) / ln2) / _c(2)
    th_lo = enclose(_EXP, half.lo, prec=prec)
    th_hi = enclose(_EXP, half.hi, prec=prec)
    assert th_lo is not None and th_hi is not None
    theta_star = _I(th_lo[0], th_hi[1])
    log2_12 = _ln(_c(12), prec) / ln2
    # eps threshold for n = d = 1: 6 / 2^theta* = 6 exp(-theta* ln 2)
    x = theta_star * ln2
    lo = enclose(_EXP, -x.hi, prec=prec)
    hi = enclose(_EXP, -x.lo, prec=prec)
    assert lo is not None and hi is not None
    thr = _I(6 * lo[0], 6 * hi[1])
    gap = log2_12 - theta_star
    details = {
        "theta_star": [str(theta_star.lo), str(theta_star.hi)],
        "log2_12": [str(log2_12.lo), str(log2_12.hi)],
        "eps_threshold_n1_d1": _decimal(thr.lo, 12),
        "versions": library_versions(),
    }
    claim = "for all n, d >= 1 and eps < 1/2: M_s(2) = 1 + 1/ln 2 - 2 ln(theta_2) < 0"
    if gap.sign() > 0:
        return Certificate(claim, Verdict.HOLDS, Enclosure(gap.lo, gap.hi), None, "Arb interval arithmetic", details)
    return Certificate(claim, Verdict.UNKNOWN, None, None, "Arb interval arithmetic", {**details, "reason": "not separated"})


def _decimal(x: Q, digits: int) -> str:
    s = int(x * 10**digits)
    return f"{s // 10**digits}.{s % 10**digits:0{digits}d}"


def certify_eq27(lam: QLike, d: int, n: int, eps: QLike) -> Certificate:
    """Decide whether eq. (27) as printed equals dM_s/dlambda at one (lambda, d, n, eps).

    VIOLATED when the enclosures of the two are disjoint; the witness is the
    point (lambda, d, n, eps) and the value an enclosure of their difference.

    Examples
    --------
    >>> print(certify_eq27(2, 1, 1, "1/4").verdict.value)
    violated
    """
    e = _check(d, n, eps)
    lv = q(lam)
    prec = 128
    true = _dms(_c(lv), _theta2(d, n, e, prec), prec)
    printed = eq27(lv, prec=prec)
    diff = true - _I(printed.lo, printed.hi)
    claim = f"eq. (27) = dM_s/dlambda at lambda={lv}, d={d}, n={n}, eps={e}"
    details = {
        "true_derivative": [str(true.lo), str(true.hi)],
        "eq27_printed": [str(printed.lo), str(printed.hi)],
        "value_label": "enclosure of (true derivative) - (eq. 27)",
        "versions": library_versions(),
    }
    if diff.sign():
        return Certificate(claim, Verdict.VIOLATED, Enclosure(diff.lo, diff.hi), (lv, Q(d), Q(n), e),
                           "Arb interval arithmetic", details)
    return Certificate(claim, Verdict.UNKNOWN, None, None, "Arb interval arithmetic",
                       {**details, "reason": "the enclosures overlap"})


def certify_bit_width_range(
    ds: Sequence[int], ns: Sequence[int], epss: Sequence[QLike], *, low: QLike = 1, high: QLike = 4
) -> Certificate:
    """Section 6 / Figure 1b: the optimal bit-width log_2(lambda*) lies in [low, high] on a grid of (d, n, eps).

    Examples
    --------
    >>> c = certify_bit_width_range([784], [1], ["1/100"])
    >>> print(c.verdict.value, c.details["table"][0]["lambda_opt"])
    holds 6
    """
    lo_b, hi_b = q(low), q(high)
    rows = []
    worst: tuple[Q, ...] | None = None
    for d in ds:
        for n in ns:
            for eps in epss:
                e = q(eps)
                bw = bit_width(d, n, e)
                rows.append({"d": d, "n": n, "eps": str(e), "bit_width": [str(bw.lo), str(bw.hi)],
                             "bit_width_approx": _decimal(bw.lo, 4), "lambda_opt": lambda_opt(d, n, e)})
                if (bw.hi < lo_b or bw.lo > hi_b) and worst is None:
                    worst = (Q(d), Q(n), e)
                elif not (lo_b <= bw.lo and bw.hi <= hi_b) and worst is None and not (bw.hi < lo_b or bw.lo > hi_b):
                    return Certificate(f"log2(lambda*) in [{lo_b}, {hi_b}]", Verdict.UNKNOWN, None, None,
                                       "Arb interval arithmetic", {"table": rows, "reason": "an enclosure straddles a bound"})
    claim = f"log2(lambda*) in [{lo_b}, {hi_b}] for d in {list(ds)}, n in {list(ns)}, eps in {[str(q(x)) for x in epss]}"
    details = {"table": rows, "versions": library_versions()}
    if worst is not None:
        return Certificate(claim, Verdict.VIOLATED, None, worst, "Arb interval arithmetic", details)
    return Certificate(claim, Verdict.HOLDS, None, None, "Arb interval arithmetic", details)



