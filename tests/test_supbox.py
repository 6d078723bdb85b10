"""Tests of exactnet.supbox (sup-norm errors on boxes), the multivariate targets and the box checker (issue 7).

Expected values are derived by hand (in the comments) or from Ding et al.'s
stated exact error of the product network; the property tests compare with an
independent Fraction evaluation and with the independent checker.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from exactnet.algebraic import Enclosure
from exactnet.certificate import Verdict
from exactnet.checker import check_certificate
from exactnet.constructions.ding2019 import product_net
from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.network import Network
from exactnet.numbers import Box, Interval, Q, parse_box
from exactnet.supbox import certify_box, enclose_at, sup_error_box
from exactnet.supnorm import certify, sup_error
from exactnet.targets import parse_target
from tests.strategies import fraction_eval, layered_networks, to_fraction

ZERO_NET_2 = Network.from_layers([[[0, 0]]], [[0]])
ZERO_NET_3 = Network.from_layers([[[0, 0, 0]]], [[0]])
SUM_NET = Network.from_layers([[[1, 1]]], [[0]])  # N(x, y) = x + y
SQUARE = parse_box("0,1x0,1")


def _frac_poly_error(net: Network, coeffs: dict[tuple[int, int], Fraction], x: tuple[Q, Q]) -> Fraction:
    """N(x) - p(x) with Fraction arithmetic only (no exactnet evaluator, no exactnet polynomial)."""
    fx = tuple(to_fraction(v) for v in x)
    p = sum(c * fx[0] ** i * fx[1] ** j for (i, j), c in coeffs.items())
    return fraction_eval(net, fx)[0] - p


# -- multivariate targets ---------------------------------------------------------------------


def test_targets_in_x_y_z() -> None:
    t = parse_target("x*y - z^2/2 + 1")
    assert t.kind == "polynomial" and t.variables == ("x", "y", "z")
    assert t(1, 2, 3) == Q(-3, 2)  # 2 - 9/2 + 1
    assert t.multipolynomial(3) == {(1, 1, 0): 1, (0, 0, 2): Q(-1, 2), (0, 0, 0): 1}
    assert parse_target("sin(x*y)").kind == "transcendental"
    assert parse_target("x*y/(1 + y)").kind == "rational"
    assert parse_target("y").variables == ("y",) and parse_target("3").variables == ()
    # the one-variable views refuse y and z; x alone is unchanged
    with pytest.raises(InvalidArgument, match="function of x, y"):
        parse_target("x*y").polynomial
    assert str(parse_target("x^2 - x").polynomial) == "x^2 - x"
    with pytest.raises(UnsupportedError, match="x alone"):
        parse_target("abs(x - y)")
    with pytest.raises(InvalidArgument, match="uses z"):
        parse_target("x*z").multipolynomial(2)
    with pytest.raises(InvalidArgument, match="give 2 coordinates"):
        parse_target("x*y")(1)


def test_one_dimensional_checker_refuses_several_variables() -> None:
    with pytest.raises(InvalidArgument, match="uses x, y"):
        sup_error(Network.from_layers([[[1]]], [[0]]), "x*y", Interval(0, 1))


# -- exact values, planted by hand -------------------------------------------------------------


@pytest.mark.parametrize("r", [1, 2, 3])
def test_product_net_exact_error(r: int) -> None:
    # Ding et al. (2019), Prop. 2: x'(x, y) - xy lies in [-4E, 2E] with E = 2^(-2(r+1)), and
    # -4E is attained at x = y = 2^-r (derivation in ding2019.product_error_exact)
    res = sup_error_box(product_net(r), "x*y", parse_box("-1,1x-1,1"))
    assert res.value == 4 * Q(1, 2 ** (2 * (r + 1)))
    assert abs(_frac_poly_error(product_net(r), {(1, 1): Fraction(1)}, res.witness)) == res.value


def test_boundary_maximum_by_hand() -> None:
    # e = x + y - xy on [0, 1]^2: de/dx = 1 - y >= 0, so the max is on x = 1 where e = 1; min e = 0
    res = sup_error_box(SUM_NET, "x*y", SQUARE)
    assert res.value == 1 and res.witness == (Q(0), Q(1))  # the smallest maximiser


def test_interior_stationary_point_by_hand() -> None:
    # f = x^2 + y^2 - x - y = (x - 1/2)^2 + (y - 1/2)^2 - 1/2: |0 - f| is largest at the
    # centre, 1/2 (at the corners f = 0)
    res = sup_error_box(ZERO_NET_2, "x^2 + y^2 - x - y", SQUARE)
    assert res.value == Q(1, 2) and res.witness == (Q(1, 2), Q(1, 2))


def test_edge_stationary_point_by_hand() -> None:
    # f - N = y - (x - 1/3)^2 is largest at y = 1, x = 1/3 (inside the top edge): 1
    res = sup_error_box(ZERO_NET_2, "y - (x - 1/3)^2", SQUARE, side="below")
    assert res.value == 1 and res.witness == (Q(1, 3), Q(1))
    # N - f = (x - 1/3)^2 - y: largest at y = 0, x = 1 (a vertex): 4/9
    res = sup_error_box(ZERO_NET_2, "y - (x - 1/3)^2", SQUARE, side="above")
    assert res.value == Q(4, 9) and res.witness == (Q(1), Q(0))


def test_3d_quadratic_by_hand() -> None:
    # N = relu(x + y + z - 1) and f = x*y + z^2 on [0, 1]^3: at (1, 1, 1), N = 2 and f = 2;
    # |N - f| = N - f <= ... the max is f - N at (1, 1, 0)? f = 1, N = 1: 0.  By hand on the
    # simplex x + y + z <= 1, N = 0 and f = xy + z^2 <= 1 (z = 1), so 1 is reached at (0, 0, 1);
    # outside it, f - N = xy + z^2 - x - y - z + 1 = (1 - x)(1 - y) + z^2 - z <= 1 with equality
    # only at x = y = 0 and z in {0, 1}: (0, 0, 1) is in both parts.  N - f = x + y + z - 1 - xy - z^2
    # <= x + y - xy - 1 + (z - z^2) <= 0 + 1/4, equal at x = 1 (or y = 1), z = 1/2: 1/4 < 1.
    net = Network.from_layers([[[1, 1, 1]], [[1]]], [[-1], [0]])
    res = sup_error_box(net, "x*y + z^2", parse_box("0,1x0,1x0,1"))
    assert res.value == 1 and res.witness == (Q(0), Q(0), Q(1))
    up = sup_error_box(net, "x*y + z^2", parse_box("0,1x0,1x0,1"), side="above")
    assert up.value == Q(1, 4) and up.witness == (Q(0), Q(1), Q(1, 2))


# -- enclosures -----------------------------------------------------------------------------------


def test_transcendental_enclosure_contains_sin_1() -> None:
    # sup |0 - sin(xy)| on [0, 1]^2 = sin(1) (sin increasing on [0, 1]) = 0.8414709848078965066525...
    res = sup_error_box(ZERO_NET_2, "sin(x*y)", SQUARE, tol=Q(1, 10**15))
    assert isinstance(res.value, Enclosure) and res.value.width <= Q(1, 10**15)
    # sin(1) lies in [a, a + 10^-29]; an enclosure of it must meet that interval
    a = Q(84147098480789650665250232163, 10**29)
    assert res.value.lo <= a + Q(1, 10**29) and a <= res.value.hi


def test_cubic_enclosure_by_hand() -> None:
    # |x^3 y| <= 1 on [-1, 1]^2, with equality at the corners
    res = sup_error_box(ZERO_NET_2, "x^3*y", parse_box("-1,1x-1,1"), tol=Q(1, 10**12))
    assert isinstance(res.value, Enclosure)
    assert res.value.lo <= 1 <= res.value.hi and res.value.width <= Q(1, 10**12)


def test_undefined_target_is_unknown() -> None:
    # log(x*y) tends to -infinity at the corner (0, 0): |log(xy)| > 1 where xy < 1/e, so eps = 1
    # is violated at a witness whose rigorous bounds show it ...
    c = certify_box(ZERO_NET_2, "log(x*y)", SQUARE, "1", max_cells=2000)
    assert c.verdict is Verdict.VIOLATED
    lo, hi = enclose_at("log(x*y)", c.witness)
    assert hi < -1
    # ... while |log(xy)| > 10^6 needs xy < e^(-10^6), out of reach of 500 halvings (xy >= 2^-1000):
    # neither holds nor violated can be shown
    c = certify_box(ZERO_NET_2, "log(x*y)", SQUARE, "10^6", max_cells=500)
    assert c.verdict is Verdict.UNKNOWN and "reason" in c.details


def test_enclose_at() -> None:
    assert enclose_at("x*y - z", (2, 3, "1/2")) == (Q(11, 2), Q(11, 2))
    assert enclose_at("log(x)", (0, 0)) is None


# -- certificates and the independent checker -------------------------------------------------------


def _cert_json(c) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(c.to_json())


def test_certify_verdicts_and_dispatch() -> None:
    B = parse_box("-1,1x-1,1")
    assert certify_box(product_net(2), "x*y", B, "1/16").verdict is Verdict.HOLDS
    v = certify_box(product_net(2), "x*y", B, "1/17")
    assert v.verdict is Verdict.VIOLATED and v.value == Q(1, 16)
    # exactnet.supnorm.certify hands a Box to supbox
    assert certify(product_net(2), "x*y", B, "1/16").value == Q(1, 16)
    # sin(1) = 0.84147098480789650665...: eps 5.2e-20 below it is violated, 4.7e-20 above it holds
    # (the enclosure is narrower than tol = 10^-20)
    tol = Q(1, 10**20)
    below = certify_box(ZERO_NET_2, "sin(x*y)", SQUARE, "0.8414709848078965066", tol=tol)
    above = certify_box(ZERO_NET_2, "sin(x*y)", SQUARE, "0.8414709848078965067", tol=tol)
    assert below.verdict is Verdict.VIOLATED and above.verdict is Verdict.HOLDS


def test_errors() -> None:
    with pytest.raises(InvalidArgument, match="dimension 3"):
        sup_error_box(ZERO_NET_2, "x*y", parse_box("0,1x0,1x0,1"))
    with pytest.raises(InvalidArgument, match="uses z"):
        sup_error_box(ZERO_NET_2, "x*z", SQUARE)
    with pytest.raises(UnsupportedError, match="rational"):
        sup_error_box(ZERO_NET_2, "x/(1 + y)", SQUARE)
    with pytest.raises(InvalidArgument, match="side"):
        sup_error_box(ZERO_NET_2, "x*y", SQUARE, side="up")


def test_checker_accepts_and_rejects_tampering() -> None:
    data = _cert_json(certify_box(product_net(2), "x*y", parse_box("-1,1x-1,1"), "1/16"))
    assert check_certificate(data).accepted is True
    # a region dropped: the volumes no longer add up
    d = copy.deepcopy(data)
    del d["details"]["regions"][3]
    r = check_certificate(d)
    assert r.accepted is False and "volumes add up to" in r.reasons[0]
    # a wrong value
    d = copy.deepcopy(data)
    d["value"] = "1/17"
    assert check_certificate(d).accepted is False
    # a wrong affine map
    d = copy.deepcopy(data)
    d["details"]["regions"][0]["offset"] = "1/1000"
    r = check_certificate(d)
    assert r.accepted is False and "affine map" in r.reasons[0]
    # a region listed twice (with another dropped so that the volume could match)
    d = copy.deepcopy(data)
    d["details"]["regions"][1] = d["details"]["regions"][0]
    assert check_certificate(d).accepted is False
    # a witness that does not attain the value
    d = copy.deepcopy(data)
    d["witness"] = ["0", "0"]
    assert check_certificate(d).accepted is False
    # a wrong verdict
    d = copy.deepcopy(data)
    d["details"]["problem"]["eps"] = "1/20"
    assert check_certificate(d).accepted is False


def test_checker_on_enclosures() -> None:
    c = certify_box(ZERO_NET_2, "exp(-x^2 - y^2)", SQUARE, "2", tol=Q(1, 10**15))
    data = _cert_json(c)
    assert check_certificate(data).accepted is True
    d = copy.deepcopy(data)
    # an upper end below the true sup 1 (at the origin) cannot be proved
    d["value"] = {"enclosure": ["1/2", "99/100"]}
    d["witness"] = ["1", "1"]
    assert check_certificate(d).accepted is False


# -- properties ----------------------------------------------------------------------------------------


quad = st.dictionaries(
    st.sampled_from([(0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2)]),
    st.fractions(-2, 2, max_denominator=4),
    min_size=1,
    max_size=4,
)


def _formula(coeffs: dict[tuple[int, int], Fraction]) -> str:
    return " + ".join(f"({c})*x^{i}*y^{j}" for (i, j), c in sorted(coeffs.items()))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layered_networks(inputs=2, outputs=1, max_width=3, max_depth=3), quad, st.data())
def test_sup_is_an_upper_bound_attained_and_checked(net: Network, coeffs, data: st.DataObject) -> None:  # type: ignore[no-untyped-def]
    box = Box([Interval(-1, 1), Interval(0, 2)])
    side = data.draw(st.sampled_from(["abs", "above", "below"]))
    c = certify_box(net, _formula(coeffs), box, side=side)
    signs = {"abs": (1, -1), "above": (1,), "below": (-1,)}[side]
    # attained: the witness's error, in Fraction arithmetic, is the value
    e = _frac_poly_error(net, coeffs, c.witness)
    assert max(s * e for s in signs) == to_fraction(c.value)
    # an upper bound: no grid point does better
    for i in range(9):
        for j in range(9):
            x = (Q(-1) + Q(i, 4), Q(j, 4))
            e = _frac_poly_error(net, coeffs, x)
            assert max(s * e for s in signs) <= to_fraction(c.value)
    # and the independent checker re-derives it
    assert check_certificate(_cert_json(c)).accepted is True


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layered_networks(inputs=3, outputs=1, max_width=3, max_depth=2))
def test_checker_accepts_3d(net: Network) -> None:
    c = certify_box(net, "x*y - z^2 + x", parse_box("0,1x-1,1x0,1"))
    assert check_certificate(_cert_json(c)).accepted is True
