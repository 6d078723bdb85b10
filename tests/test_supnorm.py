"""Tests of exactnet.supnorm: exact sup errors, witnesses, honest UNKNOWN."""

import functools
import json
from fractions import Fraction
from typing import Any, Callable

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import iv

from exactnet.algebraic import AlgebraicNumber, Enclosure, Real, compare, evaluate_at
from exactnet.certificate import Certificate, Verdict
from exactnet.constructions.yarotsky2017 import square_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Interval, Q, q
from exactnet.polynomial import Polynomial
from exactnet.supnorm import certify, certify_sup_error, lp_error, sup_error
from exactnet.targets import parse_target
from tests.strategies import intervals, networks, points_in


def test_f_m_against_x_squared() -> None:
    # Yarotsky Prop. 2: sup = 2^(-2m-2), attained in the middle of the first cell, 2^(-m-1)
    for m in range(1, 7):
        c = certify_sup_error(square_net(m), parse_target("x^2"), Interval(0, 1))
        assert c.verdict is Verdict.HOLDS
        assert c.value == q(1) / 2 ** (2 * m + 2)
        assert c.witness == (q(1) / 2 ** (m + 1),)


def test_violation_has_exact_witness() -> None:
    c = certify_sup_error(square_net(2), parse_target("x^2"), Interval(0, 1), "1/65")
    assert c.verdict is Verdict.VIOLATED
    (x,) = c.witness
    assert abs(evaluate(square_net(2), x)[0] - x * x) == q("1/64")


def test_planted_maximum() -> None:
    # N(x) = x on [0,1] against x^2: error x - x^2 peaks at x = 1/2 with value 1/4
    N = Network.from_layers([[[1]]], [[0]], ["identity"])
    r = sup_error(N, parse_target("x^2"), Interval(0, 1))
    v, x = r.value, r.witness
    assert (v, x) == (q("1/4"), q("1/2"))


def test_irrational_maximiser_is_exact() -> None:
    # N(x) = x/2 against x^3: e = x/2 - x^3, e' = 1/2 - 3x^2 = 0 at x = 1/sqrt(6), where
    # e = 1/(2 sqrt 6) - 1/(6 sqrt 6) = 1/(3 sqrt 6) = sqrt(6)/18; v^2 = 6/324 = 1/54, so
    # 54 v^2 - 1 = 0.  On [0, 4/5] the other end gives |e(4/5)| = |2/5 - 64/125| = 14/125
    # = 0.112 < 0.136, so the abs sup is the interior one too.
    N = Network.from_layers([[["1/2"]]], [[0]], ["identity"])
    for interval, side in ((Interval(0, 1), "above"), (Interval(0, q("4/5")), "abs")):
        c = certify_sup_error(N, parse_target("x^3"), interval, "1", side=side)
        assert c.verdict is Verdict.HOLDS
        assert c.value == AlgebraicNumber((-1, 0, 54), q(0), q(1))
        assert c.witness == (AlgebraicNumber((-1, 0, 6), q(0), q(1)),)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.fractions(0, 1, max_denominator=97))
def test_sup_bounds_every_point(m: int, x: Fraction) -> None:
    N = square_net(m)
    r = sup_error(N, parse_target("x^2 - x/3"), Interval(0, 1))
    v, at = r.value, r.witness
    p = parse_target("x^2 - x/3")
    assert abs(evaluate(N, x)[0] - p(x)) <= v
    assert abs(evaluate(N, at)[0] - p(at)) == v


# -- helpers shared by the tests below ------------------------------------------------------

IDENTITY = Network.from_layers([[[1]]], [[0]], ["identity"])  # N(x) = x
HALF = Network.from_layers([[["1/2"]]], [[0]], ["identity"])  # N(x) = x/2
SIGNS = {"above": (1,), "below": (-1,), "abs": (1, -1)}


def line(slope: Any, intercept: Any) -> Polynomial:
    return Polynomial.from_coeffs([intercept, slope])


def real_max(a: Real, b: Real) -> Real:
    return a if compare(a, b) >= 0 else b


def in_domain(x: Real, interval: Interval) -> bool:
    return compare(interval.lo, x) <= 0 <= compare(interval.hi, x)


def witness_attains(net: Network, P: Polynomial, r: Any, side: str) -> bool:
    """The side's error at r.witness equals r.value, by an independent route.

    A rational witness: exact evaluation of the network.  An algebraic one: it lies
    strictly inside one piece [a, b] of N; N's line there comes from evaluating the
    network at a and b (and is checked at the midpoint), and evaluate_at gives the
    exact value of sign * (line - P) at the witness.
    """
    w = r.witness
    if isinstance(w, Q):
        e = evaluate(net, w)[0] - P(w)
        return any(sg * e == r.value for sg in SIGNS[side])
    xs = r.pwl.xs
    (i,) = [k for k in range(len(xs) - 1) if compare(xs[k], w) < 0 < compare(xs[k + 1], w)]
    a, b = xs[i], xs[i + 1]
    na, nb = evaluate(net, a)[0], evaluate(net, b)[0]
    assert evaluate(net, (a + b) / 2)[0] == (na + nb) / 2
    s = (nb - na) / (b - a)
    L = line(s, na - s * a)
    return any(compare(evaluate_at(w, (L - P).scale(sg)), r.value) == 0 for sg in SIGNS[side])


_coefficient = st.fractions(-3, 3, max_denominator=5)
cubic_targets = st.one_of(
    st.lists(_coefficient, max_size=4),  # any degree <= 3, zero included
    st.tuples(_coefficient, _coefficient, _coefficient, _coefficient.filter(lambda c: c != 0)).map(list),
).map(lambda cs: Polynomial.from_coeffs([q(c) for c in cs]))


@st.composite
def hinge_networks(draw: Any, I: Interval) -> Network:
    """One hidden ReLU layer whose kinks t_j lie in I: sum_j v_j relu(w_j (x - t_j)) + c."""
    k = draw(st.integers(1, 4))
    nonzero = st.fractions(-3, 3, max_denominator=4).filter(lambda v: v != 0).map(q)
    ws = [draw(nonzero) for _ in range(k)]
    ts = [I.lo + I.width * Q(draw(st.integers(1, 11)), 12) for _ in range(k)]
    vs = [draw(nonzero) for _ in range(k)]
    c = draw(st.fractions(-2, 2, max_denominator=4).map(q))
    return Network.from_layers(
        [[[w] for w in ws], [vs]], [[-w * t for w, t in zip(ws, ts)], [c]], ["relu", "identity"]
    )


@st.composite
def sup_problems(draw: Any) -> tuple[Network, Polynomial, Interval, Q]:
    I = draw(intervals(bound=2))
    # random networks often collapse to one affine piece on I; hinge networks have kinks in I
    net = draw(st.one_of(networks(inputs=1, outputs=1), hinge_networks(I)))
    return net, draw(cubic_targets), I, draw(points_in(I))


# -- properties: polynomial targets -----------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(sup_problems())
def test_sup_bounds_every_point_and_is_attained(problem: tuple[Network, Polynomial, Interval, Q]) -> None:
    net, P, I, x = problem
    e = evaluate(net, x)[0] - P(x)
    results = {side: sup_error(net, P, I, side=side) for side in ("abs", "above", "below")}
    assert compare(results["abs"].value, abs(e)) >= 0
    assert compare(results["above"].value, e) >= 0
    assert compare(results["below"].value, -e) >= 0
    for side, r in results.items():
        assert in_domain(r.witness, I)
        assert witness_attains(net, P, r, side)
    both = real_max(results["above"].value, results["below"].value)
    assert compare(results["abs"].value, both) == 0 and results["abs"].value == both


# -- rational, PWL and polynomial targets by hand ------------------------------------------------


def test_rational_target_with_a_rational_critical_point() -> None:
    # N(x) = 1 - x/4 against 1/(1 + x) on [0, 3]: e = 1 - x/4 - 1/(1 + x), e' = -1/4 + 1/(1 + x)^2
    # vanishes at x = 1, e(1) = 1 - 1/4 - 1/2 = 1/4; e(0) = e(3) = 0 and e'' < 0, so e >= 0:
    # above = abs = 1/4 at x = 1, below = 0 (at an end)
    N = Network.from_layers([[["-1/4"]]], [[1]], ["identity"])
    f = parse_target("1/(1 + x)")
    up = sup_error(N, f, Interval(0, 3), side="above")
    assert (up.value, up.witness) == (Q(1, 4), Q(1))
    assert sup_error(N, f, Interval(0, 3)).value == Q(1, 4)
    down = sup_error(N, f, Interval(0, 3), side="below")
    assert down.value == 0 and down.witness in (Q(0), Q(3))


def test_rational_target_with_an_irrational_critical_point() -> None:
    # N(x) = 1 - x/2 against 1/(1 + x) on [0, 2]: e' = -1/2 + 1/(1 + x)^2 = 0 at x = sqrt2 - 1
    # (a root of x^2 + 2x - 1), e there = 1 - (sqrt2 - 1)/2 - 1/sqrt2 = 3/2 - sqrt2 ~ 0.0858
    # (a root of 4v^2 - 12v + 1, the smaller one); e(0) = 0, e(2) = -1/3: abs = below = 1/3 at 2
    N = Network.from_layers([[["-1/2"]]], [[1]], ["identity"])
    f = parse_target("1/(1 + x)")
    up = sup_error(N, f, Interval(0, 2), side="above")
    assert up.value == AlgebraicNumber((1, -12, 4), Q(0), Q(1))
    assert up.witness == AlgebraicNumber((-1, 2, 1), Q(0), Q(1))
    for side in ("abs", "below"):
        r = sup_error(N, f, Interval(0, 2), side=side)
        assert (r.value, r.witness) == (Q(1, 3), Q(2))


def test_pole_outside_the_domain_is_fine() -> None:
    # N(x) = x against 1/(x - 2) on [0, 1]: e = x - 1/(x - 2) is increasing (e' = 1 + 1/(x-2)^2),
    # e(0) = 1/2, e(1) = 2: abs = 2 at x = 1
    r = sup_error(IDENTITY, "1/(x - 2)", Interval(0, 1))
    assert (r.value, r.witness) == (Q(2), Q(1))


@pytest.mark.parametrize("target", ["1/(x - 1/2)", "1/(x - 1)", "x/(x^2 - 1/2)", "(x + 1)/(x^2 + x)"])
def test_pole_in_the_domain_is_refused(target: str) -> None:
    # poles at 1/2 (inside), 1 (an end), 1/sqrt2 (irrational) and 0 ((x + 1)/(x (x + 1)) = 1/x)
    with pytest.raises(InvalidArgument, match="pole"):
        sup_error(IDENTITY, target, Interval(0, 1))
    with pytest.raises(InvalidArgument, match="pole"):
        certify(IDENTITY, target, Interval(0, 1), "1")


def test_pwl_target_by_hand() -> None:
    # N(x) = relu(x - 1/2) against |x - 1/3| on [0, 1]; N - f at the breakpoints 0, 1/3, 1/2, 1 of
    # both: -1/3, 0, -1/6, 1/2 - 2/3 = -1/6.  N - f is linear between them, so
    # above = 0 at 1/3, below = 1/3 at 0, abs = 1/3 at 0
    N = Network.from_layers([[[1]], [[1]]], [[Q(-1, 2)], [0]], ["relu", "identity"])
    f = parse_target("abs(x - 1/3)")
    assert f.kind == "pwl"
    got = {side: sup_error(N, f, Interval(0, 1), side=side) for side in ("above", "below", "abs")}
    assert (got["above"].value, got["above"].witness) == (Q(0), Q(1, 3))
    assert (got["below"].value, got["below"].witness) == (Q(1, 3), Q(0))
    assert (got["abs"].value, got["abs"].witness) == (Q(1, 3), Q(0))
    c = certify(N, f, Interval(0, 1), "1/3")
    assert c.verdict is Verdict.HOLDS
    assert certify(N, f, Interval(0, 1), "1/4").verdict is Verdict.VIOLATED


def test_one_sided_sups_may_be_negative() -> None:
    # N(x) = x against x + 1 on [0, 1]: N - f = -1 everywhere: above = -1, below = 1
    assert sup_error(IDENTITY, "x + 1", Interval(0, 1), side="above").value == -1
    assert sup_error(IDENTITY, "x + 1", Interval(0, 1), side="below").value == 1


def test_bad_side_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="side"):
        sup_error(IDENTITY, "x^2", Interval(0, 1), side="both")


# -- transcendental targets -----------------------------------------------------------------


def _exact(t: tuple[int, Any, int, int]) -> Q:
    """An mpmath raw float (sign, mantissa, exponent, bitcount) as an exact rational."""
    sign, man, exp, _ = t
    v = Q(int(man) * 2**exp) if exp >= 0 else Q(int(man), 2**-exp)
    return -v if sign else v


def iv60(compute: Callable[[], Any]) -> tuple[Q, Q]:
    """Rigorous rational bounds from mpmath interval arithmetic at 60 digits.

    mpmath.iv is an independent rigorous route: the true value lies in its interval and
    in exactnet's enclosure, so the two must meet.  (A 60-digit *point* value could fall
    just outside an enclosure whose end is within 10^-70 of the true value, as happens
    when the sup is attained at the rational witness; intervals avoid that trap.)
    """
    old = iv.dps
    iv.dps = 60
    try:
        a, b = compute()._mpi_
        return _exact(a), _exact(b)
    finally:
        iv.dps = old


def meets(enc: Enclosure, bounds: tuple[Q, Q]) -> bool:
    return enc.lo <= bounds[1] and bounds[0] <= enc.hi


def iv_q(x: Q) -> Any:
    return iv.mpf(int(x.numerator)) / iv.mpf(int(x.denominator))


def mp_to_q(v: Any) -> Q:
    return _exact(v._mpf_)


def test_identity_against_sin() -> None:
    # e = x - sin x >= 0 is increasing on [0, 1] (e' = 1 - cos x >= 0): sup = 1 - sin 1 at x = 1
    r = sup_error(IDENTITY, "sin(x)", Interval(0, 1))
    assert isinstance(r.value, Enclosure)
    assert r.value.width <= Q(1, 10**30)
    assert r.witness == 1
    assert meets(r.value, iv60(lambda: 1 - iv.sin(1)))
    # 1 - sin 1 = 0.158529015192103493347497678369701... (mpmath at 45 digits): the enclosure
    # reaches both sides of its 30-digit truncations
    assert r.value.lo <= Q(158529015192103493347497678370, 10**30)
    assert r.value.hi >= Q(158529015192103493347497678369, 10**30)
    # above is the same sup; below = sup (sin x - x) = 0, at x = 0
    up = sup_error(IDENTITY, "sin(x)", Interval(0, 1), side="above")
    assert meets(up.value, iv60(lambda: 1 - iv.sin(1)))
    down = sup_error(IDENTITY, "sin(x)", Interval(0, 1), side="below", tol=Q(1, 10**12))
    assert down.value.lo <= 0 <= down.value.hi and down.witness == 0


def test_half_against_sin_3x_interior_maximum() -> None:
    # e = x/2 - sin 3x on [0, 1]: e' = 1/2 - 3 cos 3x = 0 at 3x* = arccos(1/6) = atan(sqrt 35)
    # (x* ~ 0.468; the next zero, (2 pi - arccos(1/6))/3 ~ 1.63, is outside).  There
    # e = x*/2 - sqrt(35)/6 ~ -0.752, while e(0) = 0 and e(1) = 1/2 - sin 3 ~ 0.359, so
    # sup |e| = (sqrt 35 - atan(sqrt 35))/6 at x*.
    r = sup_error(HALF, "sin(3*x)", Interval(0, 1))
    assert isinstance(r.value, Enclosure) and r.value.width <= Q(1, 10**30)
    assert meets(r.value, iv60(lambda: (iv.sqrt(35) - iv.atan2(iv.sqrt(35), 1)) / 6))
    # location and value by a second route: mpmath.findroot at 50 digits
    with mpmath.workdps(50):
        xstar = mpmath.findroot(lambda x: mpmath.mpf(1) / 2 - 3 * mpmath.cos(3 * x), mpmath.mpf("0.47"))
        xs = mp_to_q(xstar)
    # near x*, |e''| = 9 sin 3x >= 8, so e(w) >= sup - 10^-30 forces |w - x*| <= sqrt(2e-30 / 8) < 10^-15
    assert abs(r.witness - xs) < Q(1, 10**15)
    # |e(xs)| <= sup <= hi; and sup <= |e(xs)| + (9/2)(x* - xs)^2 (Taylor, |e''| <= 9) with
    # |x* - xs| ~ 10^-50, so lo <= sup <= |e(xs)| + 10^-90
    v = iv60(lambda: iv.sin(3 * iv_q(xs)) - iv_q(xs) / 2)
    assert v[0] <= r.value.hi and r.value.lo <= v[1] + Q(1, 10**90)


def test_certify_transcendental_verdicts() -> None:
    tol = Q(1, 10**20)
    enc = sup_error(IDENTITY, "sin(x)", Interval(0, 1), tol=tol).value
    assert enc.lo < enc.hi
    straddle = certify(IDENTITY, "sin(x)", Interval(0, 1), (enc.lo + enc.hi) / 2, tol=tol)
    assert straddle.verdict is Verdict.UNKNOWN and "reason" in straddle.details
    holds = certify(IDENTITY, "sin(x)", Interval(0, 1), enc.hi + Q(1, 1000), tol=tol)
    assert holds.verdict is Verdict.HOLDS and holds.value == enc
    eps = enc.lo - Q(1, 1000)
    violated = certify(IDENTITY, "sin(x)", Interval(0, 1), eps, tol=tol)
    assert violated.verdict is Verdict.VIOLATED and violated.value == enc
    (w,) = violated.witness
    # the witness's error exceeds eps, by mpmath intervals: (w - sin w) > eps
    assert iv60(lambda: iv_q(w) - iv.sin(iv_q(w)))[0] > eps


def test_denominator_whose_first_ball_contains_zero() -> None:
    # e = x - 1/(2 - 3 sin x cos x) on [0, 4]; whatever the sup is, it is at least |e(4)|
    r = sup_error(IDENTITY, "1/(2 - 3*sin(x)*cos(x))", Interval(0, 4), tol=Q(1, 10**6))
    e4 = iv60(lambda: 4 - 1 / (2 - 3 * iv.sin(4) * iv.cos(4)))
    assert r.value.hi >= e4[0]


# -- L1 and L2 -------------------------------------------------------------------------------


def test_lp_identity_against_square() -> None:
    # e = x - x^2 >= 0 on [0, 1]: L1 = 1/2 - 1/3 = 1/6; L2^2 = int x^2 - 2x^3 + x^4 = 1/3 - 1/2 + 1/5
    # = 1/30, so L2 = sqrt(1/30), the positive root of 30 v^2 - 1
    l1 = lp_error(IDENTITY, "x^2", Interval(0, 1), 1)
    assert (l1.value, l1.rational_part, l1.algebraic_terms) == (Q(1, 6), Q(1, 6), ())
    assert l1.enclosure == Enclosure(Q(1, 6), Q(1, 6))
    l2 = lp_error(IDENTITY, "x^2", Interval(0, 1), 2)
    assert l2.value == AlgebraicNumber((-1, 0, 30), Q(0), Q(1)) and l2.rational_part == Q(1, 30)
    assert l2.enclosure.lo**2 <= Q(1, 30) <= l2.enclosure.hi**2
    assert l2.enclosure.width <= Q(1, 10**30)


def test_lp_square_net() -> None:
    # f_1 = x/2 on [0, 1/2], (3x - 1)/2 on [1/2, 1]; e = f_1 - x^2 >= 0 with int = 1/48 on each half
    # (x/2 - x^2 over [0, 1/2]: 1/16 - 1/24; -(x - 1/2)(x - 1) over [1/2, 1]: (1/2)^3 / 6): L1 = 1/24
    assert lp_error(square_net(1), "x^2", Interval(0, 1), 1).value == Q(1, 24)


def test_lp_l1_with_an_irrational_sign_change() -> None:
    # e = x/2 - (x^3 - 1/10) on [0, 1]: e(0) = 1/10 > 0, e(1) = -2/5 < 0, one sign change at the
    # root r of 10x^3 - 5x - 1 (no rational root: +-1, +-1/2, +-1/5, +-1/10 all fail), in (7/10, 4/5)
    # since e(7/10) = 0.107 > 0 > -0.012 = e(4/5).  With F = x^2/4 - x^4/4 + x/10 (F' = e, F(0) = 0),
    # L1 = F(r) - (F(1) - F(r)) = 2F(r) - 1/10, and r^3 = r/2 + 1/10 reduces F(r) to r^2/8 + 3r/40:
    # L1 = r^2/4 + 3r/20 - 1/10 exactly.
    f = "x^3 - 1/10"
    r = lp_error(HALF, f, Interval(0, 1), 1)
    assert r.value is None and r.algebraic_terms
    root = AlgebraicNumber((-1, -5, 0, 10), Q(7, 10), Q(4, 5))
    exact = evaluate_at(root, Polynomial.from_coeffs(["-1/10", "3/20", "1/4"]))
    assert compare(r.enclosure.lo, exact) <= 0 <= compare(r.enclosure.hi, exact)
    assert r.enclosure.width <= Q(1, 10**30)
    # and by numerical quadrature (mpmath, 50 digits), split at the sign change
    with mpmath.workdps(50):
        e = lambda x: x / 2 - x**3 + mpmath.mpf(1) / 10  # noqa: E731
        z = mpmath.findroot(e, mpmath.mpf("0.75"))
        l1 = mpmath.quad(e, [0, z]) - mpmath.quad(e, [z, 1])
        lo, hi = mp_to_q(l1 - mpmath.mpf(10) ** -45), mp_to_q(l1 + mpmath.mpf(10) ** -45)
    assert meets(r.enclosure, (lo, hi))
    # L2^2 = int (x/2 - x^3 + 1/10)^2 = 1/12 + 1/7 + 1/100 - 1/5 + 1/20 - 1/20 = 19/525
    l2 = lp_error(HALF, f, Interval(0, 1), 2)
    assert l2.rational_part == Q(19, 525)
    assert l2.value == AlgebraicNumber((-19, 0, 525), Q(0), Q(1))


def test_lp_refuses_non_polynomials_and_bad_p() -> None:
    with pytest.raises(InvalidArgument):
        lp_error(IDENTITY, "sin(x)", Interval(0, 1), 1)
    with pytest.raises(InvalidArgument):
        lp_error(IDENTITY, "1/(1 + x)", Interval(0, 1), 2)
    with pytest.raises(InvalidArgument):
        lp_error(IDENTITY, "x^2", Interval(0, 1), 3)


# -- certificates ---------------------------------------------------------------------------


CERT_NAMES = ["algebraic", "enclosure", "no-eps", "rational", "violated"]


@functools.cache
def certificate(name: str) -> Certificate:
    return {
        "rational": lambda: certify(square_net(2), "x^2", Interval(0, 1), "1/64"),
        "algebraic": lambda: certify(HALF, "x^3", Interval(0, 1), "1", side="above"),
        "violated": lambda: certify(square_net(2), "x^2", Interval(0, 1), "1/65"),
        "enclosure": lambda: certify(IDENTITY, "sin(x)", Interval(0, 1), tol=Q(1, 10**20)),
        "no-eps": lambda: certify(HALF, "x^3", Interval(0, 1)),
    }[name]()


@pytest.mark.parametrize("name", CERT_NAMES)
def test_certificate_json_round_trip(name: str) -> None:
    c = certificate(name)
    back = Certificate.from_json(c.to_json())
    assert back == c
    assert back.verdict is c.verdict and back.witness == c.witness
    assert type(back.value) is type(c.value)
    assert back.to_json() == c.to_json()  # deterministic text


@pytest.mark.parametrize("name", CERT_NAMES)
def test_certificate_fields_follow_the_docs(name: str) -> None:
    # docs/certificate.md, "The exactnet certificate file (JSON), version 1"
    c = certificate(name)
    d = json.loads(c.to_json())
    assert {"format", "version", "claim", "verdict", "value", "witness", "method", "details"} <= d.keys()
    assert (d["format"], d["version"]) == ("exactnet.certificate", 1)
    assert d["verdict"] in ("holds", "violated", "unknown")
    problem = d["details"]["problem"]
    assert problem.keys() >= {"kind", "network", "target", "domain", "side", "eps"}
    assert problem["kind"] == "sup-error-1d" and problem["domain"] == ["0", "1"]
    assert problem["side"] in ("abs", "above", "below")
    assert problem["network"]["format"] == "exactnet.network"
    for key in ("pieces_raw", "pieces_canonical", "seconds", "versions"):
        assert key in d["details"]
    # the pieces: strictly increasing, from lo to hi, with N's exact values
    net = {"rational": square_net(2), "violated": square_net(2), "enclosure": IDENTITY}.get(name, HALF)
    xs = [q(v) for v in d["details"]["pieces"]["xs"]]
    ys = [q(v) for v in d["details"]["pieces"]["ys"]]
    assert xs[0] == 0 and xs[-1] == 1 and all(a < b for a, b in zip(xs, xs[1:]))
    assert ys == [evaluate(net, x)[0] for x in xs]
    # exact numbers: "p/q" strings, algebraic objects or enclosure objects
    v = d["value"]
    if isinstance(v, str):
        assert q(v) == c.value and v == str(q(v))
    elif "algebraic" in v:
        assert set(v) == {"algebraic", "decimal"} and set(v["algebraic"]) == {"poly", "interval"}
        assert all(isinstance(t, str) for t in v["algebraic"]["poly"] + v["algebraic"]["interval"])
        assert len(v["decimal"].split(".")[1]) == 30
    else:
        assert set(v) == {"enclosure"} and len(v["enclosure"]) == 2
    assert isinstance(d["witness"], list) and len(d["witness"]) == 1


def test_certificate_claim_and_values_by_hand() -> None:
    # the docs' example: f_2 against x^2 on [0, 1], sup 1/64 at 1/8
    d = json.loads(certificate("rational").to_json())
    assert d["claim"] == "sup over [0, 1] of |N(x) - (x^2)| <= 1/64"
    assert (d["verdict"], d["value"], d["witness"]) == ("holds", "1/64", ["1/8"])
    # f_2 interpolates x^2 at k/4 (Yarotsky Prop. 2)
    assert d["details"]["pieces"] == {"xs": ["0", "1/4", "1/2", "3/4", "1"], "ys": ["0", "1/16", "1/4", "9/16", "1"]}
    # x/2 - x^3 on [0, 1]: sqrt(6)/18 (54 v^2 - 1) at 1/sqrt 6 (6 x^2 - 1)
    a = json.loads(certificate("algebraic").to_json())
    assert a["value"]["algebraic"]["poly"] == ["-1", "0", "54"]
    # sqrt(6)/18 = 0.13608276348795433878873800415032... (Decimal(6).sqrt() / 18), 30 digits truncated
    assert a["value"]["decimal"] == "0.136082763487954338788738004150"
    assert a["witness"][0]["algebraic"]["poly"] == ["-1", "0", "6"]
    assert json.loads(certificate("violated").to_json())["verdict"] == "violated"
