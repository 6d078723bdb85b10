"""exactnet.precision: the depth-precision converter keeps the function and lowers the precision.

Equality is checked by routes independent of the converter: exact evaluation
against the original network at random rational points (Fraction-free but
through the evaluator on the *original*), PWL canonical forms in 1-D and z3 in
2-D.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.certificate import Verdict
from exactnet.constructions.ou2024 import bit_extraction_net
from exactnet.evaluate import evaluate
from exactnet.exceptions import InvalidArgument, UnsupportedError
from exactnet.metrics import metrics
from exactnet.network import Network
from exactnet.numbers import Box, Interval, Q
from exactnet.precision import to_alphabet
from exactnet.quantize import Alphabet, outside
from exactnet.smt import prove_equal
from exactnet.supnorm import certify_equal

HALF = Alphabet.finite(["-1", "-1/2", "1/2", "1"])
ONE_TWO = Alphabet.finite(["-2", "-1", "1", "2"])
ONE = Alphabet.finite(["-1", "1"])


@st.composite
def dyadic_mlps(draw: Any, *, integer: bool = False) -> Network:
    d = draw(st.integers(1, 2))
    widths = [draw(st.integers(1, 3)) for _ in range(draw(st.integers(0, 2)))] + [draw(st.integers(1, 2))]
    num = st.integers(-12, 12)
    den = st.just(1) if integer else st.sampled_from([1, 2, 4, 8, 16])
    value = st.builds(lambda a, b: Q(a, b), num, den)
    Ws, bs, prev = [], [], d
    for rows in widths:
        Ws.append([[draw(value) for _ in range(prev)] for _ in range(rows)])
        bs.append([draw(value) for _ in range(rows)])
        prev = rows
    acts = [draw(st.sampled_from(["relu", "relu", "identity"])) for _ in widths[:-1]] + ["identity"]
    return Network.from_layers(Ws, bs, acts)


points = st.lists(st.builds(lambda a, b: Q(a, b), st.integers(-40, 40), st.integers(1, 9)), min_size=2, max_size=2)


@settings(max_examples=40, deadline=None)
@given(dyadic_mlps(), points)
def test_same_function_half_alphabet(net: Network, x: list[Q]) -> None:
    M = to_alphabet(net)
    assert outside(M, HALF) == ()
    assert M.layers() is not None and M.inputs == net.inputs and M.outputs == net.outputs
    p = x[: len(net.inputs)]
    assert evaluate(M, p) == evaluate(net, p)


@settings(max_examples=30, deadline=None)
@given(dyadic_mlps(integer=True), points, st.sampled_from([ONE_TWO, ONE]))
def test_same_function_integer_alphabets(net: Network, x: list[Q], A: Alphabet) -> None:
    M = to_alphabet(net, A)
    assert outside(M, A) == ()
    p = x[: len(net.inputs)]
    assert evaluate(M, p) == evaluate(net, p)


def test_weight_three_by_hand() -> None:
    # 3 x over {+-1, +-2}: digits 1, 1 -> one doubling step u = x (read as 2u) plus t = x:
    # layer 1 split x+ x-, layer 2 the chain values, layer 3 the neuron: depth grows from 1 to 3
    N = Network.from_layers([[[3]]], [[0]], ["identity"])
    M = to_alphabet(N, ONE_TWO)
    assert metrics(M).depth == 3
    assert [evaluate(M, v)[0] for v in (Q(-2), Q(1, 3))] == [Q(-6), Q(1)]


def test_layers_already_in_the_alphabet_are_copied() -> None:
    N = Network.from_layers([[[1], [-1]], [["1/2", "-1/2"]]], [[0, 1], [0]])
    assert to_alphabet(N).layers() == N.layers()


def test_integer_alphabet_cannot_halve() -> None:
    # every slope of a network with weights in {+-1, +-2} is an integer: 3/4 x has none
    with pytest.raises(InvalidArgument, match="cannot scale by 1/2"):
        to_alphabet(Network.from_layers([[["3/4"]]], [[0]]), ONE_TWO)


def test_refusals() -> None:
    with pytest.raises(InvalidArgument, match="not dyadic"):
        to_alphabet(Network.from_layers([[["1/3"]]], [[0]]))
    with pytest.raises(InvalidArgument, match="1 and -1"):
        to_alphabet(Network.from_layers([[["1/2"]]], [[0]]), Alphabet.finite(["1/2", "-1/2"]))
    g = nx.DiGraph()
    g.add_node("h", bias=0, act="relu")
    g.add_node("y", bias=0, act="identity")
    g.add_edge("x", "h", weight=3)
    g.add_edge("h", "y", weight=1)
    g.add_edge("x", "y", weight=1)  # a skip connection: not a plain MLP
    with pytest.raises(UnsupportedError):
        to_alphabet(Network.from_graph(g, ["x"], ["y"]))


@pytest.mark.parametrize("n", [2, 4])
def test_bit_extraction_converted_pwl(n: int) -> None:
    """1-D: identical PWL functions on [-1, 2] (beyond the grid too)."""
    N = bit_extraction_net(n)
    M = to_alphabet(N)
    assert certify_equal(N, M, Interval(-1, 2)).verdict is Verdict.HOLDS
    before, after = metrics(N), metrics(M)
    assert after.depth > before.depth and after.bits_per_weight_with_biases == 2
    assert after.max_magnitude == 1


def test_two_inputs_z3() -> None:
    """n-D: z3 proves the converted network equal to the original on a box."""
    N = Network.from_layers([[["3/4", "-5/2"], ["1/8", "1"]], [["3", "-1/4"]]], [["1/2", "-3"], ["5/8"]])
    M = to_alphabet(N)
    box = Box([Interval(-2, 2), Interval(-1, 3)])
    assert prove_equal(N, M, box).verdict is Verdict.HOLDS
    # a snapped copy differs, and z3 says so with an exact witness
    W = Network.from_layers([[["3/4", "-5/2"], ["1/8", "1"]], [["3", "-1/4"]]], [["1/2", "-3"], ["1/2"]])
    c = prove_equal(W, M, box)
    assert c.verdict is Verdict.VIOLATED and evaluate(W, c.witness) != evaluate(N, c.witness)
