"""exactnet.exhaustive.check_on_grid: HOLDS on true claims, VIOLATED with the exact
witness and deviation on wrong ones, and the fast path agreeing with the reference."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.certificate import Verdict
from exactnet.compose import parallel
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net, tent_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument
from exactnet.exhaustive import check_on_grid
from exactnet.network import Network
from exactnet.numbers import Q, ZERO

from tests.strategies import fraction_eval, networks, to_fraction, to_q


def tent_formula(x: Q) -> Q:
    """g(x) = 2 relu(x) - 4 relu(x - 1/2), with Fractions."""
    f = to_fraction(x)
    return to_q(2 * max(f, Fraction(0)) - 4 * max(f - Fraction(1, 2), Fraction(0)))


def test_sawtooth_grid_holds() -> None:
    # g_3(k/8) = k mod 2, the expected value computed from k alone
    c = check_on_grid(sawtooth_net(3), range(9), 8, lambda x: Q(int(x * 8) % 2), claim="g_3 parity")
    assert c.verdict is Verdict.HOLDS
    assert c.value == ZERO and c.witness is None
    assert c.claim == "g_3 parity" and c.method == "exhaustive exact evaluation"
    assert c.details["points"] == 9
    assert c.details["value_label"] == "max |N - f| over 9 points"
    # every level of g_3 (depth 4) has small integers: all four on the int64 route
    assert c.details["fast_path_int64_levels"] == 4
    assert {"gmpy2", "gmp"} <= set(c.details["versions"])


def test_wrong_expected_function_gives_the_exact_witness_and_deviation() -> None:
    # claim "g(x) = x^2 at k/4": g(0) = 0 = 0^2 holds; g(1/4) = 1/2 but (1/4)^2 = 1/16:
    # the first failing point is 1/4 and the deviation |1/2 - 1/16| = 7/16
    c = check_on_grid(tent_net(), range(5), 4, lambda x: x * x, claim="g(x) = x^2")
    assert c.verdict is Verdict.VIOLATED
    assert c.witness == (Q(1, 4),)
    assert c.value == Q(7, 16)
    assert c.details["network_value"] == "1/2" and c.details["expected_value"] == "1/16"
    assert c.details["value_label"] == "|N - f| at the witness (5 points)"


def test_a_single_wrong_value_is_found() -> None:
    # f_2 interpolates x^2 at k/4; claim a wrong value only at 3/4: 9/16 + 1/64
    def expected(x: Q) -> Q:
        return x * x + (Q(1, 64) if x == Q(3, 4) else ZERO)

    c = check_on_grid(square_net(2), range(5), 4, expected, claim="wrong at 3/4")
    assert (c.verdict, c.witness, c.value) == (Verdict.VIOLATED, (Q(3, 4),), Q(1, 64))
    assert c.details["network_value"] == "9/16"
    assert c.details["expected_value"] == "37/64"  # 36/64 + 1/64


def test_witness_is_the_first_failing_point_in_the_given_order() -> None:
    # g = 0 is wrong at every k/4 except k = 0 and k = 4; scanning k = 4, 3, ... the
    # first failure is k = 3: g(3/4) = 2 * 3/4 - 4 * 1/4 = 1/2
    c = check_on_grid(tent_net(), [4, 3, 2, 1, 0], 4, lambda x: ZERO, claim="g = 0")
    assert (c.witness, c.value) == ((Q(3, 4),), Q(1, 2))


def test_witness_reproduces_its_value() -> None:
    expected = lambda x: x  # noqa: E731  (g(x) = x is false except at 0 and 2/3)
    c = check_on_grid(tent_net(), range(-4, 9), 8, expected, claim="g(x) = x")
    assert c.verdict is Verdict.VIOLATED and c.witness is not None
    (w,) = c.witness
    assert c.value == abs(evaluate(tent_net(), w)[0] - expected(w))
    # scanning k = -4, -3, ...: g(-1/2) = 0 != -1/2, so the witness is -1/2
    assert w == Q(-1, 2) and c.value == Q(1, 2)


def test_output_index() -> None:
    # outputs (g, g_2); compare the second one with k mod 2 on k/4
    net = parallel(tent_net(), sawtooth_net(2))
    c = check_on_grid(net, range(5), 4, lambda x: Q(int(x * 4) % 2), claim="g_2", output=1)
    assert c.verdict is Verdict.HOLDS
    c0 = check_on_grid(net, range(5), 4, lambda x: Q(int(x * 4) % 2), claim="g", output=0)
    # output 0 is g: g(1/4) = 1/2, not 1
    assert (c0.verdict, c0.witness, c0.value) == (Verdict.VIOLATED, (Q(1, 4),), Q(1, 2))


def test_huge_numerators_beyond_int64() -> None:
    # points k/2^70 with k up to 2^70: the integers leave int64 and stay exact
    den = 2**70
    ks = [0, 2**68, 2**69, 3 * 2**68, 2**70, 2**70 - 1]
    c = check_on_grid(tent_net(), ks, den, tent_formula, claim="g at k/2^70")
    assert c.verdict is Verdict.HOLDS


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"net": parallel(tent_net(), tent_net(), shared_inputs=False)}, "needs a one-input network, got 2"),
        ({"output": 1}, "output=1 is not an output index of a 1-output network"),
        ({"output": -1}, "output=-1 is not an output index"),
        ({"denominator": 0}, "denominator=0 must be a positive int"),
        ({"denominator": -4}, "denominator=-4 must be a positive int"),
    ],
)
def test_errors(kwargs: dict, match: str) -> None:
    args = {"net": tent_net(), "numerators": range(3), "denominator": 4, "expected": tent_formula, "claim": "c"}
    args.update(kwargs)
    with pytest.raises(InvalidArgument, match=match):
        check_on_grid(**args)


@given(
    networks(inputs=1),
    st.lists(st.integers(-40, 40), min_size=1, max_size=12, unique=True),
    st.sampled_from([1, 3, 8, 12, 64]),
    st.data(),
)
@settings(max_examples=40, deadline=None)
def test_fast_path_equals_exact_path(net: Network, ks: list[int], den: int, data: st.DataObject) -> None:
    # the grid checker (scaled integers) against a Fraction graph walk, per output
    out = data.draw(st.integers(0, len(net.outputs) - 1))
    ref = lambda x: to_q(fraction_eval(net, [x])[out])  # noqa: E731
    c = check_on_grid(net, ks, den, ref, claim="N = N", output=out)
    assert c.verdict is Verdict.HOLDS and c.value == ZERO
    # perturb the expected value at one grid point: exactly that point, exactly that deviation
    j = data.draw(st.integers(0, len(ks) - 1))
    delta = to_q(data.draw(st.fractions(min_value=-5, max_value=5, max_denominator=50).filter(lambda f: f != 0)))
    xj = Q(ks[j], den)
    c = check_on_grid(
        net, ks, den, lambda x: ref(x) + (delta if x == xj else ZERO), claim="off by delta", output=out
    )
    assert (c.verdict, c.witness, c.value) == (Verdict.VIOLATED, (xj,), abs(delta))
