"""exactnet.constructions.ding2019: Propositions 1-3 (and Theorems 1/2) of Ding et al. (ICLR 2019).

Expected values are derived by hand (the comment says how) or computed here with
Fraction arithmetic from the paper's formulas (the interpolant of x^2, eq. (2),
binary expansions), never read from the builders' own size functions.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.constructions.ding2019 import (
    linear_alphabet,
    product_error,
    product_error_exact,
    product_net,
    quantize_weight,
    radix,
    square_error,
    square_net,
    taylor_coefficient,
    theorem1_net,
    theorem1_parameters,
    weight_alphabet,
    weight_net,
)
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.metrics import distinct_weights, metrics
from exactnet.network import Network

from tests.strategies import to_fraction, to_q

SETTINGS = settings(max_examples=30, deadline=None)


def interp_square(x: Fraction, r: int) -> Fraction:
    """The chord of x^2 over the cell [k/2^r, (k+1)/2^r] containing x (x in [0, 1])."""
    n = 2**r
    k = min(int(x * n), n - 1)
    a, b = Fraction(k, n), Fraction(k + 1, n)
    return a * a + (a + b) * (x - a)  # chord of x^2: slope a + b


def value(net: Network, *xs: Fraction) -> Fraction:
    return to_fraction(evaluate(net, [to_q(x) for x in xs])[0])


def layered(net: Network) -> bool:
    """Every edge joins consecutive layers (Section 3 of the paper)."""
    return all(net.depth_of(v) == net.depth_of(u) + 1 for u, v, _ in net.edges())


# -- Proposition 1 ---------------------------------------------------------------------


@pytest.mark.parametrize("r", [1, 2, 3])
def test_square_grid_and_midpoints(r: int) -> None:
    n = 2**r
    net = square_net(r)
    for k in range(2 * n + 1):  # nodes (exact squares) and midpoints (chords)
        x = Fraction(k, 2 * n)
        assert value(net, x) == interp_square(x, r)
    assert value(net, Fraction(0)) == 0  # Prop. 1 (i)


@SETTINGS
@given(st.fractions(min_value=0, max_value=1, max_denominator=500), st.integers(1, 4))
def test_square_is_the_interpolant(x: Fraction, r: int) -> None:
    assert value(square_net(r), x) == interp_square(x, r)


def test_square_sizes_by_hand() -> None:
    # r = 1: layers input(4) | B_m 8 + B_g 12 | chain s1, s2 | output: depth 5, width 20;
    # weights 4 (x -> input) + 20 x 4 (core reads the input block) + 20 (s1 reads
    # B_m and B_g) + 1 (s1 -> s2) + 1 (s2 -> y) = 106; neurons 4 + 20 + 2 + 1 = 27.
    m = metrics(square_net(1))
    assert (m.depth, m.width, m.weights, m.neurons) == (5, 20, 106, 27)
    # r = 2 adds one core layer (B_m reads 8 + 12, B_g reads 12: 8*20 + 12*12 = 304
    # weights, 20 neurons) and two chain units (2 weights): 412 weights, 49 neurons, depth 8
    m = metrics(square_net(2))
    assert (m.depth, m.width, m.weights, m.neurons) == (8, 20, 412, 49)
    for r in (1, 2, 3):
        net = square_net(r)
        assert layered(net)
        assert distinct_weights(net) == {to_q(Fraction(1, 2)), to_q(Fraction(-1, 2))}
        assert distinct_weights(net, with_biases=True) == distinct_weights(net)


def test_square_error_values() -> None:
    assert square_error(1) == to_q(Fraction(1, 16)) and square_error(2) == to_q(Fraction(1, 64))
    with pytest.raises(InvalidArgument):
        square_net(0)


# -- Proposition 2 ---------------------------------------------------------------------


def product_formula(x: Fraction, y: Fraction, r: int) -> Fraction:
    """eq. (2): 2 (f(|x+y|/2) - f(|x|/2) - f(|y|/2)) with f the interpolant."""
    return 2 * (interp_square(abs(x + y) / 2, r) - interp_square(abs(x) / 2, r) - interp_square(abs(y) / 2, r))


@pytest.mark.parametrize("r", [1, 2])
def test_product_on_a_grid(r: int) -> None:
    net = product_net(r)
    pts = [Fraction(k, 8) for k in range(-8, 9)]
    for x in pts:
        for y in pts[::3]:
            assert value(net, x, y) == product_formula(x, y, r)
        assert value(net, x, Fraction(0)) == 0 and value(net, Fraction(0), x) == 0  # (i)


def test_product_worst_case_by_hand() -> None:
    # x = y = 2^-r: |x|/2 = 2^(-r-1) is a cell midpoint (error E = 4^-(r+1) above x^2),
    # |x+y|/2 = 2^-r is a node (no error): x' - xy = 2 (0 - E - E) = -4 E.
    for r in (1, 2, 3):
        x = Fraction(1, 2**r)
        E = Fraction(1, 4 ** (r + 1))
        assert value(product_net(r), x, x) - x * x == -4 * E
        assert product_error_exact(r) == to_q(4 * E) and product_error(r) == to_q(6 * E)


def test_product_sizes_by_hand() -> None:
    # r = 1: B_abs 3 x 4 units (16 weights: x+y units read two inputs), three cores of
    # 20 units reading 4 B_abs units (240), three chains of 1 unit reading 20 (60),
    # output reads 3: 319 weights; depth 4 (abs, core, chain, out); width 60.
    m = metrics(product_net(1))
    assert (m.depth, m.width, m.weights) == (4, 60, 319)
    assert layered(product_net(2))
    assert metrics(product_net(2)).distinct_weights_with_biases == 2


# -- Proposition 3 ---------------------------------------------------------------------


def test_radix_and_alphabet() -> None:
    # b^(lam-1) >= t, b >= 2: t = 9, lam = 3 -> 3; t = 10 -> 4; lam = 2 -> b = t
    assert (radix(3, 9), radix(3, 10), radix(2, 7), radix(5, 16)) == (3, 4, 7, 2)
    # eq. (4) with b = 2, lam = 4: -1/2, 2^-1, 2^-2, 2^-4
    assert [to_fraction(v) for v in weight_alphabet(4, 8)] == [
        Fraction(-1, 2), Fraction(1, 2), Fraction(1, 4), Fraction(1, 16)]


def test_quantize_weight_by_hand() -> None:
    # 1/3 * 8 = 2.67 -> 3/8; 3/16 * 8 = 1.5 -> tie, towards zero: 1/8; 1 -> 1
    assert [to_fraction(quantize_weight(w, 3)) for w in ("1/3", "3/16", "1", "-1/3")] == [
        Fraction(3, 8), Fraction(1, 8), Fraction(1), Fraction(-3, 8)]
    with pytest.raises(InvalidArgument):
        quantize_weight("3/2", 3)


@SETTINGS
@given(
    st.fractions(min_value=-1, max_value=1, max_denominator=1000),
    st.integers(2, 5),
    st.integers(1, 7),
    st.fractions(min_value=-4, max_value=4, max_denominator=50),
)
def test_weight_net_is_a_connection(w: Fraction, lam: int, t: int, x: Fraction) -> None:
    net = weight_net(to_q(w), lam, t)
    wq = Fraction(str(net.metadata["w_realised"]))
    assert abs(wq - w) <= Fraction(1, 2 ** (t + 1))  # nearest multiple of 2^-t
    assert (wq * 2**t).denominator == 1
    assert value(net, x) == wq * x
    assert len(distinct_weights(net, with_biases=True)) <= lam
    assert set(distinct_weights(net)) <= set(weight_alphabet(lam, t))
    assert layered(net)


def test_weight_net_sizes_by_hand() -> None:
    # w = 3/4, lam = 2, t = 2: b = 2, chains of L = 1 step; 2 w' = 3/2 = 2^0 + 2^-1:
    # per sign a gate of 2 units (2 weights), an identity chain for 2^0 (4 + 2 out) and a
    # x1/2 chain for 2^-1 (2 + 2 out): 12 weights, x 2 signs = 24; depth 3; width 8.
    m = metrics(weight_net("3/4", 2, 2))
    assert (m.depth, m.width, m.weights, m.neurons) == (3, 8, 24, 13)
    # w = 1/8, t = 3, lam = 2 (b = 3, L = 2): 2w' = 2^-2, one chain of two x1/2 steps:
    # per sign 2 + 2 + 2 + 2 = 8 weights; unsigned input: 8
    m = metrics(weight_net("1/8", 2, 3, signed_input=False))
    assert (m.depth, m.weights) == (4, 8)
    # w' = 0: the empty sub-network
    zero = weight_net("1/100", 2, 3)
    assert value(zero, Fraction(5)) == 0 and metrics(zero).weights == 0


@SETTINGS
@given(
    st.fractions(min_value=-1, max_value=1, max_denominator=1000),
    st.sampled_from([2, 4, 8]),
    st.integers(1, 7),
    st.fractions(min_value=-4, max_value=4, max_denominator=50),
)
def test_linear_weight_net(w: Fraction, lam: int, t: int, x: Fraction) -> None:
    # Theorem 2's B_w: the same w' (nearest multiple of 2^-t), weights on {-1, i/lam}
    net = weight_net(to_q(w), lam, t, quantization="linear")
    wq = Fraction(str(net.metadata["w_realised"]))
    assert abs(wq - w) <= Fraction(1, 2 ** (t + 1))
    assert value(net, x) == wq * x
    grid = {Fraction(-1)} | {Fraction(i, lam) for i in range(1, lam)}
    assert {to_fraction(v) for v in distinct_weights(net, with_biases=True)} <= grid
    assert layered(net)


def test_linear_alphabet_and_refusals() -> None:
    assert [to_fraction(v) for v in linear_alphabet(4)] == [Fraction(-1), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4)]
    with pytest.raises(InvalidArgument):
        weight_net("1/3", 3, 4, quantization="linear")  # 2^-k is not a product of i/3
    with pytest.raises(InvalidArgument):
        theorem1_net({(2,): "1/2"}, d=1, n=1, N=6, lam=2)  # N not a power of 2


# -- Theorems 1 and 2 ------------------------------------------------------------------


def hat(x: Fraction) -> Fraction:
    """h of eq. (11)."""
    a = abs(x)
    return Fraction(1) if a <= 1 else (2 - a if a < 2 else Fraction(0))


def nearest(v: Fraction, step: Fraction) -> Fraction:
    """Nearest multiple of step, ties towards zero."""
    k = abs(v) / step
    a = int(k) + (1 if k - int(k) > Fraction(1, 2) else 0)
    return a * step if v >= 0 else -a * step


def test_taylor_and_parameters_by_hand() -> None:
    # f = x^2/2 at 1/4: f = 1/32, f' = 1/4, f''/2 = 1/2
    assert [to_fraction(taylor_coefficient({(2,): "1/2"}, (k,), ["1/4"])) for k in range(3)] == [
        Fraction(1, 32), Fraction(1, 4), Fraction(1, 2)]
    # f = x1 x2 at (1/2, 1/3): d/dx1 = x2 = 1/3
    assert to_fraction(taylor_coefficient({(1, 1): 1}, (1, 0), ["1/2", "1/3"])) == Fraction(1, 3)
    # d = 1, n = 2, N = 4: eps = 3 * 2 * (1/4)^2 = 3/8; r = log4(6 * 16 * 2 = 192) - 1 = 2.79...
    # so 3 (ceil) or 2 (floor); t = log2(2 * 16) = 5 exactly
    p = theorem1_parameters(1, 2, 4)
    assert (to_fraction(p["eps"]), p["r"], p["t"], p["r_integral"], p["t_integral"]) == (
        Fraction(3, 8), 3, 5, False, True)
    assert theorem1_parameters(1, 2, 4, rounding="floor")["r"] == 2


def test_theorem1_d1_n1_is_the_partition_of_unity_sum() -> None:
    # n = 1, d = 1: f' = sum_m beta_m h(3N x - 3m), beta_m = f(m/N) rounded to 1/N = 2^-t
    N = 8
    net = theorem1_net({(2,): "1/2"}, d=1, n=1, N=N, lam=3)
    assert layered(net)
    betas = [nearest(Fraction(m * m, 2 * N * N), Fraction(1, N)) for m in range(N + 1)]
    for k in range(0, 49):
        x = Fraction(k, 48)
        want = sum(b * hat(3 * N * x - 3 * m) for m, b in enumerate(betas))
        assert value(net, x) == want
    assert len(distinct_weights(net)) <= 3


def test_theorem1_d1_n2_matches_eq14_with_products() -> None:
    # f' = sum_m beta_m0 h_m + beta_m1 x'(h_m, x - m/N), x' from eq. (2) with the interpolant
    N = 4
    net = theorem1_net({(2,): "1/2"}, d=1, n=2, N=N, lam=2, rounding="floor")
    r = net.metadata["r"]
    assert r == 2
    for k in range(0, 33, 3):
        x = Fraction(k, 32)
        want = Fraction(0)
        for m in range(N + 1):
            h = hat(3 * N * x - 3 * m)
            b0 = nearest(Fraction(m * m, 2 * N * N), Fraction(1, 2 * N * N))  # step (1/n)(d/N)^2
            b1 = nearest(Fraction(m, N), Fraction(1, 2 * N))                    # step (1/n)(d/N)
            want += b0 * h + b1 * product_formula(h, x - Fraction(m, N), r)
        assert value(net, x) == want


def test_theorem1_d2_matches_the_formula() -> None:
    # d = 2, n = 1, N = 4 (t = log2(N/2) = 1): f' = sum_m beta_m x'(h_m1(x1), h_m2(x2)), f = x1 x2 / 2
    N = 4
    net = theorem1_net({(1, 1): "1/2"}, d=2, n=1, N=N, lam=2, rounding="floor")
    r = net.metadata["r"]
    for x1, x2 in [(Fraction(1, 3), Fraction(3, 4)), (Fraction(5, 8), Fraction(1, 7)), (Fraction(1), Fraction(1, 2))]:
        want = Fraction(0)
        for m1 in range(N + 1):
            for m2 in range(N + 1):
                beta = nearest(Fraction(m1 * m2, 2 * N * N), Fraction(2, N))  # step (d/N)^1 = 2^-t
                want += beta * product_formula(hat(3 * N * x1 - 3 * m1), hat(3 * N * x2 - 3 * m2), r)
        assert value(net, x1, x2) == want


def test_theorem2_uses_the_linear_b_w() -> None:
    net = theorem1_net({(2,): "1/2"}, d=1, n=1, N=8, lam=4, quantization="linear")
    # -1 and 1/4 come from the linear B_w; +-1/2 from B_abs/B_s/B_h (as in Theorem 1)
    assert {to_fraction(v) for v in distinct_weights(net)} == {
        Fraction(-1), Fraction(-1, 2), Fraction(1, 2), Fraction(1, 4)}
    N = 8
    betas = [nearest(Fraction(m * m, 2 * N * N), Fraction(1, N)) for m in range(N + 1)]
    for k in range(0, 17):
        x = Fraction(k, 16)
        assert value(net, x) == sum(b * hat(3 * N * x - 3 * m) for m, b in enumerate(betas))
