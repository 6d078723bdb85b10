"""Ding et al. (2019), the function-dependent structure (Prop. 4, Theorem 3) and Section 6's lambda_opt.

Every expected value is derived by hand in a comment, or computed by an
independent route (mpmath at 40 digits for the transcendental ones, compared
within 10^-25, far below the enclosures' separation).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from mpmath import findroot, log, mp

from exactnet.catalogue import Claim, claims, run_claim
from exactnet.certificate import Verdict
from exactnet.claims.ding2019_cached import prop4_error, prop4_error_quadratic, prop4_grid, thm3_error
from exactnet.constructions.ding2019_cached import (
    cached_net,
    cached_pattern,
    grid_value,
    hyperparameters,
    transform,
    transform_value,
)
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.lambda_opt import lambda_opt, lambda_star, ms
from exactnet.metrics import metrics
from exactnet.numbers import Interval, Q, q
from exactnet.pwl import PiecewiseLinear
from exactnet.targets import parse_target

ROOT = Path(__file__).resolve().parents[2]


# -- hyper-parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "eps, base, expected",
    [
        # log2(4) = 2: m = ceil(1) = 1, t = 0, T = ceil(8/(1/4 * 2)) = 16
        ("1/4", "2", (1, 0, 16)),
        # log2(1024) = 10: m = 5, t = ceil(log2 5) = 3, T = ceil(8192/10) = 820
        ("1/1024", "2", (5, 3, 820)),
        # log2(8) = 3: m = ceil(3/2) = 2, t = 1, T = ceil(64/3) = 22
        ("1/8", "2", (2, 1, 22)),
        # ln 8 = 2.0794: m = ceil(1.0397) = 2, t = ceil(ln 2) = 1, T = ceil(64/2.0794) = ceil(30.78) = 31
        ("1/8", "e", (2, 1, 31)),
        # ln 1024 = 6.931: m = ceil(3.466) = 4, t = ceil(ln 4 = 1.386) = 2, T = ceil(8192/6.931) = ceil(1181.9) = 1182
        ("1/1024", "e", (4, 2, 1182)),
        # log2(3) = 1.585: m = 1, t = 0, T = ceil(24/1.585) = ceil(15.14) = 16
        ("1/3", "2", (1, 0, 16)),
    ],
)
def test_hyperparameters(eps: str, base: str, expected: tuple[int, int, int]) -> None:
    P = hyperparameters(eps, base=base)
    assert (P.m, P.t, P.T) == expected
    assert P.delta == Q(1, 8 * P.m)


@pytest.mark.parametrize("bad", ["0", "1", "3/2", "-1/2"])
def test_hyperparameters_refuse_eps_outside_0_1(bad: str) -> None:
    with pytest.raises(InvalidArgument):
        hyperparameters(bad)


# -- Proposition 4 ------------------------------------------------------------------------


def test_grid_value_rounds_up_to_the_grid() -> None:
    # grid 2^-t / T = 1/12 for t = 2, T = 3: 1/5 -> ceil(12/5)/12 = 3/12; 1/4 = 3/12 stays
    assert grid_value("1/5", 2, 3) == Q(1, 4)
    assert grid_value("1/4", 2, 3) == Q(1, 4)
    assert grid_value("-1/5", 2, 3) == Q(-2, 12)


def test_transform_by_hand() -> None:
    # f = |x - 1/3|, t = 1, T = 2 (worked out in the docstring of transform): f~ chases down
    # from 1/2 at slope -1, meets f^+ = f + 1/12 at x = 3/8 (value 1/8), then follows f + 1/12
    f = parse_target("abs(x - 1/3)").to_pwl(Interval(0, 1))
    g = transform(f, 1, 2)
    assert g == PiecewiseLinear.from_points([(0, "1/2"), ("3/8", "1/8"), (1, "3/4")])


def test_transform_refuses_steep_f() -> None:
    f = PiecewiseLinear.from_points([(0, 0), (1, 2)])
    with pytest.raises(InvalidArgument):
        transform(f, 1, 2)


def test_transform_value_agrees_with_the_ode_solution_for_pwl_f() -> None:
    # two independent routes: the closed form min/max(chase, f^+) and the piecewise ODE solution
    f_text = "min(abs(x - 1/5), abs(x - 7/10))/2 + x/2"
    f = parse_target(f_text)
    g = transform(f.to_pwl(Interval(0, 1)), 2, 5)
    for k in range(101):
        x = Q(k, 100)
        assert transform_value(f, 2, 5, x) == g(x)


@pytest.mark.parametrize("f", ["abs(x - 1/3)", "min(abs(x - 1/5), abs(x - 7/10))/2 + x/2"])
@pytest.mark.parametrize("t, T", [(1, 3), (2, 5), (3, 7)])
def test_prop4_ii_and_iii_hold(f: str, t: int, T: int) -> None:
    assert prop4_grid(f, t, T).verdict is Verdict.HOLDS
    c = prop4_error(f, t, T)
    assert c.verdict is Verdict.HOLDS and c.value < Q(1, 2**t * T)


def test_prop4_error_value_by_hand() -> None:
    # f = |x - 1/3|, t = 1, T = 2: f~ - f is 1/2 - 1/3 = 1/6 at 0, and 1/12 after the meeting point
    c = prop4_error("abs(x - 1/3)", 1, 2)
    assert c.value == Q(1, 6) and c.witness == (Q(0),)


def test_prop4_quadratic_by_hand() -> None:
    # f = x^2/2, t = 1, T = 4: grid 1/8.  f(1/4) = 1/32 -> 1/8 (shift 3/32), f(1/2) = 1/8 (0),
    # f(3/4) = 9/32 -> 3/8 (3/32), f(1) = 1/2 (0).  On (0, 1/4] f~ chases up from 0 at slope 1
    # and f~ - f = min(x - x^2/2, 3/32); x - x^2/2 reaches 3/32 at x = 1 - sqrt(13)/4 < 1/4,
    # so the sup is the shift 3/32
    c = prop4_error_quadratic(1, 4)
    assert c.verdict is Verdict.HOLDS and c.value == Q(3, 32)


# -- Theorem 3 ----------------------------------------------------------------------------


def test_cached_pattern_keeps_within_one_over_m() -> None:
    # m = 4, R = (0, 1/2, 1, 1/2, 0): up 2/4 when R - phi > 1/4, down when < -1/4
    # k=1: 1/2 > 1/4 -> up (phi 1/2); k=2: 1 - 1/2 = 1/2 -> up (phi 1); k=3: 1/2 - 1 -> down; k=4: down
    assert cached_pattern([Q(0), Q(1, 2), Q(1), Q(1, 2), Q(0)], 4) == (1, 1, -1, -1)


def test_cached_net_counts_by_hand() -> None:
    # eps = 1/4, log2: m = 1, t = 0, T = 16, grid 1/16.  f = |x - 1/3| rounds up to
    # (6 - i)/16 for i <= 5 and (i - 5)/16 for i >= 6, so f^T has slopes -1 (i < 5), 0 (i = 5),
    # +1 (i > 5): slope changes at the units relu(16x), relu(16x - 5), relu(16x - 6).
    # m = 1: every cached function is 0.  3 hidden units, 3 + 3 weights, depth 2.
    net = cached_net("abs(x - 1/3)", "1/4")
    m = metrics(net)
    assert (m.depth, m.hidden_neurons, m.weights) == (2, 3, 6)
    for i in range(17):
        assert evaluate(net, Q(i, 16))[0] == Q(6 - i if i <= 5 else i - 5, 16)
    # the sup error 1/16 is at x = 1/3, where f = 0 and f^T = 1/16 (flat between 5/16 and 6/16)
    c = thm3_error("abs(x - 1/3)", "1/4", "2")
    assert c.value == Q(1, 16) and c.witness == (Q(1, 3),)


def test_cached_net_interpolates_the_grid_values() -> None:
    # at x = i/T every local coordinate is 0 or 1, where the cached functions vanish, so the
    # network equals f~(i/T) = grid_value(f(i/T)) (computed from f alone)
    f = parse_target("x^2/2")
    net = cached_net(f, "1/64")
    T, t = net.metadata["T"], net.metadata["t"]
    for i in range(T + 1):
        assert evaluate(net, Q(i, T))[0] == grid_value(f(Q(i, T)), t, T)


def test_cached_functions_are_used_on_a_zigzag() -> None:
    # nine nested abs: kinks at the multiples of 1/512, slopes +-1, amplitude 1/512.  On the
    # T = 256 grid f is constant, so the rescaled residual reaches 256 * 1/512 = 1/2 > 1/m = 1/4:
    # some cached function is nonzero and layer 2 exists (depth 3)
    zig = "x"
    for k in range(1, 10):
        zig = f"abs({zig} - 1/{2**k})"
    net = cached_net(zig, "1/256")
    assert net.metadata["m"] == 4 and net.metadata["T"] == 256
    assert metrics(net).depth == 3
    c = thm3_error(zig, "1/256", "2")
    assert c.verdict is Verdict.HOLDS and c.value <= Q(1, 256)


@pytest.mark.parametrize("base", ["2", "e"])
@pytest.mark.parametrize("eps", ["1/16", "1/64"])
def test_theorem3_error_small(eps: str, base: str) -> None:
    for f in ("abs(x - 1/3)", "x^2/2"):
        c = thm3_error(f, eps, base)
        assert c.verdict is Verdict.HOLDS and c.value <= q(eps)


# -- Section 6 / Appendix B ---------------------------------------------------------------

mp.dps = 40


def _mp_ms(lam: float, d: int, n: int, eps: float):  # type: ignore[no-untyped-def]
    th = d + log(3 * n / mp.mpf(eps), 2)
    return log(lam, 2) + 1 / log(2) - log(th) * lam * log(lam, 2) / (lam - 1) ** 2


def test_ms_at_two_against_mpmath() -> None:
    # theta_2 = log2(3 * 2 / (3/8)) = 4 exactly: M_s(2) = 1 + 1/ln 2 - 2 ln 4
    e = ms(2, 1, 1, "3/8")
    ref = q(mp.nstr(1 + 1 / log(2) - 2 * log(4), 35))
    assert abs((e.lo + e.hi) / 2 - ref) < Q(1, 10**25)


@pytest.mark.parametrize("d, n, eps, lam_opt", [(784, 1, "1/100", 6), (3072, 1, "1/100", 7), (1, 1, "1/4", 2)])
def test_lambda_star_against_mpmath(d: int, n: int, eps: str, lam_opt: int) -> None:
    star = lambda_star(d, n, eps)
    ref = q(mp.nstr(findroot(lambda x: _mp_ms(x, d, n, mp.mpf(q(eps).numerator) / q(eps).denominator), 3), 30))
    assert star.lo - Q(1, 10**20) <= ref <= star.hi + Q(1, 10**20)
    assert lambda_opt(d, n, eps) == lam_opt


def test_lambda_star_needs_ms2_negative() -> None:
    # eps = 0.9, d = n = 1: theta_2 = log2(6/0.9) = 2.74 < 3.39, so M_s(2) > 0: no interior minimum
    with pytest.raises(InvalidArgument):
        lambda_star(1, 1, "9/10")


# -- the catalogue and docs/claims.md ---------------------------------------------------


def test_registered_errata_reproduce() -> None:
    for cid in ("ding2019/sec6-eq27", "ding2019/thm3-t-positive/log=2", "ding2019/thm3-t-positive/log=e"):
        (claim,) = [c for c in claims(only=cid) if c.id == cid]
        assert isinstance(claim, Claim) and claim.erratum
        assert run_claim(claim).certificate.verdict is Verdict.VIOLATED


def test_docs_claims_md_lists_exactly_the_registered_claims() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "exactnet", "verify", "--list"], capture_output=True, text=True, check=True,
        cwd=ROOT,
    ).stdout
    listed = {line.split()[0] for line in out.splitlines()[2:] if line.strip()}
    doc = (ROOT / "docs" / "claims.md").read_text()
    documented = set(re.findall(r"^\| `([^`]+)` \|", doc, re.M))
    assert documented == listed, (
        "docs/claims.md is stale: regenerate it with `exactnet verify --markdown > docs/claims.md` "
        f"(missing: {sorted(listed - documented)[:5]}, extra: {sorted(documented - listed)[:5]})"
    )


# -- Theorems 3 and 4: the quantized networks ----------------------------------------------

from exactnet.constructions.ding2019_cached import (  # noqa: E402
    linear_alphabet,
    linear_weight_net,
    quantized_cached_net,
    skeleton_net,
    split_weight,
)
from exactnet.claims.ding2019_cached import TENTS, quantized_alphabet, linear_weight_sizes  # noqa: E402
from exactnet.metrics import distinct_weights  # noqa: E402
from exactnet.supnorm import certify, certify_equal  # noqa: E402


def test_split_weight_by_hand() -> None:
    assert split_weight("5/2") == [1, 1, Q(1, 2)]
    assert split_weight("-1") == [-1]
    assert split_weight("3/4") == [Q(3, 4)]
    assert split_weight(0) == []


@pytest.mark.parametrize("quantization, weights, neurons, depth", [
    # f = x/2, eps = 1/4, log 2: m = 1, t = 0 (sub-networks use t = 1), T = ceil(8/(1/4 * 2)) = 16;
    # f~(i/16) = ceil(16 (i/32)) / 16 = ceil(i/2)/16, so the slopes are 1, 0, 1, 0, ... and the 16
    # slope changes are +1 (i even), -1 (i odd); no cached units (m = 1).  Skeleton: 16 edges x -> u_i
    # of weight 1 and 16 edges u_i -> y of weight +-1.
    # Prop. 3, lambda = 2, t = 1, w = +-1: 2 gate units (2 edges) and two e = 0 chains of one
    # identity step (2 units, 4 edges) read by the output (2 edges): 14 weights, 6 hidden units,
    # depth 3 -> 32 x 14 = 448 weights, 16 + 1 + 32 x 6 = 209 neurons, depth 2 x 3 = 6.
    ("nonlinear", 448, 209, 6),
    # linear, lambda = 2 ({-1, 1/2}): w = 1 is two chains of one unit pair read with 1/2 (2 in, 2 out
    # each: 8 weights, 4 units); w = -1 keeps one unit per chain (1 in, 1 out: 4 weights, 2 units).
    # 16 x 8 + 8 x 8 + 8 x 4 = 224 weights; 16 + 1 + 16 x 4 + 8 x 4 + 8 x 2 = 129 neurons; depth 2 x 2.
    ("linear", 224, 129, 4),
])
def test_quantized_net_counts_by_hand(quantization: str, weights: int, neurons: int, depth: int) -> None:
    net = quantized_cached_net("x/2", "1/4", 2, quantization=quantization)
    m = metrics(net)
    assert (m.weights, len(net.neurons), m.depth) == (weights, neurons, depth)
    # f''(i/16) = f~(i/16) = ceil(i/2)/16
    for i in range(17):
        assert evaluate(net, Q(i, 16))[0] == Q(-(-i // 2), 16)
    # sup |f'' - x/2| = 1/32, at the odd i/16 (f'' is linear in between)
    c = certify(net, "x/2", Interval(0, 1), "1/4")
    assert c.verdict is Verdict.HOLDS and c.value == Q(1, 32)


@pytest.mark.parametrize("lam", [2, 4, 8])
@pytest.mark.parametrize("t", [1, 2, 3, 5])
def test_linear_weight_net_realises_every_multiple_of_2_minus_t(lam: int, t: int) -> None:
    p = lam.bit_length() - 1
    for a in range(-2**t, 2**t + 1):
        net = linear_weight_net(Q(a, 2**t), lam, t)
        # y = (a / 2^t) x, checked at x = 3 * 2^t
        assert evaluate(net, 3 * 2**t)[0] == 3 * a
        assert distinct_weights(net) <= set(linear_alphabet(lam))
        if a:
            # ceil(t / log2 lam) chain layers, then the output
            assert metrics(net).depth == -(-t // p) + 1


def test_linear_weight_net_refuses_lambda_not_a_power_of_two() -> None:
    with pytest.raises(InvalidArgument):
        linear_weight_net("1/2", 3, 2)
    with pytest.raises(InvalidArgument):
        quantized_cached_net("x/2", "1/4", 6, quantization="linear")


@pytest.mark.parametrize("lam, quantization", [(2, "nonlinear"), (3, "nonlinear"), (4, "linear")])
def test_quantized_net_equals_cached_net(lam: int, quantization: str) -> None:
    # an independent route: cached_net builds relu(T x - i) with weights T, 1/T directly
    net = quantized_cached_net(TENTS, "1/64", lam, quantization=quantization)
    assert any(n.startswith("z") for n in skeleton_net(TENTS, "1/64").neurons)  # cached units in use
    assert certify_equal(net, cached_net(TENTS, "1/64"), Interval(0, 1)).verdict is Verdict.HOLDS


def test_quantized_alphabet_readings() -> None:
    # Prop. 3 with lambda = 2 uses only -1/2 and 1/2 (W = {1/2}); the biases -i/T are outside
    c = quantized_alphabet(TENTS, "1/64", 2, "nonlinear", with_biases=False)
    assert c.verdict is Verdict.HOLDS and list(c.details["used"]) == ["-1/2", "1/2"]
    c = quantized_alphabet(TENTS, "1/64", 2, "nonlinear", with_biases=True)
    assert c.verdict is Verdict.VIOLATED and c.details["count"] > 2


def test_linear_weight_sizes_by_hand() -> None:
    # lambda = 2, t = 3, w = 7/8: three chains (e = 1, 2, 3 factors 1/2), each 2 units wide: width 6 > 3;
    # depth = 3 chain layers + output = 4 = ceil(3/1) + 1
    c = linear_weight_sizes(2, 3)
    assert c.verdict is Verdict.VIOLATED
    assert c.details["sizes"]["width"]["counted"] == "6" and c.details["sizes"]["depth"]["counted"] == "4"
