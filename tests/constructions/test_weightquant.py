"""Tests for the seed-003 appendix constructions (exactnet.constructions.weightquant) and their claims."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exactnet.catalogue import claims, run_claim
from exactnet.certificate import Verdict
from exactnet.claims.weightquant import (
    algorithm1_check,
    algorithm2_check,
    lemma1_printed,
    lemma2_printed,
    lemma2_repaired,
    lemma3_check,
    theorem4_jump,
    theorem4_step,
    theorem5_check,
)
from exactnet.constructions.weightquant import (
    OMEGA,
    algorithm1,
    algorithm1_repaired,
    algorithm2,
    identity_width2_net,
    lemma3_with_algorithm1,
    product_net,
    reciprocal_sup_error,
    square_odd_net,
    square_sum_net,
    theorem5_delta,
    width1_counterexample,
    width1_net,
)
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.metrics import metrics
from exactnet.numbers import Q, q

small = st.fractions(min_value=-5, max_value=5, max_denominator=7)


# -- Lemma 1 ---------------------------------------------------------------------------


def test_omega_is_minus_one() -> None:
    # x = omega * relu(omega * x) at x = -1 needs omega * relu(-omega) = -1; omega = -1 gives -1 * 1
    assert OMEGA == -1
    assert evaluate(width1_net(OMEGA, OMEGA), -1)[0] == -1


@given(small, small, small, small)
def test_every_width1_net_misses_the_identity_somewhere(
    a: Fraction, b: Fraction, c: Fraction, d: Fraction
) -> None:
    x = width1_counterexample(a, b, c, d)
    assert evaluate(width1_net(a, b, c, d), x)[0] != x


@given(st.fractions(min_value=-1000, max_value=1000))
def test_width2_identity_is_exact(x: Fraction) -> None:
    assert evaluate(identity_width2_net(), x)[0] == q(x)


def test_lemma1_printed_counterexamples() -> None:
    # relu(x) at x = -1 is 0, not -1; -relu(-x) at x = 1 is 0, not 1
    assert lemma1_printed(1).witness == (Q(-1),)
    assert lemma1_printed(-1).witness == (Q(1),)


# -- Lemma 2 and Algorithm 1 ----------------------------------------------------------


def test_lemma2_printed_is_constant() -> None:
    # every unit of the printed formula gets the constant 2i - 1: 1 + 3 + 5 + 7 = 16 for K = 4
    assert {evaluate(square_sum_net(4), x)[0] for x in (-3, 0, "1/2", 4)} == {Q(16)}
    c = lemma2_printed(4)
    assert c.verdict is Verdict.VIOLATED and c.witness == (Q(0),) and c.value == 16


def test_odd_sum_square_on_integers_and_between() -> None:
    S = square_odd_net(5)
    assert [evaluate(S, k)[0] for k in range(7)] == [
        0,
        1,
        4,
        9,
        16,
        25,
        25,
    ]  # stays 25 past K = 5
    # between 1 and 2 the indicator relu(x - 1) - relu(x - 2) ramps: S(3/2) = 1 + 3 * 1/2 = 5/2
    assert evaluate(S, "3/2")[0] == Q(5, 2)
    assert lemma2_repaired(20, symmetric=True).verdict is Verdict.HOLDS
    m = metrics(square_odd_net(6, symmetric=True))
    assert (m.depth, m.width) == (2, 24)  # two layers, 2 units per i, both signs: 4K


def test_algorithm1_as_printed_by_hand() -> None:
    # 2 = 10b: bit 1 set when x has become 1, adds 1 << 1 = 2; 3 = 11b: 3 << 0 + 1 << 1 = 5;
    # 6 = 110b: 3 << 1 + 1 << 2 = 10
    assert [algorithm1(x) for x in (0, 1, 2, 3, 6, -3)] == [0, 1, 2, 5, 10, 5]
    assert algorithm1(4) == 4  # a power of two 2^j gives 2^j, not 4^j
    c = algorithm1_check(10)
    assert c.verdict is Verdict.VIOLATED and c.witness == (Q(2),)


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_algorithm1_repaired_squares(x: int) -> None:
    assert algorithm1_repaired(x) == x * x


def test_algorithm1_rejects_non_integers() -> None:
    with pytest.raises(InvalidArgument):
        algorithm1("3")  # type: ignore[arg-type]


# -- Lemma 3 -----------------------------------------------------------------------------


@given(st.integers(min_value=-5, max_value=5), st.integers(min_value=-5, max_value=5))
def test_product_net_on_integers(a: int, b: int) -> None:
    assert evaluate(product_net(5), [a, b])[0] == a * b


def test_lemma3_with_algorithm1_by_hand() -> None:
    # S(2) = 2, S(0) = 0: (2 - 0) >> 2 = 0 instead of 1
    assert lemma3_with_algorithm1(1, 1) == 0
    assert lemma3_check(2).verdict is Verdict.HOLDS
    c = lemma3_check(2, with_algorithm1=True)
    # first line x2 = -2, first x1 = -2: S(-4) = S(4) = 4 (Algorithm 1), S(0) = 0, 4 >> 2 = 1, not 4
    assert (
        c.verdict is Verdict.VIOLATED
        and c.witness == (Q(-2),)
        and c.details["x2"] == -2
    )
    assert c.details["expected_value"] == "1" and c.details["network_value"] == "4"


# -- Lemma 4 and Algorithm 2 -------------------------------------------------------------


def test_algorithm2_by_hand() -> None:
    # x = 1/2, y = 1/2: as printed (3/2)(1 + 1/16) = 51/32; repaired (3/2)(1 + 1/4) = 15/8
    assert algorithm2("1/2", 1) == Q(51, 32)
    assert algorithm2("1/2", 1, repaired=True) == Q(15, 8)
    # at x = 1 every factor is 1 + 0: D = 1 = 1/x either way
    assert algorithm2(1, 5) == 1 == algorithm2(1, 5, repaired=True)


def test_algorithm2_limit_is_wrong() -> None:
    # printed product over j >= 2 tends to 1/(x (1 + y^2)) = 8/5 at x = 1/2; the error stays >= 2/5
    for m in range(1, 6):
        assert 2 - algorithm2("1/2", m) > Q(2, 5)
    c = algorithm2_check(3, "2/5")
    assert c.verdict is Verdict.VIOLATED


@pytest.mark.parametrize("m", [1, 2, 3])
def test_repaired_product_error_matches_closed_form(m: int) -> None:
    # independent route: telescoping gives 1/x - D_m = y^(2^(m+1)) / x; supnorm's exact sup must agree
    value, at = reciprocal_sup_error("1/2", "3/2", m)
    assert value == Q(1, 2) ** (2 ** (m + 1)) * 2 and at == Q(1, 2)
    c = algorithm2_check(m, value, repaired=True)
    assert c.verdict is Verdict.HOLDS and c.value == value
    assert 1 / at - algorithm2(at, m, repaired=True) == value


def test_reciprocal_domain_checked() -> None:
    with pytest.raises(InvalidArgument):
        reciprocal_sup_error(0, 1, 2)


# -- Theorems 4 and 5 ----------------------------------------------------------------------


def test_theorem4_proof_step_counterexample() -> None:
    c = theorem4_step()
    assert c.verdict is Verdict.VIOLATED and c.witness == (Q(0),) and c.value == 1


def test_theorem4_jump_enclosure() -> None:
    # 2/3 - exp(-1/3): exp(-1/3) <= 1 - 1/3 + 1/18 (alternating series), so the value lies in [-1/18, 0)
    c = theorem4_jump()
    assert c.verdict is Verdict.HOLDS
    assert Q(-1, 18) <= c.value.lo and c.value.hi < 0


def test_theorem5_delta_by_hand() -> None:
    # N_w = 2, L = 1, n = 2: a = 4; Delta = 2 [1 * 1 * ||x|| + 1 * 4/3 * 3/9] = 2 ||x|| + 8/9
    assert theorem5_delta(1, 2, 1, 2) == 2 + Q(8, 9)
    with pytest.raises(InvalidArgument):
        theorem5_delta(1, 1, 1, 1)


def test_theorem5_inequality_holds_loosely() -> None:
    c = theorem5_check(3)
    assert c.verdict is Verdict.HOLDS
    # a = N_w n = 6: Delta = 2 [3 * 36 * 1 + 3 * 216/5 * 215/25] = 2 (108 + 3*216*43/25); R = 1/8
    bound = theorem5_delta(1, 2, 3, 3) * Q(1, 8)
    assert bound == Q(2 * (108 * 25 + 3 * 216 * 43), 25 * 8)
    assert 0 < c.value < bound


# -- the catalogue ---------------------------------------------------------------------------


def test_every_weightquant_claim_reproduces_its_finding() -> None:
    found = claims(only="weightquant/")
    assert len(found) >= 20
    for claim in found:
        v = run_claim(claim).certificate.verdict
        assert v is (Verdict.VIOLATED if claim.erratum else Verdict.HOLDS), claim.id
