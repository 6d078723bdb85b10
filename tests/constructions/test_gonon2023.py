"""Tests for exactnet.constructions.gonon2023 (perturbations, Lipschitz bound, quantization) and its claims."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.catalogue import claims, run_claim
from exactnet.certificate import Verdict
from exactnet.claims.gonon2023 import (
    example_nets,
    guaranteed_quantization,
    perturbation_check,
    rounding_check,
)
from exactnet.compose import affine_combination
from exactnet.constructions.gonon2023 import (
    layer_widths,
    lipschitz_bound,
    parameter_bound,
    parameters,
    perturb,
    perturbation_sup,
    quantization_step,
    quantize_uniform,
    search_sign_perturbation,
    sign_perturbations,
    with_parameters,
    worst_sign_perturbation,
)
from exactnet.constructions.yarotsky2017 import tent_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.network import Network
from exactnet.numbers import Interval, Q, q
from exactnet.supnorm import sup_error

small = st.fractions(min_value=-2, max_value=2, max_denominator=6)


def net_from(theta: list[Fraction]) -> Network:
    """A 1-2-1 network from 7 parameters (weights row by row, then biases, per layer)."""
    a1, a2, b1, b2, c1, c2, d = theta
    return Network.from_layers(
        [[[a1], [a2]], [[c1, c2]]], [[b1, b2], [d]], inputs=["x"], outputs=["y"]
    )


def test_parameter_order() -> None:
    # tent: layer 1 weights 1, 1, biases 0, -1/2; layer 2 weights 2, -4, bias 0
    assert parameters(tent_net()) == tuple(q(v) for v in (1, 1, 0, "-1/2", 2, -4, 0))
    assert layer_widths(tent_net()) == (1, 2, 1)
    assert parameter_bound(tent_net()) == 4


@given(st.lists(small, min_size=7, max_size=7))
def test_with_parameters_round_trip(theta: list[Fraction]) -> None:
    net = with_parameters(tent_net(), theta)
    assert parameters(net) == tuple(q(t) for t in theta)
    assert net == net_from(theta)


def test_lipschitz_bound_by_hand() -> None:
    # widths (1, 2, 1): e_1 = D + 1, M_1 = r D + r, e_2 = 2 (M_1 + r e_1) + 1 = 4 r (D + 1) + 1
    for r, D in ((Q(65, 16), Q(1)), (Q(1), Q(3)), (Q(2, 3), Q(0))):
        assert lipschitz_bound([1, 2, 1], r, D) == 4 * r * (D + 1) + 1
    with pytest.raises(InvalidArgument):
        lipschitz_bound([1], 1, 1)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(small, min_size=7, max_size=7),
    st.lists(st.sampled_from([-1, 0, 1]), min_size=7, max_size=7),
    st.sampled_from([Q(1, 8), Q(1, 3), Q(1)]),
)
def test_lipschitz_bound_is_an_upper_bound(
    theta: list[Fraction], signs: list[int], delta: Q
) -> None:
    net = net_from(theta)
    other = perturb(net, [s * delta for s in signs])
    r = max(parameter_bound(net), parameter_bound(other))
    v, x = perturbation_sup(net, other, Interval(-2, 2))
    assert v <= lipschitz_bound((1, 2, 1), r, 2) * delta
    # the maximiser reproduces the value by exact evaluation of both networks
    assert abs(evaluate(net, x)[0] - evaluate(other, x)[0]) == v


@settings(max_examples=25, deadline=None)
@given(
    st.lists(small, min_size=7, max_size=7),
    st.lists(st.sampled_from([-1, 1]), min_size=7, max_size=7),
)
def test_perturbation_sup_agrees_with_supnorm(
    theta: list[Fraction], signs: list[int]
) -> None:
    # independent route: one difference network and supnorm's exact sup against 0
    net = net_from(theta)
    other = perturb(net, [s * Q(1, 4) for s in signs])
    v, _ = perturbation_sup(net, other, Interval(-1, 1))
    assert (
        sup_error(
            affine_combination([(1, net), (-1, other)]), "0", Interval(-1, 1)
        ).value
        == v
    )


def test_worst_sign_on_an_affine_layer() -> None:
    # |delta_a x + delta_b| on [-1, 1] is at most 2 delta, reached with equal signs at x = 1
    # or opposite signs at x = -1; the first in lexicographic order is (-1, -1)
    N = Network.from_layers([[[3]]], [[5]], ["identity"])
    assert worst_sign_perturbation(N, "1/8", Interval(-1, 1)) == (
        (-1, -1),
        Q(1, 4),
        Q(1),
    )
    assert search_sign_perturbation(N, "1/8", Interval(-1, 1))[1] == Q(1, 4)
    assert len(list(sign_perturbations(4, zero=True))) == 81


def test_search_reaches_the_exhaustive_worst_on_the_tent() -> None:
    exhaustive = worst_sign_perturbation(tent_net(), "1/16", Interval(-1, 1))[1]
    found = search_sign_perturbation(tent_net(), "1/16", Interval(-1, 1))[1]
    assert found <= exhaustive


@given(
    st.lists(small, min_size=7, max_size=7),
    st.sampled_from([Q(1, 2), Q(1, 4), Q(1, 3), Q(1, 1024)]),
)
def test_quantize_uniform_moves_at_most_half_a_step(
    theta: list[Fraction], step: Q
) -> None:
    rounded = parameters(quantize_uniform(net_from(theta), step))
    for t, r in zip(theta, rounded):
        assert (r / step).denominator == 1
        assert abs(q(t) - r) <= step / 2


def test_quantization_step_by_hand() -> None:
    # C = 7, eps = 1/100: need 7 s / 2 <= 1/100, s <= 2/700; 2^-9 = 1/512 works, 2^-8 = 1/256 does not
    assert quantization_step("1/100", 7) == Q(1, 512)
    # C = 1, eps = 10: every step works; capped at 1
    assert quantization_step(10, 1) == 1


def test_claims_hold_with_exact_values() -> None:
    c = perturbation_check("tent", "1/16")
    # bound: r = 4 + 1/16, 4 r (D + 1) + 1 = 67/2, times 1/16
    assert c.verdict is Verdict.HOLDS and c.value <= Q(67, 32)
    assert rounding_check("mlp-1-3-2-1", "1/16").verdict is Verdict.HOLDS
    g = guaranteed_quantization("mlp-1-3-2-1", "1/1000")
    assert g.verdict is Verdict.HOLDS and g.value <= Q(1, 1000)
    assert len(parameters(example_nets()["mlp-1-3-2-1"])) == 17


def test_every_gonon_claim_holds() -> None:
    found = claims(only="gonon2023/")
    assert len(found) >= 8
    for claim in found:
        assert run_claim(claim).certificate.verdict is Verdict.HOLDS, claim.id
