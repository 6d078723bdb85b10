"""Tests for exactnet.checker, the independent certificate checker.

Every certificate here is built by hand, its value derived by hand (the comment
says how); tamper tests change one thing and expect a rejection.  The hypothesis
properties build certificates for random small networks from a brute-force
breakpoint enumeration written in this file (all activation patterns).
"""

from __future__ import annotations

import ast
import copy
import itertools
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from exactnet._checker_formula import FormulaError, classify, eval_exact, parse
from exactnet._checker_net import evaluate as checker_evaluate
from exactnet._checker_net import read_network
from exactnet._checker_poly import cmp_num, isolate, make_alg, pmul, show_num
from exactnet.checker import CheckReport, check_certificate, check_certificate_file
from exactnet.cli import main
from exactnet.exceptions import InvalidArgument
from exactnet.io.json import to_dict
from exactnet.network import Network
from tests.strategies import dag_networks, fraction_eval, layered_networks, to_fraction

F = Fraction


# ----------------------------------------------------------------------------- helpers


def net_dict(weights: Any, biases: Any, acts: Any, *, form: str = "graph") -> dict[str, Any]:
    return to_dict(Network.from_layers(weights, biases, acts), form=form)


def cert(
    network: dict[str, Any],
    target: str,
    domain: tuple[str, str],
    xs: list[str],
    ys: list[str],
    value: Any,
    witness: Any,
    *,
    side: str = "abs",
    eps: str | None = None,
    verdict: str = "holds",
) -> dict[str, Any]:
    return {
        "format": "exactnet.certificate",
        "version": 1,
        "claim": f"sup over [{domain[0]}, {domain[1]}] of the {side} error against {target}",
        "verdict": verdict,
        "value": value,
        "witness": witness,
        "method": "by hand",
        "details": {
            "problem": {
                "kind": "sup-error-1d",
                "network": network,
                "target": target,
                "domain": list(domain),
                "side": side,
                "eps": eps,
            },
            "pieces": {"xs": xs, "ys": ys},
        },
    }


def alg(poly: list[str], interval: list[str]) -> dict[str, Any]:
    return {"algebraic": {"poly": poly, "interval": interval}, "decimal": "for people only"}


def changed(c: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of c with the field at the dotted path (list indices as ints) replaced."""
    out = copy.deepcopy(c)
    keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
    node = out
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value
    return out


def accepted(c: dict[str, Any]) -> CheckReport:
    r = check_certificate(c)
    assert r.accepted is True, r.reasons
    assert r.reasons == ()
    return r


def rejected(c: dict[str, Any], *words: str) -> CheckReport:
    r = check_certificate(c)
    assert r.accepted is False, r.checks
    text = " | ".join(r.reasons)
    for w in words:
        assert w in text, text
    return r


# ----------------------------------------------------------------------------- hand-made certificates

# Yarotsky's f_2: the piecewise-linear interpolation of x^2 at 0, 1/4, 1/2, 3/4, 1.
# Slopes 1/4, 3/4, 5/4, 7/4, so f_2(x) = 1/4 relu(x) + 1/2 relu(x - 1/4)
# + 1/2 relu(x - 1/2) + 1/2 relu(x - 3/4).  On a piece of width h = 1/4 the chord
# minus x^2 is (x - a)(b - x), largest at the midpoint: (h/2)^2 = 1/64, first at
# x = 1/8 (Yarotsky's 2^(-2m-2) with m = 2).
F2 = net_dict(
    [[["1"], ["1"], ["1"], ["1"]], [["1/4", "1/2", "1/2", "1/2"]]],
    [["0", "-1/4", "-1/2", "-3/4"], ["0"]],
    ["relu", "identity"],
)
F2_XS = ["0", "1/4", "1/2", "3/4", "1"]
F2_YS = ["0", "1/16", "1/4", "9/16", "1"]
F2_CERT = cert(F2, "x^2", ("0", "1"), F2_XS, F2_YS, "1/64", ["1/8"], eps="1/64")

# N(x) = x/2 (one identity neuron, weight 1/2) against x^3 on [0, 1/2]:
# e = x/2 - x^3 >= 0 there, e' = 1/2 - 3x^2 = 0 at x = 1/sqrt(6) (the root of
# 6x^2 - 1 in [2/5, 1/2]), e = 1/(3 sqrt 6) = sqrt(6)/18, the root of 54v^2 - 1 in
# [1/8, 1/7]; at the ends e(0) = 0, e(1/2) = 1/8 < sqrt(6)/18 = 0.136...
HALF = net_dict([[["1/2"]]], [["0"]], ["identity"])
HALF_CERT = cert(
    HALF,
    "x^3",
    ("0", "1/2"),
    ["0", "1/2"],
    ["0", "1/4"],
    alg(["-1", "0", "54"], ["1/8", "1/7"]),
    [alg(["-1", "0", "6"], ["2/5", "1/2"])],
)

# N(x) = 1 - x/2 interpolates 1/(1+x) at 0 and 1; the chord lies above the convex
# f, e = 1 - x/2 - 1/(1+x), e' = -1/2 + 1/(1+x)^2 = 0 at x = sqrt 2 - 1 (the root of
# x^2 + 2x - 1 in [2/5, 1/2]); e = 3/2 - sqrt 2 = 0.0857..., a root of
# 4v^2 - 12v + 1 (roots (3 -+ 2 sqrt 2)/2) in [1/12, 1/11].
LIN = net_dict([[["-1/2"]]], [["1"]], ["identity"])
RATIONAL_CERT = cert(
    LIN,
    "1/(1+x)",
    ("0", "1"),
    ["0", "1"],
    ["1", "1/2"],
    alg(["1", "-12", "4"], ["1/12", "1/11"]),
    [alg(["-1", "2", "1"], ["2/5", "1/2"])],
    eps="1/10",
)

# the tent N(x) = relu(x) - 2 relu(x - 1/2): 0, 1/2, 0 at 0, 1/2, 1; against
# abs(x - 1/3) the error N - f is -1/3, 1/3, 1/3, -2/3 at 0, 1/3, 1/2, 1
# (it is affine between these), so sup |N - f| = 2/3 at x = 1.
TENT = net_dict([[["1"], ["1"]], [["1", "-2"]]], [["0", "-1/2"], ["0"]], ["relu", "identity"])
PWL_CERT = cert(TENT, "abs(x - 1/3)", ("0", "1"), ["0", "1/2", "1"], ["0", "1/2", "0"], "2/3", ["1"])

# side "below" with the maximum at a kink of the target inside N's only piece:
# f - N = -|x - 1/3| - x/2 is -1/3 at 0, -1/6 at 1/3, -7/6 at 1: sup = -1/6 at 1/3.
BELOW_PWL_CERT = cert(
    HALF, "-abs(x - 1/3)", ("0", "1"), ["0", "1"], ["0", "1/2"], "-1/6", ["1/3"], side="below"
)

# side "below" with a negative sup: N(x) = x + 1 against x^2 on [0, 1]:
# f - N = x^2 - x - 1 is convex, so its max is at an end: -1 at both x = 0 and x = 1.
PLUS1 = net_dict([[["1"]]], [["1"]], ["identity"])
BELOW_CERT = cert(PLUS1, "x^2", ("0", "1"), ["0", "1"], ["1", "2"], "-1", ["0"], side="below", eps="0")

# N(x) = x against sin(x) on [0, 1]: x - sin x is >= 0 and increasing, so
# sup |N - f| = 1 - sin 1 at x = 1.  sin 1 = 0.84147098480789650665250232163029899962...,
# so 1 - sin 1 = 0.15852901519210349334749767836970100037...
IDENT = net_dict([[["1"]]], [["0"]], ["identity"])
SIN_LO, SIN_HI = "0.158529015192103493347497678369701", "0.158529015192103493347497678369702"
SIN_CERT = cert(
    IDENT, "sin(x)", ("0", "1"), ["0", "1"], ["0", "1"], {"enclosure": [SIN_LO, SIN_HI]}, ["1"], eps="1/6"
)

# an interior maximiser: N(x) = x/2 against sin(x) on [0, 2]: e = x/2 - sin x,
# e' = 1/2 - cos x = 0 at x = pi/3, e(pi/3) = pi/6 - sqrt(3)/2 = -0.3424...; the ends
# give e(0) = 0 and e(2) = 1 - sin 2 = 0.0907...; so sup |e| = sqrt(3)/2 - pi/6 =
# 0.866025403784438646763723170752936183471... - 0.523598775598298873077107230546583814032...
# = 0.342426628186139773686615940206352369438...; the witness is pi/3 = 1.04719755119659774615421446109316762806...
# cut after 34 digits (the error there is below the sup by about 1e-68).
MV_LO, MV_HI = "0.342426628186139773686615940206352", "0.342426628186139773686615940206353"
MV_CERT = cert(
    HALF,
    "sin(x)",
    ("0", "2"),
    ["0", "2"],
    ["0", "1"],
    {"enclosure": [MV_LO, MV_HI]},
    ["1.0471975511965977461542144610931676"],
)


def test_yarotsky_f2_against_x_squared_is_accepted() -> None:
    r = accepted(F2_CERT)
    assert any("value 1/64 is the exact sup of |N - f| over [0, 1]" in c for c in r.checks)
    assert any("witness x = 1/8" in c for c in r.checks)


def test_layered_form_network_is_read_too() -> None:
    c = changed(F2_CERT, "details.problem.network", to_dict(Network.from_layers(
        [[["1"], ["1"], ["1"], ["1"]], [["1/4", "1/2", "1/2", "1/2"]]],
        [["0", "-1/4", "-1/2", "-3/4"], ["0"]], ["relu", "identity"]), form="layered"))
    r = accepted(c)
    assert any("layered form" in line for line in r.checks)


def test_algebraic_value_and_witness() -> None:
    r = accepted(HALF_CERT)
    assert any("the root of 54v^2 - 1 in (1/8, 1/7) is isolated" in c for c in r.checks)


def test_one_sided_above_on_0_1() -> None:
    # on [0, 1] |e| is largest at x = 1 (|1/2 - 1| = 1/2), but the one-sided sup
    # of N - f = x/2 - x^3 is still sqrt(6)/18 at 1/sqrt(6)
    c = changed(HALF_CERT, "details.problem.side", "above")
    c = changed(c, "details.problem.domain", ["0", "1"])
    c = changed(c, "details.pieces", {"xs": ["0", "1"], "ys": ["0", "1/2"]})
    accepted(c)
    # ... while with side abs on [0, 1] the value is 1/2, at x = 1
    rejected(changed(c, "details.problem.side", "abs"), "> the value")


def test_side_below_with_a_negative_sup() -> None:
    accepted(BELOW_CERT)


def test_rational_target() -> None:
    accepted(RATIONAL_CERT)


def test_rational_target_with_a_pole_in_the_domain_is_rejected() -> None:
    c = changed(RATIONAL_CERT, "details.problem.target", "1/(2*x - 1)")
    rejected(c, "undefined at x = 1/2")
    c = changed(RATIONAL_CERT, "details.problem.target", "1/(x^2 - 1/2)")
    rejected(c, "undefined at x ≈ 0.70710678")


def test_pwl_targets() -> None:
    accepted(PWL_CERT)
    accepted(BELOW_PWL_CERT)


def test_transcendental_enclosure_at_an_end() -> None:
    r = accepted(SIN_CERT)
    assert any("lies in the enclosure" in c for c in r.checks)


def test_transcendental_enclosure_with_an_interior_maximiser() -> None:
    r = accepted(MV_CERT)
    assert any("halvings" in c for c in r.checks)


def test_violated_certificate() -> None:
    # 1/64 > 1/100, and the error at 1/8 is 1/64 > 1/100
    c = changed(changed(F2_CERT, "verdict", "violated"), "details.problem.eps", "1/100")
    accepted(c)
    # a violated witness need not be the maximiser: |f_2(1/16) - 1/256| = 3/256 > 1/100
    accepted(changed(c, "witness", ["1/16"]))


def test_violated_transcendental() -> None:
    c = changed(changed(SIN_CERT, "verdict", "violated"), "details.problem.eps", "1/10")
    accepted(c)
    rejected(changed(c, "details.problem.eps", "1/6"), "not > eps 1/6")
    # a violated witness need only exceed eps: 9/10 - sin(9/10) = 0.1167... > 1/10
    # (the lower end of the enclosure is reached at x = 1 by the branch and bound)
    accepted(changed(c, "witness", ["9/10"]))
    rejected(changed(c, "witness", ["1/2"]), "could not be shown to exceed eps 1/10")


def test_unknown_certificate_is_neither_accepted_nor_rejected() -> None:
    c = {
        "format": "exactnet.certificate",
        "version": 1,
        "claim": "c",
        "verdict": "unknown",
        "value": None,
        "witness": None,
        "method": "m",
        "details": {"reason": "timeout"},
    }
    r = check_certificate(c)
    assert r.accepted is None and r.reasons == ()
    assert "timeout" in r.checks[0]


def test_merged_collinear_pieces_are_split_where_neurons_switch() -> None:
    # N(x) = relu(x) - relu(-x) = x: both neurons switch at 0 but N is affine on [-1, 1]
    net = net_dict([[["1"], ["-1"]], [["1", "-1"]]], [["0", "0"], ["0"]], ["relu", "identity"])
    c = cert(net, "x^2", ("-1", "1"), ["-1", "1"], ["-1", "1"], "2", ["-1"])
    # |x - x^2| is largest at x = -1: |-1 - 1| = 2
    r = accepted(c)
    assert any("split where a neuron switches" in line for line in r.checks)
    # relu(x) alone is not affine on [-1, 1]
    net = net_dict([[["1"]], [["1"]]], [["0"], ["0"]], ["relu", "identity"])
    rejected(cert(net, "x^2", ("-1", "1"), ["-1", "1"], ["0", "1"], "2", ["-1"]), "not affine", "x = 0")


def test_a_point_domain() -> None:
    # domain [1/2, 1/2]: one breakpoint, no piece; |N - f| = |1/4 - 1/8| = 1/8
    accepted(cert(HALF, "x^3", ("1/2", "1/2"), ["1/2"], ["1/4"], "1/8", ["1/2"]))
    # |1/6 - exp(0)| = 5/6 exactly at x = 1/3 (not a binary fraction: decided exactly)
    accepted(cert(HALF, "exp(x - 1/3)", ("1/3", "1/3"), ["1/3"], ["1/6"], {"enclosure": ["5/6", "5/6"]}, ["1/3"]))
    rejected(cert(HALF, "exp(x - 1/3)", ("1/3", "1/3"), ["1/3"], ["1/6"], {"enclosure": ["4/6", "4/6"]}, ["1/3"]))


# ----------------------------------------------------------------------------- tampering


@pytest.mark.parametrize(
    "value, words",
    [
        ("1/65", ["piece 0 [0, 1/4]", "x = 1/8", "1/64 > the value 1/65"]),
        ("1/63", ["no point of the domain attains the value 1/63", "≈ 0.015625"]),
    ],
)
def test_tampered_rational_value(value: str, words: list[str]) -> None:
    rejected(changed(F2_CERT, "value", value), *words)


def test_tampered_algebraic_value() -> None:
    # too large: the root of 54v^2 - 2 (1/sqrt(27) = 0.19...) in [1/8, 1/4] is never attained
    rejected(changed(HALF_CERT, "value", alg(["-2", "0", "54"], ["1/8", "1/4"])), "no point", "27v^2 - 1 in (1/8, 1/4)")
    # slightly too large: the root of 1000v^2 - 19 (0.1378...) > sqrt(6)/18 = 0.1360...
    rejected(changed(HALF_CERT, "value", alg(["-19", "0", "1000"], ["1/8", "1/7"])), "no point")
    # slightly too small: the root of 1000v^2 - 18 (0.1341...) is exceeded at 1/sqrt(6)
    rejected(changed(HALF_CERT, "value", alg(["-18", "0", "1000"], ["1/8", "1/7"])), "> the value", "6x^2 - 1")
    # the other root of 54v^2 - 1, -sqrt(6)/18
    rejected(changed(HALF_CERT, "value", alg(["-1", "0", "54"], ["-1/7", "-1/8"])), "> the value")


@pytest.mark.parametrize(
    "interval, words", [(["-1", "1"], ["holds 2 roots"]), (["1/2", "1"], ["holds 0 roots"]), (["1/7", "1/8"], ["empty"])]
)
def test_algebraic_interval_must_isolate_one_root(interval: list[str], words: list[str]) -> None:
    rejected(changed(HALF_CERT, "value", alg(["-1", "0", "54"], interval)), *words)
    rejected(changed(HALF_CERT, "witness", [alg(["-1", "0", "6"], interval)]), "witness[0]", *words)


def test_algebraic_interval_end_that_is_a_root() -> None:
    rejected(changed(HALF_CERT, "value", alg(["-1", "0", "64"], ["1/8", "1/7"])), "end 1/8 is a root")


def test_dropped_breakpoint() -> None:
    xs = ["0", "1/4", "3/4", "1"]
    ys = ["0", "1/16", "9/16", "1"]
    c = changed(F2_CERT, "details.pieces", {"xs": xs, "ys": ys})
    rejected(c, "piece 1 [1/4, 3/4]", "not affine", "x = 1/2")


def test_moved_breakpoint() -> None:
    # 1/4 moved to 1/5 with the correct value N(1/5) = 1/20: [1/5, 1/2] holds the kink at 1/4
    xs = ["0", "1/5", "1/2", "3/4", "1"]
    ys = ["0", "1/20", "1/4", "9/16", "1"]
    rejected(changed(F2_CERT, "details.pieces", {"xs": xs, "ys": ys}), "piece 1 [1/5, 1/2]", "not affine")
    # the value of a moved breakpoint left as it was
    rejected(changed(F2_CERT, "details.pieces.xs.1", "1/5"), "pieces.ys[1] = 1/16 but N(1/5) = 1/20")


def test_changed_ys_entry() -> None:
    rejected(changed(F2_CERT, "details.pieces.ys.2", "1/3"), "pieces.ys[2] = 1/3 but N(1/2) = 1/4")


@pytest.mark.parametrize(
    "xs, words",
    [
        (["1/8", "1/4", "1/2", "3/4", "1"], ["pieces.xs[0] = 1/8 but the domain starts at 0"]),
        (["0", "1/4", "1/2", "3/4", "7/8"], ["the domain ends at 1"]),
        (["0", "1/2", "1/4", "3/4", "1"], ["not strictly increasing at index 2"]),
        (["0", "1/4", "1/2", "1"], ["pieces.xs has 4 entries but pieces.ys has 5"]),
    ],
)
def test_pieces_must_cover_the_domain(xs: list[str], words: list[str]) -> None:
    rejected(changed(F2_CERT, "details.pieces.xs", xs), *words)


def test_moved_witness() -> None:
    rejected(changed(F2_CERT, "witness", ["1/7"]), "witness x = 1/7", "does not attain")
    rejected(changed(F2_CERT, "witness", ["2"]), "outside the domain")
    # an algebraic witness moved to the other root of 6x^2 - 1 leaves the domain
    rejected(changed(HALF_CERT, "witness", [alg(["-1", "0", "6"], ["-1/2", "-2/5"])]), "outside the domain")
    # ... or to a nearby irrational point
    rejected(changed(HALF_CERT, "witness", [alg(["-1", "0", "7"], ["1/3", "1/2"])]), "does not attain")
    rejected(changed(HALF_CERT, "witness", None), "witness is null")


@pytest.mark.parametrize(
    "verdict, eps, words",
    [
        ("holds", "1/100", ["verdict holds, but the value 1/64 is not <= eps 1/100"]),
        ("violated", "1/64", ["verdict violated, but the value 1/64 is not > eps 1/64", "does not exceed eps"]),
        ("violated", None, ["eps is null"]),
    ],
)
def test_wrong_verdict(verdict: str, eps: str | None, words: list[str]) -> None:
    c = changed(changed(F2_CERT, "verdict", verdict), "details.problem.eps", eps)
    rejected(c, *words)


def test_null_value_is_rejected() -> None:
    rejected(changed(F2_CERT, "value", None), "value is null")


def test_tampered_pwl_value() -> None:
    rejected(changed(PWL_CERT, "value", "1/3"), "x = 1 is 2/3 > the value 1/3")
    rejected(changed(BELOW_PWL_CERT, "value", "-1/3"), "x = 1/3 is -1/6 > the value -1/3")
    rejected(changed(BELOW_PWL_CERT, "witness", ["0"]), "does not attain")


def test_enclosure_too_narrow() -> None:
    # hi below the true sup 0.15852901519210349334749767836970100037...
    low = {"enclosure": ["0.158529015192103493347497678369699", "0.158529015192103493347497678369700"]}
    rejected(changed(SIN_CERT, "value", low), "> the enclosure's upper end")
    # lo above it: the witness cannot reach lo
    high = {"enclosure": ["0.158529015192103493347497678369702", "0.158529015192103493347497678369703"]}
    rejected(changed(SIN_CERT, "value", high), "not shown >= the enclosure's lower end")
    # an interior maximiser: hi below sqrt(3)/2 - pi/6 = 0.342426628186139773686615940206352369...
    low = {"enclosure": ["0.342426628186139773686615940206351", "0.342426628186139773686615940206352"]}
    rejected(changed(MV_CERT, "value", low), "enclosure's upper end")


def test_transcendental_witness_must_reach_the_lower_end() -> None:
    # 1e-10 away from pi/3 the error drops by about (sqrt(3)/4) 1e-20 > 1e-33
    rejected(changed(MV_CERT, "witness", ["1.0471975512"]), "not shown >= the enclosure's lower end",
             "another point reaches it")
    rejected(changed(MV_CERT, "witness", [alg(["-2", "0", "1"], ["1", "2"])]), "needs a rational witness")


def test_exact_error_at_a_rational_point_of_a_transcendental_target() -> None:
    # N(x) = x + 1 against exp(x) on [0, 1], side above: N - f = x + 1 - e^x <= 0,
    # equal to 0 exactly at x = 0 (exp(0) = 1), so the enclosure [0, 1e-30] holds
    c = cert(PLUS1, "exp(x)", ("0", "1"), ["0", "1"], ["1", "2"], {"enclosure": ["0", "1e-30"]}, ["0"],
             side="above")
    accepted(c)


def test_enclosure_gives_up_after_the_subdivision_budget() -> None:
    # hi exactly 1 for sup |0 - sin x| = 1: no interval bound can show sup <= 1 at pi/2
    zero = net_dict([[["0"]]], [["0"]], ["identity"])
    c = cert(zero, "sin(x) + x/4", ("0", "2"), ["0", "2"], ["0", "0"], {"enclosure": ["0", "1/2"]}, ["0"])
    r = check_certificate(c, max_subdivisions=30)
    assert r.accepted is False
    assert any("could not confirm" in x or "> the enclosure's upper end" in x for x in r.reasons)


def test_enclosure_value_for_a_polynomial_target() -> None:
    # the exact sup 1/64 lies in [1/65, 1/63] but not in [1/70, 1/65] or [1/63, 1/60]
    c = changed(F2_CERT, "details.problem.eps", None)
    accepted(changed(c, "value", {"enclosure": ["1/65", "1/63"]}))
    rejected(changed(c, "value", {"enclosure": ["1/70", "1/65"]}), "> the value 1/65")
    rejected(changed(c, "value", {"enclosure": ["1/63", "1/60"]}), "no point of the domain attains")
    rejected(changed(c, "value", {"enclosure": ["1/63", "1/65"]}), "is empty")
    # with eps 1/64 an enclosure reaching above eps does not show "holds"
    rejected(changed(F2_CERT, "value", {"enclosure": ["1/65", "1/63"]}), "not <= eps 1/64")


def test_transcendental_value_must_be_an_enclosure() -> None:
    rejected(changed(SIN_CERT, "value", "1/6"), "checked as an enclosure")


def test_transcendental_target_undefined_at_a_breakpoint() -> None:
    rejected(changed(SIN_CERT, "details.problem.target", "log(x)"), "undefined at x = 0")


# ----------------------------------------------------------------------------- unreadable certificates


@pytest.mark.parametrize(
    "path, value, words",
    [
        ("format", "exactnet.network", ["format: is 'exactnet.network'"]),
        ("version", 2, ["version: unknown version 2"]),
        ("version", True, ["version"]),
        ("details.problem.kind", "sup-error-2d", ["details.problem.kind: unknown kind 'sup-error-2d'"]),
        ("details.problem.side", "both", ["details.problem.side"]),
        ("details.problem.domain", ["0"], ["details.problem.domain: must have 2 entries"]),
        ("details.problem.network.nodes.0.bias", 0.5, ["details.problem.network.nodes[0].bias", "float"]),
        ("details.problem.network.edges.0.weight", "1/0", ["zero denominator"]),
        ("details.problem.network.version", 7, ["details.problem.network.version"]),
        ("details.pieces.xs.0", "zero", ["details.pieces.xs[0]", "not an exact number"]),
        ("value", {"algebraic": {"poly": ["1/2", "1"], "interval": ["0", "1"]}}, ["value.algebraic.poly[0]"]),
        ("verdict", "maybe", ["verdict"]),
        ("details.problem.target", "__import__('os').system('id')", ["unknown name '__import__' at position 0"]),
        ("details.problem.target", "x @ 2", ["unexpected character '@' at position 2"]),
        ("details.problem.target", "abs(x)^2", ["non-linear"]),
    ],
)
def test_unreadable_fields_raise(path: str, value: Any, words: list[str]) -> None:
    with pytest.raises(InvalidArgument) as info:
        check_certificate(changed(F2_CERT, path, value))
    msg = str(info.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg, msg


def test_missing_fields_raise() -> None:
    c = copy.deepcopy(F2_CERT)
    del c["details"]["pieces"]
    with pytest.raises(InvalidArgument, match="details.pieces: is missing"):
        check_certificate(c)
    c = copy.deepcopy(F2_CERT)
    del c["value"]
    with pytest.raises(InvalidArgument, match="value: is missing"):
        check_certificate(c)


def test_a_cyclic_network_raises() -> None:
    net = {
        "format": "exactnet.network",
        "version": 1,
        "inputs": ["x"],
        "nodes": [{"id": "a", "activation": "relu", "bias": "0"}, {"id": "b", "activation": "relu", "bias": "0"}],
        "edges": [
            {"from": "x", "to": "a", "weight": "1"},
            {"from": "a", "to": "b", "weight": "1"},
            {"from": "b", "to": "a", "weight": "1"},
        ],
        "outputs": ["b"],
    }
    with pytest.raises(InvalidArgument, match="cycle"):
        check_certificate(changed(F2_CERT, "details.problem.network", net))


def test_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidArgument, match=r"bad.json: not JSON"):
        check_certificate_file(bad)
    nan = tmp_path / "nan.json"
    nan.write_text(json.dumps(F2_CERT).replace('"1/64"', "NaN", 1), encoding="utf-8")
    with pytest.raises(InvalidArgument, match="NaN"):
        check_certificate_file(nan)
    with pytest.raises(InvalidArgument, match="no such file"):
        check_certificate_file(tmp_path / "missing.json")


def test_file_with_json_decimals_reads_them_exactly(tmp_path: Path) -> None:
    # a JSON number 0.25 in a network file is the decimal 1/4, exactly
    c = changed(F2_CERT, "details.problem.network.edges", copy.deepcopy(F2["edges"]))
    text = json.dumps(c).replace('"weight": "1/4"', '"weight": 0.25')
    assert "0.25" in text
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    assert check_certificate_file(path).accepted is True


# ----------------------------------------------------------------------------- the parts


def test_formula_grammar() -> None:
    x = F(1, 3)
    table = {
        "-x^2": -x * x,
        "2^-1*x": x / 2,
        "x**2^2": x**4,
        ".5*x - 1.25": x / 2 - F(5, 4),
        "max(x, 1/2) - min(x, 1/2)": F(1, 6),
        "relu(x - 1/2) + abs(-x)": x,
        "(x + 1)/(x - 1)": (x + 1) / (x - 1),
        "x^-2": 1 / (x * x),
    }
    for text, want in table.items():
        assert eval_exact(parse(text), x) == want, text


@pytest.mark.parametrize(
    "text, words",
    [
        ("x +", "position 3"),
        ("2x", "position 1"),
        ("x^(1/2)", "not an integer"),
        ("x^x", "integer constant"),
        ("sin(x, x)", "takes 1 argument"),
        ("foo(x)", "unknown name 'foo' at position 0"),
        ("abs(x^2)", "piecewise-linear argument"),
        ("1/(x - x)", "division by zero"),
        ("import os", "unknown name 'import' at position 0"),
        ("x; 1", "unexpected character ';' at position 1"),
        ("(" * 150 + "x" + ")" * 150, "deeper than 100 levels"),
        ("x" + "+x" * 300, "deeper than 200 levels"),
        ("(x^100)^11", "the power at position 7"),
    ],
)
def test_formula_errors_name_the_position(text: str, words: str) -> None:
    with pytest.raises(FormulaError, match=words.replace("(", r"\(").replace(")", r"\)").replace("^", r"\^")):
        classify(text)


def test_formula_kinds() -> None:
    assert classify("x^3 - x/2").kind == "polynomial"
    assert classify("1/(1 + x^2)").kind == "rational"
    assert classify("max(x, 1 - x)").kind == "pwl"
    assert classify("sin(pi*x)").kind == "transcendental"
    assert classify("exp(abs(x))").kind == "transcendental"


def test_independence_of_the_checker_modules() -> None:
    """checker.py and _checker_*.py import only the standard library, mpmath,
    exactnet.exceptions and each other (never numbers, network, evaluate, pwl,
    targets, supnorm, gmpy2 or flint)."""
    root = Path(__file__).resolve().parents[1] / "exactnet"
    files = [root / "checker.py", *sorted(root.glob("_checker_*.py"))]
    assert len(files) >= 2
    allowed_exactnet = {"exactnet.exceptions"} | {f"exactnet.{p.stem}" for p in files}
    stdlib = {"__future__", "bisect", "copy", "dataclasses", "decimal", "fractions", "heapq", "json",
              "math", "os", "pathlib", "re", "typing"}
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "exactnet":
                    assert name in allowed_exactnet, f"{path.name} imports {name}"
                else:
                    assert top in stdlib or top == "mpmath", f"{path.name} imports {name}"


def test_sturm_isolation_and_exact_comparison() -> None:
    # 54v^2 - 1 has roots -+ sqrt(6)/18 = -+0.136...
    roots = isolate([F(-1), F(0), F(54)], F(-1), F(1))
    assert len(roots) == 2
    r = make_alg([-1, 0, 54], F(1, 8), F(1, 7))
    assert cmp_num(roots[1], r) == 0 and cmp_num(roots[0], r) == -1
    assert show_num(r, 12) == "0.136082763487..."


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=9), min_size=1, max_size=4, unique=True))
def test_isolated_roots_are_the_roots(roots: list[Fraction]) -> None:
    # p = prod (x - r)^2 (x^2 - 2): the r are found exactly or isolated, sqrt 2 isolated
    p = [F(-2), F(0), F(1)]
    for r in roots:
        p = pmul(p, pmul([-r, F(1)], [-r, F(1)]))
    got = isolate(p, F(-4), F(4))
    assert len(got) == len(roots) + 2
    for r in roots:
        assert sum(cmp_num(g, r) == 0 for g in got) == 1
    sqrt2 = make_alg([-2, 0, 1], F(1), F(2))
    assert sum(cmp_num(g, sqrt2) == 0 for g in got) == 1


# ----------------------------------------------------------------------------- properties: brute-force certificates


def brute_pieces(net: Network, lo: Fraction, hi: Fraction) -> tuple[list[Fraction], list[Fraction]]:
    """Canonical breakpoints of N on [lo, hi] by brute force.

    Every kink of N is a zero of some ReLU pre-activation, which under the activation
    pattern on one side of the kink is an affine function of x with a nonzero
    slope.  So enumerating every pattern and every ReLU's affine pre-activation
    under it gives a superset of the kinks; N is affine between consecutive
    candidates; collinear neighbours are then merged.
    """
    g = net.graph
    (inp,) = net.inputs
    order = [n for n in nx.topological_sort(g) if n != inp]
    relus = [n for n in order if g.nodes[n]["act"] == "relu"]
    cands = {lo, hi}
    for pattern in itertools.product((False, True), repeat=len(relus)):
        on = dict(zip(relus, pattern))
        form = {inp: (F(1), F(0))}
        for n in order:
            s, c = F(0), to_fraction(g.nodes[n]["bias"])
            for src in g.predecessors(n):
                w = to_fraction(g.edges[src, n]["weight"])
                s, c = s + w * form[src][0], c + w * form[src][1]
            if n in on:
                if s != 0 and lo < -c / s < hi:
                    cands.add(-c / s)
                form[n] = (s, c) if on[n] else (F(0), F(0))
            else:
                form[n] = (s, c)
    xs = sorted(cands)
    ys = [fraction_eval(net, [x])[0] for x in xs]
    kx, ky = [xs[0]], [ys[0]]
    for i in range(1, len(xs)):
        if len(kx) >= 2 and (ky[-1] - ky[-2]) * (xs[i] - kx[-1]) == (ys[i] - ky[-1]) * (kx[-1] - kx[-2]):
            kx[-1], ky[-1] = xs[i], ys[i]
        else:
            kx.append(xs[i])
            ky.append(ys[i])
    return kx, ky


def brute_sup_square(xs: list[Fraction], ys: list[Fraction], side: str) -> tuple[Fraction, Fraction]:
    """The exact sup of the side's error of the chords against x^2, and a maximiser.

    On a piece g = s x + c - x^2 is concave, with g' = 0 at x = s/2; -g is convex,
    so its maximum is at an end.
    """
    best: tuple[Fraction, Fraction] | None = None
    signs = {"abs": (1, -1), "above": (1,), "below": (-1,)}[side]
    for i in range(len(xs) - 1):
        a, b = xs[i], xs[i + 1]
        s = (ys[i + 1] - ys[i]) / (b - a)
        c = ys[i] - s * a
        for x in (a, b, s / 2):
            if a <= x <= b:
                for sg in signs:
                    v = sg * (s * x + c - x * x)
                    if best is None or v > best[0]:
                        best = (v, x)
    assert best is not None
    return best


one_d_networks = st.one_of(
    layered_networks(inputs=1, outputs=1, max_depth=3, max_width=3),
    dag_networks(inputs=1, outputs=1, max_neurons=5),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    one_d_networks,
    st.fractions(min_value=-3, max_value=0, max_denominator=4),
    st.fractions(min_value=F(1, 4), max_value=3, max_denominator=4),
    st.sampled_from(["abs", "above", "below"]),
)
def test_brute_force_certificates_are_accepted_and_tampering_rejected(
    net: Network, lo: Fraction, hi: Fraction, side: str
) -> None:
    xs, ys = brute_pieces(net, lo, hi)
    v, w = brute_sup_square(xs, ys, side)
    c = cert(to_dict(net), "x^2", (str(lo), str(hi)), [str(x) for x in xs], [str(y) for y in ys],
             str(v), [str(w)], side=side, eps=str(v))
    accepted(c)
    rejected(changed(c, "value", str(v + F(1, 997))))
    rejected(changed(c, "value", str(v - F(1, 997))))
    rejected(changed(c, "details.pieces.ys.0", str(ys[0] + F(1, 5))), "pieces.ys[0]")
    if len(xs) > 2:
        # dropping an interior canonical breakpoint (a genuine kink) is noticed
        c2 = changed(c, "details.pieces", {"xs": [str(x) for x in xs[:1] + xs[2:]],
                                           "ys": [str(y) for y in ys[:1] + ys[2:]]})
        rejected(c2, "not affine")


@settings(max_examples=60, deadline=None)
@given(one_d_networks, st.fractions(min_value=-4, max_value=4, max_denominator=12))
def test_checker_evaluator_matches_the_fraction_reference(net: Network, x: Fraction) -> None:
    read = read_network(to_dict(net))
    assert checker_evaluate(read, x) == fraction_eval(net, [x])[0]


# ----------------------------------------------------------------------------- the command line


def write(tmp_path: Path, c: dict[str, Any], name: str = "c.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(c, indent=1), encoding="utf-8")
    return str(path)


def test_cli_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-certificate", write(tmp_path, F2_CERT)]) == 0
    out = capsys.readouterr().out
    assert "accepted" in out and "value 1/64 is the exact sup" in out


def test_cli_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-certificate", write(tmp_path, changed(F2_CERT, "value", "1/65"))]) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "piece 0 [0, 1/4]" in out


def test_cli_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    c = {"format": "exactnet.certificate", "version": 1, "claim": "c", "verdict": "unknown",
         "value": None, "witness": None, "method": "m", "details": {"reason": "timeout"}}
    assert main(["check-certificate", write(tmp_path, c)]) == 3
    assert "unknown" in capsys.readouterr().out


def test_cli_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text("[1, 2", encoding="utf-8")
    assert main(["check-certificate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "not JSON" in err
    assert main(["check-certificate", write(tmp_path, changed(F2_CERT, "version", 9))]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "version" in err


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-certificate", write(tmp_path, changed(F2_CERT, "witness", ["1/7"])), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["accepted"] is False and any("1/7" in r for r in out["reasons"])


# ----------------------------------------------------------------------------- round trips through exactnet sup-error


def _sup_error_cert(tmp_path: Path, net: Network, *args: str) -> dict[str, Any]:
    from exactnet.io.json import dump

    net_path, cert_path = tmp_path / "net.json", tmp_path / "cert.json"
    dump(net, net_path)
    code = main(["sup-error", str(net_path), *args, "--cert", str(cert_path)])
    assert code in (0, 1)
    data: dict[str, Any] = json.loads(cert_path.read_text(encoding="utf-8"))
    assert data["details"]["problem"]["kind"] == "sup-error-1d"
    return data


def _square_net(m: int) -> Network:
    from exactnet.constructions.yarotsky2017 import square_net

    return square_net(m)


@pytest.mark.parametrize(
    "args",
    [
        ["--target", "x^2", "--on", "0,1", "--eps", "1/256"],
        ["--target", "x^2", "--on", "0,1", "--eps", "1/1000"],
        ["--target", "x^3", "--on", "0,1"],
        ["--target", "x^3", "--on", "0,1", "--side", "below"],
        ["--target", "1/(1+x^2)", "--on", "0,1"],
        ["--target", "abs(x - 1/3)", "--on", "0,1"],
        ["--target", "sin(x)", "--on", "0,1"],
    ],
)
def test_round_trip_through_sup_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    data = _sup_error_cert(tmp_path, _square_net(3), *args)
    capsys.readouterr()
    r = check_certificate(data)
    assert r.accepted is True, r.reasons
    # tampering: a moved breakpoint value, and a changed value
    ys = data["details"]["pieces"]["ys"]
    rejected(changed(data, "details.pieces.ys.3", str(F(ys[3]) + F(1, 1024))), "pieces.ys[3]")
    v = data["value"]
    if isinstance(v, str):
        rejected(changed(data, "value", str(F(v) + F(1, 4096))))
    elif "algebraic" in v:
        rejected(changed(data, "value", alg(["-1", "0", "1000"], ["0", "1"])))
    else:
        lo, hi = F(v["enclosure"][0]), F(v["enclosure"][1])
        rejected(changed(data, "value", {"enclosure": [str(lo - 2 * (hi - lo)), str(lo - (hi - lo))]}))


@pytest.mark.slow
def test_round_trip_large(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _sup_error_cert(tmp_path, _square_net(12), "--target", "x^2", "--on", "0,1")
    capsys.readouterr()
    assert check_certificate(data).accepted is True
