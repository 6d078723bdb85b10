"""Tests for exactnet.regimes (approximants of 1-Lipschitz targets at a given precision, exact errors)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.numbers import Interval, Q
from exactnet.quantize import Alphabet, outside
from exactnet.reals import enclose
from exactnet.regimes import (
    TARGETS,
    RegimePoint,
    approximant_net,
    classify,
    interpolant,
    memory_lower_bound,
    regime_point,
    regime_table,
    zigzag,
)
from exactnet.targets import as_target


@pytest.mark.parametrize("depth", [1, 3, 5])
def test_zigzag_has_2_to_the_depth_unit_slope_pieces(depth: int) -> None:
    f = as_target(zigzag(depth)).to_pwl(Interval(0, 1)).canonical()
    assert f.pieces == 2**depth
    assert set(f.slopes) == {Q(1), Q(-1)}
    # the teeth have height 2^-depth: the zigzag is 0 at odd multiples of 2^-depth
    assert f(Q(1, 2**depth)) == 0 and f(0) == Q(1, 2**depth)


def test_interpolant_nodes() -> None:
    p = interpolant("abs(x - 1/3)", 4)
    # |i/4 - 1/3| for i = 0..4: 1/3, 1/12, 1/6, 5/12, 2/3
    assert list(p.ys) == [Q(1, 3), Q(1, 12), Q(1, 6), Q(5, 12), Q(2, 3)]
    s = interpolant("sin(x)", 2)
    lo, _hi = enclose(as_target("sin(x)").expr, Q(1, 2))
    assert abs(s(Q(1, 2)) - lo) <= Q(1, 2**47)


@pytest.mark.parametrize("bits", [3, 5, 9])
def test_rounded_numbers_are_in_the_alphabet(bits: int) -> None:
    net = approximant_net(TARGETS["sin"], 8, bits)
    assert outside(net, Alphabet.fixed_point(bits, frac_bits=bits - 3)) == ()


@pytest.mark.parametrize("N", [1, 2, 3, 4, 5, 8])
def test_exact_error_of_the_abs_interpolant(N: int) -> None:
    # the kink 1/3 lies in the cell [k/N, (k+1)/N]; the chord there is above 0 by
    # (1/3 - a) f(b)/(b - a) + (b - 1/3) f(a)/(b - a) with a = k/N, b = (k+1)/N (0 if 1/3 is a node)
    a = Q(int(Q(N, 3)), N)
    b = a + Q(1, N)
    third = Q(1, 3)
    expected = (
        0
        if a == third
        else ((third - a) * (b - third) + (b - third) * (third - a)) / (b - a)
    )
    p = regime_point("abs", N, None)
    assert p.exact and p.error == expected
    assert p.error <= Q(1, 2 * N)  # 1-Lipschitz: the interpolant is within h/2


def test_sin_error_is_an_upper_enclosure_end() -> None:
    p = regime_point("sin", 8, None)
    assert not p.exact
    net = approximant_net(TARGETS["sin"], 8, None)
    lo, hi = enclose(as_target("sin(x)").expr, p.witness)
    n = evaluate(net, p.witness)[0]
    assert max(abs(n - lo), abs(n - hi)) <= p.error + Q(1, 10**20)
    # sin is 1-Lipschitz with |sin''| <= 1: the interpolation error is <= h^2/8 = 1/512 (plus the 2^-48 rounding)
    assert p.error <= Q(1, 512) + Q(1, 2**47)


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(["abs", "zigzag-32"]), st.sampled_from([2, 4, 16]))
def test_many_bits_recover_the_unrounded_error(target: str, N: int) -> None:
    exact = regime_point(target, N, None).error
    fine = regime_point(target, N, 30).error
    # every number moves by <= 2^-28; the network has <= 2N + 2 of them on [0, 1]: crude bound 4N 2^-28 per unit x
    assert abs(fine - exact) <= Q(8 * N, 2**28)


def test_classify_by_hand() -> None:
    def pt(N: int, b: int | None, e: str) -> RegimePoint:
        return RegimePoint("t", N, b, 1, None if b is None else b, Q(e), True, Q(0))

    pts = [
        pt(8, None, "1/16"),
        pt(8, 3, "1/2"),
        pt(8, 4, "1/8"),
        pt(8, 5, "1/16"),
        pt(8, 6, "1/16"),
    ]
    # 1/2 > 2 * 1/16: under; 1/8 = 2 * 1/16 is not above it: proper; then over
    assert classify(pts) == {
        (8, 3): "under",
        (8, 4): "proper",
        (8, 5): "over",
        (8, 6): "over",
    }
    with pytest.raises(InvalidArgument):
        classify(pts[1:])


def test_table_shape_and_memory() -> None:
    rows = regime_table("zigzag-32", [4, 8], [4, 6])
    assert [(r.pieces, r.bits) for r in rows] == [
        (4, None),
        (4, 4),
        (4, 6),
        (8, None),
        (8, 4),
        (8, 6),
    ]
    for r in rows:
        if r.bits is not None:
            assert r.memory_bits == r.numbers * r.bits


def test_memory_lower_bound() -> None:
    # n = M + 1 hats of height 1/(2n): M = 0 gives 1/2, M = 9 gives 1/20
    assert memory_lower_bound(0) == Q(1, 2) and memory_lower_bound(9) == Q(1, 20)
    with pytest.raises(InvalidArgument):
        memory_lower_bound(-1)


def test_bad_arguments() -> None:
    with pytest.raises(InvalidArgument):
        approximant_net("abs(x)", 4, 2)
    with pytest.raises(InvalidArgument):
        interpolant("abs(x)", 0)
    with pytest.raises(InvalidArgument):
        zigzag(0)


def test_regime_claims_hold() -> None:
    from exactnet.catalogue import claims, run_claim
    from exactnet.certificate import Verdict

    found = claims(only="ou2024-regimes/")
    assert len(found) == 12
    for claim in found:
        assert run_claim(claim).certificate.verdict is Verdict.HOLDS, claim.id
