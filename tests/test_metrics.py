"""exactnet.metrics: every count derived by hand for the tent map, g_s, f_m and identity nets."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.compose import identity_net
from exactnet.constructions.yarotsky2017 import sawtooth_net, square_net, tent_net
from exactnet.metrics import Metrics, bits_for, depth, distinct_weights, metrics, width
from exactnet.network import Network
from exactnet.numbers import Q, ZERO

from tests.strategies import fractions, to_q


def test_tent_map_counts() -> None:
    # g: x -> a (w 1, b 0, relu), x -> b (w 1, b -1/2, relu), a, b -> y (w 2, -4, b 0)
    m = metrics(tent_net())
    assert m == Metrics(
        inputs=1,
        outputs=1,
        depth=2,  # two affine maps on x -> a -> y
        hidden_layers=1,
        width=2,  # a and b
        neurons=3,  # a, b, y
        hidden_neurons=2,
        relu_neurons=2,
        edges=4,
        weights=4,  # 1, 1, 2, -4
        weights_with_biases=5,  # + the bias -1/2 (the zero biases are not counted)
        biases_nonzero=1,
        distinct_weights=3,  # {1, 2, -4}
        distinct_weights_with_biases=4,  # {1, 2, -4, -1/2}
        bits_per_weight=2,  # ceil(log2 3)
        bits_per_weight_with_biases=2,  # ceil(log2 4)
        memory_bits=8,  # 4 weights x 2 bits
        memory_bits_with_biases=10,  # 5 x 2
        dyadic=True,
        max_frac_bits=1,  # -1/2 = -1/2^1
        max_magnitude=Q(4),  # |-4|
    )
    assert sorted(distinct_weights(tent_net())) == [Q(-4), Q(1), Q(2)]
    assert sorted(distinct_weights(tent_net(), with_biases=True)) == [Q(-4), Q(-1, 2), Q(1), Q(2)]


@pytest.mark.parametrize("s", [1, 2, 3, 5, 8])
def test_sawtooth_counts(s: int) -> None:
    # g_s = g o ... o g with each identity output y = 2a - 4b folded into the next
    # tent's two ReLUs (a' = relu(2a - 4b), b' = relu(2a - 4b - 1/2)):
    #   depth: s levels of ReLU pairs + the output map = s + 1
    #   neurons: 2 per level + 1 output = 2s + 1, width 2
    #   edges: 2 (x -> a1, b1) + 4 per later level (2, -4 into each of a', b') +
    #          2 (a_s, b_s -> y) = 4s, all nonzero; values {1, 2, -4}
    #   nonzero biases: -1/2 on each b (the fold adds 1 * 0 to it) = s
    m = metrics(sawtooth_net(s))
    assert (m.depth, m.hidden_layers, m.width) == (s + 1, s, 2)
    assert (m.neurons, m.hidden_neurons, m.relu_neurons) == (2 * s + 1, 2 * s, 2 * s)
    assert (m.edges, m.weights, m.biases_nonzero, m.weights_with_biases) == (4 * s, 4 * s, s, 5 * s)
    assert (m.distinct_weights, m.distinct_weights_with_biases) == (3, 4)
    assert (m.bits_per_weight, m.bits_per_weight_with_biases) == (2, 2)  # ceil(log2 3), ceil(log2 4)
    assert (m.memory_bits, m.memory_bits_with_biases) == (8 * s, 10 * s)  # 4s x 2, 5s x 2
    assert (m.dyadic, m.max_frac_bits, m.max_magnitude) == (True, 1, Q(4))


@pytest.mark.parametrize(
    "m_, distinct, bits, frac, magnitude",
    [
        # f_1: x -> y (1), x -> a1, b1 (1, 1), a1 -> y (-2/4 = -1/2), b1 -> y (4/4 = 1):
        # distinct {1, -1/2}; the bias -1/2 adds nothing
        (1, 2, 1, 1, Q(1)),
        # m >= 2: {1, 2, -4} U {-2/4^s: s = 1..m} U {4/4^s: s = 2..m} = 3 + m + (m - 1)
        (2, 6, 3, 3, Q(4)),  # -2/16 = -1/8 has 3 fractional bits; ceil(log2 6) = 3
        (3, 8, 3, 5, Q(4)),  # -2/64 = -1/32: 5 bits; ceil(log2 8) = 3
        (4, 10, 4, 7, Q(4)),  # -2/256 = -1/128: 7 bits; ceil(log2 10) = 4
    ],
)
def test_square_net_counts(m_: int, distinct: int, bits: int, frac: int, magnitude: Q) -> None:
    # f_m: a chain of m ReLU pairs (a_s, b_s) and one identity output y with skip
    # connections from x and from every pair:
    #   depth m + 1, width 2, neurons 2m + 1 (2m ReLUs)
    #   edges: x -> y, x -> a1, x -> b1 (3) + 4 per level s >= 2 (2, -4 into a_s, b_s)
    #          + 2 per level into y (-2/4^s, 4/4^s) = 3 + 4(m - 1) + 2m = 6m - 1
    #   nonzero biases: -1/2 on each b_s = m, and -1/2 is already a weight (s = 1)
    m = metrics(square_net(m_))
    assert (m.depth, m.hidden_layers, m.width) == (m_ + 1, m_, 2)
    assert (m.neurons, m.hidden_neurons, m.relu_neurons) == (2 * m_ + 1, 2 * m_, 2 * m_)
    assert (m.edges, m.weights, m.biases_nonzero) == (6 * m_ - 1, 6 * m_ - 1, m_)
    assert m.weights_with_biases == 7 * m_ - 1
    assert (m.distinct_weights, m.distinct_weights_with_biases) == (distinct, distinct)
    assert (m.bits_per_weight, m.bits_per_weight_with_biases) == (bits, bits)
    assert m.memory_bits == (6 * m_ - 1) * bits
    assert m.memory_bits_with_biases == (7 * m_ - 1) * bits
    assert (m.dyadic, m.max_frac_bits, m.max_magnitude) == (True, frac, magnitude)


@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("D", [2, 3, 4])
def test_identity_net_counts(d: int, D: int) -> None:
    # x = relu(x) - relu(-x): per channel 2 edges in (+1, -1), 2 per middle layer,
    # 2 out (+1, -1): 2D edges per channel; 2 ReLUs per channel per hidden layer
    m = metrics(identity_net(d, D))
    assert (m.depth, m.hidden_layers, m.width) == (D, D - 1, 2 * d)
    assert (m.neurons, m.relu_neurons) == (2 * d * (D - 1) + d, 2 * d * (D - 1))
    assert (m.edges, m.weights, m.biases_nonzero) == (2 * d * D, 2 * d * D, 0)
    assert (m.distinct_weights, m.distinct_weights_with_biases) == (2, 2)  # {1, -1}
    assert (m.bits_per_weight, m.memory_bits) == (1, 2 * d * D)
    assert (m.max_frac_bits, m.max_magnitude) == (0, Q(1))
    # nonnegative: one ReLU per channel, every weight 1: one distinct value, 0 bits
    n = metrics(identity_net(d, D, nonnegative=True))
    assert (n.depth, n.width, n.neurons, n.relu_neurons) == (D, d, d * D, d * (D - 1))
    assert (n.edges, n.distinct_weights, n.bits_per_weight, n.memory_bits) == (d * D, 1, 0, 0)


def test_depth_one_identity_has_no_hidden_layer() -> None:
    m = metrics(identity_net(2, 1))
    # one 2 x 2 identity layer: 4 edges, of which the 2 diagonal ones are nonzero
    assert (m.depth, m.hidden_layers, m.width, m.neurons, m.relu_neurons) == (1, 0, 0, 2, 0)
    assert (m.edges, m.weights, m.distinct_weights, m.bits_per_weight, m.memory_bits) == (4, 2, 1, 0, 0)


def test_biases_change_the_counts() -> None:
    # y = x1 + 2 x2 + 3/8: weights {1, 2}; biases add 3/8
    m = metrics(Network.from_layers([[[1, 2]]], [["3/8"]]))
    assert (m.weights, m.distinct_weights, m.bits_per_weight, m.memory_bits) == (2, 2, 1, 2)
    assert (m.weights_with_biases, m.distinct_weights_with_biases) == (3, 3)
    assert (m.bits_per_weight_with_biases, m.memory_bits_with_biases) == (2, 6)  # ceil(log2 3), 3 x 2
    assert (m.max_frac_bits, m.max_magnitude) == (3, Q(2))  # 3/8 = 3/2^3


def test_zero_weights_are_edges_but_not_weights() -> None:
    m = metrics(Network.from_layers([[[1, 0]]], [[0]]))
    assert (m.edges, m.weights, m.biases_nonzero, m.distinct_weights) == (2, 1, 0, 1)


def test_non_dyadic_network() -> None:
    m = metrics(Network.from_layers([[[1]]], [["1/3"]]))
    assert (m.dyadic, m.max_frac_bits, m.max_magnitude) == (False, None, Q(1))


def test_all_zero_network() -> None:
    m = metrics(Network.from_layers([[[0]]], [[0]]))
    assert (m.weights, m.distinct_weights, m.bits_per_weight, m.dyadic) == (0, 0, 0, True)
    assert (m.max_frac_bits, m.max_magnitude) == (0, ZERO)


def test_depth_and_width_of_a_skip_connection() -> None:
    G = nx.DiGraph()
    G.add_node("h", bias=0, act="relu")
    G.add_node("y", bias=0, act="identity")
    G.add_edges_from([("x", "h", {"weight": 1}), ("h", "y", {"weight": 1}), ("x", "y", {"weight": 1})])
    N = Network.from_graph(G, ["x"], ["y"])
    assert (depth(N), width(N)) == (2, 1)  # the longest path x -> h -> y


@pytest.mark.parametrize(
    "n, bits",
    [(0, 0), (1, 0), (2, 1), (3, 2), (4, 2), (5, 3), (8, 3), (9, 4), (1024, 10), (1025, 11)],
)
def test_bits_for(n: int, bits: int) -> None:
    # ceil(log2 n): the least b with 2^b >= n
    assert bits_for(n) == bits


def test_as_dict_is_json_ready() -> None:
    d = metrics(square_net(2)).as_dict()
    assert d["max_magnitude"] == "4"
    assert d["max_frac_bits"] == 3 and d["depth"] == 3
    assert json.loads(json.dumps(d)) == d
    assert metrics(Network.from_layers([[[1]]], [["1/3"]])).as_dict()["max_frac_bits"] is None


@given(st.data())
@settings(max_examples=40, deadline=None)
def test_layered_counts_from_the_shapes(data: st.DataObject) -> None:
    # a plain MLP with nonzero weights: every count follows from the layer widths
    d = data.draw(st.integers(1, 3))
    widths = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    nz = fractions(3, 5).filter(lambda f: f != 0)
    Ws, prev = [], d
    for w in widths:
        Ws.append([[to_q(data.draw(nz)) for _ in range(prev)] for _ in range(w)])
        prev = w
    bs = [[0] * w for w in widths]
    m = metrics(Network.from_layers(Ws, bs))
    flat = [v for W in Ws for row in W for v in row]
    assert m.depth == len(widths)
    assert m.width == max(widths[:-1], default=0)
    assert m.neurons == sum(widths) and m.hidden_neurons == sum(widths[:-1])
    assert m.relu_neurons == sum(widths[:-1])
    assert m.edges == m.weights == m.weights_with_biases == len(flat)
    assert m.distinct_weights == len(set(flat))
    assert m.max_magnitude == max(abs(v) for v in flat)
    assert m.dyadic == all(int(v.denominator) & (int(v.denominator) - 1) == 0 for v in flat)
