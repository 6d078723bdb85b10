"""exactnet.compose: sequential, parallel, affine combinations, identity channels, depth.

The laws are checked with exactnet.evaluate.evaluate as the evaluator: evaluating
a composition equals composing evaluations, and affine combinations are linear.
"""

from __future__ import annotations

import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactnet.compose import (
    affine_combination,
    affine_net,
    align_depth,
    identity_net,
    parallel,
    sequential,
)
from exactnet.evaluate import evaluate
from exactnet.exceptions import InexactInputError, InvalidArgument
from exactnet.metrics import depth
from exactnet.network import Network
from exactnet.numbers import Q, ZERO

from tests.strategies import layered_networks, networks, points, rationals

SETTINGS = settings(max_examples=30, deadline=None)


def tent() -> Network:
    """g(x) = 2 relu(x) - 4 relu(x - 1/2)."""
    return Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]])


def assert_canonical_hidden_names(net: Network) -> None:
    """Hidden neurons are h{depth}_{i} (with ' suffixes only to avoid a clash)."""
    for n in net.neurons:
        if n in net.outputs:
            continue
        m = re.fullmatch(r"h(\d+)_(\d+)'*", n)
        assert m, n
        assert int(m.group(1)) == net.depth_of(n)


# -- sequential --------------------------------------------------------------------


@given(st.data(), st.booleans())
@SETTINGS
def test_sequential_evaluates_as_the_composition(data: st.DataObject, merge: bool) -> None:
    d, m, k = (data.draw(st.integers(1, 2)) for _ in range(3))
    A = data.draw(networks(inputs=d, outputs=m))
    B = data.draw(networks(inputs=m, outputs=k))
    x = data.draw(points(d))
    C = sequential(A, B, merge=merge)
    assert evaluate(C, x) == evaluate(B, evaluate(A, x))
    assert len(C.inputs) == d and len(C.outputs) == k
    assert_canonical_hidden_names(C)


@given(st.data())
@SETTINGS
def test_sequential_is_associative(data: st.DataObject) -> None:
    A = data.draw(networks(inputs=1, outputs=1))
    B = data.draw(networks(inputs=1, outputs=2))
    C = data.draw(networks(inputs=2, outputs=1))
    x = data.draw(points(1))
    left = sequential(sequential(A, B), C)
    right = sequential(A, sequential(B, C))
    assert evaluate(left, x) == evaluate(right, x) == evaluate(C, evaluate(B, evaluate(A, x)))


@given(
    layered_networks(inputs=1, outputs=1, last="identity", nonzero=True),
    layered_networks(inputs=1, outputs=1, nonzero=True),
)
@SETTINGS
def test_sequential_depths(first: Network, second: Network) -> None:
    # one channel and nonzero weights: a folded weight is a product of nonzero
    # weights, so no edge vanishes and every path keeps its length
    d1, d2 = depth(first), depth(second)
    assert len(first.layers() or ()) == d1 and len(second.layers() or ()) == d2
    # the identity output of first is folded into second's first affine map
    assert depth(sequential(first, second)) == d1 + d2 - 1
    assert depth(sequential(first, second, merge=False)) == d1 + d2


def test_sequential_keeps_relu_outputs_as_a_layer() -> None:
    r = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "relu"])
    assert depth(sequential(r, tent())) == 4  # 2 + 2: nothing to fold


def test_tent_composed_with_itself_is_the_sawtooth_g2() -> None:
    g = tent()
    g2 = sequential(g, g)
    # g(k/4) = 0, 1/2, 1, 1/2, 0 and g(0) = 0, g(1/2) = 1, g(1) = 0
    assert [evaluate(g2, Q(k, 4))[0] for k in range(5)] == [0, 1, 0, 1, 0]
    assert depth(g2) == 3 and len(g2.neurons) == 5  # 2 + 2 ReLUs and one output
    unmerged = sequential(g, g, merge=False)
    assert depth(unmerged) == 4 and len(unmerged.neurons) == 6
    assert g2.outputs == ("y1",) and g2.inputs == ("x1",)  # second's output name kept
    assert_canonical_hidden_names(g2)
    # folding y = 2a - 4b into both units of the second tent: weights 2 and -4,
    # biases 0 + 1*0 and -1/2 + 1*0
    assert g2.predecessors("h2_1") == (("h1_1", Q(2)), ("h1_2", Q(-4)))
    assert g2.bias("h2_2") == Q(-1, 2)


def test_sequential_is_deterministic() -> None:
    assert sequential(tent(), tent()) == sequential(tent(), tent())


def test_sequential_errors() -> None:
    two_out = parallel(tent(), tent())
    with pytest.raises(InvalidArgument, match="first has 2 outputs, second has 1 inputs"):
        sequential(two_out, tent())
    # the second network passes its input straight through as an output; the
    # identity output of the first that feeds it is folded away
    first = affine_net([[1]], [0])
    with pytest.raises(InvalidArgument, match="compose with merge=False"):
        sequential(first, _two_in_passthrough())
    C = sequential(first, _two_in_passthrough(), merge=False)
    assert evaluate(C, [Q(1, 3)]) == (Q(1, 3), Q(1, 3))


def _two_in_passthrough() -> Network:
    """One input u; outputs (u + 0, u): the second output is the input itself."""
    G = nx.DiGraph()
    G.add_node("v", bias=0, act="identity")
    G.add_edge("u", "v", weight=1)
    return Network.from_graph(G, ["u"], ["v", "u"])


# -- parallel ----------------------------------------------------------------------


@given(st.data())
@SETTINGS
def test_parallel_shared_inputs_concatenates_outputs(data: st.DataObject) -> None:
    d = data.draw(st.integers(1, 2))
    nets = [data.draw(networks(inputs=d)) for _ in range(data.draw(st.integers(1, 3)))]
    x = data.draw(points(d))
    P = parallel(*nets)
    assert evaluate(P, x) == tuple(v for n in nets for v in evaluate(n, x))
    assert P.outputs == tuple(f"y{j + 1}" for j in range(sum(len(n.outputs) for n in nets)))
    assert P.inputs == nets[0].inputs


@given(st.data())
@SETTINGS
def test_parallel_separate_inputs(data: st.DataObject) -> None:
    A = data.draw(networks())
    B = data.draw(networks())
    xa, xb = data.draw(points(len(A.inputs))), data.draw(points(len(B.inputs)))
    P = parallel(A, B, shared_inputs=False)
    assert P.inputs == tuple(f"x{i + 1}" for i in range(len(A.inputs) + len(B.inputs)))
    assert evaluate(P, xa + xb) == evaluate(A, xa) + evaluate(B, xb)


def test_parallel_example() -> None:
    P = parallel(tent(), identity_net(1, 1))
    # g(1/4) = 2 * 1/4 = 1/2, and the identity gives 1/4
    assert evaluate(P, Q(1, 4)) == (Q(1, 2), Q(1, 4))


def test_parallel_errors() -> None:
    with pytest.raises(InvalidArgument, match="at least one network"):
        parallel()
    with pytest.raises(InvalidArgument, match="network 2 has 2 inputs, network 1 has 1"):
        parallel(tent(), identity_net(2, 1))


def test_hidden_name_clashing_with_an_input_gets_a_suffix() -> None:
    G = nx.DiGraph()
    G.add_node("a", bias=0, act="relu")
    G.add_node("y", bias=0, act="identity")
    G.add_edge("h1_1", "a", weight=1)
    G.add_edge("a", "y", weight=3)
    N = Network.from_graph(G, ["h1_1"], ["y"])
    P = parallel(N)
    assert "h1_1'" in P.neurons and P.inputs == ("h1_1",)
    assert evaluate(P, Q(2)) == (Q(6),) and evaluate(P, Q(-2)) == (ZERO,)


# -- affine_combination --------------------------------------------------------------


@given(st.data())
@SETTINGS
def test_affine_combination_is_linear(data: st.DataObject) -> None:
    d = data.draw(st.integers(1, 2))
    m = data.draw(st.integers(1, 2))
    n_terms = data.draw(st.integers(1, 3))
    terms = [(data.draw(rationals(3, 6)), data.draw(networks(inputs=d, outputs=m))) for _ in range(n_terms)]
    const = data.draw(st.one_of(rationals(), st.lists(rationals(), min_size=m, max_size=m)))
    x = data.draw(points(d))
    A = affine_combination(terms, const)
    consts = list(const) if isinstance(const, list) else [const] * m
    expected = list(consts)
    for c, n in terms:
        for j, v in enumerate(evaluate(n, x)):
            expected[j] += c * v
    assert evaluate(A, x) == tuple(expected)
    assert A.outputs == tuple(f"y{j + 1}" for j in range(m))
    assert_canonical_hidden_names(A)


@given(
    st.lists(layered_networks(inputs=1, outputs=1, last="identity", nonzero=True), min_size=1, max_size=3),
)
@SETTINGS
def test_affine_combination_depth_is_the_largest_depth(nets: list[Network]) -> None:
    # identity outputs fold into the one output layer.  Each term keeps its own
    # hidden neurons, and a folded weight c * w is nonzero (c, w != 0), so every
    # path of every term keeps its length; only depth-1 terms share edges x -> y,
    # and y has depth >= 1 whatever those sum to
    A = affine_combination([(Q(k + 1), n) for k, n in enumerate(nets)])
    assert depth(A) == max(depth(n) for n in nets)
    # a ReLU output is a layer of its own: one more
    r = Network.from_layers([[[1]]], [[0]], ["relu"])
    assert depth(affine_combination([(1, r)])) == 2


def test_yarotsky_f1_as_an_affine_combination() -> None:
    x = identity_net(1, 1)
    f1 = affine_combination([(1, x), ("-1/4", tent())])
    # f_1 = x - g/4: f_1(0) = 0, f_1(1/4) = 1/4 - (1/2)/4 = 1/8, f_1(1/2) = 1/2 - 1/4 = 1/4,
    # f_1(1) = 1 - 0 = 1
    assert [evaluate(f1, t)[0] for t in ["0", "1/4", "1/2", "1"]] == [0, Q(1, 8), Q(1, 4), 1]
    assert depth(f1) == 2  # the largest depth among the terms (tent: 2)
    assert len(f1.neurons) == 3  # two tent ReLUs + one output; x's identity layer folds away


def test_affine_combination_output_named_after_an_input() -> None:
    N = Network.from_layers([[[1]]], [[0]], inputs=["y1"], outputs=["z"])
    A = affine_combination([(2, N)], 1)
    assert A.outputs == ("out1",)
    assert evaluate(A, Q(3)) == (Q(7),)  # 2 * 3 + 1


def test_affine_combination_errors() -> None:
    with pytest.raises(InvalidArgument, match="at least one term"):
        affine_combination([])
    with pytest.raises(InvalidArgument, match="term 2 has 2 inputs and 1 outputs; term 1 has 1 and 1"):
        affine_combination([(1, tent()), (1, affine_net([[1, 1]], [0]))])
    with pytest.raises(InvalidArgument, match="2 constants for 1 outputs"):
        affine_combination([(1, tent())], [0, 1])
    with pytest.raises(InexactInputError, match="refusing the float"):
        affine_combination([(0.5, tent())])


# -- identity_net, affine_net, align_depth -------------------------------------------


@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("D", [1, 2, 3, 5])
def test_identity_net(d: int, D: int) -> None:
    I = identity_net(d, D)
    J = identity_net(d, D, nonnegative=True)
    assert depth(I) == D and depth(J) == D
    # D = 1: d identity outputs; else 2d ReLUs per hidden layer (relu(x), relu(-x)),
    # or d with nonnegative=True, then d outputs
    assert len(I.neurons) == (d if D == 1 else 2 * d * (D - 1) + d)
    assert len(J.neurons) == (d if D == 1 else d * (D - 1) + d)
    assert I.inputs == (("x",) if d == 1 else tuple(f"x{i + 1}" for i in range(d)))
    x = tuple(Q(-5 + 3 * i, 7) for i in range(d))  # -5/7, -2/7, 1/7: signs of both kinds
    assert evaluate(I, x) == x
    # nonnegative: exact for x >= 0 only (relu(x) on the negative side is 0)
    assert evaluate(J, tuple(abs(v) for v in x)) == tuple(abs(v) for v in x)
    if D > 1:
        assert evaluate(J, x) == tuple(max(v, ZERO) for v in x)
    assert_canonical_hidden_names(I)


@given(rationals(bound=100, max_denominator=1000), st.integers(1, 6))
@settings(max_examples=30, deadline=None)
def test_identity_net_is_the_identity(x: Q, D: int) -> None:
    assert evaluate(identity_net(1, D), x) == (x,)


def test_identity_net_errors() -> None:
    with pytest.raises(InvalidArgument, match="d >= 1 and depth >= 1"):
        identity_net(0, 2)
    with pytest.raises(InvalidArgument, match="d >= 1 and depth >= 1"):
        identity_net(1, 0)


def test_affine_net() -> None:
    A = affine_net([[1, "1/2"], [0, -3]], ["-1/4", 2])
    # (1 + 1/2 - 1/4, 0 - 3 + 2) at (1, 1)
    assert evaluate(A, [1, 1]) == (Q(5, 4), Q(-1))
    assert depth(A) == 1 and A.activation("y1") == "identity"


@given(st.data())
@SETTINGS
def test_align_depth_keeps_the_function(data: st.DataObject) -> None:
    d = data.draw(st.integers(1, 2))
    net = data.draw(networks(inputs=d))
    target = depth(net) + data.draw(st.integers(0, 3))
    x = data.draw(points(d))
    A = align_depth(net, target)
    assert evaluate(A, x) == evaluate(net, x)
    assert max(A.depth_of(o) for o in A.outputs) <= target


@pytest.mark.parametrize("last", ["identity", "relu"])
@pytest.mark.parametrize("nonnegative", [False, True])
@pytest.mark.parametrize("target", [2, 3, 4, 6])
def test_align_depth_reaches_the_depth(last: str, nonnegative: bool, target: int) -> None:
    # regression: with a ReLU output the result was one layer too deep
    g = Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", last])
    A = align_depth(g, target, nonnegative=nonnegative)
    assert max(A.depth_of(o) for o in A.outputs) == target
    assert depth(A) == target
    # on [0, 1] g >= 0, so even the one-ReLU channels are exact: g(1/3) = 2/3, g(3/4) = 1/2
    assert evaluate(A, Q(1, 3)) == (Q(2, 3),) and evaluate(A, Q(3, 4)) == (Q(1, 2),)
    # at x = 2: 2*2 - 4*(3/2) = -2; a ReLU output gives 0
    expected = ZERO if last == "relu" else Q(-2)
    if nonnegative and target > 2:
        expected = max(expected, ZERO)  # one ReLU per channel: exact only for >= 0
    assert evaluate(A, Q(2)) == (expected,)


def test_align_depth_mixed_outputs() -> None:
    # outputs: an identity output and a ReLU output of the same depth
    P = parallel(tent(), Network.from_layers([[[1], [1]], [[2, -4]]], [[0, "-1/2"], [0]], ["relu", "relu"]))
    A = align_depth(P, 4)
    assert depth(A) == 4
    assert evaluate(A, Q(2)) == (Q(-2), ZERO)


def test_align_depth_same_depth_returns_the_network() -> None:
    g = tent()
    assert align_depth(g, 2) is g


def test_align_depth_too_shallow() -> None:
    with pytest.raises(InvalidArgument, match="network depth 2 exceeds the requested depth=1"):
        align_depth(tent(), 1)
