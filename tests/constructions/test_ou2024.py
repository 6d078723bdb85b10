"""exactnet.constructions.ou2024: bit extraction networks, classic and refined.

The expected bits are computed here with Python's own binary formatting of k,
not with the module's helpers; sizes are hand counts (see the comments).
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.certificate import Verdict
from exactnet.constructions.ou2024 import (
    bit_extraction_net,
    bit_extraction_refined_net,
    bit_extraction_refined_sizes,
    bit_extraction_sizes,
    bits_of,
)
from exactnet.counts import certify_sizes
from exactnet.evaluate import evaluate, evaluate_batch
from exactnet.exceptions import InvalidArgument
from exactnet.metrics import distinct_weights, metrics
from exactnet.numbers import Interval, Q
from exactnet.pwl import PiecewiseLinear, to_pwl
from exactnet.smt import prove_outputs_on_grid
from exactnet.supnorm import certify_equal

BUILDERS = [bit_extraction_net, bit_extraction_refined_net]


def binary(k: int, n: int) -> list[int]:
    """The bits of k, most significant first, from Python's string formatting."""
    return [int(c) for c in format(k, f"0{n}b")]


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("n", range(1, 11))
def test_every_grid_point(build, n: int) -> None:  # type: ignore[no-untyped-def]
    net = build(n)
    xs = [Q(k, 2**n) for k in range(2**n)]
    got = evaluate_batch(net, xs)
    for k, ys in enumerate(got):
        assert [int(y) for y in ys] == binary(k, n) and all(y in (0, 1) for y in ys)


def test_bits_of() -> None:
    assert bits_of(6, 4) == (0, 1, 1, 0) and bits_of(0, 1) == (0,)
    with pytest.raises(InvalidArgument):
        bits_of(16, 4)


@pytest.mark.parametrize("bad", [0, -1, 65, 2.0, True, "3"])
def test_bad_n(bad: object) -> None:
    for build in BUILDERS:
        with pytest.raises(InvalidArgument):
            build(bad)  # type: ignore[arg-type]


def test_sizes_n2_by_hand() -> None:
    # n = 2: layer 1: x -> u1, v1, p1 (3 edges); layer 2: c1 from u1, v1 (2) and u2, v2 from
    # p1, u1, v1 (6): 8; output: b1 = c1 (1), b2 = 2 u2 - 2 v2 (2): 3.  14 weights, depth 3,
    # widths 3 and 3; the residual weight 1/ramp = 4 is the largest.
    m = metrics(bit_extraction_net(2))
    assert (m.depth, m.width, m.weights, m.max_magnitude) == (3, 3, 14, Q(4))


@pytest.mark.parametrize("n", range(1, 13))
def test_sizes_against_formulas(n: int) -> None:
    c = certify_sizes(bit_extraction_net(n), bit_extraction_sizes(n), claim=f"classic n={n}")
    assert c.verdict is Verdict.HOLDS
    c = certify_sizes(bit_extraction_refined_net(n), bit_extraction_refined_sizes(n), claim=f"refined n={n}")
    assert c.verdict is Verdict.HOLDS


def test_refined_alphabet() -> None:
    for n in (1, 2, 5, 9):
        assert sorted(distinct_weights(bit_extraction_refined_net(n))) == [Q(-2), Q(1), Q(2)]


def test_classic_precision_grows() -> None:
    # the first threshold's slope is 2^n, so the largest weight doubles with each bit
    assert [metrics(bit_extraction_net(n)).max_magnitude for n in (3, 4, 5)] == [8, 16, 32]


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_first_bit_between_grid_points(n: int) -> None:
    # b_1 = 2^n (relu(x - 1/2 + 2^-n) - relu(x - 1/2)): 0 up to 1/2 - 2^-n, a ramp to 1 at 1/2,
    # then 1 up to x = 1 (for n = 1 the ramp starts at 0)
    f = to_pwl(bit_extraction_net(n), Interval(0, 1), output=0).canonical()
    lo = Q(1, 2) - Q(1, 2**n)
    xs = [Q(0), lo, Q(1, 2), Q(1)] if lo > 0 else [Q(0), Q(1, 2), Q(1)]
    ys = [Q(0), Q(0), Q(1), Q(1)] if lo > 0 else [Q(0), Q(1), Q(1)]
    assert f == PiecewiseLinear(xs, ys).canonical()


def test_last_bit_n2_is_the_interpolant() -> None:
    # n = 2: r_1 = 2x - b_1; on [0, 1/4] r_1 = 2x, b_2 = 2 r_1 = 4x; on [1/4, 1/2] b_1 = 4x - 1,
    # r_1 = 1 - 2x, b_2 = 2 - 4x; on [1/2, 3/4] r_1 = 2x - 1, b_2 = 4x - 2; on [3/4, 1]
    # r_1 >= 1/2 and b_2 = 1
    f = to_pwl(bit_extraction_net(2), Interval(0, 1), output=1).canonical()
    xs = [Q(0), Q(1, 4), Q(1, 2), Q(3, 4), Q(1)]
    assert f == PiecewiseLinear(xs, [Q(0), Q(1), Q(0), Q(1), Q(1)]).canonical()


@pytest.mark.parametrize("n", range(1, 7))
def test_refined_is_the_same_function(n: int) -> None:
    """The doublings only rescale the ramps: the refined network equals the classic one on [0, 1]."""
    for j in range(n):
        a = to_pwl(bit_extraction_net(n), Interval(0, 1), output=j)
        b = to_pwl(bit_extraction_refined_net(n), Interval(0, 1), output=j)
        assert a.canonical() == b.canonical()
    assert certify_equal(bit_extraction_net(n), bit_extraction_refined_net(n), Interval(0, 1)).verdict is Verdict.HOLDS


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.fractions(min_value=0, max_value=1, max_denominator=500))
def test_pwl_agrees_with_evaluate(n: int, x: Fraction) -> None:
    net = bit_extraction_net(n)
    xq = Q(x.numerator, x.denominator)
    ys = evaluate(net, xq)
    for j in range(n):
        assert to_pwl(net, Interval(0, 1), output=j)(xq) == ys[j]
        assert 0 <= ys[j] <= 1


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("n", [1, 3, 5])
def test_z3_route(build, n: int) -> None:  # type: ignore[no-untyped-def]
    # z3 integer arithmetic: bit j of k is (k div 2^(n-j)) mod 2
    c = prove_outputs_on_grid(
        build(n), 2**n, 2**n - 1,
        lambda k: [(k / 2 ** (n - j)) % 2 for j in range(1, n + 1)],
        lambda k: [Q(b) for b in binary(k, n)],
        f"bits n={n}",
    )
    assert c.verdict is Verdict.HOLDS


def test_z3_route_catches_a_wrong_claim() -> None:
    # claim the bits in reverse order: k = 1 (bits 0, 0, 1) already refutes it
    n = 3
    c = prove_outputs_on_grid(
        bit_extraction_net(n), 2**n, 2**n - 1,
        lambda k: [(k / 2 ** (j - 1)) % 2 for j in range(1, n + 1)],
        lambda k: [Q(b) for b in reversed(binary(k, n))],
        "reversed bits",
    )
    assert c.verdict is Verdict.VIOLATED
    k = int(c.witness[0])
    assert binary(k, n) != list(reversed(binary(k, n)))


def test_claim_helpers_can_fail() -> None:
    """The equality check behind the catalogue claims detects a changed network (exact witness)."""
    from exactnet.claims.ou2024 import sum_abs_difference
    from exactnet.quantize import snap

    N = bit_extraction_net(4)
    R, _ = snap(N, 3)  # the bias -1/2 + 1/16 of the last ramps moves to -1/2: bits change
    c = certify_equal(sum_abs_difference(N, R), "0", Interval(0, 1))
    assert c.verdict is Verdict.VIOLATED
    x = c.witness[0]
    assert evaluate(N, x) != evaluate(R, x)


def test_transition_zones_by_hand() -> None:
    from exactnet.claims.ou2024 import transition_zones

    # n = 2 (see test_last_bit_n2_is_the_interpolant): b_1 ramps on [1/4, 1/2]; b_2 is strictly
    # between 0 and 1 on (0, 3/4) except at the grid points, so its zone is [0, 3/4]
    assert transition_zones(2, 1) == ((Q(1, 4), Q(1, 2)),)
    assert transition_zones(2, 2) == ((Q(0), Q(3, 4)),)
