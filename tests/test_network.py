"""exactnet.network: building, validating (every problem at once), reading, value semantics."""

from __future__ import annotations

import pickle
import re
from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.exceptions import InvalidNetworkError
from exactnet.network import ACTIVATIONS, Layer, Network
from exactnet.numbers import Q, ZERO

from tests.strategies import (
    dag_networks,
    fraction_eval,
    fractions,
    layered_networks,
    networks,
    to_fraction,
    to_q,
)

SETTINGS = settings(max_examples=40, deadline=None)


def tent() -> Network:
    """g(x) = 2 relu(x) - 4 relu(x - 1/2)."""
    return Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])


# -- from_layers -------------------------------------------------------------------


def test_from_layers_names_and_numbers() -> None:
    g = tent()
    assert g.inputs == ("x1",) and g.outputs == ("y1",)
    assert g.nodes == ("x1", "h1_1", "h1_2", "y1")
    assert g.neurons == ("h1_1", "h1_2", "y1")
    assert g.bias("h1_2") == Q(-1, 2) and g.bias("h1_1") == ZERO
    assert g.weight("x1", "h1_1") == Q(1) and g.weight("h1_2", "y1") == Q(-4)
    assert g.activation("h1_1") == "relu" and g.activation("y1") == "identity"
    assert g.predecessors("y1") == (("h1_1", Q(2)), ("h1_2", Q(-4)))
    assert g.edges() == (
        ("h1_1", "y1", Q(2)),
        ("h1_2", "y1", Q(-4)),
        ("x1", "h1_1", Q(1)),
        ("x1", "h1_2", Q(1)),
    )
    assert [g.depth_of(n) for n in g.nodes] == [0, 1, 1, 2]
    assert all(type(w) is Q for _, _, w in g.edges())
    assert all(type(g.bias(n)) is Q for n in g.neurons)


def test_from_layers_custom_names_and_activations() -> None:
    N = Network.from_layers([[[1, -1]]], [["1/2"]], ["relu"], inputs=["a", "b"], outputs=["out"])
    assert N.inputs == ("a", "b") and N.outputs == ("out",)
    assert N.activation("out") == "relu"
    assert N.weight("b", "out") == Q(-1)


@given(st.data())
@SETTINGS
def test_from_layers_computes_act_of_W_x_plus_b(data: st.DataObject) -> None:
    # the matrix formula, written here with Fractions, against a graph walk
    d = data.draw(st.integers(1, 3))
    widths = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    Ws, bs, acts = [], [], []
    prev = d
    for w in widths:
        Ws.append([[data.draw(fractions(3, 5)) for _ in range(prev)] for _ in range(w)])
        bs.append([data.draw(fractions(3, 5)) for _ in range(w)])
        acts.append(data.draw(st.sampled_from(ACTIVATIONS)))
        prev = w
    x = [data.draw(fractions(3, 7)) for _ in range(d)]
    N = Network.from_layers(Ws, bs, acts)
    v = list(x)
    for W, b, act in zip(Ws, bs, acts):
        pre = [sum((wij * vj for wij, vj in zip(row, v)), bi) for row, bi in zip(W, b)]
        v = [max(p, Fraction(0)) if act == "relu" else p for p in pre]
    assert fraction_eval(N, [to_q(t) for t in x]) == tuple(v)


# -- from_graph --------------------------------------------------------------------


def skip_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_node("h", bias=0, act="relu")
    G.add_node("y", bias="1/3", act="identity")
    G.add_edge("x", "h", weight=1)
    G.add_edge("h", "y", weight=2)
    G.add_edge("x", "y", weight="-1/2")  # a skip connection
    return G


def test_from_graph_with_a_skip_connection() -> None:
    N = Network.from_graph(skip_graph(), ["x"], ["y"])
    assert N.depth_of("x") == 0 and N.depth_of("h") == 1 and N.depth_of("y") == 2
    assert N.weight("x", "y") == Q(-1, 2) and N.bias("y") == Q(1, 3)
    assert N.layers() is None  # the skip connection makes it no plain MLP
    # y = 1/3 + 2 relu(x) - x/2; at x = 3: 1/3 + 6 - 3/2 = 29/6
    assert fraction_eval(N, [Q(3)]) == (Fraction(29, 6),)


def test_from_graph_accepts_activation_key_and_stringifies_ids() -> None:
    G = nx.DiGraph()
    G.add_node(1, bias=0, activation="relu")
    G.add_edge(0, 1, weight=1)
    N = Network.from_graph(G, [0], [1])
    assert N.inputs == ("0",) and N.outputs == ("1",)
    assert N.activation("1") == "relu"


def test_from_graph_reports_every_problem_at_once() -> None:
    G = nx.DiGraph()
    G.add_node("a", bias=0.5, act="relu")  # inexact bias
    G.add_node("b", act="tanh")  # unknown activation, missing bias
    G.add_node("c", bias="1/3")  # missing activation
    G.add_edge("x", "a")  # missing weight
    G.add_edge("a", "b", weight="abc")  # inexact weight
    G.add_edge("b", "a", weight=1)  # a cycle a -> b -> a
    G.add_edge("c", "x", weight=1)  # an input with an incoming edge
    with pytest.raises(InvalidNetworkError) as info:
        Network.from_graph(G, ["x", "w"], ["z"])  # w, z: unknown nodes
    problems = info.value.problems
    expected = [
        "input 'w' is not a node",
        "output 'z' is not a node",
        "weight of edge x->a is missing",
        "weight of edge a->b is not exact",
        "input 'x' has an incoming edge",
        "bias of node 'a' is not exact: refusing the float 0.5",
        "activation of node 'b' is 'tanh'; known: relu, identity",
        "bias of node 'b' is missing",
        "activation of node 'c' is missing",
    ]
    for text in expected:
        assert any(text in p for p in problems), (text, problems)
    assert any(re.fullmatch(r"the graph has a cycle: (a -> b -> a|b -> a -> b)", p) for p in problems)
    assert len(problems) == len(expected) + 1
    # one line, every problem in it
    assert "\n" not in str(info.value)
    assert str(info.value) == "; ".join(problems)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda G: Network.from_graph(G, ["x"], ["y", "y"]), "an output is listed twice"),
        (lambda G: Network.from_graph(G, ["x", "x"], ["y"]), "input 'x' is listed twice"),
        (lambda G: Network.from_graph(G, ["h"], ["y"]), "input 'h' has an incoming edge"),
        (lambda G: Network.from_graph(G, ["x"], ["q"]), "output 'q' is not a node"),
    ],
)
def test_from_graph_single_problems(build: object, message: str) -> None:
    with pytest.raises(InvalidNetworkError, match=re.escape(message)):
        build(skip_graph())  # type: ignore[operator]


def test_from_graph_input_with_a_bias() -> None:
    G = skip_graph()
    G.nodes["x"]["bias"] = 1
    with pytest.raises(InvalidNetworkError, match="input 'x' has a bias"):
        Network.from_graph(G, ["x"], ["y"])


def test_from_graph_two_nodes_with_one_name() -> None:
    G = nx.DiGraph()
    G.add_node(1, bias=0, act="relu")
    G.add_node("1", bias=0, act="relu")
    G.add_edge("x", 1, weight=1)
    G.add_edge("x", "1", weight=1)
    with pytest.raises(InvalidNetworkError, match="two nodes are both named '1'"):
        Network.from_graph(G, ["x"], [1])


# -- from_layers: every problem at once ----------------------------------------------


def test_from_layers_reports_every_problem_at_once() -> None:
    with pytest.raises(InvalidNetworkError) as info:
        Network.from_layers(
            [[[1, 0.5], [1]], [[1, 1]]],
            [["x", 0], [0, 0]],
            ["relu", "sigmoid"],
        )
    problems = info.value.problems
    expected = [
        "bias 1 of layer 1 is not exact",
        "weight [1][2] of layer 1 is not exact: refusing the float 0.5",
        "layer 1 row 2 has 1 entries, expected 2 (the width of the layer before)",
        "layer 2 has 1 rows but 2 biases",
        "activation of layer 2 is 'sigmoid'; known: relu, identity",
    ]
    for text in expected:
        assert any(text in p for p in problems), (text, problems)
    assert len(problems) == len(expected)


def test_from_layers_counts_reported_together() -> None:
    with pytest.raises(InvalidNetworkError) as info:
        Network.from_layers([[[1]], [[1]]], [[0]], ["relu", "relu", "identity"], outputs=["a", "b"])
    assert set(info.value.problems) == {
        "2 weight matrices but 1 bias vectors",
        "2 weight matrices but 3 activations",
        "2 output names for 1 outputs",
    }


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([], []), {}, "a network needs at least one layer"),
        (([[[]]], [[0]]), {}, "layer 1 has no columns (no inputs)"),
        (([[[1, 2]]], [[0]]), {"inputs": ["a"]}, "1 input names for 2 inputs"),
        (([[[1, 2]], [[1], [1]]], [[0], [0]]), {}, "layer 2 has 2 rows but 1 biases"),
        (([[[1]], [[1]]], [[0], [0]]), {"inputs": ["h1_1"]}, "a name is used twice"),
        (([[[1]]], [[None]]), {}, "bias 1 of layer 1 is missing"),
        (([[[None]]], [[0]]), {}, "weight [1][1] of layer 1 is missing"),
        (([[["1/0"]]], [[0]]), {}, "weight [1][1] of layer 1 is not exact: '1/0' has a zero denominator"),
    ],
)
def test_from_layers_single_problems(args: tuple, kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidNetworkError, match=re.escape(message)):
        Network.from_layers(*args, **kwargs)


# -- layers() ------------------------------------------------------------------------


@given(layered_networks(max_width=4))
@SETTINGS
def test_layers_round_trip(net: Network) -> None:
    layers = net.layers()
    assert layers is not None
    rebuilt = Network.from_layers(
        [layer.weights for layer in layers],
        [layer.biases for layer in layers],
        [layer.activation for layer in layers],
        inputs=net.inputs,
        outputs=net.outputs,
    )
    assert rebuilt == net


def test_layers_keep_from_layers_order_beyond_nine_neurons() -> None:
    # regression: layers() listed h1_1, h1_10, h1_11, h1_2, ... (string order), so
    # the layered file form of an 11-wide layer wired the neurons differently
    W1 = [[i + 1] for i in range(11)]  # neuron i gets weight i
    W2 = [[10 * (i + 1) for i in range(11)]]
    N = Network.from_layers([W1, W2], [[0] * 11, [0]])
    layers = N.layers()
    assert layers is not None
    assert [row[0] for row in layers[0].weights] == [Q(i + 1) for i in range(11)]
    assert list(layers[1].weights[0]) == [Q(10 * (i + 1)) for i in range(11)]


def test_layers_none_for_mixed_activations_in_a_level() -> None:
    G = nx.DiGraph()
    G.add_node("a", bias=0, act="relu")
    G.add_node("b", bias=0, act="identity")
    G.add_node("y", bias=0, act="identity")
    for u, v in [("x", "a"), ("x", "b"), ("a", "y"), ("b", "y")]:
        G.add_edge(u, v, weight=1)
    assert Network.from_graph(G, ["x"], ["y"]).layers() is None


def test_layers_none_when_an_output_is_not_at_the_last_depth() -> None:
    N = Network.from_graph(skip_graph(), ["x"], ["h", "y"])
    assert N.layers() is None


def test_layer_contents() -> None:
    assert tent().layers() == (
        Layer(((Q(1),), (Q(1),)), (ZERO, Q(-1, 2)), "relu"),
        Layer(((Q(2), Q(-4)),), (ZERO,), "identity"),
    )


# -- structure of random networks ----------------------------------------------------


@given(networks())
@SETTINGS
def test_nodes_are_topological_and_depths_are_longest_paths(net: Network) -> None:
    order = {n: i for i, n in enumerate(net.nodes)}
    assert set(order) == set(net.graph.nodes)
    for u, v, _ in net.edges():
        assert order[u] < order[v]
    assert set(net.neurons) == set(net.nodes) - set(net.inputs)

    def longest(n: str) -> int:  # recomputed from the definition
        if n in net.inputs:
            return 0
        return 1 + max((longest(p) for p in net.graph.predecessors(n)), default=0)

    for n in net.nodes:
        assert net.depth_of(n) == longest(n)


@given(dag_networks())
@SETTINGS
def test_from_graph_of_own_graph_is_equal(net: Network) -> None:
    again = Network.from_graph(nx.DiGraph(net.graph), net.inputs, net.outputs)
    assert again == net and hash(again) == hash(net)


# -- immutability and value semantics -------------------------------------------------


def test_network_cannot_be_constructed_directly() -> None:
    with pytest.raises(TypeError, match="from_layers or Network.from_graph"):
        Network()


def test_network_is_immutable() -> None:
    g = tent()
    with pytest.raises(AttributeError, match="immutable"):
        g.inputs = ("z",)  # type: ignore[misc]
    with pytest.raises(nx.NetworkXError):
        g.graph.add_node("z")
    with pytest.raises(nx.NetworkXError):
        g.graph.remove_edge("x1", "h1_1")
    m = g.with_metadata(name="tent")
    with pytest.raises(TypeError, match="immutable"):
        m.metadata["name"] = "other"  # type: ignore[index]
    with pytest.raises(TypeError, match="immutable"):
        m.metadata.update(a=1)  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(g)


def test_metadata_is_copied_and_must_be_json() -> None:
    meta = {"name": "n", "params": [1, 2]}
    N = Network.from_layers([[[1]]], [[0]], metadata=meta)
    meta["params"].append(3)  # the network keeps its own copy
    assert N.metadata["params"] == [1, 2]
    with pytest.raises(InvalidNetworkError, match="metadata is not JSON-serialisable"):
        Network.from_layers([[[1]]], [[0]], metadata={"q": Q(1, 2)})


def test_with_metadata_merges_and_keeps_the_original() -> None:
    g = tent().with_metadata(a=1)
    h = g.with_metadata(b=2)
    assert dict(g.metadata) == {"a": 1}
    assert dict(h.metadata) == {"a": 1, "b": 2}
    assert h.edges() == g.edges()


def test_equality_and_hash() -> None:
    assert tent() == tent() and hash(tent()) == hash(tent())
    assert tent() != tent().with_metadata(name="tent")  # metadata is part of the value
    other = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/4"], [0]])
    assert tent() != other
    assert tent() != "tent"
    assert len({tent(), tent()}) == 1


def test_repr() -> None:
    assert repr(tent()) == "<Network: 1 inputs, 1 outputs, 3 neurons, 4 edges>"
    assert repr(tent().with_metadata(name="g")) == "<Network 'g': 1 inputs, 1 outputs, 3 neurons, 4 edges>"


def test_activations_constant() -> None:
    assert ACTIVATIONS == ("relu", "identity")


def test_weights_are_exact_after_any_route() -> None:
    # strings, Fractions and ints all become Q
    N = Network.from_layers([[[Fraction(1, 3), "2^-2", 5]]], [["0.5"]], inputs=["a", "b", "c"])
    assert [w for _, _, w in N.edges()] == [Q(1, 3), Q(1, 4), Q(5)]
    assert all(type(w) is Q for _, _, w in N.edges())
    assert N.bias("y1") == Q(1, 2)
    assert to_fraction(N.bias("y1")) == Fraction(1, 2)
